"""The workspace's form logic without a browser, on a real SQLite store: validation beside
each field, dirty tracking, explicit save, stale saves refused, guarded switches."""

from __future__ import annotations

import pytest

from vises_nb.dashboards.workspace import step1, step2
from vises_nb.dashboards.workspace.app import Workspace
from vises_nb.dashboards.workspace.form import Field, field_errors, from_widget
from vises_nb.method.catalogue import BY_CODE
from vises_nb.store import model as m


def test_field_errors_name_each_bad_field_in_the_users_language(store):
    data = store.get(m.Enterprise, "E09")[0].model_dump()
    data.update(year_founded="abc", fte="-3", name="")
    errors = field_errors(m.Enterprise, data, "fr")
    assert errors == {"year_founded": "Un nombre entier est attendu.",
                      "fte": "Au moins 0.", "name": "Obligatoire."}
    assert field_errors(m.Enterprise, {**data, "year_founded": "1990", "fte": "2.5",
                                       "name": "X"}, "en") == {}


def test_numbers_typed_with_a_comma_or_left_empty():
    assert from_widget(Field("fte", "float"), "12,5") == 12.5
    assert from_widget(Field("fte", "float"), " ") is None
    assert from_widget(Field("volunteers", "int"), "1 200") == "1200"
    assert from_widget(Field("budget_eur", "float"), "1.234,5") == 1234.5
    assert from_widget(Field("budget_eur", "float"), "250 000") == 250000


@pytest.mark.parametrize("typed", ["250.000", "12,500", "1.200"])
def test_a_number_whose_separator_may_group_thousands_is_refused_not_guessed(store, typed):
    """`250.000` typed in a Belgian or French budget is 250 000 €, read as 250 it was
    stored as 250 without a word: the form refuses it beside the field and saves nothing."""
    form = step1.identity_form(store, "E09", "fr")
    before = store.get(m.Enterprise, "E09")
    form.inputs["budget_eur"].value = typed
    message = form.messages["budget_eur"].value
    assert typed in message and "décimales ou les milliers" in message
    assert form.save() is False
    assert store.get(m.Enterprise, "E09") == before, "nothing saved"
    form.inputs["budget_eur"].value = "250000"
    assert form.messages["budget_eur"].value == ""
    assert form.save() is True
    assert store.get(m.Enterprise, "E09")[0].budget_eur == 250000


def test_a_stored_number_shown_with_three_decimals_is_not_refused(store):
    """1.125 stored (imported, or saved as 1,125 on purpose) shows as `1.125`: the form
    does not refuse what it shows itself, only what is typed."""
    record, revision = store.get(m.Enterprise, "E09")
    store.save(record.model_copy(update={"fte": 1.125}), revision)
    form = step1.identity_form(store, "E09", "en")
    assert form.inputs["fte"].value == "1.125"
    form.inputs["sector"].value = "Another sector"
    assert form.messages["fte"].value == ""
    assert form.save() is True
    assert store.get(m.Enterprise, "E09")[0].fte == 1.125


def test_identity_form_validates_as_typed_and_saves_only_when_valid(store):
    form = step1.identity_form(store, "E09", "en")
    before, revision = store.get(m.Enterprise, "E09")
    assert not form.dirty
    form.inputs["year_founded"].value = "19x8"
    assert form.dirty
    assert "whole number" in form.messages["year_founded"].value
    assert form.messages["sector"].value == ""
    assert form.save() is False
    assert "vises-status-invalid" in form.status.value
    assert store.get(m.Enterprise, "E09") == (before, revision), "nothing saved"

    form.inputs["year_founded"].value = "1988"
    form.inputs["sector"].value = "Recyclage textile"
    form.inputs["fte"].value = "12,5"
    assert form.messages["year_founded"].value == ""
    assert form.save() is True
    assert not form.dirty
    assert "vises-status-saved" in form.status.value
    saved, new_revision = store.get(m.Enterprise, "E09")
    assert (saved.year_founded, saved.sector, saved.fte) == (1988, "Recyclage textile", 12.5)
    assert new_revision == revision + 1
    assert saved.social_needs == before.social_needs, "fields not on the form are kept"


def test_a_stale_save_is_refused_and_overwrites_nothing(store):
    form = step1.identity_form(store, "E09", "en")
    record, revision = store.get(m.Enterprise, "E09")
    store.save(record.model_copy(update={"sector": "Changed by a colleague"}), revision)
    form.inputs["sector"].value = "My edit"
    assert form.save() is False
    assert "vises-status-conflict" in form.status.value
    assert form.reload_button.layout.display == ""
    assert store.get(m.Enterprise, "E09")[0].sector == "Changed by a colleague"
    assert form.dirty, "the user's typing is still there to copy"
    form.reload()
    assert form.inputs["sector"].value == "Changed by a colleague"
    assert not form.dirty
    form.inputs["sector"].value = "My edit, on top"
    assert form.save() is True
    assert store.get(m.Enterprise, "E09")[0].sector == "My edit, on top"


def test_chain_elements_are_added_edited_linked_and_removed(store):
    editor = step1.chain(store, "E09", "en")
    count = len(store.list(m.ChainElement, enterprise_id="E09"))
    assert editor.choose("__new__")
    editor.form.inputs["label"].value = ""
    assert editor.form.save() is False
    assert editor.form.messages["label"].value != ""
    editor.form.inputs["level"].value = "outcome"
    editor.form.inputs["label"].value = "Workers gain confidence"
    editor.form.inputs["dimensions"].value = ("social", "political")
    editor.form.inputs["stakeholders"].value = ("workers",)
    assert editor.form.save() is True
    new_id = editor.form.base["id"]
    element = store.get(m.ChainElement, new_id)[0]
    assert (element.level, element.dimensions, element.stakeholders) == (
        "outcome", ["social", "political"], ["workers"])
    assert len(store.list(m.ChainElement, enterprise_id="E09")) == count + 1
    assert editor.chooser.value == new_id
    other = next(e for e in store.list(m.ChainElement, enterprise_id="E09")
                 if e.level == "output")
    store.save(m.ChainLink(id="L-test", enterprise_id="E09", source_id=other.id,
                           target_id=new_id))
    assert editor.delete() is False, "an element with arrows is not removed at once"
    assert editor.confirm.layout.display == ""
    assert f"1 arrow(s): {other.label} → Workers gain confidence" in editor.warning.value
    assert store.get(m.ChainElement, new_id)[0] == element, "nothing removed yet"
    assert store.get(m.ChainLink, "L-test")
    editor.cancel_button.click()
    assert editor.confirm.layout.display == "none" and editor.warning.value == ""
    assert editor.delete() is False
    editor.confirm_button.click()
    assert len(store.list(m.ChainElement, enterprise_id="E09")) == count
    assert all(new_id not in (link.source_id, link.target_id)
               for link in store.list(m.ChainLink, enterprise_id="E09"))
    assert editor.confirm.layout.display == "none"


def test_removal_confirmed_for_some_arrows_asks_again_when_one_was_added_meanwhile(store):
    editor = step1.chain(store, "E09", "en")
    editor.chooser.value = "E09-C21"
    assert editor.delete() is False
    assert set(editor._confirmed) == {"E09-C11-C21", "E09-C21-C31"}
    store.save(m.ChainLink(id="L-late", enterprise_id="E09", source_id="E09-C12",
                           target_id="E09-C21"))
    editor.confirm_button.click()
    assert store.get(m.ChainElement, "E09-C21"), "not removed: a third arrow appeared"
    assert "3 arrow(s)" in editor.warning.value
    editor.confirm_button.click()
    assert "E09-C21" not in {e.id for e in store.list(m.ChainElement, enterprise_id="E09")}
    left = store.list(m.ChainLink, enterprise_id="E09")
    assert all("E09-C21" not in (link.source_id, link.target_id) for link in left)
    assert len(left) == 8


def test_moving_an_element_so_an_arrow_would_go_backwards_is_refused_beside_the_level(store):
    editor = step1.chain(store, "E09", "en")
    editor.chooser.value = "E09-C31"  # output, arrows from C21 (activity) and to C41 (outcome)
    before = store.get(m.ChainElement, "E09-C31")
    editor.form.inputs["level"].value = "impact"
    message = editor.form.messages["level"].value
    assert "1 arrow(s) would no longer go forward" in message
    assert "Permis de conduire obtenus → Confiance en soi retrouvée" in message
    assert editor.form.save() is False
    assert "vises-status-invalid" in editor.form.status.value
    assert store.get(m.ChainElement, "E09-C31") == before
    editor.form.inputs["level"].value = "output"
    editor.form.inputs["label"].value = "Driving licences obtained"
    assert editor.form.messages["level"].value == ""
    assert editor.form.save() is True
    assert store.get(m.ChainElement, "E09-C31")[0].label == "Driving licences obtained"


def test_arrows_are_listed_added_refused_and_removed(store):
    from vises_nb.dashboards.workspace.links import ChainLinks

    arrows = ChainLinks(store, "E09", "en")
    assert len(arrows.list.options) == 10
    assert arrows.list.options[0][0] == ("Resources: Atelier équipé et véhicules utilitaires"
                                         "  →  Activities: Recherche d'emploi accompagnée en "
                                         "fin de parcours")
    assert not arrows.dirty
    arrows.inputs["source_id"].value = "E09-C41"
    assert arrows.dirty and arrows.messages["target_id"].value == ""
    arrows.inputs["target_id"].value = "E09-C21"
    assert "goes backwards (Outcomes → Activities)" in arrows.messages["target_id"].value
    assert arrows.add() is False
    assert "vises-status-invalid" in arrows.status.value
    assert len(store.list(m.ChainLink, enterprise_id="E09")) == 10
    arrows.inputs["target_id"].value = "E09-C51"
    assert "already exists" in arrows.messages["target_id"].value
    arrows.inputs["target_id"].value = "E09-C52"
    assert arrows.messages["target_id"].value == ""
    assert arrows.add() is True
    assert "vises-status-saved" in arrows.status.value
    assert not arrows.dirty and arrows.picked == (None, None)
    stored = {(x.source_id, x.target_id) for x in store.list(m.ChainLink, enterprise_id="E09")}
    assert ("E09-C41", "E09-C52") in stored and len(stored) == 11
    assert len(arrows.list.options) == 11
    added = next(v for label, v in arrows.list.options if "Confiance" in label
                 and "Inclusion" in label)
    arrows.list.value = added
    assert arrows.remove() is True
    assert len(store.list(m.ChainLink, enterprise_id="E09")) == 10
    arrows.list.value = arrows.list.options[0][1]
    store.delete(m.ChainLink, arrows.list.value, 1)
    assert arrows.remove() is False
    assert "already removed" in arrows.status.value
    assert len(arrows.list.options) == 9


def test_forms_carry_the_unsaved_marker_only_while_they_differ_from_the_store(store):
    from vises_nb.dashboards.workspace.form import UNSAVED
    from vises_nb.dashboards.workspace.links import ChainLinks

    form = step1.identity_form(store, "E09", "en")
    assert UNSAVED not in form.box._dom_classes
    form.inputs["sector"].value = "typed"
    assert UNSAVED in form.box._dom_classes
    form.inputs["sector"].value = store.get(m.Enterprise, "E09")[0].sector
    assert UNSAVED not in form.box._dom_classes, "typed back to the stored value"
    form.inputs["sector"].value = "typed again"
    assert form.save() is True
    assert UNSAVED not in form.box._dom_classes
    form.inputs["sector"].value = "and again"
    form.discard()
    assert UNSAVED not in form.box._dom_classes
    arrows = ChainLinks(store, "E09", "en")
    arrows.inputs["source_id"].value = "E09-C11"
    assert UNSAVED in arrows.box._dom_classes
    arrows.discard()
    assert UNSAVED not in arrows.box._dom_classes


def test_choosing_another_record_with_unsaved_changes_is_blocked(store):
    editor = step1.stakeholders(store, "E09", "en")
    first, second = list(editor.records)[:2]
    editor.chooser.value = first
    editor.form.inputs["description"].value = "typed, not saved"
    editor.chooser.value = second
    assert editor.chooser.value == first
    assert editor.form.inputs["description"].value == "typed, not saved"
    assert "Unsaved" in editor.warning.value


def test_switching_enterprise_or_language_with_unsaved_changes_is_refused(store, sample_copy):
    space = Workspace(str(sample_copy), "en")
    start = space.enterprise.value
    assert space.editors == [], "forms are built when their tab is opened"
    space.open_tab(1)
    assert space.tabs.selected_index == 1
    identity = space.editors[0]
    identity.inputs["sector"].value = "typed, not saved"
    other = space.enterprise.options[1][1]
    space.enterprise.value = other
    assert space.enterprise.value == start
    assert space.language.value == "en"
    space.language.value = "nl"
    assert space.language.value == "en"
    assert "not saved" in space.warning.value
    assert identity.inputs["sector"].value == "typed, not saved"
    space.discard_all()
    space.language.value = "nl"
    space.open_tab(1)
    assert space.editors[0].save_button.description == "Opslaan"
    space.enterprise.value = other
    space.open_tab(1)
    assert space.editors[0].inputs["name"].value == store.get(m.Enterprise, other)[0].name


def test_indicator_plan_adds_a_catalogue_indicator_with_its_items(store):
    plan = step2.IndicatorPlan(store, "E09", "en")
    enterprise = store.get(m.Enterprise, "E09")[0]
    known = {i.code for i in store.list(m.Indicator, enterprise_id="E09")}
    plan.pole.value = enterprise.pole
    codes = [code for _label, code in plan.catalogue.options]
    assert all(enterprise.pole in BY_CODE[c].poles for c in codes)
    plan.dimension.value = "territorial"
    assert all(BY_CODE[c].dimension == "territorial" for _l, c in plan.catalogue.options)
    plan.dimension.value = "__all__"
    fresh = next(c for c in codes if c not in known)
    plan.catalogue.value = fresh
    assert plan.pick() is False, "a catalogue pick asks for the question first"
    assert "evaluative question" in plan.message.value
    question = store.list(m.EvaluativeQuestion, enterprise_id="E09")[0]
    plan.question.value = question.id
    assert plan.pick() is True
    added = [i for i in store.list(m.Indicator, enterprise_id="E09") if i.code == fresh]
    assert len(added) == 1 and added[0].name == BY_CODE[fresh].name["en"]
    assert added[0].question_id == question.id
    assert plan.editor.form.base["id"] == added[0].id, "opened to set target and breakdowns"
    items = [i for i in store.list(m.Item, enterprise_id="E09") if i.indicator_id == added[0].id]
    assert len(items) == len(BY_CODE[fresh].items)
    assert BY_CODE[fresh].name["en"] in plan.table.value
    assert plan.pick() is False, "the same indicator is not added twice"


def test_step3_shows_results_with_inline_charts(store):
    from vises_nb.dashboards.workspace import step3

    view = step3.results_view(store, "E09", "en")
    assert view.value.count("<svg") >= 1
    assert "vises-table" in view.value
    assert "<script" not in view.value


@pytest.mark.slow
def test_report_button_runs_step3_and_offers_the_report(sample_copy, tmp_path):
    from vises_nb.dashboards.workspace import step3

    button = step3.ReportButton(str(sample_copy), "E09", "en", reports_dir=tmp_path)
    path = button.generate()
    assert path is not None and path.exists() and path.parent.parent == tmp_path
    assert "vises-download" in button.result.value and "data:text/html;base64," in \
        button.result.value
    assert "KB" in button.result.value
    assert not button.button.disabled


def test_arrows_in_the_workspace_follow_the_elements_and_guard_unsaved_picks(store,
                                                                            sample_copy):
    from vises_nb.dashboards.workspace.links import ChainLinks

    space = Workspace(str(sample_copy), "en")
    space.open_tab(1)
    space.open_section("vises-section-chain")  # step 1's sections are built when opened
    arrows = next(e for e in space.editors if isinstance(e, ChainLinks))
    elements = next(e for e in space.editors if getattr(e, "name", "") == "chain")
    assert elements.choose("__new__")
    elements.form.inputs["level"].value = "impact"
    elements.form.inputs["label"].value = "A fairer territory"
    assert elements.form.save() is True
    new_id = elements.form.base["id"]
    assert ("5. Impacts — A fairer territory", new_id) in arrows.inputs["target_id"].options
    outcome = next(e.id for e in store.list(m.ChainElement, enterprise_id=space.enterprise.value)
                   if e.level == "outcome")
    arrows.inputs["source_id"].value = outcome
    arrows.inputs["target_id"].value = new_id
    start = space.enterprise.value
    space.enterprise.value = space.enterprise.options[1][1]
    assert space.enterprise.value == start, "picked ends not added yet are unsaved work"
    space.discard_all()
    assert arrows.picked == (None, None)
    arrows.inputs["source_id"].value = outcome
    arrows.inputs["target_id"].value = new_id
    assert arrows.add() is True
    elements.chooser.value = new_id
    assert elements.delete() is False
    elements.confirm_button.click()
    assert all(new_id not in (x.source_id, x.target_id) for x in arrows.links)
    assert all(new_id != value for _label, value in arrows.inputs["target_id"].options)


def test_indicator_plan_attaches_a_question_breakdowns_baseline_target_population(store):
    plan = step2.IndicatorPlan(store, "E09", "en")
    questions = store.list(m.EvaluativeQuestion, enterprise_id="E09")
    indicator = store.list(m.Indicator, enterprise_id="E09")[0]
    plan.editor.choose(indicator.id)
    form = plan.editor.form
    assert [v for _l, v in form.inputs["question_id"].options] == [None] + [q.id for q in
                                                                            questions]
    form.inputs["question_id"].value = questions[-1].id
    form.inputs["breakdowns"].value = ("age_band",)
    form.inputs["baseline"].value = "2,5"
    form.inputs["target"].value = "4"
    form.inputs["population"].value = "0"
    assert form.save() is False and "At least 1" in form.messages["population"].value
    form.inputs["population"].value = "40"
    assert form.save() is True
    saved = store.get(m.Indicator, indicator.id)[0]
    assert (saved.question_id, saved.breakdowns, saved.baseline, saved.target,
            saved.population) == (questions[-1].id, ["age_band"], 2.5, 4.0, 40)
    assert "Age band" in plan.table.value and "2.5" in plan.table.value


def test_a_question_added_in_step1_is_offered_at_once_in_step2(sample_copy):
    space = Workspace(str(sample_copy), "en")
    space.open_tab(2)
    space.open_tab(1)
    space.open_section("vises-section-methods")  # built before: refreshed on the save
    space.open_section("vises-section-questions")
    questions = next(e for e in space.editors if getattr(e, "name", "") == "questions")
    questions.choose("__new__")
    questions.form.inputs["text"].value = "Does the training lead to a job?"
    assert questions.form.save() is True
    methods = next(e for e in space.editors if getattr(e, "name", "") == "methods")
    assert any(label.startswith("Does the training lead to a job?")
               for label, _v in methods.chooser.options), "its methods can be chosen at once"
    offered = {label: v for label, v in space.plan.question.options}
    assert "Does the training lead to a job?" in offered
    assert offered["Does the training lead to a job?"] in [
        v for _l, v in space.plan.editor.form.inputs["question_id"].options]

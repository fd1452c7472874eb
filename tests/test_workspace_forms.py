"""The workspace's form logic without a browser, on a real SQLite store: validation beside
each field, dirty tracking, explicit save, stale saves refused, guarded switches."""

from __future__ import annotations

import pytest

from vises_nb import model as m
from vises_nb.catalogue import BY_CODE
from vises_nb.store import Store
from vises_nb.workspace import step1, step2
from vises_nb.workspace.app import Workspace
from vises_nb.workspace.form import Field, field_errors, from_widget


@pytest.fixture
def store(sample_copy):
    opened = Store.open(sample_copy)
    yield opened
    opened.close()


def test_field_errors_name_each_bad_field_in_the_users_language(store):
    data = store.get(m.Enterprise, "E09")[0].model_dump()
    data.update(year_founded="abc", fte="-3", name="")
    errors = field_errors(m.Enterprise, data, "fr")
    assert errors == {"year_founded": "Un nombre entier est attendu.",
                      "fte": "Au moins 0.", "name": "Obligatoire."}
    assert field_errors(m.Enterprise, {**data, "year_founded": "1990", "fte": "2.5",
                                       "name": "X"}, "en") == {}


def test_numbers_typed_with_a_comma_or_left_empty():
    assert from_widget(Field("fte", "float"), "12,5") == "12.5"
    assert from_widget(Field("fte", "float"), " ") is None
    assert from_widget(Field("volunteers", "int"), "1 200") == "1200"


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
    other = next(e for e in store.list(m.ChainElement, enterprise_id="E09") if e.id != new_id)
    store.save(m.ChainLink(id="L-test", enterprise_id="E09", source_id=other.id,
                           target_id=new_id))
    assert editor.delete() is True
    assert len(store.list(m.ChainElement, enterprise_id="E09")) == count
    assert all(link.target_id != new_id for link in store.list(m.ChainLink, enterprise_id="E09"))


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
    assert plan.pick() is True
    added = [i for i in store.list(m.Indicator, enterprise_id="E09") if i.code == fresh]
    assert len(added) == 1 and added[0].name == BY_CODE[fresh].name["en"]
    items = [i for i in store.list(m.Item, enterprise_id="E09") if i.indicator_id == added[0].id]
    assert len(items) == len(BY_CODE[fresh].items)
    assert BY_CODE[fresh].name["en"] in plan.table.value
    assert plan.pick() is False, "the same indicator is not added twice"


def test_step3_shows_results_with_inline_charts(store):
    from vises_nb.workspace import step3

    view = step3.results_view(store, "E09", "en")
    assert view.value.count("<svg") >= 1
    assert "vises-table" in view.value
    assert "<script" not in view.value


@pytest.mark.slow
def test_report_button_runs_step3_and_offers_the_report(sample_copy, tmp_path):
    from vises_nb.workspace import step3

    button = step3.ReportButton(str(sample_copy), "E09", "en", reports_dir=tmp_path)
    path = button.generate()
    assert path is not None and path.exists() and path.parent.parent == tmp_path
    assert "vises-download" in button.result.value and "data:text/html;base64," in \
        button.result.value
    assert "KB" in button.result.value
    assert not button.button.disabled

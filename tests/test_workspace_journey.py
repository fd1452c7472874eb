"""The workspace's new forms without a browser, on a real SQLite store: verbatims coded and
marked publishable, step status panel, next actions, tab names."""

from __future__ import annotations

import html

from vises_nb.analysis.findings import publishable_verbatims
from vises_nb.dashboards.workspace import verbatims
from vises_nb.dashboards.workspace.app import Workspace
from vises_nb.store import model as m
from vises_nb.store.loading import load_enterprise


def test_a_verbatim_is_coded_marked_publishable_and_previewed_as_published(store):
    panel = verbatims.Verbatims(store, "E09", "en")
    indicator = store.list(m.Indicator, enterprise_id="E09")[0]
    panel.editor.choose("__new__")
    form = panel.editor.form
    text = "Depuis l'atelier, je me lève le matin avec une raison de venir. Tel 0470 12 34 56"
    form.inputs["text"].value = text
    form.inputs["dimension"].value = "territorial"
    form.inputs["indicator_id"].value = indicator.id
    form.inputs["wave_code"].value = "T1"
    assert form.inputs["publishable"].value is False, "consent is never assumed"
    assert form.save() is True
    saved = store.get(m.Excerpt, form.base["id"])[0]
    assert (saved.dimension, saved.indicator_id, saved.wave_code, saved.publishable,
            saved.language) == ("territorial", indicator.id, "T1", False, "fr")
    assert "je me lève le matin" not in panel.preview.value
    form.inputs["publishable"].value = True
    assert form.dirty and form.save() is True
    assert "je me lève le matin" in panel.preview.value
    assert "0470" not in panel.preview.value, "contacts masked as in the report"
    shown = publishable_verbatims(load_enterprise(store, "E09"))
    assert saved.id in set(shown["id"])
    label = {v: k for k, v in panel.editor.chooser.options}[saved.id]
    assert label.startswith("✓ Territorial — Depuis l'atelier")


def test_an_empty_verbatim_is_refused_beside_its_field(store):
    panel = verbatims.Verbatims(store, "E09", "fr")
    before = len(store.list(m.Excerpt, enterprise_id="E09"))
    panel.editor.choose("__new__")
    panel.editor.form.inputs["wave_code"].value = "T0"
    assert panel.editor.form.save() is False
    assert "Obligatoire" in panel.editor.form.messages["text"].value
    assert len(store.list(m.Excerpt, enterprise_id="E09")) == before


def test_the_step_panel_refuses_completes_reopens_and_records_who(sample_copy):
    space = Workspace(str(sample_copy), "en")
    store = space.store
    enterprise_id = "E01"
    space.accompanier.value = store.get(m.Enterprise, enterprise_id)[0].accompanier_id
    space.enterprise.value = enterprise_id
    who = html.escape(store.get(m.Accompanier, space.accompanier.value)[0].name)
    row = space.steps.rows["2"]
    assert row.complete.layout.display == "" and row.reopen.layout.display == "none"
    assert row.act("complete") is False
    assert "Still missing" in row.message.value
    assert "Positive exit at 6 months" in row.message.value
    assert store.get(m.StepStatus, (enterprise_id, "2"))[0].status == "in_progress"
    one = space.steps.rows["1"]
    assert one.reopen.layout.display == ""
    one.reason.value = "The chain must be redone"
    assert one.act("reopen") is True
    assert "data-status='in_progress'" in one.state.value
    assert one.act("complete") is True
    status = store.get(m.StepStatus, (enterprise_id, "1"))[0]
    assert status.status == "done" and status.completed_on is not None
    history = space.steps.history.value
    assert history.count(who) == 3
    assert "Completion refused" in history and "The chain must be redone" in history
    assert "Reopened" in history


def test_a_stale_step_change_is_refused_in_the_panel(sample_copy):
    space = Workspace(str(sample_copy), "en")
    enterprise_id = space.enterprise.value
    row = space.steps.rows["1"]
    record, revision = space.store.get(m.StepStatus, (enterprise_id, "1"))
    space.store.save(record.model_copy(update={"status": "in_progress"}), revision)
    assert row.act("reopen") is False
    assert "changed this step&#x27;s status meanwhile" in row.message.value
    assert row.complete.layout.display == "", "the panel shows the status as stored now"


def test_next_actions_name_what_to_do_and_where(store):
    from vises_nb.analysis import next_actions as na

    for indicator, rev in [store.get(m.Indicator, i.id) for i in
                           store.list(m.Indicator, enterprise_id="E01")[:2]]:
        store.save(indicator.model_copy(update={"question_id": None}), rev)
    data = load_enterprise(store, "E01")
    assert na.standing(data, "en") == "Current step: Methods and data collection (in progress)."
    actions = na.next_actions(data, "en")
    assert [(a.text, a.where("en"), a.tab, a.section) for a in actions] == [
        ("2 indicator(s) have no evaluative question", "Step 2, Indicator plan", 2,
         "vises-section-plan"),
        ("1 indicator(s) have no data: import the responses",
         "Step 2, Questionnaire and response import", 2, "vises-section-files")]
    assert na.next_actions(data, "fr")[0].where("fr") == "Étape 2, Plan d'indicateurs"


def test_a_complete_step_is_offered_for_completion_first(store):
    from vises_nb.analysis import next_actions as na

    actions = na.next_actions(load_enterprise(store, "E09"), "en")
    assert actions[0].place == "steps" and "mark it completed" in actions[0].text


def test_next_action_button_opens_the_form_and_follows_saves(sample_copy):
    space = Workspace(str(sample_copy), "en")
    store = space.store
    space.accompanier.value = store.get(m.Enterprise, "E01")[0].accompanier_id
    space.enterprise.value = "E01"
    indicator, rev = store.get(m.Indicator, store.list(m.Indicator, enterprise_id="E01")[0].id)
    store.save(indicator.model_copy(update={"question_id": None}), rev)
    space.render()
    go = next(r for r in space.next.box.children[1:]
          if "no evaluative question" in r.children[0].value).children[1]
    assert go.description == "→ Step 2, Indicator plan"
    go.click()
    assert space.tabs.selected_index == 2
    assert "vises-target" in space.sections["vises-section-plan"]._dom_classes
    space.plan.editor.choose(indicator.id)
    form = space.plan.editor.form
    form.inputs["question_id"].value = store.list(m.EvaluativeQuestion,
                                                  enterprise_id="E01")[0].id
    assert form.save() is True
    assert not any("no evaluative question" in r.children[0].value
                   for r in space.next.box.children[1:]), "the panel follows the save"

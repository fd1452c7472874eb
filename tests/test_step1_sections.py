"""Step 1's sections are built when first opened (dashboards/workspace/sections.py): opening
step 1 builds the identity card alone, another section is built when chosen (or when a next
action leads there), nothing typed is lost switching, and what one section changes reaches a
section built later."""

from __future__ import annotations

from collections import Counter

from ipywidgets.widgets.widget import _instances

from vises_nb.dashboards.workspace.app import Workspace
from vises_nb.store import model as m

SECTIONS = ["vises-section-identity", "vises-section-stakeholders", "vises-section-chain",
            "vises-section-questions", "vises-section-methods", "vises-section-notes"]


def made_by(action) -> list:
    before = set(_instances)
    action()
    return [w for k, w in _instances.items() if k not in before]


def test_opening_step1_builds_the_identity_card_alone(sample_copy, monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "enterprise=E07")
    space = Workspace(str(sample_copy), "en")
    made = made_by(lambda: space.open_tab(1))
    # all six sections made 621 models; the identity card and the row of sections ~190
    assert len(made) < 250, Counter(type(w).__name__ for w in made)
    assert space.step1_sections.built == ["vises-section-identity"]
    assert [type(e).__name__ for e in space.editors] == ["RecordForm"]
    tabs = space.step1_sections.box
    assert list(tabs.titles) == ["Identity card", "Stakeholders", "Impact chain",
                                 "Evaluative questions", "Methods",
                                 "Research-action notes"]
    assert tabs.selected_index == 0
    assert tabs.children[2].children == (), "the chain is not built yet"
    # the user chooses the chain: built then, with its diagram, elements and arrows
    chain = made_by(lambda: setattr(tabs, "selected_index", 2))
    assert len(chain) > 50
    assert space.step1_sections.built == ["vises-section-identity", "vises-section-chain"]
    assert "vises-section-chain" in tabs.children[2]._dom_classes
    assert "<svg" in space.chain_view.box.value
    # every section opened: what the page built at once before
    for index in range(6):
        tabs.selected_index = index
    assert space.step1_sections.built == SECTIONS
    assert len({id(e) for e in space.editors}) == 7  # six forms and the arrows
    # opening again builds nothing
    assert made_by(lambda: setattr(tabs, "selected_index", 2)) == []


def test_nothing_typed_is_lost_switching_sections_and_saving_refreshes_the_status(sample_copy):
    space = Workspace(str(sample_copy), "en")
    space.open_tab(1)
    identity = space.editors[0]
    identity.inputs["sector"].value = "typed, not saved"
    space.open_section("vises-section-notes")
    space.open_section("vises-section-identity")
    assert identity.inputs["sector"].value == "typed, not saved"
    assert space.dirty, "the page still guards the unsaved identity card"
    space.enterprise.value = space.enterprise.options[1][1]
    assert "not saved" in space.warning.value
    identity.inputs["name"].value = "Renamed while the notes were built"
    assert identity.save() is True
    assert "Renamed while the notes were built" in space.status.value


def test_a_question_saved_is_offered_in_methods_built_afterwards(sample_copy):
    space = Workspace(str(sample_copy), "en")
    space.open_tab(1)
    space.open_section("vises-section-questions")
    questions = next(e for e in space.editors if getattr(e, "name", "") == "questions")
    questions.choose("__new__")
    questions.form.inputs["text"].value = "Does the training lead to a job?"
    assert questions.form.save() is True  # the methods are not built: nothing to refresh
    assert space.methods_list is None
    space.open_section("vises-section-methods")
    assert any(label.startswith("Does the training lead to a job?")
               for label, _v in space.methods_list.chooser.options)


def test_a_next_action_builds_its_section_opens_and_marks_it(sample_copy):
    space = Workspace(str(sample_copy), "en")
    store = space.store
    enterprise_id = space.enterprise.value
    question, revision = store.get(m.EvaluativeQuestion,
                                   store.list(m.EvaluativeQuestion,
                                              enterprise_id=enterprise_id)[0].id)
    store.save(question.model_copy(update={"methods": []}), revision)
    space.render()
    go = next(r for r in space.next.box.children[1:]
              if "no data-collection method" in r.children[0].value.lower()
              or "method" in r.children[1].description.lower()).children[1]
    go.click()
    assert space.tabs.selected_index == 1
    sections = space.step1_sections
    assert sections.box.selected_index == SECTIONS.index("vises-section-methods")
    assert sections.built == ["vises-section-identity", "vises-section-methods"]
    assert "vises-target" in space.sections["vises-section-methods"]._dom_classes
    assert "vises-target" not in space.sections["vises-section-identity"]._dom_classes

"""Step 3 findings written in the workspace, without a browser, on real stores (a SQLite
file, and PostgreSQL when VISES_TEST_POSTGRES_URL is set): per evaluative question, the
accompanier's and the enterprise's reading beside the question's published figures;
checked as typed, conflict-safe, cleaned, nothing typed lost on a refused save; the step 3
check and the next-action panel ask for a finding on each question with results; writes
go through the access layer."""

from __future__ import annotations

import html

import pytest

from vises_nb import i18n
from vises_nb.analysis import disclosure, finding_needs, findings, next_actions, results, steps
from vises_nb.dashboards.access import GuardedStore
from vises_nb.dashboards.workspace import findings_form
from vises_nb.dashboards.workspace.app import Workspace
from vises_nb.errors import AccessError
from vises_nb.publishing.views import written_html
from vises_nb.store import accounts
from vises_nb.store import model as m
from vises_nb.store.loading import load_enterprise
from vises_nb.store.store import Store

PASSWORD = "correct horse battery"
FINDING = ("Le réseau des personnes suivies s'élargit surtout pour les plus jeunes ; "
           "nous ouvrirons un atelier le samedi.")


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, sample_copy, sample_cohort):
    """The sample cohort in a store of each kind (a private copy)."""
    if request.param == "sqlite":
        opened = Store.open(sample_copy)
    else:
        from vises_nb.sample.generator import store_cohort

        opened = Store.open(request.getfixturevalue("postgres_url"), create=True)
        store_cohort(sample_cohort, opened)
    yield opened
    opened.close()


def forget(store: Store, question_id: str) -> None:
    """Remove the findings written on a question (the sample writes one per author)."""
    for finding in store.list(m.QuestionFinding, question_id=question_id):
        store.delete(m.QuestionFinding, finding.id, store.get(m.QuestionFinding, finding.id)[1])


def question_text(store: Store, question_id: str) -> str:
    return store.get(m.EvaluativeQuestion, question_id)[0].text


# ------------------------------------------------------------------ what is needed

def test_a_question_with_results_needs_a_finding_before_step3_completes(store):
    data = load_enterprise(store, "E09")
    assert finding_needs.questions_with_results(data) == ["E09-Q1", "E09-Q2"]
    assert finding_needs.questions_without_finding(data) == []
    assert steps.step_problems(data, "3", "en") == [], "the sample wrote both"
    forget(store, "E09-Q1")
    data = load_enterprise(store, "E09")
    text = question_text(store, "E09-Q1")
    assert finding_needs.questions_without_finding(data) == [("E09-Q1", text)]
    problems = steps.step_problems(data, "3", "en")
    assert problems == [(f'No finding written for the evaluative question "{text}", '
                        "which has results.")]
    revision = steps.status_of(store, "E09", "3")[1]
    done, reasons = steps.complete(store, "E09", "3", "Anne", "en", revision=revision)
    assert (done, reasons) == (False, problems)
    assert store.get(m.StepStatus, ("E09", "3"))[0].status == "in_progress"

    actions = next_actions.next_actions(data, "fr")
    wanted = [a for a in actions if a.place == "findings"]
    assert [(a.target, a.tab, a.section, a.where("fr")) for a in wanted] == [
        ("E09-Q1", 3, "vises-section-findings", "Étape 3, Constats par question évaluative")]
    assert wanted[0].text.startswith("Écrire le constat de la question « En quoi notre")
    assert not any(a.place == "steps" for a in actions), "not offered for completion"

    panel = findings_form.Findings(store, "E09", "en")
    form = panel.questions["E09-Q1"].forms["enterprise"]
    assert "step 3 cannot be completed" in panel.questions["E09-Q1"].needed.value
    form.inputs["text"].value = FINDING
    assert form.save() is True
    assert panel.questions["E09-Q1"].needed.value == ""
    data = load_enterprise(store, "E09")
    assert steps.step_problems(data, "3", "en") == []
    assert next_actions.next_actions(data, "en")[0].place == "steps"
    done, _ = steps.complete(store, "E09", "3", "Anne", "en",
                             revision=steps.status_of(store, "E09", "3")[1])
    assert done


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_a_question_without_answers_needs_no_finding(store):
    """E01's question has an indicator with answers; a new question with only an indicator
    nobody answered yet does not hold step 3 back."""
    store.save(m.EvaluativeQuestion(id="E01-Q9", enterprise_id="E01", text="Et demain ?",
                                    purpose="improve"))
    indicator, revision = store.get(m.Indicator, "E01-positive_exit")  # no answer yet
    store.save(indicator.model_copy(update={"question_id": "E01-Q9"}), revision)
    data = load_enterprise(store, "E01")
    assert "E01-Q9" not in finding_needs.questions_with_results(data)
    assert [q for q, _t in finding_needs.questions_without_finding(data)] == ["E01-Q1"]


def test_one_finding_id_per_question_and_author_within_the_limit():
    assert finding_needs.finding_id("E09", "E09-Q1", "accompanier") == "E09-Q1-FA"
    assert finding_needs.finding_id("E09", "E09-Q1", "enterprise") == "E09-Q1-FE"
    long = "E09-" + "q" * 60
    made = {finding_needs.finding_id("E09", long, a) for a in ("accompanier", "enterprise")}
    assert len(made) == 2 and all(len(i) <= 64 for i in made)
    assert all(m.QuestionFinding(id=i, enterprise_id="E09", question_id=long, author="enterprise",
                                 text="x", language="fr") for i in made)
    assert finding_needs.finding_id("E09", long, "enterprise") != finding_needs.finding_id(
        "E10", long, "enterprise")


# ------------------------------------------------------------------ the figures beside

@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_the_figures_beside_are_the_published_ones_with_their_limits(store):
    panel = findings_form.Findings(store, "E01", "en")
    data = load_enterprise(store, "E01")
    published = disclosure.step3_publication(data.indicators, data.answers())
    expected = findings.question_findings(data, published.results, published.changes, "en")
    box = panel.questions["E01-Q1"]
    assert box.figures.value == findings_form.figures_html(expected[0], "en")
    shown = html.unescape(box.figures.value)
    # the driving licence's T0 figure is withheld by disclosure control: it says so, and
    # the unprotected proportion appears nowhere
    raw = results.indicator_results(data.indicators, data.answers())
    licence = raw[(raw["indicator_id"] == "E01-driving_licence")].iloc[0]
    assert pd_shown(licence["value"]) not in shown
    assert "not published (protects a small group of people)" in shown
    assert "1 figure(s) of this question are not published, to protect small groups " \
           "(fewer than 5 people)." in shown
    assert "Results rest on 14 respondents" in shown and "(n = 14)" in shown
    assert "No comparison group" in shown or "comparison group" in shown


def pd_shown(value: float) -> str:
    return i18n.percent(value, "en")


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_the_step3_report_holds_the_written_findings_beside_the_figures(store):
    form = findings_form.Findings(store, "E09", "nl").questions["E09-Q2"].forms["accompanier"]
    form.inputs["text"].value = "Wij <b>zien</b> vooruitgang\nen gaan verder."
    form.inputs["language"].value = "nl"
    assert form.save() is True
    data = load_enterprise(store, "E09")
    published = disclosure.step3_publication(data.indicators, data.answers())
    per_question = findings.question_findings(data, published.results, published.changes, "fr")
    q2 = next(f for f in per_question if f["question_id"] == "E09-Q2")
    assert [(w["author"], w["language"]) for w in q2["written"]] == [
        ("accompanier", "nl"), ("enterprise", "fr")]
    shown = written_html(q2, "fr")
    assert "<b>L&#x27;accompagnateur</b>" in shown
    assert "lang='nl'" in shown and "Wij &lt;b&gt;zien&lt;/b&gt; vooruitgang\nen" in shown
    assert "pre-line" in shown, "line breaks kept"
    empty = written_html({**q2, "written": []}, "en")
    assert "No finding written for this question yet." in empty


# ------------------------------------------------------------------ the form

def test_checked_as_typed_and_a_refused_save_keeps_what_was_typed(store):
    forget(store, "E09-Q1")
    panel = findings_form.Findings(store, "E09", "en")
    form = panel.questions["E09-Q1"].forms["accompanier"]
    assert form.revision is None and form.base["id"] == "E09-Q1-FA"
    assert form.inputs["language"].value == "fr", "the enterprise's language"
    too_long = "é" * 2001
    form.inputs["text"].value = too_long
    assert "Too long: 2000 characters at most." in form.messages["text"].value
    assert "2001 / 2000 characters" in form.count.value and "#b2182b" in form.count.value
    assert form.save() is False
    assert "vises-status-invalid" in form.status.value
    assert form.inputs["text"].value == too_long, "nothing typed lost"
    assert store.list(m.QuestionFinding, question_id="E09-Q1") == []
    form.inputs["text"].value = "  \n\t "
    assert "Required." in form.messages["text"].value
    assert form.save() is False
    # what the limit counts is the text as it will be stored: spaces around are dropped
    form.inputs["text"].value = "  " + "a" * 2000 + "  \n"
    assert form.messages["text"].value == "" and "2000 / 2000" in form.count.value
    assert form.save() is True
    assert store.get(m.QuestionFinding, "E09-Q1-FA")[0].text == "a" * 2000


def test_text_is_cleaned_as_every_text_and_shown_back_as_stored(store):
    form = findings_form.Findings(store, "E09", "en").questions["E09-Q1"].forms["enterprise"]
    form.inputs["text"].value = "Plus d'autonomie\r\npour tous\x1b[31m,\x0bsurtout\u2028les jeunes. "
    assert form.save() is True
    stored = store.get(m.QuestionFinding, "E09-Q1-FE")[0].text
    assert stored == "Plus d'autonomie\npour tous[31m,\nsurtout\nles jeunes."
    assert form.inputs["text"].value == stored and not form.dirty


def test_a_stale_save_is_refused_and_what_was_typed_stays_to_copy(store):
    panel = findings_form.Findings(store, "E09", "en")
    form = panel.questions["E09-Q1"].forms["accompanier"]
    record, revision = store.get(m.QuestionFinding, "E09-Q1-FA")
    store.save(record.model_copy(update={"text": "Written by a colleague"}), revision)
    form.inputs["text"].value = FINDING
    assert form.save() is False
    assert "vises-status-conflict" in form.status.value
    assert form.reload_button.layout.display == ""
    assert form.inputs["text"].value == FINDING, "nothing typed lost"
    assert store.get(m.QuestionFinding, "E09-Q1-FA")[0].text == "Written by a colleague"
    form.reload()
    assert form.inputs["text"].value == "Written by a colleague" and not form.dirty
    assert html.escape(FINDING) in form.kept.value, "what was typed is kept below, to copy"
    form.inputs["text"].value = "Written by a colleague. " + FINDING
    assert form.save() is True and form.kept.value == ""
    assert store.get(m.QuestionFinding, "E09-Q1-FA") == (
        m.QuestionFinding(id="E09-Q1-FA", enterprise_id="E09", question_id="E09-Q1",
                          author="accompanier", text="Written by a colleague. " + FINDING,
                          language="fr"), revision + 2)


def test_two_people_writing_the_same_new_finding_make_one_finding(store):
    forget(store, "E09-Q2")
    mine = findings_form.Findings(store, "E09", "en").questions["E09-Q2"].forms["enterprise"]
    theirs = findings_form.Findings(store, "E09", "en").questions["E09-Q2"].forms["enterprise"]
    theirs.inputs["text"].value = "Theirs"
    assert theirs.save() is True
    mine.inputs["text"].value = "Mine"
    assert mine.save() is False and "vises-status-conflict" in mine.status.value
    assert mine.inputs["text"].value == "Mine"
    assert [f.text for f in store.list(m.QuestionFinding, question_id="E09-Q2")] == ["Theirs"]
    mine.reload()
    assert mine.inputs["text"].value == "Theirs" and "Mine" in mine.kept.value


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_a_finding_removed_meanwhile_can_be_written_again(store):
    form = findings_form.Findings(store, "E09", "en").questions["E09-Q2"].forms["enterprise"]
    forget(store, "E09-Q2")
    form.inputs["text"].value = FINDING
    assert form.save() is False and form.inputs["text"].value == FINDING
    form.reload()
    assert form.revision is None and form.inputs["text"].value == ""
    assert html.escape(FINDING) in form.kept.value
    form.inputs["text"].value = FINDING
    assert form.save() is True
    assert store.get(m.QuestionFinding, "E09-Q2-FE")[1] == 1


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_a_question_removed_meanwhile_refuses_the_save_and_keeps_the_text(store):
    panel = findings_form.Findings(store, "E09", "en")
    form = panel.questions["E09-Q2"].forms["accompanier"]
    forget(store, "E09-Q2")
    for indicator in store.list(m.Indicator, question_id="E09-Q2"):
        record, revision = store.get(m.Indicator, indicator.id)
        store.save(record.model_copy(update={"question_id": None}), revision)
    store.delete(m.EvaluativeQuestion, "E09-Q2", store.get(m.EvaluativeQuestion, "E09-Q2")[1])
    form.inputs["text"].value = FINDING
    assert "removed meanwhile" in form.messages["text"].value
    assert form.save() is False
    assert store.list(m.QuestionFinding, question_id="E09-Q2") == []
    panel.refresh()  # the dirty form of the removed question stays, saying so
    assert panel.questions["E09-Q2"].forms["accompanier"].inputs["text"].value == FINDING
    assert "removed meanwhile" in panel.questions["E09-Q2"].figures.value
    form.discard()
    panel.refresh()
    assert list(panel.questions) == ["E09-Q1"]


# ------------------------------------------------------------------ the workspace

@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_the_next_action_opens_the_questions_form_and_follows_the_save(store, sample_copy):
    forget(store, "E09-Q2")
    space = Workspace(str(sample_copy), "en")
    store = space.store
    space.accompanier.value = store.get(m.Enterprise, "E09")[0].accompanier_id
    space.enterprise.value = "E09"
    row = next(r for r in space.next.box.children[1:]
               if "Write the finding" in r.children[0].value)
    go = row.children[1]
    assert go.description == "→ Step 3, Findings per evaluative question"
    assert "vises-next-go-findings" in go._dom_classes
    go.click()
    assert space.tabs.selected_index == 3
    box = space.findings.questions["E09-Q2"].box
    assert "vises-target" in box._dom_classes
    assert "vises-target" not in space.sections["vises-section-findings"]._dom_classes
    form = space.findings.questions["E09-Q2"].forms["accompanier"]
    form.inputs["text"].value = FINDING
    assert space.dirty, "switching enterprise is refused while it is unsaved"
    assert form.save() is True
    assert not any("Write the finding" in r.children[0].value
                   for r in space.next.box.children[1:]), "the panel follows the save"
    assert not space.dirty


# ------------------------------------------------------------------ the access layer

@pytest.fixture
def people(store):
    followed: dict[str, list[str]] = {}
    for e in store.list(m.Enterprise):
        followed.setdefault(e.accompanier_id, []).append(e.id)
    owner = store.get(m.Enterprise, "E09")[0].accompanier_id
    other = next(a for a in sorted(followed) if a and a != owner)
    accounts.add_person(store, "anna", "accompanier", PASSWORD, accompanier_id=owner)
    accounts.add_person(store, "bert", "accompanier", PASSWORD, accompanier_id=other)
    accounts.add_person(store, "coco", "coordinator", PASSWORD)
    accounts.add_person(store, "mia", "member", PASSWORD, enterprise_id="E09")
    return store


def test_findings_are_written_through_the_access_layer(people):
    store = people
    anna = GuardedStore(store, "anna")
    form = findings_form.Findings(anna, "E09", "en").questions["E09-Q1"].forms["accompanier"]
    form.inputs["text"].value = FINDING
    assert form.save() is True
    change = anna.history("E09")[0]
    assert (change["changed_by"], change["table_name"], change["record_key"]) == (
        "anna", "question_findings", "E09-Q1-FA")

    with pytest.raises(AccessError):  # another accompanier's enterprise: nothing to open
        findings_form.Findings(GuardedStore(store, "bert"), "E09", "en")
    # a form kept open by anna while E09 is handed to bert's accompanier: refused, kept
    enterprise, revision = store.get(m.Enterprise, "E09")
    bert_id = accounts.get_person(store, "bert").accompanier_id
    store.save(enterprise.model_copy(update={"accompanier_id": bert_id}), revision)
    form.inputs["text"].value = FINDING + " Encore."
    assert form.save() is False
    assert "vises-status-conflict" in form.status.value and "refused" in form.status.value.lower()
    assert form.inputs["text"].value == FINDING + " Encore."
    assert store.get(m.QuestionFinding, "E09-Q1-FA")[0].text == FINDING
    # a member reads their enterprise but writes nothing (yet)
    member = findings_form.Findings(GuardedStore(store, "mia"), "E09", "en")
    mine = member.questions["E09-Q2"].forms["enterprise"]
    mine.inputs["text"].value = "Nous"
    assert mine.save() is False
    assert [r["username"] for r in accounts.security_log(store, "refused")].count("mia") == 1
    # the coordinator writes everywhere
    coco = findings_form.Findings(GuardedStore(store, "coco"), "E09", "en")
    coco.questions["E09-Q2"].forms["enterprise"].inputs["text"].value = "Écrit par la coordination"
    assert coco.questions["E09-Q2"].forms["enterprise"].save() is True
    assert store.get(m.QuestionFinding, "E09-Q2-FE")[0].text == "Écrit par la coordination"


def test_a_finding_cannot_be_moved_into_another_enterprise(people):
    store = people
    anna = GuardedStore(store, "anna")
    form = findings_form.Findings(anna, "E09", "en").questions["E09-Q1"].forms["enterprise"]
    owner = store.get(m.Enterprise, "E09")[0].accompanier_id
    other = next(q for q in store.list(m.EvaluativeQuestion)
                 if store.get(m.Enterprise, q.enterprise_id)[0].accompanier_id != owner)
    # as a forged widget message might try: the record moved to another's question
    form.base.update(enterprise_id=other.enterprise_id, question_id=other.id)
    form.inputs["text"].value = FINDING
    assert form.errors() == {}, "the question exists: only the access layer can refuse"
    assert form.save() is False
    assert "refused" in form.status.value.lower()
    assert store.get(m.QuestionFinding, "E09-Q1-FE")[0].enterprise_id == "E09"
    assert store.list(m.QuestionFinding, question_id=other.id) == []
    assert [r["username"] for r in accounts.security_log(store, "refused")] == ["anna"]


def test_a_new_question_reaches_the_findings_and_unsaved_text_survives(sample_copy):
    space = Workspace(str(sample_copy), "en")
    store = space.store
    space.accompanier.value = store.get(m.Enterprise, "E09")[0].accompanier_id
    space.enterprise.value = "E09"
    space.open_tab(1)
    space.open_tab(3)
    typing = space.findings.questions["E09-Q1"].forms["enterprise"]
    typing.inputs["text"].value = FINDING  # not saved yet
    store.save(m.EvaluativeQuestion(id="E09-Q3", enterprise_id="E09", purpose="improve",
                                    text="Les bénévoles restent-ils plus longtemps ?"))
    space._questions_changed()  # what step 1's question list calls after a save
    assert list(space.findings.questions) == ["E09-Q1", "E09-Q2", "E09-Q3"]
    assert typing.inputs["text"].value == FINDING and space.dirty
    new = space.findings.questions["E09-Q3"]
    assert "No publishable figure for this question" in html.unescape(new.figures.value)
    assert new.needed.value == "", "no answers yet: no finding required"
    space.discard_all()
    assert not space.dirty
    assert typing.inputs["text"].value == store.get(m.QuestionFinding, "E09-Q1-FE")[0].text

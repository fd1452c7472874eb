"""One NEW enterprise walked from an empty step 1 to a completed step 3 through the
workspace only, in a real browser (`vises serve` in French, Debian's chromium).

The enterprise is created by `vises enrol` of a one-line roster (CSV), as a coordinator
would; everything after that is done in the workspace's forms: the identity card, a
stakeholder, the impact chain's five levels with an arrow (the diagram draws it), an
evaluative question with its stakeholders and methods, step 1 completed; a catalogue
indicator attached to the question, the questionnaire downloaded from the page, a
KoboToolbox-shaped export of six respondents (written from that questionnaire) imported with
it, step 2 completed; a verbatim coded and marked publishable, a finding written, step 3
completed. Then `vises run` publishes a step 3 report holding that finding and that verbatim.
The store is read at each milestone: the rows are saved, not just clicked."""

from __future__ import annotations

import base64
import csv
import io
import shutil

import openpyxl
import pytest
import workspace_walk as walk
from serving import unexpected_tracebacks, vises_serve

from vises_nb.dashboards.workspace.step2 import ALL, catalogue_choices
from vises_nb.store import model as m
from vises_nb.store.store import Store

pytestmark = pytest.mark.slow
TOKEN = "test-token-whole-journey-3b7f"
ENTERPRISE = "E90"
NAME = "La Recyclerie du Val"
IDENTITY = {"legal_form": "ASBL", "sector": "Réemploi et recyclage",
            "social_needs": "Des personnes éloignées de l'emploi depuis longtemps.",
            "missions": "Former et remettre au travail par la réparation d'objets.",
            "activities": "Collecte, tri, réparation et vente d'objets de seconde main.",
            "territory": "La vallée et ses communes rurales."}
CHAIN = [("resource", "Ressources", "Atelier et encadrants"),
         ("activity", "Activités", "Formation à la réparation"),
         ("output", "Réalisations", "Stagiaires formés"),
         ("outcome", "Résultats", "Confiance retrouvée"),
         ("impact", "Impacts", "Insertion durable")]
QUESTION = "La formation à la réparation améliore-t-elle le bien-être des stagiaires ?"
VERBATIM = "Depuis que je répare des vélos ici, je dors mieux et je me lève avec envie"
FINDING = ("Le bien-être déclaré par les stagiaires est encourageant dès l'entrée : "
           "nous le mesurerons de nouveau à la sortie pour voir ce qui change.")
RESPONDENTS = 6
KOBO_META = ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
             "_submitted_by", "__version__", "_tags", "_index"]


@pytest.fixture
def served(sample_db, tmp_path):
    """The sample cohort plus one enterprise enrolled from a one-line roster, nothing else."""
    from vises_nb.cli import main

    store_path = tmp_path / "vises.sqlite"
    shutil.copy(sample_db, store_path)
    store = Store.open(store_path)
    accompanier = store.list(m.Accompanier)[0]
    store.close()
    roster = tmp_path / "roster.csv"
    roster.write_text("Id;Name;Pole;Region;Language;Accompanier\n"
                      f"{ENTERPRISE};{NAME};insertion;Wallonie;fr;{accompanier.id}\n",
                      encoding="utf-8")
    assert main(["enrol", "--store", str(store_path), str(roster)]) == 0
    store = Store.open(store_path)
    assert store.get(m.Enterprise, ENTERPRISE)[0].name == NAME
    for model in (m.ChainElement, m.EvaluativeQuestion, m.Indicator, m.Excerpt,
                  m.QuestionFinding):  # an empty step 1
        assert store.list(model, enterprise_id=ENTERPRISE) == []
    store.close()
    with vises_serve(store_path, tmp_path, TOKEN, lang="fr") as (base, log):
        yield base, store_path, log, accompanier


def read(store_path, model, **where) -> list:
    store = Store.open(store_path)
    try:
        return store.list(model, enterprise_id=ENTERPRISE, **where)
    finally:
        store.close()


def new(page, name: str):
    """Open a new record's form and wait until the kernel has emptied it: a click sent
    before then would land on the previous record's boxes (ticked ones untick)."""
    page.locator(f".vises-add-{name}").click()
    form = page.locator(f".vises-form-{name}")
    page.wait_for_function(
        "sel => { const f = document.querySelector(sel); return f && f.offsetParent !== null"
        " && [...f.querySelectorAll('input[type=text], textarea')].every(i => i.value === '')"
        " && ![...f.querySelectorAll('input[type=checkbox]')].some(c => c.checked) }",
        arg=f".vises-form-{name}", timeout=30_000)
    return form


def tick(form, field: str, label: str) -> None:
    form.locator(f".vises-field-{field}").get_by_label(label, exact=True).check()


def upload(page, button, payload: dict) -> None:
    """Choose a file in an upload button, as a person does (its file chooser), and wait
    until the button counts it (the bytes have reached the kernel's widget)."""
    with page.expect_file_chooser() as chooser:
        button.click()
    chooser.value.set_files(payload)
    page.wait_for_function("el => el.innerText.includes('(1)')", arg=button.element_handle(),
                           timeout=30_000)


def step_done(store_path, step: str) -> bool:
    store = Store.open(store_path)
    try:
        status = store.get(m.StepStatus, (ENTERPRISE, step))[0]
    finally:
        store.close()
    return status.status == "done" and status.completed_on is not None


def kobo_export(questionnaire: bytes) -> bytes:
    """A KoboToolbox CSV export (';', group paths, meta columns) of the downloaded
    questionnaire, answered by RESPONDENTS people at T0 with its choices' names."""
    book = openpyxl.load_workbook(io.BytesIO(questionnaire))
    columns, group, scales = [], None, {}
    for kind, name, *_ in book["survey"].iter_rows(min_row=2, values_only=True):
        if kind == "begin_group":
            group = name
        elif kind == "end_group":
            group = None
        elif kind and kind.startswith("select_one") and name != "wave":
            columns.append((f"{group}/{name}" if group else name, kind.split()[1]))
    for list_name, name, *_ in book["choices"].iter_rows(min_row=2, values_only=True):
        scales.setdefault(list_name, []).append(name)
    assert columns, "the questionnaire asks the indicator's items"
    rows = [["start", "end", "respondent_code", "wave", *(c for c, _ in columns), *KOBO_META]]
    for k in range(RESPONDENTS):
        answers = [scales[s][(k + j) % len(scales[s])] for j, (_, s) in enumerate(columns)]
        rows.append([f"2026-03-02T09:1{k}:00.000+01:00", f"2026-03-02T09:2{k}:00.000+01:00",
                     f"R-{k + 1:02d}", "T0", *answers, str(1000 + k),
                     f"6f1c2d3e-0000-4000-8000-00000000000{k}", f"2026-03-02T08:30:0{k}", "",
                     "", "submitted_via_web", "", "vHq8e2Lk", "", str(k + 1)])
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    return out.getvalue().encode("utf-8")


def test_a_new_enterprise_walks_from_an_empty_step1_to_a_published_step3(
        served, browser, tmp_path):
    base, store_path, log, accompanier = served
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    walk.open_workspace(page, base, TOKEN)
    walk.choose_enterprise(page, accompanier, ENTERPRISE, NAME)

    # step 1: the identity card
    page.get_by_role("tab", name=walk.STEP1).click()
    identity = page.locator(".vises-form-identity")
    identity.wait_for(timeout=60_000)
    for name, value in IDENTITY.items():
        identity.locator(f".vises-field-{name} input, .vises-field-{name} textarea").fill(value)
    walk.saved(identity)
    store = Store.open(store_path)
    enterprise = store.get(m.Enterprise, ENTERPRISE)[0]
    store.close()
    assert {name: getattr(enterprise, name) for name in IDENTITY} == IDENTITY

    # a stakeholder, involved in step 2
    walk.open_section(page, "stakeholders")  # each section is built when first opened
    stakeholder = new(page, "stakeholders")
    stakeholder.locator(".vises-field-involvement_step2 select").select_option(label="Consulté")
    walk.saved(stakeholder)
    assert [(s.category, s.involvement_step2) for s in read(store_path, m.Stakeholder)] == [
        ("workers", "consulted")]

    # the chain: one element per level, each with its dimension
    walk.open_section(page, "chain")
    for level, level_label, label in CHAIN:
        chain_form = new(page, "chain")
        chain_form.locator(".vises-field-level select").select_option(label=level_label)
        chain_form.locator(".vises-field-label input").fill(label)
        tick(chain_form, "dimensions", "Sociale")
        walk.saved(chain_form)
    elements = {e.level: e for e in read(store_path, m.ChainElement)}
    assert {(e.level, e.label, tuple(e.dimensions)) for e in elements.values()} == {
        (level, label, ("social",)) for level, _, label in CHAIN}

    # an arrow from the resources to the activity, drawn in the diagram
    diagram = page.locator(".vises-section-chain svg.vises-chain-diagram")
    diagram.wait_for(timeout=30_000)
    assert diagram.locator("polyline").count() == 0
    walk.add_arrow(page, elements["resource"], elements["activity"], 1)
    assert diagram.locator("polyline").first.get_attribute("marker-end").startswith("url(#")
    assert [(a.source_id, a.target_id) for a in read(store_path, m.ChainLink)] == [
        (elements["resource"].id, elements["activity"].id)]

    # an evaluative question, its stakeholders and its method
    walk.open_section(page, "questions")
    question_form = new(page, "questions")
    question_form.locator(".vises-field-text textarea").fill(QUESTION)
    tick(question_form, "dimensions", "Sociale")
    tick(question_form, "stakeholders", "Travailleurs")
    walk.saved(question_form)
    methods = walk.choose_question_for_methods(page, QUESTION)
    tick(methods, "methods", "Questionnaire")
    walk.saved(methods.locator(".vises-form-methods"))
    [question] = read(store_path, m.EvaluativeQuestion)
    assert (question.text, question.dimensions, question.stakeholders, question.methods) == (
        QUESTION, ["social"], ["workers"], ["questionnaire"])

    walk.complete(page, "1")
    assert step_done(store_path, "1")

    # step 2: a catalogue indicator attached to the question
    pick_label, pick_code = catalogue_choices("insertion", ALL, "fr")[0]
    walk.add_picked_to(page, walk.pick_from_catalogue(page, pick_label), QUESTION)
    [indicator] = read(store_path, m.Indicator)
    assert (indicator.code, indicator.question_id) == (pick_code, question.id)
    items = read(store_path, m.Item)
    assert items and {i.indicator_id for i in items} == {indicator.id}

    # the questionnaire downloaded from the page; the people's answers exported from
    # KoboToolbox are imported with it
    link = walk.make_questionnaire(page)
    questionnaire = base64.b64decode(link.get_attribute("href").split("base64,", 1)[1])
    files = page.locator(".vises-section-files")
    files.locator(".vises-upload-wave select").select_option(label="T0 — entrée")
    upload(page, files.locator(".vises-upload-export"),
           {"name": f"{ENTERPRISE}_vises_2026-03-02.csv", "mimeType": "text/csv",
            "buffer": kobo_export(questionnaire)})
    upload(page, files.locator(".vises-upload-form"),
           {"name": f"questionnaire-{ENTERPRISE}.xlsx", "buffer": questionnaire,
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
    files.locator(".vises-upload-import").click()
    files.locator(".vises-import-ok").wait_for(timeout=60_000)
    assert f"{RESPONDENTS} répondant(s)" in files.locator(".vises-import-report").inner_text()
    store = Store.open(store_path)
    answers = store.frame("responses", ENTERPRISE)
    store.close()
    assert answers["respondent_id"].nunique() == RESPONDENTS
    assert len(answers.dropna(subset=["value"])) == RESPONDENTS * len(items)

    walk.complete(page, "2")
    assert step_done(store_path, "2")

    # step 3: a verbatim coded and marked publishable
    page.get_by_role("tab", name=walk.STEP3).click()
    walk.code_verbatim(page, new(page, "verbatims"), VERBATIM, "Sociale", indicator.name,
                       "T0 — entrée")
    [verbatim] = read(store_path, m.Excerpt)
    assert (verbatim.text, verbatim.dimension, verbatim.indicator_id, verbatim.wave_code,
            verbatim.publishable) == (VERBATIM, "social", indicator.id, "T0", True)

    # the finding of the question, written beside its figures
    form = page.locator(f".vises-finding-{question.id} .vises-form-finding-accompanier")
    form.wait_for(timeout=60_000)
    form.locator(".vises-field-text textarea").fill(FINDING)
    walk.saved(form)
    [finding] = read(store_path, m.QuestionFinding)
    assert (finding.question_id, finding.author, finding.text) == (
        question.id, "accompanier", FINDING)

    walk.complete(page, "3")
    assert step_done(store_path, "3")
    page.close()
    assert unexpected_tracebacks(log.read_text()) == []

    # `vises run` publishes the step 3 report holding the finding and the verbatim
    report = walk.publish_step3(store_path, tmp_path / "reports", ENTERPRISE)
    assert FINDING in report
    assert VERBATIM in report
    section = report[report.index(QUESTION):]  # under the question, with its figures
    assert f"(n = {RESPONDENTS})" in section[:section.index(FINDING)]
    assert VERBATIM in section[:section.index(FINDING)]
    after = section[section.index(FINDING):]  # the question's own limits, then the report's
    assert "Limites de ces chiffres" in after[:after.index("Limites à garder en tête")], \
        "the question's limits have their own heading, not the report's section's twice in a row"

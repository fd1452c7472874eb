"""One enterprise walked through the workspace's new forms in a real browser (`vises serve`
in French, preheated kernels, Debian's chromium): the chain shown as a diagram with its
arrows, a question, a catalogue indicator attached to it, a verbatim coded and marked
publishable, a refused completion, a step reopened and completed; then `vises run`
publishes a step 3 report holding that verbatim. Also: labels never cut at 1280 px and at
200 % zoom, errors tied to their field for screen readers, titles in the served language."""

from __future__ import annotations

import shutil

import pytest
import workspace_walk as walk
from serving import vises_serve

from vises_nb.analysis import chain_links as cl
from vises_nb.dashboards.workspace.app import STEP1_SECTIONS
from vises_nb.dashboards.workspace.step2 import ALL, catalogue_choices
from vises_nb.store import model as m
from vises_nb.store.store import Store

pytestmark = pytest.mark.slow
TOKEN = "test-token-journey-5d1e"
QUESTION = "Le permis de conduire ouvre-t-il l'accès à un emploi durable ?"
VERBATIM = "Avec le permis je peux enfin accepter un travail loin de chez moi"

CUT_LABELS = """() => [...document.querySelectorAll(
    '.widget-label, .widget-label-basic span, .lm-TabBar-tabLabel, .jupyter-button')]
  .filter(el => el.offsetParent !== null && el.clientWidth > 0)
  .filter(el => el.scrollWidth > el.clientWidth + 1)
  .map(el => el.textContent)"""


@pytest.fixture(scope="module")
def served(sample_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("journey")
    store_path = folder / "vises.sqlite"
    shutil.copy(sample_db, store_path)
    with vises_serve(store_path, folder, TOKEN, lang="fr") as (base, _log):
        yield base, store_path


def first_enterprise(store: Store) -> m.Enterprise:
    accompanier = store.list(m.Accompanier)[0]
    return store.list(m.Enterprise, accompanier_id=accompanier.id)[0]


def status_of(step) -> str:
    """The status a step's row shows (data-status), once it shows one."""
    shown = step.locator(".vises-step-status[data-status]")
    shown.wait_for(timeout=30_000)
    return shown.get_attribute("data-status")


def test_one_enterprise_walks_through_the_new_forms_then_the_report_shows_its_verbatim(
        served, browser, tmp_path):
    base, store_path = served
    store = Store.open(store_path)
    enterprise = first_enterprise(store)
    elements, links = cl.chain_of(store, enterprise.id)
    ordered = cl.by_level(elements.values())
    source = next(e for e in ordered if e.level == "resource")
    target = next(e for e in ordered if e.level == "outcome"
                  and cl.link_problem(source.id, e.id, elements, links) is None)
    known = {i.code for i in store.list(m.Indicator, enterprise_id=enterprise.id)}
    pick_label, pick_code = next((label, code) for label, code in
                                 catalogue_choices(enterprise.pole, ALL, "fr")
                                 if code not in known)
    store.close()

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    walk.open_workspace(page, base, TOKEN)
    page.locator(".vises-card h2").wait_for(timeout=30_000)
    # the title and intro in the served language; Voila's page says which
    assert page.locator("h1.vises-title").inner_text() == "Espace de travail de l'accompagnateur"
    assert page.evaluate("document.documentElement.lang") == "fr"
    body = page.locator("body").inner_text()
    assert "VISES_STORE" not in body and "Accompanier workspace" not in body
    assert page.evaluate(CUT_LABELS) == []

    # step 1: the chain as a diagram, redrawn when an arrow is added
    page.get_by_role("tab", name=walk.STEP1).click()
    walk.open_section(page, "chain")  # step 1's sections are built when first opened
    diagram = page.locator(".vises-section-chain svg.vises-chain-diagram")
    diagram.wait_for(timeout=30_000)
    assert diagram.locator("polyline").count() == len(links)
    assert diagram.locator("polyline").first.get_attribute("marker-end").startswith("url(#")
    walk.add_arrow(page, source, target, len(links) + 1)
    assert page.evaluate(CUT_LABELS) == []

    # an evaluative question, its stakeholders ticked in a checkbox list, and its methods
    walk.open_section(page, "questions")
    page.locator(".vises-add-questions").click()
    question_form = page.locator(".vises-form-questions")
    question_form.locator(".vises-field-text textarea").fill(QUESTION)
    question_form.locator(".vises-field-dimensions").get_by_text("Économique",
                                                                 exact=True).click()
    question_form.locator(".vises-field-stakeholders").get_by_text("Travailleurs",
                                                                   exact=True).click()
    walk.saved(question_form)
    methods = walk.choose_question_for_methods(page, QUESTION)
    methods.locator(".vises-field-methods").get_by_text("Questionnaire", exact=True).click()
    walk.saved(methods.locator(".vises-form-methods"))
    store = Store.open(store_path)
    question = next(q for q in store.list(m.EvaluativeQuestion, enterprise_id=enterprise.id)
                    if q.text == QUESTION)
    assert question.dimensions == ["economic"] and question.methods == ["questionnaire"]
    store.close()

    # step 2: a catalogue pick asks for the question, then is attached to it
    plan = walk.pick_from_catalogue(page, pick_label)
    plan.locator(".vises-catalogue-add").click()
    walk.catalogue_message(page, "Choisissez d")
    walk.add_picked_to(page, plan, QUESTION)
    # the new indicator opened in its form: a wrong population is tied to its field
    indicator_form = plan.locator(".vises-form-indicators")
    population = indicator_form.locator(".vises-field-population input")
    population.fill("beaucoup")
    walk.invalid_is(page, ".vises-field-population input", True)
    described = walk.described_by(page, ".vises-field-population input")
    assert "nombre entier" in described and "personnes concernées" in described
    population.fill("40")
    walk.invalid_is(page, ".vises-field-population input", False)
    indicator_form.locator(".vises-field-breakdowns").get_by_text("Sexe", exact=True).click()
    walk.saved(indicator_form)
    store = Store.open(store_path)
    indicator = next(i for i in store.list(m.Indicator, enterprise_id=enterprise.id)
                     if i.code == pick_code)
    assert (indicator.question_id, indicator.population, indicator.breakdowns) == (
        question.id, 40, ["sex"])
    store.close()
    # the questionnaire's download link looks like a link
    link = walk.make_questionnaire(page)
    assert "underline" in link.evaluate("a => getComputedStyle(a).textDecorationLine")

    # step 3: a verbatim coded and marked publishable, shown as the report will show it
    page.get_by_role("tab", name=walk.STEP3).click()
    page.locator(".vises-add-verbatims").click()
    walk.code_verbatim(page, page.locator(".vises-form-verbatims"), VERBATIM,
                       "Territoriale", indicator.name, "T1 — sortie")

    # progress: step 2 refused (the new indicator has no data), step 1 reopened, completed
    page.get_by_role("tab", name=walk.PROGRESS).click()
    page.locator(".vises-step-2 .vises-step-complete").click()
    refused = page.locator(".vises-step-2 .vises-step-message")
    page.locator(".vises-step-2 .vises-step-refused").wait_for(timeout=30_000)
    assert indicator.name in refused.inner_text()
    step1 = page.locator(".vises-step-1")
    if status_of(step1) == "done":  # read from the status shown, not a button's visibility
        step1.locator(".vises-step-reason input").fill("Nouvelle question évaluative")
        step1.locator(".vises-step-reopen").click()
        step1.locator(".vises-step-status[data-status='in_progress']").wait_for(timeout=30_000)
    step1.locator(".vises-step-complete").click()
    step1.locator(".vises-step-status[data-status='done']").wait_for(timeout=30_000)
    step3 = page.locator(".vises-step-3")  # started, so that its report is due
    if status_of(step3) == "not_started":
        step3.locator(".vises-step-start").click()  # waits for the button to be shown
    step3.locator(".vises-step-status[data-status='in_progress']").wait_for(timeout=30_000)
    history = page.locator(".vises-step-history").inner_text()
    assert "Clôture refusée" in history and "Terminée" in history
    store = Store.open(store_path)
    status = store.get(m.StepStatus, (enterprise.id, "1"))[0]
    events = {e.action for e in store.list(m.StepEvent, enterprise_id=enterprise.id)}
    store.close()
    assert status.status == "done" and status.completed_on is not None
    assert {"refused", "completed"} <= events

    # the next-action panel names what is left for step 2 and opens its form
    go = page.locator(".vises-next-go-files")
    go.wait_for(timeout=30_000)
    go.click()
    page.locator(".vises-section-files.vises-target").wait_for(timeout=30_000)

    # 200 % zoom: the same page at half the width keeps every label whole
    page.set_viewport_size({"width": 640, "height": 900})
    page.get_by_role("tab", name=walk.STEP1).click()
    for section in STEP1_SECTIONS:  # each section of step 1, shown in turn
        walk.open_section(page, section)
        assert page.evaluate(CUT_LABELS) == [], section
    page.close()

    # `vises run` publishes a step 3 report holding the verbatim
    assert VERBATIM in walk.publish_step3(store_path, tmp_path / "reports", enterprise.id)

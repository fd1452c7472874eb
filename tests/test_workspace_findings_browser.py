"""A finding written in the workspace in a real browser (`vises serve` in French, Debian's
chromium), then published by `vises run` in the step 3 report beside the figures.

The next-action panel proposes the missing finding and opens its question's form; the step
3 completion is refused while it is missing; a too long text and a stale save are refused
with the text still in the field (the message tied to it for screen readers); reloading
the colleague's version keeps what was typed below, to copy; the saved finding completes
step 3 and reaches the step 3 report and the valorisation one-pager."""

from __future__ import annotations

import html
import shutil

import pytest
import workspace_walk as walk
from playwright.sync_api import expect
from serving import unexpected_tracebacks, vises_serve

from vises_nb.store import model as m
from vises_nb.store.store import Store

pytestmark = pytest.mark.slow
TOKEN = "test-token-findings-8c2a"
ENTERPRISE = "E09"
QUESTION = "E09-Q1"
FINDING = ("Le réseau des personnes suivies s'élargit, surtout chez les plus jeunes : "
           "nous ouvrirons un atelier du samedi avec les anciens stagiaires.")
COLLEAGUE = "Texte écrit entre-temps par une collègue."
FORM = f".vises-finding-{QUESTION} .vises-form-finding-accompanier"


@pytest.fixture
def served(sample_db, tmp_path):
    store_path = tmp_path / "vises.sqlite"
    shutil.copy(sample_db, store_path)
    store = Store.open(store_path)
    for finding in store.list(m.QuestionFinding, question_id=QUESTION):  # none written yet
        store.delete(m.QuestionFinding, finding.id, store.get(m.QuestionFinding, finding.id)[1])
    store.close()
    with vises_serve(store_path, tmp_path, TOKEN, lang="fr") as (base, log):
        yield base, store_path, log


def test_a_finding_written_in_the_workspace_is_published_in_the_step3_report(
        served, browser, tmp_path):
    base, store_path, log = served
    store = Store.open(store_path)
    enterprise = store.get(m.Enterprise, ENTERPRISE)[0]
    accompanier = store.get(m.Accompanier, enterprise.accompanier_id)[0]
    question = store.get(m.EvaluativeQuestion, QUESTION)[0]
    store.close()

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    walk.open_workspace(page, base, TOKEN)
    walk.choose_enterprise(page, accompanier, enterprise.id, enterprise.name)

    # step 3 cannot be completed: the question has results and no finding
    page.locator(".vises-step-3 .vises-step-complete").click()
    page.locator(".vises-step-3 .vises-step-refused").wait_for(timeout=30_000)
    assert "Aucun constat écrit pour la question évaluative" in page.locator(
        ".vises-step-3 .vises-step-message").inner_text()

    # the next action names the question and opens its form
    go = page.locator(".vises-next-go-findings")
    go.wait_for(timeout=30_000)
    assert go.count() == 1
    expect(page.locator(".vises-next")).to_contain_text(  # its text: a widget of its own
        "Écrire le constat de la question « En quoi notre")
    go.click()
    box = page.locator(f".vises-finding-{QUESTION}.vises-target")
    box.wait_for(timeout=60_000)
    # beside the form, the question's figures as the report publishes them, with limits
    figures = box.locator(".vises-finding-figures").inner_text()
    assert "(n = " in figures and "Limites" in figures
    assert "Sans groupe de comparaison" in figures
    assert question.text in box.locator(".vises-finding-title").inner_text()

    text = page.locator(f"{FORM} .vises-field-text textarea")
    form = page.locator(FORM)
    # too long: refused as typed, the message tied to the field, the text kept
    too_long = "é" * 2001
    text.fill(too_long)
    walk.invalid_is(page, f"{FORM} .vises-field-text textarea", True)
    described = walk.described_by(page, f"{FORM} .vises-field-text textarea")
    assert "2000 caractères au plus" in described and "pour qui" in described
    expect(form.locator(".vises-finding-count")).to_contain_text("2001 / 2000 caractères")
    form.locator(".vises-save").click()
    form.locator(".vises-status-invalid").wait_for(timeout=30_000)
    assert text.input_value() == too_long

    # a colleague writes the same finding meanwhile: my save is refused, my text kept
    store = Store.open(store_path)
    store.save(m.QuestionFinding(id=f"{QUESTION}-FA", enterprise_id=ENTERPRISE,
                                 question_id=QUESTION, author="accompanier", text=COLLEAGUE,
                                 language="fr"))
    store.close()
    text.fill(FINDING)
    walk.invalid_is(page, f"{FORM} .vises-field-text textarea", False)
    form.locator(".vises-save").click()
    form.locator(".vises-status-conflict").wait_for(timeout=30_000)
    assert text.input_value() == FINDING
    form.locator(".vises-reload").click()
    page.wait_for_function("([sel, v]) => document.querySelector(sel)?.value === v",
                           arg=[f"{FORM} .vises-field-text textarea", COLLEAGUE],
                           timeout=30_000)
    page.wait_for_function(  # what was typed stays below, to copy
        "([sel, v]) => document.querySelector(sel)?.innerText.includes(v)",
        arg=[f"{FORM} .vises-finding-kept", FINDING], timeout=30_000)

    # written on top of the colleague's version, saved
    text.fill(FINDING)
    form.locator(".vises-save").click()
    form.locator(".vises-status-saved").wait_for(timeout=30_000)
    store = Store.open(store_path)
    saved, revision = store.get(m.QuestionFinding, f"{QUESTION}-FA")
    store.close()
    assert (saved.text, saved.author, revision) == (FINDING, "accompanier", 2)
    page.wait_for_function("() => !document.querySelector('.vises-next-go-findings')",
                           timeout=30_000)

    # now step 3 completes
    walk.complete(page, "3")
    page.close()
    assert unexpected_tracebacks(log.read_text()) == []

    # `vises run` publishes it in the step 3 report, beside the figures, and the one-pager
    reports = tmp_path / "reports"
    report = walk.publish_step3(store_path, reports, ENTERPRISE)
    assert FINDING in report and COLLEAGUE not in report
    section = report[report.index(question.text):]
    assert section.index("Lecture des résultats") < section.index(FINDING), \
        "under the question, beside its figures"
    one_pager = (reports / ENTERPRISE / "valorisation.fr.html").read_text(encoding="utf-8")
    assert FINDING in html.unescape(one_pager)

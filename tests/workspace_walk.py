"""The steps of a walk through the workspace in Chromium (`vises serve` in French), shared
by the journey, whole-journey and findings browser tests: each helper does one thing a
person does in the page and waits until the page shows it done (no pytest needed here)."""

from __future__ import annotations

import html
from pathlib import Path

from vises_nb import i18n
from vises_nb.analysis import chain_links as cl
from vises_nb.dashboards.workspace.app import STEP1_SECTIONS

# The French tabs of the workspace
STEP1, STEP2, STEP3, PROGRESS = ("Étape 1 · Diagnostic", "Étape 2 · Indicateurs",
                                 "Étape 3 · Verbatims", "Avancement")


def open_workspace(page, base: str, token: str) -> None:
    """The workspace, once its next-action panel is drawn."""
    page.goto(f"{base}/voila/render/workspace.ipynb?token={token}", timeout=90_000)
    page.locator(".vises-next").wait_for(timeout=90_000)


def choose_enterprise(page, accompanier, enterprise_id: str, name: str) -> None:
    """Choose the accompanier, then their enterprise; wait for its card."""
    page.locator(".vises-accompanier select").select_option(
        label=f"{accompanier.name} ({accompanier.federation})")
    page.locator(".vises-enterprise select").select_option(label=f"{enterprise_id} — {name}")
    page.wait_for_function("name => document.querySelector('.vises-card h2')?.innerText === name",
                           arg=name, timeout=60_000)


def open_section(page, name: str, lang: str = "fr"):
    """On the open step 1 tab, open its section `name` (STEP1_SECTIONS: each is built when
    first opened); its locator, once shown."""
    page.locator(".vises-step1-sections > .lm-TabBar [role=tab]",
                 has_text=i18n.t(STEP1_SECTIONS[name], lang)).click()
    section = page.locator(f".vises-section-{name}")
    section.wait_for(timeout=60_000)
    return section


def saved(form) -> None:
    """Click the form's Save and wait until it says saved."""
    form.locator(".vises-save").click()
    form.locator(".vises-status-saved").wait_for(timeout=30_000)


def pick_arrow(arrows, source, target, lang: str = "fr") -> None:
    """Pick the ends of an arrow in the chain's arrows form (`arrows`, its locator)."""
    arrows.locator(".vises-field-source_id select").select_option(
        label=cl.describe_element(source, lang))
    arrows.locator(".vises-field-target_id select").select_option(
        label=cl.describe_element(target, lang))


def add_arrow(page, source, target, arrows_after: int) -> None:
    """Add the chain's arrow source → target in the arrows form; wait until it is saved
    and the diagram draws `arrows_after` arrows."""
    arrows = open_section(page, "chain").locator(".vises-form-links")
    pick_arrow(arrows, source, target)
    arrows.locator(".vises-add-link").click()
    arrows.locator(".vises-status-saved").wait_for(timeout=30_000)
    page.wait_for_function(
        "n => document.querySelectorAll('.vises-section-chain polyline').length === n",
        arg=arrows_after, timeout=30_000)


def choose_question_for_methods(page, question: str):
    """Choose the question in the methods list (once it offers it); the methods section."""
    methods = open_section(page, "methods")
    page.wait_for_function(  # the list offers the question once its save is drawn
        "text => [...document.querySelectorAll('.vises-section-methods .vises-list-methods "
        "option')].some(o => o.textContent.replaceAll('\u00a0', ' ').startsWith(text))",
        arg=question[:40], timeout=30_000)
    index = methods.locator(".vises-list-methods option").evaluate_all(  # nbsp for spaces
        "(os, text) => os.findIndex(o => o.textContent.replaceAll('\u00a0', ' ')"
        ".startsWith(text))", question[:40])
    methods.locator(".vises-list-methods select").select_option(index=index)
    return methods


def catalogue_message(page, text: str) -> None:
    """Wait until the catalogue's message says `text`."""
    page.wait_for_function(
        "text => document.querySelector('.vises-catalogue-message')?.innerText"
        ".includes(text)", arg=text, timeout=30_000)


def pick_from_catalogue(page, label: str):
    """On step 2, choose a catalogue indicator; the plan section."""
    page.get_by_role("tab", name=STEP2).click()
    plan = page.locator(".vises-section-plan")
    plan.locator(".vises-catalogue select").wait_for(timeout=60_000)  # a list box
    plan.locator(".vises-catalogue select").select_option(label=label)
    return plan


def add_picked_to(page, plan, question: str) -> None:
    """Attach the picked catalogue indicator to the question; wait until it is added."""
    plan.locator(".vises-catalogue-question select").select_option(label=question)
    plan.locator(".vises-catalogue-add").click()
    catalogue_message(page, "ajouté")


def make_questionnaire(page):
    """Make the questionnaire; its download link."""
    page.locator(".vises-questionnaire-make").click()
    link = page.locator(".vises-questionnaire-link a")
    link.wait_for(timeout=60_000)
    return link


def code_verbatim(page, form, text: str, dimension: str, indicator: str, wave: str) -> None:
    """Fill a verbatim's form, coded and marked publishable; save; wait until the preview
    of what the report will show holds it."""
    form.locator(".vises-field-text textarea").fill(text)
    form.locator(".vises-field-dimension select").select_option(label=dimension)
    form.locator(".vises-field-indicator_id select").select_option(label=indicator)
    form.locator(".vises-field-wave_code select").select_option(label=wave)
    form.locator(".vises-field-publishable input").check()
    saved(form)
    page.wait_for_function(
        "text => document.querySelector('.vises-verbatims-preview')?.innerText.includes(text)",
        arg=text, timeout=30_000)


def complete(page, step: str) -> None:
    """Mark a step completed on the progress tab; wait until it says done."""
    page.get_by_role("tab", name=PROGRESS).click()
    row = page.locator(f".vises-step-{step}")
    row.locator(".vises-step-complete").click()
    row.locator(".vises-step-status[data-status='done']").wait_for(timeout=30_000)


def invalid_is(page, selector: str, invalid: bool) -> None:
    """Wait until the input's aria-invalid says `invalid`."""
    page.wait_for_function(
        "([sel, v]) => document.querySelector(sel)?.getAttribute('aria-invalid') === v",
        arg=[selector, "true" if invalid else "false"], timeout=30_000)


def described_by(page, selector: str) -> str:
    """The texts the input's aria-describedby names (its message and help), joined by |."""
    return page.evaluate(
        "sel => document.querySelector(sel).getAttribute('aria-describedby').split(' ')"
        ".map(id => document.getElementById(id).textContent).join(' | ')", selector)


def publish_step3(store_path: Path, reports: Path, enterprise_id: str) -> str:
    """`vises run` of the enterprise's step 3 in French; the report's text (unescaped)."""
    from vises_nb.cli import main

    assert main(["run", "--store", str(store_path), "--reports", str(reports), "--enterprise",
                 enterprise_id, "--step", "3", "--lang", "fr", "--workers", "1",
                 "--quiet"]) == 0
    return html.unescape((reports / enterprise_id / "step3.fr.html").read_text(encoding="utf-8"))

"""The workspace and the cohort explorer in a real browser: Voila started by `vises serve`
(preheated kernels on) on a private copy of the sample store, driven by Debian's chromium."""

from __future__ import annotations

import base64
import shutil

import pytest
import workspace_walk as walk
from playwright.sync_api import expect
from serving import vises_serve

from vises_nb.store import model as m
from vises_nb.store.store import Store

pytestmark = pytest.mark.slow
TOKEN = "test-token-ws-91c2"


@pytest.fixture(scope="module")
def served(sample_db, tmp_path_factory):
    """(base URL, store path) of a `vises serve` on a store the tests may change."""
    folder = tmp_path_factory.mktemp("workspace")
    store_path = folder / "vises.sqlite"
    shutil.copy(sample_db, store_path)
    with vises_serve(store_path, folder, TOKEN) as (base, _log):
        yield base, store_path


def shown_enterprise(store_path) -> str:
    """The enterprise the workspace opens on: the first one its first accompanier follows."""
    store = Store.open(store_path)
    try:
        accompanier = store.list(m.Accompanier)[0]
        return store.list(m.Enterprise, accompanier_id=accompanier.id)[0].id
    finally:
        store.close()


def open_identity(page, base: str, reload: bool = False):
    return open_step1(page, base, reload, "identity")


def field(form, name: str):
    return form.locator(f".vises-field-{name} input, .vises-field-{name} textarea").first


def message_beside(form, name: str):
    return form.locator(f".widget-hbox:has(.vises-field-{name}) .vises-error")


def test_identity_card_saved_survives_a_reload(served, browser):
    base, store_path = served
    enterprise_id = shown_enterprise(store_path)
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.type), d.accept()))
    form = open_identity(page, base)
    field(form, "sector").fill("Recyclage textile")
    field(form, "year_founded").fill("1988")
    field(form, "missions").fill("Former et employer des personnes éloignées de l'emploi")
    form.locator(".vises-save").click()
    form.locator(".vises-status-saved").wait_for(timeout=30_000)
    store = Store.open(store_path)
    saved = store.get(m.Enterprise, enterprise_id)[0]
    store.close()
    assert (saved.sector, saved.year_founded) == ("Recyclage textile", 1988)
    assert saved.missions == "Former et employer des personnes éloignées de l'emploi"

    form = open_identity(page, base, reload=True)
    assert dialogs == [], "everything was saved: leaving asks nothing"
    page.wait_for_function(
        "() => document.querySelector('.vises-field-sector input')?.value === 'Recyclage textile'",
        timeout=30_000)
    expect(field(form, "year_founded")).to_have_value("1988")  # each field a widget of its own
    expect(field(form, "missions")).to_have_value(
        "Former et employer des personnes éloignées de l'emploi")


def test_invalid_value_shows_its_message_beside_the_field_and_saves_nothing(served, browser):
    base, store_path = served
    enterprise_id = shown_enterprise(store_path)
    store = Store.open(store_path)
    before = store.get(m.Enterprise, enterprise_id)
    page = browser.new_page()
    form = open_identity(page, base)
    field(form, "volunteers").fill("douze")
    message = message_beside(form, "volunteers")
    page.wait_for_function(
        "() => document.querySelector('.widget-hbox:has(.vises-field-volunteers) .vises-error')"
        "?.innerText.includes('whole number')", timeout=30_000)
    assert message_beside(form, "sector").inner_text() == ""
    form.locator(".vises-save").click()
    form.locator(".vises-status-invalid").wait_for(timeout=30_000)
    assert "whole number" in message.inner_text()
    assert store.get(m.Enterprise, enterprise_id) == before
    store.close()


def test_a_stale_save_is_refused_with_an_offer_to_reload(served, browser):
    base, store_path = served
    enterprise_id = shown_enterprise(store_path)
    page = browser.new_page()
    form = open_identity(page, base)
    store = Store.open(store_path)
    record, revision = store.get(m.Enterprise, enterprise_id)
    store.save(record.model_copy(update={"sector": "Changed behind your back"}), revision)
    field(form, "sector").fill("My own edit")
    form.locator(".vises-save").click()
    form.locator(".vises-status-conflict").wait_for(timeout=30_000)
    assert "someone else saved" in form.locator(".vises-status").inner_text()
    assert store.get(m.Enterprise, enterprise_id) == (
        record.model_copy(update={"sector": "Changed behind your back"}), revision + 1)
    form.locator(".vises-reload").click()
    page.wait_for_function(
        "() => document.querySelector('.vises-field-sector input')?.value "
        "=== 'Changed behind your back'", timeout=30_000)
    store.close()


def test_language_switch_changes_the_labels_and_is_blocked_by_unsaved_changes(served, browser):
    base, _store_path = served
    page = browser.new_page()
    form = open_identity(page, base)
    field(form, "sector").fill("not saved yet")
    page.locator(".vises-language button", has_text="nl").click()
    page.locator(".vises-warning-text").wait_for(timeout=30_000)
    assert field(form, "sector").input_value() == "not saved yet"
    page.locator(".vises-discard").click()
    page.locator(".vises-language button", has_text="nl").click()
    page.get_by_role("tab", name="Stap 1").click()
    page.wait_for_function(
        "() => document.querySelector('.vises-form-identity .vises-save')?.innerText"
        ".includes('Opslaan')", timeout=30_000)
    expect(page.locator(".vises-section-identity")).to_contain_text("Identiteitskaart")
    page.wait_for_function("() => document.documentElement.lang === 'nl'", timeout=10_000)
    assert page.title() == "Werkruimte van de begeleider"


def test_cohort_explorer_renders_offline_charts_and_downloads(served, browser):
    base, store_path = served
    store = Store.open(store_path)
    insertion = len(store.list(m.Enterprise, pole="insertion"))
    store.close()
    page = browser.new_page()
    requests: list[str] = []
    failed: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.goto(f"{base}/voila/render/cohort_explorer.ipynb?token={TOKEN}", timeout=90_000)
    # vega puts its <svg> in the page first, then draws the marks into it in one pass
    points = page.locator(".vises-chart-comparison svg .mark-symbol path")
    points.first.wait_for(timeout=90_000)
    page.locator(".vises-chart-progress svg").wait_for(timeout=30_000)
    assert points.count() > 5
    svg_link = page.locator("a.vises-download-svg").first
    make = page.locator(".vises-comparison .vises-make-svg")
    # the first charts' SVG files are made ahead only by a kernel the pool prepared; a
    # page that found the pool used up (earlier tests took its kernels) offers the button
    page.locator("a.vises-download-svg, .vises-comparison .vises-make-svg:visible").first \
        .wait_for(timeout=60_000)
    if svg_link.count() == 0:
        make.click()
        svg_link.wait_for(timeout=30_000)
    assert svg_link.get_attribute("href").startswith("data:image/svg+xml;base64,")
    assert svg_link.get_attribute("download").endswith(".svg")
    # the comparison's own CSV (the progress table's, drawn first, has other columns)
    csv_href = page.locator(".vises-comparison a.vises-download-csv").get_attribute("href")
    csv = base64.b64decode(csv_href.split(",", 1)[1]).decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("Enterprise,Name,Pole,Region,n,")
    assert "< 5" in csv or len(csv.splitlines()) > 10

    page.select_option(".vises-filter-pole select", label="Work integration")
    page.wait_for_function(
        "n => document.querySelector('.vises-progress h3')?.innerText.includes('(' + n + ' ')",
        arg=insertion, timeout=30_000)
    page.locator(".vises-chart-comparison svg").wait_for(timeout=30_000)
    assert failed == []
    outside = [u for u in requests if not u.startswith((base, "data:", "blob:"))]
    assert outside == []


def test_uploading_a_bad_export_shows_every_problem_and_stores_nothing(served, browser,
                                                                       tmp_path):
    base, store_path = served
    store = Store.open(store_path)
    before = len(store.frame("responses"))
    store.close()
    bad = tmp_path / "export.csv"
    bad.write_text("respondent_code,favourite_colour\nA-01,blue\nA-01,red\n", encoding="utf-8")
    page = browser.new_page()
    page.goto(f"{base}/voila/render/workspace.ipynb?token={TOKEN}", timeout=90_000)
    page.locator(".vises-card h2").wait_for(timeout=90_000)
    page.get_by_role("tab", name="Step 2").click()
    page.locator(".vises-upload-export").wait_for(timeout=30_000)
    with page.expect_file_chooser(timeout=30_000) as chooser:
        page.locator(".vises-upload-export").click()
    chooser.value.set_files(str(bad))
    page.wait_for_function(
        "() => document.querySelector('.vises-upload-export')?.innerText.includes('(1)')",
        timeout=30_000)
    page.locator(".vises-upload-import").click()
    report = page.locator(".vises-import-report .vises-error")
    report.wait_for(timeout=30_000)
    text = report.inner_text()
    assert "Nothing was imported" in text and "favourite_colour" in text
    store = Store.open(store_path)
    assert len(store.frame("responses")) == before
    store.close()


def open_step1(page, base: str, reload: bool = False, form: str = "links"):
    """The workspace (reloaded, or opened) on its Step 1 tab; the locator of one of its
    forms. The click on the tab is also the user gesture Chromium wants before it shows a
    beforeunload dialog."""
    if reload:  # the page streams while its kernel runs: wait for the widgets, not 'load'
        page.reload(wait_until="commit", timeout=90_000)
    else:
        page.goto(f"{base}/voila/render/workspace.ipynb?token={TOKEN}", timeout=90_000)
    page.locator(".vises-card h2").wait_for(timeout=90_000)
    page.get_by_role("tab", name="Step 1").click()
    if form != "identity":  # the other sections are built when first opened
        walk.open_section(page, {"links": "chain"}.get(form, form), "en")
    located = page.locator(f".vises-form-{form}")
    located.wait_for(timeout=30_000)
    return located


def chain_of(store_path, enterprise_id):
    from vises_nb.analysis import chain_links as cl

    store = Store.open(store_path)
    try:
        return cl.chain_of(store, enterprise_id)
    finally:
        store.close()


def test_an_arrow_added_to_the_chain_is_stored_and_shown_after_a_reload(served, browser):
    from vises_nb.analysis import chain_links as cl

    base, store_path = served
    enterprise_id = shown_enterprise(store_path)
    elements, links = chain_of(store_path, enterprise_id)
    ordered = cl.by_level(elements.values())
    source = next(e for e in ordered if e.level == "activity")
    target = next(e for e in ordered if e.level == "impact")
    assert cl.link_problem(source.id, target.id, elements, links) is None
    page = browser.new_page()
    form = open_step1(page, base)
    walk.pick_arrow(form, source, target, "en")
    form.locator(".vises-add-link").click()
    form.locator(".vises-status-saved").wait_for(timeout=30_000)
    assert f"{source.label} → {target.label}" in form.locator(".vises-status").inner_text()
    _elements, after = chain_of(store_path, enterprise_id)
    assert {(x.source_id, x.target_id) for x in after} == (
        {(x.source_id, x.target_id) for x in links} | {(source.id, target.id)})

    form = open_step1(page, base, reload=True)
    shown = f"Activities: {source.label}  →  Impacts: {target.label}"
    page.wait_for_function(  # ipywidgets shows a Select's spaces as no-break spaces
        "text => [...document.querySelectorAll('.vises-list-links option')]"
        ".some(o => o.textContent.replaceAll('\u00a0', ' ') === text)", arg=shown,
        timeout=30_000)
    assert form.locator(".vises-list-links option").count() == len(links) + 1


def test_an_invalid_arrow_shows_its_message_beside_the_field_and_saves_nothing(served,
                                                                              browser):
    from vises_nb.analysis import chain_links as cl

    base, store_path = served
    enterprise_id = shown_enterprise(store_path)
    elements, links = chain_of(store_path, enterprise_id)
    ordered = cl.by_level(elements.values())
    source = next(e for e in ordered if e.level == "outcome")
    target = next(e for e in ordered if e.level == "activity")
    page = browser.new_page()
    form = open_step1(page, base)
    walk.pick_arrow(form, source, target, "en")
    page.wait_for_function(
        "() => document.querySelector('.widget-hbox:has(.vises-field-target_id) .vises-error')"
        "?.innerText.includes('goes backwards (Outcomes → Activities)')", timeout=30_000)
    form.locator(".vises-add-link").click()
    form.locator(".vises-status-invalid").wait_for(timeout=30_000)
    assert chain_of(store_path, enterprise_id)[1] == links


def test_leaving_with_unsaved_changes_asks_and_leaving_after_saving_does_not(served, browser):
    base, _store_path = served
    page = browser.new_page()
    dialogs: list[str] = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.accept()  # leave anyway: the reload goes on

    page.on("dialog", answer)
    open_step1(page, base, form="identity")
    form = page.locator(".vises-form-identity")
    field(form, "sector").fill("typed, not saved")
    page.locator(".vises-form-identity.vises-unsaved").wait_for(timeout=30_000)
    open_step1(page, base, reload=True, form="identity")
    assert dialogs == ["beforeunload"]
    form = page.locator(".vises-form-identity")
    field(form, "sector").fill("typed and saved")
    page.locator(".vises-form-identity.vises-unsaved").wait_for(timeout=30_000)
    form.locator(".vises-save").click()
    form.locator(".vises-status-saved").wait_for(timeout=30_000)
    expect(page.locator(".vises-unsaved")).to_have_count(0)  # the form's own message
    open_step1(page, base, reload=True, form="identity")
    assert dialogs == ["beforeunload"], "no second dialog: everything was saved"

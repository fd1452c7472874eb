"""An empty store (`vises init`) served by `vises serve` and driven in Debian's Chromium:
every dashboard says what to do first; on the coordinator page, a coordinator adds an
accompanier and an enterprise, assigns it, archives it, and makes a semi-collective group."""

from __future__ import annotations

import pytest
from serving import vises_serve

from vises_nb.cli import main
from vises_nb.store import model as m
from vises_nb.store.store import Store

pytestmark = pytest.mark.slow
TOKEN = "test-token-coord-5e17"
DASHBOARDS = ["workspace", "enterprise", "cohort_explorer", "coordinator", "groups"]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(base URL, store path) of a `vises serve` on a store made by `vises init`."""
    folder = tmp_path_factory.mktemp("coordinator")
    store_path = folder / "vises.sqlite"
    assert main(["init", "--store", str(store_path)]) == 0
    with vises_serve(store_path, folder, TOKEN) as (base, _log):
        yield base, store_path


def open_page(page, base: str, name: str, ready: str):
    page.goto(f"{base}/voila/render/{name}.ipynb?token={TOKEN}", timeout=90_000)
    page.locator(ready).first.wait_for(timeout=90_000)


@pytest.mark.parametrize("name", DASHBOARDS)
def test_an_empty_store_says_what_to_do_first(served, browser, name):
    base, _store = served
    page = browser.new_page()
    open_page(page, base, name, ".vises-first-step")
    text = page.locator(".vises-first-step").inner_text()
    assert "First step: enrol the cohort" in text
    assert "vises enrol roster.xlsx" in text and "coordinator page" in text
    assert page.locator("select option").count() == 0 or name == "coordinator", \
        "no empty drop-down instead of the message"


def field(panel, name: str):
    return panel.locator(f".vises-field-{name} input, .vises-field-{name} select").first


def test_the_coordinator_adds_assigns_archives_and_groups(served, browser):
    base, store_path = served
    page = browser.new_page()
    open_page(page, base, "coordinator", ".vises-panel-accompanier .vises-save")

    people = page.locator(".vises-panel-accompanier")
    field(people, "id").fill("A1")
    field(people, "name").fill("Anne Martin")
    field(people, "federation").fill("SAW-B")
    people.locator(".vises-save").click()
    people.locator(".vises-status-saved").wait_for(timeout=30_000)

    firms = page.locator(".vises-panel-enterprise")
    # the enterprise form now offers the new accompanier
    page.wait_for_function(
        "() => [...document.querySelectorAll('.vises-panel-enterprise "
        ".vises-field-accompanier_id option')].some(o => o.textContent.includes('Anne'))",
        timeout=30_000)
    field(firms, "id").fill("E01")
    field(firms, "name").fill("Les Ateliers du Val")
    field(firms, "pole").select_option(label="Solidarity services")
    field(firms, "region").select_option(label="Brussels")
    field(firms, "accompanier_id").select_option(label="Anne Martin (SAW-B)")
    field(firms, "fte").fill("douze")  # checked as typed, message beside the field
    firms.locator(".widget-hbox:has(.vises-field-fte) .vises-error-text").wait_for(
        timeout=30_000)
    assert "number" in firms.locator(
        ".widget-hbox:has(.vises-field-fte) .vises-error-text").inner_text()
    field(firms, "fte").fill("12,5")
    page.wait_for_function(
        "() => !document.querySelector('.vises-panel-enterprise "
        ".widget-hbox:has(.vises-field-fte) .vises-error-text')", timeout=30_000)
    firms.locator(".vises-save").click()
    firms.locator(".vises-status-saved").wait_for(timeout=30_000)
    store = Store.open(store_path)
    e01 = store.get(m.Enterprise, "E01")[0]
    assert (e01.name, e01.pole, e01.region, e01.accompanier_id, e01.fte) == \
        ("Les Ateliers du Val", "solidarite", "brussels", "A1", 12.5)
    assert not e01.archived
    assert store.get(m.Accompanier, "A1")[0].federation == "SAW-B"
    store.close()

    firms.locator(".vises-archive").click()
    firms.locator(".vises-archive-confirm").click()
    firms.locator(".vises-coord-archived").wait_for(timeout=30_000)
    store = Store.open(store_path)
    e01, revision = store.get(m.Enterprise, "E01")
    assert e01.archived and e01.archived_on is not None and revision == 2
    assert e01.name == "Les Ateliers du Val"  # kept
    with store.transaction() as w:  # five more enterprises, enrolled meanwhile
        for i in range(2, 7):
            w.save(m.Enterprise(id=f"E0{i}", name=f"Entreprise {i}", pole="autres",
                                region="flanders", language="nl"))
    store.close()

    page.reload(wait_until="commit", timeout=90_000)
    groups = page.locator(".vises-panel-group")
    groups.locator(".vises-group-save").wait_for(timeout=90_000)
    assert "E01" not in groups.locator(".vises-group-members select").inner_text(), \
        "an archived enterprise is not offered"
    groups.locator(".vises-group-id input").fill("G1")
    groups.locator(".vises-group-name input").fill("Groupe Gent")
    groups.locator(".vises-group-period input").fill("2026")
    groups.locator(".vises-group-members select").select_option(
        label=["E02 — Entreprise 2", "E03 — Entreprise 3"])
    page.wait_for_function(  # the message beside the members, as they are chosen
        "() => document.querySelector('.vises-panel-group .widget-hbox:has(.vises-group-members)"
        " .vises-error-text')?.innerText.includes('5 to 10 enterprises (here 2)')",
        timeout=30_000)
    groups.locator(".vises-group-members select").select_option(
        label=[f"E0{i} — Entreprise {i}" for i in range(2, 7)])
    page.wait_for_function(
        "() => !document.querySelector('.vises-panel-group .vises-error-text')",
        timeout=30_000)
    groups.locator(".vises-group-save").click()
    groups.locator(".vises-coord-saved").wait_for(timeout=30_000)
    store = Store.open(store_path)
    assert store.get(m.Group, "G1")[0].period == "2026"
    assert sorted(g.enterprise_id for g in store.list(m.GroupMember, group_id="G1")) == \
        [f"E0{i}" for i in range(2, 7)]
    store.close()


def test_a_stale_edit_on_the_coordinator_page_is_refused(served, browser):
    base, store_path = served
    store = Store.open(store_path)
    if "E02" not in store.enterprise_ids():  # run on its own
        store.save(m.Enterprise(id="E02", name="Entreprise 2", pole="autres",
                                region="flanders", language="nl"))
    store.close()
    page = browser.new_page()
    open_page(page, base, "coordinator", ".vises-panel-enterprise .vises-save")
    firms = page.locator(".vises-panel-enterprise")
    firms.locator(".vises-coord-enterprise select").select_option(label="E02 — Entreprise 2")
    page.wait_for_function(
        "() => document.querySelector('.vises-panel-enterprise .vises-field-id input')"
        "?.value === 'E02'", timeout=30_000)
    store = Store.open(store_path)  # someone else renames E02 meanwhile
    card, revision = store.get(m.Enterprise, "E02")
    store.save(card.model_copy(update={"name": "Renamed elsewhere"}), revision)
    store.close()
    field(firms, "sector").fill("Recyclage")
    firms.locator(".vises-save").click()
    firms.locator(".vises-status-conflict").wait_for(timeout=30_000)
    store = Store.open(store_path)
    card = store.get(m.Enterprise, "E02")[0]
    assert (card.name, card.sector) == ("Renamed elsewhere", "")
    store.close()

"""The groups page in Debian's Chromium, served by a real `vises serve --accounts`.

Anna (accompanier A1, leads G1 and follows E01–E03) signs in: she is offered her group
only, types an absurd date (the message is tied to the field for screen readers), records
a session with its attendance, sees it listed and the group's progress updated, and edits
it. From her own page she then forges messages on her kernel's websocket (code that saves
a session of G2, widget updates choosing G2, clicks on every button): nothing of G2
changes nor reaches her page. A researcher is refused the page by the server."""

from __future__ import annotations

import datetime as dt
import time

import axe_check
import browser_accounts
import pytest
from browser_accounts import forge_widget_messages, page_kernel
from playwright.sync_api import expect
from serving import unexpected_tracebacks, vises_serve
from test_group_sessions import PASSWORD, small_cohort

from vises_nb.store import accounts
from vises_nb.store import model as m
from vises_nb.store import sessions as ss
from vises_nb.store.store import Store

pytestmark = pytest.mark.slow
# resolves once the page has been laid out and painted at its new size (two frames)
LAID_OUT = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("groups")
    store_path = folder / "vises.sqlite"
    store = Store.open(store_path, create=True)
    small_cohort(store)
    accounts.add_person(store, "anna", "accompanier", PASSWORD, accompanier_id="A1")
    accounts.add_person(store, "rita", "researcher", PASSWORD)
    # G2 already has a session, recorded by its own accompanier
    ss.save_session(store, m.GroupSession(id="T1", group_id="G2", date=dt.date(2026, 3, 1),
                                          topic="Kick-off Gent"),
                    [m.SessionAttendance(session_id="T1", enterprise_id="E06",
                                         status="present")], None, "bert")
    store.close()
    with vises_serve(store_path, folder, "unused-by-people", accounts=True) as (base, log):
        yield {"base": base, "store": store_path, "log": log}


def sign_in(browser, base: str, name: str):
    return browser_accounts.sign_in(browser, base, name, PASSWORD,
                                    viewport={"width": 1280, "height": 900})


def g2_rows(store_path) -> tuple[list, list]:
    store = Store.open(store_path)
    try:
        return ([s.model_dump() for s in store.list(m.GroupSession, group_id="G2")],
                [a.model_dump() for a in store.list(m.SessionAttendance, session_id="T1")])
    finally:
        store.close()


def test_an_accompanier_records_a_session_and_sees_the_groups_progress(served, browser):
    base, store_path = served["base"], served["store"]
    page = sign_in(browser, base, "anna")
    response = page.goto(f"{base}/voila/render/groups.ipynb", timeout=90_000)
    assert response.status == 200
    page.locator(".vises-session-save").wait_for(timeout=120_000)
    assert page.locator("h1.vises-title").inner_text() == "Semi-collective groups"
    choice = page.locator(".vises-group-choice select option")
    choice.first.wait_for(state="attached", timeout=60_000)  # a widget of its own
    options = [o.replace("\xa0", " ") for o in choice.all_inner_texts()]
    assert options == ["Groupe Namur (2026)"], "her group only"
    assert "Groep Gent" not in page.content() and "Kick-off Gent" not in page.content()
    progress = page.locator(".vises-progress table")
    assert "Methods and data collection" in progress.inner_text()  # E01 is at step 2
    assert progress.locator("tr").count() == 6
    assert "followed by another accompanier" in progress.locator("tr").nth(4).inner_text()

    # an absurd date: the message beside the field, tied to the input for screen readers
    date = page.locator(".vises-field-date input")
    date.fill("1899-01-01")
    message = page.locator(".vises-row:has(.vises-field-date) .vises-error-text")
    message.wait_for(timeout=30_000)
    assert "Between 2000-01-01 and" in message.inner_text()
    page.wait_for_function("() => document.querySelector('.vises-field-date input')"
                           ".getAttribute('aria-invalid') === 'true'", timeout=30_000)
    described = date.get_attribute("aria-describedby").split()
    texts = [page.locator(f"#{i}").inner_text() for i in described]
    assert any("Between 2000-01-01" in t for t in texts)
    assert any("2026-03-14 or 14/03/2026" in t for t in texts), "the help under it too"
    # labels are never cut
    cut = page.evaluate("""() => [...document.querySelectorAll(
        '.vises-groups .widget-label, .vises-groups .widget-label-basic')].filter(l => l.offsetParent &&
        l.scrollWidth > l.clientWidth + 1).map(l => l.textContent)""")
    assert cut == []
    assert page.locator(".vises-groups .widget-label:visible").count() >= 4, "labels checked"

    date.fill("14/03/2026")
    page.locator(".vises-field-topic input").fill("Impact chain workshop")
    page.locator(".vises-field-notes textarea").fill("Each brings a draft chain.")
    for eid in ("E01", "E02", "E03", "E05"):
        page.locator(f".vises-attendance-{eid} .vises-present input").check()
    page.locator(".vises-attendance-E04 .vises-excused input").check()
    page.locator(".vises-attendance-E01 .vises-attendee input").fill("Marie (director)")
    page.wait_for_function("() => !document.querySelector('.vises-session-form "
                           ".vises-error-text')", timeout=30_000)
    page.locator(".vises-session-save").click()
    page.locator(".vises-session-status .vises-status-saved").wait_for(timeout=60_000)

    store = Store.open(store_path)
    [saved] = ss.sessions(store, "G1")
    store.close()
    assert (saved.session.date, saved.session.topic, saved.session.recorded_by) == \
        (dt.date(2026, 3, 14), "Impact chain workshop", "anna")
    assert {e: a.status for e, a in saved.attendance.items()} == {
        "E01": "present", "E02": "present", "E03": "present", "E04": "excused",
        "E05": "present"}
    assert saved.attendance["E01"].attendee == "Marie (director)"
    sessions = page.locator(".vises-sessions")  # redrawn after the save's status: wait
    expect(sessions).to_contain_text("Impact chain workshop")
    expect(sessions).to_contain_text("4 present, 0 absent, 1 excused")
    page.wait_for_function("() => document.querySelector('.vises-progress')"
                           ".innerText.includes('1 of 1 sessions')", timeout=30_000)

    # edit it: E02 was in fact absent
    page.locator(".vises-attendance-E02 .vises-present input").uncheck()
    page.locator(".vises-field-topic input").fill("Impact chain workshop, part 1")
    page.locator(".vises-session-save").click()
    page.wait_for_function("() => document.querySelector('.vises-sessions')"
                           ".innerText.includes('part 1')", timeout=60_000)
    store = Store.open(store_path)
    [saved] = ss.sessions(store, "G1")
    store.close()
    assert saved.revision == 2 and saved.attendance["E02"].status == "absent"
    page.context.close()


def test_a_researcher_is_refused_the_groups_page(served, browser):
    base, store_path = served["base"], served["store"]
    page = sign_in(browser, base, "rita")
    response = page.goto(f"{base}/voila/render/groups.ipynb", timeout=90_000)
    assert response.status == 403
    assert "vises-session-save" not in page.content()
    refused = accounts.security_log(Store.open(store_path), "refused")
    assert any(r["username"] == "rita" and "groups.ipynb" in r["detail"] for r in refused)
    assert unexpected_tracebacks(served["log"].read_text()) == []
    page.context.close()


def test_a_forged_save_for_another_group_changes_nothing(served, browser):
    base, store_path = served["base"], served["store"]
    before = g2_rows(store_path)
    page = sign_in(browser, base, "anna")
    page.goto(f"{base}/voila/render/groups.ipynb", timeout=90_000)
    page.locator(".vises-session-save").wait_for(timeout=120_000)
    code = ("import datetime as dt, os\nfrom vises_nb.store.store import Store\n"
            "from vises_nb.store import model as m, sessions as ss\n"
            "s = Store.open(os.environ['VISES_STORE'])\n"
            "ss.save_session(s, m.GroupSession(id='X9', group_id='G2', "
            "date=dt.date(2026, 4, 1), topic='forged'), [], None, 'anna')\n")
    result = forge_widget_messages(page, page_kernel(page), code, [
        {"value": "G2"}, {"index": 1}, {"label": "Groep Gent (2026)"},
        {"_options_labels": ["Groep Gent (2026)"]}], "anna", clicks_last=True)
    assert result["comms"] > 20, result  # the page's widgets were there to forge messages to
    assert not result["executed"], "the kernel ran code sent from the page"
    time.sleep(3)
    assert g2_rows(store_path) == before
    store = Store.open(store_path)
    assert [s.id for s in store.list(m.GroupSession) if s.group_id != "G1"] == ["T1"]
    store.close()
    assert "Kick-off Gent" not in page.content()
    page.context.close()
    # the server's log holds no traceback, but Tornado's note that it wrote to the forging
    # socket after the page's script closed it (the clicks' replies were still coming)
    left = [b for b in unexpected_tracebacks(served["log"].read_text())
            if "tornado.websocket.WebSocketClosedError" not in b]
    assert left == []


def test_the_groups_page_has_no_wcag_a_or_aa_violation(served, browser, axe_source):
    """axe-core on the page's own content (the group, its progress and sessions tables, the
    session form with an error shown)."""
    base = served["base"]
    page = sign_in(browser, base, "anna")
    page.goto(f"{base}/voila/render/groups.ipynb", timeout=90_000)
    page.locator(".vises-session-save").wait_for(timeout=120_000)
    page.locator(".vises-field-topic input").fill("x" * 201)
    page.locator(".vises-row:has(.vises-field-topic) .vises-error-text").wait_for(
        timeout=30_000)
    assert axe_check.violations(page, axe_source, context="'.vises-groups'") == []
    # at 200 % zoom (a 1280 px screen seen as 640 px) no label is cut either
    page.set_viewport_size({"width": 640, "height": 900})
    page.evaluate(LAID_OUT)
    cut = page.evaluate("""() => [...document.querySelectorAll(
        '.vises-groups .widget-label, .vises-groups .widget-label-basic')].filter(l => l.offsetParent &&
        l.scrollWidth > l.clientWidth + 1).map(l => l.textContent)""")
    assert cut == []
    page.context.close()

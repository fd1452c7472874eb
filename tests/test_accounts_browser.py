"""Accounts and roles in a real browser (issue 18): `vises serve --accounts` on a copy of
the sample store, real accounts made with `vises users`, Chromium contexts signing in.

Two accompaniers and a researcher sign in from separate browser contexts and each sees
only what their role allows; an accompanier forges messages on the kernel websockets
(their own kernel: a code execution and widget messages for an enterprise they do not
follow; another person's kernel) and nothing changes in the store; the researcher never
receives a figure about fewer than 5 people nor a verbatim; a disabled account's open
page stops working; a wrong password is refused, and slowed after repeated failures."""

from __future__ import annotations

import re
import shutil
import time
import urllib.request
from collections import Counter

import pytest
from browser_accounts import (
    PASSWORD,
    cookie_header,
    enterprise_options,
    first_accompanier,
    forge_widget_messages,
    open_workspace,
    page_kernel,
    security_log,
    sign_in,
    users,
)
from playwright.sync_api import expect
from serving import chromium_browser, unexpected_tracebacks, vises_serve

from vises_nb.store import accounts
from vises_nb.store import model as m
from vises_nb.store.store import Store

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def served(sample_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("accounts")
    store_path = folder / "vises.sqlite"
    shutil.copy(sample_db, store_path)
    store = Store.open(store_path)
    counts = Counter(e.accompanier_id for e in store.list(m.Enterprise))
    first, second = sorted(a for a, n in counts.items() if a and n >= 2)[:2]
    followed = {a: sorted(e.id for e in store.list(m.Enterprise, accompanier_id=a))
                for a in (first, second)}
    names = {who: [e.name for e in store.list(m.Enterprise, accompanier_id=a)]
             for who, a in (("anna", first), ("bert", second))}
    store.close()
    users(store_path, "add", "anna", "--role", "accompanier", "--accompanier", first)
    users(store_path, "add", "bert", "--role", "accompanier", "--accompanier", second)
    users(store_path, "add", "rita", "--role", "researcher")
    users(store_path, "add", "dora", "--role", "accompanier", "--accompanier", first)
    listed = users(store_path, "list").stdout
    assert "anna\taccompanier" in listed and "rita\tresearcher" in listed
    with vises_serve(store_path, folder, "unused-by-people", accounts=True) as (base, log):
        yield {"base": base, "store": store_path, "log": log,
               "anna": followed[first], "bert": followed[second], "names": names}


@pytest.fixture(scope="module")
def browser(chromium):
    """One Chromium for the module (its contexts keep the people apart)."""
    pytest.importorskip("playwright.sync_api")
    with chromium_browser(chromium) as launched:
        yield launched


def rows_of(store_path, enterprise_id: str) -> dict:
    store = Store.open(store_path)
    try:
        return {name: store.frame(name, enterprise_id).to_dict("records")
                for name in ("enterprises", "stakeholders", "questions", "chain_elements")}
    finally:
        store.close()


def test_each_person_sees_only_what_their_role_allows(served, browser):
    base, store_path = served["base"], served["store"]
    anna, bert = sign_in(browser, base, "anna"), sign_in(browser, base, "bert")
    assert open_workspace(anna, base) == served["anna"]
    assert open_workspace(bert, base) == served["bert"]  # on a kernel started for bert
    assert not any(name in bert.content() for name in served["names"]["anna"])
    # the enterprise card, too, lists only one's own
    anna.goto(f"{base}/voila/render/enterprise.ipynb", timeout=90_000)
    anna.locator(".vises-card h2").wait_for(timeout=120_000)
    cards = enterprise_options(anna)
    assert sorted(o.split()[0] for o in cards) == served["anna"]

    rita = sign_in(browser, base, "rita")
    for page_name in ("workspace.ipynb", "enterprise.ipynb"):
        response = rita.goto(f"{base}/voila/render/{page_name}", timeout=90_000)
        assert response.status == 403
        assert "vises-card" not in rita.content()
        # the refusal in the served language (English here), with a way home, not Voila's
        assert rita.locator("h1").inner_text() == "Access refused"
        assert rita.locator("main a[href='/']").count() == 1
    lost = anna.context.new_page()  # anna's pages stay as they are
    for missing in ("/voila/render/nowhere.ipynb", "/nowhere/at/all"):
        response = lost.goto(f"{base}{missing}", timeout=90_000)
        assert response.status == 404 and lost.locator("h1").inner_text() == "Page not found"
        assert lost.evaluate("document.documentElement.lang") == "en"
    lost.close()
    response = rita.goto(f"{base}/voila/render/cohort_explorer.ipynb", timeout=90_000)
    assert response.status == 200
    table = rita.locator(".vises-comparison table")
    table.first.wait_for(timeout=120_000)
    # every figure shown is about 5 people or more, the others are suppressed ('< 5')
    cells = rita.locator(".vises-comparison table td").all_inner_texts()
    counts = [c.strip() for c in cells if re.fullmatch(r"(< )?\d+", c.strip())]
    assert counts
    assert all(c.startswith("<") or int(c) >= 5 for c in counts), counts
    store = Store.open(store_path)
    verbatims = [e.text for e in store.list(m.Excerpt) if len(e.text) > 25]
    store.close()
    content = rita.content()
    assert verbatims and not any(v in content for v in verbatims)
    refused = security_log(store_path, "refused")
    assert any(r["username"] == "rita" and "workspace" in r["detail"] for r in refused)
    for page in (anna, bert, rita):
        page.context.close()


def test_forged_messages_for_another_accompaniers_enterprise_change_nothing(served, browser):
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    base, store_path = served["base"], served["store"]
    target = served["bert"][0]
    before = rows_of(store_path, target)
    bert = sign_in(browser, base, "bert")
    open_workspace(bert, base)
    bert_kernel = page_kernel(bert)
    anna = sign_in(browser, base, "anna")
    open_workspace(anna, base)
    anna_kernel = page_kernel(anna)
    assert anna_kernel != bert_kernel
    cookie = cookie_header(anna)
    ws = base.replace("http://", "ws://")

    # 1. anna's cookie on bert's kernel websocket (its id is in bert's page and in `ps`)
    with pytest.raises(InvalidStatus) as refused:
        connect(f"{ws}/api/kernels/{bert_kernel}/channels", open_timeout=20,
                additional_headers={"Cookie": cookie}).close()
    assert refused.value.response.status_code == 403
    xsrf = next(c["value"] for c in anna.context.cookies() if c["name"] == "_xsrf")
    shutdown = urllib.request.Request(f"{base}/voila/api/shutdown/{bert_kernel}", data=b"",
                                      method="POST", headers={"Cookie": cookie,
                                                              "X-XSRFToken": xsrf})
    with pytest.raises(urllib.error.HTTPError) as refused_http:
        urllib.request.urlopen(shutdown, timeout=30)
    assert refused_http.value.code == 403
    refusals = [r["detail"] for r in security_log(store_path, "refused") if r["username"] == "anna"]
    assert refusals.count(f"kernel {bert_kernel}") == 2, refusals

    # 2. from anna's own page: JS on her kernel's websocket sends code that saves bert's
    #    enterprise, then widget messages setting every drop-down of hers to bert's
    #    enterprise (by value and by index) and clicking every button
    code = ("from vises_nb.store.store import Store; from vises_nb.store import model as m\n"
            "import os; s = Store.open(os.environ['VISES_STORE'])\n"
            f"r, v = s.get(m.Enterprise, {target!r}); "
            "s.save(r.model_copy(update={'name': 'forged'}), v)\n")
    result = forge_widget_messages(anna, anna_kernel, code, [
        {"value": target}, {"index": 40}, {"label": target}, {"_options_labels": [target]}],
        "bert")
    assert result["comms"] > 10, result  # the widgets were there to forge messages to
    assert not result["executed"], "the kernel ran code sent from the page"
    time.sleep(3)
    assert rows_of(store_path, target) == before
    # nothing of bert's enterprises reached anna's page (the id she typed herself may be
    # echoed back as a label: ipywidgets echoes state updates)
    assert not any(name in anna.content() for name in served["names"]["bert"])
    refused = security_log(store_path, "refused")
    assert any(r["username"] == "anna" and bert_kernel in r["detail"] for r in refused)
    # bert's page still works: his kernel was neither taken over nor shut down
    bert.locator(".vises-enterprise select").select_option(index=1)
    bert.wait_for_function(
        "() => document.querySelector('.vises-card h2') && "
        "!document.querySelector('.vises-refused')", timeout=60_000)
    for page in (anna, bert):
        page.context.close()


def test_a_change_names_who_made_it_and_a_disabled_accounts_page_stops(served, browser):
    base, store_path = served["base"], served["store"]
    dora = sign_in(browser, base, "dora")
    assert open_workspace(dora, base) == served["anna"]
    enterprise_id = served["anna"][0]
    dora.get_by_role("tab", name="Step 1").click()
    form = dora.locator(".vises-form-identity")
    form.wait_for(timeout=60_000)
    form.locator(".vises-field-sector input").fill("Changed by dora")
    form.locator(".vises-save").click()
    form.locator(".vises-status-saved").wait_for(timeout=60_000)
    dora.get_by_role("tab", name="Progress and next steps").click()
    dora.wait_for_function("() => document.querySelector('.vises-history')"
                           "?.innerText.includes('changed by dora')", timeout=60_000)
    assert re.search(r"changed by dora on \d{4}-\d\d-\d\d",
                     dora.locator(".vises-history").inner_text())

    before = rows_of(store_path, enterprise_id)
    users(store_path, "disable", "dora")
    dora.get_by_role("tab", name="Step 1").click()
    form.locator(".vises-field-sector input").fill("After being disabled")
    form.locator(".vises-save").click()
    form.locator(".vises-status-conflict").wait_for(timeout=60_000)
    assert "Refused" in form.locator(".vises-status").inner_text()
    assert rows_of(store_path, enterprise_id) == before
    assert any(r["username"] == "dora" for r in security_log(store_path, "refused"))
    # and a new page sends her to the sign-in page; signing in is refused
    dora.goto(f"{base}/voila/render/workspace.ipynb", timeout=90_000)
    assert "/login" in dora.url
    page = sign_in(browser, base, "dora")
    assert "/login" in page.url and page.locator(".vises-refused").count() == 1
    for p in (dora, page):
        p.context.close()


def test_a_wrong_password_is_refused_and_slowed_after_repeated_failures(served, browser):
    base, store_path = served["base"], served["store"]
    context = browser.new_context()
    page = context.new_page()
    timings = []
    for attempt in range(accounts.FREE_FAILURES + 2):
        page.goto(f"{base}/login", timeout=60_000)
        page.fill("input[name=username]", "bert")
        page.fill("input[name=password]", f"guess number {attempt}")
        started = time.monotonic()
        with page.expect_response(lambda r: r.request.method == "POST", timeout=90_000) as got:
            page.click("button[type=submit]")
        timings.append(time.monotonic() - started)
        assert got.value.status == 401
        # the answer has come, the page showing it may still be parsed: wait for it
        expect(page.locator(".vises-refused")).to_have_count(1)
    free, slowed = timings[:accounts.FREE_FAILURES], timings[accounts.FREE_FAILURES:]
    # the server waited at least 1, then 2 s before checking (a lower bound, which no load
    # can break); that the first ones wait nothing is the delay rule's, not a stopwatch's
    assert slowed[0] >= 1.0 and slowed[1] >= 2.0, timings
    assert [accounts.delay(n) for n in range(len(free) + 2)] == [0] * len(free) + [1.0, 2.0]
    failed = [r for r in security_log(store_path, "sign_in_failed") if r["username"] == "bert"]
    assert len(failed) >= accounts.FREE_FAILURES + 2
    assert {r["address"] for r in failed} == {"127.0.0.1"}
    # the right password still opens (slowed too), and the log records the success
    page.goto(f"{base}/login", timeout=60_000)
    page.fill("input[name=username]", "bert")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation(timeout=90_000):
        page.click("button[type=submit]")
    assert "/login" not in page.url
    assert unexpected_tracebacks(served["log"].read_text()) == []
    context.close()


def test_the_kernel_query_socket_refuses_a_person(served, browser):
    """A signed-in person's cookie does not open /voila/query (the kernels' socket), and
    the token has no use for people: it opens no page."""
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    base = served["base"]
    anna = sign_in(browser, base, "anna")
    cookie = cookie_header(anna)
    kernel = "00000000-0000-4000-8000-000000000000"
    with pytest.raises(InvalidStatus) as refused:
        connect(f"{base.replace('http://', 'ws://')}/voila/query/{kernel}", open_timeout=20,
                additional_headers={"Cookie": cookie}).close()
    assert refused.value.response.status_code == 403
    request = urllib.request.Request(f"{base}/voila/render/workspace.ipynb?token=unused-by-people")
    with urllib.request.urlopen(request, timeout=60) as response:  # to the sign-in page
        assert "/login" in response.url
    anna.context.close()



def test_a_kernel_started_for_one_request_learns_who_asked(sample_db, tmp_path, browser):
    """No preheated kernel (--pool-size 0): Voila starts one per page, and the server puts
    the person in that kernel's environment; each sees only their own."""
    store_path = tmp_path / "vises.sqlite"
    shutil.copy(sample_db, store_path)
    first, own = first_accompanier(store_path)
    users(store_path, "add", "anna", "--role", "accompanier", "--accompanier", first)
    with vises_serve(store_path, tmp_path, "unused", accounts=True, pool_size=0) as (base, log):
        anna = sign_in(browser, base, "anna")
        assert open_workspace(anna, base) == own
        assert "Using pre-heated kernel" not in log.read_text()
        anna.context.close()


def test_the_landing_page_lists_only_what_the_role_may_open(served, browser):
    """Signing in lands on / : the dashboards the person's role opens (English: the
    server's language here), and a sign-out link."""
    from vises_nb.dashboards.landing import describe
    from vises_nb.paths import DASHBOARDS_DIR

    every = sorted(p.name for p in DASHBOARDS_DIR.glob("*.ipynb"))
    for name, expected in (("rita", ["cohort_explorer.ipynb"]),
                           ("anna", [n for n in every if n != "coordinator.ipynb"])):
        page = sign_in(browser, served["base"], name)
        assert page.url.rstrip("/") == served["base"]
        links = page.locator("main li a")
        listed = sorted(links.nth(i).get_attribute("href").rsplit("/", 1)[-1]
                        for i in range(links.count()))
        assert listed == expected, name
        assert links.first.inner_text() in {describe(n, "en").title for n in expected}
        assert page.locator("footer a[href$='/logout']").count() == 1
        page.context.close()

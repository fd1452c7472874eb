"""The coordinator's accounts section and forms opened to members, in a real browser
(issue 18): `vises serve --accounts` on a copy of the sample store, Chromium contexts.

A coordinator adds an accompanier's account on the coordinator page and reads its
one-time password; that person signs in with it, chooses their own password and sees their
enterprises; an accompanier is refused the page, and their cookie on the coordinator's
kernel (the same widget messages) is refused. An accompanier opens the identity card to an
enterprise's member, who fills and saves it (changed_by: the member) but cannot edit the
closed forms; once closed again, the member's save is refused and nothing changes."""

from __future__ import annotations

import re
import shutil
import time

import browser_accounts
import pytest
import workspace_walk as walk
from browser_accounts import (
    PASSWORD,
    cookie_header,
    enterprise_options,
    page_kernel,
    security_log,
    users,
)
from playwright.sync_api import expect
from serving import unexpected_tracebacks, vises_serve

from vises_nb.store import accounts
from vises_nb.store import model as m
from vises_nb.store.store import Store

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def served(sample_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("member_forms")
    store_path = folder / "vises.sqlite"
    shutil.copy(sample_db, store_path)
    first, followed = browser_accounts.first_accompanier(store_path)
    store = Store.open(store_path)
    accompanier = store.get(m.Accompanier, first)[0]
    store.close()
    users(store_path, "add", "coco", "--role", "coordinator")
    users(store_path, "add", "anna", "--role", "accompanier", "--accompanier", first)
    users(store_path, "add", "mia", "--role", "member", "--enterprise", followed[0])
    with vises_serve(store_path, folder, "unused-by-people", accounts=True) as (base, log):
        yield {"base": base, "store": store_path, "log": log, "first": first,
               "followed": followed, "accompanier": accompanier}


def sign_in(browser, base: str, name: str, password: str = PASSWORD):
    """Signed in, on the workspace."""
    return browser_accounts.sign_in(browser, base, name, password,
                                    after="/voila/render/workspace.ipynb")


def test_a_coordinator_creates_an_account_that_person_then_signs_in(served, browser):
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    base, store_path = served["base"], served["store"]
    coco = sign_in(browser, base, "coco")
    coco.goto(f"{base}/voila/render/coordinator.ipynb", timeout=90_000)
    panel = coco.locator(".vises-panel-people")
    panel.locator(".vises-people-add").wait_for(timeout=120_000)
    expect(panel.locator(".vises-people-list")).to_contain_text("anna")  # a widget of its own
    name = panel.locator(".vises-people-username input")
    name.fill("nora x")  # checked as typed, the message tied to the field
    message = panel.locator(".vises-row:has(.vises-people-username) .vises-error-text")
    message.wait_for(timeout=30_000)
    assert "letters, digits" in message.inner_text()
    coco.wait_for_function(
        "() => document.querySelector('.vises-people-username input')"
        ".getAttribute('aria-invalid') === 'true'", timeout=30_000)
    described = name.get_attribute("aria-describedby")
    assert described and coco.locator(f"#{described.split()[0]}").inner_text() == \
        message.inner_text()
    name.fill("nora")
    message.wait_for(state="detached", timeout=30_000)
    panel.locator(".vises-people-role select").select_option(label="accompanier")
    accompanier = served["accompanier"]
    panel.locator(".vises-people-accompanier_id select").select_option(
        label=f"{accompanier.id} — {accompanier.name}")
    panel.locator(".vises-people-add").click()
    code = panel.locator(".vises-one-time-password")
    code.wait_for(timeout=60_000)
    password = code.inner_text().strip()
    assert re.fullmatch(r"(\w{4}-){3}\w{4}", password)
    coco.wait_for_function("() => document.querySelector('.vises-people-list')"
                           ".innerText.includes('nora')", timeout=30_000)
    enrolled = security_log(store_path, "enrolled")
    assert any(r["username"] == "nora" and "by coco" in r["detail"] for r in enrolled)
    coordinator_kernel = page_kernel(coco)

    # nora signs in with it, must choose her own password, then sees her enterprises
    nora = sign_in(browser, base, "nora", password)
    assert nora.locator("form.vises-change").count() == 1
    nora.fill("input[name=new]", "nora's very own secret")
    nora.fill("input[name=again]", "nora's very own secret")
    with nora.expect_navigation(timeout=90_000):
        nora.click("button[type=submit]")
    nora.locator(".vises-card h2").wait_for(timeout=120_000)
    options = enterprise_options(nora)
    assert sorted(o.split()[0] for o in options) == served["followed"]
    # the one-time password no longer opens anything
    again = sign_in(browser, base, "nora", password)
    assert again.locator(".vises-refused").count() == 1

    # an accompanier: the page is refused; her cookie on the coordinator's kernel too
    anna = sign_in(browser, base, "anna")
    response = anna.goto(f"{base}/voila/render/coordinator.ipynb", timeout=90_000)
    assert response.status == 403
    cookie = cookie_header(anna)
    with pytest.raises(InvalidStatus) as refused:
        connect(f"{base.replace('http://', 'ws://')}/api/kernels/{coordinator_kernel}"
                "/channels", open_timeout=20, additional_headers={"Cookie": cookie}).close()
    assert refused.value.response.status_code == 403
    store = Store.open(store_path)
    assert {p.username for p in accounts.list_people(store)} == {"coco", "anna", "mia", "nora"}
    store.close()
    refusals = [r["detail"] for r in security_log(store_path, "refused")
                if r["username"] == "anna"]
    assert f"kernel {coordinator_kernel}" in refusals
    for page in (coco, nora, again, anna):
        page.context.close()


def test_a_member_fills_the_opened_form_and_not_a_closed_one(served, browser):
    base, store_path = served["base"], served["store"]
    enterprise_id = served["followed"][0]
    anna = sign_in(browser, base, "anna")
    anna.locator(".vises-members").wait_for(timeout=120_000)
    tick = anna.locator(".vises-open-identity input")
    tick.check()
    anna.locator(".vises-members-saved").wait_for(timeout=30_000)
    expect(anna.locator(".vises-members")).to_contain_text("opened by anna")

    mia = sign_in(browser, base, "mia")
    mia.locator(".vises-members-open").wait_for(timeout=120_000)
    expect(mia.locator(".vises-members-open")).to_contain_text("Identity card")
    mia.get_by_role("tab", name="Step 1").click()
    form = mia.locator(".vises-form-identity")
    form.wait_for(timeout=60_000)
    walk.open_section(mia, "stakeholders", "en")  # built when opened, read-only
    expect(mia.locator(".vises-add-stakeholders")).to_be_disabled()  # a closed form
    mia.locator(".vises-add-stakeholders").click(force=True)
    expect(mia.locator(".vises-form-stakeholders .vises-save")).to_be_disabled()
    walk.open_section(mia, "identity", "en")
    form.locator(".vises-field-sector input").fill("Filled in by mia")
    form.locator(".vises-save").click()
    form.locator(".vises-status-saved").wait_for(timeout=60_000)
    store = Store.open(store_path)
    assert store.get(m.Enterprise, enterprise_id)[0].sector == "Filled in by mia"
    assert accounts.history(store, enterprise_id, 1)[0]["changed_by"] == "mia"
    store.close()

    # anna closes it again while mia's page is open: mia's next save is refused
    tick.uncheck()
    anna.wait_for_function("() => document.querySelector('.vises-members')"
                           ".innerText.includes('closed again')", timeout=30_000)
    form.locator(".vises-field-sector input").fill("After closing")
    form.locator(".vises-save").click()
    form.locator(".vises-status-conflict").wait_for(timeout=60_000)
    assert "Refused" in form.locator(".vises-status").inner_text()
    time.sleep(1)
    store = Store.open(store_path)
    assert store.get(m.Enterprise, enterprise_id)[0].sector == "Filled in by mia"
    store.close()
    assert any(r["username"] == "mia" and enterprise_id in r["detail"]
               for r in security_log(store_path, "refused"))
    assert unexpected_tracebacks(served["log"].read_text()) == []
    for page in (anna, mia):
        page.context.close()

"""What a signed-in person can send below the page: comm messages on their own kernel's
websocket that the page never offers (a click on a hidden or disabled button, a value in
a disabled field, a megabyte of text), another person's kernel, another site's page.

One real `vises serve --accounts` on a copy of the sample store, people signed in from
Chromium contexts (the page is theirs: its kernel is owned by them), and a websocket
client in this test speaking the Jupyter protocol with the page's own cookie, as anyone
can from the devtools: it lists the page's widgets (comm_info_request, then each
widget's state), finds one by its CSS class, sets its state and clicks it. Each case
checks the store afterwards, never the page's manners."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter

import pytest
from browser_accounts import (
    cookie_header,
    forge_widget_messages,
    open_workspace,
    page_kernel,
    security_log,
    sign_in,
    users,
)
from serving import chromium_browser, unexpected_tracebacks, vises_serve

from vises_nb.store import model as m
from vises_nb.store.loading import TABLES as ENTERPRISE_TABLES
from vises_nb.store.store import Store

pytestmark = pytest.mark.slow


class PageKernel:
    """A websocket on a page's kernel with that page's cookie (what the page's own script,
    or anyone with the devtools open, can do): the widgets' states, kept up to date from
    what the kernel broadcasts, and messages as the widget manager sends them."""

    def __init__(self, base: str, kernel: str, cookie: str):
        from websockets.sync.client import connect

        self.session = uuid.uuid4().hex
        self.ws = connect(f"{base.replace('http://', 'ws://')}/api/kernels/{kernel}/channels"
                          f"?session_id={self.session}", open_timeout=30, max_size=None,
                          additional_headers={"Cookie": cookie})
        self.states: dict[str, dict] = {}

    def close(self) -> None:
        self.ws.close()

    def send(self, msg_type: str, content: dict) -> str:
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": msg_type, "session": self.session,
                       "username": "", "version": "5.3",
                       "date": dt.datetime.now(dt.UTC).isoformat()},
            "parent_header": {}, "metadata": {}, "content": content, "channel": "shell",
            "buffers": []}))
        return msg_id

    def _take(self, message: dict) -> None:
        kind = message.get("msg_type") or message.get("header", {}).get("msg_type")
        content = message.get("content") or {}
        if kind == "comm_open" and content.get("target_name") == "jupyter.widget":
            self.states[content["comm_id"]] = dict(content["data"].get("state", {}))
        elif kind == "comm_msg" and content.get("data", {}).get("method") in ("update",
                                                                              "echo_update"):
            self.states.setdefault(content["comm_id"], {}).update(content["data"]["state"])
        elif kind == "comm_close":
            self.states.pop(content.get("comm_id"), None)

    def reply_to(self, msg_id: str, timeout: float = 120) -> dict:
        """Read until the shell reply to `msg_id` (taking every broadcast meanwhile)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                raw = self.ws.recv(timeout=max(0.1, deadline - time.monotonic()))
            except TimeoutError:
                break
            if isinstance(raw, bytes):
                continue
            message = json.loads(raw)
            self._take(message)
            if (message.get("channel") == "shell"
                    and message.get("parent_header", {}).get("msg_id") == msg_id):
                return message
        raise AssertionError(f"no reply to {msg_id} in {timeout} s")

    def drain(self, seconds: float = 1.0) -> None:
        """Take what the kernel still broadcasts (iopub may trail the shell reply)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                raw = self.ws.recv(timeout=max(0.05, deadline - time.monotonic()))
            except TimeoutError:
                return
            if isinstance(raw, str):
                self._take(json.loads(raw))

    def sync(self, timeout: float = 180) -> list[str]:
        """Wait until the kernel handled every message sent before (the shell channel is
        handled in order); the widgets' comm ids."""
        reply = self.reply_to(self.send("comm_info_request",
                                        {"target_name": "jupyter.widget"}), timeout)
        self.drain()
        return list(reply["content"]["comms"])

    def load(self) -> None:
        """Every widget's whole state, as Voila's page asks for it."""
        comms = self.sync()
        for comm_id in comms:
            self.send("comm_msg", {"comm_id": comm_id, "data": {"method": "request_state"}})
        self.sync()
        deadline = time.monotonic() + 60
        missing = comms
        while missing and time.monotonic() < deadline:
            self.drain(0.5)
            missing = [c for c in comms if "_model_name" not in self.states.get(c, {})]
        assert not missing, f"{len(missing)} of {len(comms)} widgets sent no state"

    def _children(self, comm_id: str) -> list[str]:
        state = self.states.get(comm_id, {})
        return [c.removeprefix("IPY_MODEL_") for c in state.get("children", []) or []
                if isinstance(c, str)]

    def below(self, comm_id: str) -> list[str]:
        found, todo = [], [comm_id]
        while todo:
            for child in self._children(todo.pop()):
                found.append(child)
                todo.append(child)
        return found

    def find(self, css: str, within: str | None = None) -> list[str]:
        """The widgets carrying class `css` (below widget `within`, if given)."""
        pool = self.below(within) if within else list(self.states)
        return [c for c in pool if css in (self.states.get(c, {}).get("_dom_classes") or [])]

    def one(self, css: str, within: str | None = None, model: str = "") -> str:
        found = [c for c in self.find(css, within)
                 if not model or self.states[c].get("_model_name") == model]
        assert len(found) == 1, (css, found)
        return found[0]

    def set(self, comm_id: str, **state) -> None:
        self.send("comm_msg", {"comm_id": comm_id, "data": {"method": "update",
                                                            "state": state,
                                                            "buffer_paths": []}})

    def click(self, comm_id: str) -> None:
        self.send("comm_msg", {"comm_id": comm_id, "data": {"method": "custom",
                                                            "content": {"event": "click"}}})

    def html_of(self, css: str, within: str | None = None) -> str:
        return " ".join(self.states[c].get("value", "") for c in self.find(css, within))


@pytest.fixture(scope="module")
def served(sample_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("crafted")
    store_path = folder / "vises.sqlite"
    shutil.copy(sample_db, store_path)
    store = Store.open(store_path)
    counts = Counter(e.accompanier_id for e in store.list(m.Enterprise))
    first, second = sorted(a for a, n in counts.items() if a and n >= 2)[:2]
    followed = {a: sorted(e.id for e in store.list(m.Enterprise, accompanier_id=a))
                for a in (first, second)}
    names = {a.id: a.name for a in store.list(m.Accompanier)}
    every = sorted(e.id for e in store.list(m.Enterprise))
    store.close()
    users(store_path, "add", "coco", "--role", "coordinator")
    users(store_path, "add", "anna", "--role", "accompanier", "--accompanier", first)
    users(store_path, "add", "dora", "--role", "accompanier", "--accompanier", first)
    users(store_path, "add", "bert", "--role", "accompanier", "--accompanier", second)
    users(store_path, "add", "rita", "--role", "researcher")
    users(store_path, "add", "mia", "--role", "member", "--enterprise", followed[first][0])
    reports = folder / "reports"
    old = os.environ.get("VISES_REPORTS")
    os.environ["VISES_REPORTS"] = str(reports)  # the server's kernels write reports here
    try:
        with vises_serve(store_path, folder, "unused-by-people", accounts=True) as (base, log):
            yield {"base": base, "store": store_path, "log": log, "reports": reports,
                   "anna": followed[first], "bert": followed[second], "every": every,
                   "first": first, "second": second, "names": names}
    finally:
        if old is None:
            os.environ.pop("VISES_REPORTS", None)
        else:
            os.environ["VISES_REPORTS"] = old


@pytest.fixture(scope="module")
def browser(chromium):
    pytest.importorskip("playwright.sync_api")
    with chromium_browser(chromium) as launched:
        yield launched


def enterprise_rows(store_path, enterprise_id: str) -> dict:
    """Everything stored about one enterprise (its every table)."""
    store = Store.open(store_path)
    try:
        found = {name: store.frame(name, enterprise_id).to_dict("records")
                 for name in (*ENTERPRISE_TABLES, "enterprises", "step_events")}
        return json.loads(json.dumps(found, default=str, sort_keys=True))  # NaN == NaN
    finally:
        store.close()


def stored(store_path, model, key):
    store = Store.open(store_path)
    try:
        return store.get(model, key)
    finally:
        store.close()


def step_events(store_path, enterprise_id: str) -> list[m.StepEvent]:
    store = Store.open(store_path)
    try:
        return store.list(m.StepEvent, enterprise_id=enterprise_id)
    finally:
        store.close()


def open_page(page, base: str, notebook: str, ready: str) -> None:
    page.goto(f"{base}/voila/render/{notebook}", timeout=90_000)
    page.locator(ready).first.wait_for(timeout=120_000)


# ---------------------------------------------------------------- 1. buttons and fields
def test_a_disabled_accounts_open_page_generates_no_report(served, browser):
    """dora's page shows step 3's results and its *Generate the report* button; her
    account is then disabled. The click (the button is there, enabled) must not run a
    report on the whole store for her: the runner reads the store unguarded."""
    base, store_path = served["base"], served["store"]
    store = Store.open(store_path)
    target = next(e for e in served["anna"]  # one whose step 3 is under way: a report is due
                  if store.get(m.StepStatus, (e, "3"))[0].status == "in_progress")
    store.close()
    dora = sign_in(browser, base, "dora")
    dora.goto(f"{base}/voila/render/workspace.ipynb?enterprise={target}", timeout=90_000)
    dora.locator(".vises-card h2").wait_for(timeout=120_000)
    dora.get_by_role("tab", name="Step 3").click()
    dora.locator(".vises-show-results").click()
    dora.locator(".vises-report-button").wait_for(timeout=180_000)
    users(store_path, "disable", "dora")
    dora.locator(".vises-report-button").click()
    dora.wait_for_function(
        "() => { const r = document.querySelector('.vises-report');"
        " return r && r.innerText.trim() && !r.innerText.includes('…')"
        " && !r.innerText.toLowerCase().includes('generating'); }", timeout=300_000)
    shown = dora.locator(".vises-report").inner_text()
    assert dora.locator(".vises-report a.vises-download").count() == 0, shown
    assert "Refused" in shown, shown
    assert not list(served["reports"].rglob("*.html")), "a report was run for a disabled account"
    assert any(r["username"] == "dora" for r in security_log(store_path, "refused"))
    dora.context.close()


def test_a_disabled_id_field_set_by_message_overwrites_no_other_record(served, browser):
    """On the coordinator page, a stored enterprise's (or group's) id is shown disabled:
    the form edits that record. A message setting the disabled field to another id, then
    *Save*, must not write over the other record (its revision never read)."""
    base, store_path = served["base"], served["store"]
    chosen, other = served["every"][-2], served["every"][-1]
    (_r, chosen_rev), (victim, victim_rev) = (stored(store_path, m.Enterprise, chosen),
                                              stored(store_path, m.Enterprise, other))
    assert chosen_rev == victim_rev  # a revision that matches: the overwrite would succeed
    coco = sign_in(browser, base, "coco")
    open_page(coco, base, "coordinator.ipynb", ".vises-panel-enterprise")
    kernel = PageKernel(base, page_kernel(coco), cookie_header(coco))
    try:
        kernel.load()
        panel = kernel.one("vises-panel-enterprise")
        choice = kernel.one("vises-coord-enterprise", panel)
        labels = kernel.states[choice]["_options_labels"]
        kernel.set(choice, index=next(i for i, label in enumerate(labels)
                                      if label.startswith(f"{chosen} ")))
        kernel.sync()
        form = kernel.one("vises-form-coord-enterprise", panel)
        field = kernel.one("vises-field-id", form)
        assert kernel.states[field]["disabled"] and kernel.states[field]["value"] == chosen
        kernel.set(field, value=other)
        kernel.set(kernel.one("vises-field-name", form), value="Written over by a message")
        kernel.click(kernel.one("vises-save", form))
        kernel.sync()
        assert stored(store_path, m.Enterprise, other) == (victim, victim_rev)
        # *Yes, archive* is hidden until *Archive* asked: clicked by message, it archives
        # nothing
        kernel.click(kernel.one("vises-archive-confirm", panel))
        kernel.sync()
        assert not stored(store_path, m.Enterprise, chosen)[0].archived

        # the same on a group: its id field is disabled once the group is stored
        store = Store.open(store_path)
        groups = sorted(store.list(m.Group), key=lambda g: g.id)
        members = {g.id: sorted(gm.enterprise_id for gm in store.list(m.GroupMember,
                                                                      group_id=g.id))
                   for g in groups}
        store.close()
        if len(groups) >= 2:
            first, second = groups[0], groups[1]
            group_panel = kernel.one("vises-panel-group")
            choice = kernel.one("vises-coord-group", group_panel)
            labels = kernel.states[choice]["_options_labels"]
            kernel.set(choice, index=next(i for i, label in enumerate(labels)
                                          if label.startswith(f"{first.id} ")))
            kernel.sync()
            field = kernel.one("vises-group-id", group_panel)
            assert kernel.states[field]["disabled"]
            kernel.set(field, value=second.id)
            kernel.click(kernel.one("vises-group-save", group_panel))
            kernel.sync()
            store = Store.open(store_path)
            after = sorted(gm.enterprise_id for gm in store.list(m.GroupMember,
                                                                 group_id=second.id))
            assert store.get(m.Group, second.id)[0] == second
            store.close()
            assert after == members[second.id]
    finally:
        kernel.close()
        coco.context.close()


def test_a_member_clicking_every_button_by_message_changes_nothing(served, browser):
    """mia (a member; no form opened to her) sees her enterprise's workspace read-only:
    inputs and buttons disabled. Set every widget of every tab built and click every
    button (step status, save, remove, confirm, import, report), by message."""
    base, store_path = served["base"], served["store"]
    own = served["anna"][0]
    before = enterprise_rows(store_path, own)
    mia = sign_in(browser, base, "mia")
    assert open_workspace(mia, base) == [own]
    for tab in ("Step 1", "Step 2", "Step 3"):
        mia.get_by_role("tab", name=tab).click()
        mia.wait_for_timeout(1500)
    for built in (".vises-form-identity", ".vises-section-plan", ".vises-section-findings"):
        mia.locator(built).first.wait_for(state="attached", timeout=60_000)
    kernel = page_kernel(mia)
    result = forge_widget_messages(mia, kernel, "", [
        {"value": "forged by mia"}, {"disabled": False}, {"value": True}], "mia",
        clicks_last=True)
    assert result["comms"] > 50, result
    # the kernel works through ~1,000 messages: wait until its refusals stop coming
    refused, deadline, still = -1, time.monotonic() + 600, 0
    while time.monotonic() < deadline and still < 3:
        time.sleep(3)
        count = sum(r["username"] == "mia" for r in security_log(store_path, "refused"))
        still = still + 1 if count == refused and count > 0 else 0
        refused = count
    assert enterprise_rows(store_path, own) == before
    details = {r["detail"] for r in security_log(store_path, "refused") if r["username"] == "mia"}
    assert any("step_status" in d for d in details), details  # the steps' hidden buttons
    assert any(d.startswith("write enterprises") for d in details), details  # a disabled Save
    mia.context.close()


def test_hidden_step_buttons_and_who_changed_a_step(served, browser):
    """A step's buttons are shown for its status only (start: not started; complete: not
    done; reopen: done). Clicked by message while hidden, *Start* on a completed step put
    it back in progress with no reopening recorded. And the history named "the
    accompanier chosen at the top", a drop-down a coordinator sets to anyone: with
    accounts, it is the signed-in person."""
    base, store_path = served["base"], served["store"]
    target = served["bert"][-1]
    assert stored(store_path, m.StepStatus, (target, "1"))[0].status == "done"
    coco = sign_in(browser, base, "coco")
    open_workspace(coco, base)
    kernel = PageKernel(base, page_kernel(coco), cookie_header(coco))
    try:
        kernel.load()
        chooser = kernel.one("vises-accompanier")
        labels = kernel.states[chooser]["_options_labels"]
        bert_name = served["names"][served["second"]]
        kernel.set(chooser, index=next(i for i, label in enumerate(labels)
                                       if label.startswith(bert_name)))
        kernel.sync()
        enterprise = kernel.one("vises-enterprise")
        labels = kernel.states[enterprise]["_options_labels"]
        kernel.set(enterprise, index=next(i for i, label in enumerate(labels)
                                          if label.startswith(f"{target} ")))
        kernel.sync()
        row = kernel.one("vises-step-1", kernel.one("vises-workspace"))
        start, reopen = kernel.one("vises-step-start", row), kernel.one("vises-step-reopen", row)
        kernel.click(start)  # hidden: step 1 is done
        kernel.sync()
        assert stored(store_path, m.StepStatus, (target, "1"))[0].status == "done"
        kernel.set(kernel.one("vises-step-reason", row), value="Redo the chain")
        kernel.click(reopen)  # shown: step 1 is done
        kernel.sync()
        kernel.click(reopen)  # hidden now: step 1 is in progress
        kernel.sync()
    finally:
        kernel.close()
        coco.context.close()
    events = [(e.step, e.action, e.by, e.reason) for e in step_events(store_path, target)
              if e.step == "1"]
    assert events == [("1", "reopened", "coco", "Redo the chain")], events
    assert stored(store_path, m.StepStatus, (target, "1"))[0].status == "in_progress"


def test_a_megabyte_and_control_characters_in_a_field(served, browser):
    """A Text's value is whatever the message says: a megabyte in the identity card's
    sector (no limit on the page), control characters in its legal form."""
    base, store_path = served["base"], served["store"]
    own = served["anna"][0]
    before, revision = stored(store_path, m.Enterprise, own)
    anna = sign_in(browser, base, "anna")
    open_workspace(anna, base)
    anna.get_by_role("tab", name="Step 1").click()
    anna.locator(".vises-form-identity").wait_for(timeout=60_000)
    kernel = PageKernel(base, page_kernel(anna), cookie_header(anna))
    try:
        kernel.load()
        form = kernel.one("vises-form-identity")
        kernel.set(kernel.one("vises-field-sector", form), value="x" * 1_000_000)
        kernel.click(kernel.one("vises-save", form))
        kernel.sync()
        assert stored(store_path, m.Enterprise, own) == (before, revision)
        assert "vises-status-invalid" in kernel.html_of("vises-status", form)
        kernel.set(kernel.one("vises-field-sector", form), value="Recyclage")
        kernel.set(kernel.one("vises-field-legal_form", form),
                   value="AS\x1b[31mBL\x07\x08\x9b")
        kernel.click(kernel.one("vises-save", form))
        kernel.sync()
        after, _revision = stored(store_path, m.Enterprise, own)
        assert after.sector == "Recyclage"
        assert not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in after.legal_form)
        assert after.legal_form.startswith("AS[31mBL")
    finally:
        kernel.close()
        anna.context.close()


# ---------------------------------------------------------------- 3. another's comm, sites
def test_no_listing_of_kernels_no_foreign_socket_no_cross_site_socket(served, browser):
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    base = served["base"]
    ws = base.replace("http://", "ws://")
    anna = sign_in(browser, base, "anna")
    open_workspace(anna, base)
    kernel, cookie = page_kernel(anna), cookie_header(anna)
    # no kernel or session listing to guess from
    for path in ("/api/kernels", "/api/sessions", "/api/kernelspecs", "/api/contents",
                 "/api/terminals", f"/api/kernels/{kernel}/restart"):
        request = urllib.request.Request(f"{base}{path}", headers={"Cookie": cookie})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=30).read()
        assert refused.value.code in (403, 404), path
    # Voila's contents route lists the dashboards' notebooks (as the landing page does),
    # never a kernel or session
    request = urllib.request.Request(f"{base}/voila/api/contents", headers={"Cookie": cookie})
    listed = urllib.request.urlopen(request, timeout=30).read().decode()
    assert kernel not in listed and "kernel" not in json.loads(listed)
    # rita (a researcher) and bert: anna's kernel refuses them
    for name in ("rita", "bert"):
        other = sign_in(browser, base, name)
        with pytest.raises(InvalidStatus) as refused:
            connect(f"{ws}/api/kernels/{kernel}/channels", open_timeout=20,
                    additional_headers={"Cookie": cookie_header(other)}).close()
        assert refused.value.response.status_code == 403
        other.context.close()
    # another site's page with anna's cookie (the browser sends it with the socket):
    # refused by its Origin; her own page's origin is fine
    with pytest.raises(InvalidStatus) as refused:
        connect(f"{ws}/api/kernels/{kernel}/channels", open_timeout=20,
                additional_headers={"Cookie": cookie, "Origin": "http://evil.example"}).close()
    assert refused.value.response.status_code == 403
    connect(f"{ws}/api/kernels/{kernel}/channels", open_timeout=20,
            additional_headers={"Cookie": cookie, "Origin": base}).close()
    anna.context.close()


def test_the_sign_in_cookie_is_http_only_and_same_site(served):
    """The login cookie cannot be read by a page's script (HttpOnly) nor sent by another
    site's requests (SameSite=Lax: no kernel started for anna by a page elsewhere)."""
    import http.cookiejar

    base = served["base"]
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login", timeout=30).read().decode()
    xsrf = page.split("name=\"_xsrf\" value=\"", 1)[1].split("\"", 1)[0]
    data = urllib.parse.urlencode({"_xsrf": xsrf, "username": "anna",
                                   "password": "a long enough secret 18",
                                   "next": "/"}).encode()

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as answer:
        opener.open(urllib.request.Request(f"{base}/login", data=data), timeout=60)
    assert answer.value.code == 302
    cookies = [c for c in answer.value.headers.get_all("Set-Cookie")
               if not c.startswith("_xsrf")]
    assert cookies, answer.value.headers
    for cookie in cookies:
        flags = {part.strip().split("=")[0].lower(): part.strip()
                 for part in cookie.split(";")[1:]}
        assert "httponly" in flags, cookie
        assert flags.get("samesite", "").lower() == "samesite=lax", cookie
    assert unexpected_tracebacks(served["log"].read_text()) == []


def test_the_cookie_is_secure_when_told_browsers_come_over_https(monkeypatch):
    """Behind a reverse proxy terminating TLS, vises sees http: VISES_SECURE_COOKIE=1
    makes the login cookie Secure (otherwise Secure exactly when the request is https)."""
    from vises_nb.dashboards.voila_app import (
        SECURE_COOKIE_ENV,
        AccountIdentityProvider,
        TokenIdentityProvider,
    )

    monkeypatch.delenv(SECURE_COOKIE_ENV, raising=False)
    for provider in (AccountIdentityProvider, TokenIdentityProvider):
        assert provider().cookie_options == {"samesite": "Lax"}
        assert provider().secure_cookie is None  # jupyter_server: the request's protocol
    monkeypatch.setenv(SECURE_COOKIE_ENV, "1")
    for provider in (AccountIdentityProvider, TokenIdentityProvider):
        assert provider().secure_cookie is True


# ---------------------------------------------------------------- confirmations, in-process
# (ipywidgets' Button.click() is what a {"event": "click"} message runs, hidden or not)
def test_a_removal_needs_its_question_asked_first(sample_db, tmp_path):
    from vises_nb.dashboards.confirm_delete import ConfirmedDelete
    from vises_nb.dashboards.coordinator import Coordinator
    from vises_nb.dashboards.workspace import step1

    removed = []
    deleting = ConfirmedDelete("en", "thing", lambda: removed.append(1))
    deleting.confirm.click()  # hidden: never asked
    assert removed == []
    deleting.button.click()
    deleting.cancel.click()
    deleting.confirm.click()  # asked, then put away
    assert removed == []
    deleting.button.click()
    deleting.confirm.click()
    assert removed == [1]

    store_path = tmp_path / "vises.sqlite"
    shutil.copy(sample_db, store_path)
    panel = Coordinator(str(store_path), "en").enterprises
    panel.choice.value = "E01"
    panel.confirm.click()  # *Yes, archive* without *Archive*
    panel.archive.click()  # asked about E01 ...
    panel.choice.value = "E02"  # ... then another record chosen
    panel.confirm.click()
    assert not stored(store_path, m.Enterprise, "E01")[0].archived
    assert not stored(store_path, m.Enterprise, "E02")[0].archived

    # the methods list edits the questions' methods: its Add and Remove are hidden
    store = Store.open(store_path)
    enterprise_id = store.list(m.EvaluativeQuestion)[0].enterprise_id
    questions = sorted(q.id for q in store.list(m.EvaluativeQuestion,
                                                enterprise_id=enterprise_id))
    methods = step1.methods(store, enterprise_id, "en")
    methods.chooser.value = questions[0]
    methods.delete_button.click()
    methods.add_button.click()
    assert sorted(q.id for q in store.list(m.EvaluativeQuestion,
                                           enterprise_id=enterprise_id)) == questions
    assert methods.form.base["id"] == questions[0]
    store.close()


def test_a_reopening_reason_longer_than_a_text_is_said_not_raised(sample_db, tmp_path):
    from vises_nb.dashboards.workspace import progress

    store_path = tmp_path / "vises.sqlite"
    shutil.copy(sample_db, store_path)
    store = Store.open(store_path)
    enterprise_id = next(s.enterprise_id for s in store.list(m.StepStatus)
                         if s.step == "1" and s.status == "done")
    panel = progress.StepPanel(store, enterprise_id, "en", by=lambda: "Anne")
    row = panel.rows["1"]
    row.reason.value = "x" * (progress.REASON_MAX + 1)
    assert row.act("reopen") is False
    assert "Too long: 20000 characters at most" in row.message.value
    assert store.get(m.StepStatus, (enterprise_id, "1"))[0].status == "done"
    store.close()

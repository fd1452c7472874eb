"""People signing in to a real `vises serve --accounts`, in Chromium contexts, and the
forged messages an attacker sends from their own page: shared by the accounts, members'
forms, groups and trusted-header browser tests (no pytest needed here)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from vises_nb.store import accounts
from vises_nb.store.store import Store

PASSWORD = "a long enough secret 18"
KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"')


def users(store_path: Path, *args: str, password: str = PASSWORD) -> subprocess.CompletedProcess:
    """`vises users ...` as a coordinator types it (the password on stdin)."""
    return subprocess.run([sys.executable, "-m", "vises_nb.cli", "--lang", "en", "users", *args,
                           "--store", str(store_path)], input=password + "\n",
                          capture_output=True, text=True, timeout=120, check=True)


def sign_in(browser, base: str, name: str, password: str = PASSWORD, after: str = "",
            viewport: dict | None = None):
    """A new browser context (its own cookies) signed in as `name` on the sign-in page
    (then sent to `after`, a path on the server, if given); its page."""
    context = browser.new_context(**({"viewport": viewport} if viewport else {}))
    page = context.new_page()
    page.goto(f"{base}/login" + (f"?next={after}" if after else ""), timeout=60_000)
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", password)
    with page.expect_navigation(timeout=60_000):
        page.click("button[type=submit]")
    return page


def cookie_header(page) -> str:
    """The page's cookies as a Cookie header (to replay them outside the browser)."""
    return "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies())


def open_workspace(page, base: str) -> list[str]:
    """The workspace; the enterprise ids its drop-down offers."""
    page.goto(f"{base}/voila/render/workspace.ipynb", timeout=90_000)
    page.locator(".vises-card h2").wait_for(timeout=120_000)
    return sorted(o.split()[0] for o in enterprise_options(page))


def enterprise_options(page) -> list[str]:
    """The texts of the enterprise drop-down's options, once it is drawn: the card and the
    drop-down are widgets of their own, the one shown does not mean the other is."""
    options = page.locator(".vises-enterprise select option")
    options.first.wait_for(state="attached", timeout=60_000)  # a Select draws all at once
    return options.all_inner_texts()


def security_log(store_path: Path, event: str) -> list[dict]:
    store = Store.open(store_path)
    try:
        return accounts.security_log(store, event)
    finally:
        store.close()


def page_kernel(page) -> str:
    """The id of the kernel serving this page (Voila writes it into the page)."""
    found = set(KERNEL_ID.findall(page.content()))
    assert len(found) == 1, found
    return found.pop()


# From the attacker's own page, on their own kernel's websocket: code to execute, then
# widget messages setting every widget to each forged state and a click on every widget
# (each widget's click right after its states, or every click after every state).
FORGE = """async ([kernel, code, states, username, clicksLast]) => {
    const ws = new WebSocket(`ws://${location.host}/api/kernels/${kernel}/channels`);
    await new Promise((ok, ko) => { ws.onopen = ok; ws.onerror = ko; });
    const got = [];
    ws.onmessage = (e) => { try { got.push(JSON.parse(e.data)); } catch (x) {} };
    const msg = (type, content) => ({channel: 'shell', content, metadata: {},
        parent_header: {}, buffers: [],
        header: {msg_id: crypto.randomUUID(), msg_type: type, session: 'forger',
                 username, version: '5.3', date: new Date().toISOString()}});
    ws.send(JSON.stringify(msg('execute_request', {code, silent: false,
        store_history: false, user_expressions: {}, allow_stdin: false})));
    ws.send(JSON.stringify(msg('comm_info_request', {target_name: 'jupyter.widget'})));
    for (let i = 0; i < 50 && !got.some(m => m.msg_type === 'comm_info_reply'); i++)
        await new Promise(r => setTimeout(r, 200));
    const info = got.find(m => m.msg_type === 'comm_info_reply');
    const comms = info ? Object.keys(info.content.comms) : [];
    const click = (comm_id) => ws.send(JSON.stringify(msg('comm_msg', {comm_id,
        data: {method: 'custom', content: {event: 'click'}}})));
    for (const comm_id of comms) {
        for (const state of states)
            ws.send(JSON.stringify(msg('comm_msg', {comm_id,
                data: {method: 'update', state, buffer_paths: []}})));
        if (!clicksLast) click(comm_id);
    }
    if (clicksLast) comms.forEach(click);
    await new Promise(r => setTimeout(r, 5000));
    ws.close();
    return {comms: comms.length,
            executed: got.some(m => m.msg_type === 'execute_reply' ||
                                    m.msg_type === 'execute_input')};
}"""


def forge_widget_messages(page, kernel: str, code: str, states: list[dict],
                          username: str, clicks_last: bool = False) -> dict:
    """Send, from `page`, forged messages on `kernel`'s websocket (a code execution, then
    each widget set to each of `states` and clicked — at once, or after every widget's
    states with `clicks_last` — in a header naming `username`). Returns how many widgets
    there were to forge messages to ("comms") and whether the kernel ran the code
    ("executed")."""
    return page.evaluate(FORGE, [kernel, code, states, username, clicks_last])


def first_accompanier(store_path: Path) -> tuple[str, list[str]]:
    """The first accompanier (by id) who follows enterprises, and the ids they follow."""
    from vises_nb.store import model as m

    store = Store.open(store_path)
    try:
        first = min(e.accompanier_id for e in store.list(m.Enterprise) if e.accompanier_id)
        return first, sorted(e.id for e in store.list(m.Enterprise, accompanier_id=first))
    finally:
        store.close()

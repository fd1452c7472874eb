"""`vises serve` on a hostile store: token everywhere, no file outside, no script, no traceback.

A real Voila server started by `vises serve`, requests without the token on every kind
of endpoint, path traversal on Voila's file handler, hostile text in the enterprise
shown first, and finally the store replaced by a corrupt file while the server runs.
"""

from __future__ import annotations

import socket
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from serving import BROWSER_ARGS, vises_serve

from vises_nb.paths import DASHBOARDS_DIR
from vises_nb.store import model as m
from vises_nb.store.store import Store

pytestmark = pytest.mark.slow
TOKEN = "access-token-9c2e"
SCRIPT = "<script>document.title='PWNED';window.__pwned=1</script>"
IMG = "<img src=x onerror=\"window.__pwned=2;document.title='PWNED'\">"
HOSTILE_NAME = f"Coop {SCRIPT} {IMG} =1+1"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def status(url: str, data: bytes | None = None) -> tuple[int, str]:
    try:
        with OPENER.open(urllib.request.Request(url, data=data), timeout=20) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read().decode(errors="replace")


@pytest.fixture(scope="module")
def hostile_server(sample_db, tmp_path_factory):
    root = tmp_path_factory.mktemp("access")
    store_path = root / "vises.sqlite"
    store_path.write_bytes(sample_db.read_bytes())
    store = Store.open(store_path)
    card, revision = store.get(m.Enterprise, "E01")  # the one the dashboard opens on
    store.save(card.model_copy(update={"name": HOSTILE_NAME,
                                       "missions": f"{SCRIPT} \x07\x1b[31m {IMG}"}), revision)
    store.close()
    with vises_serve(store_path, root, TOKEN) as (base, log):
        yield base, store_path, log


def test_only_loopback_is_listened_on(hostile_server):
    base, _, _ = hostile_server
    port = int(base.rsplit(":", 1)[1])
    addresses = {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None)}
    outside = [a for a in addresses if not a.startswith(("127.", "::1"))]
    for address in outside:
        with socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET) as s:
            s.settimeout(2)
            assert s.connect_ex((address, port)) != 0, f"reachable on {address}"


@pytest.mark.parametrize("path", [
    "/", "/voila/render/enterprise.ipynb", "/api/kernels", "/api/sessions", "/api/contents",
    "/api/kernelspecs", "/voila/files/enterprise.ipynb", "/voila/tree", "/api/status",
])
def test_every_endpoint_refuses_a_request_without_the_token(hostile_server, path):
    base, _, _ = hostile_server
    code, body = status(base + path)
    assert code in (302, 401, 403, 404), (path, code)
    assert "enterprise_browser" not in body and "kernel_id" not in body
    code, _ = status(f"{base}{path}?token=wrong-{TOKEN}")
    assert code in (302, 401, 403, 404), (path, code)


def test_starting_a_kernel_without_the_token_is_refused(hostile_server):
    base, _, _ = hostile_server
    code, _ = status(f"{base}/api/kernels", data=b"{}")
    assert code in (302, 401, 403, 404)
    code, body = status(f"{base}/?token={TOKEN}")
    assert code == 200 and "voila/render/enterprise.ipynb" in body, "the token opens the server"


@pytest.mark.parametrize("path", [
    "/voila/files/../../../../../../etc/passwd",
    "/voila/files/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/voila/files/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/voila/files//etc/passwd",
    "/voila/files/etc/passwd",
    "/voila/files/enterprise.ipynb",
    "/voila/files/../../../data/vises.sqlite",
    "/voila/files/../../vises_nb/store/store.py",
])
def test_no_file_outside_the_dashboards_nor_any_source_is_served(hostile_server, path):
    base, store_path, _ = hostile_server
    for suffix in ("", f"?token={TOKEN}"):
        code, body = status(base + path + suffix)
        assert code in (302, 401, 403, 404), (path, suffix, code)
        assert "root:x:0:0" not in body and "enterprise_browser" not in body
        assert "SQLite format" not in body
    code, body = status(f"{base}/voila/files{store_path}?token={TOKEN}")
    assert code in (403, 404) and "SQLite format" not in body


def test_hostile_text_is_inert_in_the_dashboard(hostile_server, chromium):
    playwright = pytest.importorskip("playwright.sync_api")
    base, _, _ = hostile_server
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=BROWSER_ARGS)
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(f"{base}/voila/render/enterprise.ipynb?token={TOKEN}", timeout=90_000)
        card = page.locator(".vises-card h2")
        card.wait_for(timeout=90_000)
        page.wait_for_function(
            "() => document.querySelector('.vises-card')?.innerText.includes('Identity card')",
            timeout=90_000)
        assert card.inner_text() == HOSTILE_NAME, "the name is shown literally"
        assert SCRIPT in page.locator(".vises-card").inner_text()
        page.wait_for_timeout(500)
        assert page.evaluate("() => window.__pwned") is None
        assert page.title() != "PWNED" and dialogs == []
        assert page.locator(".vises-card script, .vises-card img[src='x']").count() == 0
        option = page.locator(".vises-enterprise select option").first.inner_text()
        assert option.replace("\xa0", " ") == f"E01 — {HOSTILE_NAME}"
        browser.close()


def test_a_broken_store_shows_no_traceback_in_the_dashboard(hostile_server, chromium):
    """Runs last: the store file is replaced by garbage while the server is running."""
    playwright = pytest.importorskip("playwright.sync_api")
    base, store_path, _ = hostile_server
    for leftover in (Path(f"{store_path}-wal"), Path(f"{store_path}-shm")):
        leftover.unlink(missing_ok=True)
    store_path.write_bytes(b"this is not a database" * 500)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=BROWSER_ARGS)
        page = browser.new_page()
        page.goto(f"{base}/voila/render/enterprise.ipynb?token={TOKEN}", timeout=90_000)
        page.wait_for_function(
            "() => document.body.innerText.toLowerCase().includes('error')", timeout=90_000)
        text = page.locator("body").inner_text()
        html = page.content()
        browser.close()
    assert "Traceback" not in text and "Traceback" not in html
    assert "File \"" not in text and "site-packages" not in html
    assert str(DASHBOARDS_DIR.parent.parent) not in html, "no source paths"
    assert "StoreError" not in html and "sqlite3" not in html

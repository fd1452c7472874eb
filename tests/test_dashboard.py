"""`vises serve`: a real Voila server driven by a real browser, token required, no CDN."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from vises_nb import model as m
from vises_nb.store import Store

pytestmark = pytest.mark.slow
TOKEN = "test-token-4a7f"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_preheated_kernels(log, process, timeout: float = 180) -> None:
    """Wait until Voila says every dashboard's kernel pool is filled (a page asked for
    before then waits for a kernel still importing, which on a busy machine is slow)."""
    from vises_nb.paths import DASHBOARDS_DIR

    names = [p.name for p in DASHBOARDS_DIR.glob("*.ipynb")]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log.read_text()
        if all(f"Kernel pool of {name} is filled" in text for name in names):
            time.sleep(5)  # the pool's kernels run their notebooks up to wait_for_request
            return
        if process.poll() is not None:
            pytest.fail(f"vises serve exited: {text[-2000:]}")
        time.sleep(0.5)
    pytest.fail(f"the preheated kernels were not ready in {timeout} s")


@pytest.fixture(scope="module")
def server(sample_db, tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("voila") / "voila.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "vises_nb.cli", "serve", "--store", str(sample_db),
             "--port", str(port), "--token", TOKEN, "--lang", "en"],
            stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/?token={TOKEN}", timeout=2)
            break
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None:
                pytest.fail(f"vises serve exited: {log.read_text()[-2000:]}")
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail(f"vises serve did not answer in 60 s: {log.read_text()[-2000:]}")
    wait_for_preheated_kernels(log, process)
    yield base
    process.terminate()
    process.wait(timeout=20)


def test_listens_on_loopback_and_refuses_requests_without_the_token(server):
    assert server.startswith("http://127.0.0.1:")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as refused:
        opener.open(f"{server}/voila/render/enterprise.ipynb", timeout=10)
    assert refused.value.code in (302, 401, 403)
    assert "enterprise_browser" not in refused.value.read().decode(errors="replace")


def test_choose_an_enterprise_and_see_its_card_without_any_cdn(server, sample_db, chromium):
    playwright = pytest.importorskip("playwright.sync_api")
    store = Store.open(sample_db)
    first = store.get(m.Enterprise, "E01")[0]
    chosen = store.get(m.Enterprise, "E09")[0]
    store.close()
    requests: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=BROWSER_ARGS)
        page = browser.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.goto(f"{server}/voila/render/enterprise.ipynb?token={TOKEN}", timeout=60_000)
        card = page.locator(".vises-card h2")
        card.wait_for(timeout=60_000)
        assert card.inner_text() == first.name
        page.wait_for_function(
            "() => document.querySelector('.vises-card')?.innerText.includes('Identity card')",
            timeout=30_000)
        page.select_option(".vises-enterprise select", value=None, label=f"E09 — {chosen.name}")
        page.wait_for_function(
            "name => document.querySelector('.vises-card h2')?.innerText === name",
            arg=chosen.name, timeout=30_000)
        page.wait_for_function(
            "() => document.querySelector('.vises-card')?.innerText.includes('Year founded')",
            timeout=30_000)
        text = page.locator(".vises-card").inner_text()
        assert "Wallonia" in text and "Work integration" in text
        assert str(chosen.year_founded) in text
        assert "import " not in page.content(), "sources are stripped"
        browser.close()
    external = [u for u in requests if not u.startswith((server, "data:", "blob:", "ws://127"))]
    assert external == []

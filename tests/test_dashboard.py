"""`vises serve`: a real Voila server driven by a real browser, token required, no CDN."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from serving import BROWSER_ARGS, vises_serve

from vises_nb.store import model as m
from vises_nb.store.store import Store

pytestmark = pytest.mark.slow
TOKEN = "test-token-4a7f"


@pytest.fixture(scope="module")
def server(sample_db, tmp_path_factory):
    with vises_serve(sample_db, tmp_path_factory.mktemp("voila"), TOKEN) as (base, _log):
        yield base


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

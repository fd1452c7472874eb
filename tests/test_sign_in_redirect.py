"""Where the sign-in page sends a person afterwards (`/login?next=...`) stays on this
server, in a real Chromium. `next` was refused when it began with `//` or held a `\\`,
but a tab, carriage return or newline in it (`/%09/evil.example/`) was kept: browsers
remove those from an address, so `/\\t/evil.example/` became `//evil.example/` and the
person, just signed in, landed on someone else's page (one that may ask for the password
again); a newline answered 500."""

from __future__ import annotations

import http.server
import threading
from urllib.parse import quote

import pytest
from browser_accounts import sign_in, users
from serving import vises_serve

pytestmark = pytest.mark.slow
TOKEN = "redirect-token-0123456789abcdef"


class Elsewhere(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"<html><body><h1 id=elsewhere>someone else's page</h1></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def elsewhere():
    """Another site (another origin: another port), as an attacker's page would be."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Elsewhere)  # bound at once
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"127.0.0.1:{port}"
    server.shutdown()


def test_after_sign_in_the_person_stays_on_this_server(sample_copy, tmp_path, browser,
                                                       elsewhere):
    users(sample_copy, "add", "rita", "--role", "researcher")
    with vises_serve(sample_copy, tmp_path, TOKEN, accounts=True, pool_size=0) as (base, _):
        for crafted in (f"/\t/{elsewhere}/phish", f"/\r/{elsewhere}/phish",
                        f"/\n/{elsewhere}/phish", f"/ \t/{elsewhere}/phish",
                        f"\t//{elsewhere}/phish"):
            page = sign_in(browser, base, "rita", after=quote(crafted, safe="/"))
            try:
                assert page.url.startswith(base + "/"), (repr(crafted), page.url)
                assert page.locator("#elsewhere").count() == 0, repr(crafted)
                assert "500" not in (page.title() or ""), repr(crafted)
            finally:
                page.context.close()
        # an address on this server still leads there once signed in
        page = sign_in(browser, base, "rita", after="/voila/render/cohort_explorer.ipynb")
        try:
            assert page.url == f"{base}/voila/render/cohort_explorer.ipynb", page.url
        finally:
            page.context.close()

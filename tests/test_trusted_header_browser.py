"""Sign-in through a federation's identity provider in its reverse proxy (issue 18):
`vises serve --accounts --trusted-header X-Remote-User --trusted-proxy 127.0.0.1`.

A real small reverse proxy (tornado, in this test: HTTP and websockets forwarded, the
header set to the person its identity provider signed in, any such header from the
browser dropped, as mod_auth_openidc or oauth2-proxy do) listens on 127.0.0.1. Through it
Chromium gets the named accompanier's workspace, widgets working, without the sign-in
page. The same header sent straight to vises from another address (127.0.0.2) is refused
and logged; a name with no active account is refused too."""

from __future__ import annotations

import asyncio
import http.client
import shutil
import subprocess
import sys
import threading

import pytest
from browser_accounts import enterprise_options, first_accompanier, users
from serving import unexpected_tracebacks, vises_serve

from vises_nb.store import accounts
from vises_nb.store.store import Store

pytestmark = pytest.mark.slow
HEADER = "X-Remote-User"
HOP = {"connection", "keep-alive", "transfer-encoding", "upgrade", "content-length",
       "proxy-connection", "te", "trailer"}  # Host passed on, as `proxy_set_header Host`


class Proxy:
    """A reverse proxy on 127.0.0.1 in a thread; `user` is who its identity provider signed
    in (None: it adds no header)."""

    def __init__(self, upstream: str):
        self.upstream, self.user = upstream, None
        self.port = 0  # bound by the proxy's own socket (no port chosen first, bound later)
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        assert self.ready.wait(30)

    def _headers(self, request) -> dict:
        headers = {k: v for k, v in request.headers.get_all()
                   if k.lower() not in HOP and k.lower() != HEADER.lower()
                   and not k.lower().startswith("sec-websocket")}
        if self.user is not None:
            headers[HEADER] = self.user
        return headers

    def _run(self) -> None:
        from tornado import httpclient, web, websocket

        proxy = self

        class Handler(websocket.WebSocketHandler):
            upstream_ws = None

            async def get(self, *args):
                if self.request.headers.get("Upgrade", "").lower() == "websocket":
                    return await super().get(*args)
                await self._http()

            async def post(self, *args):
                await self._http()

            async def _http(self):
                response = await httpclient.AsyncHTTPClient().fetch(
                    proxy.upstream + self.request.uri, method=self.request.method,
                    headers=proxy._headers(self.request),
                    body=self.request.body if self.request.method == "POST" else None,
                    follow_redirects=False, raise_error=False, decompress_response=False,
                    request_timeout=300)
                self.set_status(response.code, response.reason)
                self.clear_header("Content-Type")
                for name, value in response.headers.get_all():
                    if name.lower() not in HOP:
                        self.add_header(name, value)
                if response.body:
                    self.write(response.body)
                await self.finish()

            def check_origin(self, origin):
                return True

            def select_subprotocol(self, subprotocols):
                return subprotocols[0] if subprotocols else None

            async def open(self, *args):
                headers = proxy._headers(self.request)
                if self.selected_subprotocol:
                    headers["Sec-WebSocket-Protocol"] = self.selected_subprotocol
                url = proxy.upstream.replace("http://", "ws://") + self.request.uri
                self.upstream_ws = await websocket.websocket_connect(
                    httpclient.HTTPRequest(url, headers=headers), max_message_size=1 << 30)
                asyncio.ensure_future(self._pump())

            async def _pump(self):
                while True:
                    message = await self.upstream_ws.read_message()
                    if message is None:
                        self.close()
                        return
                    await self.write_message(message, binary=isinstance(message, bytes))

            async def on_message(self, message):
                await self.upstream_ws.write_message(message, binary=isinstance(message, bytes))

            def on_close(self):
                if self.upstream_ws is not None:
                    self.upstream_ws.close()

        async def main():
            from tornado.httpserver import HTTPServer
            from tornado.netutil import bind_sockets

            app = web.Application([(r"/.*", Handler)], websocket_max_message_size=1 << 30)
            sockets = bind_sockets(0, address="127.0.0.1")
            HTTPServer(app, max_body_size=1 << 30).add_sockets(sockets)
            proxy.port = sockets[0].getsockname()[1]
            self.ready.set()
            await asyncio.Event().wait()

        asyncio.run(main())


def straight(base: str, path: str, name: str, source: str) -> http.client.HTTPResponse:
    """A request to vises itself, from `source`, with the header a proxy would set."""
    host, port = base.replace("http://", "").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=60, source_address=(source, 0))
    conn.request("GET", path, headers={HEADER: name})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


def test_the_person_a_trusted_proxy_names_and_nobody_else(sample_db, tmp_path, browser):
    store_path = tmp_path / "vises.sqlite"
    shutil.copy(sample_db, store_path)
    first, own = first_accompanier(store_path)
    users(store_path, "add", "anna", "--role", "accompanier", "--accompanier", first,
          password="a password nobody uses here")
    # the options go together, with --accounts (a clear message, no traceback)
    alone = subprocess.run([sys.executable, "-m", "vises_nb.cli", "--lang", "en", "serve",
                            "--store", str(store_path), "--trusted-header", HEADER],
                           check=False, capture_output=True, text=True, timeout=120)
    assert alone.returncode != 0 and "--trusted-proxy" in alone.stderr
    assert "Traceback" not in alone.stderr
    with vises_serve(store_path, tmp_path, "unused", accounts=True,
                     extra=("--trusted-header", HEADER, "--trusted-proxy", "127.0.0.1")) \
            as (base, log):
        proxy = Proxy(base)
        proxy.user = "anna"
        page = browser.new_context().new_page()
        page.goto(f"http://127.0.0.1:{proxy.port}/voila/render/workspace.ipynb",
                  timeout=120_000)
        assert "/login" not in page.url
        page.locator(".vises-card h2").wait_for(timeout=120_000)
        options = enterprise_options(page)
        assert sorted(o.split()[0] for o in options) == own
        # the widgets talk to the kernel through the proxy: choosing another enterprise
        page.locator(".vises-enterprise select").select_option(index=1)
        page.wait_for_function("() => document.querySelector('.vises-card h2') && "
                               "document.querySelector('.vises-enterprise select')"
                               ".selectedIndex === 1", timeout=60_000)

        # straight to vises with the header, from an address that is not the proxy
        forged = straight(base, "/voila/render/workspace.ipynb", "anna", "127.0.0.2")
        assert forged.status in (302, 403) and "/login" in (forged.getheader("Location") or "/login")
        # from the proxy's address but naming nobody enrolled: refused as well
        proxy.user = "mallory"
        response = page.goto(f"http://127.0.0.1:{proxy.port}/voila/render/workspace.ipynb",
                             timeout=120_000)
        assert "/login" in page.url or response.status == 403
        store = Store.open(store_path)
        refused = [r["detail"] for r in accounts.security_log(store, "refused")]
        store.close()
        assert any("from 127.0.0.2, not a trusted proxy" in d for d in refused), refused
        assert any("no active account 'mallory'" in d for d in refused), refused
        assert unexpected_tracebacks(log.read_text()) == []
        page.context.close()

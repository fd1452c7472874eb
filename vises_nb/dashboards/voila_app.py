"""Voila as `vises serve` runs it (`python -m vises_nb.dashboards.voila_app ...`): Voila's
own application with three things made safe for a machine shared with other users.

- The token never is an argument (any local user reads command lines in `ps`): it comes
  from the environment (`VISES_SERVE_TOKEN`), which /proc shows to this user alone.
- `/voila/query/<kernel id>`, the websocket through which a preheated kernel receives the
  page request it serves, is authenticated like every other route (the token, in the
  Authorization header the kernels send, or the login cookie); Voila's own handler checks
  nothing, and kernel ids are visible in `ps`. Beyond the token, the socket must come
  from the kernel itself (an HMAC of its id with its connection key, which only Voila
  and that kernel hold): no other socket, not even the owner's browser, can take a
  kernel's place, steal the request it waits for (the query string) or, by closing, drop
  its waiter and hang the page (as Voila's on_close does). One waiter per kernel, each
  request handed over once, and the token stripped from the query string.
- `/logout` clears the login cookie and answers a plain page (Voila's has no template
  for it and answered 500).
"""

from __future__ import annotations

import hmac
import os
import sys
from typing import Any
from urllib.parse import parse_qsl, urlencode

from jupyter_server.auth.decorator import allow_unauthenticated, ws_authenticated
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.base.websocket import WebSocketMixin
from markupsafe import escape
from tornado import web
from tornado.websocket import WebSocketHandler
from voila.app import Voila
from voila.request_info_handler import RequestInfoSocketHandler

from vises_nb import i18n
from vises_nb.dashboards.preheat import PROOF_HEADER, TOKEN_ENV, kernel_proof

__all__ = ["TOKEN_ENV", "VisesVoila", "main"]


def scrub(payload: Any) -> Any:
    """The request info without the token (the kernel needs the query, not the secret)."""
    if isinstance(payload, dict) and isinstance(payload.get("QUERY_STRING"), str):
        query = [(k, v) for k, v in parse_qsl(payload["QUERY_STRING"], keep_blank_values=True)
                 if k != "token"]
        payload = {**payload, "QUERY_STRING": urlencode(query)}
    return payload


class QueryHandler(WebSocketMixin, WebSocketHandler, JupyterHandler):
    """Voila's /voila/query/<kernel id>, authenticated and one waiter per kernel.

    Voila's page handler calls `RequestInfoSocketHandler.send_updates`, which writes to
    `RequestInfoSocketHandler._waiters[kernel_id]` or keeps the request in `_cache`; this
    handler registers itself there, so it sits in Voila's own path."""

    kernel_id = ""

    def set_default_headers(self) -> None:
        """No HTML headers on a websocket (as jupyter_server's kernel websocket)."""

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """A refusal in plain text (jupyter_server's error page has no template here)."""
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(f"{status_code}\n")

    @ws_authenticated
    async def get(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:
        if kernel_id not in self.kernel_manager:
            raise web.HTTPError(404)
        key = bytes(getattr(self.kernel_manager.get_kernel(kernel_id).session, "key", b"") or b"")
        if not (key and hmac.compare_digest(self.request.headers.get(PROOF_HEADER, ""),
                                            kernel_proof(key, kernel_id))):
            raise web.HTTPError(403, "only the kernel itself waits on its socket")
        waiter = RequestInfoSocketHandler._waiters.get(kernel_id)
        if waiter is not None and waiter is not self:
            raise web.HTTPError(409, "this kernel already has its waiter")
        self.kernel_id = kernel_id
        await super().get(kernel_id, *args, **kwargs)

    def open(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        super().open()
        waiters = RequestInfoSocketHandler._waiters
        if waiters.get(kernel_id) not in (None, self):  # another socket won the race
            self.close(4409, "this kernel already has its waiter")
            return
        waiters[kernel_id] = self
        if kernel_id in RequestInfoSocketHandler._cache:  # the page came first
            self.write_message(RequestInfoSocketHandler._cache.pop(kernel_id))

    def write_message(self, message: Any, binary: bool = False) -> Any:  # type: ignore[override]
        return super().write_message(scrub(message), binary)

    def on_close(self) -> None:
        # only this socket's own entry: Voila's drops whichever waiter is found last
        if self.kernel_id and RequestInfoSocketHandler._waiters.get(self.kernel_id) is self:
            del RequestInfoSocketHandler._waiters[self.kernel_id]


class LogoutHandler(JupyterHandler):
    """Clear the login cookie; say so on a plain page."""

    @allow_unauthenticated
    def get(self) -> None:
        self.identity_provider.clear_login_cookie(self)
        lang = os.environ.get("VISES_LANG", "fr")
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.write(f"<!DOCTYPE html><html lang=\"{escape(lang)}\"><head><meta charset=\"utf-8\">"
                   f"<title>vises</title></head><body><p>{escape(i18n.t('serve.logged_out', lang))}"
                   f"</p></body></html>")


class VisesVoila(Voila):
    """Voila with the token from the environment and the handlers above."""

    def initialize(self, argv: Any = None) -> None:
        super().initialize(argv)
        token = os.environ.get(TOKEN_ENV, "")
        if not token:
            raise SystemExit(f"vises: {TOKEN_ENV} is not set; start the dashboards with `vises serve`")
        self.token = token

    def init_handlers(self) -> list:
        handlers = []
        for pattern, handler, *rest in super().init_handlers():
            if handler is RequestInfoSocketHandler:
                handler = QueryHandler
            elif str(pattern).rstrip("/").endswith("/logout"):
                handler = LogoutHandler
            handlers.append((pattern, handler, *rest))
        return handlers


def main(argv: list[str] | None = None) -> None:
    VisesVoila.launch_instance(argv if argv is not None else sys.argv[1:])


if __name__ == "__main__":
    main()

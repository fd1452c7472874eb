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

A pool shrinks while its pages are open: a dashboard's pool of N keeps N minus the pages
open on it, at least one (`vises serve --session 10`: ten pages of a session take the ten
kernels, one more is made ready, not ten; as pages close or are culled, it grows back to
N for the next session). Voila's own pool refills to N whatever is open.

Refilling the preheated pools is throttled: Voila starts a new kernel one second after
each page takes one, so ten pages opened together (a collective session) had ten kernels
importing at once on two cores while the pages rendered and saved. Here at most
`PREHEAT_AT_ONCE` (half the cores, at least one) refill kernels import at a time; the next
starts when one waits for its page (it opened /voila/query; also when a page took it
before), its notebook ended without waiting, it stopped, or after `PREHEAT_SLOT_SECONDS`.

With accounts (`vises serve --accounts`, VISES_ACCOUNTS=1), people sign in at `/login`
with the accounts of `vises users` (argon2, slowed after repeated failures; see
vises_nb.store.accounts) and get jupyter_server's signed login cookie; every request
re-reads the account (a disabled one is signed out at its next request). The token is
then the server's own: only its kernels present it, and only on /voila/query. The server
tells each kernel who asked for its page (the name and an HMAC of it with the kernel's
connection key, added to the request it hands over; or the environment of a kernel
started for that request), records who owns each kernel, and refuses anyone else on that
kernel's websocket and kernel routes. Researchers get the cohort explorer only; the
coordinator page is for coordinators, the groups page for coordinators and accompaniers.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import hmac
import ipaddress
import logging
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, quote_plus, urlencode

from jupyter_server.auth.decorator import allow_unauthenticated, ws_authenticated
from jupyter_server.auth.identity import IdentityProvider, PasswordIdentityProvider, User
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.base.websocket import WebSocketMixin
from jupyter_server.services.kernels.handlers import KernelHandler
from markupsafe import escape
from tornado import web
from tornado.websocket import WebSocketClosedError, WebSocketHandler
from traitlets import default
from voila.app import Voila
from voila.request_info_handler import RequestInfoSocketHandler
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler
from voila.voila_identity_provider import VoilaLoginHandler

from vises_nb import i18n
from vises_nb.dashboards import access, landing
from vises_nb.dashboards.preheat import PROOF_HEADER, TOKEN_ENV, kernel_proof
from vises_nb.errors import VisesError
from vises_nb.store import accounts
from vises_nb.store.store import Store

log = logging.getLogger("vises.serve")
PREHEAT_AT_ONCE = int(os.environ.get("VISES_PREHEAT_AT_ONCE", "0") or 0) or max(
    1, (os.cpu_count() or 2) // 2)  # the environment's value: for benchmarks (-1: no limit)
PREHEAT_SLOT_SECONDS = 120.0
POOL_ADAPTIVE = os.environ.get("VISES_POOL_ADAPTIVE", "1") != "0"  # "0": Voila's own sizes
WAITING: dict[str, asyncio.Event] = {}  # kernel id: set once it waits for its page
KERNEL_USER = "vises-kernel"  # what a kernel is, on /voila/query, in accounts mode
ASKER: contextvars.ContextVar[str | None] = contextvars.ContextVar("vises_asker", default=None)
KERNEL_OWNERS: dict[str, str] = {}  # kernel id: the person whose page it serves
RESEARCHER_PAGES = ("cohort_explorer.ipynb",)
COORDINATOR_PAGES = ("coordinator.ipynb",)  # enrolment: coordinators only
GROUP_PAGES = ("groups.ipynb",)  # semi-collective sessions: coordinators and accompaniers
CHANGE_TICKET = "vises-one-time-signed-in"  # a sign-in with a one-time password, signed
CHANGE_MINUTES = 10
# Sign-in by a federation's identity provider in its reverse proxy: the proxy names the
# signed-in person in this header, believed only on connections from the proxy's address.
TRUSTED_HEADER_ENV = "VISES_TRUSTED_HEADER"
TRUSTED_PROXY_ENV = "VISES_TRUSTED_PROXY"

__all__ = ["TOKEN_ENV", "VisesVoila", "main"]


def scrub(payload: Any) -> Any:
    """The request info without the token (the kernel needs the query, not the secret)."""
    if isinstance(payload, dict) and isinstance(payload.get("QUERY_STRING"), str):
        query = [(k, v) for k, v in parse_qsl(payload["QUERY_STRING"], keep_blank_values=True)
                 if k != "token"]
        payload = {**payload, "QUERY_STRING": urlencode(query)}
    return payload


class QuietWrites:
    """A websocket whose page may be gone before a queued write is flushed.

    jupyter_server and Voila drop the future `write_message` returns; when the browser
    left mid-write that future fails with WebSocketClosedError and asyncio logs "Task
    exception was never retrieved" with a traceback. No one is left to read the message,
    so nothing is lost: the error is retrieved here. Any other write error is logged."""

    def write_message(self, message: Any, binary: bool = False) -> Any:
        future = super().write_message(message, binary)  # type: ignore[misc]
        if future is not None:  # Voila drops execute_input messages: no write, no future
            future.add_done_callback(QuietWrites._retrieve)
        return future

    @staticmethod
    def _retrieve(future: Any) -> None:
        if future.cancelled():
            return
        error = future.exception()
        if error is not None and not isinstance(error, WebSocketClosedError):
            log.error("vises: a websocket write failed", exc_info=error)


class QueryHandler(QuietWrites, WebSocketMixin, WebSocketHandler, JupyterHandler):
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
        self.log.info("vises: kernel %s waits for its page", kernel_id)
        WAITING.setdefault(kernel_id, asyncio.Event()).set()
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


# ---------------------------------------------------------------- accounts
def _store() -> Store:
    store = getattr(_store, "opened", None)
    if store is None:
        store = _store.opened = Store.open(os.environ.get("VISES_STORE", ""))
    return store


def _page(title: str, body: str, lang: str) -> str:
    return (f"<!DOCTYPE html><html lang=\"{escape(lang)}\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width\"><title>{escape(title)}"
            f"</title><style>body{{font-family:sans-serif;max-width:26em;margin:4em auto}}"
            f"label,input,button{{display:block;margin:.4em 0;width:100%}}"
            f".vises-refused{{color:#b2182b}}</style></head><body>{body}</body></html>")


class SignInErrors:
    """A sign-in page's own errors in the served language: a form posted without its
    xsrf cookie (cookies blocked, or the page left open past the server's restart) shows
    the form again saying so, any other error the translated error page
    (`landing.error_html`), in place of jupyter_server's English ones."""

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        lang = os.environ.get("VISES_LANG", "fr")
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        if status_code == 403 and self.request.method == "POST":
            self._form(problem="serve.login_cookie")
            return
        self.write(landing.error_html(status_code, lang, self.base_url))


def _problem_html(lang: str, key: str) -> str:
    return (f"<p class='vises-refused' id='vises-login-problem' role='alert'>"
            f"{escape(i18n.t(key, lang))}</p>")


SIGN_IN_QUEUE: dict[str, list[asyncio.Future]] = {}  # account or address: attempts in turn


@contextlib.asynccontextmanager
async def _sign_in_turn(keys: list[str]) -> AsyncIterator[None]:
    """Attempts on one account or from one address, one after the other: each reads the
    failures of those before it (read together, guesses sent at once all saw the same
    count, waited the same second and were checked together: no slow-down at all)."""
    mine = asyncio.get_running_loop().create_future()
    ahead = []
    for key in keys:
        queue = SIGN_IN_QUEUE.setdefault(key, [])
        ahead.extend(queue)
        queue.append(mine)
    try:
        for future in ahead:
            await asyncio.shield(future)
        yield
    finally:
        mine.set_result(None)
        for key in keys:
            queue = SIGN_IN_QUEUE.get(key, [])
            if mine in queue:
                queue.remove(mine)
            if not queue:
                SIGN_IN_QUEUE.pop(key, None)


class AccountLoginHandler(SignInErrors, JupyterHandler):
    """The sign-in page: a name, a password, a signed cookie when both are right."""

    def _form(self, refused: bool = False, problem: str = "") -> None:
        lang = os.environ.get("VISES_LANG", "fr")
        t = lambda key: escape(i18n.t(key, lang))
        problem = problem or ("serve.login_refused" if refused else "")
        message = _problem_html(lang, problem) if problem else ""
        self._write_form(lang, f"{message}{self._form_start('vises-login')}"
                         f"<label>{t('serve.login_name')}<input name='username' "
                         f"autocomplete='username' required></label>"
                         f"<label>{t('serve.login_password')}<input name='password' "
                         f"type='password' autocomplete='current-password' required></label>"
                         f"<button type='submit'>{t('serve.login_button')}</button></form>")

    def _form_start(self, css: str) -> str:
        """A form posting here, with its xsrf field and where to go next."""
        return (f"<form method='post' class='{css}'>{self.xsrf_form_html()}"
                f"<input type='hidden' name='next' value='{escape(self._next())}'>")

    def _write_form(self, lang: str, body: str) -> None:
        """One of the sign-in pages, never cached."""
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.write(_page("vises", f"<h1>vises</h1>{body}", lang))

    def _next(self) -> str:
        target = self.get_argument("next", "") or self.base_url
        # only a path on this server (no scheme, no //host); browsers drop tabs and
        # newlines from an address ("/\t/host" is "//host"): no control character either
        if (not target.startswith("/") or target.startswith("//") or "\\" in target
                or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target)):
            return self.base_url
        return target

    @allow_unauthenticated
    def get(self) -> None:
        self._form()

    def _change_form(self, name: str, problem: str = "") -> None:
        """After a sign-in with a one-time password: the person chooses their own. A signed
        ticket (valid CHANGE_MINUTES) stands for the sign-in just made; no cookie yet."""
        lang = os.environ.get("VISES_LANG", "fr")
        t = lambda key, **v: escape(i18n.t(key, lang, **v))
        ticket = self.create_signed_value(CHANGE_TICKET, name).decode()
        message = (f"<p class='vises-refused' id='vises-change-problem' role='alert'>"
                   f"{escape(problem)}</p>") if problem else ""
        described = " aria-describedby='vises-change-problem' aria-invalid='true'" \
            if problem else ""
        self._write_form(lang, f"<p class='vises-change-intro'>"
                         f"{t('serve.change_intro', name=name, minimum=accounts.MIN_PASSWORD)}"
                         f"</p>{message}{self._form_start('vises-change')}"
                         f"<input type='hidden' name='ticket' value='{escape(ticket)}'>"
                         f"<label>{t('serve.change_new')}<input name='new' type='password' "
                         f"autocomplete='new-password' required{described}></label>"
                         f"<label>{t('serve.change_again')}<input name='again' "
                         f"type='password' autocomplete='new-password' required{described}>"
                         f"</label><button type='submit'>{t('serve.change_button')}</button>"
                         f"</form>")

    async def _change(self, ticket: str) -> None:
        lang = os.environ.get("VISES_LANG", "fr")
        name = web.decode_signed_value(self.application.settings["cookie_secret"],
                                       CHANGE_TICKET, ticket,
                                       max_age_days=CHANGE_MINUTES / (24 * 60))
        if not name:
            self.set_status(401)
            self._form(refused=True)
            return
        name = name.decode()
        new, again = self.get_body_argument("new", ""), self.get_body_argument("again", "")
        if new != again:
            self._change_form(name, i18n.t("err.users.passwords_differ", lang))
            return
        loop = asyncio.get_running_loop()
        try:
            done = await loop.run_in_executor(None, accounts.replace_one_time_password,
                                              _store(), name, new)
        except VisesError as problem:
            self._change_form(name, problem.message(lang))
            return
        if not done:  # changed already, or disabled meanwhile: sign in again
            self.set_status(401)
            self._form(refused=True)
            return
        self.identity_provider.set_login_cookie(self, User(username=name))
        self.redirect(self._next())

    async def _check(self, name: str, password: str, address: str) -> tuple[Any, int]:
        """Wait as the failures so far say, then check (see `_sign_in_turn`)."""
        loop = asyncio.get_running_loop()
        store = _store()
        failures = await loop.run_in_executor(None, accounts.recent_failures, store, name,
                                              address)
        wait = accounts.delay(failures)
        if wait:  # slowed, right password or not (the event loop serves others meanwhile)
            await asyncio.sleep(wait)
        person = await loop.run_in_executor(None, accounts.authenticate, store, name,
                                            password, address)
        return person, failures

    @allow_unauthenticated
    async def post(self) -> None:
        ticket = self.get_body_argument("ticket", "")
        if ticket:
            await self._change(ticket)
            return
        name = self.get_body_argument("username", "").strip()
        password = self.get_body_argument("password", "")
        address = self.request.remote_ip or ""
        turns = [f"account {name}", f"address {address}"]
        if any(len(SIGN_IN_QUEUE.get(key, [])) >= accounts.MAX_QUEUED for key in turns):
            log.warning("vises: sign-in for %r from %s refused unchecked: %d attempts wait",
                        name, address, accounts.MAX_QUEUED)
            self.set_status(429)
            self._form(problem="serve.login_busy")
            return
        async with _sign_in_turn(turns):
            person, failures = await self._check(name, password, address)
        if person is None:
            log.warning("vises: sign-in refused for %r from %s (%d recent failures)",
                        name, address, failures + 1)
            self.set_status(401)
            self._form(refused=True)
            return
        if person.must_change_password:
            self._change_form(person.username)
            return
        self.identity_provider.set_login_cookie(self, User(username=person.username))
        self.redirect(self._next())


class TokenLoginHandler(SignInErrors, VoilaLoginHandler):
    """Without accounts: the page asking for the token (jupyter_server's says "Password or
    token", "Invalid credentials" and how to run `jupyter server list`, in English) in
    the served language. jupyter_server checks the token and sets the cookie."""

    def _render(self, message: Any = None) -> None:
        self._form(problem="serve.token_refused" if message else "")

    def _form(self, problem: str = "") -> None:
        lang = os.environ.get("VISES_LANG", "fr")
        t = lambda key: escape(i18n.t(key, lang))
        target = self.get_argument("next", default=self.base_url)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.write(_page("vises", (
            f"<h1>vises</h1><p class='vises-login-intro'>{t('serve.token_intro')}</p>"
            f"{_problem_html(lang, problem) if problem else ''}"
            f"<form method='post' class='vises-login'>{self.xsrf_form_html()}"
            f"<input type='hidden' name='next' value='{escape(target)}'>"
            f"<label>{t('serve.token_label')}<input name='password' type='password' "
            f"autocomplete='off' required></label>"
            f"<button type='submit'>{t('serve.login_button')}</button></form>"), lang))


def peer_address(handler: web.RequestHandler) -> str:
    """The address the connection really comes from (never X-Forwarded-For or X-Real-Ip,
    which a client writes as it likes)."""
    address = getattr(getattr(handler.request.connection, "context", None), "address", None)
    return str(address[0]) if isinstance(address, tuple) and address else ""


def trusted_proxies() -> set[str]:
    return {str(ipaddress.ip_address(a.strip()))
            for a in os.environ.get(TRUSTED_PROXY_ENV, "").split(",") if a.strip()}


def _from_trusted_proxy(handler: web.RequestHandler) -> bool:
    try:
        peer = ipaddress.ip_address(peer_address(handler))
    except ValueError:
        return False
    if getattr(peer, "ipv4_mapped", None):
        peer = peer.ipv4_mapped
    return str(peer) in trusted_proxies()


SECURE_COOKIE_ENV = "VISES_SECURE_COOKIE"  # "1": browsers reach vises over https only


class SameSiteCookies(IdentityProvider):
    """jupyter_server's identity provider, its login cookie SameSite=Lax (HttpOnly as
    jupyter_server makes it): another site's page, its images, frames or scripts, never
    sends it, so it cannot start kernels (~250 MB each) as the person signed in, nor ride
    on their session (jupyter_server sets no SameSite; Chromium treats that as Lax, other
    browsers do not). Secure as well when the request came over https, or always with
    VISES_SECURE_COOKIE=1: behind a reverse proxy terminating TLS, vises sees http."""

    @default("cookie_options")
    def _same_site(self) -> dict[str, Any]:
        return {"samesite": "Lax"}

    @default("secure_cookie")
    def _secure_behind_a_proxy(self) -> bool | None:
        return True if os.environ.get(SECURE_COOKIE_ENV, "") == "1" else None


class TokenIdentityProvider(SameSiteCookies, PasswordIdentityProvider):
    """Without accounts: Voila's own (the token), its cookie as above."""


class AccountIdentityProvider(SameSiteCookies):
    """jupyter_server's identity provider, with the people of the store (and, with
    `--trusted-header`, the person a trusted reverse proxy names)."""

    def _header_user(self, handler: web.RequestHandler, header: str, named: str) -> User | None:
        """The account a trusted proxy names; None (refused and logged) when the request
        does not come from the proxy, or the account is unknown or disabled."""
        name = named.strip()
        if not _from_trusted_proxy(handler):
            what = f"header {header} from {peer_address(handler) or '?'}, not a trusted proxy"
        else:
            person = accounts.get_person(_store(), name)
            if person is not None and person.active:
                return User(username=person.username, name=person.username,
                            display_name=f"{person.username} ({person.role})")
            what = f"header {header}: no active account {name!r}"
        log.warning("vises: refused %s", what)
        try:
            accounts.log_event(_store(), "refused", name[:64] or "?", peer_address(handler),
                               what)
        except Exception:
            log.exception("vises: could not write the security log")
        return None

    @property
    def auth_enabled(self) -> bool:
        return True

    @property
    def login_available(self) -> bool:
        return True

    def get_handlers(self) -> list:
        return [(r"/login", AccountLoginHandler), (r"/logout", LogoutHandler)]

    async def get_user(self, handler: web.RequestHandler) -> User | None:  # type: ignore[override]
        if getattr(handler, "_jupyter_current_user", None):
            return handler._jupyter_current_user  # type: ignore[attr-defined]
        if isinstance(handler, QueryHandler):  # the kernels, with the server's own token
            given = self.get_token(handler) or ""
            ok = bool(self.token) and hmac.compare_digest(given, self.token)
            return User(username=KERNEL_USER) if ok else None
        header = os.environ.get(TRUSTED_HEADER_ENV, "")
        named = handler.request.headers.get(header) if header else None
        if named is not None:  # a person named by the federation's proxy, or refused
            user = self._header_user(handler, header, named)
            handler._jupyter_current_user = user  # type: ignore[attr-defined]
            return user
        cookie_user = self.get_user_cookie(handler)
        if isinstance(cookie_user, asyncio.Future) or asyncio.iscoroutine(cookie_user):
            cookie_user = await cookie_user
        if cookie_user is None or cookie_user.username == KERNEL_USER:
            return None
        person = accounts.get_person(_store(), cookie_user.username)
        if person is None or not person.active:
            self.clear_login_cookie(handler)
            return None
        return User(username=person.username, name=person.username,
                    display_name=f"{person.username} ({person.role})")


def _refuse(handler: JupyterHandler, what: str) -> None:
    user = handler.current_user
    name = getattr(user, "username", "?")
    log.warning("vises: refused %s to %s", what, name)
    try:
        accounts.log_event(_store(), "refused", name, handler.request.remote_ip, what)
    except Exception:
        log.exception("vises: could not write the security log")
    raise web.HTTPError(403)


def _check_owner(handler: JupyterHandler, kernel_id: str) -> None:
    user = getattr(handler.current_user, "username", None)
    if KERNEL_OWNERS.get(kernel_id) != user:
        _refuse(handler, f"kernel {kernel_id}")


class KernelSocketHandler(QuietWrites, VoilaKernelWebsocketHandler):
    """A kernel's websocket. A page closed during the handshake (its kernel stopping as
    it leaves) makes jupyter_server's on_close drop the connection before the protocol is
    chosen: answer 410 Gone instead of an AttributeError traceback (a 500)."""

    def select_subprotocol(self, subprotocols: list[str]) -> str | None:
        if getattr(self, "connection", None) is None:
            raise web.HTTPError(410)
        return super().select_subprotocol(subprotocols)


class OwnKernelWebsocketHandler(KernelSocketHandler):
    """A kernel's websocket, for the person whose page the kernel serves only."""

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """A refusal in plain text (there is no error template here)."""
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(f"{status_code}\n")

    async def get(self, kernel_id: str) -> None:  # type: ignore[override]
        _check_owner(self, kernel_id)
        return await super().get(kernel_id)


class OwnKernelHandler(KernelHandler):
    async def prepare(self) -> None:  # type: ignore[override]
        await super().prepare()
        _check_owner(self, self.path_kwargs.get("kernel_id") or self.path_args[0])


class OwnShutdownHandler(VoilaShutdownKernelHandler):
    async def prepare(self) -> None:  # type: ignore[override]
        await super().prepare()
        _check_owner(self, self.path_kwargs.get("kernel_id") or self.path_args[0])


def may_open(role: str, page: str) -> bool:
    """Whether a person of `role` may open dashboard `page` (a notebook's file name)."""
    if role == "researcher" and page not in RESEARCHER_PAGES:
        return False
    if page in GROUP_PAGES and role not in ("coordinator", "accompanier"):
        return False
    return page not in COORDINATOR_PAGES or role == "coordinator"


class TranslatedErrors:
    """A page's errors (refused, not found...) in the served language with a link home
    (`landing.error_html`), in place of Voila's and Tornado's English pages."""

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        lang = os.environ.get("VISES_LANG", "fr")
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.write(landing.error_html(status_code, lang, self.base_url))


class FileErrors:
    """Voila's file routes (template files, static files, extensions, allowed files): a
    path they do not expect is a 404 (a template's file outside its `static` folder was
    an AssertionError, a 500), and any refusal the translated page (their own error page
    failed to render: an empty answer and tracebacks in the log)."""

    def parse_url_path(self, url_path: str) -> str:
        try:
            return super().parse_url_path(url_path)  # type: ignore[misc]
        except (AssertionError, ValueError):
            raise web.HTTPError(404) from None

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        lang = os.environ.get("VISES_LANG", "fr")
        self.set_header("Content-Type", "text/html; charset=utf-8")  # type: ignore[attr-defined]
        self.set_header("Cache-Control", "no-store")  # type: ignore[attr-defined]
        base = getattr(self, "base_url", None) or "/"
        self.finish(landing.error_html(status_code, lang, base))  # type: ignore[attr-defined]


def _file_errors(handler: type) -> type:
    return type(handler.__name__, (FileErrors, handler), {})


class NotFoundHandler(TranslatedErrors, JupyterHandler):
    """Any address no other handler serves: 404, in the served language."""

    def prepare(self) -> None:  # type: ignore[override]
        raise web.HTTPError(404)


class LandingHandler(TranslatedErrors, JupyterHandler):
    """The page at `/` (and `/voila/tree/`): the dashboards in the served language, each
    with its title and one line (vises_nb.dashboards.landing), instead of Voila's
    JupyterLab file list in English. With accounts, only the pages the person may open,
    and a sign-out link."""

    @web.authenticated
    def get(self, path: str = "") -> None:
        if (path or "").strip("/"):
            raise web.HTTPError(404)  # the dashboards folder has no sub-folders to show
        lang = os.environ.get("VISES_LANG", "fr")
        allowed = None
        signed_in = access.accounts_mode()
        if signed_in:
            person = accounts.get_person(_store(), self.current_user.username)
            if person is None or not person.active:
                raise web.HTTPError(403)
            allowed = functools.partial(may_open, person.role)
        entries = landing.dashboards(Path(self.contents_manager.root_dir), lang, allowed)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.write(landing.landing_html(entries, lang, self.base_url, logout=signed_in))


class PageHandler(TranslatedErrors, TornadoVoilaHandler):
    """A dashboard page, with the XSRF cookie set before it streams: when the page is
    left, Voila's page posts that cookie's value to /voila/api/shutdown/<kernel id> to stop
    its kernel, and without the cookie that was refused (403 '_xsrf' argument missing), so
    every closed page held its kernel (~240 MB) until culled."""

    async def get(self, path: str | None = None) -> None:
        self.xsrf_token  # noqa: B018 - reading it sets the _xsrf cookie (tornado)
        return await super().get(path)


class PersonVoilaHandler(PageHandler):
    """A dashboard page: the role may open it; its kernel learns who asked."""

    @web.authenticated
    async def get(self, path: str | None = None) -> None:
        name = self.current_user.username
        person = accounts.get_person(_store(), name)
        if person is None or not person.active:
            raise web.HTTPError(403)
        if not may_open(person.role, os.path.basename(path or "")):
            _refuse(self, f"page {path}")
        ASKER.set(name)  # this request's task: read when its kernel is handed the request
        return await super().get(path)


_original_send_updates = RequestInfoSocketHandler.send_updates.__func__


def _send_updates_with_person(cls: type, msg: dict) -> None:
    """Voila hands a preheated kernel its page request: add who asked, signed with that
    kernel's connection key, and note the kernel's owner."""
    name = ASKER.get()
    kernel_id = msg.get("kernel_id", "")
    payload = dict(msg.get("payload") or {})
    payload.pop(access.PERSON_ENV, None)
    payload.pop(access.PROOF_ENV, None)
    app = VisesVoila.instance() if VisesVoila.initialized() else None
    if name and app is not None and kernel_id in app.kernel_manager:
        key = bytes(getattr(app.kernel_manager.get_kernel(kernel_id).session, "key", b"") or b"")
        payload[access.PERSON_ENV] = name
        payload[access.PROOF_ENV] = access.person_proof(key, kernel_id, name)
        KERNEL_OWNERS[kernel_id] = name
    _original_send_updates(cls, {**msg, "payload": payload})


def hide_in_logs(secret: str) -> None:
    """Every log record of this process made from now on shows `secret` (as typed or as
    an address writes it) as `[token]`. Tornado and Voila log a refused or failed
    request's whole address (`404 GET /voila/render/x?token=...`), and the server's log
    goes where others may read it (a service's journal, a log file): the token, which
    opens every dashboard, must never be there. Done where records are made, so no
    logger or handler added later escapes it."""
    forms = sorted({secret, quote(secret, safe=""), quote_plus(secret)} - {""}, key=len,
                   reverse=True)
    make = logging.getLogRecordFactory()

    def scrubbed(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make(*args, **kwargs)
        try:
            text = record.getMessage()
        except (TypeError, ValueError, KeyError):  # malformed: logging reports it as ever
            return record
        if any(form in text for form in forms):
            for form in forms:
                text = text.replace(form, "[token]")
            record.msg, record.args = text, ()
        return record

    logging.setLogRecordFactory(scrubbed)


class VisesVoila(Voila):
    """Voila with the token from the environment and the handlers above."""

    def initialize(self, argv: Any = None) -> None:
        token = os.environ.get(TOKEN_ENV, "")
        if token:
            hide_in_logs(token)
        self.accounts = access.accounts_mode()
        self.identity_provider_class = (AccountIdentityProvider if self.accounts
                                        else TokenIdentityProvider)
        super().initialize(argv)
        if not token:
            raise SystemExit(f"vises: {TOKEN_ENV} is not set; start the dashboards with `vises serve`")
        self.token = token

    def init_handlers(self) -> list:
        handlers = []
        for pattern, handler, *rest in super().init_handlers():
            if handler is RequestInfoSocketHandler:
                handler = QueryHandler
            elif handler is TornadoVoilaTreeHandler:
                handler, rest = LandingHandler, []
            elif str(pattern).rstrip("/").endswith("/logout"):
                handler = LogoutHandler
            elif handler is VoilaLoginHandler:  # without accounts: the token's page
                handler = TokenLoginHandler
            elif handler is TornadoVoilaHandler:
                handler = PersonVoilaHandler if self.accounts else PageHandler
            elif handler is VoilaKernelWebsocketHandler:
                handler = OwnKernelWebsocketHandler if self.accounts else KernelSocketHandler
            elif self.accounts and handler is KernelHandler:
                handler = OwnKernelHandler
            elif self.accounts and handler is VoilaShutdownKernelHandler:
                handler = OwnShutdownHandler
            elif isinstance(handler, type) and issubclass(handler, web.StaticFileHandler):
                handler = _file_errors(handler)
            handlers.append((pattern, handler, *rest))
        handlers.append((r".*", NotFoundHandler))  # last: what nothing else serves
        if self.accounts:
            RequestInfoSocketHandler.send_updates = classmethod(_send_updates_with_person)
            self._name_kernels_started_for_a_request()
        self._throttle_refills()
        if POOL_ADAPTIVE:
            self._adapt_pools()
        return handlers

    def _adapt_pools(self) -> None:
        """Pools keep their size minus the pages open, at least one (module docstring)."""
        manager = self.kernel_manager
        if not hasattr(manager, "_pools"):  # preheating off
            return
        configured = dict(manager.kernel_pools_config)
        fill, shutdown = manager.fill_if_needed, manager.shutdown_kernel
        shutdown_all = manager.shutdown_all
        closing = [False]

        def size(notebook: str | None) -> int:
            return int(configured.get(notebook, configured.get("default", {}))
                       .get("pool_size", 1))

        def wanted(notebook: str | None) -> int:
            full = size(notebook)
            started = sum(1 for task in manager._pools.get(notebook, [])
                          if task.done() and not task.cancelled() and task.exception() is None)
            kernels = manager.notebook_data.get(notebook, {}).get("kernel_ids", set())
            pages = max(0, len(kernels) - started)  # started for it, no longer in the pool
            return max(min(full, 1), full - pages)

        def fill_if_needed(delay: float | None = None, notebook_name: str | None = None,
                           **kwargs: Any) -> None:
            config = dict(manager.kernel_pools_config)
            entry = dict(config.get(notebook_name, config.get("default", {})))
            entry["pool_size"] = wanted(notebook_name)
            config[notebook_name] = entry
            manager.kernel_pools_config = config
            fill(delay=delay, notebook_name=notebook_name, **kwargs)

        async def shutdown_kernel(kernel_id: str, *args: Any, **kwargs: Any) -> Any:
            notebook = manager._get_notebook_from_kernel(kernel_id)
            result = await shutdown(kernel_id, *args, **kwargs)
            if (notebook is not None and not closing[0]
                    and manager._pools.get(notebook) is not None):
                fill_if_needed(notebook_name=notebook)  # a page left: the pool grows back
            return result

        async def shutdown_everything(*args: Any, **kwargs: Any) -> Any:
            closing[0] = True  # the server stops: no pool grows back
            return await shutdown_all(*args, **kwargs)

        manager.fill_if_needed = fill_if_needed
        manager.shutdown_kernel = shutdown_kernel
        manager.shutdown_all = shutdown_everything

    def _throttle_refills(self) -> None:
        """At most PREHEAT_AT_ONCE pool kernels started after start-up import at a time
        (see the module's docstring). The first fill, queued before this runs, is not
        throttled: nobody waits for a page then."""
        manager = self.kernel_manager
        initialize = getattr(manager, "_initialize", None)
        if initialize is None or PREHEAT_AT_ONCE < 0:  # preheating off, or not throttled
            return
        slots = asyncio.Semaphore(PREHEAT_AT_ONCE)

        async def hold(content: dict) -> None:
            """Keep the slot until the kernel waits for its page. A page may take the
            kernel before (Voila then stops its render task early), and it still
            imports: the slot stays taken, the page is waiting for that very work."""
            kernel_id, task = content["kernel_id"], content["task"]
            ready = WAITING.setdefault(kernel_id, asyncio.Event())
            deadline = asyncio.get_running_loop().time() + PREHEAT_SLOT_SECONDS
            try:
                while not ready.is_set() and asyncio.get_running_loop().time() < deadline:
                    if task.done() and not content["renderer"].stop_generator:
                        break  # the notebook ran through: it never waits for a page
                    if kernel_id not in manager:
                        break  # stopped or dead
                    try:
                        await asyncio.wait_for(ready.wait(), timeout=0.5)
                    except TimeoutError:
                        pass
            finally:
                WAITING.pop(kernel_id, None)
                slots.release()

        async def throttled(notebook_path: str, kernel_id: str | None = None,
                            **kwargs: Any) -> Any:
            await slots.acquire()
            try:
                content = await initialize(notebook_path, kernel_id, **kwargs)
            except BaseException:
                slots.release()
                raise
            asyncio.ensure_future(hold(content))
            return content

        manager._initialize = throttled

    def _name_kernels_started_for_a_request(self) -> None:
        """A kernel Voila starts for one request (its pool empty) gets the person in its
        environment, and its owner is noted. Pool kernels (VOILA_PREHEAT=True) never do:
        they learn who asks when they are handed a request."""
        manager = self.kernel_manager
        start = manager.start_kernel

        async def start_kernel(*args: Any, **kwargs: Any) -> str:
            env = dict(kwargs.get("env") or {})
            name = ASKER.get()
            named = bool(name) and env.get("VOILA_PREHEAT") == "False"
            env.pop(access.PERSON_ENV, None)
            env.pop(access.PROOF_ENV, None)
            if named:
                env[access.PERSON_ENV] = name
            if "env" in kwargs:
                kwargs["env"] = env
            kernel_id = await start(*args, **kwargs)
            if named:
                KERNEL_OWNERS[kernel_id] = name
            return kernel_id

        manager.start_kernel = start_kernel


def main(argv: list[str] | None = None) -> None:
    VisesVoila.launch_instance(argv if argv is not None else sys.argv[1:])


if __name__ == "__main__":
    main()

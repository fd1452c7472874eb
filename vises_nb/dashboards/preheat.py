"""The kernel side of a preheated dashboard: wait, authenticated, for the page to serve.

Voila's `voila.utils.wait_for_request` opens `/voila/query/<kernel id>` with no
credentials; `vises serve` refuses that (see vises_nb.dashboards.voila_app), so the
dashboards call this one, which sends the token the kernel inherited from the server's
environment (never from a command line) in the Authorization header, and proves it is
this very kernel: an HMAC of its id with the key of its connection file (which only
Voila and the kernel know), so no other socket can take its place.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import os
import threading

TOKEN_ENV = "VISES_SERVE_TOKEN"  # set by `vises serve` in Voila's environment
PROOF_HEADER = "X-Vises-Kernel-Proof"
OPEN_TIMEOUT = 10


def kernel_proof(key: bytes, kernel_id: str) -> str:
    """What a kernel sends to show it holds its own connection key."""
    return hmac.new(key, f"vises-query {kernel_id}".encode(), hashlib.sha256).hexdigest()


def _own_key() -> bytes:
    from IPython import get_ipython

    shell = get_ipython()
    kernel = getattr(shell, "kernel", None)
    return bytes(getattr(getattr(kernel, "session", None), "key", b"") or b"")


async def _request_info(url: str, headers: dict[str, str]) -> str | None:
    import websockets

    try:
        async with websockets.connect(url, open_timeout=OPEN_TIMEOUT, max_size=1 << 20,
                                      additional_headers=headers) as socket:
            message = await socket.recv()
    except (OSError, TimeoutError, websockets.exceptions.WebSocketException):
        return None  # refused or gone: the notebook goes on without the request's details
    return message if isinstance(message, str) else message.decode()


def wait_for_request() -> None:
    """In a preheated kernel, stop until a page asks for it, then put the request's
    details in the environment as Voila's does; outside one, return at once."""
    if os.getenv("VOILA_PREHEAT", "False") == "False":
        return
    ip = os.getenv("VOILA_APP_IP", "127.0.0.1")
    port = os.getenv("VOILA_APP_PORT", "8866")
    base = os.getenv("VOILA_WS_BASE_URL", os.getenv("VOILA_SERVER_URL", "/"))
    kernel_id = os.getenv("VOILA_KERNEL_ID", "")
    url = f"ws://{ip}:{port}{base}voila/query/{kernel_id}"
    headers = {"Authorization": f"token {os.environ.get(TOKEN_ENV, '')}",
               PROOF_HEADER: kernel_proof(_own_key(), kernel_id)}
    found: list[str | None] = [None]

    def inner() -> None:  # the kernel's own event loop is running: use a thread's
        found[0] = asyncio.new_event_loop().run_until_complete(_request_info(url, headers))

    thread = threading.Thread(target=inner)
    thread.start()
    thread.join()
    if found[0] is not None:
        for key, value in json.loads(found[0]).items():
            os.environ[key] = str(value)

"""A page that goes away while the server still writes to its websocket.

jupyter_server sends a kernel's messages to the page with `write_message` and drops the
future it returns; when the browser is gone before a queued write is flushed, that
future fails with WebSocketClosedError and asyncio logs "Task exception was never
retrieved" with a traceback in the server's log (found by the full suite: a test closing
its page while the workspace streamed widget messages). Nobody is left to read the
message, so nothing is lost; the server's log must stay free of tracebacks.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import socket
from typing import ClassVar

import pytest
from tornado import web, websocket
from tornado.httpserver import HTTPServer
from tornado.testing import bind_unused_port

from vises_nb.dashboards.voila_app import KernelSocketHandler, QueryHandler, QuietWrites

BIG = "x" * (16 * 1024 * 1024)  # larger than the sockets' buffers: still queued at close


class Talker(QuietWrites, websocket.WebSocketHandler):
    """A socket that writes a big message at once, like a kernel streaming widgets."""

    written: ClassVar[list] = []

    def open(self) -> None:
        Talker.written.append(self.write_message(BIG))


class Plain(websocket.WebSocketHandler):
    written: ClassVar[list] = []

    def open(self) -> None:
        Plain.written.append(self.write_message(BIG))


async def _closed_mid_write(handler: type) -> list[dict]:
    loop = asyncio.get_running_loop()
    unretrieved: list[dict] = []
    loop.set_exception_handler(lambda _loop, context: unretrieved.append(context))
    listener, port = bind_unused_port()
    server = HTTPServer(web.Application([("/ws", handler)]))
    server.add_sockets([listener])
    handler.written = []
    client = await websocket.websocket_connect(f"ws://127.0.0.1:{port}/ws")
    for _ in range(100):  # the server has queued its write
        if handler.written:
            break
        await asyncio.sleep(0.01)
    client.protocol.stream.socket.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                             b"\x01\x00\x00\x00\x00\x00\x00\x00")
    client.protocol.stream.close()  # gone without reading: a reset, as a killed tab
    for _ in range(200):
        if all(future.done() for future in handler.written):
            break
        await asyncio.sleep(0.01)
    assert handler.written and all(future.done() for future in handler.written)
    handler.written.clear()
    server.stop()
    gc.collect()
    await asyncio.sleep(0.05)
    gc.collect()
    return unretrieved


def test_an_unquieted_socket_shows_the_traceback_this_guards_against():
    """The check can fail: without the guard asyncio reports the write's lost error."""
    unretrieved = asyncio.run(_closed_mid_write(Plain))
    assert any(isinstance(c.get("exception"), websocket.WebSocketClosedError)
               for c in unretrieved), unretrieved


def test_a_page_gone_mid_write_leaves_no_traceback():
    assert asyncio.run(_closed_mid_write(Talker)) == []


def test_other_write_errors_are_still_logged(caplog):
    future: asyncio.Future = asyncio.new_event_loop().create_future()
    future.set_exception(RuntimeError("not a closed page"))
    with caplog.at_level(logging.ERROR, logger="vises.serve"):
        QuietWrites._retrieve(future)
    assert "not a closed page" in caplog.text


@pytest.mark.parametrize("handler", [KernelSocketHandler, QueryHandler])
def test_the_servers_sockets_are_quiet(handler):
    assert issubclass(handler, QuietWrites)


def test_a_message_voila_drops_is_not_a_write():
    """Voila's kernel socket returns no future for the execute_input messages it drops;
    the guard must pass that on, not fail on it (a failure there broke a page's stream)."""

    class Dropping:
        def write_message(self, message, binary=False):
            return None

    class Guarded(QuietWrites, Dropping):
        pass

    assert Guarded().write_message({"header": {"msg_type": "execute_input"}}) is None
    assert KernelSocketHandler.__mro__.index(QuietWrites) < \
        [c.__name__ for c in KernelSocketHandler.__mro__].index("VoilaKernelWebsocketHandler")

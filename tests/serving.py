"""Chromium's launch flags and a real `vises serve` to drive: shared by the browser tests
and the dashboard benchmarks (which put this folder on sys.path), so it needs no pytest."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

# Headless Debian Chromium as root, on a machine with no network but loopback.
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Voila's line once it listens: on the port asked for, or, when another process took that
# port between free_port() and Voila's bind, on another one it tried next (port_retries).
LISTENING = re.compile(r"is running at:\s*http://127\.0\.0\.1:(\d+)/")


def listening_port(log_text: str) -> int | None:
    """The port the server listens on, as its log says (None: not listening yet)."""
    found = LISTENING.search(log_text)
    return int(found.group(1)) if found else None


class ServeFailed(RuntimeError):
    """`vises serve` exited or did not become ready (its log's end is in the message)."""


def wait_for_preheated_kernels(log: Path, process: subprocess.Popen,
                               timeout: float = 180, settle: float = 5) -> None:
    """Wait until Voila says every dashboard's kernel pool is filled (a page asked for
    before then waits for a kernel still importing, which on a busy machine is slow)."""
    from vises_nb.paths import DASHBOARDS_DIR

    names = [p.name for p in DASHBOARDS_DIR.glob("*.ipynb")]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log.read_text()
        if all(f"Kernel pool of {name} is filled" in text for name in names):
            time.sleep(settle)  # the pool's kernels run their notebooks to wait_for_request
            return
        if process.poll() is not None:
            raise ServeFailed(f"vises serve exited: {text[-2000:]}")
        time.sleep(0.5)
    raise ServeFailed(f"the preheated kernels were not ready in {timeout} s")


WAITING = "waits for its page"  # what the server logs when a preheated kernel is ready


def wait_for_waiting_kernels(log: Path, process: subprocess.Popen, count: int,
                             timeout: float = 300) -> None:
    """Wait until `count` preheated kernels have run their notebook up to
    wait_for_request() (each logs that it waits for its page)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log.read_text()
        if text.count(WAITING) >= count:
            return
        if process.poll() is not None:
            raise ServeFailed(f"vises serve exited: {text[-2000:]}")
        time.sleep(0.5)
    raise ServeFailed(f"{count} preheated kernels were not waiting after {timeout} s: "
                      f"{log.read_text().count(WAITING)} were")


@contextmanager
def vises_serve(store: Path, folder: Path, token: str, lang: str = "en",
                timeout: float = 90, pool_size: int | None = None,
                settle: float = 5, process_out: list | None = None,
                accounts: bool = False, serve_args: Sequence[str] = (),
                waiting: int = 0, extra: tuple[str, ...] = ()) -> Iterator[tuple[str, Path]]:
    """Start `vises serve` on a free loopback port; yield (base URL, log file)
    once it answers and its preheated kernels are ready (plus `settle` s); stop it.
    pool_size None: `vises serve`'s default (one preheated kernel per dashboard);
    accounts: `vises serve --accounts` (people sign in; the token is the server's own);
    serve_args: more options (`--session 10`); waiting: also wait until that many
    preheated kernels wait for their page."""
    from vises_nb.dashboards.voila_serve import DEFAULT_POOL_SIZE

    port = free_port()
    log = folder / "voila.log"
    pool = ["--pool-size", str(pool_size)] if pool_size is not None else []
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "vises_nb.cli", "serve", "--store", str(store),
             "--port", str(port), "--lang", lang, *pool, *(["--accounts"] if accounts else []),
             *serve_args, *extra],
            stdout=out, stderr=subprocess.STDOUT,
            env={**os.environ, "VISES_SERVE_TOKEN": token})  # never an argument: see `ps`
    if process_out is not None:  # for tests that look at the server's processes
        process_out.append(process)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            # asked once it says where it listens: the port chosen may have been taken
            # meanwhile by another process (a kernel's), and Voila moved to another one
            port = listening_port(log.read_text())
            try:
                if port is None:
                    raise ConnectionRefusedError("not listening yet")
                base = f"http://127.0.0.1:{port}"
                urllib.request.urlopen(f"{base}/?token={token}", timeout=2)
                break
            except OSError:  # refused, reset, or a read timed out while Voila starts its pool
                if process.poll() is not None:
                    raise ServeFailed(f"vises serve exited: {log.read_text()[-2000:]}")
                time.sleep(0.5)
        else:
            raise ServeFailed(f"vises serve did not answer in {timeout} s: "
                              f"{log.read_text()[-2000:]}")
        if (DEFAULT_POOL_SIZE if pool_size is None else pool_size) > 0:
            wait_for_preheated_kernels(log, process, settle=0 if waiting else settle)
        if waiting:
            wait_for_waiting_kernels(log, process, waiting)
        yield base, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def access_logged(log: Path, path_pattern: str, count: int = 1, timeout: float = 60) -> int:
    """Wait until the server's log holds `count` access summaries of requests whose path
    and query match the regular expression `path_pattern` (Tornado writes a request's
    summary once the answer is sent: a client may read the answer before the line is
    written); how many it holds."""
    summary = re.compile(r"GET " + path_pattern + r" \(127\.0\.0\.1\) [\d.]+ms")
    deadline = time.monotonic() + timeout
    while True:
        found = len(summary.findall(log.read_text()))
        if found >= count or time.monotonic() >= deadline:
            return found
        time.sleep(0.1)


PORT_RACE = "zmq.error.ZMQError: Address already in use"


def unexpected_tracebacks(log: str) -> list[str]:
    """The tracebacks of a server log, less a kernel's launch losing the race for a random
    ZMQ port to another process (jupyter_client picks free ports, then the kernel binds
    them; DESIGN.md's pitfall, papermill#511): Voila's restarter starts it again on new
    ports ("restarting kernel ... new random ports"), so no page sees it."""
    blocks = log.split("Traceback (most recent call last):")[1:]
    return [block for block in blocks if PORT_RACE not in block]


@contextmanager
def chromium_browser(executable: str) -> Iterator:
    """Debian's Chromium, headless, driven by Playwright (BROWSER_ARGS); closed after."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=executable, args=BROWSER_ARGS)
        try:
            yield launched
        finally:
            launched.close()

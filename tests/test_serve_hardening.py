"""`vises serve` against another local user (issue 14, items 1, 2 and 11).

A real `vises serve` (Voila and its preheated kernels). Attacks: read every process's
command line, as root and as a second local user made for the test (useradd, removed
after), looking for the token; open Voila's `/voila/query/<kernel id>` websocket (the
one preheated kernels wait on; the kernel ids are in `ps`) without the token, with a
wrong one, for an unknown kernel, and twice on a real kernel, then ask for a page in
Chromium: it must not hang. `/logout` must not answer 500.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from serving import BROWSER_ARGS, unexpected_tracebacks, vises_serve

pytestmark = pytest.mark.slow
TOKEN = f"serve-secret-{secrets.token_hex(8)}"
KERNEL_FILE = re.compile(r"kernel-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.json")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def status(url: str) -> tuple[int, str]:
    try:
        with OPENER.open(url, timeout=60) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read().decode(errors="replace")


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def all_pids() -> list[int]:
    return [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()]


def descendants(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for pid in all_pids():
        try:
            status_text = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        parents[pid] = int(re.search(r"^PPid:\s+(\d+)", status_text, re.MULTILINE).group(1))
    found, frontier = [], [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        found += children
        frontier += children
    return found


@pytest.fixture(scope="module")
def server(sample_db, tmp_path_factory):
    root = tmp_path_factory.mktemp("serve-hardening")
    store_path = root / "vises.sqlite"
    store_path.write_bytes(sample_db.read_bytes())
    processes: list[subprocess.Popen] = []
    with vises_serve(store_path, root, TOKEN, process_out=processes) as (base, log):
        yield base, processes[0].pid, log


@pytest.fixture
def other_user():
    if os.geteuid() != 0 or shutil.which("useradd") is None:
        pytest.skip("needs root to create a second local user")
    name = f"vh14{secrets.token_hex(3)}"
    subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
                   check=True, capture_output=True)
    try:
        yield name
    finally:
        subprocess.run(["userdel", name], check=False, capture_output=True)


def kernel_ids(server_pid: int) -> list[str]:
    ids = []
    for pid in descendants(server_pid):
        found = KERNEL_FILE.search(cmdline(pid))
        if found:
            ids.append(found.group(1))
    return ids


def kernels(server_pid: int) -> dict[str, tuple[int, Path]]:
    """kernel id: (pid, connection file), from the server's descendants' command lines."""
    found = {}
    for pid in descendants(server_pid):
        line = cmdline(pid)
        match = KERNEL_FILE.search(line)
        if match and " -f " in line:
            found[match.group(1)] = (pid, Path(line.split(" -f ", 1)[1].split()[0]))
    return found


def connected_to(pid: int, port: int) -> bool:
    """Whether process `pid` holds an established TCP connection to 127.0.0.1:`port`."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            cols = row.split()
            if cols[3] == "01" and int(cols[2].rsplit(":", 1)[1], 16) == port and cols[9] in inodes:
                return True
    return False


def test_each_preheated_kernel_waits_on_an_authenticated_socket(server):
    """First, before any page: every pooled kernel did get through the authenticated
    socket and waits on it. Proof: once the kernel is connected to the server, a socket
    that presents that kernel's own proof (made here from its connection file, which only
    this user can read) is refused because the kernel's own waiter is already there."""
    from vises_nb.dashboards.preheat import PROOF_HEADER, kernel_proof

    base, server_pid, _ = server
    ws = base.replace("http://", "ws://")
    port = int(base.rsplit(":", 1)[1])
    pooled = kernels(server_pid)
    assert len(pooled) >= 3
    deadline = time.monotonic() + 180  # the notebooks import before they wait
    while not all(connected_to(pid, port) for pid, _ in pooled.values()):
        assert time.monotonic() < deadline, "a preheated kernel never reached its socket"
        time.sleep(0.5)
    for kernel, (_, path) in pooled.items():
        key = json.loads(path.read_text())["key"].encode()
        assert path.stat().st_mode & 0o077 == 0, "the connection key is the user's alone"
        headers = {"Authorization": f"token {TOKEN}", PROOF_HEADER: kernel_proof(key, kernel)}
        assert opened(f"{ws}/voila/query/{kernel}", headers) == (409, None), kernel


def test_the_token_is_on_no_command_line(server):
    base, server_pid, _ = server
    kernels = kernel_ids(server_pid)
    assert len(kernels) >= 3, "one preheated kernel per dashboard is running"
    assert "voila" in cmdline(server_pid)
    for pid in [server_pid, *descendants(server_pid), *all_pids()]:
        assert TOKEN not in cmdline(pid), (pid, cmdline(pid))
    # and the token is what opens the dashboards
    code, body = status(f"{base}/voila/render/enterprise.ipynb?token={TOKEN}")
    assert code == 200 and "voila" in body.lower()
    for suffix in ("", f"?token=not-{TOKEN}"):
        code, body = status(f"{base}/voila/render/enterprise.ipynb{suffix}")
        assert code in (302, 401, 403), code
        assert "enterprise_browser" not in body


PS_AS_ANOTHER_USER = r"""
import os, sys
token, server = sys.stdin.read().strip(), sys.argv[1]  # not in argv: we are in ps too
seen = environ = 0
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            seen += 1
            if token.encode() in f.read():
                print("TOKEN-IN-CMDLINE", pid)
    except OSError:
        pass
try:
    with open(f"/proc/{server}/environ", "rb") as f:
        print("ENVIRON-READABLE", token.encode() in f.read())
except OSError:
    print("environ refused")
print("seen", seen)
"""


def test_another_local_user_finds_no_token_in_ps(server, other_user):
    _, server_pid, _ = server
    out = subprocess.run(["/usr/bin/python3", "-c", PS_AS_ANOTHER_USER, str(server_pid)],
                         input=TOKEN, user=other_user, group=other_user, cwd="/",
                         capture_output=True, text=True, timeout=60, check=True).stdout
    assert "TOKEN-IN-CMDLINE" not in out and "ENVIRON-READABLE" not in out, out
    assert "environ refused" in out
    assert int(out.split("seen")[1]) > 10, "the other user does see everyone's command lines"


def opened(url: str, headers: dict[str, str] | None = None) -> tuple[int, object]:
    """Open a websocket: (HTTP status it was refused with, or 0; what it received)."""
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    try:
        with connect(url, additional_headers=headers or {}, open_timeout=20) as socket:
            try:
                return 0, socket.recv(timeout=1)
            except TimeoutError:
                return 0, None
    except InvalidStatus as exc:
        return exc.response.status_code, None


def refused(url: str, headers: dict[str, str] | None = None) -> int:
    return opened(url, headers)[0]


def test_the_query_websocket_is_authenticated(server):
    base, server_pid, _ = server
    ws = base.replace("http://", "ws://")
    kernels = kernel_ids(server_pid)
    assert kernels
    for kernel in kernels:
        assert refused(f"{ws}/voila/query/{kernel}") == 403
        assert refused(f"{ws}/voila/query/{kernel}?token=not-{TOKEN}") == 403
        assert refused(f"{ws}/voila/query/{kernel}",
                       {"Authorization": f"token not-{TOKEN}"}) == 403
    unknown = "00000000-0000-4000-8000-000000000000"
    assert refused(f"{ws}/voila/query/{unknown}", {"Authorization": f"token {TOKEN}"}) == 404


def test_two_sockets_on_a_kernel_neither_steal_nor_hang_the_next_page(server, chromium):
    """Even with the token, a socket that is not the kernel itself is refused: it cannot
    receive the page's request (the query string) nor, by closing, hang the page."""
    playwright = pytest.importorskip("playwright.sync_api")
    base, server_pid, log = server
    ws = base.replace("http://", "ws://")
    owner = {"Authorization": f"token {TOKEN}"}
    for kernel in kernel_ids(server_pid):
        for _ in range(2):  # two sockets each, opened and closed
            assert refused(f"{ws}/voila/query/{kernel}") == 403
            assert opened(f"{ws}/voila/query/{kernel}", owner) == (403, None)
            forged = {**owner, "X-Vises-Kernel-Proof": "0" * 64}
            assert opened(f"{ws}/voila/query/{kernel}?token={TOKEN}", forged) == (403, None)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=BROWSER_ARGS)
        for _ in range(2):  # the preheated kernel, then the one that refilled the pool
            page = browser.new_page()
            page.goto(f"{base}/voila/render/enterprise.ipynb?token={TOKEN}", timeout=90_000)
            page.locator(".vises-card h2").wait_for(timeout=90_000)
            assert page.locator(".vises-card h2").inner_text().strip()
            page.close()
        browser.close()
    assert unexpected_tracebacks(log.read_text()) == []


def test_logout_answers_a_plain_page(server):
    base, _, _ = server
    code, body = status(f"{base}/logout")
    assert code == 200, (code, body[:500])
    assert "logged out" in body and "Traceback" not in body
    code, _ = status(f"{base}/voila/render/enterprise.ipynb")
    assert code in (302, 401, 403)


def test_a_token_given_as_an_argument_is_refused(sample_db):
    done = subprocess.run(
        [sys.executable, "-m", "vises_nb.cli", "--lang", "en", "serve", "--store", str(sample_db),
         "--token", "visible-to-everyone"], check=False, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "VISES_SERVE_TOKEN" in done.stderr and "Traceback" not in done.stderr


def test_the_request_handed_to_a_kernel_carries_no_token():
    from vises_nb.dashboards.voila_app import scrub

    payload = {"QUERY_STRING": f"token={TOKEN}&enterprise=E01&x=", "SCRIPT_NAME": "/voila/render/a"}
    assert scrub(payload) == {"QUERY_STRING": "enterprise=E01&x=", "SCRIPT_NAME": "/voila/render/a"}
    assert scrub({"SERVER_PORT": "1"}) == {"SERVER_PORT": "1"}


def test_the_log_check_ignores_only_a_kernels_lost_port_race():
    """The server-log check above can fail: any traceback but a kernel launch losing its
    ZMQ port (which Voila restarts on new ports) is reported."""
    race = ("Traceback (most recent call last):\n  File \"kernelapp.py\"\n"
            "zmq.error.ZMQError: Address already in use (addr='tcp://127.0.0.1:1')\n"
            "[VisesVoila] AsyncIOLoopKernelRestarter: restarting kernel (1/5)\n")
    other = "Traceback (most recent call last):\n  File \"voila_app.py\"\nKeyError: 'x'\n"
    assert unexpected_tracebacks("start\n" + race) == []
    assert len(unexpected_tracebacks("start\n" + race + other)) == 1
    assert len(unexpected_tracebacks(other + race)) == 1

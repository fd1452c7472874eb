"""A collective session: `vises serve --session N` keeps N workspace kernels ready and
refills them one at a time; idle kernels are culled; the workspace opens on the
enterprise its address names; its kernel does not import the charting stack before its
first render. The browser tests drive a real `vises serve` with Chromium (timings are in
benchmarks/bench_collective_session.py, not here)."""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import shutil
import subprocess
import sys
import time

import pytest
from serving import WAITING, vises_serve
from session_pages import session, session_enterprises

from vises_nb.cli import build_parser, main
from vises_nb.dashboards.voila_serve import pools_config, voila_command
from vises_nb.store import model as m
from vises_nb.store.store import Store

TOKEN = "test-token-session-5d1e"


# ------------------------------------------------------------------ the command line
def test_session_keeps_its_pool_for_the_workspace_alone():
    args = build_parser().parse_args(["serve", "--session", "10"])
    command = voila_command("python", 8866, args.pool_size, session=args.session)
    assert "--preheat_kernel=True" in command
    config = next(part for part in command
                  if part.startswith("--VoilaKernelManager.kernel_pools_config="))
    pools = json.loads(config.split("=", 1)[1])
    assert pools == {"default": {"pool_size": 1}, "workspace.ipynb": {"pool_size": 10}}
    assert not any("token" in part.lower() for part in command), "no secret in argv (ps)"


def test_by_default_no_session_pool_and_kernels_culled_after_15_minutes():
    args = build_parser().parse_args(["serve"])
    assert args.session == 0 and args.cull_idle == 900
    command = voila_command("python", 8866, args.pool_size, session=args.session,
                            cull_idle=args.cull_idle)
    assert pools_config(1) == {"default": {"pool_size": 1}}
    assert "--MappingKernelManager.cull_idle_timeout=900" in command
    assert "--MappingKernelManager.cull_interval=60" in command
    assert "--VoilaExecutor.iopub_timeout=60" in command  # not nbclient's 4 s: see voila_serve


def test_a_session_without_other_preheated_dashboards():
    command = voila_command("python", 8866, 0, session=4, cull_idle=30)
    assert "--preheat_kernel=True" in command
    assert pools_config(0, 4) == {"default": {"pool_size": 0},
                                  "workspace.ipynb": {"pool_size": 4}}
    assert "--MappingKernelManager.cull_interval=30" in command


@pytest.mark.parametrize("option, value", [("--session", "-1"), ("--session", "51"),
                                           ("--cull-idle", "5")])
def test_a_bad_session_or_cull_time_is_refused(sample_db, capsys, option, value):
    assert main(["serve", "--store", str(sample_db), option, value]) != 0
    assert option in capsys.readouterr().err


# ------------------------------------------------------------------ the workspace
def test_the_address_names_the_enterprise_the_workspace_opens_on(sample_db, monkeypatch):
    from vises_nb.dashboards.workspace.app import Workspace, requested_enterprise

    assert requested_enterprise({"QUERY_STRING": "enterprise=E23&token=x"}) == "E23"
    assert requested_enterprise({"QUERY_STRING": "enterprise=+&x=1"}) is None
    assert requested_enterprise({}) is None
    store = Store.open(sample_db)
    first = store.list(m.Accompanier)[0].id
    other = next(e for e in store.list(m.Enterprise)
                 if e.accompanier_id and e.accompanier_id != first and not e.archived)
    store.close()
    monkeypatch.setenv("QUERY_STRING", f"enterprise={other.id}")
    workspace = Workspace(str(sample_db), "en")
    assert (workspace.accompanier.value, workspace.enterprise.value) == (
        other.accompanier_id, other.id)
    assert other.name in workspace.status.value

    monkeypatch.setenv("QUERY_STRING", "enterprise=NOPE")  # unknown: the usual first one
    workspace = Workspace(str(sample_db), "en")
    assert workspace.accompanier.value == first


def test_a_workspace_kernel_imports_no_charting_before_its_first_render(sample_db):
    code = ("import sys\n"
            "from vises_nb.dashboards.workspace.app import Workspace\n"
            f"Workspace({str(sample_db)!r}, 'en')\n"
            "print(sorted(m for m in ('altair', 'vl_convert', 'jsonschema') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


# ------------------------------------------------------------------ a real server
def kernel_pids(server: int) -> list[int]:
    """The ipykernel processes under the server."""
    out = subprocess.run(["ps", "-e", "-o", "pid=,ppid=,args="], check=True,
                         capture_output=True, text=True).stdout
    rows = [line.split(None, 2) for line in out.splitlines()]
    children: dict[int, list[int]] = {}
    for pid, ppid, *_ in rows:
        children.setdefault(int(ppid), []).append(int(pid))
    args = {int(r[0]): (r[2] if len(r) > 2 else "") for r in rows}
    found, frontier = [], [server]
    while frontier:
        for child in children.get(frontier.pop(), []):
            found.append(child)
            frontier.append(child)
    return [p for p in found if "ipykernel" in args.get(p, "")]


def wait_for(condition, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(1)


@pytest.mark.slow
def test_pages_opened_together_all_render_and_save_and_the_pool_adapts(
        sample_db, tmp_path, chromium, monkeypatch):
    """4 pages, a second apart, on a `--session 3` server (other dashboards not preheated):
    each shows its own enterprise and saves its identity card (the benchmark's own page
    driver, tests/session_pages.py). While they are open the pool keeps one kernel ready
    (3 − 4 open, at least 1), refilled one importing kernel at a time; once they are
    closed it grows back to 3."""
    store_path = tmp_path / "vises.sqlite"
    shutil.copy(sample_db, store_path)
    chosen = session_enterprises(store_path, 4)
    monkeypatch.setenv("VISES_PREHEAT_AT_ONCE", "1")
    processes: list = []
    with vises_serve(store_path, tmp_path, TOKEN, pool_size=0, process_out=processes,
                     serve_args=["--session", "3"], waiting=3) as (base, log):
        server = processes[0].pid
        assert len(kernel_pids(server)) == 3

        def while_open() -> None:
            store = Store.open(store_path)
            saved = {eid: store.get(m.Enterprise, eid)[0].sector for eid, _name in chosen}
            store.close()
            assert saved == {eid: f"Session sector {n + 1}"
                             for n, (eid, _name) in enumerate(chosen)}
            # 3 ready at start; the 3rd page emptied the pool (one refill), the 4th took
            # that kernel still starting (one more): 2 refills, and 4 pages + 1 ready kernel
            wait_for(lambda: log.read_text().count(WAITING) >= 3 + 2)
            time.sleep(5)
            text = log.read_text()
            assert text.count(WAITING) == 3 + 2
            assert len(kernel_pids(server)) == 4 + 1, "4 pages' kernels and one ready"
            # after start-up, a kernel starts only once the previous one waits for its page
            refills = text.split(WAITING, 3)[3]
            events = re.findall(r"Kernel started|" + WAITING, refills)
            for before, after in itertools.pairwise(events):
                assert not (before == after == "Kernel started"), events

        def after_close() -> None:  # leaving: Voila's page asks the server to stop its kernel
            wait_for(lambda: log.read_text().count(WAITING) >= 3 + 2 + 2
                     and len(kernel_pids(server)) == 3)
            assert len(kernel_pids(server)) == 3, "the pool grew back to 3, the pages' are gone"
            assert log.read_text().count(WAITING) == 3 + 2 + 2

        pages = asyncio.run(session(base, TOKEN, chosen, gap=1, timeout=120,
                                    while_open=while_open, after_close=after_close,
                                    executable=chromium))
        assert [(p.enterprise, p.stuck) for p in pages] == [(eid, "") for eid, _ in chosen]
        assert all(p.render is not None and p.save is not None for p in pages)


@pytest.mark.slow
def test_a_kernel_left_by_its_page_is_culled(sample_db, tmp_path, browser):
    """A page closed without saying goodbye (a laptop shut: no shutdown beacon) leaves its
    kernel idle; `--cull-idle 10` stops it."""
    store_path = tmp_path / "vises.sqlite"
    shutil.copy(sample_db, store_path)
    processes: list = []
    with vises_serve(store_path, tmp_path, TOKEN, pool_size=0, process_out=processes,
                     serve_args=["--cull-idle", "10"]) as (base, log):
        server = processes[0].pid
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{base}/voila/render/workspace.ipynb?token={TOKEN}", wait_until="commit",
                  timeout=90_000)
        page.locator(".vises-card h2").first.wait_for(timeout=120_000)
        kernels = kernel_pids(server)
        assert len(kernels) == 1
        context.close()  # Playwright runs no beforeunload here: no shutdown beacon is sent
        deadline = time.monotonic() + 90
        while kernel_pids(server) and time.monotonic() < deadline:
            time.sleep(1)
        assert kernel_pids(server) == []
        assert re.search(r"Culling '\w+' kernel .* seconds of inactivity", log.read_text())

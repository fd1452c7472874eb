"""A collective session: N enterprises open the workspace together, each saves one form.

    .venv/bin/python benchmarks/bench_collective_session.py [--pages 10] [--gap 1]
        [--rounds 2] [--config "LABEL:SERVE ARGS[:ENV=VALUE,...]" ...] [--timeout 120]
        [--pinned]

For each configuration (default: `vises serve` as it starts by default, then
`--session 10`), starts a real `vises serve` on a copy of the sample cohort, waits until
every preheated kernel waits for its page, then opens N Chromium pages (each its own
browser context, --gap s apart, so 10 pages within 10 s), each on a different
enterprise (`workspace.ipynb?enterprise=E..`; the page driver is tests/session_pages.py,
shared with tests/test_collective_session.py). Each page is timed from its request to
its HTML fully received (served: the server's part, the kernel having run the notebook)
and to its enterprise's card shown (first render); then it fills the identity card's
sector and saves, timed from the click to "saved" shown (save). Prints each page's times,
p50 and p95, pages that never finished (and where), CPU time of the server and its
kernels and of Chromium (all its processes, per page), and memory: the server and its
kernels (RSS, and PSS, which shares shared pages out fairly), before the pages, with the
pages open, and once the pools have refilled. Configurations alternate round by round.
Asserts nothing (the machine is shared); the targets are p95 first render <= 3 s and
p95 save <= 1 s.

--pinned also runs each configuration with Chromium on one core and the server and its
kernels on the other (`taskset`), labelled [pinned]: the server's part with the browsers
kept off its core. It is not what people see (ten browsers on one core are slower still).

A configuration is LABEL:ARGS[:ENV]: e.g. "pool10:--pool-size 10",
"session-unthrottled:--session 10:VISES_PREHEAT_AT_ONCE=-1" (refills not throttled) or
"voila-page:--session 10:VISES_VOILA_PAGE=1" (the page as Voila makes it: every installed
JupyterLab extension and a turning spinner) or "own-layouts:--session 10:VISES_OWN_LAYOUTS=1"
(each widget with its own Layout and Style model, as before dashboards/shared_layouts.py)
or "whole-step1:--session 10:VISES_WHOLE_STEP1=1" (step 1's six sections built at once, as
before dashboards/workspace/sections.py: 3.5–4.0 Chromium CPU-s per page and 12.7–13.7 s
of kernels per session, against 2.7–2.9 and 8.7–9.1 built on opening; load 10–12).
Where Chromium's CPU goes on one page: benchmarks/profile_page.py.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from serving import WAITING, vises_serve  # the browser tests' harness
from session_pages import (  # the pages, shared with tests/test_collective_session.py
    Page,
    chromium_cpu,
    cpu_seconds,
    descendants,
    session,
    session_enterprises,
)

TOKEN = "bench-session-token"
DEFAULT_CONFIGS = ["default:", "session10:--session 10"]


@dataclass
class Memory:
    server: float = 0.0
    kernels: list[float] = field(default_factory=list)
    pss: float = 0.0

    def line(self, label: str) -> str:
        if not self.kernels:
            return f"{label}: server {self.server:.0f} MB, no kernel"
        total = self.server + sum(self.kernels)
        return (f"{label}: server {self.server:.0f} MB + {len(self.kernels)} kernels "
                f"{sum(self.kernels):.0f} MB (each {min(self.kernels):.0f}–"
                f"{max(self.kernels):.0f}, median {statistics.median(self.kernels):.0f}) "
                f"= RSS {total:.0f} MB; PSS {self.pss:.0f} MB")


def _status(pid: int, key: str) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _pss(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def memory(server: int) -> Memory:
    pids = [p for p in descendants(server)
            if b"ipykernel" in Path(f"/proc/{p}/cmdline").read_bytes()]
    return Memory(server=_status(server, "VmRSS"),
                  kernels=[_status(p, "VmRSS") for p in pids],
                  pss=_pss(server) + sum(_pss(p) for p in pids))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def stats(values: list[float]) -> str:
    if not values:
        return "none"
    return (f"p50 {statistics.median(values):.2f} s, p95 {percentile(values, 0.95):.2f} s, "
            f"max {max(values):.2f} s")


def expected_waiting(args: list[str]) -> int:
    """How many preheated kernels a `vises serve` with these options keeps waiting."""
    from vises_nb.dashboards.voila_serve import DEFAULT_POOL_SIZE, pools_config
    from vises_nb.paths import DASHBOARDS_DIR

    pool = int(args[args.index("--pool-size") + 1]) if "--pool-size" in args else DEFAULT_POOL_SIZE
    session_size = int(args[args.index("--session") + 1]) if "--session" in args else 0
    config = pools_config(pool, session_size)
    return sum(config.get(p.name, config["default"])["pool_size"]
               for p in DASHBOARDS_DIR.glob("*.ipynb"))


async def server_part(base: str, page: Page, delay: float, timeout: float) -> None:
    """What the server does for one page, without a browser: the page's HTML (the kernel
    runs the notebook), then, on the kernel's websocket, every widget's state, asked as
    Voila's page asks it (ipywidgets' control comm, `request_states`). `page.served`: the
    HTML received; `page.render`: the widgets' states received (a browser would then draw
    them)."""
    import json
    import re
    import urllib.request
    import uuid

    import websockets

    await asyncio.sleep(delay)
    start = time.perf_counter()
    page.stuck = "render"

    def fetch() -> str:
        url = f"{base}/voila/render/workspace.ipynb?token={TOKEN}&enterprise={page.enterprise}"
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode()

    try:
        html = await asyncio.to_thread(fetch)
        page.served = time.perf_counter() - start
        kernel = re.search(r'"kernelId": "([0-9a-f-]+)"', html).group(1)
        session_id = uuid.uuid4().hex

        def message(kind: str, content: dict, metadata: dict | None = None) -> str:
            return json.dumps({
                "header": {"msg_id": uuid.uuid4().hex, "username": "bench", "version": "5.3",
                           "session": session_id, "msg_type": kind, "date": ""},
                "parent_header": {}, "metadata": metadata or {}, "content": content,
                "channel": "shell", "buffers": []})

        url = (base.replace("http://", "ws://") + f"/api/kernels/{kernel}/channels"
               f"?session_id={session_id}&token={TOKEN}")
        comm = uuid.uuid4().hex
        async with websockets.connect(url, max_size=1 << 26) as socket:
            await socket.send(message("comm_open", {"comm_id": comm, "data": {},
                                                    "target_name": "jupyter.widget.control"},
                                      {"version": "1.0.0"}))
            await socket.send(message("comm_msg", {"comm_id": comm,
                                                   "data": {"method": "request_states"}}))
            while True:
                frame = await asyncio.wait_for(socket.recv(), timeout)
                if isinstance(frame, bytes) or '"update_states"' not in frame:
                    continue  # binary frames (buffers) and the kernel's other messages
                reply = json.loads(frame)
                if reply.get("content", {}).get("data", {}).get("method") == "update_states":
                    page.render = time.perf_counter() - start
                    page.stuck = ""
                    return
    except (OSError, TimeoutError, AttributeError, websockets.exceptions.WebSocketException):
        pass


async def server_session(base: str, chosen: list[tuple[str, str]], gap: float,
                         timeout: float, while_open) -> list[Page]:
    pages = [Page(i + 1, eid) for i, (eid, _name) in enumerate(chosen)]
    await asyncio.gather(*(server_part(base, page, i * gap, timeout)
                           for i, page in enumerate(pages)))
    await asyncio.to_thread(while_open)
    return pages


def pin(pids: list[int], core: int) -> None:
    """Every thread of these processes on one core (kernels they start later inherit it)."""
    for pid in pids:
        subprocess.run(["taskset", "-a", "-c", "-p", str(core), str(pid)],
                       capture_output=True, check=False)


def run_config(label: str, serve_args: list[str], env: dict[str, str], store: Path,
               folder: Path, chosen: list[tuple[str, str]], args: argparse.Namespace,
               pinned: bool = False, browser: bool = True) -> dict:
    processes: list = []
    saved_env = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    waiting = expected_waiting(serve_args)
    pool_size = None
    if "--pool-size" in serve_args:  # the harness's own option (it waits for those pools)
        at = serve_args.index("--pool-size")
        pool_size = int(serve_args[at + 1])
        serve_args = serve_args[:at] + serve_args[at + 2:]
    try:
        with vises_serve(store, folder, TOKEN, pool_size=pool_size, timeout=180,
                         process_out=processes, serve_args=serve_args,
                         waiting=waiting) as (base, log):
            server = processes[0].pid
            time.sleep(args.settle)
            idle = memory(server)
            load = os.getloadavg()[0]
            cpu = {"start": cpu_seconds(server)}
            measured: dict[str, Memory] = {}
            cores = sorted(os.sched_getaffinity(0))
            if pinned:  # the server's part alone: Chromium on one core, the server on another
                pin([server, *descendants(server)], cores[-1])
                os.sched_setaffinity(0, {cores[0]})  # Playwright and Chromium inherit it

            def measure() -> None:
                cpu["pages"] = cpu_seconds(server)
                cpu["browser"] = chromium_cpu()
                measured["open"] = memory(server)
                # the pools refill behind the pages: until no kernel started for 20 s
                deadline, quiet = time.monotonic() + 240, time.monotonic() + 20
                seen = log.read_text().count("Kernel started")
                while time.monotonic() < min(deadline, quiet):
                    time.sleep(1)
                    text = log.read_text()
                    now = text.count("Kernel started")
                    if now != seen or text.count(WAITING) < now:  # one still importing
                        seen, quiet = now, time.monotonic() + 20
                measured["refilled"] = memory(server)
                cpu["refilled"] = cpu_seconds(server)

            try:
                pages = asyncio.run(
                    session(base, TOKEN, chosen, args.gap, args.timeout, while_open=measure)
                    if browser else
                    server_session(base, chosen, args.gap, args.timeout, measure))
            finally:
                os.sched_setaffinity(0, cores)
            open_pages, refilled = measured["open"], measured["refilled"]
    finally:
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    label += " [pinned]" if pinned else "" if browser else " [server's part]"
    return {"label": label, "pages": pages, "idle": idle,
            "open": open_pages, "refilled": refilled, "load": load, "cpu": cpu,
            "load_end": os.getloadavg()[0]}


def report(result: dict, round_number: int) -> None:
    pages: list[Page] = result["pages"]
    print(f"\n== {result['label']} (round {round_number}; load average at start "
          f"{result['load']:.1f} on {os.cpu_count()} cores)")
    shown = "widgets' states" if "server's part" in result["label"] else "first render"
    for page in pages:
        render = f"{page.render:6.2f} s" if page.render is not None else "   —    "
        served = f"{page.served:6.2f} s" if page.served is not None else "   —    "
        save = f"{page.save:6.2f} s" if page.save is not None else "   —    "
        stuck = f"  NEVER FINISHED ({page.stuck})" if page.stuck else ""
        print(f"  page {page.number:2d} {page.enterprise:6s} served {served}  {shown} "
              f"{render}  save {save}{stuck}")
    renders = [p.render for p in pages if p.render is not None]
    saves = [p.save for p in pages if p.save is not None]
    never = [p for p in pages if p.stuck]
    print(f"  served (HTML received): {stats([p.served for p in pages if p.served is not None])}")
    print(f"  {shown}: {stats(renders)}")
    print(f"  save:         {stats(saves)}")
    print(f"  never finished: {len(never)}"
          + (f" ({', '.join(f'{p.number}:{p.stuck}' for p in never)})" if never else ""))
    cpu = result["cpu"]
    print(f"  CPU time: server and kernels {cpu['pages'] - cpu['start']:.1f} s until the last "
          f"save, {cpu['refilled'] - cpu['start']:.1f} s once the pools refilled; Chromium "
          f"{cpu['browser']:.1f} s ({cpu['browser'] / len(pages):.1f} s per page, its launch "
          f"included) (load average at the end {result['load_end']:.1f})")
    print("  " + result["idle"].line("memory, pools ready"))
    print("  " + result["open"].line("memory, pages open"))
    print("  " + result["refilled"].line("memory, pools refilled"))


def parse_config(text: str) -> tuple[str, list[str], dict[str, str]]:
    label, _, rest = text.partition(":")
    serve, _, env = rest.partition(":")
    variables = dict(item.split("=", 1) for item in env.split(",") if "=" in item)
    return label or "default", shlex.split(serve), variables


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--gap", type=float, default=1.0, help="seconds between pages")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=120,
                        help="seconds after which a page counts as never finished")
    parser.add_argument("--settle", type=float, default=3,
                        help="seconds to wait once the pools are ready")
    parser.add_argument("--logs", default=None,
                        help="keep each server's log in this folder")
    parser.add_argument("--config", action="append", default=None,
                        help="LABEL:SERVE ARGS[:ENV=VALUE,...] (repeatable)")
    parser.add_argument("--pinned", action="store_true",
                        help="also run each configuration with Chromium on one core and the "
                             "server and its kernels on another")
    parser.add_argument("--server-part", action="store_true",
                        help="also run each configuration without a browser: each page's "
                             "HTML, then its widgets' states on the kernel's websocket")
    args = parser.parse_args()
    configs = [parse_config(c) for c in (args.config or DEFAULT_CONFIGS)]
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_dashboards import build_store

    results = []
    with tempfile.TemporaryDirectory(prefix="vises-session-") as tmp:
        folder = Path(tmp)
        pristine, _answers = build_store(folder, 1)
        chosen = session_enterprises(pristine, args.pages)
        kinds = [(False, True), *([(True, True)] if args.pinned else []),
                 *([(False, False)] if args.server_part else [])]
        runs = [(config, pinned, browser) for config in configs for pinned, browser in kinds]
        for round_number in range(1, args.rounds + 1):
            for (label, serve_args, env), pinned, browser in runs:
                kind = "" if browser and not pinned else "-pinned" if pinned else "-server"
                work = folder / f"{label}-{round_number}{kind}"
                work.mkdir()
                store = work / "vises.sqlite"
                shutil.copy(pristine, store)
                result = run_config(label, serve_args, env, store, work, chosen, args, pinned,
                                    browser)
                if args.logs:
                    Path(args.logs).mkdir(parents=True, exist_ok=True)
                    shutil.copy(work / "voila.log", Path(args.logs) / f"{work.name}.log")
                report(result, round_number)
                results.append(result)
    print("\nsummary (best round per configuration, by p95 first render; [pinned]: Chromium "
          "on one core, the server on the other: the server's part, not what people see):")
    for label in dict.fromkeys(r["label"] for r in results):
        mine = [r for r in results if r["label"] == label]
        renders = lambda r: [p.render for p in r["pages"] if p.render is not None]
        best = min(mine, key=lambda r: (sum(1 for p in r["pages"] if p.stuck),
                                        percentile(renders(r), 0.95) if renders(r) else 1e9))
        saves = [p.save for p in best["pages"] if p.save is not None]
        never = sum(1 for p in best["pages"] if p.stuck)
        shown = "widgets' states" if "server's part" in label else "first render"
        print(f"  {label:24s} {shown} {stats(renders(best))}; save {stats(saves)}; "
              f"never finished {never}; Chromium {best['cpu']['browser'] / len(best['pages']):.1f}"
              f" CPU-s per page; RSS with pages open "
              f"{best['open'].server + sum(best['open'].kernels):.0f} MB "
              f"(PSS {best['open'].pss:.0f} MB)")


if __name__ == "__main__":
    main()

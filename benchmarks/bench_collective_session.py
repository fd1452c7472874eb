"""A collective session: N enterprises open the workspace together, each saves one form.

    .venv/bin/python benchmarks/bench_collective_session.py [--pages 10] [--gap 1]
        [--rounds 2] [--config "LABEL:SERVE ARGS[:ENV=VALUE,...]" ...] [--timeout 120]

For each configuration (default: `vises serve` as it starts by default, then
`--session 10`), starts a real `vises serve` on a copy of the sample cohort, waits until
every preheated kernel waits for its page, then opens N Chromium pages (each its own
browser context, --gap s apart, so 10 pages within 10 s), each on a different
enterprise (`workspace.ipynb?enterprise=E..`). Each page is timed from its request to
its enterprise's card shown (first render); then it fills the identity card's sector
and saves, timed from the click to "saved" shown (save). Prints each page's times, p50
and p95, pages that never finished (and where), and memory: the server and its kernels
(RSS, and PSS, which shares shared pages out fairly), before the pages, with the pages
open, and once the pools have refilled. Configurations alternate round by round.
Asserts nothing (the machine is shared); the targets are p95 first render <= 3 s and
p95 save <= 1 s.

A configuration is LABEL:ARGS[:ENV]: e.g. "pool10:--pool-size 10" or
"session-unthrottled:--session 10:VISES_PREHEAT_AT_ONCE=-1" (refills not throttled).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shlex
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from serving import BROWSER_ARGS, WAITING, vises_serve  # the browser tests' harness

TOKEN = "bench-session-token"
DEFAULT_CONFIGS = ["default:", "session10:--session 10"]


@dataclass
class Page:
    number: int
    enterprise: str
    served: float | None = None  # request → the page's HTML fully received (server side)
    render: float | None = None
    save: float | None = None
    stuck: str = ""  # where a page that never finished stopped


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


def descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, frontier = [], [root]
    while frontier:
        kids = children.get(frontier.pop(), [])
        found += kids
        frontier += kids
    return found


TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(root: int) -> float:
    """CPU time (user + system) of a process, its living descendants, and the children it
    has already reaped (kernels that were stopped)."""
    total = 0.0
    for pid in [root, *descendants(root)]:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        utime, stime, cutime, cstime = (int(v) for v in fields[11:15])
        total += utime + stime + cutime + cstime
    return total / TICKS


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


def enterprises(store_path: Path, count: int) -> list[tuple[str, str]]:
    """(id, name) of `count` enterprises followed by an accompanier, spread over the cohort."""
    from vises_nb.store import model as m
    from vises_nb.store.store import Store

    store = Store.open(store_path)
    try:
        every = [(e.id, e.name) for e in sorted(store.list(m.Enterprise), key=lambda e: e.id)
                 if e.accompanier_id and not e.archived]
    finally:
        store.close()
    step = max(1, len(every) // count)
    return every[::step][:count]


async def one_page(browser, base: str, page: Page, name: str, delay: float,
                   timeout: float) -> None:
    from playwright.async_api import TimeoutError as PageTimeout

    await asyncio.sleep(delay)
    context = await browser.new_context()
    tab = await context.new_page()
    start = time.perf_counter()
    left = lambda: max(0.1, timeout - (time.perf_counter() - start)) * 1000
    try:
        page.stuck = "render"
        response = await tab.goto(f"{base}/voila/render/workspace.ipynb?token={TOKEN}"
                                  f"&enterprise={page.enterprise}", wait_until="commit",
                                  timeout=left())

        async def served() -> None:  # Voila streams the page as its kernel runs the notebook
            await response.finished()
            page.served = time.perf_counter() - start

        receiving = asyncio.ensure_future(served())
        await tab.locator(".vises-card h2", has_text=name).first.wait_for(timeout=left())
        page.render = time.perf_counter() - start
        await asyncio.wait_for(receiving, timeout=left() / 1000)
        page.stuck = "form"
        await tab.get_by_role("tab", name="Step 1").click(timeout=left())
        form = tab.locator(".vises-form-identity")
        await form.wait_for(timeout=left())
        sector = form.locator(".vises-field-sector input, .vises-field-sector textarea").first
        await sector.fill(f"Session sector {page.number}", timeout=left())
        page.stuck = "save"
        clicked = time.perf_counter()
        await form.locator(".vises-save").click(timeout=left())
        await form.locator(".vises-status-saved").wait_for(timeout=left())
        page.save = time.perf_counter() - clicked
        page.stuck = ""
    except (PageTimeout, TimeoutError):
        pass
    # the context stays open (its page holds its kernel) until memory is measured


async def session(base: str, chosen: list[tuple[str, str]], gap: float,
                  timeout: float, then) -> list[Page]:
    """The pages, opened `gap` s apart; `then()` runs while they are all still open."""
    from playwright.async_api import async_playwright

    pages = [Page(i + 1, eid) for i, (eid, _name) in enumerate(chosen)]
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=shutil.which("chromium") or "/usr/bin/chromium",
            args=BROWSER_ARGS)
        await asyncio.gather(*(one_page(browser, base, page, name, i * gap, timeout)
                               for i, (page, (_eid, name)) in enumerate(zip(pages, chosen))))
        await asyncio.to_thread(then)
        await browser.close()
    return pages


def expected_waiting(args: list[str]) -> int:
    """How many preheated kernels a `vises serve` with these options keeps waiting."""
    from vises_nb.dashboards.voila_serve import DEFAULT_POOL_SIZE, pools_config
    from vises_nb.paths import DASHBOARDS_DIR

    pool = int(args[args.index("--pool-size") + 1]) if "--pool-size" in args else DEFAULT_POOL_SIZE
    session_size = int(args[args.index("--session") + 1]) if "--session" in args else 0
    config = pools_config(pool, session_size)
    return sum(config.get(p.name, config["default"])["pool_size"]
               for p in DASHBOARDS_DIR.glob("*.ipynb"))


def run_config(label: str, serve_args: list[str], env: dict[str, str], store: Path,
               folder: Path, chosen: list[tuple[str, str]], args: argparse.Namespace) -> dict:
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
            cpu = {"start": cpu_seconds(server), "browser_start": cpu_seconds(os.getpid())}
            measured: dict[str, Memory] = {}

            def measure() -> None:
                cpu["pages"] = cpu_seconds(server)
                cpu["browser"] = cpu_seconds(os.getpid())
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

            pages = asyncio.run(session(base, chosen, args.gap, args.timeout, measure))
            open_pages, refilled = measured["open"], measured["refilled"]
    finally:
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return {"label": label, "pages": pages, "idle": idle, "open": open_pages,
            "refilled": refilled, "load": load, "cpu": cpu,
            "load_end": os.getloadavg()[0]}


def report(result: dict, round_number: int) -> None:
    pages: list[Page] = result["pages"]
    print(f"\n== {result['label']} (round {round_number}; load average at start "
          f"{result['load']:.1f} on {os.cpu_count()} cores)")
    for page in pages:
        render = f"{page.render:6.2f} s" if page.render is not None else "   —    "
        served = f"{page.served:6.2f} s" if page.served is not None else "   —    "
        save = f"{page.save:6.2f} s" if page.save is not None else "   —    "
        stuck = f"  NEVER FINISHED ({page.stuck})" if page.stuck else ""
        print(f"  page {page.number:2d} {page.enterprise:6s} served {served}  first render "
              f"{render}  save {save}{stuck}")
    renders = [p.render for p in pages if p.render is not None]
    saves = [p.save for p in pages if p.save is not None]
    never = [p for p in pages if p.stuck]
    print(f"  served (HTML received): {stats([p.served for p in pages if p.served is not None])}")
    print(f"  first render: {stats(renders)}")
    print(f"  save:         {stats(saves)}")
    print(f"  never finished: {len(never)}"
          + (f" ({', '.join(f'{p.number}:{p.stuck}' for p in never)})" if never else ""))
    cpu = result["cpu"]
    print(f"  CPU time: server and kernels {cpu['pages'] - cpu['start']:.1f} s until the last "
          f"save, {cpu['refilled'] - cpu['start']:.1f} s once the pools refilled; this "
          f"benchmark and its Chromium {cpu['browser'] - cpu['browser_start']:.1f} s "
          f"(load average at the end {result['load_end']:.1f})")
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
    args = parser.parse_args()
    configs = [parse_config(c) for c in (args.config or DEFAULT_CONFIGS)]
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_dashboards import build_store

    results = []
    with tempfile.TemporaryDirectory(prefix="vises-session-") as tmp:
        folder = Path(tmp)
        pristine, _answers = build_store(folder, 1)
        chosen = enterprises(pristine, args.pages)
        for round_number in range(1, args.rounds + 1):
            for label, serve_args, env in configs:
                work = folder / f"{label}-{round_number}"
                work.mkdir()
                store = work / "vises.sqlite"
                shutil.copy(pristine, store)
                result = run_config(label, serve_args, env, store, work, chosen, args)
                if args.logs:
                    Path(args.logs).mkdir(parents=True, exist_ok=True)
                    shutil.copy(work / "voila.log",
                                Path(args.logs) / f"{label}-{round_number}.log")
                report(result, round_number)
                results.append(result)
    print("\nsummary (best round per configuration, by p95 first render):")
    for label, _serve, _env in configs:
        mine = [r for r in results if r["label"] == label]
        renders = lambda r: [p.render for p in r["pages"] if p.render is not None]
        best = min(mine, key=lambda r: (sum(1 for p in r["pages"] if p.stuck),
                                        percentile(renders(r), 0.95) if renders(r) else 1e9))
        saves = [p.save for p in best["pages"] if p.save is not None]
        never = sum(1 for p in best["pages"] if p.stuck)
        print(f"  {label:24s} first render {stats(renders(best))}; save {stats(saves)}; "
              f"never finished {never}; RSS with pages open "
              f"{best['open'].server + sum(best['open'].kernels):.0f} MB "
              f"(PSS {best['open'].pss:.0f} MB)")


if __name__ == "__main__":
    main()

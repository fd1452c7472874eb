"""Many page loads against `vises serve` on a busy machine: how many never finish (hangs),
and the time from page request to dashboard shown.

    .venv/bin/python benchmarks/stress_serve.py [--loads 60] [--pool-size 1] [--busy 2]
        [--timeout 60] [--gap 0] [--store FILE] [--factor 1] [--log FILE]
        [--only enterprise.ipynb]

Starts `vises serve` on a copy of the sample store (or of --store), waits until every
dashboard's pool of preheated kernels is filled, starts --busy processes that spin on the
CPU, then loads the dashboards in turn in Chromium, each in a fresh browser context, back
to back (or --gap s apart): pages often arrive while the pool is still refilling, which
is when a page may get a kernel that is still importing. A load that shows nothing within
--timeout s counts as a hang; its log lines are printed. Prints loads, hangs and first
render p50/p95/max per dashboard and overall; asserts nothing (shared machine).
"""

from __future__ import annotations

import argparse
import itertools
import multiprocessing
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from serving import BROWSER_ARGS, vises_serve  # the browser tests' harness

TOKEN = "stress-token"
# dashboard → the element that shows it is rendered (data read, widgets drawn)
SHOWN = {"enterprise.ipynb": ".vises-card h2",
         "workspace.ipynb": ".vises-card h2",
         "cohort_explorer.ipynb": ".vises-chart-comparison svg"}


def spin() -> None:
    """A busy process: keeps one core at 100 % until terminated."""
    while True:
        pass


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(label: str, times: list[float], hangs: int) -> str:
    if not times:
        return f"{label}: {hangs} hang(s), no page shown"
    return (f"{label}: {len(times) + hangs} loads, {hangs} hang(s); first render "
            f"p50 {statistics.median(times):.2f} s, p95 {percentile(times, 0.95):.2f} s, "
            f"max {max(times):.2f} s")


def run(store: Path, folder: Path, args: argparse.Namespace) -> int:
    from playwright.sync_api import TimeoutError as PageTimeout
    from playwright.sync_api import sync_playwright

    busy: list[multiprocessing.Process] = []
    times: dict[str, list[float]] = {name: [] for name in SHOWN}
    hangs: dict[str, int] = {name: 0 for name in SHOWN}
    with vises_serve(store, folder, TOKEN, pool_size=args.pool_size, timeout=120,
                     settle=10) as (base, log):
        try:
            busy = [multiprocessing.Process(target=spin, daemon=True) for _ in range(args.busy)]
            for process in busy:
                process.start()
            print(f"vises serve --pool-size {args.pool_size}, {args.busy} busy process(es), "
                  f"{args.loads} loads, hang = nothing shown in {args.timeout:.0f} s", flush=True)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=shutil.which("chromium")
                                            or "/usr/bin/chromium", args=BROWSER_ARGS)
                names = itertools.cycle(args.only or list(SHOWN))
                for number in range(1, args.loads + 1):
                    name = next(names)
                    context = browser.new_context()
                    page = context.new_page()
                    mark = len(log.read_text())
                    start = time.perf_counter()
                    try:
                        page.goto(f"{base}/voila/render/{name}?token={TOKEN}",
                                  timeout=args.timeout * 1000)
                        left = args.timeout - (time.perf_counter() - start)
                        page.locator(SHOWN[name]).first.wait_for(timeout=max(left, 0.1) * 1000)
                        elapsed = time.perf_counter() - start
                        times[name].append(elapsed)
                        print(f"{number:3d} {name:24s} {elapsed:6.2f} s", flush=True)
                    except PageTimeout:
                        hangs[name] += 1
                        print(f"{number:3d} {name:24s} HANG (nothing shown in {args.timeout:.0f} s)"
                              f"\n--- server log during this load ---\n{log.read_text()[mark:][-4000:]}"
                              "\n---", flush=True)
                    context.close()
                    time.sleep(args.gap)
                browser.close()
        finally:
            for process in busy:
                process.terminate()
            if args.log:
                shutil.copy(log, args.log)
    print("results:")
    for name in SHOWN:
        if times[name] or hangs[name]:
            print("  " + summary(name, times[name], hangs[name]))
    every = [t for name in SHOWN for t in times[name]]
    print("  " + summary("all dashboards", every, sum(hangs.values())))
    return sum(hangs.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=60)
    parser.add_argument("--pool-size", type=int, default=1)
    parser.add_argument("--busy", type=int, default=2, help="CPU-spinning processes")
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--gap", type=float, default=0, help="seconds between loads")
    parser.add_argument("--only", action="append", choices=sorted(SHOWN),
                        help="load only this dashboard (repeatable; default: all in turn)")
    parser.add_argument("--log", default=None, help="keep the server's log in this file")
    parser.add_argument("--store", default=None, help="a store to copy (default: the sample)")
    parser.add_argument("--factor", type=int, default=1,
                        help="with no --store: the sample with factor times its responses")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vises-stress-") as tmp:
        folder = Path(tmp)
        store = folder / "vises.sqlite"
        if args.store:
            shutil.copy(args.store, store)
        else:
            sys.path.insert(0, str(Path(__file__).parent))
            from bench_dashboards import build_store

            store, _answers = build_store(folder, args.factor)
        hung = run(store, folder, args)
    sys.exit(1 if hung else 0)


if __name__ == "__main__":
    main()

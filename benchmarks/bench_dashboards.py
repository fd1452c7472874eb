"""Time to first render of each dashboard and from a filter change to the updated chart,
on a cohort with FACTOR times the sample's responses (default 100).

    .venv/bin/python benchmarks/bench_dashboards.py [--factor 100] [--no-browser]

Prints figures; asserts nothing (timings on a shared machine are noisy). Two views:
- in the kernel: building the dashboard's widgets (what a preheated kernel still does
  when a page asks for it) and one filter change, median of a few runs;
- in Chromium against `vises serve` (preheated kernels): page request → form or chart
  visible, and filter chosen → updated chart visible.
Targets: first render <= 3 s, update <= 300 ms.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from serving import BROWSER_ARGS, vises_serve  # the browser tests' harness

TOKEN = "bench-token"


def build_store(folder: Path, factor: int) -> tuple[Path, int]:
    """The sample cohort with every respondent (and their answers) copied factor times."""
    from vises_nb.sample.generator import generate, store_cohort
    from vises_nb.store.store import Store

    path = folder / "vises.sqlite"
    store = Store.open(path, create=True)
    store_cohort(generate(2018), store)
    store.close()
    conn = sqlite3.connect(path)
    people = [r[1] for r in conn.execute("PRAGMA table_info(respondents)")]
    answers = [r[1] for r in conn.execute("PRAGMA table_info(responses)")]
    conn.execute("CREATE TEMP TABLE p0 AS SELECT * FROM respondents")
    conn.execute("CREATE TEMP TABLE a0 AS SELECT * FROM responses")
    for k in range(1, factor):
        cols = ", ".join(f"{c} || '-x{k}'" if c in ("id", "code") else c for c in people)
        conn.execute(f"INSERT INTO respondents ({', '.join(people)}) SELECT {cols} FROM p0")
        cols = ", ".join(f"{c} || '-x{k}'" if c == "respondent_id" else c for c in answers)
        conn.execute(f"INSERT INTO responses ({', '.join(answers)}) SELECT {cols} FROM a0")
    conn.execute("UPDATE waves SET eligible = eligible * ?", (factor,))
    conn.commit()
    count = conn.execute("SELECT count(*) FROM responses").fetchone()[0]
    conn.close()
    return path, count


def timed(action, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def in_kernel(store: Path) -> None:
    start = time.perf_counter()
    from vises_nb.dashboards import explorer as module
    from vises_nb.dashboards.workspace.app import Workspace
    print(f"  imports (done ahead by a preheated kernel): {time.perf_counter() - start:.2f} s")

    def workspace_with_step1() -> None:
        Workspace(str(store), "fr").open_tab(1)

    print(f"  workspace first render (status tab): "
          f"{timed(lambda: Workspace(str(store), 'fr')):.2f} s; with the step 1 forms: "
          f"{timed(workspace_with_step1):.2f} s")
    cold = timed(lambda: module.Explorer(str(store), "fr", prefetch=False))
    print(f"  explorer first render, nothing prepared: {cold:.2f} s")
    start = time.perf_counter()
    module.prepare(str(store), "fr")
    print(f"  explorer prepare() ahead of the request (preheated kernel): "
          f"{time.perf_counter() - start:.2f} s")
    start = time.perf_counter()
    module.take_prepared(str(store), "fr")
    print(f"  explorer first render, prepared: {(time.perf_counter() - start) * 1000:.0f} ms")

    explorer = module.Explorer(str(store), "fr", prefetch=False)
    for label, control, values in (("pole", explorer.pole, ["insertion", "solidarite", "autres"]),
                                   ("region", explorer.region, ["wallonia", "flanders"]),
                                   ("wave", explorer.wave, ["T1", "T2"])):
        changes = []
        for value in values:
            start = time.perf_counter()
            control.value = value
            changes.append(time.perf_counter() - start)
        print(f"  explorer {label} filter → updated charts, drawn on demand: median "
              f"{statistics.median(changes) * 1000:.0f} ms, max {max(changes) * 1000:.0f} ms")
    explorer.prefetch(explorer.state())
    changes = []
    for value in ["insertion", "solidarite", "autres"]:
        explorer.prefetch(explorer.state())
        start = time.perf_counter()
        explorer.pole.value = value
        changes.append(time.perf_counter() - start)
    print(f"  explorer pole filter → updated charts, prefetched: median "
          f"{statistics.median(changes) * 1000:.1f} ms")
    codes = [c for _label, c in explorer.indicator.options][1:4]
    first = []
    for code in codes:
        start = time.perf_counter()
        explorer.indicator.value = code
        first.append(time.perf_counter() - start)
    print(f"  explorer another indicator (read from the store, computed once, cached): "
          f"median {statistics.median(first) * 1000:.0f} ms, max {max(first) * 1000:.0f} ms")


def in_browser(store: Path) -> None:
    from playwright.sync_api import sync_playwright

    # the ×100 explorer prepares its views ahead in the preheated kernel: give it time
    with vises_serve(store, store.parent, TOKEN, pool_size=1, timeout=120,
                     settle=30) as (base, _log), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium")
                                    or "/usr/bin/chromium", args=BROWSER_ARGS)
        page = browser.new_page()
        for notebook, selector in (("workspace.ipynb", ".vises-card h2"),
                                   ("cohort_explorer.ipynb", ".vises-chart-comparison svg")):
            start = time.perf_counter()
            page.goto(f"{base}/voila/render/{notebook}?token={TOKEN}", timeout=120_000)
            page.locator(selector).wait_for(timeout=120_000)
            print(f"  {notebook}: page request → dashboard shown "
                  f"{time.perf_counter() - start:.2f} s")
            if notebook == "workspace.ipynb":
                start = time.perf_counter()
                page.get_by_role("tab", name="Step 1").click()
                page.locator(".vises-form-identity .vises-save").wait_for(timeout=60_000)
                print(f"  workspace: Step 1 tab → identity form shown "
                      f"{time.perf_counter() - start:.2f} s")
        figures = []
        for label in ("Work integration", "Solidarity services", "Other social economy"):
            before = page.locator(".vises-progress h3").inner_text()
            start = time.perf_counter()
            page.select_option(".vises-filter-pole select", label=label)
            page.wait_for_function(
                "old => document.querySelector('.vises-progress h3')?.innerText !== old",
                arg=before, timeout=30_000)
            page.wait_for_function(
                "() => document.querySelectorAll('.vises-chart svg').length >= 2")
            figures.append(time.perf_counter() - start)
        print(f"  explorer pole filter → updated charts in the page: median "
              f"{statistics.median(figures) * 1000:.0f} ms, max {max(figures) * 1000:.0f} ms")
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factor", type=int, default=100)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vises-bench-") as tmp:
        start = time.perf_counter()
        store, answers = build_store(Path(tmp), args.factor)
        print(f"cohort ×{args.factor}: {answers} answers "
              f"(built in {time.perf_counter() - start:.0f} s)")
        print("in the kernel:")
        in_kernel(store)
        if not args.no_browser:
            print("in Chromium, against vises serve (preheated kernels):")
            in_browser(store)


if __name__ == "__main__":
    main()

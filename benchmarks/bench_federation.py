"""Benchmark of a federation: the 68-enterprise sample against `vises sample --enterprises 500`,
on SQLite and PostgreSQL, side by side (prints figures; never a test).

Measured for each backend and size (each at least twice; the minimum is printed, as the
machine is shared):
1. cold `vises run` (`--force`, 2 workers, warm processes for the run alone): on all
   enterprises, or with `--subset K` on K enterprises spread over the cohort (every
   (n/K)-th, all steps) and extrapolated: wall(K) × notebooks(all) / notebooks(K) plus the
   run's own cost (plan, peer results, index: timed alone), the cohort notebook added
   as its alone time / workers (it runs beside the others). The subset run's start of
   its warm processes is scaled with its notebooks: on a loaded machine the
   extrapolation is an upper bound; compare the subset runs of both sizes (same number
   of enterprises) for what each notebook costs in a larger cohort;
2. incremental run after one enterprise changed (one answer of an enterprise at step 3),
   on the whole cohort: the reports the cold run did not write are first recorded as
   current in the manifest (placeholders), so exactly what an incremental run does is
   timed; how many notebooks it re-ran is printed;
3. the cohort notebook alone (a run of the cohort report only);
4. the cohort explorer on the Python side: data load and first render (`Explorer(...)`,
   nothing prepared ahead), filter changes drawn on demand (pole, region, step, wave) and
   once the views one click away are drawn (what the dashboard does in the background);
   with `page` (SQLite), in Chromium against `vises serve` with nothing drawn ahead
   (VISES_EXPLORER_PREFETCH=0), on two servers, the page asking for vega early (as
   served) and late (VISES_LATE_VEGA=1), pages alternating: page request → both charts
   drawn, its HTML received → both charts, and each filter change (pole, region, wave)
   → its charts drawn anew by the page, timed in the page;
5. `vises export` of the whole cohort (csv, xlsx, parquet, datapackage).

The explorer, before → after its charts were drawn by the page (h-explorer; SQLite /
PostgreSQL, load 7–11 on the 2 shared cores, `--parts explorer,page`):
                                            68 enterprises         500 enterprises
  kernel: filter change, median (s)      0.57→0.03 / 0.34→0.09  0.37→0.02 / 0.57→0.05
  kernel: filter change, max (s)         0.86→0.06 / 0.57→0.13  1.04→0.06 / 0.93→0.08
  kernel: load + first render (s)        1.28→0.20 / 0.84→0.65  1.85→0.38 / 1.46→0.70
  Chromium: filter change → drawn, median (s), two runs
                                         0.61→0.09, 0.30→0.14   0.99→0.17, 0.69→0.23
  Chromium: filter change → drawn, max (s)
                                         1.16→0.19, 0.49→0.25   1.46→0.25, 0.81→0.36
  Chromium: request → both charts (s)    7.0→2.2, 1.7→2.8       2.2→4.1, 1.7→2.3
Vega asked for late → early (h-session, load ~9, 4 pages each, min / median): request →
charts 2.45 / 2.80 → 2.11 / 2.65 s at 68, 2.47 / 2.60 → 2.74 / 3.11 s at 500; HTML →
charts 2.02 / 2.40 → 1.99 / 2.13 s and 1.73 / 2.27 → 1.75 / 2.32 s: no gain beyond the
noise on loopback, where vega's fetch takes 0.06–0.17 s and its compiling ~20 ms; its
run (module, spec compiled, drawn) is ~0.38 s of the main thread once the chart arrives.

`--profile` writes cProfile listings (plan, cohort views, explorer, export) per size to
the work folder, to find what grows faster than the cohort.

Usage: VISES_TEST_POSTGRES_URL=postgresql+psycopg://... \\
       .venv/bin/python benchmarks/bench_federation.py [--sizes 68,500] [--subset 68]
       [--backends sqlite,postgresql] [--repeat 2] [--work /tmp/bench-federation]
       [--parts cold,incremental,cohort,explorer,page,export]
Another source tree (before a change): PYTHONPATH=/path/to/tree .venv/bin/python benchmarks/...
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import shutil
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import sqlalchemy as sa

WORKERS = 2


def perf(action: Callable[[], object], repeat: int) -> tuple[float, object]:
    """The fastest of `repeat` runs (seconds) and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - start)
    return best, result


@contextlib.contextmanager
def store_url(backend: str, size: int, work: Path) -> Iterator[str]:
    """A store holding the sample at `size` enterprises (built once, dropped afterwards)."""
    from vises_nb.sample.generator import generate, store_cohort
    from vises_nb.store.store import Store

    if backend == "sqlite":
        path = work / f"e{size}.sqlite"
        path.unlink(missing_ok=True)
        url = f"sqlite:///{path}"
        cleanup: Callable[[], None] = lambda: path.unlink(missing_ok=True)
    else:
        base = os.environ.get("VISES_TEST_POSTGRES_URL")
        if not base:
            raise SystemExit("set VISES_TEST_POSTGRES_URL for PostgreSQL")
        schema = f"bench_fed_{size}_{uuid.uuid4().hex[:6]}"
        engine = sa.create_engine(base)
        with engine.begin() as conn:
            conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
        url = sa.make_url(base).update_query_dict(
            {"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)

        def cleanup() -> None:
            with engine.begin() as conn:
                conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
            engine.dispose()
    store = Store.open(url, create=True)
    start = time.perf_counter()
    store_cohort(generate(2018, size), store)
    store.close()
    print(f"  [{backend} {size}] sample stored in {time.perf_counter() - start:.1f} s")
    try:
        yield url
    finally:
        cleanup()


def spread(ids: list[str], k: int) -> list[str]:
    """k enterprises spread evenly over the cohort (every n/k-th)."""
    if k >= len(ids):
        return list(ids)
    return [ids[int(i * len(ids) / k)] for i in range(k)]


def one_run(url: str, reports: Path, **options) -> tuple[float, object]:
    from vises_nb.publishing.runner import run

    start = time.perf_counter()
    summary = run(store_url=url, reports_dir=reports, lang="fr", workers=WORKERS,
                  keep_warm=0, own_language="only", **options)
    return time.perf_counter() - start, summary


def prime_manifest(url: str, reports: Path) -> int:
    """Record every report of a full run that is not published yet as current (a
    placeholder file), as if an earlier cold run had written it: the next run is then
    exactly an incremental one. Returns how many were recorded."""
    from vises_nb.publishing.engine.incremental import Manifest, inputs_digest
    from vises_nb.publishing.runner import digest_parameters, notebook_path, plan

    jobs, _ = plan(url, reports, "fr", None, None, 5, "prime", own_language="only")
    manifest = Manifest(reports)
    recorded = 0
    for job in jobs:
        digest = inputs_digest(notebook_path(job.notebook), digest_parameters(job.parameters),
                               str(job.audit.get("data_hash", "")))
        if manifest.is_current(job.report, digest):
            continue
        job.report.parent.mkdir(parents=True, exist_ok=True)
        if not job.report.exists():
            job.report.write_text("<!-- placeholder: bench_federation -->")
        manifest.entries[manifest.key(job.report)] = {
            "inputs": digest, "run_id": "prime", "date": "bench"}
        recorded += 1
    manifest.save()
    return recorded


def change_one_enterprise(url: str, step3: str) -> None:
    """One Likert answer of `step3` changes (as a correction would): to 2, or to 4 when
    it is 2 (always a valid answer, always a change)."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        key = conn.execute(sa.text(
            "SELECT respondent_id, wave_id, item_id, value FROM responses "
            "WHERE enterprise_id = :e AND value >= 1 AND item_id IN "
            "(SELECT id FROM items WHERE scale = 'likert5') "
            "ORDER BY respondent_id, wave_id, item_id LIMIT 1"), {"e": step3}).one()
        conn.execute(sa.text("UPDATE responses SET value = :v WHERE respondent_id = :r "
                             "AND wave_id = :w AND item_id = :i"),
                     {"v": 2.0 if key.value != 2 else 4.0, "r": key.respondent_id,
                      "w": key.wave_id, "i": key.item_id})
    engine.dispose()


def profiled(name: str, action: Callable[[], object], folder: Path) -> None:
    profile = cProfile.Profile()
    profile.runcall(action)
    text = io.StringIO()
    pstats.Stats(profile, stream=text).sort_stats("cumulative").print_stats(40)
    (folder / f"{name}.txt").write_text(text.getvalue())


def cohort_views(url: str) -> None:
    """What the cohort notebook computes (without drawing): load, protect, item tables."""
    from vises_nb.analysis import cohort
    from vises_nb.store.store import Store

    store = Store.open(url)
    try:
        data = cohort.load_cohort(store)
    finally:
        store.close()
    published = cohort.published(data, 5)
    cohort.comparable_indicators(published.changes, "fr", 5)
    cohort.all_item_results(data, 5)
    cohort.all_item_changes(data, 5)
    cohort.notes_texts(data, "fr")


def measure(backend: str, size: int, args: argparse.Namespace) -> dict[str, object]:
    from vises_nb.dashboards.explorer import Explorer
    from vises_nb.instruments.exporting import export_cohort
    from vises_nb.publishing.runner import VALORISATION, plan
    from vises_nb.store.store import Store

    work = args.work / f"{backend}-{size}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    figures: dict[str, object] = {}
    with store_url(backend, size, work) as url:
        store = Store.open(url)
        overview = store.frame("enterprises")["id"].tolist()
        store.close()
        jobs_all, _ = plan(url, work / "plan", "fr", None, None, 5, "b", own_language="only")
        notebooks = [j for j in jobs_all if j.enterprise_id is not None]
        step3 = next(j.enterprise_id for j in notebooks if j.step == VALORISATION)

        # the run's own cost: plan (peer results computed, then read back), index
        parts = set(args.parts.split(","))

        def planned() -> None:
            shutil.rmtree(work / "plan", ignore_errors=True)
            plan(url, work / "plan", "fr", None, None, 5, "b", own_language="only")
        figures["plan"], _ = perf(planned, args.repeat)

        # 1. cold run
        chosen = spread(overview, args.subset or len(overview))
        walls, ran = [], 0
        for k in range(args.repeat if "cold" in parts else 0):
            reports = work / f"cold{k}"
            wall, summary = one_run(url, reports, enterprise=chosen, force=True,
                                    include_cohort=False)
            assert not summary.failures, summary.failures[:3]
            walls.append(wall)
            ran = len(summary.results)
        figures["notebooks"] = len(notebooks)
        if walls:
            figures["cold_subset"], figures["cold_subset_notebooks"] = min(walls), ran

        # 3. the cohort notebook alone (a run of the cohort report only): the run's wall
        # time, and the notebook's own (executed and published in its warm process)
        alone, own = [], []
        for _ in range(args.repeat if {"cohort", "cold", "incremental"} & parts else 0):
            wall, summary = one_run(url, work / "cold0", enterprise=[], include_cohort=True,
                                    force=True)
            assert not summary.failures, summary.failures
            alone.append(wall)
            own.append(summary.results[0].seconds)
        if alone:
            figures["cohort_notebook"], figures["cohort_notebook_own"] = min(alone), min(own)
        if walls:
            scale = len(notebooks) / ran
            figures["cold"] = ((figures["cold_subset"] - figures["plan"]) * scale
                               + figures["plan"] + figures["cohort_notebook"] / WORKERS) \
                if scale > 1 else figures["cold_subset"] + figures["cohort_notebook"] / WORKERS

        # 2. incremental after one enterprise changed
        reports = work / "cold0"
        if "incremental" in parts:
            figures["primed"] = prime_manifest(url, reports)
        walls, reran = [], []
        for k in range(args.repeat if "incremental" in parts else 0):
            change_one_enterprise(url, step3)
            wall, summary = one_run(url, reports)
            assert not summary.failures, summary.failures[:3]
            walls.append(wall)
            reran.append(sum(not r.skipped for r in summary.results))
        if walls:
            figures["incremental"], figures["incremental_notebooks"] = min(walls), max(reran)

        # 4. the cohort explorer, Python side, then in Chromium (SQLite: `vises serve`)
        if "explorer" in parts:
            explorer_figures(url, args, figures)
        if "page" in parts and backend == "sqlite":
            page_figures(work / f"e{size}.sqlite", work, figures, args.repeat)

        # 5. export of the whole cohort
        def export() -> None:
            store = Store.open(url)
            try:
                export_cohort(store, work / "export", ("csv", "xlsx", "parquet",
                                                       "datapackage"))
            finally:
                store.close()
            shutil.rmtree(work / "export")
        if "export" in parts:
            figures["export"], _ = perf(export, args.repeat)

        if args.profile:
            folder = args.work / "profiles"
            folder.mkdir(exist_ok=True)
            shutil.rmtree(work / "plan", ignore_errors=True)
            profiled(f"{backend}-{size}-plan", lambda: plan(
                url, work / "plan", "fr", None, None, 5, "b", own_language="only"), folder)
            profiled(f"{backend}-{size}-cohort", lambda: cohort_views(url), folder)
            profiled(f"{backend}-{size}-explorer",
                     lambda: Explorer(url, "fr", prefetch=False), folder)
            profiled(f"{backend}-{size}-export", export, folder)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return figures


def explorer_figures(url: str, args: argparse.Namespace, figures: dict[str, object]) -> None:
    """The cohort explorer on the Python side: first render, filter changes."""
    from vises_nb.dashboards.explorer import Explorer

    figures["explorer_first"], explorer = perf(
        lambda: Explorer(url, "fr", prefetch=False), args.repeat)
    changes = []
    for control, values in ((explorer.pole, ["insertion", "solidarite", "autres", ""]),
                            (explorer.region, ["wallonia", "flanders", ""]),
                            (explorer.step, ["3", "2", ""]),
                            (explorer.wave, ["T1", "T0"])):
        for value in values:
            start = time.perf_counter()
            control.value = value
            changes.append(time.perf_counter() - start)
    figures["filter_median"] = statistics.median(changes)
    figures["filter_max"] = max(changes)
    prefetched = []  # as the dashboard does: the views one click away drawn meanwhile
    for value in ["insertion", "solidarite", "autres"]:
        explorer.prefetch(explorer.state())
        start = time.perf_counter()
        explorer.pole.value = value
        prefetched.append(time.perf_counter() - start)
    figures["filter_prefetched"] = statistics.median(prefetched)
    explorer.store.close()


# the explorer's filter changes timed in the page (filter css, option label, charts redrawn)
BOTH = [".vises-chart-progress", ".vises-chart-comparison"]
PAGE_CHANGES = [(".vises-filter-pole", label, BOTH) for label in
                ("Work integration", "Solidarity services", "Other social economy", "(all)")]
PAGE_CHANGES += [(".vises-filter-region", label, BOTH)
                 for label in ("Wallonia", "Flanders", "(all)")]
PAGE_CHANGES += [(".vises-filter-wave", label, [".vises-chart-comparison"])
                 for label in ("T1 — exit", "T0 — entry")]


def page_figures(store: Path, work: Path, figures: dict[str, object], repeat: int) -> None:
    """The cohort explorer in Chromium against `vises serve` (one preheated kernel, nothing
    drawn ahead: VISES_EXPLORER_PREFETCH=0), on two servers at once: one as served (the
    page asks for vega early, in its head) and one with VISES_LATE_VEGA=1 (as Voila's page
    does: on the first chart); pages alternate between them, `repeat` each (a new browser
    context each, once the server's pool has a kernel waiting again): page request → both
    charts drawn, and the page's own part (its HTML received, i.e. the kernel done → both
    charts drawn); then, on the last page of each, each filter change → its charts drawn
    anew by the page (timed in the page)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from playwright.sync_api import sync_playwright
    from serving import BROWSER_ARGS, WAITING, vises_serve, wait_for_waiting_kernels
    from test_explorer_browser import CHOOSE_AND_WAIT

    from vises_nb.dashboards.page_scripts import LATE_ENV

    token = "bench-federation-token"
    modes = ("", "_late")
    os.environ["VISES_EXPLORER_PREFETCH"] = "0"
    try:
        with contextlib.ExitStack() as stack:
            servers = {}
            for mode in modes:
                os.environ.pop(LATE_ENV, None)
                if mode:
                    os.environ[LATE_ENV] = "1"
                processes: list = []
                folder = work / f"serve{mode or '_early'}"
                folder.mkdir(exist_ok=True)
                base, log = stack.enter_context(vises_serve(
                    store, folder, token, pool_size=1, timeout=180, settle=10,
                    process_out=processes))
                servers[mode] = (base, log, processes[0], log.read_text().count(WAITING))
            p = stack.enter_context(sync_playwright())
            browser = p.chromium.launch(executable_path=shutil.which("chromium")
                                        or "/usr/bin/chromium", args=BROWSER_ARGS)
            firsts: dict[str, list[float]] = {m: [] for m in modes}
            owns: dict[str, list[float]] = {m: [] for m in modes}
            pages = {}
            for k in range(repeat):
                for mode in modes:
                    base, log, process, waiting = servers[mode]
                    wait_for_waiting_kernels(log, process, waiting + k)
                    time.sleep(3)
                    if mode in pages:
                        pages[mode].context.close()
                    page = pages[mode] = browser.new_context().new_page()
                    start = time.perf_counter()
                    response = page.goto(f"{base}/voila/render/cohort_explorer.ipynb"
                                         f"?token={token}", wait_until="commit",
                                         timeout=180_000)
                    for chart in (".vises-chart-comparison", ".vises-chart-progress"):
                        page.locator(f"{chart} svg.marks .role-mark").first.wait_for(
                            timeout=180_000)
                    drawn = time.perf_counter()
                    response.finished()
                    firsts[mode].append(drawn - start)
                    owns[mode].append(drawn - start - response.request.timing["responseEnd"]
                                      / 1000)
            for mode in modes:
                print(f"  explorer page{mode or ' (vega early)'}: request → charts "
                      + ", ".join(f"{t:.2f}" for t in firsts[mode]) + " s; HTML → charts "
                      + ", ".join(f"{t:.2f}" for t in owns[mode]) + " s", flush=True)
                figures[f"page_first{mode}"] = min(firsts[mode])
                figures[f"page_first_median{mode}"] = statistics.median(firsts[mode])
                figures[f"page_own{mode}"] = min(owns[mode])
                figures[f"page_own_median{mode}"] = statistics.median(owns[mode])
                time.sleep(3)  # the SVG downloads made meanwhile
                changes = [pages[mode].evaluate(CHOOSE_AND_WAIT, [css, label, charts]) / 1000
                           for css, label, charts in PAGE_CHANGES]
                figures[f"page_filter_median{mode}"] = statistics.median(changes)
                figures[f"page_filter_max{mode}"] = max(changes)
            browser.close()
    finally:
        os.environ.pop("VISES_EXPLORER_PREFETCH", None)
        os.environ.pop(LATE_ENV, None)


ROWS = [("cold", "cold `vises run` (s)"), ("cold_subset", "  measured: subset run (s)"),
        ("cold_subset_notebooks", "  notebooks in the subset run"),
        ("notebooks", "  enterprise notebooks in a full run"),
        ("plan", "  plan (with the peer results) (s)"),
        ("incremental", "incremental after 1 changed (s)"),
        ("incremental_notebooks", "  notebooks re-run"),
        ("cohort_notebook", "cohort notebook alone: run (s)"),
        ("cohort_notebook_own", "  the notebook itself (s)"),
        ("explorer_first", "explorer load + first render (s)"),
        ("filter_median", "explorer filter change, median (s)"),
        ("filter_max", "explorer filter change, max (s)"),
        ("filter_prefetched", "  filter change, prefetched, median (s)"),
        ("page_first", "explorer page: request → charts, min (s)"),
        ("page_first_median", "  request → charts, median (s)"),
        ("page_own", "  its HTML received → charts, min (s)"),
        ("page_own_median", "  its HTML received → charts, median (s)"),
        ("page_filter_median", "  page filter change → drawn, median (s)"),
        ("page_filter_max", "  page filter change → drawn, max (s)"),
        ("page_first_late", "vega asked late: request → charts, min (s)"),
        ("page_first_median_late", "  request → charts, median (s)"),
        ("page_own_late", "  its HTML received → charts, min (s)"),
        ("page_own_median_late", "  its HTML received → charts, median (s)"),
        ("page_filter_median_late", "  page filter change → drawn, median (s)"),
        ("page_filter_max_late", "  page filter change → drawn, max (s)"),
        ("export", "`vises export` whole cohort (s)")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="68,500")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--subset", type=int, default=0,
                        help="enterprises per cold run (0: all); extrapolated to all")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-federation"))
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--parts", default="cold,incremental,cohort,explorer,page,export",
                        help="which figures to measure (the plan always)")
    parser.add_argument("--keep", action="store_true", help="keep stores and reports")
    args = parser.parse_args()
    os.environ["VISES_KEEP_WARM"] = "0"
    args.work.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    backends = args.backends.split(",")
    results: dict[tuple[str, int], dict[str, object]] = {}
    for backend in backends:
        for size in sizes:
            print(f"measuring {backend}, {size} enterprises ...", flush=True)
            results[(backend, size)] = measure(backend, size, args)
            print(f"  {results[(backend, size)]}", flush=True)
    print(f"\nload average at the end: {os.getloadavg()} on {os.cpu_count()} cores "
          f"(shared machine: minimum of {args.repeat} runs each)")
    header = f"{'':38}" + "".join(f"{b[:6]} {s:>5} " for b in backends for s in sizes)
    header += "".join(f"{b[:6]} ratio " for b in backends) if len(sizes) == 2 else ""
    print(header)
    for key, label in ROWS:
        line = f"{label:38}"
        for backend in backends:
            for size in sizes:
                value = results[(backend, size)].get(key, "—")
                line += f"{value:>12.3f} " if isinstance(value, float) else f"{value:>12} "
        if len(sizes) == 2:
            for backend in backends:
                small, large = (results[(backend, s)].get(key) for s in sizes)
                line += f"{large / small:>11.2f}× " if small and large else f"{'':>12} "
        print(line)
    for backend in backends:
        for size in sizes:
            r = results[(backend, size)]
            if "incremental" not in r or "cold" not in r:
                continue
            print(f"{backend} {size}: incremental = {100 * r['incremental'] / r['cold']:.1f} % "
                  f"of cold")


if __name__ == "__main__":
    main()

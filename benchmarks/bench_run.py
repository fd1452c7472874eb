"""Benchmark of `vises run` on the sample cohort (prints figures; never a test).

In one invocation:
1. cold full run with the engine (warm processes, fork per notebook), `--force`;
2. naive baseline: sequential papermill, one fresh kernel per notebook, measured on a
   subset (2 notebooks of each step and the cohort) and extrapolated per notebook kind
   to the same notebooks as the cold run;
3. incremental run after one enterprise's data changed (its steps and the cohort re-run),
   with the warm engine the cold run left (`vises run`'s default) and, for comparison,
   with warm processes started for the run alone (`--keep-warm 0`);
4. amortised engine cost per notebook against the bare start and stop of a kernel;
5. its peers on the same notebooks, side by side with the cold run (see benchmarks/peers.py):
   a 2-process papermill pool and a warm 2-process ploomber-engine pool, with the ratios
   and a check that they wrote the same sidecars.

Figures (branch h-batch, `--only-peers --rounds 2 --papermill-every 40 --baseline <main>`,
one invocation, this shared 2-core machine at load average 3-8.5 from other people's
work; CPU of `vises run` includes its start-up and planning, the peers' excludes their
warm-up; per round):

  | run                          | wall (s)      | CPU (s) |
  |------------------------------|---------------|---------|
  | `vises run` cold, h-batch    | 125.4 · 52.5  | 61 · 55 |
  | `vises run` cold, main       | 57.3 · 150.1  | 61 · 68 |
  | ploomber-engine pool         | 131.3 · 117.2 | 61 · 59 |
  | papermill pool (scaled)      | 532 · 407     | 655 · 603 |

  Sidecars identical across the four (1012 of 1012), HTML reports to main's (191 of 191;
  the ploomber pool's step 3 and one-pager reports differ by their charts' text
  alternatives, which ploomber-engine drops). The printed best-wall ratio to the ploomber
  pool (2.23x) is the load, not the engine: wall times moved 2.5x between rounds. Best
  CPU: 55 s against main's 61 s and the pool's 59 s (1.07x). Where the CPU goes, counted
  per process (each forked child's rusage, the warm processes' phases apart; load 5-12):
  notebooks 31.5 s (step 3 0.40 s each, step 2 0.16, one-pager 0.11, step 1 0.07,
  cohort 0.5), in the warm processes the step 3 tables 7.5 s and the data loads 4.5 s
  (once per enterprise), vl-convert 4.5 s, the start 4.4 s (8.4 s before the second was
  forked from the first), forks, pipes and collections ~1.5 s; the run itself 2.2 s
  (planning 1.3 s). ~48 s of it is work the pool does too, ~24 s of wall on 2 cores with
  an engine that cost nothing: >= 2x the pool (whose clock leaves its warm-up out) cannot
  come from the engine. See the README ("Batch runs") for what remains.

Usage: .venv/bin/python benchmarks/bench_run.py [--workers 2] [--naive-per-kind 2]
       [--papermill-every N] [--only-peers]
(the ploomber-engine peer needs the `bench` extra: pip install -e '.[bench]')
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import peers  # benchmarks/peers.py, beside this script

from vises_nb.publishing.engine import jobs as wire
from vises_nb.publishing.engine.zygote import Zygote
from vises_nb.publishing.runner import execute, plan, run
from vises_nb.sample.generator import generate, store_cohort
from vises_nb.store.store import Store, normalise_url

KEEP_WARM = 120.0
STACK = "import vises_nb.publishing.notebook, vises_nb.publishing.charts, vises_nb.analysis.results, altair, pandas"


@contextlib.contextmanager
def kernel_chatter_hidden() -> Iterator[None]:
    """Fresh kernels print start-up warnings on this process's stderr: hide them."""
    saved = os.dup(2)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(null)
        os.close(saved)


def import_seconds(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def engine_overhead_seconds(folder: Path, times: int = 20) -> float:
    """Per-notebook cost of the engine itself: fork, parameterise, save, publish, reap,
    measured on a one-cell notebook in an already warm process."""
    import nbformat

    source = folder / "trivial.ipynb"
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
    notebook.metadata["kernelspec"] = {"name": "python3", "language": "python",
                                       "display_name": "Python 3"}
    nbformat.write(notebook, source)
    zygote = Zygote(folder / "trivial.log")
    zygote.wait_ready()
    spent = []
    for n in range(times):
        job = {"source": str(source), "parameters": {}, "executed": str(folder / f"t{n}.ipynb"),
               "report": str(folder / f"t{n}.html"), "title": "t", "lang": "en",
               "audit": {"run_id": "bench"}}
        start = time.perf_counter()
        assert zygote.run(job, 60)["ok"]
        spent.append(time.perf_counter() - start)
    zygote.close()
    return statistics.median(spent)


def warm_up_seconds(log: Path) -> float:
    start = time.perf_counter()
    zygote = Zygote(log)
    zygote.wait_ready()
    spent = time.perf_counter() - start
    zygote.close()
    return spent


def kind(job) -> str:
    return f"step {job.step}" if job.step else "cohort"


def bare_kernel_seconds(times: int = 3) -> float:
    """Start a kernel, wait until it answers, stop it: what papermill pays per notebook."""
    from jupyter_client.manager import start_new_kernel

    spent = []
    for _ in range(times):
        start = time.perf_counter()
        manager, client = start_new_kernel(kernel_name="python3")
        client.stop_channels()
        manager.shutdown_kernel(now=False)
        spent.append(time.perf_counter() - start)
    return statistics.median(spent)


#: `vises run --force --keep-warm 0` in a fresh process, every report in French (as the
#: peers and the run above: the command line adds a second run of each Flemish
#: enterprise's notebooks in Dutch, into the same sidecar folders).
COLD_RUN = ("import sys\nfrom pathlib import Path\n"
            "from vises_nb.publishing.runner import run\n"
            "summary = run(store_url=sys.argv[1], reports_dir=Path(sys.argv[2]), lang='fr', "
            "workers=int(sys.argv[3]), force=True, keep_warm=0)\n"
            "sys.exit(1 if summary.failures else 0)")


def command_run(store_path: Path, reports: Path, workers: int, tree: Path | None = None,
                folder: Path | None = None) -> tuple[float, float]:
    """Wall time and CPU time (its processes', start-up included) of a cold `vises run`
    (no warm engine) from this source tree or from `tree`."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if tree is not None:
        env["PYTHONPATH"] = str(tree.resolve())
    command = [sys.executable, "-c", COLD_RUN, str(store_path), str(reports), str(workers)]
    start, cpu = time.perf_counter(), peers.cpu_seconds()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env,
                   cwd=folder or reports.parent)  # not this tree: its vises_nb would win
    return time.perf_counter() - start, peers.cpu_seconds() - cpu


def run_id(folder: Path) -> str:
    """The run id a folder's reports carry: `vises run`'s (first line of its run.log), else
    the peers' (the folder's name without its round: see `compare_with_peers`)."""
    try:
        return (folder / "run.log").read_text(encoding="utf-8").split("\n", 1)[0].split()[-1]
    except (OSError, IndexError):
        return folder.name.rstrip("0123456789")


def differences(label: str, ours: Path, theirs: Path) -> str:
    same, compared, differ = peers.compare_sidecars(ours, theirs)
    pages, shown, other = peers.compare_reports(ours, theirs, (run_id(ours), run_id(theirs)))
    return (f"sidecars identical to {label}: {same} of {compared}"
            + (f" (differ: {', '.join(differ[:5])})" if differ else "")
            + f"; HTML reports identical (run id and date masked): {pages} of {shown}"
            + (f" (differ: {', '.join(other[:5])})" if other else ""))


def compare_with_peers(store_path: Path, root: Path, reports: Path | None,
                       cold_s: float | None, args: argparse.Namespace) -> None:
    """The same notebooks on a warm ploomber-engine pool and a papermill pool (and, with
    --baseline, `vises run` of another tree), in rounds, printed beside `vises run`."""
    try:
        import ploomber_engine  # noqa: F401
        with_ploomber = True
    except ImportError:
        with_ploomber = False
        print("  ploomber-engine pool: not installed (pip install -e '.[bench]'), left out")
    url = normalise_url(str(store_path))
    best: dict[str, float] = defaultdict(lambda: float("inf"))  # wall seconds
    cpu: dict[str, float] = defaultdict(lambda: float("inf"))  # CPU seconds
    reports = reports or root / "command1"
    notebooks = 0
    for round_ in range(1, args.rounds + 1):
        print(f"round {round_} (load average {os.getloadavg()[0]:.1f}):")
        command = root / f"command{round_}"
        seconds, used = command_run(store_path, command, args.workers)
        best["vises run"] = min(best["vises run"], seconds)
        cpu["vises run"] = min(cpu["vises run"], used)
        notebooks = len(list(command.glob("*/*.html"))) + len(list(command.glob("cohort.*.html")))
        print(f"  `vises run` cold (fresh process, no warm engine): {notebooks} reports, "
              f"{seconds:.1f} s, CPU {used:.0f} s" + (
                  "" if command == reports else
                  "; " + differences("the first run's", reports, command)))
        if with_ploomber:
            folder = root / f"ploomber{round_}"
            jobs, _ = plan(url, folder, "fr", None, None, 5, "ploomber")  # its run id
            wall, outcomes = peers.run_pool("ploomber", wire.longest_first(jobs), args.workers)
            failed = sum(not outcome[0] for outcome in outcomes)
            used = sum(outcome[3] for outcome in outcomes)
            best["ploomber"] = min(best["ploomber"], wall)
            cpu["ploomber"] = min(cpu["ploomber"], used)
            print(f"  warm {args.workers}-process ploomber-engine pool (in-process, state "
                  f"shared between notebooks): {len(jobs)} notebooks, {failed} failed, "
                  f"{wall:.1f} s, CPU {used:.0f} s; "
                  + differences("vises run's", reports, folder))
        if args.baseline is not None:
            folder = root / f"baseline{round_}"
            seconds, used = command_run(store_path, folder, args.workers, args.baseline)
            best["baseline"] = min(best["baseline"], seconds)
            cpu["baseline"] = min(cpu["baseline"], used)
            print(f"  `vises run` cold from {args.baseline}: {seconds:.1f} s, CPU {used:.0f} s; "
                  + differences("this tree's", reports, folder))
        folder = root / f"papermill{round_}"
        jobs, _ = plan(url, folder, "fr", None, None, 5, "papermill")  # its run id
        chosen = [job for n, job in enumerate(sorted(jobs, key=kind))
                  if n % args.papermill_every == 0]
        wall, outcomes = peers.run_pool("papermill", wire.longest_first(chosen), args.workers)
        failed = sum(not outcome[0] for outcome in outcomes)
        scale = len(jobs) / len(chosen)
        used = sum(outcome[3] for outcome in outcomes) * scale
        best["papermill"] = min(best["papermill"], wall * scale)
        cpu["papermill"] = min(cpu["papermill"], used)
        print(f"  {args.workers}-process papermill pool (fresh kernel per notebook): "
              f"{len(chosen)} of {len(jobs)} notebooks, {failed} failed, {wall:.1f} s"
              + (f", scaled to all {wall * scale:.0f} s" if scale > 1 else "")
              + f", CPU {used:.0f} s; " + differences("vises run's", reports, folder))
    if cold_s is not None:
        print(f"  (the in-process cold run above: {cold_s:.1f} s)")
    names = {"baseline": f"vises run from {args.baseline}", "ploomber":
             "warm ploomber-engine pool", "papermill": "papermill pool"}
    for label, figures, unit in (("wall time", best, "s"), ("CPU time", cpu, "s of CPU")):
        ours = figures["vises run"]
        print(f"side by side, {label} (best of {args.rounds} round(s), {notebooks} notebooks; "
              f"the peers' warm-up left out): `vises run` cold {ours:.1f} {unit} | "
              + " | ".join(f"{names[key]} {figures[key]:.1f} {unit} = {figures[key] / ours:.2f}x"
                           for key in names if key in figures))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--naive-per-kind", type=int, default=2)
    parser.add_argument("--papermill-every", type=int, default=1,
                        help="the papermill pool runs every Nth notebook of each kind and "
                             "its time is scaled to all (default 1: all of them)")
    parser.add_argument("--only-peers", action="store_true",
                        help="the cold run and its peers only")
    parser.add_argument("--baseline", type=Path, default=None, metavar="TREE",
                        help="also time `vises run` cold from another source tree (e.g. "
                             "`git archive <commit> | tar -x -C TREE`) beside this one, and "
                             "compare every sidecar the two write")
    parser.add_argument("--rounds", type=int, default=1,
                        help="measure the command-line runs and the peers this many times, "
                             "interleaved, and keep each one's best (a shared machine)")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="vises-bench-"))
    store_path = root / "vises.sqlite"
    store = Store.open(store_path, create=True)
    store_cohort(generate(2018), store)
    store.close()
    reports = root / "reports"
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; "
          f"workers {args.workers}; folder {root}")

    os.environ["VISES_RUNTIME_DIR"] = str(root / "runtime")  # no engine is running yet
    if args.only_peers:  # the reference is the first command-line run
        compare_with_peers(store_path, root, None, None, args)
        return
    start = time.perf_counter()
    cold = run(store_url=str(store_path), reports_dir=reports, lang="fr",
               workers=args.workers, force=True, keep_warm=KEEP_WARM)
    cold_s = time.perf_counter() - start
    counts = Counter(kind(r.job) for r in cold.results)
    print(f"cold full run: {len(cold.results)} notebooks ({dict(sorted(counts.items()))}), "
          f"{len(cold.failures)} failed, {cold_s:.1f} s")
    compare_with_peers(store_path, root, reports, cold_s, args)

    jobs, _ = plan(f"sqlite:///{store_path}", root / "naive", "fr", None, None, 5, "naive")
    sample: dict[str, list] = defaultdict(list)
    for job in jobs:
        if len(sample[kind(job)]) < args.naive_per_kind:
            sample[kind(job)].append(job)
    per_kind: dict[str, float] = {}
    for name, chosen in sorted(sample.items()):
        with kernel_chatter_hidden():
            spent = [execute(job).seconds for job in chosen]
        per_kind[name] = statistics.mean(spent)
    naive_s = sum(per_kind[name] * n for name, n in counts.items())
    measured = sum(len(v) for v in sample.values())
    print(f"naive baseline (sequential papermill, fresh kernel per notebook): measured on "
          f"{measured} notebooks, extrapolated per kind "
          f"({', '.join(f'{k} {v:.2f} s' for k, v in sorted(per_kind.items()))}) "
          f"to the same {len(cold.results)} notebooks: {naive_s:.0f} s")
    print(f"  cold run is {naive_s / cold_s:.1f}x faster than naive (target >= 4x)")

    for label, keep_warm in (("the warm engine the cold run left", KEEP_WARM),
                             ("warm processes started for this run alone", 0)):
        with sqlite3.connect(store_path) as conn:
            conn.execute("UPDATE enterprises SET name = name || ' (renamed)' WHERE id = 'E09'")
        start = time.perf_counter()
        incremental = run(store_url=str(store_path), reports_dir=reports, lang="fr",
                          workers=args.workers, keep_warm=keep_warm)
        incremental_s = time.perf_counter() - start
        ran = [r for r in incremental.results if not r.skipped]
        cohort = [r.seconds for r in ran if r.job.enterprise_id is None]
        print(f"incremental run after E09's data changed, with {label}: {len(ran)} notebooks "
              f"run ({', '.join(sorted(kind(r.job) for r in ran))}), "
              f"{len(incremental.results) - len(ran)} skipped, {incremental_s:.2f} s = "
              f"{100 * incremental_s / cold_s:.1f}% of cold (target <= 5%)")
        if cohort:
            print(f"  of which the cohort notebook itself: {cohort[0]:.2f} s")
    with sqlite3.connect(store_path) as conn:
        conn.execute("UPDATE enterprises SET name = name || ' (renamed)' WHERE id = 'E09'")
    command = [str(Path(sys.executable).parent / "vises"), "run", "--store", str(store_path),
               "--reports", str(reports), "--lang", "fr", "--workers", str(args.workers),
               "--keep-warm", str(KEEP_WARM), "--quiet"]
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    command_s = time.perf_counter() - start
    print(f"the same from the command line (`vises run`, its own start-up included, warm "
          f"engine): {command_s:.2f} s = {100 * command_s / cold_s:.1f}% of cold")
    from vises_nb.publishing.engine.daemon import connect

    connect(args.workers, KEEP_WARM).stop()

    warm = warm_up_seconds(root / "warm.log")
    print(f"  a warm process is ready (stack imported) in {warm:.1f} s: with the cohort "
          f"notebook, the floor of any run that has work to do")
    with kernel_chatter_hidden():
        bare = bare_kernel_seconds()
    per_notebook = cold_s * args.workers / len(cold.results)
    print(f"amortised cost per notebook (cold wall time x workers / notebooks): "
          f"{per_notebook:.2f} s of a core, against {bare:.2f} s for a bare kernel "
          f"start+stop ({per_notebook / bare:.2f}x), the notebook's own work included")
    overhead = engine_overhead_seconds(root)
    print(f"  the engine's own cost per notebook (fork, parameterise, save, publish; one-cell "
          f"notebook, warm process): {overhead:.3f} s, {bare / overhead:.0f}x less than "
          f"a bare kernel start+stop")
    execute_only = statistics.mean(r.seconds for r in cold.results if r.job.step == "1")
    print(f"  a step-1 notebook in a forked warm child: {execute_only:.2f} s "
          f"(papermill: {per_kind.get('step 1', float('nan')):.2f} s)")


    before = import_seconds(STACK)
    after = import_seconds("import sys; sys.modules['rfc3987_syntax'] = None; " + STACK)
    print(f"stack import ({STACK[7:]}): {before:.1f} s as is, {after:.1f} s without "
          f"rfc3987_syntax (the engine's processes); the engine pays it once per process")


if __name__ == "__main__":
    main()

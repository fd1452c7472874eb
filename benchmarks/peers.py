"""The peers `vises run` is compared with in benchmarks/bench_run.py (figures, never tests).

Both run the notebooks `vises_nb.publishing.runner.plan` gives (the same parameters as
`vises run`), in the same order (longest first), one notebook per task, and publish each
executed notebook with `publish_notebook` as the runner does:

- a 2-process papermill pool: each task is `papermill.execute_notebook` with a fresh
  kernel (`runner.execute`);
- a warm 2-process ploomber-engine pool: each worker imports the notebooks' stack once
  (as the engine's warm processes do) and runs its notebooks in its own process with
  `ploomber_engine.execute_notebook`, one after the other: fast, but every notebook runs
  in a process earlier notebooks ran in (modules they patched, options they set stay).

Only the notebooks' own work is timed: each pool is started and warmed before its clock
starts, which favours the peers (`vises run` cold includes its engine's start).
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

#: ploomber-core's usage statistics: off (no network here, and none wanted).
QUIET = {"PLOOMBER_STATS_ENABLED": "false", "PLOOMBER_VERSION_CHECK_DISABLED": "true"}


def _hide_stderr() -> None:
    """Kernels and warnings chatter on stderr: keep the benchmark's output readable."""
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 2)


def _init_papermill() -> None:
    _hide_stderr()


def _init_ploomber() -> None:
    """A warm worker: the stack imported and the chart converter started once."""
    _hide_stderr()
    os.environ.update(QUIET)
    from vises_nb.publishing.engine.imports import warm_charts, warm_up

    warm_up()
    warm_charts()
    import ploomber_engine  # noqa: F401


def _ready(_: int) -> int:
    time.sleep(0.5)  # long enough for every worker of the pool to take one
    return os.getpid()


def cpu_seconds() -> float:
    """CPU time of this process and of its children waited for (a kernel), user + system."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def papermill_task(job: Any) -> tuple[bool, float, str, float]:
    from vises_nb.publishing.runner import execute

    cpu = cpu_seconds()
    result = execute(job)
    return result.ok, result.seconds, str(result.error), cpu_seconds() - cpu


def ploomber_task(job: Any) -> tuple[bool, float, str, float]:
    from ploomber_engine import execute_notebook

    from vises_nb.publishing.publish import publish_notebook
    from vises_nb.publishing.runner import notebook_path

    start, cpu = time.monotonic(), cpu_seconds()
    try:
        job.executed.parent.mkdir(parents=True, exist_ok=True)
        execute_notebook(str(notebook_path(job.notebook)), str(job.executed),
                         parameters=job.parameters, log_output=False, progress_bar=False)
        publish_notebook(job.executed, job.report, job.title, job.lang, job.audit)
        return True, time.monotonic() - start, "", cpu_seconds() - cpu
    except Exception as exc:  # noqa: BLE001 - a failing notebook is counted, not raised
        return (False, time.monotonic() - start, f"{type(exc).__name__}: {exc}"[:200],
                cpu_seconds() - cpu)


def run_pool(kind: str, jobs: list[Any], workers: int
             ) -> tuple[float, list[tuple[bool, float, str, float]]]:
    """Wall time of `jobs` on a started, warmed pool of `workers` processes, and each
    job's (ok, seconds, error, CPU seconds)."""
    task, init = {"papermill": (papermill_task, _init_papermill),
                  "ploomber": (ploomber_task, _init_ploomber)}[kind]
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"),
                             initializer=init) as pool:
        pids = set(pool.map(_ready, range(workers * 2)))
        if len(pids) < workers:  # a worker still importing: wait for it too
            pids |= set(pool.map(_ready, range(workers * 4)))
        start = time.perf_counter()
        outcomes = list(pool.map(task, jobs, chunksize=1))
        return time.perf_counter() - start, outcomes


def sidecars(folder: Path) -> dict[str, bytes]:
    """Every JSON sidecar under a reports folder, by path relative to it (the folder's
    own path, which the disclosure log may mention, replaced by a placeholder)."""
    found = {}
    for path in sorted(folder.rglob("*.json")):
        if path.name.startswith(".") or path.parent == folder:
            continue  # the runner's manifest, half-written files
        found[str(path.relative_to(folder))] = path.read_bytes().replace(
            str(folder).encode(), b"<reports>")
    return found


def reports(folder: Path) -> dict[str, str]:
    """Every published HTML report under a reports folder (not the index), by path relative
    to it, with what differs from one run to the next masked: the folder, the run id, the
    date."""
    import re

    found = {}
    for path in sorted(folder.rglob("*.html")):
        if path.parent == folder and path.name.startswith("index"):
            continue
        text = path.read_text(encoding="utf-8").replace(str(folder), "<reports>")
        text = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d", "<date>", text)
        found[str(path.relative_to(folder))] = text
    return found


def compare_reports(ours: Path, theirs: Path, run_ids: tuple[str, str]) -> tuple[int, int,
                                                                                 list[str]]:
    """(identical, compared, names that differ) over the HTML reports both folders hold,
    each folder's run id masked (`run_ids`: ours, theirs)."""
    a, b = reports(ours), reports(theirs)
    common = sorted(set(a) & set(b))
    differ = [name for name in common
              if a[name].replace(run_ids[0], "<run>") != b[name].replace(run_ids[1], "<run>")]
    return len(common) - len(differ), len(common), differ


def compare_sidecars(ours: Path, theirs: Path) -> tuple[int, int, list[str]]:
    """(identical, compared, names that differ) over the sidecars both folders hold."""
    a, b = sidecars(ours), sidecars(theirs)
    common = sorted(set(a) & set(b))
    differ = [name for name in common if a[name] != b[name]]
    return len(common) - len(differ), len(common), differ

"""The run's warm processes after the first are forked from it (one import of the stack,
not one per core): each still runs every notebook in its own forked child, draws charts
with its own vl-convert engine, leaks nothing from one notebook to the next, dies with the
run, and the CPU time it and its notebooks spend counts in the run's, as before.

Real warm processes (`engine.local.start`, as `vises run` starts them), real notebooks.
"""

from __future__ import annotations

import os
import resource
import signal
import time
from pathlib import Path

import pytest

from tests.test_engine import fixture_notebook, job, outputs
from vises_nb.publishing.engine.local import start
from vises_nb.publishing.engine.zygote import Zygote, ZygoteDied

pytestmark = pytest.mark.slow

CHART = (
    "import altair as alt, pandas as pd\n"
    "from vises_nb.publishing import charts\n"
    "svg = charts.to_svg(alt.Chart(pd.DataFrame({'a': [1, 2], 'b': [3, 4]})).mark_bar()"
    ".encode(x='a:O', y='b:Q'), 'fr')\n"
    "print('svg', svg.startswith('<svg') and 'vises-chart-failed' not in svg)"
)
PROBE = (
    "import os, vises_nb.analysis.results as results\n"
    "print('pid', os.getpid(), 'parent', os.getppid())\n"
    "print('value', results.DEFAULT_MIN_RESPONDENTS)\n"
    "results.DEFAULT_MIN_RESPONDENTS = 99"
)


def parent_of(pid: int) -> int:
    with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
        return int(handle.read().rsplit(")", 1)[1].split()[1])


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def test_the_second_warm_process_is_forked_from_the_first_and_works_alike(tmp_path):
    first, second = start(2, tmp_path / "run.log")
    try:
        first.wait_ready()
        second.wait_ready()
        assert second.process.pid != first.process.pid
        assert parent_of(second.process.pid) == first.process.pid  # forked, not started
        chart = fixture_notebook(tmp_path, "chart", CHART)
        probe = fixture_notebook(tmp_path, "probe", PROBE)
        for n, zygote in enumerate((second, first, second)):
            payload = job(tmp_path / f"chart{n}", chart)
            assert zygote.run(payload, timeout=120)["ok"]
            assert outputs(payload) == ["svg True"]  # its own vl-convert engine draws
        seen = []
        for n, zygote in enumerate((second, second, first)):
            payload = job(tmp_path / f"probe{n}", probe)
            assert zygote.run(payload, timeout=120)["ok"]
            ids, value = outputs(payload)
            _, pid, _, parent = ids.split()
            seen.append(int(pid))
            # each notebook in its own child of its warm process, which nothing patched
            assert int(parent) == (second if n < 2 else first).process.pid
            assert value == "value 5"
        assert len(set(seen)) == 3
    finally:
        first.close()
        second.close()
    assert not alive(first.process.pid) and not alive(second.process.pid)


def test_the_cpu_time_of_the_forked_warm_process_counts_in_the_run(tmp_path):
    """`vises run`'s CPU time (benchmarks/bench_run.py) is its processes', waited for: the
    second warm process is not the run's child, so the first waits for it at the end."""
    busy = fixture_notebook(tmp_path, "busy", "import time\nend = time.process_time() + 1.5\n"
                            "while time.process_time() < end:\n    pass\nprint('done')")
    first, second = start(2, tmp_path / "run.log")
    first.wait_ready()
    second.wait_ready()
    before = children_cpu()
    payload = job(tmp_path, busy)
    assert second.run(payload, timeout=120)["ok"]
    first.close()
    second.close()
    # ended when told (its own exit 0), not killed once a grace period ran out
    assert first.process.returncode == 0, first.process.returncode
    assert children_cpu() - before >= 1.5


def test_the_forked_warm_process_dies_with_the_first(tmp_path):
    first, second = start(2, tmp_path / "run.log")
    try:
        first.wait_ready()
        second.wait_ready()
        pid = second.process.pid
        os.kill(first.process.pid, signal.SIGKILL)  # as when the run is killed
        deadline = time.monotonic() + 10
        while alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive(pid)
        with pytest.raises(ZygoteDied):
            second.run(job(tmp_path, fixture_notebook(tmp_path, "one", "1")), timeout=30)
    finally:
        first.close()
        second.close()


def test_a_run_of_one_worker_or_a_replacement_starts_a_process_of_its_own(tmp_path):
    (only,) = start(1, tmp_path / "run.log")
    try:
        assert isinstance(only, Zygote) and only.siblings_started() == []
        only.wait_ready()
        assert parent_of(only.process.pid) == os.getpid()
    finally:
        only.close()
    assert not alive(only.process.pid)


def test_an_unused_forked_warm_process_ends_with_the_run(tmp_path: Path):
    """More warm processes than notebooks: the run closes the spare one before it is
    ready; it ends, and the first reaps it."""
    first, second = start(2, tmp_path / "run.log")
    second.close()  # as `runner._run` does with spare processes
    first.wait_ready()
    payload = job(tmp_path, fixture_notebook(tmp_path, "one", "print(1)"))
    assert first.run(payload, timeout=60)["ok"]
    first.close()
    assert not alive(first.process.pid)


def test_a_notebook_runs_with_the_collector_on_and_collects_its_own_cycles(tmp_path):
    """The warm process collects at its own times (gc off between them); a notebook forked
    from it runs with the collector on, as in a kernel, its inherited heap frozen."""
    probe = fixture_notebook(
        tmp_path, "gc", "import gc, weakref\nprint('enabled', gc.isenabled())\n"
        "print('frozen', gc.get_freeze_count() > 0)\n"
        "class Node:\n    pass\n"
        "found = []\n"
        "for _ in range(3000):\n"
        "    a = Node(); a.me = a\n"
        "    found.append(weakref.ref(a)); del a\n"
        "print('collected', sum(r() is None for r in found) > 0)")
    first, second = start(2, tmp_path / "run.log")
    try:
        for zygote in (first, second):
            payload = job(tmp_path / str(id(zygote)), probe)
            assert zygote.run(payload, timeout=120)["ok"]
            assert outputs(payload) == ["enabled True", "frozen True", "collected True"]
    finally:
        first.close()
        second.close()

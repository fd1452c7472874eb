"""Benchmark: the groups page on the sample cohort, a group of 10 enterprises with 12
sessions recorded: reading the group's progress (each member's data, its next actions,
its attendance), building the whole page, and saving one session with its attendance.
Prints wall and CPU seconds side by side (median of `--repeat`).

    .venv/bin/python benchmarks/bench_groups.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from vises_nb.analysis.group_progress import group_progress
from vises_nb.dashboards.groups import GroupsPage
from vises_nb.sample.generator import generate, store_cohort
from vises_nb.store import model as m
from vises_nb.store import sessions as ss
from vises_nb.store.store import Store


def timed(function, repeat: int) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "vises.sqlite"
        store = Store.open(path, create=True)
        store_cohort(generate(2018), store)
        members = store.enterprise_ids()[:10]
        with store.transaction() as w:
            w.save(m.Group(id="G1", name="Bench group", period="2026"))
            for eid in members:
                w.save(m.GroupMember(enterprise_id=eid, period="2026", group_id="G1"))
        for number in range(12):
            sid = f"S{number:02d}"
            ss.save_session(store, m.GroupSession(
                id=sid, group_id="G1", date=dt.date(2025, 1, 6) + dt.timedelta(weeks=3 * number),
                topic=f"Session {number}"), [m.SessionAttendance(
                    session_id=sid, enterprise_id=e, status="present") for e in members],
                None, "bench")
        counter = iter(range(10_000))

        def save_one() -> None:
            sid = f"N{next(counter)}"
            ss.save_session(store, m.GroupSession(id=sid, group_id="G1", date=dt.date(2026, 3, 1),
                                                  topic="New"),
                            [m.SessionAttendance(session_id=sid, enterprise_id=e,
                                                 status="present") for e in members],
                            None, "bench")

        rows = [("group progress (10 members, 12 sessions)",
                 lambda: group_progress(store, "G1", "fr")),
                ("groups page built (progress, sessions, form)",
                 lambda: GroupsPage(str(path), "fr")),
                ("one session saved with 10 attendance rows", save_one)]
        print(f"{'what':<48} {'wall s':>8} {'cpu s':>8}")
        for name, function in rows:
            wall, cpu = timed(function, args.repeat)
            print(f"{name:<48} {wall:>8.3f} {cpu:>8.3f}")
        store.close()


if __name__ == "__main__":
    main()

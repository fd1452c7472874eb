"""Benchmark: enrol a roster of 500 enterprises, 50 accompaniers and 50 semi-collective
groups (8 enterprises each) into an empty SQLite store; then enrol it again with 50
enterprises changed and 10 leaving (confirmed). Time and peak memory of each, side by side,
plus the template's own check of a roster with 500 problems (nothing stored).

Run: .venv/bin/python benchmarks/bench_enrol.py
"""

from __future__ import annotations

import resource
import tempfile
import time
import tracemalloc
from pathlib import Path

from openpyxl import load_workbook

from vises_nb.instruments.enrolment import enrol
from vises_nb.instruments.roster import RosterProblems, write_template
from vises_nb.store.store import Store

ENTERPRISES, ACCOMPANIERS, GROUP_SIZE = 500, 50, 8
POLES = ["insertion", "Solidarité", "Autres ESS"]
REGIONS = ["Wallonie", "Bruxelles", "Vlaanderen", "Hauts-de-France"]


def roster(path: Path, renamed: int = 0, leaving: int = 0, bad: bool = False) -> Path:
    book = load_workbook(write_template(path.with_name("template.xlsx"), "fr"))
    people, firms, groups = (book[name] for name in book.sheetnames[:3])
    for a in range(1, ACCOMPANIERS + 1):
        people.append([f"A{a:03d}", f"Accompagnateur {a}", "Fédération", "fr"])
    for i in range(1, ENTERPRISES + 1):
        name = f"Entreprise {i}" + (" (nouveau nom)" if i <= renamed else "")
        status = "parti" if ENTERPRISES - leaving < i else ""
        firms.append([f"E{i:04d}", name, POLES[i % 3], "Atlantide" if bad else REGIONS[i % 4],
                      "fr" if i % 2 else "nl", f"A{(i % ACCOMPANIERS) + 1:03d}", "ASBL",
                      "Services", 1980 + i % 40, f"{i % 50},5", i % 30, i % 12, 100000 + i,
                      status])
    for g in range(ENTERPRISES // GROUP_SIZE - 12):  # the leaving ones are in no group
        members = ", ".join(f"E{g * GROUP_SIZE + k + 1:04d}" for k in range(GROUP_SIZE))
        groups.append([f"G{g + 1:03d}", f"Groupe {g + 1}", "2026", f"A{g % 50 + 1:03d}",
                       members])
    book.save(path)
    return path


def scenario(folder: Path, files: dict[str, Path], traced: bool) -> list[tuple]:
    """Each step's (label, seconds, peak MiB or None, summary) on a fresh store; with
    `traced`, Python's allocations are followed (tracemalloc slows it: timed apart)."""
    store = Store.open(folder / f"bench-{traced}.sqlite", create=True)

    def refused() -> str:
        try:
            enrol(store, files["bad"])
        except RosterProblems as exc:
            return f"{len(exc.problems)} problems listed, nothing stored"
        return "accepted?"

    steps = [
        (f"enrol {ENTERPRISES} enterprises (empty store)",
         lambda: enrol(store, files["first"]).summary("en").splitlines()[0]),
        ("enrol again: 50 renamed, 10 leaving (--yes)",
         lambda: enrol(store, files["second"], confirm_archive=True).summary("en")
         .splitlines()[0]),
        ("enrol the same roster a third time (no change)",
         lambda: enrol(store, files["second"], confirm_archive=True).summary("en")
         .splitlines()[0]),
        (f"a roster with {ENTERPRISES} unknown regions", refused),
    ]
    results = []
    for label, action in steps:
        if traced:
            tracemalloc.start()
        start = time.perf_counter()
        said = action()
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] / 2**20 if traced else None
        if traced:
            tracemalloc.stop()
        results.append((label, seconds, peak, said))
    store.close()
    return results


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = {"first": roster(folder / "roster.xlsx"),
                 "second": roster(folder / "roster2.xlsx", renamed=50, leaving=10),
                 "bad": roster(folder / "bad.xlsx", bad=True)}
        timed = scenario(folder, files, traced=False)
        traced = scenario(folder, files, traced=True)
    print(f"{'':<50} {'time':>8} {'peak (Python allocations)':>27}")
    for (label, seconds, _, said), (_, _, peak, _) in zip(timed, traced, strict=True):
        print(f"{label:<50} {seconds:6.2f} s {peak:21.1f} MiB")
        print(f"    {said}")
    print(f"process peak resident memory: "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()

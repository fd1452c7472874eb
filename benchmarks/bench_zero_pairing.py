"""Benchmark: a T1 export whose codes lost their leading zeros in Excel, against the same
T1 with its codes as typed.

N people (5,000 by default) answer the form of tests/test_excel_round_trip.py at T0 with
codes `000001`...; at T1 the same answers come back (a) with the codes as typed and (b)
as Excel saves them (`1`...): every code is then looked up again with its leading zeros
added (`importing.zeros`). Also (c) T1 codes nobody had at T0 (each tried at every
width, none found). Prints the seconds of `import_responses` side by side.

Run: .venv/bin/python benchmarks/bench_zero_pairing.py [people]
"""

from __future__ import annotations

import csv
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from test_excel_round_trip import HEADERS, ROWS, xlsform

from vises_nb.instruments.importing import import_responses
from vises_nb.store import model as m
from vises_nb.store.store import Store


def write(path: Path, codes: list[str]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(HEADERS)
        for k, code in enumerate(codes):
            out.writerow([code, *ROWS[k % 3][1:]])
    return path


def main() -> None:
    people = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        form = xlsform(folder / "form.xlsx")
        base = folder / "base.sqlite"
        store = Store.open(base, create=True)
        store.save(m.Enterprise(id="E71", name="Atelier", pole="insertion",
                                region="wallonia", language="fr"))
        import_responses(store, "E71", "T0",
                         write(folder / "t0.csv", [f"{k:06d}" for k in range(1, people + 1)]),
                         form)
        store.close()
        cases = {"codes as typed (000001)": [f"{k:06d}" for k in range(1, people + 1)],
                 "zeros dropped (1), paired": [str(k) for k in range(1, people + 1)],
                 "new codes, none paired": [str(k) for k in range(500_000, 500_000 + people)]}
        print(f"{people} respondents at T1 against {people} stored")
        for name, codes in cases.items():
            copy = folder / "copy.sqlite"
            shutil.copy(base, copy)
            store = Store.open(copy)
            path = write(folder / "t1.csv", codes)
            start = time.perf_counter()
            report = import_responses(store, "E71", "T1", path, form)
            seconds = time.perf_counter() - start
            store.close()
            print(f"  {name:28s} {seconds:6.2f} s  ({report.respondents} respondents)")


if __name__ == "__main__":
    main()

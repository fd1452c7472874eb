"""Benchmark: import an enterprise's own questionnaire, ~50,000 answer rows.

A hand-written XLSForm (tests/own_forms.py: `repondant`, own choice lists, a
select_multiple split into one yes/no item per option, an integer, a free text) and
8,000 respondents' answers as an ODK Central CSV (T0) and a plain CSV of the same
people at T1 (~50,000 answer rows each). Prints, side by side: seconds, answer rows per second and the
peak memory of the import (Python allocations, tracemalloc, measured on a second run)
and the process's peak RSS.

Run: .venv/bin/python benchmarks/bench_own_import.py [respondents]
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from own_forms import odk_csv, own_form, people, plain_csv

from vises_nb.instruments.importing import import_responses
from vises_nb.store import model as m
from vises_nb.store.loading import load_enterprise
from vises_nb.store.store import Store


def fresh(folder: Path, name: str) -> Store:
    store = Store.open(folder / f"{name}.sqlite", create=True)
    store.save(m.Enterprise(id="E70", name="Atelier", pole="insertion", region="wallonia",
                            language="fr"))
    return store


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 8000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        form = own_form(folder / "form.xlsx")
        t0 = odk_csv(folder / "t0.csv", people(n, "T0"))
        t1 = plain_csv(folder / "t1.csv", people(n, "T1", shift=1))
        rows = []
        store = fresh(folder, "timed")
        for wave, path in (("T0", t0), ("T1", t1)):
            start = time.perf_counter()
            report = import_responses(store, "E70", wave, path, form)
            seconds = time.perf_counter() - start
            rows.append((f"{wave} {report.source_format}", report.responses,
                         report.respondents, seconds))
        start = time.perf_counter()
        data = load_enterprise(store, "E70")
        load = time.perf_counter() - start
        store.close()
        traced = fresh(folder, "traced")
        tracemalloc.start()
        import_responses(traced, "E70", "T0", t0, form)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        traced.close()
    print(f"{'file':<22}{'answer rows':>12}{'respondents':>13}{'seconds':>9}{'rows/s':>10}")
    for name, answers, respondents, seconds in rows:
        print(f"{name:<22}{answers:>12,}{respondents:>13,}{seconds:>9.2f}"
              f"{answers / seconds:>10,.0f}")
    print(f"loading both waves back (load_enterprise, {len(data.responses):,} rows): "
          f"{load:.2f} s")
    print(f"peak Python memory of the T0 import (tracemalloc): {peak / 2**20:.0f} MiB; "
          f"process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()

"""Benchmark: import a KoboToolbox CSV of 50,000 response rows (6,250 respondents x 8 items).

Run: .venv/bin/python benchmarks/bench_import.py   (prints seconds; target: seconds)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from exports import answers, kobo_csv

from vises_nb.instruments.importing import import_responses
from vises_nb.instruments.xlsform import write_questionnaire
from vises_nb.sample.generator import generate, store_cohort
from vises_nb.store.store import Store


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = Store.open(folder / "bench.sqlite", create=True)
        store_cohort(generate(2018), store)
        form = write_questionnaire(store, "E09", folder / "form.xlsx")
        export = kobo_csv(folder / "export.csv", answers(6250))
        start = time.perf_counter()
        report = import_responses(store, "E09", "T0", export, form)
        seconds = time.perf_counter() - start
        print(f"imported {report.responses} response rows ({report.respondents} respondents) "
              f"in {seconds:.2f} s ({report.responses / seconds:,.0f} rows/s)")
        start = time.perf_counter()
        again = import_responses(store, "E09", "T0", export, form)
        print(f"re-import of the same file (nothing added: {again.already_imported}) in "
              f"{time.perf_counter() - start:.2f} s")
        store.close()


if __name__ == "__main__":
    main()

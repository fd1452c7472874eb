"""Benchmark: an export of vises's own questionnaire imported with and without its form.

The sample cohort's E09 questionnaire (`questionnaire_bytes`) answered by N people (5,000
by default, 8 items each) and exported as KoboToolbox would (XML names with `/` group
paths; labels with groups joined by `.`, which the importer matches by trying the
separator) and as ODK Central would. Prints, side by side, the seconds of
`import_responses` given the XLSForm file and given nothing (the store's generated
questionnaire is then the form).

Run: .venv/bin/python benchmarks/bench_import_without_form.py [people]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import test_import_own_questionnaire as own

from vises_nb.instruments.importing import import_responses
from vises_nb.instruments.xlsform import read_xlsform, write_questionnaire
from vises_nb.sample.generator import generate, store_cohort
from vises_nb.store.store import Store

MODES = {"Kobo XML, groups '/'": ("kobo", False, "names", "/"),
         "Kobo labels, groups '.'": ("kobo", True, "labels", "."),
         "ODK Central": ("odk", False, "names", "-")}


def main() -> None:
    own.PEOPLE = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        base = folder / "vises.sqlite"
        store = Store.open(base, create=True)
        store_cohort(generate(2018), store)
        form = write_questionnaire(store, own.E, folder / "form.xlsx")
        exports = {mode: (shape[0], own.export(store, *shape)) for mode, shape in MODES.items()}
        version = read_xlsform(form).version  # ODK Central's FormVersion column
        for row in exports["ODK Central"][1][1]:
            row[-1] = version
        store.close()  # each import goes into its own copy of this untouched store
        print(f"{own.PEOPLE} people × 8 items   with --form   without form")
        for number, (mode, (tool, (heads, rows, expected))) in enumerate(exports.items()):
            seconds = []
            for k, given in enumerate((form, None)):
                path = own.write_csv(folder / f"{number}-{k}.csv", heads, rows,
                                     ";" if tool == "kobo" else ",")
                copy = folder / f"copy-{number}-{k}.sqlite"
                shutil.copy(base, copy)
                target = Store.open(copy)
                start = time.perf_counter()
                report = import_responses(target, own.E, "T0", path, given)
                seconds.append(time.perf_counter() - start)
                target.close()
                assert report.responses == len(expected)
            print(f"{mode:<26} {seconds[0]:>9.2f} s {seconds[1]:>12.2f} s")


if __name__ == "__main__":
    main()

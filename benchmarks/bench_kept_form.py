"""Benchmark: a later wave of an enterprise's own form imported with `--form` and without
it (read with the form kept in the store at the first import, `importing.kept_forms`).

The rich form of tests/rich_form.py (groups, or_other, select_multiple, calculate,
geopoint, repeat), T0 imported with the form; T1's KoboToolbox XLSX export of N people
(2,000 by default) imported into two copies of that store, given the form and given
nothing. Prints the seconds side by side, and the kept form's size in the store.

Run: .venv/bin/python benchmarks/bench_kept_form.py [people] [kept forms]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from rich_form import kobo_xlsx, people, rich_form

from vises_nb.instruments.importing import import_responses
from vises_nb.store import model as m
from vises_nb.store.store import Store


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        base = folder / "vises.sqlite"
        store = Store.open(base, create=True)
        store.save(m.Enterprise(id="E01", name="Un", pole="insertion", region="wallonia",
                                language="fr"))
        form = rich_form(folder / "suivi.xlsx")
        import_responses(store, "E01", "T0", kobo_xlsx(folder / "t0.xlsx", people(n)), form)
        [kept] = store.list(m.OwnForm, enterprise_id="E01")
        store.close()
        export = kobo_xlsx(folder / "t1.xlsx", people(n, wave="T1"))
        times = {}
        for label, given in (("with --form", form), ("without (kept form)", None)):
            copy = folder / f"{label[:4]}.sqlite"
            shutil.copy(base, copy)
            store = Store.open(copy)
            started = time.perf_counter()
            report = import_responses(store, "E01", "T1", export, given)
            times[label] = time.perf_counter() - started
            assert report.respondents == n
            store.close()
        print(f"{n} people, T1 Kobo XLSX; kept form {len(kept.content):,} characters "
              f"(file {form.stat().st_size:,} bytes)")
        for label, seconds in times.items():
            print(f"  {label:<22} {seconds:6.2f} s")


if __name__ == "__main__":
    main()

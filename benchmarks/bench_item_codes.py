"""What the one-code-one-question check costs where items are written in bulk: the
sample cohort's items (68 and 500 enterprises) inserted in one transaction into a SQLite
store, with the check (`Writer.insert_many` as shipped) and without it, side by side;
then one step 2 catalogue pick (`add_from_catalogue`, checked twice: in words, then in
the transaction).

    .venv/bin/python benchmarks/bench_item_codes.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from unittest import mock

from vises_nb.dashboards.workspace.step2 import add_from_catalogue
from vises_nb.sample.generator import generate
from vises_nb.store import model as m
from vises_nb.store import store as store_module
from vises_nb.store.store import Store


def _items_seconds(cohort, folder: Path, checked: bool) -> tuple[float, int]:
    store = Store.open(folder / f"{checked}.sqlite", create=True)
    with store.transaction() as w:
        for model in (m.Enterprise, m.Indicator, m.Instrument):
            w.insert_many(model, (r.model_dump() for r in cohort.records.get(model, [])))
    rows = [r.model_dump() for r in cohort.records[m.Item]]
    patch = mock.patch.object(store_module, "check_item_codes", lambda conn, rows: None)
    start = time.perf_counter()
    if checked:
        with store.transaction() as w:
            w.insert_many(m.Item, rows)
    else:
        with patch, store.transaction() as w:
            w.insert_many(m.Item, rows)
    seconds = time.perf_counter() - start
    store.close()
    return seconds, len(rows)


def main() -> None:
    print(f"{'enterprises':>11} {'items':>6} {'unchecked s':>12} {'checked s':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in (68, 500):
            cohort = generate(enterprises=size)
            folder = Path(tmp) / str(size)
            folder.mkdir()
            plain, count = _items_seconds(cohort, folder, False)
            checked, _ = _items_seconds(cohort, folder, True)
            print(f"{size:>11} {count:>6} {plain:>12.3f} {checked:>10.3f}")
        store = Store.open(Path(tmp) / "pick.sqlite", create=True)
        store.save(m.Enterprise(id="E01", name="E", pole="insertion", region="wallonia",
                                language="fr"))
        start = time.perf_counter()
        add_from_catalogue(store, "E01", "satisfaction", "fr")
        print(f"one catalogue pick: {1000 * (time.perf_counter() - start):.1f} ms")
        store.close()


if __name__ == "__main__":
    main()

"""Time `vises backup` and `vises restore` on the sample cohort (prints figures, asserts nothing).

Usage: .venv/bin/python benchmarks/backup_restore.py [STORE]   (default: a fresh sample)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from vises_nb.sample.generator import generate, store_cohort
from vises_nb.store.backup import backup, restore
from vises_nb.store.store import Store


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        if len(sys.argv) > 1:
            source = Path(sys.argv[1]).resolve()
        else:
            source = root / "sample.sqlite"
            store = Store.open(source, create=True)
            store_cohort(generate(2018), store)
            store.close()
        for name in ("copy.sqlite.backup", "dump.jsonl"):
            start = time.perf_counter()
            done = backup(source, root / name)
            took = time.perf_counter() - start
            size = (root / name).stat().st_size / 1e6
            start = time.perf_counter()
            restore(root / name, root / f"restored-{name}.sqlite")
            back = time.perf_counter() - start
            print(f"{done['kind']:>6}: {done['rows']} rows, {size:.1f} MB, backup {took:.2f} s, "
                  f"restore {back:.2f} s")


if __name__ == "__main__":
    main()

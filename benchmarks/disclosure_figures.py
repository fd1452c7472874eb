"""What disclosure control hides on the sample, and the cohort's tests counted honestly
(prints figures, asserts nothing).

Usage: .venv/bin/python benchmarks/disclosure_figures.py [STORE]   (default: a fresh sample)
"""

from __future__ import annotations

import collections
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from vises_nb.analysis import cohort as cohort_views
from vises_nb.analysis import disclosure, results, stats
from vises_nb.sample.generator import generate, store_cohort
from vises_nb.store.loading import load_enterprise
from vises_nb.store.store import Store


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        if len(sys.argv) > 1:
            path = Path(sys.argv[1]).resolve()
        else:
            path = Path(work) / "sample.sqlite"
            store = Store.open(path, create=True)
            store_cohort(generate(2018), store)
            store.close()
        store = Store.open(path)
        rules: collections.Counter = collections.Counter()
        tables: collections.Counter = collections.Counter()
        start = time.perf_counter()
        for enterprise_id in store.frame("enterprises")["id"]:
            data = load_enterprise(store, enterprise_id)
            log = disclosure.step3_publication(data.indicators, data.answers()).log
            rules.update(log["rule"])
            tables.update(log["table"])
        took = time.perf_counter() - start
        print(f"step 3, every enterprise: {sum(rules.values())} suppressions in {took:.1f} s")
        for rule, count in rules.most_common():
            print(f"  {rule:28s} {count}")
        for table, count in tables.most_common():
            print(f"  {table:28s} {count}")
        cohort = cohort_views.load_cohort(store)
        published = cohort_views.published(cohort)
        print(f"cohort: {len(published.log)} suppressions", dict(published.log["rule"].value_counts()))
        raw = results.indicator_changes(cohort.frames["indicators"], cohort.answers(),
                                        values=cohort.person_values())
        raw = raw[(raw["to_wave"] == "T1") & ~raw["suppressed"].astype(bool)]
        p = pd.to_numeric(raw["p_value"], errors="coerce").dropna()
        adjusted = stats.benjamini_hochberg(p.to_numpy())
        print(f"T0→T1 tests before disclosure control: {len(p)} with a p-value, "
              f"{int((p < 0.05).sum())} with p < 0.05, {0.05 * len(p):.1f} expected by chance, "
              f"{int((adjusted < 0.05).sum())} after Benjamini–Hochberg, "
              f"{int((raw['reason'] == 'too_few_changes').sum())} too few changes to test")
        print("as published:", cohort_views.multiplicity(published.changes))
        store.close()


if __name__ == "__main__":
    main()

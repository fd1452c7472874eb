"""Time to build the step 3 findings section of the workspace (per question: the published
figures, through disclosure control, beside the two authors' forms) and to save one
finding, on the sample cohort.

    .venv/bin/python benchmarks/bench_findings_form.py [--enterprises E09,E01,E17]

Prints figures (median of 5 runs); asserts nothing (timings on a shared machine are noisy).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", default="E09,E01,E17")
    args = parser.parse_args()
    from vises_nb.dashboards.workspace import findings_form
    from vises_nb.sample.generator import generate, store_cohort
    from vises_nb.store.store import Store

    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "vises.sqlite", create=True)
        store_cohort(generate(2018), store)
        print(f"{'enterprise':<11}{'questions':>10}{'build (s)':>11}{'save (ms)':>11}")
        for enterprise_id in args.enterprises.split(","):
            builds, saves = [], []
            for run in range(5):
                start = time.perf_counter()
                panel = findings_form.Findings(store, enterprise_id, "fr")
                builds.append(time.perf_counter() - start)
                box = next(iter(panel.questions.values()), None)
                if box is None:
                    continue
                form = box.forms["accompanier"]
                form.inputs["text"].value = f"Lecture {run} : ce qui a changé, pour qui."
                start = time.perf_counter()
                assert form.save()
                saves.append(time.perf_counter() - start)
            save = f"{statistics.median(saves) * 1000:.0f}" if saves else "—"
            print(f"{enterprise_id:<11}{len(panel.questions):>10}"
                  f"{statistics.median(builds):>11.2f}{save:>11}")
        store.close()


if __name__ == "__main__":
    main()

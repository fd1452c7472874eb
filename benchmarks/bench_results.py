"""Benchmark: every indicator result (per wave and paired changes) of a scaled-up cohort.

The sample cohort's respondents are replicated with new ids (×10 and ×100, about 1.5 M
answer rows at ×100); each scale runs in its own process so its peak RSS is its own.
Prints wall and CPU seconds (CPU time is the steadier figure on a shared machine) and
peak RSS side by side and the time ratio (target at ×100: ≤ 10 s,
≤ 2 GiB; ×10 the data ≤ 12× the time).

    .venv/bin/python benchmarks/bench_results.py [--factors 10 100]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from vises_nb.analysis.cohort import CohortData, all_changes, all_results
from vises_nb.sample.generator import generate, store_cohort
from vises_nb.store.store import Store


def scaled_cohort(base: CohortData, factor: int) -> CohortData:
    """The cohort with each respondent copied `factor` times under new ids."""
    frames = dict(base.frames)
    copies = range(factor)
    respondents = base.frames["respondents"]
    frames["respondents"] = pd.concat(
        [respondents.assign(id=respondents["id"] + f"-x{k}") for k in copies], ignore_index=True)
    responses = base.frames["responses"]
    frames["responses"] = pd.concat(
        [responses.assign(respondent_id=responses["respondent_id"] + f"-x{k}") for k in copies],
        ignore_index=True)
    waves = base.frames["waves"]
    frames["waves"] = waves.assign(eligible=waves["eligible"] * factor)
    return CohortData(base.enterprises, frames)


def run_one(store_path: str, factor: int) -> dict[str, float]:
    store = Store.open(store_path)
    base = CohortData(store.frame("enterprises"),
                      {name: store.frame(name) for name in
                       ("step_status", "stakeholders", "chain_elements", "chain_links",
                        "questions", "indicators", "instruments", "items", "waves",
                        "respondents", "responses", "excerpts", "research_notes")})
    store.close()
    cohort = scaled_cohort(base, factor)
    rows = len(cohort.frames["responses"])
    start, cpu_start = time.perf_counter(), time.process_time()
    results = all_results(cohort)
    changes = all_changes(cohort)
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"factor": factor, "answer_rows": rows, "results": len(results),
            "changes": len(changes), "seconds": seconds, "cpu_seconds": cpu_seconds, "peak_rss_mib": peak_kib / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", type=int, nargs="+", default=[10, 100])
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)  # child process: store factor
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one[0], int(args.one[1]))))
        return
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "sample.sqlite")
        store = Store.open(path, create=True)
        store_cohort(generate(2018), store)
        store.close()
        figures = []
        for factor in args.factors:
            out = subprocess.run([sys.executable, __file__, "--one", path, str(factor)],
                                 check=True, capture_output=True, text=True).stdout
            figures.append(json.loads(out.strip().splitlines()[-1]))
    print(f"{'factor':>7} {'answer rows':>12} {'results':>8} {'changes':>8} "
          f"{'seconds':>8} {'CPU s':>6} {'peak RSS MiB':>13}")
    for f in figures:
        print(f"{f['factor']:>7} {f['answer_rows']:>12,} {f['results']:>8} {f['changes']:>8} "
              f"{f['seconds']:>8.2f} {f['cpu_seconds']:>6.2f} {f['peak_rss_mib']:>13.0f}")
    if len(figures) >= 2:
        small, big = figures[0], figures[-1]
        data_ratio = big["answer_rows"] / small["answer_rows"]
        print(f"{data_ratio:.0f}× the data took {big['seconds'] / small['seconds']:.1f}× the time "
              f"(target ≤ {data_ratio * 1.2:.0f}×); at ×{big['factor']}: "
              f"{big['seconds']:.1f} s (target ≤ 10 s), "
              f"{big['peak_rss_mib'] / 1024:.2f} GiB (target ≤ 2 GiB)")


if __name__ == "__main__":
    main()

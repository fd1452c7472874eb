"""Benchmark: the valorisation one-pagers of every step 3 enterprise of the sample.

Prints, side by side, the seconds (wall and CPU) to load the cohort's results for the
peer comparison, to compute and lay out every one-pager, and to print them to PDF in
Chromium, with the pages of each PDF (all should be 1).

    .venv/bin/python benchmarks/bench_valorisation.py [--lang fr]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from pathlib import Path

from vises_nb.analysis import results, valorisation
from vises_nb.analysis.cohort import all_results
from vises_nb.analysis.cohort_data import load_cohort, overview
from vises_nb.publishing.valorisation import page_html, pdf_pages, write_pdfs
from vises_nb.sample.generator import generate, store_cohort
from vises_nb.store.loading import load_enterprise
from vises_nb.store.store import Store


def timed(label: str, started: tuple[float, float]) -> tuple[float, float]:
    wall, cpu = time.perf_counter() - started[0], time.process_time() - started[1]
    print(f"{label:<34} wall {wall:6.2f} s   cpu {cpu:6.2f} s")
    return time.perf_counter(), time.process_time()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lang", default="fr")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        store = Store.open(root / "vises.sqlite", create=True)
        store_cohort(generate(2018), store)
        now = time.perf_counter(), time.process_time()
        cohort = load_cohort(store)
        peers = all_results(cohort)
        now = timed("cohort results (peers)", now)
        table = overview(cohort)
        pages = []
        for eid in table.loc[table["step"] == 3, "id"]:
            data = load_enterprise(store, eid)
            answers = data.answers()
            values = results.person_values(answers)
            content = valorisation.one_pager(
                data, results.indicator_results(data.indicators, answers, values=values),
                results.indicator_changes(data.indicators, answers, values=values), values,
                args.lang, peer_results=peers)
            path = root / f"{eid}.{args.lang}.html"
            path.write_text(page_html(content, "provenance"))
            pages.append(path)
        now = timed(f"{len(pages)} one-pagers (content + HTML)", now)
        pdfs = write_pdfs(pages)
        timed(f"{len(pdfs)} PDFs (Chromium)", now)
        print("pages per PDF:", dict(Counter(pdf_pages(p.read_bytes()) for p in pdfs)))
        store.close()


if __name__ == "__main__":
    main()

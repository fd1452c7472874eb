"""Memory of a batch run's warm process as it keeps enterprises' data (prints figures;
never a test).

`vises run` loads each enterprise's data in its warm process before forking the
enterprise's notebooks, and keeps it by data version for the next run of a warm engine
(`vises_nb.store.loading.preload`), bounded by size (`loading.PRELOADED_BYTES`). This
builds a federation (`generate(2018, N)`, as `vises sample --enterprises N`), starts one
warm process and has it load every enterprise (one trivial notebook each, with the data
preloaded as a run does), printing the warm process's RSS and PSS
(/proc/<pid>/smaps_rollup) as it goes, and the size the cache counts.

Usage: .venv/bin/python benchmarks/bench_engine_memory.py [--enterprises 500]
       [--every 100] [--work /tmp/bench-engine-memory]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import nbformat

from vises_nb.publishing.engine.zygote import Zygote
from vises_nb.sample.generator import generate, store_cohort
from vises_nb.store.store import Store, normalise_url

PROBE = ("from vises_nb.store import loading\n"
         "print(len(loading.PRELOADED), loading.preloaded_bytes())")


def memory(pid: int) -> tuple[float, float]:
    """RSS and PSS of a process, in MB."""
    figures = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value, *_ = line.split()
        figures[name.rstrip(":")] = int(value) / 1024
    return figures["Rss"], figures["Pss"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=500)
    parser.add_argument("--every", type=int, default=100)
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-engine-memory-"))
    work.mkdir(parents=True, exist_ok=True)
    path = work / f"e{args.enterprises}.sqlite"
    path.unlink(missing_ok=True)
    store = Store.open(path, create=True)
    start = time.perf_counter()
    store_cohort(generate(2018, args.enterprises), store)
    hashes = store.data_hashes(list(store.frame("enterprises")["id"]))
    store.close()
    print(f"{args.enterprises} enterprises stored in {time.perf_counter() - start:.1f} s ({path})")
    url = normalise_url(str(path))
    source = work / "probe.ipynb"
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(PROBE)])
    notebook.metadata["kernelspec"] = {"name": "python3", "language": "python",
                                       "display_name": "Python 3"}
    nbformat.write(notebook, source)
    zygote = Zygote(work / "run.log")
    try:
        zygote.wait_ready()
        pid = zygote.process.pid
        rss, pss = memory(pid)
        print(f"warm process ready: RSS {rss:.0f} MB, PSS {pss:.0f} MB")
        start = time.perf_counter()
        for n, (enterprise_id, data_hash) in enumerate(sorted(hashes.items()), 1):
            out = work / "out" / enterprise_id
            job = {"source": str(source), "parameters": {}, "executed": str(out / "p.ipynb"),
                   "report": str(out / "p.html"), "title": "p", "lang": "en",
                   "audit": {"run_id": "bench"},
                   "preload": {"store_url": url, "enterprise_id": enterprise_id,
                               "data_hash": data_hash}}
            assert zygote.run(job, 120)["ok"], enterprise_id
            if n % args.every == 0 or n == len(hashes):
                kept, size = nbformat.read(out / "p.ipynb", as_version=4) \
                    .cells[-1].outputs[0].text.split()
                rss, pss = memory(pid)
                print(f"after {n} enterprises ({time.perf_counter() - start:.0f} s): "
                      f"{kept} kept, {int(size) / 2**20:.0f} MB counted; warm process "
                      f"RSS {rss:.0f} MB, PSS {pss:.0f} MB")
            shutil.rmtree(out, ignore_errors=True)
    finally:
        zygote.close()
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

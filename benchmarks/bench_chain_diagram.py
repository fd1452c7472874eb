"""Time the impact chain's layout and SVG for chains of growing size (side by side).

    .venv/bin/python benchmarks/bench_chain_diagram.py

Each chain has n elements spread over the five levels and about 1.5 arrows per element,
some skipping levels (those pass through the columns between). Prints, per size: the
layout time, the SVG time, crossings left with and without the barycentre sweeps, and the
SVG's size.
"""

from __future__ import annotations

import random
import time

import pandas as pd

from vises_nb.analysis import chain_layout as cl
from vises_nb.method import vocabulary as voc
from vises_nb.publishing import chain_diagram as cd


def chain(n: int, seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = random.Random(seed)
    levels = voc.CHAIN_LEVELS.codes
    elements = [{"id": f"e{i:03d}", "level": levels[i % 5],
                 "label": " ".join(rng.choice(["Accompagnement", "des", "travailleurs",
                                               "en", "insertion", "durable", "local"])
                                   for _ in range(rng.randint(2, 7))),
                 "dimensions": rng.sample(voc.DIMENSIONS.codes, rng.randint(0, 3))}
                for i in range(n)]
    by_level = {lv: [e["id"] for e in elements if e["level"] == lv] for lv in levels}
    links = set()
    for e in elements:
        here = levels.index(e["level"])
        for _ in range(2):
            if here < 4 and rng.random() < 0.75:
                later = rng.choice(levels[here + 1:min(here + 3, 5)])
                links.add((e["id"], rng.choice(by_level[later])))
    return pd.DataFrame(elements), pd.DataFrame(sorted(links),
                                                columns=["source_id", "target_id"])


def main() -> None:
    print(f"{'elements':>8} {'arrows':>6} {'layout ms':>10} {'svg ms':>7} "
          f"{'crossings':>9} {'unswept':>7} {'svg KB':>7}")
    for n in (10, 20, 40, 80):
        elements, links = chain(n)
        start = time.perf_counter()
        for _ in range(5):
            layout = cd.chain_layout(elements, links, "fr")
        laid = (time.perf_counter() - start) / 5
        start = time.perf_counter()
        for _ in range(5):
            text = cd.svg(layout, "fr", "Chaîne")
        drawn = (time.perf_counter() - start) / 5
        sweeps, cl.SWEEPS = cl.SWEEPS, 0
        unswept = cd.chain_layout(elements, links, "fr").crossings
        cl.SWEEPS = sweeps
        print(f"{n:>8} {len(links):>6} {laid * 1000:>10.1f} {drawn * 1000:>7.1f} "
              f"{layout.crossings:>9} {unswept:>7} {len(text) / 1024:>7.1f}")


if __name__ == "__main__":
    main()

"""Scripts a dashboard page asks for early: Voila's chunk of vega for the page that draws
Vega-Lite charts (the cohort explorer, vises_nb.dashboards.page_charts).

Voila's page asks for its JavaScript (voila.js, then ~70 chunks) only once the kernel has
run the whole notebook, and the vega renderer asks for vega, Vega-Lite and vega-embed
(one chunk, 0.8 MB) only when the first chart arrives: fetched, parsed and compiled after
everything else. The vises template writes `<script async>` for the chunks named here in
the page's head, so the browser fetches and compiles vega while the kernel runs the
notebook; the chunk registers itself with webpack (`webpackChunk…push`), and Voila's
bundle, when it starts, finds it installed and asks for nothing more. The file is Voila's
own (its static files, served by the same server): nothing from elsewhere.

The chunk is found in Voila's files, not named: the vega extension's module says which
chunk `ensureVega()` loads. Another Voila whose files do not read so gets no early script
(the page then loads vega as before).
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

from jupyter_core.paths import jupyter_path

# dashboards (notebook name without .ipynb) whose page draws Vega-Lite
VEGA_PAGES = ("cohort_explorer",)
# "1": no early script (benchmarks/bench_federation.py --parts page compares)
LATE_ENV = "VISES_LATE_VEGA"
_ENSURE_VEGA = re.compile(r"ensureVega=function\(\)\{return \w+\.vegaReady\|\|"
                          r"\(\w+\.vegaReady=\w+\.e\((\d+)\)")


def voila_static() -> Path | None:
    """Voila's static files (voila.js and its chunks)."""
    for folder in jupyter_path("voila", "templates", "base", "static"):
        if (Path(folder) / "voila.js").is_file():
            return Path(folder)
    return None


@functools.cache
def _installed_vega_chunk() -> str | None:
    static = voila_static()
    return vega_chunk(static) if static is not None else None


def vega_chunk(static: Path | None = None) -> str | None:
    """The file name of the chunk of Voila's static files (`static`, or those installed)
    holding vega (`9484.voila.js` in Voila 0.5.13), or None."""
    if static is None:
        return _installed_vega_chunk()
    for path in sorted(static.glob("*.js")):
        if path.stat().st_size > 20_000:  # the vega extension's module is ~3 KB
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if "@jupyterlab/vega5-extension:factory" not in text:
            continue
        found = _ENSURE_VEGA.search(text)
        if found and (static / f"{found.group(1)}.voila.js").is_file():
            return f"{found.group(1)}.voila.js"
    return None


def early_scripts() -> dict[str, list[str]]:
    """Dashboard name -> Voila's static files its page asks for in its head."""
    if os.environ.get(LATE_ENV, "") == "1":
        return {}
    chunk = vega_chunk()
    return {name: [chunk] for name in VEGA_PAGES} if chunk else {}

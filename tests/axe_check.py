"""axe-core for the browser tests: where its source comes from, and one check of a page.

axe-core comes from the npm registry at test time (`npm pack axe-core@4` into a temporary
folder; nothing fetched is committed), or from $VISES_AXE (a path to axe.min.js), or from
node_modules/axe-core if someone installed it beside the project. It is loaded into each
page with Playwright's add_script_tag: neither the reports nor the dashboards carry it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# WCAG 2.0, 2.1 and 2.2 at levels A and AA (axe-core's tags)
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_source(folder: Path, missing: Callable[[str], None]) -> str:
    """axe.min.js's text; `missing(reason)` (which skips or fails) when it cannot be had."""
    given = os.environ.get("VISES_AXE")
    if given and Path(given).exists():
        return Path(given).read_text()
    local = ROOT / "node_modules" / "axe-core" / "axe.min.js"
    if local.exists():
        return local.read_text()
    npm = shutil.which("npm")
    if npm is None:
        missing("npm is not installed (apt-get install npm), needed to fetch axe-core")
    packed = subprocess.run([npm, "pack", "axe-core@4", "--silent", "--pack-destination",
                             str(folder)], capture_output=True, text=True, timeout=300,
                            check=False)
    archives = list(folder.glob("axe-core-*.tgz"))
    if packed.returncode != 0 or not archives:
        missing(f"npm pack axe-core failed: {packed.stderr[-300:]}")
    with tarfile.open(archives[0]) as archive:
        member = archive.extractfile("package/axe.min.js")
        assert member is not None
        return member.read().decode()


def violations(page, source: str, allowed: dict[str, str] | None = None,
               context: str = "document") -> list:
    """The WCAG A/AA violations axe-core finds on `page` now: [rule id, how many nodes,
    the first two nodes' HTML], less the rules of `allowed` (rule id: why it is allowed).
    `context` is a JavaScript expression for what to check (the whole document by
    default)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=source)
    found = page.evaluate(
        "async ([tags, skip]) => (await axe.run(" + context + ", {runOnly: {type: 'tag', "
        "values: tags}})).violations.filter(v => !skip.includes(v.id)).map(v => [v.id, "
        "v.nodes.length, v.nodes.slice(0, 2).map(n => n.html.slice(0, 160))])",
        [WCAG, sorted(allowed or {})])
    return found

"""Incremental runs: a notebook whose inputs have not changed since its last successful
publication is not run again.

Inputs are the notebook's source, its parameters, the data it reads (the enterprise's
`Store.data_hash`; for the cohort, every enterprise's), the vises version and the
source of the `vises_nb` package (so a fixed bug re-runs its reports without a version
bump). They are kept per report in `manifest.json` in the reports folder.

Crash safety: the entries of the jobs about to run are removed before any of them starts
and each is written back only once its report is published, so a run killed at any
moment leaves no entry that vouches for a half-written sidecar or report. Entries are
written every few seconds and at the end of the run, not once per report (rewriting the
whole manifest per report made a run of n reports O(n²): 0.1 s per report on 500
enterprises): a run killed meanwhile only runs those few reports again.
A manifest edited by hand is read for what it can vouch for: an entry that is not a
record with its inputs' digest is dropped (its report runs again), never a crash.
"""

from __future__ import annotations

import hashlib
import json
import time
from functools import cache
from pathlib import Path
from typing import Any

from vises_nb import __version__
from vises_nb.paths import PACKAGE_DIR
from vises_nb.publishing.publish import write_atomic

MANIFEST = "manifest.json"
SAVE_EVERY = 2.0  # seconds between two writes of the manifest while a run records


@cache
def code_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.suffix in {".py", ".po", ".j2"} and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(PACKAGE_DIR)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def inputs_digest(source: Path, parameters: dict[str, Any], data_hash: str) -> str:
    digest = hashlib.sha256()
    digest.update(source.read_bytes())
    digest.update(json.dumps({"parameters": parameters, "data": data_hash,
                              "version": __version__, "code": code_hash()},
                             sort_keys=True, default=str).encode())
    return digest.hexdigest()[:24]


class Manifest:
    """reports/manifest.json: report (relative path) -> inputs digest, run id, date."""

    def __init__(self, reports_dir: Path) -> None:
        self.path = reports_dir / MANIFEST
        self.reports_dir = reports_dir
        self.entries: dict[str, dict[str, str]] = {}
        try:
            reports = json.loads(self.path.read_text(encoding="utf-8")).get("reports")
        except (OSError, ValueError, AttributeError):
            reports = None  # absent or unreadable: everything runs
        if isinstance(reports, dict):  # edited by hand: only the entries it can vouch for
            self.entries = {key: entry for key, entry in reports.items()
                            if isinstance(entry, dict) and isinstance(entry.get("inputs"), str)}
        self._saved = time.monotonic()

    def key(self, report: Path) -> str:
        return report.relative_to(self.reports_dir).as_posix()

    def is_current(self, report: Path, digest: str) -> bool:
        entry = self.entries.get(self.key(report))
        return bool(entry) and entry["inputs"] == digest and report.exists()

    def forget(self, reports: list[Path]) -> None:
        for report in reports:
            self.entries.pop(self.key(report), None)
        self.save()

    def record(self, report: Path, digest: str, run_id: str, date: str) -> None:
        """Vouch for a published report; written with the next `save` (at most
        SAVE_EVERY seconds later; the run saves at its end)."""
        self.entries[self.key(report)] = {"inputs": digest, "run_id": run_id, "date": date}
        if time.monotonic() - self._saved >= SAVE_EVERY:
            self.save()

    def save(self) -> None:
        write_atomic(self.path, json.dumps({"version": 1, "reports": self.entries},
                                           indent=1, sort_keys=True))
        self._saved = time.monotonic()

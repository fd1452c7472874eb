"""`vises run` as a careless or hostile user meets it: a manifest edited by hand, two runs
started at once on one reports folder. Real `vises run` processes on a real SQLite store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def vises_run(store: Path, reports: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "vises_nb.cli", "--lang", "en", "run", "--store", str(store),
         "--reports", str(reports), "--enterprise", "E09", "--step", "1", "--quiet",
         "--keep-warm", "0", *args],
        capture_output=True, text=True, timeout=600, env={**os.environ, "VISES_KEEP_WARM": "0"})


@pytest.mark.parametrize("manifest", [
    '{"reports": {"E09/step1.fr.html": "x"}}',         # an entry that is not a record
    '{"reports": {"E09/step1.fr.html": {"inputs": 5}}}',
    '{"reports": {"E09/step1.fr.html": ["inputs"]}}',
    '{"reports": 7}',                                   # reports that are not a mapping
    '{"reports": "E09/step1.fr.html"}',
    '{"version": 1, "reports": null}',
])
def test_a_manifest_edited_by_hand_never_stops_the_run(sample_copy, tmp_path, manifest):
    reports = tmp_path / "reports"
    first = vises_run(sample_copy, reports)
    assert first.returncode == 0, first.stderr
    (reports / "manifest.json").write_text(manifest, encoding="utf-8")
    again = vises_run(sample_copy, reports)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Traceback" not in again.stdout + again.stderr
    # what the manifest could not vouch for is run again, and the manifest is sound again
    entries = json.loads((reports / "manifest.json").read_text(encoding="utf-8"))["reports"]
    assert set(entries) == {"E09/step1.fr.html"}
    assert isinstance(entries["E09/step1.fr.html"]["inputs"], str)
    third = vises_run(sample_copy, reports)
    assert "0 report(s) published, 1 up to date" in third.stdout, third.stdout

"""Atomic writes, and the clean-up of what a killed writer left half-written."""

from __future__ import annotations

import os
import subprocess
import sys

from vises_nb.files import remove_orphans, write_atomic


def test_a_killed_writers_temporary_files_are_removed_and_a_live_ones_kept(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    (tmp_path / "E09").mkdir()
    orphan = tmp_path / "E09" / f".step1.fr.html.pid{dead}.k2j3h4.tmp"
    orphan.write_text("<html>half")
    sidecar = tmp_path / "E09" / f".results.json.pid{dead}.tmp"  # the engine's own saves
    sidecar.write_text("{")
    writing = tmp_path / f".index.html.pid{os.getpid()}.a1b2c3.tmp"  # this process: alive
    writing.write_text("<html>")
    report = tmp_path / "E09" / "step1.fr.html"
    write_atomic(report, "<html>whole</html>")
    assert remove_orphans(tmp_path) == 2
    assert not orphan.exists() and not sidecar.exists() and writing.exists()
    assert report.read_text() == "<html>whole</html>"
    assert sorted(p.name for p in tmp_path.rglob("*")) == sorted(
        ["E09", "step1.fr.html", writing.name])

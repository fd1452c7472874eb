"""A run killed with kill -9 leaves earlier reports, the index and the manifest whole, and
the next run completes the work without redoing what the killed run had published."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from vises_nb.publishing.runner import run

pytestmark = pytest.mark.slow
VISES = [str(Path(sys.executable).parent / "vises")]


def engine_processes(reports: Path) -> list[int]:
    """Warm processes still alive for this reports folder."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if "vises_nb.publishing.engine.zygote" in cmdline and str(reports) in cmdline:
            found.append(int(entry.name))
    return found


def published_by(reports: Path, run_id: str) -> int:
    try:
        entries = json.loads((reports / "manifest.json").read_text())["reports"]
    except (OSError, ValueError):
        return 0
    return sum(1 for e in entries.values() if e["run_id"] == run_id)


def test_kill_9_midway_then_rerun_completes(sample_copy, tmp_path):
    reports = tmp_path / "reports"
    earlier = run(store_url=str(sample_copy), reports_dir=reports, lang="en",
                  enterprise=["E01", "E02", "E03"], step="1", workers=2)
    assert not earlier.failures
    before = {p: p.read_bytes() for p in reports.glob("E0[123]/step1.en.html")}
    index_before = (reports / "index.html").read_bytes()
    with sqlite3.connect(sample_copy) as conn:  # so the killed run rewrites them too
        conn.execute("UPDATE enterprises SET name = name || ' (updated)' "
                     "WHERE id IN ('E01', 'E02', 'E03')")

    process = subprocess.Popen(
        [*VISES, "run", "--store", str(sample_copy), "--reports", str(reports), "--lang", "en",
         "--step", "1", "--workers", "2", "--quiet"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and process.poll() is None:
        manifest = json.loads((reports / "manifest.json").read_text())["reports"]
        if sum(1 for e in manifest.values() if e["run_id"] != earlier.run_id) >= 4:
            break
        time.sleep(0.2)
    assert process.poll() is None, "the run should still be going when it is killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    for _ in range(100):  # its warm processes (and their children) die with it
        if not engine_processes(reports):
            break
        time.sleep(0.1)
    assert engine_processes(reports) == []

    manifest = json.loads((reports / "manifest.json").read_text())["reports"]
    killed_run = {e["run_id"] for e in manifest.values()} - {earlier.run_id}
    assert len(killed_run) == 1
    done_before_kill = sum(1 for e in manifest.values() if e["run_id"] in killed_run)
    assert 4 <= done_before_kill < 2 * 68
    for path, old in before.items():
        text = path.read_text()
        assert text.endswith("</html>\n") and "Where this document comes from" in text
        assert path.read_bytes() == old or "(updated)" in text
    assert (reports / "index.html").read_bytes() == index_before, "the index is whole"
    for key in manifest:
        assert (reports / key).read_text().endswith("</html>\n"), key

    # as the killed `vises run --lang en`: English plus each enterprise's own language
    rerun = run(store_url=str(sample_copy), reports_dir=reports, lang="en", step="1",
                workers=2, own_language="add")
    assert not rerun.failures
    assert list(reports.rglob(".*.tmp")) == [], "what the killed run half-wrote is gone"
    assert sum(r.skipped for r in rerun.results) == done_before_kill
    assert len(rerun.results) == 2 * 68  # each step 1 report in English and in its own language
    for enterprise in range(1, 69):
        page = reports / f"E{enterprise:02d}" / "step1.en.html"
        assert page.read_text().endswith("</html>\n"), page
    for path in before:
        assert "(updated)" in path.read_text()
    index = (reports / "index.html").read_text()
    assert index.count("step1.en.html") == 68

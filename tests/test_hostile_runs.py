"""`vises run` as a careless or hostile user meets it: a manifest edited by hand, two runs
started at once on one reports folder. Real `vises run` processes on a real SQLite store."""

from __future__ import annotations

import json
import os
import shutil
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
        capture_output=True, text=True, timeout=600, check=False,
        env={**os.environ, "VISES_KEEP_WARM": "0"})


@pytest.fixture(scope="module")
def first_run(sample_db, tmp_path_factory) -> Path:
    """The store and reports folder of one sound run, made once for the module: each case
    works on its own copy of both (the manifest leaves out where the store and the reports
    are, so a copy is as current as the original)."""
    folder = tmp_path_factory.mktemp("first-run")
    shutil.copy(sample_db, folder / "vises.sqlite")
    first = vises_run(folder / "vises.sqlite", folder / "reports")
    assert first.returncode == 0, first.stderr
    return folder


@pytest.mark.parametrize("manifest", [
    '{"reports": {"E09/step1.fr.html": "x"}}',         # an entry that is not a record
    '{"reports": {"E09/step1.fr.html": {"inputs": 5}}}',
    '{"reports": {"E09/step1.fr.html": ["inputs"]}}',
    '{"reports": 7}',                                   # reports that are not a mapping
    '{"reports": "E09/step1.fr.html"}',
    '{"version": 1, "reports": null}',
])
def test_a_manifest_edited_by_hand_never_stops_the_run(first_run, tmp_path, manifest):
    sample_copy, reports = tmp_path / "vises.sqlite", tmp_path / "reports"
    shutil.copy(first_run / "vises.sqlite", sample_copy)
    shutil.copytree(first_run / "reports", reports)
    assert "E09/step1.fr.html" in json.loads(
        (reports / "manifest.json").read_text(encoding="utf-8"))["reports"]
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


def test_a_second_run_on_the_same_reports_folder_is_refused_and_changes_nothing(
        sample_copy, tmp_path):
    """Two coordinators (or a cron job and a person) start `vises run` on one reports
    folder at once: the two would rewrite each other's run.log, manifest, index and peer
    files (the later-planned run's manifest could vouch for a report the other one wrote
    over it). The second is refused at once, naming the folder; the first goes on."""
    reports = tmp_path / "reports"
    command = [sys.executable, "-m", "vises_nb.cli", "--lang", "en", "run", "--store",
               str(sample_copy), "--reports", str(reports), "--enterprise", "E09",
               "--force", "--quiet", "--keep-warm", "0"]
    first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "VISES_KEEP_WARM": "0"})
    try:
        log = reports / "run.log"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not (log.exists() and log.stat().st_size):
            time.sleep(0.05)
        header = log.read_text(encoding="utf-8").splitlines()[0]
        assert first.poll() is None, "the first run is still running"
        second = vises_run(sample_copy, reports, "--force")
        assert first.poll() is None, "the second one was refused while the first ran"
        assert second.returncode != 0
        assert second.stderr.startswith("vises: error:"), second.stderr
        assert str(reports) in second.stderr and "Traceback" not in second.stderr
        assert log.read_text(encoding="utf-8").splitlines()[0] == header, \
            "the first run's log is its own"
        out, err = first.communicate(timeout=600)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == 0, out + err
    # once the first has ended, a run on the folder works again (no lock left behind)
    third = vises_run(sample_copy, reports)
    assert third.returncode == 0, third.stderr
    assert "1 up to date" in third.stdout, third.stdout


@pytest.fixture
def small_disk(tmp_path):
    """A 400 KiB tmpfs (root only; skipped elsewhere), unmounted after."""
    folder = tmp_path / "small"
    folder.mkdir()
    if os.geteuid() != 0 or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(folder)],
            capture_output=True, check=False).returncode != 0:
        pytest.skip("mounting a small tmpfs needs root")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_disk_filling_up_during_a_run_leaves_nothing_half_written_as_current(
        sample_copy, small_disk):
    reports = small_disk / "reports"
    full = subprocess.run(
        [sys.executable, "-m", "vises_nb.cli", "--lang", "en", "run", "--store",
         str(sample_copy), "--reports", str(reports), "--enterprise", "E09", "--quiet",
         "--keep-warm", "0"], capture_output=True, text=True, timeout=600, check=False,
        env={**os.environ, "VISES_KEEP_WARM": "0"})
    assert full.returncode != 0
    assert "Traceback" not in full.stderr, full.stderr
    assert str(reports) in full.stderr, f"the message names the folder: {full.stderr}"
    # and says truly what stays: the reports written before are whole (not "nothing else
    # was changed", which other commands say)
    assert "the reports written before it are whole" in full.stderr, full.stderr
    assert "nothing else was changed" not in full.stderr, full.stderr
    # every report there is whole, and the manifest vouches for whole reports only
    for report in reports.rglob("*.html"):
        assert report.read_text(encoding="utf-8").rstrip().endswith("</html>"), report
    manifest = reports / "manifest.json"
    if manifest.exists():
        for key in json.loads(manifest.read_text(encoding="utf-8")).get("reports", {}):
            assert (reports / key).read_text(encoding="utf-8").rstrip().endswith("</html>")
    # room again: the next run finishes the work and leaves no temporary file
    subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
    again = vises_run(sample_copy, reports)
    assert again.returncode == 0, again.stdout + again.stderr
    assert not list(reports.rglob("*.tmp")), list(reports.rglob("*.tmp"))
    assert (reports / "E09" / "step1.fr.html").exists() and (reports / "index.html").exists()

"""Incremental runs: unchanged inputs are skipped, changed data and --force re-run."""

from __future__ import annotations

import json
import sqlite3

import pytest

from vises_nb.publishing.engine.incremental import Manifest, inputs_digest
from vises_nb.publishing.runner import notebook_path, plan, run

pytestmark = pytest.mark.slow


def ran(summary) -> set[tuple[str, str]]:
    return {(r.job.enterprise_id, r.job.step) for r in summary.results if not r.skipped}


def skipped(summary) -> set[tuple[str, str]]:
    return {(r.job.enterprise_id, r.job.step) for r in summary.results if r.skipped}


def test_unchanged_skipped_changed_data_rerun_force_runs_all(sample_copy, tmp_path):
    reports = tmp_path / "reports"
    both = {("E09", "1"), ("E10", "1")}

    def again(**options):
        return run(store_url=str(sample_copy), reports_dir=reports, lang="en",
                   enterprise=["E09", "E10"], step="1", workers=2, **options)

    first = again()
    assert ran(first) == both and not first.failures
    report = (reports / "E10" / "step1.en.html").read_text()
    manifest = json.loads((reports / "manifest.json").read_text())["reports"]
    assert set(manifest) == {"E09/step1.en.html", "E10/step1.en.html"}
    assert manifest["E10/step1.en.html"]["run_id"] == first.run_id

    second = again()
    assert ran(second) == set() and skipped(second) == both
    assert (reports / "E10" / "step1.en.html").read_text() == report, "left as it was"
    assert 'href="E10/step1.en.html"' in (reports / "index.html").read_text()

    with sqlite3.connect(sample_copy) as conn:
        conn.execute("UPDATE enterprises SET name='Renamed cooperative' WHERE id='E10'")
    third = again()
    assert ran(third) == {("E10", "1")} and skipped(third) == {("E09", "1")}
    assert "Renamed cooperative" in (reports / "E10" / "step1.en.html").read_text()

    assert ran(again(force=True)) == both


def test_a_failed_notebook_runs_again_next_time(sample_copy, tmp_path):
    with sqlite3.connect(sample_copy) as conn:
        conn.execute("UPDATE chain_elements SET level='bogus' WHERE enterprise_id='E10'")
    options = {"store_url": str(sample_copy), "reports_dir": tmp_path / "r", "lang": "en",
                   "enterprise": "E10", "step": "1", "workers": 1}
    assert [r.ok for r in run(**options).results] == [False]
    manifest = Manifest(tmp_path / "r")
    assert manifest.entries == {}
    assert [r.skipped for r in run(**options).results] == [False]


def test_cohort_inputs_change_when_any_enterprise_changes(sample_copy, tmp_path):
    def cohort_digest() -> tuple[str, str]:
        jobs, _ = plan(str(sample_copy), tmp_path, "en", None, None, 5, "run")
        cohort = next(j for j in jobs if j.enterprise_id is None)
        step1 = {j.enterprise_id: j for j in jobs if j.step == "1"}
        digest = inputs_digest(notebook_path(cohort.notebook), cohort.parameters,
                               cohort.audit["data_hash"])
        return digest, inputs_digest(notebook_path("01_diagnostic"), step1["E09"].parameters,
                                     step1["E09"].audit["data_hash"])

    before, e09_before = cohort_digest()
    assert cohort_digest() == (before, e09_before), "same inputs, same digest"
    with sqlite3.connect(sample_copy) as conn:
        conn.execute("UPDATE enterprises SET name='Elsewhere' WHERE id='E50'")
    after, e09_after = cohort_digest()
    assert after != before, "the cohort re-runs when any enterprise changed"
    assert e09_after == e09_before, "E09's own reports do not"


def test_a_corrupt_manifest_means_everything_runs(tmp_path):
    (tmp_path / "manifest.json").write_text("{not json")
    manifest = Manifest(tmp_path)
    assert manifest.entries == {}
    report = tmp_path / "E01" / "step1.fr.html"
    report.parent.mkdir()
    report.write_text("x")
    manifest.record(report, "abc", "run", "today")
    manifest.save()  # a run saves what it recorded at its end (and every few seconds)
    assert Manifest(tmp_path).is_current(report, "abc")
    assert not Manifest(tmp_path).is_current(report, "abd")
    report.unlink()
    assert not Manifest(tmp_path).is_current(report, "abc"), "a deleted report re-runs"

"""The cohort's published results a run computes once for all its one-pagers
(vises_nb.publishing.cohort_snapshot): the same table as computing it in each notebook,
never served to another run, another store or another threshold.

How a forked notebook gets its own copy (isolation) is tested with a real warm process
in tests/test_engine.py.
"""

from __future__ import annotations

import pandas as pd
import pytest

from vises_nb.analysis.cohort import all_results
from vises_nb.analysis.cohort_data import load_cohort
from vises_nb.publishing import cohort_snapshot
from vises_nb.store.store import Store


@pytest.fixture(autouse=True)
def nothing_kept():
    cohort_snapshot.forget()
    yield
    cohort_snapshot.forget()


@pytest.fixture
def counted(monkeypatch):
    """cohort_snapshot.compute, counting its calls."""
    calls: list[tuple[str, int]] = []
    real = cohort_snapshot.compute

    def compute(store_url: str, min_respondents: int) -> pd.DataFrame:
        calls.append((store_url, min_respondents))
        return real(store_url, min_respondents)

    monkeypatch.setattr(cohort_snapshot, "compute", compute)
    return calls


def test_the_table_is_the_cohort_reports_published_results(sample_db):
    store = Store.open(sample_db)
    try:
        expected = all_results(load_cohort(store), 5)
    finally:
        store.close()
    computed = cohort_snapshot.peer_results(str(sample_db), 5)  # nothing prepared
    pd.testing.assert_frame_equal(computed, expected)
    assert cohort_snapshot.prepare("run1", str(sample_db), 5)
    pd.testing.assert_frame_equal(cohort_snapshot.peer_results(str(sample_db), 5), expected)
    assert len(expected) > 100 and {"enterprise_id", "pole", "region"} <= set(expected)


def test_computed_once_per_run_whatever_the_spelling_of_the_store(sample_db, counted):
    url = f"sqlite:///{sample_db}"
    assert cohort_snapshot.prepare("run1", str(sample_db), 5)
    assert cohort_snapshot.prepare("run1", url, 5)
    first = cohort_snapshot.peer_results(url, 5)
    assert cohort_snapshot.peer_results(str(sample_db), 5) is first
    assert len(counted) == 1


def test_never_served_to_another_run_store_or_threshold(sample_copy, counted):
    url = str(sample_copy)
    assert cohort_snapshot.prepare("run1", url, 5)
    kept = cohort_snapshot.peer_results(url, 5)
    assert len(counted) == 1
    cohort_snapshot.peer_results(url, 3)  # another threshold: computed, not the kept one
    assert len(counted) == 2
    # the data change; the next run's notebooks must see the change
    store = Store.open(sample_copy)
    try:
        with store.engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM responses WHERE enterprise_id = 'E09'")
    finally:
        store.close()
    cohort_snapshot.prepare("run2")  # a notebook of run2 that needs no table
    fresh = cohort_snapshot.peer_results(url, 5)
    assert len(counted) == 3, "run1's table was not served to run2"
    assert not fresh.equals(kept)
    assert cohort_snapshot.prepare("run2", url, 5)
    assert cohort_snapshot.peer_results(url, 5).equals(fresh)


def test_a_store_that_cannot_be_read_is_left_to_the_notebook(tmp_path):
    missing = tmp_path / "nothing-here.sqlite"
    assert not cohort_snapshot.prepare("run1", str(missing), 5)
    with pytest.raises(Exception):  # noqa: B017 - the notebook's own error, as before
        cohort_snapshot.peer_results(str(missing), 5)


def test_only_a_few_runs_are_kept(sample_db, counted):
    for n in range(6):
        assert cohort_snapshot.prepare(f"run{n}", str(sample_db), 5)
    assert len(cohort_snapshot._TABLES) == cohort_snapshot._KEPT
    assert cohort_snapshot.prepare("run5", str(sample_db), 5) and len(counted) == 6

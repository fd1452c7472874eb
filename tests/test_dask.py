"""`--executor dask`: the same jobs on a Dask LocalCluster (loopback) give the same files."""

from __future__ import annotations

from pathlib import Path

import pytest

from vises_nb.publishing.runner import run

pytestmark = pytest.mark.slow


def sidecars(reports: Path) -> dict[str, bytes]:
    return {p.relative_to(reports).as_posix(): p.read_bytes()
            for p in sorted(reports.glob("E*/step*/*.json"))}


def test_dask_cluster_produces_the_same_sidecars_as_the_local_executor(sample_db, tmp_path):
    distributed = pytest.importorskip("distributed")
    options = {"store_url": str(sample_db), "lang": "en", "enterprise": ["E09", "E21"]}
    local = run(reports_dir=tmp_path / "local", workers=2, **options)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        remote = run(reports_dir=tmp_path / "dask", executor="dask",
                     scheduler=cluster.scheduler_address, **options)
    assert not local.failures and not remote.failures
    assert len(remote.results) == len(local.results) >= 4
    expected = sidecars(tmp_path / "local")
    assert len(expected) >= 8
    assert sidecars(tmp_path / "dask") == expected
    for result in remote.results:
        assert result.job.report.exists()

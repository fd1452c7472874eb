"""A federation: the sample generator at any size (`vises sample --enterprises N`), and the
one-pagers' peer comparison computed once per run instead of once per one-pager."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
from collections import Counter

import pandas as pd
import pytest

from vises_nb.analysis.valorisation import _peers, one_pager, peer_digests
from vises_nb.publishing import peers
from vises_nb.publishing.runner import VALORISATION, digest_parameters, plan
from vises_nb.sample import content
from vises_nb.sample.generator import (
    POLE_COUNTS,
    REGION_COUNTS,
    STEP_REACHED,
    accompaniers_per_region,
    generate,
    scaled,
)
from vises_nb.store import model as m
from vises_nb.store.loading import load_enterprise
from vises_nb.store.store import Store

#: The default sample, record by record (accompaniers, every table, every answer), as it
#: was before the generator learnt other sizes: `vises sample` must keep writing it.
SAMPLE_FINGERPRINT = "d94b164e2eb9704db87e2d6b77658d290f4d8fb08bb29c2b6f6b18f4e4307ff8"


def fingerprint(cohort) -> str:
    digest = hashlib.sha256()
    for model in sorted(cohort.records, key=lambda t: t.__name__):
        for record in cohort.of(model):
            digest.update(record.model_dump_json().encode())
    for accompanier in cohort.accompaniers:
        digest.update(accompanier.model_dump_json().encode())
    digest.update(json.dumps(cohort.responses, sort_keys=True).encode())
    return digest.hexdigest()


def test_the_default_sample_is_unchanged(sample_cohort):
    assert fingerprint(sample_cohort) == SAMPLE_FINGERPRINT
    assert fingerprint(generate(2018, 68)) == SAMPLE_FINGERPRINT


def test_scaled_counts_keep_the_sample_and_its_proportions():
    for counts in (POLE_COUNTS, REGION_COUNTS, STEP_REACHED):
        assert scaled(counts, 68) == counts
    assert scaled(REGION_COUNTS, 500) == {"wallonia": 162, "brussels": 88, "flanders": 132,
                                          "hauts_de_france": 118}
    assert scaled(POLE_COUNTS, 500) == {"insertion": 198, "solidarite": 162, "autres": 140}
    for total in (1, 7, 10, 99, 500, 1234):
        shares = scaled(REGION_COUNTS, total)
        assert sum(shares.values()) == total
        for region, n in shares.items():  # within one of the exact proportion
            assert abs(n - REGION_COUNTS[region] * total / 68) < 1
    assert accompaniers_per_region(REGION_COUNTS) == {r: 3 for r in REGION_COUNTS}
    assert accompaniers_per_region({"wallonia": 162, "brussels": 0, "flanders": 1,
                                    "hauts_de_france": 118}) == {
        "wallonia": 22, "brussels": 0, "flanders": 1, "hauts_de_france": 22}


def test_a_federation_keeps_the_proportions_and_is_deterministic():
    cohort = generate(2018, 150)
    enterprises = cohort.of(m.Enterprise)
    ids = [e.id for e in enterprises]
    assert ids == [f"E{i:03d}" for i in range(1, 151)], "zero-padded: they sort in order"
    assert Counter(e.pole for e in enterprises) == Counter(scaled(POLE_COUNTS, 150))
    assert Counter(e.region for e in enterprises) == Counter(scaled(REGION_COUNTS, 150))
    assert len({(e.pole, e.region) for e in enterprises}) == 12
    steps = Counter(s.step for s in cohort.of(m.StepStatus) if s.status == "in_progress")
    assert steps == Counter({str(k): v for k, v in scaled(STEP_REACHED, 150).items()})
    assert len({e.name for e in enterprises}) == 150, "names stay distinct"
    # accompaniers: in proportion (3 per region for 68), each one's enterprises in its region
    assert len(cohort.accompaniers) == sum(accompaniers_per_region(
        Counter(e.region for e in enterprises)).values()) == 27
    assert len({a.id for a in cohort.accompaniers}) == 27
    federation_of = {a.id: a.federation for a in cohort.accompaniers}
    for e in enterprises:
        assert federation_of[e.accompanier_id] in content.ACCOMPANIER_FEDERATIONS[e.region]
    per_accompanier = Counter(e.accompanier_id for e in enterprises)
    assert max(per_accompanier.values()) <= 15
    # every record belongs to one of the 150 and the answers reference known rows
    assert {r.enterprise_id for r in cohort.of(m.Respondent)} <= set(ids)
    assert fingerprint(generate(2018, 150)) == fingerprint(cohort), "same seed and size"
    assert fingerprint(generate(2018, 149)) != fingerprint(cohort)


def test_generate_refuses_an_empty_cohort():
    with pytest.raises(ValueError):
        generate(2018, 0)


def vises(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vises_nb.cli", *args], capture_output=True,
                          text=True, timeout=300, check=False)


def test_cli_sample_enterprises(tmp_path):
    target = tmp_path / "federation.sqlite"
    result = vises("sample", "--enterprises", "12", "--store", str(target))
    assert result.returncode == 0, result.stderr
    assert "12 enterprises" in result.stdout
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT count(*) FROM enterprises").fetchone() == (12,)
        ids = [r[0] for r in conn.execute("SELECT id FROM enterprises ORDER BY id")]
    assert ids == [f"E{i:02d}" for i in range(1, 13)]
    refused = vises("--lang", "fr", "sample", "--enterprises", "0", "--store",
                    str(tmp_path / "none.sqlite"))
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert refused.stderr.startswith("vises: error: --enterprises doit être compris entre 1 et")
    assert not (tmp_path / "none.sqlite").exists()


# --- the peer comparison, once per run ---------------------------------------------------

def _peer_rows(figures: dict[tuple[str, str, str], float]) -> pd.DataFrame:
    """(enterprise, pole, code) -> value at T1."""
    return pd.DataFrame([{"enterprise_id": e, "pole": p, "indicator_code": c, "wave": "T1",
                          "value": v, "top2": None} for (e, p, c), v in figures.items()])


def test_peer_digests_change_only_with_the_figures_a_page_shows():
    figures = {(f"E{i}", "insertion" if i < 7 else "autres", code): float(i + k)
               for i in range(1, 13) for k, code in enumerate(("a", "b"))}
    enterprises = pd.DataFrame({"id": ["E1", "E8", "E9"],
                                "pole": ["insertion", "autres", "autres"]})
    codes = pd.DataFrame({"enterprise_id": ["E1", "E8", "E9"], "code": ["a", "a", "b"]})
    before = peer_digests(_peer_rows(figures), enterprises, codes)
    assert peer_digests(_peer_rows(figures), enterprises, codes) == before

    # one insertion enterprise's 'b' figure moves the cohort's range of 'b' only
    moved = {**figures, ("E2", "insertion", "b"): 100.0}
    after = peer_digests(_peer_rows(moved), enterprises, codes)
    assert after["E9"] != before["E9"], "E9 shows the cohort's range of b"
    assert after["E1"] == before["E1"] and after["E8"] == before["E8"], "they show only a"

    # a change that leaves every median, range and count as it was re-runs nobody
    same_stats = {**figures, ("E3", "insertion", "a"): 4.0, ("E4", "insertion", "a"): 3.0}
    assert figures[("E3", "insertion", "a")] == 3.0 and figures[("E4", "insertion", "a")] == 4.0
    assert peer_digests(_peer_rows(same_stats), enterprises, codes) == before

    # a figure of E1's own pole moves its pole's median (1..6 -> 3.5 becomes 3.9) but not
    # the cohort's (1..12: median 6.5, range 1 to 12): E1 re-runs, E8 (autres) does not
    pole_move = {**figures, ("E2", "insertion", "a"): 3.8}
    changed = peer_digests(_peer_rows(pole_move), enterprises, codes)
    assert changed["E1"] != before["E1"]
    assert changed["E8"] == before["E8"] and changed["E9"] == before["E9"]

def test_peer_digests_follow_what_peers_computes(sample_db, sample_cohort):
    """Two peer tables with the same digest for an enterprise give it the same peer
    sentences: the digest covers what `_peers` reads."""
    store = Store.open(sample_db)
    try:
        table = peers.compute(str(sample_db), 5)
        data = load_enterprise(store, "E09")
        enterprises = store.frame("enterprises")
        codes = store.frame("indicators")[["enterprise_id", "code"]]
    finally:
        store.close()
    digests = peer_digests(table, enterprises, codes)
    assert len(set(digests.values())) > 20, "enterprises see different peers"
    # change a figure of a code E09 does not have: its digest and its peer figures stay
    theirs = set(table["indicator_code"]) - set(data.indicators["code"])
    other = table.copy()
    other.loc[other["indicator_code"] == min(theirs), "value"] += 1.0
    assert peer_digests(other, enterprises, codes)["E09"] == digests["E09"]
    mine = table.copy()
    code = data.indicators["code"].iloc[0]
    rows = mine.index[(mine["indicator_code"] == code) & mine["value"].notna()]
    mine.loc[rows[0], "value"] = 1e6  # a new highest figure
    assert peer_digests(mine, enterprises, codes)["E09"] != digests["E09"]
    for indicator in data.indicators.to_dict("records"):
        for wave in ("T0", "T1", "T2"):
            row = {"wave": wave, "statistic": "value", "top2": None}
            assert _peers(other, data, indicator, row) == _peers(table, data, indicator, row)


def test_the_runs_peer_file_gives_the_same_one_pager(sample_db, tmp_path):
    from vises_nb.analysis import disclosure, results

    path = peers.peers_path(tmp_path, "abc", 5)
    stale = peers.peers_path(tmp_path, "old", 5)
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"stale")
    computed = peers.compute(str(sample_db), 5)
    prepared = peers.prepare(str(sample_db), path, 5)
    assert path.is_file() and not stale.exists(), "the other data version's file is gone"
    pd.testing.assert_frame_equal(peers.load(str(sample_db), 5, str(path)), computed)
    pd.testing.assert_frame_equal(prepared, computed)
    assert set(computed.columns) == set(peers.PEER_COLUMNS)

    store = Store.open(sample_db)
    try:
        data = load_enterprise(store, "E09")
    finally:
        store.close()
    answers = data.answers()
    published = disclosure.step3_publication(data.indicators, answers, 5)
    values = results.person_values(answers)
    from vises_nb.analysis.cohort import all_results, load_cohort

    store = Store.open(sample_db)
    try:
        full = all_results(load_cohort(store), 5)  # what a one-pager read before
    finally:
        store.close()
    pages = [one_pager(data, published.results, published.changes, values, "en", 5,
                       peer_results=table) for table in (full, peers.load(str(sample_db), 5,
                                                                          str(path)))]
    assert pages[0] == pages[1]
    alone = one_pager(data, published.results, published.changes, values, "en", 5)
    assert alone != pages[0], "E09's page compares it with its peers"


def test_a_change_in_one_enterprise_reruns_only_the_one_pagers_it_shows_in(sample_copy,
                                                                          tmp_path):
    def versions() -> dict[str, str]:
        jobs, _ = plan(str(sample_copy), tmp_path, "en", None, None, 5, "run")
        pages = [j for j in jobs if j.step == VALORISATION]
        assert pages and all(j.parameters["peers_file"] == pages[0].parameters["peers_file"]
                             for j in pages)
        assert all("peers_file" not in digest_parameters(j.parameters) for j in pages)
        return {j.enterprise_id: j.audit["data_hash"] for j in pages}

    before = versions()
    assert len(list((tmp_path / "cohort").glob("peers-*.parquet"))) == 1
    with sqlite3.connect(sample_copy) as conn:  # a note: no figure of any page changes
        conn.execute("UPDATE research_notes SET text='Revised note' WHERE enterprise_id='E09'")
    after = versions()
    assert len(list((tmp_path / "cohort").glob("peers-*.parquet"))) == 1, "old one removed"
    assert after["E09"] != before["E09"], "its own data changed"
    assert {e for e in before if after[e] != before[e]} == {"E09"}


def test_the_manifest_is_written_every_few_seconds_not_once_per_report(tmp_path, monkeypatch):
    """Recording n reports rewrote the whole manifest n times (O(n²) on a federation);
    entries are now written with the next save, and a save writes every one of them."""
    from vises_nb.publishing.engine import incremental

    writes = []
    real = incremental.write_atomic
    monkeypatch.setattr(incremental, "write_atomic",
                        lambda path, text: (writes.append(path), real(path, text)))
    manifest = incremental.Manifest(tmp_path)
    reports = []
    for k in range(300):
        report = tmp_path / f"E{k:03d}" / "step1.fr.html"
        report.parent.mkdir()
        report.write_text("x")
        reports.append(report)
        manifest.record(report, f"d{k}", "run", "today")
    assert len(writes) <= 2, "not once per report"
    manifest.save()
    again = incremental.Manifest(tmp_path)
    assert all(again.is_current(r, f"d{k}") for k, r in enumerate(reports))
    assert not again.is_current(reports[0], "d1")

    clock = [1000.0]
    monkeypatch.setattr(incremental.time, "monotonic", lambda: clock[0])
    manifest = incremental.Manifest(tmp_path)
    writes.clear()
    manifest.record(reports[0], "new", "run2", "today")
    assert writes == [] and not incremental.Manifest(tmp_path).is_current(reports[0], "new")
    clock[0] += incremental.SAVE_EVERY
    manifest.record(reports[1], "new", "run2", "today")
    assert len(writes) == 1, "written once SAVE_EVERY seconds have passed"
    assert incremental.Manifest(tmp_path).is_current(reports[0], "new")


def test_the_peer_file_path_is_not_shown_in_a_reports_provenance():
    from vises_nb.publishing.publish import audit_footer

    footer = audit_footer({"parameters": {
        "enterprise_id": "E09", "store_url": "/srv/federation/vises.sqlite",
        "peers_file": "/srv/federation/reports/cohort/peers-0123abcd-5.parquet"}}, "en")
    assert "E09" in footer and "vises.sqlite" in footer
    assert "peers" not in footer and "/srv" not in footer


def _publication(store_path) -> tuple:
    from vises_nb.analysis.cohort import load_cohort, published

    store = Store.open(store_path)
    try:
        data = load_cohort(store)
    finally:
        store.close()
    return data, published(data, 5)


def test_the_cohort_report_takes_the_runs_results_only_when_they_are_current(
        sample_copy, tmp_path, monkeypatch):
    """The run computes the cohort's published results once (plan); the cohort notebook
    reads them back (results, changes, suppression log, frame for frame) when they were
    computed from the data it loaded, at its threshold, by this code; else computes."""
    from vises_nb.analysis import cohort as cohort_views
    from vises_nb.publishing.runner import cohort_hash

    data, expected = _publication(sample_copy)
    jobs, _ = plan(str(sample_copy), tmp_path, "en", [], None, 5, "run", include_cohort=True)
    folder = tmp_path / "cohort"
    assert [j.notebook for j in jobs] == ["cohort"]
    assert jobs[0].parameters["output_dir"] == str(folder)
    store = Store.open(sample_copy)
    try:
        version = cohort_hash(store.data_hashes(store.enterprise_ids()))
    finally:
        store.close()
    path = peers.peers_path(tmp_path, version, 5)
    assert path.is_file() and (folder / "private").is_dir()
    assert oct((folder / "private" / f"suppression-{version}-5.parquet").stat().st_mode)[-3:] \
        == "600", "the suppression log tells where the small groups are: private"

    computed: list[int] = []
    real = cohort_views.published

    def counted(*args, **kwargs):
        computed.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(cohort_views, "published", counted)
    found = peers.cohort_publication(data, folder, 5)
    assert computed == [], "read from the run's files"
    for name in ("results", "changes", "log"):
        pd.testing.assert_frame_equal(getattr(found, name), getattr(expected, name))
    assert len(expected.results) > 300 and len(expected.changes) > 100 and len(expected.log)

    # another threshold, a notebook run alone (its own temporary folder): computed
    peers.cohort_publication(data, folder, 6)
    peers.cohort_publication(data, tmp_path / "alone", 5)
    assert len(computed) == 2
    # one answer changed since the run planned: the file no longer matches the data
    with sqlite3.connect(sample_copy) as conn:
        conn.execute("UPDATE responses SET value = 6 - value WHERE rowid = (SELECT MIN(rowid) "
                     "FROM responses WHERE value IN (1, 2, 4, 5) AND item_id IN "
                     "(SELECT id FROM items WHERE scale = 'likert5'))")
    changed, fresh = _publication(sample_copy)
    del computed[2:]
    again = peers.cohort_publication(changed, folder, 5)
    assert len(computed) == 3
    pd.testing.assert_frame_equal(again.results, fresh.results)
    # a file written by other code (another version of vises) is not taken either
    monkeypatch.setattr(peers, "code_version", lambda: "other")
    peers.cohort_publication(data, folder, 5)
    assert len(computed) == 4


def test_a_run_recomputes_a_peer_file_of_other_code(sample_db, tmp_path, monkeypatch):
    path = peers.peers_path(tmp_path, "abc", 5)
    first = peers.prepare(str(sample_db), path, 5)
    written = path.stat().st_mtime_ns
    assert peers.prepare(str(sample_db), path, 5).equals(first)
    assert path.stat().st_mtime_ns == written, "current: read, not written again"
    monkeypatch.setattr(peers, "code_version", lambda: "other")
    pd.testing.assert_frame_equal(peers.prepare(str(sample_db), path, 5), first)
    assert path.stat().st_mtime_ns != written, "written by other code: computed again"

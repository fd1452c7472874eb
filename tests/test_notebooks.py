"""Every notebook executed by papermill on the sample, checked against the raw store."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import papermill
import pytest

from vises_nb.notebook import read_sidecar
from vises_nb.paths import NOTEBOOKS_DIR

pytestmark = pytest.mark.slow
ENTERPRISE = "E09"  # insertion, Wallonia, French, at step 3 in the sample


def execute(name: str, out: Path, **parameters) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    papermill.execute_notebook(str(NOTEBOOKS_DIR / f"{name}.ipynb"), str(out / f"{name}.ipynb"),
                               parameters={"output_dir": str(out), **parameters},
                               kernel_name="python3", progress_bar=False)
    return out


@pytest.fixture(scope="module")
def executed(sample_db, tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("notebooks")
    common = {"store_url": str(sample_db), "lang": "fr"}
    return {
        "01_diagnostic": execute("01_diagnostic", root / "s1", enterprise_id=ENTERPRISE, **common),
        "02_collecte": execute("02_collecte", root / "s2", enterprise_id=ENTERPRISE, **common),
        "03_analyse": execute("03_analyse", root / "s3", enterprise_id=ENTERPRISE, **common),
        "cohort": execute("cohort", root / "c", **common),
    }


def query(db: Path, sql: str, *args) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, args).fetchall()


def test_defaults_are_declared_and_typed():
    for name in ("01_diagnostic", "02_collecte", "03_analyse", "cohort"):
        declared = papermill.inspect_notebook(str(NOTEBOOKS_DIR / f"{name}.ipynb"))
        assert {"lang", "store_url", "output_dir", "min_respondents"} <= set(declared)
        assert all(p["inferred_type_name"] in ("str", "int") for p in declared.values())
        assert all(p["help"] for p in declared.values()), "every parameter is commented"


def test_diagnostic_writes_the_identity_and_chain(executed, sample_db):
    import json
    folder = executed["01_diagnostic"]
    identity = json.loads((folder / "identity.json").read_text())
    (name, fte), = query(sample_db, "SELECT name, fte FROM enterprises WHERE id=?", ENTERPRISE)
    assert identity["name"] == name and identity["fte"] == fte
    chain = read_sidecar(folder / "chain.json")
    (count,), = query(sample_db, "SELECT count(*) FROM chain_elements WHERE enterprise_id=?",
                      ENTERPRISE)
    assert len(chain) == count and set(chain["level"]) == {
        "resource", "activity", "output", "outcome", "impact"}
    completeness = json.loads((folder / "completeness.json").read_text())
    assert completeness == {"enterprise_id": ENTERPRISE, "todo": [], "ready_for_step2": True}


def test_collection_counts_respondents_and_pairs(executed, sample_db):
    waves = read_sidecar(executed["02_collecte"] / "waves.json").set_index("wave")
    raw = dict(query(sample_db, """SELECT w.code, count(DISTINCT r.respondent_id)
        FROM responses r JOIN waves w ON w.id = r.wave_id WHERE r.enterprise_id=?
        GROUP BY w.code""", ENTERPRISE))
    assert waves["respondents"].to_dict() == raw
    (eligible,), = query(sample_db, "SELECT DISTINCT eligible FROM waves WHERE enterprise_id=?",
                         ENTERPRISE)
    t0 = waves.loc["T0"]
    assert t0["eligible"] == eligible
    assert t0["response_rate"] == pytest.approx(raw["T0"] / eligible)
    (paired,), = query(sample_db, """SELECT count(*) FROM (
        SELECT DISTINCT respondent_id FROM responses WHERE wave_id=? INTERSECT
        SELECT DISTINCT respondent_id FROM responses WHERE wave_id=?)""",
                       f"{ENTERPRISE}-T0", f"{ENTERPRISE}-T1")
    assert waves.loc["T1", "paired_with_T0"] == paired


def test_analysis_well_being_mean_matches_a_direct_computation(executed, sample_db):
    results = read_sidecar(executed["03_analyse"] / "results.json")
    rows = query(sample_db, """SELECT r.respondent_id, sum(5 - r.value), count(*)
        FROM responses r JOIN items i ON i.id = r.item_id
        WHERE r.enterprise_id=? AND r.wave_id=? AND i.code LIKE 'wb_%'
        GROUP BY r.respondent_id""", ENTERPRISE, f"{ENTERPRISE}-T0")
    scores = [score for _, score, n in rows if n == 5]
    wb = results[(results["indicator_code"] == "wellbeing_index") & (results["wave"] == "T0")]
    assert len(wb) == 1
    assert wb.iloc[0]["n"] == len(scores)
    assert wb.iloc[0]["value"] == pytest.approx(sum(scores) / len(scores))
    assert wb.iloc[0]["low"] < wb.iloc[0]["value"] < wb.iloc[0]["high"]
    changes = read_sidecar(executed["03_analyse"] / "changes.json")
    assert set(changes["test"]) <= {"mcnemar", "wilcoxon"}
    assert (changes["n_paired"] <= changes["n_from"]).all()


def test_cohort_covers_every_enterprise_and_suppresses_small_groups(executed):
    overview = read_sidecar(executed["cohort"] / "overview.json")
    assert len(overview) == 68
    assert overview["step"].value_counts().to_dict() == {3: 34, 2: 20, 1: 14}
    results = read_sidecar(executed["cohort"] / "all_results.json")
    shown = results[results["value"].notna()]
    assert len(shown) > 100
    assert (shown["n"] >= 5).all(), "no published figure rests on fewer than 5 respondents"
    assert results.loc[results["n"].between(1, 4), "value"].isna().all()
    assert set(results["pole"]) == {"insertion", "solidarite", "autres"}

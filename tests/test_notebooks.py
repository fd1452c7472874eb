"""Every notebook executed by papermill on the sample, checked against the raw store.

One enterprise of each pole, each in another language (E09 insertion/fr, E17
solidarité/nl, E21 autres ESS/en), runs steps 1–3; the cohort notebook runs once.
"""

from __future__ import annotations

import json
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import papermill
import pytest

from vises_nb import i18n
from vises_nb.method.catalogue import BY_CODE, CATALOGUE
from vises_nb.paths import NOTEBOOKS_DIR
from vises_nb.publishing.notebook import read_sidecar

pytestmark = pytest.mark.slow
CASES = [("E09", "fr", "insertion"), ("E17", "nl", "solidarite"), ("E21", "en", "autres")]
STEPS = ("01_diagnostic", "02_collecte", "03_analyse")


def execute(name: str, out: Path, **parameters) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    papermill.execute_notebook(str(NOTEBOOKS_DIR / f"{name}.ipynb"), str(out / f"{name}.ipynb"),
                               parameters={"output_dir": str(out), **parameters},
                               kernel_name="python3", progress_bar=False)
    return out


@pytest.fixture(scope="module")
def executed(sample_db, tmp_path_factory) -> dict[tuple[str, str], Path]:
    """The ten notebooks, two kernels at a time (each its own kernel and output folder)."""
    root = tmp_path_factory.mktemp("notebooks")
    work = {(step, enterprise): (step, root / f"{step}-{enterprise}",
                                 {"enterprise_id": enterprise, "lang": lang})
            for enterprise, lang, _ in CASES for step in STEPS}
    work[("cohort", "")] = ("cohort", root / "cohort", {"lang": "en"})
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {key: pool.submit(execute, name, out, store_url=str(sample_db), **parameters)
                   for key, (name, out, parameters) in work.items()}
        return {key: future.result() for key, future in futures.items()}


def query(db: Path, sql: str, *args) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, args).fetchall()


def test_defaults_are_declared_and_typed():
    for name in ("01_diagnostic", "02_collecte", "03_analyse", "cohort"):
        declared = papermill.inspect_notebook(str(NOTEBOOKS_DIR / f"{name}.ipynb"))
        assert {"lang", "store_url", "output_dir", "min_respondents"} <= set(declared)
        assert all(p["inferred_type_name"] in ("str", "int") for p in declared.values())
        assert all(p["help"] for p in declared.values()), "every parameter is commented"


def test_the_cases_cover_every_pole(sample_db):
    poles = {e: p for e, p in query(sample_db, "SELECT id, pole FROM enterprises")}
    assert {poles[e] for e, _, _ in CASES} == {"insertion", "solidarite", "autres"}
    assert all(poles[e] == pole for e, _, pole in CASES)


@pytest.mark.parametrize(("enterprise", "lang"), [c[:2] for c in CASES])
def test_diagnostic_writes_the_identity_chain_and_methods(executed, sample_db, enterprise, lang):
    folder = executed[("01_diagnostic", enterprise)]
    identity = json.loads((folder / "identity.json").read_text())
    (name, fte), = query(sample_db, "SELECT name, fte FROM enterprises WHERE id=?", enterprise)
    assert identity["name"] == name and identity["fte"] == fte
    chain = read_sidecar(folder / "chain.json")
    (count,), = query(sample_db, "SELECT count(*) FROM chain_elements WHERE enterprise_id=?",
                      enterprise)
    assert len(chain) == count and set(chain["level"]) == {
        "resource", "activity", "output", "outcome", "impact"}
    completeness = json.loads((folder / "completeness.json").read_text())
    assert completeness == {"enterprise_id": enterprise, "todo": [], "ready_for_step2": True}
    methods = read_sidecar(folder / "methods.json")
    stored = {m for (text,) in query(sample_db, "SELECT methods FROM questions WHERE "
                                                "enterprise_id=?", enterprise)
              for m in json.loads(text)}
    from vises_nb.method.vocabulary import METHODS
    assert set(methods[i18n.t("method", lang)]) == {METHODS.label(m, lang) for m in stored}


@pytest.mark.parametrize(("enterprise", "lang"), [c[:2] for c in CASES])
def test_collection_counts_respondents_pairs_and_maps_items(executed, sample_db, enterprise,
                                                            lang):
    folder = executed[("02_collecte", enterprise)]
    waves = read_sidecar(folder / "waves.json").set_index("wave")
    raw = dict(query(sample_db, """SELECT w.code, count(DISTINCT r.respondent_id)
        FROM responses r JOIN waves w ON w.id = r.wave_id WHERE r.enterprise_id=?
        GROUP BY w.code""", enterprise))
    assert waves["respondents"].to_dict() == raw
    (eligible,), = query(sample_db, "SELECT DISTINCT eligible FROM waves WHERE enterprise_id=?",
                         enterprise)
    assert waves.loc["T0", "eligible"] == eligible
    # the rate counts completed questionnaires (≥ 80 % of the wave's questions answered)
    assert 0 < waves.loc["T0", "completed"] <= raw["T0"]
    assert waves.loc["T0", "response_rate"] == pytest.approx(waves.loc["T0", "completed"] / eligible)
    (paired,), = query(sample_db, """SELECT count(*) FROM (
        SELECT DISTINCT respondent_id FROM responses WHERE wave_id=? INTERSECT
        SELECT DISTINCT respondent_id FROM responses WHERE wave_id=?)""",
                       f"{enterprise}-T0", f"{enterprise}-T1")
    assert waves.loc["T1", "paired_with_T0"] == paired
    instruments = read_sidecar(folder / "instruments.json")
    (items,), = query(sample_db, "SELECT count(*) FROM items WHERE enterprise_id=?", enterprise)
    assert len(instruments) == items
    assert len(read_sidecar(folder / "catalogue.json")) == len(CATALOGUE) >= 40
    warnings = json.loads((folder / "warnings.json").read_text())
    missing = read_sidecar(folder / "missing.json")
    assert sum(1 for w in warnings if "%" in w) >= int((missing["missing_share"] > 0.2).sum())


def direct_values(db: Path, enterprise: str, code: str, wave: str) -> list[float]:
    """Each person's value of a catalogue indicator, computed straight from the store."""
    entry = BY_CODE[code]
    rows = query(db, """SELECT r.respondent_id, r.value, i.scale, i.reverse FROM responses r
        JOIN items i ON i.id = r.item_id WHERE r.enterprise_id=? AND r.wave_id=?
        AND i.indicator_id=? AND r.value IS NOT NULL""",
                 enterprise, f"{enterprise}-{wave}", f"{enterprise}-{code}")
    people: dict[str, list[float]] = {}
    for person, value, scale, reverse in rows:
        points = {"likert5": 5, "frequency4": 4, "network3": 3}.get(scale, 0)
        people.setdefault(person, []).append(points + 1 - value if reverse else value)
    return [sum(v) for v in people.values() if len(v) == len(entry.items)]


@pytest.mark.parametrize(("enterprise", "lang"), [c[:2] for c in CASES])
def test_analysis_values_match_a_direct_computation(executed, sample_db, enterprise, lang):
    folder = executed[("03_analyse", enterprise)]
    results = read_sidecar(folder / "results.json")
    checked = 0
    for row in results[results["value"].notna()].to_dict("records"):
        values = direct_values(sample_db, enterprise, row["indicator_code"], row["wave"])
        assert row["n"] == len(values) >= 5
        if row["statistic"] in ("mean", "proportion"):
            assert row["value"] == pytest.approx(sum(values) / len(values))
            assert row["low"] <= row["value"] <= row["high"]
            checked += 1
    assert checked >= 2
    changes = read_sidecar(folder / "changes.json")
    assert set(changes["test"]) <= {"mcnemar", "wilcoxon"}
    assert (changes["n_paired"] <= changes["n_from"]).all()


@pytest.mark.parametrize(("enterprise", "lang"), [c[:2] for c in CASES])
def test_analysis_breakdowns_findings_and_summary(executed, sample_db, enterprise, lang):
    folder = executed[("03_analyse", enterprise)]
    for by in ("sex", "age_band"):
        table = read_sidecar(folder / f"breakdowns_{by}.json")
        assert len(table) > 0
        published = table[~table["suppressed"]]
        assert (published["n"] >= 5).all() and published["value"].notna().all()
        assert table.loc[table["suppressed"], "n"].isna().all()
        for row in published.to_dict("records"):
            if BY_CODE[row["indicator_code"]].kind in ("score", "number", "proportion"):
                continue
            (n,), = query(sample_db, f"""SELECT count(DISTINCT r.respondent_id) FROM responses r
                JOIN respondents p ON p.id = r.respondent_id JOIN items i ON i.id = r.item_id
                WHERE r.wave_id=? AND i.indicator_id=? AND p.{by}=? AND r.value IS NOT NULL""",
                          f"{enterprise}-{row['wave']}", row["indicator_id"], row["group"])
            assert row["n"] == n
    found = json.loads((folder / "findings.json").read_text())
    (questions,), = query(sample_db, "SELECT count(*) FROM questions WHERE enterprise_id=?",
                          enterprise)
    assert len(found) == questions
    assert all(f["limits"][0] == i18n.t("limit.no_counterfactual", lang) for f in found)
    summary = json.loads((folder / "summary.json").read_text())
    assert summary["lang"] == lang and summary["limits"][0] == i18n.t(
        "limit.no_counterfactual", lang)
    assert 1 <= len(summary["key_figures"]) <= 6 and len(summary["verbatims"]) <= 3
    reliable = read_sidecar(folder / "reliable_change.json")
    codes = set(query(sample_db, "SELECT code FROM indicators WHERE enterprise_id=?",
                      enterprise))
    assert (len(reliable) > 0) == (("wellbeing_index",) in codes)
    if reliable.empty:
        return
    shown = reliable[reliable["enough_data"]]
    assert ((shown["improved"] + shown["unchanged"] + shown["deteriorated"])
            == shown["n_paired"]).all()
    assert shown["alpha"].between(0, 1).all()


def test_cohort_covers_every_enterprise_and_suppresses_small_groups(executed, sample_db):
    folder = executed[("cohort", "")]
    overview = read_sidecar(folder / "overview.json")
    assert len(overview) == 68
    assert overview["step"].value_counts().to_dict() == {3: 34, 2: 20, 1: 14}
    results = read_sidecar(folder / "all_results.json")
    shown = results[results["value"].notna()]
    assert len(shown) > 100
    assert (shown["n"] >= 5).all(), "no published figure rests on fewer than 5 respondents"
    assert results.loc[results["n"].between(1, 4), "value"].isna().all()
    assert set(results["pole"]) == {"insertion", "solidarite", "autres"}
    comparison = read_sidecar(folder / "comparison.json")
    assert comparison["Indicator"].nunique() >= 3
    notes = read_sidecar(folder / "notes.json")
    (count,), = query(sample_db, "SELECT count(*) FROM research_notes")
    assert len(notes) == count


def test_analysis_of_bad_data_says_not_enough_data_and_never_crashes(sample_copy, tmp_path):
    with sqlite3.connect(sample_copy) as conn:
        keep = conn.execute("SELECT min(respondent_id) FROM responses WHERE wave_id='E09-T1'"
                            ).fetchone()[0]
        conn.execute("DELETE FROM responses WHERE wave_id='E09-T1' AND respondent_id != ?",
                     (keep,))
        conn.execute("DELETE FROM responses WHERE item_id='E09-network_size'")
    folder = execute("03_analyse", tmp_path / "bad", enterprise_id="E09", lang="en",
                     store_url=str(sample_copy))
    results = read_sidecar(folder / "results.json")
    network = results[results["indicator_code"] == "network_size"]
    assert (network["reason"] == "no_data").all() and network["value"].isna().all()
    t1 = results[results["wave"] == "T1"]
    assert (t1["n"] <= 1).all() and t1["value"].isna().all()
    text = (folder / "summary.json").read_text() + (folder / "findings.json").read_text()
    assert "NaN" not in text and "nan" not in text and "100%" not in text
    html = (folder / "03_analyse.ipynb").read_text()
    assert "not enough data (n = 0)" in html
    assert "not published (fewer than 5 respondents)" in html

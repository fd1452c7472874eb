"""Disclosure control against differencing attacks, on the sample and on random cohorts.

tests/attacks.py tries every attack an outsider could run on the published tables
(totals minus shown groups, wave minus paired, sums of categories, McNemar b and c,
Wilcoxon moves, direct counts). The cases the audit found on the sample are reproduced
first on the tables as they were published before disclosure control (they fall), then
on what is published now (nothing is recovered).
"""

from __future__ import annotations

import json

import attacks
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vises_nb.analysis import cohort as cohort_views
from vises_nb.analysis import disclosure, results
from vises_nb.store.loading import load_enterprise
from vises_nb.store.store import Store

T = 5


def step3_tables(pub: disclosure.Publication) -> dict[str, pd.DataFrame]:
    """The tables of a Publication under the names of the step 3 sidecars."""
    return {"results": pub.results, "changes": pub.changes,
            "likert_distribution": pub.distribution,
            **{f"breakdowns_{by}": frame for by, frame in pub.breakdowns.items()},
            "reliable_change": pub.reliable}


def as_published_before(indicators: pd.DataFrame, answers: pd.DataFrame) -> dict:
    """The tables as step 3 published them before this layer: primary suppression, one
    complementary cell in breakdowns, the n of hidden breakdown cells blanked."""
    breakdowns = {}
    for by in ("sex", "age_band"):
        frame = results.indicator_breakdowns(indicators, answers, by)
        frame.loc[frame["suppressed"].astype(bool), "n"] = pd.NA
        breakdowns[f"breakdowns_{by}"] = frame
    return {"results": results.indicator_results(indicators, answers),
            "changes": results.indicator_changes(indicators, answers),
            "likert_distribution": results.likert_distribution(indicators, answers),
            **breakdowns, "reliable_change": results.reliable_changes(indicators, answers)}


@pytest.fixture(scope="module")
def sample(sample_db):
    store = Store.open(sample_db)
    try:
        yield {eid: load_enterprise(store, eid) for eid in store.frame("enterprises")["id"]}
    finally:
        store.close()


def _only(found: list[str], *words: str) -> list[str]:
    return [f for f in found if all(w in f for w in words)]


# ------------------------------------------------------------------ the audit's cases


def test_e32_positive_exit_by_age_falls_to_total_minus_groups_then_holds(sample):
    data = sample["E32"]
    own = data.indicators[data.indicators["code"] == "positive_exit"]
    before = as_published_before(own, data.answers())
    found = attacks.totals_minus_groups(before["results"],
                                        {"age_band": before["breakdowns_age_band"]}, T)
    # total 5/9, shown group 2/6: the 3 others all had a positive exit
    assert _only(found, "age_band", "positive_exit", "T2"), found
    published = step3_tables(disclosure.step3_publication(own, data.answers()))
    assert attacks.attack(published) == []
    assert published["results"].set_index("wave").loc["T2", "value"] is None \
        or pd.isna(published["results"].set_index("wave").loc["T2", "value"])


def test_e42_driving_licence_wave_minus_paired_then_holds(sample):
    data = sample["E42"]
    own = data.indicators[data.indicators["code"] == "driving_licence"]
    before = as_published_before(own, data.answers())
    found = attacks.wave_minus_paired(before["results"], before["changes"], T)
    # the one T1 drop-out and the 3 T2 drop-outs all held a licence
    assert _only(found, "driving_licence", "T0"), found
    assert attacks.attack(step3_tables(disclosure.step3_publication(own, data.answers()))) == []


def test_counts_of_one_to_four_were_published_and_no_longer_are(sample):
    kinds = {"direct": 0, "wilcoxon": 0, "mcnemar": 0}
    for eid in ("E09", "E10", "E42", "E32"):
        data = sample[eid]
        found = attacks.attack(as_published_before(data.indicators, data.answers()))
        for kind in kinds:
            kinds[kind] += len([f for f in found if f.startswith(kind)])
        assert attacks.attack(step3_tables(
            disclosure.step3_publication(data.indicators, data.answers()))) == [], eid
    assert kinds["direct"] > 0 and kinds["wilcoxon"] > 0


def test_e10_strongest_change_has_an_effect_size_when_b_is_zero(sample):
    data = sample["E10"]
    own = data.indicators[data.indicators["code"] == "driving_licence"]
    change = results.indicator_changes(own, data.answers()).set_index("to_wave").loc["T1"]
    assert change["n_down"] == 0 and change["n_up"] == 7  # b = 0, c = 7
    assert change["effect_size_name"] == "odds_ratio_haldane"
    assert change["effect_size"] == pytest.approx(7.5 / 0.5)
    assert change["direction"] == "better" and change["p_value"] == pytest.approx(2 * 0.5**7)


# ------------------------------------------------------------------ every publication


def test_every_step3_publication_of_the_sample_withstands_every_attack(sample):
    recovered, hidden = [], 0
    for eid, data in sample.items():
        pub = disclosure.step3_publication(data.indicators, data.answers())
        recovered += [f"{eid}: {f}" for f in attacks.attack(step3_tables(pub))]
        hidden += len(pub.log)
        # no n is published for a suppressed row
        for frame in (pub.results, *pub.breakdowns.values()):
            small = frame[frame["reason"] == disclosure.SMALL_N]
            assert small["n"].isna().all(), eid
    assert recovered == []
    assert hidden > 1000  # the sample has many small groups: the rules were exercised


def test_the_cohort_tables_withstand_every_attack(sample_db):
    store = Store.open(sample_db)
    try:
        cohort = cohort_views.load_cohort(store)
    finally:
        store.close()
    pub = cohort_views.published(cohort, T)
    assert attacks.attack({"results": pub.results, "changes": pub.changes}) == []
    suppressed = pub.results[pub.results["suppressed"].astype(bool)]
    assert suppressed["n"].isna().sum() == (suppressed["reason"] == disclosure.SMALL_N).sum()
    assert not {"n_up", "n_down"} & set(pub.changes.columns), "private columns dropped"


def test_the_suppression_log_is_kept_beside_the_report_in_a_private_folder(tmp_path, sample):
    data = sample["E42"]
    pub = disclosure.step3_publication(data.indicators, data.answers())
    assert disclosure.write_log(tmp_path, pub.log) is None
    log = json.loads((tmp_path / "private" / "suppression_log.json").read_text())
    assert len(log) == len(pub.log) > 0
    assert {row["rule"] for row in log} <= {disclosure.SMALL_N, disclosure.SMALL_COUNT,
                                            disclosure.CLASS, disclosure.SECONDARY}
    assert not list(tmp_path.glob("*.json")), "nothing written where sidecars are published"


# ------------------------------------------------------------------ random cohorts

WB = [f"wb{i}" for i in range(5)]


@st.composite
def cohorts(draw):
    """One enterprise's answers: a yes/no, a Likert item, a 5-item score, a hand-defined
    yes/no item; people in sex and age groups, present at some waves."""
    n = draw(st.integers(0, 28))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    presence = draw(st.floats(0.4, 1.0))
    eligible = draw(st.one_of(st.none(), st.integers(28, 60)))
    rows = []
    for i in range(n):
        sex = rng.choice(["f", "m", None], p=[0.45, 0.45, 0.1])
        age = rng.choice(["<25", "25-44", "45+"])
        level = rng.random()
        for wave in ("T0", "T1", "T2"):
            if wave != "T0" and rng.random() > presence:
                continue
            level = min(1.0, level + rng.normal(0.1, 0.2))
            answers = [("lic", "E1-driving_licence", "yes_no", False, int(rng.random() < level)),
                       ("sat", "E1-satisfaction", "likert5", False,
                        int(np.clip(round(1 + 4 * level + rng.normal(0, 1)), 1, 5))),
                       ("own", "E1-own", "yes_no", False, int(rng.random() < 0.5))]
            answers += [(item, "E1-wellbeing_index", "frequency4", True,
                         int(rng.integers(1, 5))) for item in WB]
            for item, indicator, scale, reverse, value in answers:
                rows.append({"respondent_id": f"R{i}", "wave": wave, "item_id": item,
                             "indicator_id": indicator, "scale": scale, "reverse": reverse,
                             "value": value, "eligible": eligible, "enterprise_id": "E1",
                             "sex": sex, "age_band": age,
                             "defined_items": 5 if indicator == "E1-wellbeing_index" else 1})
    return pd.DataFrame(rows, columns=["respondent_id", "wave", "item_id", "indicator_id",
                                       "scale", "reverse", "value", "eligible",
                                       "enterprise_id", "sex", "age_band", "defined_items"])


INDICATORS = pd.DataFrame([{"id": f"E1-{c}", "enterprise_id": "E1", "code": c, "name": c}
                           for c in ("driving_licence", "satisfaction", "wellbeing_index",
                                     "own")])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cohorts(), st.integers(3, 7))
def test_random_cohorts_withstand_every_attack(answers, threshold):
    pub = disclosure.step3_publication(INDICATORS, answers, threshold)
    assert attacks.attack(step3_tables(pub), threshold) == []

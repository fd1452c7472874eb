"""Indicator results on hand-made answers: scores, statistics, suppression, no data."""

from __future__ import annotations

import pandas as pd
import pytest
from scipy import stats as sps
from statsmodels.stats.proportion import proportion_confint

from vises_nb.analysis import findings
from vises_nb.analysis.results import (
    indicator_changes,
    indicator_results,
    likert_distribution,
    person_values,
)

WB_ITEMS = [f"wb{i}" for i in range(5)]


def indicators(*codes: str) -> pd.DataFrame:
    return pd.DataFrame([{"id": f"E1-{c}", "enterprise_id": "E1", "code": c, "name": c}
                         for c in codes])


def answers(rows: list[tuple], eligible: int | None = 40) -> pd.DataFrame:
    """rows: (respondent, wave, indicator code, item id, scale, reverse, value)."""
    frame = pd.DataFrame(rows, columns=["respondent_id", "wave", "code", "item_id", "scale",
                                        "reverse", "value"])
    frame["indicator_id"] = "E1-" + frame["code"]
    frame["eligible"] = eligible
    frame["enterprise_id"] = "E1"
    return frame.drop(columns="code")


def yes_no(values: dict[str, list[int]]) -> pd.DataFrame:
    rows = []
    for wave, answers_ in values.items():
        for i, v in enumerate(answers_):
            rows.append((f"R{i}", wave, "driving_licence", "lic", "yes_no", False, v))
    return answers(rows, eligible=1000)


def test_score_sums_reversed_items_and_needs_every_item():
    rows = [("R1", "T0", "wellbeing_index", item, "frequency4", True, 1) for item in WB_ITEMS]
    rows += [("R2", "T0", "wellbeing_index", item, "frequency4", True, 4) for item in WB_ITEMS]
    rows += [("R3", "T0", "wellbeing_index", item, "frequency4", True, 2) for item in WB_ITEMS[:4]]
    values = person_values(answers(rows)).set_index("respondent_id")["value"]
    assert values.to_dict() == {"R1": 20, "R2": 5}, "never → 4 points each; R3 incomplete"


def test_proportion_uses_wilson_with_n_and_fpc_when_sampling_much():
    result = indicator_results(indicators("driving_licence"),
                               yes_no({"T0": [1] * 7 + [0] * 13})).iloc[0]
    low, high = proportion_confint(7, 20, method="wilson")
    assert result["n"] == 20 and result["value"] == pytest.approx(0.35)
    assert result["low"] == pytest.approx(low) and result["high"] == pytest.approx(high)
    assert not result["fpc_applied"]
    small_population = yes_no({"T0": [1] * 7 + [0] * 13})
    small_population["eligible"] = 25
    corrected = indicator_results(indicators("driving_licence"), small_population).iloc[0]
    assert corrected["fpc_applied"]
    assert corrected["high"] - corrected["low"] < high - low


def test_single_likert_item_gets_median_and_top2_never_a_mean():
    rows = [(f"R{i}", "T0", "satisfaction", "sat", "likert5", False, v)
            for i, v in enumerate([5, 4, 4, 2, 3, 5, 4, 1])]
    result = indicator_results(indicators("satisfaction"), answers(rows)).iloc[0]
    assert result["statistic"] == "median" and result["value"] == 4.0
    assert result["top2"] == pytest.approx(5 / 8)
    assert result["low"] is None or pd.isna(result["low"])
    distribution = likert_distribution(indicators("satisfaction"), answers(rows))
    assert distribution["count"].tolist() == [1, 1, 1, 3, 2]


def test_fewer_than_five_respondents_are_suppressed_with_a_visible_reason():
    result = indicator_results(indicators("driving_licence"),
                               yes_no({"T0": [1, 1, 1, 1]})).iloc[0]
    assert result["suppressed"] and pd.isna(result["value"])
    assert result["reason"] == "suppressed_small_n"
    text = findings.describe_result(result, "en")
    assert text == "not published (fewer than 5 respondents)"
    assert "100" not in text


def test_an_indicator_without_data_says_not_enough_data():
    frame = yes_no({"T0": [1, 0, 1, 0, 1, 1]})
    result = indicator_results(indicators("driving_licence", "satisfaction"), frame)
    empty = result[result["indicator_code"] == "satisfaction"].iloc[0]
    assert empty["n"] == 0 and pd.isna(empty["value"]) and empty["reason"] == "no_data"
    assert findings.describe_result(empty, "fr") == "données insuffisantes (n = 0)"
    assert findings.describe_result(empty, "en") == "not enough data (n = 0)"


def test_paired_change_uses_only_people_present_in_both_waves():
    t0 = [1, 0, 0, 0, 0, 0, 1, 0, 0, 0]
    t1 = [1, 1, 1, 1, 0, 1, 1, 1]  # R8 and R9 left
    frame = yes_no({"T0": t0, "T1": t1})
    change = indicator_changes(indicators("driving_licence"), frame).iloc[0]
    assert change["n_from"] == 10 and change["n_paired"] == 8
    assert change["attrition"] == pytest.approx(0.2)
    assert change["test"] == "mcnemar"
    # 5 people moved, all the same way: p = 0.0625 at best, so no verdict is given
    assert sps.binomtest(0, 5, 0.5).pvalue > 0.05
    assert change["n_changed"] == 5 and change["reason"] == "too_few_changes"
    assert change["p_value"] is None and not change["enough_data"]
    assert change["effect_size_name"] == "odds_ratio_haldane"
    assert change["effect_size"] == pytest.approx((5 + 0.5) / (0 + 0.5))
    assert change["direction"] == "better"


def test_score_change_matches_scipy_wilcoxon():
    before = [10, 12, 9, 14, 11, 8, 13, 10, 12, 9]
    after = [12, 15, 9, 15, 14, 9, 12, 13, 15, 11]
    rows = []
    for wave, scores in (("T0", before), ("T1", after)):
        for i, score in enumerate(scores):
            rows.append((f"R{i}", wave, "services_known", "svc", "number", False, score))
    change = indicator_changes(indicators("services_known"), answers(rows)).iloc[0]
    expected = sps.wilcoxon(after, before, zero_method="wilcox", correction=False)
    assert change["test"] == "wilcoxon" and change["n_paired"] == 10
    assert change["p_value"] == pytest.approx(expected.pvalue)
    assert change["before"] == 10.5 and change["after"] == 12.5


def test_one_respondent_wave_is_not_a_result():
    rows = [("R1", "T0", "services_known", "svc", "number", False, 7)]
    result = indicator_results(indicators("services_known"), answers(rows)).iloc[0]
    assert pd.isna(result["value"]) and result["suppressed"]


def test_person_values_of_many_enterprises_match_one_at_a_time():
    rows = [(f"R{i}", w, "wellbeing_index", item, "frequency4", True, (i + k) % 4 + 1)
            for i in range(6) for w in ("T0", "T1") for k, item in enumerate(WB_ITEMS)]
    rows += [(f"S{i}", "T0", "driving_licence", "lic", "yes_no", False, i % 2) for i in range(7)]
    rows.append(("R0", "T0", "wellbeing_index", WB_ITEMS[0], "frequency4", True, 1))  # twice
    frame = answers(rows)
    values = person_values(frame).set_index(["indicator_id", "wave", "respondent_id"])["value"]
    assert len(values) == 6 * 2 + 7
    assert values[("E1-driving_licence", "T0", "S3")] == 1
    r1 = sum(5 - ((1 + k) % 4 + 1) for k in range(5))
    assert values[("E1-wellbeing_index", "T0", "R1")] == r1
    results = indicator_results(indicators("wellbeing_index", "driving_licence"), frame)
    assert results.set_index(["indicator_code", "wave"]).loc[("driving_licence", "T0"), "n"] == 7

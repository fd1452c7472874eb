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


# ------------------------------------------------------------------ issue 15: the statistic follows the scale


def test_a_hand_defined_yes_no_item_gets_wilson_not_a_mean_interval():
    rows = [(f"R{i}", "T0", "own_question", "own", "yes_no", False, 1) for i in range(8)]
    result = indicator_results(indicators("own_question"), answers(rows, eligible=None)).iloc[0]
    low, _ = proportion_confint(8, 8, method="wilson")
    assert result["kind"] == "proportion" and result["statistic"] == "proportion"
    assert result["value"] == 1.0 and result["high"] == 1.0
    assert result["low"] == pytest.approx(low) and result["low"] == pytest.approx(0.676, abs=1e-3)


def test_a_hand_defined_single_likert_item_gets_median_and_top2():
    values = [1, 2, 4, 4, 5, 5, 3]
    rows = [(f"R{i}", "T0", "own_item", "own", "likert5", False, v) for i, v in enumerate(values)]
    result = indicator_results(indicators("own_item"), answers(rows, eligible=None)).iloc[0]
    assert result["kind"] == "likert" and result["statistic"] == "median"
    assert result["value"] == 4.0 and result["low"] is None
    assert result["top2"] == pytest.approx(4 / 7)
    dist = likert_distribution(indicators("own_item"), answers(rows, eligible=None))
    assert dist["count"].tolist() == [1, 1, 1, 2, 2]


def test_a_score_is_complete_against_the_items_defined_not_those_answered():
    # nobody answered wb4: a 4-item sum must not be published as the /20 index
    rows = [(f"R{i}", "T0", "wellbeing_index", item, "frequency4", True, 2)
            for i in range(6) for item in WB_ITEMS[:4]]
    frame = answers(rows).assign(defined_items=5)
    assert person_values(frame).empty
    assert len(person_values(answers(rows))) == 6, "without the item list: those answered"


def test_a_score_interval_stays_on_its_scale():
    rows = []
    for i, total in enumerate([20, 20, 20, 20, 20, 19]):
        points = [4] * 5 if total == 20 else [4, 4, 4, 4, 3]
        rows += [(f"R{i}", "T0", "wellbeing_index", item, "frequency4", False, p)
                 for item, p in zip(WB_ITEMS, points, strict=True)]
    result = indicator_results(indicators("wellbeing_index"), answers(rows, eligible=None)).iloc[0]
    mean = (20 * 5 + 19) / 6
    free = sps.t.interval(0.95, 5, loc=mean, scale=sps.sem([20] * 5 + [19]))
    assert free[1] > 20
    assert result["high"] == 20.0 and result["low"] == pytest.approx(free[0])


def test_top2_share_gets_the_same_finite_population_correction_as_any_share():
    values = [5, 5, 4, 4, 4, 3, 2, 1, 5, 4]
    rows = [(f"R{i}", "T0", "satisfaction", "sat", "likert5", False, v)
            for i, v in enumerate(values)]
    result = indicator_results(indicators("satisfaction"), answers(rows, eligible=12)).iloc[0]
    n_eff = 10 / (1 - 10 / 12)  # Cochran: the Wilson interval on n / (1 - n/N)
    low, high = proportion_confint(0.7 * n_eff, n_eff, method="wilson")
    assert result["fpc_applied"]
    assert (result["top2_low"], result["top2_high"]) == pytest.approx((low, high))


def test_direction_follows_the_effect_size_and_the_polarity():
    # loneliness goes down for everyone: that is better, whatever the medians say
    rows = []
    for i in range(8):
        rows.append((f"R{i}", "T0", "loneliness", "lon", "likert5", False, 4))
        rows.append((f"R{i}", "T1", "loneliness", "lon", "likert5", False, 3 if i < 7 else 4))
    change = indicator_changes(indicators("loneliness"), answers(rows)).iloc[0]
    oracle = sps.wilcoxon([4] * 8, [3] * 7 + [4], zero_method="wilcox")
    assert change["effect_size"] == -1.0 and change["direction"] == "better"
    assert change["p_value"] == pytest.approx(oracle.pvalue)
    assert change["n_changed"] == 7 and change["zeros"] == 1
    rows = [(p, w, "satisfaction", "sat", s, r, v) for p, w, _, _, s, r, v in rows]
    assert indicator_changes(indicators("satisfaction"), answers(rows)).iloc[0]["direction"] \
        == "worse"


def test_too_few_changes_give_no_verdict_and_say_so():
    rows = []
    for i in range(10):
        rows.append((f"R{i}", "T0", "satisfaction", "sat", "likert5", False, 3))
        rows.append((f"R{i}", "T1", "satisfaction", "sat", "likert5", False, 4 if i < 5 else 3))
    change = indicator_changes(indicators("satisfaction"), answers(rows)).iloc[0]
    assert sps.wilcoxon([3] * 10, [4] * 5 + [3] * 5, zero_method="wilcox").pvalue > 0.05
    assert change["reason"] == "too_few_changes" and change["p_value"] is None
    text = findings.describe_change(change.to_dict(), "en")
    assert "too few changes to test" in text and "no significant difference" not in text


def test_cronbach_alpha_on_fewer_than_the_threshold_is_not_published():
    from vises_nb.analysis.results import reliable_changes

    rows = []
    for i, base in enumerate([1, 2, 3, 4]):
        for wave in ("T0", "T1"):
            rows += [(f"R{i}", wave, "wellbeing_index", item, "frequency4", True,
                      min(4, base + (k % 2))) for k, item in enumerate(WB_ITEMS)]
    row = reliable_changes(indicators("wellbeing_index"), answers(rows)).iloc[0]
    assert row["alpha"] is None and row["alpha_n"] is None
    assert row["reason"] == "suppressed_small_n"

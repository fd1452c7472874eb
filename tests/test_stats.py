"""Value tests for vises_nb.analysis.stats, with statsmodels and scipy as oracles."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps
from statsmodels.stats.contingency_tables import mcnemar as sm_mcnemar
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.weightstats import DescrStatsW

from vises_nb.analysis import stats as vs


def assert_plain(result) -> None:
    """Every field is a plain Python value (or None / tuple / nested result), never NaN."""
    for field in dataclasses.fields(result):
        value = getattr(result, field.name)
        if dataclasses.is_dataclass(value):
            assert_plain(value)
            continue
        items = value if isinstance(value, tuple) else (value,)
        for item in items:
            assert item is None or type(item) in (int, float, bool, str), (field.name, item)
            if type(item) is float:
                assert not math.isnan(item), field.name


# ------------------------------------------------------------------------ fpc_factor


def test_fpc_factor_hand_computed():
    # Cochran's factor for the n-1 sample SD: sqrt(1 - n/N), not sqrt((N-n)/(N-1))
    assert vs.fpc_factor(40, 60) == pytest.approx(math.sqrt(1 - 40 / 60))
    assert vs.fpc_factor(5, 100) == pytest.approx(math.sqrt(0.95))  # exactly 5%: applied
    assert vs.fpc_factor(4, 100) == 1.0  # below 5%: not applied
    assert vs.fpc_factor(40, None) == 1.0
    assert vs.fpc_factor(60, 60) == 0.0
    assert vs.fpc_factor(1, 1) == 0.0
    assert vs.fpc_factor(0, 10) == 1.0


@pytest.mark.parametrize(("n", "population"), [(10, 9), (1, 0), (0, 0), (0, -3), (-1, 10)])
def test_fpc_factor_invalid(n, population):
    with pytest.raises(ValueError):
        vs.fpc_factor(n, population)


# ------------------------------------------------------------------------ wilson


@pytest.mark.parametrize(
    ("k", "n"), [(0, 1), (1, 1), (0, 10), (10, 10), (3, 7), (1, 30), (50, 200), (999, 1000)]
)
@pytest.mark.parametrize("confidence", [0.90, 0.95, 0.99])
def test_wilson_matches_statsmodels(k, n, confidence):
    low, high = proportion_confint(k, n, alpha=1 - confidence, method="wilson")
    res = vs.wilson(k, n, confidence=confidence)
    assert res.n == n and res.successes == k
    assert res.p == pytest.approx(k / n)
    assert res.low == pytest.approx(max(0.0, low), abs=1e-12)
    assert res.high == pytest.approx(min(1.0, high), abs=1e-12)
    assert res.enough_data and res.reason is None and not res.fpc_applied
    assert_plain(res)


def test_wilson_hand_value():
    # 8/10 at 95%: Wilson interval [0.4902, 0.9433] (textbook value)
    res = vs.wilson(8, 10)
    assert res.low == pytest.approx(0.49016, abs=1e-4)
    assert res.high == pytest.approx(0.94332, abs=1e-4)


def test_wilson_n_zero():
    res = vs.wilson(0, 0)
    assert (res.p, res.low, res.high) == (None, None, None)
    assert res.enough_data is False and res.reason == "no_data"
    assert_plain(res)


def test_wilson_all_yes_all_no_non_degenerate():
    yes = vs.wilson(12, 12)
    assert yes.p == 1.0 and yes.high == 1.0 and yes.low < 1.0
    assert yes.low == pytest.approx(proportion_confint(12, 12, method="wilson")[0])
    no = vs.wilson(0, 12)
    assert no.p == 0.0 and no.low == 0.0 and 0.0 < no.high < 1.0
    one = vs.wilson(1, 1)
    assert one.high == 1.0 and one.low == pytest.approx(0.20654, abs=1e-4)


def test_wilson_fpc_hand_computed_and_narrower():
    # 30 yes of 40 respondents in a population of 60: fpc^2 = 1 - 40/60, n_eff = 120
    z = sps.norm.ppf(0.975)
    n_eff = 40 / (1 - 40 / 60)
    p = 0.75
    denom = 1 + z**2 / n_eff
    center = (p + z**2 / (2 * n_eff)) / denom
    half = z * math.sqrt(p * (1 - p) / n_eff + z**2 / (4 * n_eff**2)) / denom
    res = vs.wilson(30, 40, population=60)
    assert res.fpc_applied is True
    assert res.low == pytest.approx(center - half)
    assert res.high == pytest.approx(center + half)
    # same thing through statsmodels with the effective sample size
    sm_low, sm_high = proportion_confint(p * n_eff, n_eff, method="wilson")
    assert (res.low, res.high) == pytest.approx((sm_low, sm_high))
    plain = vs.wilson(30, 40)
    assert res.high - res.low < plain.high - plain.low
    # sampling fraction < 5%: no correction
    assert vs.wilson(30, 40, population=10_000) == plain


def test_wilson_census_zero_width():
    res = vs.wilson(30, 40, population=40)
    assert res.fpc_applied and res.low == res.high == 0.75


@pytest.mark.parametrize(
    ("k", "n", "kwargs"),
    [
        (5, 4, {}),
        (-1, 4, {}),
        (1, -4, {}),
        (1.5, 4, {}),
        (True, 4, {}),
        (1, 4, {"confidence": 1.0}),
        (1, 4, {"confidence": 0.0}),
        (1, 4, {"confidence": 95}),
        (1, 40, {"population": 30}),
        (1, 4, {"population": 0}),
    ],
)
def test_wilson_invalid(k, n, kwargs):
    with pytest.raises(ValueError):
        vs.wilson(k, n, **kwargs)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 2000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_bounds_property(kn):
    k, n = kn
    res = vs.wilson(k, n)
    if n == 0:
        assert res.low is None and not res.enough_data
        return
    assert 0.0 <= res.low <= res.p <= res.high <= 1.0
    assert res.low < res.high
    low, high = proportion_confint(k, n, method="wilson")
    assert res.low == pytest.approx(max(low, 0.0), abs=1e-9)
    assert res.high == pytest.approx(min(high, 1.0), abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 500).flatmap(
        lambda n: st.tuples(st.integers(0, n), st.just(n), st.integers(n, 5 * n))
    )
)
def test_wilson_fpc_never_wider_property(knN):
    k, n, population = knN
    with_fpc = vs.wilson(k, n, population=population)
    without = vs.wilson(k, n)
    assert 0.0 <= with_fpc.low <= with_fpc.p <= with_fpc.high <= 1.0
    assert with_fpc.high - with_fpc.low <= without.high - without.low + 1e-12


# ------------------------------------------------------------------------ proportion


def test_proportion_drops_missing():
    values = [True, False, None, 1, 0, float("nan"), True, np.nan, pd.NA, np.True_]
    res = vs.proportion(values)
    assert (res.n, res.successes) == (6, 4)
    low, high = proportion_confint(4, 6, method="wilson")
    assert (res.low, res.high) == pytest.approx((low, high))
    assert_plain(res)


def test_proportion_pandas_and_numpy():
    series = pd.Series([1.0, 0.0, np.nan, 1.0], index=[10, 3, 7, 1])
    assert vs.proportion(series) == vs.wilson(2, 3)
    nullable = pd.Series([True, None, False, True], dtype="boolean")
    assert vs.proportion(nullable) == vs.wilson(2, 3)
    assert vs.proportion(np.array([1, 1, 0, 0, 0])) == vs.wilson(2, 5)
    assert vs.proportion([1, 0, 1], population=3).low == pytest.approx(2 / 3)


def test_proportion_all_missing_and_empty():
    for values in ([], [None, np.nan], pd.Series([np.nan, np.nan])):
        res = vs.proportion(values)
        assert res.n == 0 and not res.enough_data and res.reason == "no_data"
        assert res.p is None


@pytest.mark.parametrize("bad", [[1, 2], [0.5], ["yes"], [1, float("inf")]])
def test_proportion_invalid_values(bad):
    with pytest.raises(ValueError):
        vs.proportion(bad)


# ------------------------------------------------------------------------ likert


def test_likert_summary_values():
    values = [5, 4, 4, 3, 2, 1, 5, 5, None, np.nan, 4.0, 2]
    res = vs.likert_summary(values, points=5)
    assert res.n == 10
    assert res.counts == (1, 2, 1, 3, 3)
    assert res.shares == pytest.approx((0.1, 0.2, 0.1, 0.3, 0.3))
    assert res.median == 4.0
    assert (res.top2.successes, res.top2.n) == (6, 10)
    low, high = proportion_confint(6, 10, method="wilson")
    assert (res.top2.low, res.top2.high) == pytest.approx((low, high))
    assert (res.bottom2.successes, res.bottom2.n) == (3, 10)
    assert res.enough_data and res.reason is None
    assert_plain(res)


def test_likert_median_half_and_seven_points():
    res = vs.likert_summary([1, 2, 3, 4], points=4)
    assert res.median == 2.5
    assert res.top2.successes == 2 and res.bottom2.successes == 2
    res7 = vs.likert_summary(pd.Series([7, 6, 6, 1, 3]), points=7)
    assert res7.counts == (1, 0, 1, 0, 0, 2, 1)
    assert res7.top2.successes == 3 and res7.bottom2.successes == 1
    assert res7.median == 6.0


def test_likert_all_missing():
    res = vs.likert_summary([None, np.nan])
    assert res.n == 0 and res.counts == (0, 0, 0, 0, 0)
    assert res.shares is None and res.median is None
    assert not res.enough_data and res.reason == "no_data"
    assert not res.top2.enough_data and res.top2.p is None


@pytest.mark.parametrize("bad", [6, 0, 2.5, -1, "agree", True])
def test_likert_out_of_range_names_value(bad):
    with pytest.raises(ValueError, match=repr(bad).replace(".", r"\.")):
        vs.likert_summary([1, 2, bad, 3], points=5)


@pytest.mark.parametrize("points", [2, 3])
def test_likert_points_too_small(points):
    with pytest.raises(ValueError):
        vs.likert_summary([1, 2], points=points)


# ------------------------------------------------------------------------ mean_interval


@pytest.mark.parametrize("confidence", [0.90, 0.95, 0.99])
def test_mean_interval_matches_statsmodels(confidence):
    values = [12.5, 14, 9, 17, 15.5, 11, 13, 16, 10.5, 18]
    res = vs.mean_interval(values + [None, np.nan], confidence=confidence)
    d = DescrStatsW(np.asarray(values, dtype=float))
    low, high = d.tconfint_mean(alpha=1 - confidence)
    assert res.n == 10
    assert res.mean == pytest.approx(d.mean)
    assert res.sd == pytest.approx(np.std(values, ddof=1))
    assert (res.low, res.high) == pytest.approx((low, high))
    sp_low, sp_high = sps.t.interval(
        confidence, df=9, loc=np.mean(values), scale=sps.sem(values)
    )
    assert (res.low, res.high) == pytest.approx((sp_low, sp_high))
    assert res.enough_data and not res.fpc_applied
    assert_plain(res)


def test_mean_interval_small():
    empty = vs.mean_interval([None, np.nan])
    assert empty.n == 0 and empty.mean is None and empty.reason == "no_data"
    assert not empty.enough_data
    one = vs.mean_interval([14])
    assert one.n == 1 and one.mean == 14.0 and one.sd is None and one.low is None
    assert not one.enough_data and one.reason == "too_few"
    assert_plain(one)
    flat = vs.mean_interval([10, 10, 10])  # no spread: no zero-width interval claiming certainty
    assert flat.sd == 0.0 and flat.low is None and flat.high is None
    assert flat.enough_data and flat.reason == "no_variance"


def test_mean_interval_stays_on_the_scale():
    # 18, 20, 20, 20 on a /20 index: the t interval would reach above 20
    free = vs.mean_interval([18, 20, 20, 20])
    assert free.high > 20
    bounded = vs.mean_interval([18, 20, 20, 20], bounds=(5, 20))
    assert bounded.high == 20.0 and bounded.low == pytest.approx(free.low)


def test_mean_interval_fpc_hand_computed():
    values = [10.0, 12.0, 14.0, 16.0]  # mean 13, sd sqrt(20/3)
    res = vs.mean_interval(values, population=10)
    se = math.sqrt(20 / 3) / 2 * math.sqrt(1 - 4 / 10)  # Cochran: s²/n × (1 − n/N)
    t = sps.t.ppf(0.975, 3)
    assert res.fpc_applied
    assert (res.low, res.high) == pytest.approx((13 - t * se, 13 + t * se))
    plain = vs.mean_interval(values)
    assert res.high - res.low < plain.high - plain.low
    assert vs.mean_interval(values, population=1000) == plain  # 0.4% sampled


def test_mean_interval_census_zero_width():
    res = vs.mean_interval([10, 12, 14, 16], population=4)
    assert res.fpc_applied and res.low == res.high == res.mean == 13.0


@pytest.mark.parametrize(
    ("values", "kwargs"),
    [([1, "x"], {}), ([1, float("inf")], {}), ([1, 2], {"population": 1}), ([1, 2], {"confidence": 2})],
)
def test_mean_interval_invalid(values, kwargs):
    with pytest.raises(ValueError):
        vs.mean_interval(values, **kwargs)


# ------------------------------------------------------------------------ mcnemar


def _waves(yy: int, b: int, c: int, nn: int) -> tuple[list[int], list[int]]:
    before = [1] * yy + [1] * b + [0] * c + [0] * nn
    after = [1] * yy + [0] * b + [1] * c + [0] * nn
    return before, after


@pytest.mark.parametrize(
    ("yy", "b", "c", "nn"),
    [(10, 2, 9, 5), (3, 0, 4, 3), (5, 6, 6, 1), (0, 1, 0, 0), (20, 10, 14, 8)],
)
def test_mcnemar_exact_matches_statsmodels(yy, b, c, nn):
    before, after = _waves(yy, b, c, nn)
    res = vs.mcnemar(before, after)
    oracle = sm_mcnemar([[yy, b], [c, nn]], exact=True)
    assert (res.b, res.c, res.n_paired, res.n_changed) == (b, c, yy + b + c + nn, b + c)
    assert res.method == "exact_binomial"
    assert res.statistic == pytest.approx(oracle.statistic)
    assert res.p_value == pytest.approx(oracle.pvalue)
    if b and c:
        assert res.effect_size == c / b and res.effect_size_name == "odds_ratio_c_over_b"
    else:  # Haldane–Anscombe: an effect size even when nobody moved one way
        assert res.effect_size == pytest.approx((c + 0.5) / (b + 0.5))
        assert res.effect_size_name == "odds_ratio_haldane"
    assert res.before_value == pytest.approx((yy + b) / res.n_paired)
    assert res.after_value == pytest.approx((yy + c) / res.n_paired)
    assert res.enough_data and res.test == "mcnemar"
    assert_plain(res)


@pytest.mark.parametrize(("b", "c"), [(10, 15), (30, 12), (20, 20), (3, 40)])
def test_mcnemar_chi2_matches_statsmodels(b, c):
    before, after = _waves(7, b, c, 11)
    res = vs.mcnemar(np.array(before, dtype=bool), pd.Series(after))
    oracle = sm_mcnemar([[7, b], [c, 11]], exact=False, correction=True)
    assert res.method == "chi2_continuity_corrected"
    assert res.statistic == pytest.approx(oracle.statistic)
    assert res.p_value == pytest.approx(oracle.pvalue)
    assert res.effect_size == pytest.approx(c / b)


def test_mcnemar_drops_incomplete_pairs():
    before = [1, 1, None, 0, 0, True, np.nan, 0]
    after = [0, 1, 1, 1, None, False, 0, 1]
    res = vs.mcnemar(before, after)
    # complete pairs: (1,0) (1,1) (0,1) (1,0) (0,1)
    assert (res.n_paired, res.b, res.c) == (5, 2, 2)
    assert res.p_value == pytest.approx(1.0)
    assert res.effect_size == pytest.approx(1.0)


def test_mcnemar_not_enough_data():
    empty = vs.mcnemar([None, 1], [0, None])
    assert empty.n_paired == 0 and empty.p_value is None and empty.reason == "no_data"
    assert not empty.enough_data and empty.before_value is None
    same = vs.mcnemar([1, 1, 0], [1, 1, 0])
    assert same.n_paired == 3 and same.b == same.c == 0
    assert not same.enough_data and same.reason == "no_discordant_pairs"
    assert same.p_value is None and same.statistic is None
    assert same.before_value == pytest.approx(2 / 3)
    assert_plain(same)


def test_mcnemar_invalid():
    with pytest.raises(ValueError):
        vs.mcnemar([1, 0], [1])
    with pytest.raises(ValueError):
        vs.mcnemar([1, 2], [1, 0])


# ------------------------------------------------------------------------ wilcoxon


def _scipy_p(x, y) -> float:
    return float(
        sps.wilcoxon(
            y, x, zero_method="wilcox", correction=False, alternative="two-sided", method="auto"
        ).pvalue
    )


def _rank_biserial(x, y) -> float:
    d = np.asarray(y, float) - np.asarray(x, float)
    d = d[d != 0]
    r = sps.rankdata(np.abs(d))
    return (r[d > 0].sum() - r[d < 0].sum()) / r.sum()


@pytest.mark.parametrize(
    ("n", "kind", "method"),
    [
        (20, "continuous", "exact"),
        (60, "continuous", "normal_approximation"),
        (10, "likert", "permutation"),
        (30, "likert", "normal_approximation"),
        (80, "likert", "normal_approximation"),
    ],
)
def test_wilcoxon_matches_scipy(n, kind, method):
    rng = np.random.default_rng(n)
    if kind == "continuous":
        x = rng.normal(12, 3, n)
        y = x + rng.normal(0.8, 2, n)
    else:
        x = rng.integers(1, 6, n)
        y = np.clip(x + rng.integers(-1, 3, n), 1, 5)
    res = vs.wilcoxon_signed_rank(x, y)
    oracle = sps.wilcoxon(
        y, x, zero_method="wilcox", correction=False, alternative="two-sided", method="auto"
    )
    assert res.p_value == pytest.approx(float(oracle.pvalue), rel=1e-9)
    assert res.statistic == pytest.approx(float(oracle.statistic))
    assert res.effect_size == pytest.approx(_rank_biserial(x, y))
    assert res.method == method
    assert res.n_paired == n and res.n_changed == int(np.count_nonzero(y - x))
    assert res.before_value == pytest.approx(np.median(x))
    assert res.after_value == pytest.approx(np.median(y))
    assert res.enough_data and res.test == "wilcoxon" and res.b is None
    assert_plain(res)


def test_wilcoxon_order_matters_for_sign_only():
    x = [3, 2, 4, 1, 2, 3, 5, 2]
    y = [4, 4, 4, 3, 1, 5, 5, 4]
    up = vs.wilcoxon_signed_rank(x, y)
    down = vs.wilcoxon_signed_rank(y, x)
    assert up.p_value == pytest.approx(down.p_value)
    assert up.effect_size == pytest.approx(-down.effect_size)
    assert up.effect_size > 0


def test_wilcoxon_hand_checked():
    # d = 1, 2, 3: W+ = 6, W- = 0, exact two-sided p = 2/8
    res = vs.wilcoxon_signed_rank([1, 2, 3], [2, 4, 6])
    assert res.statistic == 0.0 and res.effect_size == 1.0
    assert res.p_value == pytest.approx(0.25)
    # ties and zeros: d = 0, 1, 1, -2, 3 -> nonzero ranks 1.5, 1.5, 3, 4
    before = [2, 2, 3, 4, 1]
    after = [2, 3, 4, 2, 4]
    res = vs.wilcoxon_signed_rank(before, after)
    assert res.n_paired == 5 and res.n_changed == 4
    assert res.effect_size == pytest.approx((7 - 3) / 10)
    assert res.statistic == 3.0
    assert res.p_value == pytest.approx(_scipy_p(before, after))


def test_wilcoxon_drops_incomplete_pairs():
    x = [10, None, 12, 9, np.nan, 14, 11, 13]
    y = [12, 15, 15, 8, 11, 18, None, 16]
    res = vs.wilcoxon_signed_rank(pd.Series(x, dtype="Float64"), y)
    cx, cy = [10, 12, 9, 14, 13], [12, 15, 8, 18, 16]
    assert res.n_paired == 5
    assert res.p_value == pytest.approx(_scipy_p(cx, cy))


def test_wilcoxon_not_enough_data():
    empty = vs.wilcoxon_signed_rank([], [])
    assert empty.reason == "no_data" and empty.p_value is None and not empty.enough_data
    one = vs.wilcoxon_signed_rank([1, None], [3, 2])
    assert one.n_paired == 1 and one.reason == "too_few" and one.p_value is None
    ties = vs.wilcoxon_signed_rank([3, 4, 5], [3, 4, 5])
    assert ties.n_paired == 3 and ties.n_changed == 0
    assert ties.reason == "all_ties" and ties.p_value is None and ties.effect_size is None
    assert ties.before_value == 4.0
    assert_plain(ties)


def test_wilcoxon_invalid():
    with pytest.raises(ValueError):
        vs.wilcoxon_signed_rank([1, 2, 3], [1, 2])
    with pytest.raises(ValueError):
        vs.wilcoxon_signed_rank([1, "a"], [1, 2])


# ------------------------------------------------------------------------ reliable change


def test_reliable_change_hand_computed():
    # sd 4, reliability .84: SE_diff = 4 * sqrt(2) * 0.4 = 2.2627; cut-off change 4.435
    before = [10, 10, 10, 10, None, 10]
    after = [15, 14, 6, 10, 12, 5.5]
    res = vs.reliable_change(before, after, sd_baseline=4, reliability=0.84)
    se = 4 * math.sqrt(2) * 0.4
    assert res.se_diff == pytest.approx(se)
    assert res.n_paired == 5 and res.positions == (0, 1, 2, 3, 5)
    assert res.rcis == pytest.approx((5 / se, 4 / se, -4 / se, 0.0, -4.5 / se))
    assert res.classes == ("improved", "unchanged", "unchanged", "unchanged", "deteriorated")
    assert (res.improved, res.deteriorated, res.unchanged) == (1, 1, 3)
    assert res.enough_data and res.threshold == 1.96
    assert_plain(res)
    lower_better = vs.reliable_change(
        before, after, sd_baseline=4, reliability=0.84, higher_is_better=False
    )
    assert (lower_better.improved, lower_better.deteriorated) == (1, 1)
    assert lower_better.classes[0] == "deteriorated"


def test_reliable_change_empty():
    res = vs.reliable_change([None], [1], sd_baseline=2, reliability=0.8)
    assert res.n_paired == 0 and res.rcis == () and not res.enough_data
    assert res.reason == "no_data"


@pytest.mark.parametrize(
    ("sd", "rel"), [(0, 0.8), (-1, 0.8), (float("nan"), 0.8), (2, 0), (2, 1), (2, 1.2), (2, -0.1)]
)
def test_reliable_change_invalid(sd, rel):
    with pytest.raises(ValueError):
        vs.reliable_change([1, 2], [2, 3], sd_baseline=sd, reliability=rel)


# ------------------------------------------------------------------------ suppress


def test_suppress_values():
    assert [vs.suppress(n) for n in range(7)] == [True] * 5 + [False] * 2
    assert vs.suppress(9, threshold=10) and not vs.suppress(10, threshold=10)
    assert vs.suppress(2, threshold=3) and not vs.suppress(3, threshold=3)


@pytest.mark.parametrize(("n", "threshold"), [(5, 2), (5, 0), (-1, 5), (2.5, 5)])
def test_suppress_invalid(n, threshold):
    with pytest.raises(ValueError):
        vs.suppress(n, threshold=threshold)


@given(st.integers(0, 10_000), st.integers(3, 100))
def test_suppress_never_publishes_below_threshold(n, threshold):
    assert vs.suppress(n, threshold) is (n < threshold)


def test_fast_exact_wilcoxon_matches_scipy_on_small_samples_with_ties_and_zeros():
    """The vectorised sign-flip enumeration gives scipy's permutation p-value exactly."""
    rng = np.random.default_rng(11)
    checked = 0
    for _ in range(60):
        n = int(rng.integers(2, 11))
        x = rng.integers(1, 6, n).astype(float)
        y = np.clip(x + rng.integers(-2, 3, n), 1, 5)
        if (x == y).all():
            continue
        ours = vs.wilcoxon_signed_rank(x, y).p_value
        theirs = sps.wilcoxon(y, x, zero_method="wilcox", correction=False,
                                      method="auto").pvalue
        assert ours == pytest.approx(theirs, abs=1e-12), (x, y)
        checked += 1
    assert checked > 40


@pytest.mark.parametrize("values", [[3.0, 1.0, 2.0], [1.0, 1.0, 1.0], [2.0, 1.0, 2.0, 3.0, 1.0],
                                    [0.5], list(np.random.default_rng(7).integers(0, 5, 200))])
def test_average_ranks_match_scipy(values):
    from vises_nb.analysis.stats import average_ranks

    assert np.allclose(average_ranks(np.asarray(values, dtype=float)), sps.rankdata(values))


def test_wilcoxon_p_values_match_scipy_on_many_random_samples():
    """Every path (exact, sign flip, normal approximation with ties and zeros) against
    scipy on 300 samples of 2 to 70 pairs, continuous and Likert."""
    rng = np.random.default_rng(2018)
    checked = 0
    for _ in range(300):
        n = int(rng.integers(2, 71))
        if rng.random() < 0.5:
            x = rng.normal(10, 3, n)
            y = x + rng.normal(rng.normal(0, 1), 2, n)
        else:
            x = rng.integers(1, 6, n)
            y = np.clip(x + rng.integers(-2, 3, n), 1, 5)
        res = vs.wilcoxon_signed_rank(x, y)
        if not res.enough_data:
            continue
        oracle = sps.wilcoxon(y, x, zero_method="wilcox", correction=False,
                              alternative="two-sided", method="auto")
        assert res.p_value == pytest.approx(float(oracle.pvalue), rel=1e-9, abs=1e-15), (n, x, y)
        assert res.statistic == pytest.approx(float(oracle.statistic))
        checked += 1
    assert checked > 250


# ------------------------------------------------------------------------ multiplicity


@given(st.lists(st.one_of(st.floats(0, 1), st.none()), min_size=0, max_size=40))
def test_benjamini_hochberg_matches_statsmodels(p_values):
    from statsmodels.stats.multitest import multipletests

    got = vs.benjamini_hochberg(p_values)
    present = [p for p in p_values if p is not None]
    assert np.isnan(got[[p is None for p in p_values]]).all() if p_values else True
    if present:
        _, oracle, _, _ = multipletests(present, method="fdr_bh")
        assert got[[p is not None for p in p_values]] == pytest.approx(oracle)


def test_benjamini_hochberg_hand_computed():
    # 0.01 × 4/1, 0.02 × 4/2, 0.03 × 4/3, 0.5 × 4/4 then running minimum from the top
    assert vs.benjamini_hochberg([0.02, 0.5, 0.01, 0.03]).tolist() == pytest.approx(
        [0.04, 0.5, 0.04, 0.04])


@pytest.mark.parametrize("m", range(1, 9))
def test_smallest_p_value_is_what_the_exact_tests_reach_when_everyone_moves_one_way(m):
    assert vs.smallest_p_value(m) == pytest.approx(sps.binomtest(0, m, 0.5).pvalue)
    wilcoxon = sps.wilcoxon(np.arange(1, m + 1), method="exact").pvalue if m > 0 else 1.0
    assert vs.smallest_p_value(m) == pytest.approx(wilcoxon)
    assert vs.can_be_significant(m) == (m >= 6)

"""Cronbach's alpha and the numeric fast paths of vises_nb.analysis.stats, checked by hand and
against the careful per-value path and scipy/statsmodels."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps
from statsmodels.stats.proportion import proportion_confint

from vises_nb.analysis import stats as vs

# Four people, three items: totals 6, 9, 8, 12 (hand-checked).
TABLE = [[1, 2, 3], [2, 3, 4], [3, 3, 2], [4, 4, 4]]


def test_cronbach_alpha_hand_computed():
    # item variances (ddof=1): 5/3, 2/3, 11/12 → sum 3.25; variance of totals 6, 9, 8, 12 = 6.25
    result = vs.cronbach_alpha(TABLE)
    assert result.n == 4 and result.k == 3 and result.enough_data
    assert result.alpha == pytest.approx(1.5 * (1 - 3.25 / 6.25))  # 0.72


def test_cronbach_alpha_matches_the_covariance_formula():
    rng = np.random.default_rng(3)
    latent = rng.normal(size=60)
    items = np.column_stack([latent + rng.normal(scale=s, size=60) for s in (0.5, 0.8, 1, 1.2)])
    cov = np.cov(items, rowvar=False)
    k = cov.shape[0]
    mean_cov = (cov.sum() - np.trace(cov)) / (k * (k - 1))
    mean_var = np.trace(cov) / k
    expected = k * mean_cov / (mean_var + (k - 1) * mean_cov)
    assert vs.cronbach_alpha(items).alpha == pytest.approx(expected)


def test_cronbach_alpha_drops_incomplete_rows_and_says_when_it_cannot():
    with_gap = [*TABLE, [1, None, 2]]
    assert vs.cronbach_alpha(np.array(with_gap, dtype=float)).alpha == pytest.approx(0.72)
    assert vs.cronbach_alpha(np.empty((0, 3))).reason == "no_data"
    assert vs.cronbach_alpha([[1, 2, 3]]).reason == "too_few"  # n = 1
    assert vs.cronbach_alpha([[1], [2], [3]]).reason == "too_few"  # one item
    same = vs.cronbach_alpha([[2, 2], [2, 2], [2, 2]])
    assert same.reason == "no_variance" and same.alpha is None
    assert vs.cronbach_alpha([[1, 5], [5, 2], [3, 3]]).alpha < 0  # items that disagree
    with pytest.raises(ValueError, match="2-D"):
        vs.cronbach_alpha([1, 2, 3])
    with pytest.raises(ValueError, match="infinite"):
        vs.cronbach_alpha([[1, 2], [np.inf, 2]])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from([0, 1])), max_size=40))
def test_proportion_fast_path_equals_the_per_value_path(values):
    array = np.array([np.nan if v is None else v for v in values], dtype=float)
    assert vs.proportion(array) == vs.proportion(list(values))
    assert vs.proportion(pd.Series(array)) == vs.proportion(list(values))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(1, 5)), max_size=40))
def test_likert_and_mean_fast_paths_equal_the_per_value_path(values):
    array = np.array([np.nan if v is None else v for v in values], dtype=float)
    assert vs.likert_summary(array) == vs.likert_summary(list(values))
    slow, fast = vs.mean_interval(list(values)), vs.mean_interval(array)
    assert slow == fast


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.none(), st.integers(0, 1)),
                          st.one_of(st.none(), st.integers(0, 1))), max_size=40))
def test_paired_fast_paths_equal_the_per_value_path(pairs):
    before = [p[0] for p in pairs]
    after = [p[1] for p in pairs]
    as_array = [np.array([np.nan if v is None else v for v in side], dtype=float)
                for side in (before, after)]
    assert vs.mcnemar(*as_array) == vs.mcnemar(before, after)
    assert vs.wilcoxon_signed_rank(*as_array) == vs.wilcoxon_signed_rank(before, after)


def test_fast_paths_refuse_what_the_careful_path_refuses():
    with pytest.raises(ValueError, match="yes/no"):
        vs.proportion(np.array([0.0, 1.0, 2.0]))
    with pytest.raises(ValueError, match="Likert value"):
        vs.likert_summary(np.array([1.0, 6.0]))
    with pytest.raises(ValueError, match="Likert value"):
        vs.likert_summary(np.array([1.5, 2.0]))
    with pytest.raises(ValueError, match="infinite"):
        vs.mean_interval(np.array([1.0, np.inf]))
    with pytest.raises(ValueError, match="infinite"):
        vs.wilcoxon_signed_rank(np.array([1.0, 2.0]), np.array([np.inf, 1.0]))


def test_large_arrays_match_the_oracles():
    rng = np.random.default_rng(11)
    yes = rng.integers(0, 2, size=200_000).astype(float)
    yes[::97] = np.nan
    kept = yes[~np.isnan(yes)]
    result = vs.proportion(yes)
    low, high = proportion_confint(int(kept.sum()), len(kept), method="wilson")
    assert result.n == len(kept) and result.low == pytest.approx(low)
    assert result.high == pytest.approx(high)
    before = rng.integers(5, 21, size=50_000).astype(float)
    after = np.clip(before + rng.integers(-2, 4, size=50_000), 5, 20).astype(float)
    test = vs.wilcoxon_signed_rank(before, after)
    expected = sps.wilcoxon(after, before, zero_method="wilcox", correction=False)
    assert test.p_value == pytest.approx(expected.pvalue, abs=1e-12)
    assert test.n_paired == 50_000 and not math.isnan(test.effect_size)


def test_reliable_change_on_arrays_matches_the_hand_formula():
    change = vs.reliable_change(np.array([10.0, 12.0, np.nan]), np.array([16.0, 11.0, 9.0]),
                                sd_baseline=2.0, reliability=0.8)
    se_diff = 2.0 * math.sqrt(2) * math.sqrt(0.2)
    assert change.rcis == pytest.approx((6 / se_diff, -1 / se_diff))
    assert change.classes == ("improved", "unchanged") and change.positions == (0, 1)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-5, 5), max_size=50))
def test_distinct_equals_numpy_unique(values):
    array = np.array(values, dtype=np.int64)
    assert vs.distinct(array).tolist() == np.unique(array).tolist()

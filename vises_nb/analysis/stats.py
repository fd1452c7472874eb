"""Small-sample statistics for social-impact evaluation.

Why this module exists: the surveys of social-economy enterprises are small (often a
few dozen respondents, sometimes the whole population), so every published figure must
carry its uncertainty and its n, and must never be computed in a way that quietly lies:

* a proportion comes with its Wilson 95% interval and its n, never as a bare %;
* a single Likert item is ordinal: distribution, median, top-2-box share, never a mean;
* a composite score (e.g. a well-being index /20) gets a mean with a Student t interval;
* change over time uses the respondents present in both waves (paired): McNemar for
  yes/no, Wilcoxon signed-rank for ordinal items and scores, each with an effect size;
* the reliable change index (Jacobson & Truax, 1991) classifies each person when the
  reliability of the scale is known;
* the finite-population correction (FPC) is applied when n/N >= 5%;
* small cells (fewer than 5 respondents by default) are suppressed.

All functions are pure: no I/O, no global state. Inputs are array-likes (lists, tuples,
numpy arrays, pandas Series); ``None``, ``NaN`` and ``pandas.NA`` are treated as missing
and dropped (pairwise, for paired tests). Pandas Series are read by position, not by
index label. Results are frozen dataclasses holding plain Python ``int``/``float``/
``bool`` values, with ``None`` (never NaN) where a value cannot be computed. Too little
data never raises: the result has ``enough_data=False`` and a short machine-readable
``reason`` ("no_data", "too_few", "no_discordant_pairs", "all_ties"). Invalid input
(impossible counts, out-of-range values, bad parameters) raises ``ValueError``.
"""

from __future__ import annotations

import functools
import math
import numbers
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats as _sps

__all__ = [
    "FPC_MIN_SAMPLING_FRACTION",
    "RCI_THRESHOLD",
    "LikertSummary",
    "MeanEstimate",
    "PairedTest",
    "Proportion",
    "Reliability",
    "ReliableChange",
    "cronbach_alpha",
    "fpc_factor",
    "likert_summary",
    "mcnemar",
    "mean_interval",
    "proportion",
    "reliable_change",
    "suppress",
    "wilcoxon_signed_rank",
    "wilson",
]

#: The FPC is applied only when the sample is at least this share of the population:
#: below it the correction is negligible and the population size is often uncertain.
FPC_MIN_SAMPLING_FRACTION = 0.05

#: Jacobson–Truax cut-off: |RCI| > 1.96 is a change unlikely (p < .05) to be measurement
#: error alone.
RCI_THRESHOLD = 1.96

#: Below this number of discordant pairs McNemar uses the exact binomial test
#: (the chi-square approximation is poor for small b + c).
MCNEMAR_EXACT_BELOW = 25


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Proportion:
    """A share with its Wilson interval and its n (a bare % is never published)."""

    n: int
    successes: int
    p: float | None
    low: float | None
    high: float | None
    confidence: float
    fpc_applied: bool
    enough_data: bool
    reason: str | None


@dataclass(frozen=True)
class LikertSummary:
    """Ordinal summary of one Likert item: distribution, median, top/bottom-2 boxes."""

    n: int
    points: int
    counts: tuple[int, ...]
    shares: tuple[float, ...] | None
    median: float | None
    top2: Proportion
    bottom2: Proportion
    enough_data: bool
    reason: str | None


@dataclass(frozen=True)
class MeanEstimate:
    """Mean of a composite score with its Student t interval."""

    n: int
    mean: float | None
    sd: float | None
    low: float | None
    high: float | None
    confidence: float
    fpc_applied: bool
    enough_data: bool
    reason: str | None


@dataclass(frozen=True)
class PairedTest:
    """Result of a paired before/after test on the respondents present in both waves.

    ``n_changed`` is the number of pairs that carry information: the discordant pairs
    (b + c) for McNemar, the non-zero differences for Wilcoxon. ``b`` and ``c`` are
    only set for McNemar. ``method`` says which computation produced the p-value.
    """

    test: str
    n_paired: int
    n_changed: int
    statistic: float | None
    p_value: float | None
    effect_size: float | None
    effect_size_name: str
    before_value: float | None
    after_value: float | None
    method: str | None
    enough_data: bool
    reason: str | None
    b: int | None = None
    c: int | None = None
    n_up: int | None = None
    n_down: int | None = None


@dataclass(frozen=True)
class ReliableChange:
    """Jacobson–Truax reliable change index for each complete pair.

    ``rcis`` and ``classes`` are in input order over the complete pairs only;
    ``positions`` gives each one's 0-based position in the input, to map back to people.
    """

    n_paired: int
    improved: int
    deteriorated: int
    unchanged: int
    rcis: tuple[float, ...]
    classes: tuple[str, ...]
    positions: tuple[int, ...]
    se_diff: float
    threshold: float
    higher_is_better: bool
    enough_data: bool
    reason: str | None


# --------------------------------------------------------------------------- helpers


def _check_confidence(confidence: float) -> float:
    confidence = float(confidence)
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be strictly between 0 and 1, got {confidence!r}")
    return confidence


@functools.lru_cache(maxsize=64)
def _z(confidence: float) -> float:
    """Two-sided normal critical value (computed like statsmodels: isf(alpha/2)); cached,
    as a cohort asks for the same few hundreds of times."""
    return float(_sps.norm.isf((1.0 - confidence) / 2.0))


def _as_count(value: Any, name: str) -> int:
    if isinstance(value, bool | np.bool_):
        # ValueError, not TypeError: every invalid input of this module is a ValueError.
        raise ValueError(f"{name} must be an integer count, got a boolean")  # noqa: TRY004
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real) and float(value).is_integer():
        return int(value)
    raise ValueError(f"{name} must be an integer count, got {value!r}")


def _is_missing(value: Any) -> bool:
    """None, NaN (float or numpy), pandas.NA and NaT are missing; anything else is data."""
    if value is None:
        return True
    if isinstance(value, float | np.floating):
        return math.isnan(value)
    return type(value).__name__ in ("NAType", "NaTType")


def _as_objects(values: Any, name: str) -> np.ndarray:
    """Flat object array from any 1-D array-like; pandas Series are read by position."""
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
        raise TypeError(f"{name} must be a 1-D array-like of values, got {type(values).__name__}")
    if hasattr(values, "to_numpy"):
        arr = np.asarray(values.to_numpy(dtype=object), dtype=object)
    elif isinstance(values, np.ndarray):
        arr = values.astype(object)
    else:
        items = list(values)
        arr = np.empty(len(items), dtype=object)
        for i, item in enumerate(items):
            arr[i] = item
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    return arr


def _to_float(value: Any, name: str) -> float:
    if isinstance(value, str | bytes):
        raise ValueError(f"{name}: non-numeric value {value!r}")  # noqa: TRY004
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: non-numeric value {value!r}") from None
    if not math.isfinite(out):
        raise ValueError(f"{name}: infinite value {value!r}")
    return out


def _to_binary(value: Any, name: str) -> int:
    if isinstance(value, bool | np.bool_):
        return int(bool(value))
    out = _to_float(value, name)
    if out not in (0.0, 1.0):
        raise ValueError(f"{name}: {value!r} is not a yes/no value (expected bool or 0/1)")
    return int(out)


def _numeric_array(values: Any) -> np.ndarray | None:
    """A float array (NaN = missing) when the input is already a numeric array, else None.

    Why: cohort-wide results pass hundreds of thousands of values; checking them one by
    one in Python costs seconds, while numeric arrays can be checked all at once. Booleans
    and object arrays take the careful per-value path.
    """
    dtype = getattr(values, "dtype", None)
    if not isinstance(dtype, np.dtype) or dtype.kind not in "fiu":
        return None
    arr = np.asarray(values.to_numpy() if hasattr(values, "to_numpy") else values, dtype=float)
    return arr if arr.ndim == 1 else None


def distinct(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values of a 1-D array.

    Why not np.unique: numpy 2.4's default hash-based unique takes seconds on a million
    integers, where one sort and a comparison take a fraction of a second.
    """
    ordered = np.sort(np.asarray(values), kind="stable")
    if len(ordered) == 0:
        return ordered
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def _check_finite(arr: np.ndarray, name: str) -> np.ndarray:
    if not np.isfinite(arr).all():
        raise ValueError(f"{name}: infinite value {arr[~np.isfinite(arr)][0]!r}")
    return arr


def _check_binary(arr: np.ndarray, name: str) -> np.ndarray:
    bad = (arr != 0.0) & (arr != 1.0)
    if bad.any():
        raise ValueError(f"{name}: {arr[bad][0]!r} is not a yes/no value (expected bool or 0/1)")
    return arr.astype(int)


def _clean_numbers(values: Any, name: str = "values") -> list[float] | np.ndarray:
    arr = _numeric_array(values)
    if arr is not None:
        return _check_finite(arr[~np.isnan(arr)], name)
    return [_to_float(v, name) for v in _as_objects(values, name) if not _is_missing(v)]


def _clean_binary(values: Any, name: str = "values") -> list[int] | np.ndarray:
    arr = _numeric_array(values)
    if arr is not None:
        return _check_binary(arr[~np.isnan(arr)], name)
    return [_to_binary(v, name) for v in _as_objects(values, name) if not _is_missing(v)]


def _pairs(
    before: Any, after: Any, convert: Callable[[Any, str], Any]
) -> tuple[list[Any], list[Any], list[int]]:
    """Complete pairs only (a respondent missing in either wave is dropped)."""
    fast_b, fast_a = _numeric_array(before), _numeric_array(after)
    if fast_b is not None and fast_a is not None and len(fast_b) == len(fast_a):
        keep = ~np.isnan(fast_b) & ~np.isnan(fast_a)
        check = _check_binary if convert is _to_binary else _check_finite
        return (check(fast_b[keep], "before"), check(fast_a[keep], "after"),  # type: ignore[return-value]
                np.flatnonzero(keep).tolist())
    b_arr = _as_objects(before, "before")
    a_arr = _as_objects(after, "after")
    if len(b_arr) != len(a_arr):
        raise ValueError(
            f"before and after must have the same length (same respondents), "
            f"got {len(b_arr)} and {len(a_arr)}"
        )
    xs: list = []
    ys: list = []
    positions: list[int] = []
    for i, (x, y) in enumerate(zip(b_arr, a_arr, strict=True)):
        if _is_missing(x) or _is_missing(y):
            continue
        xs.append(convert(x, "before"))
        ys.append(convert(y, "after"))
        positions.append(i)
    return xs, ys, positions


# --------------------------------------------------------------------------- FPC


def fpc_factor(n: int, population: int | None) -> float:
    """Finite-population correction factor for a standard error.

    Why: when a sizeable share of a small population answered (e.g. 40 of 60 employees)
    the sampling uncertainty is smaller than the infinite-population formulas say.
    Returns Cochran's sqrt(1 - n/N) when ``population`` is given and n/N >= 5%,
    otherwise 1.0 (no correction). A census (n == N) gives 0.0. The same factor is used
    for means (with the n-1 sample SD, as Cochran's s^2/n * (1 - n/N)) and for shares
    (Wilson with an effective n), so every interval of a report is corrected alike.
    It assumes the people who did not answer are like those who did (non-response at
    random); reports say so where the correction is applied.
    """
    n = _as_count(n, "n")
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    if population is None:
        return 1.0
    population = _as_count(population, "population")
    if population < 1:
        raise ValueError(f"population must be >= 1, got {population}")
    if population < n:
        raise ValueError(f"population ({population}) cannot be smaller than n ({n})")
    if n / population < FPC_MIN_SAMPLING_FRACTION:
        return 1.0
    if n == population:
        return 0.0
    return math.sqrt(1.0 - n / population)


# --------------------------------------------------------------------------- proportions


def wilson(
    successes: int,
    n: int,
    confidence: float = 0.95,
    population: int | None = None,
) -> Proportion:
    """Wilson score interval for successes/n.

    Why Wilson: unlike the Wald interval it stays inside [0, 1] and keeps its coverage
    for small n and for shares near 0% or 100% (all-yes still gets a lower bound < 1).

    FPC: when ``population`` is given and n/N >= 5%, the Wilson formula is evaluated with
    the effective sample size n_eff = n / fpc**2 (fpc = sqrt(1 - n/N), Cochran), which
    shrinks the binomial variance p(1-p)/n by fpc**2 exactly as for a mean, while keeping
    Wilson's behaviour near 0 and 1. A census (n == N) gives a zero-width interval at p.
    Bounds are clipped to [0, 1]; with 0 successes low is exactly 0, with n successes
    high is exactly 1.
    """
    confidence = _check_confidence(confidence)
    successes = _as_count(successes, "successes")
    n = _as_count(n, "n")
    if n < 0 or successes < 0:
        raise ValueError(f"counts must be >= 0, got successes={successes}, n={n}")
    if successes > n:
        raise ValueError(f"successes ({successes}) cannot exceed n ({n})")
    fpc = fpc_factor(n, population)
    fpc_applied = fpc != 1.0
    if n == 0:
        return Proportion(
            n=0, successes=0, p=None, low=None, high=None, confidence=confidence,
            fpc_applied=False, enough_data=False, reason="no_data",
        )
    p = successes / n
    if fpc == 0.0:
        low = high = p
    else:
        n_eff = n / fpc**2
        z = _z(confidence)
        z2 = z * z
        denom = 1.0 + z2 / n_eff
        center = (p + z2 / (2.0 * n_eff)) / denom
        half = z * math.sqrt(p * (1.0 - p) / n_eff + z2 / (4.0 * n_eff**2)) / denom
        low = max(0.0, center - half)
        high = min(1.0, center + half)
        if successes == 0:
            low = 0.0
        if successes == n:
            high = 1.0
    return Proportion(
        n=n, successes=successes, p=float(p), low=float(low), high=float(high),
        confidence=confidence, fpc_applied=fpc_applied, enough_data=True, reason=None,
    )


def proportion(
    values: Any,
    confidence: float = 0.95,
    population: int | None = None,
) -> Proportion:
    """Share of "yes" among yes/no answers (bool or 0/1), missing answers dropped.

    Why: n is the number of people who actually answered, so the interval reflects the
    real information; any value other than yes/no/missing raises ValueError.
    """
    answers = _clean_binary(values)
    return wilson(int(np.sum(answers)), len(answers), confidence=confidence,
                  population=population)


# --------------------------------------------------------------------------- Likert


def likert_summary(values: Any, points: int = 5, confidence: float = 0.95,
                   population: int | None = None) -> LikertSummary:
    """Ordinal summary of a single Likert item (1..points), missing answers dropped.

    Why no mean: the distance between "agree" and "strongly agree" is not a number, so
    an item is described by its distribution, its median (which may be x.5 with an even
    n) and the top-2-box (values >= points-1) / bottom-2-box (values <= 2) shares, each
    with its Wilson interval (finite-population corrected like any share when
    ``population`` is given). ``points`` must be >= 4 so the two boxes do not overlap.
    Values that are not integers in 1..points raise ValueError naming the value.
    """
    points = _as_count(points, "points")
    if points < 4:
        raise ValueError(f"points must be >= 4 for top-2/bottom-2 boxes, got {points}")
    confidence = _check_confidence(confidence)
    answers: list[int] = []
    fast = _numeric_array(values)
    if fast is not None:
        fast = fast[~np.isnan(fast)]
        bad = (fast != np.round(fast)) | (fast < 1) | (fast > points)
        if bad.any():
            raise ValueError(f"Likert value {fast[bad][0]!r} is not an integer in 1..{points}")
    for v in _as_objects(values, "values") if fast is None else ():
        if _is_missing(v):
            continue
        bad = ValueError(f"Likert value {v!r} is not an integer in 1..{points}")
        if isinstance(v, bool | np.bool_):
            raise bad
        try:
            x = _to_float(v, "values")
        except ValueError:
            raise bad from None
        if not x.is_integer() or not 1 <= x <= points:
            raise bad
        answers.append(int(x))
    if fast is not None:
        answers_arr = fast.astype(int)
    else:
        answers_arr = np.asarray(answers, dtype=int)
    n = len(answers_arr)
    counts = tuple(int(c) for c in np.bincount(answers_arr, minlength=points + 1)[1:])
    top = sum(counts[points - 2:])
    bottom = counts[0] + counts[1]
    if population is not None and population < n:
        population = None
    top2 = wilson(top, n, confidence=confidence, population=population)
    bottom2 = wilson(bottom, n, confidence=confidence, population=population)
    if n == 0:
        return LikertSummary(
            n=0, points=points, counts=counts, shares=None, median=None,
            top2=top2, bottom2=bottom2, enough_data=False, reason="no_data",
        )
    return LikertSummary(
        n=n, points=points, counts=counts,
        shares=tuple(float(c / n) for c in counts),
        median=float(np.median(answers_arr)),
        top2=top2, bottom2=bottom2, enough_data=True, reason=None,
    )


# --------------------------------------------------------------------------- means


def mean_interval(
    values: Any,
    confidence: float = 0.95,
    population: int | None = None,
    bounds: tuple[float, float] | None = None,
) -> MeanEstimate:
    """Mean of a composite score with a Student t interval, missing values dropped.

    Why t: with small n the normal interval is too narrow. The standard error
    sd/sqrt(n) (sd with ddof=1) is multiplied by the FPC factor when n/N >= 5%, so a
    census (n == N) has a zero-width interval. Needs n >= 2 (otherwise enough_data is
    False: "no_data" for n=0, "too_few" for n=1, where only the mean is given).
    ``bounds`` (the scale's minimum and maximum, e.g. (5, 20)) clip the interval so it
    never leaves the scale. When every answer is the same (sd = 0) and not everyone was
    asked, a t interval would have zero width and claim certainty: no interval is given
    (reason "no_variance").
    """
    confidence = _check_confidence(confidence)
    xs = _clean_numbers(values)
    n = len(xs)
    fpc = fpc_factor(n, population)
    fpc_applied = fpc != 1.0
    if n == 0:
        return MeanEstimate(
            n=0, mean=None, sd=None, low=None, high=None, confidence=confidence,
            fpc_applied=False, enough_data=False, reason="no_data",
        )
    arr = np.asarray(xs, dtype=float)
    mean = float(arr.mean())
    if n == 1:
        return MeanEstimate(
            n=1, mean=mean, sd=None, low=None, high=None, confidence=confidence,
            fpc_applied=fpc_applied, enough_data=False, reason="too_few",
        )
    sd = float(arr.std(ddof=1))
    if sd == 0.0 and fpc != 0.0:
        return MeanEstimate(
            n=n, mean=mean, sd=sd, low=None, high=None, confidence=confidence,
            fpc_applied=fpc_applied, enough_data=True, reason="no_variance",
        )
    se = sd / math.sqrt(n) * fpc
    t_crit = float(_sps.t.ppf(1.0 - (1.0 - confidence) / 2.0, n - 1))
    half = t_crit * se
    low, high = float(mean - half), float(mean + half)
    if bounds is not None:
        low, high = max(low, float(bounds[0])), min(high, float(bounds[1]))
    return MeanEstimate(
        n=n, mean=mean, sd=sd, low=low, high=high,
        confidence=confidence, fpc_applied=fpc_applied, enough_data=True, reason=None,
    )


# --------------------------------------------------------------------------- paired tests


def mcnemar(before: Any, after: Any) -> PairedTest:
    """McNemar test for a yes/no answer given by the same respondents in two waves.

    Why: only people who changed their answer (b = yes->no, c = no->yes) carry
    information on change. With b + c < 25 the exact two-sided binomial test is used
    (statistic = min(b, c), p = min(1, 2 * Binom(b+c, 1/2).cdf(min(b, c))), as
    statsmodels ``mcnemar(exact=True)``); otherwise the chi-square test with continuity
    correction (statistic = (|b - c| - 1)**2 / (b + c), 1 df, as ``exact=False``).

    Effect size: the matched-pairs odds ratio c / b (> 1 means more people moved to
    "yes" than away from it). When b or c is 0 the plain ratio is 0 or infinite, so the
    Haldane-Anscombe corrected (c + 0.5) / (b + 0.5) is given instead (name
    "odds_ratio_haldane"): the strongest changes (everyone who moved moved one way) keep
    an effect size. ``before_value``/``after_value`` are the proportions of "yes" among
    the paired respondents. ``n_up`` = c and ``n_down`` = b.
    """
    xs, ys, _ = _pairs(before, after, _to_binary)
    n = len(xs)
    x_arr, y_arr = np.asarray(xs, dtype=int), np.asarray(ys, dtype=int)
    b = int(np.count_nonzero((x_arr == 1) & (y_arr == 0)))
    c = int(np.count_nonzero((x_arr == 0) & (y_arr == 1)))
    before_value = float(x_arr.sum() / n) if n else None
    after_value = float(y_arr.sum() / n) if n else None
    common: dict[str, Any] = {
        "test": "mcnemar", "n_paired": n, "n_changed": b + c,
        "effect_size_name": "odds_ratio_c_over_b",
        "before_value": before_value, "after_value": after_value, "b": b, "c": c,
        "n_up": c, "n_down": b,
    }
    if n == 0 or b + c == 0:
        return PairedTest(
            statistic=None, p_value=None, effect_size=None, method=None,
            enough_data=False, reason="no_data" if n == 0 else "no_discordant_pairs",
            **common,
        )
    if b + c < MCNEMAR_EXACT_BELOW:
        statistic = float(min(b, c))
        p_value = min(1.0, 2.0 * float(_sps.binom.cdf(min(b, c), b + c, 0.5)))
        method = "exact_binomial"
    else:
        statistic = (abs(b - c) - 1.0) ** 2 / (b + c)
        p_value = float(_sps.chi2.sf(statistic, 1))
        method = "chi2_continuity_corrected"
    if b > 0 and c > 0:
        effect = c / b
    else:
        effect = (c + 0.5) / (b + 0.5)
        common["effect_size_name"] = "odds_ratio_haldane"
    return PairedTest(
        statistic=float(statistic), p_value=float(p_value),
        effect_size=float(effect), method=method,
        enough_data=True, reason=None, **common,
    )


def _scipy_wilcoxon_method(d: np.ndarray) -> str:
    """Which computation scipy's method="auto" picks (mirrors scipy >= 1.15)."""
    if len(d) > 50:
        return "normal_approximation"
    nonzero = np.abs(d[d != 0])
    has_ties = len(distinct(nonzero)) < len(nonzero)
    if not has_ties and len(nonzero) == len(d):
        return "exact"
    if len(d) <= 13:
        return "permutation"
    return "normal_approximation"


def wilcoxon_signed_rank(before: Any, after: Any) -> PairedTest:
    """Wilcoxon signed-rank test for an ordinal item or a score measured twice.

    Why: it uses the size and sign of each person's change without assuming interval
    data or normality. Incomplete pairs are dropped; zero differences are discarded
    (Wilcoxon's method, scipy ``zero_method="wilcox"``). The p-value is scipy's
    ``wilcoxon(before, after, zero_method="wilcox", correction=False,
    alternative="two-sided", method="auto")``; the statistic is min(W+, W-).

    Effect size: the matched-pairs rank-biserial correlation
    r = (W+ - W-) / (W+ + W-) over the non-zero differences (after - before), from -1
    (everyone decreased) to +1 (everyone increased). ``before_value``/``after_value`` are
    the medians of the paired respondents.
    """
    xs, ys, _ = _pairs(before, after, _to_float)
    n = len(xs)
    x = np.asarray(xs, dtype=float)
    y = np.asarray(ys, dtype=float)
    d = y - x
    nonzero = d[d != 0]
    common: dict[str, Any] = {
        "test": "wilcoxon", "n_paired": n, "n_changed": len(nonzero),
        "n_up": int(np.count_nonzero(nonzero > 0)), "n_down": int(np.count_nonzero(nonzero < 0)),
        "effect_size_name": "rank_biserial",
        "before_value": float(np.median(x)) if n else None,
        "after_value": float(np.median(y)) if n else None,
    }
    reason = None
    if n == 0:
        reason = "no_data"
    elif n < 2:
        reason = "too_few"
    elif len(nonzero) == 0:
        reason = "all_ties"
    if reason is not None:
        return PairedTest(
            statistic=None, p_value=None, effect_size=None, method=None,
            enough_data=False, reason=reason, **common,
        )
    ranks = average_ranks(np.abs(nonzero))
    w_plus = float(ranks[nonzero > 0].sum())
    w_minus = float(ranks[nonzero < 0].sum())
    has_ties = len(distinct(np.abs(nonzero))) < len(nonzero)
    if (has_ties or len(nonzero) < n) and n <= 13:
        p_value = _sign_flip_p_value(ranks, nonzero > 0)
    elif n <= 50 and not has_ties and len(nonzero) == n:
        p_value = _exact_p_value(w_plus, n)
    else:
        p_value = _normal_p_value(w_plus, np.abs(nonzero))
    return PairedTest(
        statistic=float(min(w_plus, w_minus)),
        p_value=min(1.0, p_value) if math.isfinite(p_value) else None,
        effect_size=(w_plus - w_minus) / (w_plus + w_minus),
        method=_scipy_wilcoxon_method(d),
        enough_data=True, reason=None, **common,
    )


@functools.lru_cache(maxsize=64)
def _signed_rank_counts(n: int) -> np.ndarray:
    """How many of the 2^n sign patterns give each W+ from 0 to n(n+1)/2 (subset sums)."""
    counts = np.zeros(n * (n + 1) // 2 + 1)
    counts[0] = 1.0
    for rank in range(1, n + 1):
        counts[rank:] = counts[rank:] + counts[:-rank].copy()
    return counts


def _exact_p_value(w_plus: float, n: int) -> float:
    """Two-sided exact p-value of W+ without ties or zeros, as scipy's method="exact":
    2 * min(P(W >= floor(W+)), P(W <= ceil(W+)))."""
    pmf = _signed_rank_counts(n) / 2.0**n
    upper = float(pmf[math.floor(w_plus):].sum())
    lower = float(pmf[:math.ceil(w_plus) + 1].sum())
    return min(1.0, 2.0 * min(upper, lower))


def _normal_p_value(w_plus: float, magnitudes: np.ndarray) -> float:
    """Two-sided p-value of W+ from the normal approximation with the tie correction,
    no continuity correction (scipy's method="asymptotic", correction=False)."""
    m = len(magnitudes)
    _, ties = np.unique(magnitudes, return_counts=True)
    variance = (m * (m + 1.0) * (2.0 * m + 1.0) - float(np.sum(ties**3 - ties)) / 2.0) / 24.0
    if variance <= 0:
        return float("nan")
    z = (w_plus - m * (m + 1.0) / 4.0) / math.sqrt(variance)
    return math.erfc(abs(z) / math.sqrt(2.0))


def average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks from 1, ties sharing their average rank: scipy's rankdata(method="average")
    without its per-call argument checking (~2 ms a call, hundreds of calls a cohort)."""
    values = np.asarray(values)
    order = np.argsort(values, kind="mergesort")
    position = np.empty(order.size, dtype=np.intp)
    position[order] = np.arange(order.size)
    ordered = values[order]
    starts = np.r_[True, ordered[1:] != ordered[:-1]]
    group = starts.cumsum()[position]
    bounds = np.r_[np.nonzero(starts)[0], len(starts)]
    return 0.5 * (bounds[group] + bounds[group - 1] + 1)


def _sign_flip_p_value(ranks: np.ndarray, positive: np.ndarray) -> float:
    """Exact two-sided p-value of W+ over all 2^m sign flips of the non-zero differences.

    Why: with ties or zeros and at most 13 pairs scipy runs the same exact enumeration
    through its generic permutation test, ~1 s a call; this vectorised version gives the
    same p-value (checked against scipy in the tests) in about a millisecond.
    """
    m = len(ranks)
    observed = float(ranks[positive].sum())
    signs = (np.arange(2**m)[:, None] >> np.arange(m)) & 1
    null = signs @ ranks
    tolerance = abs(observed) * 1e-12
    upper = np.count_nonzero(null >= observed - tolerance) / null.size
    lower = np.count_nonzero(null <= observed + tolerance) / null.size
    return float(min(1.0, 2 * min(upper, lower)))


# --------------------------------------------------------------------------- reliable change


def reliable_change(
    before: Any,
    after: Any,
    sd_baseline: float,
    reliability: float,
    higher_is_better: bool = True,
) -> ReliableChange:
    """Jacobson–Truax reliable change index (RCI) for each person with both scores.

    Why: a group-level test says whether the average moved; the RCI says for whom the
    change exceeds what measurement error alone would produce.
    SE_diff = sd_baseline * sqrt(2) * sqrt(1 - reliability); RCI = (after - before) /
    SE_diff; |RCI| > 1.96 is reliable. With ``higher_is_better`` (default) RCI > 1.96 is
    "improved" and RCI < -1.96 "deteriorated"; set it to False for scales where lower
    is better (e.g. distress). ``sd_baseline`` must be > 0 and 0 < reliability < 1.
    """
    sd = _to_float(sd_baseline, "sd_baseline")
    rel = _to_float(reliability, "reliability")
    if not sd > 0:
        raise ValueError(f"sd_baseline must be > 0, got {sd_baseline!r}")
    if not 0.0 < rel < 1.0:
        raise ValueError(f"reliability must be strictly between 0 and 1, got {reliability!r}")
    xs, ys, positions = _pairs(before, after, _to_float)
    se_diff = sd * math.sqrt(2.0) * math.sqrt(1.0 - rel)
    diffs = np.asarray(ys, dtype=float) - np.asarray(xs, dtype=float)
    rcis = tuple(float(r) for r in diffs / se_diff)
    sign = 1.0 if higher_is_better else -1.0
    classes = tuple(
        "improved" if sign * r > RCI_THRESHOLD
        else "deteriorated" if sign * r < -RCI_THRESHOLD
        else "unchanged"
        for r in rcis
    )
    n = len(rcis)
    return ReliableChange(
        n_paired=n,
        improved=classes.count("improved"),
        deteriorated=classes.count("deteriorated"),
        unchanged=classes.count("unchanged"),
        rcis=rcis, classes=classes, positions=tuple(positions),
        se_diff=float(se_diff), threshold=RCI_THRESHOLD, higher_is_better=bool(higher_is_better),
        enough_data=n > 0, reason=None if n > 0 else "no_data",
    )


# --------------------------------------------------------------------------- reliability


@dataclass(frozen=True)
class Reliability:
    """Cronbach's alpha of a multi-item scale on the people who answered every item."""

    n: int
    k: int
    alpha: float | None
    enough_data: bool
    reason: str | None


def cronbach_alpha(items: Any) -> Reliability:
    """Cronbach's alpha of a persons × items table (rows with a missing item dropped).

    Why: the reliable change index needs the scale's reliability; computed at baseline
    on the enterprise's own respondents it reflects how consistently this group
    answered, not a figure borrowed from another population.
    alpha = k / (k - 1) * (1 - sum of item variances / variance of the total), variances
    with ddof=1. Needs k >= 2 items and n >= 2 complete rows ("too_few"), and a total
    score that varies ("no_variance"); alpha can be negative when items disagree.
    """
    arr = np.asarray(items, dtype=float)
    if arr.ndim != 2:
        raise ValueError(f"items must be a 2-D persons × items table, got shape {arr.shape}")
    complete = arr[~np.isnan(arr).any(axis=1)]
    _check_finite(complete.ravel(), "items")
    n, k = complete.shape
    if n == 0:
        return Reliability(n=0, k=k, alpha=None, enough_data=False, reason="no_data")
    if k < 2 or n < 2:
        return Reliability(n=n, k=k, alpha=None, enough_data=False, reason="too_few")
    total_variance = float(complete.sum(axis=1).var(ddof=1))
    if total_variance == 0.0:
        return Reliability(n=n, k=k, alpha=None, enough_data=False, reason="no_variance")
    item_variances = float(complete.var(axis=0, ddof=1).sum())
    alpha = k / (k - 1) * (1.0 - item_variances / total_variance)
    return Reliability(n=n, k=k, alpha=float(alpha), enough_data=True, reason=None)


# --------------------------------------------------------------------------- disclosure


def suppress(n: int, threshold: int = 5) -> bool:
    """True when a figure based on ``n`` respondents must not be published.

    Why: in small structures a cell with 1-4 people can identify them. The rule is
    simply n < threshold, 0 included: a figure on 0 respondents discloses nobody but
    says nothing either (the statistics report it as "no_data"), so it is withheld too.
    ``threshold`` must be >= 3 (a lower threshold would not protect anyone).
    """
    n = _as_count(n, "n")
    threshold = _as_count(threshold, "threshold")
    if threshold < 3:
        raise ValueError(f"threshold must be >= 3, got {threshold}")
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    return n < threshold


# --------------------------------------------------------------------------- multiplicity


def smallest_p_value(n_changed: int) -> float:
    """The smallest two-sided p-value a paired test can reach with `n_changed` informative
    pairs (discordant pairs for McNemar, non-zero changes for Wilcoxon).

    Why: with few changes even "everyone moved the same way" is not significant (5 of 5:
    p = 2 × 0.5^5 = 0.0625); such a test cannot say "no significant difference", only
    "too few changes to test". Both exact tests reach at best 2 × 0.5^m.
    """
    m = _as_count(n_changed, "n_changed")
    if m < 0:
        raise ValueError(f"n_changed must be >= 0, got {m}")
    return min(1.0, 2.0 * 0.5**m)


def can_be_significant(n_changed: int, level: float = 0.05) -> bool:
    """Whether a paired test on `n_changed` informative pairs could ever give p < level."""
    return smallest_p_value(n_changed) < level


def benjamini_hochberg(p_values: Any) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (false discovery rate), in input order.

    Why: a cohort report counting "significant" changes over a hundred tests at 5 % would
    count about five by chance alone; counting those with an adjusted p < 0.05 keeps the
    expected share of false discoveries at 5 %. Same values as statsmodels'
    ``multipletests(p, method="fdr_bh")``. Missing p-values stay NaN and are not counted.
    """
    p = np.asarray([np.nan if _is_missing(v) else float(v) for v in _as_objects(p_values, "p")],
                   dtype=float)
    out = np.full(p.shape, np.nan)
    present = np.flatnonzero(~np.isnan(p))
    m = len(present)
    if m == 0:
        return out
    order = present[np.argsort(p[present], kind="mergesort")]
    ranked = p[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum(1.0, np.minimum.accumulate(ranked[::-1])[::-1])
    out[order] = adjusted
    return out

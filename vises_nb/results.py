"""Indicator results: one value per person, then per wave, then change between waves.

The statistic follows the indicator's kind (see catalogue): Wilson intervals for
proportions, distribution/median/top-2-box for a single Likert item (never its mean),
mean with interval for scores and numbers, McNemar or Wilcoxon on paired respondents for
change. Figures resting on fewer respondents than the suppression threshold are blanked
and flagged, so no caller can publish them by mistake.
"""

from __future__ import annotations

import math

import pandas as pd

from . import stats
from .catalogue import BY_CODE, CatalogueIndicator

DEFAULT_MIN_RESPONDENTS = 5
RESULT_COLUMNS = [
    "enterprise_id", "indicator_id", "indicator_code", "kind", "wave", "n", "eligible",
    "statistic", "value", "low", "high", "top2", "top2_low", "top2_high", "fpc_applied",
    "suppressed", "enough_data", "reason",
]
CHANGE_COLUMNS = [
    "enterprise_id", "indicator_id", "indicator_code", "kind", "from_wave", "to_wave",
    "n_from", "n_paired", "attrition", "test", "statistic", "p_value", "effect_size",
    "effect_size_name", "before", "after", "suppressed", "enough_data", "reason",
]
WAVE_ORDER = ("T0", "T1", "T2")


def kind_of(indicator_code: str) -> str:
    """The kind of a catalogue indicator; indicators defined by hand default to 'number'."""
    entry = BY_CODE.get(indicator_code)
    return entry.kind if entry else "number"


def person_values(answers: pd.DataFrame) -> pd.DataFrame:
    """One value per (indicator, wave, respondent).

    A score is the sum of its items, reversed items counted as k+1-answer, and exists
    only when every item was answered (a partial sum would bias the score down).
    """
    columns = ["indicator_id", "wave", "respondent_id", "value", "eligible"]
    if answers.empty:
        return pd.DataFrame(columns=columns)
    data = answers.dropna(subset=["value", "indicator_id"]).copy()
    if data.empty:
        return pd.DataFrame(columns=columns)
    points = data["scale"].map({"likert5": 5, "frequency4": 4, "network3": 3, "yes_no": 1})
    reversed_value = (points + 1) - data["value"]
    data["score"] = data["value"].where(~data["reverse"].astype(bool), reversed_value)
    grouped = data.groupby(["indicator_id", "wave", "respondent_id"], sort=True)
    frame = grouped.agg(value=("score", "sum"), n_items=("item_id", "nunique"),
                        eligible=("eligible", "first")).reset_index()
    expected = data.groupby("indicator_id")["item_id"].nunique().rename("n_expected")
    frame = frame.merge(expected, on="indicator_id")
    frame = frame[frame["n_items"] == frame["n_expected"]]
    return frame[columns].reset_index(drop=True)


def _population(eligible: object) -> int | None:
    if eligible is None or (isinstance(eligible, float) and math.isnan(eligible)):
        return None
    return int(eligible) if int(eligible) > 0 else None


def wave_result(values: pd.Series, kind: str, population: int | None,
                min_respondents: int = DEFAULT_MIN_RESPONDENTS,
                entry: CatalogueIndicator | None = None) -> dict[str, object]:
    """The figure of one indicator at one wave, suppressed below `min_respondents`."""
    values = values.dropna()
    n = len(values)
    if population is not None and population < n:
        population = None  # an eligible count below the answers is wrong: do not correct
    row: dict[str, object] = {"n": n, "eligible": population, "top2": None, "top2_low": None,
                              "top2_high": None, "fpc_applied": False}
    if kind == "proportion":
        est = stats.proportion(values, population=population)
        row.update(statistic="proportion", value=est.p, low=est.low, high=est.high,
                   fpc_applied=est.fpc_applied, enough_data=est.enough_data, reason=est.reason)
    elif kind == "likert":
        summary = stats.likert_summary(values.astype(int), points=5)
        row.update(statistic="median", value=summary.median, low=None, high=None,
                   enough_data=summary.enough_data, reason=summary.reason)
        row.update(top2=summary.top2.p, top2_low=summary.top2.low, top2_high=summary.top2.high)
    elif kind == "ordinal":
        row.update(statistic="median", value=float(values.median()) if n else None, low=None,
                   high=None, enough_data=n > 0, reason=None if n else "no_data")
    else:
        est = stats.mean_interval(values, population=population)
        row.update(statistic="mean", value=est.mean, low=est.low, high=est.high,
                   fpc_applied=est.fpc_applied, enough_data=est.enough_data, reason=est.reason)
    row["suppressed"] = stats.suppress(n, min_respondents)
    if row["suppressed"]:
        row.update(value=None, low=None, high=None, top2=None, top2_low=None, top2_high=None,
                   enough_data=False, reason=row["reason"] or "suppressed_small_n")
        if n > 0:
            row["reason"] = "suppressed_small_n"
    return row


def indicator_results(indicators: pd.DataFrame, answers: pd.DataFrame,
                      min_respondents: int = DEFAULT_MIN_RESPONDENTS) -> pd.DataFrame:
    """Per indicator and wave: n, the statistic, its interval; 'no_data' rows kept visible."""
    values = person_values(answers)
    waves = [w for w in WAVE_ORDER if w in set(answers.get("wave", pd.Series(dtype=str)))]
    rows = []
    for ind in indicators.itertuples(index=False):
        kind = kind_of(ind.code)
        own = values[values["indicator_id"] == ind.id]
        for wave in waves or ["T0"]:
            at_wave = own[own["wave"] == wave]
            eligible = _population(at_wave["eligible"].iloc[0]) if len(at_wave) else None
            result = wave_result(at_wave["value"], kind, eligible, min_respondents)
            rows.append({"enterprise_id": ind.enterprise_id, "indicator_id": ind.id,
                         "indicator_code": ind.code, "kind": kind, "wave": wave, **result})
    return pd.DataFrame(rows, columns=RESULT_COLUMNS)


def paired_change(before: pd.Series, after: pd.Series, kind: str) -> stats.PairedTest:
    """McNemar for yes/no, Wilcoxon signed-rank otherwise, on aligned respondents."""
    if kind == "proportion":
        return stats.mcnemar(before.to_numpy(), after.to_numpy())
    return stats.wilcoxon_signed_rank(before.to_numpy(), after.to_numpy())


def indicator_changes(indicators: pd.DataFrame, answers: pd.DataFrame,
                      min_respondents: int = DEFAULT_MIN_RESPONDENTS) -> pd.DataFrame:
    """Change from T0 to each later wave, on the respondents present in both."""
    values = person_values(answers)
    rows = []
    for ind in indicators.itertuples(index=False):
        kind = kind_of(ind.code)
        own = values[values["indicator_id"] == ind.id]
        wide = own.pivot_table(index="respondent_id", columns="wave", values="value",
                               aggfunc="first")
        if "T0" not in wide.columns:
            continue
        for later in ("T1", "T2"):
            if later not in wide.columns:
                continue
            n_from = int(wide["T0"].notna().sum())
            test = paired_change(wide["T0"], wide[later], kind)
            suppressed = stats.suppress(test.n_paired, min_respondents)
            rows.append({
                "enterprise_id": ind.enterprise_id, "indicator_id": ind.id,
                "indicator_code": ind.code, "kind": kind, "from_wave": "T0", "to_wave": later,
                "n_from": n_from, "n_paired": test.n_paired,
                "attrition": (1 - test.n_paired / n_from) if n_from else None,
                "test": test.test,
                "statistic": None if suppressed else test.statistic,
                "p_value": None if suppressed else test.p_value,
                "effect_size": None if suppressed else test.effect_size,
                "effect_size_name": test.effect_size_name,
                "before": None if suppressed else test.before_value,
                "after": None if suppressed else test.after_value,
                "suppressed": suppressed,
                "enough_data": test.enough_data and not suppressed,
                "reason": "suppressed_small_n" if suppressed and test.n_paired else test.reason,
            })
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS)


def likert_distribution(indicators: pd.DataFrame, answers: pd.DataFrame,
                        min_respondents: int = DEFAULT_MIN_RESPONDENTS) -> pd.DataFrame:
    """Counts and shares of each answer of single-item ordinal indicators, per wave.

    Waves with fewer respondents than the threshold are left out entirely.
    """
    columns = ["indicator_id", "indicator_code", "wave", "answer", "count", "share", "n"]
    values = person_values(answers)
    rows = []
    for ind in indicators.itertuples(index=False):
        kind = kind_of(ind.code)
        if kind not in ("likert", "ordinal"):
            continue
        points = 5 if kind == "likert" else 3
        own = values[values["indicator_id"] == ind.id]
        for wave, group in own.groupby("wave"):
            n = len(group)
            if stats.suppress(n, min_respondents):
                continue
            counts = group["value"].astype(int).value_counts()
            for answer in range(1, points + 1):
                count = int(counts.get(answer, 0))
                rows.append({"indicator_id": ind.id, "indicator_code": ind.code, "wave": wave,
                             "answer": answer, "count": count, "share": count / n, "n": n})
    return pd.DataFrame(rows, columns=columns)

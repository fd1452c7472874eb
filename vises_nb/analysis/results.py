"""Indicator results: one value per person, then per wave, then change between waves.

The statistic follows the indicator's kind (see catalogue): Wilson intervals for
proportions, distribution/median/top-2-box for a single Likert item (never its mean),
mean with interval for scores and numbers, McNemar or Wilcoxon on paired respondents for
change. Figures resting on fewer respondents than the suppression threshold are blanked
and flagged, so no caller can publish them by mistake.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from vises_nb.analysis import stats
from vises_nb.method.catalogue import BY_CODE, CatalogueIndicator

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
    "n_changed", "zeros", "polarity", "direction",
    # who moved which way: used by disclosure control, never published
    "n_up", "n_down",
]
#: Columns of a change row that disclosure control reads but never publishes.
PRIVATE_CHANGE_COLUMNS = ("n_up", "n_down")
WAVE_ORDER = ("T0", "T1", "T2")
SCALE_POINTS = {"likert5": 5, "frequency4": 4, "network3": 3, "yes_no": 1}


ORDERED_SCALES = ("likert5", "frequency4", "network3", "ordinal")
#: Kinds with no change to test between waves (an unordered list, or a sum of one).
UNTESTED_KINDS = ("nominal", "unscored")
#: Kinds whose answers are shown as a distribution (share of each answer).
DISTRIBUTION_KINDS = ("likert", "ordinal", "nominal")


def kind_of(indicator_code: str, scales: tuple[str, ...] = (), n_items: int = 0,
            points: int | None = None) -> str:
    """The kind of an indicator, which fixes its statistic.

    A catalogue indicator has its own kind. An indicator defined by hand takes it from
    its items' scale: one yes/no item is a proportion (Wilson interval), one Likert item
    is "likert" (distribution, median, top-2; never a mean), one frequency or network
    item is ordinal (median), one item of an enterprise's own ordered scale ("ordinal",
    `points` options) is "likert" with 4 options or more, else ordinal; several items of
    answer scales are a score; anything else (numbers typed in) is a number.
    One item of an unordered list ("nominal" scale: province, type of service) is
    "nominal": the share of each answer only (no median, top-2 box, mean or test). An
    indicator with several items one of which is unordered is "unscored": codes of an
    unordered list cannot be added up, so it gets no figure.
    """
    entry = BY_CODE.get(indicator_code)
    if entry is not None:
        return entry.kind
    scales = tuple(sorted(set(scales)))
    if "nominal" in scales:  # an unordered list: its shares only, never a median or a sum
        return "nominal" if scales == ("nominal",) and n_items <= 1 else "unscored"
    if len(scales) == 1 and (scales[0] in SCALE_POINTS or scales[0] == "ordinal"):
        if n_items <= 1:
            if scales[0] == "ordinal":
                return "likert" if (points or 0) >= 4 else "ordinal"
            return {"yes_no": "proportion", "likert5": "likert"}.get(scales[0], "ordinal")
        return "score"
    return "number"


def polarity_of(indicator_code: str, polarity: object = None) -> str:
    """Which way is better: the catalogue's polarity, else the indicator's own field."""
    entry = BY_CODE.get(indicator_code)
    if entry is not None:
        return entry.polarity
    return polarity if polarity in ("higher_better", "lower_better") else "higher_better"


def item_info(answers: pd.DataFrame) -> dict[object, tuple[tuple[str, ...], int]]:
    """Per indicator id: the scales of its items and how many items it has (defined items
    when the answers carry `defined_items`, else those answered)."""
    if answers.empty or "indicator_id" not in answers:
        return {}
    data = answers.dropna(subset=["indicator_id"])
    # the distinct (indicator, scale) pairs first: a Python function per indicator over
    # every answer cost seconds on a federation (5,000 indicators, 100,000 answers)
    found: dict[object, set[str]] = {}
    pairs = data[["indicator_id", "scale"]].dropna().drop_duplicates()
    for indicator_id, scale in zip(pairs["indicator_id"], pairs["scale"], strict=True):
        found.setdefault(indicator_id, set()).add(scale)
    if "defined_items" in data:
        counts = data.groupby("indicator_id")["defined_items"].max()
    else:
        counts = data.groupby("indicator_id")["item_id"].nunique()
    return {k: (tuple(sorted(found.get(k, ()))), int(counts[k])) for k in counts.index}


def _own_points(answers: pd.DataFrame) -> dict[object, int]:
    """Per indicator id: the options of its items' own ordered scale (column `points` of
    the joined answers, set for an enterprise's own scales), where there is one."""
    if answers.empty or "points" not in answers or "indicator_id" not in answers:
        return {}
    own = answers.dropna(subset=["indicator_id", "points"])
    return {k: int(v) for k, v in own.groupby("indicator_id")["points"].max().items()}


def indicator_kinds(indicators: pd.DataFrame, answers: pd.DataFrame
                    ) -> dict[object, tuple[str, int]]:
    """(kind, points) per indicator id: its kind (see `kind_of`) and the number of
    options of its ordered scale (5 for a catalogue Likert item; an own scale's options)."""
    info = item_info(answers)
    own_points = _own_points(answers)
    kinds = {}
    for ind in indicators.itertuples(index=False):
        scales, n_items = info.get(ind.id, ((), 0))
        points = own_points.get(ind.id)
        kind = kind_of(ind.code, scales, n_items, points)
        if points is None:
            default = 5 if kind == "likert" else 3
            points = max((SCALE_POINTS.get(s, default) for s in scales if s != "yes_no"),
                         default=default)
        kinds[ind.id] = (kind, int(points))
    return kinds


def kinds_of(indicators: pd.DataFrame, answers: pd.DataFrame) -> dict[object, str]:
    """Indicator id → kind (see `kind_of`), for every indicator of `indicators`."""
    return {k: kind for k, (kind, _) in indicator_kinds(indicators, answers).items()}


def scale_bounds(indicator_code: str, scales: tuple[str, ...], n_items: int,
                 points: int | None = None) -> tuple[float, float] | None:
    """The smallest and largest possible value of a score (so intervals stay on it)."""
    entry = BY_CODE.get(indicator_code)
    if entry is not None and entry.score_range is not None:
        return entry.score_range
    if len(set(scales)) == 1 and n_items > 0:
        top = SCALE_POINTS.get(scales[0]) or (points if scales[0] == "ordinal" else None)
        if top:
            low = 0 if scales[0] == "yes_no" else 1
            return (float(low * n_items), float(top * n_items))
    return None


def scored_answers(answers: pd.DataFrame) -> pd.DataFrame:
    """Answered items with their 'score': reversed items counted as k+1-answer."""
    data = answers.dropna(subset=["value", "indicator_id"])
    if data.empty:
        return data.assign(score=pd.Series(dtype=float))
    points = data["scale"].map(SCALE_POINTS)
    if "points" in data:  # an own ordered scale: its number of options
        points = points.fillna(data["points"])
    reversed_value = (points + 1) - data["value"]
    return data.assign(score=data["value"].where(~data["reverse"].astype(bool), reversed_value))


def person_values(answers: pd.DataFrame) -> pd.DataFrame:
    """One value per (indicator, wave, respondent).

    A score is the sum of its items, reversed items counted as k+1-answer, and exists
    only when every item was answered (a partial sum would bias the score down): every
    item *defined* for the indicator (column `defined_items` of the joined answers),
    not only those someone answered, so a 4-item sum is never published as the /20 index.
    Why integer keys: grouping a million rows on three string columns costs seconds;
    each column is factorised once and the groups found on one int64 key.
    """
    columns = ["indicator_id", "wave", "respondent_id", "value", "eligible"]
    if answers.empty:
        return pd.DataFrame(columns=columns)
    data = scored_answers(answers)
    if data.empty:
        return pd.DataFrame(columns=columns)
    ind_codes, ind_ids = pd.factorize(data["indicator_id"])
    wave_codes, wave_ids = pd.factorize(data["wave"], use_na_sentinel=False)
    person_codes, person_ids = pd.factorize(data["respondent_id"], use_na_sentinel=False)
    item_codes, item_ids = pd.factorize(data["item_id"], use_na_sentinel=False)
    n_waves, n_people, n_items = len(wave_ids), len(person_ids), len(item_ids)
    key = (ind_codes.astype(np.int64) * n_waves + wave_codes) * n_people + person_codes
    keys, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    item_key = key * n_items + item_codes
    distinct = stats.distinct(item_key)
    if len(distinct) == len(item_key):
        answered = np.bincount(inverse)
    else:  # the same item twice: count it once
        answered = np.bincount(np.searchsorted(keys, distinct // n_items), minlength=len(keys))
    pairs = stats.distinct(ind_codes.astype(np.int64) * n_items + item_codes)
    expected = np.bincount(pairs // n_items, minlength=len(ind_ids))
    if "defined_items" in data:
        defined = pd.to_numeric(data["defined_items"], errors="coerce").to_numpy(dtype=float)
        per_indicator = np.zeros(len(ind_ids))
        np.maximum.at(per_indicator, ind_codes, np.nan_to_num(defined))
        expected = np.maximum(expected, per_indicator.astype(np.int64))
    group_ind = keys // (n_waves * n_people)
    complete = answered == expected[group_ind]
    sums = np.bincount(inverse, weights=data["score"].to_numpy(dtype=float))
    keys, sums, first, group_ind = keys[complete], sums[complete], first[complete], group_ind[complete]
    frame = pd.DataFrame({
        "indicator_id": np.asarray(ind_ids, dtype=object)[group_ind],
        "wave": np.asarray(wave_ids, dtype=object)[(keys // n_people) % n_waves],
        "respondent_id": np.asarray(person_ids, dtype=object)[keys % n_people],
        "value": sums,
        "eligible": data["eligible"].to_numpy(dtype=object)[first],
    })
    return frame[columns]


def _population(eligible: object) -> int | None:
    if eligible is None or (isinstance(eligible, float) and math.isnan(eligible)):
        return None
    return int(eligible) if int(eligible) > 0 else None


def wave_result(values: pd.Series, kind: str, population: int | None,
                min_respondents: int = DEFAULT_MIN_RESPONDENTS,
                entry: CatalogueIndicator | None = None, points: int = 5,
                bounds: tuple[float, float] | None = None) -> dict[str, object]:
    """The figure of one indicator at one wave, suppressed below `min_respondents`.

    `points`: the number of options of a likert-kind item (5 for the catalogue's);
    `bounds` are the scale's limits for a mean (its interval never leaves them)."""
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
        summary = stats.likert_summary(values.astype(int), points=points, population=population)
        row.update(statistic="median", value=summary.median, low=None, high=None,
                   enough_data=summary.enough_data, reason=summary.reason)
        row.update(top2=summary.top2.p, top2_low=summary.top2.low, top2_high=summary.top2.high,
                   fpc_applied=summary.top2.fpc_applied)
    elif kind == "nominal":  # the shares are in the distribution table, nothing else
        row.update(statistic="distribution", value=None, low=None, high=None,
                   enough_data=n > 0, reason=None if n else "no_data")
    elif kind == "unscored":
        row.update(statistic="none", value=None, low=None, high=None, enough_data=False,
                   reason="nominal_not_scored")
    elif kind == "ordinal":
        row.update(statistic="median", value=float(values.median()) if n else None, low=None,
                   high=None, enough_data=n > 0, reason=None if n else "no_data")
    else:
        est = stats.mean_interval(values, population=population, bounds=bounds)
        row.update(statistic="mean", value=est.mean, low=est.low, high=est.high,
                   fpc_applied=est.fpc_applied, enough_data=est.enough_data, reason=est.reason)
    row["suppressed"] = stats.suppress(n, min_respondents)
    if row["suppressed"]:
        row.update(value=None, low=None, high=None, top2=None, top2_low=None, top2_high=None,
                   enough_data=False, reason=row["reason"] or "suppressed_small_n")
        if n > 0:
            row["reason"] = "suppressed_small_n"
    return row


def _positions(values: pd.DataFrame, keys: list[str]) -> dict[tuple, np.ndarray]:
    """Row positions of each group: one pass over the rows, whatever the indicator count."""
    if values.empty:
        return {}
    return {k if isinstance(k, tuple) else (k,): v
            for k, v in values.groupby(keys, sort=False, observed=True).indices.items()}


def _waves_of(answers: pd.DataFrame) -> dict[object, list[str]]:
    """The waves each enterprise has answers for (key None: all enterprises together)."""
    if "wave" not in answers or answers.empty:
        return {None: []}
    found: dict[object, list[str]] = {None: [w for w in WAVE_ORDER
                                             if w in set(answers["wave"].dropna().unique())]}
    if "enterprise_id" in answers:
        pairs = answers[["enterprise_id", "wave"]].drop_duplicates().dropna()
        for enterprise_id, own in pairs.groupby("enterprise_id")["wave"]:
            found[enterprise_id] = [w for w in WAVE_ORDER if w in set(own)]
    return found


def indicator_results(indicators: pd.DataFrame, answers: pd.DataFrame,
                      min_respondents: int = DEFAULT_MIN_RESPONDENTS,
                      values: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per indicator and wave: n, the statistic, its interval; 'no_data' rows kept visible.

    `values` may pass `person_values(answers)` already computed (the cohort reuses it).
    """
    values = person_values(answers) if values is None else values
    waves_of = _waves_of(answers)
    by_enterprise = "enterprise_id" in answers
    groups = _positions(values, ["indicator_id", "wave"])
    value_array = values["value"].to_numpy(dtype=float)
    eligible_array = values["eligible"].to_numpy(dtype=object)
    empty = np.array([], dtype=float)
    info = item_info(answers)
    kinds = indicator_kinds(indicators, answers)
    own_points = _own_points(answers)
    rows = []
    for ind in indicators.itertuples(index=False):
        kind, points = kinds[ind.id]
        scales, n_items = info.get(ind.id, ((), 0))
        bounds = scale_bounds(ind.code, scales, n_items, own_points.get(ind.id))
        waves = waves_of.get(ind.enterprise_id, []) if by_enterprise else waves_of[None]
        for wave in waves or ["T0"]:
            at = groups.get((ind.id, wave))
            eligible = _population(eligible_array[at[0]]) if at is not None else None
            result = wave_result(pd.Series(value_array[at] if at is not None else empty), kind,
                                 eligible, min_respondents, points=points, bounds=bounds)
            rows.append({"enterprise_id": ind.enterprise_id, "indicator_id": ind.id,
                         "indicator_code": ind.code, "kind": kind, "wave": wave, **result})
    return pd.DataFrame(rows, columns=RESULT_COLUMNS)


def paired_change(before: pd.Series, after: pd.Series, kind: str) -> stats.PairedTest:
    """McNemar for yes/no, Wilcoxon signed-rank otherwise, on aligned respondents."""
    if kind == "proportion":
        return stats.mcnemar(before.to_numpy(), after.to_numpy())
    return stats.wilcoxon_signed_rank(before.to_numpy(), after.to_numpy())


def _wide(values: pd.DataFrame) -> pd.DataFrame:
    """Person values as one row per (indicator, respondent) and one column per wave."""
    if values.empty:
        return pd.DataFrame(columns=list(WAVE_ORDER), index=pd.MultiIndex.from_arrays(
            [[], []], names=["indicator_id", "respondent_id"]))
    wide = values.set_index(["indicator_id", "respondent_id", "wave"])["value"].unstack("wave")
    return wide.reindex(columns=[w for w in WAVE_ORDER if w in wide.columns])


def indicator_changes(indicators: pd.DataFrame, answers: pd.DataFrame,
                      min_respondents: int = DEFAULT_MIN_RESPONDENTS,
                      values: pd.DataFrame | None = None) -> pd.DataFrame:
    """Change from T0 to each later wave, on the respondents present in both.

    `n_changed` is the number of pairs the test actually used: people whose answer
    changed (McNemar: discordant pairs; Wilcoxon: non-zero changes, zero changes being
    dropped as Wilcoxon's method does; `zeros` says how many). When even everyone moving
    the same way could not give p < 0.05 (5 or fewer changes) the test gives no verdict
    (reason "too_few_changes"). `direction` is "better", "worse" or "none", read from
    the effect size (rank-biserial r, or the odds ratio against 1) and the indicator's
    polarity, not from medians that often do not move.
    """
    wide = _wide(person_values(answers) if values is None else values)
    kinds = kinds_of(indicators, answers) if not answers.empty else {}
    groups = {k: v for k, v in wide.groupby(level="indicator_id", sort=False).indices.items()}
    columns = {w: wide[w].to_numpy(dtype=float) for w in wide.columns}
    rows = []
    for ind in indicators.itertuples(index=False):
        at = groups.get(ind.id)
        if at is None or "T0" not in columns:
            continue
        kind = kinds.get(ind.id) or kind_of(ind.code)
        if kind in UNTESTED_KINDS:  # an unordered list has no direction to test
            continue
        polarity = polarity_of(ind.code, getattr(ind, "polarity", None))
        t0 = columns["T0"][at]
        n_from = int(np.count_nonzero(~np.isnan(t0)))
        if n_from == 0:
            continue
        for later in ("T1", "T2"):
            if later not in columns or np.isnan(columns[later][at]).all():
                continue
            test = paired_change(pd.Series(t0), pd.Series(columns[later][at]), kind)
            suppressed = stats.suppress(test.n_paired, min_respondents)
            testable = test.enough_data and stats.can_be_significant(test.n_changed)
            reason = test.reason
            if test.enough_data and not testable:
                reason = "too_few_changes"
            rows.append({
                "enterprise_id": ind.enterprise_id, "indicator_id": ind.id,
                "indicator_code": ind.code, "kind": kind, "from_wave": "T0", "to_wave": later,
                "n_from": n_from, "n_paired": test.n_paired,
                "attrition": (1 - test.n_paired / n_from) if n_from else None,
                "test": test.test,
                "statistic": None if suppressed or not testable else test.statistic,
                "p_value": None if suppressed or not testable else test.p_value,
                "effect_size": None if suppressed else test.effect_size,
                "effect_size_name": test.effect_size_name,
                "before": None if suppressed else test.before_value,
                "after": None if suppressed else test.after_value,
                "suppressed": suppressed,
                "enough_data": testable and not suppressed,
                "reason": "suppressed_small_n" if suppressed and test.n_paired else reason,
                "n_changed": test.n_changed,
                "zeros": test.n_paired - test.n_changed,
                "polarity": polarity,
                "direction": None if suppressed else direction(test, polarity),
                "n_up": test.n_up, "n_down": test.n_down,
            })
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS)


def direction(test: stats.PairedTest, polarity: str) -> str | None:
    """"better", "worse" or "none" from a paired test's effect size and the polarity."""
    effect = test.effect_size
    if effect is None:
        return None if test.n_paired == 0 else "none"
    centre = 1.0 if test.test == "mcnemar" else 0.0
    if effect == centre:
        return "none"
    up = effect > centre
    return "better" if up == (polarity != "lower_better") else "worse"


def likert_distribution(indicators: pd.DataFrame, answers: pd.DataFrame,
                        min_respondents: int = DEFAULT_MIN_RESPONDENTS) -> pd.DataFrame:
    """Counts and shares of each answer of single-item ordinal (and unordered: "nominal")
    indicators, per wave; column `kind` says which.

    Waves with fewer respondents than the threshold are left out entirely.
    """
    columns = ["indicator_id", "indicator_code", "wave", "answer", "count", "share", "n",
               "kind"]
    found = indicator_kinds(indicators, answers)
    kinds = indicators.assign(kind=[found[i][0] for i in indicators["id"]],
                              points=[found[i][1] for i in indicators["id"]])
    kinds = kinds[kinds["kind"].isin(DISTRIBUTION_KINDS)]
    values = person_values(answers)
    values = values[values["indicator_id"].isin(kinds["id"])]
    if values.empty:
        return pd.DataFrame(columns=columns)
    counts = values.groupby(["indicator_id", "wave", values["value"].astype(int).rename("answer")],
                            observed=True).size().rename("count")
    n = values.groupby(["indicator_id", "wave"], observed=True).size().rename("n")
    n = n[n >= min_respondents] if min_respondents else n
    stats.suppress(0, min_respondents)  # validates the threshold
    rows = []
    for ind in kinds.itertuples(index=False):
        points = int(ind.points)
        for wave in WAVE_ORDER:
            total = n.get((ind.id, wave))
            if total is None:
                continue
            for answer in range(1, points + 1):
                count = int(counts.get((ind.id, wave, answer), 0))
                rows.append({"indicator_id": ind.id, "indicator_code": ind.code, "wave": wave,
                             "answer": answer, "count": count, "share": count / int(total),
                             "n": int(total), "kind": ind.kind})
    return pd.DataFrame(rows, columns=columns)


BREAKDOWN_COLUMNS = ["enterprise_id", "indicator_id", "indicator_code", "kind", "wave",
                     "breakdown", "group", "n", "statistic", "value", "low", "high", "top2",
                     "top2_low", "top2_high", "suppressed", "enough_data", "reason"]
NOT_STATED = "not_stated"


def _suppress_complementary(cells: list[dict], min_respondents: int) -> None:
    """Blank the next-smallest cell when exactly one cell of a breakdown is suppressed.

    Why: the whole-group figure is published, so a single blanked cell could be worked
    out from the total and the other cells (differencing). This is only a first pass:
    disclosure.protect_breakdown blanks the n of hidden cells and goes on until every
    hidden set is large enough, across the linked tables of the report.
    """
    present = [c for c in cells if c["n"] > 0]
    small = [c for c in present if c["n"] < min_respondents]
    if len(small) == 1 and len(present) > 1:
        shown = sorted((c for c in present if c["n"] >= min_respondents), key=lambda c: c["n"])
        next_smallest = shown[0]
        next_smallest.update(value=None, low=None, high=None, top2=None, top2_low=None,
                             top2_high=None, suppressed=True, enough_data=False,
                             reason="suppressed_complementary")


def indicator_breakdowns(indicators: pd.DataFrame, answers: pd.DataFrame, by: str,
                         min_respondents: int = DEFAULT_MIN_RESPONDENTS) -> pd.DataFrame:
    """Each indicator per wave and per group of `by` (e.g. sex, age_band), suppressed safely.

    A group with fewer than `min_respondents` people is blanked (value and n), and when
    that leaves a single blanked group the next-smallest one is blanked too. Respondents
    without the variable form a 'not_stated' group. No FPC: group populations are unknown.
    """
    stats.suppress(0, min_respondents)  # validates the threshold
    values = person_values(answers)
    if values.empty or by not in answers:
        return pd.DataFrame(columns=BREAKDOWN_COLUMNS)
    groups_of = answers.drop_duplicates("respondent_id").set_index("respondent_id")[by]
    values = values.assign(group=values["respondent_id"].map(groups_of).fillna(NOT_STATED))
    positions = _positions(values, ["indicator_id", "wave"])
    value_array = values["value"].to_numpy(dtype=float)
    group_array = values["group"].to_numpy(dtype=object)
    kinds = indicator_kinds(indicators, answers)
    rows = []
    for ind in indicators.itertuples(index=False):
        kind, points = kinds[ind.id]
        if kind in UNTESTED_KINDS:  # an unordered list's shares are not broken down
            continue
        for wave in WAVE_ORDER:
            at = positions.get((ind.id, wave))
            if at is None:
                continue
            cells = []
            for group in sorted(set(group_array[at]), key=str):
                own = value_array[at][group_array[at] == group]
                result = wave_result(pd.Series(own), kind, None, min_respondents, points=points)
                result.pop("eligible")
                result.pop("fpc_applied")
                cells.append({"enterprise_id": ind.enterprise_id, "indicator_id": ind.id,
                              "indicator_code": ind.code, "kind": kind, "wave": wave,
                              "breakdown": by, "group": group, **result})
            _suppress_complementary(cells, min_respondents)
            rows.extend(cells)
    frame = pd.DataFrame(rows, columns=BREAKDOWN_COLUMNS)
    frame["n"] = frame["n"].astype("Int64")
    return frame


RELIABLE_CHANGE_COLUMNS = ["enterprise_id", "indicator_id", "indicator_code", "from_wave",
                           "to_wave", "alpha", "alpha_n", "sd_baseline", "n_paired",
                           "improved", "unchanged", "deteriorated", "suppressed",
                           "enough_data", "reason"]


def scale_reliability(answers: pd.DataFrame, indicator_id: str,
                      wave: str = "T0") -> stats.Reliability:
    """Cronbach's alpha of a multi-item indicator on its respondents at `wave`."""
    data = scored_answers(answers)
    own = data[(data["indicator_id"] == indicator_id) & (data["wave"] == wave)]
    if own.empty:
        return stats.cronbach_alpha(np.empty((0, 2)))
    table = own.pivot_table(index="respondent_id", columns="item_id", values="score",
                            aggfunc="first")
    return stats.cronbach_alpha(table.to_numpy(dtype=float))


def person_reliable_change(indicators: pd.DataFrame, answers: pd.DataFrame,
                           min_respondents: int = DEFAULT_MIN_RESPONDENTS) -> pd.DataFrame:
    """Per person and period, the reliable change index of each multi-item score.

    The reliability is Cronbach's alpha at T0 on the enterprise's own respondents and the
    baseline SD that of the T0 scores. For the enterprise's own follow-up, not for
    publication: counts are published by `reliable_changes`.
    """
    columns = ["indicator_id", "from_wave", "to_wave", "respondent_id", "rci", "change",
               "alpha", "sd_baseline"]
    wide = _wide(person_values(answers))
    rows = []
    for ind in indicators.itertuples(index=False):
        entry = BY_CODE.get(ind.code)
        if entry is None or entry.kind != "score" or ind.id not in wide.index.get_level_values(0):
            continue
        own = wide.loc[ind.id]
        if "T0" not in own:
            continue
        reliability = scale_reliability(answers, ind.id)
        baseline = own["T0"].dropna()
        sd = float(baseline.std(ddof=1)) if len(baseline) > 1 else 0.0
        usable = (reliability.enough_data and 0 < (reliability.alpha or 0) < 1 and sd > 0
                  and reliability.n >= min_respondents)
        better_up = polarity_of(ind.code, getattr(ind, "polarity", None)) != "lower_better"
        for later in ("T1", "T2"):
            if later not in own or not usable:
                continue
            change = stats.reliable_change(own["T0"], own[later], sd, reliability.alpha,
                                           higher_is_better=better_up)
            people = own.index[list(change.positions)]
            for person, rci, cls in zip(people, change.rcis, change.classes, strict=True):
                rows.append({"indicator_id": ind.id, "from_wave": "T0", "to_wave": later,
                             "respondent_id": person, "rci": rci, "change": cls,
                             "alpha": reliability.alpha, "sd_baseline": sd})
    return pd.DataFrame(rows, columns=columns)


def reliable_changes(indicators: pd.DataFrame, answers: pd.DataFrame,
                     min_respondents: int = DEFAULT_MIN_RESPONDENTS) -> pd.DataFrame:
    """How many people improved, stayed or worsened reliably, per score and period.

    Scores whose reliability cannot be computed (too few complete T0 answers, no
    variance) get a row saying so; counts on fewer paired people than the threshold
    are suppressed. Cronbach's alpha itself rests on the T0 respondents: on fewer than
    the threshold it is neither published nor used (reason "suppressed_small_n").
    """
    people = person_reliable_change(indicators, answers, min_respondents)
    rows = []
    for ind in indicators.itertuples(index=False):
        entry = BY_CODE.get(ind.code)
        if entry is None or entry.kind != "score":
            continue
        reliability = scale_reliability(answers, ind.id)
        own = people[people["indicator_id"] == ind.id]
        alpha_hidden = stats.suppress(reliability.n, min_respondents)
        base = {"enterprise_id": ind.enterprise_id, "indicator_id": ind.id,
                "indicator_code": ind.code, "from_wave": "T0",
                "alpha": None if alpha_hidden else reliability.alpha,
                "alpha_n": None if alpha_hidden else reliability.n}
        if own.empty:
            reason = reliability.reason or "no_data"
            if alpha_hidden and reliability.n > 0:
                reason = "suppressed_small_n"
            rows.append({**base, "to_wave": None, "sd_baseline": None, "n_paired": 0,
                         "improved": None, "unchanged": None, "deteriorated": None,
                         "suppressed": True, "enough_data": False, "reason": reason})
            continue
        for later, period in own.groupby("to_wave", sort=True):
            n = len(period)
            suppressed = stats.suppress(n, min_respondents)
            counts = period["change"].value_counts()
            rows.append({**base, "to_wave": later, "sd_baseline": float(period["sd_baseline"].iloc[0]),
                         "n_paired": n,
                         **{k: None if suppressed else int(counts.get(k, 0))
                            for k in ("improved", "unchanged", "deteriorated")},
                         "suppressed": suppressed, "enough_data": not suppressed,
                         "reason": "suppressed_small_n" if suppressed else None})
    return pd.DataFrame(rows, columns=RELIABLE_CHANGE_COLUMNS)

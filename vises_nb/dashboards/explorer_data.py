"""Data for the cohort explorer, loaded lazily so the dashboard opens fast on big cohorts.

At start only the small tables are read (enterprises, step status, indicators). Answers
are read from the store one indicator at a time, when a researcher asks for it, and its
results across enterprises are computed once and cached: a filter change then only
filters a small table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import sqlalchemy as sa

from vises_nb.analysis import disclosure, stats
from vises_nb.analysis.cohort import CohortData, current_steps
from vises_nb.analysis.cohort_data import archived_ids
from vises_nb.analysis.results import DEFAULT_MIN_RESPONDENTS, RESULT_COLUMNS, kind_of, wave_result
from vises_nb.method.catalogue import BY_CODE
from vises_nb.store.store import Store

FILTERS = ("pole", "region", "step")


class CohortIndex:
    """The cohort's light tables and a cache of per-indicator results."""

    def __init__(self, store: Store, min_respondents: int = DEFAULT_MIN_RESPONDENTS):
        self.store = store
        self.min_respondents = min_respondents
        enterprises = store.frame("enterprises")
        archived = archived_ids(enterprises)  # left the cohort: out of its views
        enterprises = enterprises[~enterprises["id"].isin(archived)].reset_index(drop=True)
        self.status = store.frame("step_status")
        self.cohort = CohortData(enterprises, {"step_status": self.status})
        self.enterprises = enterprises[["id", "name", "pole", "region"]].copy()
        self.enterprises["step"] = current_steps(self.cohort).to_numpy()
        self.indicators = store.frame("indicators")
        self._results: dict[str, pd.DataFrame] = {}

    def select(self, pole: str | None = None, region: str | None = None,
               step: int | None = None) -> pd.DataFrame:
        """The enterprises matching the filters (None means any)."""
        frame = self.enterprises
        if pole:
            frame = frame[frame["pole"] == pole]
        if region:
            frame = frame[frame["region"] == region]
        if step:
            frame = frame[frame["step"] == int(step)]
        return frame

    def progress(self, chosen: pd.DataFrame, by: str = "pole") -> pd.DataFrame:
        """cohort.progress of the chosen enterprises (their current step is known already)."""
        return chosen.groupby([by, "step"]).size().rename("enterprises").reset_index()

    def filtered_cohort(self, chosen: pd.DataFrame) -> CohortData:
        """A CohortData restricted to the chosen enterprises (for progress views)."""
        ids = set(chosen["id"])
        full = self.cohort.enterprises
        return CohortData(full[full["id"].isin(ids)],
                          {"step_status": self.status[self.status["enterprise_id"].isin(ids)]})

    def indicator_codes(self, dimension: str | None = None) -> list[str]:
        """Indicator codes used by at least one enterprise, the most used first."""
        frame = self.indicators
        if dimension:
            frame = frame[frame["dimension"] == dimension]
        used = frame.groupby("code")["enterprise_id"].nunique()
        return sorted(used.index, key=lambda c: (c not in BY_CODE, -used[c], c))

    def results(self, code: str) -> pd.DataFrame:
        """Results of indicator `code` for every enterprise that uses it (cached)."""
        if code not in self._results:
            found = wave_results(self.store, self.indicators, code, self.min_respondents)
            self._results[code] = found.merge(
                self.enterprises.rename(columns={"id": "enterprise_id"}), on="enterprise_id")
        return self._results[code]


# Each person's value of one indicator at one wave, then how many people had each value:
# the same rules as results.person_values (reversed items count k+1-answer, a score exists
# only when every item defined was answered), computed by the database so that only a few hundred
# (value, count) rows reach Python even on a large cohort.
VALUE_COUNTS = sa.text("""
WITH answered AS (
    SELECT r.respondent_id, r.wave_id, r.item_id, i.indicator_id,
           CASE WHEN i.reverse THEN
                (CASE i.scale WHEN 'likert5' THEN 6 WHEN 'frequency4' THEN 5
                              WHEN 'network3' THEN 4 WHEN 'yes_no' THEN 2 END) - r.value
                ELSE r.value END AS score
    FROM responses r
    JOIN items i ON i.id = r.item_id
    WHERE r.value IS NOT NULL
      -- wave and item lists let the database use its (wave_id, item_id) index instead
      -- of reading every answer of the cohort
      AND r.wave_id IN (SELECT w.id FROM waves w WHERE w.enterprise_id IN
                        (SELECT enterprise_id FROM indicators WHERE code = :code))
      AND r.item_id IN (SELECT it.id FROM items it JOIN indicators d
                        ON d.id = it.indicator_id WHERE d.code = :code)
),
expected AS (
    -- every item defined for the indicator, not only those someone answered
    SELECT it.indicator_id, COUNT(*) AS n_items FROM items it
    WHERE it.indicator_id IN (SELECT id FROM indicators WHERE code = :code)
    GROUP BY it.indicator_id
),
people AS (
    SELECT indicator_id, wave_id, respondent_id, SUM(score) AS value,
           COUNT(DISTINCT item_id) AS n_items
    FROM answered GROUP BY indicator_id, wave_id, respondent_id
)
SELECT p.indicator_id, w.code AS wave, w.eligible, p.value, COUNT(*) AS people
FROM people p
JOIN expected e ON e.indicator_id = p.indicator_id AND e.n_items = p.n_items
JOIN waves w ON w.id = p.wave_id
WHERE p.value IS NOT NULL
GROUP BY p.indicator_id, w.code, w.eligible, p.value
""")


ITEM_SCALES = sa.text("""
SELECT it.indicator_id, it.scale FROM items it
JOIN indicators d ON d.id = it.indicator_id WHERE d.code = :code
""")


def likert_from_counts(answers: pd.Series, people: pd.Series, population: int | None,
                       min_respondents: int) -> dict[str, object]:
    """What results.wave_result gives for a single Likert item, from (answer, people) counts.

    stats.likert_summary walks every answer in Python (1.3 s for a 100x cohort); counts
    give the same median, top-2-box and interval at once. test_explorer checks both agree.
    """
    n = int(people.sum())
    order = np.argsort(answers.to_numpy())
    ordered, weights = answers.to_numpy()[order], people.to_numpy()[order]
    median = float(np.median(np.repeat(ordered, weights)))
    population = population if population is None or population >= n else None
    top2 = stats.wilson(int(weights[ordered >= 4].sum()), n, population=population)
    row: dict[str, object] = {
        "n": n, "eligible": population,
        "fpc_applied": top2.fpc_applied, "statistic": "median", "value": median, "low": None,
        "high": None, "top2": top2.p, "top2_low": top2.low, "top2_high": top2.high,
        "enough_data": n > 0, "reason": None if n else "no_data",
        "suppressed": stats.suppress(n, min_respondents)}
    if row["suppressed"]:
        row.update(value=None, top2=None, top2_low=None, top2_high=None, enough_data=False,
                   reason="suppressed_small_n")
    return row


def wave_results(store: Store, indicators: pd.DataFrame, code: str,
                 min_respondents: int = DEFAULT_MIN_RESPONDENTS) -> pd.DataFrame:
    """Per enterprise and wave, the figure of indicator `code` (as results.indicator_results
    gives it: same statistics), from value counts read in SQL, through disclosure control
    (disclosure.protect_results: no figure on fewer than the threshold, no n for it, no
    share hiding a count of 1 to threshold-1 people)."""
    with store.engine.connect() as conn:
        counts = pd.read_sql(VALUE_COUNTS, conn, params={"code": code})
        items = pd.read_sql(ITEM_SCALES, conn, params={"code": code})
    owner = indicators.set_index("id")["enterprise_id"]
    # the statistic follows the items' scale (a hand-defined yes/no item is a share)
    kind = kind_of(code, tuple(items["scale"].dropna().unique()),
                   int(items.groupby("indicator_id").size().max()) if len(items) else 0)
    rows = []
    for (indicator_id, wave), group in counts.groupby(["indicator_id", "wave"], sort=True):
        values = pd.Series(np.repeat(group["value"].to_numpy(dtype=float),
                                     group["people"].to_numpy(dtype=int)))
        eligible = group["eligible"].iloc[0]
        population = None if pd.isna(eligible) or int(eligible) <= 0 else int(eligible)
        if kind == "likert":
            result = likert_from_counts(group["value"], group["people"], population,
                                        min_respondents)
        else:
            result = wave_result(values, kind, population, min_respondents)
        rows.append({"enterprise_id": owner[indicator_id], "indicator_id": indicator_id,
                     "indicator_code": code, "kind": kind, "wave": wave, **result})
    return disclosure.protect_results(pd.DataFrame(rows, columns=RESULT_COLUMNS),
                                      min_respondents)


def comparison(results: pd.DataFrame, chosen: pd.DataFrame, wave: str) -> pd.DataFrame:
    """One wave's figure per chosen enterprise: the plotted value and its interval.

    Likert indicators are compared on their top-2-box share (never a mean of an ordinal
    item); others on their mean or proportion. Suppressed figures stay blank.
    """
    own = results[(results["wave"] == wave) & results["enterprise_id"].isin(chosen["id"])]
    own = own.sort_values(["pole", "enterprise_id"])
    likert = own["kind"].eq("likert")
    frame = pd.DataFrame({
        "enterprise_id": own["enterprise_id"], "name": own["name"], "pole": own["pole"],
        "region": own["region"], "n": own["n"], "suppressed": own["suppressed"],
        "statistic": own["statistic"].where(~likert, "top2"),
        "value": own["top2"].where(likert, own["value"]),
        "low": own["top2_low"].where(likert, own["low"]),
        "high": own["top2_high"].where(likert, own["high"]),
    })
    return frame.reset_index(drop=True)

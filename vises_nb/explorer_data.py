"""Data for the cohort explorer, loaded lazily so the dashboard opens fast on big cohorts.

At start only the small tables are read (enterprises, step status, indicators). Answers
are read from the store one indicator at a time, when a researcher asks for it, and its
results across enterprises are computed once and cached: a filter change then only
filters a small table.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from . import model as m
from .catalogue import BY_CODE
from .cohort import CohortData, current_steps
from .results import DEFAULT_MIN_RESPONDENTS, indicator_results
from .schema import TABLES
from .store import Store

FILTERS = ("pole", "region", "step")


class CohortIndex:
    """The cohort's light tables and a cache of per-indicator results."""

    def __init__(self, store: Store, min_respondents: int = DEFAULT_MIN_RESPONDENTS):
        self.store = store
        self.min_respondents = min_respondents
        enterprises = store.frame("enterprises")
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

    def answers(self, code: str) -> pd.DataFrame:
        """Every enterprise's answers to the items of indicator `code`, joined for results."""
        responses, items = TABLES[m.Response], TABLES[m.Item]
        indicators, waves = TABLES[m.Indicator], TABLES[m.Wave]
        query = (
            sa.select(responses.c.enterprise_id, responses.c.respondent_id,
                      responses.c.wave_id, responses.c.item_id, responses.c.value,
                      items.c.indicator_id, items.c.code.label("item_code"), items.c.scale,
                      items.c.reverse, waves.c.code.label("wave"), waves.c.eligible)
            .join(items, items.c.id == responses.c.item_id)
            .join(indicators, indicators.c.id == items.c.indicator_id)
            .join(waves, waves.c.id == responses.c.wave_id)
            .where(indicators.c.code == code)
        )
        with self.store.engine.connect() as conn:
            return pd.read_sql(query, conn)

    def results(self, code: str) -> pd.DataFrame:
        """Results of indicator `code` for every enterprise that uses it (cached)."""
        if code not in self._results:
            own = self.indicators[self.indicators["code"] == code]
            found = indicator_results(own, self.answers(code), self.min_respondents)
            self._results[code] = found.merge(
                self.enterprises.rename(columns={"id": "enterprise_id"}), on="enterprise_id")
        return self._results[code]


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

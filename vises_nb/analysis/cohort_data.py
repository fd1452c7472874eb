"""The whole cohort's data, one DataFrame per table, and who is at which step.

Apart from the views in `cohort` so that planning a run (which only needs the overview)
does not import the statistics stack.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from vises_nb.store.loading import TABLES, cleaned, join_answers
from vises_nb.store.store import Store


@dataclass
class CohortData:
    enterprises: pd.DataFrame
    frames: dict[str, pd.DataFrame]
    _answers: pd.DataFrame | None = field(default=None, repr=False)
    _values: pd.DataFrame | None = field(default=None, repr=False)

    def answers(self) -> pd.DataFrame:
        """Every answer joined with its item, wave and respondent (joined once, then reused:
        results and changes both need it and the join is the costly part). Read-only."""
        if self._answers is None:
            self._answers = join_answers(self.frames)
        return self._answers

    def person_values(self) -> pd.DataFrame:
        """One value per indicator, wave and respondent, computed once for the cohort."""
        if self._values is None:
            from vises_nb.analysis.results import person_values  # scipy: only for those who compute

            self._values = person_values(self.answers())
        return self._values


def load_cohort(store: Store, include_archived: bool = False) -> CohortData:
    """All enterprises and all their data, one DataFrame per table, in one snapshot.
    Enterprises archived (left the cohort, see `vises enrol`) are left out unless
    `include_archived`."""
    with store.snapshot():  # one consistent state, whatever commits meanwhile
        enterprises = store.frame("enterprises")
        frames = cleaned({name: store.frame(name) for name in TABLES})
    archived = archived_ids(enterprises)
    if archived and not include_archived:
        enterprises = enterprises[~enterprises["id"].isin(archived)].reset_index(drop=True)
        frames = {name: frame[~frame["enterprise_id"].isin(archived)].reset_index(drop=True)
                  if "enterprise_id" in frame else frame for name, frame in frames.items()}
    return CohortData(enterprises, frames)


def archived_ids(enterprises: pd.DataFrame) -> set[str]:
    """Ids of the archived enterprises in an `enterprises` frame."""
    if "archived" not in enterprises or enterprises.empty:
        return set()
    flags = enterprises["archived"].fillna(False).astype(bool)
    return set(enterprises.loc[flags, "id"])


def current_steps(cohort: CohortData) -> pd.Series:
    """The highest step each enterprise has started, indexed by enterprise id."""
    status = cohort.frames["step_status"]
    started = status[status["status"] != "not_started"].copy()
    started["step"] = started["step"].astype(int)
    steps = started.groupby("enterprise_id")["step"].max()
    return steps.reindex(cohort.enterprises["id"]).fillna(1).astype(int)


def overview(cohort: CohortData) -> pd.DataFrame:
    """One row per enterprise: id, name, pole, region, language and current step."""
    frame = cohort.enterprises[["id", "name", "pole", "region", "language"]].copy()
    frame["step"] = current_steps(cohort).to_numpy()
    return frame

"""Loading one enterprise's data from the store as pandas DataFrames.

Everything downstream (diagnostic, collection, results, reports) takes an
`EnterpriseData`, so it can be tested on hand-made frames without a database.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from vises_nb.store.model import Enterprise
from vises_nb.store.store import Store

TABLES = ("step_status", "stakeholders", "chain_elements", "chain_links", "questions",
          "indicators", "instruments", "items", "waves", "respondents", "responses",
          "excerpts", "research_notes", "question_findings")


@dataclass
class EnterpriseData:
    """One enterprise: its identity card and one DataFrame per table."""

    enterprise: Enterprise
    frames: dict[str, pd.DataFrame]
    data_hash: str = ""

    def __getattr__(self, name: str) -> pd.DataFrame:
        frames = self.__dict__.get("frames", {})
        if name in frames:
            return frames[name]
        raise AttributeError(name)

    @property
    def current_step(self) -> int:
        """The highest step started (1 when none is recorded)."""
        status = self.frames["step_status"]
        started = status[status["status"] != "not_started"]["step"].astype(int)
        return int(started.max()) if len(started) else 1

    def answers(self) -> pd.DataFrame:
        """Responses joined with their item, indicator, wave and respondent breakdowns."""
        return join_answers(self.frames)


def join_answers(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Responses joined with their item, indicator, wave and respondent breakdowns."""
    items = frames["items"][["id", "indicator_id", "code", "scale", "reverse"]]
    waves = frames["waves"][["id", "code", "eligible"]]
    people = frames["respondents"][["id", "sex", "age_band"]]
    return (
        frames["responses"]
        .merge(items.rename(columns={"id": "item_id", "code": "item_code"}), on="item_id",
               how="left")
        .merge(waves.rename(columns={"id": "wave_id", "code": "wave"}), on="wave_id", how="left")
        .merge(people.rename(columns={"id": "respondent_id"}), on="respondent_id", how="left")
    )


def load_enterprise(store: Store, enterprise_id: str) -> EnterpriseData:
    """All of an enterprise's data; NotFoundError naming known ids when it does not exist."""
    enterprise = store.require_enterprise(enterprise_id)
    frames = {name: store.frame(name, enterprise_id) for name in TABLES}
    return EnterpriseData(enterprise, frames, store.data_hash(enterprise_id))

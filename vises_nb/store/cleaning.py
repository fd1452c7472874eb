"""The cleaning log applied on top of the imported answers, when data is loaded.

Imported answers are never edited (IMPACT Initiatives' cleaning logs are the model):
each correction is a `CleaningAction` row (who, when, why, before, after) and
`apply_cleaning` replays the active ones, oldest first, on the responses frame that
every analysis reads. Undoing an action marks it undone; it then no longer applies.
Recording actions (which needs the pseudonyms) is `vises_nb.instruments.cleaning`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

TEXT_SCALES = ("text",)


def active(actions: pd.DataFrame) -> pd.DataFrame:
    """The actions not undone, oldest first."""
    if actions is None or actions.empty:
        return pd.DataFrame(columns=list(actions.columns) if actions is not None else [])
    live = actions[actions["undone_at"].isna()]
    return live.sort_values(["created_at", "id"], kind="stable")


def apply_cleaning(responses: pd.DataFrame, actions: pd.DataFrame,
                   items: pd.DataFrame | None = None) -> pd.DataFrame:
    """`responses` with the active cleaning actions applied (a new frame; input untouched).

    recode: the respondent's answers at that wave move to the corrected pseudonym;
    exclude: the respondent's answers at that wave are left out; correct: one answer's
    value (or text, for a free-text item) is replaced.
    """
    live = active(actions)
    if live.empty or responses.empty:
        return responses
    out = responses.copy()
    text_items = set()
    if items is not None and not items.empty:
        text_items = set(items.loc[items["scale"].isin(TEXT_SCALES), "id"])
    for action in live.itertuples(index=False):
        at = (out["wave_id"].to_numpy() == action.wave_id) & (
            out["respondent_id"].to_numpy() == action.respondent_id)
        if action.kind == "recode":
            out.loc[at, "respondent_id"] = action.after
        elif action.kind == "exclude":
            out = out[~at]
        elif action.kind == "correct":
            at &= out["item_id"].to_numpy() == action.item_id
            if action.item_id in text_items:
                out.loc[at, "text"] = action.after
            else:
                out.loc[at, "value"] = np.nan if action.after in (None, "") else float(
                    action.after)
    return out.reset_index(drop=True)

"""Figures in words: an ordered answer by its label, an indicator's unit, a change told
as people who improved. Shared by the step 3 report and the valorisation one-pager."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from vises_nb import i18n
from vises_nb.method.catalogue import BY_CODE
from vises_nb.method.scales import SCALES


def scale_of(code: str) -> str | None:
    """The answer scale of a catalogue indicator's (first) item."""
    entry = BY_CODE.get(code)
    if entry is None or not entry.items:
        return None
    return entry.items[0].scale


def category(scale: str | None, value: float, lang: str) -> str:
    """An ordered answer's label: the median category, or the two it falls between."""
    if scale is None or scale not in SCALES:
        return i18n.number(value, lang)
    low, high = math.floor(value), math.ceil(value)
    labels = SCALES[scale]
    if low == high and low in labels:
        return f"« {labels[low][lang]} »" if lang == "fr" else f"“{labels[low][lang]}”"
    if low in labels and high in labels:
        return i18n.t("val.between_categories", lang, low=labels[low][lang],
                      high=labels[high][lang])
    return i18n.number(value, lang)


def unit_of(code: str, typed: str, lang: str) -> str:
    """A catalogue indicator's unit in `lang`, else the unit the enterprise typed."""
    entry = BY_CODE.get(code)
    return entry.unit[lang] if entry is not None else str(typed or "")


def paired_counts(values: pd.DataFrame, indicator_id: str, before: str,
                  after: str) -> tuple[int, int, int, np.ndarray, np.ndarray]:
    """(improved, unchanged, worsened, before values, after values) of the same people.

    Higher is better for every catalogue indicator (reversed items are scored so).
    """
    own = values[values["indicator_id"] == indicator_id]
    empty = np.array([], dtype=float)
    if own.empty:
        return 0, 0, 0, empty, empty
    wide = own.pivot_table(index="respondent_id", columns="wave", values="value",
                           aggfunc="first")
    if before not in wide or after not in wide:
        return 0, 0, 0, empty, empty
    both = wide[[before, after]].dropna()
    diff = both[after] - both[before]
    return (int((diff > 0).sum()), int((diff == 0).sum()), int((diff < 0).sum()),
            both[before].to_numpy(dtype=float), both[after].to_numpy(dtype=float))


def wave_noun(wave: str, lang: str) -> str:
    """'exit' (the moment, as a noun in a sentence)."""
    return i18n.t(f"val.wave.{wave}", lang) if wave in ("T0", "T1", "T2") else wave


def change_in_words(change: dict, counts: tuple[int, int, int], lang: str) -> str:
    """'improved for 12 of 17 people followed from entry to exit; unlikely to be chance'."""
    improved, _, worsened = counts
    text = i18n.t("val.change", lang, improved=improved, n=int(change["n_paired"]),
                  worsened=worsened, before=wave_noun(change["from_wave"], lang),
                  after=wave_noun(change["to_wave"], lang))
    p = change.get("p_value")
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return text
    verdict = "val.verdict.unlikely_chance" if p < 0.05 else "val.verdict.could_be_chance"
    return f"{text}; {i18n.t(verdict, lang)}"

"""Loading one enterprise's data from the store as pandas DataFrames.

Everything downstream (diagnostic, collection, results, reports) takes an
`EnterpriseData`, so it can be tested on hand-made frames without a database.
"""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from dataclasses import dataclass

import pandas as pd

from vises_nb.store.cleaning import apply_cleaning
from vises_nb.store.model import Enterprise
from vises_nb.store.store import Store, normalise_url

TABLES = ("step_status", "stakeholders", "chain_elements", "chain_links", "questions",
          "indicators", "instruments", "items", "waves", "respondents", "responses",
          "excerpts", "research_notes", "cleaning_actions", "scales", "scale_options",
          "question_findings")


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


#: The tables `join_answers` reads.
ANSWER_TABLES = ("responses", "items", "scale_options", "waves", "respondents")


def fingerprint(frames: dict[str, pd.DataFrame], names: tuple[str, ...]) -> str:
    """A digest of the content of some frames (shape, columns, types, index and every
    value): what was computed from frames of the same fingerprint holds for these."""
    digest = hashlib.blake2b(digest_size=16)
    for name in names:
        frame = frames.get(name)
        if frame is None:
            digest.update(f"{name}:absent".encode())
            continue
        digest.update(repr((name, frame.shape, list(map(str, frame.columns)),
                            list(map(str, frame.dtypes)))).encode())
        digest.update(pd.util.hash_pandas_object(frame.index).to_numpy().tobytes())
        for column in range(frame.shape[1]):
            series = frame.iloc[:, column]
            try:
                hashed = pd.util.hash_pandas_object(series, index=False)
            except TypeError:  # lists, dicts: by their text
                hashed = pd.util.hash_pandas_object(series.map(repr), index=False)
            digest.update(hashed.to_numpy().tobytes())
    return digest.hexdigest()


def join_answers(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Responses joined with their item, indicator, wave and respondent breakdowns."""
    items = frames["items"][["id", "indicator_id", "code", "scale", "reverse"]].assign(
        points=item_points(frames))
    # how many items each indicator has: a score needs all of them, not only those answered
    items = items.assign(defined_items=items.groupby("indicator_id")["id"].transform("count"))
    waves = frames["waves"][["id", "code", "eligible"]]
    people = frames["respondents"][["id", "sex", "age_band"]]
    return (
        frames["responses"]
        .merge(items.rename(columns={"id": "item_id", "code": "item_code"}), on="item_id",
               how="left")
        .merge(waves.rename(columns={"id": "wave_id", "code": "wave"}), on="wave_id", how="left")
        .merge(people.rename(columns={"id": "respondent_id"}), on="respondent_id", how="left")
    )


def item_points(frames: dict[str, pd.DataFrame]) -> pd.Series:
    """Number of answer options of each item's ordered scale (its own scale's options, or
    the vises scale's); NaN for numbers and free text."""
    from vises_nb.method.scales import SCALES

    items = frames["items"]
    points = items["scale"].map({s: float(len(v)) for s, v in SCALES.items()})
    options = frames.get("scale_options")
    if "scale_id" in items and options is not None and not options.empty:
        own = items["scale_id"].map(options.groupby("scale_id")["position"].count())
        points = own.where(own.notna(), points)
    return points.where(items["scale"] != "number").astype(float)


def load_enterprise(store: Store, enterprise_id: str) -> EnterpriseData:
    """All of an enterprise's data; NotFoundError naming known ids when it does not exist.

    Read in one snapshot: an import or an edit committing meanwhile is seen whole or not
    at all (never answers whose respondents are not there yet). The cleaning log is
    applied on top (see `cleaned`)."""
    with store.snapshot():
        enterprise = store.require_enterprise(enterprise_id)
        frames = {name: store.frame(name, enterprise_id) for name in TABLES}
        data_hash = store.data_hash(enterprise_id)
    return EnterpriseData(enterprise, cleaned(frames), data_hash)


def cleaned(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The frames with the cleaning log applied to the responses (the imported rows in the
    store stay as they were); `imported_responses` keeps them as imported."""
    actions = frames.get("cleaning_actions")
    if actions is None or actions.empty:
        return frames
    return {**frames, "imported_responses": frames["responses"],
            "responses": apply_cleaning(frames["responses"], actions, frames.get("items"))}


# ------------------------------------------------------------------ a batch run's warm data

#: Enterprises a warm process of a batch run loaded before forking their notebooks (see
#: `vises_nb.publishing.engine.zygote`), by store URL and enterprise id. Only a warm process
#: fills it; its forked children read it (`preloaded`) instead of the store, each on its
#: own copy-on-write copy (a notebook that changes a frame changes its own copy only).
#: Nothing else (JupyterLab, Voila, a notebook run by hand) ever sees an entry.
PRELOADED: OrderedDict[tuple[str, str], EnterpriseData] = OrderedDict()
#: What the kept data may weigh as pandas counts its frames (deep), the least recently
#: used enterprise dropped first; `$VISES_PRELOAD_MB`, default 8. A run takes one
#: enterprise's notebooks at a time on one warm process (`engine.jobs.by_enterprise`), so
#: an enterprise is needed there only while its notebooks run; what is kept beyond serves
#: the next run of a warm engine (its reports whose data did not change). The process
#: holds ~10x what pandas counts (indexes, blocks, the identity card): on a 500-enterprise
#: federation ~35 KB counted and ~0.4 MB held per enterprise, so the default keeps ~230
#: of them in ~90 MB (benchmarks/bench_engine_memory.py).
PRELOADED_BYTES = int(float(os.environ.get("VISES_PRELOAD_MB", "8")) * 2**20)
_SIZES: dict[tuple[str, str], int] = {}


def data_bytes(data: EnterpriseData) -> int:
    """Memory the frames of one enterprise take (object columns counted deep)."""
    return int(sum(frame.memory_usage(deep=True, index=True).sum()
                   for frame in data.frames.values()))


def preloaded_bytes() -> int:
    """What the kept data weighs (as counted when each enterprise was loaded)."""
    return sum(_SIZES.get(key, 0) for key in PRELOADED)


def preload(store_url: str, enterprise_id: str, data_hash: str) -> EnterpriseData:
    """The enterprise's data for the notebooks about to run: kept from an earlier notebook
    when its data version is `data_hash` (what the run planned, read from the store's
    content: an edit, an import or another store at the same URL changes it), else loaded
    again from the store."""
    key = (normalise_url(store_url), enterprise_id)
    kept = PRELOADED.get(key)
    if kept is None or not data_hash or kept.data_hash != data_hash:
        PRELOADED.pop(key, None)  # never left behind at an older version if loading fails
        _SIZES.pop(key, None)
        store = Store.open(key[0])
        try:
            kept = load_enterprise(store, enterprise_id)
        finally:
            store.close()
        PRELOADED[key] = kept
        _SIZES[key] = data_bytes(kept)
    PRELOADED.move_to_end(key)
    while len(PRELOADED) > 1 and preloaded_bytes() > PRELOADED_BYTES:
        oldest, _ = PRELOADED.popitem(last=False)
        _SIZES.pop(oldest, None)
    return kept


def preloaded(store_url: str, enterprise_id: str) -> EnterpriseData | None:
    """What `preload` loaded for this enterprise in this process (a warm process's child),
    else None."""
    if not PRELOADED:
        return None
    return PRELOADED.get((normalise_url(store_url), enterprise_id))

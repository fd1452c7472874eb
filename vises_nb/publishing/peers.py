"""The cohort's published results that each valorisation one-pager compares its
enterprise with (its pole's and the cohort's median and range), computed once per run.

Every one-pager sets its enterprise beside the whole cohort. Computed by each one-pager,
that is the whole cohort's results once per enterprise at step 3: a run of n enterprises
did O(n²) work (7 s per one-pager on 500 enterprises). A run computes them once instead,
into `reports/cohort/peers-<cohort data version>-<threshold>.parquet`, and passes the file
to the one-pagers (parameter `peers_file`); a notebook run by hand, without it, computes
them from the store as before. The file holds the disclosure-controlled results the
cohort report publishes, nothing more.

The run also knows from them what each one-pager shows of its peers
(`vises_nb.analysis.valorisation.peer_digests`), so a one-pager is re-run when its own
data or the peer figures it shows change, not on every change anywhere in the cohort.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from vises_nb.files import atomic_path

#: The columns of the cohort's results a one-pager reads for its peer comparison.
PEER_COLUMNS = ("enterprise_id", "pole", "indicator_code", "wave", "value", "top2")
PREFIX = "peers-"


def peers_path(reports_dir: Path, cohort_hash: str, min_respondents: int) -> Path:
    """Where a run keeps the peer results of one cohort data version and threshold."""
    return Path(reports_dir) / "cohort" / f"{PREFIX}{cohort_hash}-{int(min_respondents)}.parquet"


def slim(results: pd.DataFrame) -> pd.DataFrame:
    """The peer columns of the cohort's `all_results` (those it has)."""
    return results[[c for c in PEER_COLUMNS if c in results.columns]].reset_index(drop=True)


def compute(store_url: str, min_respondents: int) -> pd.DataFrame:
    """The cohort's published results (disclosure-controlled), as the one-pager reads them."""
    from vises_nb.analysis.cohort import all_results, load_cohort
    from vises_nb.store.store import Store, normalise_url

    store = Store.open(normalise_url(store_url))
    try:
        return slim(all_results(load_cohort(store), min_respondents))
    finally:
        store.close()


def prepare(store_url: str, path: Path, min_respondents: int) -> pd.DataFrame:
    """The peer results at `path`, computed and written (atomically) unless already there
    for this data version; the files of other data versions beside it are removed."""
    path = Path(path)
    if path.is_file():
        peers = pd.read_parquet(path)
    else:
        peers = compute(store_url, min_respondents)
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as tmp:
            peers.to_parquet(tmp, index=False)
    for old in path.parent.glob(f"{PREFIX}*.parquet"):
        if old != path:
            old.unlink(missing_ok=True)
    return peers


def load(store_url: str, min_respondents: int, peers_file: str = "") -> pd.DataFrame:
    """The peer results for a one-pager: the run's file when given and present, else
    computed from the store (a notebook run by hand)."""
    if peers_file and Path(peers_file).is_file():
        return pd.read_parquet(peers_file)
    return compute(store_url, min_respondents)

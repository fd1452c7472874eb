"""The cohort's published results, computed once per run for every one-pager of the run.

Each enterprise's valorisation one-pager sets it beside its peers: the cohort's results
as the cohort report publishes them (`vises_nb.analysis.cohort.all_results`, through
disclosure control). That table is the same for every enterprise of a run and costs
more than the rest of a one-pager together (~3 s on the sample, and it grows with the
cohort), so computing it in each one-pager made a run quadratic in the cohort's size.

A warm process of the batch engine (`vises_nb.publishing.engine.zygote`) calls
`prepare` before it forks a run's one-pager: the table is computed once per run and
warm process, and each forked child finds it in its own copy of the process's memory
(copy-on-write). Isolation is kept: a notebook that changes the table changes its own
copy, which dies with it; the next notebook forks from the untouched original. The
table is kept per run (a run after an edit computes it again; a few runs at most), for
the store and threshold it was computed for: a run's one-pagers all compare with the
cohort as read early in the run, not as it may change while the run goes on. Anywhere
else (JupyterLab, papermill, Voila) nothing is prepared and `peer_results` computes the
table itself, as before.
"""

from __future__ import annotations

from collections import OrderedDict

import pandas as pd

from vises_nb.store.store import Store, normalise_url

#: Tables by (run id, store URL, threshold); a few runs kept (runs served side by side).
_TABLES: OrderedDict[tuple[str, str, int], pd.DataFrame] = OrderedDict()
_KEPT = 4
_CURRENT = [""]  # the run of the notebook this process runs or forks next


def compute(store_url: str, min_respondents: int) -> pd.DataFrame:
    """The cohort's published results, read from the store now."""
    from vises_nb.analysis.cohort import all_results
    from vises_nb.analysis.cohort_data import load_cohort

    store = Store.open(normalise_url(store_url))
    try:
        return all_results(load_cohort(store), min_respondents)
    finally:
        store.close()  # no connection left open in a process that forks


def peer_results(store_url: str, min_respondents: int) -> pd.DataFrame:
    """The table prepared for this notebook's run by the warm process, else computed now."""
    table = None
    if _CURRENT[0]:
        table = _TABLES.get((_CURRENT[0], normalise_url(store_url), int(min_respondents)))
    return table if table is not None else compute(store_url, min_respondents)


def prepare(run_id: str, store_url: str | None = None,
            min_respondents: int | None = None) -> bool:
    """Before a warm process forks a notebook of run `run_id` (every notebook: it marks
    the run the child belongs to), compute the table that run's one-pagers need unless
    it already was. False when there is none: a notebook then computes the table itself
    and reports whatever goes wrong as its own error."""
    _CURRENT[0] = run_id or ""
    if not run_id or store_url is None or min_respondents is None:
        return False
    key = (run_id, normalise_url(store_url), int(min_respondents))
    if key not in _TABLES:
        try:
            _TABLES[key] = compute(store_url, min_respondents)
        except Exception:  # noqa: BLE001 - the warm process must survive a bad store
            return False
        while len(_TABLES) > _KEPT:
            _TABLES.popitem(last=False)
    _TABLES.move_to_end(key)
    return True


def forget() -> None:
    """Drop every table kept."""
    _TABLES.clear()
    _CURRENT[0] = ""

"""Jobs as plain dictionaries: what crosses a pipe to a warm process or goes to Dask."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any

#: Longest first: the cohort, then step 3 and the one-pager (which computes step 3's
#: tables again), then steps 2 and 1. The one-pager used to come last, after step 1,
#: though it was the slowest notebook of all: the run ended on a tail of them.
VALORISATION = "valorisation"  # as publishing.runner.VALORISATION
ORDER = {None: 0, "3": 1, VALORISATION: 1, "2": 2, "1": 3}


#: What a notebook of each step computes from its enterprise's data that another notebook
#: of the same enterprise computes too: the step 3 tables (step 3 and the one-pager, see
#: `publishing.notebook.step3_tables`; ~0.1 s each on the sample). Not the joined answers
#: (steps 2, 3, the one-pager): checking that a notebook's data is the data they were
#: joined from (`loading.fingerprint`) costs what joining them again does (7 ms).
NEEDS = {"3": ("step3",), VALORISATION: ("step3",)}


def shared_work(jobs: list[Any]) -> dict[tuple[str, int], list[str]]:
    """Per enterprise and threshold, what two or more of its notebooks in the run compute
    alike: its warm process computes it once, before forking them (`zygote.preload`)."""
    uses: Counter[tuple[str, int, str]] = Counter()
    for job in jobs:
        if job.enterprise_id is not None:
            threshold = int(job.parameters.get("min_respondents", 5))
            for need in NEEDS.get(job.step, ()):
                uses[(job.enterprise_id, threshold, need)] += 1
    shared: dict[tuple[str, int], list[str]] = {}
    for (enterprise, threshold, need), count in uses.items():
        if count > 1:
            shared.setdefault((enterprise, threshold), []).append(need)
    return shared


def to_dict(job: Any, source: Path, share: list[str] | tuple[str, ...] = ()) -> dict[str, Any]:
    payload = {"source": str(source), "parameters": job.parameters,
               "executed": str(job.executed), "report": str(job.report), "title": job.title,
               "lang": job.lang, "audit": job.audit, "cwd": os.getcwd()}
    enterprise = job.parameters.get("enterprise_id")
    if enterprise and job.parameters.get("store_url"):
        # the warm process loads the enterprise's data before forking (see zygote.preload)
        payload["preload"] = {"store_url": job.parameters["store_url"],
                              "enterprise_id": enterprise,
                              "data_hash": getattr(job, "data_version", ""),
                              "share": list(share)}
    return payload


def longest_first(jobs: list[Any]) -> list[Any]:
    """Start the slow notebooks first so that no core idles at the end of a run."""
    return sorted(jobs, key=lambda job: ORDER.get(job.step, len(ORDER)))


def by_enterprise(jobs: list[tuple[Any, dict[str, Any]]]) -> list[list[tuple[Any, dict[str, Any]]]]:
    """The run's (job, payload) pairs as one group per enterprise, each run by one warm
    process one notebook after the other: its data is loaded once per run instead of once
    per warm process, and what its step 3 report and one-pager both compute is computed
    once (see `zygote.preload`). Longest first still: the cohort alone, then the groups by
    their slowest notebook and, among those, the larger groups (two languages, a later
    step) first; inside a group, its notebooks in the order given (`longest_first`)."""
    groups: dict[Any, list[tuple[Any, dict[str, Any]]]] = {}
    for n, (job, payload) in enumerate(jobs):
        key = job.enterprise_id if job.enterprise_id is not None else ("alone", n)
        groups.setdefault(key, []).append((job, payload))
    return sorted(groups.values(), key=lambda group: (
        min(ORDER.get(job.step, len(ORDER)) for job, _ in group), -len(group)))

"""Jobs as plain dictionaries: what crosses a pipe to a warm process or goes to Dask."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

#: Longest first: the cohort, then step 3 and the one-pager (which computes step 3's
#: tables again), then steps 2 and 1. The one-pager used to come last, after step 1,
#: though it was the slowest notebook of all: the run ended on a tail of them.
ORDER = {None: 0, "3": 1, "valorisation": 1, "2": 2, "1": 3}


def to_dict(job: Any, source: Path) -> dict[str, Any]:
    payload = {"source": str(source), "parameters": job.parameters,
               "executed": str(job.executed), "report": str(job.report), "title": job.title,
               "lang": job.lang, "audit": job.audit, "cwd": os.getcwd()}
    enterprise = job.parameters.get("enterprise_id")
    if enterprise and job.parameters.get("store_url"):
        # the warm process loads the enterprise's data before forking (see zygote.preload)
        payload["preload"] = {"store_url": job.parameters["store_url"],
                              "enterprise_id": enterprise,
                              "data_hash": getattr(job, "data_version", "")}
    return payload


def longest_first(jobs: list[Any]) -> list[Any]:
    """Start the slow notebooks first so that no core idles at the end of a run."""
    return sorted(jobs, key=lambda job: ORDER.get(job.step, len(ORDER)))

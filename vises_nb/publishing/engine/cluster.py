"""Run the same jobs on a Dask distributed cluster (`vises run --executor dask`).

Each Dask worker process keeps its own warm processes (zygotes), so notebooks there are
as isolated and as cheap as locally. Workers must see the same store URL and the same
reports folder (a shared file system) as the machine that starts the run.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from vises_nb.errors import VisesError
from vises_nb.publishing.engine.zygote import Zygote, ZygoteDied

_IDLE: queue.SimpleQueue[Zygote] = queue.SimpleQueue()
_LOCK = threading.Lock()


def run_on_worker(payload: dict[str, Any], timeout: float, log: str) -> dict[str, Any]:
    """A Dask task: run one job in one of this worker process's warm processes."""
    try:
        zygote = _IDLE.get_nowait()
    except queue.Empty:
        with _LOCK:
            zygote = Zygote(Path(log))
    try:
        result = zygote.run(payload, timeout)
    except ZygoteDied as exc:
        return exc.outcome()
    if zygote.alive():
        _IDLE.put(zygote)
    return result


def run_dask(jobs: list[tuple[Any, dict[str, Any]]], scheduler: str, timeout: float,
             log: Path) -> Iterator[tuple[Any, dict[str, Any]]]:
    try:
        from distributed import Client, as_completed
    except ImportError as exc:
        raise VisesError("err.dask.missing") from exc
    try:
        client = Client(scheduler, timeout=30)
    except OSError as exc:
        raise VisesError("err.dask.unreachable", scheduler=scheduler, detail=exc) from exc
    try:
        futures = {}
        for job, payload in jobs:
            future = client.submit(run_on_worker, payload, timeout, str(log), pure=False,
                                   key=f"vises-{Path(payload['report']).name}-{id(job)}")
            futures[future] = job
        for future in as_completed(futures):
            try:
                result = future.result()
            except Exception as exc:  # noqa: BLE001 - a lost worker is one failed job
                result = {"ok": False, "error": f"dask: {type(exc).__name__}: {exc}"[:300],
                          "seconds": 0.0}
            yield futures[future], result
    finally:
        client.close()

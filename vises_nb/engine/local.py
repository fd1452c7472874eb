"""Run jobs on this machine: one warm process (zygote) per worker, one thread each."""

from __future__ import annotations

import queue
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from .zygote import Zygote, ZygoteDied


def start(workers: int, log: Path) -> list[Zygote]:
    """Start the warm processes early: they import while the run is being planned."""
    return [Zygote(log) for _ in range(workers)]  # from this (main) thread: see zygote


def run_local(jobs: list[tuple[Any, dict[str, Any]]], started: list[Zygote], timeout: float,
              log: Path) -> Iterator[tuple[Any, dict[str, Any]]]:
    """Yield (job, result) as notebooks finish; a dead warm process is replaced.

    Uses (and closes) the warm processes `started`, one thread driving each.
    """
    workers = len(started)
    idle: queue.SimpleQueue[Zygote] = queue.SimpleQueue()
    for zygote in started:
        idle.put(zygote)
    replaced: list[Zygote] = []

    def one(job: Any, payload: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        zygote = idle.get()
        try:
            return job, zygote.run(payload, timeout)
        except ZygoteDied as exc:
            zygote = Zygote(log)
            replaced.append(zygote)
            return job, {"ok": False, "error": str(exc), "seconds": 0.0}
        finally:
            idle.put(zygote)

    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(one, job, payload) for job, payload in jobs]
            for future in as_completed(futures):
                yield future.result()
    finally:
        for zygote in started + replaced:
            zygote.close()


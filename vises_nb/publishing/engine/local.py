"""Run jobs on this machine: one warm process (zygote) per worker, one thread each, or
the workers of a warm engine kept between runs (`daemon`)."""

from __future__ import annotations

import queue
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any, Protocol

from vises_nb.publishing.engine.zygote import Zygote, ZygoteDied


class Worker(Protocol):
    def run(self, job: dict[str, Any], timeout: float) -> dict[str, Any]: ...


def start(workers: int, log: Path) -> list[Zygote]:
    """Start the warm processes early: they import while the run is being planned."""
    return [Zygote(log) for _ in range(workers)]  # from this (main) thread: see zygote


def run_local(jobs: list[tuple[Any, dict[str, Any]]], started: list[Worker], timeout: float,
              log: Path) -> Iterator[tuple[Any, dict[str, Any]]]:
    """Yield (job, result) as notebooks finish; a dead warm process is replaced.

    Uses (and closes) the warm processes `started`, one thread driving each. With a warm
    engine, `started` holds the engine once per worker: the engine replaces its own.
    """
    workers = len(started)
    idle: queue.SimpleQueue[Worker] = queue.SimpleQueue()
    for worker in started:
        idle.put(worker)
    replaced: list[Zygote] = []

    def one(job: Any, payload: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        worker = idle.get()
        try:
            return job, worker.run(payload, timeout)
        except ZygoteDied as exc:
            if isinstance(worker, Zygote):
                worker = Zygote(log)
                replaced.append(worker)
            return job, exc.outcome()
        finally:
            idle.put(worker)

    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(one, job, payload) for job, payload in jobs]
            for future in as_completed(futures):
                yield future.result()
    finally:
        for worker in [*started, *replaced]:
            if isinstance(worker, Zygote):
                worker.close()

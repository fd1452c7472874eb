"""Run jobs on this machine: one warm process (zygote) per worker, one thread each, or
the workers of a warm engine kept between runs (`daemon`)."""

from __future__ import annotations

import collections
import queue
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from vises_nb.publishing.engine import jobs as wire
from vises_nb.publishing.engine.zygote import Zygote, ZygoteDied


class Worker(Protocol):
    def run(self, job: dict[str, Any], timeout: float) -> dict[str, Any]: ...


def start(workers: int, log: Path) -> list[Zygote]:
    """Start the warm processes early: they import while the run is being planned. The
    first imports the stack and the others are forked from it (`zygote.fork_siblings`):
    one import instead of one per core, on Linux (where a forked warm process dies with
    the one it was forked from, as each dies with the run)."""
    if workers > 1 and sys.platform.startswith("linux"):
        first = Zygote(log, siblings=workers - 1)  # from this (main) thread: see zygote
        return [first, *first.siblings_started()]
    return [Zygote(log) for _ in range(workers)]


_END = object()


def run_local(jobs: list[tuple[Any, dict[str, Any]]], started: list[Worker], timeout: float,
              log: Path) -> Iterator[tuple[Any, dict[str, Any]]]:
    """Yield (job, result) as notebooks finish; a dead warm process is replaced.

    Uses (and closes) the warm processes `started`, one thread driving each. Each thread
    takes one enterprise's notebooks at a time (`jobs.by_enterprise`), so that one warm
    process loads its data once. With a warm engine, `started` holds the engine once per
    worker: the engine replaces its own.
    """
    groups = collections.deque(wire.by_enterprise(jobs))
    lock = threading.Lock()
    stop = threading.Event()
    done: queue.SimpleQueue[Any] = queue.SimpleQueue()
    replaced: list[Zygote] = []

    def drive(worker: Worker, lane: int) -> None:
        try:
            while not stop.is_set():
                with lock:
                    if not groups:
                        return
                    group = groups.popleft()
                for job, payload in group:
                    if stop.is_set():
                        return
                    try:
                        # lane: a warm engine gives this thread's jobs to one process
                        outcome = worker.run({**payload, "lane": lane}, timeout)
                    except ZygoteDied as exc:
                        if isinstance(worker, Zygote):
                            worker = Zygote(log)
                            with lock:
                                replaced.append(worker)
                        outcome = exc.outcome()
                    done.put((job, outcome))
        except BaseException as exc:  # noqa: BLE001 - raised again by the generator
            done.put(exc)
        finally:
            done.put(_END)

    threads = [threading.Thread(target=drive, args=(worker, lane), daemon=True)
               for lane, worker in enumerate(started)]
    try:
        for thread in threads:
            thread.start()
        running = len(threads)
        while running:
            item = done.get()
            if item is _END:
                running -= 1
            elif isinstance(item, BaseException):
                raise item
            else:
                yield item
    finally:
        stop.set()
        for thread in threads:
            thread.join()
        for worker in [*started, *replaced]:
            if isinstance(worker, Zygote):
                worker.close()

"""Progress of a run: one updating line on a terminal; failures only when quiet (CI)."""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO


def describe(job: Any) -> str:
    return f"{job.enterprise_id or 'cohort'} step {job.step}" if job.step else "cohort"


class Progress:
    """Callback for `runner.run(on_result=...)`: done / failed / skipped and time left."""

    def __init__(self, quiet: bool, workers: int = 1, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout
        self.live = not quiet and self.stream.isatty()
        self.workers = max(1, workers)
        self.start = time.monotonic()
        self.done = self.failed = self.skipped = 0
        self.ran_seconds = 0.0

    def time_left(self, finished: int, total: int) -> float | None:
        ran = finished - self.skipped
        if ran <= 0:
            return None
        return self.ran_seconds / ran * (total - finished) / self.workers

    def __call__(self, result: Any, finished: int, total: int) -> None:
        if getattr(result, "skipped", False):
            self.skipped += 1
        elif result.ok:
            self.done += 1
            self.ran_seconds += result.seconds
        else:
            self.failed += 1
            self.ran_seconds += result.seconds
            cell = f", cell {result.cell}" if result.cell is not None else ""
            self._line(f"FAILED {describe(result.job)}{cell}: {result.error}", final=True)
        if self.live:
            left = self.time_left(finished, total)
            eta = f", ~{left:.0f} s left" if left is not None and finished < total else ""
            self._line(f"[{finished}/{total}] {self.done} done, {self.failed} failed, "
                       f"{self.skipped} skipped{eta}", final=finished == total)

    def _line(self, text: str, final: bool) -> None:
        if self.live:
            self.stream.write("\r\033[K" + text + ("\n" if final else ""))
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

"""Progress: one updating line on a terminal, failures only in CI (no terminal)."""

from __future__ import annotations

import io
from pathlib import Path

from vises_nb.publishing.engine.progress import Progress
from vises_nb.publishing.runner import Job, JobResult


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def result(enterprise: str, ok: bool = True, skipped: bool = False, seconds: float = 4.0,
           error: str = "", cell: int | None = None) -> JobResult:
    job = Job("01_diagnostic", {}, Path("/r/x.ipynb"), Path("/r/x.html"), "t", "en", {},
              enterprise, "1")
    return JobResult(job, ok, seconds, error, cell, skipped)


def feed(progress: Progress) -> None:
    progress(result("E01", skipped=True, seconds=0), 1, 4)
    progress(result("E02"), 2, 4)
    progress(result("E03", ok=False, error="ValueError: bad", cell=3), 3, 4)


def test_terminal_shows_counts_and_time_left():
    stream = Terminal()
    feed(Progress(quiet=False, workers=2, stream=stream))
    text = stream.getvalue()
    assert "[2/4] 1 done, 0 failed, 1 skipped, ~4 s left" in text  # 2 left × 4 s / 2 workers
    assert "FAILED E03 step 1, cell 3: ValueError: bad\n" in text
    assert "[3/4] 1 done, 1 failed, 1 skipped, ~2 s left" in text
    assert "\r" in text


def test_quiet_or_no_terminal_prints_failures_only():
    for progress in (Progress(quiet=True, stream=Terminal()),
                     Progress(quiet=False, stream=io.StringIO())):
        feed(progress)
        assert progress.stream.getvalue() == "FAILED E03 step 1, cell 3: ValueError: bad\n"

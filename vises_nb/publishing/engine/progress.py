"""Progress of a run: one updating line on a terminal; failures only when quiet (CI)."""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

from vises_nb import i18n
from vises_nb.errors import current_language, render


def describe(job: Any, lang: str | None = None) -> str:
    lang = lang or current_language()
    cohort = i18n.t("run.cohort", lang)
    if not job.step:
        return cohort
    return i18n.t("run.job", lang, enterprise=job.enterprise_id or cohort, step=job.step)


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
            lang = current_language()  # the CLI's language (vises --lang), English by default
            cell = i18n.t("cli.cell", lang, cell=result.cell) if result.cell is not None else ""
            self._line(i18n.t("run.progress_failed", lang, job=describe(result.job, lang),
                              cell=cell, error=render(result.error, lang)), final=True)
        if self.live:
            lang = current_language()
            left = self.time_left(finished, total)
            eta = (i18n.t("run.eta", lang, seconds=f"{left:.0f}")
                   if left is not None and finished < total else "")
            self._line(i18n.t("run.progress", lang, finished=finished, total=total,
                              done=self.done, failed=self.failed, skipped=self.skipped, eta=eta),
                       final=finished == total)

    def _line(self, text: str, final: bool) -> None:
        if self.live:
            self.stream.write("\r\033[K" + text + ("\n" if final else ""))
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

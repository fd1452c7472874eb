"""Problems found in an import file, gathered in one pass and reported together.

An accompanier fixing an export wants every mistake at once, each located (file,
sheet, row, column) with the value that was expected, not one per attempt. Each problem
keeps catalogue messages, not sentences, so the same report reads in the dashboard's
language or the CLI's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from vises_nb import i18n
from vises_nb.errors import Message, VisesError, current_language, render

SHOWN = 25  # problems spelled out in the one-line message; all are kept on the error


@dataclass(frozen=True)
class Problem:
    file: str
    message: Message
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    expected: Any = None  # a Message, or a vocabulary term (shown as its label)

    def text(self, lang: str | None = None) -> str:
        """'sheet 'S', row 3, column 'C': what is wrong (expected what would fit)' in `lang`."""
        lang = lang or current_language()
        where = []
        if self.sheet:
            where.append(i18n.t("err.where.sheet", lang, sheet=self.sheet))
        if self.row is not None:
            where.append(i18n.t("err.where.row", lang, row=self.row))
        if self.column is not None:
            where.append(i18n.t("err.where.column", lang, column=self.column))
        what = self.message.message(lang)
        if self.expected is not None:
            what = i18n.t("err.where.expected", lang, problem=what,
                          expected=render(self.expected, lang))
        return i18n.t("err.where", lang, where=", ".join(where), problem=what) if where \
            else what

    def __str__(self) -> str:
        return self.text()


class ImportProblems(VisesError):
    """An import file has problems: nothing was imported; every problem is listed."""

    def __init__(self, file: str, problems: list[Problem]):
        super().__init__("err.import.problems", file=file, count=len(problems))
        self.file = file
        self.problems = problems

    def message(self, lang: str | None = None) -> str:
        lang = lang or current_language()
        shown = "; ".join(p.text(lang) for p in self.problems[:SHOWN])
        if len(self.problems) > SHOWN:
            shown += i18n.t("err.import.more", lang, count=len(self.problems) - SHOWN)
        return i18n.t("err.import.problems", lang, file=self.file, count=len(self.problems),
                      problems=shown)

    def lines(self, lang: str | None = None) -> list[str]:
        """Every problem, one per line, in `lang` (the dashboard lists them all)."""
        return [p.text(lang) for p in self.problems]


@dataclass
class Collector:
    """Gathers problems of one file; `raise_if_any` ends the import when there are some."""

    file: str
    problems: list[Problem] = field(default_factory=list)

    def add(self, key: str | Message, sheet: str | None = None, row: int | None = None,
            column: str | None = None, expected: Any = None, **values: Any) -> None:
        """Record a problem: a catalogue key (with its `values`) or a ready Message, where
        it is, and what was expected (a key without values, a Message or a vocabulary term)."""
        message = key if isinstance(key, Message) else Message(key, **values)
        if isinstance(expected, str):
            expected = Message(expected)
        self.problems.append(Problem(self.file, message, sheet, row, column, expected))

    def raise_if_any(self) -> None:
        if self.problems:
            raise ImportProblems(self.file, self.problems)

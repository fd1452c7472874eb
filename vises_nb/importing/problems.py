"""Problems found in an import file, gathered in one pass and reported together.

An accompanier fixing an export wants every mistake at once, each located (file,
sheet, row, column) with the value that was expected, not one per attempt.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import VisesError

SHOWN = 25  # problems spelled out in the one-line message; all are kept on the error


@dataclass(frozen=True)
class Problem:
    file: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    expected: str | None = None

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        text = (", ".join(where) + ": " if where else "") + self.message
        return text + (f" (expected {self.expected})" if self.expected else "")


class ImportProblems(VisesError):
    """An import file has problems: nothing was imported; every problem is listed."""

    def __init__(self, file: str, problems: list[Problem]):
        self.file = file
        self.problems = problems
        shown = "; ".join(str(p) for p in problems[:SHOWN])
        more = f"; and {len(problems) - SHOWN} more" if len(problems) > SHOWN else ""
        super().__init__(f"{file}: nothing was imported, {len(problems)} problem(s) to fix: "
                         f"{shown}{more}")


@dataclass
class Collector:
    """Gathers problems of one file; `raise_if_any` ends the import when there are some."""

    file: str
    problems: list[Problem] = field(default_factory=list)

    def add(self, message: str, sheet: str | None = None, row: int | None = None,
            column: str | None = None, expected: str | None = None) -> None:
        self.problems.append(Problem(self.file, message, sheet, row, column, expected))

    def raise_if_any(self) -> None:
        if self.problems:
            raise ImportProblems(self.file, self.problems)

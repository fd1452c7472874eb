"""Hand-written XLSForms and workbooks, written with openpyxl as a person saves them.

`xlsform(path, survey, choices, settings)` writes the three sheets pyxform reads: the
survey's rows and the choices' rows (each a heading row first) and the settings as
`{column: value}`. `workbook(path, {title: rows})` writes any workbook (a roster, an
export): one sheet a title, in order, each row as typed (text stays text, a number a
number cell).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import openpyxl

Rows = Iterable[Sequence[Any]]


def workbook(path: Path, sheets: Mapping[str, Rows]) -> Path:
    """A workbook at `path` holding `sheets` (title -> rows), the first one active."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path


def xlsform(path: Path, survey: Rows, choices: Rows | None = None,
            settings: Mapping[str, Any] | None = None) -> Path:
    """An XLSForm at `path`: its `survey` rows, its `choices` rows (no sheet when None)
    and its `settings` (no sheet when None), each sheet's heading row first."""
    sheets: dict[str, Rows] = {"survey": survey}
    if choices is not None:
        sheets["choices"] = choices
    if settings is not None:
        sheets["settings"] = [list(settings), list(settings.values())]
    return workbook(path, sheets)

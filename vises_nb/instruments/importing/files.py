"""Read an export file into sheets of text cells, whatever tool and encoding produced it.

The content decides how a file is read, not its extension, and a mismatch is reported:
an .xlsx that is really a CSV (or a truncated download) must not be half-read. Text
files may be UTF-8 (with or without BOM) or Windows-1252, separated by `;`, `,` or tabs.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from vises_nb.errors import Message
from vises_nb.instruments.importing.problems import Collector

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
TEXT_EXTENSIONS = {".csv", ".txt", ".tsv"}
SHEET_EXTENSIONS = {".xlsx", ".xlsm"}


@dataclass
class Sheet:
    """One table of an export: headers and rows of text ('' for an empty cell)."""

    file: str
    name: str | None  # None for a CSV file
    headers: list[str]
    rows: list[list[str]]

    def row_number(self, index: int) -> int:
        """Spreadsheet row number of data row `index` (the header is row 1)."""
        return index + 2


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def decode(data: bytes, name: str, problems: Collector) -> str | None:
    """UTF-8 (BOM or not), else Windows-1252; None (and a problem) when neither fits."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        problems.add("err.file.utf16", expected="err.file.expect_csv")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        problems.add("err.file.undecodable", expected="err.file.expect_csv",
                     byte=f"0x{data[utf8_error.start]:02x}", position=utf8_error.start)
        return None
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\r\n\t")
    if controls > 0:
        problems.add("err.file.control_characters", expected="err.file.expect_csv")
        return None
    return text


def _delimiter(text: str) -> str:
    """The separator giving the most columns on the header line (`;`, `,` or tab)."""
    first = text.split("\n", 1)[0]
    best, width = ",", 0
    for candidate in (";", ",", "\t"):
        try:
            columns = len(next(csv.reader([first], delimiter=candidate)))
        except (csv.Error, StopIteration):
            continue
        if columns > width:
            best, width = candidate, columns
    return best


def read_csv_text(text: str, name: str, problems: Collector) -> list[Sheet]:
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    except csv.Error as exc:
        problems.add("err.file.bad_csv", expected="err.file.expect_csv_export", detail=exc)
        return []
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        problems.add("err.file.empty", expected="err.file.expect_rows")
        return []
    headers = [h.strip() for h in rows[0]]
    body = [[c.strip() for c in r] + [""] * (len(headers) - len(r)) for r in rows[1:]]
    for index, row in enumerate(body):
        if len(row) > len(headers) and any(row[len(headers):]):
            problems.add("err.file.cells", row=index + 2, expected="err.file.expect_cells",
                         cells=len(row), headers=len(headers))
    return [Sheet(name, None, headers, [r[:len(headers)] for r in body])]


def read_xlsx(data: bytes, name: str, problems: Collector) -> list[Sheet]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl, zipfile, zlib, XML parsers each raise
        # their own errors on a damaged workbook; any of them means "damaged or truncated"
        problems.add("err.file.damaged_xlsx", expected="err.file.expect_xlsx",
                     detail=f"{type(exc).__name__}: {exc}")
        return []
    sheets = []
    try:
        for ws in book.worksheets:
            rows = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
            rows = [r for r in rows if any(r)]
            if not rows:
                continue
            headers = rows[0]
            while headers and headers[-1] == "":
                headers = headers[:-1]
            body = [(r + [""] * len(headers))[:len(headers)] for r in rows[1:]]
            sheets.append(Sheet(name, ws.title, headers, body))
    except Exception as exc:  # noqa: BLE001 - as above, while reading the sheets
        problems.add("err.file.damaged_xlsx", expected="err.file.expect_xlsx",
                     detail=f"{type(exc).__name__}: {exc}")
        return []
    finally:
        book.close()
    if not sheets:
        problems.add("err.file.no_data", expected="err.file.expect_rows")
    return sheets


def read_sheets(path: Path, problems: Collector) -> list[Sheet]:
    """Every table of an export file; problems (and []) when it cannot be read."""
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.add("err.file.unreadable", expected="err.file.expect_readable",
                     detail=exc.strerror)
        return []
    if not data.strip():
        problems.add("err.file.empty", expected="err.file.expect_rows")
        return []
    suffix = path.suffix.lower()
    if data.startswith(ZIP_MAGIC):
        if suffix in TEXT_EXTENSIONS:
            problems.add("err.file.named_text_is_xlsx", suffix=suffix,
                         expected=Message("err.file.expect_text_or_rename", suffix=suffix))
            return []
        return read_xlsx(data, name, problems)
    if data.startswith(OLE_MAGIC):
        problems.add("err.file.old_xls", expected="err.file.expect_xlsx_or_csv")
        return []
    if suffix in SHEET_EXTENSIONS or suffix == ".xls":
        problems.add("err.file.named_sheet_not_sheet", suffix=suffix,
                     expected=Message("err.file.expect_real_sheet", suffix=suffix))
        return []
    text = decode(data, name, problems)
    if text is None:
        return []
    return read_csv_text(text, name, problems)

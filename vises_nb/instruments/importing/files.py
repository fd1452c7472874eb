"""Read an export file into sheets of text cells, whatever tool and encoding produced it.

The content decides how a file is read, not its extension, and a mismatch is reported:
an .xlsx that is really a CSV (or a truncated download) must not be half-read. Text
files may be UTF-8 (with or without BOM), Windows-1252, Mac Roman (Excel's "CSV
(Macintosh)", rows ended by CR alone) or UTF-16 with its BOM (Excel's "Unicode Text"),
separated by `;`, `,` or tabs (a row with more fields than the header is refused: an
answer's separator not quoted); the encoding is decided on the whole file
(`decide_encoding`): a UTF-8 file with a stray byte is refused with where it is, never
read whole as Windows-1252. Workbooks are .xlsx (openpyxl) or Excel 97-2003 .xls
(xlrd); a sheet hidden in the workbook is left out (and named) when another holds data,
merged cells are refused (only their first cell holds a value), a number cell formatted
as a percentage is marked (`PercentCell`: 0.85 shown as 85 % is not 85); an .ods is
refused saying how to save it. Files are streamed
and refused early beyond the limits of `limits`. Every cell is cleaned like the model's
text (`vises_nb.text.clean`); a NUL is refused.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from vises_nb.errors import Message, file_system_error
from vises_nb.instruments import limits
from vises_nb.instruments.importing.problems import Collector
from vises_nb.text import clean, has_nul

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
    # the file's own row number of each of `rows` (blank rows are dropped, so data row k
    # is not always row k + 2: a message must point where the spreadsheet shows it)
    numbers: list[int] = field(default_factory=list)
    header_row: int = 1  # the row the headings are on (blank rows above are dropped)
    # a CSV's unquoted cells that began with a space after the separator (`bien, merci`):
    # (file row number, column index) -> what to say if that cell does not fit its
    # question (the end of the answer before it, cut by a separator not quoted)
    cut_answers: dict[tuple[int, int], Message] = field(default_factory=dict)
    # sheets of the workbook hidden in it and left out (named in the import report)
    hidden_sheets: tuple[str, ...] = ()

    def row_number(self, index: int) -> int:
        """Spreadsheet row number of data row `index` (as the file numbers it)."""
        if index < len(self.numbers):
            return self.numbers[index]
        return index + 2


class NumberCell(str):
    """A workbook's number cell, as text (`1.234` for the float 1.234). It was typed into a
    number, not written with a decimal or a thousands separator: it is never ambiguous
    and says nothing about how the file's text cells write their numbers
    (`values.separators`, `values.convert`, the roster's numbers)."""


def is_number_cell(cell: object) -> bool:
    return isinstance(cell, NumberCell)


class PercentCell(NumberCell):
    """A workbook's number cell formatted as a percentage: `0.85` shown as `85 %`. Whether
    85 or 0.85 was meant the cell cannot say (`values.convert` refuses it in a number)."""

    def shown(self) -> str:
        return f"{round(float(self) * 100, 10):g} %"


def is_percent_cell(cell: object) -> bool:
    return isinstance(cell, PercentCell)


class Number1904Cell(NumberCell):
    """A number cell of a workbook counting its dates from 1904-01-01 (Excel for Mac
    before 2011): a bare date serial in it is 1,462 days later than in the 1900 system."""


def counts_from_1904(cell: object) -> bool:
    return isinstance(cell, Number1904Cell)


class _Percent(float):
    """A number read from a cell formatted as a percentage (becomes a `PercentCell`)."""


def _cell_text(value: object, mac_1904: bool = False) -> str:
    """A workbook cell's value as text (`mac_1904`: the workbook counts dates from 1904)."""
    if value is None:
        return ""
    if isinstance(value, _Percent):
        return PercentCell(str(int(value)) if value.is_integer() else repr(float(value)))
    if isinstance(value, bool):
        return "1" if value else "0"
    number = Number1904Cell if mac_1904 else NumberCell
    if isinstance(value, float):
        return number(str(int(value)) if value.is_integer() else repr(value))
    if isinstance(value, int):
        return number(str(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}")
CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
# a byte Windows-1252 reads as a symbol (‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Ž • ˜ ™ €) but an older code
# page as a letter (code page 850, Excel's "CSV (MS-DOS)": é is 0x82; Mac Roman: é is
# 0x8E), between two letters: not Windows-1252 text (its quotes, dashes, œ and Ÿ are
# left out: `l’œuvre`, `Saint–Gilles`, `L’HAŸ` are what it holds)
CP1252_UNLIKELY = re.compile(rb"[A-Za-z][\x80\x82-\x8b\x8e\x95\x98\x99][A-Za-z]")
BLOCK = 1 << 20


class TooBig(Exception):
    """A limit of `limits` is passed: the problem is recorded, reading stops."""


def _too_big(problems: Collector, what: Message, limit: int, sheet: str | None = None,
             row: int | None = None) -> TooBig:
    problems.add(Message("err.file.too_big", what=what,
                         limit=f"{limit:,}".replace(",", " ")),
                 sheet=sheet, row=row, expected="err.file.expect_smaller")
    return TooBig(what.key)


def decide_encoding(path: Path, problems: Collector) -> str | None:
    """The file's encoding, decided on the whole file in one streaming pass: UTF-16 when it
    begins with its BOM (Excel's "Unicode Text"); UTF-8 (BOM or not) when all of it is
    UTF-8; when none of it is (no UTF-8 sequence at all: a file saved by an old
    spreadsheet program), Mac Roman if its rows end with CR alone (Excel's "CSV
    (Macintosh)"), else Windows-1252 unless a byte is a letter only in an older code page
    (`CP1252_UNLIKELY`, or undefined in Windows-1252); else None and a problem saying
    where (byte, line) and to save it again as UTF-8. A NUL anywhere is refused."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    offset, line = 0, 1
    bad: tuple[int, int, int] | None = None  # byte value, position, line
    odd: tuple[int, int, int] | None = None  # the first byte Windows-1252 cannot mean
    utf8_sequences = False
    lone_returns = feeds = 0  # CR not followed by LF, LF
    with path.open("rb") as handle:
        while block := handle.read(BLOCK):
            if offset == 0 and block.startswith((b"\xff\xfe", b"\xfe\xff")):
                return "utf-16"  # Excel's "Unicode Text": UTF-16 with its BOM
            if offset == 0 and b"\x00" in block[:4096]:
                problems.add("err.file.utf16", expected="err.file.expect_csv")
                return None
            nul = block.find(b"\x00")
            if nul >= 0:
                problems.add("err.file.nul", expected="err.file.expect_csv",
                             position=offset + nul, line=line + block.count(b"\n", 0, nul))
                return None
            if bad is None:
                pending = len(decoder.getstate()[0])
                try:
                    decoder.decode(block)
                except UnicodeDecodeError as exc:
                    at = max(exc.start - pending, 0)
                    bad = (block[at], offset + at, line + block.count(b"\n", 0, at))
            utf8_sequences = utf8_sequences or UTF8_SEQUENCE.search(block) is not None
            if odd is None:
                found = [(m.start(), 0) for m in [CP1252_UNDEFINED.search(block)] if m] + \
                    [(m.start(), 1) for m in [CP1252_UNLIKELY.search(block)] if m]
                if found:
                    at = sum(min(found))  # the byte itself (after the letter before it)
                    odd = (block[at], offset + at, line + block.count(b"\n", 0, at))
            line += block.count(b"\n")
            lone_returns += block.count(b"\r") - block.count(b"\r\n")
            feeds += block.count(b"\n")
            offset += len(block)
    if bad is None:
        try:
            decoder.decode(b"", final=True)
            return "utf-8-sig"
        except UnicodeDecodeError:
            bad = (0, offset, line)  # cut in the middle of a character
    byte, position, at_line = bad
    if not utf8_sequences and lone_returns > feeds:
        # rows ended by CR alone: Excel's "CSV (Macintosh)", in Mac Roman (é is 0x8E,
        # which Windows-1252 reads as Ž); LFs, if any, are line breaks inside cells
        return "mac_roman"
    if utf8_sequences:
        problems.add("err.file.mixed_encoding", expected="err.file.expect_utf8",
                     byte=f"0x{byte:02x}", position=position, line=at_line)
        return None
    if odd is not None:
        byte, position, at_line = odd
        problems.add("err.file.unknown_encoding", expected="err.file.expect_utf8",
                     byte=f"0x{byte:02x}", position=position, line=at_line)
        return None
    return "cp1252"


def _delimiter(first: str) -> str:
    """The separator giving the most columns on the header line (`;`, `,` or tab)."""
    best, width = ",", 0
    for candidate in (";", ",", "\t"):
        try:
            columns = len(next(csv.reader([first], delimiter=candidate)))
        except (csv.Error, StopIteration):
            continue
        if columns > width:
            best, width = candidate, columns
    return best


class _Rows:
    """Rows kept under the limits; cells cleaned like the model's text; NUL refused."""

    def __init__(self, problems: Collector, sheet: str | None):
        self.problems, self.sheet = problems, sheet
        self.rows: list[list[str]] = []
        self.numbers: list[int] = []  # the file's row number of each row kept
        self.cells = 0
        self.number = 0  # the file's row number

    def too_big(self, what: Message, limit: int) -> TooBig:
        return _too_big(self.problems, what, limit, self.sheet, self.number)

    def add(self, raw: list[str], number: int | None = None) -> None:
        self.number = self.number + 1 if number is None else number
        while raw and not raw[-1]:
            raw = raw[:-1]
        if len(raw) > limits.MAX_COLUMNS:
            raise self.too_big(Message("err.file.limit.columns"), limits.MAX_COLUMNS)
        if self.number > limits.MAX_ROWS + 1:
            raise self.too_big(Message("err.file.limit.rows"), limits.MAX_ROWS)
        if not any(cell.strip() for cell in raw):
            return
        row = []
        for cell in raw:
            if len(cell) > limits.MAX_CELL_CHARS:
                raise self.too_big(Message("err.file.limit.cell"), limits.MAX_CELL_CHARS)
            # a number cell's text has nothing to clean, and keeps saying it is one
            row.append(cell if isinstance(cell, NumberCell) else clean(cell).strip())
        self.cells += len(row)
        if self.cells > limits.MAX_CELLS:
            raise self.too_big(Message("err.file.limit.cells"), limits.MAX_CELLS)
        if any(has_nul(cell) for cell in row):
            self.problems.add("err.file.nul_cell", sheet=self.sheet, row=self.number,
                              expected="err.file.expect_csv")
            return
        self.rows.append(row)
        self.numbers.append(self.number)


def _first_filled_line(handle, lines: int = 1000) -> str:
    """The first line holding something (the headings): a blank line above them (a title
    row deleted) must not decide the separator of a `;` file."""
    for _ in range(lines):
        line = handle.readline(64 * 1024)
        if not line or line.strip():
            return line
    return ""


def _lines(handle, delimiter: str, problems: Collector):
    """The file's lines, refusing one with far too many separators before csv splits it."""
    for line in handle:
        if line.count(delimiter) > 10 * limits.MAX_COLUMNS:
            raise _too_big(problems, Message("err.file.limit.columns"), limits.MAX_COLUMNS)
        yield line


def read_csv(path: Path, encoding: str, problems: Collector) -> list[Sheet]:
    name = path.name
    rows = _Rows(problems, None)
    try:
        with path.open(encoding=encoding, newline="") as handle:
            delimiter = _delimiter(_first_filled_line(handle))
            handle.seek(0)
            width = 0  # the header's fields
            cut: dict[tuple[int, int], Message] = {}
            for raw in csv.reader(_lines(handle, delimiter, problems), delimiter=delimiter):
                rows.add(raw)
                if not width:
                    width = len(raw) if rows.rows else 0
                elif len(raw) > width and any(cell.strip() for cell in raw):
                    _shifted(problems, rows.number, len(raw), width, delimiter)
                elif delimiter != "\t":
                    cut.update(_cut_answers(raw, rows.number, delimiter))
    except TooBig:
        return []
    except UnicodeDecodeError as exc:  # a UTF-16 file cut in the middle of a character
        problems.add("err.file.bad_utf16", expected="err.file.expect_csv",
                     position=exc.start)
        return []
    except csv.Error as exc:
        if str(exc).startswith("field larger than field limit"):
            # csv's own limit (131,072) is far beyond a cell's (32,767): the same refusal,
            # at the record being read, not csv's English words
            rows.number += 1
            rows.too_big(Message("err.file.limit.cell"), limits.MAX_CELL_CHARS)
            return []
        problems.add("err.file.bad_csv", expected="err.file.expect_csv_export", detail=exc)
        return []
    if not rows.rows:
        if not problems.problems:
            problems.add("err.file.empty", expected="err.file.expect_rows")
        return []
    headers = rows.rows[0]
    body = [r + [""] * (len(headers) - len(r)) for r in rows.rows[1:]]
    # a row with more fields than the header is refused as it is read (`_shifted`)
    return [Sheet(name, None, headers, [r[:len(headers)] for r in body], rows.numbers[1:],
                  rows.numbers[0], cut)]


def _cut_answers(raw: list[str], number: int, delimiter: str
                 ) -> dict[tuple[int, int], Message]:
    """A row with no more fields than the header may still hold an answer cut by its
    separator (`bien, merci` not quoted, the row's last answers empty or left out): every
    answer after it sits one column on, undetectable while each fits its question. A
    cell after the separator that begins with a space (` merci`) is the likely cut end:
    if it does not fit its question (a word in a number question), the message says so."""
    return {(number, index): Message("err.import.expect_uncut_answer", separator=delimiter,
                                     before=clean(raw[index - 1]).strip()[-40:],
                                     after=clean(cell).strip()[:40])
            for index, cell in enumerate(raw)
            if index and cell[:1] == " " and cell.strip() and raw[index - 1].strip()}


def _shifted(problems: Collector, row: int, fields: int, width: int, delimiter: str) -> None:
    """A row with more fields than the header: a separator inside an answer not quoted
    (`bien, merci`) moved every answer after it one column on, empty last cells or not.
    Refused where it is. A row with fewer fields is read with its last cells empty: ODK
    Central leaves out a row's empty last fields."""
    shown: str | Message = Message("err.file.tab") if delimiter == "\t" else delimiter
    problems.add(Message("err.file.row_fields", fields=fields, headers=width,
                         separator=shown), row=row,
                 expected=Message("err.file.expect_row_fields", separator=shown))


def workbook_within_limits(path: Path, problems: Collector) -> bool:
    """Refuse a workbook whose parts unpack beyond the limits, before parsing any."""
    try:
        excess = limits.workbook_excess(path)
    except (zipfile.BadZipFile, OSError) as exc:
        problems.add("err.file.damaged_xlsx", expected="err.file.expect_xlsx",
                     detail=f"{type(exc).__name__}: {exc}")
        return False
    if excess is not None:
        _too_big(problems, *excess)
        return False
    return True


def _sheet_rows(ws, rows: _Rows, merged: list[str]):
    """(row number, values) of the rows that hold something, whatever the sheet declares
    (or not) as its dimension: openpyxl's own `iter_rows` pads every row to the declared
    or widest column and fills the gaps between rows, so one cell in column XFD or row
    1,048,576 costs gigabytes; here a value beyond the limits is refused as soon as it
    is parsed, and empty cells and rows cost nothing. A number in a cell formatted as a
    percentage comes as `_Percent`; once the sheet is read, `merged` holds its merged
    ranges (`A1:B1`)."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
    from openpyxl.worksheet._reader import WorkSheetParser

    book = ws.parent
    percent: dict[int, bool] = {}  # style id -> whether its number format is a percentage

    def is_percent(style_id: int) -> bool:
        if style_id not in percent:
            try:
                number_format = book._cell_styles[style_id].numFmtId
                shown = BUILTIN_FORMATS.get(number_format, "General") \
                    if number_format < BUILTIN_FORMATS_MAX_SIZE else \
                    book._number_formats[number_format - BUILTIN_FORMATS_MAX_SIZE]
            except (IndexError, AttributeError):
                shown = "General"
            percent[style_id] = "%" in re.sub(r'"[^"]*"|\\.', "", shown)
        return percent[style_id]

    with ws._get_source() as source:
        # formulas as formulas (`data_only=False`), whatever the workbook was opened with:
        # a formula's cached result is no one's answer, and openpyxl-saved files have none
        parser = WorkSheetParser(source, ws._shared_strings, data_only=False,
                                 epoch=book.epoch, date_formats=book._date_formats,
                                 timedelta_formats=book._timedelta_formats)
        for number, cells in parser.parse():
            used = [c for c in cells if c["value"] is not None and c["value"] != ""]
            if not used:
                continue
            width = max(c["column"] for c in used)
            if width > limits.MAX_COLUMNS:
                rows.number = number
                raise rows.too_big(Message("err.file.limit.columns"), limits.MAX_COLUMNS)
            values: list[object] = [None] * width
            for cell in used:
                value = cell["value"]
                if cell["data_type"] == "f":
                    value = Formula(value if isinstance(value, str) else "=?")
                elif cell["data_type"] == "e":
                    value = ErrorValue(value)
                elif cell["data_type"] == "n" and isinstance(value, int | float) and \
                        not isinstance(value, bool) and cell["style_id"] and \
                        is_percent(cell["style_id"]):
                    value = _Percent(value)
                values[cell["column"] - 1] = value
            yield number, values
        if parser.merged_cells is not None:
            merged.extend(str(c.ref) for c in parser.merged_cells.mergeCell)


class Formula(str):
    """A cell holding a formula (its text, `=...`): refused, never evaluated."""


class ErrorValue(str):
    """A cell holding one of Excel's errors (`#N/A`, `#REF!`...) as its value (a formula's
    result pasted as values): no one's answer, refused."""


def _formulas(values: list[object], headers: list[str] | None, number: int, sheet: str,
              problems: Collector) -> list[object]:
    """`values` with each formula and Excel error reported (where, and its text) and left
    empty."""
    from openpyxl.utils import get_column_letter

    out = []
    for position, value in enumerate(values):
        if isinstance(value, Formula | ErrorValue):
            column = headers[position] if headers and position < len(headers) and \
                headers[position] else get_column_letter(position + 1)
            if isinstance(value, ErrorValue):
                problems.add("err.file.error_cell", sheet=sheet, row=number, column=column,
                             expected="err.file.expect_error_fixed", error=str(value)[:20])
            else:
                problems.add("err.file.formula", sheet=sheet, row=number, column=column,
                             expected="err.file.expect_values", formula=str(value)[:80])
            value = None
        out.append(value)
    return out


def _merged_problems(merged: list[str], rows: _Rows, sheet: str,
                     problems: Collector) -> None:
    """Merged cells on the headings' row or below: only a merge's first cell holds its
    value, so the others read empty (a heading missing, an answer lost). Refused, named."""
    from openpyxl.utils import range_boundaries

    if not rows.rows:
        return
    for ref in merged:
        try:
            _, _, _, last_row = range_boundaries(ref)
        except (ValueError, TypeError):
            continue
        if last_row is not None and last_row >= rows.numbers[0]:
            problems.add("err.file.merged", sheet=sheet, cells=ref,
                         expected="err.file.expect_unmerged")


def _visible(read: list[tuple[Sheet, bool]]) -> list[Sheet]:
    """The sheets to import: a sheet hidden in the workbook (the lists behind drop-downs,
    an old copy) is left out and named on the first sheet kept, unless no visible sheet
    holds anything (then the hidden ones are what was meant)."""
    shown = [sheet for sheet, hidden in read if not hidden]
    hidden = tuple(sheet.name or "" for sheet, is_hidden in read if is_hidden)
    if not shown or not hidden:
        return [sheet for sheet, _ in read]
    shown[0] = replace(shown[0], hidden_sheets=hidden)
    return shown


def read_xlsx(path: Path, problems: Collector) -> list[Sheet]:
    import openpyxl

    name = path.name
    if not workbook_within_limits(path, problems):
        return []
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl, zipfile, zlib, XML parsers each raise
        # their own errors on a damaged workbook; any of them means "damaged or truncated"
        problems.add("err.file.damaged_xlsx", expected="err.file.expect_xlsx",
                     detail=f"{type(exc).__name__}: {exc}")
        return []
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    mac_1904 = book.epoch == CALENDAR_MAC_1904
    read: list[tuple[Sheet, bool]] = []
    cells = 0
    try:
        for ws in book.worksheets:
            rows = _Rows(problems, ws.title)
            rows.cells = cells
            merged: list[str] = []
            for number, values in _sheet_rows(ws, rows, merged):
                values = _formulas(values, rows.rows[0] if rows.rows else None, number,
                                   ws.title, problems)
                rows.add([_cell_text(v, mac_1904) for v in values], number)
            cells = rows.cells
            if not rows.rows:
                continue
            _merged_problems(merged, rows, ws.title, problems)
            read.append((_sheet(name, ws.title, rows),
                         getattr(ws, "sheet_state", "visible") != "visible"))
    except TooBig:
        return []
    except Exception as exc:  # noqa: BLE001 - as above, while reading the sheets
        problems.add("err.file.damaged_xlsx", expected="err.file.expect_xlsx",
                     detail=f"{type(exc).__name__}: {exc}")
        return []
    finally:
        book.close()
    if not read and not problems.problems:
        problems.add("err.file.no_data", expected="err.file.expect_rows")
    return _visible(read)


def _sheet(file: str, title: str, rows: _Rows) -> Sheet:
    headers = rows.rows[0]
    body = [(r + [""] * len(headers))[:len(headers)] for r in rows.rows[1:]]
    return Sheet(file, title, headers, body, rows.numbers[1:], rows.numbers[0])


def read_xls(path: Path, problems: Collector) -> list[Sheet]:
    """An Excel 97-2003 workbook (.xls, which KoboToolbox still offers), read with xlrd
    (already needed by pyxform for .xls forms) into the same cells as an .xlsx: numbers
    as `NumberCell`, dates as ISO text, booleans as 1/0, percentages marked; hidden
    sheets and merged cells as in `read_xlsx`. An .xls keeps no formula text xlrd reads:
    a formula's last result is read as the cell's value."""
    import xlrd

    name = path.name
    try:
        book = xlrd.open_workbook(path, formatting_info=True, on_demand=True)
    except Exception as exc:  # noqa: BLE001 - xlrd raises its own and struct/OLE errors
        # on a damaged, encrypted or non-Excel compound file
        problems.add("err.file.damaged_xls", expected="err.file.expect_xlsx_or_csv",
                     detail=f"{type(exc).__name__}: {exc}")
        return []
    percent = {index: "%" in re.sub(r'"[^"]*"|\\.', "", book.format_map[xf.format_key]
                                   .format_str)
               for index, xf in enumerate(book.xf_list) if xf.format_key in book.format_map}
    read: list[tuple[Sheet, bool]] = []
    cells = 0
    try:
        for position in range(book.nsheets):
            ws = book.sheet_by_index(position)
            rows = _Rows(problems, ws.name)
            rows.cells = cells
            if ws.ncols > limits.MAX_COLUMNS:
                raise rows.too_big(Message("err.file.limit.columns"), limits.MAX_COLUMNS)
            for index in range(ws.nrows):
                values: list[object] = []
                for column, cell in enumerate(ws.row(index)):
                    value: object = None
                    if cell.ctype == xlrd.XL_CELL_TEXT:
                        value = cell.value
                    elif cell.ctype == xlrd.XL_CELL_NUMBER:
                        value = _Percent(cell.value) if percent.get(
                            ws.cell_xf_index(index, column)) else cell.value
                    elif cell.ctype == xlrd.XL_CELL_DATE:
                        value = xlrd.xldate_as_datetime(cell.value, book.datemode)
                    elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                        value = bool(cell.value)
                    elif cell.ctype == xlrd.XL_CELL_ERROR:
                        value = ErrorValue(xlrd.error_text_from_code.get(cell.value, "#?"))
                    values.append(value)
                values = _formulas(values, rows.rows[0] if rows.rows else None, index + 1,
                                   ws.name, problems)
                rows.add([_cell_text(v, book.datemode == 1) for v in values], index + 1)
            cells = rows.cells
            if rows.rows:
                from openpyxl.utils import get_column_letter
                merged = [f"{get_column_letter(c0 + 1)}{r0 + 1}:{get_column_letter(c1)}{r1}"
                          for r0, r1, c0, c1 in ws.merged_cells]
                _merged_problems(merged, rows, ws.name, problems)
                read.append((_sheet(name, ws.name, rows), ws.visibility != 0))
            book.unload_sheet(position)
    except TooBig:
        return []
    except Exception as exc:  # noqa: BLE001 - as above, while reading the sheets
        problems.add("err.file.damaged_xls", expected="err.file.expect_xlsx_or_csv",
                     detail=f"{type(exc).__name__}: {exc}")
        return []
    finally:
        book.release_resources()
    if not read and not problems.problems:
        problems.add("err.file.no_data", expected="err.file.expect_rows")
    return _visible(read)


def is_ods(data: bytes) -> bool:
    """An OpenDocument spreadsheet (LibreOffice's .ods): a zip whose first entry,
    `mimetype`, names it."""
    return b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet" in data[:200]


def read_sheets(path: Path, problems: Collector) -> list[Sheet]:
    """Every table of an export file; problems (and []) when it cannot be read."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            data = handle.read(4096)
    except OSError as exc:
        problems.add("err.file.unreadable", expected="err.file.expect_readable",
                     detail=file_system_error(exc).values["problem"])  # in the reader's words
        return []
    if size > limits.MAX_BYTES:
        _too_big(problems, Message("err.file.limit.bytes"), limits.MAX_BYTES // limits.MiB)
        return []
    if not data.strip() and size <= len(data):
        problems.add("err.file.empty", expected="err.file.expect_rows")
        return []
    suffix = path.suffix.lower()
    if data.startswith(ZIP_MAGIC):
        if suffix in TEXT_EXTENSIONS:
            problems.add("err.file.named_text_is_xlsx", suffix=suffix,
                         expected=Message("err.file.expect_text_or_rename", suffix=suffix))
            return []
        if is_ods(data):
            problems.add("err.file.ods", expected="err.file.expect_xlsx_from_ods")
            return []
        return read_xlsx(path, problems)
    if data.startswith(OLE_MAGIC):
        return read_xls(path, problems)
    if suffix in SHEET_EXTENSIONS or suffix == ".xls":
        problems.add("err.file.named_sheet_not_sheet", suffix=suffix,
                     expected=Message("err.file.expect_real_sheet", suffix=suffix))
        return []
    encoding = decide_encoding(path, problems)
    if encoding is None:
        return []
    return read_csv(path, encoding, problems)

"""Hostile import files, generated on disk without holding them in memory, and a measure
of what reading one costs (in a fresh process: time, allocation peak, resident peak).

Used by tests/test_import_limits.py and benchmarks/import_limits.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl

SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              '{dimension}<sheetData>')
SHEET_TAIL = "</sheetData></worksheet>"


def _workbook_with_sheet(path: Path, rows, dimension: str = "") -> Path:
    """An .xlsx made by openpyxl whose sheet XML is replaced by `rows` (strings of
    `<row>` elements, streamed into the archive)."""
    seed = path.with_suffix(".seed.xlsx")
    book = openpyxl.Workbook()
    book.active.append(["respondent_code", "wave"])
    book.save(seed)
    with zipfile.ZipFile(seed) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                with dst.open(info.filename, "w") as out:
                    out.write(SHEET_HEAD.format(dimension=dimension).encode())
                    for chunk in rows:
                        out.write(chunk.encode())
                    out.write(SHEET_TAIL.encode())
            else:
                dst.writestr(info, src.read(info.filename))
    seed.unlink()
    return path


def _header() -> str:
    return ('<row r="1"><c r="A1" t="inlineStr"><is><t>respondent_code</t></is></c>'
            '<c r="B1" t="inlineStr"><is><t>wave</t></is></c></row>')


def xlsx_wide_rows(path: Path, rows: int, declared: bool = False) -> Path:
    """Every row has a cell in column XFD (the last one), the sheet declares no dimension
    (or, with `declared`, A1:XFD1048576): what took 64 s and 2.4 GB from 311 KB."""
    def chunks():
        yield _header()
        for r in range(2, rows + 2):
            yield (f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>R{r}</t></is></c>'
                   f'<c r="XFD{r}"><v>1</v></c></row>')
    dimension = '<dimension ref="A1:XFD1048576"/>' if declared else ""
    return _workbook_with_sheet(path, chunks(), dimension)


def xlsx_far_row(path: Path) -> Path:
    """A header, then one cell in the sheet's very last row, no dimension declared."""
    def chunks():
        yield _header()
        yield '<row r="1048576"><c r="A1048576"><v>1</v></c></row>'
    return _workbook_with_sheet(path, chunks())


def xlsx_bomb(path: Path, megabytes: int) -> Path:
    """A few hundred KB that unpack to `megabytes` of repeated empty rows' cells."""
    cell = '<c r="B2" s="0"/>' * 1000
    row = f'<row r="2">{cell}</row>'
    count = megabytes * (1 << 20) // len(row)
    return _workbook_with_sheet(path, (row for _ in range(count)))


def csv_rows(path: Path, megabytes: float, columns: int = 10) -> Path:
    """A well-formed CSV of about `megabytes`, short cells (the costliest per byte)."""
    header = ";".join(["respondent_code", *(f"q{k}" for k in range(columns - 1))]) + "\n"
    target = int(megabytes * (1 << 20))
    with path.open("w", encoding="utf-8") as out:
        out.write(header)
        written, number = len(header), 0
        while written < target:
            number += 1
            line = f"R{number};" + ";".join(str(k % 5) for k in range(columns - 1)) + "\n"
            out.write(line)
            written += len(line)
    return path


def csv_one_line(path: Path, megabytes: float) -> Path:
    """One header line of `megabytes` separators: millions of columns."""
    with path.open("w", encoding="utf-8") as out:
        out.write("respondent_code")
        for _ in range(int(megabytes * 1024)):
            out.write(";" * 1024)
        out.write("\nR1\n")
    return path


def sparse(path: Path, megabytes: int) -> Path:
    """A CSV file of `megabytes` that takes no disk space (a hole): the size limit must
    refuse it before reading."""
    with path.open("wb") as out:
        out.write(b"respondent_code;wave\n")
        out.truncate(megabytes << 20)
    return path


MEASURE = """
import json, resource, sys, time, tracemalloc
from pathlib import Path
from vises_nb.instruments.importing.files import read_sheets
from vises_nb.instruments.importing.problems import Collector
import openpyxl  # imported before measuring: a library's import is not the file's cost
path = Path(sys.argv[1])
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if sys.argv[2] == "trace":
    tracemalloc.start()
start = time.perf_counter()
problems = Collector(path.name)
sheets = read_sheets(path, problems)
seconds = time.perf_counter() - start
peak = tracemalloc.get_traced_memory()[1] if sys.argv[2] == "trace" else None
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "peak": peak, "rss_growth": (after - before) * 1024,
                  "rss": after * 1024, "rows": sum(len(s.rows) for s in sheets),
                  "problems": [p.text("en") for p in problems.problems]}))
"""


def measure(path: Path, trace: bool = True, timeout: float = 600) -> dict:
    """Read `path` as an import does, in a fresh process; what it cost and what it said.
    `trace`: Python allocations' peak (tracemalloc, slower); else resident memory only."""
    done = subprocess.run([sys.executable, "-c", MEASURE, str(path),
                           "trace" if trace else "rss"],
                          capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return json.loads(done.stdout)

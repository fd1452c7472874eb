"""What reading an import file costs, hostile or at the limits (issue 14, item 6).

Generates each file in a temporary folder and reads it as `vises import` does, in a fresh
process: seconds, the Python allocation peak (tracemalloc, in its own run) and the growth
of resident memory (ru_maxrss, without tracemalloc). Before the limits, the review
measured: 311 KB XLSX without dimension 64 s / 2.4 GB; 20 MB CSV 75 s / 2.8 GB; 200 MB
CSV past 7 GB.

    .venv/bin/python benchmarks/import_limits.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from hostile import (
    _header,
    _workbook_with_sheet,
    csv_one_line,
    csv_rows,
    measure,
    sparse,
    xlsx_bomb,
    xlsx_far_row,
    xlsx_wide_rows,
)

MiB = 1 << 20


def xlsx_at_limit(path: Path, rows: int, columns: int) -> Path:
    letters = [chr(65 + k // 26 - 1) + chr(65 + k % 26) if k >= 26 else chr(65 + k)
               for k in range(columns)]

    def chunks():
        yield _header()
        for r in range(2, rows + 2):
            yield f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><v>{(r + k) % 5}</v></c>'
                                             for k, c in enumerate(letters)) + "</row>"
    return _workbook_with_sheet(path, chunks())


CASES = {
    "xlsx 20k rows, cell in XFD, no dimension": lambda d: xlsx_wide_rows(d / "a.xlsx", 20_000),
    "xlsx 20k rows, dimension A1:XFD1048576": lambda d: xlsx_wide_rows(d / "b.xlsx", 20_000,
                                                                       declared=True),
    "xlsx one cell in row 1048576": lambda d: xlsx_far_row(d / "c.xlsx"),
    "xlsx unpacking to 200 MiB": lambda d: xlsx_bomb(d / "d.xlsx", 200),
    "csv 20 MiB, short cells": lambda d: csv_rows(d / "e.csv", 20),
    "csv 45 MiB, short cells": lambda d: csv_rows(d / "f.csv", 45),
    "csv one 20 MiB line": lambda d: csv_one_line(d / "g.csv", 20),
    "csv 200 MiB": lambda d: sparse(d / "h.csv", 200),
    "csv 2.3 MiB, 10 columns (accepted)": lambda d: csv_rows(d / "i.csv", 2.3),
    "xlsx 20,000 rows x 50 columns (accepted)": lambda d: xlsx_at_limit(d / "j.xlsx", 20_000, 50),
}


def main() -> None:
    print(f"{'file':42} {'size':>9} {'seconds':>8} {'py peak':>9} {'rss +':>9} "
          f"{'peak/size':>9}  outcome")
    with tempfile.TemporaryDirectory(prefix="vises-limits-") as folder:
        for name, make in CASES.items():
            path = make(Path(folder))
            size = path.stat().st_size
            traced = measure(path, trace=True)
            plain = measure(path, trace=False)
            outcome = (f"accepted, {plain['rows']} rows" if not plain["problems"]
                       else "refused: " + plain["problems"][0].split(": ", 1)[-1][:60])
            print(f"{name:42} {size / MiB:8.1f}M {plain['seconds']:8.2f} "
                  f"{traced['peak'] / MiB:8.1f}M {plain['rss_growth'] / MiB:8.1f}M "
                  f"{traced['peak'] / size:9.2f}  {outcome}")
            path.unlink()


if __name__ == "__main__":
    main()

"""How big an import file may be, so that reading one never exhausts the machine.

An export is read inside the CLI or a dashboard's kernel; a hostile or broken file (a
workbook that unpacks to gigabytes, a sheet with a stray cell a million rows down, a CSV
of hundreds of megabytes) must be refused early, with a message naming the file and the
limit, not after minutes and gigabytes. The limits are far above any real VISES survey
(a few hundred respondents, a few hundred questions):

- a file of at most 50 MiB (checked before it is read);
- an .xlsx that unpacks to at most 256 MiB, at most 100 times its packed size, its
  shared strings to at most 32 MiB (checked before a sheet is parsed);
- at most 100,000 rows of answers, 1,000 columns and 2,000,000 cells per file;
- at most 32,767 characters in a cell (a spreadsheet program's own limit).

Files are read as streams, row by row, and refused as soon as a limit is passed. What
this bounds, measured by `benchmarks/import_limits.py` on hostile files: the memory a
read allocates stays under 10 times the file's size plus 64 MiB, and under 1 GiB.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from vises_nb.errors import Message

MiB = 1 << 20

MAX_BYTES = 50 * MiB
MAX_UNPACKED = 256 * MiB
MAX_RATIO = 100
MAX_SHARED_STRINGS = 32 * MiB
MAX_ROWS = 100_000
MAX_COLUMNS = 1_000
MAX_CELLS = 2_000_000
MAX_CELL_CHARS = 32_767


def workbook_excess(path: Path) -> tuple[Message, int] | None:
    """What an .xlsx passes (and its limit) once unpacked, read from its directory before
    any part is parsed; None when within the limits. Raises zipfile.BadZipFile."""
    with zipfile.ZipFile(path) as archive:
        parts = archive.infolist()
    unpacked = sum(p.file_size for p in parts)
    packed = max(sum(p.compress_size for p in parts), 1)
    shared = sum(p.file_size for p in parts if p.filename.lower().endswith("sharedstrings.xml"))
    if unpacked > MAX_UNPACKED:
        return Message("err.file.limit.unpacked"), MAX_UNPACKED // MiB
    if unpacked > MAX_RATIO * packed and unpacked > MiB:
        return Message("err.file.limit.ratio"), MAX_RATIO
    if shared > MAX_SHARED_STRINGS:
        return Message("err.file.limit.shared"), MAX_SHARED_STRINGS // MiB
    return None

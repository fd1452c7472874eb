"""Issue 14, item 6: imports stream and refuse early, with bounded memory.

Hostile files are generated on disk (tests/hostile.py) and read in a fresh process whose
allocation peak is measured with tracemalloc: each is refused with a message naming the
limit and what to do, and the peak stays under the documented bound (10 times the file's
size plus 64 MiB, and under 1 GiB; `vises_nb.instruments.limits`). Before
this, a 311 KB workbook took 64 s and 2.4 GB, a 20 MB CSV 2.8 GB. Timings are in
benchmarks/import_limits.py, not here.
"""

from __future__ import annotations

import pytest
from hostile import (
    csv_one_line,
    csv_rows,
    measure,
    sparse,
    xlsx_bomb,
    xlsx_far_row,
    xlsx_wide_rows,
)

from vises_nb.instruments import limits
from vises_nb.instruments.importing import ImportProblems, import_responses
from vises_nb.instruments.importing.files import read_sheets
from vises_nb.instruments.importing.problems import Collector
from vises_nb.store.store import Store

GiB = 1 << 30
HOSTILE = {
    "xlsx, a cell in column XFD on every row, no dimension":
        (lambda p: xlsx_wide_rows(p / "wide.xlsx", 20_000), "more than 1 000 columns"),
    "xlsx, dimension A1:XFD1048576 declared":
        (lambda p: xlsx_wide_rows(p / "declared.xlsx", 20_000, declared=True),
         "more than 1 000 columns"),
    "xlsx, one cell in row 1048576":
        (lambda p: xlsx_far_row(p / "far.xlsx"), "more than 100 000 rows"),
    "xlsx, unpacks to 200 MiB":
        (lambda p: xlsx_bomb(p / "bomb.xlsx", 200), "100 times its size once unpacked"),
    "csv, 20 MiB of rows":
        (lambda p: csv_rows(p / "rows.csv", 20), "more than 100 000 rows"),
    "csv, one 20 MiB line":
        (lambda p: csv_one_line(p / "line.csv", 20), "more than 1 000 columns"),
    "csv, 200 MiB":
        (lambda p: sparse(p / "huge.csv", 200), "more than 50 MiB"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_file_is_refused_early_with_bounded_memory(case, tmp_path):
    make, message = HOSTILE[case]
    path = make(tmp_path)
    size = path.stat().st_size
    cost = measure(path)
    assert cost["rows"] == 0 and len(cost["problems"]) == 1, cost
    text = cost["problems"][0]
    assert message in text and "split the export" in text, text
    assert cost["peak"] <= min(10 * size + 64 * limits.MiB, GiB), (cost["peak"], size)


def test_the_limits_are_exact_and_a_refusal_names_file_row_and_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_ROWS", 50)
    monkeypatch.setattr(limits, "MAX_COLUMNS", 12)
    monkeypatch.setattr(limits, "MAX_CELLS", 10_000)
    path = tmp_path / "at-limit.csv"
    path.write_text("respondent_code;" + ";".join(f"q{k}" for k in range(11)) + "\n"
                    + "".join(f"R{k};" + ";".join("1" * 11) + "\n" for k in range(50)))
    sheets = read_sheets(path, Collector(path.name))
    assert len(sheets[0].rows) == 50 and len(sheets[0].headers) == 12
    with path.open("a") as more:
        more.write("R50;1\n")
    problems = Collector(path.name)
    assert read_sheets(path, problems) == []
    assert str(problems.problems[0]).startswith("row 52: the file is too big to import: "
                                                "more than 50 rows of answers")
    wide = tmp_path / "wide.csv"
    wide.write_text(";".join(f"c{k}" for k in range(13)) + "\n")
    problems = Collector(wide.name)
    assert read_sheets(wide, problems) == []
    assert "more than 12 columns" in str(problems.problems[0])
    monkeypatch.setattr(limits, "MAX_CELLS", 100)
    problems = Collector(path.name)
    assert read_sheets(path, problems) == [] and "more than 100 cells" in str(
        problems.problems[0])


def test_a_refused_import_names_the_file_and_stores_nothing(sample_copy, tmp_path):
    store = Store.open(sample_copy)
    before = len(store.frame("responses")), store.data_hash("E09")
    path = xlsx_far_row(tmp_path / "far.xlsx")
    with pytest.raises(ImportProblems) as refused:
        import_responses(store, "E09", "T2", path)
    assert "far.xlsx" in str(refused.value) and "100 000 rows" in str(refused.value)
    assert (len(store.frame("responses")), store.data_hash("E09")) == before
    store.close()


def test_an_uploaded_xlsform_is_held_to_the_same_limits(tmp_path):
    from vises_nb.instruments.forms import FormError
    from vises_nb.instruments.xlsform import read_xlsform

    with pytest.raises(FormError, match="bomb.xlsx: .*100 times its size once unpacked"):
        read_xlsform(xlsx_bomb(tmp_path / "bomb.xlsx", 200))
    with pytest.raises(FormError, match="no 'survey' sheet"):  # read, bounded, then refused
        read_xlsform(xlsx_wide_rows(tmp_path / "wide.xlsx", 5_000, declared=True))

"""Survey exports that went through Excel or LibreOffice before being imported.

An accompanier downloads an export, opens it in a spreadsheet program, fixes a few
things and saves it again. Each fixture here is written as those programs write it
(openpyxl for .xlsx: number, date and boolean cells, formats, hidden sheets, merged
cells, autofilters; the exact bytes of each CSV/TXT "Save as" type), imported into a
real SQLite store as T1 after the clean original was imported as T0: the answers stored
at T1 must be those of T0, for the same (paired) respondents, or the file is refused
naming where and what to do, with nothing stored.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from vises_nb.instruments.importing import ImportProblems, import_responses
from vises_nb.instruments.importing.files import read_sheets
from vises_nb.instruments.importing.problems import Collector
from vises_nb.store import model as m
from vises_nb.store.store import Store

HEADERS = ["repondant", "entree", "heures", "taux", "satisfaction", "aides/cpas",
           "aides/forem", "aides/mutuelle", "commentaire"]
# the clean original, as a collection tool exports it (codes with their leading zeros)
ROWS = [
    ["007", "2024-01-01", "12", "85", "souvent", "1", "1", "0", "Très bien, merci"],
    ["012", "2024-03-15", "0", "12.5", "jamais", "0", "0", "0", "Ligne un\nLigne deux"],
    ["123456", "2023-12-31", "40", "100", "toujours", "0", "0", "1", "Été difficile"],
]


def xlsform(path: Path) -> Path:
    book = openpyxl.Workbook()
    survey = book.active
    survey.title = "survey"
    for row in (["type", "name", "label::Français (fr)", "required"],
                ["text", "repondant", "Code", "yes"],
                ["date", "entree", "Date d'entrée", ""],
                ["integer", "heures", "Heures de formation", ""],
                ["decimal", "taux", "Taux de présence (%)", ""],
                ["select_one freq", "satisfaction", "Satisfait·e ?", ""],
                ["select_multiple services", "aides", "Services utilisés", ""],
                ["text", "commentaire", "Un commentaire ?", ""]):
        survey.append(row)
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label::Français (fr)"])
    for name in ("jamais", "parfois", "souvent", "toujours"):
        choices.append(["freq", name, name.capitalize()])
    for name in ("cpas", "forem", "mutuelle"):
        choices.append(["services", name, name.upper()])
    book.save(path)
    return path


@pytest.fixture
def store(tmp_path):
    opened = Store.open(tmp_path / "excel.sqlite", create=True)
    opened.save(m.Enterprise(id="E71", name="Atelier du Marais", pole="insertion",
                             region="wallonia", language="fr"))
    yield opened
    opened.close()


@pytest.fixture
def form(tmp_path):
    return xlsform(tmp_path / "form.xlsx")


def clean_csv(path: Path, rows=ROWS) -> Path:
    """The original export: UTF-8, `,`, quoted where needed, LF line ends."""
    import csv
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADERS)
        writer.writerows(rows)
    return path


def answers(store: Store, wave: str, enterprise: str = "E71") -> dict[tuple[str, str], tuple]:
    """(respondent, item code) -> (value, text) stored for that wave."""
    codes = {i.id: i.code for i in store.list(m.Item, enterprise_id=enterprise)}
    frame = store.frame("responses", enterprise_id=enterprise)
    frame = frame[frame.wave_id == f"{enterprise}-{wave}"]
    return {(r, codes[i]): (None if pd.isna(v) else v, None if pd.isna(t) else t)
            for r, i, v, t in zip(frame.respondent_id, frame.item_id, frame.value, frame.text,
                                  strict=True)}


def snapshot(store: Store) -> tuple:
    return (store.data_hash("E71"), len(store.frame("responses")),
            len(store.frame("respondents")), len(store.frame("imports")))


def round_trip(store: Store, form: Path, tmp_path: Path, resaved: Path, **options):
    """Import the clean original at T0, the re-saved file at T1; both must store the same
    answers for the same respondents. Returns the T1 report."""
    import_responses(store, "E71", "T0", clean_csv(tmp_path / "original.csv"), form)
    report = import_responses(store, "E71", "T1", resaved, form, **options)
    t0, t1 = answers(store, "T0"), answers(store, "T1")
    assert len(t0) == 3 * 8
    assert t1 == t0
    assert len(store.frame("respondents")) == 3
    return report


def refused(store: Store, path: Path, form: Path, wave: str = "T1") -> ImportProblems:
    before = snapshot(store)
    with pytest.raises(ImportProblems) as caught:
        import_responses(store, "E71", wave, path, form)
    assert snapshot(store) == before
    return caught.value


def excel_csv(rows, sep: str = ";", eol: str = "\r\n", extra: int = 0) -> str:
    """Text as Excel writes a sheet in CSV: a field quoted only when it holds the
    separator, a quote or a line break (Alt+Enter in a cell: LF inside the quotes), rows
    ended by `eol`, every row as wide as the sheet's used range (`extra` empty columns
    right of the data, written as trailing separators), no line end after the last row."""
    def field(cell: str) -> str:
        if any(c in cell for c in (sep, '"', "\n", "\r")):
            return '"' + cell.replace('"', '""') + '"'
        return cell
    lines = [sep.join([field(c) for c in row] + [""] * extra) for row in rows]
    return eol.join(lines)


def stripped(rows, dates=lambda d: d):
    """The rows as Excel re-saves them: leading zeros of codes gone (the column was read
    as numbers), dates as the machine's locale writes them."""
    return [[str(int(r[0])), dates(r[1]), *r[2:]] for r in rows]


def dmy(iso: str) -> str:
    return dt.date.fromisoformat(iso).strftime("%d/%m/%Y")


# --- 1. respondent codes whose leading zeros Excel dropped --------------------------

def test_codes_without_their_leading_zeros_pair_with_the_stored_ones(store, form, tmp_path):
    path = tmp_path / "t1.csv"
    path.write_bytes(excel_csv([HEADERS, *stripped(ROWS)], ",", "\r\n").encode("utf-8"))
    report = round_trip(store, form, tmp_path, path)
    assert report.respondents == 3
    summary = report.summary("en")
    assert "2 codes paired without their leading zeros (007 = 7)" in summary, summary


def test_codes_given_leading_zeros_pair_with_the_stored_ones(store, form, tmp_path):
    """The reverse: T0 went through Excel (7), T1 is the tool's own export (007)."""
    import_responses(store, "E71", "T0", clean_csv(tmp_path / "t0.csv", stripped(ROWS)),
                     form)
    report = import_responses(store, "E71", "T1", clean_csv(tmp_path / "t1.csv"), form)
    assert answers(store, "T1") == answers(store, "T0")
    assert len(store.frame("respondents")) == 3
    assert "codes paired without their leading zeros (007 = 7)" in report.summary("en")


def test_a_code_two_stored_respondents_could_be_is_refused(store, form, tmp_path):
    two = [["7", *ROWS[0][1:]], ["007", *ROWS[1][1:]], ROWS[2]]
    import_responses(store, "E71", "T0", clean_csv(tmp_path / "t0.csv", two), form)
    t1 = clean_csv(tmp_path / "t1.csv", [["07", *ROWS[0][1:]], ROWS[2]])
    problems = refused(store, t1, form)
    text = problems.message("en")
    assert len(problems.problems) == 1, text
    assert problems.problems[0].row == 2 and problems.problems[0].column == "repondant"
    assert "07" in text and "leading zeros" in text, text


def test_a_code_and_its_zero_padded_twin_in_one_file_are_one_person_twice(
        store, form, tmp_path):
    import_responses(store, "E71", "T0", clean_csv(tmp_path / "t0.csv"), form)
    t1 = clean_csv(tmp_path / "t1.csv", [ROWS[0], ["7", *ROWS[1][1:]]])
    problems = refused(store, t1, form)
    assert [p.message.key for p in problems.problems] == ["err.import.duplicate_code"]


def test_codes_in_scientific_notation_are_refused_as_digits_lost(store, form, tmp_path):
    """Excel writes a long number in a General column as 1,23457E+11: its digits are lost."""
    import_responses(store, "E71", "T0", clean_csv(tmp_path / "t0.csv"), form)
    rows = [HEADERS, ROWS[0], ["1,23457E+11", *ROWS[1][1:]], ["1.23E+05", *ROWS[2][1:]]]
    path = tmp_path / "t1.csv"
    path.write_bytes(excel_csv(rows, ";").encode("utf-8-sig"))
    problems = refused(store, path, form)
    assert [(p.row, p.column) for p in problems.problems] == [(3, "repondant"),
                                                              (4, "repondant")]
    assert "text" in problems.message("en").lower()


def test_xlsx_number_cells_as_codes_pair(store, form, tmp_path):
    """Codes Excel turned into numbers (7.0, shown 7; 123456 shown 1.23E+05)."""
    path = tmp_path / "t1.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in ROWS:
        sheet.append([float(row[0]), *row[1:]])
    sheet["A4"].number_format = "0.00E+00"
    book.save(path)
    report = round_trip(store, form, tmp_path, path)
    assert "2 codes paired" in report.summary("en")


def test_only_what_excel_writes_for_a_shortened_number_is_taken_for_one():
    from vises_nb.instruments.importing.files import NumberCell
    from vises_nb.instruments.importing.zeros import digits_lost
    for lost in ("1.23E+05", "1,23457E+11", "7E+15", NumberCell("1234567890123456")):
        assert digits_lost(lost), lost
    for kept in ("2023E001", "12E45", "BXL-1E+5", "123456789012345",
                 NumberCell("123456789012345"), "7"):
        assert not digits_lost(kept), kept


def test_xlsx_codes_beyond_fifteen_digits_are_refused(store, form, tmp_path):
    """A 16-digit code in a number cell: Excel kept 15 significant digits."""
    path = tmp_path / "t1.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    sheet.append([1234567890123456.0, *ROWS[0][1:]])
    book.save(path)
    problems = refused(store, path, form, "T0")
    assert [(p.row, p.column) for p in problems.problems] == [(2, "repondant")]


# --- 2. dates -------------------------------------------------------------------------

def test_xlsx_dates_as_date_cells_and_bare_serials(store, form, tmp_path):
    path = tmp_path / "t1.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for k, row in enumerate(ROWS):
        day = dt.date.fromisoformat(row[1])
        cell = [dt.datetime.combine(day, dt.time()),  # a date cell (dd/mm/yyyy)
                (day - dt.date(1899, 12, 30)).days,  # 45292 left General
                dt.datetime.combine(day, dt.time(9, 30))][k]  # a date and time
        sheet.append([row[0], cell, *row[2:]])
    sheet["B2"].number_format = "dd/mm/yyyy"
    book.save(path)
    round_trip(store, form, tmp_path, path)


@pytest.mark.parametrize("written", [dmy, lambda d: d + " 00:00:00",
                                     lambda d: str((dt.date.fromisoformat(d)
                                                    - dt.date(1899, 12, 30)).days),
                                     lambda d: dmy(d) + " 00:00",
                                     lambda d: dt.date.fromisoformat(d).strftime("%d/%m/%y")])
def test_csv_dates_as_spreadsheets_write_them_again(store, form, tmp_path, written):
    path = tmp_path / "t1.csv"
    rows = [[r[0], written(r[1]), *r[2:]] for r in ROWS]
    path.write_bytes(excel_csv([HEADERS, *rows], ";").encode("utf-8-sig"))
    round_trip(store, form, tmp_path, path)


def test_xlsx_of_the_1904_date_system_reads_bare_serials_in_it(store, form, tmp_path):
    """A workbook made by Excel for Mac before 2011 counts days from 1904-01-01: its date
    cells openpyxl converts, a bare serial (a date column left General) is 1,462 days off
    read with the 1900 system."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904
    book = openpyxl.Workbook()
    book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    sheet.append(HEADERS)
    for k, row in enumerate(ROWS):
        day = dt.date.fromisoformat(row[1])
        sheet.append([row[0], (day - dt.date(1904, 1, 1)).days if k else
                      dt.datetime.combine(day, dt.time()), *row[2:]])
    sheet["B2"].number_format = "dd/mm/yyyy"
    path = tmp_path / "t1.xlsx"
    book.save(path)
    round_trip(store, form, tmp_path, path)


# --- 3. encodings and formats -------------------------------------------------------

def french(rows):
    """What French/Belgian Excel writes: decimal commas, VRAI/FAUX for booleans."""
    return [[*r[:3], r[3].replace(".", ","), r[4],
             *[{"1": "VRAI", "0": "FAUX"}[t] for t in r[5:8]], r[8]] for r in rows]


def test_csv_utf8_with_bom_semicolons_trailing_columns_no_final_newline(store, form, tmp_path):
    """"CSV UTF-8 (délimité par des virgules)" in French Excel: BOM, `;`, CRLF, Alt+Enter
    line breaks inside quotes, empty columns right of the data (`;;;`), an empty row
    Excel still counts as used, no line end after the last row."""
    path = tmp_path / "t1.csv"
    text = excel_csv([HEADERS, *french(stripped(ROWS, dmy)), [""] * len(HEADERS)], ";",
                     extra=3)
    path.write_bytes(text.encode("utf-8-sig"))
    round_trip(store, form, tmp_path, path)


def test_csv_windows_cp1252(store, form, tmp_path):
    """"CSV (séparateur : point-virgule)": Windows-1252, é as 0xE9."""
    path = tmp_path / "t1.csv"
    path.write_bytes(excel_csv([HEADERS, *french(ROWS)], ";").encode("cp1252"))
    assert b"\xe9" in path.read_bytes()
    round_trip(store, form, tmp_path, path)


def test_csv_macintosh_mac_roman_with_cr_line_ends(store, form, tmp_path):
    """"CSV (Macintosh)": Mac Roman (é as 0x8E), rows ended by CR alone."""
    path = tmp_path / "t1.csv"
    path.write_bytes(excel_csv([HEADERS, *ROWS], ",", "\r").encode("mac_roman"))
    assert b"\x8e" in path.read_bytes() and b"\n" in path.read_bytes()  # the Alt+Enter
    round_trip(store, form, tmp_path, path)


@pytest.mark.parametrize("encoding", ["cp850", "mac_roman"])
def test_csv_in_a_dos_or_mac_code_page_with_lf_is_refused_not_read_as_windows_1252(
        store, form, tmp_path, encoding):
    """"CSV (MS-DOS)" (code page 850: é is 0x82, Windows-1252's `‚`) and Mac Roman with
    LF line ends (é is 0x8E, `Ž`) were read as Windows-1252 without a word."""
    path = tmp_path / "t1.csv"
    rows = [[*r[:8], "préparé"] for r in ROWS]  # é alone: no byte Windows-1252 lacks
    path.write_bytes(excel_csv([HEADERS, *rows], ";").encode(encoding))
    problems = refused(store, path, form, "T0")
    text = problems.message("en")
    assert [p.message.key for p in problems.problems] == ["err.file.unknown_encoding"], text
    assert "UTF-8" in text and "line 2" in text, text


def test_windows_1252_punctuation_between_letters_is_still_windows_1252(tmp_path):
    """Curly apostrophes, dashes and œ between letters are what Windows-1252 text holds."""
    path = tmp_path / "t.csv"
    path.write_bytes("code;texte\r\nA1;l’œuvre de Saint–Gilles, CŒUR, L’HAŸ\r\n"
                     .encode("cp1252"))
    problems = Collector("t.csv")
    sheets = read_sheets(path, problems)
    assert not problems.problems
    assert sheets[0].rows == [["A1", "l’œuvre de Saint–Gilles, CŒUR, L’HAŸ"]]


def test_unicode_text_utf16_tab_separated(store, form, tmp_path):
    """"Unicode Text (*.txt)": UTF-16 LE with its BOM, tabs, CRLF."""
    path = tmp_path / "t1.txt"
    path.write_bytes(b"\xff\xfe" + excel_csv([HEADERS, *ROWS], "\t").encode("utf-16-le"))
    round_trip(store, form, tmp_path, path)


def test_line_breaks_inside_a_cell_written_as_crlf(store, form, tmp_path):
    path = tmp_path / "t1.csv"
    rows = [[*r[:8], r[8].replace("\n", "\r\n")] for r in ROWS]
    path.write_bytes(excel_csv([HEADERS, *rows], ";").encode("utf-8-sig") + b"\r\n")
    round_trip(store, form, tmp_path, path)


def test_old_binary_xls_is_read(tmp_path, realworld):
    """Excel 97-2003 .xls (Kobo still offers XLS): read with xlrd, a runtime dependency
    already (pyxform reads .xls forms with it), as openpyxl reads the same sheets."""
    problems = Collector("I8n_label_choices.xls")
    sheets = read_sheets(realworld / "odk-central" / "I8n_label_choices.xls", problems)
    assert not problems.problems
    survey = next(s for s in sheets if s.name == "survey")
    assert survey.headers[:2] == ["type", "name"]
    assert all(cell == cell.strip() for row in survey.rows for cell in row)


def test_old_binary_xls_round_trip(store, form, tmp_path):
    """An .xls as Excel keeps a Kobo XLS export once saved: codes as numbers (7), date
    cells and a bare serial, TRUE/FALSE option cells, a hidden first sheet
    (tests/data/make_excel_resaved_xls.py wrote it)."""
    report = round_trip(store, form, tmp_path,
                        Path(__file__).parent / "data" / "excel_resaved.xls")
    summary = report.summary("en")
    assert "2 codes paired" in summary and "listes" in summary, summary


def test_ods_from_libreoffice_is_refused_saying_to_save_as_xlsx(store, form, tmp_path):
    path = tmp_path / "t1.ods"
    with zipfile.ZipFile(path, "w") as ods:
        ods.writestr(zipfile.ZipInfo("mimetype"),
                     "application/vnd.oasis.opendocument.spreadsheet")
        ods.writestr("content.xml", "<office:document-content/>")
    problems = refused(store, path, form, "T0")
    text = problems.message("en")
    assert [p.message.key for p in problems.problems] == ["err.file.ods"], text
    assert ".xlsx" in text


# --- 4. what Excel leaves in an .xlsx ---------------------------------------------

def excel_book(rows=ROWS) -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Réponses"
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    return book


def test_xlsx_as_excel_leaves_it(store, form, tmp_path):
    """A hidden first sheet (the lists for drop-downs), an autofilter with rows filtered
    out, cells holding only spaces, numbers stored as text (the green triangle), TRUE /
    FALSE in the 0/1 option columns, numbers as number cells."""
    book = excel_book([])
    data = book.active
    lists = book.create_sheet("listes", 0)
    lists.append(["jamais", "parfois"])
    lists.sheet_state = "hidden"
    for row in ROWS:
        data.append([row[0], row[1], row[2], float(row[3]), row[4],
                     *[t == "1" for t in row[5:8]], row[8]])
    data.append(["   ", "  ", "", "", "", "", "", "", " "])  # spaces only: a blank row
    data.auto_filter.ref = "A1:I5"
    data.row_dimensions[3].hidden = True  # filtered out: still an answer
    book.active = 1
    path = tmp_path / "t1.xlsx"
    book.save(path)
    report = round_trip(store, form, tmp_path, path)
    assert "listes" in report.summary("en")


def test_xlsx_percent_cells_are_refused_naming_the_cell(store, form, tmp_path):
    book = excel_book()
    sheet = book.active
    sheet["D2"] = 0.85
    sheet["D2"].number_format = "0%"
    path = tmp_path / "t1.xlsx"
    book.save(path)
    problems = refused(store, path, form, "T0")
    assert [(p.row, p.column) for p in problems.problems] == [(2, "taux")]
    assert "85" in problems.message("en") and "%" in problems.message("en")


@pytest.mark.parametrize("cached", [False, True])
def test_xlsx_formulas_are_refused_with_or_without_their_value(store, form, tmp_path,
                                                              cached):
    book = excel_book()
    book.active["C3"] = "=6*2"
    path = tmp_path / "t1.xlsx"
    book.save(path)
    if cached:  # Excel saves a formula's last result beside it
        with zipfile.ZipFile(path) as old:
            parts = {n: old.read(n) for n in old.namelist()}
        sheet = next(n for n in parts if n.startswith("xl/worksheets/sheet"))
        parts[sheet] = re.sub(rb"<f>6\*2</f>(<v\s*/>|<v></v>)?", b"<f>6*2</f><v>12</v>",
                              parts[sheet])
        assert b"<v>12</v>" in parts[sheet]
        with zipfile.ZipFile(path, "w") as new:
            for name, data in parts.items():
                new.writestr(name, data)
    problems = refused(store, path, form, "T0")
    assert [(p.row, p.column, p.message.key) for p in problems.problems] == [
        (3, "heures", "err.file.formula")]


def test_xlsx_merged_header_cells_are_refused_naming_them(store, form, tmp_path):
    book = excel_book()
    sheet = book.active
    sheet["G1"] = None
    sheet.merge_cells("F1:G1")
    path = tmp_path / "t1.xlsx"
    book.save(path)
    problems = refused(store, path, form, "T0")
    text = problems.message("en")
    assert "F1:G1" in text and "merge" in text.lower(), text


def test_xlsx_error_cells_are_refused_not_stored_as_answers(store, form, tmp_path):
    """`#N/A` pasted as a value (an error, not a formula) was stored as the text answer."""
    book = excel_book()
    book.active["I3"] = "#N/A"
    assert book.active["I3"].data_type == "e"
    path = tmp_path / "t1.xlsx"
    book.save(path)
    problems = refused(store, path, form, "T0")
    assert [(p.row, p.column, p.message.key) for p in problems.problems] == [
        (3, "commentaire", "err.file.error_cell")]
    assert "#N/A" in problems.message("en")

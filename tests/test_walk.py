"""A new federation's walk from an empty store, with what people really type and send.

Each test is a breakage found by walking the real path (roster → import → run → export)
with files as people make them: a roster CSV saved by an old spreadsheet program or
appended to in Notepad, Excel's "Unicode text", a blank line above the headings or
between rows, a formula in a roster cell, path-like ids. Real files, real SQLite stores.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pytest
from exports import google_csv
from forms_builder import workbook, xlsform
from own_forms import own_form, people, plain_csv

from vises_nb.cli import main
from vises_nb.errors import ValidationError
from vises_nb.instruments.enrolment import enrol
from vises_nb.instruments.importing import ImportProblems, import_responses
from vises_nb.instruments.roster import RosterProblems
from vises_nb.store import model as m
from vises_nb.store.store import Store

HEAD = "identifiant;nom;pôle;région;langue"
GOOD = "E01;L’Atelier d'Anne;Insertion;Wallonie;fr"


def store_file(tmp_path: Path) -> Path:
    path = tmp_path / "vises.sqlite"
    Store.open(path, create=True).close()
    return path


def digest(path: Path) -> str:
    data = path.read_bytes()
    wal = Path(f"{path}-wal")
    return hashlib.sha256(data + (wal.read_bytes() if wal.exists() else b"")).hexdigest()


def enrolled(db: Path, roster: Path, **options):
    store = Store.open(db)
    try:
        return enrol(store, roster, **options)
    finally:
        store.close()


def refused(db: Path, roster: Path) -> RosterProblems:
    before = digest(db)
    with pytest.raises(RosterProblems) as caught:
        enrolled(db, roster)
    assert digest(db) == before  # nothing stored
    return caught.value


# ------------------------------------------------------------------ roster files
def test_a_roster_with_a_byte_windows_1252_lacks_is_refused_not_a_traceback(tmp_path):
    """0x81 is undefined in Windows-1252 and not UTF-8: the reader tried both, then used
    a variable never set (UnboundLocalError reached the user)."""
    db = store_file(tmp_path)
    roster = tmp_path / "entreprises.csv"
    roster.write_bytes(b"id;name;pole;region;language\r\nE09;Caf\x81 du coin;insertion;"
                       b"Wallonie;fr\r\n")
    problem = refused(db, roster)
    text = problem.message("fr")
    assert "entreprises.csv" in text and "0x81" in text and "UTF-8" in text, text


def test_a_utf8_roster_with_one_latin1_line_is_refused_not_read_as_mojibake(tmp_path):
    """A roster saved as UTF-8, one line added in Notepad (Windows-1252): the whole file
    was read as Windows-1252, every accented name stored garbled (L’Atelier → Lâ€™Atelier)."""
    db = store_file(tmp_path)
    roster = tmp_path / "entreprises.csv"
    roster.write_bytes(f"{HEAD}\r\n{GOOD}\r\n".encode() + b"E02;Cr\xe8che Les Petits;"
                       b"solidarite;Wallonie;fr\r\n")
    problem = refused(db, roster)
    text = problem.message("nl")
    assert "0xe8" in text and "3" in text and "UTF-8" in text, text
    assert Store.open(db).enterprise_ids() == []


def test_excel_unicode_text_roster_is_read(tmp_path):
    """Excel's "Unicode text" (UTF-16 with its BOM, tab separated) was read as
    Windows-1252: NULs in every heading. It is read as UTF-16 (h-excel); without its BOM
    it is still refused, saying to save it as UTF-8."""
    db = store_file(tmp_path)
    roster = tmp_path / "entreprises.txt"
    roster.write_bytes(f"{HEAD}\r\n{GOOD}\r\n".replace(";", "\t").encode("utf-16"))
    enrolled(db, roster)
    assert Store.open(db).enterprise_ids() == ["E01"]
    assert Store.open(db).require_enterprise("E01").name == "L’Atelier d'Anne"
    roster.write_bytes(f"{HEAD}\r\n{GOOD}\r\n".replace(";", "\t").encode("utf-16-le"))
    text = refused(store_file(tmp_path / "other"), roster).message("en")
    assert "UTF-16" in text and "UTF-8" in text, text


def test_a_roster_csv_with_a_blank_first_line_is_read_with_its_separator(tmp_path):
    """A blank line above the headings (a title row deleted) made `,` the separator of a
    `;` file: one column, 'cannot tell which kind of roster this is'."""
    db = store_file(tmp_path)
    roster = tmp_path / "entreprises.csv"
    roster.write_bytes(f"\r\n;;;\r\n{HEAD}\r\n{GOOD}\r\n".encode("utf-8-sig"))
    plan = enrolled(db, roster)
    assert plan.counts()["added"] == 1
    store = Store.open(db)
    assert store.get(m.Enterprise, "E01")[0].name == "L’Atelier d'Anne"


def test_roster_rows_are_numbered_as_the_spreadsheet_shows_them_after_a_blank_row(tmp_path):
    db = store_file(tmp_path)
    roster = tmp_path / "entreprises.csv"
    roster.write_text(f"{HEAD}\n{GOOD}\n\n;;;;\nE02;Deux;insertoin;Wallonie;fr\n",
                      encoding="utf-8")
    problem = refused(db, roster)
    assert [(p.row, p.column) for p in problem.problems] == [(5, "pôle")]


def test_a_formula_in_a_roster_cell_is_refused_where_it_is(tmp_path):
    """A formula (=A2&" asbl", =HYPERLINK(...)) in a workbook saved by a program that keeps
    no computed value read as an empty cell: 'a value is required', pointing at a filled
    cell. It is named as a formula, with what to do."""
    db = store_file(tmp_path)
    roster = workbook(tmp_path / "roster.xlsx", {"Entreprises": [
        HEAD.split(";"),
        ["E01", '=HYPERLINK("http://evil.example","clic")', "insertion", "Wallonie", "fr"]]})
    problem = refused(db, roster)
    [found] = problem.problems
    assert (found.sheet, found.row, found.column) == ("Entreprises", 2, "nom")
    assert "HYPERLINK" in found.text("fr") and "valeurs" in found.text("fr")


@pytest.mark.parametrize("ident", ["..", ".", "...", ".hidden", "-rf"])
def test_a_path_like_enterprise_id_is_refused_at_its_cell(tmp_path, ident):
    """An enterprise id of `..` was enrolled: `vises run` then wrote its reports into
    reports/../ (the folder holding the reports folder)."""
    db = store_file(tmp_path)
    roster = tmp_path / "entreprises.csv"
    roster.write_text(f"{HEAD}\n{GOOD}\n{ident};Evil;insertion;Wallonie;fr\n",
                      encoding="utf-8")
    problem = refused(db, roster)
    [found] = problem.problems
    assert (found.row, found.column) == (3, "identifiant")
    assert "commence par une lettre ou un chiffre" in found.text("fr"), found.text("fr")
    with pytest.raises(ValidationError):
        m.validate(m.Enterprise, {"id": ident, "name": "x", "pole": "insertion",
                                  "region": "wallonia", "language": "fr"})


# ------------------------------------------------------------------ imports
def test_import_problems_name_the_spreadsheet_row_after_a_blank_row(tmp_path):
    """A blank line between answers (deleted test submissions) shifted every problem
    below it one row up: the message pointed at the wrong person."""
    db = store_file(tmp_path)
    roster = tmp_path / "entreprises.csv"
    roster.write_text(f"{HEAD}\n{GOOD}\n", encoding="utf-8")
    enrolled(db, roster)
    rows = people(6, "T0")
    rows[4]["satisfaction"] = "peut-être"
    export = plain_csv(tmp_path / "export.csv", rows)
    lines = export.read_text(encoding="utf-8").splitlines()
    export.write_text("\n".join([*lines[:3], "", ";;;;;;", *lines[3:]]) + "\n",
                      encoding="utf-8")
    # header row 1, people 1-2 on rows 2-3, blank rows 4-5, people 3-6 on rows 6-9
    store = Store.open(db)
    with pytest.raises(ImportProblems) as caught:
        import_responses(store, "E01", "T0", export, own_form(tmp_path / "form.xlsx"))
    [found] = caught.value.problems
    assert (found.row, found.column) == (8, "satisfaction"), found.text("en")


def test_cli_writing_where_it_cannot_says_which_file_in_one_line(tmp_path, capsys):
    """`vises enrol --template` / `vises export --out` / `vises i18n-template --out`
    into a folder that cannot be made (a file is in the way): a Python traceback."""
    db = store_file(tmp_path)
    blocker = tmp_path / "notes.txt"
    blocker.write_text("x")
    for argv in (["enrol", "--template", str(blocker / "roster.xlsx")],
                 ["export", "--store", str(db), "--out", str(blocker / "cohort")],
                 ["i18n-template", "de", "--out", str(blocker / "de.po")]):
        assert main(["--lang", "fr", *argv]) != 0
        err = capsys.readouterr().err
        assert err.startswith("vises: error: ") and "notes.txt" in err, err
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err


def date_form(path: Path) -> Path:
    """A hand-written XLSForm with a date question (the day a trainee entered)."""
    return xlsform(path, [["type", "name", "label::Français (fr)", "required"],
                          ["text", "repondant", "Code du répondant", "yes"],
                          ["date", "entree", "Date d'entrée", ""],
                          ["integer", "heures", "Heures de formation", ""]],
                   [["list_name", "name", "label::Français (fr)"]],
                   {"form_id": "entrees", "version": "1"})


def test_a_year_alone_or_a_three_digit_year_is_not_stored_as_another_date(tmp_path):
    """`2019` typed in a date question was read as the Excel serial 2019: 1905-07-11,
    stored silently; `1/3/202` (a typo) as the year 202."""
    db = store_file(tmp_path)
    roster = tmp_path / "entreprises.csv"
    roster.write_text(f"{HEAD}\n{GOOD}\n", encoding="utf-8")
    enrolled(db, roster)
    export = tmp_path / "export.csv"
    export.write_text("repondant;entree;heures\nBXL-001;01/03/2024;12\nBXL-002;2019;7\n"
                      "BXL-003;1/3/202;5\nBXL-004;45352;3\nBXL-005;1.3.24;4\n",
                      encoding="utf-8")
    store = Store.open(db)
    with pytest.raises(ImportProblems) as caught:
        import_responses(store, "E01", "T0", export, date_form(tmp_path / "form.xlsx"))
    assert [(p.row, p.column) for p in caught.value.problems] == [(3, "entree"),
                                                                   (4, "entree")]
    assert "01/03/2024" in caught.value.problems[0].text("fr")
    export.write_text("repondant;entree;heures\nBXL-001;01/03/2024;12\nBXL-004;45352;3\n"
                      "BXL-005;1.3.24;4\n", encoding="utf-8")
    import_responses(store, "E01", "T0", export, date_form(tmp_path / "form.xlsx"))
    dates = sorted(store.frame("responses").query("item_id.str.endswith('entree')")["text"])
    assert dates == ["2024-03-01"] * 3


def test_an_enterprise_roster_before_any_accompanier_says_to_enrol_them_first(tmp_path):
    """The enterprises' CSV enrolled before the accompaniers' (one CSV per kind): each row
    said 'unknown accompanier A1 (expected one of: )', an empty list and no way forward."""
    db = store_file(tmp_path)
    roster = tmp_path / "entreprises.csv"
    roster.write_text(f"{HEAD};accompagnateur\n{GOOD};A1\n", encoding="utf-8")
    problem = refused(db, roster)
    [found] = problem.problems
    assert found.column == "accompagnateur"
    assert "un de : )" not in found.text("fr")
    assert "accompagnateurs" in found.text("fr") and "d'abord" in found.text("fr"), \
        found.text("fr")
    assert "first" in found.text("en") and "eerst" in found.text("nl")


def test_a_heading_typed_without_its_unit_is_recognised(tmp_path):
    """`budget` for "Budget (EUR)": refused as an unknown column."""
    db = store_file(tmp_path)
    roster = tmp_path / "entreprises.csv"
    roster.write_text(f"{HEAD};budget\n{GOOD};1 234 567,89 €\n", encoding="utf-8")
    enrolled(db, roster)
    assert Store.open(db).get(m.Enterprise, "E01")[0].budget_eur == 1234567.89


@pytest.mark.parametrize("typed", ["250.000", "1.500"])
def test_a_number_with_a_dot_before_three_digits_is_not_guessed(tmp_path, typed):
    """`250.000` typed in a Belgian or French roster means 250 000 €: it was stored as
    250.0, silently. A dot before exactly three digits is refused as ambiguous."""
    db = store_file(tmp_path)
    roster = tmp_path / "entreprises.csv"
    roster.write_text(f"{HEAD};budget\n{GOOD};{typed}\n", encoding="utf-8")
    problem = refused(db, roster)
    [found] = problem.problems
    assert (found.row, found.column) == (2, "budget")
    text = found.text("fr")
    assert typed in text and "séparateur" in text, text


@pytest.mark.parametrize(("typed", "value"), [("250000", 250000.0), ("250 000", 250000.0),
                                              ("250.000,00", 250000.0), ("12,5", 12.5),
                                              ("12.5", 12.5), ("1.25", 1.25),
                                              ("1,234.5", 1234.5)])
def test_numbers_as_people_write_them_still_read(tmp_path, typed, value):
    db = store_file(tmp_path)
    roster = tmp_path / "entreprises.csv"
    roster.write_text(f"{HEAD};budget\n{GOOD};{typed}\n", encoding="utf-8")
    enrolled(db, roster)
    assert Store.open(db).get(m.Enterprise, "E01")[0].budget_eur == value


def test_a_workbooks_number_cell_is_a_number_whatever_its_decimals(tmp_path):
    db = store_file(tmp_path)
    workbook(tmp_path / "roster.xlsx", {"Enterprises": [
        ["id", "name", "pole", "region", "language", "FTE", "budget"],
        ["E01", "Un", "insertion", "Wallonie", "fr", 1.125, 250.5]]})
    enrolled(db, tmp_path / "roster.xlsx")
    record = Store.open(db).get(m.Enterprise, "E01")[0]
    assert (record.fte, record.budget_eur) == (1.125, 250.5)


def test_google_forms_own_columns_are_the_tools_not_questions(tmp_path):
    """The time a response was sent (`Horodateur`) was read as a question: an item
    'Horodateur' in the enterprise's plan, its every answer dropped as 'looks like a
    phone number' and counted as personal data; the e-mail address another question."""
    db = store_file(tmp_path)
    roster = tmp_path / "entreprises.csv"
    roster.write_text(f"{HEAD}\n{GOOD}\n", encoding="utf-8")
    enrolled(db, roster)
    export = google_csv(tmp_path / "reponses.csv", [
        "Horodateur", "Adresse e-mail", "Votre code", "Heures de formation",
        "Un commentaire ?"], [
        [f"0{k}/03/2024 10:15:3{k}", "", f"BXL-00{k}", str(3 * k), "Bien"] for k in range(1, 7)])
    store = Store.open(db)
    report = import_responses(store, "E01", "T0", export)
    assert report.source_format == "Google Forms"
    assert report.meta_columns == ["Horodateur", "Adresse e-mail"]
    assert report.personal_answers == 0 and report.respondents == 6
    assert sorted(i.code for i in store.list(m.Item, enterprise_id="E01")) == [
        "Heures_de_formation", "Un_commentaire"]


def test_google_forms_headed_by_the_forms_labels_imports_against_its_xlsform(tmp_path):
    db = store_file(tmp_path)
    roster = tmp_path / "entreprises.csv"
    roster.write_text(f"{HEAD}\n{GOOD}\n", encoding="utf-8")
    enrolled(db, roster)
    headers = ["Timestamp", "Email Address", "Code du répondant", "Vague",
               "Êtes-vous satisfait·e ?", "Avez-vous un contrat stable ?", "Heures de formation"]
    rows = [[f"3/{k}/2024 10:15:32", f"p{k}@example.org", f"BXL-00{k}", "Entrée", "Souvent",
             "Oui", str(k)] for k in range(1, 7)]
    export = google_csv(tmp_path / "responses.csv", headers, rows)
    store = Store.open(db)
    report = import_responses(store, "E01", "T0", export, own_form(tmp_path / "form.xlsx"))
    assert report.meta_columns == ["Timestamp", "Email Address"]
    assert (report.respondents, report.responses) == (6, 18)
    assert "example.org" not in db.read_bytes().decode("latin-1")


def test_a_noncharacter_in_a_name_leaves_the_cohort_workbook_readable(tmp_path):
    """U+FFFF and U+FFFE are valid UTF-8 but not XML: one in a roster name made every
    `vises export` workbook unreadable (Excel offers to 'repair' it by dropping the sheet;
    openpyxl refuses it)."""
    db = store_file(tmp_path)
    roster = tmp_path / "entreprises.csv"
    roster.write_text(f"{HEAD}\n{GOOD}\nE02;Caf\uffff\ufffe du coin;insertion;Wallonie;fr\n",
                      encoding="utf-8")
    enrolled(db, roster)
    assert main(["export", "--store", str(db), "--out", str(tmp_path / "out"),
                 "--format", "xlsx"]) == 0
    book = openpyxl.load_workbook(tmp_path / "out" / "vises.xlsx")
    names = [row[1] for row in book["enterprises"].iter_rows(min_row=2, values_only=True)]
    assert names == ["L’Atelier d'Anne", "Caf\ufffd\ufffd du coin"]


@pytest.mark.parametrize("option", [["--timeout", "0"], ["--timeout", "-1"], ["--workers", "0"],
                                    ["--workers", "-3"], ["--keep-warm", "-5"]])
def test_a_run_option_that_cannot_mean_anything_is_refused_before_running(tmp_path, capsys,
                                                                           option):
    """`--timeout 0` (or -1, meant as 'no limit') ran the cohort and stopped every notebook
    at once: 'timed out after -1 s' for each; `--workers -3` ran silently."""
    db = store_file(tmp_path)
    roster = tmp_path / "entreprises.csv"
    roster.write_text(f"{HEAD}\n{GOOD}\n", encoding="utf-8")
    enrolled(db, roster)
    reports = tmp_path / "reports"
    assert main(["--lang", "nl", "run", "--store", str(db), "--reports", str(reports),
                 "--quiet", *option]) == 2
    err = capsys.readouterr().err
    assert err.startswith("vises: error: ") and option[0] in err, err
    assert not reports.exists()


def test_an_empty_column_without_a_heading_is_skipped_and_one_with_answers_can_be_ignored(
        tmp_path):
    """A column cleared in Excel (no heading, no value: `;;` on every line) refused the
    whole file ('a column without a header'), and one holding values could not be left
    out: --ignore-column had no name to give. It is skipped; the other is named '#4'
    and `--ignore-column '#4'` leaves it out."""
    db = store_file(tmp_path)
    roster = tmp_path / "entreprises.csv"
    roster.write_text(f"{HEAD}\n{GOOD}\n", encoding="utf-8")
    enrolled(db, roster)
    export = tmp_path / "export.csv"
    export.write_bytes(b"\xef\xbb\xbfrespondent_code;wave;heures;;commentaire\r\n"
                       b"BXL-001;T0;12,5;;ok\r\nBXL-002;T0;7;;bien\r\n")
    store = Store.open(db)
    report = import_responses(store, "E01", "T0", export)
    assert (report.respondents, report.responses) == (2, 4)
    export.write_bytes(b"respondent_code;wave;heures;;commentaire\r\n"
                       b"BXL-001;T0;12,5;x;ok\r\nBXL-002;T0;7;;bien\r\n")
    with pytest.raises(ImportProblems) as caught:
        import_responses(store, "E01", "T0", export)
    assert [(p.row, p.column) for p in caught.value.problems] == [(1, "#4")]
    report = import_responses(store, "E01", "T0", export, ignore_columns=("#4",))
    assert report.ignored_columns == ["#4"] and report.responses == 4


def test_a_file_that_cannot_be_read_is_said_in_the_readers_language(tmp_path):
    """'impossible de lire le fichier : No such file or directory': the system's English."""
    db = store_file(tmp_path)
    roster = tmp_path / "entreprises.csv"
    roster.write_text(f"{HEAD}\n{GOOD}\n", encoding="utf-8")
    enrolled(db, roster)
    store = Store.open(db)
    for missing, fr, nl in ((tmp_path / "absent.csv", "n'existe pas", "bestaat niet"),
                            (tmp_path, "c'est un dossier", "dit is een map")):
        with pytest.raises(ImportProblems) as caught:
            import_responses(store, "E01", "T0", missing)
        assert fr in caught.value.message("fr") and nl in caught.value.message("nl")
        assert "No such file" not in caught.value.message("fr")


@pytest.mark.parametrize(("scale", "typed", "stored"), [
    ("likert5", "7", None), ("likert5", "0", None), ("likert5", "2.5", None),
    ("likert5", "nan", None), ("likert5", "Tout à fait d'accord", "5.0"),
    ("likert5", " 4 ", "4.0"), ("yes_no", "ja", "1.0"), ("yes_no", "2", None),
    ("number", "inf", None), ("number", "nan", None), ("number", "1 234,5", "1234.5"),
    ("number", "12", "12.0")])
def test_a_correction_outside_the_items_scale_is_refused(sample_copy, scale, typed, stored):
    """`vises clean correct` put 7 (or 0, 2.5, nan) on a 1-5 agreement scale in the log,
    applied to every later load (a mean above the scale's top; nan and inf in numbers);
    an answer's own label ("Tout à fait d'accord") was refused."""
    from vises_nb.instruments.cleaning import _new_value

    store = Store.open(sample_copy)
    item = next(i for e in store.enterprise_ids() for i in store.list(m.Item, enterprise_id=e)
                if i.scale == scale and not i.scale_id)
    if stored is None:
        with pytest.raises(ValidationError) as caught:
            _new_value(store, item, typed)
        assert item.code in caught.value.message("fr")
    else:
        assert _new_value(store, item, typed) == stored


def test_the_coordinators_language_choices_are_named_in_the_pages_language():
    """The French coordinator page offered 'French, Dutch, English'."""
    from vises_nb.dashboards.coordinator import languages

    names = languages()
    assert [names.label(c, "fr") for c in ("fr", "nl", "en")] == [
        "Français", "Néerlandais", "Anglais"]
    assert [names.label(c, "nl") for c in ("fr", "nl", "en")] == ["Frans", "Nederlands", "Engels"]
    assert names.label("nl", "en") == "Dutch"


def test_invisible_characters_pasted_with_an_id_are_not_part_of_it(tmp_path):
    """`E01` pasted from a web page or a PDF carries a zero-width space or a soft hyphen:
    refused as "invalid id 'E01'", a message showing nothing wrong; as an accompanier or
    a group member, an unknown one."""
    db = store_file(tmp_path)
    workbook(tmp_path / "roster.xlsx", {
        "Accompagnateurs": [["id", "nom", "fédération"], ["A1\u200b", "Anne", "SAW-B"]],
        "Entreprises": [
            ["id", "nom", "pôle", "région", "langue", "accompagnateur"],
            *([f"E0{k}" + ("\u00ad" if k == 2 else "\u2060" if k == 3 else ""),
               f"Entreprise {k}", "insertion", "Wallonie", "fr", "\ufeffA1"]
              for k in range(1, 6))],
        "Groupes": [["id", "nom", "période", "accompagnateur", "entreprises membres"],
                    ["G1", "Namur", "2026", "A1", "E01, E02\u200b, E03, E04, E05"]]})
    enrolled(db, tmp_path / "roster.xlsx")
    store = Store.open(db)
    assert store.enterprise_ids() == ["E01", "E02", "E03", "E04", "E05"]
    assert [a.id for a in store.list(m.Accompanier)] == ["A1"]


def test_a_refused_accompanier_id_does_not_leak_into_the_expected_list(tmp_path):
    """'expected one of: <object object at 0x7f...>': a refused id's placeholder listed."""
    db = store_file(tmp_path)
    workbook(tmp_path / "roster.xlsx", {
        "Accompaniers": [["id", "name", "federation"], ["A 1", "Anne", "SAW-B"],
                         ["A2", "Bart", "Febecoop"]],
        "Enterprises": [["id", "name", "pole", "region", "language", "accompanier"],
                        ["E01", "Un", "insertion", "Wallonie", "fr", "A9"]]})
    problem = refused(db, tmp_path / "roster.xlsx")
    text = problem.message("en")
    assert "<object" not in text and "one of: A2" in text, text


def test_a_peers_file_that_is_not_what_the_one_pager_needs_is_refused(sample_copy, tmp_path):
    """`peers_file` (04_valorisation's parameter, the cohort's disclosure-controlled
    results a run computes once) was read whatever it was: a file made at a lower
    threshold, or any parquet (the researcher's export of raw results), published beside
    the enterprise as its peers' figures under this one-pager's threshold."""
    from vises_nb.errors import ParameterError
    from vises_nb.publishing import peers

    url = f"sqlite:///{sample_copy}"
    at_five = peers.peers_path(tmp_path, "abc", 5)
    expected = peers.prepare(url, at_five, 5)
    assert peers.load(url, 5, str(at_five)).equals(expected)
    with pytest.raises(ParameterError) as caught:
        peers.load(url, 10, str(at_five))
    assert at_five.name in caught.value.message("fr") and "10" in caught.value.message("fr")
    raw = tmp_path / "results.parquet"
    expected.assign(value=expected["value"] * 0).to_parquet(raw)
    with pytest.raises(ParameterError):
        peers.load(url, 5, str(raw))


# ------------------------------------------------------------------ roster numbers: one reader
@pytest.mark.parametrize(("fte", "budget", "value"), [
    ("0,5", "1,250", 1.25),       # the file writes decimals with a comma: 1,250 is 1.25
    ("2", "3,5", 3.5),
    ("1.5", "250.000", 250.0),   # ... with a dot: 250.000 is 250
])
def test_a_roster_reads_1_234_by_how_its_file_writes_decimals(tmp_path, fte, budget, value):
    """The roster read numbers with a reader of its own: `1,250` beside decimal commas was
    refused as ambiguous while an import reads it (`values.parse_number` and the column's
    or file's decimal mark, `Separators`): one reader now."""
    db = store_file(tmp_path)
    roster = tmp_path / "entreprises.csv"
    roster.write_text(f"{HEAD};ETP;budget\n{GOOD};{fte};{budget}\n", encoding="utf-8")
    enrolled(db, roster)
    assert Store.open(db).get(m.Enterprise, "E01")[0].budget_eur == value


@pytest.mark.parametrize("typed", ["1,234", "12,500", "nan", "1e999"])
def test_a_roster_number_nothing_decides_or_no_number_is_refused(tmp_path, typed):
    """`1,234` alone is 1234 in English, 1.234 in French: refused (a roster is typed by
    people: a dot alone is no tool's decimal either); `nan` and `1e999` were read by
    float() as numbers."""
    db = store_file(tmp_path)
    roster = tmp_path / "entreprises.csv"
    roster.write_text(f"{HEAD};budget\n{GOOD};{typed}\n", encoding="utf-8")
    [found] = refused(db, roster).problems
    assert (found.row, found.column) == (2, "budget")
    for lang in ("fr", "nl", "en"):
        assert typed in found.text(lang)
    if "," in typed:
        assert "séparateur" in found.text("fr") and "thousands" in found.text("en")


def test_a_roster_workbooks_text_and_number_cells(tmp_path):
    """A workbook whose text cells write decimals with a comma ('2,5' typed as text): its
    number cell 1.234 is the number 1.234, never ambiguous; a text cell `250.000` is
    refused as a CSV's is (it was read as 250 in a workbook)."""
    db = store_file(tmp_path)
    rows = [["id", "name", "pole", "region", "language", "FTE", "budget"],
            ["E01", "Un", "insertion", "Wallonie", "fr", "2,5", 1.234],
            ["E02", "Deux", "insertion", "Wallonie", "fr", 1.5, "1 250,5"]]
    workbook(tmp_path / "roster.xlsx", {"Enterprises": rows})
    enrolled(db, tmp_path / "roster.xlsx")
    store = Store.open(db)
    assert [(e.fte, e.budget_eur) for e in store.list(m.Enterprise)] == [(2.5, 1.234),
                                                                         (1.5, 1250.5)]
    rows.append(["E03", "Trois", "insertion", "Wallonie", "fr", 1, "250.000"])
    workbook(tmp_path / "roster.xlsx", {"Enterprises": rows})
    [found] = refused(db, tmp_path / "roster.xlsx").problems
    assert (found.sheet, found.row, found.column) == ("Enterprises", 4, "budget")

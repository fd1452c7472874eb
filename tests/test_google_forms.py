"""Google Forms exports as Google writes them, imported into real SQLite stores.

- **Dates** are written in the order of the form owner's country: `Horodateur` (French)
  30/11/2026 17:16:06, day first; `Timestamp` (English) 11/30/2026 in the United States,
  30/11/2026 in the United Kingdom. They were all read day first: a US export's
  11/2/2026 became 11 February, silently. Each date column is now decided by its dates
  (a first part above 12 says day first, a second above 12 month first), else by the
  file's other dates and the response times; an English export nothing decides is
  refused naming the column, until the order is stated (`--date-order`).
- **Checkboxes** (a select_multiple) come in one cell, the chosen labels joined by `, `
  (the responses' Google Sheet, downloaded as CSV) or `;` (the form's own "Download
  responses (.csv)"): they were refused as one unknown choice. They are cut into the
  form's choices, a label holding `, ` itself (`Housing, energy`) kept whole.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from exports import google_csv
from forms_builder import xlsform

from vises_nb.cli import main
from vises_nb.instruments.importing import ImportProblems, import_responses
from vises_nb.store import model as m
from vises_nb.store.store import Store

E = "E71"
SERVICES = [("training", "Training", "Formation"),
            ("housing", "Housing, energy", "Logement, énergie"),
            ("coaching", "Job coaching", "Accompagnement vers l'emploi"),
            ("mobility", "Mobility", "Mobilité")]
EN = ["Respondent code", "Date of arrival", "Which services did you use?", "Training hours"]
FR = ["Code du répondant", "Date d'entrée", "Quels services avez-vous utilisés ?",
      "Heures de formation"]


def google_form(path: Path) -> Path:
    """The XLSForm of the Google form: its questions' titles as labels, in English and
    French, and the checkbox question's choices."""
    questions = [("text", "code", "yes"), ("date", "arrival", ""),
                 ("select_multiple services", "services", ""), ("integer", "hours", "")]
    return xlsform(
        path,
        [["type", "name", "label::English (en)", "label::Français (fr)", "required"],
         *([kind, name, en, fr, required]
           for (kind, name, required), en, fr in zip(questions, EN, FR, strict=True))],
        [["list_name", "name", "label::English (en)", "label::Français (fr)"],
         *(["services", *choice] for choice in SERVICES)],
        {"form_id": "accueil", "version": "1"})


def english_csv(tmp_path: Path, rows: list[list[str]]) -> Path:
    """Google's CSV of a form owned in English: `Timestamp`, `Email Address`, the
    questions' English titles."""
    return google_csv(tmp_path / "responses.csv", ["Timestamp", "Email Address", *EN], rows)


@pytest.fixture
def store(tmp_path):
    opened = Store.open(tmp_path / "vises.sqlite", create=True)
    opened.save(m.Enterprise(id=E, name="Accueil des Marolles", pole="insertion",
                             region="brussels", language="fr"))
    yield opened
    opened.close()


def answers(store: Store) -> dict[str, dict[str, object]]:
    """Item code -> {pseudonymous respondent -> stored value or text}, keyed by hours."""
    codes = {i.id: i.code for i in store.list(m.Item, enterprise_id=E)}
    frame = store.frame("responses", enterprise_id=E)
    by_respondent: dict[str, dict[str, object]] = {}
    for respondent, item, value, text in zip(frame.respondent_id, frame.item_id, frame.value,
                                             frame.text, strict=True):
        by_respondent.setdefault(respondent, {})[codes[item]] = \
            value if not pd.isna(value) else text
    return {str(int(r["hours"])): r for r in by_respondent.values()}


def picked(row: dict[str, object]) -> set[str]:
    return {code.split(".", 1)[1] for code, value in row.items()
            if code.startswith("services.") and value == 1.0}


def refused(store: Store, export: Path, form: Path, **options) -> ImportProblems:
    before = (store.data_hash(E), len(store.frame("responses")), len(store.frame("imports")))
    with pytest.raises(ImportProblems) as caught:
        import_responses(store, E, "T0", export, form, **options)
    assert (store.data_hash(E), len(store.frame("responses")),
            len(store.frame("imports"))) == before
    return caught.value


US = [  # a form owned in the United States: month first everywhere
    ["11/2/2026 9:03:11", "a@example.org", "P-001", "11/2/2026", "Training, Housing, energy",
     "12"],
    ["11/30/2026 17:16:06", "b@example.org", "P-002", "10/1/2026", "Job coaching", "7"],
    ["12/1/2026 8:00:40", "", "P-003", "11/20/2026", "Housing, energy, Mobility, Training",
     "3"],
]


def test_a_us_english_export_reads_its_dates_month_first_and_splits_its_checkboxes(
        store, tmp_path):
    form = google_form(tmp_path / "form.xlsx")
    export = google_csv(tmp_path / "Accueil (Responses) - Form Responses 1.csv",
                        ["Timestamp", "Email Address", *EN], US)
    report = import_responses(store, E, "T0", export, form)
    assert report.source_format == "Google Forms" and report.respondents == 3
    stored = answers(store)
    # the column's 11/20/2026 (and the times' 11/30/2026) say month first: 11/2 is
    # 2 November (it was 11 February), 10/1 is 1 October
    assert {h: r["arrival"] for h, r in stored.items()} == {
        "12": "2026-11-02", "7": "2026-10-01", "3": "2026-11-20"}
    assert {h: picked(r) for h, r in stored.items()} == {
        "12": {"training", "housing"}, "7": {"coaching"},
        "3": {"housing", "mobility", "training"}}
    assert "example.org" not in (tmp_path / "vises.sqlite").read_bytes().decode("latin-1")


def arrivals_read(store: Store, tmp_path: Path, rows: list[list[str]]) -> dict[str, object]:
    """The arrival dates stored from an English export of `rows`, keyed by hours."""
    import_responses(store, E, "T0", english_csv(tmp_path, rows),
                     google_form(tmp_path / "form.xlsx"))
    return {h: r["arrival"] for h, r in answers(store).items()}


def test_the_response_times_decide_a_date_column_its_dates_do_not(store, tmp_path):
    """Every arrival date could be either (3/4/2026); the times show 11/30/2026."""
    rows = [["11/30/2026 17:16:06", "", "P-001", "3/4/2026", "Training", "5"],
            ["12/1/2026 8:00:40", "", "P-002", "1/2/2026", "Mobility", "6"]]
    assert arrivals_read(store, tmp_path, rows) == {"5": "2026-03-04", "6": "2026-01-02"}


def test_a_uk_english_export_reads_its_dates_day_first(store, tmp_path):
    rows = [["30/11/2026 17:16:06", "", "P-001", "3/4/2026", "Training", "5"],
            ["1/12/2026 08:00:40", "", "P-002", "2/1/2026", "Mobility", "6"]]
    assert arrivals_read(store, tmp_path, rows) == {"5": "2026-04-03", "6": "2026-01-02"}


UNDECIDED = [["3/4/2026 10:15:32", "", "P-001", "3/2/2026", "Training", "5"],
             ["3/5/2026 11:02:09", "", "P-002", "1/12/2026", "Mobility", "6"]]


def test_an_english_export_nothing_decides_is_refused_until_the_order_is_stated(
        store, tmp_path):
    """Early in a month, in English, every date could be either: refused naming the
    column, saying how to state the order; stated, the dates read in that order."""
    form = google_form(tmp_path / "form.xlsx")
    export = english_csv(tmp_path, UNDECIDED)
    problems = refused(store, export, form)
    [problem] = problems.problems
    assert (problem.row, problem.column) == (2, "Date of arrival")
    for lang, word in (("en", "month"), ("fr", "mois"), ("nl", "maand")):
        text = problem.text(lang)
        assert "3/2/2026" in text and "--date-order mdy" in text and word in text, text
    import_responses(store, E, "T0", export, form, date_order="mdy")
    assert {h: r["arrival"] for h, r in answers(store).items()} == {
        "5": "2026-03-02", "6": "2026-01-12"}
    import_responses(store, E, "T0", export, form, date_order="dmy")  # a corrected import
    assert {h: r["arrival"] for h, r in answers(store).items()} == {
        "5": "2026-02-03", "6": "2026-12-01"}


def test_the_import_command_takes_the_date_order(store, tmp_path, capsys):
    form = google_form(tmp_path / "form.xlsx")
    export = english_csv(tmp_path, UNDECIDED)
    db = str(tmp_path / "vises.sqlite")
    args = ["import", "--store", db, "--enterprise", E, "--wave", "T0", "--form", str(form)]
    assert main([*args, str(export)]) != 0
    assert "--date-order" in capsys.readouterr().err
    assert main([*args, "--date-order", "mdy", str(export)]) == 0
    assert sorted(r["arrival"] for r in answers(store).values()) == ["2026-01-12",
                                                                      "2026-03-02"]
    with pytest.raises(SystemExit):
        main([*args, "--date-order", "ymd", str(export)])


def test_a_french_export_reads_day_first_and_splits_french_labels(store, tmp_path):
    rows = [["02/11/2026 09:03:11", "", "P-001", "03/11/2026",
             "Formation, Logement, énergie", "12"],
            ["04/11/2026 17:16:06", "", "P-002", "01/10/2026",
             "Accompagnement vers l'emploi", "7"]]
    export = google_csv(tmp_path / "Accueil (réponses).csv",
                        ["Horodateur", "Adresse e-mail", *FR], rows)
    report = import_responses(store, E, "T0", export, google_form(tmp_path / "form.xlsx"))
    assert report.meta_columns == ["Horodateur", "Adresse e-mail"]
    stored = answers(store)
    assert {h: r["arrival"] for h, r in stored.items()} == {"12": "2026-11-03",
                                                            "7": "2026-10-01"}
    assert {h: picked(r) for h, r in stored.items()} == {"12": {"training", "housing"},
                                                         "7": {"coaching"}}


def test_the_forms_own_csv_joins_checkboxes_with_semicolons(store, tmp_path):
    """The form's "Download responses (.csv)": times year first with the zone, checkbox
    answers joined by `;`."""
    rows = [["2026/11/02 9:03:11 AM GMT+1", "", "P-001", "2026-11-02",
             "Training;Housing, energy", "12"],
            ["2026/11/30 5:16:06 PM GMT+1", "", "P-002", "2026-10-01", "Mobility", "7"]]
    export = english_csv(tmp_path, rows)
    import_responses(store, E, "T0", export, google_form(tmp_path / "form.xlsx"))
    assert {h: picked(r) for h, r in answers(store).items()} == {
        "12": {"training", "housing"}, "7": {"mobility"}}


def test_a_checkbox_answer_no_choice_of_the_form_is_refused_where_it_is(store, tmp_path):
    """An answer typed in 'Other' (`Training, my own bike`) is no choice of the form."""
    rows = [["11/30/2026 17:16:06", "", "P-001", "11/2/2026", "Training, my own bike", "12"],
            ["12/1/2026 8:00:40", "", "P-002", "11/3/2026", "Mobility", "7"]]
    export = english_csv(tmp_path, rows)
    problems = refused(store, export, google_form(tmp_path / "form.xlsx"))
    [problem] = problems.problems
    assert (problem.row, problem.column) == (2, "Which services did you use?")
    assert "my own bike" in problem.text("en") and "mobility" in problem.text("en")


def test_a_plain_files_date_column_showing_month_first_reads_so(store, tmp_path):
    """Beyond Google: a column whose dates show month first (11/30/2026) was refused as
    'not a date'; its own dates decide, its 3/4/2026 too. A file nothing decides reads
    day first, as Belgian and French exports write."""
    form = google_form(tmp_path / "form.xlsx")
    export = tmp_path / "export.csv"
    export.write_text("code;arrival;hours\nP-001;11/30/2026;1\nP-002;3/4/2026;2\n",
                      encoding="utf-8")
    import_responses(store, E, "T0", export, form)
    assert {h: r["arrival"] for h, r in answers(store).items()} == {"1": "2026-11-30",
                                                                    "2": "2026-03-04"}
    export.write_text("code;arrival;hours\nP-001;3/4/2026;1\nP-002;1/2/2026;2\n",
                      encoding="utf-8")
    import_responses(store, E, "T0", export, form)
    assert {h: r["arrival"] for h, r in answers(store).items()} == {"1": "2026-04-03",
                                                                    "2": "2026-02-01"}


def test_the_workspace_import_takes_the_date_order_too(store, tmp_path):
    """The collection files' 'Dates' choice, as its Import button passes it: refused
    undecided (the message names the choice), read month first once chosen."""
    from vises_nb.dashboards.workspace.collect import CollectionFiles

    export = english_csv(tmp_path, UNDECIDED)
    form = google_form(tmp_path / "form.xlsx")
    files = CollectionFiles(store, E, "fr")
    assert [value for _, value in files.dates.options] == ["", "dmy", "mdy"]
    files.export.value = [{"name": export.name, "content": export.read_bytes(),
                           "type": "text/csv", "size": export.stat().st_size,
                           "last_modified": dt.datetime(2026, 11, 30)}]
    files.form.value = [{"name": form.name, "content": form.read_bytes(), "type": "",
                         "size": form.stat().st_size, "last_modified": dt.datetime(2026, 11, 30)}]
    files.wave.value = "T0"
    assert files.import_files() is False
    assert "Dates" in files.report.value and "Date of arrival" in files.report.value
    assert len(store.frame("responses")) == 0
    files.dates.value = "mdy"
    assert files.import_files() is True, files.report.value
    assert sorted(r["arrival"] for r in answers(store).values()) == ["2026-01-12",
                                                                      "2026-03-02"]

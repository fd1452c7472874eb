"""Walking the real path with an enterprise's own hand-written XLSForm and its exports.

Each test is a breakage found by importing the exports KoboToolbox writes of a form that
uses what XLSForm offers (tests/rich_form.py: or_other, cascading selects, choice names
with dots and dashes, calculate, note, select_one_from_file, geopoint, nested groups,
repeats), in the export settings' every mode, with answers as people type them.
Real pyxform, real SQLite stores.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from rich_form import (
    SERV,
    kobo_csv,
    kobo_labels_csv,
    kobo_xlsx,
    odk_central_csv,
    people,
    rich_form,
)

from vises_nb.instruments.importing import ImportProblems, import_responses
from vises_nb.instruments.importing.links import link_item
from vises_nb.instruments.xlsform import read_xlsform
from vises_nb.store import model as m
from vises_nb.store.store import Store


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "vises.sqlite"
    store = Store.open(path, create=True)
    store.save(m.Enterprise(id="E01", name="Un", pole="insertion", region="wallonia",
                            language="fr"))
    store.close()
    return path


def digest(path: Path) -> str:
    data = path.read_bytes()
    wal = Path(f"{path}-wal")
    return hashlib.sha256(data + (wal.read_bytes() if wal.exists() else b"")).hexdigest()


def stored(store: Store) -> dict[str, dict[str, tuple]]:
    """item code -> {pseudonymous respondent: (value, text)}."""
    codes = {i.id: i.code for i in store.list(m.Item, enterprise_id="E01")}
    out: dict[str, dict[str, tuple]] = {}
    for row in store.frame("responses").itertuples():
        text = row.text if isinstance(row.text, str) else None
        value = None if row.value != row.value else row.value
        out.setdefault(codes[row.item_id], {})[row.respondent_id] = (value, text)
    return out


def test_the_rich_form_is_a_form_pyxform_converts(tmp_path):
    from pyxform.xls2xform import convert

    result = convert(xlsform=str(rich_form(tmp_path / "form.xlsx")))
    assert "<h:html" in result.xform
    assert any("or_other" in w for w in result.warnings), result.warnings


@pytest.mark.parametrize("kind", ["select_one freq or_other", "select one freq or_other",
                                  "select_one freq or specify other", "select1 freq or_other"])
def test_an_or_other_answer_is_the_choice_pyxform_adds(tmp_path, db, kind):
    """`select_one freq or_other`: the tool offers 'Other' (pyxform adds the choice
    `other` to the list) and exports `other`; every such answer was refused as 'not in
    the choice list', the file could not be imported. `select one freq` (pyxform's
    spelling with a space) was not read as a select at all."""
    form = rich_form(tmp_path / "form.xlsx")
    book = openpyxl.load_workbook(form)
    for row in book["survey"].iter_rows(min_row=2):
        if row[1].value == "satisfaction":
            row[0].value = kind
    book.save(form)
    rows = people(8)
    assert sum(p["satisfaction"] == "other" for p in rows) == 2
    store = Store.open(db)
    report = import_responses(store, "E01", "T0", kobo_xlsx(tmp_path / "e.xlsx", rows), form)
    assert report.respondents == 8
    assert "suivi/ressenti/satisfaction_other" in report.meta_columns  # listed, left out
    # 'other' is an answer kept as such, not a fifth point above 'toujours' (its median
    # and top-2 box would count it as the most satisfied)
    scale = {o.name: o.value for o in store.list(m.ScaleOption, enterprise_id="E01")
             if o.scale_id.endswith("-freq")}
    assert scale == {"jamais": 1.0, "parfois": 2.0, "souvent": 3.0, "toujours": 4.0}
    answers = list(stored(store)["satisfaction"].values())
    assert answers.count((None, "other")) == 2
    assert sorted(v for v, _ in answers if v is not None) == sorted(
        scale[p["satisfaction"]] for p in rows if p["satisfaction"] != "other")


@pytest.mark.parametrize(("sep", "groups", "writer"), [
    (".", True, kobo_xlsx), (".", True, kobo_csv), (" > ", True, kobo_csv),
    ("/", False, kobo_csv), ("/", True, kobo_csv)])
def test_option_columns_of_choices_with_dots_read_whatever_the_separator(
        tmp_path, db, sep, groups, writer):
    """Kobo's export with `.` as group separator heads the option columns
    `suivi.ressenti.aides.c.p.a.s`: refused as columns the form does not know (only `/`
    was tried to split the question from its choice)."""
    form = rich_form(tmp_path / "form.xlsx")
    rows = people(8)
    export = writer(tmp_path / ("e.xlsx" if writer is kobo_xlsx else "e.csv"), rows,
                    sep=sep, groups=groups)
    store = Store.open(db)
    report = import_responses(store, "E01", "T0", export, form)
    assert report.respondents == 8
    answers = stored(store)
    for choice in SERV:
        ticked = sorted(v for v, _ in answers[f"aides.{choice}"].values())
        assert ticked == sorted(1.0 if choice in p["aides"].split() else 0.0 for p in rows)


@pytest.mark.parametrize("groups", [True, False])
def test_a_labels_export_stores_what_the_xml_export_stores(tmp_path, db, groups):
    """Kobo's "Labels" export heads the or_other text column with pyxform's label of that
    question, `Specify other.` (under its groups' labels): refused as a column the form
    does not know."""
    form = rich_form(tmp_path / "form.xlsx")
    rows = people(8)
    store = Store.open(db)
    import_responses(store, "E01", "T0", kobo_csv(tmp_path / "x.csv", rows), form)
    by_names = stored(store)
    report = import_responses(store, "E01", "T0", kobo_labels_csv(
        tmp_path / "labels.csv", rows, groups=groups), form)
    assert report.respondents == 8 and any("Specify other." in c for c in report.meta_columns)
    assert stored(store) == by_names


def test_a_re_import_adds_nothing_and_a_longer_export_adds_only_the_new_people(tmp_path, db):
    form = rich_form(tmp_path / "form.xlsx")
    store = Store.open(db)
    first = kobo_xlsx(tmp_path / "e1.xlsx", people(8), sep=".")
    import_responses(store, "E01", "T0", first, form)
    before = len(store.frame("responses"))
    assert import_responses(store, "E01", "T0", first, form).already_imported
    assert len(store.frame("responses")) == before
    report = import_responses(store, "E01", "T0", kobo_xlsx(tmp_path / "e2.xlsx", people(11),
                                                            sep="."), form)
    frame = store.frame("responses")
    assert report.respondents == 11 and frame.respondent_id.nunique() == 11
    assert not frame.duplicated(["respondent_id", "wave_id", "item_id"]).any()
    assert len(store.frame("imports")) == 2


def test_no_question_column_is_dropped_without_a_word(tmp_path, db):
    """The `calculate`, `select_one_from_file` and geopoint columns were read as
    questions and then dropped silently: neither stored nor listed in the summary. The
    select_one_from_file answers (choice names of the file) are kept as text; the
    computed and the geopoint columns are listed with the columns left out."""
    form = rich_form(tmp_path / "form.xlsx")
    store = Store.open(db)
    report = import_responses(store, "E01", "T0", kobo_xlsx(tmp_path / "e.xlsx", people(8)),
                              form)
    assert {"suivi/heures_x2", "suivi/gps"} <= set(report.meta_columns), report.meta_columns
    assert {t for _, t in stored(store)["commune_ext"].values()} == {"jambes"}
    assert "heures_x2" in report.summary("en") and "suivi/gps" in report.summary("fr")


@pytest.mark.parametrize("typed", ["BXL-\u200b001", "BXL\u2011001", "\ufeffBXL-001",
                                   "ＢＸＬ－００１", "BXL\u00ad-001", "bxl-001\u2060"])
def test_a_respondent_code_pasted_with_invisible_or_typographic_characters_pairs(
        tmp_path, db, typed):
    """A code pasted from a PDF or a web page (a zero-width space, a non-breaking hyphen,
    full-width letters from an Asian keyboard) got another pseudonym than the same code
    typed plainly: T0 and T1 did not pair, and two rows of one person in a wave were
    not caught as duplicates."""
    form = rich_form(tmp_path / "form.xlsx")
    store = Store.open(db)
    rows = people(6)
    import_responses(store, "E01", "T0", kobo_xlsx(tmp_path / "t0.xlsx", rows), form)
    later = people(6, wave="T1")
    later[0]["repondant"] = typed
    import_responses(store, "E01", "T1", kobo_xlsx(tmp_path / "t1.xlsx", later), form)
    frame = store.frame("responses")
    waves = frame.groupby("respondent_id").wave_id.nunique()
    assert frame.respondent_id.nunique() == 6 and (waves == 2).all()
    duplicated = people(6, wave="T2")
    duplicated[3]["repondant"] = typed
    before = digest(db)
    with pytest.raises(ImportProblems) as caught:
        import_responses(store, "E01", "T2", kobo_xlsx(tmp_path / "t2.xlsx", duplicated), form)
    [found] = caught.value.problems
    assert (found.row, found.column) == (5, "repondant") and "2" in found.text("fr")
    assert digest(db) == before


@pytest.mark.parametrize("typed", ["N/A", "n/a", "NA", "-", "?", "NSP", "—"])
@pytest.mark.parametrize(("question", "column"), [("heures", "suivi/heures"),
                                                  ("satisfaction",
                                                   "suivi/ressenti/satisfaction")])
def test_a_no_answer_mark_says_to_leave_the_cell_empty(tmp_path, db, typed, question,
                                                       column):
    """`N/A`, `-` or `?` typed for 'no answer' in a number: 'is not a number (expected a
    number)', in a choice: 'not in the choice list'; neither says what to type instead."""
    form = rich_form(tmp_path / "form.xlsx")
    rows = people(6)
    rows[2][question] = typed
    store = Store.open(db)
    before = digest(db)
    with pytest.raises(ImportProblems) as caught:
        import_responses(store, "E01", "T0", kobo_csv(tmp_path / "e.csv", rows), form)
    [found] = caught.value.problems
    assert (found.row, found.column) == (4, column)
    assert "vide" in found.text("fr") and "empty" in found.text("en") \
        and "lege cel" in found.text("nl"), found.text("fr")
    assert digest(db) == before


def test_the_forms_languages_and_types_are_read_as_pyxform_reads_them(tmp_path):
    form = read_xlsform(rich_form(tmp_path / "form.xlsx"))
    assert form.languages == ["en", "fr"] and form.default_language == "fr"
    assert (form.form_id, form.version) == ("suivi_riche", "2024-03")
    kinds = {q.name: (q.type, q.list_name, q.path) for q in form.questions}
    assert kinds["satisfaction"] == ("select_one", "freq", ("suivi", "ressenti"))
    assert kinds["commune"] == ("select_one", "commune", ("identite",))
    assert kinds["commune_ext"][0] == "select_one_from_file"
    assert kinds["formation_heures"][2] == ("suivi", "formations")
    assert [c.name for c in form.choices["freq"]][-1] == "other"


@pytest.mark.parametrize(("typed", "number"), [("85 %", "85"), ("12,5%", "12,5"),
                                               ("1\u202f234,5\u00a0%", "1\u202f234,5")])
def test_a_percent_sign_in_a_number_says_to_write_the_number_alone(tmp_path, db, typed,
                                                                   number):
    """`85 %` typed in a decimal question: 'is not a number', as if 85 were not one."""
    form = rich_form(tmp_path / "form.xlsx")
    rows = people(6)
    rows[1]["salaire"] = typed
    store = Store.open(db)
    with pytest.raises(ImportProblems) as caught:
        import_responses(store, "E01", "T0", kobo_csv(tmp_path / "e.csv", rows), form)
    [found] = caught.value.problems
    assert (found.row, found.column) == (3, "suivi/salaire")
    assert "%" in found.text("nl") and f"({number})" in found.text("fr"), found.text("fr")
    assert store.frame("responses").empty


@pytest.mark.parametrize("status", ["Not Approved", "validation_status_not_approved",
                                    "rejected"])
def test_submissions_a_reviewer_rejected_are_named_in_the_report(tmp_path, db, status):
    """A submission marked 'Not approved' in KoboToolbox (or `rejected` in ODK Central)
    was imported and counted like the others, without a word: the reviewer's column is
    left out as the tool's own. It is still imported, and the report names its rows and
    how to leave it out."""
    form = rich_form(tmp_path / "form.xlsx")
    repeats: tuple = ()
    if status == "rejected":
        export, repeat = odk_central_csv(tmp_path / "suivi.csv", people(8),
                                         review={2: status, 5: status, 3: "approved"})
        repeats = (repeat,)
    else:
        export = kobo_xlsx(tmp_path / "e.xlsx", people(8))
        book = openpyxl.load_workbook(export)
        sheet = book.worksheets[0]
        at = [c.value for c in sheet[1]].index("_validation_status") + 1
        for row in (3, 6):
            sheet.cell(row, at).value = status
        sheet.cell(4, at).value = "Approved"
        book.save(export)
    store = Store.open(db)
    report = import_responses(store, "E01", "T0", export, form, repeat_files=repeats)
    assert report.respondents == 8
    text = report.summary("fr")
    assert "2 soumission(s)" in text and "3, 6" in text and "vises clean exclude" in text, text
    assert "--wave T0" in report.summary("en") and "3, 6" in report.summary("nl")


@pytest.mark.parametrize("groups", [True, False])
def test_an_odk_central_export_stores_what_the_kobo_export_stores(tmp_path, db, groups):
    form = rich_form(tmp_path / "form.xlsx")
    rows = people(8)
    store = Store.open(db)
    import_responses(store, "E01", "T0", kobo_xlsx(tmp_path / "k.xlsx", rows), form)
    by_kobo = stored(store)
    export, repeat = odk_central_csv(tmp_path / "suivi.csv", rows, groups=groups)
    report = import_responses(store, "E01", "T0", export, form, repeat_files=(repeat,))
    assert report.source_format == "ODK Central" and report.respondents == 8
    assert stored(store) == by_kobo


def later_version(path: Path) -> Path:
    """The form's next version: `heures` renamed `heures_formation`, `salaire` removed,
    `stage` (oui/non) added."""
    from rich_form import row

    rich_form(path, version="2024-06", extra_rows=[
        row("select_one oui_non", "stage", "", "Avez-vous fait un stage ?", "Internship?")])
    book = openpyxl.load_workbook(path)
    survey = book["survey"]
    for cells in list(survey.iter_rows(min_row=2)):
        if cells[1].value == "heures":
            cells[1].value = "heures_formation"
        elif cells[1].value == "heures_x2":
            cells[9].value = "${heures_formation} * 2"
        elif cells[1].value == "salaire":
            survey.delete_rows(cells[0].row)
    for name, fr, en in (("oui", "Oui", "Yes"), ("non", "Non", "No")):
        book["choices"].append(["oui_non", name, "", fr, en, ""])
    book.save(path)
    return path


def test_an_export_of_a_later_form_version(tmp_path, db):
    """T1 collected with the form's next version: with the T0 form its new columns are
    named and nothing is stored; with its own form it imports, the renamed question is a
    new item (its T0 answers stay under the old one), the new one is a yes/no item."""
    from pyxform.xls2xform import convert

    first, second = rich_form(tmp_path / "v1.xlsx"), later_version(tmp_path / "v2.xlsx")
    assert "<h:html" in convert(xlsform=str(second)).xform
    store = Store.open(db)
    import_responses(store, "E01", "T0", kobo_xlsx(tmp_path / "t0.xlsx", people(8)), first)
    export = kobo_xlsx(tmp_path / "t1.xlsx", people(8, wave="T1"), version="2024-06")
    book = openpyxl.load_workbook(export)
    sheet = book.worksheets[0]
    heads = [c.value for c in sheet[1]]
    sheet.cell(1, heads.index("suivi/heures") + 1).value = "suivi/heures_formation"
    sheet.delete_cols(heads.index("suivi/salaire") + 1)
    sheet.cell(1, sheet.max_column + 1).value = "stage"
    for k in range(2, sheet.max_row + 1):
        sheet.cell(k, sheet.max_column).value = "oui" if k % 2 else "non"
    book.save(export)
    before = digest(db)
    with pytest.raises(ImportProblems) as caught:
        import_responses(store, "E01", "T1", export, first)
    assert sorted(p.column for p in caught.value.problems) == ["stage",
                                                               "suivi/heures_formation"]
    assert digest(db) == before
    import_responses(store, "E01", "T1", export, second)
    answers = stored(store)
    assert len(answers["heures"]) == 7 and len(answers["heures_formation"]) == 7
    assert len(answers["salaire"]) == 8  # T0's, kept
    assert sorted(v for v, _ in answers["stage"].values()) == [0.0] * 4 + [1.0] * 4
    items = {i.code: i for i in store.list(m.Item, enterprise_id="E01")}
    assert items["stage"].scale == "yes_no"


def test_a_code_normalised_twice_is_the_code_normalised_once():
    """The import pseudonymises a code it has normalised already (to find duplicates) and
    a cleaning action the code as typed: both must give one pseudonym. NFKC turns a
    spacing accent (U+00A8, U+00B4, U+02D8...) into a space and a combining accent, which
    the removed space then joins to the letter before: a second pass changed the code."""
    from vises_nb.instruments.importing.pseudonyms import normalise_code

    for point in range(0x20, 0x3000):
        code = f"A{chr(point)}1"
        assert normalise_code(normalise_code(code)) == normalise_code(code), hex(point)
    assert normalise_code("a\u00a8 1") == normalise_code("A\u0308 1") == "\u00c41"


@pytest.mark.slow
def test_the_rich_forms_answers_reach_step_3(tmp_path, db):
    """Imported and analysed, not only stored: step 3 (papermill) analyses each question
    by its scale, the `other` answers outside the frequency scale's median and top-2 box,
    the select_multiple's dotted options as shares, and pairs T0 with T1."""
    import papermill

    from vises_nb.paths import NOTEBOOKS_DIR
    from vises_nb.publishing.notebook import read_sidecar

    form = rich_form(tmp_path / "form.xlsx")
    store = Store.open(db)
    import_responses(store, "E01", "T0", kobo_xlsx(tmp_path / "t0.xlsx", people(30)), form)
    export, repeat = odk_central_csv(tmp_path / "t1.csv", people(30, wave="T1"))
    import_responses(store, "E01", "T1", export, form, repeat_files=(repeat,))
    # the commune measures an indicator of the enterprise's own: an unordered list
    store.save(m.Indicator(id="E01-own-commune", enterprise_id="E01", code="COMMUNE",
                           name="Commune des stagiaires", level="output",
                           nature="quantitative", dimension="territorial"))
    link_item(store, "E01", "commune", "COMMUNE")
    store.close()
    out = tmp_path / "s3"
    out.mkdir()
    papermill.execute_notebook(str(NOTEBOOKS_DIR / "03_analyse.ipynb"),
                               str(out / "03_analyse.ipynb"), kernel_name="python3",
                               progress_bar=False,
                               parameters={"output_dir": str(out), "enterprise_id": "E01",
                                           "lang": "fr", "store_url": str(db)})
    results = read_sidecar(out / "item_results.json").set_index(["item_code", "wave"])
    satisfaction = results.loc[("satisfaction", "T0")]
    kept = [p["satisfaction"] for p in people(30) if p["satisfaction"] != "other"]
    assert satisfaction["n"] == len(kept) == 24
    assert satisfaction["top2"] == pytest.approx(
        sum(s in ("souvent", "toujours") for s in kept) / len(kept))
    for choice in SERV:
        share = sum(choice in p["aides"].split() for p in people(30)) / 30
        assert results.loc[(f"aides.{choice}", "T1"), "value"] == pytest.approx(share)
    assert results.loc[("heures", "T1"), "statistic"] == "mean"
    changes = read_sidecar(out / "item_changes.json").set_index("item_code")
    assert (changes["n_paired"] >= 24).all()
    report = (out / "03_analyse.ipynb").read_text(encoding="utf-8")
    assert "Services utilisés — CPAS" in report
    # the province is an unordered list: the share of each province, no median, no test
    province = results.loc[("prov", "T0")]
    assert province["statistic"] == "distribution" and pd.isna(province["value"])
    assert province["n"] == 30
    assert "prov" not in changes.index and "satisfaction" in changes.index
    rows = re.findall(r"<tr>(.*?)</tr>", report.replace("\\n", "").replace("\n", ""), re.DOTALL)
    province_rows = [row for row in rows if ">Province<" in row]
    assert province_rows and not any("médiane" in row for row in province_rows)
    assert any("Namur" in row and "50" in row and "(15)" in row for row in province_rows)
    assert any("médiane" in row for row in rows if "satisfait" in row)
    assert "Les questions à liste non ordonnée n&#x27;ont pas de test" in report
    # the indicator it measures: its shares under their own heading, no median, no test
    wave = read_sidecar(out / "results.json").set_index(["indicator_code", "wave"])
    assert wave.loc[("COMMUNE", "T1"), "kind"] == "nominal"
    assert pd.isna(wave.loc[("COMMUNE", "T1"), "value"])
    assert "COMMUNE" not in set(read_sidecar(out / "changes.json").get("indicator_code", []))
    assert "Listes non ordonnées : part de chaque réponse" in report
    commune_rows = [row for row in rows if "Commune des stagiaires" in row]
    assert commune_rows and not any("médiane" in row for row in commune_rows)
    assert any("Jambes" in row and "(15)" in row for row in commune_rows)

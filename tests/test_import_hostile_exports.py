"""Exports as real users hand them over, imported without their form (the store's form).

Each case starts from an export of the questionnaire vises generates for a sample
enterprise (tests/test_import_own_questionnaire.py builds it the ways KoboToolbox and
ODK Central write it) and changes it as people and tools do: a column twice, a label
typed with a curly apostrophe or pasted with invisible characters, a cell of a million
characters, an export of another project's form. Either the import is right (values
asserted) or it is refused with where and what to do, in the reader's language, and
nothing stored changes.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from test_import_own_questionnaire import (
    E,
    english_fragments,
    expected_values,
    export,
    snapshot,
    stored_values,
    write_csv,
    write_xlsx,
)

from vises_nb.instruments.importing import ImportProblems, import_responses
from vises_nb.store.store import Store


def edited_xlsx(path: Path, heads: list[str], rows: list[list[str]], edit) -> Path:
    """The export as KoboToolbox writes its XLSX (`write_xlsx`), then `edit(book)` as
    someone did in a spreadsheet before handing it over."""
    import openpyxl

    write_xlsx(path, heads, rows)
    book = openpyxl.load_workbook(path)
    edit(book)
    book.save(path)
    return path


def refused(store: Store, path: Path) -> ImportProblems:
    before = snapshot(store)
    with pytest.raises(ImportProblems) as caught:
        import_responses(store, E, "T0", path)
    assert snapshot(store) == before
    return caught.value


@pytest.mark.parametrize("second", ["wellbeing_index/wb_pain", "wb_pain",
                                    "Indice de bien-être physique/Avez-vous eu des douleurs ?"])
def test_a_question_in_two_columns_is_refused_naming_both(second, store, tmp_path):
    """A column copied (or the same question under a name and a label): never two
    answers folded into one value (it stored the count of columns, 2, as the answer)."""
    heads, rows, _ = export(store, "kobo", False, "names", "/")
    heads.append(second)
    for row in rows:
        row.append("1")
    problems = refused(store, write_csv(tmp_path / "twice.csv", heads, rows, ";"))
    [problem] = problems.problems
    assert problem.column == second and problem.row == 1
    for lang in ("fr", "nl", "en"):
        text = problem.text(lang)
        assert "wellbeing_index/wb_pain" in text and "wb_pain" in text
    assert english_fragments(problem.text("fr").replace("wellbeing_index/wb_pain", "")) == []


def _labels_export(store: Store, change) -> tuple[list[str], list[list[str]], dict]:
    heads, rows, expected = export(store, "kobo", True, "labels", "/")
    heads = [change(h) if not h.startswith("_") else h for h in heads]
    rows = [[change(c) if not c.startswith(("VX", "6f1", "20")) else c for c in row]
            for row in rows]
    return heads, rows, expected


INVISIBLE = {
    # Word and macOS type a curly apostrophe; the form has a straight one
    "curly apostrophe": lambda s: s.replace("'", "\u2019"),
    # pasted from a PDF: a soft hyphen where the word was cut, a zero-width space
    "soft hyphen": lambda s: s.replace("é", "é\u00ad", 1),
    "zero-width space": lambda s: s.replace(" ", " \u200b", 1),
    # a PDF's ligature (ﬁ) and a non-breaking space before '?'
    "NBSP and NFD": lambda s: unicodedata.normalize("NFD", s.replace(" ?", "\u00a0?")),
}


@pytest.mark.parametrize("how", list(INVISIBLE))
def test_labels_that_differ_only_by_invisible_or_typographic_characters_import(
        how, store, tmp_path):
    heads, rows, expected = _labels_export(store, INVISIBLE[how])
    report = import_responses(store, E, "T0", write_csv(tmp_path / "labels.csv", heads,
                                                         rows, ";"))
    assert report.respondents == 5 and report.responses == len(expected)
    assert stored_values(store, report) == expected_values(expected)


def test_a_cell_of_a_million_characters_is_refused_naming_its_row_and_the_limit(
        store, tmp_path):
    heads, rows, _ = export(store, "kobo", False, "names", "/")
    rows[2][heads.index("_notes")] = "x" * 1_000_000
    problems = refused(store, write_csv(tmp_path / "huge.csv", heads, rows, ";"))
    [problem] = problems.problems
    assert problem.row == 4
    french = problem.text("fr")
    assert "32 767" in french and "field limit" not in french, french
    assert "32 767" in problem.text("nl")


def test_an_export_of_another_form_is_refused_once_saying_to_give_its_form(store, realworld):
    """Another project's real Kobo export (88 columns, none of them a question of E09's
    questionnaire): one problem saying so and what to do, not 72 'unknown column' lines
    each suggesting --ignore-column."""
    problems = refused(store, realworld / "kobo-artifact-en-ru" / "export-all-versions.csv")
    [problem] = problems.problems
    french, dutch = problem.text("fr"), problem.text("nl")
    assert E in french and "XLSForm" in french and "--form" in french
    assert "Id_number" in french  # some of its columns, to recognise the file
    assert "--ignore-column" not in french
    assert E in dutch and "XLSForm" in dutch
    assert english_fragments(dutch.replace("--form", "")) == [], dutch


def test_a_missing_column_of_the_store_form_reads_as_french(store, tmp_path):
    heads, rows, _ = export(store, "kobo", False, "names", "/")
    at = heads.index("respondent_code")
    heads.pop(at)
    for row in rows:
        row.pop(at)
    problems = refused(store, write_csv(tmp_path / "nocode.csv", heads, rows, ";"))
    french = problems.message("fr")
    assert "respondent_code" in french and " de le " not in french, french


def test_a_formula_in_an_xlsx_export_is_refused_never_evaluated_nor_dropped(store, tmp_path):
    """A cell someone typed a formula in (`=1+2`, `=HYPERLINK(...)`): its cached result is
    not an answer anyone gave, and a file saved by openpyxl has none (it read as an empty
    cell: the answer silently missing). Refused where it is, saying to paste values."""
    heads, rows, _ = export(store, "kobo", False, "names", "/")

    def type_formulas(book) -> None:
        sheet = book.active
        sheet.cell(row=3, column=heads.index("services_known/services_known") + 1,
                   value="=1+2")
        sheet.cell(row=4, column=heads.index("respondent_code") + 1,
                   value='=HYPERLINK("http://evil.example","VX-03")')

    problems = refused(store, edited_xlsx(tmp_path / "edited.xlsx", heads, rows,
                                          type_formulas))
    found = {(p.row, p.column) for p in problems.problems}
    assert found == {(3, "services_known/services_known"), (4, "respondent_code")}
    french = problems.message("fr")
    assert "=1+2" in french and "HYPERLINK" in french
    assert "valeurs" in french and "waarden" in problems.message("nl")


@pytest.mark.parametrize("question,scale", [("self_confidence", "likert5"),
                                            ("services_known", "number")])
def test_an_own_form_reusing_an_items_name_with_other_choices_is_refused(
        question, scale, sample_copy, tmp_path, capsys):
    """The enterprise's own XLSForm names a question like an item of its plan
    (`self_confidence`, on the catalogue's 1-5 agreement scale) but gives it its own
    choices (non / peu / oui): it ended in a traceback (float('oui')). Refused naming the
    form's row, the item's scale and what to do; nothing stored; no traceback."""
    from own_forms import one_question_form

    from vises_nb.cli import main

    form = one_question_form(tmp_path / "mon_formulaire.xlsx", question,
                             [("non", "Pas du tout"), ("peu", "Un peu"), ("oui", "Tout à fait")])
    export_file = tmp_path / "reponses.csv"
    export_file.write_text(f"repondant;{question}\nA1;oui\nA2;peu\n", encoding="utf-8")
    store = Store.open(sample_copy)
    before = snapshot(store)
    with pytest.raises(ImportProblems) as caught:
        import_responses(store, E, "T0", export_file, form)
    assert snapshot(store) == before
    store.close()
    [problem] = caught.value.problems
    assert problem.row == 3 and problem.sheet == "survey"
    for lang in ("fr", "nl", "en"):
        text = problem.text(lang)
        assert question in text and "oui" in text and "mes_choix" in text
    assert main(["--lang", "nl", "import", "--store", str(sample_copy), "--enterprise", E,
                 "--wave", "T0", "--form", str(form), str(export_file)]) != 0
    err = capsys.readouterr().err
    assert "Traceback" not in err and question in err


def _own_store(tmp_path: Path) -> tuple[Store, Path]:
    """E70 with its own form imported at T0 (tests/own_forms.py): `freq` stored as
    jamais 1, parfois 2, souvent 3, toujours 4."""
    from own_forms import kobo_xlsx, own_form, people

    from vises_nb.store import model as m

    store = Store.open(tmp_path / "own.sqlite", create=True)
    store.save(m.Enterprise(id="E70", name="Atelier du Marais", pole="insertion",
                            region="wallonia", language="fr"))
    form = own_form(tmp_path / "form.xlsx")
    import_responses(store, "E70", "T0", kobo_xlsx(tmp_path / "t0.xlsx", people(8, "T0")),
                     form)
    return store, form


def _form_with_a_new_choice(form: Path, path: Path) -> Path:
    """The form as edited before T1: `rarement` inserted between jamais and parfois."""
    import openpyxl

    book = openpyxl.load_workbook(form)
    rows = [list(r) for r in book["choices"].iter_rows(values_only=True)]
    at = next(k for k, r in enumerate(rows) if r[1] == "parfois")
    rows.insert(at, ["freq", "rarement", "Rarement", "Zelden"])
    del book["choices"]
    sheet = book.create_sheet("choices")
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _satisfaction(store: Store, wave: str) -> list[float]:
    from vises_nb.store import model as m

    codes = {i.id: i.code for i in store.list(m.Item, enterprise_id="E70")}
    frame = store.frame("responses", enterprise_id="E70")
    frame = frame[(frame.item_id.map(codes) == "satisfaction")
                  & (frame.wave_id == f"E70-{wave}")]
    return sorted(frame.value.tolist())


def test_an_own_scale_keeps_its_stored_codes_when_the_form_gains_a_choice(tmp_path):
    """At T1 the enterprise's form lists `rarement` before `parfois`. Answers are coded by
    the scale stored at T0 (parfois stays 2: T0 and T1 compare), never renumbered from
    the new list (parfois read as 3 and toujours as 5, a change no one made); an answer
    with the new choice, which the stored scale cannot code, is refused where it is."""
    from own_forms import kobo_xlsx, people

    store, form = _own_store(tmp_path)
    t1_form = _form_with_a_new_choice(form, tmp_path / "form_t1.xlsx")
    answers = people(8, "T1")
    for k, row in enumerate(answers):
        row["satisfaction"] = ["parfois", "souvent", "toujours", "jamais"][k % 4]
    import_responses(store, "E70", "T1", kobo_xlsx(tmp_path / "t1.xlsx", answers), t1_form)
    assert _satisfaction(store, "T1") == [1.0, 1.0, 2.0, 2.0, 3.0, 3.0, 4.0, 4.0]

    answers[5]["satisfaction"] = "rarement"
    before = (store.data_hash("E70"), _satisfaction(store, "T1"))
    with pytest.raises(ImportProblems) as caught:
        import_responses(store, "E70", "T1", kobo_xlsx(tmp_path / "t1b.xlsx", answers),
                         t1_form)
    assert (store.data_hash("E70"), _satisfaction(store, "T1")) == before
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (7, "suivi/satisfaction")
    for lang in ("fr", "nl", "en"):
        text = problem.text(lang)
        assert "rarement" in text and "jamais, parfois, souvent, toujours" in text
    store.close()


def test_a_sheet_added_to_the_workbook_is_named_not_read_as_a_repeat(store, tmp_path):
    """Someone opened the XLSX export and added a summary sheet: it is not a repeat
    table (no `_parent_index`, `_submission__uuid` nor `PARENT_KEY`), so one problem
    names it and says to delete it, rather than 'unknown column' and 'orphan repeat row'
    for each of its cells. Nothing stored."""
    heads, rows, _ = export(store, "kobo", False, "names", "/")

    def add_a_summary(book) -> None:
        summary = book.create_sheet("Résumé")
        summary.append(["Question", "Moyenne"])
        summary.append(["services_known", 4.5])

    problems = refused(store, edited_xlsx(tmp_path / "with-summary.xlsx", heads, rows,
                                          add_a_summary))
    [problem] = problems.problems
    assert problem.sheet == "Résumé"
    assert "_parent_index" in problem.text("fr") and "supprimez" in problem.text("fr")
    assert "verwijder" in problem.text("nl")


def test_two_questions_of_one_name_in_two_groups_are_refused_not_merged(tmp_path):
    """An own question `satisfaction` (linked to the enterprise's SATISF): step 2 no
    longer adds the catalogue's `satisfaction` beside it (one enterprise never holds two
    items of one code, tests/test_item_codes_unique.py), so the generated questionnaire
    cannot ask both. A form that does (a second group asking `satisfaction` again) has
    answers that cannot be told apart by name: refused naming both columns and the two
    groups, saying to rename one; nothing stored."""
    import openpyxl

    from vises_nb.dashboards.workspace.step2 import add_from_catalogue
    from vises_nb.errors import VisesError
    from vises_nb.instruments.importing.links import link_item
    from vises_nb.store import model as m

    store, form = _own_store(tmp_path)
    store.save(m.Indicator(id="E70-own-satisf", enterprise_id="E70", code="SATISF",
                           name="Satisfaction", level="outcome", nature="quantitative",
                           dimension="social"))
    link_item(store, "E70", "satisfaction", "SATISF")
    before = store.data_hash("E70")
    with pytest.raises(VisesError):
        add_from_catalogue(store, "E70", "satisfaction", "fr")
    assert store.data_hash("E70") == before

    book = openpyxl.load_workbook(form)
    survey = book["survey"]
    survey.append(["begin_group", "autre", "Autre", "Ander", "", ""])
    survey.append(["select_one freq", "satisfaction", "Satisfait·e ?", "Tevreden?", "", ""])
    survey.append(["end_group", "", "", "", "", ""])
    twice = tmp_path / "twice.xlsx"
    book.save(twice)
    heads = ["repondant", "wave", "suivi/satisfaction", "suivi/emploi", "suivi/heures",
             "autre/satisfaction"]
    path = write_csv(tmp_path / "twice.csv", heads,
                     [["BXL-001", "T0", "souvent", "oui", "12", "jamais"]], ";")
    with pytest.raises(ImportProblems) as caught:
        import_responses(store, "E70", "T0", path, twice)
    assert store.data_hash("E70") == before
    [problem] = caught.value.problems
    for lang in ("fr", "nl", "en"):
        text = problem.text(lang)
        assert "suivi/satisfaction" in text and "autre/satisfaction" in text
    assert "renommez" in problem.text("fr")
    store.close()


def test_a_column_a_tool_derives_from_a_question_is_listed_not_dropped_silently(
        store, tmp_path):
    """Kobo's `<question>_other` ('other, specify') and media `_URL` columns are left
    out as the tool's own columns: the summary lists them, as it lists `_uuid`."""
    heads, rows, expected = export(store, "kobo", False, "names", "/")
    heads += ["services_known/services_known_other", "services_known/services_known_URL"]
    for row in rows:
        row += ["autre chose", "https://kc.example/media/1.jpg"]
    report = import_responses(store, E, "T0", write_csv(tmp_path / "derived.csv", heads,
                                                         rows, ";"))
    assert stored_values(store, report) == expected_values(expected)
    assert {"services_known/services_known_other",
            "services_known/services_known_URL"} <= set(report.meta_columns)
    assert "services_known_other" in report.summary("fr")

"""Numbers as French, Belgian and English exports write them, and rows a stray separator
shifted, imported into real SQLite stores from real CSV files.

- One test says whether a cell is a number (`values.is_number`, on `parse_number`): a
  choice `3,5` of an own form is a number for a number item, as it is in an answer or in
  a column of a file imported without its form (it was refused by one check with
  `float`, while the others read it).
- `1,234` (one separator before three digits) is a decimal or a thousand: read as a
  decimal where the column (or the file) writes its decimals with that separator, a dot
  also where nothing in the file shows a decimal mark (the tools' own exports); refused
  otherwise, naming the row and column, rather than guessed.
- A workbook's number cell (a real float 1.234) is never ambiguous, and says nothing
  about how the file's text cells write their decimals.
- A row with more fields than the header (an answer's `,` not quoted) is refused naming
  its row; a row with fewer (ODK Central leaves out empty last fields) reads as it is,
  and where a cut answer's end lands in a question it does not fit, the refusal says
  which answer to quote.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from forms_builder import workbook, xlsform
from own_forms import one_question_form
from test_import_own_questionnaire import E as SAMPLE
from test_import_own_questionnaire import english_fragments, snapshot, stored_values

from vises_nb.instruments.importing import ImportProblems, import_responses
from vises_nb.instruments.importing.values import is_number, separators
from vises_nb.store import model as m
from vises_nb.store.store import Store

E = "E70"


@pytest.fixture
def own(tmp_path):
    """A store with one enterprise and no items: an export imports with a form inferred
    from its columns (a number column where every answer is a number)."""
    opened = Store.open(tmp_path / "own.sqlite", create=True)
    opened.save(m.Enterprise(id=E, name="Atelier du Marais", pole="insertion",
                             region="wallonia", language="fr"))
    yield opened
    opened.close()


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def stored(store: Store, enterprise: str = E) -> dict[str, list]:
    """Item code -> the values stored (sorted), or the texts where there is no value."""
    codes = {i.id: i.code for i in store.list(m.Item, enterprise_id=enterprise)}
    frame = store.frame("responses", enterprise_id=enterprise)
    out: dict[str, list] = {}
    for item_id, value, text in zip(frame.item_id, frame.value, frame.text, strict=True):
        out.setdefault(codes[item_id], []).append(text if pd.isna(value) else value)
    return {code: sorted(values) for code, values in out.items()}


def refused(store: Store, path: Path, enterprise: str = E, form: Path | None = None
            ) -> ImportProblems:
    before = (store.data_hash(enterprise), len(store.frame("responses")),
              len(store.frame("items")), len(store.frame("imports")))
    with pytest.raises(ImportProblems) as caught:
        import_responses(store, enterprise, "T0", path, form)
    assert (store.data_hash(enterprise), len(store.frame("responses")),
            len(store.frame("items")), len(store.frame("imports"))) == before
    return caught.value


def test_is_number_reads_decimal_commas_and_never_nan_nor_words():
    for text in ("12", "3,5", "3.5", "-0,25", "1 234,5", "1\u202f234,5", "1.234,5",
                 "1,234.5"):
        assert is_number(text), text
    for text in ("nan", "NaN", "inf", "-infinity", "oui", "", "3,5,1", "1.234.567,8.9"):
        assert not is_number(text), text


# ------------------------------------------------------------------ one test, three places
@pytest.mark.parametrize("scale_check", ["choices", "answers"])
def test_an_own_forms_choice_with_a_decimal_comma_is_a_number_for_a_number_item(
        scale_check, store, tmp_path):
    """E09's `services_known` is a number item. An own form asks it with choices 1, 2,5
    and 3,5: the answers are numbers (3,5 -> 3.5), as 3,5 typed in a number column is.
    It was refused: the form's check read choices with float(), which refuses 3,5."""
    form = one_question_form(tmp_path / "mon_formulaire.xlsx", "services_known",
                             [("1", "Un"), ("2,5", "Deux et demi"), ("3,5", "Trois et demi")])
    answers = "A1;3,5\nA2;1\nA3;2,5\n" if scale_check == "choices" else \
        "A1;Trois et demi\nA2;Un\nA3;Deux et demi\n"  # a labels export
    export = write(tmp_path / "reponses.csv", f"repondant;services_known\n{answers}")
    report = import_responses(store, SAMPLE, "T0", export, form)
    assert report.respondents == 3
    assert stored_values(store, report) == {"services_known": [1.0, 2.5, 3.5]}


def test_an_own_forms_choice_nan_is_not_a_number_for_a_number_item(store, tmp_path):
    """`nan` passed the form's check (float('nan') is a float) and was stored as a number
    no one gave; it is a word, refused like `oui`, naming the form's row and the choice."""
    form = one_question_form(tmp_path / "mon_formulaire.xlsx", "services_known",
                             [("1", "Un"), ("nan", "Ne sait pas")])
    export = write(tmp_path / "reponses.csv", "repondant;services_known\nA1;nan\nA2;1\n")
    before = snapshot(store)
    with pytest.raises(ImportProblems) as caught:
        import_responses(store, SAMPLE, "T0", export, form)
    assert snapshot(store) == before
    [problem] = caught.value.problems
    assert (problem.sheet, problem.row) == ("survey", 3)
    for lang in ("fr", "nl", "en"):
        assert "nan" in problem.text(lang) and "services_known" in problem.text(lang)


def test_a_column_of_decimal_commas_is_a_number_column_without_a_form(own, tmp_path):
    report = import_responses(own, E, "T0", write(
        tmp_path / "export.csv", "respondent_code;heures;avis\nP1;3,5;bien\nP2;12;moyen\n"))
    assert report.respondents == 2
    items = {i.code: i.scale for i in own.list(m.Item, enterprise_id=E)}
    assert items == {"heures": "number", "avis": "text"}
    assert stored(own) == {"heures": [3.5, 12.0], "avis": ["bien", "moyen"]}


# ------------------------------------------------------------------ 1,234
def test_1_234_reads_as_a_decimal_where_its_column_or_file_writes_decimal_commas(
        own, tmp_path):
    """A French or Belgian export: `heures` shows 3,5, so its 1,234 is 1.234; `surface`
    shows 2,5 and 0,75, so its 1,250 is 1.25; `montant` shows nothing but the file writes
    decimals with a comma, so its 2,500 is 2.5 (a comma grouping thousands beside
    decimal commas would make the file unreadable to anyone)."""
    import_responses(own, E, "T0", write(tmp_path / "export.csv",
                                         "respondent_code;heures;surface;montant\n"
                                         "P1;3,5;1,250;2,500\n"
                                         "P2;1,234;2,5;4\n"
                                         "P3;12;0,75;1 500\n"))
    assert stored(own) == {"heures": [1.234, 3.5, 12.0], "surface": [0.75, 1.25, 2.5],
                           "montant": [2.5, 4.0, 1500.0]}


def test_dots_read_as_decimals_as_the_tools_write_them(own, tmp_path):
    """KoboToolbox, ODK and LimeSurvey write 1.234 for a decimal: where the file shows no
    other decimal mark, that is what it is. With both separators the last one is the
    decimal mark (1,234.5)."""
    import_responses(own, E, "T0", write(tmp_path / "export.csv",
                                         "respondent_code,poids,montant\n"
                                         'P1,1.234,"1,234.5"\n'
                                         "P2,2,12\n"))
    assert stored(own) == {"poids": [1.234, 2.0], "montant": [12.0, 1234.5]}


CASES = {
    # nothing says which the comma is: 1.234 in French, 1234 in an English export
    "commas alone": ("respondent_code;montant\nP1;1,234\nP2;12,500\nP3;7\n",
                     {(2, "montant", "1234"), (3, "montant", "12500")}),
    # the column groups thousands with a comma (1,234.5): its 1,234 is not a decimal
    "comma grouping": ('respondent_code,montant\nP1,"1,234.5"\nP2,"1,234"\n',
                       {(3, "montant", "1234")}),
    # the file writes decimals with a comma: its 1.234 groups thousands (Belgian style)
    "dot in a comma file": ("respondent_code;heures;montant\nP1;3,5;1.234\nP2;2;8\n",
                            {(2, "montant", "1234")}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_1_234_is_refused_where_nothing_says_which_it_is(case, own, tmp_path):
    text, expected = CASES[case]
    problems = refused(own, write(tmp_path / "export.csv", text))
    found = {(p.row, p.column) for p in problems.problems}
    assert found == {(row, column) for row, column, _ in expected}
    for problem in problems.problems:
        whole = next(w for row, _, w in expected if row == problem.row)
        for lang, word in (("fr", "milliers"), ("nl", "duizendtallen"), ("en", "thousands")):
            text = problem.text(lang)
            assert word in text and whole in text and "3,5" in text, text
        assert english_fragments(problem.text("fr")) == []


def test_the_column_decides_for_each_of_its_numbers():
    french = separators({"a": ["3,5", "1,234"], "c": ["1,234"], "d": ["1.234"]})
    assert french["a"].is_decimal(",") and not french["a"].is_decimal(".")
    assert french["c"].is_decimal(",")  # the file's other column writes 3,5
    assert not french["d"].is_decimal(".")  # a dot groups thousands in that file
    english = separators({"b": ["1,234.5", "1,234"], "e": ["2.5"]})
    assert not english["b"].is_decimal(",") and english["b"].is_decimal(".")
    mixed = separators({"a": ["3,5"], "e": ["2.5"], "c": ["1,234"], "d": ["1.234"]})
    assert not mixed["c"].is_decimal(",") and not mixed["d"].is_decimal(".")
    alone = separators({"c": ["1,234", "7"], "d": ["1.234"]})
    assert not alone["c"].is_decimal(",") and alone["d"].is_decimal(".")


# ------------------------------------------------------------------ shifted rows
SHIFTED = ("respondent_code,commentaire,heures,note\n"
           "P1,bien, merci,,\n"  # 5 fields: 'merci' read as the hours, the note empty
           "P2,ok,3,4\n")


def test_a_row_shifted_by_an_unquoted_comma_is_refused_naming_its_row(own, tmp_path):
    """'bien, merci' not in quotes, the row's last answers empty: the row still had as
    many non-empty cells as headers, so `merci` was stored as the hours, silently."""
    problems = refused(own, write(tmp_path / "export.csv", SHIFTED))
    [problem] = problems.problems
    assert problem.row == 2
    for lang in ("fr", "nl", "en"):
        text = problems.message(lang)
        assert "export.csv" in text and "5" in text and "4" in text and '"' in text \
            and "';'" in text.replace("« ; »", "';'"), text
    assert english_fragments(problems.message("fr")) == []


def test_the_same_answer_quoted_imports(own, tmp_path):
    quoted = SHIFTED.replace("bien, merci", '"bien, merci"')
    import_responses(own, E, "T0", write(tmp_path / "export.csv", quoted))
    assert stored(own) == {"commentaire": ["bien, merci", "ok"], "heures": [3.0],
                           "note": [4.0]}


def test_a_row_without_its_empty_last_fields_reads_as_odk_central_writes_it(own, tmp_path):
    import_responses(own, E, "T0", write(tmp_path / "export.csv",
                                         "respondent_code,commentaire,heures,note\n"
                                         "P1,bien\nP2,ok,3,4\n"))
    assert stored(own) == {"commentaire": ["bien", "ok"], "heures": [3.0], "note": [4.0]}


def test_a_tab_separated_row_with_a_stray_tab_names_the_tab(own, tmp_path):
    problems = refused(own, write(tmp_path / "export.txt",
                                  "respondent_code\tcommentaire\tnote\nP1\tbien\tmerci\t\n"
                                  "P2\tok\t4\n"))
    assert [p.row for p in problems.problems] == [2]
    assert "tabulation" in problems.message("fr") and "tab" in problems.message("nl")


# ------------------------------------------------------------------ a workbook's number cells
def test_a_workbooks_number_cell_is_never_ambiguous(own, tmp_path):
    """An XLSX export whose text cells write decimals with a comma ('3,5' typed as text):
    its number cell 1.234 (a real float) was refused as ambiguous, read back as the text
    '1.234' in a file of decimal commas. A number cell is a number; it says nothing about
    the file's separators either (its 1.5 made the column's text '1,250' a thousand)."""
    workbook(tmp_path / "export.xlsx", {"Sheet": [["respondent_code", "heures", "surface"],
                                                  ["P1", "3,5", 1.5], ["P2", 1.234, "1,250"],
                                                  ["P3", 12, 2]]})
    import_responses(own, E, "T0", tmp_path / "export.xlsx")
    assert stored(own) == {"heures": [1.234, 3.5, 12.0], "surface": [1.25, 1.5, 2.0]}


def test_a_shorter_row_cut_by_an_unquoted_comma_says_so_where_a_word_lands_in_a_number(
        own, tmp_path):
    """'bien, merci' not quoted in a row whose last answer is left out: the row has no
    more fields than the header, so only what lands where it cannot be says it: 'merci'
    in the hours. It was refused as 'not a number', with no word of why."""
    xlsform(tmp_path / "form.xlsx", [["type", "name", "label::Français (fr)", "required"],
                                     ["text", "respondent_code", "Code", "yes"],
                                     ["text", "commentaire", "Un commentaire ?", ""],
                                     ["integer", "heures", "Heures de formation", ""],
                                     ["integer", "note", "Note", ""]],
            [["list_name", "name", "label::Français (fr)"]])
    problems = refused(own, write(tmp_path / "export.csv",
                                  "respondent_code,commentaire,heures,note\n"
                                  "P1,bien, merci,3\n"
                                  "P2,ok,3,4\n"
                                  "P3,bien\n"), form=tmp_path / "form.xlsx")
    [problem] = problems.problems
    assert (problem.row, problem.column) == (2, "heures")
    for lang, word in (("fr", "guillemets"), ("nl", "aanhalingstekens"), ("en", "quotes")):
        text = problem.text(lang)
        assert "bien, merci" in text and word in text, text
    assert english_fragments(problem.text("fr")) == []


def test_spaces_after_the_separators_alone_say_nothing_more(own, tmp_path):
    """A hand-typed CSV with a space after each comma reads as before: the hint is only
    added to a cell that does not fit its question."""
    import_responses(own, E, "T0", write(tmp_path / "export.csv",
                                         "respondent_code, commentaire, heures\n"
                                         "P1, bien, 3\nP2, ok, 4\n"))
    assert stored(own) == {"commentaire": ["bien", "ok"], "heures": [3.0, 4.0]}

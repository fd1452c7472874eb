"""An enterprise's own questionnaire, end to end: a hand-written XLSForm (its own names,
French and Dutch labels), its answers as a Kobo XLSX (T0) and an ODK Central CSV (T1),
imported into an empty store, cleaned, analysed by the step notebooks (papermill) and
the cohort notebook; raw respondent codes appear nowhere. Bad input changes nothing."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import openpyxl
import papermill
import pytest
import sqlalchemy as sa
from own_forms import SERVICES, kobo_xlsx, odk_csv, own_form, people, plain_csv
from pyxform.xls2xform import convert

from vises_nb.analysis import collection
from vises_nb.cli import main
from vises_nb.errors import ValidationError, VisesError
from vises_nb.instruments import cleaning
from vises_nb.instruments.importing import ImportProblems, import_responses
from vises_nb.instruments.importing.links import item_links, link_item
from vises_nb.instruments.limesurvey import read_structure
from vises_nb.paths import NOTEBOOKS_DIR
from vises_nb.publishing.notebook import read_sidecar
from vises_nb.store import model as m
from vises_nb.store.loading import load_enterprise
from vises_nb.store.schema import SCHEMA_VERSION
from vises_nb.store.store import Store

E, OTHER = "E70", "E71"
ITEM = "E70-suivi_stagiaires-"


def new_store(path: Path) -> Store:
    """An empty store with two enterprises and one indicator of E70's own."""
    store = Store.open(path, create=True)
    for eid, name in ((E, "Atelier du Marais"), (OTHER, "Ressourcerie")):
        store.save(m.Enterprise(id=eid, name=name, pole="insertion", region="wallonia",
                                language="fr"))
    store.save(m.Indicator(id="E70-own-satisf", enterprise_id=E, code="SATISF",
                           name="Satisfaction des stagiaires", level="outcome",
                           nature="quantitative", dimension="social"))
    return store


@pytest.fixture
def store(tmp_path):
    s = new_store(tmp_path / "vises.sqlite")
    yield s
    s.close()


def snapshot(store: Store) -> tuple:
    return tuple(len(store.frame(t)) for t in (
        "responses", "respondents", "items", "imports", "indicators", "scales",
        "scale_options", "cleaning_actions", "instruments", "waves"))


def answers_at(store: Store, wave: str):
    frame = store.frame("responses", E)
    return frame[frame.wave_id == f"{E}-{wave}"]


def import_both(store: Store, tmp_path: Path, form: Path, t1_codes=None):
    t0 = import_responses(store, E, "T0", kobo_xlsx(tmp_path / "t0.xlsx", people(20, "T0")),
                          form)
    rows = people(15, "T1", shift=1)
    for row, code in zip(rows, t1_codes or [], strict=False):
        row["repondant"] = code
    t1 = import_responses(store, E, "T1", odk_csv(tmp_path / "t1.csv", rows), form)
    return t0, t1


# ------------------------------------------------------------------ the form
def test_the_hand_written_form_is_a_valid_xlsform(tmp_path):
    result = convert(xlsform=str(own_form(tmp_path / "form.xlsx")))
    assert result.warnings == []
    assert 'lang="Français (fr)"' in result.xform and "Gebruikte diensten" in result.xform


# ------------------------------------------------------------------ import
def test_codes_are_found_scales_stored_and_waves_pair(store, tmp_path):
    form = own_form(tmp_path / "form.xlsx", satisfaction_link="indicator:SATISF")
    t0, t1 = import_both(store, tmp_path, form, t1_codes=[" bxl-001", "BXL-00 2 "])
    assert (t0.respondent_column, t0.respondent_how) == ("repondant", "detected")
    assert t1.respondent_column == "repondant" and not t0.warnings
    assert "'repondant'" in t0.summary("en") and "detected" in t0.summary("en")
    assert "3 question(s) linked to an indicator" in t0.summary("en")
    assert "5 free-text answer(s) added to the excerpts" in t0.summary("en")
    assert (t0.respondents, t1.respondents) == (20, 15)
    items = {i.code: i for i in store.list(m.Item, enterprise_id=E)}
    assert set(items) == {"satisfaction", "emploi", "aides.cpas", "aides.forem",
                          "aides.mutuelle", "heures", "commentaire"}  # never `repondant`
    assert items["satisfaction"].scale == "ordinal" and items["emploi"].scale == "yes_no"
    assert {items[f"aides.{s}"].scale for s, _, _ in SERVICES} == {"yes_no"}
    assert items["heures"].scale == "number" and items["commentaire"].scale == "text"
    options = store.list(m.ScaleOption, scale_id=items["satisfaction"].scale_id)
    assert [(o.name, o.value, o.labels) for o in options][::3] == [
        ("jamais", 1.0, {"fr": "Jamais", "nl": "Nooit"}),
        ("toujours", 4.0, {"fr": "Toujours", "nl": "Altijd"})]
    yes_no = {o.name: o.value for o in store.list(m.ScaleOption,
                                                  scale_id=items["emploi"].scale_id)}
    assert yes_no == {"oui": 1.0, "non": 0.0}
    assert store.get(m.AnswerScale, items["emploi"].scale_id)[0].kind == "yes_no"
    # links from the form's `vises` column: a catalogue code (added to the plan), an own one
    assert items["emploi"].indicator_id == "E70-stable_contract"
    assert items["heures"].indicator_id == "E70-training_hours"
    assert items["satisfaction"].indicator_id == "E70-own-satisf"
    assert items["aides.cpas"].indicator_id is None
    t0_rows, t1_rows = answers_at(store, "T0"), answers_at(store, "T1")
    # respondent k (0-based) at T0: satisfaction = k % 4 + 1; aides.cpas ticked when k even
    sat = t0_rows[t0_rows.item_id == ITEM + "satisfaction"].value
    assert sorted(sat) == sorted(float(k % 4 + 1) for k in range(20))
    cpas = t0_rows[t0_rows.item_id == ITEM + "aides.cpas"].value
    assert len(cpas) == 20 and cpas.sum() == 10
    emploi = t1_rows[t1_rows.item_id == ITEM + "emploi"].value
    assert emploi.sum() == sum(1 for k in range(15) if (k + 1) % 3)
    # waves pair by pseudonym: the 15 T1 people (two typed differently) are 15 T0 people
    assert set(t1_rows.respondent_id) <= set(t0_rows.respondent_id)
    assert len(store.frame("respondents", E)) == 20


def test_raw_codes_are_stored_nowhere(store, tmp_path):
    import_both(store, tmp_path, own_form(tmp_path / "form.xlsx"))
    store.close()
    data = b"".join(p.read_bytes() for p in tmp_path.glob("vises.sqlite*"))
    assert b"BXL-0" not in data and b"BXL0" not in data and b"bxl-0" not in data
    assert b"Tr\xc3\xa8s bien" in data  # the free text is there: the scan reads the file


def test_a_plain_csv_of_that_form_imports_with_the_respondent_column_option(store, tmp_path,
                                                                            capsys):
    form = own_form(tmp_path / "form.xlsx")
    path = plain_csv(tmp_path / "plain.csv", people(8, "T0"))
    code = main(["import", "--store", str(tmp_path / "vises.sqlite"), "--enterprise", E,
                 "--wave", "T0", "--form", str(form), "--respondent-column", "repondant",
                 str(path)])
    out = capsys.readouterr().out
    assert code == 0 and "8 respondent(s)" in out and "--respondent-column" in out
    assert len(answers_at(store, "T0")[lambda f: f.item_id == ITEM + "heures"]) == 8


def test_the_forms_vises_column_names_the_code_question(store, tmp_path):
    form = own_form(tmp_path / "form.xlsx", code_question="num", vises_code=True)
    rows = [{**r, "num": r.pop("repondant")} for r in people(6, "T0")]
    text = plain_csv(tmp_path / "p.csv", [{**r, "repondant": r["num"]} for r in rows])
    text.write_text(text.read_text().replace("repondant", "num", 1))
    report = import_responses(store, E, "T0", text, form)
    assert (report.respondent_column, report.respondent_how) == ("num", "form")
    assert report.respondents == 6 and "num" not in {i.code for i in store.list(m.Item)}


def test_a_form_without_respondent_code_imports_with_a_warning(store, tmp_path):
    form = own_form(tmp_path / "form.xlsx", code_question="surnom")
    report = import_responses(store, E, "T0", kobo_xlsx(tmp_path / "t0.xlsx", [
        {**r, "surnom": r["repondant"]} for r in people(6, "T0")]).rename(
        tmp_path / "t0b.xlsx") if False else _renamed_kobo(tmp_path, "surnom"), form)
    assert report.respondent_column is None and report.respondents == 6
    assert "cannot be paired" in report.summary("en") and "_uuid" in report.summary("en")
    assert "ne pourront pas être appariées" in report.summary("fr")


def _renamed_kobo(tmp_path: Path, name: str) -> Path:
    path = kobo_xlsx(tmp_path / "k.xlsx", people(6, "T0"))
    book = openpyxl.load_workbook(path)
    book.active.cell(1, 3).value = name
    book.save(path)
    return path


def test_free_text_answers_become_excerpts_to_code_never_published_yet(store, tmp_path):
    form = own_form(tmp_path / "form.xlsx")
    t0, _ = import_both(store, tmp_path, form)
    expected = sorted(f"Très bien, merci ({k})" for k in (0, 4, 8, 12, 16))
    texts = answers_at(store, "T0")[lambda f: f.item_id == ITEM + "commentaire"].text
    assert sorted(texts) == expected
    excerpts = store.frame("excerpts", E)
    t0_excerpts = excerpts[excerpts.wave_code == "T0"]
    assert sorted(t0_excerpts.text) == expected and t0.excerpts == 5
    assert not excerpts.publishable.any() and excerpts.respondent_id.str.startswith("E70-P").all()
    assert set(excerpts.respondent_id) <= set(store.frame("respondents", E).id)
    from vises_nb.analysis.findings import publishable_verbatims

    assert publishable_verbatims(load_enterprise(store, E)).empty  # not until marked
    import_responses(store, E, "T0", tmp_path / "t0.xlsx", form)  # same file again
    assert len(store.frame("excerpts", E)) == len(excerpts)


# ------------------------------------------------------------------ bad input
def test_an_unknown_respondent_column_is_refused_and_nothing_stored(store, tmp_path):
    form = own_form(tmp_path / "form.xlsx")
    before = snapshot(store)
    with pytest.raises(ValidationError) as caught:
        import_responses(store, E, "T0", kobo_xlsx(tmp_path / "t0.xlsx", people(6, "T0")),
                         form, respondent_column="code_personne")
    text = caught.value.message("en")
    assert "'code_personne' is not a question of the form form.xlsx" in text
    assert "repondant" in text
    assert snapshot(store) == before


def test_an_item_linked_to_an_unknown_indicator_is_refused_and_nothing_stored(store,
                                                                              tmp_path):
    form = own_form(tmp_path / "form.xlsx", link="indicator:NOPE")
    before = snapshot(store)
    with pytest.raises(ImportProblems) as caught:
        import_responses(store, E, "T0", kobo_xlsx(tmp_path / "t0.xlsx", people(6, "T0")),
                         form)
    text = caught.value.message("en")
    assert "sheet 'survey', row 8, column 'vises': unknown indicator 'NOPE'" in text
    assert "SATISF" in text  # what would fit: the enterprise's own indicators
    assert snapshot(store) == before


def test_an_item_linked_to_a_catalogue_indicator_of_another_scale_is_refused(store, tmp_path):
    """An agreement question (1..5) linked to a yes/no indicator would make step 3 and the
    cohort notebook fail computing a share: refused at import, naming the row, and when
    linked afterwards; nothing stored."""
    form = own_form(tmp_path / "form.xlsx", satisfaction_link="indicator:stable_contract")
    before = snapshot(store)
    with pytest.raises(ImportProblems) as caught:
        import_responses(store, E, "T0", kobo_xlsx(tmp_path / "t0.xlsx", people(6, "T0")),
                         form)
    text = caught.value.message("en")
    assert "column 'vises'" in text and "'stable_contract'" in text and "yes_no" in text
    assert snapshot(store) == before
    import_both(store, tmp_path, own_form(tmp_path / "plain.xlsx"))
    before = snapshot(store)
    with pytest.raises(ValidationError) as refused:
        link_item(store, E, "satisfaction", "stable_contract")
    assert "yes_no" in refused.value.message("en")
    assert "oui_non" not in refused.value.message("fr")
    assert snapshot(store) == before
    assert link_item(store, E, "satisfaction", "SATISF").indicator_id == "E70-own-satisf"


def test_a_file_whose_wave_contradicts_the_wave_asked_is_refused_with_the_rows(store,
                                                                                tmp_path):
    rows = people(6, "T0")
    rows[2]["wave"] = rows[4]["wave"] = "T1"
    before = snapshot(store)
    with pytest.raises(ImportProblems) as caught:
        import_responses(store, E, "T0", kobo_xlsx(tmp_path / "t0.xlsx", rows),
                         own_form(tmp_path / "form.xlsx"))
    text = caught.value.message("en")
    assert "row 4, column 'wave'" in text and "row 6, column 'wave'" in text
    assert "row 3, column 'wave'" not in text
    assert snapshot(store) == before


def test_links_afterwards_and_an_unknown_indicator_there(store, tmp_path):
    import_both(store, tmp_path, own_form(tmp_path / "form.xlsx"))
    item = link_item(store, E, "aides.cpas", "rights_accessed")
    assert item.indicator_id == "E70-rights_accessed"
    assert store.get(m.Indicator, "E70-rights_accessed")[0].code == "rights_accessed"
    table = item_links(store, E).set_index("code")
    assert table.loc["aides.cpas", "indicator_code"] == "rights_accessed"
    before = snapshot(store)
    with pytest.raises(ValidationError) as caught:
        link_item(store, E, "aides.forem", "NOPE")
    assert "unknown indicator 'NOPE'" in caught.value.message("en")
    assert snapshot(store) == before


# ------------------------------------------------------------------ Kobo labels, LimeSurvey
def _labels_form(tmp_path: Path, labels: list[str]) -> Path:
    path = own_form(tmp_path / "form.xlsx")
    book = openpyxl.load_workbook(path)
    rows = list(book["choices"].iter_rows())
    services = [r for r in rows if r[0].value == "services"]
    for row, label in zip(services, labels, strict=True):
        row[2].value = label
    book.save(path)
    return path


def _kobo_labels_csv(path: Path, labels: list[str], rows, option_columns: bool) -> Path:
    """Kobo's "labels" CSV: `;`, every field quoted, headers and answers as French labels,
    groups joined by `/`, 0/1 option columns headed `question label/option label`."""
    freq = {"jamais": "Jamais", "parfois": "Parfois", "souvent": "Souvent",
            "toujours": "Toujours"}
    names = [s for s, _, _ in SERVICES]
    headers = ["start", "end", "Code du répondant", "Vague", "Suivi/Êtes-vous satisfait·e ?",
               "Suivi/Avez-vous un contrat stable ?", "Suivi/Services utilisés"]
    if option_columns:
        headers += [f"Suivi/Services utilisés/{label}" for label in labels]
    headers += ["Suivi/Heures de formation", "Suivi/Un commentaire ?", "_id", "_uuid",
                "_submission_time", "_index"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(headers)
    for k, row in enumerate(rows, start=1):
        picked = row["aides"].split()
        cells = ["2024-03-01T09:50:00", "2024-03-01T09:58:00", row["repondant"],
                 {"T0": "Entrée", "T1": "Sortie"}[row["wave"]], freq[row["satisfaction"]],
                 "Oui" if row["emploi"] == "oui" else "Non",
                 " ".join(label for name, label in zip(names, labels, strict=True)
                          if name in picked)]
        if option_columns:
            cells += ["1" if name in picked else "0" for name in names]
        cells += [row["heures"], row["commentaire"], str(k), f"u-{k}", "2024-03-01", str(k)]
        writer.writerow(cells)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def test_a_kobo_labels_csv_with_multi_word_labels_imports(store, tmp_path):
    labels = ["Centre public d'action sociale", "Forem", "Mutuelle santé"]
    form = _labels_form(tmp_path, labels)
    rows = people(10, "T0")
    with_columns = _kobo_labels_csv(tmp_path / "a.csv", labels, rows, option_columns=True)
    report = import_responses(store, E, "T0", with_columns, form)
    assert report.respondents == 10
    stored = answers_at(store, "T0")
    for j, name in enumerate(s for s, _, _ in SERVICES):
        values = stored[stored.item_id == f"{ITEM}aides.{name}"].value
        assert values.sum() == sum(1 for k in range(10) if (k + j) % 2 == 0)
    assert stored[stored.item_id == ITEM + "satisfaction"].value.max() == 4.0
    # without the option columns, the words can only be cut one way here: still imported
    without = _kobo_labels_csv(tmp_path / "b.csv", labels, people(10, "T1", shift=1), False)
    assert import_responses(store, E, "T1", without, form).respondents == 10


def test_a_truly_ambiguous_labels_file_is_refused_naming_the_columns_to_export(store,
                                                                              tmp_path):
    labels = ["Aide", "Aide sociale", "sociale"]  # "Aide sociale" reads two ways
    form = _labels_form(tmp_path, labels)
    rows = [{**r, "aides": "cpas forem"} for r in people(6, "T0")]
    path = _kobo_labels_csv(tmp_path / "a.csv", labels, rows, option_columns=False)
    before = snapshot(store)
    with pytest.raises(ImportProblems) as caught:
        import_responses(store, E, "T0", path, form)
    text = caught.value.message("en")
    assert "'Aide Aide sociale' can be read in more than one way" in text
    assert "0/1 columns per option of 'aides'" in text
    assert snapshot(store) == before


def _limesurvey_csv(path: Path, rows, codes=lambda q, v: v) -> Path:
    names = [s for s, _, _ in SERVICES]
    headers = ["id", "submitdate", "lastpage", "startlanguage", "seed", "repondant", "wave",
               "satisfaction", "emploi", *(f"aides[{n}]" for n in names), "heures",
               "commentaire"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(headers)
    for k, row in enumerate(rows, start=1):
        writer.writerow([str(k), "1980-01-01 00:00:00", "2", "fr", "4711", row["repondant"],
                         row["wave"], codes("satisfaction", row["satisfaction"]),
                         codes("emploi", row["emploi"]),
                         *("Y" if n in row["aides"].split() else "" for n in names),
                         row["heures"], row["commentaire"]])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def test_a_limesurvey_structure_from_vises_export_parses_and_its_responses_import(
        store, tmp_path, capsys):
    form = own_form(tmp_path / "form.xlsx")
    out = tmp_path / "suivi.txt"
    assert main(["export", "--store", str(tmp_path / "vises.sqlite"), "--questionnaire", E,
                 "--form", str(form), "--format", "limesurvey", "--out", str(out)]) == 0
    rows = read_structure(out.read_text(encoding="utf-8"))
    assert list(rows[0])[:9] == ["id", "related_id", "class", "type/scale", "name",
                                 "relevance", "text", "help", "language"]
    questions = {(r["name"], r["type/scale"]) for r in rows if r["class"] == "Q"}
    assert {("repondant", "T"), ("wave", "L"), ("satisfaction", "L"), ("emploi", "L"),
            ("aides", "M"), ("heures", "N"), ("commentaire", "T")} == questions
    answers_fr = [(r["name"], r["text"]) for r in rows if r["class"] == "A"
                  and r["language"] == "fr"]
    # LimeSurvey answer codes have at most 5 letters or digits: a longer name gets a code
    assert ("tou04", "Toujours") in answers_fr and ("oui", "Oui") in answers_fr
    sub_nl = [(r["name"], r["text"]) for r in rows if r["class"] == "SQ"
              and r["language"] == "nl"]
    assert sub_nl == [("cpas", "OCMW"), ("forem", "VDAB"), ("mutuelle", "Ziekenfonds")]
    assert {r["text"] for r in rows if r["name"] == "language"} == {"fr"}
    assert {r["text"] for r in rows if r["name"] == "additional_languages"} == {"nl"}
    codes: dict[tuple[str, str], str] = {}  # (question, label) -> answer code
    question = ""
    for row in rows:
        if row["class"] == "Q":
            question = row["name"]
        elif row["class"] == "A" and row["language"] == "fr":
            codes[(question, row["text"].casefold())] = row["name"]
    assert codes[("satisfaction", "jamais")] == "jam01"
    # its response export (question codes, answer codes) imports against the same form
    report = import_responses(store, E, "T0", _limesurvey_csv(
        tmp_path / "ls.csv", people(9, "T0"), lambda q, v: codes.get((q, v), v)), form)
    assert report.source_format == "LimeSurvey" and report.respondents == 9
    stored = answers_at(store, "T0")
    assert stored[stored.item_id == ITEM + "aides.forem"].value.tolist().count(1.0) == 4
    assert sorted(stored[stored.item_id == ITEM + "satisfaction"].value) == sorted(
        float(k % 4 + 1) for k in range(9))
    # LimeSurvey's own default codes (A1, A2...) are not the form's: say how to fix it
    position = {"jamais": "A1", "parfois": "A2", "souvent": "A3", "toujours": "A4"}
    coded = _limesurvey_csv(tmp_path / "ls2.csv", people(5, "T1"),
                            lambda q, v: position.get(v, v))
    with pytest.raises(ImportProblems) as caught:
        import_responses(store, E, "T1", coded, form)
    assert "export full answer texts" in caught.value.message("en")
    assert "--format limesurvey" in caught.value.message("en")


# ------------------------------------------------------------------ cleaning log
def _paired(store: Store) -> int:
    data = load_enterprise(store, E)
    waves = collection.wave_summary(data).set_index("wave")
    return int(waves.loc["T1", "paired_with_T0"])


def test_each_cleaning_action_applies_on_top_and_undoes(store, tmp_path):
    form = own_form(tmp_path / "form.xlsx")
    import_both(store, tmp_path, form, t1_codes=["BXL-0O1"])  # T1: a letter O for a zero
    imported = store.frame("responses")
    assert _paired(store) == 14
    recode = cleaning.recode_respondent(store, E, "T1", "BXL-0O1", "BXL-001", "Anne",
                                        "letter O typed for a zero")
    assert _paired(store) == 15
    assert recode.before != recode.after and recode.before.startswith("E70-P")
    exclude = cleaning.exclude_submission(store, E, "T1", "BXL-002", "Anne", "test submission")
    assert _paired(store) == 14
    data = load_enterprise(store, E)
    person = cleaning.respondent_id(store, E, "BXL-002")
    own = imported[(imported.respondent_id == person) & (imported.wave_id == "E70-T1")]
    assert len(own) == 6 and exclude.before == "6"  # its 6 answers (no comment) left out
    assert len(data.responses) == len(imported) - 6
    correct = cleaning.correct_answer(store, E, "T0", "BXL-003", "satisfaction", "Souvent",
                                      "Anne", "paper form says souvent")
    assert (correct.before, correct.after) == ("3.0", "3.0") or correct.after == "3.0"
    correct2 = cleaning.correct_answer(store, E, "T0", "BXL-003", "heures", "40", "Anne",
                                       "typo")
    data = load_enterprise(store, E)
    person = cleaning.respondent_id(store, E, "BXL-003")
    own = data.responses[(data.responses.respondent_id == person)
                         & (data.responses.wave_id == "E70-T0")].set_index("item_id")
    assert own.loc[ITEM + "heures", "value"] == 40.0
    assert correct2.before == str(float(10 + (2 * 7) % 30))
    # the imported answers themselves never change
    assert store.frame("responses").equals(imported)
    # listed in step 2's data quality (who, why, before, after), pseudonyms only
    table = collection.cleaning_table(data, "en")
    assert list(table["Who"]) == ["Anne"] * 4 and "test submission" in list(table["Why"])
    assert "BXL" not in table.to_string()
    assert collection.cleaning_count(data) == 4
    # each undone, back to the imported data
    for action in (correct2, correct, exclude, recode):
        cleaning.undo(store, action.id, "Bert")
    data = load_enterprise(store, E)
    assert data.responses.reset_index(drop=True).equals(imported.reset_index(drop=True))
    assert _paired(store) == 14 and collection.cleaning_count(data) == 0
    assert len(cleaning.cleaning_log(store, E)) == 4  # undone actions stay in the log
    with pytest.raises(ValidationError):
        cleaning.undo(store, recode.id, "Bert")


def test_cleaning_refusals_store_nothing(store, tmp_path):
    import_both(store, tmp_path, own_form(tmp_path / "form.xlsx"))
    other = f"{OTHER}-P0123456789abcdef"
    before = snapshot(store)
    cases = [
        (lambda: cleaning.recode_respondent(store, E, "T1", "BXL-001", other, "A", "merge"),
         "belongs to enterprise E71, not E70: codes are never merged across enterprises"),
        (lambda: cleaning.exclude_submission(store, E, "T1", "BXL-999", "A", "x"),
         "no answers of respondent 'BXL-999' at wave T1"),
        (lambda: cleaning.recode_respondent(store, E, "T1", "BXL-001", "BXL-002", "A", "x"),
         "already has a submission at wave T1"),
        (lambda: cleaning.correct_answer(store, E, "T0", "BXL-001", "satisfaction", "bof",
                                         "A", "x"), "'bof' is not a possible answer"),
        # a number as the import reads one (values.is_number): never nan, inf nor 1e999
        (lambda: cleaning.correct_answer(store, E, "T0", "BXL-001", "heures", "nan",
                                         "A", "x"), "'nan' is not a possible answer"),
        (lambda: cleaning.correct_answer(store, E, "T0", "BXL-001", "heures", "1e999",
                                         "A", "x"), "'1e999' is not a possible answer"),
        (lambda: cleaning.exclude_submission(store, E, "T1", "BXL-001", "A", " "),
         "say why"),
    ]
    for call, expected in cases:
        with pytest.raises(VisesError) as caught:
            call()
        assert expected in caught.value.message("en")
    assert snapshot(store) == before


def test_the_clean_command(store, tmp_path, capsys):
    import_both(store, tmp_path, own_form(tmp_path / "form.xlsx"))
    db = str(tmp_path / "vises.sqlite")
    assert main(["clean", "exclude", "--store", db, "--enterprise", E, "--wave", "T0",
                 "--respondent", "BXL-004", "--why", "test submission", "--by", "Anne"]) == 0
    action = capsys.readouterr().out.split()[1]
    assert main(["clean", "list", "--store", db, "--enterprise", E]) == 0
    listed = capsys.readouterr().out
    assert action in listed and "test submission" in listed and "BXL" not in listed
    assert main(["clean", "undo", "--store", db, action, "--by", "Anne"]) == 0
    code = main(["clean", "recode", "--store", db, "--enterprise", E, "--wave", "T1",
                 "--from", "BXL-001", "--to", f"{OTHER}-P0123456789abcdef", "--why", "x"])
    assert code != 0 and "never merged" in capsys.readouterr().err


def test_a_schema_3_store_upgrades_in_place(tmp_path):
    path = tmp_path / "old.sqlite"
    store = new_store(path)
    store.close()
    with sqlite3.connect(path) as conn:
        for table in ("scales", "scale_options", "cleaning_actions"):
            conn.execute(f"DROP TABLE {table}")
        conn.execute("ALTER TABLE items DROP COLUMN scale_id")
        conn.execute("UPDATE vises_meta SET value='3' WHERE key='schema_version'")
    store = Store.open(path)
    assert store.schema_version == SCHEMA_VERSION
    assert store.frame("cleaning_actions").empty and len(store.enterprise_ids()) == 2
    columns = {c["name"] for c in sa.inspect(store.engine).get_columns("items")}
    assert "scale_id" in columns
    store.close()


# ------------------------------------------------------------------ notebooks, end to end
def execute(name: str, out: Path, **parameters) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    papermill.execute_notebook(str(NOTEBOOKS_DIR / f"{name}.ipynb"), str(out / f"{name}.ipynb"),
                               parameters={"output_dir": str(out), **parameters},
                               kernel_name="python3", progress_bar=False)
    return out


@pytest.mark.slow
def test_end_to_end_step_notebooks_and_cohort_show_the_imported_items(tmp_path):
    db = tmp_path / "vises.sqlite"
    store = new_store(db)
    form = own_form(tmp_path / "form.xlsx", satisfaction_link="indicator:SATISF")
    import_both(store, tmp_path, form, t1_codes=["BXL-0O1"])
    cleaning.recode_respondent(store, E, "T1", "BXL-0O1", "BXL-001", "Anne", "typo")
    store.close()
    step2 = execute("02_collecte", tmp_path / "s2", enterprise_id=E, lang="fr",
                    store_url=str(db))
    assert len(read_sidecar(step2 / "cleaning.json")) == 1
    waves = read_sidecar(step2 / "waves.json").set_index("wave")
    assert int(waves.loc["T1", "paired_with_T0"]) == 15
    step3 = execute("03_analyse", tmp_path / "s3", enterprise_id=E, lang="nl",
                    store_url=str(db))
    results = read_sidecar(step3 / "results.json").set_index(["indicator_code", "wave"])
    assert results.loc[("stable_contract", "T0"), "n"] == 20
    assert results.loc[("stable_contract", "T1"), "n"] == 15
    assert results.loc[("stable_contract", "T0"), "statistic"] == "proportion"
    assert results.loc[("training_hours", "T1"), "statistic"] == "mean"
    own = results.loc[("SATISF", "T0")]  # an own indicator takes its item's scale
    assert own["statistic"] == "median" and own["top2"] == pytest.approx(10 / 20)
    changes = read_sidecar(step3 / "changes.json").set_index("indicator_code")
    assert changes.loc["stable_contract", "n_paired"] == 15
    assert changes.loc["stable_contract", "test"] == "mcnemar"
    items = read_sidecar(step3 / "item_results.json").set_index(["item_code", "wave"])
    assert set(items.index.get_level_values(0)) == {"aides.cpas", "aides.forem",
                                                    "aides.mutuelle"}
    assert items.loc[("aides.cpas", "T0"), "n"] == 20 and items.loc[("aides.cpas", "T1"),
                                                                     "n"] == 15
    assert items.loc[("aides.cpas", "T0"), "value"] == pytest.approx(0.5)
    item_changes = read_sidecar(step3 / "item_changes.json").set_index("item_code")
    assert (item_changes["n_paired"] == 15).all()
    notebook = (step3 / "03_analyse.ipynb").read_text(encoding="utf-8")
    assert "Vragen zonder indicator" in notebook and "Services utilisés — CPAS" in notebook
    cohort = execute("cohort", tmp_path / "cohort", lang="en", store_url=str(db))
    all_results = read_sidecar(cohort / "all_results.json")
    own_rows = all_results[(all_results.enterprise_id == E)
                           & (all_results.indicator_code == "stable_contract")]
    assert sorted(own_rows["n"]) == [15, 20]
    all_changes = read_sidecar(cohort / "all_changes.json")
    assert set(all_changes[all_changes.enterprise_id == E]["n_paired"]) == {15}
    cohort_items = read_sidecar(cohort / "item_results.json")
    assert sorted(cohort_items[cohort_items.item_code == "aides.forem"]["n"]) == [15, 20]
    assert "Own questions not linked to an indicator" in (
        cohort / "cohort.ipynb").read_text(encoding="utf-8")
    for folder in (step2, step3, cohort):
        for path in (p for p in folder.rglob("*") if p.is_file()):  # private/ logs too
            text = path.read_bytes()
            assert b"BXL-0" not in text and b"BXL0" not in text, path
    assert json.loads((step3 / "results.json").read_text())  # sidecars are JSON


def test_the_workspace_item_to_indicator_table_links_an_item(store, tmp_path):
    from vises_nb.dashboards.workspace.item_links import NONE, ItemLinks

    import_both(store, tmp_path, own_form(tmp_path / "form.xlsx"))
    links = ItemLinks(store, E, "fr")
    assert "Services utilisés — CPAS" in links.table.value
    links.item.value = "aides.cpas"
    links.indicator.value = "E70-own-satisf"
    assert links.save() and "liée" in links.message.value
    assert store.get(m.Item, ITEM + "aides.cpas")[0].indicator_id == "E70-own-satisf"
    assert "Satisfaction des stagiaires" in links.table.value
    links.item.value, links.indicator.value = "aides.cpas", NONE
    assert links.save() and store.get(m.Item, ITEM + "aides.cpas")[0].indicator_id is None


def test_the_report_footer_counts_the_cleaning_actions_in_force(store, tmp_path):
    from vises_nb.publishing.publish import audit_footer
    from vises_nb.publishing.runner import plan

    import_both(store, tmp_path, own_form(tmp_path / "form.xlsx"))
    action = cleaning.exclude_submission(store, E, "T0", "BXL-005", "Anne", "test")
    cleaning.exclude_submission(store, E, "T0", "BXL-006", "Anne", "test")
    cleaning.undo(store, action.id, "Anne")
    jobs, _ = plan(str(tmp_path / "vises.sqlite"), tmp_path / "reports", "en",
                   include_cohort=True)
    counts = {(j.enterprise_id, j.notebook): j.audit["cleaning_actions"] for j in jobs}
    assert counts[(E, "01_diagnostic")] == 1 and counts[(OTHER, "01_diagnostic")] == 0
    cohort = next(j for j in jobs if j.notebook == "cohort")
    assert cohort.audit["cleaning_actions"] == 1
    assert '<th scope="row">Cleaning-log corrections</th><td>1</td>' in audit_footer(
        jobs[0].audit, "en")


def test_a_later_table_without_the_form_is_read_against_the_stored_items(store, tmp_path):
    import_both(store, tmp_path, own_form(tmp_path / "form.xlsx"))
    path = tmp_path / "t2.csv"
    path.write_text("respondent_code;satisfaction;emploi;aides.cpas;heures\n"
                    "BXL-001;Toujours;non;1;12\nBXL-002;jamais;Oui;0;3,5\n", encoding="utf-8")
    report = import_responses(store, E, "T2", path)
    assert report.respondents == 2
    stored = answers_at(store, "T2").pivot(index="respondent_id", columns="item_id",
                                            values="value")
    first = stored.loc[cleaning.respondent_id(store, E, "BXL-001")]
    assert (first[ITEM + "satisfaction"], first[ITEM + "emploi"], first[ITEM + "aides.cpas"],
            first[ITEM + "heures"]) == (4.0, 0.0, 1.0, 12.0)
    second = stored.loc[cleaning.respondent_id(store, E, "BXL-002")]
    assert (second[ITEM + "satisfaction"], second[ITEM + "emploi"]) == (1.0, 1.0)


def test_import_and_cleaning_on_each_backend(empty_store_url, tmp_path):
    store = Store.open(empty_store_url, create=True)
    store.save(m.Enterprise(id=E, name="Atelier", pole="insertion", region="wallonia",
                            language="fr"))
    import_both(store, tmp_path, own_form(tmp_path / "form.xlsx"), t1_codes=["BXL-0O1"])
    options = store.list(m.ScaleOption, scale_id=store.get(
        m.Item, ITEM + "satisfaction")[0].scale_id)
    assert options[1].labels == {"fr": "Parfois", "nl": "Soms"}
    assert _paired(store) == 14
    action = cleaning.recode_respondent(store, E, "T1", "BXL-0O1", "BXL-001", "Anne", "typo")
    assert _paired(store) == 15
    cleaning.undo(store, action.id, "Anne")
    assert _paired(store) == 14
    store.close()

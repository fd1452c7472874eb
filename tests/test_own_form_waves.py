"""An enterprise's own questionnaire, wave after wave.

The accompanier imports T0 with the enterprise's own XLSForm, and a year later T1's
export without the form at hand: the form kept in the store at the first import reads it
(the report says which). Quality words (mauvais / bon / excellent...) make an ordered
scale when the list runs in their order; columns of a repeat that hold no answer are
listed as left out; a declaration removed on re-import leaves the stored kind, and the
report says how to change it. Real pyxform-validated XLSForms, real SQLite stores.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from rich_form import kobo_xlsx, odk_central_csv, people, rich_form, row
from test_own_forms_walk import later_version

from vises_nb.instruments.importing import ImportProblems, import_responses
from vises_nb.method.answer_order import order_of
from vises_nb.store import model as m
from vises_nb.store.store import Store


def valid(path: Path) -> Path:
    """`path`, once pyxform has converted it (the form a tool would run)."""
    from pyxform.xls2xform import convert

    assert "<h:html" in convert(xlsform=str(path)).xform
    return path


def digest(path: Path) -> str:
    data = path.read_bytes()
    wal = Path(f"{path}-wal")
    return hashlib.sha256(data + (wal.read_bytes() if wal.exists() else b"")).hexdigest()


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "vises.sqlite"
    store = Store.open(path, create=True)
    store.save(m.Enterprise(id="E01", name="Un", pole="insertion", region="wallonia",
                            language="fr"))
    store.close()
    return path


def stored(store: Store, wave: str | None = None) -> dict[str, dict[str, tuple]]:
    """item code -> {pseudonymous respondent: (value, text)} (of one wave)."""
    codes = {i.id: i.code for i in store.list(m.Item, enterprise_id="E01")}
    out: dict[str, dict[str, tuple]] = {}
    for r in store.frame("responses").itertuples():
        if wave and not r.wave_id.endswith(wave):
            continue
        text = r.text if isinstance(r.text, str) else None
        value = None if r.value != r.value else r.value
        out.setdefault(codes[r.item_id], {})[r.respondent_id] = (value, text)
    return out


# ------------------------------------------------ 1. a later wave without the form
def test_a_later_wave_without_the_form_is_read_with_the_form_kept_at_the_first_import(
        tmp_path, db):
    """T1's export imported without `--form` was refused ("none of the 18 answer
    columns is a question of the questionnaire vises generates"): the store kept the
    items, not the form. It is read with the form kept at T0's import, and stores what
    importing it with the form stores."""
    form = valid(rich_form(tmp_path / "suivi.xlsx"))
    store = Store.open(db)
    import_responses(store, "E01", "T0", kobo_xlsx(tmp_path / "t0.xlsx", people(8)), form)
    t1 = kobo_xlsx(tmp_path / "t1.xlsx", people(8, wave="T1"))
    report = import_responses(store, "E01", "T1", t1)
    assert report.respondents == 8 and report.form_used is not None
    for lang in ("fr", "nl", "en"):
        text = report.summary(lang)
        assert "suivi.xlsx" in text and "suivi_riche" in text and "2024-03" in text, text
    assert "suivi/heures_x2" in report.meta_columns  # as with the form: listed, left out
    frame = store.frame("responses")
    assert (frame.groupby("respondent_id").wave_id.nunique() == 2).all()  # T0, T1 pair
    without = stored(store, "T1")
    # the same export imported with the form, in another store, stores the same
    other = tmp_path / "other.sqlite"
    second = Store.open(other, create=True)
    second.save(m.Enterprise(id="E01", name="Un", pole="insertion", region="wallonia",
                             language="fr"))
    second.save(m.Enterprise(id="E02", name="Deux", pole="insertion", region="wallonia",
                             language="fr"))
    import_responses(second, "E01", "T1", t1, form)
    def values(answers):  # pseudonyms differ between stores (a secret each)
        return {code: sorted(map(repr, by.values())) for code, by in answers.items()}

    assert values(without) == values(stored(second, "T1"))
    # an ODK Central export of that wave, with its repeat file, reads without the form too
    export, repeat = odk_central_csv(tmp_path / "t2.csv", people(8, wave="T2"))
    assert import_responses(store, "E01", "T2", export, repeat_files=(repeat,)).respondents == 8
    # another enterprise's kept form is not this one's (E02 has no item: the file's
    # columns make its form, as before)
    assert import_responses(second, "E02", "T1", t1).form_used is None
    second.close()


def test_an_export_with_columns_the_kept_form_lacks_is_refused_naming_them(tmp_path, db):
    form = valid(rich_form(tmp_path / "suivi.xlsx"))
    store = Store.open(db)
    import_responses(store, "E01", "T0", kobo_xlsx(tmp_path / "t0.xlsx", people(8)), form)
    export = kobo_xlsx(tmp_path / "t1.xlsx", people(8, wave="T1"))
    book = openpyxl.load_workbook(export)
    sheet = book.worksheets[0]
    heads = [c.value for c in sheet[1]]
    sheet.cell(1, heads.index("suivi/heures") + 1).value = "suivi/heures_formation"
    sheet.cell(1, sheet.max_column + 1).value = "stage"
    for k in range(2, sheet.max_row + 1):
        sheet.cell(k, sheet.max_column).value = "oui"
    book.save(export)
    before = digest(db)
    with pytest.raises(ImportProblems) as caught:
        import_responses(store, "E01", "T1", export)
    assert sorted(p.column for p in caught.value.problems) == ["stage",
                                                               "suivi/heures_formation"]
    for lang in ("fr", "nl", "en"):
        text = caught.value.message(lang)
        assert "--form" in text and "suivi.xlsx" in text and "2024-03" in text, text
    assert digest(db) == before


def two_forms(tmp_path, store):
    """T0 imported with the form's first version, T1 with its next (a question renamed,
    one removed, one added): two own forms kept for E01."""
    first, second = (valid(rich_form(tmp_path / "v1.xlsx")),
                     valid(later_version(tmp_path / "v2.xlsx")))
    import_responses(store, "E01", "T0", kobo_xlsx(tmp_path / "t0.xlsx", people(8)), first)
    import_responses(store, "E01", "T1", next_version_export(tmp_path / "t1.xlsx", "T1"), second)


def next_version_export(path: Path, wave: str) -> Path:
    export = kobo_xlsx(path, people(8, wave=wave), version="2024-06")
    book = openpyxl.load_workbook(export)
    sheet = book.worksheets[0]
    heads = [c.value for c in sheet[1]]
    sheet.cell(1, heads.index("suivi/heures") + 1).value = "suivi/heures_formation"
    sheet.delete_cols(heads.index("suivi/salaire") + 1)
    sheet.cell(1, sheet.max_column + 1).value = "stage"
    for k in range(2, sheet.max_row + 1):
        sheet.cell(k, sheet.max_column).value = "oui" if k % 2 else "non"
    book.save(export)
    return export


def test_of_two_kept_forms_the_one_whose_columns_fit_reads_the_export(tmp_path, db):
    store = Store.open(db)
    two_forms(tmp_path, store)
    report = import_responses(store, "E01", "T2", next_version_export(tmp_path / "t2-v2.xlsx",
                                                                      "T2"))
    assert "2024-06" in report.summary("en") and "v2.xlsx" in report.summary("en")
    assert len(stored(store, "T2")["stage"]) == 8
    report = import_responses(store, "E01", "T2", kobo_xlsx(tmp_path / "t2-v1.xlsx",
                                                            people(8, wave="T2")))
    assert "2024-03" in report.summary("en") and "v1.xlsx" in report.summary("en")
    assert len(stored(store, "T2")["salaire"]) == 8
    # a column neither form knows: refused, naming it and both forms
    export = kobo_xlsx(tmp_path / "t2-new.xlsx", people(8, wave="T2"))
    book = openpyxl.load_workbook(export)
    sheet = book.worksheets[0]
    sheet.cell(1, sheet.max_column + 1).value = "humeur"
    book.save(export)
    with pytest.raises(ImportProblems) as caught:
        import_responses(store, "E01", "T2", export)
    assert [p.column for p in caught.value.problems] == ["humeur"]
    text = caught.value.message("nl")
    assert "v1.xlsx" in text and "v2.xlsx" in text and "--form" in text, text


def test_two_kept_forms_that_both_fit_are_named_and_the_import_refused(tmp_path, db):
    """The same questions in two forms (another form_id): which one's choices and
    declarations read the answers cannot be guessed."""
    store = Store.open(db)
    first = valid(rich_form(tmp_path / "a.xlsx"))
    second = rich_form(tmp_path / "b.xlsx")
    book = openpyxl.load_workbook(second)
    book["settings"]["A2"].value = "suivi_riche_bis"
    book.save(valid(second))
    import_responses(store, "E01", "T0", kobo_xlsx(tmp_path / "t0.xlsx", people(8)), first)
    import_responses(store, "E01", "T1", kobo_xlsx(tmp_path / "t1.xlsx", people(8, wave="T1")),
                     second)
    before = digest(db)
    with pytest.raises(ImportProblems) as caught:
        import_responses(store, "E01", "T2", kobo_xlsx(tmp_path / "t2.xlsx",
                                                       people(8, wave="T2")))
    for lang in ("fr", "nl", "en"):
        text = caught.value.message(lang)
        assert "suivi_riche_bis" in text and "a.xlsx" in text and "b.xlsx" in text, text
        assert "--form" in text
    assert digest(db) == before
    # with the form, it imports
    assert import_responses(store, "E01", "T2", tmp_path / "t2.xlsx", first).respondents == 8


def test_the_collect_tab_reads_a_later_wave_with_the_kept_form(tmp_path, db):
    """The workspace's import panel (`import_upload`, what its Import button calls): the
    form uploaded at T0 under its own name; T1 uploaded alone is read with it."""
    from vises_nb.dashboards.workspace.collect import import_upload

    store = Store.open(db)
    form = valid(rich_form(tmp_path / "questionnaire_suivi.xlsx"))
    t0 = kobo_xlsx(tmp_path / "t0.xlsx", people(8))
    ok, text = import_upload(store, "E01", "T0", (t0.name, t0.read_bytes()),
                             (form.name, form.read_bytes()), "fr")
    assert ok, text
    t1 = kobo_xlsx(tmp_path / "t1.xlsx", people(8, wave="T1"))
    ok, text = import_upload(store, "E01", "T1", (t1.name, t1.read_bytes()), None, "fr")
    assert ok, text
    assert "questionnaire_suivi.xlsx" in text and "2024-03" in text, text
    assert len(stored(store, "T1")["satisfaction"]) == 8


# ------------------------------------------------------------ 2. quality words
QUALITY_LISTS = {
    "fr": ["Très mauvais", "Mauvais", "Moyen", "Bon", "Très bon", "Excellent"],
    "nl": ["Slecht", "Matig", "Goed", "Zeer goed", "Uitstekend"],
    "en": ["Poor", "Fair", "Good", "Very good", "Excellent"],
}


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_a_list_of_quality_words_in_their_order_is_an_ordered_scale(lang):
    words = QUALITY_LISTS[lang]
    names = [f"q{k}" for k in range(len(words))]
    assert order_of(names, [{lang: w} for w in words]) == "ordinal"
    assert order_of(names[::-1], [{lang: w} for w in words[::-1]]) == "ordinal"
    dont_know = {"fr": "Ne sait pas", "nl": "Weet niet", "en": "Don't know"}[lang]
    assert order_of([*names, "nsp"], [{lang: w} for w in [*words, dont_know]]) == "ordinal"
    shuffled = [words[2], words[0], words[4], words[1], words[3]]
    assert order_of(names[:5], [{lang: w} for w in shuffled]) == "nominal"
    # not one word but a list of places or services with one quality word in it
    assert order_of(["a", "b", "c"], [{lang: "Namur"}, {lang: words[1]}, {lang: "Liège"}]
                    ) == "nominal"


def test_a_shuffled_frequency_list_is_not_a_scale_either():
    """A frequency list in a shuffled order was read as an ordered scale (its codes
    follow the form's order: its median meant nothing); quality lists are checked for
    their order, and so now are frequency lists and numbered choices."""
    assert order_of(list("abcd"), [{"fr": w} for w in
                                   ("Souvent", "Jamais", "Toujours", "Parfois")]) == "nominal"
    assert order_of(list("abcd"), [{"fr": w} for w in
                                   ("Jamais", "Parfois", "Souvent", "Toujours")]) == "ordinal"
    assert order_of(list("abcde"), [{"fr": w} for w in (
        "Jamais", "Presque jamais", "Parfois", "Souvent", "Toujours")]) == "ordinal"
    assert order_of(["2", "1", "3"], [{}, {}, {}]) == "nominal"
    assert order_of(["3", "2", "1"], [{}, {}, {}]) == "ordinal"


def quality_form(path: Path, vises: str = "") -> Path:
    book = openpyxl.Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(["type", "name", "label::Français (fr)", "label::Nederlands (nl)",
                   "label::English (en)", "required", "vises"])
    survey.append(["text", "respondent_code", "Code", "Code", "Code", "yes", ""])
    survey.append(["select_one qualite", "accueil", "Accueil", "Onthaal", "Welcome", "",
                   vises])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label::Français (fr)", "label::Nederlands (nl)",
                    "label::English (en)"])
    for k, (fr, nl, en) in enumerate(zip(["Mauvais", "Moyen", "Bon", "Très bon", "Excellent"],
                                         QUALITY_LISTS["nl"], QUALITY_LISTS["en"],
                                         strict=True), start=1):
        choices.append(["qualite", f"q{k}", fr, nl, en])
    choices.append(["qualite", "nsp", "Ne sait pas", "Weet niet", "Don't know"])
    settings = book.create_sheet("settings")
    settings.append(["form_id", "version", "default_language"])
    settings.append(["qualite", "1", "Français (fr)"])
    book.save(path)
    return valid(path)


def quality_answers(path: Path) -> Path:
    """20 people, every fifth one answering "ne sait pas" instead of "excellent"."""
    path.write_text("respondent_code;accueil\n" + "".join(
        f"P{k:02d};{'nsp' if k % 5 == 4 else f'q{k % 5 + 1}'}\n" for k in range(20)),
        encoding="utf-8")
    return path


def test_an_imported_quality_list_is_an_ordered_scale_with_its_median(tmp_path, db):
    from vises_nb.dashboards.workspace.step3 import results_view

    store = Store.open(db)
    store.save(m.Indicator(id="E01-own-QUAL", enterprise_id="E01", code="QUAL",
                           name="Qualité de l'accueil", level="output",
                           nature="quantitative", dimension="social"))
    import_responses(store, "E01", "T0", quality_answers(tmp_path / "t0.csv"),
                     quality_form(tmp_path / "f.xlsx", vises="indicator:QUAL"))
    [scale] = store.list(m.AnswerScale, enterprise_id="E01")
    [item] = store.list(m.Item, enterprise_id="E01")
    assert (scale.kind, item.scale) == ("ordinal", "ordinal")
    # "ne sait pas" is an answer kept as such, off the scale: no sixth point above
    # "excellent" (it was coded 6, counted in the median as the best answer)
    options = {o.name: o.value for o in store.list(m.ScaleOption, scale_id=scale.id)}
    assert options == {f"q{k}": float(k) for k in range(1, 6)}
    answers = sorted(map(repr, stored(store)["accueil"].values()))
    assert answers.count(repr((None, "nsp"))) == 4
    assert sorted(v for v, _ in stored(store)["accueil"].values() if v is not None) == \
        sorted(float(k % 5 + 1) for k in range(20) if k % 5 != 4)
    html = results_view(store, "E01", "fr").value
    assert "médiane" in html.split("Qualité de l'accueil")[1].split("</tr>")[0]


def test_schema_13_makes_ordered_the_quality_lists_an_older_store_kept_unordered(
        tmp_path, db):
    from vises_nb.store.schema import MIGRATIONS, SCHEMA_VERSION, meta_table

    assert SCHEMA_VERSION >= 13
    store = Store.open(db)
    import_responses(store, "E01", "T0", quality_answers(tmp_path / "t0.csv"),
                     quality_form(tmp_path / "f.xlsx"))
    province = m.AnswerScale(id="E01-S-x-prov", enterprise_id="E01", list_name="prov",
                             kind="nominal")
    store.save(province)
    for k, name in enumerate(("Namur", "Liège", "Bon Secours"), start=1):
        store.save(m.ScaleOption(scale_id=province.id, position=k, enterprise_id="E01",
                                 name=name.lower(), value=float(k), labels={"fr": name}))
    with store.engine.begin() as conn:  # as schema 12 left it: the quality list unordered
        conn.execute(sa.text("update scales set kind = 'nominal'"))
        conn.execute(sa.text("update items set scale = 'nominal'"))
        conn.execute(sa.text("drop table own_forms"))
        conn.execute(meta_table.update().where(meta_table.c.key == "schema_version"),
                     {"value": "12"})
    store.close()
    store = Store.open(db)  # upgraded on opening
    assert store.schema_version == SCHEMA_VERSION
    kinds = {s.list_name: s.kind for s in store.list(m.AnswerScale, enterprise_id="E01")}
    assert kinds == {"qualite": "ordinal", "prov": "nominal"}
    assert [i.scale for i in store.list(m.Item, enterprise_id="E01")] == ["ordinal"]
    assert store.list(m.OwnForm, enterprise_id="E01") == []  # the table is back, empty
    with store.engine.begin() as conn:  # a second run changes nothing
        MIGRATIONS[13](conn)
    assert {s.list_name: s.kind for s in store.list(m.AnswerScale, enterprise_id="E01")
            } == kinds
    store.close()


# ------------------------------------------------ 3. repeat columns with no answer
def repeat_form(path: Path) -> Path:
    """The rich form with a calculate, a geopoint and a photo inside its repeat."""
    rich_form(path)
    book = openpyxl.load_workbook(path)
    survey = book["survey"]
    at = next(r[0].row for r in survey.iter_rows(min_row=2) if r[1].value == "formation_heures")
    survey.insert_rows(at + 1, 3)
    for offset, cells in enumerate((
            row("calculate", "formation_x2", calculation="${formation_heures} * 2"),
            row("geopoint", "formation_lieu", "", "Lieu", "Place"),
            row("image", "formation_photo", "", "Photo", "Photo"))):
        for column, value in enumerate(cells, start=1):
            survey.cell(at + 1 + offset, column).value = value or None
    book.save(path)
    return valid(path)


def test_columns_of_a_repeat_that_hold_no_answer_are_listed_as_left_out(tmp_path, db):
    """Outside a repeat a calculate, a geopoint or a photo is listed with the columns
    left out; inside one they were dropped without a word."""
    form = repeat_form(tmp_path / "form.xlsx")
    export = kobo_xlsx(tmp_path / "t0.xlsx", people(8))
    book = openpyxl.load_workbook(export)
    sheet = book["formations"]
    added = ["suivi/formations/formation_x2", "suivi/formations/formation_lieu",
             *[f"_suivi/formations/formation_lieu_{p}" for p in
               ("latitude", "longitude", "altitude", "precision")],
             "suivi/formations/formation_photo", "suivi/formations/formation_photo_URL"]
    sheet.insert_cols(3, len(added))
    for k, head in enumerate(added, start=3):
        sheet.cell(1, k).value = head
        for r in range(2, sheet.max_row + 1):
            sheet.cell(r, k).value = {3: "6", 4: "50.1 4.2 0 5", 9: "photo.jpg",
                                      10: "https://kf.example/photo.jpg"}.get(k, "1")
    book.save(export)
    store = Store.open(db)
    report = import_responses(store, "E01", "T0", export, form)
    assert report.respondents == 8
    assert set(added) <= set(report.meta_columns), report.meta_columns
    assert "suivi/formations/formation_photo" in report.summary("nl")
    assert {"formation_x2", "formation_lieu", "formation_photo"}.isdisjoint(
        {i.code for i in store.list(m.Item, enterprise_id="E01")})


# ------------------------------------------------ 4. a declaration removed
@pytest.mark.parametrize(("declared", "kept", "write"), [("unordered", "nominal", "ordered"),
                                                          ("ordered", "ordinal", "unordered")])
def test_a_declaration_removed_on_re_import_keeps_the_stored_kind_and_says_so(
        tmp_path, db, declared, kept, write):
    """`vises: unordered` on the frequency list at T0 (or `ordered` on the province
    list), gone from the form at T1: the stored list kept its kind without a word."""
    name = "satisfaction" if declared == "unordered" else "prov"
    listed = "freq" if declared == "unordered" else "province"
    first = rich_form(tmp_path / "v1.xlsx")
    book = openpyxl.load_workbook(first)
    for cells in book["survey"].iter_rows(min_row=2):
        if cells[1].value == name:
            cells[12].value = declared
    book.save(valid(first))
    second = valid(rich_form(tmp_path / "v2.xlsx"))
    store = Store.open(db)
    import_responses(store, "E01", "T0", kobo_xlsx(tmp_path / "t0.xlsx", people(8)), first)
    report = import_responses(store, "E01", "T1", kobo_xlsx(tmp_path / "t1.xlsx",
                                                            people(8, wave="T1")), second)
    scale = next(s for s in store.list(m.AnswerScale, enterprise_id="E01")
                 if s.list_name == listed)
    assert scale.kind == kept
    for lang in ("fr", "nl", "en"):
        text = report.summary(lang)
        assert listed in text and write in text and "vises" in text, text
    # a form that declares nothing for the list it already reads as stored: no word
    again = import_responses(store, "E01", "T2", kobo_xlsx(tmp_path / "t2.xlsx",
                                                           people(8, wave="T2")), first)
    assert listed not in " ".join(s.message("en") for s in again.redecided)


def test_the_kept_form_goes_through_a_json_lines_backup_and_reads_after_restore(tmp_path, db):
    """PostgreSQL stores are backed up as JSON lines: the kept form is text (base64),
    restored whole, and a later wave still reads without the form."""
    from vises_nb.store.backup import backup, restore

    store = Store.open(db)
    form = valid(rich_form(tmp_path / "suivi.xlsx"))
    import_responses(store, "E01", "T0", kobo_xlsx(tmp_path / "t0.xlsx", people(8)), form)
    [kept] = store.list(m.OwnForm, enterprise_id="E01")
    assert kept.file_name == "suivi.xlsx" and kept.version == "2024-03"
    assert kept.sha256 == hashlib.sha256(form.read_bytes()).hexdigest()
    store.close()
    backup(str(db), tmp_path / "dump.jsonl")
    restore(tmp_path / "dump.jsonl", str(tmp_path / "restored.sqlite"))
    restored = Store.open(tmp_path / "restored.sqlite")
    assert restored.list(m.OwnForm, enterprise_id="E01") == [kept]
    report = import_responses(restored, "E01", "T1", kobo_xlsx(tmp_path / "t1.xlsx",
                                                               people(8, wave="T1")))
    assert report.respondents == 8 and "suivi.xlsx" in report.summary("en")
    restored.close()

"""Importing responses: real exports, synthetic exports in the real tools' shapes, bad input."""

from __future__ import annotations

import csv
import functools
import io
import tempfile
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from exports import answers, kobo_csv, kobo_xlsx, limesurvey_csv, odk_csv
from forms_builder import workbook, xlsform
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vises_nb.cli import main
from vises_nb.errors import VisesError
from vises_nb.instruments.importing import ImportProblems, import_responses
from vises_nb.instruments.importing.pseudonyms import SECRET_KEY
from vises_nb.instruments.xlsform import read_xlsform, write_questionnaire
from vises_nb.store import model as m
from vises_nb.store.schema import meta_table
from vises_nb.store.store import Store

E = "E09"


@pytest.fixture
def form(store, tmp_path):
    return write_questionnaire(store, E, tmp_path / "form.xlsx")


def snapshot(store: Store) -> tuple:
    """Everything an import could change: E09's data, all imports, the meta table."""
    with store.engine.connect() as conn:
        meta = sorted(conn.execute(sa.select(meta_table)).all())
    return (store.data_hash(E), len(store.frame("responses")), len(store.frame("respondents")),
            len(store.frame("imports")), len(store.frame("items")), meta)


def e09_answers(store: Store, wave: str = "T0"):
    frame = store.frame("responses", enterprise_id=E)
    return frame[frame.wave_id == f"{E}-{wave}"]


# ------------------------------------------------------------------ good files
def test_kobo_csv_import_stores_every_answer_and_pseudonymises(store, form, tmp_path):
    before = len(store.frame("responses"))
    rows = answers(12)
    report = import_responses(store, E, "T0", kobo_csv(tmp_path / "kobo.csv", rows), form)
    assert report.source_format == "KoboToolbox"
    assert (report.rows_read, report.respondents, report.responses) == (12, 12, 96)
    assert report.instrument_id == "E09-QST"  # the enterprise's own items, not new ones
    stored = e09_answers(store)
    assert len(store.frame("responses")) == before - report.replaced + 96
    items = {i.code: i.id for i in store.list(m.Item, enterprise_id=E)}
    people = store.frame("respondents", enterprise_id=E)
    assert not people.code.str.contains("R0").any()  # codes are never stored as typed
    # Respondent 5 (index 4): self_confidence = 1 + 4 % 5 = 5, services_known = 4.
    first = stored[stored.item_id == items["self_confidence"]].value.sort_values().tolist()
    assert sorted(first) == sorted(float(1 + k % 5) for k in range(12))
    assert stored[stored.item_id == items["services_known"]].value.sum() == sum(range(12))
    with store.engine.connect() as conn:
        secret = conn.execute(sa.select(meta_table.c.value).where(
            meta_table.c.key == SECRET_KEY)).scalar()
    assert secret and len(secret) == 64


def test_reimport_adds_nothing_and_correction_replaces_the_wave(store, form, tmp_path):
    path = kobo_csv(tmp_path / "kobo.csv", answers(10, wave="T1"))
    first = import_responses(store, E, "T1", path, form)
    after_first = snapshot(store)
    again = import_responses(store, E, "T1", path, form)
    assert again.already_imported and again.responses == 0
    assert snapshot(store) == after_first
    corrected = answers(10, shift=1, wave="T1")
    fixed = import_responses(store, E, "T1", kobo_csv(tmp_path / "kobo2.csv", corrected), form)
    assert first.responses == 80 and fixed.replaced == 80
    assert len(e09_answers(store, "T1")) == 80
    imports = store.frame("imports", enterprise_id=E)
    assert len(imports) == 2 and set(imports.rows_read) == {10}
    items = {i.code: i.id for i in store.list(m.Item, enterprise_id=E)}
    values = e09_answers(store, "T1")
    assert sorted(values[values.item_id == items["network_size"]].value) == sorted(
        float(1 + (k + 1) % 3) for k in range(10))


def test_waves_pair_through_the_pseudonym(store, form, tmp_path):
    import_responses(store, E, "T0", kobo_csv(tmp_path / "t0.csv", answers(6)), form)
    t1 = [dict(r, wave="T1", respondent_code=r["respondent_code"].lower()) for r in answers(6)]
    import_responses(store, E, "T1", kobo_csv(tmp_path / "t1.csv", t1), form)
    t0_people = set(e09_answers(store, "T0").respondent_id) - {f"{E}-R{k:03d}" for k in
                                                               range(1, 100)}
    t1_people = {p for p in e09_answers(store, "T1").respondent_id if "-P" in p}
    assert len(t1_people) == 6 and t1_people <= t0_people


def test_kobo_xlsx_with_labels_as_headers_and_values(store, form, tmp_path):
    book = openpyxl.load_workbook(form)
    french = {}
    for row in book["survey"].iter_rows(min_row=2, values_only=True):
        if row[1]:
            french[row[1]] = row[2]
    headers = ["respondent_code", french["self_confidence"], french["services_known"]]
    rows = [{"respondent_code": "A1", french["self_confidence"]: "Tout à fait d'accord",
             french["services_known"]: "3,5"},
            {"respondent_code": "A2", french["self_confidence"]: "Helemaal niet akkoord",
             french["services_known"]: "4"}]
    report = import_responses(store, E, "T2", kobo_xlsx(tmp_path / "k.xlsx", rows, headers),
                              form)
    assert report.responses == 4
    items = {i.code: i.id for i in store.list(m.Item, enterprise_id=E)}
    stored = e09_answers(store, "T2")
    assert sorted(stored[stored.item_id == items["self_confidence"]].value) == [1.0, 5.0]
    assert sorted(stored[stored.item_id == items["services_known"]].value) == [3.5, 4.0]


def test_odk_central_csv(store, form, tmp_path):
    version = read_xlsform(form).version
    report = import_responses(store, E, "T0", odk_csv(tmp_path / "odk.csv", answers(7),
                                                      version), form)
    assert report.source_format == "ODK Central" and report.responses == 56


def test_limesurvey_answer_codes(store, form, tmp_path):
    report = import_responses(store, E, "T0", limesurvey_csv(tmp_path / "ls.csv", answers(5)),
                              form)
    assert report.source_format == "LimeSurvey" and report.responses == 40
    items = {i.code: i.id for i in store.list(m.Item, enterprise_id=E)}
    stored = e09_answers(store)
    assert sorted(stored[stored.item_id == items["self_confidence"]].value) == [
        1.0, 2.0, 3.0, 4.0, 5.0]


def test_plain_windows_1252_csv_with_decimal_commas_against_stored_items(store, tmp_path):
    path = tmp_path / "plain.csv"
    path.write_bytes("respondent_code,services_known,self_confidence\n"
                     "Zoë,\"2,5\",Plutôt d'accord\nJosé,3,5\n".encode("cp1252"))
    report = import_responses(store, E, "T2", path)
    assert report.source_format == "plain table" and report.responses == 4
    items = {i.code: i.id for i in store.list(m.Item, enterprise_id=E)}
    stored = e09_answers(store, "T2")
    assert sorted(stored[stored.item_id == items["services_known"]].value) == [2.5, 3.0]
    assert sorted(stored[stored.item_id == items["self_confidence"]].value) == [4.0, 5.0]


def _hand_form(tmp_path):
    """A hand-written XLSForm: select_multiple, a date, a name and an e-mail question."""
    return xlsform(tmp_path / "suivi.xlsx",
                   [["type", "name", "label::Français (fr)", "required"],
                    ["text", "respondent_code", "Code", "yes"],
                    ["text", "first_name", "Prénom", ""],
                    ["text", "email", "Courriel", ""],
                    ["begin_group", "g", "Groupe", ""],
                    ["select_multiple services", "used", "Services utilisés", ""],
                    ["date", "entry", "Date d'entrée", ""],
                    ["text", "comment", "Commentaire", ""],
                    ["end_group", "", "", ""]],
                   [["list_name", "name", "label::Français (fr)"],
                    ["services", "cpas", "CPAS"], ["services", "forem", "Forem"],
                    ["services", "mutuelle", "Mutuelle"]],
                   {"form_id": "suivi", "version": "3"})


def test_hand_written_form_select_multiple_columns_dates_and_personal_data(store, tmp_path):
    form = _hand_form(tmp_path)
    text = ("respondent_code;first_name;email;g/used;g/used/cpas;g/used/forem;g/used/mutuelle;"
            "g/entry;g/comment;_uuid;_index\n"
            "X1;Marie;m@x.be;cpas forem;1;1;0;03/02/2024;Appelez-moi au 0475 12 34 56;u1;1\n"
            "X2;Jan;j@x.be;;0;0;1;2024-02-04;Très content;u2;2\n")
    path = tmp_path / "suivi.csv"
    path.write_text(text, encoding="utf-8-sig")
    report = import_responses(store, E, "T0", path, form)
    assert set(report.personal_columns) == {"first_name", "email"}
    assert report.personal_answers == 1  # the comment with a phone number
    stored = store.frame("responses", enterprise_id=E)
    stored = stored[stored.item_id.str.startswith("E09-suivi")]
    by_item = {(r.item_id.rsplit("-", 1)[1], r.text) for r in stored.itertuples()}
    ticks = {(r.item_id.rsplit("-", 1)[1], r.value) for r in stored.itertuples()
             if ".used." in r.item_id or "-used." in r.item_id}
    # a select_multiple is one yes/no item per option, as Kobo's own 0/1 columns
    assert ticks == {("used.cpas", 1.0), ("used.forem", 1.0), ("used.mutuelle", 0.0),
                     ("used.cpas", 0.0), ("used.forem", 0.0), ("used.mutuelle", 1.0)}
    assert ("entry", "2024-02-03") in by_item and ("entry", "2024-02-04") in by_item
    assert ("comment", "Très content") in by_item
    everything = " ".join(str(v) for v in store.frame("responses").text.dropna())
    assert "Marie" not in everything and "@" not in everything and "0475" not in everything
    items = {i.code for i in store.list(m.Item, enterprise_id=E)}
    assert "first_name" not in items and "email" not in items


# ------------------------------------------------------------------ bad input
def _bad_cases(tmp_path, form):
    good = answers(4)
    cases = {}
    rows = [dict(r) for r in good]
    rows[1]["self_confidence/self_confidence"] = "7"
    rows[2]["network_size/network_size"] = "beaucoup"
    cases["outside_choices"] = (kobo_csv(tmp_path / "a.csv", rows),
                                ["row 3, column 'self_confidence/self_confidence'",
                                 "a number '7' that is not in the choice list",
                                 "row 4, column 'network_size/network_size'", "choices: 1, 2, 3"])
    rows = [dict(r) for r in good]
    rows[0]["services_known/services_known"] = "trois"
    cases["text_for_number"] = (kobo_csv(tmp_path / "b.csv", rows),
                                ["row 2, column 'services_known/services_known': 'trois' is",
                                 "not a number", "expected a number"])
    path = tmp_path / "c.csv"
    kobo_csv(path, good)
    text = path.read_text().replace('"respondent_code"', '"code_personne"')
    path.write_text(text)
    cases["missing_required"] = (path, ["required column 'respondent_code' is missing",
                                        "column 'code_personne': a column the form does not"])
    path = tmp_path / "d.csv"
    kobo_csv(path, good)
    path.write_text(path.read_text().replace('"__version__"', '"humeur"'))
    cases["unknown_column"] = (path, ["column 'humeur': a column the form does not know"])
    rows = [dict(r) for r in good]
    rows[3]["respondent_code"] = "r001"
    cases["duplicate_codes"] = (kobo_csv(tmp_path / "e.csv", rows),
                                ["row 5, column 'respondent_code': respondent code 'r001'",
                                 "already appears on row 2"])
    (tmp_path / "f.csv").write_bytes(b"")
    cases["empty"] = (tmp_path / "f.csv", ["the file is empty"])
    (tmp_path / "f2.csv").write_text("respondent_code;wave\n")
    cases["header_only"] = (tmp_path / "f2.csv", ["a header row but no answers"])
    (tmp_path / "g.xlsx").write_text("respondent_code;x\nA;1\n")
    cases["not_xlsx"] = (tmp_path / "g.xlsx", ["is named .xlsx but is not a spreadsheet"])
    full = kobo_xlsx(tmp_path / "full.xlsx", good).read_bytes()
    (tmp_path / "h.xlsx").write_bytes(full[: len(full) // 2])
    cases["truncated_xlsx"] = (tmp_path / "h.xlsx", ["damaged or truncated"])
    # UTF-16 without its BOM (with it, Excel's "Unicode Text", it is read)
    (tmp_path / "i.csv").write_bytes("respondent_code\nA\n".encode("utf-16-le"))
    cases["undecodable"] = (tmp_path / "i.csv", ["not UTF-8 or Windows-1252"])
    cases["other_version"] = (odk_csv(tmp_path / "j.csv", good, "20190101-abc"),
                              ["collected with form version '20190101-abc'",
                               "column 'FormVersion'"])
    rows = [dict(r) for r in good]
    rows[0]["wave"] = "T2"
    cases["wrong_wave"] = (kobo_csv(tmp_path / "k.csv", rows),
                           ["row 2, column 'wave': answer of wave 'T2'", "expected T0"])
    return cases


CASES = ["outside_choices", "text_for_number", "missing_required", "unknown_column",
         "duplicate_codes", "empty", "header_only", "not_xlsx", "truncated_xlsx", "undecodable",
         "other_version", "wrong_wave"]


@pytest.mark.parametrize("case", CASES)
def test_bad_input_gives_one_report_and_changes_nothing(case, store, form, tmp_path):
    path, fragments = _bad_cases(tmp_path, form)[case]
    before = snapshot(store)
    with pytest.raises(ImportProblems) as info:
        import_responses(store, E, "T0", path, form)
    message = str(info.value)
    assert message.startswith(f"{path.name}: nothing was imported")
    for fragment in fragments:
        assert fragment in message
    assert snapshot(store) == before


def test_every_problem_is_reported_in_one_pass(store, form, tmp_path):
    rows = answers(30)
    for row in rows[::3]:
        row["self_confidence/self_confidence"] = "9"
    with pytest.raises(ImportProblems) as info:
        import_responses(store, E, "T0", kobo_csv(tmp_path / "many.csv", rows), form)
    assert len(info.value.problems) == 10
    assert {p.row for p in info.value.problems} == set(range(2, 32, 3))
    assert "and" in str(info.value) or len(info.value.problems) <= 25


def test_cli_import_and_its_failure(sample_copy, tmp_path, capsys):
    store = Store.open(sample_copy)
    form = write_questionnaire(store, E, tmp_path / "form.xlsx")
    store.close()
    good = kobo_csv(tmp_path / "ok.csv", answers(3, wave="T1"))
    assert main(["import", "--store", str(sample_copy), "--enterprise", E, "--wave", "T1",
                 "--form", str(form), str(good)]) == 0
    assert "3 respondent(s), 24 answer(s)" in capsys.readouterr().out
    rows = answers(3, wave="T1")
    rows[0]["self_confidence/self_confidence"] = "6"
    bad = kobo_csv(tmp_path / "bad.csv", rows)
    code = main(["import", "--store", str(sample_copy), "--enterprise", E, "--wave", "T1",
                 "--form", str(form), str(bad)])
    err = capsys.readouterr().err
    assert code != 0 and err.startswith("vises: error: bad.csv: nothing was imported")


@functools.cache
def _base_xlsx() -> bytes:
    """One valid Kobo XLSX export (saved once: a workbook's bytes carry its save time)."""
    with tempfile.TemporaryDirectory() as tmp:
        return kobo_xlsx(Path(tmp) / "base.xlsx", answers(3)).read_bytes()


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_malformed_files_never_crash_nor_change_the_store(store, form, tmp_path, data):
    base = kobo_csv(tmp_path / "base.csv", answers(3)).read_bytes()
    kind = data.draw(st.sampled_from(["bytes", "mutate", "cells", "xlsx"]))
    if kind == "xlsx":
        whole = _base_xlsx()
        cut = data.draw(st.integers(0, len(whole) - 1))
        size = data.draw(st.integers(1, 64))
        content = whole[:cut] + data.draw(st.binary(min_size=size, max_size=size)) + \
            whole[cut + size:]
    elif kind == "bytes":
        content = data.draw(st.binary(max_size=400))
    elif kind == "mutate":
        cut = data.draw(st.integers(0, len(base)))
        content = base[:cut] + data.draw(st.binary(max_size=20)) + base[cut:]
    else:
        rows = list(csv.reader(io.StringIO(base.decode()), delimiter=";"))
        r = data.draw(st.integers(1, len(rows) - 1))
        c = data.draw(st.integers(0, len(rows[0]) - 1))
        rows[r][c] = data.draw(st.text(max_size=12))
        out = io.StringIO()
        csv.writer(out, delimiter=";").writerows(rows)
        content = out.getvalue().encode()
    suffix = data.draw(st.sampled_from([".csv", ".xlsx"]))
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(content)
    before = snapshot(store)
    try:
        report = import_responses(store, E, "T0", path, form)
    except VisesError:
        assert snapshot(store) == before
    else:
        assert report.responses >= 0
        if report.responses == 0 and not report.already_imported:
            assert snapshot(store)[1] <= before[1]


@pytest.mark.postgres
def test_import_on_postgresql_is_idempotent_and_pairs(postgres_url, tmp_path):
    from vises_nb.sample.generator import generate, store_cohort

    store = Store.open(postgres_url, create=True)
    store_cohort(generate(2018), store)
    form = write_questionnaire(store, E, tmp_path / "form.xlsx")
    path = kobo_csv(tmp_path / "t0.csv", answers(5), sep=",")
    first = import_responses(store, E, "T0", path, form)
    assert first.responses == 40
    assert import_responses(store, E, "T0", path, form).already_imported
    rows = answers(5, shift=2)
    rows[0]["self_confidence/self_confidence"] = "Hors échelle"
    before = snapshot(store)
    with pytest.raises(ImportProblems, match="row 2, column 'self_confidence/self_confidence'"):
        import_responses(store, E, "T0", kobo_csv(tmp_path / "bad.csv", rows), form)
    assert snapshot(store) == before
    second = import_responses(store, E, "T1", kobo_csv(tmp_path / "t1.csv",
                                                       answers(5, wave="T1")), form)
    t0 = {p for p in e09_answers(store, "T0").respondent_id if "-P" in p}
    t1 = set(e09_answers(store, "T1").respondent_id)
    assert second.respondents == 5 and {p for p in t1 if "-P" in p} == t0
    assert len(store.frame("imports")) == 2
    store.close()


@pytest.mark.parametrize("name, personal", [
    ("Participant_name", True), ("first_name", True), ("Nom", True), ("nom_de_famille", True),
    ("email", True), ("Téléphone", True), ("gsm", True), ("LastName", True),
    ("Site_name", False), ("field_name", False), ("location-area_name", False),
    ("services_known", False), ("self_confidence", False),
])
def test_personal_column_names(name, personal):
    from vises_nb.instruments.personal import is_personal_name

    assert is_personal_name(name) is personal


@pytest.mark.parametrize("text, personal", [
    ("écrivez-moi: zoe.dupont@exemple.be", True), ("+32 475 12 34 56", True),
    ("0475/12.34.56", True), ("né le 12/03/1990", False), ("3 enfants, 2 chats", False),
    ("entre 2019-01-01 et 2020-01-01", False),
])
def test_personal_answers(text, personal):
    from vises_nb.instruments.personal import looks_personal

    assert looks_personal(text) is personal


def test_kobo_repeat_sheet_joined_by_parent_index_only(store, tmp_path):
    """A repeat inside a repeat, rows pointing at their parent by _parent_index alone."""
    form = xlsform(tmp_path / "jobs.xlsx",
                   [["type", "name", "label"], ["text", "respondent_code", "Code"],
                    ["begin_repeat", "jobs", "Emplois"], ["integer", "hours", "Heures"],
                    ["begin_repeat", "tasks", "Tâches"], ["text", "task", "Tâche"],
                    ["end_repeat", "", ""], ["end_repeat", "", ""]])

    def export(second_hours):
        return workbook(tmp_path / "jobs-export.xlsx", {
            "jobs form": [["respondent_code", "_id", "_uuid", "_index"],
                          ["A", 1, "u-a", 1], ["B", 2, "u-b", 2]],
            "jobs": [["hours", "_index", "_parent_table_name", "_parent_index"],
                     *([hours, index, "jobs form", parent] for hours, index, parent
                       in [(10, 1, 1), (second_hours, 2, 1), (30, 3, 2)])],
            "tasks": [["task", "_index", "_parent_table_name", "_parent_index"],
                      *([task, index, "jobs", parent] for task, index, parent
                        in [("tri", 1, 1), ("vente", 2, 3), ("caisse", 3, 3)])]})

    path = export("12,5")
    with pytest.raises(ImportProblems, match="'12,5' is not a whole number"):
        import_responses(store, E, "T0", path, form)
    export(12)
    report = import_responses(store, E, "T0", path, form)
    assert report.respondents == 2
    stored = store.frame("responses", enterprise_id=E)
    stored = stored[stored.item_id.str.startswith("E09-jobs")]
    got = {(r.item_id.rsplit("-", 1)[1], r.text) for r in stored.itertuples()}
    assert got == {("hours", "10 | 12"), ("hours", "30"), ("task", "tri"),
                   ("task", "vente | caisse")}

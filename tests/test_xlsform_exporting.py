"""Generated XLSForms convert with pyxform; exports are valid and inert in spreadsheets."""

from __future__ import annotations

import json
import sqlite3

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa
from pyxform.xls2xform import convert

from vises_nb.cli import main
from vises_nb.errors import VisesError
from vises_nb.instruments.exporting import export_cohort, neutralise
from vises_nb.instruments.xlsform import questionnaire_bytes, read_xlsform, write_questionnaire
from vises_nb.store import model as m
from vises_nb.store.schema import SCHEMA_VERSION
from vises_nb.store.store import Store


def test_generated_questionnaire_converts_with_pyxform(sample_db, tmp_path):
    store = Store.open(sample_db)
    path = write_questionnaire(store, "E09", tmp_path / "q.xlsx")
    result = convert(xlsform=str(path))
    xform = result.xform
    assert result.warnings == []
    for text in ("Tout à fait d'accord", "Helemaal akkoord", "Strongly agree",
                 "Code du répondant", "Code van de respondent", "Respondent code"):
        assert text in xform
    assert 'lang="French (fr)"' in xform and 'lang="Dutch (nl)"' in xform
    assert '<bind nodeset="/data/respondent_code" type="string" required="true()"' in xform
    form = read_xlsform(path)
    again = read_xlsform(write_questionnaire(store, "E09", tmp_path / "again.xlsx"))
    assert again.version == form.version  # same questions, same version
    assert form.default_language == "fr" and form.languages == ["en", "fr", "nl"]
    assert [c.name for c in form.choices["likert5"]] == ["1", "2", "3", "4", "5"]
    assert [c.name for c in form.choices["wave"]] == ["T0", "T1", "T2"]
    assert form.question("wb_pain").path == ("wellbeing_index",)
    items = store.list(m.Item, enterprise_id="E09")
    assert {q.name for q in form.questions} >= {i.code for i in items}
    store.close()


@pytest.mark.parametrize("enterprise", ["E01", "E30", "E68"])
def test_every_generated_form_converts(sample_db, enterprise):
    store = Store.open(sample_db)
    try:
        data = questionnaire_bytes(store, enterprise)
    except VisesError as exc:  # an enterprise without a plan yet says so
        assert "no item in its indicator plan" in str(exc)
        return
    finally:
        store.close()
    book = openpyxl.load_workbook(__import__("io").BytesIO(data))
    assert book.sheetnames == ["survey", "choices", "settings"]
    path = __import__("tempfile").mktemp(suffix=".xlsx")
    with open(path, "wb") as handle:
        handle.write(data)
    assert convert(xlsform=path).xform.startswith("<?xml")


def test_export_formats_datapackage_and_formula_injection(sample_copy, tmp_path):
    store = Store.open(sample_copy)
    with store.transaction() as w:
        w.save(m.Excerpt(id="E09-X", enterprise_id="E09", text="=HYPERLINK(\"http://x\")",
                         dimension="social", language="fr"))
    folder = tmp_path / "out"
    written = export_cohort(store, folder)
    assert {p.name for p in written} >= {"responses.csv", "responses.parquet", "vises.xlsx",
                                         "datapackage.json"}
    csv_excerpts = pd.read_csv(folder / "excerpts.csv")
    assert "'=HYPERLINK(\"http://x\")" in set(csv_excerpts.text)
    book = openpyxl.load_workbook(folder / "vises.xlsx")
    cells = [c.value for row in book["excerpts"].iter_rows() for c in row]
    assert "'=HYPERLINK(\"http://x\")" in cells
    parquet = pd.read_parquet(folder / "responses.parquet")
    assert len(parquet) == len(store.frame("responses"))
    assert "=HYPERLINK(\"http://x\")" in set(pd.read_parquet(folder / "excerpts.parquet").text)
    package = json.loads((folder / "datapackage.json").read_text())
    assert {r["name"] for r in package["resources"]} >= {"responses", "imports"}
    from frictionless import validate

    report = validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    store.close()


def _cells(path) -> dict[str, list]:
    book = openpyxl.load_workbook(path)
    return {name: [[(c.value, c.data_type, c.number_format) for c in row]
                   for row in book[name].iter_rows()] for name in book.sheetnames}


def test_the_export_workbook_holds_the_cells_pandas_writes(sample_db, tmp_path):
    """The fast writer (vises_nb.instruments.xlsx) writes what pandas' to_excel with
    openpyxl wrote before it: same sheets, headers, values and cell types, for every table
    of the sample and for awkward values (markup, spaces, line breaks, missing values of
    every dtype, booleans beside integers, long sheet names, an empty table)."""
    from vises_nb.instruments.exporting import _safe, tidy_tables
    from vises_nb.instruments.xlsx import column_letter, write_xlsx

    store = Store.open(sample_db)
    try:
        tables = {name: _safe(frame) for name, frame in tidy_tables(store).items()}
    finally:
        store.close()
    tables["a_name_longer_than_thirty_one_characters"] = pd.DataFrame({
        "text": ["a & b <c>", " leading", "two\nlines", None, "", "é ✉ 'quoted\""],
        "mixed": [True, 1, 2.5, None, "x", False],
        "count": pd.array([1, None, 3, 4, 5, 6], dtype="Int64"),
        "share": [0.1, float("nan"), 1e-07, 3.0, -2.5, 123456789.125],
        "flag": pd.array([True, None, False, True, False, True], dtype="boolean"),
        "plain": [True, False, True, True, False, False],
        "string": pd.array(["s", None, "t", "u", "v", "w"], dtype="string")})
    tables["empty"] = pd.DataFrame({"id": pd.Series([], dtype="str")})
    expected, fast = tmp_path / "pandas.xlsx", tmp_path / "fast.xlsx"
    with pd.ExcelWriter(expected, engine="openpyxl") as writer:
        for name, frame in tables.items():
            frame.to_excel(writer, sheet_name=name[:31], index=False)
    write_xlsx(fast, tables)
    want, got = _cells(expected), _cells(fast)
    assert list(got) == list(want) and len(got) == len(tables)
    for name in want:
        assert got[name] == want[name], name
    assert sum(len(rows) for rows in got.values()) > 15000
    assert [column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702)] == \
        ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]
    pd.testing.assert_frame_equal(pd.read_excel(fast, sheet_name="responses"),
                                  pd.read_excel(expected, sheet_name="responses"))


def test_neutralise():
    assert neutralise("+32 475") == "'+32 475" and neutralise("@x") == "'@x"
    assert neutralise("-") == "'-" and neutralise("ok") == "ok" and neutralise(-3) == -3


def test_cli_export_and_questionnaire(sample_db, tmp_path, capsys):
    assert main(["export", "--store", str(sample_db), "--format", "csv",
                 "--out", str(tmp_path / "x")]) == 0
    assert (tmp_path / "x" / "enterprises.csv").exists()
    assert main(["export", "--store", str(sample_db), "--questionnaire", "E09",
                 "--out", str(tmp_path / "q.xlsx")]) == 0
    assert read_xlsform(tmp_path / "q.xlsx").form_id == "vises_E09"
    assert main(["export", "--store", str(sample_db), "--format", "csv,parquet",
                 "--enterprise", "E09", "--out", str(tmp_path / "e")]) == 0
    assert set(pd.read_csv(tmp_path / "e" / "responses.csv").enterprise_id) == {"E09"}
    assert not (tmp_path / "e" / "accompaniers.csv").exists()
    assert main(["export", "--store", str(sample_db), "--format", "pdf",
                 "--out", str(tmp_path / "y")]) != 0
    assert "unknown export format" in capsys.readouterr().err


def test_upgrade_from_schema_2_adds_the_imports_table_and_keeps_data(sample_copy):
    with sqlite3.connect(sample_copy) as conn:
        conn.execute("DROP TABLE imports")
        conn.execute("UPDATE vises_meta SET value='2' WHERE key='schema_version'")
    engine = sa.create_engine(f"sqlite:///{sample_copy}")
    assert "imports" not in sa.inspect(engine).get_table_names()
    engine.dispose()
    store = Store.open(sample_copy)
    assert store.schema_version == SCHEMA_VERSION
    assert store.frame("imports").empty
    assert len(store.enterprise_ids()) == 68 and not store.frame("responses").empty
    store.close()

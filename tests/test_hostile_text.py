"""Issue 14, items 4, 5 and 8: control characters, formulas and encodings, attacked first.

Each attack is reproduced on the real part (vl-convert in its own process, openpyxl,
pyxform, the CLI's export), then shown harmless: text is normalised where it enters
(`vises_nb.text.clean` in the model, the importers and restore), a chart that cannot be
drawn becomes a note, and every spreadsheet or CSV vises writes is inert.
"""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
import unicodedata

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa
from pyxform.xls2xform import convert

from vises_nb.dashboards.downloads import csv_text
from vises_nb.errors import ValidationError
from vises_nb.instruments.exporting import export_cohort
from vises_nb.instruments.importing import ImportProblems
from vises_nb.instruments.importing.files import read_sheets
from vises_nb.instruments.importing.problems import Collector
from vises_nb.instruments.xlsform import write_questionnaire
from vises_nb.store import model as m
from vises_nb.store.schema import TABLES
from vises_nb.store.store import Store
from vises_nb.text import clean, neutralise

CONTROLS = "".join(chr(c) for c in [*range(1, 32), *range(0x7F, 0xA0)]
                   if chr(c) not in "\t\n\r")
CHART = """
import sys
import vl_convert
label = "chain" + sys.argv[1] + "label"
spec = {"mark": "bar", "data": {"values": [{"a": label, "b": 1}]},
        "encoding": {"x": {"field": "a", "type": "nominal"},
                     "y": {"field": "b", "type": "quantitative"}}}
"""


# --------------------------------------------------------------- the normalisation
def test_clean_keeps_tabs_and_newlines_unifies_breaks_and_drops_other_controls():
    assert clean("a\tb\nc") == "a\tb\nc"
    assert clean("a\r\nb\rc") == "a\nb\nc"
    assert clean("page\x0cbreak\x0bv\x85n\u2028l\u2029p") == "page\nbreak\nv\nn\nl\np"
    assert clean("\x1b[31mred\x1b[0m\x07") == "[31mred[0m"
    assert clean("e\u0301t\u00e9") == "\u00e9t\u00e9" == unicodedata.normalize("NFC", "été")
    assert clean("lone \ud800 surrogate") == "lone \ufffd surrogate"
    assert clean("nul\x00kept") == "nul\x00kept"  # refused by the model, not hidden
    for ch in CONTROLS:
        assert not any(unicodedata.category(c) == "Cc" and c not in "\t\n"
                       for c in clean(f"x{ch}y")), repr(ch)


def test_the_model_normalises_every_text_field_and_still_refuses_nul():
    element = m.ChainElement(id="c1", enterprise_id="E", level="activity",
                             label="Atelier\x0bvélo\x1b[2J")
    assert element.label == "Atelier\nvélo[2J"
    note = m.ResearchNote(id="n1", enterprise_id="E", step="1", kind="difficulty",
                          text="pasted\x0cfrom a PDF\r\nend")
    assert note.text == "pasted\nfrom a PDF\nend"
    note.text = "edited\x0cagain"  # on assignment too
    assert note.text == "edited\nagain"
    with pytest.raises(ValidationError, match="NUL"):
        m.validate(m.ResearchNote, {"id": "n2", "enterprise_id": "E", "step": "1",
                                    "kind": "difficulty", "text": "a\x00b"})


# ------------------------------------------------------------ a renderer's crash
def _python(code: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          timeout=120, check=False)


@pytest.mark.parametrize("character", ["\x0b", "\x1b"])
def test_a_control_character_aborts_vl_convert_but_never_our_chart(character):
    attack = _python(CHART + "print(len(vl_convert.vegalite_to_svg(spec)))", character)
    assert attack.returncode == -6, "vl-convert aborts its process (the reproduced attack)"
    ours = _python(CHART + "from vises_nb.publishing import charts\n"
                   "svg = charts.to_svg(spec, 'en')\n"
                   "print(svg.startswith('<svg') and 'vises-chart-failed' not in svg)",
                   character)
    assert ours.returncode == 0 and ours.stdout.strip() == "True", ours.stderr[-500:]


def test_the_warm_engine_cleans_what_children_send_it_to_convert():
    code = CHART + (
        "import io, json\nfrom vises_nb.publishing.engine import zygote\n"
        "out = io.BytesIO()\nzygote._convert([[spec], {}], out)\n"
        "answer = json.loads(out.getvalue())\nprint('svg' in answer)")
    done = _python(code, "\x0b")
    assert done.returncode == 0 and done.stdout.strip() == "True", done.stderr[-500:]


def test_a_chart_that_cannot_be_drawn_becomes_a_note():
    from vises_nb.publishing import charts

    svg = charts.to_svg({"mark": {"type": "nonsense"}, "data": {"values": []}}, "fr")
    assert "vises-chart-failed" in svg and "pas pu être dessiné" in svg


# ------------------------------------------------------------------ exports
def _poison(store: Store) -> None:
    """Control characters written straight into the tables, as a store made before text
    was normalised (or edited by hand) holds them: the writers must cope anyway."""
    with store.engine.begin() as conn:
        notes = TABLES[m.ResearchNote]
        conn.execute(notes.update().values(text="form\x0cfeed \x1b[31m"))
        excerpts = TABLES[m.Excerpt]
        conn.execute(excerpts.update().values(text="=HYPERLINK(\"http://x\")\x07"))
        conn.execute(TABLES[m.Enterprise].update().where(TABLES[m.Enterprise].c.id == "E09")
                     .values(name='=HYPERLINK("http://evil.example","click")'))


def test_export_with_control_characters_is_whole_inert_and_private(sample_copy, tmp_path):
    store = Store.open(sample_copy)
    _poison(store)
    with pytest.raises(openpyxl.utils.exceptions.IllegalCharacterError):
        openpyxl.Workbook().active.append(["form\x0cfeed"])  # what used to kill the export
    out = tmp_path / "export"
    written = export_cohort(store, out, ("csv", "xlsx", "datapackage"))
    store.close()
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in written)
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    book = openpyxl.load_workbook(out / "vises.xlsx")
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert "form\nfeed [31m" in texts
    assert all(c.data_type != "f" for c in cells), "no formula in the workbook"
    assert not any(ch in t for t in texts for ch in CONTROLS)
    notes = pd.read_csv(out / "research_notes.csv")
    assert set(notes.text) == {"form\nfeed [31m"}
    assert set(pd.read_csv(out / "excerpts.csv").text) == {"'=HYPERLINK(\"http://x\")"}


def test_a_failing_export_leaves_no_half_written_file(sample_copy, tmp_path, monkeypatch):
    store = Store.open(sample_copy)
    out = tmp_path / "export"
    export_cohort(store, out, ("xlsx",))
    before = (out / "vises.xlsx").read_bytes()

    from vises_nb.instruments import xlsx

    real, sheets = xlsx.sheet_xml, []

    def broken(frame):  # the disk fills up while the third sheet is written
        sheets.append(frame)
        if len(sheets) == 3:
            raise OSError("disk full")
        return real(frame)

    monkeypatch.setattr(xlsx, "sheet_xml", broken)
    with pytest.raises(Exception):  # noqa: B017 - the writer's own error, whichever
        export_cohort(store, out, ("xlsx",))
    store.close()
    assert (out / "vises.xlsx").read_bytes() == before
    assert [p.name for p in out.iterdir()] == ["vises.xlsx"], "no temporary file left"


def test_cli_export_survives_a_form_feed_and_prints_no_escape(sample_copy, tmp_path):
    store = Store.open(sample_copy)
    _poison(store)
    store.close()
    done = subprocess.run([sys.executable, "-m", "vises_nb.cli", "export", "--store",
                           str(sample_copy), "--out", str(tmp_path / "x"), "--format", "xlsx"],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-800:]
    assert "\x1b" not in done.stdout + done.stderr and "Traceback" not in done.stderr


# ----------------------------------------------------------- formulas elsewhere
def test_questionnaire_xlsform_is_inert_and_still_converts_with_pyxform(sample_copy, tmp_path):
    store = Store.open(sample_copy)
    _poison(store)
    items = TABLES[m.Item]
    with store.engine.begin() as conn:
        first = conn.execute(sa.select(items.c.id).where(items.c.enterprise_id == "E09")
                             .order_by(items.c.id)).scalars().first()
        conn.execute(items.update().where(items.c.id == first)
                     .values(text="@SUM(1+1)*cmd|' /C calc'!A0\x0b"))
    path = write_questionnaire(store, "E09", tmp_path / "q.xlsx")
    store.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    book = openpyxl.load_workbook(path)
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells), [c.value for c in cells
                                                    if c.data_type == "f"]
    title = book["settings"]["B2"].value
    assert title == "'=HYPERLINK(\"http://evil.example\",\"click\")"
    result = convert(xlsform=str(path))
    assert result.warnings == []
    assert "HYPERLINK" in result.xform


def test_explorer_csv_download_is_neutralised():
    frame = pd.DataFrame({"=cmd|'/C calc'!A0": ["=1+1", "+32 2", "-x", "@SUM(A1)", " =A1",
                                                 "ok", "tab\x0bbed"], "n": range(7)})
    text = csv_text(frame)
    rows = pd.read_csv(io.StringIO(text.lstrip("\ufeff")))
    assert list(rows.columns) == ["'=cmd|'/C calc'!A0", "n"]
    assert list(rows.iloc[:, 0]) == ["'=1+1", "'+32 2", "'-x", "'@SUM(A1)", "' =A1", "ok",
                                     "tab\nbed"]
    assert list(rows.n) == list(range(7)), "numbers stay numbers"
    assert neutralise(3) == 3


# ------------------------------------------------------------------ encodings
def test_nul_after_the_first_4096_bytes_is_refused_naming_byte_and_line(tmp_path):
    path = tmp_path / "late-nul.csv"
    body = "respondent_code;wave\n" + "".join(f"R{k:04d};T0\n" for k in range(600))
    path.write_bytes(body.encode() + b"R9999;T\x000\n")
    problems = Collector(path.name)
    assert read_sheets(path, problems) == []
    text = str(problems.problems[0])
    assert "NUL" in text and f"byte {len(body.encode()) + 7}" in text and "line 602" in text


def test_utf8_with_one_latin1_byte_is_refused_not_read_as_windows_1252(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes("respondent_code;avis\nR1;Très content\n".encode()
                     + b"R2;d\xe9\xe7u\n")
    problems = Collector(path.name)
    assert read_sheets(path, problems) == []
    text = str(problems.problems[0])
    assert "mixes encodings" in text and "0xe9" in text and "line 3" in text
    assert "UTF-8" in text


def test_a_coherent_windows_1252_file_is_still_read(tmp_path):
    path = tmp_path / "legacy.csv"
    path.write_bytes("respondent_code;avis\nR1;Très content, ça va\n".encode("cp1252"))
    sheets = read_sheets(path, Collector(path.name))
    assert sheets[0].rows == [["R1", "Très content, ça va"]]


def test_imported_cells_are_cleaned_like_the_model(tmp_path):
    path = tmp_path / "esc.csv"
    path.write_bytes(b"respondent_code;avis\r\nR1;\x1b[31mrouge\x0cpage\r\n")
    sheets = read_sheets(path, Collector(path.name))
    assert sheets[0].rows == [["R1", "[31mrouge\npage"]]
    book = openpyxl.Workbook()
    book.active.append(["respondent_code", "avis"])
    book.active.append(["R1", "e\u0301t\u00e9"])
    book.save(tmp_path / "nfc.xlsx")
    sheets = read_sheets(tmp_path / "nfc.xlsx", Collector("nfc.xlsx"))
    assert sheets[0].rows == [["R1", "été"]]


def test_a_nul_in_an_import_stores_nothing(sample_copy, tmp_path):
    from vises_nb.instruments.importing import import_responses

    store = Store.open(sample_copy)
    before = len(store.frame("responses"))
    path = tmp_path / "nul.csv"
    path.write_bytes(b"respondent_code,services_known\n" + b"R1,3\n" * 2000 + b"R2,\x003\n")
    with pytest.raises(ImportProblems, match="NUL"):
        import_responses(store, "E09", "T2", path)
    assert len(store.frame("responses")) == before
    store.close()


def test_store_file_is_created_private(tmp_path):
    store = Store.open(tmp_path / "new.sqlite", create=True)
    store.save(m.Accompanier(id="a", name="A", federation="F"))
    store.close()
    for name in ("new.sqlite", "new.sqlite-wal", "new.sqlite-shm"):
        path = tmp_path / name
        if path.exists():
            assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, name


def test_a_run_on_a_store_holding_control_characters_publishes_its_chart(sample_copy, tmp_path):
    """The reported attack end to end: a vertical tab in a chain label made every `vises
    run` die with "warm process died (exit -6)". Written straight into the table, as a
    store from before this version may hold it."""
    import base64
    import re

    store = Store.open(sample_copy)
    with store.engine.begin() as conn:
        chain = TABLES[m.ChainElement]
        conn.execute(chain.update().where(chain.c.enterprise_id == "E09")
                     .values(label=chain.c.label + "\x0bvt\x1b"))
    store.close()
    reports = tmp_path / "reports"
    done = subprocess.run([sys.executable, "-m", "vises_nb.cli", "run", "--store",
                           str(sample_copy), "--reports", str(reports), "--enterprise", "E09",
                           "--step", "1", "--quiet"],
                          capture_output=True, text=True, timeout=600, check=False,
                          env={**os.environ, "VISES_KEEP_WARM": "0"})
    assert done.returncode == 0, done.stdout[-800:] + done.stderr[-800:]
    page = (reports / "E09" / "step1.fr.html").read_text()
    charts = [base64.b64decode(b).decode() for b in
              re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", page)]
    assert all("vises-chart-failed" not in svg for svg in charts)
    # the impact chain is drawn (an inline SVG diagram), its labels cleaned of controls
    diagram = re.search(r"<svg[^>]*vises-chain-diagram.*?</svg>", page, re.DOTALL)
    assert diagram and "vt" in diagram.group(0)
    assert "\x0b" not in diagram.group(0) and "\x1b" not in diagram.group(0)

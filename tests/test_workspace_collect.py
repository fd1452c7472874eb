"""Step 2 files in the workspace: questionnaire download and response upload (no browser)."""

from __future__ import annotations

import base64
import io
import re

import openpyxl
import pandas as pd

from vises_nb.dashboards.workspace.collect import CollectionFiles, _safe_name, import_upload
from vises_nb.store import model as m
from vises_nb.store.store import Store

E = "E09"


def test_questionnaire_download_link_carries_a_real_xlsform(sample_copy):
    store = Store.open(sample_copy)
    files = CollectionFiles(store, E, "fr")
    files.make_questionnaire()
    href = re.search(r"href='data:[^;]+;base64,([^']+)'", files.link.value).group(1)
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(href)))
    assert {"survey", "choices", "settings"} <= set(book.sheetnames)
    names = [row[1] for row in book["survey"].iter_rows(values_only=True)]
    assert "respondent_code" in names and "wb_sleep" in names
    assert "questionnaire-E09.xlsx" in files.link.value
    store.close()


def test_a_good_upload_is_stored_and_reported(sample_copy):
    store = Store.open(sample_copy)
    csv = ("respondent_code,services_known,self_confidence\n"
           "A-01,7,Plutôt d'accord\nA-02,\"2,5\",Tout à fait d'accord\n").encode()
    ok, text = import_upload(store, E, "T2", ("wave-t2.csv", csv), None, "en")
    assert ok, text
    assert text.startswith("Import done.") and "2 respondent(s)" in text
    items = {i.code: i.id for i in store.list(m.Item, enterprise_id=E)}
    answers = store.frame("responses", E)
    t2 = answers[(answers["wave_id"] == f"{E}-T2") & (answers["item_id"] == items["services_known"])]
    assert sorted(t2["value"]) == [2.5, 7.0], "the upload replaced the wave's answers"
    store.close()


def test_a_bad_upload_lists_every_problem_and_changes_nothing(sample_copy):
    store = Store.open(sample_copy)
    before = store.frame("responses").sort_values(["respondent_id", "wave_id", "item_id"])
    csv = (b"respondent_code,self_confidence,favourite_colour\n"
           b"A-01,9,blue\nA-01,4,red\n")
    ok, text = import_upload(store, E, "T1", ("answers.csv", csv), None, "fr")
    assert not ok
    lines = text.splitlines()
    assert lines[0] == "Rien n'a été importé : corrigez le fichier et réessayez."
    assert any("favourite_colour" in line for line in lines[1:])
    assert any("self_confidence" in line and "ligne 2" in line for line in lines[1:]), \
        "problems are listed in the dashboard's language"
    assert any("A-01" in line for line in lines[1:]), "duplicate respondent code reported"
    after = store.frame("responses").sort_values(["respondent_id", "wave_id", "item_id"])
    pd.testing.assert_frame_equal(before.reset_index(drop=True), after.reset_index(drop=True))
    store.close()


def test_uploaded_names_cannot_leave_their_folder():
    assert _safe_name("../../etc/passwd") == "passwd"
    assert _safe_name("C:\\Users\\x\\export.csv") == "export.csv"
    assert _safe_name("..") == "upload"


def test_import_without_a_file_says_so(sample_copy):
    store = Store.open(sample_copy)
    files = CollectionFiles(store, E, "nl")
    assert files.import_files() is False
    assert "Kies eerst het exportbestand" in files.report.value
    store.close()

"""The `vises` command's bad-input handling: one line, non-zero exit, no traceback, no change."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from vises_nb.errors import ParameterError
from vises_nb.paths import NOTEBOOKS_DIR
from vises_nb.publishing.runner import check_parameters

VISES = [sys.executable, "-m", "vises_nb.cli"]


def vises(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*VISES, *args], capture_output=True, text=True, timeout=300,
                          check=False)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_one_line_error(result: subprocess.CompletedProcess, *fragments: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("vises: error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_unknown_enterprise_is_refused_with_known_ids(sample_copy, tmp_path):
    before = digest(sample_copy)
    result = vises("run", "--store", str(sample_copy), "--reports", str(tmp_path / "r"),
                   "--enterprise", "E999")
    assert_one_line_error(result, "enterprise 'E999' does not exist", "E01")
    assert digest(sample_copy) == before
    assert not (tmp_path / "r").exists()


def test_missing_database_file(tmp_path):
    result = vises("run", "--store", str(tmp_path / "none.sqlite"))
    assert_one_line_error(result, "does not exist", "vises sample")
    assert not (tmp_path / "none.sqlite").exists()


def test_corrupt_database_file(tmp_path):
    path = tmp_path / "bad.sqlite"
    path.write_bytes(b"\x00garbage" * 500)
    before = digest(path)
    result = vises("run", "--store", str(path))
    assert_one_line_error(result, "file is not a database")
    assert digest(path) == before


def test_store_url_that_cannot_be_opened():
    result = vises("run", "--store", "postgresql+psycopg://vises@127.0.0.1:1/none")
    assert_one_line_error(result, "cannot open the store")


def test_sample_never_overwrites_without_force(sample_copy):
    before = digest(sample_copy)
    result = vises("sample", "--store", str(sample_copy))
    assert_one_line_error(result, "already exists", "--force")
    assert digest(sample_copy) == before


def test_unknown_language_and_step(sample_copy):
    assert_one_line_error(vises("run", "--store", str(sample_copy), "--lang", "de"),
                          "unknown language 'de'")
    assert_one_line_error(vises("run", "--store", str(sample_copy), "--step", "4"),
                          "unknown step '4'")


def test_unknown_notebook_parameter_is_refused():
    with pytest.raises(ParameterError, match="unknown parameter.*colour.*it takes: "):
        check_parameters(NOTEBOOKS_DIR / "01_diagnostic.ipynb", {"colour": "red"})


def test_notebook_parameter_of_the_wrong_type_is_refused():
    with pytest.raises(ParameterError, match="parameter min_respondents must be int, got str"):
        check_parameters(NOTEBOOKS_DIR / "03_analyse.ipynb", {"min_respondents": "five"})
    with pytest.raises(ParameterError, match="parameter lang must be str, got int"):
        check_parameters(NOTEBOOKS_DIR / "cohort.ipynb", {"lang": 3})
    check_parameters(NOTEBOOKS_DIR / "03_analyse.ipynb",
                     {"enterprise_id": "E01", "lang": "nl", "min_respondents": 7})


def test_sample_builds_a_fresh_store(tmp_path):
    target = tmp_path / "new" / "vises.sqlite"
    result = vises("sample", "--store", str(target))
    assert result.returncode == 0, result.stderr
    assert "68 enterprises" in result.stdout and target.exists()

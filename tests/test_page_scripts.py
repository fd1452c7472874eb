"""The scripts a dashboard page asks for early (vises_nb/dashboards/page_scripts.py): the
chunk of Voila's own files holding vega, found in those files, for the cohort explorer
only; none when asked late (VISES_LATE_VEGA=1) or when Voila's files do not say which.
tests/test_explorer_browser.py checks the page in Chromium."""

from __future__ import annotations

from vises_nb.dashboards import page_scripts
from vises_nb.dashboards.voila_serve import loading_texts


def test_the_vega_chunk_is_found_in_voilas_files_and_holds_vega():
    static = page_scripts.voila_static()
    chunk = page_scripts.vega_chunk()
    assert static is not None and chunk is not None and chunk.endswith(".voila.js")
    text = (static / chunk).read_text(encoding="utf-8")
    assert "vega-embed" in text and len(text) > 500_000  # vega, Vega-Lite and vega-embed
    assert page_scripts.early_scripts() == {"cohort_explorer": [chunk]}
    # what `vises serve` hands the template: the explorer's page alone asks for it
    assert loading_texts("fr")["vises_early"] == {"cohort_explorer": [chunk]}


def test_no_early_script_when_asked_late_or_when_voilas_files_do_not_say(tmp_path,
                                                                         monkeypatch):
    monkeypatch.setenv(page_scripts.LATE_ENV, "1")
    assert page_scripts.early_scripts() == {}
    (tmp_path / "voila.js").write_text("// another Voila")
    (tmp_path / "457.voila.js").write_text('"@jupyterlab/vega5-extension:factory" renamed')
    assert page_scripts.vega_chunk(tmp_path) is None
    (tmp_path / "457.voila.js").write_text(
        '"@jupyterlab/vega5-extension:factory";e.ensureVega=function(){return '
        "e.vegaReady||(e.vegaReady=t.e(1234).then(t.bind(t,11234))),e.vegaReady}")
    assert page_scripts.vega_chunk(tmp_path) is None, "its chunk is not among the files"
    (tmp_path / "1234.voila.js").write_text("// vega")
    assert page_scripts.vega_chunk(tmp_path) == "1234.voila.js"

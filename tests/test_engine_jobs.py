"""Jobs as the engine receives them: their order, and how a notebook is saved."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from vises_nb.publishing.engine import jobs as wire


def fake(step: str | None, enterprise: str | None = "E01") -> SimpleNamespace:
    parameters = {"store_url": "sqlite:////tmp/x.sqlite", "min_respondents": 4}
    if enterprise:
        parameters["enterprise_id"] = enterprise
    return SimpleNamespace(step=step, parameters=parameters, executed=Path("/tmp/e.ipynb"),
                           report=Path("/tmp/r.html"), title="t", lang="fr",
                           audit={"run_id": "r1"}, enterprise_id=enterprise)


def test_the_slow_notebooks_start_first_the_one_pager_among_them():
    plan = [fake(s, e) for e in ("E01", "E02") for s in ("1", "2", "3", "valorisation")]
    plan.append(fake(None, None))
    order = [(job.step, job.enterprise_id) for job in wire.longest_first(plan)]
    assert order == [(None, None), ("3", "E01"), ("valorisation", "E01"), ("3", "E02"),
                     ("valorisation", "E02"), ("2", "E01"), ("2", "E02"), ("1", "E01"),
                     ("1", "E02")]


def test_a_notebook_saved_before_each_cell_is_what_nbformat_writes(tmp_path):
    """The save before each cell skips nbformat's validation of the whole notebook (it
    is validated once, at the end), not a byte of what is written."""
    import nbformat

    from vises_nb.publishing.engine.zygote import _save

    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("print('é')\n1", outputs=[
            nbformat.v4.new_output("stream", name="stdout", text="é\nline two\n"),
            nbformat.v4.new_output("execute_result", data={"text/plain": "1",
                                   "image/svg+xml": "<svg>\n</svg>"}, execution_count=1)]),
        nbformat.v4.new_markdown_cell("# titre")])
    notebook.metadata["vises"] = {"run_id": "r", "status": "running"}
    _save(notebook, tmp_path / "saved.ipynb")
    assert (tmp_path / "saved.ipynb").read_text(encoding="utf-8") == nbformat.writes(notebook)
    assert not list(tmp_path.glob(".*.tmp")), "no half-written file left"

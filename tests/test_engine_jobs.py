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


def test_one_enterprise_s_notebooks_go_to_one_warm_process_longest_groups_first():
    plan = [fake(s, e) for e, steps in (("E01", ("1",)), ("E02", ("1", "2")),
                                         ("E03", ("1", "2", "3", "valorisation")),
                                         ("E04", ("1", "2", "3", "valorisation")))
            for s in steps]
    plan.append(fake(None, None))
    pairs = [(job, {"n": n}) for n, job in enumerate(wire.longest_first(plan))]
    groups = [[(job.step, job.enterprise_id) for job, _ in group]
              for group in wire.by_enterprise(pairs)]
    assert groups == [[(None, None)],
                      [("3", "E03"), ("valorisation", "E03"), ("2", "E03"), ("1", "E03")],
                      [("3", "E04"), ("valorisation", "E04"), ("2", "E04"), ("1", "E04")],
                      [("2", "E02"), ("1", "E02")], [("1", "E01")]]
    assert sorted(p["n"] for group in wire.by_enterprise(pairs) for _, p in group) == \
        list(range(len(plan))), "every job once"


def test_what_several_notebooks_of_an_enterprise_compute_alike_is_shared():
    """Computed once in the warm process only when two or more notebooks of the run
    need it: the step 3 tables (step 3 and the one-pager)."""
    plan = [fake(s, "E03") for s in ("1", "2", "3", "valorisation")]
    plan += [fake(s, "E02") for s in ("1", "2")]
    plan += [fake("3", "E05")]  # a run of step 3 alone
    shared = wire.shared_work(plan)
    assert shared == {("E03", 4): ["step3"]}
    payload = wire.to_dict(plan[2], Path("/tmp/03.ipynb"), shared[("E03", 4)])
    assert payload["preload"]["share"] == ["step3"]
    assert wire.to_dict(plan[4], Path("/tmp/01.ipynb"))["preload"]["share"] == []


def test_a_report_published_from_the_notebook_in_memory_is_the_one_read_back(tmp_path):
    """The engine publishes the executed notebook it holds instead of reading back what
    it has just written: not a byte of the report differs."""
    import nbformat

    from vises_nb.publishing.engine.cells import new_output
    from vises_nb.publishing.publish import publish_notebook

    outputs = [new_output("stream", name="stdout", text="é\n<b>line</b> two\n"),
               new_output("display_data", data={"text/html": "<p>table\n</p>",
                                                "text/plain": "x"}),
               new_output("display_data", data={"image/svg+xml": "<svg>\n<g/></svg>"},
                          metadata={"alt": "a chart"}),
               new_output("execute_result", data={"text/plain": "1\n2"}, execution_count=3),
               new_output("stream", name="stderr", text="warning\n")]
    audit = {"run_id": "r1", "date": "2026-01-01 10:00", "language": "fr",
             "parameters": {"store_url": "/a/b.sqlite", "output_dir": "/x"}}
    for page in (False, True):
        notebook = nbformat.v4.new_notebook(cells=[
            nbformat.v4.new_code_cell("x", outputs=list(outputs)),
            nbformat.v4.new_markdown_cell("# note")])
        if page:
            notebook.cells[0].outputs.append(new_output(
                "display_data", data={"text/html": "<html>page <!--vises-provenance--></html>"},
                metadata={"vises_page": True}))
        executed = tmp_path / f"executed{page}.ipynb"
        executed.write_text(nbformat.writes(notebook), encoding="utf-8")
        read = publish_notebook(executed, tmp_path / f"read{page}.html", "T", "fr", audit)
        held = publish_notebook(executed, tmp_path / f"held{page}.html", "T", "fr", audit,
                                notebook)
        assert held.read_bytes() == read.read_bytes()
        assert (b"page" in read.read_bytes()) == page

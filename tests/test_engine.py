"""The batch engine's warm processes: isolation between notebooks, failures, deaths, hangs.

Each test runs real notebooks in a real zygote process (vises_nb.publishing.engine.zygote), which
forks one child per notebook, exactly as `vises run` does.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from vises_nb.publishing.engine.zygote import Zygote

pytestmark = pytest.mark.slow


def fixture_notebook(folder: Path, name: str, *sources: str) -> Path:
    """A small notebook, one per behaviour under test (papermill's own test style)."""
    path = folder / f"{name}.ipynb"
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    notebook.metadata["kernelspec"] = {"name": "python3", "language": "python",
                                       "display_name": "Python 3"}
    nbformat.write(notebook, path)
    return path


def job(folder: Path, source: Path, **parameters: object) -> dict:
    out = folder / "out" / source.stem
    return {"source": str(source), "parameters": parameters,
            "executed": str(out / f"{source.stem}.ipynb"), "report": str(out / "report.html"),
            "title": source.stem, "lang": "en", "audit": {"run_id": "test"}}


def outputs(payload: dict) -> list[str]:
    """Every text output of the executed notebook, in order."""
    notebook = nbformat.read(payload["executed"], as_version=4)
    texts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                texts.extend(output.text.splitlines())
            elif output.output_type in ("execute_result", "display_data"):
                texts.append(output.data.get("text/plain", ""))
    return texts


@pytest.fixture(scope="module")
def zygote(tmp_path_factory):
    z = Zygote(tmp_path_factory.mktemp("log") / "run.log")
    yield z
    z.close()


STATE_PROBE = (
    "import os, sys\n"
    "print('warm', all(m in sys.modules for m in ('pandas', 'altair', 'vises_nb.analysis.results')))\n"
    "import pandas as pd\nimport vises_nb.analysis.results as results\n"
    "print('parent', os.getppid())\n"
    "print('leaked_name' in globals(), results.DEFAULT_MIN_RESPONDENTS, "
    "pd.get_option('display.max_rows'), os.environ.get('VISES_LEAK'))"
)


def test_names_module_patches_and_options_do_not_leak_between_notebooks(zygote, tmp_path):
    probe = fixture_notebook(tmp_path, "probe", STATE_PROBE)
    polluter = fixture_notebook(
        tmp_path, "polluter", STATE_PROBE,
        "leaked_name = 42\nimport vises_nb.analysis.results as results\n"
        "results.DEFAULT_MIN_RESPONDENTS = 99\nimport pandas as pd\n"
        "pd.set_option('display.max_rows', 7)\nimport os\nos.environ['VISES_LEAK'] = 'yes'",
        "print('leaked_name' in globals(), results.DEFAULT_MIN_RESPONDENTS, "
        "pd.get_option('display.max_rows'), os.environ.get('VISES_LEAK'))")
    first = job(tmp_path, polluter)
    assert zygote.run(first, timeout=120)["ok"]
    warm, parent, before, after = outputs(first)
    assert warm == "warm True", "the stack was imported once, before the notebook"
    assert before == "False 5 60 None" and after == "True 99 7 yes", "the patches took effect"
    second = job(tmp_path, probe)
    assert zygote.run(second, timeout=120)["ok"]
    warm2, parent2, state = outputs(second)
    assert parent2 == parent, "both notebooks ran in the same warm process"
    assert warm2 == "warm True"
    assert state == "False 5 60 None", "nothing of the first notebook reached the second"


def test_parameters_are_injected_and_results_displayed(zygote, tmp_path):
    source = fixture_notebook(tmp_path, "params", "x: int = 1  # a parameter",
                              "from IPython.display import display, HTML\n"
                              "display(HTML('<b>shown</b>'))\nx * 2")
    notebook = nbformat.read(source, as_version=4)
    notebook.cells[0].metadata["tags"] = ["parameters"]
    nbformat.write(notebook, source)
    payload = job(tmp_path, source, x=21)
    assert zygote.run(payload, timeout=120)["ok"]
    executed = nbformat.read(payload["executed"], as_version=4)
    assert "injected-parameters" in executed.cells[1].metadata.tags
    display, result = executed.cells[2].outputs
    assert display.data["text/html"] == "<b>shown</b>"
    assert result.output_type == "execute_result" and result.data["text/plain"] == "42"
    assert Path(payload["report"]).exists()


def test_a_failing_cell_is_reported_with_its_index_and_the_partial_notebook(zygote, tmp_path):
    source = fixture_notebook(tmp_path, "fails", "print('before')",
                              "raise ValueError('boom in cell two')", "print('never')")
    payload = job(tmp_path, source)
    result = zygote.run(payload, timeout=120)
    assert not result["ok"]
    assert result["error"] == "ValueError: boom in cell two"
    assert result["cell"] == 2  # injected-parameters cell first, as papermill numbers them
    executed = nbformat.read(payload["executed"], as_version=4)
    assert executed.cells[1].outputs[0].text == "before\n"
    assert executed.cells[2].outputs[0].output_type == "error"
    assert executed.cells[3].outputs == []
    assert not Path(payload["report"]).exists()


def test_a_kernel_that_dies_is_reported_and_the_next_notebook_runs(zygote, tmp_path):
    dies = fixture_notebook(tmp_path, "dies", "print('alive')", "import os\nos._exit(3)")
    result = zygote.run(job(tmp_path, dies), timeout=120)
    assert not result["ok"] and result["error"] == "the kernel died (exit code 3)"
    assert result["cell"] == 2
    after = fixture_notebook(tmp_path, "after", "print('next one')")
    payload = job(tmp_path, after)
    assert zygote.run(payload, timeout=120)["ok"] and outputs(payload) == ["next one"]


def test_a_kernel_that_hangs_is_killed_after_the_timeout(zygote, tmp_path):
    hangs = fixture_notebook(tmp_path, "hangs", "1", "import time\ntime.sleep(600)")
    payload = job(tmp_path, hangs)
    result = zygote.run(payload, timeout=3)
    assert not result["ok"] and result["error"].startswith("timed out after 3 s")
    assert result["cell"] == 2 and result["seconds"] < 60
    executed = nbformat.read(payload["executed"], as_version=4)
    assert executed.cells[1].outputs[0].data["text/plain"] == "1", "partial notebook kept"
    after = fixture_notebook(tmp_path, "after2", "print('still serving')")
    payload = job(tmp_path, after)
    assert zygote.run(payload, timeout=120)["ok"] and outputs(payload) == ["still serving"]


def test_concurrent_starts_each_run_their_own_notebook(tmp_path):
    """Four warm processes started at once: no port to race for (no ZMQ), all succeed."""
    source = fixture_notebook(tmp_path, "who", "n: int = 0", "print('I am', n)")
    notebook = nbformat.read(source, as_version=4)
    notebook.cells[0].metadata["tags"] = ["parameters"]
    nbformat.write(notebook, source)
    zygotes = [Zygote(tmp_path / "run.log") for _ in range(4)]
    payloads = []
    for n in range(4):
        payload = job(tmp_path, source, n=n)
        payload["executed"] = str(tmp_path / f"who{n}.ipynb")
        payload["report"] = str(tmp_path / f"who{n}.html")
        payloads.append(payload)
    try:
        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(lambda zp: zp[0].run(zp[1], 300), zip(zygotes, payloads)))
    finally:
        for z in zygotes:
            z.close()
    assert [r["ok"] for r in results] == [True] * 4
    assert [outputs(p)[-1] for p in payloads] == [f"I am {n}" for n in range(4)]


def test_charts_convert_in_a_forked_child(zygote, tmp_path):
    """vl_convert's engine does not survive fork: the zygote converts for its children."""
    source = fixture_notebook(
        tmp_path, "chart",
        "import altair as alt, pandas as pd\nfrom vises_nb.publishing import charts\n"
        "chart = alt.Chart(pd.DataFrame({'a': [1, 2]})).mark_bar().encode(x='a:Q')\n"
        "charts.show(chart)")
    payload = job(tmp_path, source)
    assert zygote.run(payload, timeout=120)["ok"]
    executed = nbformat.read(payload["executed"], as_version=4)
    assert executed.cells[1].outputs[0].data["image/svg+xml"].lstrip().startswith("<svg")
    assert json.loads(Path(payload["executed"]).read_text())["metadata"]["vises"]["status"] \
        == "ok"


def test_a_chart_converted_again_is_the_same_and_other_data_is_not_mixed_up(
        zygote, tmp_path):
    def chart_notebook(name: str, values: list[int]) -> dict:
        source = fixture_notebook(
            tmp_path, name, "import altair as alt, pandas as pd\nfrom vises_nb.publishing import charts\n"
            f"chart = alt.Chart(pd.DataFrame({{'a': {values}}})).mark_bar().encode(x='a:Q')\n"
            "charts.show(chart)")
        payload = job(tmp_path, source)
        assert zygote.run(payload, timeout=120)["ok"]
        return nbformat.read(payload["executed"], as_version=4).cells[1].outputs[0].data[
            "image/svg+xml"]

    first = chart_notebook("first", [1, 2])
    other = chart_notebook("other", [1, 50])
    again = chart_notebook("again", [1, 2])
    assert again == first and other != first


"""A notebook's declared parameters, read without papermill, agree with papermill's."""

from __future__ import annotations

import nbformat
import papermill
import pytest

from vises_nb.paths import NOTEBOOKS_DIR
from vises_nb.publishing.parameters import declared_parameters

KERNEL = {"name": "python3", "language": "python", "display_name": "Python 3"}
NOTEBOOKS = sorted(NOTEBOOKS_DIR.rglob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_our_notebooks_parameters_read_as_papermill_reads_them(path):
    assert declared_parameters(path) == papermill.inspect_notebook(str(path))


def test_unannotated_defaults_comments_and_no_parameters_cell(tmp_path):
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("x = 1  # how many\nname: str = 'a'\ncolours: list = [1,\n 2]"),
    ])
    notebook.cells[0].metadata["tags"] = ["parameters"]
    notebook.metadata["kernelspec"] = KERNEL
    path = tmp_path / "n.ipynb"
    nbformat.write(notebook, path)
    assert declared_parameters(path) == papermill.inspect_notebook(str(path))
    bare = tmp_path / "bare.ipynb"
    plain = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("y = 2")])
    plain.metadata["kernelspec"] = KERNEL
    nbformat.write(plain, bare)
    assert declared_parameters(bare) == {} == papermill.inspect_notebook(str(bare))

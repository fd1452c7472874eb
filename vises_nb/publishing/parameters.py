"""The parameters a notebook declares, read from its `parameters` cell.

What papermill.inspect_notebook gives (name, annotated type, default, comment), read
with `ast` so that a run can check its parameters without importing papermill (~0.5 s
of the `vises run` command's start-up).
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any


def parameters_cell(notebook: dict[str, Any]) -> str:
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get(
                "tags", []):
            source = cell.get("source", "")
            return "".join(source) if isinstance(source, list) else source
    return ""


def declared_parameters(path: Path) -> dict[str, dict[str, str]]:
    """name -> {name, inferred_type_name, default, help}, as papermill names them."""
    source = parameters_cell(json.loads(path.read_text(encoding="utf-8")))
    lines = source.splitlines()
    declared: dict[str, dict[str, str]] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            name, annotation, value = node.target.id, ast.unparse(node.annotation), node.value
        elif (isinstance(node, ast.Assign) and len(node.targets) == 1
              and isinstance(node.targets[0], ast.Name)):
            name, annotation, value = node.targets[0].id, "None", node.value
        else:
            continue
        line = lines[node.end_lineno - 1] if node.end_lineno else ""
        comment = line.split("#", 1)[1].strip() if "#" in line[node.end_col_offset or 0:] else ""
        default = (ast.get_source_segment(source, value) or "") if value else ""
        declared[name] = {"name": name, "inferred_type_name": annotation,
                          "default": "".join(part.strip() for part in default.splitlines()),
                          "help": comment}
    return declared

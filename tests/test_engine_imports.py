"""The engine goes without rfc3987_syntax (2.9 s of import): safe only while no schema
the stack validates uses the formats that package checks. These tests keep it so."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import altair
import nbformat

IRI_FORMATS = {"iri", "iri-reference"}  # what jsonschema checks with rfc3987_syntax


def formats(schema: object) -> set[str]:
    found: set[str] = set()
    if isinstance(schema, dict):
        if isinstance(schema.get("format"), str):
            found.add(schema["format"])
        for value in schema.values():
            found |= formats(value)
    elif isinstance(schema, list):
        for value in schema:
            found |= formats(value)
    return found


def test_no_schema_of_the_stack_uses_iri_formats():
    vega_lite = Path(altair.__file__).parent / "vegalite" / "v6" / "schema"
    schemas = [vega_lite / "vega-lite-schema.json"]
    schemas += sorted((Path(nbformat.__file__).parent / "v4").glob("*.json"))
    for path in schemas:
        used = formats(json.loads(path.read_text()))
        assert not used & IRI_FORMATS, path
    assert "uri" in formats(json.loads(schemas[0].read_text())), "the walk finds formats"


def test_runner_and_warm_processes_skip_the_iri_grammar():
    code = ("import sys, vises_nb.publishing.runner, altair, jsonschema\n"
            "from vises_nb.publishing.engine.imports import warm_up\nwarm_up()\n"
            "print(sys.modules.get('rfc3987_syntax', 'absent'))\n"
            "import altair as alt, pandas as pd\n"
            "alt.Chart(pd.DataFrame({'a': [1]})).mark_bar().encode(x='a:Q').to_dict()\n"
            "print('validated')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=300, check=True)
    assert result.stdout.split() == ["None", "validated"]


def test_warm_processes_import_every_module_the_batch_notebooks_import():
    """A module imported by a notebook but not by the warm process is imported again
    in every forked child (chain_layout alone cost ~0.1 s per step-1 notebook)."""
    code = (
        "import ast, importlib.util, json, sys\n"
        "def module(name):\n"
        "    try:\n"
        "        return importlib.util.find_spec(name) is not None\n"
        "    except ImportError:  # a function or class, not a module\n"
        "        return False\n"
        "from vises_nb.paths import NOTEBOOKS_DIR\n"
        "from vises_nb.publishing.engine.imports import warm_up\nwarm_up()\n"
        "wanted = set()\n"
        "for path in sorted(NOTEBOOKS_DIR.glob('*.ipynb')):\n"
        "    for cell in json.loads(path.read_text())['cells']:\n"
        "        if cell['cell_type'] != 'code':\n"
        "            continue\n"
        "        for node in ast.walk(ast.parse(''.join(cell['source']))):\n"
        "            if isinstance(node, ast.Import):\n"
        "                wanted.update(a.name for a in node.names)\n"
        "            elif isinstance(node, ast.ImportFrom):\n"
        "                wanted.add(node.module)\n"
        "                wanted.update(f'{node.module}.{a.name}' for a in node.names\n"
        "                              if module(f'{node.module}.{a.name}'))\n"
        "print(len(wanted), sorted(m for m in wanted if m not in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=300, check=True)
    count, missing = result.stdout.split(" ", 1)
    assert int(count) >= 10, "the notebooks' imports were found"
    assert missing.strip() == "[]"

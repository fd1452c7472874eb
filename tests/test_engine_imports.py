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

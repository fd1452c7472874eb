"""Charts the dashboard page draws itself: a Vega-Lite 5 specification shown in an
ipywidgets.Output, drawn by the vega renderer Voila's page bundles, offline.

Voila's page always loads three mime renderers of its own bundle, whatever the
`extension_allowlist` (which filters federated extensions only, see voila_serve.py
PAGE_EXTENSIONS): @jupyterlab/javascript-extension, json-extension and vega5-extension.
The latter draws `application/vnd.vegalite.v5+json` with vega 5.30, Vega-Lite 5.21 and
vega-embed from a chunk of Voila's static files (9484.voila.js in Voila 0.5.13, 0.8 MB,
fetched from the server once, on the first chart): no CDN, no network but the server.
Drawing in the page spares the kernel vl-convert's SVG (about half of a filter change
drawn on demand on 500 enterprises, benchmarks/bench_federation.py).

What the page gets is all it may show: the specification embeds its data, so a chart is
only ever built from published figures (never a suppressed one; tests/test_explorer.py
checks). The chart keeps its text alternative (the spec's `description`, which vega
writes as the drawn SVG's aria-label), its numbers in the page's language (`config.locale`,
the same d3 locale vl-convert uses for the SVG download) and is drawn as SVG.

The Output's `outputs` is set as a whole, never written to with `with output:`: that
would make Voila's executor mimic the widget on the kernel's shell socket
(jupyter/nbclient#312, see enterprise.py), which a plain trait update does not.
"""

from __future__ import annotations

import functools

import altair as alt
import pandas as pd
import vl_convert

from vises_nb.publishing import charts
from vises_nb.text import clean, clean_all

VEGALITE_MIME = "application/vnd.vegalite.v5+json"
# the Vega-Lite Voila's page draws with (Altair 6 writes v6 specifications; the charts
# here use nothing v5 lacks)
SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
# vega-embed: drawn as SVG (readable by screen readers, unlike a canvas), without its
# actions menu (the download link beside the chart is the dashboard's own)
EMBED_OPTIONS = {"renderer": "svg", "actions": False}


@functools.cache
def number_locale(lang: str) -> dict | None:
    """The d3-format locale of `lang`'s numbers (decimal comma in fr and nl), as vl-convert
    gives it to its own drawing."""
    name = charts.FORMAT_LOCALES.get(lang)
    return dict(vl_convert.get_format_locale(name)) if name else None


def page_spec(chart: alt.TopLevelMixin, lang: str, description: str) -> dict:
    """The chart as the Vega-Lite 5 specification the page draws: its data inline, its
    text alternative as `description`, its numbers in `lang`, every text cleaned."""
    spec = chart.to_dict(validate=False)
    spec["$schema"] = SCHEMA
    spec.pop("usermeta", None)
    spec["description"] = description
    locale = number_locale(lang)
    if locale:
        spec.setdefault("config", {})["locale"] = {"number": locale}
    return clean_all(spec)


class Template:
    """A chart's page specification built once by Altair and filled with each view's rows:
    Altair's building and to_dict cost 10–60 ms a chart on 500 enterprises, filling well
    under 1 ms. The chart must take nothing from its data but the rows (no sort list of
    the values, no domain): tests/test_explorer.py checks a filled template gives what
    Altair gives."""

    def __init__(self, chart: alt.TopLevelMixin, lang: str):
        spec = page_spec(chart, lang, "")
        datasets = spec.get("datasets") or {}
        if len(datasets) != 1 or spec.get("data") != {"name": next(iter(datasets))}:
            raise ValueError("a template's chart has its data as one top-level dataset")
        self.name = next(iter(datasets))
        self.spec = {key: value for key, value in spec.items() if key != "datasets"}

    def fill(self, rows: pd.DataFrame, description: str) -> dict:
        """The specification drawing `rows` (only its columns: all of them go to the page)."""
        return {**self.spec, "description": clean(description),
                "datasets": {self.name: clean_all(records(rows))}}


def records(frame: pd.DataFrame) -> list[dict]:
    """A frame's rows as JSON values: numbers as numbers, missing ones as null (never NaN,
    which JSON lacks), as Altair writes them."""
    columns = []
    for name in frame.columns:
        values = frame[name].tolist()  # Python's own ints, floats and strings
        missing = frame[name].isna().to_numpy()
        if missing.any():
            values = [None if gone else value for value, gone in zip(values, missing,
                                                                     strict=True)]
        columns.append(values)
    names = [str(name) for name in frame.columns]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def page_output(spec: dict) -> dict:
    """The output an ipywidgets.Output shows for `spec` (its `outputs` item): the page
    draws the Vega-Lite; a front end that cannot shows the text alternative."""
    return {"output_type": "display_data",
            "data": {VEGALITE_MIME: spec, "text/plain": spec.get("description", "")},
            "metadata": {VEGALITE_MIME: {"embed_options": dict(EMBED_OPTIONS)}}}


def spec_of(output: dict) -> dict:
    """The Vega-Lite specification an output of page_output carries."""
    return output["data"][VEGALITE_MIME]


def chart_data(spec: dict) -> list[dict]:
    """Every data row a specification embeds (inline `values` and named `datasets`)."""
    rows: list[dict] = []
    for values in (spec.get("datasets") or {}).values():
        rows += list(values)

    def walk(node: object) -> None:
        if isinstance(node, dict):
            data = node.get("data")
            if isinstance(data, dict) and isinstance(data.get("values"), list):
                rows.extend(data["values"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk({k: v for k, v in spec.items() if k != "datasets"})
    return rows


def to_svg(spec: dict, lang: str) -> str:
    """The page's chart as a standalone SVG file (vl-convert), for its download link."""
    return charts.to_svg(spec, lang)

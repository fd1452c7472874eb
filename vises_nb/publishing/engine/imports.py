"""What a warm process imports once, so that no notebook pays for it again.

`import jsonschema` (pulled in by altair and nbformat) costs ~2.9 s here because it
imports `rfc3987_syntax`, which compiles a Lark grammar at import time (jsonschema
issue 1428). jsonschema only uses that package to check the "iri" and "iri-reference"
formats, which neither the Vega-Lite schema (altair) nor the notebook schema (nbformat)
uses (tests/test_engine_imports.py checks that), so the engine's processes go without.
"""

from __future__ import annotations

import datetime as dt
import os
import sys

#: Modules every step and cohort notebook imports; a warm process imports them once.
STACK = (
    "pandas", "numpy", "scipy.stats", "altair", "vl_convert", "sqlalchemy", "pydantic",
    "IPython.core.interactiveshell", "IPython.display", "nbformat",
    "papermill.parameterize",
    "vises_nb.publishing.notebook", "vises_nb.publishing.charts",
    "vises_nb.publishing.views", "vises_nb.publishing.publish",
    "vises_nb.analysis.diagnostic", "vises_nb.analysis.collection",
    "vises_nb.analysis.findings", "vises_nb.analysis.results", "vises_nb.analysis.cohort",
    # the rest of what the notebooks import (tests/test_engine_imports.py keeps it whole)
    "vises_nb.analysis.chain_layout", "vises_nb.publishing.chain_diagram",
    "vises_nb.analysis.disclosure", "vises_nb.analysis.items",
    "vises_nb.analysis.valorisation", "vises_nb.publishing.valorisation",
    "vises_nb.analysis.cohort_data", "vises_nb.publishing.peers",
)

#: What the libraries import on first use while a notebook runs (found by listing the
#: modules a forked child imported): imported once here instead of in every child.
#: The store's SQLAlchemy dialect (~0.1 s a notebook), pandas' HTML tables, altair's
#: pandas layer (narwhals), the SVG reader, parquet (the one-pagers' peer results).
LAZY = (
    "sqlalchemy.dialects.sqlite", "sqlalchemy.dialects.sqlite.pysqlite",
    "sqlalchemy.dialects.postgresql", "pandas.io.formats.html", "pandas.io.formats.string",
    "narwhals._pandas_like.dataframe", "narwhals._pandas_like.namespace",
    "narwhals._interchange.dataframe", "narwhals.stable.v1._namespace", "xml.dom.minidom",
    "pyarrow.parquet", "pyarrow.dataset", "IPython.core.logger", "bdb",
    "pandas.core.methods.to_dict", "pandas.core.reshape.reshape",
    "narwhals._interchange.series", "xml.dom.expatbuilder", "xml.parsers.expat",
)
#: Optional drivers: imported when installed (a PostgreSQL store).
OPTIONAL = ("psycopg", "sqlalchemy.dialects.postgresql.psycopg")

BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def skip_iri_grammar() -> bool:
    """Keep jsonschema from importing rfc3987_syntax; True when it took effect.

    Only possible before jsonschema is imported; afterwards this changes nothing.
    """
    if "jsonschema" in sys.modules:
        return False
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    return sys.modules["rfc3987_syntax"] is None


def single_threaded_maths() -> None:
    """One BLAS thread per process: the engine parallelises across processes, and a
    process that forks must not hold idle BLAS threads."""
    for name in BLAS_THREADS:
        os.environ.setdefault(name, "1")


def warm_up() -> None:
    """Import the notebooks' stack and load the translation catalogues."""
    import importlib

    from vises_nb import i18n

    skip_iri_grammar()
    single_threaded_maths()
    for name in STACK + LAZY:
        importlib.import_module(name)
    for name in OPTIONAL:
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    for lang in i18n.available_languages():
        i18n.t("step", lang)
        # babel reads each locale's data on first use (~0.05 s a language): once, here
        i18n.date(dt.date(2020, 1, 31), lang)
        i18n.number(1234.5, lang)
        i18n.percent(0.5, lang)


def warm_notebooks() -> None:
    """Read, parameterise, validate and write a notebook once, so that nbformat's schema
    validator and papermill's reader are built here: a forked child inherits them built
    instead of building them again for each notebook (~0.1 s each, more under load)."""
    import nbformat
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    from vises_nb.paths import NOTEBOOKS_DIR

    sample = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("x", outputs=[
            nbformat.v4.new_output("stream", name="stdout", text="1"),
            nbformat.v4.new_output("display_data", data={"text/plain": "1"}),
            nbformat.v4.new_output("execute_result", data={"text/plain": "1"},
                                   execution_count=1),
            nbformat.v4.new_output("error", ename="E", evalue="e", traceback=[])])])
    sample.metadata["kernelspec"] = {"name": "python3", "language": "python",
                                     "display_name": "Python 3"}
    text = nbformat.writes(sample)
    nbformat.reads(text, as_version=4)
    for path in sorted(NOTEBOOKS_DIR.glob("*.ipynb"))[:1]:
        notebook = load_notebook_node(str(path))
        parameterize_notebook(notebook, {"x": 2}, kernel_name="python3", language="python")
        nbformat.writes(notebook)


def warm_charts() -> None:
    """Start vl_convert's engine (~0.7 s, threads) once; the zygote converts charts on
    its children's behalf, since a forked child would not inherit the engine's threads."""
    import vl_convert

    vl_convert.vegalite_to_svg({"mark": "point", "data": {"values": [{"a": 1}]},
                                "encoding": {"x": {"field": "a", "type": "quantitative"}}})

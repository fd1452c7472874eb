"""What a warm process imports once, so that no notebook pays for it again.

`import jsonschema` (pulled in by altair and nbformat) costs ~2.9 s here because it
imports `rfc3987_syntax`, which compiles a Lark grammar at import time (jsonschema
issue 1428). jsonschema only uses that package to check the "iri" and "iri-reference"
formats, which neither the Vega-Lite schema (altair) nor the notebook schema (nbformat)
uses (tests/test_engine_imports.py checks that), so the engine's processes go without.
"""

from __future__ import annotations

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
)

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
    for name in STACK:
        importlib.import_module(name)
    for lang in i18n.available_languages():
        i18n.t("step", lang)


def warm_charts() -> None:
    """Start vl_convert's engine (~0.7 s, threads) once; the zygote converts charts on
    its children's behalf, since a forked child would not inherit the engine's threads."""
    import vl_convert

    vl_convert.vegalite_to_svg({"mark": "point", "data": {"values": [{"a": 1}]},
                                "encoding": {"x": {"field": "a", "type": "quantitative"}}})

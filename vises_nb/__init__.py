"""vises: evaluate and make visible the social impact of social-economy enterprises (VISES).

The helper package behind the step notebooks, the cohort notebook and the dashboards.
Its packages are layers, each importing only those below it (tests/test_layout.py):
`method` < `store` < `sample` < `analysis` < `instruments` < `publishing` < `dashboards`,
on a ground floor of `errors`, `i18n`, `paths` and `files`; `cli` is the face.

The names researchers use are importable from here too (`from vises_nb import Store,
load_cohort, all_results, all_changes, read_sidecar`); they are imported on first use,
so `import vises_nb` stays cheap.
"""

from __future__ import annotations

__version__ = "0.1.0"

#: public name -> module that defines it
_PUBLIC = {
    "Store": "vises_nb.store.store",
    "load_cohort": "vises_nb.analysis.cohort",
    "all_results": "vises_nb.analysis.cohort",
    "all_changes": "vises_nb.analysis.cohort",
    "overview": "vises_nb.analysis.cohort",
    "read_sidecar": "vises_nb.publishing.notebook",
}
__all__ = [
    "Store",
    "__version__",
    "all_changes",
    "all_results",
    "load_cohort",
    "overview",
    "read_sidecar",
]


def __getattr__(name: str):
    if name in _PUBLIC:
        import importlib

        return getattr(importlib.import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""Where the project's folders are, so nothing depends on the current directory."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT = PACKAGE_DIR.parent
NOTEBOOKS_DIR = ROOT / "notebooks"
DASHBOARDS_DIR = NOTEBOOKS_DIR / "dashboards"
DATA_DIR = ROOT / "data"
REPORTS_DIR = ROOT / "reports"


def default_store_url() -> str:
    """The store used when none is given: $VISES_STORE, else data/vises.sqlite."""
    return os.environ.get("VISES_STORE") or f"sqlite:///{DATA_DIR / 'vises.sqlite'}"

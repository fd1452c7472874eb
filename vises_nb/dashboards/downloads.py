"""Download links that carry their file in a data: URI, so dashboards need no file server
and work offline: a chart as SVG, a table as CSV.
"""

from __future__ import annotations

import base64
import html

import pandas as pd

from vises_nb.text import cell


def data_link(content: bytes, filename: str, mime: str, label: str, css: str) -> str:
    """An <a download> whose href holds the content itself."""
    payload = base64.b64encode(content).decode("ascii")
    return (f"<a class='vises-download {css}' download='{html.escape(filename)}' "
            f"href='data:{mime};base64,{payload}'>{html.escape(label)}</a>")


def svg_link(svg: str, filename: str, label: str) -> str:
    return data_link(svg.encode("utf-8"), filename, "image/svg+xml", label, "vises-download-svg")


def csv_text(frame: pd.DataFrame) -> str:
    """A table as CSV (UTF-8 with a byte-order mark so spreadsheet programs read accents),
    every text cell and header neutralised (`vises_nb.text.cell`): no formula runs when
    it is opened in a spreadsheet program."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(cell, na_action="ignore")
    safe.columns = [cell(str(c)) for c in safe.columns]
    return "\ufeff" + safe.to_csv(index=False)


def csv_link(frame: pd.DataFrame, filename: str, label: str) -> str:
    return data_link(csv_text(frame).encode("utf-8"), filename, "text/csv", label,
                     "vises-download-csv")

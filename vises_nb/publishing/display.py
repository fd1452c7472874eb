"""What notebooks show: headings, tables, lists and notes as escaped HTML outputs.

Everything a user typed is HTML-escaped here, so a name or a verbatim containing
markup is shown as text in reports and dashboards, never run.
"""

from __future__ import annotations

import html

import pandas as pd
from IPython.display import HTML

from vises_nb import i18n


def _lang(lang: str) -> str:
    """A `lang` attribute for text kept in another language than the page's ('' if none)."""
    return f' lang="{html.escape(lang)}"' if lang else ""


def heading(text: str, level: int = 2, lang: str = "") -> HTML:
    return HTML(f"<h{level}{_lang(lang)}>{html.escape(text)}</h{level}>")


def paragraph(text: str, css_class: str = "") -> HTML:
    cls = f' class="{css_class}"' if css_class else ""
    return HTML(f"<p{cls}>{html.escape(text)}</p>")


def bullets(items: list[str], empty: str = "") -> HTML:
    if not items:
        return paragraph(empty, "empty") if empty else HTML("")
    body = "".join(f"<li>{html.escape(str(item))}</li>" for item in items)
    return HTML(f"<ul>{body}</ul>")


def table(frame: pd.DataFrame, lang: str, index: bool = False, empty: str = "") -> HTML:
    """A DataFrame as an escaped HTML table, numbers in the language's format."""
    if frame.empty:
        return paragraph(empty or i18n.t("no_data", lang), "empty")
    formatters = {}
    for column in frame.columns:
        if pd.api.types.is_float_dtype(frame[column]):
            formatters[column] = lambda v: i18n.number(None if pd.isna(v) else v, lang)
    rendered = frame.to_html(index=index, escape=True, border=0, classes="vises-table",
                             formatters=formatters, na_rep="—")
    return HTML(rendered)


def quote(text: str, caption: str = "", lang: str = "") -> HTML:
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return HTML(f"<figure class='verbatim'><blockquote{_lang(lang)}>{html.escape(text)}"
                f"</blockquote>{cap}</figure>")

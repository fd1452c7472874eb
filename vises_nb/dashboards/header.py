"""Each dashboard's title and short introduction, in the chosen language (the notebooks
carry no markdown title of their own, so nothing is shown in another language)."""

from __future__ import annotations

import html

import ipywidgets as widgets

from vises_nb import i18n


def header_html(kind: str, lang: str) -> str:
    """The title (its `lang` is the page's: the vises template sets the page's language
    and the browser tab's title from it, so both follow the dashboard's language switch)."""
    code = html.escape(lang)
    return (f"<h1 class='vises-title' lang='{code}'>"
            f"{html.escape(i18n.t(f'dash.{kind}.title', lang))}</h1>"
            f"<p class='vises-intro' lang='{code}'>"
            f"{html.escape(i18n.t(f'dash.{kind}.intro', lang))}</p>")


def header(kind: str, lang: str) -> widgets.HTML:
    """The title and intro of dashboard `kind` (workspace, enterprise, explorer,
    coordinator): catalogue keys `dash.<kind>.title` and `dash.<kind>.intro`."""
    widget = widgets.HTML(header_html(kind, lang))
    widget.add_class("vises-header")
    return widget

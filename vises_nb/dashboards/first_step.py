"""What a dashboard shows on a store with nobody enrolled yet: what to do first (enrol the
roster with `vises enrol`, or add people on the coordinator page), not an empty drop-down."""

from __future__ import annotations

import html

import ipywidgets as widgets

from vises_nb import i18n
from vises_nb.store import model as m
from vises_nb.store.store import Store


def is_empty(store: Store) -> bool:
    """True when no enterprise is enrolled (archived ones count: they are enrolled)."""
    return not store.enterprise_ids()


def first_step_html(lang: str) -> str:
    return (f"<div class='vises-first-step' style='border-left:4px solid #2a6f97;"
            f"padding:.5em 1em;background:#f1f5f9'>"
            f"<h3>{html.escape(i18n.t('start.title', lang))}</h3>"
            f"<p>{html.escape(i18n.t('start.enrol', lang))}</p>"
            "<pre>vises enrol --template roster.xlsx\nvises enrol roster.xlsx</pre>"
            f"<p>{html.escape(i18n.t('start.coordinator', lang))}</p></div>")


def first_step(lang: str) -> widgets.HTML:
    """The first-step message as a widget (an HTML value: no Output written while Voila
    runs the notebook)."""
    widget = widgets.HTML(first_step_html(lang))
    widget.add_class("vises-first-step-box")
    return widget


def has_accompaniers(store: Store) -> bool:
    return bool(store.list(m.Accompanier))

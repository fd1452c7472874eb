"""Voila dashboards, built with ipywidgets; notebooks under notebooks/dashboards/ call these.

The enterprise browser lets an accompanier choose an enterprise and see its identity
card and step status. It reads the store named by $VISES_STORE (set by `vises serve`).

No ipywidgets.Output here: an Output written to while Voila runs the notebook makes
Voila's executor (nbclient's Output-widget mimic) send comm messages on the kernel's
shell socket while it awaits the cell's execute_reply on that same socket, and under
load that reply's wake-up can be lost (jupyter/nbclient#312): the page never finishes.
The card is an HTML widget whose value is replaced instead.
"""

from __future__ import annotations

import ipywidgets as widgets

from vises_nb import i18n
from vises_nb.analysis import diagnostic
from vises_nb.dashboards import access
from vises_nb.dashboards.first_step import first_step, is_empty
from vises_nb.dashboards.header import header, header_html
from vises_nb.errors import AccessError
from vises_nb.publishing import display as show
from vises_nb.store.loading import load_enterprise
from vises_nb.store.store import Store, normalise_url


def enterprise_options(store: Store, lang: str = "en") -> list[tuple[str, str]]:
    """(label, id) pairs for a dropdown: 'E01 — name', sorted by id."""
    frame = store.frame("enterprises")
    archived = set(frame.loc[frame["archived"].fillna(False).astype(bool), "id"]) \
        if "archived" in frame else set()
    left = f" ({i18n.t('coord.archived', lang)})"
    return [(f"{row.id} — {row.name}" + (left if row.id in archived else ""), row.id)
            for row in frame[["id", "name"]].itertuples(index=False)]


def render_enterprise(store: Store, enterprise_id: str, lang: str) -> str:
    """One enterprise's step status, to-do and identity card, as escaped HTML."""
    data = load_enterprise(store, enterprise_id)
    parts = [
        show.heading(data.enterprise.name, 2),
        show.heading(i18n.t("status.title", lang), 3),
        show.table(diagnostic.step_status(data, lang), lang),
        show.heading(i18n.t("todo.title", lang), 3),
        show.bullets(diagnostic.completeness(data, lang), i18n.t("nothing_to_report", lang)),
        show.heading(i18n.t("identity.title", lang), 3),
        show.table(diagnostic.identity_card(data, lang), lang),
    ]
    return "".join(part.data for part in parts)


def enterprise_browser(store_url: str = "", lang: str = "fr") -> widgets.VBox:
    """A dropdown of enterprises and a language switch above the chosen enterprise's card."""
    store = access.open_store(normalise_url(store_url))  # guarded when people sign in
    if is_empty(store):
        return widgets.VBox([first_step(lang)])
    try:
        options = enterprise_options(store, lang)
    except AccessError:  # refused and logged
        options = []
    chooser = widgets.Dropdown(options=options, description=i18n.t("enterprise", lang),
                               layout=widgets.Layout(width="520px"))
    chooser.add_class("vises-enterprise")
    language = widgets.ToggleButtons(options=list(i18n.available_languages()), value=lang)
    language.add_class("vises-language")
    card = widgets.HTML()
    card.add_class("vises-card")
    title = header("enterprise", lang)

    def refresh(_change: object = None) -> None:
        title.value = header_html("enterprise", language.value)
        chooser.description = i18n.t("enterprise", language.value)
        if chooser.value is None:
            card.value = show.paragraph(i18n.t("no_data", language.value), "empty").data
            return
        try:
            card.value = render_enterprise(store, chooser.value, language.value)
        except AccessError as refused:  # a disabled account, or not theirs: logged
            card.value = show.paragraph(refused.message(language.value), "empty").data

    chooser.observe(refresh, names="value")
    language.observe(refresh, names="value")
    refresh()
    return widgets.VBox([title, widgets.HBox([chooser, language]), card])

"""Step 2: the item → indicator table, next to the indicator plan.

Every item of the enterprise's questionnaires with the indicator it measures; choosing an
item and an indicator (or "none") and pressing *Link* saves the link
(`vises_nb.instruments.importing.links.link_item`: a stale item is refused as a conflict,
nothing overwritten). Items linked to no indicator are still analysed in step 3.
"""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from vises_nb import i18n
from vises_nb.dashboards.workspace.form import _escape
from vises_nb.errors import VisesError
from vises_nb.instruments.importing.links import item_links, link_item
from vises_nb.method import vocabulary as voc
from vises_nb.publishing import display as show
from vises_nb.store import model as m
from vises_nb.store.store import Store

NONE = "__none__"


def links_table(store: Store, enterprise_id: str, lang: str) -> pd.DataFrame:
    table = item_links(store, enterprise_id)
    if table.empty:
        return pd.DataFrame()
    return pd.DataFrame({
        i18n.t("items.question", lang): table["text"].tolist(),
        "code": table["code"].tolist(),
        i18n.t("item.scale", lang): [voc.SCALE_KINDS.label(s, lang) for s in table["scale"]],
        i18n.t("indicator", lang): [n if isinstance(n, str) else "—"
                                    for n in table["indicator_name"]],
    })


class ItemLinks:
    """The table, an item and an indicator to choose, and a Link button."""

    def __init__(self, store: Store, enterprise_id: str, lang: str):
        self.store, self.enterprise_id, self.lang = store, enterprise_id, lang
        self.table = widgets.HTML()
        self.table.add_class("vises-item-links")
        self.item = widgets.Dropdown(description=i18n.t("items.question", lang))
        self.item.add_class("vises-link-item")
        self.indicator = widgets.Dropdown(description=i18n.t("indicator", lang))
        self.indicator.add_class("vises-link-indicator")
        self.button = widgets.Button(description=i18n.t("ws.link_item", lang), icon="link")
        self.button.add_class("vises-link-save")
        self.message = widgets.HTML()
        self.message.add_class("vises-link-message")
        self.button.on_click(lambda _b: self.save())
        self.refresh()
        self.box = widgets.VBox([self.table, widgets.HBox([self.item, self.indicator]),
                                 self.button, self.message])

    def refresh(self) -> None:
        items = self.store.list(m.Item, enterprise_id=self.enterprise_id)
        indicators = self.store.list(m.Indicator, enterprise_id=self.enterprise_id)
        self.item.options = [(f"{i.code} — {i.text}"[:80], i.code) for i in items]
        self.indicator.options = [(i18n.t("ws.no_indicator", self.lang), NONE)] + [
            (f"{i.name} ({i.code})", i.id) for i in indicators]
        self.table.value = show.table(links_table(self.store, self.enterprise_id, self.lang),
                                      self.lang).data

    def save(self) -> bool:
        if self.item.value is None:
            return False
        chosen = None if self.indicator.value == NONE else self.indicator.value
        try:
            link_item(self.store, self.enterprise_id, self.item.value, chosen, self.lang)
        except VisesError as exc:
            self.message.value = _escape(exc.message(self.lang))
            return False
        self.message.value = _escape(i18n.t("ws.item_linked", self.lang, item=self.item.value))
        self.refresh()
        return True

"""A *Remove* button that asks first: the first click shows what will be removed and a
confirming button beside it; only that second click removes (and *Cancel* puts the
question away). Used where a record can be removed outright (a finding, a group's
session); the removal itself goes through the store the page holds (the access layer when
people sign in: the same rules as writing, and the change recorded with who made it).
"""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as widgets

from vises_nb import i18n


class ConfirmedDelete:
    """`box`: the Remove button, then (once asked) the question, Yes and Cancel."""

    def __init__(self, lang: str, name: str, on_confirmed: Callable[[], object],
                 label_key: str = "form.delete"):
        self.lang = lang
        self.question: Callable[[], str] = lambda: ""
        self.button = widgets.Button(description=i18n.t(label_key, lang),
                                     button_style="warning", layout=widgets.Layout(width="auto"))
        self.button.add_class(f"vises-{name}-delete")
        self.text = widgets.HTML()
        self.text.add_class("vises-delete-question")
        self.confirm = widgets.Button(description=i18n.t("form.delete_confirm", lang),
                                      button_style="danger", layout=widgets.Layout(width="auto"))
        self.confirm.add_class(f"vises-{name}-delete-confirm")
        self.cancel = widgets.Button(description=i18n.t("form.cancel", lang),
                                     layout=widgets.Layout(width="auto"))
        self.cancel.add_class(f"vises-{name}-delete-cancel")
        self.asking = widgets.HBox([self.text, self.confirm, self.cancel],
                                   layout=widgets.Layout(flex_flow="row wrap",
                                                         align_items="center"))
        self.box = widgets.VBox([self.button, self.asking])
        self.asked = False  # the question is shown: only then does *Yes* remove
        self.on_confirmed = on_confirmed
        self.button.on_click(lambda _b: self.ask())
        self.confirm.on_click(lambda _b: self.confirmed())
        self.cancel.on_click(lambda _b: self.hide())
        self.hide()

    def confirmed(self) -> bool:
        """*Yes, remove*: only once the question was asked. The button is hidden until
        then, but a widget message clicks a hidden button as any other: without this, a
        click sent straight to it removed without asking."""
        if not self.asked:
            return False
        self.hide()
        self.on_confirmed()
        return True

    def ask(self) -> None:
        """Show the question and the confirming button."""
        self.text.value = (f"<span class='vises-confirm-text' role='alert' "
                           f"style='color:#b2182b'>{html.escape(self.question())}</span>")
        self.asking.layout.display = ""
        self.asked = True

    def hide(self) -> None:
        self.asked = False
        self.text.value = ""
        self.asking.layout.display = "none"

    def offer(self, shown: bool) -> None:
        """Offer the Remove button (only for a stored record)."""
        self.hide()
        self.box.layout.display = "" if shown else "none"

"""Each field's message beside it and its help under it, the same on every form.

A field's row (`field_row`) carries the class `vises-row`; its message widget the class
`vises-error` (`message_widgets`), its help the class `vises-help-text`. The page's script
(templates/vises/index.html.j2) ties them to the input for screen readers: the input's
`aria-describedby` names the message and the help, and `aria-invalid` says whether the
message holds an error. `show_messages` writes the messages as the form checks them.
Messages, help lines and the line in each row share their layouts and styles
(dashboards/shared_layouts.py): never change those; a row itself has its own layout.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping

import ipywidgets as widgets

from vises_nb.dashboards import shared_layouts as shared

ERROR_COLOUR = "#b2182b"
HELP_LAYOUT = {"margin": "0 0 4px 208px", "max_width": "480px"}


def error_html(text: str) -> str:
    """A field's message (empty text: nothing)."""
    return (f"<span class='vises-error-text' style='color:{ERROR_COLOUR}'>"
            f"{html.escape(text)}</span>") if text else ""


def message_widgets(names: Iterable[str]) -> dict[str, widgets.HTML]:
    """One empty message widget per field name, marked for the page's script."""
    messages = {name: widgets.HTML(value="", layout=shared.layout(), style=shared.html_style())
                for name in names}
    for message in messages.values():
        message.add_class("vises-error")
    return messages


def show_messages(messages: Mapping[str, widgets.HTML], errors: Mapping[str, str]) -> None:
    """Each field's message from `errors` (field name → text); the others emptied."""
    for name, message in messages.items():
        message.value = error_html(errors.get(name, ""))


def help_widget(text: str) -> widgets.HTML:
    """A field's help, under it, aligned with the input."""
    return widgets.HTML(f"<span class='vises-help-text'>{html.escape(text)}</span>",
                        layout=shared.layout(**HELP_LAYOUT), style=shared.html_style())


def field_row(field: widgets.Widget, message: widgets.HTML,
              help_text: str | None = None) -> widgets.VBox:
    """The field with its message beside it and its help (if any) under it."""
    line = widgets.HBox([field, message],
                        layout=shared.layout(align_items="center", flex_flow="row wrap"))
    parts: list[widgets.Widget] = [line]
    if help_text:
        parts.append(help_widget(help_text))
    row = widgets.VBox(parts)  # a layout of its own: forms show and hide rows (people.py)
    row.add_class("vises-row")
    return row


STATUS_COLOURS = {"saved": "#1b7837", "archived": "#1b7837", "deleted": "#1b7837",
                  "conflict": ERROR_COLOUR, "invalid": ERROR_COLOUR, "refused": ERROR_COLOUR,
                  "warning": "#8a6d3b"}


def status_html(kind: str, text: str, prefix: str = "vises-status") -> str:
    """A form's status line (saved, conflict, invalid, refused, warning, dirty...): class
    `<prefix>-<kind>`, coloured by its kind (empty text: nothing)."""
    colour = STATUS_COLOURS.get(kind, "#555")
    return (f"<span class='{prefix}-{kind}' style='color:{colour}'>"
            f"{html.escape(text)}</span>") if text else ""

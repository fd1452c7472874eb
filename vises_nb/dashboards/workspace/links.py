"""The impact chain's arrows in the workspace: the existing ones listed, one added by
picking its two ends (checked as they are picked, message beside the field), one removed.

Every change goes through `vises_nb.analysis.chain_links`, which checks it again against the store
inside the saving transaction. Two ends picked but not added yet count as unsaved work.
"""

from __future__ import annotations

import ipywidgets as widgets

from vises_nb import i18n
from vises_nb.analysis import chain_links as cl
from vises_nb.dashboards.field_messages import (
    field_row,
    message_widgets,
    show_messages,
    status_html,
)
from vises_nb.dashboards.workspace.form import _escape, mark_unsaved
from vises_nb.dashboards.workspace.records import listbox
from vises_nb.errors import ConflictError, NotFoundError, Refused
from vises_nb.store.store import Store


class ChainLinks:
    """One enterprise's arrows; `box` is what the step 1 tab shows."""

    def __init__(self, store: Store, enterprise_id: str, lang: str):
        self.on_refresh = None  # called after each re-read (the diagram redraws itself)
        self.store, self.enterprise_id, self.lang = store, enterprise_id, lang
        self.list = listbox(i18n.t("ws.list.links", lang))
        self.list.add_class("vises-list-links")
        self.remove_button = widgets.Button(description=i18n.t("link.remove", lang),
                                            button_style="danger",
                                            layout=widgets.Layout(width="auto"))
        self.remove_button.add_class("vises-delete-link")
        style, layout = {"description_width": "200px"}, widgets.Layout(width="480px")
        self.inputs = {
            "source_id": widgets.Dropdown(description=i18n.t("link.source", lang),
                                          style=style, layout=layout),
            "target_id": widgets.Dropdown(description=i18n.t("link.target", lang),
                                          style=style, layout=layout),
        }
        self.messages = message_widgets(self.inputs)
        for name, widget in self.inputs.items():
            widget.add_class(f"vises-field-{name}")
        self.add_button = widgets.Button(description=i18n.t("link.add", lang), icon="plus",
                                         button_style="primary",
                                         layout=widgets.Layout(width="auto"))
        self.add_button.add_class("vises-add-link")
        self.status = widgets.HTML(value="")
        self.status.add_class("vises-status")
        rows = [field_row(self.inputs[n], self.messages[n]) for n in self.inputs]
        self.box = widgets.VBox([
            widgets.HTML(f"<h4>{_escape(i18n.t('link.title', lang))}</h4>"),
            self.list, self.remove_button,
            widgets.HTML(f"<b>{_escape(i18n.t('link.new', lang))}</b>"),
            *rows, self.add_button, self.status])
        self.box.add_class("vises-form-links")
        self._loading = False
        self.refresh()
        for widget in self.inputs.values():
            widget.observe(self._picked, names="value")
        self.add_button.on_click(lambda _b: self.add())
        self.remove_button.on_click(lambda _b: self.remove())

    # ------------------------------------------------------------- state
    @property
    def picked(self) -> tuple[str | None, str | None]:
        return self.inputs["source_id"].value, self.inputs["target_id"].value

    @property
    def dirty(self) -> bool:
        """Ends picked for an arrow that is not added yet."""
        return any(self.picked)

    def refresh(self) -> None:
        """Re-read the chain from the store: the list of arrows and the ends one can pick
        (what was picked stays picked while it still exists)."""
        self.elements, self.links = cl.chain_of(self.store, self.enterprise_id)
        options = [("—", None)] + [(cl.describe_element(e, self.lang), e.id)
                                   for e in cl.by_level(self.elements.values())]
        ordered = sorted(self.links, key=lambda link: self._order(link))
        self._loading = True
        try:
            for widget in self.inputs.values():
                value = widget.value if widget.value in self.elements else None
                widget.options = options
                widget.value = value
            self.list.options = [(self._label(link), link.id) for link in ordered]
            self.list.value = None
        finally:
            self._loading = False
        self._show_problem()
        if self.on_refresh is not None:
            self.on_refresh()

    def _order(self, link) -> tuple:
        ends = [self.elements.get(i) for i in (link.source_id, link.target_id)]
        return tuple((cl.LEVEL_ORDER[e.level], e.label) if e else (9, "") for e in ends)

    def _label(self, link) -> str:
        ends = [self.elements.get(i) for i in (link.source_id, link.target_id)]
        if None in ends:
            return cl.describe_link(link, self.elements)
        source, target = ends
        return (f"{cl.level_name(source, self.lang)}: {source.label}  →  "
                f"{cl.level_name(target, self.lang)}: {target.label}")

    def _picked(self, _change: object) -> None:
        if self._loading:
            return
        self._say("", "")
        self._show_problem()

    def _show_problem(self, problem: cl.LinkProblem | None = None, force: bool = False) -> None:
        """Show the message beside the field it concerns: as soon as the target is picked,
        or (force) when the user asks to add the arrow."""
        source, target = self.picked
        if problem is None and (force or target is not None):
            problem = cl.link_problem(source, target, self.elements, self.links)
        show_messages(self.messages, {problem.field: problem.message(self.lang)}
                      if problem else {})
        mark_unsaved(self.box, self.dirty)

    def _say(self, kind: str, text: str) -> None:
        self.status.value = status_html(kind, text)

    # ------------------------------------------------------------- actions
    def add(self) -> bool:
        """Store the picked arrow; True when stored."""
        source, target = self.picked
        try:
            link = cl.add_link(self.store, self.enterprise_id, source, target)
        except cl.InvalidLink as exc:
            self._show_problem(exc.problem, force=True)
            self._say("invalid", i18n.t("form.invalid", self.lang, count=1))
            return False
        except Refused as refused:  # not theirs, or the store busy: the ends stay picked
            self._say("conflict", refused.message(self.lang))
            return False
        except ConflictError:
            self.refresh()  # someone added the same arrow meanwhile: say so beside the field
            self._show_problem(force=True)
            self._say("invalid", i18n.t("form.invalid", self.lang, count=1))
            return False
        self.discard()
        self._say("saved", i18n.t("link.added", self.lang,
                                  link=cl.describe_link(link, self.elements)))
        return True

    def remove(self) -> bool:
        """Remove the arrow chosen in the list; True when removed."""
        chosen = self.list.value
        if chosen is None:
            self._say("invalid", i18n.t("link.choose", self.lang))
            return False
        link = next(link for link in self.links if link.id == chosen)
        name = cl.describe_link(link, self.elements)
        try:
            cl.remove_link(self.store, chosen)
        except Refused as refused:  # not theirs, or the store busy
            self._say("conflict", refused.message(self.lang))
            return False
        except (NotFoundError, ConflictError):
            self.refresh()
            self._say("conflict", i18n.t("link.gone", self.lang, link=name))
            return False
        self.refresh()
        self._say("saved", i18n.t("link.removed", self.lang, link=name))
        return True

    def discard(self) -> None:
        """Forget the picked ends (and show the chain as stored now)."""
        self._loading = True
        try:
            for widget in self.inputs.values():
                widget.value = None
        finally:
            self._loading = False
        self.refresh()

"""Forms opened to an enterprise's members (`vises serve --accounts`).

The accompanier (or a coordinator) ticks which forms of the enterprise its members may
fill: the identity card, the diagnostic's stakeholders, impact chain and evaluative
questions, the step 3 findings (`vises_nb.store.openings.FORMS`); unticking closes the
form again. Who opened it and when is kept (schema 11) and shown beside it.

A member signed in sees their enterprise's workspace with every section read-only
(`lock`) except the forms open now. That is only the page's manners: the rule itself is
the access layer's (`GuardedWriter`), which refuses and logs a member's save on a closed
form or another enterprise whatever the page sends.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from vises_nb import i18n
from vises_nb.dashboards.access import GuardedStore
from vises_nb.dashboards.gate import refused_html
from vises_nb.errors import AccessError, Refused
from vises_nb.store import openings

# form → the workspace sections where it is filled (findings: step 3's findings form)
SECTIONS: dict[str, tuple[str, ...]] = {
    "identity": ("vises-section-identity",),
    "stakeholders": ("vises-section-stakeholders",),
    "chain": ("vises-section-chain",),
    "questions": ("vises-section-questions", "vises-section-methods"),
    "findings": ("vises-section-findings",),
}


def open_sections(forms: set[str]) -> set[str]:
    return {css for form in forms for css in SECTIONS.get(form, ())}


def lock(widget: widgets.Widget) -> None:
    """Make a part of the page read-only: every input and button in it disabled. Lists
    (a Select choosing which record to show) stay usable, so everything can be read."""
    if isinstance(widget, widgets.Select):
        return
    if hasattr(widget, "disabled") and isinstance(widget, widgets.DOMWidget):
        widget.disabled = True
    for child in getattr(widget, "children", ()) or ():
        lock(child)


def role(store) -> str:
    """The role of whoever this page serves ('' without accounts)."""
    if not isinstance(store, GuardedStore):
        return ""
    try:
        return store.guarded(store.person).role
    except AccessError:
        return ""


def _when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


class MembersPanel:
    """For the accompanier and coordinators: one tick per form, opened or closed at once.
    For a member: which forms are open to them."""

    def __init__(self, store: GuardedStore, enterprise_id: str, lang: str, member: bool):
        self.store, self.enterprise_id, self.lang, self.member = store, enterprise_id, lang, member
        self.title = widgets.HTML(f"<h3>{html.escape(i18n.t('members.title', lang))}</h3>")
        self.status = widgets.HTML()
        self.status.add_class("vises-members-status")
        self.ticks: dict[str, widgets.Checkbox] = {}
        self.notes: dict[str, widgets.HTML] = {}
        rows: list[widgets.Widget] = []
        if not member:
            rows.append(widgets.HTML(f"<p>{html.escape(i18n.t('members.intro', lang))}</p>"))
            for form in openings.FORMS:
                tick = widgets.Checkbox(description=i18n.t(f"members.form.{form}", lang),
                                        indent=False, layout=widgets.Layout(width="auto"))
                tick.add_class(f"vises-open-{form}")
                note = widgets.HTML()
                note.add_class("vises-open-note")
                self.ticks[form], self.notes[form] = tick, note
                rows.append(widgets.HBox([tick, note], layout=widgets.Layout(
                    align_items="center", grid_gap="12px")))
        self.mine = widgets.HTML()
        self.mine.add_class("vises-members-open")
        self.box = widgets.VBox([self.title, *rows, self.mine, self.status])
        self.box.add_class("vises-members")
        self._loading = False
        self.refresh()
        for form, tick in self.ticks.items():
            tick.observe(lambda change, f=form: self._toggle(f, change["new"]), names="value")

    def refresh(self) -> bool:
        """Show which forms are open; False when reading them was refused (shown)."""
        lang = self.lang
        try:
            now = openings.current(self.store, self.enterprise_id) \
                if not self.member else {f: {} for f in self.store.open_forms(self.enterprise_id)}
        except AccessError as refused:
            self.status.value = refused_html(refused, lang, "span")
            return False
        self._loading = True
        try:
            for form, tick in self.ticks.items():
                tick.value = form in now
                opened = now.get(form)
                self.notes[form].value = html.escape(i18n.t(
                    "members.opened_by", lang, who=opened["opened_by"],
                    when=_when(opened["opened_at"]))) if opened else ""
        finally:
            self._loading = False
        names = [i18n.t(f"members.form.{f}", lang) for f in openings.FORMS if f in now]
        if self.member:
            self.mine.value = "<p>" + html.escape(
                i18n.t("members.yours", lang, forms="; ".join(names)) if names
                else i18n.t("members.none_yours", lang)) + "</p>"
        return True

    def _toggle(self, form: str, opened: bool) -> None:
        if self._loading:
            return
        try:
            self.store.set_form_open(self.enterprise_id, form, opened)
        except Refused as refused:  # not theirs (logged by the access layer), or the store busy
            self.status.value = refused_html(refused, self.lang, "span")
            self.refresh()
            return
        # the page first shows what is now open (who opened it, when), then says it is
        # saved: widget updates reach the page in order, so "saved" never precedes it
        if not self.refresh():
            return  # saved, but reading it back was refused: the refusal is shown
        self.status.value = ("<span class='vises-members-saved' style='color:#1b7837'>"
                             + html.escape(i18n.t("members.opened" if opened else
                                                  "members.closed", self.lang,
                                                  form=i18n.t(f"members.form.{form}",
                                                              self.lang)))
                             + "</span>")

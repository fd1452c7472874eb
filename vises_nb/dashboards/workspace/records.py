"""A list of an enterprise's records of one kind (stakeholders, chain elements, questions...)
with add, edit and remove, each edit going through a `RecordForm`.

Choosing another record while the form holds unsaved changes is refused with a warning,
so a stray click never loses what was typed. Removing a record that others depend on (an
impact-chain element and its arrows) first names them and asks for confirmation.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import sqlalchemy as sa
from pydantic import BaseModel

from vises_nb import i18n
from vises_nb.dashboards.workspace.form import Field, RecordCheck, RecordForm, _escape
from vises_nb.errors import ConflictError, NotFoundError, Refused
from vises_nb.store.store import Store, Writer

NEW = "__new__"


@dataclass(frozen=True)
class Dependents:
    """Records that go when a record goes (an element's arrows). They are looked up inside
    the removing transaction, named to the user, and removed only once the user confirmed
    exactly those: one more added meanwhile means asking again, never a silent loss."""

    find: Callable[[sa.Connection, Any], dict[str, str]]  # id → how people call it
    remove: Callable[[Writer, Iterable[str]], None]
    question_key: str  # catalogue message given {count} and {names}
    confirm_key: str  # the confirming button's label


class _Unconfirmed(Exception):
    def __init__(self, found: dict[str, str]):
        super().__init__(found)
        self.found = found


def list_label(name: str, lang: str) -> str:
    """The visible label of a list of records (`ws.list.<name>`, or a general one)."""
    key = f"ws.list.{name}"
    return i18n.t(key if key in i18n.catalogue("en") else "ws.list.default", lang)


def listbox(label: str, rows: int = 5) -> widgets.Select:
    """A list to choose one record from, with a visible label (which names the list for a
    screen reader too; the template's CSS puts it above the list)."""
    chooser = widgets.Select(description=label, rows=rows,
                             style={"description_width": "initial"},
                             layout=widgets.Layout(width="480px"))
    chooser.add_class("vises-listbox")
    return chooser


class RecordList:
    """Records of `model` belonging to one enterprise, with a form for the chosen one."""

    def __init__(self, store: Store, model: type[BaseModel], fields: list[Field], lang: str,
                 enterprise_id: str, name: str, describe: Callable[[BaseModel], str],
                 defaults: dict[str, Any] | None = None, can_add: bool = True,
                 dependents: Dependents | None = None,
                 on_change: Callable[[], None] | None = None,
                 check: RecordCheck | None = None):
        self.store, self.model, self.lang = store, model, lang
        self.enterprise_id, self.name, self.describe = enterprise_id, name, describe
        self.defaults = defaults or {}
        self.can_add = can_add  # False: records are edited here, never added or removed
        self.dependents, self.on_change = dependents, on_change
        self.chooser = listbox(list_label(name, lang))
        self.chooser.add_class(f"vises-list-{name}")
        self.add_button = widgets.Button(description=i18n.t("form.add", lang), icon="plus")
        self.add_button.add_class(f"vises-add-{name}")
        self.add_button.layout.display = "" if can_add else "none"
        self.delete_button = widgets.Button(description=i18n.t("form.delete", lang),
                                            button_style="danger")
        self.delete_button.add_class(f"vises-delete-{name}")
        self.delete_button.layout.display = "" if can_add else "none"
        self.warning = widgets.HTML(value="")
        self.warning.add_class("vises-warning")
        self.confirm_button = widgets.Button(button_style="danger",
                                             layout=widgets.Layout(width="auto"))
        self.confirm_button.add_class(f"vises-confirm-delete-{name}")
        self.cancel_button = widgets.Button(description=i18n.t("form.cancel", lang))
        self.cancel_button.add_class(f"vises-cancel-delete-{name}")
        self.confirm = widgets.HBox([self.confirm_button, self.cancel_button],
                                    layout=widgets.Layout(display="none"))
        self._confirmed: frozenset[str] = frozenset()
        self.form = RecordForm(store, model, fields, lang, self._new_base(), None, name,
                               on_saved=lambda _f: self._saved(), check=check)
        self.form.box.layout.display = "none"
        self.box = widgets.VBox([self.chooser, widgets.HBox([self.add_button,
                                 self.delete_button]), self.warning, self.confirm,
                                 self.form.box])
        self._current: Any = None
        self._guard = False
        self.chooser.observe(self._chosen, names="value")
        self.add_button.on_click(lambda _b: self.choose(NEW))
        self.delete_button.on_click(lambda _b: self.delete())
        self.confirm_button.on_click(lambda _b: self.delete(self._confirmed))
        self.cancel_button.on_click(lambda _b: self._ask(None))
        self.refresh()

    @property
    def dirty(self) -> bool:
        return self.form.box.layout.display != "none" and self.form.dirty

    def _new_base(self) -> dict[str, Any]:
        return {"id": f"{self.enterprise_id}-{self.name}-{uuid.uuid4().hex[:6]}",
                "enterprise_id": self.enterprise_id, **self.defaults}

    def refresh(self, select: Any = None) -> None:
        """Re-read the records from the store and list them."""
        self.records = {r.id: r for r in self.store.list(self.model,
                                                          enterprise_id=self.enterprise_id)}
        self._guard = True
        try:
            self.chooser.options = [(self.describe(r), r.id) for r in self.records.values()]
            self.chooser.value = select if select in self.records else None
        finally:
            self._guard = False
        self._current = self.chooser.value

    def _chosen(self, change: dict) -> None:
        if self._guard:
            return
        self.choose(change["new"])

    def choose(self, record_id: Any) -> bool:
        """Open a record (or a new one) in the form, unless unsaved changes would be lost."""
        if record_id == NEW and not self.can_add:  # a hidden *Add* clicked by a message
            return False
        if self.dirty and record_id != self._current:
            self.warning.value = ("<span class='vises-warning-text' style='color:#b2182b'>"
                                  f"{_escape(i18n.t('form.unsaved_block', self.lang))}</span>")
            self._guard = True
            try:
                self.chooser.value = self._current if self._current in self.records else None
            finally:
                self._guard = False
            return False
        self.warning.value = ""
        self._ask(None)
        self._current = record_id
        if record_id is None:
            self.form.box.layout.display = "none"
            return True
        if record_id == NEW:
            self._guard = True
            self.chooser.value = None
            self._guard = False
            self.form.load(self._new_base(), None)
        else:
            record, revision = self.store.get(self.model, record_id)
            self.form.load(record.model_dump(), revision)
        self.form.status.value = ""
        self.form.box.layout.display = ""
        return True

    def _saved(self) -> None:
        self.refresh(select=self.form.base["id"])
        if self.on_change:
            self.on_change()

    def delete(self, confirmed: Iterable[str] = ()) -> bool:
        """Remove the chosen record (at its revision). When others depend on it, ask first:
        they are removed with it only when `confirmed` names exactly those found now."""
        if self._current in (None, NEW) or not self.can_add:  # hidden *Remove*: by a message
            return False
        record = self.records[self._current]
        try:
            with self.store.transaction() as writer:
                writer.delete(self.model, record.id, self.form.revision)
                if self.dependents:
                    # looked up after the delete: on a server that locks rows, an arrow
                    # added meanwhile is committed before it or sees the element gone
                    found = self.dependents.find(writer.conn, record)
                    if found and set(found) != set(confirmed):
                        raise _Unconfirmed(found)
                    self.dependents.remove(writer, found)
        except _Unconfirmed as exc:
            self._ask(exc.found)
            return False
        except Refused as refused:  # not theirs (logged by the access layer), or the store busy
            self._ask(None)
            self.form._say("conflict", refused.message(self.lang))
            return False
        except (ConflictError, NotFoundError):
            self._ask(None)
            self.form._say("conflict", i18n.t("form.conflict", self.lang))
            self.form.reload_button.layout.display = ""
            return False
        self._ask(None)
        self.form.box.layout.display = "none"
        self.form.load(self._new_base(), None)
        self._current = None
        self.refresh()
        self.warning.value = _escape(i18n.t("form.deleted", self.lang))
        if self.on_change:
            self.on_change()
        return True

    def _ask(self, found: dict[str, str] | None) -> None:
        """Show what would be removed with the record and the confirming button (None:
        hide them)."""
        if not found or self.dependents is None:
            self._confirmed = frozenset()
            self.confirm.layout.display = "none"
            if found is None and "vises-confirm-text" in self.warning.value:
                self.warning.value = ""
            return
        self._confirmed = frozenset(found)
        question = i18n.t(self.dependents.question_key, self.lang, count=len(found),
                          names="; ".join(found.values()))
        self.warning.value = ("<span class='vises-confirm-text' style='color:#b2182b'>"
                              f"{_escape(question)}</span>")
        self.confirm_button.description = i18n.t(self.dependents.confirm_key, self.lang)
        self.confirm.layout.display = ""

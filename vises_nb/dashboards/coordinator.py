"""The coordinator's page: add, edit and archive accompaniers and enterprises, assign
enterprises to an accompanier (the enterprise's form) and to semi-collective groups.

Same care as the workspace forms (`vises_nb.dashboards.workspace.form.RecordForm`): every
field is checked as it is typed, with its message beside it; nothing is saved until
*Save*; a save based on a record someone else changed meanwhile (another coordinator, a
`vises enrol`) is refused with an offer to reload. Archiving asks for a confirmation and
keeps everything stored (see `vises_nb.instruments.enrolment`). Choosing another record
while a form holds unsaved changes is refused with a warning.

No ipywidgets.Output: everything is built as widgets whose values are replaced (an Output
written while Voila runs the notebook can hang the page, jupyter/nbclient#312).
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import ipywidgets as widgets
import sqlalchemy as sa

from vises_nb import i18n
from vises_nb.dashboards import access, gate
from vises_nb.dashboards.field_messages import (
    field_row,
    message_widgets,
    show_messages,
    status_html,
)
from vises_nb.dashboards.first_step import first_step_html, is_empty
from vises_nb.dashboards.header import header
from vises_nb.dashboards.people import PeoplePanel
from vises_nb.dashboards.workspace.form import Field, RecordForm, field_errors, mark_unsaved
from vises_nb.errors import ConflictError, NotFoundError, Refused
from vises_nb.instruments import enrolment
from vises_nb.instruments.roster import GROUP_MAX, GROUP_MIN
from vises_nb.method import vocabulary as voc
from vises_nb.store import model as m
from vises_nb.store.schema import TABLES
from vises_nb.store.store import Store, normalise_url

NEW = "__new__"


def _terms(name: str, pairs: list[tuple[str, str]]) -> voc.Vocabulary:
    """A vocabulary made on the spot (accompaniers, languages) for a drop-down field."""
    return voc.Vocabulary(name, [voc.Term(code, label, label, label) for code, label in pairs])


def languages() -> voc.Vocabulary:
    """Each language named in the page's language (Français, Néerlandais, Anglais on a
    French page), not in English on every page."""
    def name(code: str, lang: str) -> str:
        named = i18n.locale(code).get_language_name(lang) or i18n.language_name(code)
        return named[:1].upper() + named[1:]

    return voc.Vocabulary("language", [voc.Term(c, name(c, "fr"), name(c, "nl"), name(c, "en"))
                                       for c in i18n.available_languages()])


def accompanier_terms(store: Store) -> voc.Vocabulary:
    return _terms("accompanier", [(a.id, f"{a.name} ({a.federation})")
                                  for a in store.list(m.Accompanier) if not a.archived])


def accompanier_fields() -> list[Field]:
    return [Field("id", label_key="roster.col.id"), Field("name", label_key="roster.col.name"),
            Field("federation", label_key="roster.col.federation"),
            Field("language", "choice", "roster.col.language", languages())]


def enterprise_fields(store: Store) -> list[Field]:
    return [
        Field("id", label_key="roster.col.id"), Field("name", label_key="roster.col.name"),
        Field("pole", "choice", "roster.col.pole", voc.POLES),
        Field("region", "choice", "roster.col.region", voc.REGIONS),
        Field("language", "choice", "roster.col.language", languages()),
        Field("accompanier_id", "optional", "roster.col.accompanier", accompanier_terms(store)),
        Field("legal_form", label_key="roster.col.legal_form"),
        Field("sector", label_key="roster.col.sector"),
        Field("year_founded", "int", "roster.col.year_founded"),
        Field("fte", "float", "roster.col.fte"),
        Field("integration_workers", "int", "roster.col.integration_workers"),
        Field("volunteers", "int", "roster.col.volunteers"),
        Field("budget_eur", "float", "roster.col.budget_eur"),
    ]


def _say(widget: widgets.HTML, kind: str, text: str) -> None:
    widget.value = status_html(kind, text, "vises-coord")


def _label(record: Any, lang: str) -> str:
    text = f"{record.id} — {record.name}"
    if getattr(record, "archived", False):
        text += f" ({i18n.t('coord.archived', lang)})"
    return text


class RecordPanel:
    """A chooser of stored records (plus 'new'), the chosen one's form, and archiving."""

    def __init__(self, page: Coordinator, model: type, kind: str):
        self.page, self.model, self.kind = page, model, kind
        lang = page.lang
        self.choice = widgets.Dropdown(description=i18n.t(f"coord.choose_{kind}", lang),
                                       layout=widgets.Layout(width="520px"),
                                       style={"description_width": "200px"})
        self.choice.add_class(f"vises-coord-{kind}")
        self.warning = widgets.HTML()
        self.warning.add_class("vises-coord-warning")
        self.archive = widgets.Button(description=i18n.t("coord.archive", lang),
                                      button_style="warning")
        self.archive.add_class("vises-archive")
        self.confirm = widgets.Button(description=i18n.t("coord.archive_confirm", lang),
                                      button_style="danger",
                                      layout=widgets.Layout(display="none"))
        self.confirm.add_class("vises-archive-confirm")
        self.restore = widgets.Button(description=i18n.t("coord.restore", lang))
        self.restore.add_class("vises-restore")
        self.status = widgets.HTML()
        self.status.add_class("vises-coord-status")
        self.archive.on_click(lambda _b: self._ask_archive())
        self.confirm.on_click(lambda _b: self.confirm_archive())
        self.restore.on_click(lambda _b: self.set_archived(False))
        self.form_box = widgets.VBox()
        self.form: RecordForm | None = None
        self.asked_archive: str | None = None  # the record whose archiving was asked
        self._guard = False
        self._previous: str | None = None
        self.box = widgets.VBox([self.choice, self.warning, self.form_box,
                                 widgets.HBox([self.archive, self.confirm, self.restore]),
                                 self.status])
        self.box.add_class(f"vises-panel-{kind}")
        self.fill()
        self.choice.observe(self._switch, names="value")
        self.show()

    def fill(self, chosen: str | None = None) -> None:
        lang = self.page.lang
        records = self.page.store.list(self.model)
        options = [(i18n.t(f"coord.new_{self.kind}", lang), NEW)] + \
            [(_label(rec, lang), rec.id) for rec in records]
        self._guard = True
        try:
            self.choice.options = options
            self.choice.value = chosen if chosen in {v for _, v in options} else NEW
        finally:
            self._guard = False
        self._previous = self.choice.value

    def _switch(self, change: dict) -> None:
        if self._guard:
            return
        if self.form is not None and self.form.dirty:
            self._guard = True
            try:
                self.choice.value = self._previous
            finally:
                self._guard = False
            _say(self.warning, "warning", i18n.t("ws.unsaved_switch", self.page.lang))
            return
        self._previous = self.choice.value
        self.show()

    def dirty_form(self) -> bool:
        return self.form is not None and self.form.dirty

    def fields(self) -> list[Field]:
        if self.model is m.Enterprise:
            return enterprise_fields(self.page.store)
        return accompanier_fields()

    def show(self) -> None:
        """The chosen record's form (an empty one for a new record)."""
        lang = self.page.lang
        _say(self.warning, "", "")
        _say(self.status, "", "")
        self.confirm.layout.display = "none"
        self.asked_archive = None
        chosen = self.choice.value
        if chosen == NEW or chosen is None:
            base: dict[str, Any] = {"language": lang if lang in i18n.available_languages()
                                    else "fr"}
            if self.model is m.Enterprise:
                base.update(pole=voc.POLES.codes[0], region=voc.REGIONS.codes[0])
            revision = None
        else:
            record, revision = self.page.store.get(self.model, chosen)
            base = record.model_dump()
        self.form = RecordForm(self.page.store, self.model, self.fields(), lang, base, revision,
                               name=f"coord-{self.kind}", on_saved=self._saved,
                               check=self._check_new_id if revision is None else None)
        self.form.inputs["id"].disabled = revision is not None
        archived = bool(base.get("archived"))
        self.archive.layout.display = "none" if revision is None or archived else ""
        self.restore.layout.display = "" if archived else "none"
        self.form_box.children = [self.form.box]

    def _check_new_id(self, conn: sa.Connection, record: Any) -> dict[str, str]:
        """A new record's id must not be taken (checked as typed and when saving)."""
        if self.form is not None and self.form.revision is not None:
            return {}
        if conn.get_execution_options().get("vises_write"):
            return {}  # the saving transaction: a taken id fails the insert itself
        table = TABLES[self.model]
        taken = conn.execute(sa.select(sa.func.count()).select_from(table).where(
            table.c.id == record.id)).scalar()
        return {"id": i18n.t("coord.id_taken", self.page.lang)} if taken else {}

    def _saved(self, form: RecordForm) -> None:
        chosen = form.base["id"]
        self.fill(chosen)
        self.form.inputs["id"].disabled = True
        self.form.check = None
        self.archive.layout.display = "" if not form.base.get("archived") else "none"
        self.page.refresh(self)

    def _ask_archive(self) -> None:
        record = self.choice.value
        _say(self.status, "warning", i18n.t(f"coord.archive_ask_{self.kind}", self.page.lang,
                                            id=record))
        self.confirm.layout.display = ""
        self.asked_archive = record

    def confirm_archive(self) -> None:
        """*Yes, archive*: only the record the question was asked about. The button is
        hidden until then, but a widget message clicks a hidden button as any other."""
        asked, self.asked_archive = self.asked_archive, None
        if asked is None or asked != self.choice.value:
            self.confirm.layout.display = "none"
            return
        self.set_archived(True)

    def set_archived(self, archived: bool) -> None:
        """Archive (or restore) the chosen record at the revision loaded: a record changed
        meanwhile is a conflict (reload first); nothing is ever deleted."""
        lang = self.page.lang
        form = self.form
        self.confirm.layout.display = "none"
        if form is None or form.revision is None:
            return
        if form.dirty:
            _say(self.status, "warning", i18n.t("coord.save_first", lang))
            return
        data = {**form.base, "archived": archived,
                "archived_on": dt.date.today() if archived else None}
        record = self.model.model_validate(data)
        try:
            revision = self.page.store.save(record, form.revision)
        except Refused as refused:  # no longer a coordinator (logged), or the store busy
            _say(self.status, "conflict", refused.message(lang))
            return
        except (ConflictError, NotFoundError):
            _say(self.status, "conflict", i18n.t("form.conflict", lang))
            form.reload_button.layout.display = ""
            return
        form.load(record.model_dump(), revision)
        self.fill(record.id)
        self.archive.layout.display = "none" if archived else ""
        self.restore.layout.display = "" if archived else "none"
        _say(self.status, "archived" if archived else "saved",
             i18n.t("coord.archived_done" if archived else "coord.restored_done", lang,
                    id=record.id))
        self.page.refresh(self)


class GroupPanel:
    """A semi-collective group: name, period, accompanier and its 5–10 members, checked as
    typed (size, one group per enterprise and period) and saved with its members at once."""

    def __init__(self, page: Coordinator):
        self.page = page
        lang = page.lang
        style = {"description_width": "200px"}
        layout = widgets.Layout(width="480px")
        self.choice = widgets.Dropdown(description=i18n.t("coord.choose_group", lang),
                                       layout=widgets.Layout(width="520px"), style=style)
        self.choice.add_class("vises-coord-group")
        self.inputs: dict[str, widgets.ValueWidget] = {
            "id": widgets.Text(description=i18n.t("roster.col.id", lang), layout=layout,
                               style=style),
            "name": widgets.Text(description=i18n.t("roster.col.name", lang), layout=layout,
                                 style=style),
            "period": widgets.Text(description=i18n.t("roster.col.period", lang),
                                   layout=layout, style=style),
            "accompanier_id": widgets.Dropdown(description=i18n.t("roster.col.accompanier",
                                                                  lang),
                                               layout=layout, style=style),
            "members": widgets.SelectMultiple(description=i18n.t("roster.col.members", lang),
                                              layout=widgets.Layout(width="480px",
                                                                    height="160px"),
                                              style=style),
        }
        for name, widget in self.inputs.items():
            widget.add_class(f"vises-group-{name}")
        self.messages = message_widgets(self.inputs)
        self.save_button = widgets.Button(description=i18n.t("form.save", lang),
                                          button_style="primary")
        self.save_button.add_class("vises-group-save")
        self.save_button.on_click(lambda _b: self.save())
        self.status = widgets.HTML()
        self.status.add_class("vises-coord-status")
        self.revision: int | None = None
        self.stored_id: str | None = None  # the stored group the form edits
        self._loading = False
        rows = [field_row(w, self.messages[n]) for n, w in self.inputs.items()]
        self.box = widgets.VBox([self.choice, *rows, self.save_button, self.status])
        self.box.add_class("vises-panel-group")
        self.fill()
        self.choice.observe(lambda _c: self.show(), names="value")
        for widget in self.inputs.values():
            widget.observe(self._changed, names="value")
        self.show()

    def fill(self, chosen: str | None = None) -> None:
        lang, store = self.page.lang, self.page.store
        groups = store.list(m.Group)
        self._loading = True
        try:
            options = [(i18n.t("coord.new_group", lang), NEW)] + \
                [(f"{g.id} — {g.name} ({g.period})", g.id) for g in groups]
            self.choice.options = options
            self.choice.value = chosen if chosen in {v for _, v in options} else NEW
            self.inputs["accompanier_id"].options = [("—", None)] + [
                (t.label(lang), t.code) for t in accompanier_terms(store)]
            self.inputs["members"].options = [
                (f"{e.id} — {e.name}", e.id) for e in store.list(m.Enterprise)
                if not e.archived]
        finally:
            self._loading = False

    def show(self) -> None:
        if self._loading:
            return
        chosen = self.choice.value
        store = self.page.store
        self._loading = True
        try:
            if chosen in (NEW, None):
                self.revision, self.stored_id = None, None
                values: dict[str, Any] = {"id": "", "name": "", "period": "",
                                          "accompanier_id": None, "members": ()}
            else:
                group, self.revision = store.get(m.Group, chosen)
                self.stored_id = group.id
                members = tuple(gm.enterprise_id for gm in store.list(m.GroupMember,
                                                                      group_id=group.id))
                known = {v for _, v in self.inputs["members"].options}
                values = {**group.model_dump(), "members": tuple(e for e in members
                                                                 if e in known)}
            for name, widget in self.inputs.items():
                widget.value = values.get(name)
            self.inputs["id"].disabled = self.revision is not None
        finally:
            self._loading = False
        self.baseline = self.values()
        for message in self.messages.values():
            message.value = ""
        _say(self.status, "", "")
        mark_unsaved(self.box, False)

    def values(self) -> dict[str, Any]:
        """As typed, but a stored group's id as loaded: its field is disabled, yet a
        widget message sets it as any other (saving under another group's id would write
        over that group and its members)."""
        typed = {name: (list(w.value) if name == "members" else w.value)
                 for name, w in self.inputs.items()}
        if self.revision is not None:
            typed["id"] = self.stored_id
        return typed

    @property
    def dirty(self) -> bool:
        return self.values() != self.baseline

    def errors(self, conn: sa.Connection | None = None) -> dict[str, str]:
        lang = self.page.lang
        values = self.values()
        group = {k: v for k, v in values.items() if k != "members"}
        found = field_errors(m.Group, group, lang)
        members = values["members"]
        if not GROUP_MIN <= len(members) <= GROUP_MAX:
            found["members"] = i18n.t("coord.group_size", lang, count=len(members),
                                      low=GROUP_MIN, high=GROUP_MAX)
        elif values["period"] and "period" not in found:
            table = TABLES[m.GroupMember]
            query = sa.select(table.c.enterprise_id, table.c.group_id).where(
                table.c.period == values["period"], table.c.enterprise_id.in_(members),
                table.c.group_id != values["id"])
            if conn is None:
                with self.page.store.engine.connect() as reading:
                    taken = reading.execute(query).all()
            else:
                taken = conn.execute(query).all()
            if taken:
                found["members"] = i18n.t("coord.two_groups", lang, period=values["period"],
                                          which=", ".join(f"{e} ({g})" for e, g in taken))
        if self.revision is None and "id" not in found and values["id"]:
            table = TABLES[m.Group]
            with self.page.store.engine.connect() as reading:
                if reading.execute(sa.select(table.c.id).where(
                        table.c.id == values["id"])).first():
                    found["id"] = i18n.t("coord.id_taken", lang)
        return found

    def _changed(self, _change: object) -> None:
        if self._loading:
            return
        show_messages(self.messages, self.errors())
        dirty = self.dirty
        _say(self.status, "dirty", i18n.t("form.unsaved", self.page.lang) if dirty else "")
        mark_unsaved(self.box, dirty)

    def save(self) -> bool:
        lang = self.page.lang
        errors = self.errors()
        show_messages(self.messages, errors)
        if errors:
            _say(self.status, "invalid", i18n.t("form.invalid", lang, count=len(errors)))
            return False
        values = self.values()
        group = m.Group.model_validate({k: v for k, v in values.items() if k != "members"})
        try:
            with self.page.store.transaction() as writer:
                if self.revision is not None:  # the period may change: its rows go with it
                    table = TABLES[m.GroupMember]
                    writer.conn.execute(table.update().where(table.c.group_id == group.id)
                                        .values(period=group.period))
                revision = writer.save(group, self.revision)
                enrolment.set_members(writer, {group.id: values["members"]},
                                      {group.id: group.period})
        except Refused as refused:  # no longer a coordinator (logged), or the store busy
            _say(self.status, "conflict", refused.message(lang))
            return False
        except (ConflictError, NotFoundError, sa.exc.IntegrityError):
            # someone saved this group, or put one of these enterprises in another group
            # of the period, since the page was read: nothing is overwritten
            _say(self.status, "conflict", i18n.t("form.conflict", lang))
            return False
        self.revision = revision
        self.fill(group.id)
        self.show()
        _say(self.status, "saved", i18n.t("form.saved", lang))
        return True


class Coordinator:
    """The whole page; `box` is what the notebook shows."""

    def __init__(self, store_url: str = "", lang: str = "fr"):
        # with accounts, through the access layer: each write re-reads the coordinator
        self.store = access.open_store(normalise_url(store_url))
        self.lang = lang
        self.intro = widgets.HTML()
        self.intro.add_class("vises-coord-intro")
        self.accompaniers = RecordPanel(self, m.Accompanier, "accompanier")
        self.enterprises = RecordPanel(self, m.Enterprise, "enterprise")
        self.groups = GroupPanel(self)
        self._intro()
        heading = "<h2>{}</h2>".format
        self.box = widgets.VBox([
            header("coordinator", lang), self.intro,
            widgets.HTML(heading(html.escape(i18n.t("coord.accompaniers", lang)))),
            self.accompaniers.box,
            widgets.HTML(heading(html.escape(i18n.t("coord.enterprises", lang)))),
            self.enterprises.box,
            widgets.HTML(heading(html.escape(i18n.t("coord.groups", lang)))),
            self.groups.box])
        self.people = None
        if isinstance(self.store, access.GuardedStore):  # accounts exist only then
            self.people = PeoplePanel(self.store, lang)
            self.box.children = [*self.box.children, widgets.HTML(heading(html.escape(
                i18n.t("people.title", lang)))), self.people.box]
        self.box.add_class("vises-coordinator")

    def _intro(self) -> None:
        self.intro.value = first_step_html(self.lang) if is_empty(self.store) else ""

    def refresh(self, source: object) -> None:
        """After a save: other panels' choices (accompaniers, enterprises) follow."""
        self._intro()
        if source is self.accompaniers and not self.enterprises.dirty_form():
            self.enterprises.show()
        if not self.groups.dirty:
            self.groups.fill(self.groups.choice.value)
            self.groups.show()


def coordinator(store_url: str = "", lang: str = "fr") -> None:
    """Show the coordinator page (what the dashboard notebook calls); with accounts, for a
    coordinator only (the server refuses the page to others too)."""
    gate.show_page(store_url, lang, "coordinator", access.GuardedStore.require_coordinator,
                   lambda url, language: Coordinator(url, language).box)

"""The groups page: a semi-collective group's sessions and progress, for its accompaniers.

Pick a group (an accompanier: the groups they lead or that hold an enterprise they follow;
a coordinator: all; members and researchers are refused, by the server and here), record a
session (date, topic, who attended, notes), list the past ones and edit one, and see the
group's progress on one page (`vises_nb.analysis.group_progress`).

Same care as the workspace forms: each field is checked as it is typed with its message
beside it (tied to the input for screen readers by the page's script: `.vises-row`),
nothing is saved until *Save*, a session someone changed meanwhile is refused with an
offer to reload, and switching group or session is refused while the form holds unsaved
changes. Every read and write goes through `access.open_store` (the access layer when
people sign in). No ipywidgets.Output (see vises_nb/dashboards/preheat.py's notes).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import ipywidgets as widgets

from vises_nb import i18n
from vises_nb.analysis import group_progress as gp
from vises_nb.dashboards import access, gate
from vises_nb.dashboards.confirm_delete import ConfirmedDelete
from vises_nb.dashboards.field_messages import (
    field_row,
    message_widgets,
    show_messages,
    status_html,
)
from vises_nb.dashboards.first_step import first_step_html, is_empty
from vises_nb.dashboards.header import header_html
from vises_nb.dashboards.workspace.form import mark_unsaved
from vises_nb.errors import (
    AccessError,
    ConflictError,
    NotFoundError,
    Refused,
    ValidationError,
)
from vises_nb.publishing import display as show
from vises_nb.store import model as m
from vises_nb.store import sessions as ss
from vises_nb.store.store import Store, normalise_url

NEW = "__new__"
TOPIC_MAX = 200
NOTES_MAX = 5_000
ATTENDEE_MAX = 200
STYLE = {"description_width": "200px"}
_DAY = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")


def parse_day(text: str) -> dt.date | None:
    """A date as people type it: 2026-03-14, 14/03/2026 or 14.03.2026 (None if not one)."""
    text = (text or "").strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    found = _DAY.match(text)
    if found:
        day, month, year = (int(g) for g in found.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    return None


def check_session(values: dict[str, Any], lang: str,
                  today: dt.date | None = None) -> dict[str, str]:
    """Field name → message for what is wrong in a session as typed (empty: fine)."""
    found: dict[str, str] = {}
    text = (values.get("date") or "").strip()
    day = parse_day(text)
    latest = (today or dt.date.today()) + dt.timedelta(days=m.SESSION_DAYS_AHEAD)
    if not text:
        found["date"] = i18n.t("form.error.required", lang)
    elif day is None:
        found["date"] = i18n.t("groups.error.date", lang)
    elif not m.FIRST_SESSION_DAY <= day <= latest:
        found["date"] = i18n.t("groups.error.date_range", lang,
                               first=m.FIRST_SESSION_DAY.isoformat(), last=latest.isoformat())
    topic = (values.get("topic") or "").strip()
    if not topic:
        found["topic"] = i18n.t("form.error.required", lang)
    elif len(topic) > TOPIC_MAX:
        found["topic"] = i18n.t("form.error.too_long", lang, limit=TOPIC_MAX)
    if len((values.get("notes") or "").strip()) > NOTES_MAX:
        found["notes"] = i18n.t("form.error.too_long", lang, limit=NOTES_MAX)
    long = [e for e, (_s, who) in (values.get("attendance") or {}).items()
            if len((who or "").strip()) > ATTENDEE_MAX]
    if long:
        found["attendance"] = i18n.t("groups.error.attendee", lang, limit=ATTENDEE_MAX,
                                     which=", ".join(long))
    return found


def _say(widget: widgets.HTML, kind: str, text: str) -> None:
    widget.value = status_html(kind, text)


class AttendanceRow:
    """One member: a 'present' checkbox (labelled with the enterprise), 'excused' when not
    present, and who came for it (optional)."""

    def __init__(self, member: ss.Member, lang: str):
        self.member = member
        self.present = widgets.Checkbox(description=f"{member.enterprise_id} — {member.name}",
                                        indent=False, layout=widgets.Layout(width="320px"))
        self.present.add_class("vises-present")
        self.excused = widgets.Checkbox(description=i18n.t("groups.excused", lang),
                                        indent=False, layout=widgets.Layout(width="140px"))
        self.excused.add_class("vises-excused")
        self.attendee = widgets.Text(placeholder=i18n.t("groups.attendee_hint", lang),
                                     layout=widgets.Layout(width="260px"))
        self.attendee.add_class("vises-attendee")
        self.box = widgets.HBox([self.present, self.excused, self.attendee],
                                layout=widgets.Layout(flex_flow="row wrap",
                                                      align_items="center"))
        self.box.add_class(f"vises-attendance-{member.enterprise_id}")
        self.present.observe(lambda _c: self._shown(), names="value")

    def _shown(self) -> None:
        self.excused.disabled = self.present.value
        if self.present.value:
            self.excused.value = False

    @property
    def status(self) -> str:
        if self.present.value:
            return "present"
        return "excused" if self.excused.value else "absent"

    def set(self, row: m.SessionAttendance | None) -> None:
        self.present.value = row is not None and row.status == "present"
        self.excused.value = row is not None and row.status == "excused"
        self.attendee.value = row.attendee if row is not None else ""
        self._shown()


class SessionForm:
    """Record a new session or edit a stored one: date, topic, attendance, notes."""

    def __init__(self, page: GroupsPage, members: list[ss.Member]):
        self.page, self.lang = page, page.lang
        lang = self.lang
        layout = widgets.Layout(width="480px")
        self.inputs: dict[str, widgets.Widget] = {
            "date": widgets.Text(description=i18n.t("groups.field.date", lang),
                                 placeholder="2026-03-14", layout=layout, style=STYLE),
            "topic": widgets.Text(description=i18n.t("groups.field.topic", lang),
                                  layout=layout, style=STYLE),
            "notes": widgets.Textarea(description=i18n.t("groups.field.notes", lang),
                                      layout=widgets.Layout(width="480px", height="110px"),
                                      style=STYLE),
        }
        for name, widget in self.inputs.items():
            widget.add_class(f"vises-field-{name}")
        self.messages = message_widgets((*self.inputs, "attendance"))
        self.rows = [AttendanceRow(member, lang) for member in members if not member.archived]
        helps = {"date": "groups.help.date", "notes": "groups.help.notes"}
        parts = []
        for name in ("date", "topic"):
            parts.append(self._row(name, helps.get(name)))
        legend = widgets.HTML(f"<span class='vises-attendance-label'>"
                              f"{html.escape(i18n.t('groups.field.attendance', lang))}</span>"
                              f"<span class='vises-help-text'>"
                              f"{html.escape(i18n.t('groups.help.attendance', lang))}</span>")
        attendance = widgets.VBox([legend, *(r.box for r in self.rows),
                                   self.messages["attendance"]])
        attendance.add_class("vises-attendance")
        attendance.add_class("vises-row")
        parts.append(attendance)
        parts.append(self._row("notes", helps["notes"]))
        self.save_button = widgets.Button(description=i18n.t("form.save", lang),
                                          button_style="primary")
        self.save_button.add_class("vises-session-save")
        self.save_button.on_click(lambda _b: self.save())
        self.reload_button = widgets.Button(description=i18n.t("form.reload", lang),
                                            layout=widgets.Layout(display="none"))
        self.reload_button.add_class("vises-reload")
        self.reload_button.on_click(lambda _b: self.reload())
        self.status = widgets.HTML()
        self.status.add_class("vises-session-status")
        self.deleting = ConfirmedDelete(lang, "session", self.delete, "groups.delete")
        self.deleting.question = lambda: i18n.t(
            "groups.delete_ask", self.lang, date=self.baseline.get("date", ""),
            topic=self.baseline.get("topic", ""))
        self.box = widgets.VBox([*parts, widgets.HBox([self.save_button, self.reload_button]),
                                 self.status, self.deleting.box])
        self.box.add_class("vises-session-form")
        self.session_id: str | None = None
        self.revision: int | None = None
        self.baseline: dict[str, Any] = {}
        self._loading = False
        self.load(None)
        for widget in self.inputs.values():
            widget.observe(self._changed, names="value")
        for row in self.rows:
            for widget in (row.present, row.excused, row.attendee):
                widget.observe(self._changed, names="value")

    def _row(self, name: str, help_key: str | None) -> widgets.Widget:
        return field_row(self.inputs[name], self.messages[name],
                         i18n.t(help_key, self.lang) if help_key else None)

    # ------------------------------------------------------------- state
    def load(self, session: ss.Session | None) -> None:
        self._loading = True
        try:
            if session is None:
                self.session_id, self.revision = None, None
                self.inputs["date"].value = dt.date.today().isoformat()
                self.inputs["topic"].value = ""
                self.inputs["notes"].value = ""
                for row in self.rows:
                    row.set(None)
            else:
                record = session.session
                self.session_id, self.revision = record.id, session.revision
                self.inputs["date"].value = record.date.isoformat()
                self.inputs["topic"].value = record.topic
                self.inputs["notes"].value = record.notes
                for row in self.rows:
                    row.set(session.attendance.get(row.member.enterprise_id))
        finally:
            self._loading = False
        self.baseline = self.values()
        self.show_errors({})
        self.reload_button.layout.display = "none"
        self.deleting.offer(self.session_id is not None)
        mark_unsaved(self.box, False)

    def values(self) -> dict[str, Any]:
        return {"date": self.inputs["date"].value, "topic": self.inputs["topic"].value,
                "notes": self.inputs["notes"].value,
                "attendance": {r.member.enterprise_id: (r.status, r.attendee.value)
                               for r in self.rows}}

    @property
    def dirty(self) -> bool:
        return self.values() != self.baseline

    def show_errors(self, errors: dict[str, str]) -> None:
        show_messages(self.messages, errors)

    def _changed(self, _change: object) -> None:
        if self._loading:
            return
        self.show_errors(check_session(self.values(), self.lang))
        dirty = self.dirty
        _say(self.status, "dirty", i18n.t("form.unsaved", self.lang) if dirty else "")
        mark_unsaved(self.box, dirty)

    # ------------------------------------------------------------- actions
    def save(self) -> bool:
        lang, page = self.lang, self.page
        values = self.values()
        errors = check_session(values, lang)
        self.show_errors(errors)
        if errors:
            _say(self.status, "invalid", i18n.t("form.invalid", lang, count=len(errors)))
            return False
        day = parse_day(values["date"])
        assert day is not None
        group_id = page.group_id
        session_id = self.session_id or ss.new_session_id(group_id, day)
        try:
            session = m.GroupSession(id=session_id, group_id=group_id, date=day,
                                     topic=values["topic"], notes=values["notes"])
            attendance = [m.SessionAttendance(session_id=session_id, enterprise_id=e,
                                              status=status, attendee=who)
                          for e, (status, who) in values["attendance"].items()]
            revision = ss.save_session(page.store, session, attendance, self.revision,
                                       page.who)
        except (Refused, ConflictError, NotFoundError) as error:
            self.refused(error)
            return False
        except ValidationError as refused:
            _say(self.status, "invalid", refused.message(lang))
            return False
        self.session_id, self.revision = session_id, revision
        self.baseline = self.values()
        self.reload_button.layout.display = "none"
        mark_unsaved(self.box, False)
        page.refresh(chosen=session_id)
        _say(self.status, "saved", i18n.t("form.saved", lang))
        return True

    def refused(self, error: Refused | ConflictError | NotFoundError) -> None:
        """Say why a write was refused: the access layer's refusal (logged there) or a
        store another program holds, or a session someone changed or removed meanwhile,
        with the offer to reload."""
        if isinstance(error, Refused):
            _say(self.status, "conflict", error.message(self.lang))
            return
        _say(self.status, "conflict", i18n.t("form.conflict", self.lang))
        self.reload_button.layout.display = ""

    def delete(self) -> bool:
        """Remove the stored session and its attendance (confirmed first, see
        `ConfirmedDelete`), at the revision loaded: one changed meanwhile is refused."""
        lang, page = self.lang, self.page
        if self.session_id is None or self.revision is None:
            return False
        try:
            ss.delete_session(page.store, self.session_id, self.revision)
        except (Refused, ConflictError, NotFoundError) as error:
            self.refused(error)
            return False
        self.load(None)
        page.refresh(chosen=NEW)
        _say(self.status, "deleted", i18n.t("form.deleted", lang))
        return True

    def reload(self) -> None:
        stored = {s.session.id: s for s in ss.sessions(self.page.store, self.page.group_id)}
        if self.session_id not in stored:
            _say(self.status, "conflict", i18n.t("form.gone", self.lang))
            return
        self.load(stored[self.session_id])
        self.page.refresh(chosen=self.session_id, keep_form=True)
        _say(self.status, "reloaded", i18n.t("form.reloaded", self.lang))


class GroupsPage:
    """The whole page; `box` is what the notebook shows."""

    def __init__(self, store_url: str = "", lang: str = "fr"):
        self.store: Store = access.open_store(normalise_url(store_url))
        self.lang = lang
        guarded = isinstance(self.store, access.GuardedStore)
        # who recorded a session: the signed-in person (without accounts nobody is named)
        self.who = (self.store.username or "") if guarded else ""
        self.visible: set[str] | None = None
        self.intro = widgets.HTML()
        self.intro.add_class("vises-groups-intro")
        self.choice = widgets.Dropdown(description=i18n.t("groups.choose", lang),
                                       layout=widgets.Layout(width="auto"),
                                       style={"description_width": "initial"})
        self.choice.add_class("vises-group-choice")
        self.session_choice = widgets.Dropdown(description=i18n.t("groups.choose_session", lang),
                                               layout=widgets.Layout(width="auto"),
                                               style={"description_width": "initial"})
        self.session_choice.add_class("vises-session-choice")
        self.warning = widgets.HTML()
        self.warning.add_class("vises-groups-warning")
        self.discard = widgets.Button(description=i18n.t("groups.discard", lang),
                                      layout=widgets.Layout(display="none"))
        self.discard.add_class("vises-discard")
        self.discard.on_click(lambda _b: self.discard_changes())
        self.group_info = widgets.HTML()
        self.group_info.add_class("vises-group-info")
        self.sessions_html = widgets.HTML()
        self.sessions_html.add_class("vises-sessions")
        self.progress_html = widgets.HTML()
        self.progress_html.add_class("vises-progress")
        self.form_box = widgets.VBox()
        self.form: SessionForm | None = None
        self.group_id: str = ""
        self._guard = False
        self._previous: dict[str, Any] = {"group": None, "session": NEW}
        heading = lambda key: widgets.HTML(
            f"<h2>{html.escape(i18n.t(key, lang))}</h2>")
        self.body = widgets.VBox([
            self.group_info, heading("groups.progress"), self.progress_html,
            heading("groups.sessions"), self.sessions_html,
            heading("groups.record"), self.session_choice, self.form_box])
        self.box = widgets.VBox([widgets.HTML(header_html("groups", lang)), self.intro,
                                 self.choice, widgets.HBox([self.warning, self.discard]),
                                 self.body])
        self.box.add_class("vises-groups")
        try:
            if guarded:
                self.visible = self.store.guarded(self.store.visible)
            groups = self.store.list(m.Group)
        except AccessError as refused:  # a disabled account: refused and logged
            self.intro.value = gate.refused_html(refused, lang)
            self.body.layout.display = "none"
            return
        if not groups:
            self.intro.value = (first_step_html(lang) if is_empty(self.store) else
                                f"<p class='vises-no-group'>"
                                f"{html.escape(i18n.t('groups.none', lang))}</p>")
            self.body.layout.display = "none"
            return
        self._guard = True
        self.choice.options = [(f"{g.name} ({g.period})", g.id) for g in groups]
        self.choice.value = groups[0].id
        self._guard = False
        self.choice.observe(lambda c: self._switch("group", c), names="value")
        self.session_choice.observe(lambda c: self._switch("session", c), names="value")
        self.show_group()

    # ------------------------------------------------------------- switching
    def _switch(self, what: str, change: dict) -> None:
        if self._guard:
            return
        if self.form is not None and self.form.dirty:
            widget = self.choice if what == "group" else self.session_choice
            self._guard = True
            try:
                widget.value = change["old"]
            finally:
                self._guard = False
            _say(self.warning, "warning", i18n.t("groups.unsaved_switch", self.lang))
            self.discard.layout.display = ""
            return
        _say(self.warning, "", "")
        self.discard.layout.display = "none"
        if what == "group":
            self.show_group()
        else:
            self.show_session()

    def discard_changes(self) -> None:
        """Put the session form back as stored (or empty for a new one)."""
        if self.form is not None:
            self.show_session()
        _say(self.warning, "", "")
        self.discard.layout.display = "none"

    def show_group(self) -> None:
        """The chosen group: its progress, its sessions and an empty session form."""
        self.group_id = self.choice.value
        try:
            group = ss.group(self.store, self.group_id)[0]
            self.members = ss.members(self.store, self.group_id)
        except AccessError as refused:  # logged by the access layer
            self.group_info.value = gate.refused_html(refused, self.lang)
            self.form_box.children = []
            return
        accompanier = ""
        if group.accompanier_id:
            found = [a for a in self.store.list(m.Accompanier) if a.id == group.accompanier_id]
            accompanier = found[0].name if found else group.accompanier_id
        self.group_info.value = (
            f"<p>{html.escape(i18n.t('groups.info', self.lang, name=group.name, period=group.period, count=len(self.members), accompanier=accompanier or '—'))}</p>")
        self.form = SessionForm(self, self.members)
        self.form_box.children = [self.form.box]
        self.refresh(chosen=NEW)

    def show_session(self) -> None:
        chosen = self.session_choice.value
        if self.form is None:
            return
        stored = self._sessions.get(chosen) if chosen != NEW else None
        self.form.load(stored)
        _say(self.form.status, "", "")

    def refresh(self, chosen: str | None = None, keep_form: bool = False) -> None:
        """Read the group's sessions and progress again (after a save)."""
        lang = self.lang
        found = ss.sessions(self.store, self.group_id)
        self._sessions = {s.session.id: s for s in found}
        self._guard = True
        try:
            self.session_choice.options = [(i18n.t("groups.new_session", lang), NEW)] + [
                (f"{s.session.date.isoformat()} — {s.session.topic}", s.session.id)
                for s in found]
            self.session_choice.value = chosen if chosen in self._sessions else NEW
        finally:
            self._guard = False
        self.sessions_html.value = self.sessions_table(found)
        rows = gp.group_progress(self.store, self.group_id, lang, self.visible)
        self.progress_html.value = show.table(gp.progress_table(rows, lang), lang).data

    def sessions_table(self, found: list[ss.Session]) -> str:
        lang = self.lang
        if not found:
            return f"<p class='empty'>{html.escape(i18n.t('groups.no_sessions', lang))}</p>"
        import pandas as pd

        frame = pd.DataFrame({
            i18n.t("groups.field.date", lang): [s.session.date.isoformat() for s in found],
            i18n.t("groups.field.topic", lang): [s.session.topic for s in found],
            i18n.t("groups.field.attendance", lang):
                [gp.session_summary(s, self.members, lang) for s in found],
            i18n.t("groups.field.notes", lang): [s.session.notes or "—" for s in found],
            i18n.t("groups.col.recorded", lang):
                [i18n.t("groups.by", lang, who=s.session.recorded_by or "—",
                        last=s.session.changed_by or "—") for s in found],
        })
        return show.table(frame, lang).data


def groups(store_url: str = "", lang: str = "fr") -> None:
    """Show the groups page (what the dashboard notebook calls); with accounts, for
    coordinators and accompaniers only (the server refuses it to the others too)."""
    gate.show_page(store_url, lang, "groups", access.GuardedStore.require_groups_page,
                   lambda url, language: GroupsPage(url, language).box)

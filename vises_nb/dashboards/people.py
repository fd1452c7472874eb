"""People's accounts on the coordinator's page (`vises serve --accounts`): list them, add
one, disable or enable one, reset a password.

Every action goes through the access layer (`GuardedStore.require_coordinator`, which
re-reads the person from the store at each click: a coordinator only, refusals logged) and
is written to the security log with the coordinator's name. A crafted widget message from
anyone else's page reaches the same check.

The initial password is made by the page, not typed by the coordinator: a random
one-time password (`accounts.one_time_password`, ~92 bits) shown once, that the person
must replace at their first sign-in. So the coordinator never chooses (or reuses) a weak
password, never knows the password finally used, the browser's password manager is not
tempted to fill in the coordinator's own password in a field of the page, and a password
sent by mail or read out stops working once used. A reset does the same.

No ipywidgets.Output (see vises_nb.dashboards.coordinator).
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from vises_nb import i18n
from vises_nb.dashboards.access import GuardedStore
from vises_nb.dashboards.field_messages import (
    field_row,
    message_widgets,
    show_messages,
    status_html,
)
from vises_nb.errors import AccessError, NotFoundError, Refused, ValidationError, VisesError
from vises_nb.store import accounts
from vises_nb.store import model as m
from vises_nb.store.accounts import Person

NONE = "__none__"


# ---------------------------------------------------------------- the guarded actions
def people(guard: GuardedStore) -> list[Person]:
    guard.require_coordinator("read", "people")
    return accounts.list_people(guard)


def enrol(guard: GuardedStore, username: str, role: str, accompanier_id: str | None = None,
          enterprise_id: str | None = None) -> str:
    """Add an account; its one-time password (to be shown once)."""
    me = guard.require_coordinator("enrol", username or "?")
    password = accounts.one_time_password()
    accounts.add_person(guard, username, role, password, accompanier_id=accompanier_id,
                        enterprise_id=enterprise_id, by=me.username, one_time=True)
    return password


def set_active(guard: GuardedStore, username: str, active: bool) -> None:
    me = guard.require_coordinator("enable" if active else "disable", username or "?")
    if not active and username == me.username:  # never lock the last door from inside
        raise ValidationError("err.users.not_yourself")
    (accounts.enable if active else accounts.disable)(guard, username, by=me.username)


def reset_password(guard: GuardedStore, username: str) -> str:
    """A new one-time password for this account (to be shown once)."""
    me = guard.require_coordinator("reset password", username or "?")
    password = accounts.one_time_password()
    accounts.set_password(guard, username, password, by=me.username, one_time=True)
    return password


# ---------------------------------------------------------------- the panel
def _text(kind: str, text: str) -> str:
    return status_html(kind, text, "vises-people")


class PeoplePanel:
    """The accounts section of the coordinator page; `box` is what it shows."""

    def __init__(self, guard: GuardedStore, lang: str):
        self.guard, self.lang = guard, lang
        t = lambda key, **v: i18n.t(key, lang, **v)
        style, layout = {"description_width": "200px"}, widgets.Layout(width="480px")
        self.table = widgets.HTML()
        self.table.add_class("vises-people-list")
        # adding someone
        self.inputs: dict[str, widgets.ValueWidget] = {
            "username": widgets.Text(description=t("people.username"), layout=layout,
                                     style=style),
            "role": widgets.Dropdown(description=t("people.role"), layout=layout, style=style,
                                     options=[(t(f"people.role.{r}"), r)
                                              for r in accounts.ROLES]),
            "accompanier_id": widgets.Dropdown(description=t("roster.col.accompanier"),
                                               layout=layout, style=style),
            "enterprise_id": widgets.Dropdown(description=t("enterprise"), layout=layout,
                                              style=style),
        }
        self.messages = message_widgets(self.inputs)
        self.rows = {}
        for name, widget in self.inputs.items():
            widget.add_class(f"vises-people-{name}")
            self.rows[name] = field_row(widget, self.messages[name])
        self.inputs["role"].value = "accompanier"
        self.add_button = widgets.Button(description=t("people.add"), button_style="primary")
        self.add_button.add_class("vises-people-add")
        self.add_button.on_click(lambda _b: self.add())
        # one account: disable, enable, reset
        self.chosen = widgets.Dropdown(description=t("people.account"), layout=layout,
                                       style=style)
        self.chosen.add_class("vises-people-chosen")
        self.disable_button = widgets.Button(description=t("people.disable"),
                                             button_style="warning")
        self.disable_button.add_class("vises-people-disable")
        self.enable_button = widgets.Button(description=t("people.enable"))
        self.enable_button.add_class("vises-people-enable")
        self.reset_button = widgets.Button(description=t("people.reset"))
        self.reset_button.add_class("vises-people-reset")
        self.disable_button.on_click(lambda _b: self.activate(False))
        self.enable_button.on_click(lambda _b: self.activate(True))
        self.reset_button.on_click(lambda _b: self.reset())
        self.status = widgets.HTML()
        self.status.add_class("vises-people-status")
        self.secret = widgets.HTML()  # a one-time password, shown once
        self.secret.add_class("vises-people-secret")
        self.box = widgets.VBox([
            self.table,
            widgets.HTML(f"<h4>{html.escape(t('people.new'))}</h4>"),
            *self.rows.values(), self.add_button,
            widgets.HTML(f"<h4>{html.escape(t('people.change'))}</h4>"),
            self.chosen, widgets.HBox([self.disable_button, self.enable_button,
                                       self.reset_button]),
            self.status, self.secret])
        self.box.add_class("vises-panel-people")
        self.fill()
        for name in ("username", "role", "accompanier_id", "enterprise_id"):
            self.inputs[name].observe(lambda _c: self.check(), names="value")
        self._show_links()

    # ------------------------------------------------------------ state
    def fill(self, chosen: str | None = None) -> None:
        """The accounts as stored now, and the records an account may be linked to."""
        lang = self.lang
        try:
            found = people(self.guard)
        except AccessError as refused:
            self.box.children = [widgets.HTML(_text("refused", refused.message(lang)))]
            return
        rows = "".join(
            f"<tr><td>{html.escape(p.username)}</td>"
            f"<td>{html.escape(i18n.t(f'people.role.{p.role}', lang))}</td>"
            f"<td>{html.escape(p.accompanier_id or p.enterprise_id or '')}</td>"
            f"<td>{html.escape(i18n.t('people.active' if p.active else 'people.disabled', lang))}"
            f"{' · ' + html.escape(i18n.t('people.one_time', lang)) if p.must_change_password else ''}"
            f"</td></tr>" for p in found)
        heads = "".join(f"<th>{html.escape(i18n.t(k, lang))}</th>" for k in
                        ("people.username", "people.role", "people.link", "people.state"))
        self.table.value = (f"<table class='vises-people'><thead><tr>{heads}</tr></thead>"
                            f"<tbody>{rows}</tbody></table>")
        self.chosen.options = [(f"{p.username} ({i18n.t(f'people.role.{p.role}', lang)})",
                                p.username) for p in found]
        if chosen in {p.username for p in found}:
            self.chosen.value = chosen
        self.inputs["accompanier_id"].options = [("—", NONE)] + [
            (f"{a.id} — {a.name}", a.id) for a in self.guard.list(m.Accompanier)
            if not a.archived]
        self.inputs["enterprise_id"].options = [("—", NONE)] + [
            (f"{e.id} — {e.name}", e.id) for e in self.guard.list(m.Enterprise)
            if not e.archived]

    def values(self) -> dict[str, Any]:
        role = self.inputs["role"].value
        link = {"accompanier": "accompanier_id", "member": "enterprise_id"}.get(role)
        chosen = self.inputs[link].value if link else NONE
        return {"username": self.inputs["username"].value.strip(), "role": role,
                "accompanier_id": chosen if link == "accompanier_id" and chosen != NONE
                else None,
                "enterprise_id": chosen if link == "enterprise_id" and chosen != NONE else None}

    def _show_links(self) -> None:
        role = self.inputs["role"].value
        self.rows["accompanier_id"].layout.display = "" if role == "accompanier" else "none"
        self.rows["enterprise_id"].layout.display = "" if role == "member" else "none"

    def errors(self) -> dict[str, str]:
        """Field → message, as typed (the same rules `accounts.add_person` applies)."""
        t = lambda key, **v: i18n.t(key, self.lang, **v)
        v = self.values()
        found: dict[str, str] = {}
        if not v["username"]:
            found["username"] = t("form.error.required")
        elif not accounts.USERNAME.match(v["username"]) or v["username"] == "vises-kernel":
            found["username"] = t("people.bad_name")
        elif accounts.get_person(self.guard, v["username"]) is not None:
            found["username"] = t("err.users.exists", name=v["username"])
        if v["role"] == "accompanier" and not v["accompanier_id"]:
            found["accompanier_id"] = t("err.users.needs_accompanier")
        if v["role"] == "member" and not v["enterprise_id"]:
            found["enterprise_id"] = t("err.users.needs_enterprise")
        return found

    def show_errors(self, errors: dict[str, str]) -> None:
        show_messages(self.messages, errors)

    def check(self) -> dict[str, str]:
        """As typed: every field's message (a name not typed yet is not an error yet)."""
        self._show_links()
        errors = self.errors()
        if not self.inputs["username"].value:
            errors.pop("username", None)
        self.show_errors(errors)
        return errors

    # ------------------------------------------------------------ actions
    def _refused(self, error: VisesError) -> None:
        self.secret.value = ""
        self.status.value = _text("refused" if isinstance(error, Refused) else "invalid",
                                  error.message(self.lang))

    def add(self) -> bool:
        errors = self.errors()
        self.show_errors(errors)
        if errors:
            self.status.value = _text("invalid", i18n.t("form.invalid", self.lang,
                                                        count=len(errors)))
            self.secret.value = ""
            return False
        v = self.values()
        try:
            password = enrol(self.guard, v["username"], v["role"], v["accompanier_id"],
                             v["enterprise_id"])
        except (Refused, ValidationError, NotFoundError) as error:
            self._refused(error)
            return False
        self.inputs["username"].value = ""
        self.show_errors({})
        self.fill(v["username"])
        self.status.value = _text("saved", i18n.t("people.added", self.lang,
                                                  name=v["username"]))
        self._show_secret(v["username"], password)
        return True

    def activate(self, active: bool) -> bool:
        name = self.chosen.value
        if not name:
            return False
        try:
            set_active(self.guard, name, active)
        except (Refused, ValidationError, NotFoundError) as error:
            self._refused(error)
            return False
        self.fill(name)
        self.secret.value = ""
        self.status.value = _text("saved", i18n.t(
            "people.enabled_done" if active else "people.disabled_done", self.lang, name=name))
        return True

    def reset(self) -> bool:
        name = self.chosen.value
        if not name:
            return False
        try:
            password = reset_password(self.guard, name)
        except (Refused, ValidationError, NotFoundError) as error:
            self._refused(error)
            return False
        self.fill(name)
        self.status.value = _text("saved", i18n.t("people.reset_done", self.lang, name=name))
        self._show_secret(name, password)
        return True

    def _show_secret(self, name: str, password: str) -> None:
        """The one-time password, once: the next action of the panel replaces it, and it
        is stored nowhere in clear."""
        self.secret.value = (
            f"<div role='alert' style='border:1px solid #1b7837;padding:6px'>"
            f"{html.escape(i18n.t('people.give_password', self.lang, name=name))} "
            f"<code class='vises-one-time-password' style='font-size:120%'>"
            f"{html.escape(password)}</code></div>")

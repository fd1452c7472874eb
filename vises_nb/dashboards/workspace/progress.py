"""Step status in the workspace: start, complete (refused with the reasons when the step's
check fails) and reopen each step, and the history of these changes (who, when, why).

Each button acts at the revision of the status on screen: if someone changed it meanwhile,
the change is refused and the panel shows the status as it is now.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets
import pydantic

from vises_nb import i18n
from vises_nb.analysis import next_actions, steps
from vises_nb.dashboards.workspace.form import _escape
from vises_nb.errors import ConflictError, NotFoundError, Refused
from vises_nb.method import vocabulary as voc
from vises_nb.publishing import display as show
from vises_nb.store import model as m
from vises_nb.store.loading import EnterpriseData, load_enterprise
from vises_nb.store.store import Store

REASON_MAX = next(meta.max_length for meta in m.StepEvent.model_fields["reason"].metadata
                  if hasattr(meta, "max_length"))


class StepRow:
    """One step: its status and dates, the buttons that apply to it, and its message."""

    def __init__(self, panel: StepPanel, step: str):
        self.panel, self.step, lang = panel, step, panel.lang
        self.state = widgets.HTML()
        self.state.add_class("vises-step-state")
        self.start = widgets.Button(description=i18n.t("steps.start", lang),
                                    layout=widgets.Layout(width="auto"))
        self.complete = widgets.Button(description=i18n.t("steps.complete", lang),
                                       button_style="success",
                                       layout=widgets.Layout(width="auto"))
        self.reopen = widgets.Button(description=i18n.t("steps.reopen", lang),
                                     layout=widgets.Layout(width="auto"))
        self.reason = widgets.Text(placeholder=i18n.t("steps.reopen_reason", lang),
                                   layout=widgets.Layout(width="320px"))
        self.reason.add_class("vises-step-reason")
        for name in ("start", "complete", "reopen"):
            getattr(self, name).add_class(f"vises-step-{name}")
        self.message = widgets.HTML()
        self.message.add_class("vises-step-message")
        self.start.on_click(lambda _b: self.act("start"))
        self.complete.on_click(lambda _b: self.act("complete"))
        self.reopen.on_click(lambda _b: self.act("reopen"))
        self.box = widgets.VBox([
            self.state, widgets.HBox([self.start, self.complete, self.reopen, self.reason]),
            self.message])
        self.box.add_class(f"vises-step-{step}")
        self.box.add_class("vises-step-row")
        self.revision: int | None = None

    def show(self) -> None:
        lang = self.panel.lang
        status, self.revision = steps.status_of(self.panel.store, self.panel.enterprise_id,
                                                self.step)
        dates = []
        if status.started_on:
            dates.append(f"{i18n.t('steps.started_on', lang)} {i18n.date(status.started_on, lang)}")
        if status.completed_on:
            dates.append(f"{i18n.t('steps.completed_on', lang)} "
                         f"{i18n.date(status.completed_on, lang)}")
        # each is a message of its own: the buttons that go are hidden before the status
        # changes and those that come are shown after it, so the page never offers
        # "complete" beside "done" (nor both "complete" and "reopen") meanwhile
        shown = {self.start: status.status == "not_started",
                 self.complete: status.status != "done",
                 self.reopen: status.status == "done", self.reason: status.status == "done"}
        for widget, wanted in shown.items():
            if not wanted:
                widget.layout.display = "none"
        self.state.value = (
            f"<b>{_escape(voc.STEPS.label(self.step, lang))}</b> — "
            f"<span class='vises-step-status' data-status='{status.status}'>"
            f"{_escape(voc.STEP_STATUSES.label(status.status, lang))}</span>"
            + (f" <span class='vises-step-dates'>({_escape(' · '.join(dates))})</span>"
               if dates else ""))
        for widget, wanted in shown.items():
            if wanted:
                widget.layout.display = ""

    def act(self, action: str) -> bool:
        """Apply a button; True when the status changed."""
        panel, lang = self.panel, self.panel.lang
        args = (panel.store, panel.enterprise_id, self.step, panel.by())
        try:
            if action == "start":
                steps.start(*args, revision=self.revision)
            elif action == "reopen":
                steps.reopen(*args, self.reason.value.strip(), revision=self.revision)
                self.reason.value = ""
            else:
                done, problems = steps.complete(*args, lang, revision=self.revision)
                if not done:
                    self.message.value = (
                        "<div class='vises-step-refused' role='alert' style='color:#b2182b'>"
                        f"{_escape(i18n.t('steps.refused', lang))}</div>"
                        + show.bullets(problems, "").data)
                    panel.refresh()
                    return False
        except (ConflictError, NotFoundError):
            self.message.value = (f"<span class='vises-step-conflict' style='color:#b2182b'>"
                                  f"{_escape(i18n.t('steps.conflict', lang))}</span>")
            panel.refresh()
            return False
        except pydantic.ValidationError:  # a reason longer than any text may be
            self.message.value = (f"<span class='vises-step-conflict' style='color:#b2182b'>"
                                  f"{_escape(i18n.t('form.error.too_long', lang, limit=REASON_MAX))}"
                                  f"</span>")
            return False
        except Refused as refused:  # not theirs, or the store busy: the reason stays typed
            self.message.value = (f"<span class='vises-step-conflict' style='color:#b2182b'>"
                                  f"{_escape(refused.message(lang))}</span>")
            panel.refresh()
            return False
        actions = {"start": "started", "complete": "completed", "reopen": "reopened"}
        self.message.value = (
            "<span class='vises-step-done' style='color:#1b7837'>"
            + _escape(i18n.t("steps.done_message", lang, step=voc.STEPS.label(self.step, lang),
                             action=i18n.t(f"steps.action.{actions[action]}", lang)))
            + "</span>")
        panel.refresh()
        return True


class StepPanel:
    """Every step's row and the history of changes."""

    def __init__(self, store: Store, enterprise_id: str, lang: str, by: Callable[[], str],
                 on_change: Callable[[], None] | None = None):
        self.store, self.enterprise_id, self.lang, self.by = store, enterprise_id, lang, by
        self.on_change = on_change
        self.rows = {code: StepRow(self, code) for code in voc.STEPS.codes}
        self.history = widgets.HTML()
        self.history.add_class("vises-step-history")
        self.box = widgets.VBox([
            widgets.HTML(f"<h3>{_escape(i18n.t('steps.title', lang))}</h3>"),
            *[r.box for r in self.rows.values()],
            widgets.HTML(f"<h4>{_escape(i18n.t('steps.history', lang))}</h4>"),
            self.history])
        self.box.add_class("vises-steps")
        self.refresh(notify=False)

    def refresh(self, notify: bool = True) -> None:
        for row in self.rows.values():
            row.show()
        table = steps.history(self.store, self.enterprise_id, self.lang)
        self.history.value = show.table(table, self.lang).data if len(table) else (
            f"<p>{_escape(i18n.t('steps.no_history', self.lang))}</p>")
        if notify and self.on_change:
            self.on_change()


class NextPanel:
    """At the top: where the enterprise stands and its next things to do, each with a button
    that opens the form where it is done."""

    def __init__(self, store: Store, enterprise_id: str, lang: str,
                 go: Callable[[next_actions.Action], None], data: EnterpriseData | None = None):
        self.store, self.enterprise_id, self.lang, self.go = store, enterprise_id, lang, go
        self.box = widgets.VBox()
        self.box.add_class("vises-next")
        self.actions: list[next_actions.Action] = []
        self.refresh(data)

    def refresh(self, data: EnterpriseData | None = None) -> None:
        """Redraw from `data` (the enterprise's, just read by the caller: not read twice)
        or from the store."""
        lang = self.lang
        if data is None:
            data = load_enterprise(self.store, self.enterprise_id)
        self.actions = next_actions.next_actions(data, lang)
        rows = [widgets.HTML(
            f"<b class='vises-next-standing'>{_escape(next_actions.standing(data, lang))}</b> "
            f"{_escape(i18n.t('next.title', lang))}")]
        for i, action in enumerate(self.actions):
            text = widgets.HTML(f"<span class='vises-next-text'>{_escape(action.text)}</span>")
            button = widgets.Button(description=f"→ {action.where(lang)}",
                                    layout=widgets.Layout(width="auto"),
                                    tooltip=action.where(lang))
            button.add_class("vises-next-go")
            button.add_class(f"vises-next-go-{action.place}")
            button.on_click(lambda _b, a=action: self.go(a))
            row = widgets.HBox([text, button], layout=widgets.Layout(
                align_items="center", flex_flow="row wrap", grid_gap="12px"))
            row.add_class(f"vises-next-{i}")
            rows.append(row)
        if not self.actions:
            rows.append(widgets.HTML(_escape(i18n.t("nothing_to_report", lang))))
        self.box.children = rows

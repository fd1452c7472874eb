"""A step's status: started, completed (only when its completeness check passes), reopened.

Every change and every refused completion is recorded as a `StepEvent` (who, when, why),
in the same transaction as the status it changes, and at the revision the user saw: a
change based on a stale status is refused (ConflictError), never silently applied.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pandas as pd

from vises_nb import i18n
from vises_nb.analysis import collection, diagnostic, finding_needs
from vises_nb.analysis.findings import indicator_names
from vises_nb.errors import ConflictError, NotFoundError
from vises_nb.method import vocabulary as voc
from vises_nb.store import model as m
from vises_nb.store.loading import EnterpriseData, load_enterprise
from vises_nb.store.store import Store


def step_problems(data: EnterpriseData, step: str, lang: str) -> list[str]:
    """Why `step` cannot be marked completed yet (empty: it can)."""
    if step == "1":
        return diagnostic.completeness(data, lang)
    problems = []
    status = dict(zip(data.step_status["step"], data.step_status["status"]))
    for before in [s for s in voc.STEPS.codes if s < step]:
        if status.get(before) != "done":
            problems.append(i18n.t("steps.previous_not_done", lang,
                                   step=voc.STEPS.label(before, lang)))
    if step == "2":
        if data.indicators.empty:
            problems.append(i18n.t("steps.no_indicator", lang))
        names = indicator_names(data, lang)
        for ind in data.indicators.itertuples(index=False):
            if not isinstance(ind.question_id, str) or not ind.question_id:
                problems.append(i18n.t("steps.no_question", lang, indicator=names[ind.id]))
        problems += collection.indicators_without_data(data, lang)
    if step == "3":  # each question with results is read in a written finding
        for _id, text in finding_needs.questions_without_finding(data):
            problems.append(i18n.t("steps.no_finding", lang,
                                   question=finding_needs.short(text, 120)))
    return problems


def status_of(store: Store, enterprise_id: str, step: str) -> tuple[m.StepStatus, int | None]:
    """The step's stored status and revision ((not started, None) when none is stored)."""
    try:
        return store.get(m.StepStatus, (enterprise_id, step))
    except NotFoundError:
        return m.StepStatus(enterprise_id=enterprise_id, step=step, status="not_started"), None


def _event(enterprise_id: str, step: str, action: str, by: str, reason: str = ""
           ) -> m.StepEvent:
    return m.StepEvent(id=f"{enterprise_id}-step{step}-{uuid.uuid4().hex[:10]}",
                       enterprise_id=enterprise_id, step=step, action=action,
                       at=dt.datetime.now(), by=by, reason=reason)


# which status each change applies to (the workspace shows its button then only; a widget
# message clicks a hidden button as any other, so the rule is kept here, where it writes)
APPLIES_TO = {"started": ("not_started",), "completed": ("not_started", "in_progress"),
              "reopened": ("done",)}


def _applies(status: m.StepStatus, action: str) -> None:
    """Refused (ConflictError) when `action` does not apply to the step's status now: a
    step completed is reopened (with its reason), never started again over its dates."""
    if status.status not in APPLIES_TO[action]:
        raise ConflictError("err.steps.not_now", step=status.step, status=status.status,
                            action=action)


def _change(store: Store, status: m.StepStatus, revision: int | None, event: m.StepEvent
            ) -> int:
    with store.transaction() as writer:
        new_revision = writer.save(status, revision)
        writer.insert_many(m.StepEvent, [event.model_dump()])
    return new_revision


def start(store: Store, enterprise_id: str, step: str, by: str, *,
          revision: int | None, today: dt.date | None = None) -> int:
    """Mark `step` started (in progress) at the revision the user saw; returns the new one."""
    status, _ = status_of(store, enterprise_id, step)
    _applies(status, "started")
    status = status.model_copy(update={"status": "in_progress",
                                       "started_on": status.started_on or today
                                       or dt.date.today(), "completed_on": None})
    return _change(store, status, revision, _event(enterprise_id, step, "started", by))


def complete(store: Store, enterprise_id: str, step: str, by: str, lang: str, *,
             revision: int | None, today: dt.date | None = None
             ) -> tuple[bool, list[str]]:
    """Mark `step` completed when its check passes: (True, []). Otherwise nothing changes
    but the refusal is recorded with its reasons: (False, reasons)."""
    _applies(status_of(store, enterprise_id, step)[0], "completed")
    problems = step_problems(load_enterprise(store, enterprise_id), step, lang)
    if problems:
        with store.transaction() as writer:
            writer.insert_many(m.StepEvent, [_event(enterprise_id, step, "refused", by,
                                                    "\n".join(problems)).model_dump()])
        return False, problems
    status, _ = status_of(store, enterprise_id, step)
    day = today or dt.date.today()
    status = status.model_copy(update={"status": "done", "completed_on": day,
                                       "started_on": status.started_on or day})
    _change(store, status, revision, _event(enterprise_id, step, "completed", by))
    return True, []


def reopen(store: Store, enterprise_id: str, step: str, by: str, reason: str = "", *,
           revision: int | None) -> int:
    """Put a completed step back in progress (its completion date is cleared)."""
    status, _ = status_of(store, enterprise_id, step)
    _applies(status, "reopened")
    status = status.model_copy(update={"status": "in_progress", "completed_on": None})
    return _change(store, status, revision, _event(enterprise_id, step, "reopened", by, reason))


def history(store: Store, enterprise_id: str, lang: str) -> pd.DataFrame:
    """Every change of the enterprise's steps, latest first, in words."""
    events = store.frame("step_events", enterprise_id)
    columns = [i18n.t("steps.when", lang), i18n.t("steps.who", lang), i18n.t("step", lang),
               i18n.t("steps.what", lang), i18n.t("steps.reason", lang)]
    if events.empty:
        return pd.DataFrame(columns=columns)
    events = events.sort_values(["at", "id"], ascending=False)
    return pd.DataFrame({
        columns[0]: [pd.Timestamp(a).strftime("%Y-%m-%d %H:%M") for a in events["at"]],
        columns[1]: [b or "—" for b in events["by"]],
        columns[2]: [voc.STEPS.label(s, lang) for s in events["step"]],
        columns[3]: [i18n.t(f"steps.action.{a}", lang) for a in events["action"]],
        columns[4]: [r or "" for r in events["reason"]],
    })

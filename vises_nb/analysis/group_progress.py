"""A semi-collective group's progress on one page: for each member enterprise, the step it
is at, the status of its three steps, what it still has to do (the workspace's next
actions) and its attendance at the group's sessions so far.

Members the reader does not follow (with accounts: an enterprise of another accompanier
in a group they hold one of) show their name and attendance only: their forms and to-do
stay with their own accompanier.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from vises_nb import i18n
from vises_nb.analysis import next_actions
from vises_nb.method import vocabulary as voc
from vises_nb.store import model as m
from vises_nb.store import sessions as ss
from vises_nb.store.loading import TABLES, EnterpriseData, cleaned
from vises_nb.store.store import Store

TODO_LIMIT = 3


@dataclass
class MemberProgress:
    enterprise_id: str
    name: str
    followed: bool  # False: the reader sees name and attendance only
    current_step: str | None = None  # None: all three steps done (or not followed)
    statuses: dict[str, str] = field(default_factory=dict)  # step → status code
    todo: list[str] = field(default_factory=list)
    attendance: dict[str, int] = field(default_factory=dict)  # status → sessions

    def attendance_text(self, lang: str) -> str:
        a = self.attendance
        total = sum(a.values())
        if not total:
            return i18n.t("groups.no_session", lang)
        text = i18n.t("groups.attended", lang, present=a.get("present", 0), total=total)
        if a.get("excused"):
            text += " · " + i18n.t("groups.excused_count", lang, count=a["excused"])
        if a.get("unrecorded"):
            text += " · " + i18n.t("groups.unrecorded_count", lang, count=a["unrecorded"])
        return text


def _load(store: Store, enterprise_id: str) -> EnterpriseData:
    with store.snapshot():
        enterprise = store.require_enterprise(enterprise_id)
        frames = {name: store.frame(name, enterprise_id) for name in TABLES}
    return EnterpriseData(enterprise, cleaned(frames))


def member_progress(data: EnterpriseData, lang: str) -> MemberProgress:
    """One followed enterprise's standing, from its data (pure)."""
    status = dict(zip(data.step_status["step"], data.step_status["status"]))
    return MemberProgress(
        data.enterprise.id, data.enterprise.name, True,
        current_step=next_actions.current_step(data),
        statuses={s: status.get(s, "not_started") for s in voc.STEPS.codes},
        todo=[a.text for a in next_actions.next_actions(data, lang, limit=TODO_LIMIT)])


def group_progress(store: Store, group_id: str, lang: str,
                   visible: set[str] | None = None) -> list[MemberProgress]:
    """Every member of the group, by id. `visible`: the enterprises the reader follows
    (None: all, as a coordinator or without accounts)."""
    counts = ss.attendance_counts(store, group_id)
    found = []
    for member in ss.members(store, group_id):
        if visible is None or member.enterprise_id in visible:
            row = member_progress(_load(store, member.enterprise_id), lang)
        else:
            row = MemberProgress(member.enterprise_id, member.name, False)
        row.attendance = counts.get(member.enterprise_id, {})
        found.append(row)
    return found


def progress_table(rows: list[MemberProgress], lang: str) -> pd.DataFrame:
    """The group's progress as a table, one row per member, in `lang`."""
    step_columns = [i18n.t("groups.col.step_n", lang, step=s) for s in voc.STEPS.codes]
    columns = [i18n.t("groups.col.enterprise", lang), i18n.t("groups.col.at_step", lang),
               *step_columns, i18n.t("groups.col.todo", lang),
               i18n.t("groups.col.attendance", lang)]
    records = []
    for row in rows:
        if not row.followed:
            other = i18n.t("groups.not_followed", lang)
            records.append([f"{row.enterprise_id} — {row.name}", other,
                            *(["—"] * len(step_columns)), "—", row.attendance_text(lang)])
            continue
        at = (voc.STEPS.label(row.current_step, lang) if row.current_step
              else i18n.t("next.all_done", lang))
        records.append([f"{row.enterprise_id} — {row.name}", at,
                        *(voc.STEP_STATUSES.label(row.statuses[s], lang)
                          for s in voc.STEPS.codes),
                        " • ".join(row.todo) or "—", row.attendance_text(lang)])
    return pd.DataFrame(records, columns=columns)


def session_summary(session: ss.Session, members: list[ss.Member], lang: str) -> str:
    """'4 present, 1 excused, 1 absent' for one session."""
    tally = dict.fromkeys(m.ATTENDANCE, 0)
    for member in members:
        row = session.attendance.get(member.enterprise_id)
        if row is not None:
            tally[row.status] += 1
    return ", ".join(i18n.t(f"groups.count.{k}", lang, count=v) for k, v in tally.items())

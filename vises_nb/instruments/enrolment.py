"""Enrolling a cohort from its roster (`vises enrol FILE`) and the coordinator's changes.

The roster is checked whole against itself and the store first: every problem (unknown
pole or region, duplicate id, unknown accompanier, bad language, a group too small or too
large, an enterprise in two groups of one period...) is listed with its sheet, row and
column, and nothing is stored. Then one transaction adds what is new and updates what
changed, each update at the revision read (a record someone saved meanwhile makes the
whole enrolment a conflict, nothing stored).

Enrolling never deletes. An enterprise (or accompanier) leaves the cohort only through
an explicit status "left" in the roster (or the coordinator page), and archiving needs a
confirmation (`confirm_archive`, `vises enrol --yes`): an archived enterprise is kept in
the store with all its data, out of new runs, and listed as archived in the index. An
enterprise missing from a roster is *not* archived (a partial file, one pole's sheet,
must never archive the rest of the cohort): it is left as it is and listed in the summary.
A blank cell leaves the stored value as it is (identity fields filled in the workspace
are not erased by a roster that does not carry them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pydantic
from pydantic import BaseModel

from vises_nb import i18n
from vises_nb.errors import Message, VisesError, current_language
from vises_nb.instruments import roster as r
from vises_nb.instruments.importing.problems import Collector
from vises_nb.store import model as m
from vises_nb.store.store import Store


class ArchiveNotConfirmed(VisesError):
    """The roster would archive enterprises or accompaniers: nothing stored until confirmed."""


@dataclass
class Change:
    """One record to write: the new record and the revision it replaces (None: new)."""

    record: BaseModel
    revision: int | None
    what: str  # added, updated, archived, restored


@dataclass
class Plan:
    """What an enrolment would write, and what it leaves alone."""

    file: str
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0
    absent: list[str] = field(default_factory=list)  # enterprises not in this roster: kept
    members: dict[str, list[str]] = field(default_factory=dict)  # group id → enterprise ids
    periods: dict[str, str] = field(default_factory=dict)  # group id → period

    def ids(self, model: type[BaseModel], what: str) -> list[str]:
        return [c.record.id for c in self.changes  # type: ignore[attr-defined]
                if isinstance(c.record, model) and c.what == what]

    @property
    def archiving(self) -> list[str]:
        return self.ids(m.Enterprise, "archived") + self.ids(m.Accompanier, "archived")

    def summary(self, lang: str | None = None) -> str:
        lang = lang or current_language()
        lines = [i18n.t("enrol.summary", lang, file=self.file, **self.counts())]
        for what in ("archived", "restored"):
            ids = self.ids(m.Enterprise, what) + self.ids(m.Accompanier, what)
            if ids:
                lines.append(i18n.t(f"enrol.{what}_list", lang, ids=", ".join(ids)))
        if self.absent:
            shown = ", ".join(self.absent[:20]) + (" ..." if len(self.absent) > 20 else "")
            lines.append(i18n.t("enrol.absent", lang, count=len(self.absent), ids=shown))
        return "\n".join(lines)

    def counts(self) -> dict[str, int]:
        counts = {what: sum(1 for c in self.changes if c.what == what)
                  for what in ("added", "updated", "archived", "restored")}
        counts["unchanged"] = self.unchanged
        counts["groups"] = len(self.members)
        return counts


def plan_enrolment(store: Store, path: Path) -> Plan:
    """Read and check a roster against the store; raise ImportProblems listing every
    problem, or return what enrolling it would change (nothing is written here)."""
    roster = r.read_roster(path)
    problems = roster.problems
    assert problems is not None
    plan = Plan(roster.file)
    revisions = _revisions(store)
    today = dt.date.today()
    stored_accompaniers = {a.id: a for a in store.list(m.Accompanier)}
    stored_enterprises = {e.id: e for e in store.list(m.Enterprise)}
    accompanier_names: dict[str, str] = {}
    for a in stored_accompaniers.values():
        accompanier_names.setdefault(r.normal(a.name), a.id)
    roster_accompaniers = {row.values.get("id") for row in roster.rows["accompaniers"]}
    for row in roster.rows["accompaniers"]:
        if isinstance(row.values.get("name"), str):
            accompanier_names[r.normal(row.values["name"])] = row.values.get("id")

    def resolve_accompanier(row: r.Row) -> Any:
        value = row.values.get("accompanier")
        if value is None or r.is_missing(value):
            return value
        if value in roster_accompaniers or value in stored_accompaniers:
            return value
        by_name = accompanier_names.get(r.normal(value))
        if by_name:
            return by_name
        known = sorted({*(a for a in roster_accompaniers if isinstance(a, str)),
                        *stored_accompaniers})  # not a refused id's placeholder
        # none known yet (the enterprises' CSV enrolled before the accompaniers'): say so
        problems.add("err.roster.unknown_accompanier", sheet=row.sheet or None, row=row.row,
                     column=row.headings["accompanier"], value=value,
                     expected=Message("roster.one_of", codes=known[:20]) if known
                     else "roster.expected_accompaniers_first")
        return r._MISSING

    for kind, model, stored in (("accompaniers", m.Accompanier, stored_accompaniers),
                                ("enterprises", m.Enterprise, stored_enterprises)):
        seen: dict[str, int] = {}
        for row in roster.rows[kind]:
            ident = row.values.get("id")
            if isinstance(ident, str):
                if ident in seen:
                    problems.add("err.roster.duplicate_id", sheet=row.sheet or None, row=row.row,
                                 column=row.headings["id"], value=ident, first=seen[ident])
                    continue
                seen[ident] = row.row
            if kind == "enterprises" and "accompanier" in row.values:
                row.values["accompanier"] = resolve_accompanier(row)
            if any(r.is_missing(v) for v in row.values.values()):
                continue
            change = _change(model, row, stored.get(ident), revisions.get((model, ident)),
                             today, problems)
            if change is None:
                plan.unchanged += 1
            else:
                plan.changes.append(change)
        if kind == "enterprises" and roster.rows["enterprises"]:
            plan.absent = sorted(e for e in set(stored) - set(seen)
                                 if not stored[e].archived)  # type: ignore[attr-defined]

    _check_groups(store, roster, plan, problems, stored_enterprises, resolve_accompanier,
                  revisions)
    if problems.problems:
        raise r.RosterProblems(problems.file, problems.problems)
    return plan


def _change(model: type[BaseModel], row: r.Row, current: BaseModel | None,
            revision: int | None, today: dt.date, problems: Collector) -> Change | None:
    """The record a roster row asks for, merged onto the stored one; None if unchanged."""
    values = {r.FIELDS.get(k, k): v for k, v in row.values.items()
              if v is not None and k != "status"}
    status = row.values.get("status")
    base = current.model_dump() if current is not None else {}
    data = {**base, **values}
    if status == "left" and not data.get("archived"):
        data["archived"], data["archived_on"] = True, today
    elif status == "active" and data.get("archived"):
        data["archived"], data["archived_on"] = False, None
    try:
        record = model.model_validate(data)
    except pydantic.ValidationError as exc:
        for err in exc.errors():
            name = str(err["loc"][0]) if err["loc"] else ""
            column = {v: k for k, v in r.FIELDS.items()}.get(name, name)
            problems.add("err.roster.invalid", sheet=row.sheet or None, row=row.row,
                         column=row.headings.get(column, column),
                         problem=err["msg"].removeprefix("Value error, "))
        return None
    if current is not None and record == current:
        return None
    if current is None:
        what = "archived" if getattr(record, "archived", False) else "added"
    elif getattr(record, "archived", False) and not getattr(current, "archived", False):
        what = "archived"
    elif not getattr(record, "archived", False) and getattr(current, "archived", False):
        what = "restored"
    else:
        what = "updated"
    return Change(record, revision, what)


def _check_groups(store: Store, roster: r.Roster, plan: Plan, problems: Collector,
                  enterprises: dict[str, m.Enterprise], resolve_accompanier,
                  revisions: dict[tuple[type, str], int]) -> None:
    """Groups of 5–10 known enterprises; an enterprise in at most one group per period
    (in this roster, and against groups already stored that this roster does not list).
    An enterprise that leaves stays a member of its groups: that is its history."""
    rows = roster.rows["groups"]
    known = set(enterprises) | {row.values.get("id") for row in roster.rows["enterprises"]}
    stored_groups = {g.id: g for g in store.list(m.Group)}
    listed = {row.values.get("id") for row in rows}
    taken: dict[tuple[str, str], str] = {
        (gm.enterprise_id, gm.period): gm.group_id for gm in store.list(m.GroupMember)
        if gm.group_id not in listed}
    in_roster: dict[tuple[str, str], tuple[str, int]] = {}
    seen: dict[str, int] = {}
    for row in rows:
        values = row.values
        ident, period = values.get("id"), values.get("period")
        where = {"sheet": row.sheet or None, "row": row.row}
        if isinstance(ident, str):
            if ident in seen:
                problems.add("err.roster.duplicate_id", column=row.headings["id"], value=ident,
                             first=seen[ident], **where)
                continue
            seen[ident] = row.row
        values["accompanier"] = resolve_accompanier(row) if "accompanier" in values else None
        members = values.get("members") or []
        column = row.headings["members"]
        if isinstance(members, list) and members:
            doubled = sorted({e for e in members if members.count(e) > 1})
            if doubled:
                problems.add("err.roster.member_twice", column=column, ids=doubled, **where)
            members = list(dict.fromkeys(members))
            unknown = [e for e in members if e not in known]
            if unknown:
                problems.add("err.roster.unknown_member", column=column, ids=unknown,
                             expected="roster.expected_member", **where)
            if not r.GROUP_MIN <= len(members) <= r.GROUP_MAX:
                problems.add("err.roster.group_size", column=column, count=len(members),
                             low=r.GROUP_MIN, high=r.GROUP_MAX, **where)
            if isinstance(period, str):
                for enterprise_id in members:
                    key = (enterprise_id, period)
                    if key in in_roster:
                        other, other_row = in_roster[key]
                        problems.add("err.roster.two_groups", column=column,
                                     enterprise=enterprise_id, period=period, group=other,
                                     other_row=other_row, **where)
                    elif key in taken:
                        problems.add("err.roster.two_groups_stored", column=column,
                                     enterprise=enterprise_id, period=period,
                                     group=taken[key], **where)
                    else:
                        in_roster[key] = (str(ident), row.row)
        if any(r.is_missing(v) for v in values.values()):
            continue
        data = {"id": ident, "name": values["name"], "period": period,
                "accompanier_id": values.get("accompanier")}
        current = stored_groups.get(str(ident))
        if current is not None:
            data = {**current.model_dump(), **{k: v for k, v in data.items() if v is not None}}
        try:
            group = m.Group.model_validate(data)
        except pydantic.ValidationError as exc:
            problems.add("err.roster.invalid", column=row.headings["name"],
                         problem=str(exc.errors()[0]["msg"]), **where)
            continue
        if current is None or group != current:
            plan.changes.append(Change(group, revisions.get((m.Group, group.id)),
                                       "added" if current is None else "updated"))
        plan.members[group.id] = members
        plan.periods[group.id] = group.period


def enrol(store: Store, path: Path, confirm_archive: bool = False,
          dry_run: bool = False) -> Plan:
    """Check a roster whole, then store it in one transaction (see the module's doc).

    Raises ImportProblems (every problem, nothing stored), ArchiveNotConfirmed (the roster
    archives someone and `confirm_archive` is False: nothing stored) or ConflictError
    (someone saved one of these records meanwhile: nothing stored, enrol again)."""
    plan = plan_enrolment(store, Path(path))
    if dry_run:
        return plan
    if plan.archiving and not confirm_archive:
        raise ArchiveNotConfirmed("err.enrol.confirm_archive", file=plan.file,
                                  count=len(plan.archiving), ids=", ".join(plan.archiving))
    apply(store, plan)
    return plan


def apply(store: Store, plan: Plan) -> None:
    """Write a checked plan: records first, then group memberships, all or nothing."""
    with store.transaction() as writer:
        for kind in (m.Accompanier, m.Enterprise, m.Group):
            for change in plan.changes:
                if isinstance(change.record, kind):
                    writer.save(change.record, change.revision)
        set_members(writer, plan.members, plan.periods)


def set_members(writer: Any, members: dict[str, list[str]], periods: dict[str, str]) -> None:
    """Make each group's members exactly these (a membership row per enterprise and period:
    moving out of a group deletes that row only, never an enterprise)."""
    import sqlalchemy as sa

    from vises_nb.store.schema import TABLES

    table = TABLES[m.GroupMember]
    for group_id, wanted in members.items():
        period = periods[group_id]
        rows = writer.conn.execute(sa.select(table.c.enterprise_id, table.c.revision).where(
            table.c.group_id == group_id)).all()
        present = {e: rev for e, rev in rows}
        for enterprise_id, revision in present.items():
            if enterprise_id not in wanted:
                writer.delete(m.GroupMember, (enterprise_id, period), revision)
        for enterprise_id in wanted:
            if enterprise_id not in present:
                writer.save(m.GroupMember(enterprise_id=enterprise_id, period=period,
                                          group_id=group_id))


def _revisions(store: Store) -> dict[tuple[type, str], int]:
    """(model, id) → stored revision of accompaniers, enterprises and groups (an update is
    saved at the revision read here: a record changed meanwhile makes it a conflict)."""
    import sqlalchemy as sa

    from vises_nb.store.schema import TABLES

    found = {}
    with store.engine.connect() as conn:
        for model in (m.Accompanier, m.Enterprise, m.Group):
            table = TABLES[model]
            for ident, revision in conn.execute(sa.select(table.c.id, table.c.revision)):
                found[(model, ident)] = revision
    return found

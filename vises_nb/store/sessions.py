"""Semi-collective sessions (schema 10): a group's sessions and who attended them.

A session is saved with its attendance in one transaction, at the revision the user saw:
a session someone else changed meanwhile is refused (ConflictError) and nothing is
written. Attendance is recorded only for the group's members. Who recorded a session and
who changed it last are kept on it (with accounts, the access layer also writes each
change to the store's change history).

Every read goes through the store it is given, so with accounts (a GuardedStore) a group
that is not the person's own is refused there.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

import sqlalchemy as sa

from vises_nb.errors import NotFoundError, ValidationError
from vises_nb.store import model as m
from vises_nb.store.schema import TABLES
from vises_nb.store.store import Store, Writer


@dataclass(frozen=True)
class Member:
    enterprise_id: str
    name: str
    archived: bool = False


@dataclass
class Session:
    """A stored session, its revision and its attendance (enterprise id → row)."""

    session: m.GroupSession
    revision: int
    attendance: dict[str, m.SessionAttendance] = field(default_factory=dict)


def new_session_id(group_id: str, day: dt.date) -> str:
    return f"{group_id}-{day.isoformat()}-{uuid.uuid4().hex[:6]}"


def group(store: Store, group_id: str) -> tuple[m.Group, int]:
    """The group and its revision (refused by a GuardedStore if not one's own)."""
    return store.get(m.Group, group_id)


def members(store: Store, group_id: str) -> list[Member]:
    """The group's member enterprises, by id. The group is checked first (a GuardedStore
    refuses another's); member names are read for the whole group, including enterprises
    followed by another accompanier of it (their names are known to the group)."""
    store.get(m.Group, group_id)
    ids = [gm.enterprise_id for gm in store.list(m.GroupMember, group_id=group_id)]
    table = TABLES[m.Enterprise]
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(table.c.id, table.c.name, table.c.archived)
                            .where(table.c.id.in_(ids)).order_by(table.c.id)).all()
    return [Member(r.id, r.name, bool(r.archived)) for r in rows]


def sessions(store: Store, group_id: str) -> list[Session]:
    """The group's sessions, latest first, each with its attendance."""
    found = []
    for session in store.list(m.GroupSession, group_id=group_id):
        record, revision = store.get(m.GroupSession, session.id)
        attendance = {row.enterprise_id: row
                      for row in store.list(m.SessionAttendance, session_id=session.id)}
        found.append(Session(record, revision, attendance))
    return sorted(found, key=lambda s: (s.session.date, s.session.id), reverse=True)


def _stored_attendance(writer: Writer, session_id: str) -> dict[str, int]:
    table = TABLES[m.SessionAttendance]
    rows = writer.conn.execute(sa.select(table.c.enterprise_id, table.c.revision).where(
        table.c.session_id == session_id)).all()
    return dict(rows)


def _member_ids(writer: Writer, group_id: str) -> set[str]:
    table = TABLES[m.GroupMember]
    return set(writer.conn.execute(sa.select(table.c.enterprise_id).where(
        table.c.group_id == group_id)).scalars())


def save_session(store: Store, session: m.GroupSession, attendance: list[m.SessionAttendance],
                 expected_revision: int | None, by: str) -> int:
    """Insert (expected_revision None) or update a session with its attendance, all at
    once; returns the session's new revision.

    Refused, nothing written: a stale revision (ConflictError), a session moved to another
    group, attendance for an enterprise not in the group or for another session
    (ValidationError), and with accounts whatever the person may not write (AccessError).
    """
    with store.transaction() as writer:
        if expected_revision is None:
            session = session.model_copy(update={"recorded_by": by, "changed_by": by})
        else:
            table = TABLES[m.GroupSession]
            stored = writer.conn.execute(sa.select(table.c.group_id, table.c.recorded_by)
                                         .where(table.c.id == session.id)).first()
            if stored is None:
                raise NotFoundError("err.store.deleted", model="GroupSession", key=session.id)
            session = session.model_copy(update={"recorded_by": stored.recorded_by or by,
                                                 "changed_by": by})
        revision = writer.save(session, expected_revision)  # access checked here first
        if expected_revision is not None and stored.group_id != session.group_id:
            raise ValidationError("err.session.moved", session=session.id)  # rolled back
        members_now = _member_ids(writer, session.group_id)
        for row in attendance:
            if row.session_id != session.id:
                raise ValidationError("err.session.other_session", session=session.id,
                                      other=row.session_id)
            if row.enterprise_id not in members_now:
                raise ValidationError("err.session.not_member", enterprise=row.enterprise_id,
                                      group=session.group_id)
        stored_rows = _stored_attendance(writer, session.id)
        for row in attendance:
            writer.save(row, stored_rows.get(row.enterprise_id))
    return revision


def delete_session(store: Store, session_id: str, expected_revision: int) -> None:
    """Remove a session and its attendance, all at once, at the revision the user saw.

    Refused, nothing removed: a session changed or removed meanwhile (ConflictError,
    NotFoundError), and with accounts a session of a group the person may not write
    (AccessError; the access layer records who removed each row otherwise)."""
    with store.transaction() as writer:
        for enterprise_id, revision in _stored_attendance(writer, session_id).items():
            writer.delete(m.SessionAttendance, (session_id, enterprise_id), revision)
        writer.delete(m.GroupSession, session_id, expected_revision)


def attendance_counts(store: Store, group_id: str) -> dict[str, dict[str, int]]:
    """Per member enterprise: how many of the group's sessions it attended, missed, was
    excused from, and for how many nothing was recorded."""
    found = sessions(store, group_id)
    counts: dict[str, dict[str, int]] = {}
    for member in members(store, group_id):
        tally = dict.fromkeys((*m.ATTENDANCE, "unrecorded"), 0)
        for s in found:
            row = s.attendance.get(member.enterprise_id)
            tally[row.status if row else "unrecorded"] += 1
        counts[member.enterprise_id] = tally
    return counts

"""Who asks, and what they may see and change: the one door between the dashboards and
the store when `vises serve --accounts` runs them.

The kernel learns who asks only from the server, never from the page:
- a preheated kernel receives the page request through the authenticated
  `/voila/query/<kernel>` socket; the server adds the signed-in person's name and an
  HMAC of it keyed with this kernel's own connection key (`person_proof`), which only
  the server and this kernel hold; the name is believed only with a valid proof;
- a kernel started for one request (pool empty) gets the name in the environment the
  server starts it with.
Widgets, drop-downs and comm messages carry no identity: whatever they ask for is checked
here, by `GuardedStore`, which the dashboards open instead of the store. It re-reads the
person from the store on every read and write (a disabled account's open page stops
working at its next action), refuses what the role does not allow, logs each refusal
(the store's security log and the server's log), and records who made each change.
An enterprise's members read their enterprise and write only the forms its accompanier
opened to them (`vises_nb.store.openings`), checked in the saving transaction.

Without accounts (`vises serve` with its token, one laptop) `open_store` returns the
plain Store: whoever holds the token owns the store.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import sys
import types
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
import sqlalchemy as sa
from pydantic import BaseModel

from vises_nb.errors import AccessError
from vises_nb.store import accounts, openings
from vises_nb.store import model as m
from vises_nb.store.accounts import Person
from vises_nb.store.schema import TABLES, people_table
from vises_nb.store.store import Store, Writer, normalise_url

ACCOUNTS_ENV = "VISES_ACCOUNTS"  # "1": the server signs people in; the kernels guard
PERSON_ENV = "VISES_PERSON"
PROOF_ENV = "VISES_PERSON_PROOF"

# Semi-collective groups and their sessions: guarded by group, not by enterprise (an
# accompanier records the attendance of every member of a group they lead or hold one of).
GROUP_MODELS = (m.Group, m.GroupMember, m.GroupSession, m.SessionAttendance)
SESSION_MODELS = (m.GroupSession, m.SessionAttendance)
GROUP_TABLES = ("groups", "group_members", "group_sessions", "session_attendance")

log = logging.getLogger("vises.access")
if not log.handlers:  # the server's log (fd 2), never the kernel's stderr (a page output)
    _handler = logging.StreamHandler(sys.__stderr__)
    _handler.setFormatter(logging.Formatter("[vises access %(asctime)s] %(message)s"))
    log.addHandler(_handler)
    log.setLevel(logging.INFO)
    log.propagate = False


def person_proof(key: bytes, kernel_id: str, username: str) -> str:
    """What the server sends with the name, to the kernel holding `key`."""
    return hmac.new(key, f"vises-person {kernel_id} {username}".encode(),
                    hashlib.sha256).hexdigest()


def accounts_mode() -> bool:
    return os.environ.get(ACCOUNTS_ENV, "") == "1"


def _own_key() -> bytes:
    from vises_nb.dashboards.preheat import _own_key as key

    return key()


def who_asks() -> str | None:
    """The signed-in person this kernel serves, as the server said; None if unknown."""
    name = os.environ.get(PERSON_ENV, "")
    if not name:
        return None
    if os.environ.get("VOILA_PREHEAT", "False") == "False":
        return name  # a kernel started for this request, with the server's environment
    key = _own_key()
    proof = os.environ.get(PROOF_ENV, "")
    kernel_id = os.environ.get("VOILA_KERNEL_ID", "")
    if key and hmac.compare_digest(proof, person_proof(key, kernel_id, name)):
        return name
    log.warning("kernel %s: a person's name without a valid proof was ignored", kernel_id)
    return None


def open_store(store_url: str = "") -> Store:
    """The store as the dashboards must use it: guarded when people sign in."""
    store = Store.open(normalise_url(store_url))
    if not accounts_mode():
        return store
    return GuardedStore(store, who_asks())


def _enterprise_of(model: type[BaseModel], values: Any) -> str | None:
    get = values.get if isinstance(values, dict) else lambda k: getattr(values, k, None)
    if model is m.Enterprise:
        return get("id")
    return get("enterprise_id")


class GuardedStore(Store):
    """A Store that knows who asks (see the module's docstring)."""

    def __init__(self, store: Store, username: str | None):
        super().__init__(store.engine)
        self.username = username

    # ------------------------------------------------------------ who and what
    def person(self, conn: sa.Connection | None = None) -> Person:
        """The person as the store says now; refused when unknown or disabled."""
        row = None
        if self.username:
            query = sa.select(people_table).where(people_table.c.username == self.username)
            if conn is not None:
                row = conn.execute(query).first()
            else:
                with self.engine.connect() as own:
                    row = own.execute(query).first()
        if row is None or not row.active:
            raise self._refusal("account", self.username or "?")
        return accounts._person(row)

    def visible(self, conn: sa.Connection | None = None) -> set[str] | None:
        """Enterprises this person may see (None: all of them)."""
        person = self.person(conn)
        if person.role == "coordinator":
            return None
        if person.role == "member":
            return {person.enterprise_id} if person.enterprise_id else set()
        if person.role == "accompanier":
            table = TABLES[m.Enterprise]
            query = sa.select(table.c.id).where(table.c.accompanier_id == person.accompanier_id)
            if conn is not None:
                return set(conn.execute(query).scalars())
            with self.engine.connect() as own:
                return set(own.execute(query).scalars())
        return set()  # researchers: no enterprise's records

    def writable(self, conn: sa.Connection | None = None) -> set[str] | None:
        person = self.person(conn)
        if person.role in ("coordinator", "accompanier"):
            return self.visible(conn)
        return set()

    def _refusal(self, action: str, what: Any) -> AccessError:
        error = AccessError("err.access.refused", who=self.username or "?", action=action,
                            what=what)
        error.logged = False  # type: ignore[attr-defined]
        return error

    def _log(self, error: AccessError) -> AccessError:
        """Write the refusal down (outside any write transaction: SQLite has one writer)."""
        if not getattr(error, "logged", True):
            error.logged = True  # type: ignore[attr-defined]
            detail = f"{error.values.get('action')} {error.values.get('what')}"
            log.warning("refused: %s %s", self.username, detail)
            try:
                accounts.log_event(self, "refused", self.username, None, detail)
            except Exception:
                log.exception("could not write the refusal to the security log")
        return error

    def require(self, enterprise_id: str | None, write: bool = False,
                conn: sa.Connection | None = None) -> None:
        allowed = self.writable(conn) if write else self.visible(conn)
        if allowed is not None and enterprise_id not in allowed:
            raise self._refusal("write" if write else "read", enterprise_id)

    def require_cohort(self) -> Person:
        """The cohort explorer (figures about groups only): every active person."""
        try:
            return self.person()
        except AccessError as error:
            raise self._log(error) from None

    def require_coordinator(self, action: str = "read", what: str = "coordinator page") -> Person:
        """The coordinator page (enrols, edits everyone, people's accounts): coordinators
        only; `action` and `what` name the refusal in the log."""
        try:
            person = self.person()
        except AccessError as error:
            raise self._log(error) from None
        if person.role != "coordinator":
            raise self._log(self._refusal(action, what))
        return person

    # ------------------------------------------------------------ groups (schema 10)
    def groups(self, conn: sa.Connection | None = None) -> set[str] | None:
        """Semi-collective groups this person may see and whose sessions they may record
        (None: all of them). An accompanier's groups are those they lead
        (Group.accompanier_id) and those holding at least one enterprise they follow;
        members and researchers have none (the server refuses them the groups page)."""
        person = self.person(conn)
        if person.role == "coordinator":
            return None
        if person.role != "accompanier":
            return set()
        group, member = TABLES[m.Group], TABLES[m.GroupMember]
        enterprise = TABLES[m.Enterprise]
        led = sa.select(group.c.id).where(group.c.accompanier_id == person.accompanier_id)
        holding = sa.select(member.c.group_id).join(
            enterprise, enterprise.c.id == member.c.enterprise_id).where(
            enterprise.c.accompanier_id == person.accompanier_id)
        query = sa.union(led, holding)
        if conn is not None:
            return set(conn.execute(query).scalars())
        with self.engine.connect() as own:
            return set(own.execute(query).scalars())

    def require_group(self, group_id: str | None, write: bool = False,
                      conn: sa.Connection | None = None) -> None:
        """Refused (and logged by the caller) unless the group is one of this person's."""
        allowed = self.groups(conn)
        if allowed is not None and group_id not in allowed:
            raise self._refusal("write" if write else "read", f"group {group_id}")

    def require_groups_page(self) -> Person:
        """The groups page: coordinators and accompaniers only."""
        try:
            person = self.person()
        except AccessError as error:
            raise self._log(error) from None
        if person.role not in ("coordinator", "accompanier"):
            raise self._log(self._refusal("read", "groups page"))
        return person

    def _group_of(self, model: type[BaseModel], record: Any,
                  conn: sa.Connection | None = None) -> str | None:
        """The group a group-related record belongs to (as stored, for attendance)."""
        if model is m.Group:
            return record.id
        if model in (m.GroupMember, m.GroupSession):
            return record.group_id
        table = TABLES[m.GroupSession]  # attendance: its session's group
        query = sa.select(table.c.group_id).where(table.c.id == record.session_id)
        if conn is not None:
            return conn.execute(query).scalar()
        with self.engine.connect() as own:
            return own.execute(query).scalar()

    def _session_groups(self) -> dict[str, str]:
        table = TABLES[m.GroupSession]
        with self.engine.connect() as own:
            return dict(own.execute(sa.select(table.c.id, table.c.group_id)).all())

    # ------------------------------------------------------------ forms opened to members
    def open_forms(self, enterprise_id: str) -> set[str]:
        """The forms of this enterprise open to its members now (whoever sees it)."""
        self.guarded(self.require, enterprise_id)
        with self.engine.connect() as conn:
            return openings.open_forms(conn, enterprise_id)

    def set_form_open(self, enterprise_id: str, form: str, opened: bool) -> bool:
        """Open (or close) a form of an enterprise to its members: its accompanier or a
        coordinator only. False when it already was so."""
        with self.transaction() as writer:
            person = self.person(writer.conn)
            if person.role not in ("coordinator", "accompanier"):
                raise self._refusal("open" if opened else "close", f"{form} of {enterprise_id}")
            self.require(enterprise_id, write=True, conn=writer.conn)
            change = openings.open_form if opened else openings.close_form
            return change(writer.conn, enterprise_id, form, person.username)

    def history(self, enterprise_id: str, limit: int = 10) -> list[dict[str, Any]]:
        self.guarded(self.require, enterprise_id)
        return accounts.history(self, enterprise_id, limit)

    def guarded(self, function, *args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except AccessError as error:
            raise self._log(error) from None

    # ------------------------------------------------------------ reading
    def get(self, model, key):
        record, revision = super().get(model, key)
        if model in GROUP_MODELS:
            self.guarded(self.require_group, self._group_of(model, record))
        elif model is m.Accompanier:
            if record.id not in {a.id for a in self.list(m.Accompanier)}:
                raise self._log(self._refusal("read", f"accompanier {key}"))
        else:
            self.guarded(self.require, _enterprise_of(model, record))
        return record, revision

    def list(self, model, **where):
        if model is m.Accompanier:
            person = self.guarded(self.person)
            rows = super().list(model, **where)
            if person.role == "coordinator":
                return rows
            if person.role == "accompanier":
                return [a for a in rows if a.id == person.accompanier_id]
            if person.role == "member" and person.enterprise_id:
                ent = super().get(m.Enterprise, person.enterprise_id)[0]
                return [a for a in rows if a.id == ent.accompanier_id]
            return []
        if model in GROUP_MODELS:
            return self._group_rows(model, super().list(model, **where))
        allowed = self.guarded(self.visible)
        asked = where.get("id" if model is m.Enterprise else "enterprise_id")
        if asked is not None and allowed is not None and asked not in allowed:
            raise self._log(self._refusal("read", asked))
        rows = super().list(model, **where)
        if allowed is None:
            return rows
        return [r for r in rows if _enterprise_of(model, r) in allowed]

    def _group_rows(self, model: type[BaseModel], rows: list) -> list:
        """The rows of groups, members, sessions or attendance this person may see: those
        of their groups (a group member also when it is an enterprise they follow)."""
        groups = self.guarded(self.groups)
        if groups is None:
            return rows
        if model is m.SessionAttendance:
            of = self._session_groups()
            return [r for r in rows if of.get(r.session_id) in groups]
        if model is m.GroupMember:
            visible = self.guarded(self.visible) or set()
            return [r for r in rows if r.group_id in groups or r.enterprise_id in visible]
        return [r for r in rows if self._group_of(model, r) in groups]

    def frame(self, name: str, enterprise_id: str | None = None) -> pd.DataFrame:
        if name in GROUP_TABLES and enterprise_id is None:
            groups = self.guarded(self.groups)
            frame = super().frame(name)
            if groups is None:
                return frame
            if name == "session_attendance":
                of = self._session_groups()
                keep = frame["session_id"].map(of).isin(groups)
            else:
                keep = frame["id" if name == "groups" else "group_id"].isin(groups)
                if name == "group_members":
                    keep |= frame["enterprise_id"].isin(self.guarded(self.visible) or set())
            return frame[keep].reset_index(drop=True)
        allowed = self.guarded(self.visible)
        if enterprise_id is not None:
            if allowed is not None and enterprise_id not in allowed:
                raise self._log(self._refusal("read", enterprise_id))
            return super().frame(name, enterprise_id)
        if allowed is not None and name in ("people", "security_log", "changes"):
            raise self._log(self._refusal("read", name))
        frame = super().frame(name)
        if allowed is None:
            return frame
        if name == "accompaniers":
            keep = {a.id for a in self.list(m.Accompanier)}
            return frame[frame["id"].isin(keep)].reset_index(drop=True)
        column = "id" if name == "enterprises" else "enterprise_id"
        return frame[frame[column].isin(allowed)].reset_index(drop=True)

    def enterprise_ids(self) -> list[str]:
        allowed = self.guarded(self.visible)
        ids = super().enterprise_ids()
        return ids if allowed is None else [i for i in ids if i in allowed]

    def data_hashes(self, enterprise_ids: list[str]) -> dict[str, str]:
        for enterprise_id in enterprise_ids:
            self.guarded(self.require, enterprise_id)
        return super().data_hashes(enterprise_ids)

    # ------------------------------------------------------------ writing
    @contextmanager
    def transaction(self) -> Iterator[Writer]:
        try:
            with super().transaction() as writer:
                yield GuardedWriter(writer.conn, self)
        except AccessError as error:
            raise self._log(error) from None


class GuardedWriter(Writer):
    """Writes inside one transaction, each checked against the person and recorded."""

    def __init__(self, conn: sa.Connection, guard: GuardedStore):
        super().__init__(conn)
        self.guard = guard

    def _stored_enterprise(self, model: type[BaseModel], key: Any) -> str | None:
        table = TABLES[model]
        from vises_nb.store.store import _key_clause

        row = self.conn.execute(sa.select(table).where(_key_clause(table, key))).mappings().first()
        return None if row is None else _enterprise_of(model, dict(row))

    def _check(self, model: type[BaseModel], enterprise_id: str | None, key: Any,
               existing: bool, group_id: str | None = None) -> None:
        guard = self.guard
        person = guard.person(self.conn)
        if model in SESSION_MODELS:  # a group's sessions: its accompaniers and coordinators
            if person.role not in ("coordinator", "accompanier"):
                raise guard._refusal("write", f"{TABLES[model].name} {key}")
            guard.require_group(group_id, write=True, conn=self.conn)
            if existing:  # the session as stored must be of their groups too
                table = TABLES[model]
                from vises_nb.store.store import _key_clause

                row = self.conn.execute(sa.select(table).where(
                    _key_clause(table, key))).mappings().first()
                if row is not None:
                    stored = guard._group_of(model, types.SimpleNamespace(**row), self.conn)
                    guard.require_group(stored, write=True, conn=self.conn)
            return
        if person.role == "member":
            self._check_member(person, model, enterprise_id, key, existing)
            return
        if model is m.Accompanier or (model is m.Enterprise and not existing):
            if person.role != "coordinator":
                raise guard._refusal("write", f"{TABLES[model].name} {key}")
            return
        guard.require(enterprise_id, write=True, conn=self.conn)
        if existing:  # the record as stored must be theirs too (no moving one over)
            guard.require(self._stored_enterprise(model, key), write=True, conn=self.conn)

    def _check_member(self, person: Person, model: type[BaseModel], enterprise_id: str | None,
                      key: Any, existing: bool) -> None:
        """A member writes only their own enterprise's records, of a form open to them now
        (read in this transaction: a form closed meanwhile refuses the save)."""
        own = person.enterprise_id
        allowed = openings.forms_for(model) & openings.open_forms(self.conn, own)
        stored = self._stored_enterprise(model, key) if existing else own
        if (not own or enterprise_id != own or stored != own or not allowed
                or (model is m.Enterprise and not existing)):
            raise self.guard._refusal("write", f"{TABLES[model].name} {key} of {enterprise_id}")

    def _keep_enterprise_fields(self, record: m.Enterprise) -> None:
        """A member saves the identity card only: every other field as stored."""
        table = TABLES[m.Enterprise]
        row = self.conn.execute(sa.select(table).where(table.c.id == record.id)).mappings().first()
        if row is None:
            raise self.guard._refusal("write", f"enterprises {record.id}")
        stored = m.Enterprise.model_validate({k: row[k] for k in m.Enterprise.model_fields
                                              if k in row}, context={"stored": True}).model_dump()
        given = record.model_dump()
        changed = sorted(k for k in given if k not in openings.IDENTITY_FIELDS
                         and given[k] != stored.get(k))
        if changed:
            raise self.guard._refusal("write", f"{', '.join(changed)} of {record.id}")

    def _enterprise_finding_only(self, record: m.QuestionFinding, key: Any,
                                 existing: bool) -> None:
        """A member writes the enterprise's own findings, never the accompanier's."""
        table = TABLES[m.QuestionFinding]
        stored = self.conn.execute(sa.select(table.c.author).where(
            table.c.id == key)).scalar() if existing else "enterprise"
        if record.author != "enterprise" or stored != "enterprise":
            raise self.guard._refusal("write", f"{record.author} finding {key}")

    def save(self, record: BaseModel, expected_revision: int | None = None) -> int:
        model = type(record)
        table = TABLES[model]
        values = record.model_dump(mode="python")
        from vises_nb.store.store import _key_of

        key = _key_of(table, values)
        enterprise_id = _enterprise_of(model, record)
        group_id = (self.guard._group_of(model, record, self.conn)
                    if model in SESSION_MODELS else None)
        self._check(model, enterprise_id, key, existing=expected_revision is not None,
                    group_id=group_id)
        if model is m.Enterprise and self.guard.person(self.conn).role == "member":
            self._keep_enterprise_fields(record)
        if model is m.QuestionFinding and self.guard.person(self.conn).role == "member":
            self._enterprise_finding_only(record, key, expected_revision is not None)
        if model is m.Enterprise and self.guard.person(self.conn).role != "coordinator":
            stored = self.conn.execute(sa.select(table.c.accompanier_id).where(
                table.c.id == record.id)).scalar()
            if record.accompanier_id != stored:  # only a coordinator hands an enterprise over
                raise self.guard._refusal("write", f"accompanier of {record.id}")
        revision = super().save(record, expected_revision)
        accounts.record_change(self.conn, table.name, key, enterprise_id, "save", revision,
                               self.guard.username or "?")
        return revision

    def delete(self, model: type[BaseModel], key: str | tuple, expected_revision: int) -> None:
        enterprise_id = self._stored_enterprise(model, key)
        group_id = None
        if model in SESSION_MODELS:
            table = TABLES[model]
            from vises_nb.store.store import _key_clause

            row = self.conn.execute(sa.select(table).where(
                _key_clause(table, key))).mappings().first()
            group_id = None if row is None else self.guard._group_of(
                model, types.SimpleNamespace(**row), self.conn)
        self._check(model, enterprise_id, key, existing=True, group_id=group_id)
        if model is m.Enterprise and self.guard.person(self.conn).role != "coordinator":
            raise self.guard._refusal("delete", key)
        if model is m.QuestionFinding and self.guard.person(self.conn).role == "member":
            author = self.conn.execute(sa.select(TABLES[model].c.author).where(
                TABLES[model].c.id == key)).scalar()
            if author != "enterprise":
                raise self.guard._refusal("delete", f"{author} finding {key}")
        super().delete(model, key, expected_revision)
        accounts.record_change(self.conn, TABLES[model].name, key, enterprise_id, "delete",
                               None, self.guard.username or "?")

    def insert_many(self, model: type[BaseModel], rows: Iterable[dict[str, Any]]) -> int:
        rows = list(rows)
        if self.guard.person(self.conn).role == "member":  # imports: never a member's
            raise self.guard._refusal("import", TABLES[model].name)
        if model in SESSION_MODELS:  # one by one, each through the group's check
            return sum(self.save(model.model_validate(r)) for r in rows)
        for enterprise_id in {_enterprise_of(model, r) for r in rows}:
            self._check(model, enterprise_id, enterprise_id, existing=False)
        count = super().insert_many(model, rows)
        for enterprise_id in {_enterprise_of(model, r) for r in rows}:
            accounts.record_change(self.conn, TABLES[model].name, f"{count} rows",
                                   enterprise_id, "insert", None, self.guard.username or "?")
        return count

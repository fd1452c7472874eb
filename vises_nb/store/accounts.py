"""People, roles and sign-in, kept in the store (schema 9).

Roles: `coordinator` (enrols people, sees and edits everything), `accompanier` (linked to
an Accompanier record: sees and edits the enterprises whose accompanier_id is theirs),
`member` (linked to one enterprise: sees it), `researcher` (the cohort explorer only).

Passwords are stored as argon2id hashes (argon2-cffi, as Jupyter itself uses). Sign-in
failures are written to the security log; after `FREE_FAILURES` failures in
`WINDOW` for an account or for an address, each further attempt (right or wrong) waits
`delay()` seconds before it is answered, doubling up to `MAX_DELAY`: guessing is slowed
without letting anyone lock a colleague out for good.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from vises_nb.errors import NotFoundError, ValidationError
from vises_nb.store import model as m
from vises_nb.store.schema import changes_table, people_table, security_log_table
from vises_nb.store.store import Store

ROLES = ("coordinator", "accompanier", "member", "researcher")
USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")
MIN_PASSWORD = 10
FREE_FAILURES = 3
WINDOW = dt.timedelta(minutes=15)
MAX_DELAY = 30.0
# Attempts on one account (or from one address) take turns: each reads the failures of
# those before it, waits its delay, is checked. Beyond this many waiting their turn, an
# attempt is answered at once, unchecked (a guesser sending many at a time).
MAX_QUEUED = 10
_hasher = PasswordHasher()  # argon2id, the library's defaults (64 MiB, 3 passes)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


@dataclass(frozen=True)
class Person:
    username: str
    role: str
    accompanier_id: str | None = None
    enterprise_id: str | None = None
    active: bool = True
    must_change_password: bool = False  # a one-time password from the coordinator's page


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ValidationError("err.users.short_password", minimum=MIN_PASSWORD)
    return _hasher.hash(password)


def check_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _person(row: Any) -> Person:
    return Person(row.username, row.role, row.accompanier_id, row.enterprise_id,
                  bool(row.active), bool(getattr(row, "must_change_password", False)))


# Letters and digits people read out without doubt (no 0/O, 1/l/I).
_READABLE = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def one_time_password() -> str:
    """A password for a new account or a reset, shown once on the coordinator's page: 16
    characters from 55 (about 92 bits), in groups of four to be read out or typed."""
    raw = "".join(secrets.choice(_READABLE) for _ in range(16))
    return "-".join(raw[i:i + 4] for i in range(0, 16, 4))


def get_person(store: Store, username: str) -> Person | None:
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(people_table).where(
            people_table.c.username == username)).first()
    return _person(row) if row is not None else None


def list_people(store: Store) -> list[Person]:
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(people_table).order_by(people_table.c.username)).all()
    return [_person(r) for r in rows]


def add_person(store: Store, username: str, role: str, password: str,
               accompanier_id: str | None = None, enterprise_id: str | None = None,
               by: str | None = None, one_time: bool = False) -> Person:
    """Enrol someone; the link their role needs must name an existing record. `by`: the
    coordinator who did it (the security log says so); `one_time`: the password must be
    replaced at the first sign-in."""
    if not USERNAME.match(username or "") or username == "vises-kernel":  # the kernels' name
        raise ValidationError("err.users.bad_name", name=username)
    if role not in ROLES:
        raise ValidationError("err.users.bad_role", role=role, roles=", ".join(ROLES))
    if role == "accompanier":
        if not accompanier_id:
            raise ValidationError("err.users.needs_accompanier")
        store.get(m.Accompanier, accompanier_id)  # NotFoundError names it
        enterprise_id = None
    elif role == "member":
        if not enterprise_id:
            raise ValidationError("err.users.needs_enterprise")
        store.require_enterprise(enterprise_id)
        accompanier_id = None
    else:
        accompanier_id = enterprise_id = None
    hashed = hash_password(password)
    now = _now()
    with store.transaction() as writer:
        exists = writer.conn.execute(sa.select(people_table.c.username).where(
            people_table.c.username == username)).first()
        if exists:
            raise ValidationError("err.users.exists", name=username)
        writer.conn.execute(people_table.insert(), {
            "username": username, "role": role, "accompanier_id": accompanier_id,
            "enterprise_id": enterprise_id, "password_hash": hashed, "active": True,
            "must_change_password": one_time, "created_at": now, "updated_at": now})
        _log(writer.conn, "enrolled", username, None, role + (f" by {by}" if by else ""))
    return Person(username, role, accompanier_id, enterprise_id, True, one_time)


def _update(store: Store, username: str, event: str, by: str | None = None,
            **values: Any) -> None:
    with store.transaction() as writer:
        done = writer.conn.execute(people_table.update().where(
            people_table.c.username == username).values(updated_at=_now(), **values))
        if done.rowcount != 1:
            raise NotFoundError("err.users.unknown", name=username)
        _log(writer.conn, event, username, None, f"by {by}" if by else "")


def disable(store: Store, username: str, by: str | None = None) -> None:
    """From now on this person's sign-ins, pages and open dashboards are refused."""
    _update(store, username, "disabled", by, active=False)


def enable(store: Store, username: str, by: str | None = None) -> None:
    _update(store, username, "enabled", by, active=True)


def set_password(store: Store, username: str, password: str, by: str | None = None,
                 one_time: bool = False) -> None:
    """A new password; `one_time`: to be replaced at the next sign-in (a reset)."""
    _update(store, username, "password_set", by, password_hash=hash_password(password),
            must_change_password=one_time)


def replace_one_time_password(store: Store, username: str, new: str) -> bool:
    """The person, just signed in with a one-time password, chooses their own (it must
    differ from the one-time one). False (nothing changes) when the account has no
    one-time password any more or is disabled."""
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(people_table).where(
            people_table.c.username == username)).first()
    if row is None or not row.active or not row.must_change_password:
        return False
    if check_password(row.password_hash, new):
        raise ValidationError("err.users.same_password")
    hashed = hash_password(new)
    with store.transaction() as writer:  # only if still to be changed: the first one wins
        done = writer.conn.execute(people_table.update().where(
            people_table.c.username == username, people_table.c.active.is_(True),
            people_table.c.must_change_password.is_(True),
            people_table.c.password_hash == row.password_hash).values(
            updated_at=_now(), password_hash=hashed, must_change_password=False))
        if done.rowcount != 1:
            return False
        _log(writer.conn, "password_changed", username, None, "")
    return True


# ------------------------------------------------------------------ sign-in
def _log(conn: sa.Connection, event: str, username: str | None, address: str | None,
         detail: str) -> None:
    conn.execute(security_log_table.insert(), {
        "at": _now(), "event": event, "username": username, "address": address,
        "detail": detail[:2000]})


def log_event(store: Store, event: str, username: str | None, address: str | None = None,
              detail: str = "") -> None:
    """One line in the security log, in its own transaction (kept even when the action
    it records is rolled back)."""
    with store.transaction() as writer:
        _log(writer.conn, event, username, address, detail)


def recent_failures(store: Store, username: str, address: str | None) -> int:
    """Failed sign-ins within WINDOW for this account or from this address (the larger)."""
    since = _now() - WINDOW
    log = security_log_table
    base = sa.select(sa.func.count()).select_from(log).where(
        log.c.event == "sign_in_failed", log.c.at >= since)
    with store.engine.connect() as conn:
        by_name = conn.execute(base.where(log.c.username == username)).scalar() or 0
        by_address = (conn.execute(base.where(log.c.address == address)).scalar() or 0
                      if address else 0)
    return max(by_name, by_address)


def delay(failures: int) -> float:
    """Seconds to wait before answering a sign-in after `failures` recent failures."""
    if failures < FREE_FAILURES:
        return 0.0
    return min(MAX_DELAY, 2.0 ** (failures - FREE_FAILURES))


def authenticate(store: Store, username: str, password: str,
                 address: str | None = None) -> Person | None:
    """The person if the name and password are right and the account active; else None.
    Either way the attempt is logged. (The caller waits `delay()` first.)"""
    row = None
    if USERNAME.match(username or ""):
        with store.engine.connect() as conn:
            row = conn.execute(sa.select(people_table).where(
                people_table.c.username == username)).first()
    if row is None:
        check_password(_DUMMY_HASH, password)  # same time whether the name exists or not
        ok = False
    else:
        ok = check_password(row.password_hash, password) and bool(row.active)
    name = username if USERNAME.match(username or "") else "?"
    log_event(store, "sign_in" if ok else "sign_in_failed", name, address,
              "" if ok or row is None or row.active else "disabled")
    return _person(row) if ok else None


_DUMMY_HASH = _hasher.hash("vises-no-such-account")


# ------------------------------------------------------------------ history
def record_change(conn: sa.Connection, table_name: str, key: Any, enterprise_id: str | None,
                  action: str, revision: int | None, username: str) -> None:
    """Who changed a record (inside the change's own transaction)."""
    conn.execute(changes_table.insert(), {
        "table_name": table_name, "record_key": str(key), "enterprise_id": enterprise_id,
        "action": action, "revision": revision, "changed_by": username,
        "changed_at": _now()})


def history(store: Store, enterprise_id: str, limit: int = 10) -> list[dict[str, Any]]:
    """An enterprise's latest changes, newest first."""
    c = changes_table
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(c).where(c.c.enterprise_id == enterprise_id)
                            .order_by(c.c.id.desc()).limit(limit)).mappings().all()
    return [dict(r) for r in rows]


def security_log(store: Store, event: str | None = None) -> list[dict[str, Any]]:
    log = security_log_table
    query = sa.select(log).order_by(log.c.id)
    if event:
        query = query.where(log.c.event == event)
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings().all()]

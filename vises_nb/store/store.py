"""The store: the one source of truth for what people type and import.

SQLite by default (a file under data/), any SQLAlchemy URL otherwise (a federation's
shared PostgreSQL). Writes are transactional; every editable record carries a revision
and a save based on a stale revision raises `ConflictError` instead of overwriting.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import sqlalchemy as sa
from pydantic import BaseModel

from vises_nb.errors import ConflictError, NotFoundError, StoreBusyError, StoreError
from vises_nb.files import private_file
from vises_nb.paths import default_store_url
from vises_nb.store import model as m
from vises_nb.store.item_codes import check_item_codes
from vises_nb.store.schema import BY_NAME, MIGRATIONS, SCHEMA_VERSION, TABLES, meta_table, metadata

M = TypeVar("M", bound=BaseModel)
#: records read back are checked under the bounds they were written with (model.Label)
STORED = {"stored": True}


def normalise_url(url: str | Path | None) -> str:
    """Accept a SQLAlchemy URL or a plain path to a SQLite file."""
    if url is None or url == "":
        return default_store_url()
    text = str(url)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).resolve()}"


def _sqlite_path(url: sa.URL) -> Path | None:
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


#: json.dumps(row, default=str) without building an encoder per row (the hashes of a
#: whole cohort's rows: a quarter of the time of planning a run on 500 enterprises).
_ROW_JSON = json.JSONEncoder(default=str).encode


def _key_columns(table: sa.Table) -> list[sa.Column]:
    return list(table.primary_key.columns)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


class Store:
    """A connection to one vises database. Open with `Store.open(url)`."""

    def __init__(self, engine: sa.Engine):
        self.engine = engine
        self._local = threading.local()  # the connection of a `snapshot()` block

    # ---------------------------------------------------------------- opening
    @classmethod
    def open(cls, url: str | Path | None = None, create: bool = False) -> Store:
        """Open (and upgrade if needed) a store; with create=True make an empty one.

        Raises StoreError with a one-line explanation when the URL cannot be opened,
        the file is missing or is not a vises database.
        """
        text = normalise_url(url)
        try:
            parsed = sa.make_url(text)
        except sa.exc.ArgumentError:
            raise StoreError("err.store.bad_url", url=text) from None
        path = _sqlite_path(parsed)
        if path is not None:
            if not path.exists() and not create:
                raise StoreError("err.store.no_file", path=path)
            if create:
                # personal data: the owner only (SQLite gives -wal/-shm the same mode)
                try:
                    private_file(path)
                except OSError as exc:
                    raise StoreError("err.store.cannot_open", where=path,
                                     detail=exc.strerror or type(exc).__name__) from None
        try:
            engine = _make_engine(parsed)
            store = cls(engine)
            store._prepare(create=create, where=str(path or parsed.render_as_string()))
        except StoreError:
            raise
        except sa.exc.NoSuchModuleError:
            raise StoreError("err.store.unknown_kind", url=text, kind=parsed.drivername) \
                from None
        except (sa.exc.SQLAlchemyError, sqlite3.Error, OSError, ImportError) as exc:
            where = path or parsed.render_as_string(hide_password=True)
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise StoreError("err.store.cannot_open", where=where, detail=first) from None
        return store

    def _prepare(self, create: bool, where: str) -> None:
        inspector = sa.inspect(self.engine)
        tables = set(inspector.get_table_names())
        if meta_table.name not in tables:
            if tables:
                raise StoreError("err.store.not_vises", where=where)
            if not create:
                raise StoreError("err.store.empty", where=where)
            with self.engine.begin() as conn:
                metadata.create_all(conn)
                conn.execute(meta_table.insert(), [
                    {"key": "schema_version", "value": str(SCHEMA_VERSION)},
                    {"key": "created_at", "value": _now().isoformat()},
                ])
            return
        version = self.schema_version
        if version > SCHEMA_VERSION:
            raise StoreError("err.store.newer_schema", where=where, version=version,
                             supported=SCHEMA_VERSION)
        if version < SCHEMA_VERSION:
            self.upgrade()

    @property
    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            value = conn.execute(
                sa.select(meta_table.c.value).where(meta_table.c.key == "schema_version")
            ).scalar()
        if value is None:
            raise StoreError("err.store.no_schema_version")
        return int(value)

    def upgrade(self) -> list[int]:
        """Apply every pending migration, each in its own transaction. Returns versions applied."""
        applied = []
        current = self.schema_version
        # Versions are numbered by the branch that made them: a gap is no migration.
        for version in sorted(v for v in MIGRATIONS if current < v <= SCHEMA_VERSION):
            with self.engine.begin() as conn:
                migration = MIGRATIONS.get(version)  # a number kept for another branch
                if migration is not None:
                    migration(conn)
                conn.execute(
                    meta_table.update().where(meta_table.c.key == "schema_version"),
                    {"value": str(version)},
                )
            applied.append(version)
        return applied

    def close(self) -> None:
        self.engine.dispose()

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    # ---------------------------------------------------------------- writing
    @contextmanager
    def transaction(self) -> Iterator[Writer]:
        """Group writes: all of them happen, or none (on any exception). A SQLite store
        another program keeps locked longer than `busy_seconds()` is a StoreBusyError
        naming the store (nothing written), not the driver's OperationalError."""
        try:
            with self.engine.connect() as conn:
                conn = conn.execution_options(vises_write=True)
                with conn.begin():
                    yield Writer(conn)
        except sa.exc.OperationalError as exc:
            if not _locked(exc):
                raise
            where = self.engine.url.database or self.url
            raise StoreBusyError("err.store.busy", where=Path(where).name,
                                 seconds=_seconds(busy_seconds())) from None

    def save(self, record: BaseModel, expected_revision: int | None = None) -> int:
        """Insert (expected_revision=None) or update one record; returns its new revision."""
        with self.transaction() as w:
            return w.save(record, expected_revision)

    def delete(self, model: type[BaseModel], key: str | tuple, expected_revision: int) -> None:
        with self.transaction() as w:
            w.delete(model, key, expected_revision)

    # ---------------------------------------------------------------- reading
    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Every read in this block (this thread) sees one consistent state of the store:
        one read transaction (REPEATABLE READ on PostgreSQL; on SQLite in WAL mode a read
        transaction is a snapshot), so a writer committing meanwhile is seen whole or not
        at all. Nested blocks share the outer snapshot."""
        if getattr(self._local, "conn", None) is not None:
            yield
            return
        with self.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                self._local.conn = conn
                try:
                    yield
                finally:
                    self._local.conn = None

    @contextmanager
    def _reading(self) -> Iterator[sa.Connection]:
        """The snapshot's connection inside `snapshot()`, else a connection of its own."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            yield conn
            return
        with self.engine.connect() as conn:
            yield conn

    def get(self, model: type[M], key: str | tuple) -> tuple[M, int]:
        """A record and its revision; NotFoundError when there is none."""
        table = TABLES[model]
        with self._reading() as conn:
            row = conn.execute(sa.select(table).where(_key_clause(table, key))).mappings().first()
        if row is None:
            raise NotFoundError("err.store.no_record", model=model.__name__, key=key)
        data = dict(row)
        revision = data.pop("revision", 0)
        data.pop("updated_at", None)
        return model.model_validate(data, context=STORED), revision

    def list(self, model: type[M], **where: Any) -> list[M]:
        table = TABLES[model]
        query = sa.select(table).where(*(table.c[k] == v for k, v in where.items()))
        with self._reading() as conn:
            rows = conn.execute(query.order_by(*_key_columns(table))).mappings().all()
        drop = {"revision", "updated_at"}
        return [model.model_validate({k: v for k, v in r.items() if k not in drop},
                                     context=STORED) for r in rows]

    def frame(self, name: str, enterprise_id: str | None = None) -> pd.DataFrame:
        """One table as a DataFrame (optionally one enterprise's rows): for researchers."""
        if name not in BY_NAME:
            raise NotFoundError("err.store.no_table", name=name, tables=sorted(BY_NAME))
        table = TABLES[BY_NAME[name]]
        query = sa.select(table)
        if enterprise_id is not None:
            column = table.c.id if name == "enterprises" else table.c.enterprise_id
            query = query.where(column == enterprise_id)
        query = query.order_by(*_key_columns(table))
        with self._reading() as conn:
            if self._plain(table):
                return self._read_plain(conn, query, [c.name for c in table.c])
            return pd.read_sql(query, conn)

    def _plain(self, table: sa.Table) -> bool:
        """True when no column's values are converted on the way out: SQLAlchemy would
        hand the driver's values over as they are, after ~20 us of work per row. SQLite
        only (the default store, where this is the cost of reading the cohort)."""
        dialect = self.engine.dialect
        if dialect.name != "sqlite":
            return False
        return all(c.type.dialect_impl(dialect).result_processor(dialect, None) is None
                   for c in table.c)

    @staticmethod
    def _read_plain(conn: sa.Connection, query: sa.Select, columns: list[str]) -> pd.DataFrame:
        compiled = query.compile(dialect=conn.dialect)
        params = compiled.construct_params()
        if compiled.positiontup is not None:  # qmark (SQLite) and the like
            args: Any = [params[name] for name in compiled.positiontup]
        else:
            args = params
        cursor = conn.connection.driver_connection.cursor()
        try:
            cursor.execute(str(compiled), args)
            rows = cursor.fetchall()
        finally:
            cursor.close()
        return pd.DataFrame.from_records(rows, columns=columns, coerce_float=True)

    def enterprise_ids(self) -> list[str]:
        table = TABLES[m.Enterprise]
        with self._reading() as conn:
            return list(conn.execute(sa.select(table.c.id).order_by(table.c.id)).scalars())

    def require_enterprise(self, enterprise_id: str) -> m.Enterprise:
        """The enterprise, or a NotFoundError that lists a few existing ids."""
        try:
            return self.get(m.Enterprise, enterprise_id)[0]
        except NotFoundError:
            known = self.enterprise_ids()
            if not known:
                raise NotFoundError("err.store.no_enterprise_none", enterprise=enterprise_id,
                                    url=self.url) from None
            hint = ", ".join(known[:5]) + (" ..." if len(known) > 5 else "")
            raise NotFoundError("err.store.no_enterprise", enterprise=enterprise_id,
                                url=self.url, known=hint) from None

    def data_hash(self, enterprise_id: str) -> str:
        """A short hash of everything stored about one enterprise: its data version."""
        return self.data_hashes([enterprise_id])[enterprise_id]

    def data_hashes(self, enterprise_ids: list[str]) -> dict[str, str]:
        """`data_hash` of several enterprises, reading each table once (a run plans the
        whole cohort: one query per table instead of one per table and enterprise)."""
        digests = {eid: hashlib.sha256() for eid in enterprise_ids}
        with self._reading() as conn:
            for model, table in TABLES.items():
                if model in (m.Accompanier, m.Group, m.GroupMember, m.GroupSession,
                             m.SessionAttendance):
                    continue  # shared, or not shown in any report (groups and sessions)
                column = table.c.id if model is m.Enterprise else table.c.enterprise_id
                for digest in digests.values():
                    digest.update(table.name.encode())
                query = sa.select(table).where(column.in_(enterprise_ids))
                owner = list(table.c).index(column)
                for row in conn.execute(query.order_by(column, *_key_columns(table))):
                    digests[row[owner]].update(_ROW_JSON(list(row)).encode())
        return {eid: digest.hexdigest()[:16] for eid, digest in digests.items()}

    def integrity_check(self) -> str:
        """SQLite's own integrity check ('ok' when sound); 'ok' on servers that check themselves."""
        if self.engine.url.get_backend_name() != "sqlite":
            return "ok"
        with self.engine.connect() as conn:
            return str(conn.execute(sa.text("PRAGMA integrity_check")).scalar())


class Writer:
    """Writes inside one transaction (see Store.transaction)."""

    def __init__(self, conn: sa.Connection):
        self.conn = conn

    def save(self, record: BaseModel, expected_revision: int | None = None) -> int:
        table = TABLES[type(record)]
        values = record.model_dump(mode="python")
        editable = "revision" in table.c
        if editable:
            values["updated_at"] = _now()
        if type(record) is m.Item:
            check_item_codes(self.conn, [values])
        if expected_revision is None:
            if editable:
                values["revision"] = 1
            try:
                with self.conn.begin_nested():
                    self.conn.execute(table.insert(), values)
            except sa.exc.IntegrityError:
                key = _key_of(table, values)
                raise ConflictError("err.store.exists", model=type(record).__name__,
                                    key=key) from None
            return 1
        if not editable:
            raise TypeError(f"{table.name} rows are replaced, not edited")
        values["revision"] = expected_revision + 1
        key = _key_of(table, values)
        result = self.conn.execute(
            table.update()
            .where(_key_clause(table, key), table.c.revision == expected_revision)
            .values(values)
        )
        if result.rowcount != 1:
            raise _conflict(self.conn, table, type(record).__name__, key, expected_revision)
        return expected_revision + 1

    def delete(self, model: type[BaseModel], key: str | tuple, expected_revision: int) -> None:
        table = TABLES[model]
        result = self.conn.execute(
            table.delete().where(_key_clause(table, key), table.c.revision == expected_revision)
        )
        if result.rowcount != 1:
            raise _conflict(self.conn, table, model.__name__, key, expected_revision)

    def insert_many(self, model: type[BaseModel], rows: Iterable[dict[str, Any]]) -> int:
        """Insert already validated rows quickly (sample generation, imports)."""
        table = TABLES[model]
        now = _now()
        batch: list[dict[str, Any]] = []
        count = 0
        editable = "revision" in table.c
        if model is m.Item:
            rows = list(rows)
            check_item_codes(self.conn, rows)
        for row in rows:
            if editable:
                row = {**row, "revision": 1, "updated_at": now}
            batch.append(row)
            if len(batch) >= 5000:
                self.conn.execute(table.insert(), batch)
                count += len(batch)
                batch = []
        if batch:
            self.conn.execute(table.insert(), batch)
            count += len(batch)
        return count


def _key_of(table: sa.Table, values: dict[str, Any]) -> str | tuple:
    cols = _key_columns(table)
    if len(cols) == 1:
        return values[cols[0].name]
    return tuple(values[c.name] for c in cols)


def _key_clause(table: sa.Table, key: str | tuple) -> sa.ColumnElement[bool]:
    cols = _key_columns(table)
    keys = key if isinstance(key, tuple) else (key,)
    if len(keys) != len(cols):
        raise ValueError(f"{table.name} is keyed by {', '.join(c.name for c in cols)}")
    return sa.and_(*(c == k for c, k in zip(cols, keys, strict=True)))


def _conflict(conn: sa.Connection, table: sa.Table, what: str, key: Any, expected: int) -> Exception:
    current = conn.execute(
        sa.select(table.c.revision).where(_key_clause(table, key))
    ).scalar()
    if current is None:
        return NotFoundError("err.store.deleted", model=what, key=key)
    return ConflictError("err.store.conflict", model=what, key=key, expected=expected,
                         current=current)


BUSY_ENV = "VISES_BUSY_SECONDS"  # how long a write waits for another program's lock


def busy_seconds() -> float:
    """How long a write waits for the lock another program holds on a SQLite store
    (`$VISES_BUSY_SECONDS`, default 60) before it is refused."""
    try:
        value = float(os.environ.get(BUSY_ENV, "") or 60)
    except ValueError:
        value = 60.0
    return value if value > 0 else 60.0


def _seconds(value: float) -> str:
    return f"{value:g}"


def _locked(exc: sa.exc.OperationalError) -> bool:
    text = str(getattr(exc, "orig", exc)).lower()
    return "database is locked" in text or "database is busy" in text


def _make_engine(url: sa.URL) -> sa.Engine:
    if url.get_backend_name() != "sqlite":
        return sa.create_engine(url, pool_pre_ping=True)
    busy = busy_seconds()
    engine = sa.create_engine(url, connect_args={"timeout": busy})

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # pragma: no cover - exercised by every test
        # Let SQLAlchemy, not the driver, start transactions, so that write transactions
        # take the lock up front (BEGIN IMMEDIATE): concurrent writers queue on the busy
        # timeout instead of failing on a lock upgrade; WAL lets readers go on meanwhile.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy * 1000)}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn):  # pragma: no cover - exercised by every test
        immediate = conn.get_execution_options().get("vises_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine

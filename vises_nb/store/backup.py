"""Backups of the store, and restoring them.

A SQLite store is copied with SQLite's online backup API: one consistent snapshot even
while dashboards or imports write, readable as an ordinary store. Any other store (a
federation's PostgreSQL) is dumped as portable JSON lines: a header (format, schema
version, row counts), one line per row, and an end line carrying the SHA-256 of every
line before it, so a truncated or damaged dump is recognised before anything is written.

A restore checks the whole backup first, then writes every row in ONE transaction into
an empty store (or, with force, replaces the target's content): it happens whole or not
at all. A backup file is written under a temporary name and renamed when complete.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from vises_nb.errors import Message, StoreError, ValidationError, VisesError
from vises_nb.store.model import validate
from vises_nb.store.schema import SCHEMA_VERSION, TABLES, meta_table
from vises_nb.store.store import Store, normalise_url

FORMAT = "vises-backup"
FORMAT_VERSION = 1
SQLITE_MAGIC = b"SQLite format 3\x00"
BATCH = 5000
ALL_TABLES = [meta_table, *TABLES.values()]


class BackupError(VisesError):
    """A backup cannot be written, or a file cannot be restored (damaged, wrong kind)."""


def _sqlite_path(url: str) -> Path | None:
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        return Path(parsed.database)
    return None


def _temporary_beside(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(fd)
    return Path(name)


# ------------------------------------------------------------------------------ backup
def backup(store_url: str | Path | None, target: Path, force: bool = False) -> dict[str, Any]:
    """Write a backup of the store to `target`; returns what was written (kind, rows)."""
    url = normalise_url(store_url)
    target = Path(target).resolve()
    if target.exists() and not force:
        raise BackupError("err.backup.exists", target=target)
    store = Store.open(url)  # fails with a clear message on a bad store; upgrades an old one
    try:
        path = _sqlite_path(url)
        if path is not None and not target.name.endswith(".jsonl"):
            store.close()
            return _backup_sqlite(path, target)
        return _backup_jsonl(store, target)
    finally:
        store.close()


def _backup_sqlite(source: Path, target: Path) -> dict[str, Any]:
    tmp = _temporary_beside(target)
    try:
        with sqlite3.connect(source, timeout=60) as src, sqlite3.connect(tmp) as dst:
            src.execute("PRAGMA busy_timeout=60000")
            src.backup(dst)  # all pages in one step: a single consistent snapshot
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            check = dst.execute("PRAGMA integrity_check").fetchone()[0]
            rows = _sqlite_counts(dst)
        src.close()
        dst.close()
        if check != "ok":
            raise BackupError("err.backup.copy_damaged", source=source, check=check)
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return {"kind": "sqlite", "file": str(target), "rows": rows}


def _sqlite_counts(conn: sqlite3.Connection) -> int:
    return sum(conn.execute(f'SELECT count(*) FROM "{t.name}"').fetchone()[0]
               for t in TABLES.values())


def _json_default(value: object) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to a backup")


def _backup_jsonl(store: Store, target: Path) -> dict[str, Any]:
    tmp = _temporary_beside(target)
    digest = hashlib.sha256()
    total = 0
    try:
        with store.engine.connect() as conn, open(tmp, "wb") as out:
            if conn.dialect.name == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():  # one snapshot for every table
                counts = {t.name: conn.execute(sa.select(sa.func.count()).select_from(t))
                          .scalar_one() for t in ALL_TABLES}

                def emit(obj: dict[str, Any]) -> None:
                    line = (json.dumps(obj, ensure_ascii=False, default=_json_default)
                            + "\n").encode()
                    digest.update(line)
                    out.write(line)

                emit({"format": FORMAT, "format_version": FORMAT_VERSION,
                      "schema_version": store.schema_version, "counts": counts,
                      "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")})
                for table in ALL_TABLES:
                    keys = list(table.primary_key.columns)
                    result = conn.execute(sa.select(table).order_by(*keys))
                    for row in result.mappings():
                        emit({"t": table.name, "r": dict(row)})
                        total += table is not meta_table
            end = {"end": True, "rows": total, "sha256": digest.hexdigest()}
            out.write((json.dumps(end) + "\n").encode())
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return {"kind": "jsonl", "file": str(target), "rows": total}


# ----------------------------------------------------------------------------- restore
def restore(source: Path, store_url: str | Path | None, force: bool = False) -> dict[str, Any]:
    """Restore a backup into the store, whole or not at all; returns rows restored.

    The target must be empty (or `force`): the backup is checked completely first, then
    written in one transaction that also replaces any content the target had.
    """
    source = Path(source).resolve()
    if not source.is_file():
        raise BackupError("err.backup.missing", source=source)
    with open(source, "rb") as handle:
        magic = handle.read(len(SQLITE_MAGIC))
    with tempfile.TemporaryDirectory(prefix="vises-restore-") as work:
        if magic == SQLITE_MAGIC:
            tables = _checked_sqlite_backup(source, Path(work))
        else:
            tables = _checked_jsonl_backup(source)
        _validate_rows(tables, source)
        return _write_all(tables, normalise_url(store_url), force, source)


def _checked_sqlite_backup(source: Path, work: Path) -> dict[str, list[dict[str, Any]]]:
    """The rows of a SQLite backup, after checking its size, integrity and schema."""
    size = source.stat().st_size
    with open(source, "rb") as handle:
        header = handle.read(100)
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    if len(header) < 100 or page_size < 512 or size != page_size * pages:
        raise BackupError("err.backup.truncated", source=source, size=size,
                          expected=page_size * pages)
    copy = work / "backup.sqlite"
    shutil.copyfile(source, copy)  # never touch the user's backup (an upgrade would)
    try:
        with sqlite3.connect(copy) as conn:
            check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        conn.close()
    except sqlite3.DatabaseError as exc:
        check = str(exc)
    if check != "ok":
        raise BackupError("err.backup.damaged", source=source, check=check.splitlines()[0])
    try:
        store = Store.open(copy)
    except StoreError as exc:
        raise BackupError("err.backup.not_vises", source=source, detail=exc) from None
    try:
        with store.engine.connect() as conn:
            return {t.name: [dict(r) for r in conn.execute(sa.select(t)).mappings()]
                    for t in ALL_TABLES}
    finally:
        store.close()


def _lines(source: Path) -> Iterator[tuple[int, bytes]]:
    with open(source, "rb") as handle:
        yield from enumerate(handle, start=1)


def _checked_jsonl_backup(source: Path) -> dict[str, list[dict[str, Any]]]:
    """The rows of a JSON-lines dump, after checking header, counts, end line and checksum."""
    def damaged(why: Message) -> BackupError:
        return BackupError("err.backup.incomplete", source=source, why=why)

    digest = hashlib.sha256()
    tables: dict[str, list[dict[str, Any]]] = {t.name: [] for t in ALL_TABLES}
    header: dict[str, Any] | None = None
    end: dict[str, Any] | None = None
    for number, line in _lines(source):
        if end is not None:
            raise damaged(Message("err.backup.after_end", line=number))
        try:
            obj = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise damaged(Message("err.backup.not_json", line=number)) from None
        if not isinstance(obj, dict):
            raise damaged(Message("err.backup.not_object", line=number))
        if header is None:
            if obj.get("format") != FORMAT:
                raise damaged(Message("err.backup.no_header"))
            header = obj
        elif obj.get("end") is True:
            end = obj
            continue
        elif obj.get("t") in tables and isinstance(obj.get("r"), dict):
            tables[obj["t"]].append(obj["r"])
        else:
            raise damaged(Message("err.backup.unknown_row", line=number))
        digest.update(line)
    if header is None:
        raise damaged(Message("err.backup.empty"))
    if end is None:
        raise damaged(Message("err.backup.no_end"))
    if end.get("sha256") != digest.hexdigest():
        raise damaged(Message("err.backup.checksum"))
    counts = {name: len(rows) for name, rows in tables.items()}
    if header.get("counts") != counts:
        raise damaged(Message("err.backup.counts"))
    version = header.get("schema_version")
    if version != SCHEMA_VERSION:
        raise BackupError("err.backup.other_schema", source=source, version=version,
                          supported=SCHEMA_VERSION)
    for table in ALL_TABLES:
        _parse_dates(table, tables[table.name])
    return tables


def _parse_dates(table: sa.Table, rows: list[dict[str, Any]]) -> None:
    kinds = {c.name: type(c.type) for c in table.columns}
    for name, kind in kinds.items():
        parse = (dt.datetime.fromisoformat if kind is sa.DateTime
                 else dt.date.fromisoformat if kind is sa.Date else None)
        if parse is None:
            continue
        for row in rows:
            if isinstance(row.get(name), str):
                row[name] = parse(row[name])


def _validate_rows(tables: dict[str, list[dict[str, Any]]], source: Path) -> None:
    """Every row through its model, as if typed again: a bad value, an unknown column or a
    repeated key is refused naming table, row and field, before anything is written.
    Rows are replaced by their validated values (text normalised as the model does)."""
    for model, table in TABLES.items():
        fields = model.model_fields
        keys = [c.name for c in table.primary_key.columns]
        editable = "revision" in table.c
        seen: set[tuple[Any, ...]] = set()
        for number, row in enumerate(tables[table.name], start=1):
            def bad(problem: object, table: str = table.name, row: int = number) -> BackupError:
                return BackupError("err.backup.bad_row", source=source, table=table,
                                   row=row, problem=problem)

            unknown = sorted(str(k) for k in row if k not in table.c)
            if unknown:
                raise bad(Message("err.backup.unknown_columns", columns=unknown[:5]))
            try:
                record = validate(model, {k: v for k, v in row.items() if k in fields},
                                  stored=True)
            except ValidationError as exc:
                raise bad(exc) from None
            row.update(record.model_dump(mode="python"))
            if editable:
                revision = row.get("revision")
                if not isinstance(revision, int) or isinstance(revision, bool) or revision < 1:
                    raise bad(Message("err.backup.bad_revision", got=repr(revision)[:40]))
                if not isinstance(row.get("updated_at"), dt.datetime):
                    row["updated_at"] = dt.datetime.now(dt.UTC).replace(tzinfo=None)
            key = tuple(row[k] for k in keys)
            if key in seen:
                raise bad(Message("err.backup.duplicate_key", key=", ".join(map(str, key))[:200]))
            seen.add(key)


def _write_all(tables: dict[str, list[dict[str, Any]]], url: str, force: bool,
               source: Path) -> dict[str, Any]:
    path = _sqlite_path(url)
    created = path is not None and not path.exists()
    try:
        store = Store.open(url, create=True)
        try:
            with store.transaction() as writer:
                conn = writer.conn
                filled = [t.name for t in TABLES.values()
                          if conn.execute(sa.select(t).limit(1)).first() is not None]
                if filled and not force:
                    where = path or store.url
                    raise BackupError("err.backup.not_empty", where=where, tables=filled[:3])
                for table in reversed(ALL_TABLES):
                    conn.execute(table.delete())
                total = 0
                for table in ALL_TABLES:
                    rows = tables[table.name]
                    try:
                        for start in range(0, len(rows), BATCH):
                            conn.execute(table.insert(), rows[start:start + BATCH])
                    except sa.exc.SQLAlchemyError as exc:
                        # the driver's first line only: never the rows SQLAlchemy appends
                        detail = str(getattr(exc, "orig", None) or type(exc).__name__)
                        raise BackupError("err.backup.write_failed", source=source,
                                          table=table.name,
                                          detail=detail.splitlines()[0][:200]) from None
                    total += len(rows) if table is not meta_table else 0
                conn.execute(meta_table.update().where(meta_table.c.key == "schema_version"),
                             {"value": str(SCHEMA_VERSION)})
        finally:
            store.close()
    except BaseException:
        if created and path is not None:
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
        raise
    return {"store": url if path is None else str(path), "rows": total, "source": str(source)}

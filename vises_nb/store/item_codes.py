"""One enterprise never holds two items of one code.

Answers are read, exported and grouped (results, collection) by item code: two items of
one code would be two columns of one name in the generated questionnaire and one mixed
series in the results. `check_item_codes` runs inside the writing transaction, before
items are written (`Writer.save` and `Writer.insert_many`), so no path can bypass it; it
raises ConflictError and the caller's transaction is undone, nothing stored.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from vises_nb.errors import ConflictError
from vises_nb.store import model as m
from vises_nb.store.schema import TABLES

_CHUNK = 500  # enterprises per query (bound parameters stay few)


def check_item_codes(conn: sa.Connection, rows: list[dict[str, Any]]) -> None:
    """Refuse rows (items about to be written) whose code another item of the same
    enterprise has, in the store or among the rows themselves."""
    wanted: dict[tuple[str, str], str] = {}
    for row in rows:
        key = (row["enterprise_id"], row["code"])
        other = wanted.setdefault(key, row["id"])
        if other != row["id"]:
            raise _taken(key, row["id"], other)
    if not wanted:
        return
    items, enterprises = TABLES[m.Item], TABLES[m.Enterprise]
    owners = sorted({eid for eid, _ in wanted})
    for start in range(0, len(owners), _CHUNK):
        chunk = owners[start:start + _CHUNK]
        # PostgreSQL: writers of one enterprise's items wait for each other here, so two
        # concurrent transactions cannot both pass the check (SQLite writes one at a time)
        conn.execute(sa.select(enterprises.c.id).where(enterprises.c.id.in_(chunk))
                     .with_for_update())
        query = sa.select(items.c.id, items.c.enterprise_id, items.c.code) \
            .where(items.c.enterprise_id.in_(chunk))
        for item_id, eid, code in conn.execute(query):
            mine = wanted.get((eid, code))
            if mine is not None and mine != item_id:
                raise _taken((eid, code), mine, item_id)


def _taken(key: tuple[str, str], item_id: str, other: str) -> ConflictError:
    return ConflictError("err.store.item_code_taken", enterprise=key[0], code=key[1],
                         item=item_id, other=other)

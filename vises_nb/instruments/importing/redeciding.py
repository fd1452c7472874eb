"""A stored own list's order, decided again when a re-import's form declares it.

An import stores an own scale once and never changes its options: answers already coded
with it keep their meaning. Its *kind* is another matter: whether a list is ordered
(`ordinal`: median, top-2 box, test of change) or unordered (`nominal`: the share of each
answer) changes no stored code. So when the form of a later import declares, in the
`vises` column of a question using the list, `ordered` or `unordered` differently from
what is stored, the stored scale and its items take the declared kind, provided the
list's options are the very ones stored (same names, same positions, same coded values).
When they are not, nothing changes and the import report says why and what to do.

Only a declaration changes a stored kind: a form without one (vises' own generated
questionnaire, a form read from the store or from the export) never undoes what an
earlier form declared. yes_no and catalogue scales never change. Removing a declaration
from the form does not revert it either: when an own form (given, or kept) no longer
declares a list's order and its choices alone read otherwise than the stored kind, the
list keeps its stored kind and the report says so, and what to write in the `vises`
column to change it (`undeclared`).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from vises_nb.errors import Message
from vises_nb.store import model as m
from vises_nb.store.schema import TABLES

ORDERS = ("ordinal", "nominal")
KINDS = {"ordinal": Message("import.kind.ordinal"), "nominal": Message("import.kind.nominal")}
KEPT = {"ordinal": "import.order_kept.ordinal", "nominal": "import.order_kept.nominal"}


WRITE = {"ordinal": "ordered", "nominal": "unordered"}


def redecide_kinds(conn: sa.Connection, scales, declared: dict[str, str],
                   undeclared: dict[str, str] | None = None) -> list[Message]:
    """Within the import's transaction: give each stored own scale the kind its form
    declares (`declared`: scale id -> "ordinal" / "nominal") when its options are the
    stored ones, and its items too; a line for the import report for each list changed or
    left unchanged because its options changed (see module doc). `undeclared`: scale
    id -> the kind an own form's choices read as, for its lists it declares nothing of:
    a stored list of another kind keeps it, with a line saying how to change it."""
    table, options_table, items = (TABLES[m.AnswerScale], TABLES[m.ScaleOption],
                                   TABLES[m.Item])
    said = []
    for scale, options in scales:
        kind = declared.get(scale.id)
        if kind not in ORDERS:
            said.extend(_kept_undeclared(conn, scale.id, (undeclared or {}).get(scale.id)))
            continue
        stored = conn.execute(sa.select(table.c.kind, table.c.list_name).where(
            table.c.id == scale.id)).first()
        if stored is None or stored.kind not in ORDERS or stored.kind == kind:
            continue
        stored_options = [tuple(row) for row in conn.execute(
            sa.select(options_table.c.position, options_table.c.name, options_table.c.value)
            .where(options_table.c.scale_id == scale.id)
            .order_by(options_table.c.position)).all()]
        if stored_options != [(o.position, o.name, o.value) for o in options]:
            said.append(Message(KEPT[stored.kind], list=stored.list_name,
                                declared=KINDS[kind]))
            continue
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
        conn.execute(table.update().where(table.c.id == scale.id).values(
            kind=kind, revision=table.c.revision + 1, updated_at=now))
        conn.execute(items.update().where(items.c.scale_id == scale.id,
                                          items.c.scale.in_(ORDERS)).values(
            scale=kind, revision=items.c.revision + 1, updated_at=now))
        said.append(Message("import.order_changed", list=stored.list_name,
                            old=KINDS[stored.kind], new=KINDS[kind]))
    return said


def _kept_undeclared(conn: sa.Connection, scale_id: str, read: str | None) -> list[Message]:
    """A stored list the form declares nothing of, whose choices alone read as `read`:
    a line when its stored kind is the other (a declaration removed from the form, or a
    list stored before vises read such words)."""
    if read not in ORDERS:
        return []
    table = TABLES[m.AnswerScale]
    stored = conn.execute(sa.select(table.c.kind, table.c.list_name).where(
        table.c.id == scale_id)).first()
    if stored is None or stored.kind not in ORDERS or stored.kind == read:
        return []
    return [Message("import.order_undeclared", list=stored.list_name, kept=KINDS[stored.kind],
                    read=KINDS[read], write=WRITE[read])]

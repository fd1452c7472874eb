"""Write a checked import in one transaction, and record it in the `imports` table.

Re-importing a file already recorded for the same enterprise, wave and instrument, read
the same way (its source format, with a stated `--date-order`), adds nothing; otherwise that wave's answers to the instrument's items are replaced.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid

import sqlalchemy as sa

from vises_nb.errors import ConflictError
from vises_nb.instruments.importing.redeciding import redecide_kinds
from vises_nb.instruments.importing.report import ImportReport
from vises_nb.store import model as m
from vises_nb.store.schema import TABLES
from vises_nb.store.store import Store

ATTEMPTS = 3


def record_import(store: Store, report: ImportReport, instrument: m.Instrument,
                  new_items: list[m.Item], scope: list[m.Item], respondents: list[str],
                  responses: list[dict], wave_id: str, *, scales=(),
                  indicators: list[m.Indicator] = (), links: dict[str, str] | None = None,
                  excerpts: list[dict] = (), declared: dict[str, str] | None = None,
                  own_form: m.OwnForm | None = None,
                  undeclared: dict[str, str] | None = None) -> None:
    """Write one checked import in one transaction (see module doc), idempotent under
    concurrency: imports of one enterprise are serialised (SQLite's write lock; a
    transaction-scoped advisory lock on PostgreSQL), what exists is read inside the
    transaction, and a conflict with a writer outside imports (a form saving the same
    item) is retried on the committed state. `scales` are the enterprise's own answer
    scales the items use, `indicators` catalogue indicators the form links to (added to
    the plan), `links` item id -> indicator id, `declared` own scale id -> the kind
    (ordinal / nominal) the form's `vises` column declares for its list: a stored scale
    takes it, even when the file was already imported (`redeciding`). `own_form` is the
    form file the import was given, kept (`kept_forms`), even when the file was already
    imported: a later wave then reads without it. `undeclared`: own scale id -> the kind
    its choices read as, for the lists an own form declares nothing of (`redeciding`)."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            _record(store, report, instrument, new_items, scope, respondents, responses,
                    wave_id, scales=scales, indicators=indicators, links=links,
                    excerpts=excerpts, declared=declared, own_form=own_form,
                    undeclared=undeclared)
            return
        except (sa.exc.IntegrityError, ConflictError):
            if attempt == ATTEMPTS:
                raise ConflictError("err.import.busy", enterprise=report.enterprise_id) \
                    from None


def _serialise(conn: sa.Connection, enterprise_id: str) -> None:
    if conn.dialect.name == "postgresql":
        key = int.from_bytes(hashlib.sha256(f"vises-import:{enterprise_id}".encode())
                             .digest()[:8], "big", signed=True)
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def _record(store: Store, report: ImportReport, instrument: m.Instrument,
            new_items: list[m.Item], scope: list[m.Item], respondents: list[str],
            responses: list[dict], wave_id: str, *, scales=(),
            indicators: list[m.Indicator] = (), links: dict[str, str] | None = None,
            excerpts: list[dict] = (), declared: dict[str, str] | None = None,
            own_form: m.OwnForm | None = None,
            undeclared: dict[str, str] | None = None) -> None:
    imports = TABLES[m.ImportRecord]
    responses_table = TABLES[m.Response]
    with store.transaction() as w:
        _serialise(w.conn, report.enterprise_id)
        report.redecided = redecide_kinds(w.conn, scales, declared or {}, undeclared)
        if own_form is not None:  # the latest file of that form_id and version
            kept = TABLES[m.OwnForm]
            w.conn.execute(kept.delete().where(kept.c.id == own_form.id))
            w.insert_many(m.OwnForm, [own_form.model_dump()])
        done = w.conn.execute(sa.select(imports.c.id).where(
            imports.c.enterprise_id == report.enterprise_id, imports.c.wave_id == wave_id,
            imports.c.sha256 == report.sha256, imports.c.instrument_id == instrument.id,
            imports.c.source_format == report.source_format)).first()
        if done is not None:
            report.already_imported = True
            report.import_id = done[0]
            report.respondents = report.responses = 0
            return
        instruments = TABLES[m.Instrument]
        if w.conn.execute(sa.select(instruments.c.id).where(
                instruments.c.id == instrument.id)).first() is None:
            w.save(instrument)
        _own_scales(w, scales)
        known_indicators = set(w.conn.execute(sa.select(TABLES[m.Indicator].c.id).where(
            TABLES[m.Indicator].c.enterprise_id == report.enterprise_id)).scalars())
        for indicator in indicators:
            if indicator.id not in known_indicators:
                w.save(indicator)
        links = links or {}
        items = TABLES[m.Item]
        existing = set(w.conn.execute(sa.select(items.c.id).where(
            items.c.enterprise_id == report.enterprise_id)).scalars())
        w.insert_many(m.Item, ({**i.model_dump(), "indicator_id": links.get(
            i.id, i.indicator_id)} for i in new_items if i.id not in existing))
        new_ids = {i.id for i in new_items} - existing
        for item_id, indicator_id in links.items():
            if item_id not in new_ids:  # an item imported before: link it if it is not yet
                w.conn.execute(items.update().where(
                    items.c.id == item_id, items.c.indicator_id.is_(None)).values(
                    indicator_id=indicator_id, revision=items.c.revision + 1))
        report.linked = len(links)
        waves = TABLES[m.Wave]
        if w.conn.execute(sa.select(waves.c.id).where(waves.c.id == wave_id)).first() is None:
            w.save(m.Wave(id=wave_id, enterprise_id=report.enterprise_id,
                          code=report.wave_code))
        people = TABLES[m.Respondent]
        known = set(w.conn.execute(sa.select(people.c.id).where(
            people.c.enterprise_id == report.enterprise_id)).scalars())
        w.insert_many(m.Respondent, (
            {"id": f"{report.enterprise_id}-P{code[:16]}", "enterprise_id": report.enterprise_id,
             "code": code[:32], "sex": None, "age_band": None}
            for code in respondents if f"{report.enterprise_id}-P{code[:16]}" not in known))
        scope_ids = [i.id for i in scope]
        replaced = 0
        for start in range(0, len(scope_ids), 500):
            replaced += w.conn.execute(responses_table.delete().where(
                responses_table.c.wave_id == wave_id,
                responses_table.c.item_id.in_(scope_ids[start:start + 500]))).rowcount
        report.replaced = replaced
        report.responses = w.insert_many(m.Response, responses)
        if excerpts:
            table = TABLES[m.Excerpt]
            there = set(w.conn.execute(sa.select(table.c.id).where(
                table.c.enterprise_id == report.enterprise_id)).scalars())
            report.excerpts = w.insert_many(m.Excerpt, (
                e for e in excerpts if e["id"] not in there))
        report.import_id = f"IMP-{uuid.uuid4().hex[:16]}"
        w.insert_many(m.ImportRecord, [{
            "id": report.import_id, "enterprise_id": report.enterprise_id, "wave_id": wave_id,
            "instrument_id": instrument.id, "file_name": report.file[:500],
            "sha256": report.sha256,
            "imported_at": dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
            "source_format": report.source_format, "rows_read": report.rows_read,
            "respondents": report.respondents, "responses": report.responses,
            "replaced": replaced,
            "personal_dropped": len(report.personal_columns) + report.personal_answers,
        }])


def _own_scales(w, scales) -> None:
    """Store the enterprise's own scales not stored yet (a scale, once stored, keeps its
    options: answers already coded with it keep their meaning; only its kind, ordered or
    not, follows what a later form declares: `redeciding`)."""
    table = TABLES[m.AnswerScale]
    for scale, options in scales:
        if w.conn.execute(sa.select(table.c.id).where(table.c.id == scale.id)).first():
            continue
        w.save(scale)
        w.insert_many(m.ScaleOption, (o.model_dump() for o in options))

"""The store's tables, derived from the domain model, and the schema's version history.

Each table's columns come from its pydantic model, so the model stays the one place
where a field is declared. Editable records get a `revision` (optimistic locking) and
`updated_at`. `MIGRATIONS[v]` upgrades a store from schema v-1 to v, keeping its data.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Callable

import sqlalchemy as sa
from pydantic import BaseModel

from vises_nb.store import model as m

SCHEMA_VERSION = 13

metadata = sa.MetaData()

meta_table = sa.Table(
    "vises_meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)


def _sql_type(annotation: object) -> sa.types.TypeEngine:
    """Map a pydantic field annotation to a portable SQL type."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _sql_type(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _sql_type(args[0])
    if origin in (list, dict) or annotation in (list, dict):
        return sa.JSON()
    if annotation is bool:
        return sa.Boolean()
    if annotation is int:
        return sa.Integer()
    if annotation is float:
        return sa.Float()
    if annotation is dt.datetime:
        return sa.DateTime()
    if annotation is dt.date:
        return sa.Date()
    return sa.Text()


def _table(
    name: str,
    model: type[BaseModel],
    primary_key: tuple[str, ...] = ("id",),
    editable: bool = True,
    indexes: tuple[tuple[str, ...], ...] = (),
) -> sa.Table:
    columns = []
    for field, info in model.model_fields.items():
        nullable = field not in primary_key and not info.is_required()
        columns.append(
            sa.Column(field, _sql_type(info.annotation), primary_key=field in primary_key,
                      nullable=nullable)
        )
    if editable:
        columns.append(sa.Column("revision", sa.Integer, nullable=False, default=1))
        columns.append(sa.Column("updated_at", sa.DateTime, nullable=False))
    table = sa.Table(name, metadata, *columns)
    for cols in indexes:
        sa.Index(f"ix_{name}_{'_'.join(cols)}", *(table.c[c] for c in cols))
    return table


TABLES: dict[type[BaseModel], sa.Table] = {
    m.Accompanier: _table("accompaniers", m.Accompanier),
    m.Enterprise: _table("enterprises", m.Enterprise),
    m.Group: _table("groups", m.Group),
    m.GroupMember: _table("group_members", m.GroupMember,
                          primary_key=("enterprise_id", "period"), indexes=(("group_id",),)),
    m.StepStatus: _table("step_status", m.StepStatus, primary_key=("enterprise_id", "step")),
    m.Stakeholder: _table("stakeholders", m.Stakeholder, indexes=(("enterprise_id",),)),
    m.ChainElement: _table("chain_elements", m.ChainElement, indexes=(("enterprise_id",),)),
    m.ChainLink: _table("chain_links", m.ChainLink, indexes=(("enterprise_id",),)),
    m.EvaluativeQuestion: _table("questions", m.EvaluativeQuestion, indexes=(("enterprise_id",),)),
    m.Indicator: _table("indicators", m.Indicator, indexes=(("enterprise_id",),)),
    m.Instrument: _table("instruments", m.Instrument, indexes=(("enterprise_id",),)),
    m.Item: _table("items", m.Item, indexes=(("enterprise_id",),)),
    m.Wave: _table("waves", m.Wave, indexes=(("enterprise_id",),)),
    m.Respondent: _table("respondents", m.Respondent, indexes=(("enterprise_id",),)),
    m.Response: _table(
        "responses", m.Response, primary_key=("respondent_id", "wave_id", "item_id"),
        editable=False, indexes=(("enterprise_id",), ("wave_id", "item_id")),
    ),
    m.Excerpt: _table("excerpts", m.Excerpt, indexes=(("enterprise_id",),)),
    m.ResearchNote: _table("research_notes", m.ResearchNote, indexes=(("enterprise_id",),)),
    m.QuestionFinding: _table("question_findings", m.QuestionFinding,
                              indexes=(("enterprise_id",),)),
    m.ImportRecord: _table("imports", m.ImportRecord, editable=False,
                           indexes=(("enterprise_id", "wave_id", "sha256"),)),
    m.AnswerScale: _table("scales", m.AnswerScale, indexes=(("enterprise_id",),)),
    m.OwnForm: _table("own_forms", m.OwnForm, editable=False,
                      indexes=(("enterprise_id",),)),
    m.ScaleOption: _table("scale_options", m.ScaleOption, primary_key=("scale_id", "position"),
                          editable=False, indexes=(("enterprise_id",),)),
    m.CleaningAction: _table("cleaning_actions", m.CleaningAction,
                             indexes=(("enterprise_id",),)),
    m.StepEvent: _table("step_events", m.StepEvent, editable=False,
                        indexes=(("enterprise_id", "step"),)),
    m.GroupSession: _table("group_sessions", m.GroupSession, indexes=(("group_id",),)),
    m.SessionAttendance: _table("session_attendance", m.SessionAttendance,
                                primary_key=("session_id", "enterprise_id"),
                                indexes=(("enterprise_id",),)),
}

BY_NAME: dict[str, type[BaseModel]] = {t.name: model for model, t in TABLES.items()}


def _v2_publication_consent(conn: sa.Connection) -> None:
    """Schema 2: verbatims carry the accompanier's publication consent (default: not yet)."""
    conn.execute(sa.text(
        "ALTER TABLE excerpts ADD COLUMN publishable BOOLEAN NOT NULL DEFAULT FALSE"
    ))


def _v3_imports(conn: sa.Connection) -> None:
    """Schema 3: every import of a response file is recorded (file, hash, counts)."""
    TABLES[m.ImportRecord].create(conn)


def _columns(conn: sa.Connection, table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(conn).get_columns(table)}


def _v4_enrolment(conn: sa.Connection) -> None:
    """Schema 4: enterprises and accompaniers can be archived (left the cohort, kept);
    semi-collective groups and their members per period (`vises enrol`). Adds only what
    is missing, so it applies whatever order other migrations ran in."""
    for table in ("enterprises", "accompaniers"):
        present = _columns(conn, table)
        if "archived" not in present:
            conn.execute(sa.text(
                f"ALTER TABLE {table} ADD COLUMN archived BOOLEAN NOT NULL DEFAULT FALSE"))
        if "archived_on" not in present:
            conn.execute(sa.text(f"ALTER TABLE {table} ADD COLUMN archived_on DATE"))
    TABLES[m.Group].create(conn, checkfirst=True)
    TABLES[m.GroupMember].create(conn, checkfirst=True)


def _v5_own_questionnaires(conn: sa.Connection) -> None:
    """Schema 5: enterprises' own answer scales (an item may point to one) and the
    cleaning log. Touches only its own tables and the new `items.scale_id` column, so it
    applies whatever another branch's schema 4 added."""
    for model in (m.AnswerScale, m.ScaleOption, m.CleaningAction):
        TABLES[model].create(conn, checkfirst=True)
    columns = {c["name"] for c in sa.inspect(conn).get_columns("items")}
    if "scale_id" not in columns:
        conn.execute(sa.text("ALTER TABLE items ADD COLUMN scale_id TEXT"))


def _v6_indicator_polarity(conn: sa.Connection) -> None:
    """Schema 6: an indicator says which way is better (existing ones: higher)."""
    if "polarity" not in _columns(conn, "indicators"):
        conn.execute(sa.text(
            "ALTER TABLE indicators ADD COLUMN polarity TEXT NOT NULL DEFAULT 'higher_better'"
        ))


def _v7_question_findings(conn: sa.Connection) -> None:
    """Schema 7: the accompanier's and the enterprise's written finding per evaluative
    question. Adds its own table only, so it runs whatever versions 4-6 did."""
    TABLES[m.QuestionFinding].create(conn, checkfirst=True)


def _v8_step_events(conn: sa.Connection) -> None:
    """Schema 8: each change of a step's status is recorded (who, when, a refusal's reason).
    Only adds its own table, so it does not depend on the migrations numbered before it."""
    TABLES[m.StepEvent].create(conn, checkfirst=True)


# Schema 9 (accounts and roles): who may sign in, what they did, what was refused.
# Not domain records: not in TABLES (no data hash, no backup of password hashes).
people_table = sa.Table(
    "people", metadata,
    sa.Column("username", sa.String(64), primary_key=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("accompanier_id", sa.String(64), nullable=True),
    sa.Column("enterprise_id", sa.String(64), nullable=True),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, default=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    # schema 11: a password given by the coordinator's page, to be replaced at first sign-in
    sa.Column("must_change_password", sa.Boolean, nullable=False, default=False,
              server_default=sa.false()),
)
security_log_table = sa.Table(
    "security_log", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("event", sa.String(32), nullable=False),
    sa.Column("username", sa.String(64), nullable=True),
    sa.Column("address", sa.String(64), nullable=True),
    sa.Column("detail", sa.Text, nullable=False, default=""),
    sa.Index("ix_security_log_event_at", "event", "at"),
)
changes_table = sa.Table(
    "changes", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("table_name", sa.String(64), nullable=False),
    sa.Column("record_key", sa.Text, nullable=False),
    sa.Column("enterprise_id", sa.String(64), nullable=True),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("revision", sa.Integer, nullable=True),
    sa.Column("changed_by", sa.String(64), nullable=False),
    sa.Column("changed_at", sa.DateTime, nullable=False),
    sa.Index("ix_changes_enterprise_id", "enterprise_id"),
)


def _v9_accounts(conn: sa.Connection) -> None:
    """Schema 9: people and roles, the security log (sign-ins, refusals), who changed what.
    Only new tables: independent of the other migrations."""
    for table in (people_table, security_log_table, changes_table):
        table.create(conn, checkfirst=True)


def _v10_group_sessions(conn: sa.Connection) -> None:
    """Schema 10: semi-collective groups' sessions and who attended them. Only its own
    two tables (created if missing), so it runs whatever the other migrations did."""
    for model in (m.GroupSession, m.SessionAttendance):
        TABLES[model].create(conn, checkfirst=True)


# Schema 11 (forms opened to an enterprise's members): which form of which enterprise the
# accompanier (or a coordinator) opened, who and when, and when it was closed again. An
# opening with closed_at NULL is open. Not a domain record (like the tables of schema 9).
form_openings_table = sa.Table(
    "form_openings", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("enterprise_id", sa.String(64), nullable=False),
    sa.Column("form", sa.String(32), nullable=False),
    sa.Column("opened_by", sa.String(64), nullable=False),
    sa.Column("opened_at", sa.DateTime, nullable=False),
    sa.Column("closed_by", sa.String(64), nullable=True),
    sa.Column("closed_at", sa.DateTime, nullable=True),
    sa.Index("ix_form_openings_enterprise_id", "enterprise_id"),
)


def _v11_member_forms(conn: sa.Connection) -> None:
    """Schema 11: forms opened to members (own table) and the one-time password flag
    (own column of schema 9's `people`). Adds only what is missing, so it runs whether
    another branch's schema 10 ran before it or not."""
    form_openings_table.create(conn, checkfirst=True)
    people_table.create(conn, checkfirst=True)
    if "must_change_password" not in _columns(conn, "people"):
        conn.execute(sa.text("ALTER TABLE people ADD COLUMN must_change_password "
                             "BOOLEAN NOT NULL DEFAULT FALSE"))


def _v12_unordered_own_lists(conn: sa.Connection) -> None:
    """Schema 12: an enterprise's own choice lists were all stored as ordered scales
    ("ordinal": a median province). Each own scale still "ordinal" is decided again from
    its stored options' names and labels (`method.answer_order`, as an import now
    decides); an unordered one becomes "nominal", and so do the items on it. Touches only
    those rows (no new table or column): it runs whatever other migrations did, and a
    second run changes nothing."""
    from vises_nb.method.answer_order import order_of

    scales, options, items = TABLES[m.AnswerScale], TABLES[m.ScaleOption], TABLES[m.Item]
    for scale_id in conn.execute(sa.select(scales.c.id).where(
            scales.c.kind == "ordinal")).scalars().all():
        rows = conn.execute(sa.select(options.c.name, options.c.labels).where(
            options.c.scale_id == scale_id).order_by(options.c.position)).all()
        if not rows or order_of([r.name for r in rows],
                                [r.labels if isinstance(r.labels, dict) else {}
                                 for r in rows]) != "nominal":
            continue
        conn.execute(scales.update().where(scales.c.id == scale_id).values(kind="nominal"))
        conn.execute(items.update().where(items.c.scale_id == scale_id,
                                          items.c.scale == "ordinal").values(
            scale="nominal", revision=items.c.revision + 1))


def _v13_kept_forms_and_quality_words(conn: sa.Connection) -> None:
    """Schema 13: the `own_forms` table (an own XLSForm kept at its import, to read a
    later wave's export without it), and the quality words (mauvais / bon / excellent,
    slecht / goed / uitstekend, poor / good / excellent) added to the ordered vocabulary:
    each own list stored "nominal" that reads as ordered only thanks to them becomes
    "ordinal", and so do its items. A list unordered under the vocabularies before
    (a province) is left as it is, a list made unordered by `_v12` too. Adds only its own
    table and touches only those rows: it runs whatever other migrations did, and a
    second run changes nothing."""
    from vises_nb.method.answer_order import BEFORE_QUALITY, order_of

    TABLES[m.OwnForm].create(conn, checkfirst=True)
    scales, options, items = TABLES[m.AnswerScale], TABLES[m.ScaleOption], TABLES[m.Item]
    for scale_id in conn.execute(sa.select(scales.c.id).where(
            scales.c.kind == "nominal")).scalars().all():
        rows = conn.execute(sa.select(options.c.name, options.c.labels).where(
            options.c.scale_id == scale_id).order_by(options.c.position)).all()
        names = [r.name for r in rows]
        labels = [r.labels if isinstance(r.labels, dict) else {} for r in rows]
        if not rows or order_of(names, labels) != "ordinal" or \
                order_of(names, labels, families=BEFORE_QUALITY) == "ordinal":
            continue
        conn.execute(scales.update().where(scales.c.id == scale_id).values(kind="ordinal"))
        conn.execute(items.update().where(items.c.scale_id == scale_id,
                                          items.c.scale == "nominal").values(
            scale="ordinal", revision=items.c.revision + 1))


MIGRATIONS: dict[int, Callable[[sa.Connection], None]] = {
    2: _v2_publication_consent,
    3: _v3_imports,
    4: _v4_enrolment,
    5: _v5_own_questionnaires,
    6: _v6_indicator_polarity,
    7: _v7_question_findings,
    8: _v8_step_events,
    9: _v9_accounts,
    10: _v10_group_sessions,
    11: _v11_member_forms,
    12: _v12_unordered_own_lists,
    13: _v13_kept_forms_and_quality_words,
}

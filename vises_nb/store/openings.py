"""Forms of an enterprise that its accompanier (or a coordinator) opened to the
enterprise's members (schema 11): who opened each, when, and when it was closed again.

A form is a part of the workspace a member can fill: `FORMS` says which records each one
covers. The rule a save must pass (a member, their own enterprise, a form open now) is
applied by the dashboards' access layer (`vises_nb.dashboards.access`); this module only
keeps the openings.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel

from vises_nb.errors import ValidationError
from vises_nb.store import model as m
from vises_nb.store.schema import form_openings_table
from vises_nb.store.store import Store

# form code: the records it covers. Step 1: the identity card, then the diagnostic's
# stakeholders, impact chain (elements and arrows) and evaluative questions (with their
# methods); step 3: the enterprise's own finding per question.
FORMS: dict[str, tuple[type[BaseModel], ...]] = {
    "identity": (m.Enterprise,),
    "stakeholders": (m.Stakeholder,),
    "chain": (m.ChainElement, m.ChainLink),
    "questions": (m.EvaluativeQuestion,),
    "findings": (m.QuestionFinding,),
}
# The identity card's fields: a member saving the enterprise may change these only (never
# its accompanier, archiving, language or id). Kept equal to the workspace's form by a test.
IDENTITY_FIELDS = frozenset({
    "name", "pole", "region", "legal_form", "sector", "year_founded", "fte",
    "integration_workers", "volunteers", "budget_eur", "social_needs", "aspirations",
    "missions", "means", "activities", "territory", "governance", "management",
    "production", "surplus_allocation"})


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def forms_for(model: type[BaseModel]) -> set[str]:
    """The forms that cover records of `model`."""
    return {form for form, models in FORMS.items() if model in models}


def _check_form(form: str) -> None:
    if form not in FORMS:
        raise ValidationError("err.openings.unknown_form", form=form,
                              forms=", ".join(FORMS))


def open_forms(conn: sa.Connection, enterprise_id: str | None) -> set[str]:
    """The forms of this enterprise open to its members now."""
    if not enterprise_id:
        return set()
    t = form_openings_table
    return set(conn.execute(sa.select(t.c.form).where(
        t.c.enterprise_id == enterprise_id, t.c.closed_at.is_(None))).scalars())


def current(store: Store, enterprise_id: str) -> dict[str, dict[str, Any]]:
    """form → its open opening (opened_by, opened_at)."""
    t = form_openings_table
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(t).where(t.c.enterprise_id == enterprise_id,
                                               t.c.closed_at.is_(None))).mappings().all()
    return {r["form"]: dict(r) for r in rows}


def history(store: Store, enterprise_id: str) -> list[dict[str, Any]]:
    """Every opening of this enterprise's forms, newest first."""
    t = form_openings_table
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(sa.select(t).where(
            t.c.enterprise_id == enterprise_id).order_by(t.c.id.desc())).mappings().all()]


def open_form(conn: sa.Connection, enterprise_id: str, form: str, by: str) -> bool:
    """Open a form to the members (inside the caller's transaction); False if it was
    open already (nothing changes)."""
    _check_form(form)
    if form in open_forms(conn, enterprise_id):
        return False
    conn.execute(form_openings_table.insert(), {
        "enterprise_id": enterprise_id, "form": form, "opened_by": by, "opened_at": _now()})
    return True


def close_form(conn: sa.Connection, enterprise_id: str, form: str, by: str) -> bool:
    """Close it again; False if it was not open."""
    _check_form(form)
    t = form_openings_table
    done = conn.execute(t.update().where(
        t.c.enterprise_id == enterprise_id, t.c.form == form, t.c.closed_at.is_(None))
        .values(closed_by=by, closed_at=_now()))
    return done.rowcount > 0

"""Hypothesis fuzzes the model and the store: only ValidationError, never a partial write."""

from __future__ import annotations

import os
import string
import uuid

import pytest
import sqlalchemy as sa
from conftest import missing_part
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vises_nb.errors import ConflictError, ValidationError
from vises_nb.store import model as m
from vises_nb.store.store import Store

HOSTILE = ["<script>alert(1)</script>", "=cmd|' /C calc'!A0", "+SUM(1)", "-1+2", "@A1",
           "\x00", "\x07\x1b[31m", "\u202e", "\ud7ff", "'; DROP TABLE enterprises; --",
           "x" * 600, "é" * 25_000, " ", ""]
text = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=80),
                 st.text(alphabet=st.characters(codec="utf-8"), max_size=30))
anything = st.one_of(text, st.none(), st.integers(), st.floats(allow_nan=True),
                     st.booleans(), st.lists(text, max_size=3))
identifier = st.one_of(st.text(string.ascii_letters + string.digits + "_.-", min_size=1,
                               max_size=70), text)


def enterprise_data() -> st.SearchStrategy[dict]:
    valid = {"id": "F1", "name": "Fuzz", "pole": "insertion", "region": "wallonia",
             "language": "fr"}
    fields = list(m.Enterprise.model_fields) + ["extra_field"]
    return st.dictionaries(st.sampled_from(fields), anything, max_size=6).flatmap(
        lambda changes: st.builds(lambda ident: {**valid, **changes, "id": ident}, identifier))


def excerpt_data() -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries({
        "id": identifier, "enterprise_id": st.just("F1"), "text": text,
        "dimension": st.sampled_from(["social", "economic", "bogus", ""]),
        "language": st.sampled_from(["fr", "nl", "en", "xx"]),
        "publishable": st.one_of(st.booleans(), anything),
    })


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def store(request, tmp_path_factory):
    """One store per backend for the whole module (hypothesis runs many examples)."""
    if request.param == "sqlite":
        store = Store.open(tmp_path_factory.mktemp("fuzz") / "fuzz.sqlite", create=True)
        yield store
        assert store.integrity_check() == "ok"
        store.close()
        return
    base = os.environ.get("VISES_TEST_POSTGRES_URL")
    if not base:
        missing_part("no PostgreSQL server: set VISES_TEST_POSTGRES_URL")
    schema = f"fuzz_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(base)
    with engine.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    url = sa.make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    store = Store.open(url.render_as_string(hide_password=False), create=True)
    yield store
    store.close()
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()


def test_a_nul_character_is_a_validation_error_naming_the_field():
    with pytest.raises(ValidationError, match="field 'missions': contains a NUL character"):
        m.validate(m.Enterprise, {"id": "A", "name": "x", "pole": "insertion",
                                  "region": "wallonia", "language": "fr", "missions": "a\x00b"})


def _counts(store: Store) -> tuple[int, int]:
    return len(store.frame("enterprises")), len(store.frame("excerpts"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=enterprise_data(), rest=st.lists(excerpt_data(), max_size=3))
def test_validation_and_save_accept_whole_or_refuse_whole(store, first, rest):
    before = _counts(store)
    saved: list[object] = []
    try:
        with store.transaction() as w:
            for model, data in [(m.Enterprise, first), *((m.Excerpt, r) for r in rest)]:
                record = m.validate(model, data, where="fuzz")
                w.save(record)
                saved.append(record)
            raise _Undo  # keep the store small: each example rolls back on purpose
    except _Undo:
        pass
    except ValidationError as exc:
        assert str(exc).startswith("fuzz: invalid ") and "field '" in str(exc)
    except ConflictError:
        pass  # the same generated id twice in one transaction: refused whole as well
    assert _counts(store) == before, "nothing of a refused or undone transaction stays"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=enterprise_data())
def test_every_valid_record_round_trips_exactly(store, data):
    try:
        record = m.validate(m.Enterprise, data)
    except ValidationError:
        return
    key = f"RT{abs(hash(record.id)) % 10**9}"
    record = record.model_copy(update={"id": key})
    try:
        store.save(record)
        loaded, revision = store.get(m.Enterprise, key)
        assert loaded == record and revision == 1
    finally:
        with store.engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM enterprises WHERE id = :id"), {"id": key})


class _Undo(Exception):
    pass


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(
    st.characters(), st.text(max_size=5),
    st.sampled_from(["\x0b", "\x0c", "\x1b", "\x85", "\r", "\r\n", "\u2028", "e\u0301",
                     "\ud800", "\x9b", "\x7f"])), max_size=20).map("".join))
def test_every_accepted_text_is_clean_nfc_and_writable_to_a_workbook(value):
    """Issue 14, item 4: whatever is typed, what the model accepts holds no control
    character but tab and newline, is NFC, and openpyxl and vl-convert's JSON take it."""
    import json
    import unicodedata

    import openpyxl

    try:
        note = m.ResearchNote(id="n", enterprise_id="E", step="1", kind="difficulty",
                              text=value)
    except Exception:  # noqa: BLE001 - a refusal (NUL, empty) is fine; a crash is not
        return
    text = note.text
    assert not any(unicodedata.category(c) in ("Cc", "Cs") and c not in "\t\n" for c in text)
    assert unicodedata.is_normalized("NFC", text)
    openpyxl.Workbook().active.append([text])
    json.dumps(text).encode("utf-8")

"""The store on real SQLite files and a real PostgreSQL server."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from vises_nb.errors import ConflictError, NotFoundError, StoreError
from vises_nb.store import model as m
from vises_nb.store.schema import BY_NAME, SCHEMA_VERSION, TABLES
from vises_nb.store.store import Store

V1_SQL = Path(__file__).parent / "data" / "store_v1.sql"


def enterprise(**changes) -> m.Enterprise:
    data = {"id": "E01", "name": "Les Ateliers du Val", "pole": "insertion", "region": "wallonia",
                "language": "fr", "fte": 12.5, "year_founded": 1998}
    data.update(changes)
    return m.Enterprise(**data)


def test_round_trip_keeps_every_field(empty_store_url):
    store = Store.open(empty_store_url, create=True)
    original = enterprise(missions="Former et employer", budget_eur=540000.0)
    assert store.save(original) == 1
    element = m.ChainElement(id="E01-C1", enterprise_id="E01", level="outcome",
                             label="Confiance retrouvée", dimensions=["social", "economic"],
                             stakeholders=["workers"])
    store.save(element)
    loaded, revision = store.get(m.Enterprise, "E01")
    assert loaded == original and revision == 1
    assert store.get(m.ChainElement, "E01-C1")[0].dimensions == ["social", "economic"]
    frame = store.frame("enterprises")
    assert frame.loc[0, "budget_eur"] == 540000.0 and frame.loc[0, "revision"] == 1
    assert store.schema_version == SCHEMA_VERSION
    store.close()


def test_stale_revision_is_refused_and_nothing_is_overwritten(empty_store_url):
    store = Store.open(empty_store_url, create=True)
    store.save(enterprise())
    mine = enterprise(name="Mon nom")
    theirs = enterprise(name="Leur nom")
    assert store.save(theirs, expected_revision=1) == 2
    with pytest.raises(ConflictError, match="your revision 1, stored revision 2"):
        store.save(mine, expected_revision=1)
    loaded, revision = store.get(m.Enterprise, "E01")
    assert loaded.name == "Leur nom" and revision == 2
    with pytest.raises(ConflictError, match="already exists"):
        store.save(enterprise())
    store.close()


def test_delete_needs_the_current_revision(empty_store_url):
    store = Store.open(empty_store_url, create=True)
    store.save(enterprise())
    store.save(enterprise(name="B"), expected_revision=1)
    with pytest.raises(ConflictError):
        store.delete(m.Enterprise, "E01", expected_revision=1)
    store.delete(m.Enterprise, "E01", expected_revision=2)
    with pytest.raises(NotFoundError):
        store.get(m.Enterprise, "E01")
    store.close()


def test_a_failed_transaction_leaves_nothing_half_written(empty_store_url):
    store = Store.open(empty_store_url, create=True)
    store.save(enterprise())
    with pytest.raises(ConflictError), store.transaction() as w:
        w.save(m.Enterprise(id="E02", name="Deux", pole="autres", region="flanders",
                            language="nl"))
        w.insert_many(m.Response, [{"enterprise_id": "E02", "respondent_id": "R1",
                                     "wave_id": "W", "item_id": "I", "value": 1.0,
                                     "text": None}])
        w.save(enterprise(name="stale"), expected_revision=7)
    assert store.enterprise_ids() == ["E01"]
    assert store.frame("responses").empty
    assert store.get(m.Enterprise, "E01")[0].name == "Les Ateliers du Val"
    store.close()


def _load_v1(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for statement in V1_SQL.read_text().split(";\n"):
            lines = [ln for ln in statement.splitlines() if not ln.startswith("--")]
            if "".join(lines).strip():
                conn.exec_driver_sql("\n".join(lines))
    engine.dispose()


def test_upgrade_from_schema_1_keeps_data(empty_store_url):
    _load_v1(empty_store_url)
    store = Store.open(empty_store_url)
    assert store.schema_version == SCHEMA_VERSION
    loaded, revision = store.get(m.Enterprise, "E01")
    assert loaded.name == "Les Ateliers du Val" and loaded.fte == 12.5 and revision == 3
    excerpt, _ = store.get(m.Excerpt, "E01-V1")
    assert excerpt.text == "Ici, j'ai retrouvé confiance." and excerpt.publishable is False
    assert store.get(m.StepStatus, ("E01", "1"))[0].status == "done"
    store.close()


def test_sample_store_passes_sqlite_integrity_check(sample_db):
    store = Store.open(sample_db)
    assert store.integrity_check() == "ok"
    assert len(store.enterprise_ids()) == 68
    store.close()


def test_missing_file_is_reported_and_not_created(tmp_path):
    path = tmp_path / "nope.sqlite"
    with pytest.raises(StoreError, match="does not exist: run 'vises sample'"):
        Store.open(path)
    assert not path.exists()


def test_corrupt_file_is_reported_and_left_alone(tmp_path):
    path = tmp_path / "corrupt.sqlite"
    content = b"this is not a database" * 200
    path.write_bytes(content)
    with pytest.raises(StoreError, match="file is not a database"):
        Store.open(path)
    assert path.read_bytes() == content


def test_foreign_database_is_refused(tmp_path):
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(StoreError, match="not a vises database"):
        Store.open(path)


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "new.sqlite"
    Store.open(path, create=True).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE vises_meta SET value='99' WHERE key='schema_version'")
    with pytest.raises(StoreError, match="newer than this vises"):
        Store.open(path)


def test_unreachable_server_is_one_clear_error():
    with pytest.raises(StoreError, match="cannot open the store .*Connection refused"):
        Store.open("postgresql+psycopg://vises@127.0.0.1:1/vises")


def test_bad_url_is_one_clear_error():
    with pytest.raises(StoreError, match="cannot understand the store URL"):
        Store.open("notadialect://x/y")


def test_data_hash_changes_with_the_data_only(sample_copy):
    store = Store.open(sample_copy)
    before = store.data_hash("E09")
    assert before == store.data_hash("E09")
    other = store.data_hash("E10")
    card, revision = store.get(m.Enterprise, "E09")
    store.save(card.model_copy(update={"missions": "Nouvelle mission"}), revision)
    assert store.data_hash("E09") != before
    assert store.data_hash("E10") == other
    store.close()


def test_a_sample_sized_schema_1_store_upgrades_with_every_row_intact(sample_copy):
    """The whole sample cohort in schema 1's shape (no consent column) upgrades losslessly."""
    added_after_v1 = {"imports", "groups", "group_members",  # schemas 3 and 4
                      "scales", "scale_options", "cleaning_actions",  # schema 5
                      "question_findings",  # schema 7
                      "step_events",  # schema 8
                      "group_sessions", "session_attendance",  # schema 10
                      "own_forms"}  # schema 13
    archiving = ["archived", "archived_on"]  # schema 4
    original = Store.open(sample_copy)
    before = {name: original.frame(name) for name in BY_NAME if name not in added_after_v1}
    original.close()
    with sqlite3.connect(sample_copy) as conn:
        conn.execute("ALTER TABLE excerpts DROP COLUMN publishable")
        for table in ("enterprises", "accompaniers"):
            for column in archiving:
                conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        conn.execute("ALTER TABLE items DROP COLUMN scale_id")  # schema 5
        conn.execute("ALTER TABLE indicators DROP COLUMN polarity")  # schema 6
        for name in added_after_v1:
            conn.execute(f"DROP TABLE {name}")
        conn.execute("UPDATE vises_meta SET value='1' WHERE key='schema_version'")
    conn.close()
    store = Store.open(sample_copy)
    assert store.schema_version == SCHEMA_VERSION
    for name, frame in before.items():
        after = store.frame(name)
        if name == "excerpts":
            assert not after["publishable"].any(), "consent is never assumed"
            after = after.drop(columns="publishable")
            frame = frame.drop(columns="publishable")
        if name in ("enterprises", "accompaniers"):
            assert not after["archived"].any(), "nobody is archived by an upgrade"
            after, frame = after.drop(columns=archiving), frame.drop(columns=archiving)
        assert len(after) == len(frame) > 0, name
        pd.testing.assert_frame_equal(after, frame, check_dtype=False, obj=name)
    assert store.integrity_check() == "ok"
    store.close()


def test_a_schema_3_store_gets_indicator_polarity_and_keeps_its_indicators(sample_copy):
    """Schema 6 adds the polarity of hand-defined indicators (existing ones: higher)."""
    original = Store.open(sample_copy)
    before = original.frame("indicators").drop(columns="polarity")
    original.close()
    with sqlite3.connect(sample_copy) as conn:
        conn.execute("ALTER TABLE indicators DROP COLUMN polarity")
        conn.execute("UPDATE vises_meta SET value='3' WHERE key='schema_version'")
    conn.close()
    store = Store.open(sample_copy)
    assert store.schema_version == SCHEMA_VERSION
    after = store.frame("indicators")
    assert (after["polarity"] == "higher_better").all()
    pd.testing.assert_frame_equal(after.drop(columns="polarity"), before, check_dtype=False)
    indicator, revision = store.get(m.Indicator, after["id"].iloc[0])
    store.save(indicator.model_copy(update={"polarity": "lower_better"}), revision)
    assert store.get(m.Indicator, indicator.id)[0].polarity == "lower_better"
    with pytest.raises(Exception, match="polarity"):
        m.Indicator.model_validate({**indicator.model_dump(), "polarity": "sideways"})
    store.close()


def test_data_hashes_of_the_cohort_match_one_by_one(sample_copy):
    store = Store.open(sample_copy)
    ids = ["E09", "E10", "E21"]
    assert store.data_hashes(ids) == {eid: store.data_hash(eid) for eid in ids}
    assert len(set(store.data_hashes(ids).values())) == 3


def _frames_through_sqlalchemy(store: Store) -> dict[str, pd.DataFrame]:
    frames = {}
    for name, model in BY_NAME.items():
        table = TABLES[model]
        with store.engine.connect() as conn:
            frames[name] = pd.read_sql(sa.select(table).order_by(*table.primary_key.columns),
                                       conn)
    return frames


def test_frames_read_directly_equal_frames_read_through_sqlalchemy(sample_copy):
    store = Store.open(sample_copy)
    assert any(store._plain(TABLES[model]) for model in BY_NAME.values())
    for name, expected in _frames_through_sqlalchemy(store).items():
        pd.testing.assert_frame_equal(store.frame(name), expected, check_dtype=True, obj=name)
    one = store.frame("responses", "E09")
    assert set(one["enterprise_id"]) == {"E09"} and len(one) > 0


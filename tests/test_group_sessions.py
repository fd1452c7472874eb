"""Semi-collective sessions (issue 16) and their access rules (issue 18), on real stores.

A small cohort of ten enterprises: accompanier A1 follows E01–E03, A2 follows E04–E10;
group G1 (led by A1) holds E01–E05, group G2 (led by A2) E06–E10. Sessions are saved with
their attendance in one transaction at the revision read; the group's progress says for
each member the step it is at, its step statuses, what it still has to do and its
attendance. With accounts, an accompanier records the sessions of their groups only.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from vises_nb.analysis import group_progress as gp
from vises_nb.analysis import next_actions
from vises_nb.dashboards.access import GuardedStore
from vises_nb.errors import AccessError, ConflictError, ValidationError
from vises_nb.store import accounts
from vises_nb.store import model as m
from vises_nb.store import sessions as ss
from vises_nb.store.loading import load_enterprise
from vises_nb.store.schema import MIGRATIONS, SCHEMA_VERSION, TABLES, meta_table
from vises_nb.store.store import Store

PASSWORD = "a long enough secret 16"
G1 = [f"E0{i}" for i in range(1, 6)]
G2 = ["E06", "E07", "E08", "E09", "E10"]


def small_cohort(store: Store) -> None:
    with store.transaction() as w:
        w.save(m.Accompanier(id="A1", name="Anne Martin", federation="SAW-B"))
        w.save(m.Accompanier(id="A2", name="Bert Peeters", federation="Febecoop"))
        for number in range(1, 11):
            eid = f"E{number:02d}"
            w.save(m.Enterprise(id=eid, name=f"Entreprise {number}", pole="insertion",
                                region="wallonia", language="fr",
                                accompanier_id="A1" if number <= 3 else "A2"))
        w.save(m.Group(id="G1", name="Groupe Namur", period="2026", accompanier_id="A1"))
        w.save(m.Group(id="G2", name="Groep Gent", period="2026", accompanier_id="A2"))
        for gid, members in (("G1", G1), ("G2", G2)):
            for eid in members:
                w.save(m.GroupMember(enterprise_id=eid, period="2026", group_id=gid))
        w.save(m.StepStatus(enterprise_id="E01", step="1", status="done",
                            started_on=dt.date(2026, 1, 5), completed_on=dt.date(2026, 2, 1)))
        w.save(m.StepStatus(enterprise_id="E01", step="2", status="in_progress",
                            started_on=dt.date(2026, 2, 2)))
        w.save(m.StepStatus(enterprise_id="E02", step="1", status="in_progress",
                            started_on=dt.date(2026, 1, 5)))


@pytest.fixture
def store(empty_store_url):
    opened = Store.open(empty_store_url, create=True)
    small_cohort(opened)
    yield opened
    opened.close()


def session(sid: str = "S1", group: str = "G1", day: dt.date = dt.date(2026, 3, 14),
            topic: str = "Impact chain workshop", notes: str = "") -> m.GroupSession:
    return m.GroupSession(id=sid, group_id=group, date=day, topic=topic, notes=notes)


def present(sid: str, eid: str, status: str = "present", who: str = "") -> m.SessionAttendance:
    return m.SessionAttendance(session_id=sid, enterprise_id=eid, status=status, attendee=who)


def test_schema_10_adds_the_session_tables_to_an_older_store_in_place(tmp_path):
    assert SCHEMA_VERSION == 10
    path = tmp_path / "old.sqlite"
    store = Store.open(path, create=True)
    small_cohort(store)
    with store.engine.begin() as conn:  # as a store of schema 9 was
        for model in (m.SessionAttendance, m.GroupSession):
            TABLES[model].drop(conn)
        conn.execute(meta_table.update().where(meta_table.c.key == "schema_version"),
                     {"value": "9"})
    store.close()
    store = Store.open(path)  # upgraded on opening, data kept
    assert store.schema_version == 10
    tables = set(sa.inspect(store.engine).get_table_names())
    assert {"group_sessions", "session_attendance"} <= tables
    assert [g.id for g in store.list(m.Group)] == ["G1", "G2"]
    with store.engine.begin() as conn:  # idempotent: run again, nothing breaks
        MIGRATIONS[10](conn)
    ss.save_session(store, session(), [present("S1", "E01")], None, "anne")
    assert ss.sessions(store, "G1")[0].attendance["E01"].status == "present"
    store.close()


def test_a_session_is_saved_with_its_attendance_and_edited_at_its_revision(store):
    revision = ss.save_session(store, session(notes="Each brings a draft chain."), [
        present("S1", "E01", who="Marie (director)"), present("S1", "E02"),
        present("S1", "E03", "excused"), present("S1", "E04", "absent"),
        present("S1", "E05")], None, "anne")
    assert revision == 1
    [found] = ss.sessions(store, "G1")
    assert (found.session.topic, found.session.date, found.session.notes) == \
        ("Impact chain workshop", dt.date(2026, 3, 14), "Each brings a draft chain.")
    assert (found.session.recorded_by, found.session.changed_by) == ("anne", "anne")
    assert {e: a.status for e, a in found.attendance.items()} == {
        "E01": "present", "E02": "present", "E03": "excused", "E04": "absent",
        "E05": "present"}
    assert found.attendance["E01"].attendee == "Marie (director)"
    assert ss.sessions(store, "G2") == []

    # edited at the revision read: E04 came after all; the changer is named, the recorder kept
    edited = session(topic="Impact chain workshop (2)")
    assert ss.save_session(store, edited, [present("S1", "E04")], 1, "bert") == 2
    [found] = ss.sessions(store, "G1")
    assert found.revision == 2 and found.session.topic == "Impact chain workshop (2)"
    assert (found.session.recorded_by, found.session.changed_by) == ("anne", "bert")
    assert found.attendance["E04"].status == "present"
    assert found.attendance["E01"].status == "present", "rows not sent are kept"

    # a save based on revision 1 (someone saved meanwhile) changes nothing
    with pytest.raises(ConflictError):
        ss.save_session(store, session(topic="stale"), [present("S1", "E02", "absent")], 1,
                        "anne")
    [again] = ss.sessions(store, "G1")
    assert again.session.topic == "Impact chain workshop (2)" and again.revision == 2
    assert again.attendance["E02"].status == "present"


def test_attendance_only_for_members_and_a_session_stays_in_its_group(store):
    with pytest.raises(ValidationError) as refused:
        ss.save_session(store, session(), [present("S1", "E01"), present("S1", "E06")], None,
                        "anne")
    assert "E06" in refused.value.message("en") and "G1" in refused.value.message("en")
    assert ss.sessions(store, "G1") == [], "nothing stored, not even the session"
    ss.save_session(store, session(), [present("S1", "E01")], None, "anne")
    with pytest.raises(ValidationError):
        ss.save_session(store, session(group="G2"), [], 1, "anne")
    assert ss.sessions(store, "G2") == [] and ss.sessions(store, "G1")[0].revision == 1


@pytest.mark.parametrize("change, field", [
    ({"date": dt.date(1999, 12, 31)}, "date"),
    ({"date": dt.date.today() + dt.timedelta(days=400)}, "date"),
    ({"topic": ""}, "topic"),
    ({"topic": "x" * 201}, "topic"),
    ({"notes": "x" * 5001}, "notes"),
])
def test_a_session_refuses_absurd_values(change, field):
    data = {**session().model_dump(), **change}
    with pytest.raises(ValidationError) as refused:
        m.validate(m.GroupSession, data)
    assert field in refused.value.message("en")
    with pytest.raises(ValidationError):
        m.validate(m.SessionAttendance, {"session_id": "S1", "enterprise_id": "E01",
                                         "status": "late"})


def test_the_groups_progress_on_one_page(store):
    ss.save_session(store, session(), [present("S1", e) for e in G1[:4]]
                    + [present("S1", "E05", "excused")], None, "anne")
    ss.save_session(store, session("S2", day=dt.date(2026, 4, 11), topic="Indicators"),
                    [present("S2", "E01"), present("S2", "E02", "absent")], None, "anne")
    rows = gp.group_progress(store, "G1", "en")
    assert [r.enterprise_id for r in rows] == G1 and all(r.followed for r in rows)
    e01, e02, e03, _e04, e05 = rows
    assert e01.current_step == "2"
    assert e01.statuses == {"1": "done", "2": "in_progress", "3": "not_started"}
    assert e02.current_step == "1" and e02.statuses["1"] == "in_progress"
    assert e03.statuses == {"1": "not_started", "2": "not_started", "3": "not_started"}
    # what each still has to do is the workspace's next actions for it
    expected = [a.text for a in next_actions.next_actions(load_enterprise(store, "E01"), "en",
                                                          limit=gp.TODO_LIMIT)]
    assert e01.todo == expected and e01.todo
    assert e02.todo and e03.todo
    assert e01.attendance == {"present": 2, "absent": 0, "excused": 0, "unrecorded": 0}
    assert e02.attendance == {"present": 1, "absent": 1, "excused": 0, "unrecorded": 0}
    assert e03.attendance == {"present": 1, "absent": 0, "excused": 0, "unrecorded": 1}
    assert e05.attendance == {"present": 0, "absent": 0, "excused": 1, "unrecorded": 1}

    table = gp.progress_table(rows, "fr")
    assert list(table.columns) == ["Entreprise", "À l'étape", "Étape 1", "Étape 2", "Étape 3",
                                   "Reste à faire", "Présences"]
    first = table.iloc[0]
    assert first["Entreprise"] == "E01 — Entreprise 1"
    assert first["À l'étape"] == "Méthodes et récolte de données"
    assert (first["Étape 1"], first["Étape 2"], first["Étape 3"]) == \
        ("Terminée", "En cours", "Pas commencée")
    assert first["Présences"] == "2 séances sur 2"
    assert table.iloc[4]["Présences"] == "0 séances sur 2 · 1 excusée(s) · 1 non notée(s)"
    # a reader who follows only some members sees the others' name and attendance only
    partial = gp.group_progress(store, "G1", "en", visible={"E01", "E02", "E03"})
    assert [r.followed for r in partial] == [True, True, True, False, False]
    assert partial[3].todo == [] and partial[3].statuses == {}
    assert partial[3].attendance == {"present": 1, "absent": 0, "excused": 0, "unrecorded": 1}
    shown = gp.progress_table(partial, "en").iloc[3]
    assert shown["At step"] == "followed by another accompanier" and shown["Step 1"] == "—"
    [s2, s1] = ss.sessions(store, "G1")
    assert s2.session.id == "S2", "latest first"
    assert gp.session_summary(s1, ss.members(store, "G1"), "en") == \
        "4 present, 0 absent, 1 excused"


@pytest.fixture
def people(store):
    accounts.add_person(store, "anna", "accompanier", PASSWORD, accompanier_id="A1")
    accounts.add_person(store, "bert", "accompanier", PASSWORD, accompanier_id="A2")
    accounts.add_person(store, "rita", "researcher", PASSWORD)
    accounts.add_person(store, "mia", "member", PASSWORD, enterprise_id="E01")
    accounts.add_person(store, "coco", "coordinator", PASSWORD)
    return store


def test_an_accompanier_records_the_sessions_of_their_groups_only(people):
    store = people
    anna, bert = GuardedStore(store, "anna"), GuardedStore(store, "bert")
    assert anna.groups() == {"G1"}
    assert bert.groups() == {"G1", "G2"}, "bert leads G2 and follows E04, E05 of G1"
    assert GuardedStore(store, "coco").groups() is None
    assert [g.id for g in anna.list(m.Group)] == ["G1"]
    assert [mem.enterprise_id for mem in ss.members(anna, "G1")] == G1

    # anna records G1's session, attendance of bert's E04 included: the group's session
    ss.save_session(anna, session(), [present("S1", e) for e in G1], None, anna.username)
    ss.save_session(bert, session("T1", "G2"), [present("T1", e) for e in G2], None, "bert")
    before = ss.sessions(store, "G2")

    # forged saves for G2 (not hers): a new session, an edit, attendance into bert's one
    for forged in (
        lambda: ss.save_session(anna, session("X1", "G2"), [], None, "anna"),
        lambda: ss.save_session(anna, session("T1", "G2", topic="forged"), [], 1, "anna"),
        lambda: anna.save(present("T1", "E06", "absent"), 1),
        lambda: anna.save(m.GroupSession(id="X2", group_id="G2", date=dt.date(2026, 5, 1),
                                         topic="forged")),
    ):
        with pytest.raises(AccessError):
            forged()
    assert ss.sessions(store, "G2") == before
    assert [s.id for s in store.list(m.GroupSession)] == ["S1", "T1"]
    with pytest.raises(AccessError):
        anna.get(m.GroupSession, "T1")
    with pytest.raises(AccessError):
        ss.members(anna, "G2")
    assert ss.sessions(anna, "G2") == [], "another group's sessions are not listed"
    assert [a.session_id for a in anna.list(m.SessionAttendance)] == ["S1"] * 5
    assert set(anna.frame("group_sessions")["id"]) == {"S1"}
    refused = accounts.security_log(store, "refused")
    assert sum(r["username"] == "anna" for r in refused) >= 4
    # who made each change is in the history
    with store.engine.connect() as conn:
        from vises_nb.store.schema import changes_table
        rows = conn.execute(sa.select(changes_table.c.table_name, changes_table.c.changed_by)
                            .where(changes_table.c.table_name == "group_sessions")).all()
    assert sorted(rows) == [("group_sessions", "anna"), ("group_sessions", "bert")]


def test_researchers_and_members_have_no_group_page(people):
    store = people
    for name in ("rita", "mia"):
        guard = GuardedStore(store, name)
        assert guard.groups() == set()
        with pytest.raises(AccessError):
            guard.require_groups_page()
        with pytest.raises(AccessError):
            ss.save_session(guard, session(), [], None, name)
    assert GuardedStore(store, "anna").require_groups_page().role == "accompanier"
    assert ss.sessions(store, "G1") == []

"""Removing a finding or a group's session (issues 16/18): asked first, then removed
through the store the page holds — with accounts the access layer, the same rules as
writing, the removal recorded with who made it — at the revision read (a record changed
meanwhile is refused and nothing is removed). Real SQLite stores, no browser. Also the
server's error pages in the served language (vises_nb.dashboards.landing.error_html)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from test_group_sessions import small_cohort

from vises_nb.dashboards import access
from vises_nb.dashboards.access import GuardedStore
from vises_nb.dashboards.groups import GroupsPage
from vises_nb.dashboards.landing import error_html
from vises_nb.dashboards.workspace import findings_form
from vises_nb.errors import AccessError, ConflictError
from vises_nb.store import accounts
from vises_nb.store import model as m
from vises_nb.store import sessions as ss
from vises_nb.store.store import Store

PASSWORD = "a long enough secret 16"


def record_session(store: Store, session_id: str, group_id: str, members: list[str],
                   by: str = "anna") -> int:
    return ss.save_session(
        store, m.GroupSession(id=session_id, group_id=group_id, date=dt.date(2026, 3, 14),
                              topic=f"Workshop {session_id}"),
        [m.SessionAttendance(session_id=session_id, enterprise_id=e, status="present")
         for e in members], None, by)


def changes(store: Store, action: str) -> list[tuple[str, str, str]]:
    c = accounts.changes_table
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(
            sa.select(c.c.table_name, c.c.record_key, c.c.changed_by)
            .where(c.c.action == action).order_by(c.c.id))]


@pytest.fixture
def cohort(tmp_path):
    path = tmp_path / "vises.sqlite"
    store = Store.open(path, create=True)
    small_cohort(store)
    accounts.add_person(store, "anna", "accompanier", PASSWORD, accompanier_id="A1")
    accounts.add_person(store, "bert", "accompanier", PASSWORD, accompanier_id="A2")
    accounts.add_person(store, "rita", "researcher", PASSWORD)
    yield path, store
    store.close()


def test_a_session_is_removed_with_its_attendance_at_the_revision_read(cohort):
    _path, store = cohort
    revision = record_session(store, "S1", "G1", ["E01", "E02"])
    record_session(store, "S2", "G1", ["E03"])
    with pytest.raises(ConflictError):  # changed meanwhile: nothing removed
        ss.delete_session(store, "S1", revision + 1)
    assert len(store.list(m.SessionAttendance, session_id="S1")) == 2
    ss.delete_session(store, "S1", revision)
    assert [s.id for s in store.list(m.GroupSession)] == ["S2"]
    assert store.list(m.SessionAttendance, session_id="S1") == []
    assert len(store.list(m.SessionAttendance, session_id="S2")) == 1


def test_with_accounts_a_session_is_removed_by_its_groups_accompanier_only(cohort):
    _path, store = cohort
    revision = record_session(store, "S1", "G2", ["E06", "E07"], by="bert")
    for who in ("anna", "rita"):  # an accompanier with nobody in G2, a researcher
        with pytest.raises(AccessError):
            ss.delete_session(GuardedStore(store, who), "S1", revision)
        assert [s.id for s in store.list(m.GroupSession)] == ["S1"]
        assert len(store.list(m.SessionAttendance, session_id="S1")) == 2
    assert {r["username"] for r in accounts.security_log(store, "refused")} == {"anna", "rita"}
    ss.delete_session(GuardedStore(store, "bert"), "S1", revision)
    assert store.list(m.GroupSession) == [] and store.list(m.SessionAttendance) == []
    assert changes(store, "delete") == [
        ("session_attendance", "('S1', 'E06')", "bert"),
        ("session_attendance", "('S1', 'E07')", "bert"),
        ("group_sessions", "S1", "bert")]


def test_the_groups_page_asks_before_removing_a_session(cohort):
    path, store = cohort
    record_session(store, "S1", "G1", ["E01"])
    page = GroupsPage(str(path), "en")
    form = page.form
    assert form.deleting.box.layout.display == "none", "a new session: nothing to remove"
    page.session_choice.value = "S1"
    assert form.session_id == "S1" and form.deleting.box.layout.display == ""
    form.deleting.button.click()
    assert form.deleting.asking.layout.display == ""
    assert "Remove the session of 2026-03-14 (Workshop S1)" in form.deleting.text.value
    assert [s.id for s in store.list(m.GroupSession)] == ["S1"], "asked, not removed yet"
    form.deleting.cancel.click()
    assert form.deleting.asking.layout.display == "none"
    assert [s.id for s in store.list(m.GroupSession)] == ["S1"]
    form.deleting.button.click()
    form.deleting.confirm.click()
    assert store.list(m.GroupSession) == [] and store.list(m.SessionAttendance) == []
    assert "vises-status-deleted" in form.status.value and "Removed." in form.status.value
    assert [v for _l, v in page.session_choice.options] == ["__new__"]
    assert form.session_id is None and form.deleting.box.layout.display == "none"
    assert "No session recorded yet." in page.sessions_html.value


def test_a_session_changed_meanwhile_is_not_removed_from_the_page(cohort):
    path, store = cohort
    record_session(store, "S1", "G1", ["E01"])
    page = GroupsPage(str(path), "en")
    page.session_choice.value = "S1"
    session, revision = store.get(m.GroupSession, "S1")
    store.save(session.model_copy(update={"topic": "Changed meanwhile"}), revision)
    assert page.form.delete() is False
    assert "vises-status-conflict" in page.form.status.value
    assert page.form.reload_button.layout.display == ""
    assert [s.topic for s in store.list(m.GroupSession)] == ["Changed meanwhile"]


@pytest.fixture
def findings_store(sample_copy):
    store = Store.open(sample_copy)
    owner = store.get(m.Enterprise, "E09")[0].accompanier_id
    accounts.add_person(store, "anna", "accompanier", PASSWORD, accompanier_id=owner)
    accounts.add_person(store, "mia", "member", PASSWORD, enterprise_id="E09")
    yield store
    store.close()


def test_a_finding_is_removed_after_confirmation_and_recorded_by_whom(findings_store):
    store = findings_store
    assert store.get(m.QuestionFinding, "E09-Q1-FA")  # the sample writes one per author
    panel = findings_form.Findings(GuardedStore(store, "anna"), "E09", "en")
    form = panel.questions["E09-Q1"].forms["accompanier"]
    assert form.deleting.box.layout.display == ""
    form.deleting.button.click()
    assert "The step 3 report will no longer show it" in form.deleting.text.value
    assert store.list(m.QuestionFinding, question_id="E09-Q1", author="accompanier")
    form.deleting.confirm.click()
    assert store.list(m.QuestionFinding, question_id="E09-Q1", author="accompanier") == []
    assert "vises-status-deleted" in form.status.value
    assert form.revision is None and form.inputs["text"].value == ""
    assert form.deleting.box.layout.display == "none", "nothing stored to remove now"
    assert ("question_findings", "E09-Q1-FA", "anna") in changes(store, "delete")
    # the enterprise's removed too: the step 3 check asks for that question's finding again
    assert "vises-finding-needed-text" not in panel.questions["E09-Q1"].needed.value
    theirs = panel.questions["E09-Q1"].forms["enterprise"]
    theirs.deleting.button.click()
    theirs.deleting.confirm.click()
    assert store.list(m.QuestionFinding, question_id="E09-Q1") == []
    assert "vises-finding-needed-text" in panel.questions["E09-Q1"].needed.value
    # written again, it can be removed again
    form.inputs["text"].value = "Un nouveau constat."
    assert form.save() and form.deleting.box.layout.display == ""


def test_a_finding_changed_meanwhile_or_not_ones_own_is_not_removed(findings_store):
    store = findings_store
    panel = findings_form.Findings(store, "E09", "en")
    form = panel.questions["E09-Q1"].forms["accompanier"]
    finding, revision = store.get(m.QuestionFinding, "E09-Q1-FA")
    store.save(finding.model_copy(update={"text": "Changé entre-temps."}), revision)
    assert form.delete() is False
    assert "vises-status-conflict" in form.status.value
    assert store.get(m.QuestionFinding, "E09-Q1-FA")[0].text == "Changé entre-temps."
    # a member removes no finding of the accompanier's (the access layer's rule)
    member = findings_form.Findings(GuardedStore(store, "mia"), "E09", "en")
    theirs = member.questions["E09-Q1"].forms["accompanier"]
    assert theirs.delete() is False and "refused" in theirs.status.value.lower()
    assert store.get(m.QuestionFinding, "E09-Q1-FA")[0].text == "Changé entre-temps."
    assert any(r["username"] == "mia" for r in accounts.security_log(store, "refused"))


@pytest.mark.parametrize("lang, refused, missing, home", [
    ("fr", "Accès refusé", "Page introuvable", "Retour à l'accueil"),
    ("nl", "Toegang geweigerd", "Pagina niet gevonden", "Terug naar de startpagina"),
    ("en", "Access refused", "Page not found", "Back to the home page"),
])
def test_the_servers_error_pages_speak_the_served_language(lang, refused, missing, home):
    import html

    page = html.unescape(error_html(403, lang, "/base"))
    assert f"<html lang='{lang}'>" in page and f"<h1>{refused}</h1>" in page
    assert f"<a href='/base/'>{home}</a>" in page
    assert f"<h1>{missing}</h1>" in html.unescape(error_html(404, lang))
    assert "500" in error_html(500, lang) and "Traceback" not in error_html(500, lang)
    assert access.ACCOUNTS_ENV  # the module the pages are served by is importable

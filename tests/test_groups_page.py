"""The groups page's widgets on a real SQLite store (the browser test drives the same page
through `vises serve`): fields checked as typed, a session saved with its attendance and
edited, a stale edit refused, and with accounts an accompanier's groups only."""

from __future__ import annotations

import datetime as dt

import ipywidgets as widgets
import pytest
from ipywidgets.widgets import widget as widget_module
from test_group_sessions import G1, PASSWORD, small_cohort

from vises_nb.analysis import group_progress as gp
from vises_nb.dashboards import access
from vises_nb.dashboards.groups import GroupsPage, check_session, parse_day
from vises_nb.store import accounts
from vises_nb.store import model as m
from vises_nb.store import sessions as ss
from vises_nb.store.store import Store


@pytest.fixture
def store_path(tmp_path):
    path = tmp_path / "vises.sqlite"
    store = Store.open(path, create=True)
    small_cohort(store)
    store.close()
    return path


def test_dates_are_read_as_people_type_them():
    assert parse_day("2026-03-14") == parse_day("14/03/2026") == parse_day("14.3.2026") \
        == dt.date(2026, 3, 14)
    assert parse_day("31/02/2026") is None and parse_day("next week") is None


def test_each_field_gets_its_own_message_in_the_pages_language():
    today = dt.date(2026, 6, 1)
    found = check_session({"date": "1899-05-01", "topic": " ", "notes": "x" * 5001,
                           "attendance": {"E01": ("present", "y" * 201)}}, "fr", today)
    assert found == {
        "date": "Entre le 2000-01-01 et le 2027-06-02.",
        "topic": check_session({"date": "", "topic": ""}, "fr")["date"],
        "notes": "Trop long : 5000 caractères au plus.",
        "attendance": "Qui est venu : 200 caractères au plus (E01).",
    }
    assert check_session({"date": "le 3 mars", "topic": "x"}, "nl")["date"] == \
        "Geen datum: typ ze als 2026-03-14 of 14/03/2026."
    assert check_session({"date": "2026-03-14", "topic": "Chaîne d'impact"}, "en", today) == {}


def test_a_session_is_recorded_listed_and_edited_on_the_page(store_path):
    before = set(widget_module._instances)
    page = GroupsPage(str(store_path), "en")
    created = [w for k, w in widget_module._instances.items() if k not in before]
    assert not [w for w in created if isinstance(w, widgets.Output)], "no Output (nbclient#312)"
    assert [v for _l, v in page.choice.options] == ["G1", "G2"]
    assert "Groupe Namur" in page.choice.options[0][0]
    assert "No session recorded yet." in page.sessions_html.value
    progress = page.progress_html.value
    assert "E01 — Entreprise 1" in progress and "Methods and data collection" in progress
    form = page.form
    assert [r.member.enterprise_id for r in form.rows] == G1

    form.inputs["topic"].value = ""
    form.inputs["date"].value = "32/13/2026"
    assert "Not a date" in form.messages["date"].value
    assert not form.save() and "vises-status-invalid" in form.status.value
    assert ss.sessions(Store.open(store_path), "G1") == []
    form.inputs["date"].value = "14/03/2026"
    form.inputs["topic"].value = "Impact chain workshop"
    form.inputs["notes"].value = "Bring a draft chain."
    for row in form.rows[:3]:
        row.present.value = True
    form.rows[0].attendee.value = "Marie"
    form.rows[3].excused.value = True
    assert "vises-unsaved" in form.box._dom_classes
    assert form.save(), form.status.value
    assert "vises-status-saved" in form.status.value
    [saved] = ss.sessions(Store.open(store_path), "G1")
    assert (saved.session.date, saved.session.topic) == (dt.date(2026, 3, 14),
                                                         "Impact chain workshop")
    assert {e: a.status for e, a in saved.attendance.items()} == {
        "E01": "present", "E02": "present", "E03": "present", "E04": "excused",
        "E05": "absent"}
    assert saved.attendance["E01"].attendee == "Marie"
    assert "Impact chain workshop" in page.sessions_html.value
    assert "3 present, 1 absent, 1 excused" in page.sessions_html.value
    assert "1 of 1 sessions" in page.progress_html.value
    assert page.session_choice.value == saved.session.id

    # edited: someone else saves it meanwhile, so this edit is refused, nothing overwritten
    store = Store.open(store_path)
    ss.save_session(store, saved.session.model_copy(update={"topic": "Changed elsewhere"}),
                    [], 1, "other")
    form.inputs["topic"].value = "My edit"
    assert not form.save() and "vises-status-conflict" in form.status.value
    assert ss.sessions(store, "G1")[0].session.topic == "Changed elsewhere"
    form.reload()
    assert form.inputs["topic"].value == "Changed elsewhere" and not form.dirty
    form.rows[4].present.value = True
    assert form.save()
    assert ss.sessions(store, "G1")[0].attendance["E05"].status == "present"
    assert ss.sessions(store, "G1")[0].revision == 3

    # switching group with unsaved changes is refused with a warning
    form.inputs["notes"].value = "unsaved"
    page.choice.value = "G2"
    assert page.choice.value == "G1" and "not saved" in page.warning.value
    page.discard.click()
    assert not form.dirty and form.inputs["notes"].value == "Bring a draft chain."
    page.choice.value = "G2"
    assert [r.member.enterprise_id for r in page.form.rows] == ["E06", "E07", "E08", "E09",
                                                               "E10"]
    store.close()


def test_with_accounts_the_page_offers_ones_groups_and_refuses_a_forged_one(store_path,
                                                                           monkeypatch):
    store = Store.open(store_path)
    accounts.add_person(store, "anna", "accompanier", PASSWORD, accompanier_id="A1")
    store.close()
    monkeypatch.setenv(access.ACCOUNTS_ENV, "1")
    monkeypatch.setenv(access.PERSON_ENV, "anna")
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    page = GroupsPage(str(store_path), "en")
    assert [v for _l, v in page.choice.options] == ["G1"]
    rows = {r.enterprise_id: r for r in gp.group_progress(page.store, "G1", "en",
                                                          page.visible)}
    assert [e for e, r in rows.items() if r.followed] == ["E01", "E02", "E03"]
    assert "followed by another accompanier" in page.progress_html.value
    # a forged group (as a crafted widget message could try): refused, nothing stored
    page.group_id = "G2"
    page.form.inputs["topic"].value = "forged"
    assert not page.form.save()
    assert "Refused" in page.form.status.value
    assert Store.open(store_path).list(m.GroupSession) == []
    page.group_id = "G1"
    assert page.form.save()
    assert [s.recorded_by for s in Store.open(store_path).list(m.GroupSession)] == ["anna"]


@pytest.mark.parametrize("lang, title, column", [
    ("fr", "Groupes semi-collectifs", "Reste à faire"),
    ("nl", "Semi-collectieve groepen", "Nog te doen"),
    ("en", "Semi-collective groups", "Still to do"),
])
def test_the_page_speaks_the_language_it_was_served_in(store_path, lang, title, column):
    page = GroupsPage(str(store_path), lang)
    header = page.box.children[0].value
    assert f"<h1 class='vises-title' lang='{lang}'>{title}</h1>" in header
    assert column in page.progress_html.value
    labels = [page.form.inputs[n].description for n in ("date", "topic", "notes")]
    others = {"fr": "Date de la séance", "nl": "Datum van de sessie",
              "en": "Date of the session"}
    assert labels[0] == others[lang]
    assert not any(others[o] in header + page.progress_html.value for o in others if o != lang)


def test_a_disabled_accounts_page_shows_the_refusal_not_a_traceback(store_path, monkeypatch):
    store = Store.open(store_path)
    accounts.add_person(store, "anna", "accompanier", PASSWORD, accompanier_id="A1")
    accounts.disable(store, "anna")
    store.close()
    monkeypatch.setenv(access.ACCOUNTS_ENV, "1")
    monkeypatch.setenv(access.PERSON_ENV, "anna")
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    page = GroupsPage(str(store_path), "en")
    assert "vises-refused" in page.intro.value and page.choice.options == ()
    assert page.body.layout.display == "none"

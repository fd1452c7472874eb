"""Step status: started, completed only when the step's check passes (refusal recorded with
its reasons), reopened; every change recorded with who and when, conflict-safe, on SQLite
and PostgreSQL; stores of schema 3 upgrade to schema 8 in place."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from vises_nb.analysis import steps
from vises_nb.errors import ConflictError
from vises_nb.store import model as m
from vises_nb.store.loading import load_enterprise
from vises_nb.store.schema import SCHEMA_VERSION
from vises_nb.store.store import Store

DAY = dt.date(2026, 11, 30)


def revision(store, enterprise_id, step):
    return steps.status_of(store, enterprise_id, step)[1]


def test_step2_with_an_indicator_without_data_is_refused_and_the_refusal_recorded(sample_copy):
    store = Store.open(sample_copy)
    before = store.get(m.StepStatus, ("E01", "2"))
    done, problems = steps.complete(store, "E01", "2", "Anne", "en",
                                    revision=revision(store, "E01", "2"))
    assert not done
    assert problems == ["Indicator 'Positive exit at 6 months': no data collected"]
    assert store.get(m.StepStatus, ("E01", "2")) == before, "a refusal changes no status"
    events = store.list(m.StepEvent, enterprise_id="E01")
    assert [(e.step, e.action, e.by, e.reason) for e in events] == [
        ("2", "refused", "Anne", problems[0])]
    history = steps.history(store, "E01", "fr")
    assert list(history.columns) == ["Quand", "Qui", "Étape", "Changement", "Motif"]
    assert history.iloc[0]["Changement"] == "Clôture refusée"
    store.close()


def test_an_indicator_without_question_blocks_step2(sample_copy):
    store = Store.open(sample_copy)
    indicator, rev = store.get(m.Indicator, "E09-self_confidence")
    store.save(indicator.model_copy(update={"question_id": None}), rev)
    problems = steps.step_problems(load_enterprise(store, "E09"), "2", "en")
    assert problems == ['Indicator "Self-confidence" is not attached to an evaluative question.']
    store.close()


def test_a_later_step_needs_the_earlier_ones_done(sample_copy):
    store = Store.open(sample_copy)
    assert steps.step_problems(load_enterprise(store, "E01"), "3", "en") == [
        'Step "Methods and data collection" is not completed yet.',
        ('No finding written for the evaluative question "Nos stagiaires trouvent-ils un '
        'emploi ou une formation à la fin de leur parcours ?", which has results.')]
    store.close()


def test_start_complete_reopen_keep_dates_and_history(sample_copy):
    store = Store.open(sample_copy)
    status, rev = store.get(m.StepStatus, ("E09", "3"))
    assert status.status == "in_progress" and status.completed_on is None
    before = dt.datetime.now().replace(microsecond=0)  # the events are stamped in between
    done, problems = steps.complete(store, "E09", "3", "Anne", "en", revision=rev, today=DAY)
    assert (done, problems) == (True, [])
    status, rev = store.get(m.StepStatus, ("E09", "3"))
    assert (status.status, status.completed_on, status.started_on) == (
        "done", DAY, dt.date(2017, 9, 10)), "completing keeps the start date"
    steps.reopen(store, "E09", "3", "Bram", "A wave came late", revision=rev)
    status, _ = store.get(m.StepStatus, ("E09", "3"))
    assert (status.status, status.completed_on) == ("in_progress", None)
    events = sorted(store.list(m.StepEvent, enterprise_id="E09"), key=lambda e: e.at)
    assert [(e.action, e.by, e.reason) for e in events] == [
        ("completed", "Anne", ""), ("reopened", "Bram", "A wave came late")]
    after = dt.datetime.now()
    assert all(before <= e.at <= after for e in events), (before, events, after)
    store.close()


def test_a_step_with_no_stored_status_can_be_started(sample_copy):
    store = Store.open(sample_copy)
    with store.transaction() as writer:
        writer.delete(m.StepStatus, ("E01", "3"), revision(store, "E01", "3"))
    assert steps.status_of(store, "E01", "3")[0].status == "not_started"
    steps.start(store, "E01", "3", "Anne", revision=None, today=DAY)
    status, rev = store.get(m.StepStatus, ("E01", "3"))
    assert (status.status, status.started_on, rev) == ("in_progress", DAY, 1)
    store.close()


def test_a_change_based_on_a_stale_status_is_refused_and_records_nothing(empty_store_url):
    store = Store.open(empty_store_url, create=True)
    store.save(m.Enterprise(id="X1", name="Atelier X", pole="insertion", region="wallonia",
                            language="fr"))
    steps.start(store, "X1", "1", "Anne", revision=None, today=DAY)
    seen = revision(store, "X1", "1")
    done = store.get(m.StepStatus, ("X1", "1"))[0].model_copy(
        update={"status": "done", "completed_on": DAY})
    store.save(done, seen)  # completed meanwhile (only a done step is reopened)
    steps.reopen(store, "X1", "1", "Someone else", revision=seen + 1)
    with pytest.raises(ConflictError):
        steps.reopen(store, "X1", "1", "Me", revision=seen + 1)
    with pytest.raises(ConflictError):
        steps.start(store, "X1", "1", "Me too", revision=None)
    events = store.list(m.StepEvent, enterprise_id="X1")
    assert sorted(e.by for e in events) == ["Anne", "Someone else"]
    done, problems = steps.complete(store, "X1", "1", "Anne", "en", revision=seen + 1)
    assert not done and len(problems) > 5, "an empty identity card and chain: much to do"
    store.close()


def test_a_schema_3_store_upgrades_to_8_with_an_empty_history(sample_copy):
    with sqlite3.connect(sample_copy) as conn:
        conn.execute("DROP TABLE step_events")
        conn.execute("UPDATE vises_meta SET value='3' WHERE key='schema_version'")
    conn.close()
    store = Store.open(sample_copy)
    assert store.schema_version == SCHEMA_VERSION
    assert store.frame("step_events").empty
    assert len(store.list(m.StepStatus, enterprise_id="E09")) == 3
    steps.start(store, "E01", "3", "Anne", revision=revision(store, "E01", "3"))
    assert len(store.frame("step_events", "E01")) == 1
    store.close()

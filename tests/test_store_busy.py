"""A SQLite store another program keeps locked (a `sqlite3` shell left inside a
transaction, a backup tool, a stuck process): a write waits `$VISES_BUSY_SECONDS` (60 by
default), then is refused in words, naming the store, with nothing stored. It was a raw
SQLAlchemy traceback on the command line, and on a page a save that said nothing at all.
A real second process holds the lock."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from vises_nb.dashboards.workspace import step1
from vises_nb.store import model as m
from vises_nb.store.store import Store

HOLD = "import sqlite3, sys, time\n" \
       "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n" \
       "c.execute('BEGIN IMMEDIATE')\nprint('locked', flush=True)\ntime.sleep(float(sys.argv[2]))\n"


class Locked:
    """Another process holding the store's write lock while the block runs."""

    def __init__(self, path, seconds: float = 150):
        self.process = subprocess.Popen([sys.executable, "-c", HOLD, str(path), str(seconds)],
                                        stdout=subprocess.PIPE, text=True)

    def __enter__(self):
        assert self.process.stdout.readline().strip() == "locked"
        return self

    def __exit__(self, *exc):
        self.process.kill()
        self.process.wait(timeout=30)


def test_a_command_on_a_locked_store_says_so_and_stores_nothing(sample_copy):
    with Locked(sample_copy):
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "vises_nb.cli", "--lang", "en", "users", "add", "zed",
             "--role", "researcher", "--store", str(sample_copy)],
            input="a long enough secret 18\n", capture_output=True, text=True, timeout=300,
            check=False, env={**os.environ, "VISES_BUSY_SECONDS": "2"})
        waited = time.monotonic() - started
    assert done.returncode == 2, "a store's exit code, not an access refusal's (4)"
    assert "Traceback" not in done.stderr and "sqlalchemy" not in done.stderr.lower(), done.stderr
    assert done.stderr.startswith("vises: error:") and sample_copy.name in done.stderr, done.stderr
    assert "2 s" in done.stderr, done.stderr
    assert waited < 60, "the wait follows $VISES_BUSY_SECONDS"
    store = Store.open(sample_copy)
    try:
        from vises_nb.store import accounts
        assert accounts.get_person(store, "zed") is None
    finally:
        store.close()


# ------------------------------------------------- every save on the dashboards
def busy_said(status: str) -> bool:
    """The page's status line says the store is locked, styled as a refusal."""
    return ("locked" in status or "another program" in status) and "Traceback" not in status


def refused_while_locked(path, act, refused, saved, answers=True):
    """The frame of every dashboard case: a real second process holds the store's lock
    while `act()` (the save, the click) runs; it is refused (`act()` answers False when
    it `answers`) and `refused()` checks the words, the typing kept and nothing stored.
    Once the lock is released the same `act()` works (answers True) and `saved()`
    checks what is stored."""
    with Locked(path):
        outcome = act()
    if answers:
        assert outcome is False, "refused while the store is locked"
    refused()
    outcome = act()
    if answers:
        assert outcome is True, "once the lock is gone the same action works"
    saved()


@pytest.fixture
def busy(monkeypatch):
    """A write waits one second for a locked store (the default is a minute)."""
    monkeypatch.setenv("VISES_BUSY_SECONDS", "1")


@pytest.fixture
def store(sample_copy, busy):
    store = Store.open(sample_copy)
    yield store
    store.close()


def stored(path, read):
    """What `read(store)` finds in the store at `path`, read from a store of its own."""
    store = Store.open(path)
    try:
        return read(store)
    finally:
        store.close()


TYPED = "Typed while the store was locked"


def test_a_save_on_a_locked_store_is_refused_in_words_and_keeps_the_typing(sample_copy, store):
    form = step1.identity_form(store, "E09", "en")
    form.inputs["sector"].value = TYPED

    def refused():
        assert "vises-status-conflict" in form.status.value, form.status.value
        assert busy_said(form.status.value), form.status.value
        assert form.dirty and form.inputs["sector"].value == TYPED
        assert store.get(m.Enterprise, "E09")[0].sector != TYPED

    def saved():
        assert store.get(m.Enterprise, "E09")[0].sector == TYPED

    refused_while_locked(sample_copy, form.save, refused, saved)


def test_a_step_status_change_on_a_locked_store_is_refused_in_words(sample_copy, store):
    from vises_nb.analysis import steps
    from vises_nb.dashboards.workspace.progress import StepPanel

    panel = StepPanel(store, "E09", "en", by=lambda: "Anne")
    code, row = next((c, r) for c, r in panel.rows.items() if r.reopen.layout.display == "")
    before = steps.status_of(store, "E09", code)
    row.reason.value = TYPED

    def refused():
        assert busy_said(row.message.value) and "#b2182b" in row.message.value, \
            row.message.value
        assert row.reason.value == TYPED, "the reason stays"
        assert steps.status_of(store, "E09", code) == before, "nothing stored"

    def saved():
        assert steps.status_of(store, "E09", code)[0].status != "done"

    refused_while_locked(sample_copy, lambda: row.act("reopen"), refused, saved)


def test_archiving_on_the_coordinator_page_on_a_locked_store_is_refused_in_words(
        sample_copy, busy):
    from vises_nb.dashboards.coordinator import Coordinator

    panel = Coordinator(str(sample_copy), "en").enterprises
    panel.choice.value = "E09"
    archived = lambda store: store.get(m.Enterprise, "E09")[0].archived

    def archive():
        panel.archive.click()
        panel.confirm.click()

    def refused():
        assert "vises-coord-conflict" in panel.status.value and busy_said(panel.status.value), \
            panel.status.value
        assert not stored(sample_copy, archived)

    def saved():
        assert stored(sample_copy, archived)

    refused_while_locked(sample_copy, archive, refused, saved, answers=False)


def test_a_group_session_on_a_locked_store_is_refused_in_words_and_kept(tmp_path, busy):
    from test_group_sessions import small_cohort

    from vises_nb.dashboards.groups import GroupsPage
    from vises_nb.store import sessions as ss

    path = tmp_path / "vises.sqlite"
    store = Store.open(path, create=True)
    small_cohort(store)
    store.close()
    form = GroupsPage(str(path), "en").form
    form.inputs["date"].value = "14/03/2026"
    form.inputs["topic"].value = TYPED
    form.rows[0].present.value = True
    sessions = lambda store: ss.sessions(store, "G1")

    def refused():
        assert "vises-status-conflict" in form.status.value and busy_said(form.status.value), \
            form.status.value
        assert form.inputs["topic"].value == TYPED
        assert stored(path, sessions) == []

    def saved():
        assert len(stored(path, sessions)) == 1, form.status.value

    refused_while_locked(path, form.save, refused, saved)


def test_a_finding_on_a_locked_store_is_refused_in_words_and_kept(sample_copy, store):
    from vises_nb.dashboards.workspace import findings_form

    form = findings_form.Findings(store, "E09", "en").questions["E09-Q1"].forms["enterprise"]
    text = "Typed while the store was locked: the chain holds for the first clients."
    before = store.list(m.QuestionFinding)
    form.inputs["text"].value = text

    def refused():
        assert "vises-status-conflict" in form.status.value and busy_said(form.status.value)
        assert form.dirty and form.inputs["text"].value == text
        assert store.list(m.QuestionFinding) == before

    def saved():
        assert text in [f.text for f in store.list(m.QuestionFinding)]

    refused_while_locked(sample_copy, form.save, refused, saved)


def test_opening_a_form_to_members_on_a_locked_store_is_refused_in_words(sample_copy, store):
    from test_member_forms import enrol_cohort, refused_count

    from vises_nb.dashboards.access import GuardedStore
    from vises_nb.dashboards.workspace.member_forms import MembersPanel
    from vises_nb.store import openings

    mine = enrol_cohort(store)["mine"]
    logged = refused_count(store)
    panel = MembersPanel(GuardedStore(store, "coco"), mine, "en", member=False)

    def opened():
        with store.engine.connect() as conn:
            return openings.open_forms(conn, mine)

    def tick():
        panel.ticks["identity"].value = True

    def refused():
        assert busy_said(panel.status.value), panel.status.value
        assert panel.ticks["identity"].value is False, "the tick shows what is stored"
        assert opened() == set()
        assert refused_count(store) == logged, "a busy store is not an access refusal"

    def saved():
        assert opened() == {"identity"}

    refused_while_locked(sample_copy, tick, refused, saved, answers=False)


def test_an_arrow_of_the_chain_on_a_locked_store_is_refused_in_words_and_kept(
        sample_copy, store):
    from vises_nb.dashboards.workspace.links import ChainLinks

    arrows = ChainLinks(store, "E09", "en")
    arrows.inputs["source_id"].value = "E09-C41"
    arrows.inputs["target_id"].value = "E09-C52"
    count = lambda: len(store.list(m.ChainLink, enterprise_id="E09"))

    def refused():
        assert "vises-status-conflict" in arrows.status.value and busy_said(arrows.status.value)
        assert arrows.picked == ("E09-C41", "E09-C52") and arrows.dirty, "the ends stay picked"
        assert count() == 10

    def saved():
        assert count() == 11

    refused_while_locked(sample_copy, arrows.add, refused, saved)

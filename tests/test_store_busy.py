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
    assert done.returncode != 0
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


def test_a_save_on_a_locked_store_is_refused_in_words_and_keeps_the_typing(
        sample_copy, monkeypatch):
    monkeypatch.setenv("VISES_BUSY_SECONDS", "1")
    store = Store.open(sample_copy)
    try:
        form = step1.identity_form(store, "E09", "en")
        form.inputs["sector"].value = "Typed while the store was locked"
        with Locked(sample_copy):
            assert form.save() is False
        assert "vises-status-conflict" in form.status.value, form.status.value
        assert "locked" in form.status.value or "another program" in form.status.value
        assert form.dirty and form.inputs["sector"].value == "Typed while the store was locked"
        assert store.get(m.Enterprise, "E09")[0].sector != "Typed while the store was locked"
        assert form.save() is True, "once the lock is gone the same typing saves"
        assert store.get(m.Enterprise, "E09")[0].sector == "Typed while the store was locked"
    finally:
        store.close()


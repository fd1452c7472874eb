"""Processes killed with SIGKILL mid-write leave the store and published files whole.

Real processes, real files, a real PostgreSQL server: the writer is killed at various
moments, then the store is reopened (SQLite recovers its WAL) and checked.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from pathlib import Path

import pytest

from vises_nb.publishing.publish import write_atomic
from vises_nb.store import model as m
from vises_nb.store.store import Store

pytestmark = pytest.mark.slow
BIG_ROWS = 30_000


def _kill(process: multiprocessing.Process) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.join(timeout=30)
    assert process.exitcode == -signal.SIGKILL


def _saver(url: str, ready) -> None:
    """Save one enterprise over and over; its text always names its own revision."""
    store = Store.open(url)
    ready.set()
    while True:
        card, revision = store.get(m.Enterprise, "K1")
        store.save(card.model_copy(update={"missions": f"revision {revision + 1}" * 200}),
                   expected_revision=revision)


def _big_writer(url: str, started, hold=None) -> None:
    """One transaction: an enterprise, then many answers in batches.

    With `hold`, the writer stops half-way inside its open transaction until it is
    killed, so the kill always lands mid-transaction however fast the machine is.
    """
    store = Store.open(url)
    with store.transaction() as w:
        w.save(m.Enterprise(id="BIG", name="Big import", pole="autres", region="brussels",
                            language="fr"))
        for batch in range(BIG_ROWS // 1000):
            w.insert_many(m.Response, [
                {"enterprise_id": "BIG", "respondent_id": f"R{batch}-{i}", "wave_id": "W0",
                 "item_id": "I1", "value": float(i % 5), "text": None} for i in range(1000)])
            if batch == BIG_ROWS // 2000:
                started.set()
                if hold is not None:
                    hold.wait()


def _url(backend: str, tmp_path: Path, request) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    return request.getfixturevalue("postgres_url")


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_save_killed_at_any_moment_is_whole_or_absent(backend, tmp_path, request):
    url = _url(backend, tmp_path, request)
    store = Store.open(url, create=True)
    store.save(m.Enterprise(id="K1", name="Killed", pole="autres", region="brussels",
                            language="fr", missions="revision 1" * 200))
    store.close()  # no connection may cross a fork
    context = multiprocessing.get_context("fork")
    revisions = []
    for delay in (0.05, 0.2, 0.45, 0.8):
        ready = context.Event()
        saver = context.Process(target=_saver, args=(url, ready))
        saver.start()
        assert ready.wait(60)
        time.sleep(delay)
        _kill(saver)
        store = Store.open(url)
        card, revision = store.get(m.Enterprise, "K1")
        assert card.missions == f"revision {revision}" * 200, "text and revision match"
        revisions.append(revision)
        assert store.integrity_check() == "ok"
        store.close()
    assert revisions[-1] > 1, "saves did happen before the kills"
    # the store is still writable after the crashes
    store = Store.open(url)
    card, revision = store.get(m.Enterprise, "K1")
    assert store.save(card.model_copy(update={"name": "after"}), revision) == revision + 1
    store.close()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_large_transaction_killed_midway_leaves_nothing(backend, tmp_path, request):
    url = _url(backend, tmp_path, request)
    Store.open(url, create=True).close()
    context = multiprocessing.get_context("fork")
    for delay in (0.0, 0.3):
        started, hold = context.Event(), context.Event()
        writer = context.Process(target=_big_writer, args=(url, started, hold))
        writer.start()
        assert started.wait(60)
        time.sleep(delay)
        _kill(writer)
        store = Store.open(url)
        assert store.enterprise_ids() == []
        assert store.frame("responses").empty
        assert store.integrity_check() == "ok"
        store.close()
    # and the same transaction left to finish is there whole
    done = context.Event()
    writer = context.Process(target=_big_writer, args=(url, done))
    writer.start()
    writer.join(timeout=300)
    assert writer.exitcode == 0
    store = Store.open(url)
    assert store.enterprise_ids() == ["BIG"] and len(store.frame("responses")) == BIG_ROWS
    store.close()


def _rewriter(path: str, ready) -> None:
    """Rewrite one report again and again, alternating two large complete versions."""
    size = 8_000_000
    versions = ["<html>" + "A" * size + "</html>\n", "<html>" + "B" * size + "</html>\n"]
    ready.set()
    k = 0
    while True:
        write_atomic(Path(path), versions[k % 2])
        k += 1


def test_write_atomic_never_leaves_a_partial_report_when_killed(tmp_path):
    report = tmp_path / "step3.fr.html"
    previous = "<html>previous run</html>\n"
    write_atomic(report, previous)
    context = multiprocessing.get_context("fork")
    seen = set()
    for delay in (0.0, 0.05, 0.15, 0.3, 0.6, 1.0):
        ready = context.Event()
        writer = context.Process(target=_rewriter, args=(str(report), ready))
        writer.start()
        assert ready.wait(60)
        time.sleep(delay)
        _kill(writer)
        text = report.read_text()
        assert text == previous or (
            text.startswith("<html>") and text.endswith("</html>\n")
            and len(text) == 8_000_000 + 14 and len(set(text[6:-8])) == 1), "never partial"
        seen.add(text[6])
    assert seen & {"A", "B"}, "the writer did replace the report before some kills"
    # leftovers are hidden temporary files, never the report's own name
    others = [p.name for p in tmp_path.iterdir() if p != report]
    assert all(name.startswith(".step3.fr.html.") for name in others)

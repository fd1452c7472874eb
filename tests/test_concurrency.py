"""Concurrent editing with real processes on a real SQLite file and a real PostgreSQL server.

8 processes save the same enterprise and their own one, 50 times each. Every save either
is accepted (and then it is in the store's history: revisions count accepted saves with
no gap and no duplicate, and the last accepted value is the stored one) or is refused
with a ConflictError. Nothing is lost silently.
"""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest

from vises_nb.errors import ConflictError
from vises_nb.store import model as m
from vises_nb.store.store import Store

pytestmark = pytest.mark.slow
PROCESSES = 8
SAVES = 50
SHARED = "SHARED"


def card(eid: str, missions: str = "initial") -> m.Enterprise:
    return m.Enterprise(id=eid, name=f"Enterprise {eid}", pole="autres", region="brussels",
                        language="fr", missions=missions)


def _editor(url: str, worker: int, log: str) -> None:
    """One person editing: reload, change, save; every outcome is written to the log."""
    store = Store.open(url)
    mine = f"P{worker}"
    with open(log, "w", encoding="utf-8") as out:
        for k in range(SAVES):
            eid = SHARED if k % 2 == 0 else mine
            current, revision = store.get(m.Enterprise, eid)
            value = f"w{worker}-save{k}"
            try:
                new_revision = store.save(current.model_copy(update={"missions": value}),
                                          expected_revision=revision)
                entry = {"id": eid, "outcome": "accepted", "revision": new_revision,
                         "value": value}
            except ConflictError as exc:
                entry = {"id": eid, "outcome": "conflict", "message": str(exc)}
            except Exception as exc:  # noqa: BLE001 - anything else is a failure to report
                entry = {"id": eid, "outcome": "error", "message": repr(exc)}
            out.write(json.dumps(entry) + "\n")
            out.flush()
    store.close()


def _run_editors(url: str, tmp_path: Path) -> list[dict]:
    store = Store.open(url, create=True)
    for eid in [SHARED, *(f"P{i}" for i in range(PROCESSES))]:
        store.save(card(eid))
    store.close()
    context = multiprocessing.get_context("fork")
    logs = [tmp_path / f"editor{i}.jsonl" for i in range(PROCESSES)]
    workers = [context.Process(target=_editor, args=(url, i, str(logs[i])))
               for i in range(PROCESSES)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=600)
        assert w.exitcode == 0
    return [json.loads(line) for log in logs for line in log.read_text().splitlines()]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_no_lost_update_with_eight_concurrent_editors(backend, tmp_path, request):
    url = (f"sqlite:///{tmp_path / 'store.sqlite'}" if backend == "sqlite"
           else request.getfixturevalue("postgres_url"))
    entries = _run_editors(url, tmp_path)
    assert len(entries) == PROCESSES * SAVES
    assert [e for e in entries if e["outcome"] == "error"] == []
    conflicts = [e for e in entries if e["outcome"] == "conflict"]
    assert all("changed by someone else" in e["message"] for e in conflicts)
    store = Store.open(url)
    for eid in [SHARED, *(f"P{i}" for i in range(PROCESSES))]:
        accepted = [e for e in entries if e["id"] == eid and e["outcome"] == "accepted"]
        stored, revision = store.get(m.Enterprise, eid)
        revisions = sorted(e["revision"] for e in accepted)
        # each accepted save made exactly one new revision: none overwritten, none missing
        assert revisions == list(range(2, 2 + len(accepted))), eid
        assert revision == 1 + len(accepted), eid
        last = max(accepted, key=lambda e: e["revision"])
        assert stored.missions == last["value"], eid
    own = [e for e in entries if e["id"] != SHARED]
    assert all(e["outcome"] == "accepted" for e in own), "nobody else edits one's own record"
    shared = [e for e in entries if e["id"] == SHARED]
    assert conflicts, "the shared record was really contended"
    assert len(shared) == PROCESSES * SAVES // 2
    assert store.integrity_check() == "ok"
    store.close()

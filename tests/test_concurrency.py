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


# --------------------------------------------- issue 14, item 10: imports and loads
IMPORTERS = 4
ROUNDS = 3


def _importer(url: str, enterprise: str, export: str, form: str, start, log: str) -> None:
    from vises_nb.instruments.importing import import_responses

    store = Store.open(url)
    start.wait(60)
    try:
        report = import_responses(store, enterprise, "T0", export, form)
        entry = {"outcome": "already" if report.already_imported else "imported",
                 "responses": report.responses}
    except Exception as exc:  # noqa: BLE001 - the failure is what this test looks for
        entry = {"outcome": "error", "message": repr(exc)[:300]}
    Path(log).write_text(json.dumps(entry))
    store.close()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_simultaneous_first_imports_of_a_new_form_are_idempotent(backend, tmp_path, request,
                                                                 sample_db):
    from exports import answers, kobo_csv

    from vises_nb.instruments.xlsform import write_questionnaire

    source = Store.open(sample_db)
    form = write_questionnaire(source, "E09", tmp_path / "form.xlsx")
    source.close()
    export = kobo_csv(tmp_path / "export.csv", answers(30))
    url = (f"sqlite:///{tmp_path / 'store.sqlite'}" if backend == "sqlite"
           else request.getfixturevalue("postgres_url"))
    store = Store.open(url, create=True)
    context = multiprocessing.get_context("fork")
    for round_ in range(ROUNDS):
        enterprise = f"NEW{round_}"
        store.save(card(enterprise))  # no instrument, no item: the first import makes them
        start = context.Barrier(IMPORTERS)
        logs = [tmp_path / f"import{round_}-{k}.json" for k in range(IMPORTERS)]
        workers = [context.Process(target=_importer, args=(url, enterprise, str(export),
                                                           str(form), start, str(logs[k])))
                   for k in range(IMPORTERS)]
        for w in workers:
            w.start()
        for w in workers:
            w.join(timeout=600)
        entries = [json.loads(log.read_text()) for log in logs]
        assert [e for e in entries if e["outcome"] == "error"] == [], entries
        assert sorted(e["outcome"] for e in entries) == ["already"] * (IMPORTERS - 1) + [
            "imported"]
        stored = store.frame("responses", enterprise_id=enterprise)
        imported = next(e for e in entries if e["outcome"] == "imported")
        assert len(stored) == imported["responses"] > 0
        assert len(store.frame("imports", enterprise_id=enterprise)) == 1
        assert len(store.frame("respondents", enterprise_id=enterprise)) == 30
    store.close()


def _replacer(url: str, enterprise: str, stop: float) -> None:
    """Replaces the enterprise's one respondent and its answers, in one transaction each
    time, under a new id: a reader must never see answers without their respondent."""
    import time
    import uuid

    from vises_nb.store.schema import TABLES

    store = Store.open(url)
    people, answers_ = TABLES[m.Respondent], TABLES[m.Response]
    end = time.monotonic() + stop
    while time.monotonic() < end:
        new = f"{enterprise}-P{uuid.uuid4().hex[:12]}"
        with store.transaction() as w:
            w.conn.execute(answers_.delete().where(answers_.c.enterprise_id == enterprise))
            w.conn.execute(people.delete().where(people.c.enterprise_id == enterprise))
            w.insert_many(m.Respondent, [{"id": new, "enterprise_id": enterprise,
                                          "code": new[-12:], "sex": None, "age_band": None}])
            w.insert_many(m.Response, [{"enterprise_id": enterprise, "respondent_id": new,
                                        "wave_id": f"{enterprise}-T0", "item_id": f"I{k}",
                                        "value": 1.0, "text": None} for k in range(20)])
    store.close()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_loading_an_enterprise_sees_one_consistent_snapshot(backend, tmp_path, request):
    from vises_nb.store.loading import load_enterprise

    url = (f"sqlite:///{tmp_path / 'store.sqlite'}" if backend == "sqlite"
           else request.getfixturevalue("postgres_url"))
    store = Store.open(url, create=True)
    store.save(card("SNAP"))
    context = multiprocessing.get_context("fork")
    writer = context.Process(target=_replacer, args=(url, "SNAP", 20.0))
    writer.start()
    loads = torn = 0
    try:
        while writer.is_alive() and loads < 400:
            data = load_enterprise(store, "SNAP")
            loads += 1
            orphans = set(data.responses.respondent_id) - set(data.respondents.id)
            torn += bool(orphans) or len(data.respondents) > 1
    finally:
        writer.join(timeout=120)
        store.close()
    assert loads >= 20, "the reader really ran alongside the writer"
    assert torn == 0, f"{torn} of {loads} loads saw a half-written state"

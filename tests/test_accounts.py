"""Accounts and roles (issue 18): argon2 passwords, slowed sign-in, the access layer.

A real SQLite copy of the sample cohort; two accompaniers, a member, a researcher and a
coordinator enrolled as `vises users add` does; every read and write the dashboards make
goes through `GuardedStore`, checked here against what each role may do."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from vises_nb.dashboards.access import GuardedStore
from vises_nb.errors import AccessError, ValidationError
from vises_nb.store import accounts
from vises_nb.store import model as m
from vises_nb.store.schema import SCHEMA_VERSION, people_table
from vises_nb.store.store import Store

PASSWORD = "correct horse battery"


@pytest.fixture
def cohort(sample_copy):
    store = Store.open(sample_copy)
    followed: dict[str, list[str]] = {}
    for e in store.list(m.Enterprise):
        followed.setdefault(e.accompanier_id, []).append(e.id)
    first, second = sorted(a for a in followed if a)[:2]
    accounts.add_person(store, "anna", "accompanier", PASSWORD, accompanier_id=first)
    accounts.add_person(store, "bert", "accompanier", PASSWORD, accompanier_id=second)
    accounts.add_person(store, "rita", "researcher", PASSWORD)
    accounts.add_person(store, "coco", "coordinator", PASSWORD)
    accounts.add_person(store, "mia", "member", PASSWORD, enterprise_id=followed[second][0])
    yield store, followed[first], followed[second]
    store.close()


def test_passwords_are_argon2_hashes_and_checked(cohort):
    store, _, _ = cohort
    with store.engine.connect() as conn:
        stored = conn.execute(sa.select(people_table.c.password_hash).where(
            people_table.c.username == "anna")).scalar()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert accounts.authenticate(store, "anna", PASSWORD, "10.0.0.1").username == "anna"
    assert accounts.authenticate(store, "anna", PASSWORD + "x", "10.0.0.1") is None
    assert accounts.authenticate(store, "nobody", PASSWORD, "10.0.0.1") is None
    with pytest.raises(ValidationError):
        accounts.add_person(store, "shorty", "researcher", "short")
    with pytest.raises(ValidationError):
        accounts.add_person(store, "anna", "researcher", PASSWORD)  # taken
    with pytest.raises(ValidationError):
        accounts.add_person(store, "x", "accompanier", PASSWORD)  # no accompanier named
    accounts.set_password(store, "anna", "another long secret")
    assert accounts.authenticate(store, "anna", PASSWORD) is None
    assert accounts.authenticate(store, "anna", "another long secret").username == "anna"


def test_failures_are_logged_and_slow_further_attempts(cohort):
    store, _, _ = cohort
    assert accounts.delay(0) == accounts.delay(accounts.FREE_FAILURES - 1) == 0
    for i in range(accounts.FREE_FAILURES + 2):
        accounts.authenticate(store, "anna", f"wrong {i}", "10.0.0.9")
    assert accounts.recent_failures(store, "anna", None) == accounts.FREE_FAILURES + 2
    # per address too: another name from the same address is slowed as well
    assert accounts.recent_failures(store, "bert", "10.0.0.9") == accounts.FREE_FAILURES + 2
    assert accounts.recent_failures(store, "bert", "10.0.0.8") == 0
    assert accounts.delay(accounts.FREE_FAILURES + 2) == 4.0
    assert accounts.delay(1000) == accounts.MAX_DELAY
    failed = accounts.security_log(store, "sign_in_failed")
    assert len(failed) == accounts.FREE_FAILURES + 2
    assert {f["address"] for f in failed} == {"10.0.0.9"}


def test_a_disabled_account_cannot_sign_in_nor_read(cohort):
    store, mine, _ = cohort
    guard = GuardedStore(store, "anna")
    assert guard.require_enterprise(mine[0]).id == mine[0]
    accounts.disable(store, "anna")
    assert accounts.authenticate(store, "anna", PASSWORD) is None
    with pytest.raises(AccessError):
        guard.require_enterprise(mine[0])
    with pytest.raises(AccessError):
        guard.list(m.Enterprise)


def test_an_accompanier_sees_and_changes_only_the_enterprises_they_follow(cohort):
    store, mine, theirs = cohort
    anna = GuardedStore(store, "anna")
    assert anna.enterprise_ids() == sorted(mine)
    assert {e.id for e in anna.list(m.Enterprise)} == set(mine)
    assert set(anna.frame("enterprises")["id"]) == set(mine)
    assert set(anna.frame("stakeholders")["enterprise_id"]) <= set(mine)
    assert [a.id for a in anna.list(m.Accompanier)] == [anna.person().accompanier_id]
    for read in (lambda: anna.require_enterprise(theirs[0]),
                 lambda: anna.get(m.Enterprise, theirs[0]),
                 lambda: anna.frame("stakeholders", theirs[0]),
                 lambda: anna.list(m.Stakeholder, enterprise_id=theirs[0])):
        with pytest.raises(AccessError):
            read()
    # a save for someone else's enterprise: refused, nothing changes, logged
    other, revision = store.get(m.Enterprise, theirs[0])
    before = store.frame("enterprises", theirs[0]).to_dict("records")
    with pytest.raises(AccessError):
        anna.save(other.model_copy(update={"name": "taken over"}), revision)
    with pytest.raises(AccessError):  # nor take it over by setting oneself as accompanier
        anna.save(other.model_copy(update={"accompanier_id": anna.person().accompanier_id}),
                  revision)
    stake = store.list(m.Stakeholder, enterprise_id=theirs[0])[0]
    with pytest.raises(AccessError):  # nor move a record of theirs into one's own enterprise
        anna.save(stake.model_copy(update={"enterprise_id": mine[0]}),
                  store.get(m.Stakeholder, stake.id)[1])
    with pytest.raises(AccessError):
        anna.delete(m.Stakeholder, stake.id, store.get(m.Stakeholder, stake.id)[1])
    assert store.frame("enterprises", theirs[0]).to_dict("records") == before
    assert store.get(m.Stakeholder, stake.id)[0] == stake
    refused = accounts.security_log(store, "refused")
    assert len(refused) == 8 and {r["username"] for r in refused} == {"anna"}
    assert any(theirs[0] in r["detail"] for r in refused)
    # one's own: saved, and the history says who did it
    own, revision = anna.get(m.Enterprise, mine[0])
    anna.save(own.model_copy(update={"name": "Coop renamed"}), revision)
    assert store.get(m.Enterprise, mine[0])[0].name == "Coop renamed"
    [change] = anna.history(mine[0], limit=1)
    assert change["changed_by"] == "anna" and change["revision"] == revision + 1
    with pytest.raises(AccessError):
        anna.history(theirs[0])


def test_researchers_members_and_coordinators(cohort):
    store, mine, theirs = cohort
    rita = GuardedStore(store, "rita")
    assert rita.enterprise_ids() == [] and rita.list(m.Enterprise) == []
    assert rita.frame("excerpts").empty  # never an enterprise's verbatims
    assert rita.require_cohort().role == "researcher"
    with pytest.raises(AccessError):
        rita.require_enterprise(mine[0])
    mia = GuardedStore(store, "mia")
    assert mia.enterprise_ids() == [theirs[0]]
    own, revision = mia.get(m.Enterprise, theirs[0])
    with pytest.raises(AccessError):  # members read their enterprise; they do not edit it
        mia.save(own.model_copy(update={"name": "x"}), revision)
    coco = GuardedStore(store, "coco")
    assert coco.enterprise_ids() == store.enterprise_ids()
    other, revision = coco.get(m.Enterprise, theirs[0])
    coco.save(other.model_copy(update={"accompanier_id": anna_id(store)}), revision)
    assert theirs[0] in GuardedStore(store, "anna").enterprise_ids()
    with pytest.raises(AccessError):
        GuardedStore(store, None).enterprise_ids()  # nobody known: nothing


def test_only_a_coordinator_opens_the_coordinator_page(cohort):
    """Enrolment edits every enterprise: with accounts only coordinators may (the server
    refuses the page to others too); an accompanier's forged group save is refused."""
    store, _mine, _theirs = cohort
    assert GuardedStore(store, "coco").require_coordinator().role == "coordinator"
    for name in ("anna", "rita", "mia"):
        with pytest.raises(AccessError):
            GuardedStore(store, name).require_coordinator()
    with pytest.raises(AccessError):
        GuardedStore(store, "anna").save(m.Group(id="G9", name="x", period="2026"))


def anna_id(store: Store) -> str:
    return accounts.get_person(store, "anna").accompanier_id


def test_a_store_of_schema_3_gains_the_accounts_tables(tmp_path):
    path = tmp_path / "old.sqlite"
    store = Store.open(path, create=True)
    with store.engine.begin() as conn:
        for name in ("people", "security_log", "changes"):
            conn.execute(sa.text(f"DROP TABLE {name}"))
        conn.execute(sa.text("UPDATE vises_meta SET value='3' WHERE key='schema_version'"))
    store.close()
    store = Store.open(path)
    assert store.schema_version == SCHEMA_VERSION
    assert accounts.list_people(store) == []
    store.close()


def test_a_kernel_believes_a_name_only_from_the_server(monkeypatch):
    """A preheated kernel takes the name only with the HMAC of its own connection key (as
    the server sends it on /voila/query); a kernel started for one request takes it from
    the environment the server started it with; a page never sets either."""
    from vises_nb.dashboards import access

    key = b"connection-key-of-this-kernel"
    monkeypatch.setattr(access, "_own_key", lambda: key)
    monkeypatch.setenv("VOILA_KERNEL_ID", "k-1")
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv(access.PERSON_ENV, "anna")
    monkeypatch.setenv(access.PROOF_ENV, access.person_proof(key, "k-1", "anna"))
    assert access.who_asks() == "anna"
    monkeypatch.setenv(access.PERSON_ENV, "coco")  # a name without its proof
    assert access.who_asks() is None
    monkeypatch.setenv(access.PROOF_ENV, access.person_proof(b"another key", "k-1", "coco"))
    assert access.who_asks() is None
    monkeypatch.setenv(access.PROOF_ENV, access.person_proof(key, "k-2", "coco"))
    assert access.who_asks() is None  # another kernel's proof
    monkeypatch.setenv("VOILA_PREHEAT", "False")  # started for this request by the server
    assert access.who_asks() == "coco"
    monkeypatch.delenv(access.PERSON_ENV)
    assert access.who_asks() is None


def test_the_server_environment_says_accounts_only_when_asked(monkeypatch):
    from vises_nb.dashboards import access
    from vises_nb.dashboards.voila_serve import voila_environment

    monkeypatch.setenv(access.PERSON_ENV, "smuggled")
    monkeypatch.setenv(access.ACCOUNTS_ENV, "1")
    plain = voila_environment("sqlite:///x", "en", "t")
    assert access.ACCOUNTS_ENV not in plain and access.PERSON_ENV not in plain
    served = voila_environment("sqlite:///x", "en", "t", accounts=True)
    assert served[access.ACCOUNTS_ENV] == "1" and access.PERSON_ENV not in served


def test_accounts_on_a_federations_postgresql_store(postgres_url, sample_cohort):
    from vises_nb.sample.generator import store_cohort

    store = Store.open(postgres_url, create=True)
    store_cohort(sample_cohort, store)
    first = min(e.accompanier_id for e in store.list(m.Enterprise) if e.accompanier_id)
    mine = sorted(e.id for e in store.list(m.Enterprise, accompanier_id=first))
    accounts.add_person(store, "anna", "accompanier", PASSWORD, accompanier_id=first)
    assert accounts.authenticate(store, "anna", "wrong password", "10.1.1.1") is None
    assert accounts.recent_failures(store, "anna", "10.1.1.1") == 1
    anna = GuardedStore(store, "anna")
    assert anna.enterprise_ids() == mine
    other = next(e for e in store.list(m.Enterprise) if e.id not in mine)
    with pytest.raises(AccessError):
        anna.save(other.model_copy(update={"name": "x"}), store.get(m.Enterprise, other.id)[1])
    own, revision = anna.get(m.Enterprise, mine[0])
    anna.save(own.model_copy(update={"name": "Renamed on PostgreSQL"}), revision)
    assert anna.history(mine[0])[0]["changed_by"] == "anna"
    assert [r["username"] for r in accounts.security_log(store, "refused")] == ["anna"]
    store.close()


def test_vises_users_reads_passwords_from_stdin_never_from_arguments(sample_copy):
    import subprocess
    import sys

    def users(*args: str, password: str = "") -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "vises_nb.cli", "--lang", "en", "users",
                               *args, "--store", str(sample_copy)], input=password + "\n",
                              capture_output=True, text=True, timeout=120, check=False)

    assert users("add", "rita", "--role", "researcher", password=PASSWORD).returncode == 0
    short = users("add", "sam", "--role", "researcher", password="short")
    assert short.returncode != 0 and "at least 10" in short.stderr
    assert "Traceback" not in short.stderr
    assert users("password", "rita", password="a brand new secret").returncode == 0
    unknown = users("disable", "nobody")
    assert unknown.returncode != 0 and "nobody" in unknown.stderr
    assert "Traceback" not in unknown.stderr
    assert users("disable", "rita").returncode == 0
    assert "rita\tresearcher\t\tdisabled" in users("list").stdout
    store = Store.open(sample_copy)
    assert accounts.get_person(store, "sam") is None
    assert accounts.authenticate(store, "rita", "a brand new secret") is None  # disabled
    accounts.enable(store, "rita")
    assert accounts.authenticate(store, "rita", "a brand new secret").username == "rita"
    store.close()

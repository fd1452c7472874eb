"""The coordinator's accounts section and forms opened to members (issue 18, part 2).

A real copy of the sample cohort (SQLite; the opening rules on PostgreSQL too). People are
enrolled as `vises users add` does; every action goes through the access layer
(`GuardedStore`), and what it refuses changes nothing and is logged."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from vises_nb.dashboards import people
from vises_nb.dashboards.access import GuardedStore
from vises_nb.errors import AccessError, ValidationError
from vises_nb.store import accounts, openings
from vises_nb.store import model as m
from vises_nb.store.schema import SCHEMA_VERSION, form_openings_table
from vises_nb.store.store import Store

PASSWORD = "correct horse battery"


def enrol_cohort(store: Store) -> dict:
    followed: dict[str, list[str]] = {}
    for e in store.list(m.Enterprise):
        followed.setdefault(e.accompanier_id, []).append(e.id)
    first, second = sorted(a for a in followed if a)[:2]
    accounts.add_person(store, "anna", "accompanier", PASSWORD, accompanier_id=first)
    accounts.add_person(store, "bert", "accompanier", PASSWORD, accompanier_id=second)
    accounts.add_person(store, "coco", "coordinator", PASSWORD)
    mine, other = followed[first][0], followed[second][0]
    accounts.add_person(store, "mia", "member", PASSWORD, enterprise_id=mine)
    accounts.add_person(store, "otto", "member", PASSWORD, enterprise_id=other)
    return {"mine": mine, "other": other, "first": first}


@pytest.fixture
def cohort(sample_copy):
    store = Store.open(sample_copy)
    yield store, enrol_cohort(store)
    store.close()


def refused_count(store: Store) -> int:
    return len(accounts.security_log(store, "refused"))


# ---------------------------------------------------------------- coordinator's page
def test_a_coordinator_enrols_with_a_one_time_password_others_are_refused(cohort):
    store, ids = cohort
    coco = GuardedStore(store, "coco")
    password = people.enrol(coco, "nora", "accompanier", accompanier_id=ids["first"])
    assert len(password) == 19 and password.count("-") == 3
    nora = accounts.get_person(store, "nora")
    assert nora.role == "accompanier" and nora.must_change_password
    assert accounts.authenticate(store, "nora", password).username == "nora"
    enrolled = accounts.security_log(store, "enrolled")[-1]
    assert enrolled["username"] == "nora" and "by coco" in enrolled["detail"]
    # the first sign-in replaces it: the one-time password stops working
    with pytest.raises(ValidationError):
        accounts.replace_one_time_password(store, "nora", password)
    assert accounts.replace_one_time_password(store, "nora", "nora's own secret")
    assert accounts.authenticate(store, "nora", password) is None
    assert not accounts.get_person(store, "nora").must_change_password
    assert not accounts.replace_one_time_password(store, "nora", "yet another one!")
    # reset, disable, enable: each logged with who did it
    again = people.reset_password(coco, "nora")
    assert again != password and accounts.get_person(store, "nora").must_change_password
    people.set_active(coco, "nora", False)
    assert accounts.authenticate(store, "nora", again) is None
    people.set_active(coco, "nora", True)
    assert accounts.authenticate(store, "nora", again).username == "nora"
    assert "by coco" in accounts.security_log(store, "disabled")[-1]["detail"]
    with pytest.raises(ValidationError):  # never one's own account
        people.set_active(coco, "coco", False)
    # anyone else, whatever their page sends: refused, logged, nothing changes
    before = accounts.list_people(store)
    for name in ("anna", "mia", "nobody"):
        guard = GuardedStore(store, name)
        for action, args in ((people.enrol, ("evil", "coordinator")),
                             (people.set_active, ("coco", False)),
                             (people.reset_password, ("coco",)), (people.people, ())):
            with pytest.raises(AccessError):
                action(guard, *args)
    assert accounts.list_people(store) == before
    refused = accounts.security_log(store, "refused")
    assert any(r["username"] == "anna" and "enrol evil" in r["detail"] for r in refused)
    assert any(r["username"] == "mia" and "reset password coco" in r["detail"] for r in refused)


def test_the_people_panel_checks_as_typed_and_shows_the_password_once(cohort):
    store, ids = cohort
    panel = people.PeoplePanel(GuardedStore(store, "coco"), "en")
    assert "anna" in panel.table.value and "mia" in panel.table.value
    panel.inputs["username"].value = "bad name!"
    assert "letters, digits" in panel.messages["username"].value
    panel.inputs["username"].value = "anna"
    assert "exists" in panel.messages["username"].value or "anna" in panel.messages["username"].value
    panel.inputs["username"].value = "nora"
    assert panel.messages["username"].value == ""
    panel.inputs["role"].value = "member"
    assert panel.rows["enterprise_id"].layout.display == ""
    assert panel.rows["accompanier_id"].layout.display == "none"
    assert not panel.add()  # no enterprise chosen: refused beside the field
    assert "enterprise" in panel.messages["enterprise_id"].value.lower()
    assert accounts.get_person(store, "nora") is None
    panel.inputs["enterprise_id"].value = ids["mine"]
    assert panel.add()
    shown = panel.secret.value
    assert "vises-one-time-password" in shown
    code = shown.split("vises-one-time-password' style='font-size:120%'>")[1].split("<")[0]
    assert accounts.authenticate(store, "nora", code).enterprise_id == ids["mine"]
    assert panel.chosen.value == "nora" and "nora" in panel.table.value
    panel.activate(False)
    assert panel.secret.value == ""  # shown once: the next action takes it away
    assert not accounts.get_person(store, "nora").active
    # the coordinator is disabled meanwhile: the page's next action is refused
    accounts.disable(store, "coco")
    panel.inputs["username"].value = "late"
    panel.inputs["role"].value = "researcher"
    assert not panel.add()
    assert "Refused" in panel.status.value and accounts.get_person(store, "late") is None


def test_the_coordinator_page_has_the_people_section_only_with_accounts(cohort, monkeypatch):
    from vises_nb.dashboards import access
    from vises_nb.dashboards.coordinator import Coordinator

    store, _ids = cohort
    url = str(store.engine.url)
    assert Coordinator(url, "en").people is None  # one laptop, its token: no accounts
    monkeypatch.setenv(access.ACCOUNTS_ENV, "1")
    monkeypatch.setattr(access, "who_asks", lambda: "coco")
    page = Coordinator(url, "en")
    assert page.people is not None and "anna" in page.people.table.value
    # the rest of the page works through the access layer too, each change recorded
    form = page.accompaniers.form
    for name, value in {"id": "A9", "name": "Zoe Peeters", "federation": "VOSEC"}.items():
        form.inputs[name].value = value
    assert form.save()
    groups = page.groups
    members = tuple(v for _label, v in groups.inputs["members"].options)[:5]
    for name, value in {"id": "G9", "name": "Liège", "period": "2031",
                        "members": members}.items():
        groups.inputs[name].value = value
    assert groups.save(), groups.status.value
    assert [g.enterprise_id for g in store.list(m.GroupMember, group_id="G9")] == list(members)
    with store.engine.connect() as conn:
        from vises_nb.store.schema import changes_table
        who = conn.execute(sa.select(changes_table.c.changed_by).where(
            changes_table.c.record_key == "A9")).scalars().all()
    assert who == ["coco"]
    accounts.disable(store, "coco")  # disabled meanwhile: the open page's next save fails
    form.inputs["federation"].value = "Febecoop"
    assert not form.save()
    assert store.get(m.Accompanier, "A9")[0].federation == "VOSEC"
    groups.inputs["name"].value = "Liège bis"
    assert not groups.save() and "Refused" in groups.status.value
    assert store.get(m.Group, "G9")[0].name == "Liège"


# ---------------------------------------------------------------- forms opened to members
def check_openings(store: Store, ids: dict) -> None:
    mine, other = ids["mine"], ids["other"]
    anna, mia, otto = (GuardedStore(store, n) for n in ("anna", "mia", "otto"))
    bert = GuardedStore(store, "bert")
    own, revision = mia.get(m.Enterprise, mine)
    # closed: the member's save is refused, logged, nothing changes
    logged = refused_count(store)
    with pytest.raises(AccessError):
        mia.save(own.model_copy(update={"sector": "by mia"}), revision)
    assert store.get(m.Enterprise, mine) == (own, revision)
    assert refused_count(store) == logged + 1
    # only its accompanier (or a coordinator) opens a form; not another one, not a member
    for guard in (bert, mia):
        with pytest.raises(AccessError):
            guard.set_form_open(mine, "identity", True)
    assert mia.open_forms(mine) == set()
    assert anna.set_form_open(mine, "identity", True)
    assert not anna.set_form_open(mine, "identity", True)  # open already
    assert anna.set_form_open(mine, "stakeholders", True)
    assert mia.open_forms(mine) == {"identity", "stakeholders"}
    [opening] = [o for o in openings.history(store, mine) if o["form"] == "identity"]
    assert opening["opened_by"] == "anna" and opening["closed_at"] is None
    with pytest.raises(ValidationError):
        anna.set_form_open(mine, "bank details", True)
    # open: the member saves the identity card; the history names them
    new_revision = mia.save(own.model_copy(update={"sector": "by mia"}), revision)
    assert store.get(m.Enterprise, mine)[0].sector == "by mia"
    assert mia.history(mine, limit=1)[0]["changed_by"] == "mia"
    # conflict-safe as everyone's: a save on the stale revision is refused
    from vises_nb.errors import ConflictError
    with pytest.raises(ConflictError):
        mia.save(own.model_copy(update={"sector": "stale"}), revision)
    # ...the identity card only: not the accompanier, archiving or language
    current, rev = store.get(m.Enterprise, mine)
    for change in ({"accompanier_id": None}, {"archived": True}, {"language": "en"}):
        with pytest.raises(AccessError):
            mia.save(current.model_copy(update=change), rev)
    assert store.get(m.Enterprise, mine) == (current, new_revision)
    # a stakeholder: added, changed and removed by the member; a question: closed
    stake = m.Stakeholder(id="S-mia-1", enterprise_id=mine, category="workers",
                          description="added by mia")
    stake_rev = mia.save(stake)
    stake_rev = mia.save(stake.model_copy(update={"description": "changed"}), stake_rev)
    mia.delete(m.Stakeholder, stake.id, stake_rev)
    question = store.list(m.EvaluativeQuestion, enterprise_id=mine)[0]
    with pytest.raises(AccessError):
        mia.save(question.model_copy(update={"text": "forged"}),
                 store.get(m.EvaluativeQuestion, question.id)[1])
    # never another enterprise, nor moving a record of theirs over, nor an import
    theirs, theirs_rev = store.get(m.Enterprise, other)
    with pytest.raises(AccessError):
        mia.save(theirs.model_copy(update={"sector": "forged"}), theirs_rev)
    with pytest.raises(AccessError):
        mia.save(m.Stakeholder(id="S-mia-2", enterprise_id=other, category="workers"))
    their_stake = store.list(m.Stakeholder, enterprise_id=other)[0]
    with pytest.raises(AccessError):
        mia.save(their_stake.model_copy(update={"enterprise_id": mine}),
                 store.get(m.Stakeholder, their_stake.id)[1])
    with pytest.raises(AccessError), mia.transaction() as writer:
        writer.insert_many(m.Stakeholder, [{"id": "S-x", "enterprise_id": mine,
                                            "category": "workers", "description": ""}])
    with pytest.raises(AccessError):  # another enterprise's member: its forms are closed
        otto.save(theirs.model_copy(update={"sector": "by otto"}), theirs_rev)
    assert store.get(m.Enterprise, other) == (theirs, theirs_rev)
    with pytest.raises(AccessError):  # a member never deletes the enterprise
        mia.delete(m.Enterprise, mine, store.get(m.Enterprise, mine)[1])
    # step 3 findings: the enterprise's own, never the accompanier's
    question = store.list(m.EvaluativeQuestion, enterprise_id=mine)[0]
    ours = m.QuestionFinding(id="F-mia", enterprise_id=mine, question_id=question.id,
                             author="enterprise", text="what we found", language="fr")
    with pytest.raises(AccessError):  # not open yet
        mia.save(ours)
    anna.set_form_open(mine, "findings", True)
    finding_rev = mia.save(ours)
    theirs_finding = ours.model_copy(update={"id": "F-anna", "author": "accompanier"})
    with pytest.raises(AccessError):
        mia.save(theirs_finding)
    anna_rev = anna.save(theirs_finding)
    with pytest.raises(AccessError):
        mia.save(theirs_finding.model_copy(update={"author": "enterprise"}), anna_rev)
    with pytest.raises(AccessError):
        mia.delete(m.QuestionFinding, "F-anna", anna_rev)
    mia.delete(m.QuestionFinding, "F-mia", finding_rev)
    assert [f.id for f in store.list(m.QuestionFinding, enterprise_id=mine)] == ["F-anna"]
    # closed again: the member's next save is refused; the history keeps who and when
    assert anna.set_form_open(mine, "identity", False)
    current, rev = store.get(m.Enterprise, mine)
    with pytest.raises(AccessError):
        mia.save(current.model_copy(update={"sector": "after closing"}), rev)
    assert store.get(m.Enterprise, mine)[0].sector == "by mia"
    [closed] = [o for o in openings.history(store, mine) if o["form"] == "identity"]
    assert closed["closed_by"] == "anna" and closed["closed_at"] >= closed["opened_at"]
    assert GuardedStore(store, "coco").set_form_open(mine, "identity", True)
    refused = [r for r in accounts.security_log(store, "refused") if r["username"] == "mia"]
    assert len(refused) >= 9 and any(other in r["detail"] for r in refused)


def test_members_fill_only_the_forms_opened_to_them(cohort):
    store, ids = cohort
    check_openings(store, ids)


def test_members_forms_on_a_federations_postgresql_store(postgres_url, sample_cohort):
    from vises_nb.sample.generator import store_cohort

    store = Store.open(postgres_url, create=True)
    store_cohort(sample_cohort, store)
    check_openings(store, enrol_cohort(store))
    store.close()


def test_the_identity_fields_a_member_may_change_are_the_identity_cards():
    from vises_nb.dashboards.workspace import step1

    assert openings.IDENTITY_FIELDS == {f.name for f in step1.IDENTITY}


def test_schema_11_upgrades_a_store_of_schema_9_whether_10_ran_or_not(tmp_path):
    for version in ("9", "10"):
        path = tmp_path / f"old{version}.sqlite"
        store = Store.open(path, create=True)
        accounts.add_person(store, "rita", "researcher", PASSWORD)
        with store.engine.begin() as conn:
            conn.execute(sa.text("DROP TABLE form_openings"))
            conn.execute(sa.text("ALTER TABLE people DROP COLUMN must_change_password"))
            conn.execute(sa.text(f"UPDATE vises_meta SET value='{version}' "
                                 "WHERE key='schema_version'"))
        store.close()
        store = Store.open(path)
        assert store.schema_version == SCHEMA_VERSION >= 11
        assert accounts.get_person(store, "rita").must_change_password is False
        with store.engine.connect() as conn:
            assert conn.execute(sa.select(form_openings_table)).all() == []
        store.upgrade()  # once more: nothing to do, nothing breaks
        from vises_nb.store.schema import MIGRATIONS
        with store.engine.begin() as conn:
            MIGRATIONS[11](conn)  # idempotent
        store.close()


def test_the_workspace_of_a_member_is_read_only_but_the_opened_forms(cohort, monkeypatch):
    from vises_nb.dashboards import access
    from vises_nb.dashboards.workspace.app import Workspace

    store, ids = cohort
    url = str(store.engine.url)
    GuardedStore(store, "anna").set_form_open(ids["mine"], "identity", True)
    monkeypatch.setenv(access.ACCOUNTS_ENV, "1")
    monkeypatch.setattr(access, "who_asks", lambda: "mia")
    page = Workspace(url, "en")
    assert page.enterprise.value == ids["mine"]
    assert "Step 1 · Identity card" in page.members.mine.value
    page.open_tab(1)
    page.open_section("vises-section-stakeholders")  # built on opening, locked as built
    identity = page.sections["vises-section-identity"]
    stakeholders = page.sections["vises-section-stakeholders"]

    def inputs(box):
        found = []
        def walk(w):
            if hasattr(w, "disabled") and not hasattr(w, "children"):
                found.append(w)
            for c in getattr(w, "children", ()) or ():
                walk(c)
        walk(box)
        return found
    assert not any(w.disabled for w in inputs(identity))
    closed = inputs(stakeholders)
    assert closed and all(w.disabled for w in closed if type(w).__name__ != "Select")
    # the accompanier's page: ticks to open and close, with who opened
    monkeypatch.setattr(access, "who_asks", lambda: "anna")
    accompanier = Workspace(url, "en")
    accompanier.enterprise.value = ids["mine"]
    panel = accompanier.members
    assert panel.ticks["identity"].value and "opened by anna" in panel.notes["identity"].value
    panel.ticks["questions"].value = True
    assert GuardedStore(store, "mia").open_forms(ids["mine"]) == {"identity", "questions"}
    panel.ticks["identity"].value = False
    assert GuardedStore(store, "mia").open_forms(ids["mine"]) == {"questions"}
    # a member of an enterprise nobody accompanies yet still finds it
    own, revision = store.get(m.Enterprise, ids["mine"])
    store.save(own.model_copy(update={"accompanier_id": None}), revision)
    monkeypatch.setattr(access, "who_asks", lambda: "mia")
    alone = Workspace(url, "en")
    assert alone.accompanier.options == () and alone.enterprise.value == ids["mine"]


# ---------------------------------------------------------------- trusted proxy header
def test_the_trusted_header_is_passed_only_with_accounts_and_checked(monkeypatch, sample_copy):
    import subprocess
    import sys

    from vises_nb.dashboards import voila_app
    from vises_nb.dashboards.voila_serve import voila_environment

    monkeypatch.setenv(voila_app.TRUSTED_HEADER_ENV, "X-Smuggled")  # never inherited
    plain = voila_environment("sqlite:///x", "en", "t", trusted_header="X-Remote-User",
                              trusted_proxy="127.0.0.1")
    assert voila_app.TRUSTED_HEADER_ENV not in plain
    served = voila_environment("sqlite:///x", "en", "t", accounts=True,
                               trusted_header="X-Remote-User", trusted_proxy="127.0.0.1")
    assert served[voila_app.TRUSTED_HEADER_ENV] == "X-Remote-User"
    assert served[voila_app.TRUSTED_PROXY_ENV] == "127.0.0.1"
    monkeypatch.setenv(voila_app.TRUSTED_PROXY_ENV, "127.0.0.1, ::1")
    assert voila_app.trusted_proxies() == {"127.0.0.1", "::1"}

    def serve(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "vises_nb.cli", "--lang", "en", "serve",
                               "--store", str(sample_copy), *args], capture_output=True,
                              text=True, timeout=120, check=False)

    for args, says in ((("--trusted-header", "X-Remote-User", "--trusted-proxy", "127.0.0.1"),
                        "--accounts"),
                       (("--accounts", "--trusted-header", "X Remote", "--trusted-proxy",
                         "127.0.0.1"), "not an HTTP header name"),
                       (("--accounts", "--trusted-header", "X-Remote-User", "--trusted-proxy",
                         "proxy.example"), "IP address")):
        result = serve(*args)
        assert result.returncode != 0 and says in result.stderr, result.stderr
        assert "Traceback" not in result.stderr


def test_opening_a_form_shows_who_opened_it_before_it_says_saved(cohort):
    """Widget updates reach the page in the order they are made: the tick's note ("opened
    by anna") must be set before the line saying it is saved, or a page (and the full
    suite's browser test, under load) sees "saved" while the panel still shows nothing."""
    from vises_nb.dashboards.workspace.member_forms import MembersPanel

    store, ids = cohort
    panel = MembersPanel(GuardedStore(store, "anna"), ids["mine"], "en", member=False)
    order: list[str] = []
    panel.notes["identity"].observe(lambda change: order.append("note"), names="value")
    panel.status.observe(lambda change: order.append("status"), names="value")
    panel.ticks["identity"].value = True
    assert order == ["note", "status"]
    assert "opened by anna" in panel.notes["identity"].value
    assert "vises-members-saved" in panel.status.value
    assert "identity" in openings.current(store, ids["mine"])


def test_a_refusal_reading_the_open_forms_back_is_shown_as_every_refusal(cohort):
    """Reading the open forms back refused (mia's account disabled meanwhile) was shown
    as escaped plain text, not as the red `vises-refused` line every other refusal is."""
    from vises_nb.dashboards.workspace.member_forms import MembersPanel

    store, ids = cohort
    panel = MembersPanel(GuardedStore(store, "mia"), ids["mine"], "en", member=True)
    assert panel.status.value == ""
    people.set_active(GuardedStore(store, "coco"), "mia", False)
    assert panel.refresh() is False
    assert "class='vises-refused'" in panel.status.value, panel.status.value
    assert "Refused" in panel.status.value or "refused" in panel.status.value

"""The coordinator page's logic in-process on real SQLite stores (the browser test drives
the same page in Chromium): checks as typed, archiving, groups, conflicts."""

from __future__ import annotations

import pytest

from vises_nb.dashboards.coordinator import NEW, Coordinator
from vises_nb.store import model as m
from vises_nb.store.store import Store


@pytest.fixture
def store_path(tmp_path):
    path = tmp_path / "vises.sqlite"
    Store.open(path, create=True).close()
    return path


def fill(form, **values):
    for name, value in values.items():
        form.inputs[name].value = value


def test_an_empty_store_shows_the_first_step_until_someone_is_enrolled(store_path):
    page = Coordinator(str(store_path), "fr")
    assert "vises enrol roster.xlsx" in page.intro.value
    assert "Pour commencer" in page.intro.value
    fill(page.accompaniers.form, id="A1", name="Anne Martin", federation="SAW-B")
    assert page.accompaniers.form.save()
    assert page.intro.value != "", "no enterprise yet"
    enterprise = page.enterprises.form
    assert ("Anne Martin (SAW-B)", "A1") in enterprise.inputs["accompanier_id"].options
    fill(enterprise, id="E01", name="Les Ateliers du Val", accompanier_id="A1", fte="12,5")
    assert enterprise.save()
    assert page.intro.value == ""
    store = Store.open(store_path)
    saved = store.get(m.Enterprise, "E01")[0]
    assert (saved.accompanier_id, saved.fte, saved.pole, saved.language) == \
        ("A1", 12.5, "insertion", "fr")
    store.close()


def test_a_new_record_cannot_take_an_existing_id(store_path):
    store = Store.open(store_path)
    store.save(m.Enterprise(id="E01", name="Un", pole="autres", region="brussels",
                            language="fr"))
    store.close()
    page = Coordinator(str(store_path), "en")
    panel = page.enterprises
    assert panel.choice.value == NEW
    fill(panel.form, id="E01", name="Deux")
    assert panel.form.errors() == {"id": "This id is already used."}
    assert not panel.form.save()
    assert "already used" in panel.form.messages["id"].value
    store = Store.open(store_path)
    assert store.get(m.Enterprise, "E01")[0].name == "Un"
    store.close()


def test_archiving_asks_first_keeps_the_record_and_refuses_a_stale_one(store_path):
    store = Store.open(store_path)
    for i in (1, 2):
        store.save(m.Enterprise(id=f"E0{i}", name=f"N{i}", pole="autres", region="brussels",
                                language="fr"))
    store.close()
    page = Coordinator(str(store_path), "en")
    panel = page.enterprises
    panel.choice.value = "E01"
    panel.archive.click()
    assert "Archive enterprise E01?" in panel.status.value
    assert panel.confirm.layout.display == ""
    store = Store.open(store_path)
    assert not store.get(m.Enterprise, "E01")[0].archived  # not before the confirmation
    store.close()
    panel.confirm.click()
    store = Store.open(store_path)
    e01, revision = store.get(m.Enterprise, "E01")
    assert e01.archived and revision == 2 and e01.name == "N1"
    store.close()
    assert panel.restore.layout.display == ""
    panel.restore.click()
    store = Store.open(store_path)
    assert not store.get(m.Enterprise, "E01")[0].archived
    # someone renames E02 after the page read it: archiving it is refused
    panel.choice.value = "E02"
    card, revision = store.get(m.Enterprise, "E02")
    store.save(card.model_copy(update={"name": "Renamed"}), revision)
    panel.archive.click()
    panel.confirm.click()
    assert "vises-coord-conflict" in panel.status.value
    e02 = store.get(m.Enterprise, "E02")[0]
    assert e02.name == "Renamed" and not e02.archived
    store.close()


def test_switching_record_with_unsaved_changes_is_refused(store_path):
    store = Store.open(store_path)
    store.save(m.Accompanier(id="A1", name="Anne", federation="SAW-B"))
    store.close()
    page = Coordinator(str(store_path), "en")
    panel = page.accompaniers
    panel.choice.value = "A1"
    panel.form.inputs["federation"].value = "Febecoop"
    panel.choice.value = NEW
    assert panel.choice.value == "A1" and "not saved" in panel.warning.value
    assert panel.form.inputs["federation"].value == "Febecoop"


def test_groups_are_checked_as_typed_and_saved_with_their_members(store_path):
    store = Store.open(store_path)
    with store.transaction() as w:
        for i in range(1, 13):
            w.save(m.Enterprise(id=f"E{i:02d}", name=f"N{i}", pole="autres",
                                region="flanders", language="nl", archived=i == 12))
    store.close()
    page = Coordinator(str(store_path), "en")
    groups = page.groups
    offered = [value for _label, value in groups.inputs["members"].options]
    assert "E12" not in offered and "E11" in offered  # archived: not offered
    fill(groups, id="G1", name="Gent", period="2026", members=("E01", "E02"))
    assert "5 to 10" in groups.messages["members"].value
    assert not groups.save()
    fill(groups, members=tuple(f"E{i:02d}" for i in range(1, 6)))
    assert groups.messages["members"].value == ""
    assert groups.save()
    groups.choice.value = NEW
    fill(groups, id="G2", name="Brugge", period="2026",
         members=tuple(f"E{i:02d}" for i in range(5, 10)))
    assert "E05 (G1)" in groups.messages["members"].value
    assert not groups.save()
    fill(groups, period="2027")
    assert groups.save()
    store = Store.open(store_path)
    assert sorted(g.enterprise_id for g in store.list(m.GroupMember, group_id="G2")) == \
        [f"E{i:02d}" for i in range(5, 10)]
    assert {g.period for g in store.list(m.GroupMember, enterprise_id="E05")} == \
        {"2026", "2027"}
    store.close()
    # editing G1: one member out, one in
    groups.choice.value = "G1"
    assert groups.inputs["id"].disabled
    fill(groups, members=("E01", "E02", "E03", "E04", "E10"))
    assert groups.save()
    store = Store.open(store_path)
    assert sorted(g.enterprise_id for g in store.list(m.GroupMember, group_id="G1")) == \
        ["E01", "E02", "E03", "E04", "E10"]
    # the group's revision moves with its members: another page's edit of it is refused
    assert store.get(m.Group, "G1")[1] == 2
    store.close()
    other = Coordinator(str(store_path), "en").groups
    other.choice.value = "G1"
    fill(groups, members=("E01", "E02", "E03", "E04", "E06"))
    assert groups.save()
    fill(other, members=("E01", "E02", "E03", "E04", "E11"))
    assert not other.save() and "vises-coord-conflict" in other.status.value
    store = Store.open(store_path)
    assert sorted(g.enterprise_id for g in store.list(m.GroupMember, group_id="G1")) == \
        ["E01", "E02", "E03", "E04", "E06"]
    store.close()

"""The impact chain's arrows: the rules (pure functions) and their checks against the store,
on SQLite and PostgreSQL, where a refused arrow writes nothing."""

from __future__ import annotations

import pytest

from vises_nb.analysis import chain_links as cl
from vises_nb.errors import ConflictError, NotFoundError
from vises_nb.store import model as m
from vises_nb.store.store import Store


def element(id_: str, level: str, label: str = "") -> m.ChainElement:
    return m.ChainElement(id=id_, enterprise_id="E1", level=level, label=label or id_)


ELEMENTS = {e.id: e for e in [
    element("R", "resource", "Trained staff"), element("A", "activity", "Workshops"),
    element("A2", "activity", "Coaching"), element("O", "output", "Certificates"),
    element("I", "impact", "Inclusion"),
]}
LINKS = [m.ChainLink(id="L1", enterprise_id="E1", source_id="R", target_id="A")]


def problem(source, target, links=LINKS):
    found = cl.link_problem(source, target, ELEMENTS, links)
    return None if found is None else (found.field, found.key)


def test_an_arrow_goes_forward_to_an_adjacent_or_later_level():
    assert problem("A", "O") is None
    assert problem("R", "A2") is None
    assert problem("A", "I") is None, "skipping levels is allowed (the model: a later level)"


@pytest.mark.parametrize("source,target,expected", [
    (None, "A", ("source_id", "link.error.source_required")),
    ("A", None, ("target_id", "link.error.target_required")),
    ("A", "A", ("target_id", "link.error.self")),
    ("R", "A", ("target_id", "link.error.duplicate")),
    ("A", "A2", ("target_id", "link.error.same_level")),
    ("O", "A", ("target_id", "link.error.backwards")),
    ("I", "R", ("target_id", "link.error.backwards")),
    ("gone", "A", ("source_id", "link.error.unknown")),
    ("A", "gone", ("target_id", "link.error.unknown")),
])
def test_refused_arrows_say_why_beside_the_right_field(source, target, expected):
    assert problem(source, target) == expected


def test_messages_name_the_elements_and_levels_in_each_language():
    backwards = cl.link_problem("O", "A", ELEMENTS, LINKS)
    assert backwards.message("en") == ("This arrow goes backwards (Outputs → Activities): an "
                                       "arrow goes to a later level of the chain.")
    assert "(Réalisations → Activités)" in backwards.message("fr")
    assert "(Realisaties → Activiteiten)" in backwards.message("nl")
    duplicate = cl.link_problem("R", "A", ELEMENTS, LINKS)
    assert duplicate.message("en") == "This arrow already exists: Trained staff → Workshops."
    assert cl.link_problem("A", "A", ELEMENTS, LINKS).message("fr") == (
        "Une flèche ne peut pas aller de « Workshops » vers lui-même.")


def test_the_reverse_of_an_existing_arrow_is_backwards_not_a_duplicate():
    assert problem("A", "R") == ("target_id", "link.error.backwards")


def test_moving_an_element_finds_the_arrows_it_would_turn_backwards():
    links = [*LINKS, m.ChainLink(id="L2", enterprise_id="E1", source_id="A", target_id="O")]
    assert cl.broken_by_level("A", "output", ELEMENTS, links) == [links[1]]
    assert [x.id for x in cl.broken_by_level("A", "impact", ELEMENTS, links)] == ["L2"]
    assert [x.id for x in cl.broken_by_level("A", "resource", ELEMENTS, links)] == ["L1"]
    assert cl.broken_by_level("A", "activity", ELEMENTS, links) == []
    assert cl.broken_by_level("I", "outcome", ELEMENTS, links) == []


def test_link_ids_are_the_same_for_the_same_arrow_and_valid_identifiers():
    first = cl.link_id("E1", "A", "O")
    assert first == cl.link_id("E1", "A", "O") != cl.link_id("E1", "O", "A")
    m.ChainLink(id=first, enterprise_id="E1", source_id="A", target_id="O")


# ------------------------------------------------------------------ against a store
@pytest.fixture
def store(empty_store_url):
    opened = Store.open(empty_store_url, create=True)
    with opened.transaction() as writer:
        writer.save(m.Enterprise(id="E1", name="Test", pole="insertion", region="wallonia",
                                 language="en"))
        for e in ELEMENTS.values():
            writer.save(e)
        writer.save(LINKS[0])
    yield opened
    opened.close()


def test_add_link_stores_a_valid_arrow_once(store):
    link = cl.add_link(store, "E1", "A", "O")
    assert store.get(m.ChainLink, link.id)[0] == link
    assert (link.source_id, link.target_id) == ("A", "O")
    with pytest.raises(cl.InvalidLink) as refused:
        cl.add_link(store, "E1", "A", "O")
    assert refused.value.problem.key == "link.error.duplicate"
    assert "field 'target_id'" in str(refused.value)
    assert len(store.list(m.ChainLink, enterprise_id="E1")) == 2


@pytest.mark.parametrize("source,target", [("O", "A"), ("A", "A"), ("A", "A2"), ("A", "X")])
def test_a_refused_arrow_writes_nothing(store, source, target):
    before = store.list(m.ChainLink, enterprise_id="E1")
    with pytest.raises(cl.InvalidLink):
        cl.add_link(store, "E1", source, target)
    assert store.list(m.ChainLink, enterprise_id="E1") == before


def test_an_element_of_another_enterprise_is_unknown_here(store):
    store.save(m.Enterprise(id="E2", name="Other", pole="insertion", region="wallonia",
                            language="en"))
    store.save(m.ChainElement(id="X2", enterprise_id="E2", level="impact", label="Theirs"))
    with pytest.raises(cl.InvalidLink) as refused:
        cl.add_link(store, "E1", "A", "X2")
    assert refused.value.problem.key == "link.error.unknown"


def test_the_same_arrow_added_at_the_same_moment_collides_on_its_key(store):
    store.save(m.ChainLink(id=cl.link_id("E1", "A", "O"), enterprise_id="E1", source_id="A",
                           target_id="O"))
    # as if the other save committed between our check and our insert: the key refuses it
    with pytest.raises(ConflictError), store.transaction() as writer:
        writer.save(m.ChainLink(id=cl.link_id("E1", "A", "O"), enterprise_id="E1",
                                source_id="A", target_id="O"))


def test_remove_link_and_a_second_removal_is_not_found(store):
    cl.remove_link(store, "L1")
    assert store.list(m.ChainLink, enterprise_id="E1") == []
    with pytest.raises(NotFoundError):
        cl.remove_link(store, "L1")


def test_level_change_problem_names_the_arrows_inside_the_transaction(store):
    moved = ELEMENTS["A"].model_copy(update={"level": "resource"})
    with store.engine.connect() as conn:
        assert cl.level_change_problem(conn, moved, "en") == (
            "At this level, 1 arrow(s) would no longer go forward: Trained staff → Workshops. "
            "Remove them first or choose another level.")
        assert cl.level_change_problem(conn, ELEMENTS["A"].model_copy(
            update={"level": "output"}), "en") is None
        assert cl.dependent_links(conn, ELEMENTS["R"]) == {"L1": "Trained staff → Workshops"}

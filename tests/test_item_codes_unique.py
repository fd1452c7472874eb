"""One enterprise never holds two items of one code: the generated questionnaire would ask
both (two columns of one name) and results, grouped by item code, would mix their answers.

The paths that create items: step 2's catalogue picker (`add_from_catalogue`, the very
function its tab calls), importing the enterprise's own form, and the store's write path
itself (a check in the saving transaction, on SQLite and PostgreSQL). Refusals store
nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from own_forms import kobo_xlsx, own_form, people

from vises_nb.dashboards.workspace.step2 import IndicatorPlan, add_from_catalogue
from vises_nb.errors import ConflictError, VisesError
from vises_nb.instruments.importing import ImportProblems, import_responses
from vises_nb.store import model as m
from vises_nb.store.store import Store

E = "E70"


@pytest.fixture
def store(empty_store_url):
    s = Store.open(empty_store_url, create=True)
    s.save(m.Enterprise(id=E, name="Atelier du Marais", pole="insertion", region="wallonia",
                        language="fr"))
    yield s
    s.close()


def _import_own_form(store: Store, tmp_path: Path) -> None:
    """E70's own form (tests/own_forms.py): `satisfaction` on its own `freq` list."""
    import_responses(store, E, "T0", kobo_xlsx(tmp_path / "t0.xlsx", people(8, "T0")),
                     own_form(tmp_path / "form.xlsx"))


def _codes(store: Store) -> list[str]:
    return sorted(i.code for i in store.list(m.Item, enterprise_id=E))


def test_a_catalogue_indicator_whose_item_is_an_own_question_is_refused(store, tmp_path):
    """Own form imported first, then step 2 adds the catalogue's `satisfaction` (1-5
    agreement) while the own `satisfaction` is on the enterprise's frequency list: refused
    naming the item, where it comes from and what to do; nothing stored."""
    _import_own_form(store, tmp_path)
    before = (store.data_hash(E), _codes(store))
    assert before[1].count("satisfaction") == 1
    with pytest.raises(VisesError) as caught:
        add_from_catalogue(store, E, "satisfaction", "fr")
    assert caught.value.key == "err.plan.item_code_taken"
    assert (store.data_hash(E), _codes(store)) == before
    assert not store.list(m.Indicator, enterprise_id=E, code="satisfaction")
    texts = {lang: caught.value.message(lang) for lang in ("fr", "nl", "en")}
    for text in texts.values():
        assert "satisfaction" in text and "suivi_stagiaires" in text
    assert "votre questionnaire" in texts["fr"] and "gardez" in texts["fr"].lower()
    assert "uw vragenlijst" in texts["nl"] and "behoud" in texts["nl"].lower()
    assert "your own questionnaire" in texts["en"] and "keep" in texts["en"].lower()


def test_the_step2_tab_shows_the_refusal_in_the_workspace(store, tmp_path):
    """The tab's 'add' button: the message shows under the picker, nothing is added."""
    _import_own_form(store, tmp_path)
    store.save(m.EvaluativeQuestion(id="E70-q1", enterprise_id=E,
                                    text="Les stagiaires sont-ils satisfaits ?",
                                    purpose="improve"))
    before = store.data_hash(E)
    plan = IndicatorPlan(store, E, "nl")
    plan.catalogue.value = "satisfaction"
    plan.question.value = "E70-q1"
    assert plan.pick() is False
    assert "satisfaction" in plan.message.value and "suivi_stagiaires" in plan.message.value
    assert "uw vragenlijst" in plan.message.value
    assert store.data_hash(E) == before


def test_an_own_question_on_the_catalogue_scale_is_reused(store):
    """The enterprise's own `satisfaction` is the catalogue's question on its 1-5 scale and
    measures nothing yet: the catalogue indicator takes it (one item, answers kept)."""
    store.save(m.Instrument(id="E70-own", enterprise_id=E, name="mon_formulaire",
                            method="questionnaire"))
    store.save(m.Item(id="E70-own-satisfaction", enterprise_id=E, instrument_id="E70-own",
                      code="satisfaction", text="Je suis satisfait·e", scale="likert5"))
    indicator = add_from_catalogue(store, E, "satisfaction", "fr")
    [item] = store.list(m.Item, enterprise_id=E)
    assert (item.id, item.indicator_id) == ("E70-own-satisfaction", indicator.id)


def test_an_own_question_measuring_another_indicator_is_not_taken_over(store):
    """Same scale, but it already measures the enterprise's own SATISF: refused."""
    store.save(m.Indicator(id="E70-own-satisf", enterprise_id=E, code="SATISF",
                           name="Satisfaction", level="outcome", nature="quantitative",
                           dimension="social"))
    store.save(m.Instrument(id="E70-own", enterprise_id=E, name="mon_formulaire",
                            method="questionnaire"))
    store.save(m.Item(id="E70-own-satisfaction", enterprise_id=E, instrument_id="E70-own",
                      code="satisfaction", text="Je suis satisfait·e", scale="likert5",
                      indicator_id="E70-own-satisf"))
    before = store.data_hash(E)
    with pytest.raises(VisesError) as caught:
        add_from_catalogue(store, E, "satisfaction", "en")
    assert "SATISF" in caught.value.message("en")
    assert store.data_hash(E) == before


def test_an_own_form_imported_after_the_catalogue_item_is_refused(store, tmp_path):
    """The reverse order: the catalogue's `satisfaction` is in the plan, then the own
    form (with its own `satisfaction` on another list) is imported: refused, nothing
    stored, and still one item of that code."""
    add_from_catalogue(store, E, "satisfaction", "fr")
    before = (store.data_hash(E), _codes(store))
    with pytest.raises(ImportProblems) as caught:
        _import_own_form(store, tmp_path)
    assert any("satisfaction" in p.text("fr") for p in caught.value.problems)
    assert (store.data_hash(E), _codes(store)) == before


def test_the_store_refuses_a_second_item_of_one_code(store):
    """The write path itself, whatever calls it: `save`, `insert_many` and an edit that
    renames an item onto a taken code; the whole transaction is undone."""
    store.save(m.Instrument(id="E70-a", enterprise_id=E, name="a", method="questionnaire"))
    first = m.Item(id="E70-a-x", enterprise_id=E, instrument_id="E70-a", code="x", text="X",
                   scale="text")
    store.save(first)
    second = m.Item(id="E70-a-x2", enterprise_id=E, instrument_id="E70-a", code="x",
                    text="X again", scale="text")
    before = store.data_hash(E)
    with pytest.raises(ConflictError) as caught, store.transaction() as w:
        w.save(m.Instrument(id="E70-b", enterprise_id=E, name="b",
                            method="questionnaire"))
        w.save(second)
    assert caught.value.key == "err.store.item_code_taken"
    assert "E70-a-x" in caught.value.message("en")
    with pytest.raises(ConflictError), store.transaction() as w:
        w.insert_many(m.Item, [second.model_dump()])
    with pytest.raises(ConflictError), store.transaction() as w:  # two in one batch
        w.insert_many(m.Item, [{**second.model_dump(), "code": "y"},
                               {**second.model_dump(), "id": "E70-a-y2", "code": "y"}])
    store.save(second.model_copy(update={"code": "z"}))
    with pytest.raises(ConflictError):
        store.save(second.model_copy(update={"code": "x"}), expected_revision=1)
    assert store.data_hash(E) != before  # the `z` item only
    assert _codes(store) == ["x", "z"]
    # another enterprise may use the code; an item saved again under its own id is fine
    store.save(m.Enterprise(id="E71", name="Ressourcerie", pole="insertion",
                            region="wallonia", language="fr"))
    store.save(m.Instrument(id="E71-a", enterprise_id="E71", name="a",
                            method="questionnaire"))
    store.save(first.model_copy(update={"id": "E71-a-x", "enterprise_id": "E71",
                                        "instrument_id": "E71-a"}))
    assert store.save(first.model_copy(update={"text": "X!"}), expected_revision=1) == 2


def test_two_concurrent_writers_cannot_both_add_a_code(store):
    """Two transactions adding an item `x` at the same time (two accompaniers, two
    tabs): the second waits for the first (PostgreSQL: the enterprise row is locked by
    the check; SQLite: one writer at a time), then sees its item and is refused."""
    import threading

    store.save(m.Instrument(id="E70-a", enterprise_id=E, name="a", method="questionnaire"))
    other = Store.open(store.engine.url.render_as_string(hide_password=False))
    outcome: list[BaseException | None] = []

    def second() -> None:
        try:
            with other.transaction() as w:
                w.save(m.Item(id="E70-a-x2", enterprise_id=E, instrument_id="E70-a",
                              code="x", text="X", scale="text"))
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - reported to the test thread
            outcome.append(exc)

    with store.transaction() as w:
        w.save(m.Item(id="E70-a-x", enterprise_id=E, instrument_id="E70-a", code="x",
                      text="X", scale="text"))
        thread = threading.Thread(target=second)
        thread.start()
        thread.join(1.0)
        assert thread.is_alive()  # waiting for the first writer
    thread.join(30)
    other.close()
    [error] = outcome
    assert isinstance(error, ConflictError) and error.key == "err.store.item_code_taken"
    assert [i.id for i in store.list(m.Item, enterprise_id=E)] == ["E70-a-x"]

"""The vocabulary and the validated domain model."""

from __future__ import annotations

import pytest

from vises_nb.errors import ValidationError
from vises_nb.method import vocabulary as voc
from vises_nb.store import model as m


@pytest.mark.parametrize("name,vocabulary", sorted(voc.ALL.items()))
def test_every_term_has_three_labels(name, vocabulary):
    assert len(vocabulary) >= 2
    for term in vocabulary:
        assert term.code and term.fr and term.nl and term.en, (name, term)
    assert len(set(vocabulary.codes)) == len(vocabulary)


def test_vocabulary_covers_the_method():
    assert voc.POLES.codes == ("insertion", "solidarite", "autres")
    assert voc.CHAIN_LEVELS.codes == ("resource", "activity", "output", "outcome", "impact")
    assert set(voc.DIMENSIONS.codes) == {"economic", "social", "political", "environmental",
                                         "territorial"}
    assert set(voc.REGIONS.codes) == {"wallonia", "brussels", "flanders", "hauts_de_france"}
    assert voc.WAVES.codes == ("T0", "T1", "T2")
    assert voc.POLES.label("solidarite", "nl") == "Solidariteit"
    with pytest.raises(KeyError, match="expected one of"):
        voc.POLES.get("unknown")


def test_validation_names_each_bad_field_and_the_expected_values():
    with pytest.raises(ValidationError) as info:
        m.validate(m.Enterprise, {"id": "E01", "name": "X", "pole": "charity",
                                  "region": "wallonia", "language": "de", "fte": -2,
                                  "colour": "red"}, where="identity form")
    message = str(info.value)
    assert message.startswith("identity form: invalid Enterprise")
    assert "field 'pole': expected one of insertion, solidarite, autres (got 'charity')" in message
    assert "field 'language': expected one of fr, nl, en" in message
    assert "field 'fte': Input should be greater than or equal to 0 (got -2)" in message
    assert "field 'colour': unknown field; remove it" in message


def test_lists_of_codes_are_checked_and_deduplicated():
    element = m.validate(m.ChainElement, {
        "id": "E1-C1", "enterprise_id": "E1", "level": "impact", "label": "Lien social",
        "dimensions": ["social", "social", "territorial"], "stakeholders": ["territory"]})
    assert element.dimensions == ["social", "territorial"]
    with pytest.raises(ValidationError, match="field 'dimensions': unknown code"):
        m.validate(m.ChainElement, {"id": "E1-C1", "enterprise_id": "E1", "level": "impact",
                                    "label": "x", "dimensions": ["cultural"]})


def test_identifiers_refuse_spaces_and_markup():
    with pytest.raises(ValidationError, match="field 'id'"):
        m.validate(m.Enterprise, {"id": "<script>", "name": "X", "pole": "autres",
                                  "region": "brussels", "language": "fr"})


def test_required_fields_are_named():
    with pytest.raises(ValidationError, match="field 'text': Field required"):
        m.validate(m.EvaluativeQuestion, {"id": "Q1", "enterprise_id": "E1",
                                          "purpose": "improve"})


def test_a_label_longer_than_its_bound_is_refused_where_typed_but_a_stored_one_still_reads(
        tmp_path):
    """The 500-character bound on labels (sector, legal form, unit...) came after stores
    held whatever was typed: a longer one stored before reads, backs up and restores;
    a new one is refused, as a form's field says it."""
    import sqlalchemy as sa

    from vises_nb.store import backup
    from vises_nb.store.schema import TABLES
    from vises_nb.store.store import Store

    long = "Économie sociale " * 40  # 680 characters
    with pytest.raises(ValidationError, match="sector"):
        m.validate(m.Enterprise, {"id": "E01", "name": "X", "pole": "insertion",
                                  "region": "wallonia", "language": "fr", "sector": long})
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    store = Store.open(url, create=True)
    store.save(m.Enterprise(id="E01", name="X", pole="insertion", region="wallonia",
                            language="fr", sector="court"))
    with store.engine.begin() as conn:  # as a store made before the bound held it
        conn.execute(sa.update(TABLES[m.Enterprise]).values(sector=long))
    assert store.get(m.Enterprise, "E01")[0].sector == long.strip()
    assert [e.sector for e in store.list(m.Enterprise)] == [long.strip()]
    store.close()
    backup.backup(url, tmp_path / "b.jsonl")
    restored = f"sqlite:///{tmp_path / 'new.sqlite'}"
    backup.restore(tmp_path / "b.jsonl", restored)
    store = Store.open(restored)
    assert store.get(m.Enterprise, "E01")[0].sector == long.strip()
    store.close()

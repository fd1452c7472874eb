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

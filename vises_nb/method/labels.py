"""The labels kept beside the data (vocabulary, answer scales, indicator catalogue) as
catalogue keys: what a new language must translate besides the messages.

They live here, not in `i18n`, so that `i18n` (the ground floor) never imports the method.
"""

from __future__ import annotations

from vises_nb.method import catalogue as indicator_catalogue
from vises_nb.method import scales, vocabulary


def data_keys() -> dict[str, str]:
    """Every translatable label kept beside the data (vocabulary, scales, indicator
    catalogue), as catalogue key → English text: what a new language must translate too."""
    keys: dict[str, str] = {}
    for vocab in vocabulary.ALL.values():
        for term in vocab:
            keys[term.key] = term.en
    for answers in scales.SCALES.values():
        for labels in answers.values():
            keys[labels.key] = labels["en"]
    for entry in indicator_catalogue.CATALOGUE:
        for labels in (entry.name, entry.definition, entry.unit):
            keys[labels.key] = labels["en"]
        for item in entry.items:
            keys[item.text.key] = item.text["en"]
    return keys

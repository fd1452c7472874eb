"""Catalogues: every message used in the code and notebooks exists in every language."""

from __future__ import annotations

import ast
import json

import pytest

from vises_nb import i18n
from vises_nb.paths import NOTEBOOKS_DIR, PACKAGE_DIR

CALLS = {"t", "section"}  # i18n.t(key, ...), ctx.t(key), ctx.section(key, ...)
DYNAMIC_PREFIXES = {"identity.", "audit.", "test.", "effect."}


def keys_in(source: str) -> set[str]:
    keys = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and node.args:
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(
                node.func, "id", "")
            first = node.args[0]
            if name in CALLS and isinstance(first, ast.Constant) and isinstance(first.value, str):
                keys.add(first.value)
    return keys


def used_keys() -> set[str]:
    keys: set[str] = set()
    for path in PACKAGE_DIR.rglob("*.py"):
        keys |= keys_in(path.read_text())
    for path in NOTEBOOKS_DIR.rglob("*.ipynb"):
        for cell in json.loads(path.read_text())["cells"]:
            if cell["cell_type"] == "code":
                keys |= keys_in("".join(cell["source"]))
    return keys


def test_scanner_finds_the_keys():
    keys = used_keys()
    assert {"identity.title", "cohort.title", "result.suppressed", "index.summary"} <= keys


@pytest.mark.parametrize("lang", i18n.available_languages())
def test_every_used_key_is_translated(lang):
    missing = sorted(used_keys() - set(i18n.catalogue(lang)))
    assert missing == [], f"{lang} lacks {missing}"


def test_catalogues_have_the_same_keys_and_placeholders():
    import string

    reference = i18n.catalogue("en")
    for lang in i18n.available_languages():
        catalogue = i18n.catalogue(lang)
        assert set(catalogue) == set(reference), lang
        for key, text in catalogue.items():
            fields = {f for _, f, _, _ in string.Formatter().parse(text) if f}
            expected = {f for _, f, _, _ in string.Formatter().parse(reference[key]) if f}
            assert fields == expected, (lang, key)
    dynamic = {k for k in reference if any(k.startswith(p) for p in DYNAMIC_PREFIXES)}
    assert len(dynamic) > 20


def test_locale_formatting():
    assert i18n.number(1234.5, "fr") == "1\u202f234,5"
    assert i18n.number(1234.5, "nl") == "1.234,5"
    assert i18n.number(1234.5, "en") == "1,234.5"
    assert i18n.percent(0.456, "en") == "46%"
    assert i18n.percent(0.456, "nl") == "46 %"
    assert i18n.number(None, "fr") == "—"


def test_data_label_keys_are_unique_and_complete():
    from vises_nb import catalogue

    keys = i18n.data_keys()
    items = [item for entry in catalogue.CATALOGUE for item in entry.items]
    texts: dict[str, object] = {}
    for item in items:
        assert texts.setdefault(item.code, item.text) == item.text, f"item {item.code} twice"
    assert "vocab.pole.insertion" in keys and "scale.likert5.5" in keys
    assert "indicator.wellbeing_index.definition" in keys


def test_a_fourth_language_is_a_catalogue_not_a_code_change(tmp_path, monkeypatch):
    """German from a translated template: messages, vocabulary, scales, indicators, numbers."""
    import io
    import shutil

    from babel.messages.pofile import read_po, write_po

    from vises_nb import catalogue, model, scales, vocabulary

    locales = tmp_path / "locales"
    shutil.copytree(i18n.LOCALES_DIR, locales)
    template = read_po(io.BytesIO(i18n.template("de").encode("utf-8")))
    for message in template:
        if message.id:
            message.string = "DE " + " ".join(message.auto_comments)
    (locales / "de" / "LC_MESSAGES").mkdir(parents=True)
    with open(locales / "de" / "LC_MESSAGES" / "vises.po", "wb") as handle:
        write_po(handle, template)
    monkeypatch.setattr(i18n, "LOCALES_DIR", locales)
    i18n.catalogue.cache_clear()
    try:
        assert i18n.available_languages() == ("fr", "nl", "en", "de")
        assert i18n.t("identity.title", "de") == "DE Identity card"
        assert vocabulary.POLES.label("insertion", "de") == "DE Work integration"
        assert scales.SCALES["likert5"][5]["de"] == "DE Strongly agree"
        assert catalogue.BY_CODE["wellbeing_index"].name["de"] == "DE Physical well-being index"
        assert i18n.number(1234.5, "de") == "1.234,5"
        assert i18n.language_name("de") == "German"
        card = model.validate(model.Enterprise, {"id": "E1", "name": "X", "pole": "autres",
                                                 "region": "brussels", "language": "de"})
        assert card.language == "de"
        assert used_keys() <= set(i18n.catalogue("de"))
    finally:
        i18n.catalogue.cache_clear()

"""Catalogues: every message used in the code and notebooks exists in every language."""

from __future__ import annotations

import ast
import json
import re

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


# Errors: a VisesError subclass (found in the code), a Message or a BadValue is built from a
# catalogue key; an import problem is `problems.add(key, ..., expected=key or Message)`.
ERROR_BASES = {"VisesError"}
MESSAGE_CALLS = {"Message", "BadValue"}
KEY = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")


def error_classes(sources: list[str]) -> set[str]:
    """Names of every class deriving (at any depth) from VisesError in `sources`."""
    names = set(ERROR_BASES)
    classes = [node for source in sources for node in ast.walk(ast.parse(source))
               if isinstance(node, ast.ClassDef)]
    grew = True
    while grew:
        grew = False
        for node in classes:
            bases = {getattr(b, "id", getattr(b, "attr", "")) for b in node.bases}
            if node.name not in names and bases & names:
                names.add(node.name)
                grew = True
    return names


def _constants(node: ast.AST | None) -> list[ast.AST]:
    """The possible values of an argument: both branches of `a if c else b`."""
    if isinstance(node, ast.IfExp):
        return _constants(node.body) + _constants(node.orelse)
    return [node] if node is not None else []


def error_keys_in(source: str, classes: set[str]) -> tuple[set[str], list[str]]:
    """(catalogue keys errors use, calls whose message is a sentence instead of a key)."""
    keys: set[str] = set()
    sentences: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                node.value.startswith("err.") and KEY.match(node.value):
            keys.add(node.value)  # e.g. key = "err.invalid_where" if where else "err.invalid"
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        receiver = getattr(getattr(func, "value", None), "id", "")
        is_problem = name == "add" and receiver == "problems"
        if name not in classes | MESSAGE_CALLS and not is_problem:
            continue
        arguments = _constants(node.args[0])
        if is_problem:
            arguments += [a for kw in node.keywords if kw.arg == "expected"
                          for a in _constants(kw.value)]
        for argument in arguments:
            if isinstance(argument, ast.JoinedStr) or isinstance(argument, ast.Constant) and (
                    not isinstance(argument.value, str) or not KEY.match(argument.value)):
                sentences.append(f"line {node.lineno}: {ast.unparse(node)[:80]}")
            elif isinstance(argument, ast.Constant):
                keys.add(argument.value)
    return keys, sentences


def used_error_keys() -> tuple[set[str], list[str]]:
    sources = {path: path.read_text() for path in PACKAGE_DIR.rglob("*.py")}
    classes = error_classes(list(sources.values()))
    keys: set[str] = set()
    sentences: list[str] = []
    for path, source in sources.items():
        found, bad = error_keys_in(source, classes)
        keys |= found
        sentences += [f"{path.name} {b}" for b in bad]
    return keys, sentences


def used_keys() -> set[str]:
    keys: set[str] = set(used_error_keys()[0])
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


def test_scanner_finds_every_kind_of_error_key():
    keys, _ = used_error_keys()
    assert {"err.store.no_file",            # raise StoreError(key, ...)
            "err.backup.not_empty",         # BackupError, defined in backup.py
            "err.form.no_survey",           # FormError, defined in xlsform.py
            "err.backup.checksum",          # Message(key) inside another error
            "err.value.not_number",         # BadValue(Message(key), ...)
            "err.import.no_code",           # problems.add(key, ...)
            "err.import.expect_code",       # problems.add(..., expected=key)
            "err.import.no_header",         # problems.add(a if c else b, ...)
            "err.invalid_where"} <= keys    # a key chosen in a variable
    assert len(keys) > 100


def test_a_raise_with_a_key_missing_from_the_catalogues_is_caught():
    source = ("class LocalError(StoreError):\n    pass\n"
              "def f(problems):\n"
              "    problems.add('err.nowhere.one', expected='err.nowhere.two')\n"
              "    raise LocalError('err.nowhere.three', path=1)\n"
              "def g():\n    raise VisesError(f'{1} is a sentence')\n")
    classes = error_classes([source]) | error_classes(
        [path.read_text() for path in PACKAGE_DIR.rglob("*.py")])
    keys, sentences = error_keys_in(source, classes)
    assert keys == {"err.nowhere.one", "err.nowhere.two", "err.nowhere.three"}
    assert not keys & set(i18n.catalogue("en"))
    assert len(sentences) == 1 and "is a sentence" in sentences[0]


@pytest.mark.parametrize("lang", i18n.available_languages())
def test_every_error_key_is_translated(lang):
    keys, _ = used_error_keys()
    missing = sorted(keys - set(i18n.catalogue(lang)))
    assert missing == [], f"{lang} lacks {missing}"


def test_every_error_is_built_from_a_catalogue_key_not_a_sentence():
    _, sentences = used_error_keys()
    assert sentences == []


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
    from vises_nb.method import catalogue
    from vises_nb.method.labels import data_keys

    keys = data_keys()
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

    from vises_nb.method import catalogue, scales, vocabulary
    from vises_nb.store import model

    locales = tmp_path / "locales"
    shutil.copytree(i18n.LOCALES_DIR, locales)
    from vises_nb.method.labels import data_keys

    template = read_po(io.BytesIO(i18n.template("de", data_keys()).encode("utf-8")))
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

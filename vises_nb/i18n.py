"""User-facing text and number formatting in French, Dutch and English.

Strings live in gettext catalogues (`locales/<lang>/LC_MESSAGES/vises.po`), keyed by a
stable message id; Babel reads them, so no compiled .mo file is needed. Numbers and
dates follow the language's Belgian (or British) locale. A new language is a new folder
with a complete vises.po and a line in LOCALES: no code change elsewhere.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DOMAIN = "vises"
LOCALES = {"fr": "fr_BE", "nl": "nl_BE", "en": "en_GB"}


def available_languages() -> tuple[str, ...]:
    """Languages that have a catalogue, in a stable order (fr, nl, en first)."""
    found = sorted(p.parent.parent.name for p in LOCALES_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    order = [lang for lang in LOCALES if lang in found]
    return tuple(order + [lang for lang in found if lang not in order])


def language_name(lang: str) -> str:
    """The language's English name (French, Dutch, German...), as XLSForm columns want it."""
    return locale(lang).get_language_name("en") or lang


def has_catalogue(lang: str) -> bool:
    return (LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po").exists()


class Labels(dict):
    """Labels of one piece of data (a scale answer, an indicator name...) per language.

    fr, nl and en are written in the code next to the data; any other language reads the
    catalogue entry `key` (so a fourth language is a catalogue, not a code change), and
    falls back to English where that entry is missing.
    """

    def __init__(self, labels: dict[str, str], key: str):
        super().__init__(labels)
        self.key = key

    def __missing__(self, lang: str) -> str:
        if has_catalogue(lang):
            text = catalogue(lang).get(self.key)
            if text:
                return text
        return dict.get(self, "en") or self.key

    def __reduce__(self):
        return (Labels, (dict(self), self.key))


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The message id → text mapping of one language."""
    path = LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.exists():
        raise ValueError(
            f"no catalogue for language {lang!r} ({path}); available: "
            f"{', '.join(available_languages())}"
        )
    with path.open("rb") as handle:
        cat = read_po(handle, locale=LOCALES.get(lang, lang))
    return {msg.id: msg.string for msg in cat if msg.id and msg.string}



def template(lang: str, data_labels: dict[str, str] | None = None) -> str:
    """A vises.po for a new language: every message and the data labels given (key →
    English; `vises_nb.method.labels.data_keys()`), English shown beside."""
    header = (f'# vises messages for "{lang}": translate each msgstr (English is in the "#." '
              f"comment),\n# then save as vises_nb/locales/{lang}/LC_MESSAGES/vises.po.\n"
              'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
              f'"Language: {lang}\\n"\n')
    entries = {**catalogue("en"), **(data_labels or {})}
    body = []
    for key in sorted(entries):
        english = entries[key].replace("\n", " ")
        escaped = key.replace("\\", "\\\\").replace('"', '\\"')
        body.append(f'\n#. {english}\nmsgid "{escaped}"\nmsgstr ""\n')
    return header + "".join(body)


def t(key: str, lang: str, /, **values: object) -> str:
    """The text of message `key` in `lang`, with {placeholders} filled in."""
    text = catalogue(lang).get(key) if has_catalogue(lang) else None
    if text is None:
        text = catalogue("en").get(key, key)
    return text.format(**values) if values else text


def locale(lang: str) -> Locale:
    return Locale.parse(LOCALES.get(lang, lang))


def number(value: float | None, lang: str, digits: int = 1) -> str:
    """1 234,5 (fr) / 1.234,5 (nl) / 1,234.5 (en); an em dash for no value."""
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(value, format=pattern, locale=locale(lang))


def percent(share: float | None, lang: str, digits: int = 0) -> str:
    """A share (0..1) as a percent in the language's convention."""
    if share is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "") + " %"
    if lang == "en":
        pattern = pattern.replace(" %", "%")
    return format_percent(share, format=pattern, locale=locale(lang))


def date(value: dt.date | None, lang: str) -> str:
    if value is None:
        return "—"
    return format_date(value, format="long", locale=locale(lang))

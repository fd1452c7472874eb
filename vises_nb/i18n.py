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


def t(key: str, lang: str, **values: object) -> str:
    """The text of message `key` in `lang`, with {placeholders} filled in."""
    text = catalogue(lang).get(key)
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

"""Whether a choice list of an enterprise's own questionnaire is ordered.

Pure functions on a list's choice names and labels (the form's and the store's), so the
import (`instruments.owned`) and the store's migration to schema 12 decide alike.

An ordered list (a scale) is summarised by its median and top-2 box and tested for change;
an unordered one (province, commune, type of service, reason for leaving) only by the share
of each answer. Reading a scale as unordered still shows correct shares; reading an
unordered list as a scale publishes nonsense ("median province"). So vises is
conservative: a list is ordered only when

1. a question using it says so in its `vises` column (`ordered` or `scale`; `unordered`
   or `nominal` says the opposite; a declaration wins, `unordered` over `ordered`);
2. else its choice names are consecutive whole numbers from 0 or 1 (1..k, 0..k-1);
3. else its labels, in one language of the form, are words of an ordered vocabulary
   (frequency, agreement, satisfaction, intensity: `ORDERED_WORDS`) for every choice but
   at most one ("don't know");

otherwise it is unordered (`nominal`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

ORDERED_DECLARED = frozenset({"ordered", "scale", "ordonne", "ordonnee", "geordend"})
UNORDERED_DECLARED = frozenset({"unordered", "nominal", "non_ordonne", "non_ordonnee",
                                "ongeordend"})

#: Words (folded: lower case, no accents) naming a point of an ordered scale, by family.
ORDERED_WORDS: dict[str, tuple[str, ...]] = {
    "frequency": ("jamais", "rarement", "parfois", "souvent", "toujours", "de temps en temps",
                  "nooit", "zelden", "soms", "vaak", "altijd", "meestal",
                  "never", "rarely", "sometimes", "often", "always", "usually"),
    "agreement": ("accord", "akkoord", "eens", "oneens", "agree", "disagree"),
    "satisfaction": ("satisfait", "satisfaite", "insatisfait", "insatisfaite", "tevreden",
                     "ontevreden", "satisfied", "dissatisfied", "unsatisfied"),
    "intensity": ("pas du tout", "un peu", "moyennement", "beaucoup", "enormement", "faible",
                  "moyen", "moyenne", "eleve", "elevee", "low", "medium", "high", "not at all",
                  "a little", "a lot", "weinig", "veel", "helemaal niet", "matig", "laag",
                  "hoog", "gemiddeld"),
}


def _tokens(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " " + " ".join(re.findall(r"[a-z0-9]+", plain)) + " "


_PHRASES = {family: tuple(_tokens(w) for w in words) for family, words in ORDERED_WORDS.items()}


def declared(vises: str) -> str | None:
    """"ordinal" or "nominal" when a `vises` column declares the list's order, else None."""
    words = {_tokens(part).strip().replace(" ", "_") for part in re.split(r"[;,\s]+", vises)}
    if words & UNORDERED_DECLARED:
        return "nominal"
    if words & ORDERED_DECLARED:
        return "ordinal"
    return None


def consecutive_numbers(names: list[str]) -> bool:
    """Choice names 1..k or 0..k-1 (in any order)."""
    names = [n.strip() for n in names]
    if len(names) < 2 or not all(re.fullmatch(r"\d+", n) for n in names):
        return False
    numbers = sorted(int(n) for n in names)
    return numbers[0] in (0, 1) and numbers == list(range(numbers[0], numbers[0] + len(names)))


def ordered_words(names: list[str], labels: list[dict[str, str]]) -> bool:
    """Labels of one language (or names) that are words of one ordered vocabulary, for
    every choice but at most one."""
    if len(names) < 2:
        return False
    languages = {lang for own in labels for lang in own}
    readings = [[own.get(lang, "") for own in labels] for lang in sorted(languages)]
    readings.append([name.replace("_", " ") for name in names])
    for shown in readings:
        folded = [_tokens(label) for label in shown]
        for phrases in _PHRASES.values():
            hits = sum(any(p in label for p in phrases) for label in folded)
            if hits >= 2 and hits >= len(names) - 1:
                return True
    return False


def order_of(names: list[str], labels: list[dict[str, str]],
             declarations: Iterable[str] = ()) -> str:
    """"ordinal" or "nominal" for a list of choices (their names and labels per language)
    and the `vises` column of the questions using it (see the module doc)."""
    said = declared_order(declarations)
    if said:
        return said
    if consecutive_numbers(names) or ordered_words(names, labels):
        return "ordinal"
    return "nominal"


def declared_order(declarations: Iterable[str]) -> str | None:
    """What `vises` columns say of a list's order: "nominal" when one says unordered,
    else "ordinal" when one says ordered, else None."""
    said = {declared(text) for text in declarations if text}
    if "nominal" in said:
        return "nominal"
    return "ordinal" if "ordinal" in said else None

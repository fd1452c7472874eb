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
   (frequency, agreement, satisfaction, intensity, quality: `ORDERED_WORDS`) for every
   choice but at most one ("don't know"), and, for the vocabularies whose words have a
   rank (frequency and quality: `RANKS`), in that rank's order, rising or falling;

A list in a shuffled order is no scale: its codes follow the form's order, so its median
would mean nothing. Numbered choices (rule 2) must run in order too (`1..k` or `k..1`).

otherwise it is unordered (`nominal`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from itertools import pairwise

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
    "quality": ("tres mauvais", "mauvais", "mediocre", "insuffisant", "moyen", "passable",
                "assez bon", "bon", "tres bon", "excellent", "tres mauvaise", "mauvaise",
                "insuffisante", "moyenne", "assez bonne", "bonne", "tres bonne", "excellente",
                "zeer slecht", "slecht", "matig", "redelijk", "voldoende", "goed", "zeer goed",
                "uitstekend",
                "very poor", "very bad", "poor", "bad", "fair", "average", "good", "very good",
                "excellent"),
}

#: The rank of each word of the vocabularies whose words say their place: a list of them
#: must run in that order, rising or falling (a label's longest word decides: `tres bon`
#: is above `bon`). Words of one rank (`parfois`, `de temps en temps`) may stand side by
#: side; a list whose ranks go up and down is unordered.
RANKS: dict[str, dict[str, float]] = {
    "frequency": {"jamais": 0, "presque jamais": 0.5, "rarement": 1, "parfois": 2,
                  "de temps en temps": 2, "souvent": 3, "tres souvent": 3.5,
                  "presque toujours": 4.5, "toujours": 5,
                  "nooit": 0, "bijna nooit": 0.5, "zelden": 1, "soms": 2, "vaak": 3,
                  "zeer vaak": 3.5, "heel vaak": 3.5, "meestal": 4, "bijna altijd": 4.5,
                  "altijd": 5,
                  "never": 0, "almost never": 0.5, "rarely": 1, "sometimes": 2, "often": 3,
                  "very often": 3.5, "usually": 4, "almost always": 4.5, "always": 5},
    "quality": {"tres mauvais": 0, "mauvais": 1, "mediocre": 1, "insuffisant": 1,
                "moyen": 2, "passable": 2, "assez bon": 2.5, "bon": 3, "tres bon": 4,
                "excellent": 5, "tres mauvaise": 0, "mauvaise": 1, "insuffisante": 1,
                "moyenne": 2, "assez bonne": 2.5, "bonne": 3, "tres bonne": 4, "excellente": 5,
                "zeer slecht": 0, "slecht": 1, "matig": 2, "redelijk": 2, "voldoende": 2,
                "goed": 3, "zeer goed": 4, "uitstekend": 5,
                "very poor": 0, "very bad": 0, "poor": 1, "bad": 1, "fair": 2, "average": 2,
                "good": 3, "very good": 4},
}


def _tokens(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " " + " ".join(re.findall(r"[a-z0-9]+", plain)) + " "


_PHRASES = {family: tuple(_tokens(w) for w in words) for family, words in ORDERED_WORDS.items()}
_RANKED = {family: sorted(((_tokens(w), rank) for w, rank in ranks.items()),
                          key=lambda pair: -len(pair[0]))
           for family, ranks in RANKS.items()}


def declared(vises: str) -> str | None:
    """"ordinal" or "nominal" when a `vises` column declares the list's order, else None."""
    words = {_tokens(part).strip().replace(" ", "_") for part in re.split(r"[;,\s]+", vises)}
    if words & UNORDERED_DECLARED:
        return "nominal"
    if words & ORDERED_DECLARED:
        return "ordinal"
    return None


def consecutive_numbers(names: list[str]) -> bool:
    """Choice names 1..k or 0..k-1, in that order or its reverse (2, 1, 3 is no scale:
    its codes follow the form's order)."""
    names = [n.strip() for n in names]
    if len(names) < 2 or not all(re.fullmatch(r"\d+", n) for n in names):
        return False
    numbers = [int(n) for n in names]
    low = min(numbers)
    run = list(range(low, low + len(names)))
    return low in (0, 1) and numbers in (run, run[::-1])


def _rank(label: str, family: str) -> float | None:
    """The rank of a folded label's longest ranked word of `family`, else None."""
    return next((rank for phrase, rank in _RANKED[family] if phrase in label), None)


def _in_order(folded: list[str], family: str) -> bool:
    """Whether the ranked labels run one way (rising or falling, ties allowed), from
    one rank to another; a family without ranks is taken as it is."""
    if family not in _RANKED:
        return True
    ranks = [r for r in (_rank(label, family) for label in folded) if r is not None]
    if len(ranks) < 2:
        return False
    steps = [b - a for a, b in pairwise(ranks)]
    return ranks[0] != ranks[-1] and (all(s >= 0 for s in steps) or all(s <= 0 for s in steps))


def ordered_words(names: list[str], labels: list[dict[str, str]],
                  families: Iterable[str] | None = None) -> bool:
    """Labels of one language (or names) that are words of one ordered vocabulary, for
    every choice but at most one, in its order when its words have a rank (`RANKS`).
    `families`: the vocabularies to try (all by default)."""
    if len(names) < 2:
        return False
    languages = {lang for own in labels for lang in own}
    readings = [[own.get(lang, "") for own in labels] for lang in sorted(languages)]
    readings.append([name.replace("_", " ") for name in names])
    tried = {f: _PHRASES[f] for f in (families if families is not None else _PHRASES)}
    for shown in readings:
        folded = [_tokens(label) for label in shown]
        for family, phrases in tried.items():
            matched = [label for label in folded if any(p in label for p in phrases)]
            if len(matched) >= 2 and len(matched) >= len(names) - 1 and \
                    _in_order(matched, family):
                return True
    return False


def order_of(names: list[str], labels: list[dict[str, str]],
             declarations: Iterable[str] = (), families: Iterable[str] | None = None) -> str:
    """"ordinal" or "nominal" for a list of choices (their names and labels per language)
    and the `vises` column of the questions using it (see the module doc); `families`
    limits the vocabularies tried (the store's migrations decide with those of their
    time)."""
    said = declared_order(declarations)
    if said:
        return said
    if consecutive_numbers(names) or ordered_words(names, labels, families):
        return "ordinal"
    return "nominal"


#: What a "don't know" / "no opinion" / "not applicable" choice says (folded, whole label).
DONT_KNOW = ("ne sait pas", "je ne sais pas", "nsp", "sans avis", "pas d avis",
             "ne se prononce pas", "non applicable", "sans objet", "weet niet",
             "weet ik niet", "geen mening", "geen idee", "niet van toepassing", "nvt",
             "don t know", "dont know", "do not know", "no opinion", "not applicable",
             "prefer not to say", "n a")
_DONT_KNOW = frozenset(_tokens(w) for w in DONT_KNOW)


def is_dont_know(name: str, labels: dict[str, str]) -> bool:
    """Whether a choice is "don't know" (its name or a label is one of `DONT_KNOW`)."""
    return any(_tokens(text) in _DONT_KNOW
               for text in (name.replace("_", " "), *labels.values()) if text)


def off_scale(names: list[str], labels: list[dict[str, str]],
              declarations: Iterable[str] = ()) -> int | None:
    """The position of a list's one "don't know" choice when the list is a scale
    without it (declared ordered, or its other choices read so by rules 2-3): an answer
    kept as such, never a point above the scale's last one. None otherwise (an unordered
    list keeps it as one of its answers)."""
    said = declared_order(declarations)
    found = [k for k, (name, own) in enumerate(zip(names, labels, strict=False))
             if is_dont_know(name, own)]
    if len(found) != 1 or len(names) < 3 or said == "nominal":
        return None
    k = found[0]
    rest, rest_labels = names[:k] + names[k + 1:], labels[:k] + labels[k + 1:]
    if said == "ordinal" or consecutive_numbers(rest) or ordered_words(rest, rest_labels):
        return k
    return None


#: The vocabularies before schema 13 added the quality words.
BEFORE_QUALITY = ("frequency", "agreement", "satisfaction", "intensity")


def declared_order(declarations: Iterable[str]) -> str | None:
    """What `vises` columns say of a list's order: "nominal" when one says unordered,
    else "ordinal" when one says ordered, else None."""
    said = {declared(text) for text in declarations if text}
    if "nominal" in said:
        return "nominal"
    return "ordinal" if "ordinal" in said else None

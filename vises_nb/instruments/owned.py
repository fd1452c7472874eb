"""An enterprise's own questionnaire: its respondent-code question, answer scales and links.

Kobo/ODK forms written by an enterprise name things their own way. This module reads
what vises needs from such a form, without asking the enterprise to rename anything:

- the respondent-code question: `--respondent-column NAME`, else the question whose
  `vises` column says `respondent_code`, else one named `respondent_code`, else a
  required text question named like a code (code, id, respondent, répondant, deelnemer,
  code_participant...);
- each choice list as an answer scale of the enterprise (`AnswerScale` + `ScaleOption`):
  coded 1..k in the form's order, with its labels in every language of the form; a
  two-option yes/no list is binary (yes = 1, no = 0); another list is an ordered scale
  (`ordinal`) or an unordered list (`nominal`) as `list_order` decides;
- `indicator:CODE` in the `vises` column: the item's indicator.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from vises_nb.instruments.forms import (
    RESPONDENT_CODE,
    WAVE_FIELD,
    Choice,
    Form,
    Question,
    scale_choices,
)
from vises_nb.method.answer_order import declared_order, off_scale, order_of
from vises_nb.method.scales import SCALES
from vises_nb.store import model as m

# Words that name a respondent code (strong), or may (weak: `id`, only when no strong
# one is found and nothing says it is the device's, the form's or the submission's id).
CODE_WORDS = frozenset({"code", "respondent", "respondents", "repondant", "repondante",
                        "deelnemer", "deelnemers", "participant", "participante",
                        "respondentcode", "deelnemerscode", "codenummer", "pseudo",
                        "pseudonyme", "matricule", "identifiant"})
WEAK_WORDS = frozenset({"id", "ident", "nummer", "numero"})
NOT_A_PERSON = frozenset({"device", "deviceid", "instance", "instanceid", "uuid", "submission",
                          "form", "meta", "sim", "subscriber", "phone", "user", "username",
                          "key", "version", "gps", "photo", "image", "audit", "site", "plot",
                          "quadrat", "location", "household", "menage", "village"})
YES = frozenset({"yes", "oui", "ja", "y", "o", "j", "1", "true", "vrai", "waar"})
NO = frozenset({"no", "non", "nee", "n", "0", "false", "faux", "onwaar", "neen"})
OPTION_SEPARATOR = "/"  # an option item's key: question name / choice name (as Kobo's columns)


def fold(text: str) -> str:
    """Lower case without accents: `Répondant` -> `repondant`."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


@dataclass(frozen=True)
class RespondentChoice:
    """Which question holds the respondent code, and how vises found it."""

    question: Question | None
    how: str  # option | form | name | detected | none


def find_respondent_question(form: Form, asked: str | None = None) -> RespondentChoice:
    """The respondent-code question (see module doc). `asked` unknown -> LookupError."""
    top = [q for q in form.questions if q.repeat is None and q.name != WAVE_FIELD]
    if asked:
        for question in top:
            names = [question.name, question.xml_path, *question.labels.values()]
            if any(fold(n) == fold(asked) for n in names if n):
                return RespondentChoice(question, "option")
        raise LookupError(asked)
    for question in top:
        if fold(question.vises) == RESPONDENT_CODE:
            return RespondentChoice(question, "form")
    for question in top:
        if question.name == RESPONDENT_CODE:
            return RespondentChoice(question, "name")
    inferred = form.file.startswith("(")
    usable = []
    for question in top:
        if question.type not in ("text", "integer", "barcode"):
            continue
        if not (question.required or inferred):
            continue
        words = {w for w in re.split(r"[^a-z0-9]+", fold(question.name)) if w}
        if words & NOT_A_PERSON or (inferred and len(words) > 2):
            continue
        usable.append((question, words))
    for question, words in usable:
        if words & CODE_WORDS:
            return RespondentChoice(question, "detected")
    for question, words in usable:
        if words & WEAK_WORDS:
            return RespondentChoice(question, "detected")
    return RespondentChoice(None, "none")


def candidates(form: Form) -> list[str]:
    """Names a user could pass as --respondent-column (top-level text-like questions)."""
    return [q.name for q in form.questions if q.repeat is None
            and q.type in ("text", "integer", "barcode", "calculate") and q.name != WAVE_FIELD]


# ------------------------------------------------------------------- own scales
def is_yes_no(choices: list[Choice]) -> dict[str, float] | None:
    """{choice name: 1 or 0} for a two-option yes/no list, else None."""
    if len(choices) != 2:
        return None
    coded: dict[str, float] = {}
    for choice in choices:
        words = {fold(choice.name), *(fold(label) for label in choice.labels.values())}
        if words & YES and not words & NO:
            coded[choice.name] = 1.0
        elif words & NO and not words & YES:
            coded[choice.name] = 0.0
    return coded if sorted(coded.values()) == [0.0, 1.0] else None


def is_catalogue_list(form: Form, list_name: str) -> str | None:
    """The vises scale a list is (same codes as a catalogue scale), else None; never a
    list the form declares unordered (`vises: unordered`: a province coded 1..3 is not
    the network-size scale)."""
    if declared_order(_declarations(form, list_name)) == "nominal":
        return None
    names = {c.name for c in scale_choices(form.choices.get(list_name, []))}
    if list_name in SCALES and names == {str(k) for k in SCALES[list_name]}:
        return list_name
    for scale, points in SCALES.items():
        if names == {str(k) for k in points}:
            return scale
    return None


def _declarations(form: Form, list_name: str) -> list[str]:
    """The `vises` column of each question using a choice list."""
    return [q.vises for q in form.questions if q.list_name == list_name and q.vises]


def declared_list_order(form: Form, list_name: str) -> str | None:
    """"ordinal" or "nominal" when a question using the list declares its order in its
    `vises` column, else None."""
    return declared_order(_declarations(form, list_name))


def mark_off_scale(form: Form) -> None:
    """Mark each list's "don't know" choice as an answer off its scale (as the `other`
    of an `or_other` select) when the list is a scale without it
    (`answer_order.off_scale`): it is kept as such, never coded as a point above the
    scale's last one, and the list's order is decided on its other choices."""
    for list_name, choices in form.choices.items():
        listed = scale_choices(choices)
        k = off_scale([c.name for c in listed], [c.labels for c in listed],
                      _declarations(form, list_name))
        if k is not None:
            listed[k].added = True


def list_order(form: Form, list_name: str, choices: list[Choice]) -> str:
    """"ordinal" (an ordered scale) or "nominal" (an unordered list) for an own choice
    list: as the form's `vises` column declares it, else as its names and labels read
    (`method.answer_order`)."""
    return order_of([c.name for c in choices], [c.labels for c in choices],
                    _declarations(form, list_name))


def scale_id(enterprise_id: str, form: Form, list_name: str) -> str:
    base = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{enterprise_id}-S-{form.form_id}-{list_name}")
    if len(base) <= 64:
        return base
    digest = hashlib.sha1(base.encode()).hexdigest()[:12]
    tail = re.sub(r"[^A-Za-z0-9_.-]+", "_", list_name).strip("_")
    return f"{enterprise_id[:20]}-S-{digest}-{tail}"[:64].rstrip("-")


def own_scale(form: Form, list_name: str, enterprise_id: str
              ) -> tuple[m.AnswerScale, list[m.ScaleOption]] | None:
    """The enterprise's own scale for a choice list (None for catalogue scales)."""
    choices = scale_choices(form.choices.get(list_name, []))
    if not choices or is_catalogue_list(form, list_name):
        return None
    sid = scale_id(enterprise_id, form, list_name)
    coded = is_yes_no(choices)
    kind = "yes_no" if coded else list_order(form, list_name, choices)
    scale = m.AnswerScale(id=sid, enterprise_id=enterprise_id, list_name=list_name[:500],
                          kind=kind)
    options = [m.ScaleOption(scale_id=sid, position=k, enterprise_id=enterprise_id,
                             name=choice.name[:500],
                             value=coded[choice.name] if coded else float(k),
                             labels={lang: label for lang, label in choice.labels.items()})
               for k, choice in enumerate(choices, start=1)]
    return scale, options


def option_scale(enterprise_id: str) -> tuple[m.AnswerScale, list[m.ScaleOption]]:
    """The yes/no scale of select_multiple options (ticked = 1, not ticked = 0)."""
    sid = f"{enterprise_id}-S-ticked"[:64]
    labels = {1.0: {"fr": "Coché", "nl": "Aangevinkt", "en": "Ticked"},
              0.0: {"fr": "Non coché", "nl": "Niet aangevinkt", "en": "Not ticked"}}
    return (m.AnswerScale(id=sid, enterprise_id=enterprise_id, list_name="ticked",
                          kind="yes_no"),
            [m.ScaleOption(scale_id=sid, position=k, enterprise_id=enterprise_id,
                           name=str(int(v)), value=v, labels=labels[v])
             for k, v in enumerate((1.0, 0.0), start=1)])


def indicator_code(question: Question) -> str | None:
    """`indicator:CODE` in the question's `vises` column -> CODE."""
    for part in re.split(r"[;,\s]+", question.vises):
        if fold(part).startswith("indicator:"):
            return part.split(":", 1)[1].strip() or None
    return None

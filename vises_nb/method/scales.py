"""Answer scales: the stored numeric code of each answer and its label per language.

Responses store numbers (1..k for ordered scales, 1/0 for yes/no) so statistics never
depend on the language in which a questionnaire was answered.
"""

from __future__ import annotations

from vises_nb.i18n import Labels

SCALES: dict[str, dict[int, dict[str, str]]] = {
    "likert5": {
        1: {"fr": "Pas du tout d'accord", "nl": "Helemaal niet akkoord", "en": "Strongly disagree"},
        2: {"fr": "Plutôt pas d'accord", "nl": "Eerder niet akkoord", "en": "Disagree"},
        3: {"fr": "Ni d'accord ni pas d'accord", "nl": "Neutraal", "en": "Neither"},
        4: {"fr": "Plutôt d'accord", "nl": "Eerder akkoord", "en": "Agree"},
        5: {"fr": "Tout à fait d'accord", "nl": "Helemaal akkoord", "en": "Strongly agree"},
    },
    "frequency4": {
        1: {"fr": "Jamais", "nl": "Nooit", "en": "Never"},
        2: {"fr": "Une fois", "nl": "Eén keer", "en": "Once"},
        3: {"fr": "Plusieurs fois", "nl": "Meerdere keren", "en": "Several times"},
        4: {"fr": "Tous les jours", "nl": "Elke dag", "en": "Every day"},
    },
    "yes_no": {
        1: {"fr": "Oui", "nl": "Ja", "en": "Yes"},
        0: {"fr": "Non", "nl": "Nee", "en": "No"},
    },
    "network3": {
        1: {"fr": "Moins de 6", "nl": "Minder dan 6", "en": "Fewer than 6"},
        2: {"fr": "6 à 10", "nl": "6 tot 10", "en": "6 to 10"},
        3: {"fr": "Plus de 10", "nl": "Meer dan 10", "en": "More than 10"},
    },
}


SCALES = {scale: {value: Labels(labels, f"scale.{scale}.{value}")
                  for value, labels in answers.items()}
          for scale, answers in SCALES.items()}


def points(scale: str) -> int:
    """Number of answer options of an ordered scale."""
    return len(SCALES[scale])


def label(scale: str, value: int, lang: str) -> str:
    return SCALES[scale][int(value)][lang]


def own_label(labels: dict[str, str], lang: str, name: str) -> str:
    """An option of an enterprise's own scale, labelled in `lang`: its label in `lang`,
    else in the scale's first language (its own form's first label column), else its
    name. Step 3 labels it so, and the questionnaire vises generates shows it so in a
    language the enterprise's own form had no label in."""
    return labels.get(lang) or next((text for text in labels.values() if text), "") or name

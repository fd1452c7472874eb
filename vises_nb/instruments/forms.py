"""The form model vises reads from an XLSForm or an XForm: questions, choices, languages.

Kept apart so that the XLSForm and XForm readers share it without importing each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from vises_nb.errors import VisesError

RESPONDENT_CODE = "respondent_code"
# An extra column of the survey sheet holding vises' analysis plan (as koboloadeR keeps its
# plan in extra XLSForm columns): `respondent_code` marks the respondent-code question,
# `indicator:CODE` links a question to an indicator. Kobo and ODK ignore unknown columns.
VISES_COLUMN = "vises"
WAVE_FIELD = "wave"

# Question types that carry no answer of their own (structure, metadata, computations).
STRUCTURE_TYPES = {"begin group", "end group", "begin repeat", "end repeat", "note"}
META_TYPES = {"start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber",
              "username", "email", "audit", "start-geopoint", "background-audio", "uri:email",
              "uri:phonenumber", "uri:subscriberid", "uri:simserial", "uri:deviceid"}
MEDIA_TYPES = {"image", "audio", "video", "file", "barcode", "geopoint", "geotrace",
               "geoshape", "acknowledge", "range", "rank", "hidden", "xml-external",
               "csv-external", "trigger", "background-geopoint"}
ANSWER_TYPES = {"integer", "decimal", "text", "date", "datetime", "time", "select_one",
                "select_multiple", "calculate", "range", "select_one_from_file",
                "select_multiple_from_file"}


class FormError(VisesError):
    """An XLSForm cannot be read: the message names the file, sheet, row and column."""


@dataclass
class Choice:
    name: str
    labels: dict[str, str]
    # the `other` pyxform adds to an `or_other` select's list: an answer, but no point
    # of the list's scale (it is not above its last choice)
    added: bool = False


def scale_choices(choices: list[Choice]) -> list[Choice]:
    """A list's choices that make its scale (without an `or_other` select's `other`)."""
    return [c for c in choices if not c.added]


@dataclass
class Question:
    """One row of the survey sheet that holds an answer (groups are kept as a path)."""

    name: str
    type: str  # base type: integer, select_one, text, begin repeat...
    list_name: str | None
    labels: dict[str, str]
    path: tuple[str, ...]  # enclosing group and repeat names
    repeat: str | None  # name of the innermost enclosing repeat, if any
    required: bool
    row: int
    vises: str = ""  # the form's own analysis plan: its `vises` column (see VISES_COLUMN)

    @property
    def xml_path(self) -> str:
        return "/".join((*self.path, self.name))


@dataclass
class Form:
    """What vises needs to know of an XLSForm."""

    file: str
    form_id: str
    version: str
    default_language: str | None
    languages: list[str]
    questions: list[Question]
    choices: dict[str, list[Choice]]
    groups: dict[str, dict[str, str]] = field(default_factory=dict)  # name -> labels
    respondent_question: str = RESPONDENT_CODE  # set by the importer (see respondents.py)
    # How messages name a form that is no file (the store's questionnaire, a file's
    # columns): a catalogue Message, so that a French message names it in French.
    title: object = None

    @property
    def shown_as(self) -> object:
        """The form as error messages name it: its title, else its file name."""
        return self.title if self.title is not None else self.file

    def question(self, name: str) -> Question | None:
        return next((q for q in self.questions if q.name == name), None)


def language_of(header: str) -> str | None:
    """`label::English (en)` -> 'en'; `label::french` -> 'french'; `label` -> None."""
    if "::" not in header and ":" not in header:
        return None
    lang = re.split(r"::?", header, maxsplit=1)[1].strip()
    code = re.search(r"\(([A-Za-z-]{2,8})\)\s*$", lang)
    return code.group(1).lower() if code else lang.lower()


def limesurvey_question_code(name: str) -> str:
    """The code LimeSurvey accepts for a question or subquestion named `name`: the name
    itself when it is alphanumeric (starting with a letter, at most 20 characters), else
    the name without its other characters. The importer knows both."""
    code = re.sub(r"[^A-Za-z0-9]", "", name)
    if not code or not code[0].isalpha():
        code = "Q" + code
    return code[:20]


def limesurvey_answer_code(name: str, position: int) -> str:
    """The code LimeSurvey accepts for the `position`-th (1-based) choice `name`: the name
    when it has at most 5 letters or digits, else its first letters and its position
    (`toujours`, 4th -> `tou04`). The importer knows both."""
    if re.fullmatch(r"[A-Za-z0-9]{1,5}", name):
        return name
    return f"{(re.sub(r'[^A-Za-z0-9]', '', name) or 'c')[:3]}{position:02d}"[:5]

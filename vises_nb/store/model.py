"""The domain model of VISES, typed and validated with pydantic.

These classes are what forms, importers and the sample generator hand to the store.
`validate()` turns pydantic's errors into one `ValidationError` whose message names
each bad field and the expected value, in words an accompanier can act on.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, TypeVar

import pydantic
from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from vises_nb.errors import Joined, Message, ValidationError
from vises_nb.method import vocabulary as voc
from vises_nb.text import clean


def _coded(vocabulary: voc.Vocabulary):
    """A str field that must be a code of `vocabulary`."""

    def check(value: str) -> str:
        if value not in vocabulary:
            raise ValueError(Message("err.field.one_of", codes=list(vocabulary.codes)))
        return value

    return Annotated[str, AfterValidator(check)]


def _coded_list(vocabulary: voc.Vocabulary):
    def check(values: list[str]) -> list[str]:
        bad = [v for v in values if v not in vocabulary]
        if bad:
            raise ValueError(Message("err.field.unknown_codes", bad=[repr(b) for b in bad],
                                     codes=list(vocabulary.codes)))
        return list(dict.fromkeys(values))

    return Annotated[list[str], AfterValidator(check)]


Pole = _coded(voc.POLES)
Region = _coded(voc.REGIONS)
def _check_language(value: str) -> str:
    from vises_nb.i18n import available_languages

    if value not in available_languages():
        raise ValueError(Message("err.field.one_of", codes=list(available_languages())))
    return value


Language = Annotated[str, AfterValidator(_check_language)]
Dimension = _coded(voc.DIMENSIONS)
Dimensions = _coded_list(voc.DIMENSIONS)
Stakeholders = _coded_list(voc.STAKEHOLDERS)
Methods = _coded_list(voc.METHODS)
Identifier = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")]


def _check_named_id(value: str) -> str:
    """An id people give (an enterprise's, an accompanier's, a group's) starts with a
    letter or a digit: `..` or `.` would name a folder above or at the reports' own (an
    enterprise's reports are written to reports/<id>/), `-x` reads as an option."""
    if not (value[:1].isascii() and value[:1].isalnum()):
        raise ValueError(Message("err.field.id_start"))
    return value


#: the id of an enterprise, an accompanier or a group: typed by people, used in paths
NamedId = Annotated[Identifier, AfterValidator(_check_named_id)]
Text = Annotated[str, Field(max_length=20_000)]
ShortText = Annotated[str, Field(min_length=1, max_length=500)]
LABEL_MAX = 500


def _bounded_where_typed(value: str, info: pydantic.ValidationInfo) -> str:
    """A label longer than LABEL_MAX is refused where it is typed or imported; one stored
    before the bound existed still reads and restores (`context={"stored": True}`), so a
    store or a backup holding it is never made unreadable by the bound."""
    if len(value) > LABEL_MAX and not (info.context or {}).get("stored"):
        raise PydanticCustomError("string_too_long",
                                  "String should have at most {max_length} characters",
                                  {"max_length": LABEL_MAX})
    return value


#: a short text that may be empty (a sector, a unit): bounded as every text is, since a
#: form's field holds whatever a widget message sends (a megabyte is one message)
Label = Annotated[str, AfterValidator(_bounded_where_typed)]


class Record(BaseModel):
    """Base of every stored record: strict about unknown fields, strips whitespace."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, validate_assignment=True)

    @pydantic.field_validator("*", mode="before")
    @classmethod
    def _clean_text(cls, value: Any) -> Any:
        """Every text enters normalised (`vises_nb.text.clean`): line breaks unified,
        control characters removed, lone surrogates replaced, NFC."""
        if isinstance(value, str):
            return clean(value)
        if isinstance(value, list):
            return [clean(v) if isinstance(v, str) else v for v in value]
        return value

    @pydantic.field_validator("*", mode="after")
    @classmethod
    def _no_nul_character(cls, value: Any) -> Any:
        """PostgreSQL cannot store a NUL character and nobody means to type one: refuse it
        here, as a ValidationError naming the field, rather than as a database crash."""
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(v, str) and "\x00" in v for v in texts):
            raise ValueError(Message("err.field.nul"))
        return value


class Accompanier(Record):
    id: NamedId
    name: ShortText
    federation: ShortText
    language: Language = "fr"
    archived: bool = False  # left the cohort's accompaniment: kept, out of new assignments
    archived_on: dt.date | None = None


class Enterprise(Record):
    """The identity card of a tester enterprise (step 1.2)."""

    id: NamedId
    name: ShortText
    pole: Pole
    region: Region
    language: Language
    accompanier_id: Identifier | None = None
    archived: bool = False  # left the cohort: kept in the store, out of new runs
    archived_on: dt.date | None = None
    legal_form: Label = ""
    sector: Label = ""
    year_founded: int | None = Field(default=None, ge=1800, le=2100)
    fte: float | None = Field(default=None, ge=0, le=100_000)
    integration_workers: int | None = Field(default=None, ge=0, le=100_000)
    volunteers: int | None = Field(default=None, ge=0, le=100_000)
    budget_eur: float | None = Field(default=None, ge=0)
    social_needs: Text = ""
    aspirations: Text = ""
    missions: Text = ""
    means: Text = ""
    activities: Text = ""
    territory: Text = ""
    governance: Text = ""
    management: Text = ""
    production: Text = ""
    surplus_allocation: Text = ""


class Group(Record):
    """A semi-collective group: 5–10 enterprises that follow collective sessions together
    during one period (a year, a semester: the coordinator's code, e.g. 2026 or 2026-S1)."""

    id: NamedId
    name: ShortText
    period: Identifier
    accompanier_id: Identifier | None = None


class GroupMember(Record):
    """An enterprise in a group for a period: at most one group per enterprise and period
    (the table's key is enterprise and period)."""

    enterprise_id: Identifier
    period: Identifier
    group_id: Identifier


class Stakeholder(Record):
    """A stakeholder group and how it takes part at each step."""

    id: Identifier
    enterprise_id: Identifier
    category: _coded(voc.STAKEHOLDERS)
    description: Text = ""
    involvement_step1: _coded(voc.INVOLVEMENT) | None = None
    involvement_step2: _coded(voc.INVOLVEMENT) | None = None
    involvement_step3: _coded(voc.INVOLVEMENT) | None = None


class ChainElement(Record):
    """One box of the impact chain (resources → activities → outputs → outcomes → impacts)."""

    id: Identifier
    enterprise_id: Identifier
    level: _coded(voc.CHAIN_LEVELS)
    label: ShortText
    dimensions: Dimensions = []
    stakeholders: Stakeholders = []


class ChainLink(Record):
    """An arrow of the impact chain, from an element to one at a later level."""

    id: Identifier
    enterprise_id: Identifier
    source_id: Identifier
    target_id: Identifier


class EvaluativeQuestion(Record):
    id: Identifier
    enterprise_id: Identifier
    text: ShortText
    purpose: _coded(voc.PURPOSES)
    dimensions: Dimensions = []
    stakeholders: Stakeholders = []
    involvement: _coded(voc.INVOLVEMENT) = "consulted"
    methods: Methods = []


class Indicator(Record):
    """An indicator chosen or co-built for an evaluative question (step 2.1)."""

    id: Identifier
    enterprise_id: Identifier
    question_id: Identifier | None = None
    code: Identifier
    name: ShortText
    level: _coded(voc.INDICATOR_LEVELS)
    nature: _coded(voc.INDICATOR_NATURES)
    dimension: Dimension
    unit: Label = ""
    source: Label = ""
    baseline: float | None = None
    target: float | None = None
    breakdowns: list[Identifier] = []
    population: int | None = Field(default=None, ge=1)
    #: which way is better (schema 6); catalogue indicators take the catalogue's
    polarity: _coded(voc.POLARITIES) = "higher_better"


class Instrument(Record):
    id: Identifier
    enterprise_id: Identifier
    name: ShortText
    method: _coded(voc.METHODS)


class Item(Record):
    """A question of an instrument, measuring (part of) one indicator."""

    id: Identifier
    enterprise_id: Identifier
    instrument_id: Identifier
    indicator_id: Identifier | None = None
    code: Identifier
    text: ShortText
    scale: _coded(voc.SCALE_KINDS)
    reverse: bool = False
    scale_id: Identifier | None = None  # the enterprise's own answer scale (schema 5)


class Wave(Record):
    id: Identifier
    enterprise_id: Identifier
    code: _coded(voc.WAVES)
    date: dt.date | None = None
    eligible: int | None = Field(default=None, ge=0)


class Respondent(Record):
    """A pseudonymous respondent: a code and breakdown variables, never a name."""

    id: Identifier
    enterprise_id: Identifier
    code: Identifier
    sex: _coded(voc.SEXES) | None = None
    age_band: _coded(voc.AGE_BANDS) | None = None


class Response(Record):
    """One answer: numeric answers (scales are coded 1..k, yes=1/no=0) in value, words in text."""

    enterprise_id: Identifier
    respondent_id: Identifier
    wave_id: Identifier
    item_id: Identifier
    value: float | None = None
    text: str | None = None


class Excerpt(Record):
    """A qualitative excerpt (verbatim) coded by dimension and, if known, indicator."""

    id: Identifier
    enterprise_id: Identifier
    text: Text
    dimension: Dimension
    language: Language
    indicator_id: Identifier | None = None
    wave_code: _coded(voc.WAVES) | None = None
    respondent_id: Identifier | None = None
    publishable: bool = False


class ResearchNote(Record):
    """A research-action note: a difficulty met or an adaptation made at a step."""

    id: Identifier
    enterprise_id: Identifier
    step: _coded(voc.STEPS)
    kind: _coded(voc.RESEARCH_NOTE_KINDS)
    text: ShortText
    author: Label = ""
    date: dt.date | None = None


class QuestionFinding(Record):
    """What the accompanier or the enterprise concludes on one evaluative question, in
    their own words and language (shown on the valorisation one-pager)."""

    id: Identifier
    enterprise_id: Identifier
    question_id: Identifier
    author: _coded(voc.FINDING_AUTHORS)
    text: Annotated[str, Field(min_length=1, max_length=2_000)]
    language: Language


class StepStatus(Record):
    enterprise_id: Identifier
    step: _coded(voc.STEPS)
    status: _coded(voc.STEP_STATUSES)
    started_on: dt.date | None = None
    completed_on: dt.date | None = None


STEP_ACTIONS = ("started", "completed", "refused", "reopened")


class StepEvent(Record):
    """One change of a step's status (or a refused completion, with its reason): who did
    it and when. The step's history; never edited."""

    id: Identifier
    enterprise_id: Identifier
    step: _coded(voc.STEPS)
    action: Annotated[str, AfterValidator(lambda v: _one_of(v, STEP_ACTIONS))]
    at: dt.datetime
    by: str = ""
    reason: Text = ""


def _one_of(value: str, codes: tuple[str, ...]) -> str:
    if value not in codes:
        raise ValueError(Message("err.field.one_of", codes=list(codes)))
    return value


M = TypeVar("M", bound=BaseModel)


def validate(model: type[M], data: dict[str, Any], where: str = "",
             stored: bool = False) -> M:
    """Build `model` from `data`, or raise one ValidationError naming every bad field
    (`stored`: data a store held, read under the bounds it was written with)."""
    try:
        return model.model_validate(data, context={"stored": stored})
    except pydantic.ValidationError as exc:
        problems = [Message("err.field", field=".".join(str(p) for p in err["loc"]) or "(record)",
                            problem=_problem(err), got=repr(err.get("input")))
                    for err in exc.errors()]
        key = "err.invalid_where" if where else "err.invalid"
        raise ValidationError(key, where=where, model=model.__name__,
                              problems=Joined(problems)) from None


def _problem(err: Any) -> Message | str:
    """Our own validators' messages translate; pydantic's own text stays as it is (English)."""
    cause = (err.get("ctx") or {}).get("error")
    if isinstance(cause, ValueError) and cause.args and isinstance(cause.args[0], Message):
        return cause.args[0]
    if err["type"] == "extra_forbidden":
        return Message("err.field.extra")
    return err["msg"].removeprefix("Value error, ")


class ImportRecord(Record):
    """One import of a response file: what came in, from which file (by hash), when."""

    id: Identifier
    enterprise_id: Identifier
    wave_id: Identifier
    instrument_id: Identifier
    file_name: str
    sha256: Annotated[str, Field(min_length=64, max_length=64)]
    imported_at: dt.datetime
    source_format: str
    rows_read: int = Field(ge=0)
    respondents: int = Field(ge=0)
    responses: int = Field(ge=0)
    replaced: int = Field(ge=0)
    personal_dropped: int = Field(default=0, ge=0)


class AnswerScale(Record):
    """An enterprise's own answer scale: a choice list of its questionnaire (schema 5).

    `kind` is `ordinal` (an ordered scale, answers coded 1..k in the form's order),
    `nominal` (an unordered list, coded 1..k the same way but never read as a scale) or
    `yes_no` (yes = 1, no = 0). Its options, with their labels in every language of the form, are
    `ScaleOption` rows.
    """

    id: Identifier
    enterprise_id: Identifier
    list_name: ShortText
    kind: _coded(voc.SCALE_KINDS)


class OwnForm(Record):
    """An enterprise's own XLSForm (or XForm), kept at the import it came with (schema
    14), so that a later wave's export reads without it (`importing.kept_forms`). One per
    enterprise, form_id and version: a later import with that form keeps its file.
    `content` is the file's bytes, base64: the very parser that read the file reads it
    again, and a text column goes through both back ends and JSON-lines backups."""

    id: Identifier
    enterprise_id: Identifier
    instrument_id: Identifier
    form_id: Annotated[str, Field(max_length=500)] = ""
    version: Annotated[str, Field(max_length=500)] = ""
    file_name: ShortText
    sha256: Annotated[str, Field(min_length=64, max_length=64)]
    imported_at: dt.datetime
    content: str


class ScaleOption(Record):
    """One answer of an own scale: its choice name, stored code and labels per language."""

    scale_id: Identifier
    position: int = Field(ge=0)
    enterprise_id: Identifier
    name: ShortText
    value: float
    labels: dict[str, str] = {}


class CleaningAction(Record):
    """One entry of the cleaning log, applied on top of the imported answers when loading.

    `kind` is `recode` (a respondent's pseudonym at one wave becomes another: a mistyped
    code), `exclude` (one respondent's submission at one wave is left out) or `correct`
    (one answer replaced). `before`/`after` hold pseudonymous ids or answer values, never
    a typed respondent code. Undoing sets `undone_at`/`undone_by`; nothing is deleted.
    """

    id: Identifier
    enterprise_id: Identifier
    kind: _coded(voc.CLEANING_KINDS)
    wave_id: Identifier
    respondent_id: Identifier
    item_id: Identifier | None = None
    before: str | None = None
    after: str | None = None
    reason: ShortText
    author: ShortText
    created_at: dt.datetime
    undone_at: dt.datetime | None = None
    undone_by: str | None = None


# ------------------------------------------------------------ semi-collective sessions
ATTENDANCE = ("present", "absent", "excused")
FIRST_SESSION_DAY = dt.date(2000, 1, 1)
SESSION_DAYS_AHEAD = 366  # a session may be planned up to a year ahead, not more


def _session_day(value: dt.date) -> dt.date:
    """A session's date as people mean it: not before 2000, not more than a year ahead."""
    if value < FIRST_SESSION_DAY:
        raise ValueError(Message("err.field.date_after", day=FIRST_SESSION_DAY.isoformat()))
    latest = dt.date.today() + dt.timedelta(days=SESSION_DAYS_AHEAD)
    if value > latest:
        raise ValueError(Message("err.field.date_before", day=latest.isoformat()))
    return value


class GroupSession(Record):
    """A collective session of a semi-collective group (schema 10): when, on what, the
    accompaniers' notes, who recorded it and who changed it last."""

    id: Identifier
    group_id: Identifier
    date: Annotated[dt.date, AfterValidator(_session_day)]
    topic: Annotated[str, Field(min_length=1, max_length=200)]
    notes: Annotated[str, Field(max_length=5_000)] = ""
    recorded_by: str = ""
    changed_by: str = ""


class SessionAttendance(Record):
    """Whether one member enterprise attended a session (present, absent, excused) and,
    optionally, who came for it (a role or first names, in the accompanier's words)."""

    session_id: Identifier
    enterprise_id: Identifier
    status: Annotated[str, AfterValidator(lambda v: _one_of(v, ATTENDANCE))] = "absent"
    attendee: Annotated[str, Field(max_length=200)] = ""

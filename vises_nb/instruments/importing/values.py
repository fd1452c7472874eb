"""Turn one exported cell into what the store keeps: a number (`value`) and/or words (`text`).

Scales store their numeric code (1..k, yes = 1, no = 0) whatever the language the
answer was exported in: a cell may hold the choice name or its label in any language.
Numbers accept decimal commas (`1,234` only where its column says which the comma is:
`Separators`); dates accept ISO, day/month/year and Excel serials.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass

from vises_nb.errors import Message
from vises_nb.instruments.forms import limesurvey_answer_code
from vises_nb.instruments.importing.files import (
    counts_from_1904,
    is_number_cell,
    is_percent_cell,
)
from vises_nb.instruments.xlsform import Choice, Form, Question

EXCEL_EPOCH = dt.date(1899, 12, 30)
MAC_1904_EPOCH = dt.date(1904, 1, 1)  # a workbook of Excel for Mac before 2011
NUMBER_TYPES = ("integer", "decimal", "range")


class BadValue(ValueError):
    """A cell that does not fit its question; `expected` says what would (both catalogue
    messages, shown in the reader's language)."""

    def __init__(self, message: Message, expected: Message):
        super().__init__(message)
        self.text = message
        self.expected = expected


INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'",
                             "`": "'", "\u201c": '"', "\u201d": '"'})


def comparable(text: str) -> str:
    """A label or answer as it is compared, not stored: markup, soft hyphens and zero-width
    characters (pasted from a PDF or a web page) left out, compatibility forms folded (NFKC:
    the fi ligature -> fi, non-breaking spaces, decomposed accents), curly apostrophes and
    quotes (typed by Word or macOS) made straight, spaces collapsed, case folded."""
    text = unicodedata.normalize("NFKC", INVISIBLE.sub("", re.sub(r"<[^>]+>", "", text)))
    return re.sub(r"\s+", " ", text.translate(APOSTROPHES)).strip().casefold()


def _compact(raw: str) -> str:
    """A number as typed, without the spaces that group its thousands (1 234 / 1\u202f234)."""
    return raw.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")


def parse_number(raw: str) -> float:
    """3,5 -> 3.5; 1 234,5 -> 1234.5; 1.234,5 -> 1234.5; raises ValueError otherwise.
    A lone `1,234` reads as 1.234 here: `convert` refuses it where its column does not
    say which the comma is (`Separators`)."""
    text = _compact(raw)
    if "," in text and "." in text:
        text = text.replace(".", "").replace(",", ".") if text.rfind(",") > text.rfind(".") \
            else text.replace(",", "")
    elif text.count(",") == 1:
        text = text.replace(",", ".")
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(raw)
    return value


def is_number(raw: str) -> bool:
    """Whether a cell, a choice name or a column's answer is a number as `parse_number`
    reads it (a decimal comma too; never nan, inf nor words): the one test the importer
    uses, so that a choice `3,5` is a number wherever it is checked."""
    try:
        parse_number(raw)
    except ValueError:
        return False
    return True


# What people type in a number's cell for 'no answer' (compared as `comparable` folds
# them): refused with the advice to leave the cell empty, never read as a number nor
# dropped (an empty cell is no answer; `0` is an answer).
NO_ANSWER_MARKS = frozenset({
    "n/a", "na", "n.a.", "n.a", "#n/a", "-", "--", "---", "\u2013", "\u2014", "?", "??", "???",
    "/", ".", "x", "nsp", "ne sait pas", "nr", "nc", "n.c.", "sans objet", "s.o.", "so",
    "néant", "neant", "aucun", "aucune", "nvt", "n.v.t.", "nvt.", "weet niet", "geen",
    "none", "null", "nil", "unknown", "inconnu", "onbekend", "missing", "manquant",
    "dk", "don't know", "nan"})


# One separator before exactly three digits, after one to three (no leading 0): 1,234
# and 12.500 are a decimal number or a whole one with its thousands grouped.
GROUPED = re.compile(r"[+-]?[1-9]\d{0,2}([.,])\d{3}")


def _marks(raw: str) -> tuple[set[str], set[str]]:
    """(the separators a number shows as its decimal mark, those it shows as grouping its
    thousands): 3,5 -> ({','}, {}); 1.234,5 -> ({','}, {'.'}); 1,234,567 -> ({}, {','});
    1,234 shows neither, nor does a workbook's number cell (`files.NumberCell`: typed
    into a number, its text is ours, not the typist's)."""
    if is_number_cell(raw):
        return set(), set()
    text = _compact(raw)
    if GROUPED.fullmatch(text) or not re.fullmatch(r"[+-]?[\d.,]+", text):
        return set(), set()
    commas, dots = text.count(","), text.count(".")
    if commas and dots:
        last = "," if text.rfind(",") > text.rfind(".") else "."
        return {last}, {"." if last == "," else ","}
    for mark, count in ((",", commas), (".", dots)):
        if count == 1:
            return {mark}, set()
        if count > 1:
            return set(), {mark}
    return set(), set()


@dataclass(frozen=True)
class Separators:
    """What the numbers of one column say about `1,234` or `12.500` (`GROUPED`): the
    separators its other numbers show as a decimal mark (`3,5`, or the file's other
    columns' when its own show none) and as grouping thousands (`1,234.5`). Such a number
    reads as a decimal when the comma (or the dot) is the decimal mark there and groups
    nothing; a dot also when nothing in the file shows any decimal mark (KoboToolbox, ODK
    and LimeSurvey write 1.234 for a decimal); else it is refused (`convert`)."""

    decimal: frozenset[str] = frozenset()
    grouping: frozenset[str] = frozenset()
    # a dot with nothing else showing a decimal mark is one, as the collection tools
    # write it; not in what people type themselves (a roster: 250.000 is 250 000 €)
    tools: bool = True

    def is_decimal(self, mark: str) -> bool:
        if mark in self.grouping:
            return False
        return self.decimal == {mark} or (mark == "." and not self.decimal and self.tools)

    def ambiguous(self, raw: str) -> str | None:
        """The separator of `raw` when it is a `GROUPED` number this column cannot read
        (`1,234` where nothing says the comma is a decimal mark); else None. A workbook's
        number cell is never ambiguous."""
        if is_number_cell(raw):
            return None
        grouped = GROUPED.fullmatch(_compact(raw))
        if grouped and not self.is_decimal(grouped.group(1)):
            return grouped.group(1)
        return None


def separators(columns: dict[str, list[str]], tools: bool = True) -> dict[str, Separators]:
    """Each numeric column's `Separators`, from all its answers (name -> raw cells);
    `tools=False` for a file people typed (see `Separators.tools`)."""
    shown: dict[str, tuple[set[str], set[str]]] = {}
    for name, raws in columns.items():
        decimal, grouping = set(), set()
        for raw in raws:
            marks = _marks(raw)
            decimal |= marks[0]
            grouping |= marks[1]
        shown[name] = decimal, grouping
    in_file = set().union(*(decimal for decimal, _ in shown.values())) if shown else set()
    return {name: Separators(frozenset(decimal or in_file), frozenset(grouping), tools)
            for name, (decimal, grouping) in shown.items()}


def plain_whole(raw: str) -> str:
    """A `GROUPED` number written without its separator (`1,234` -> `1234`): what to write
    if a thousand was meant."""
    return re.sub(r"[.,]", "", _compact(raw))


DATE_ORDERS = ("dmy", "mdy")  # day first (Europe), month first (the United States)
SHORT_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(\s.*)?")


def date_order_shown(raw: str) -> str | None:
    """The order a d/m/y or m/d/y date shows by itself: `dmy` when its first part is
    above 12 (30/11/2026), `mdy` when its second is (11/30/2026); None when both could be
    a month (3/4/2026), or it is no such date (ISO, a serial)."""
    short = SHORT_DATE.fullmatch(raw.strip())
    if short is None:
        return None
    first, second = int(short.group(1)), int(short.group(2))
    if first > 12 >= second:
        return "dmy"
    if second > 12 >= first:
        return "mdy"
    return None


def parse_date(raw: str, order: str = "dmy") -> dt.date:
    """ISO (2024-03-01, with or without time), year first with slashes (2024/03/01, as
    Google Forms' own CSV writes its times), d/m/Y, d-m-Y, d.m.Y (a year of 2 or 4
    digits; m/d/Y when `order` is `mdy`, see `importing.dates`) or an Excel serial of 5
    digits (1927 to 2173; from 1904-01-01 in a workbook of the 1904 date system).

    A year alone (`2019`) is not a date: read as an Excel serial it was 1905-07-11,
    stored without a word; a 3-digit year (`1/3/202`, a typo) was the year 202."""
    text = raw.strip()
    iso = re.match(r"(\d{4})-(\d{2})-(\d{2})", text) or \
        re.fullmatch(r"(\d{4})/(\d{1,2})/(\d{1,2})(\s.*)?", text)
    if iso:
        return dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    short = SHORT_DATE.fullmatch(text)
    if short:
        year = int(short.group(3))
        year += 2000 if year < 100 else 0
        day, month = int(short.group(1)), int(short.group(2))
        if order == "mdy":
            day, month = month, day
        return dt.date(year, month, day)
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        epoch = MAC_1904_EPOCH if counts_from_1904(raw) else EXCEL_EPOCH
        return epoch + dt.timedelta(days=int(float(text)))
    raise ValueError(raw)


class ChoiceList:
    """A choice list's names and labels, for finding the choice a cell means."""

    def __init__(self, name: str, choices: list[Choice]):
        self.name = name
        self.choices = choices
        self.lookup: dict[str, str] = {}
        for choice in choices:
            self.lookup.setdefault(choice.name, choice.name)
        for choice in choices:
            self.lookup.setdefault(comparable(choice.name), choice.name)
            for label in choice.labels.values():
                self.lookup.setdefault(comparable(label), choice.name)
        for position, choice in enumerate(choices, start=1):  # the code a LimeSurvey
            # structure from `vises export --format limesurvey` gave a long name
            self.lookup.setdefault(limesurvey_answer_code(choice.name, position), choice.name)
        self.position = {c.name: k for k, c in enumerate(choices, start=1)}
        self.added = {c.name for c in choices if c.added}

    def find(self, raw: str) -> str | None:
        return self.lookup.get(raw) or self.lookup.get(comparable(raw))

    def expected(self, several: bool = False) -> Message:
        names = [c.name for c in self.choices]
        shown = ", ".join(names[:12]) + (" ..." if len(names) > 12 else "")
        key = "err.value.expect_choices" if several else "err.value.expect_choice"
        return Message(key, list=self.name, choices=shown)


def choice_lists(form: Form) -> dict[str, ChoiceList]:
    return {name: ChoiceList(name, choices) for name, choices in form.choices.items()}


def convert(question: Question, raw: str, scale: str, lists: dict[str, ChoiceList],
            codes=lambda v: v, column: Separators | None = None, *,
            date_order: str = "dmy", joins: tuple[str, ...] = ()
            ) -> tuple[float | None, str | None]:
    """(value, text) to store for one non-empty cell; BadValue when it does not fit. A
    number like `1,234` is refused unless `column` (its column's `Separators`) says how it
    reads; without `column` it reads as `parse_number` does. `date_order`: how the
    column writes its d/m/y dates (`importing.dates`); `joins`: what the tool joins a
    select_multiple's chosen labels with (Google Forms: `, ` or `;`)."""
    kind = question.type
    if kind in NUMBER_TYPES and is_percent_cell(raw):
        # 0.85 in a cell formatted as a percentage shows 85 %: 85 or 0.85 was meant
        raise BadValue(Message("err.value.percent_cell", raw=raw.shown(), value=str(raw)),
                       Message("err.value.expect_percent_cell"))
    if kind in NUMBER_TYPES:
        mark = column.ambiguous(raw) if column is not None else None
        if mark is not None:
            raise BadValue(Message("err.value.ambiguous_number", raw=raw, mark=mark),
                           Message("err.value.expect_plain_number", whole=plain_whole(raw)))
        try:
            number = parse_number(raw)
        except ValueError:
            percent = re.fullmatch(r"(.*\d)\s*%", raw.strip())
            if percent and is_number(percent.group(1)):
                raise BadValue(Message("err.value.percent", raw=raw),
                               Message("err.value.expect_without_percent",
                                       number=percent.group(1).strip())) from None
            if comparable(raw) in NO_ANSWER_MARKS:
                raise BadValue(Message("err.value.no_answer_mark", raw=raw),
                               Message("err.value.expect_empty_for_no_answer",
                                       raw=raw)) from None
            raise BadValue(Message("err.value.not_number", raw=raw),
                           Message("err.value.expect_number")) from None
        if kind == "integer" and not number.is_integer():
            raise BadValue(Message("err.value.not_integer", raw=raw),
                           Message("err.value.expect_integer")) from None
        return number, None
    if kind == "select_one":
        options = lists.get(question.list_name or "")
        if options is None:
            return None, raw
        name = options.find(raw) or options.find(codes(raw))
        if name is None:
            if comparable(raw) in NO_ANSWER_MARKS:
                raise BadValue(Message("err.value.no_answer_choice", raw=raw),
                               Message("err.value.expect_choice_or_empty",
                                       expected=options.expected()))
            raise BadValue(_not_in_list(raw), options.expected())
        if name in options.added:  # `other` of an or_other select: kept, off the scale
            return None, name
        if scale == "text":
            return float(options.position[name]), name
        return parse_number(name), None  # a number item's choices are numbers (is_number)
    if kind == "select_multiple":
        options = lists.get(question.list_name or "")
        if options is None:
            return None, raw
        if joins:
            picked = joined_choices(raw, options, joins)
            if picked is None:
                raise BadValue(_not_in_list(raw), options.expected(several=True))
            ordered = [c.name for c in options.choices if c.name in picked]
            return float(len(ordered)), " ".join(ordered)
        picked = []
        spaced = any(" " in comparable(label) for c in options.choices for label in c.labels.values())
        for part in [] if spaced else raw.split():
            name = options.find(part) or options.find(codes(part))
            if name is None:
                picked = _labels_with_spaces(raw, options, question)
                break
            picked.append(name)
        if spaced:
            picked = _labels_with_spaces(raw, options, question)
        ordered = [c.name for c in options.choices if c.name in picked]
        return float(len(ordered)), " ".join(ordered)
    if kind == "date":
        try:
            return None, parse_date(raw, date_order).isoformat()
        except ValueError:
            raise BadValue(Message("err.value.not_date", raw=raw),
                           Message("err.value.expect_date")) from None
    return None, raw


def joined_choices(raw: str, options: ChoiceList, joins: tuple[str, ...]) -> list[str] | None:
    """The choices of a cell whose chosen labels a tool joined (Google Forms' checkboxes:
    `Formation, Job coaching` in its sheet, `Formation;Job coaching` in its own CSV), or
    None when the cell cannot be cut into the list's choices. A label may itself hold the
    join (`Logement, énergie`): the cell is cut into known choices (labels, names, in any
    of the form's languages), the longest first at each place, each followed by a join
    or the cell's end; an other choice backtracks."""
    text = comparable(raw)
    known: dict[str, str] = {}
    for choice in options.choices:
        for spelled in (choice.name, *choice.labels.values()):
            known.setdefault(comparable(spelled), choice.name)
    spellings = sorted((k for k in known if k), key=len, reverse=True)
    seps = sorted({comparable(j) or j for j in joins}, key=len, reverse=True)
    cuts: dict[int, list[str] | None] = {}  # start -> the cut of the rest (each once)

    def cut(start: int) -> list[str] | None:
        if start >= len(text):
            return []
        if start not in cuts:
            cuts[start] = None
            for spelled in spellings:
                end = start + len(spelled)
                if not text.startswith(spelled, start):
                    continue
                if end == len(text):
                    cuts[start] = [known[spelled]]
                    break
                sep = next((s for s in seps if text.startswith(s, end)), None)
                if sep is None:
                    continue
                after = end + len(sep)
                rest = cut(after + 1 if text[after:after + 1] == " " else after)
                if rest is not None:
                    cuts[start] = [known[spelled], *rest]
                    break
        return cuts[start]

    return cut(0)


def _labels_with_spaces(raw: str, options: ChoiceList, question: Question) -> list[str]:
    """Choices of a Kobo "labels" cell whose labels contain spaces ("Centre public Forem"):
    the one way to cut the words into labels, or BadValue when there is none or several
    (then only the 0/1 option columns can say what was ticked)."""
    words = comparable(raw).split()
    labels: dict[str, list[str]] = {}
    for choice in options.choices:
        for text in (choice.name, *choice.labels.values()):
            labels.setdefault(comparable(text), [])
            if choice.name not in labels[comparable(text)]:
                labels[comparable(text)].append(choice.name)
    cuts: list[list[str]] = []

    def walk(start: int, sofar: list[str]) -> None:
        if len(cuts) > 1:
            return
        if start == len(words):
            cuts.append(sofar)
            return
        for end in range(start + 1, len(words) + 1):
            for name in labels.get(" ".join(words[start:end]), []):
                walk(end, [*sofar, name])

    walk(0, [])
    if len(cuts) == 1:
        return cuts[0]
    if not cuts:
        raise BadValue(_not_in_list(raw), options.expected(several=True))
    raise BadValue(Message("err.value.ambiguous_labels", raw=raw),
                   Message("err.value.expect_option_columns", question=question.name))


def _not_in_list(raw: str) -> Message:
    key = "err.value.number_not_in_list" if is_number(raw) else "err.value.not_in_list"
    return Message(key, raw=raw)


def ticked(raw: str) -> bool | None:
    """A one-column-per-option cell: 1/0, True/False, Y/N; None when blank."""
    low = raw.strip().casefold()
    if low in ("", "nan"):
        return None
    if low in ("1", "1.0", "true", "vrai", "waar", "y", "yes", "oui", "ja", "x"):
        return True
    if low in ("0", "0.0", "false", "faux", "onwaar", "n", "no", "non", "nee"):
        return False
    raise BadValue(Message("err.value.not_tick", raw=raw), Message("err.value.expect_tick"))

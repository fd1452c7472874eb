"""The cohort's roster: accompaniers, enterprises and semi-collective groups, as a
coordinator keeps them in a spreadsheet.

`write_template` writes the workbook to fill (a sheet per kind with fr/nl/en headings, a
Codes sheet listing the allowed poles, regions, languages and statuses, drop-down lists
fed from it). `read_roster` reads a filled workbook (or one CSV holding one kind) and
checks it whole: every problem is listed with its sheet, row and column and what was
expected (`ImportProblems`), before anything is stored (`vises_nb.instruments.enrolment`).

Headings are accepted in French, Dutch or English, and codes or labels as people type
them: case, accents, spaces, hyphens and underscores do not matter ("Wallonie",
"wallonia", "WALLONIË" are one region).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vises_nb import i18n
from vises_nb.errors import Message, VisesError
from vises_nb.instruments.importing.files import NumberCell, Sheet, read_sheets
from vises_nb.instruments.importing.problems import SHOWN, Collector, ImportProblems
from vises_nb.instruments.importing.values import (
    INVISIBLE,
    Separators,
    parse_number,
    separators,
)
from vises_nb.method import vocabulary as voc

KINDS = ("accompaniers", "enterprises", "groups")
GROUP_MIN, GROUP_MAX = 5, 10  # a semi-collective group (METHOD.md)
ROSTER_LANGUAGES = ("fr", "nl", "en")

STATUSES = voc.Vocabulary("status", [
    voc.Term("active", "Actif", "Actief", "Active"),
    voc.Term("left", "Parti", "Vertrokken", "Left"),
])
# What people also type for a status, a region or a language (besides codes and labels).
ALIASES: dict[str, dict[str, str]] = {
    "status": {"actif": "active", "active": "active", "actief": "active", "en cours": "active",
               "parti": "left", "partie": "left", "sorti": "left", "sortie": "left",
               "archive": "left", "archivee": "left", "archived": "left", "gone": "left",
               "vertrokken": "left", "gearchiveerd": "left", "gestopt": "left",
               "stopped": "left", "quit": "left"},
    "region": {"bxl": "brussels", "bruxelles capitale": "brussels",
               "region de bruxelles capitale": "brussels", "brussels capital": "brussels",
               "brussels hoofdstedelijk gewest": "brussels", "region wallonne": "wallonia",
               "waals gewest": "wallonia", "vlaams gewest": "flanders", "hdf": "hauts_de_france",
               "hauts de france": "hauts_de_france", "nord pas de calais": "hauts_de_france"},
    "pole": {"autre": "autres", "other": "autres", "others": "autres", "andere": "autres",
             "autres ess": "autres", "solidarity": "solidarite"},
    "language": {"francais": "fr", "french": "fr", "frans": "fr", "neerlandais": "nl",
                 "dutch": "nl", "nederlands": "nl", "vlaams": "nl", "flamand": "nl",
                 "anglais": "en", "english": "en", "engels": "en"},
}


class RosterProblems(ImportProblems):
    """A roster has problems: nothing was enrolled; every problem is listed."""

    def __init__(self, file: str, problems: list):
        super().__init__(file, problems)
        self.key = "err.roster.problems"

    def message(self, lang: str | None = None) -> str:
        from vises_nb.errors import current_language

        lang = lang or current_language()
        shown = "; ".join(p.text(lang) for p in self.problems[:SHOWN])
        if len(self.problems) > SHOWN:
            shown += i18n.t("err.import.more", lang, count=len(self.problems) - SHOWN)
        return i18n.t("err.roster.problems", lang, file=self.file, count=len(self.problems),
                      problems=shown)


@dataclass(frozen=True)
class Column:
    """One column of a roster sheet: the field it fills and how its cells are read.

    kind: id, text, pole, region, language, status, int, float, accompanier, members.
    """

    name: str
    kind: str = "text"
    required: bool = False

    @property
    def key(self) -> str:
        return f"roster.col.{self.name}"

    def heading(self, lang: str) -> str:
        return i18n.t(self.key, lang)


COLUMNS: dict[str, tuple[Column, ...]] = {
    "accompaniers": (
        Column("id", "id", True), Column("name", "text", True),
        Column("federation", "text", True), Column("language", "language"),
        Column("status", "status"),
    ),
    "enterprises": (
        Column("id", "id", True), Column("name", "text", True), Column("pole", "pole", True),
        Column("region", "region", True), Column("language", "language", True),
        Column("accompanier", "accompanier"), Column("legal_form"), Column("sector"),
        Column("year_founded", "int"), Column("fte", "float"),
        Column("integration_workers", "int"), Column("volunteers", "int"),
        Column("budget_eur", "float"), Column("status", "status"),
    ),
    "groups": (
        Column("id", "id", True), Column("name", "text", True), Column("period", "id", True),
        Column("accompanier", "accompanier"), Column("members", "members", True),
    ),
}
# The model field each roster column fills, where the names differ.
FIELDS = {"accompanier": "accompanier_id"}


def normal(text: Any) -> str:
    """Text as compared: no accents, lower case, punctuation and runs of spaces as one space."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return re.sub(r"[^a-z0-9]+", " ", plain).strip()


def sheet_name(kind: str, lang: str) -> str:
    return i18n.t(f"roster.sheet.{kind}", lang)


def _vocabulary(kind: str) -> voc.Vocabulary | None:
    return {"pole": voc.POLES, "region": voc.REGIONS, "status": STATUSES}.get(kind)


def language_choices() -> dict[str, str]:
    """Language code → its name (for the Codes sheet and the forms)."""
    return {code: i18n.language_name(code) for code in i18n.available_languages()}


_LOOKUPS: dict[str, dict[str, str]] = {}  # built once per roster read (see read_roster)


def code_lookup(kind: str) -> dict[str, str]:
    """Normalised code, label or alias → code, for a coded column."""
    if kind not in _LOOKUPS:
        _LOOKUPS[kind] = _code_lookup(kind)
    return _LOOKUPS[kind]


def _code_lookup(kind: str) -> dict[str, str]:
    lookup: dict[str, str] = {}
    vocabulary = _vocabulary(kind)
    if vocabulary is not None:
        for term in vocabulary:
            lookup[normal(term.code)] = term.code
            for lang in ROSTER_LANGUAGES:
                lookup[normal(term.label(lang))] = term.code
    elif kind == "language":
        for code, name in language_choices().items():
            lookup[normal(code)] = code
            lookup[normal(name)] = code
            for other in ROSTER_LANGUAGES:  # français, Nederlands, Frans, néerlandais...
                named = i18n.locale(code).get_language_name(other)
                if named:
                    lookup[normal(named)] = code
    for alias, code in ALIASES.get(kind, {}).items():
        if kind != "language" or code in i18n.available_languages():
            lookup.setdefault(normal(alias), code)
    return lookup


def allowed(kind: str) -> list[str]:
    """The codes a coded column accepts (shown in 'expected')."""
    vocabulary = _vocabulary(kind)
    return list(vocabulary.codes) if vocabulary is not None else list(i18n.available_languages())


def heading_lookup(kind: str) -> dict[str, Column]:
    """Normalised heading (field name or its label in fr/nl/en) → column."""
    lookup: dict[str, Column] = {}
    for column in COLUMNS[kind]:
        lookup[normal(column.name)] = column
        lookup[normal(FIELDS.get(column.name, column.name))] = column
        for lang in ROSTER_LANGUAGES:
            lookup[normal(column.heading(lang))] = column
            # typed without its unit: "budget" for "Budget (EUR)"
            lookup.setdefault(normal(re.sub(r"\(.*?\)", "", column.heading(lang))), column)
    return lookup


def sheet_lookup() -> dict[str, str]:
    lookup = {}
    for kind in KINDS:
        lookup[normal(kind)] = kind
        for lang in ROSTER_LANGUAGES:
            lookup[normal(sheet_name(kind, lang))] = kind
    return lookup


# ------------------------------------------------------------------- template
def write_template(path: Path, lang: str = "en") -> Path:
    """The roster workbook to fill: one sheet per kind, headings in `lang` (any of fr, nl,
    en is accepted back), a Codes sheet and drop-down lists of the allowed codes."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    codes = book.active
    codes.title = i18n.t("roster.sheet.codes", lang)
    lists: dict[str, str] = {}
    for position, kind in enumerate(("pole", "region", "language", "status")):
        col = chr(ord("A") + position * 2)
        label_col = chr(ord(col) + 1)
        codes[f"{col}1"] = i18n.t(f"roster.col.{kind}", lang)
        codes[f"{label_col}1"] = i18n.t("roster.label", lang)
        vocabulary = _vocabulary(kind)
        pairs = [(t.code, t.label(lang)) for t in vocabulary] if vocabulary is not None \
            else list(language_choices().items())
        for row, (code, label) in enumerate(pairs, start=2):
            codes[f"{col}{row}"] = code
            codes[f"{label_col}{row}"] = label
        quoted = codes.title.replace("'", "''")
        lists[kind] = f"'{quoted}'!${col}$2:${col}${len(pairs) + 1}"
        codes[f"{col}1"].font = codes[f"{label_col}1"].font = Font(bold=True)
    for kind in KINDS:
        sheet = book.create_sheet(sheet_name(kind, lang), index=KINDS.index(kind))
        for position, column in enumerate(COLUMNS[kind], start=1):
            cell = sheet.cell(row=1, column=position, value=column.heading(lang))
            cell.font = Font(bold=True)
            others = " / ".join(column.heading(other) for other in ROSTER_LANGUAGES
                                if other != lang)
            cell.comment = Comment(f"{i18n.t(f'roster.help.{column.name}', lang)}\n({others})",
                                   "vises")
            letter = cell.column_letter
            sheet.column_dimensions[letter].width = max(14, len(column.heading(lang)) + 4)
            if column.kind in lists:
                rule = DataValidation(type="list", formula1=lists[column.kind],
                                      allow_blank=True, showErrorMessage=True,
                                      errorStyle="warning")
                rule.error = i18n.t("roster.validation", lang)
                sheet.add_data_validation(rule)
                rule.add(f"{letter}2:{letter}1000")
        sheet.freeze_panes = "A2"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


# ------------------------------------------------------------------- reading
@dataclass
class Row:
    """One row of a roster sheet: where it is and the values read from it."""

    kind: str
    sheet: str
    row: int
    values: dict[str, Any]
    headings: dict[str, str]  # column name → heading as written in the file


@dataclass
class Roster:
    """A roster read and cell-checked (cross-checks against the store: enrolment)."""

    file: str
    rows: dict[str, list[Row]] = field(default_factory=lambda: {k: [] for k in KINDS})
    problems: Collector | None = None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _kind_of_csv(headings: list[Any]) -> str | None:
    """Which kind one CSV holds, from its headings (a CSV holds one kind)."""
    scores = {}
    for kind in KINDS:
        lookup = heading_lookup(kind)
        names = {lookup[normal(h)].name for h in headings if normal(h) in lookup}
        scores[kind] = len(names & {c.name for c in COLUMNS[kind] if c.required})
    for kind in ("groups", "enterprises", "accompaniers"):  # most specific first
        required = sum(1 for c in COLUMNS[kind] if c.required)
        if scores[kind] == required:
            return kind
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] else None


def read_roster(path: Path) -> Roster:
    """Read a roster (XLSX with a sheet per kind, or one CSV of one kind), check each cell,
    and return its rows; problems are gathered in `roster.problems` (not raised here: the
    cross-checks against the store add theirs before anything is refused).

    The file is read as survey exports are (`importing.files.read_sheets`): its encoding
    decided on the whole file (a UTF-8 file with a stray Windows-1252 byte is refused
    where it is, never read whole as Windows-1252), UTF-16 and binary files refused, the
    size limits kept, a formula refused where it is, and every problem's row the one the
    spreadsheet shows."""
    path = Path(path)
    _LOOKUPS.clear()  # a language catalogue added since the last roster counts
    problems = Collector(path.name)
    roster = Roster(path.name, problems=problems)
    if not path.is_file():
        raise VisesError("err.roster.no_file", path=path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".csv", ".txt"):
        raise VisesError("err.roster.format", file=path.name)
    tables = read_sheets(path, problems)
    if problems.problems:
        return roster  # a file that cannot be read whole says so, and nothing more
    sheets: list[tuple[str, str | None, Sheet]] = []
    if suffix in (".xlsx", ".xlsm"):
        kinds = sheet_lookup()
        codes = {normal(i18n.t("roster.sheet.codes", lang)) for lang in ROSTER_LANGUAGES}
        for table in tables:
            kind = kinds.get(normal(table.name))
            if kind is not None:
                sheets.append((kind, table.name, table))
            elif normal(table.name) not in codes:
                problems.add("err.roster.unknown_sheet", sheet=table.name,
                             expected=Message("roster.expected_sheets",
                                              sheets=[sheet_name(k, "en") for k in KINDS]))
    else:
        table = tables[0]
        kind = _kind_of_csv(table.headers)
        if kind is None:
            problems.add("err.roster.csv_kind", row=table.header_row, expected=Message("roster.expected_columns", columns=[
                             c.heading("en") for c in COLUMNS["enterprises"] if c.required]))
        else:
            sheets.append((kind, None, table))
    for kind, title, table in sheets:
        _read_sheet(roster, kind, title, table, problems)
    if not problems.problems and not any(roster.rows.values()):
        problems.add("err.roster.empty")
    return roster


def _read_sheet(roster: Roster, kind: str, title: str | None, table: Sheet,
                problems: Collector) -> None:
    header = table.headers
    heading_row = table.header_row
    lookup = heading_lookup(kind)
    positions: dict[str, int] = {}
    headings: dict[str, str] = {}
    for index, heading in enumerate(header):
        if _blank(heading):
            continue
        column = lookup.get(normal(heading))
        if column is None:
            problems.add("err.roster.unknown_column", sheet=title, row=heading_row,
                         column=str(heading),
                         expected=Message("roster.expected_columns",
                                          columns=[c.heading("en") for c in COLUMNS[kind]]))
            continue
        if column.name in positions:
            problems.add("err.roster.twice_column", sheet=title, row=heading_row,
                         column=str(heading))
            continue
        positions[column.name] = index
        headings[column.name] = str(heading).strip()
    for column in COLUMNS[kind]:
        if column.required and column.name not in positions:
            problems.add("err.roster.missing_column", sheet=title, row=heading_row,
                         column=column.heading("en"),
                         expected=Message("roster.expected_heading",
                                          headings=[column.heading(x) for x in ROSTER_LANGUAGES]))
    if any(c.required and c.name not in positions for c in COLUMNS[kind]):
        return
    columns = {c.name: c for c in COLUMNS[kind]}
    # how the sheet's number columns write their decimals decides what `1,234` is there
    numbers = separators({name: [_unit_less(row[index]) for row in table.rows
                                 if index < len(row) and row[index]]
                          for name, index in positions.items()
                          if columns[name].kind in ("int", "float")}, tools=False)
    for position, raw in enumerate(table.rows):
        if all(_blank(v) for v in raw):
            continue
        number = table.row_number(position)
        values: dict[str, Any] = {}
        for name, index in positions.items():
            cell = raw[index] if index < len(raw) else None
            values[name] = _read_cell(columns[name], cell, title, number, headings[name],
                                      problems, numbers.get(name))
        roster.rows[kind].append(Row(kind, title or "", number, values, headings))


_MISSING = object()
UNKNOWN = {"pole": Message("err.roster.unknown_pole").key,
           "region": Message("err.roster.unknown_region").key,
           "language": Message("err.roster.unknown_language").key,
           "status": Message("err.roster.unknown_status").key}


def _read_cell(column: Column, cell: Any, sheet: str | None, row: int, heading: str,
               problems: Collector, numbers: Separators | None = None) -> Any:
    """A cell's value as the model wants it; None when blank; _MISSING after a problem.
    `numbers`: how the cell's column writes its decimals (a number column's)."""
    if isinstance(cell, str) and not isinstance(cell, NumberCell):
        cell = cell.strip()
    if _blank(cell):
        if column.required:
            problems.add("err.roster.required", sheet=sheet, row=row, column=heading)
            return _MISSING
        return None
    where = {"sheet": sheet, "row": row, "column": heading}
    if column.kind in ("pole", "region", "language", "status"):
        code = code_lookup(column.kind).get(normal(cell))
        if code is None:
            problems.add(UNKNOWN[column.kind], value=str(cell),
                         expected=Message("roster.one_of", codes=allowed(column.kind)), **where)
            return _MISSING
        return code
    if column.kind == "id":
        text = _id_text(cell)
        # starts with a letter or a digit (see model.NamedId): `..` is no enterprise's id
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", text):
            problems.add("err.roster.bad_id", value=text, expected="roster.expected_named_id",
                         **where)
            return _MISSING
        return text
    if column.kind in ("int", "float"):
        if (numbers or Separators(tools=False)).ambiguous(_unit_less(cell)):
            problems.add("err.roster.ambiguous_number", value=str(cell),
                         expected="roster.expected_unambiguous_number", **where)
            return _MISSING
        number = _number(cell)
        if number is None or (column.kind == "int" and not float(number).is_integer()):
            problems.add("err.roster.bad_number", value=str(cell),
                         expected="roster.expected_int" if column.kind == "int"
                         else "roster.expected_float", **where)
            return _MISSING
        return int(number) if column.kind == "int" else float(number)
    if column.kind == "members":
        parts = [_id_text(p) for p in re.split(r"[,;\n]+", str(cell)) if _id_text(p)]
        return parts
    if column.kind == "accompanier":
        return _id_text(cell)
    return str(cell)


def _id_text(cell: Any) -> str:
    """An id as written (a number typed in a spreadsheet comes back as 7.0: '7'), less the
    invisible characters a paste from a web page or a PDF brings (zero-width spaces, soft
    hyphens, a BOM): they are never part of an id, and a message showing 'E01' as an
    invalid id would show nothing wrong."""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return INVISIBLE.sub("", str(cell)).strip()


def _unit_less(cell: Any) -> Any:
    """A budget typed with its unit (`1 234 567,89 €`) as the number alone; a workbook's
    number cell as it is (`files.NumberCell`: never ambiguous)."""
    if isinstance(cell, NumberCell) or not isinstance(cell, str):
        return cell
    return cell.replace("€", "").strip()


def _number(cell: Any) -> float | None:
    """The number a cell holds, read as survey answers are (`values.parse_number`: `3,5`,
    `1 234,5`, `1.234,5`, `1,234.5`); whether `1,234` may be read at all is the column's
    to say (`Separators.ambiguous`, checked before)."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, (int, float)):
        return float(cell)
    try:
        return parse_number(_unit_less(str(cell)))
    except ValueError:
        return None


def is_missing(value: Any) -> bool:
    return value is _MISSING

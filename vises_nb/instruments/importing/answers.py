"""Gather each submission's raw answers: main-table cells, 0/1 option columns, repeat rows.

Repeat rows (Kobo XLSX sheets, ODK Central files) are brought back onto the submission
they belong to, following `_submission__uuid`, else `_parent_table_name` /
`_parent_index` up the chain, or ODK's `PARENT_KEY`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from vises_nb.errors import Message
from vises_nb.instruments.importing.files import Sheet
from vises_nb.instruments.importing.mapping import Column, QuestionIndex, map_columns
from vises_nb.instruments.importing.problems import Collector
from vises_nb.instruments.importing.report import ImportReport
from vises_nb.instruments.importing.values import BadValue, ticked
from vises_nb.instruments.personal import is_personal_name, is_personal_question
from vises_nb.instruments.xlsform import META_TYPES, Question, keeps_answers

# the columns by which a repeat table points at its submission (Kobo, ODK Central)
JOIN_COLUMNS = {"_submission__uuid", "_parent_index", "_parent_table_name", "parent_key"}
# ...and the ones that number its rows
REPEAT_KEYS = JOIN_COLUMNS | {"_index", "_submission__id", "key"}


@dataclass
class Answer:
    question: Question
    raws: list[tuple[str, str | None, int, str]] = field(default_factory=list)
    # (raw value, sheet, row, column)


def read_rows(sheet: Sheet, columns: list[Column], index: QuestionIndex,
              problems: Collector) -> dict[int, dict[str, Answer]]:
    """Raw answers per row and question (0/1 option columns gathered into one answer)."""
    answers: dict[int, dict[str, Answer]] = {}
    used = [c for c in columns if c.kind in ("question", "option")]
    for position, row in enumerate(sheet.rows):
        number = sheet.row_number(position)
        by_question: dict[str, Answer] = {}
        ticks: dict[str, list[str]] = {}
        for column in used:
            raw = row[column.index]
            question = column.question
            assert question is not None
            if question.repeat is not None:
                continue
            if column.kind == "option":
                try:
                    tick = ticked(raw)
                    if tick is not None:
                        ticks.setdefault(question.name, [])
                    if tick:
                        ticks.setdefault(question.name, []).append(column.option or "")
                except BadValue as bad:
                    problems.add(bad.text, sheet=sheet.name, row=number, column=column.header,
                                 expected=bad.expected)
                continue
            if raw:
                answer = by_question.setdefault(question.name, Answer(question))
                answer.raws.append((raw, sheet.name, number, column.header))
        for name, picked in ticks.items():
            # The 0/1 option columns are the answer when the row has them: unlike the
            # space-joined text column, they stay unambiguous when labels contain spaces.
            question = index.form.question(name)
            assert question is not None
            by_question[name] = Answer(question, [(" ".join(picked), sheet.name, number,
                                                    name)])
        answers[position] = by_question
    return answers


def read_repeat(sheet: Sheet, main: Sheet, sheets: list[Sheet], index: QuestionIndex,
                ignore: set[str], problems: Collector, report: ImportReport,
                answers: dict[int, dict[str, Answer]]) -> None:
    """Answers in a repeat table, gathered onto the submission row they belong to."""
    if not {h.strip().lower() for h in sheet.headers} & JOIN_COLUMNS:
        # a sheet someone added (a summary, a chart's data): not a table of the export
        problems.add("err.import.not_repeat_sheet", sheet=sheet.name, row=1,
                     expected="err.import.expect_export_sheets")
        return
    columns = map_columns(sheet.headers, index, ignore)
    for column in columns:
        if column.question is not None and is_personal_question(column.question) or \
                column.kind == "unknown" and is_personal_name(column.header):
            report.personal_columns.append(column.header)
        elif column.kind == "unknown":
            problems.add("err.import.unknown_column", sheet=sheet.name, row=1,
                         column=column.header,
                         expected=Message("err.import.expect_question", form=index.form.shown_as))
        else:
            _left_out(column, index, ignore, report)
    owner = _owners(sheet, main, sheets)
    for position, row in enumerate(sheet.rows):
        number = sheet.row_number(position)
        main_row = owner(row)
        if main_row is None:
            problems.add("err.import.orphan_repeat", sheet=sheet.name, row=number,
                         expected="err.import.expect_parent")
            continue
        for column in columns:
            if column.kind != "question" or not row[column.index]:
                continue
            question = column.question
            assert question is not None
            answer = answers.setdefault(main_row, {}).setdefault(question.name, Answer(question))
            answer.raws.append((row[column.index], sheet.name, number, column.header))


def _left_out(column: Column, index: QuestionIndex, ignore: set[str],
              report: ImportReport) -> None:
    """A repeat table's column that holds no answer is listed as the main table's are:
    a `calculate`, a geopoint or a media question and the columns the tool derives from
    them (geopoint parts, `_URL`), the tool's own columns; `--ignore-column` ones with
    the columns left out on purpose. The columns joining its rows to their submission
    are read, not left out."""
    header = column.header
    if column.kind == "ignored" and header.strip().casefold() in ignore:
        listed = report.ignored_columns
    elif column.kind == "ignored" or column.kind == "meta" and \
            header.strip().lower() not in REPEAT_KEYS or column.kind == "question" and \
            column.question is not None and (column.question.type in META_TYPES
                                             or not keeps_answers(column.question, index.form)):
        listed = report.meta_columns
    else:
        return
    if header not in listed:
        listed.append(header)


def _owners(sheet: Sheet, main: Sheet, sheets: list[Sheet]):
    """A function: repeat row -> index of its submission's row in the main table."""
    def col(s: Sheet, name: str) -> int | None:
        low = [h.strip().lower() for h in s.headers]
        return low.index(name) if name in low else None

    parent_key = col(sheet, "parent_key")
    if parent_key is not None:  # ODK Central
        key = col(main, "key")
        rows = {r[key]: i for i, r in enumerate(main.rows)} if key is not None else {}
        return lambda row: rows.get(row[parent_key].split("/")[0])
    uuid_col, main_uuid = col(sheet, "_submission__uuid"), col(main, "_uuid")
    if uuid_col is not None and main_uuid is not None:
        rows = {r[main_uuid]: i for i, r in enumerate(main.rows)}
        return lambda row: rows.get(row[uuid_col])
    by_name = {s.name: s for s in sheets}

    def follow(s: Sheet, row: list[str], depth: int = 0) -> int | None:
        table, parent = col(s, "_parent_table_name"), col(s, "_parent_index")
        if table is None or parent is None or depth > 20:
            return None
        target = by_name.get(row[table])
        if target is None:
            return None
        own = col(target, "_index")
        if own is None:
            return None
        match = next((i for i, r in enumerate(target.rows) if r[own] == row[parent]), None)
        if match is None:
            return None
        return match if target is main else follow(target, target.rows[match], depth + 1)

    return lambda row: follow(sheet, row)

"""Import one export file: check everything first, then store it in one transaction.

The whole file is read and checked before anything is written, so a file with problems
changes nothing and its report lists every problem. A file already imported (same
hash, enterprise, wave and instrument) adds nothing; a corrected file replaces that
wave's answers to that instrument. Each import is recorded in the `imports` table.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

from vises_nb.errors import Message, ValidationError
from vises_nb.instruments.importing import kobo, limesurvey, odk, plain
from vises_nb.instruments.importing.answers import Answer, read_repeat, read_rows
from vises_nb.instruments.importing.files import Sheet, read_sheets
from vises_nb.instruments.importing.forms import form_from_items, infer_form
from vises_nb.instruments.importing.layout import Layout
from vises_nb.instruments.importing.mapping import Column, QuestionIndex, map_columns
from vises_nb.instruments.importing.problems import Collector
from vises_nb.instruments.importing.pseudonyms import cohort_secret, normalise_code, pseudonym
from vises_nb.instruments.importing.recording import record_import
from vises_nb.instruments.importing.report import ImportReport
from vises_nb.instruments.importing.values import BadValue, choice_lists, convert
from vises_nb.instruments.personal import (
    is_personal_name,
    is_personal_question,
    looks_personal,
)
from vises_nb.instruments.xlsform import (
    RESPONDENT_CODE,
    WAVE_FIELD,
    Form,
    _identifier,
    instrument_from_form,
    read_xlsform,
)
from vises_nb.method.vocabulary import WAVES
from vises_nb.store import model as m
from vises_nb.store.store import Store

LAYOUTS: tuple[Layout, ...] = (odk.LAYOUT, limesurvey.LAYOUT, kobo.LAYOUT, plain.LAYOUT)
REPEAT_JOIN = " | "


def detect_layout(headers: list[str]) -> Layout:
    return next(layout for layout in LAYOUTS if layout.claims(headers))


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def import_responses(store: Store, enterprise_id: str, wave_code: str,
                     export_file: str | Path, xlsform_file: str | Path | None = None, *,
                     repeat_files: tuple[str | Path, ...] = (),
                     ignore_columns: tuple[str, ...] = ()) -> ImportReport:
    """Store the answers of an export file for one enterprise and wave (see module doc).

    Raises ImportProblems (listing every problem, nothing stored) when the file does not
    fit its form; `ignore_columns` names columns to leave out on purpose (reported).
    """
    store.require_enterprise(enterprise_id)
    if wave_code not in WAVES:
        raise ValidationError("err.import.wave", wave=wave_code, waves=list(WAVES.codes))
    path = Path(export_file)
    problems = Collector(path.name)
    sheets = read_sheets(path, problems)
    for extra in repeat_files:
        sheets += [Sheet(s.file, s.name or Path(extra).stem, s.headers, s.rows)
                   for s in read_sheets(Path(extra), problems)]
    problems.raise_if_any()
    main = sheets[0]
    if not main.rows:
        problems.add("err.import.no_answers", sheet=main.name,
                     expected="err.import.expect_row_per_respondent")
        problems.raise_if_any()
    layout = detect_layout(main.headers)
    form = (read_xlsform(xlsform_file) if xlsform_file is not None
            else form_from_items(store, enterprise_id) or infer_form(sheets, layout))
    index = QuestionIndex(form, layout)
    ignore = {c.strip().casefold() for c in ignore_columns}
    report = ImportReport(path.name, file_sha256(path), enterprise_id, wave_code, "",
                          layout.name, rows_read=len(main.rows))

    columns = _check_columns(main, index, ignore, problems, report)
    _check_version(main, layout, form, problems)
    key_column = _respondent_column(main, columns, layout, problems)
    answers = read_rows(main, columns, index, problems)
    for sheet in sheets[1:]:
        read_repeat(sheet, main, sheets, index, ignore, problems, report, answers)

    items, instrument = _items_for(store, enterprise_id, form)
    report.instrument_id = instrument.id
    lists = choice_lists(form)
    wave_id = f"{enterprise_id}-{wave_code}"
    respondents: dict[str, int] = {}
    responses = []
    places: list[tuple[str | None, int, str]] = []  # sheet, row, column of each response
    for position, row in enumerate(main.rows):
        number = main.row_number(position)
        raw_code = row[key_column].strip() if key_column is not None else ""
        if key_column is not None and not raw_code:
            problems.add("err.import.no_code", sheet=main.name, row=number,
                         column=main.headers[key_column], expected="err.import.expect_code")
            continue
        if key_column is None:
            continue
        code = normalise_code(raw_code)
        if code in respondents:
            problems.add("err.import.duplicate_code", sheet=main.name, row=number,
                         column=main.headers[key_column],
                         expected="err.import.expect_one_row_per_wave", code=raw_code,
                         first=respondents[code])
            continue
        respondents[code] = number
        respondent_id = code  # pseudonymised below, once the file is known to be sound
        for name, answer in answers.get(position, {}).items():
            if name == WAVE_FIELD:
                _check_wave(answer, wave_code, problems)
                continue
            item = items.get(name)
            if item is None:
                continue
            stored = _convert_answer(answer, item, lists, layout, problems, report)
            if stored is not None:
                value, text = stored
                responses.append({"enterprise_id": enterprise_id,
                                  "respondent_id": respondent_id, "wave_id": wave_id,
                                  "item_id": item.id, "value": value, "text": text})
                places.append(answer.raws[0][1:])
    problems.raise_if_any()
    secret = cohort_secret(store)
    codes = {raw: pseudonym(secret, raw) for raw in respondents}
    for number, response in enumerate(responses):
        response["respondent_id"] = f"{enterprise_id}-P{codes[response['respondent_id']][:16]}"
        # every value through the model, as a form's would be (text normalised, NUL and
        # lengths checked): the importer has no way round the model's checks
        try:
            responses[number] = m.validate(m.Response, response).model_dump()
        except ValidationError as exc:
            sheet, row, column = places[number]
            problems.add("err.import.invalid_value", sheet=sheet, row=row, column=column,
                         detail=exc)
    problems.raise_if_any()
    report.respondents = len(respondents)
    new_items = [i for i in items.values() if i.id not in _known_items(store, enterprise_id)]
    record_import(store, report, instrument, new_items, list(items.values()), list(codes.values()),
           responses, wave_id)
    return report


def _check_columns(sheet: Sheet, index: QuestionIndex, ignore: set[str], problems: Collector,
                   report: ImportReport) -> list[Column]:
    columns = map_columns(sheet.headers, index, ignore)
    for column in columns:
        if column.kind == "unknown":
            if column.header and is_personal_name(column.header):
                report.personal_columns.append(column.header)
                continue
            problems.add("err.import.unknown_column" if column.header
                         else "err.import.no_header", sheet=sheet.name, row=1,
                         column=column.header or f"#{column.index + 1}",
                         expected=Message("err.import.expect_question_or_ignore",
                                          form=index.form.file))
        elif column.kind == "ignored" and column.header.strip().casefold() in ignore:
            report.ignored_columns.append(column.header)
        elif column.kind in ("question", "option") and is_personal_question(column.question):
            report.personal_columns.append(column.header)
    present = {c.question.name for c in columns if c.question is not None}
    for question in index.form.questions:
        if question.repeat is None and question.name not in present and (
                question.name != WAVE_FIELD) and (
                question.name == RESPONDENT_CODE or question.required
                and question.type in ("integer", "decimal", "select_one", "text")
                and not is_personal_question(question)):
            problems.add("err.import.missing_column", sheet=sheet.name, row=1,
                         expected=Message("err.import.expect_column", path=question.xml_path,
                                          row=question.row, form=index.form.file),
                         name=question.name)
    return columns


def _check_version(sheet: Sheet, layout: Layout, form: Form, problems: Collector) -> None:
    if not form.version:
        return
    for position, header in enumerate(sheet.headers):
        if header.strip().lower() in layout.version_columns:
            found = Counter(row[position] for row in sheet.rows if row[position])
            for version, count in found.items():
                if version != form.version:
                    problems.add("err.import.version", sheet=sheet.name, column=header,
                                 expected=Message("err.import.expect_version",
                                                  found=version, form=form.version),
                                 count=count, found=version, form=form.version)


def _respondent_column(sheet: Sheet, columns: list[Column], layout: Layout,
                       problems: Collector) -> int | None:
    for column in columns:
        if column.question is not None and column.question.name == RESPONDENT_CODE:
            return column.index
    lower = [h.strip().lower() for h in sheet.headers]
    for key in layout.submission_keys:
        if key in lower:
            return lower.index(key)
    if all(c.question is None or c.question.name != RESPONDENT_CODE for c in columns) and not \
            any(p.message == Message("err.import.missing_column", name=RESPONDENT_CODE)
                for p in problems.problems):
        problems.add("err.import.no_code_column", sheet=sheet.name, row=1,
                     expected=Message("err.import.expect_code_column", name=RESPONDENT_CODE),
                     name=RESPONDENT_CODE)
    return None

def _check_wave(answer: Answer, wave_code: str, problems: Collector) -> None:
    for raw, sheet, row, column in answer.raws:
        if raw.strip().upper() != wave_code and not raw.strip().upper().startswith(
                wave_code + " "):
            problems.add("err.import.other_wave", sheet=sheet, row=row, column=column,
                         expected=WAVES.get(wave_code),
                         raw=raw, wave=wave_code)


def _convert_answer(answer: Answer, item: m.Item, lists, layout: Layout, problems: Collector,
                    report: ImportReport) -> tuple[float | None, str | None] | None:
    converted = []
    for raw, sheet, row, column in answer.raws:
        try:
            value, text = convert(answer.question, raw, item.scale, lists, layout.answer_codes)
        except BadValue as bad:
            problems.add(bad.text, sheet=sheet, row=row, column=column, expected=bad.expected)
            continue
        if text is not None and answer.question.type == "text" and looks_personal(text):
            report.personal_answers += 1
            continue
        converted.append((value, text))
    if not converted:
        return None
    if answer.question.repeat is None and len(converted) == 1:
        return converted[0]
    texts = [t if t is not None else _number_text(v) for v, t in converted]
    return float(len(converted)), REPEAT_JOIN.join(texts)


def _number_text(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value.is_integer() else str(value)


def _known_items(store: Store, enterprise_id: str) -> set[str]:
    return {i.id for i in store.list(m.Item, enterprise_id=enterprise_id)}


def _items_for(store: Store, enterprise_id: str, form: Form
               ) -> tuple[dict[str, m.Item], m.Instrument]:
    """Question name -> item: the enterprise's item with that code, else a new one."""
    existing = {i.code: i for i in store.list(m.Item, enterprise_id=enterprise_id)}
    instrument, candidates = instrument_from_form(form, enterprise_id)
    by_code = {_identifier(q.name): q.name for q in form.questions}
    items: dict[str, m.Item] = {}
    for candidate in candidates:
        name = by_code.get(candidate.code, candidate.code)
        items[name] = existing.get(candidate.code, candidate)
    matched = Counter(i.instrument_id for i in items.values() if i.code in existing)
    if matched and all(i.code in existing for i in items.values()):
        instrument_id = matched.most_common(1)[0][0]
        instrument = store.get(m.Instrument, instrument_id)[0]
    return items, instrument

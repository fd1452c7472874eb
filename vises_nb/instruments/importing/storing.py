"""Import one export file: check everything first, then store it in one transaction.

The whole file is read and checked before anything is written, so a file with problems
changes nothing and its report lists every problem. A file already imported (same
hash, enterprise, wave and instrument) adds nothing; a corrected file replaces that
wave's answers to that instrument. Each import is recorded in the `imports` table.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import replace
from pathlib import Path

from vises_nb.errors import Message, ValidationError
from vises_nb.instruments.importing import google, kobo, limesurvey, odk, plain
from vises_nb.instruments.importing.answers import Answer, read_repeat, read_rows
from vises_nb.instruments.importing.dates import date_orders
from vises_nb.instruments.importing.files import Sheet, read_sheets
from vises_nb.instruments.importing.forms import form_from_store, infer_form, is_store_form
from vises_nb.instruments.importing.kept_forms import (
    choose_form,
    described,
    is_kept_form,
    keep,
)
from vises_nb.instruments.importing.layout import Layout
from vises_nb.instruments.importing.links import resolve_links
from vises_nb.instruments.importing.mapping import Column, QuestionIndex, map_columns
from vises_nb.instruments.importing.problems import Collector
from vises_nb.instruments.importing.pseudonyms import cohort_secret, normalise_code, pseudonym
from vises_nb.instruments.importing.recording import record_import
from vises_nb.instruments.importing.report import ImportReport
from vises_nb.instruments.importing.review import rejected_warning
from vises_nb.instruments.importing.values import (
    DATE_ORDERS,
    NUMBER_TYPES,
    BadValue,
    Separators,
    choice_lists,
    convert,
    is_number,
    separators,
)
from vises_nb.instruments.importing.zeros import digits_lost, pair_zeros
from vises_nb.instruments.owned import (
    candidates,
    declared_list_order,
    find_respondent_question,
    mark_off_scale,
    option_scale,
    own_scale,
    scale_id,
)
from vises_nb.instruments.personal import (
    is_personal_name,
    is_personal_question,
    looks_personal,
)
from vises_nb.instruments.xlsform import (
    META_TYPES,
    RESPONDENT_CODE,
    WAVE_FIELD,
    Form,
    instrument_from_form,
    item_keys,
    keeps_answers,
    read_xlsform,
    scale_choices,
)
from vises_nb.method.scales import SCALES
from vises_nb.method.vocabulary import WAVES
from vises_nb.store import model as m
from vises_nb.store.store import Store

LAYOUTS: tuple[Layout, ...] = (odk.LAYOUT, limesurvey.LAYOUT, kobo.LAYOUT, google.LAYOUT,
                                plain.LAYOUT)
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
                     ignore_columns: tuple[str, ...] = (),
                     respondent_column: str | None = None,
                     date_order: str | None = None) -> ImportReport:
    """Store the answers of an export file for one enterprise and wave (see module doc).

    Raises ImportProblems (listing every problem, nothing stored) when the file does not
    fit its form; `ignore_columns` names columns to leave out on purpose (reported);
    `respondent_column` names the respondent-code question (else found as
    `owned.find_respondent_question` says). Typed codes are only ever kept as pseudonyms.
    `date_order` (`dmy` or `mdy`) states how the file writes its short dates, else each
    date column's own dates decide (`importing.dates`).
    """
    store.require_enterprise(enterprise_id)
    if date_order is not None and date_order not in DATE_ORDERS:
        raise ValidationError("err.import.bad_date_order", order=date_order,
                              orders=list(DATE_ORDERS))
    if wave_code not in WAVES:
        raise ValidationError("err.import.wave", wave=wave_code, waves=list(WAVES.codes))
    path = Path(export_file)
    problems = Collector(path.name)
    sheets = read_sheets(path, problems)
    for extra in repeat_files:
        sheets += [replace(s, name=s.name or Path(extra).stem)
                   for s in read_sheets(Path(extra), problems)]
    problems.raise_if_any()
    main = sheets[0]
    if not main.rows:
        problems.add("err.import.no_answers", sheet=main.name,
                     expected="err.import.expect_row_per_respondent")
        problems.raise_if_any()
    layout = detect_layout(main.headers)
    ignore = {c.strip().casefold() for c in ignore_columns}
    kept: m.OwnForm | None = None
    if xlsform_file is not None:
        form = read_xlsform(xlsform_file)
    else:  # a form kept at an earlier import whose columns the export fits, else the
        # questionnaire vises generates, else one inferred from the file (`kept_forms`)
        store_form = form_from_store(store, enterprise_id)
        chosen, kept = choose_form(store, enterprise_id, sheets, layout, ignore, store_form,
                                   problems)
        problems.raise_if_any()
        form = chosen or store_form or infer_form(sheets, layout)
    mark_off_scale(form)  # "don't know": an answer kept as such, off its list's scale
    _choose_respondent(form, respondent_column)
    index = QuestionIndex(form, layout)
    # a stated date order is part of how the file was read: the same file read in the
    # other order is another import (it replaces the answers), not "already imported"
    report = ImportReport(path.name, file_sha256(path), enterprise_id, wave_code, "",
                          layout.name + (f" (--date-order {date_order})" if date_order else ""),
                          rows_read=len(main.rows),
                          form_used=described(kept) if kept is not None else None)

    columns = _check_columns(main, index, ignore, problems, report)
    if any(p.message.key == "err.import.not_store_form" for p in problems.problems):
        problems.raise_if_any()  # another form's export: its repeat sheets say no more
    _check_version(main, layout, form, problems)
    key_column = _respondent_column(main, columns, layout, form, problems, report)
    answers = read_rows(main, columns, index, problems)
    for sheet in sheets[1:]:
        read_repeat(sheet, main, sheets, index, ignore, problems, report, answers)
    numbers = separators(_number_columns(answers))
    clock = layout.clock_column(main.headers)
    cut = {(sheet.name, row, sheet.headers[index]): message for sheet in sheets
           for (row, index), message in sheet.cut_answers.items()
           if index < len(sheet.headers)}
    orders = date_orders(_date_columns(answers), problems, stated=date_order,
                         clock=[row[clock] for row in main.rows] if clock is not None else [],
                         must_decide=layout.either_date_order(main.headers))

    items, instrument = _items_for(store, enterprise_id, form)
    for name in _check_item_scales(form, items, problems):
        items.pop(name)  # reported: its answers are not read into that item
    report.instrument_id = instrument.id
    scales = _scales_for(form, enterprise_id, items)
    own_values = {scale.id: {o.name: o.value for o in options} for scale, options in scales}
    for stored_scale in {i.scale_id for i in items.values() if i.scale_id}:
        # a scale stored at an earlier import codes its answers as it did then, whatever
        # the form's list has become (an inserted choice must not renumber the others:
        # earlier waves' answers compare with these); new scales are coded from the form
        stored = {o.name: o.value for o in store.list(m.ScaleOption, scale_id=stored_scale)}
        if stored:
            own_values[stored_scale] = stored
    indicators, links = resolve_links(store, enterprise_id, form, items, problems)
    lists = choice_lists(form)
    wave_id = f"{enterprise_id}-{wave_code}"
    respondents: dict[str, int] = {}
    responses = []
    places: list[tuple[str | None, int, str]] = []  # sheet, row, column of each response
    paired = _paired_codes(store, enterprise_id, main, key_column, problems, report)
    for position, row in enumerate(main.rows):
        number = main.row_number(position)
        raw_code = row[key_column].strip() if key_column is not None else \
            f"{report.sha256[:16]}#{number}"  # no code: each submission its own respondent
        if key_column is not None and not raw_code:
            problems.add("err.import.no_code", sheet=main.name, row=number,
                         column=main.headers[key_column], expected="err.import.expect_code")
            continue
        if key_column is not None and digits_lost(row[key_column]):
            problems.add("err.import.code_digits_lost", sheet=main.name, row=number,
                         column=main.headers[key_column], code=raw_code,
                         expected="err.import.expect_code_as_text")
            continue
        code = normalise_code(raw_code)
        code = paired.get(code, code)  # 7 for the 007 stored (Excel dropped its zeros)
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
                _check_wave(answer, wave_code, problems, lists)
                continue
            for item, value, text in _stored_answers(name, answer, items, lists, own_values,
                                                     layout, problems, report,
                                                     numbers.get(name),
                                                     orders.get(name, "dmy"), cut):
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
    if paired:
        report.warnings.append(Message("import.zeros_paired", count=len(paired), rows=", ".join(
            str(respondents[code]) for code in sorted(set(paired.values()),
                                                      key=respondents.get))))
    if main.hidden_sheets:
        report.warnings.append(Message("import.hidden_sheets",
                                       sheets=", ".join(main.hidden_sheets)))
    rejected = rejected_warning(main, enterprise_id, wave_code)
    if rejected is not None:
        report.warnings.append(rejected)
    new_items = [i for i in items.values() if i.id not in _known_items(store, enterprise_id)]
    excerpts = free_text_excerpts(store, enterprise_id, wave_code, form, items, responses,
                                  indicators, links)
    record_import(store, report, instrument, new_items, list(items.values()), list(codes.values()),
                  responses, wave_id, scales=scales, indicators=indicators, links=links,
                  excerpts=excerpts, declared=_declared_kinds(form, enterprise_id, scales),
                  own_form=keep(Path(xlsform_file), form, enterprise_id, instrument.id)
                  if xlsform_file is not None else None,
                  undeclared=_undeclared_kinds(form, enterprise_id, scales)
                  if xlsform_file is not None or kept is not None else None)
    return report


def free_text_excerpts(store: Store, enterprise_id: str, wave_code: str, form: Form,
                       items: dict[str, m.Item], responses: list[dict],
                       indicators: list[m.Indicator], links: dict[str, str]) -> list[dict]:
    """Free-text answers as excerpts to code (dimension, indicator, publishable flag):
    never publishable until an accompanier marks them so. The dimension is the linked
    indicator's, else `social` until coded. Ids follow respondent, wave and item, so a
    re-import does not duplicate them (and keeps how they were coded)."""
    free = {item.id for name, item in items.items()
            if item.scale == "text" and (q := form.question(name)) is not None
            and q.type == "text" and q.repeat is None}
    if not free:
        return []
    known = {i.id: i for i in store.list(m.Indicator, enterprise_id=enterprise_id)}
    known.update({i.id: i for i in indicators})
    language = store.require_enterprise(enterprise_id).language
    excerpts = []
    for response in responses:
        if response["item_id"] not in free or not response["text"]:
            continue
        key = f"{response['respondent_id']}|{wave_code}|{response['item_id']}"
        indicator = known.get(links.get(response["item_id"]) or items_indicator(
            items, response["item_id"]) or "")
        excerpts.append({
            "id": f"{enterprise_id}-X{hashlib.sha1(key.encode()).hexdigest()[:16]}",
            "enterprise_id": enterprise_id, "text": response["text"][:20_000],
            "dimension": indicator.dimension if indicator else "social",
            "language": language, "indicator_id": indicator.id if indicator else None,
            "wave_code": wave_code, "respondent_id": response["respondent_id"],
            "publishable": False})
    return excerpts


def items_indicator(items: dict[str, m.Item], item_id: str) -> str | None:
    return next((i.indicator_id for i in items.values() if i.id == item_id), None)


def _paired_codes(store: Store, enterprise_id: str, sheet: Sheet, key_column: int | None,
                  problems: Collector, report: ImportReport) -> dict[str, str]:
    """Codes of digits paired with a stored respondent despite their leading zeros
    (`zeros.pair_zeros`): normalised code -> the stored respondent's code."""
    if key_column is None:
        return {}
    codes: dict[str, tuple[int, str]] = {}
    for position, row in enumerate(sheet.rows):
        typed = row[key_column].strip()
        if typed and not digits_lost(row[key_column]):
            codes.setdefault(normalise_code(typed), (sheet.row_number(position), typed))
    return pair_zeros(store, enterprise_id, codes, problems, sheet.name,
                      sheet.headers[key_column])


def _choose_respondent(form: Form, asked: str | None) -> None:
    """Set `form.respondent_question`; an unknown --respondent-column is refused."""
    try:
        choice = find_respondent_question(form, asked)
    except LookupError:
        raise ValidationError("err.import.respondent_column", column=asked, form=form.shown_as,
                              candidates=candidates(form) or ["-"]) from None
    form.respondent_question = choice.question.name if choice.question else ""
    form.respondent_how = choice.how  # type: ignore[attr-defined]


def _scales_for(form: Form, enterprise_id: str, items: dict[str, m.Item]):
    """The own scales the items use (each once): choice lists and the ticked-option one."""
    used = {i.scale_id for i in items.values() if i.scale_id}
    scales = []
    ticked = option_scale(enterprise_id)
    if ticked[0].id in used:
        scales.append(ticked)
    for list_name in form.choices:
        own = own_scale(form, list_name, enterprise_id)
        if own is not None and own[0].id in used:
            scales.append(own)
    return scales


def _declared_kinds(form: Form, enterprise_id: str, scales) -> dict[str, str]:
    """Own scale id -> the kind the form's `vises` column declares for its list (only
    the lists a question declares `ordered` or `unordered`)."""
    lists = {scale_id(enterprise_id, form, name): name for name in form.choices}
    return {scale.id: scale.kind for scale, _ in scales
            if scale.id in lists and scale.kind in ("ordinal", "nominal")
            and declared_list_order(form, lists[scale.id])}


def _undeclared_kinds(form: Form, enterprise_id: str, scales) -> dict[str, str]:
    """Own scale id -> the kind the form's choices read as, for the lists no question
    declares `ordered` or `unordered` (a stored list of another kind keeps it, and the
    report says how to change it: `redeciding`)."""
    lists = {scale_id(enterprise_id, form, name): name for name in form.choices}
    return {scale.id: scale.kind for scale, _ in scales
            if scale.id in lists and scale.kind in ("ordinal", "nominal")
            and not declared_list_order(form, lists[scale.id])}


def _number_columns(answers: dict[int, dict[str, Answer]]) -> dict[str, list[str]]:
    """Every answer to each number question (its column, repeat rows included)."""
    columns: dict[str, list[str]] = {}
    for by_question in answers.values():
        for name, answer in by_question.items():
            if answer.question.type in NUMBER_TYPES:
                columns.setdefault(name, []).extend(raw for raw, *_ in answer.raws)
    return columns


def _date_columns(answers: dict[int, dict[str, Answer]]
                  ) -> dict[str, list[tuple[str, str | None, int, str]]]:
    """Every answer to each date question, with where it is."""
    columns: dict[str, list[tuple[str, str | None, int, str]]] = {}
    for by_question in answers.values():
        for name, answer in by_question.items():
            if answer.question.type == "date":
                columns.setdefault(name, []).extend(answer.raws)
    return columns


def _stored_answers(name: str, answer: Answer, items: dict[str, m.Item], lists, own_values,
                    layout: Layout, problems: Collector, report: ImportReport,
                    numbers: Separators | None = None, date_order: str = "dmy",
                    cut: dict[tuple[str | None, int, str], Message] | None = None):
    """(item, value, text) to store for one question's answer: a select_multiple gives
    one 1/0 per option item (as Kobo's own 0/1 columns), an own scale its coded value."""
    question = answer.question
    options = [c.name for c in lists[question.list_name].choices] \
        if question.type == "select_multiple" and question.list_name in lists else []
    option_items = [(o, items.get(f"{name}/{o}")) for o in options]
    if option_items and all(item is not None for _, item in option_items):
        picked: set[str] = set()
        for raw, sheet, row, column in answer.raws:
            try:
                picked |= set((convert(question, raw, "text", lists, layout.answer_codes,
                                       joins=layout.choice_joins)[1] or "").split())
            except BadValue as bad:
                problems.add(bad.text, sheet=sheet, row=row, column=column,
                             expected=bad.expected)
        return [(item, 1.0 if option in picked else 0.0, None) for option, item in option_items]
    item = items.get(name)
    if item is None:
        return []
    own = own_values.get(item.scale_id or "")
    stored = _convert_answer(answer, item, lists, layout, problems, report,
                             text_scale=own is not None, numbers=numbers,
                             date_order=date_order, cut=cut)
    if stored is None:
        return []
    value, text = stored
    if own is not None and question.repeat is None:
        if text and text not in own and text in lists[question.list_name].added:
            return [(item, None, text)]  # 'other' (or_other): an answer off the scale
        if text and text not in own:  # a choice the stored scale has no code for
            _, sheet, row, column = answer.raws[0]
            problems.add("err.import.choice_not_in_scale", sheet=sheet, row=row,
                         column=column, raw=text, list=question.list_name or "",
                         expected=Message("err.import.expect_scale_choice",
                                          choices=", ".join(own)))
            return []
        value, text = own.get(text or ""), None
    return [(item, value, text)]


def _check_columns(sheet: Sheet, index: QuestionIndex, ignore: set[str], problems: Collector,
                   report: ImportReport) -> list[Column]:
    columns = map_columns(sheet.headers, index, ignore)
    answered: dict[str, Column] = {}  # question name -> the column its answers come from
    unknown: list[Column] = []
    for column in list(columns):
        if column.kind == "question" and column.question is not None and \
                column.question.type not in META_TYPES:
            first = answered.setdefault(column.question.name, column)
            if first is not column:
                # answers are read by question name: two columns of one name are two
                # answers to one question, neither can be chosen silently
                columns[column.index] = replace(column, kind="refused")
                if first.question is column.question:  # a copied column, or one question
                    # under its name and its label
                    problems.add("err.import.duplicate_column", sheet=sheet.name, row=1,
                                 column=column.header, question=column.question.xml_path,
                                 first=first.header, expected="err.import.expect_one_column")
                else:  # two questions of one name in two groups
                    columns[first.index] = replace(first, kind="refused")
                    problems.add("err.import.same_name", sheet=sheet.name, row=1,
                                 column=column.header, name=column.question.name,
                                 first=first.header, second=column.header, expected=Message(
                                     "err.import.expect_rename_store" if is_store_form(
                                         index.form) else "err.import.expect_rename",
                                     enterprise=report.enterprise_id,
                                     form=index.form.shown_as, name=column.question.name))
                continue
        if column.kind == "unknown":
            if column.header and is_personal_name(column.header):
                report.personal_columns.append(column.header)
                continue
            if not column.header and not any(row[column.index] for row in sheet.rows):
                continue  # a column cleared in a spreadsheet: no heading, nothing to read
            unknown.append(column)
        elif column.kind == "ignored" and not column.header:
            report.ignored_columns.append(f"#{column.index + 1}")
        elif column.kind == "ignored" and column.header.strip().casefold() in ignore:
            report.ignored_columns.append(column.header)
        elif column.kind == "ignored":  # derived by the tool (geopoint parts, media URLs,
            # 'other, specify' texts): left out, and listed with the tool's own columns
            report.meta_columns.append(column.header)
        elif column.kind in ("question", "option") and is_personal_question(column.question):
            report.personal_columns.append(column.header)
        elif column.kind == "meta" or column.kind == "question" and (
                column.question is not None and column.question.type in META_TYPES):
            report.meta_columns.append(column.header)
        elif column.kind == "question" and column.question is not None and \
                column.question.name not in (RESPONDENT_CODE, WAVE_FIELD,
                                             index.form.respondent_question) and \
                not keeps_answers(column.question, index.form):
            # a calculate, a geopoint, a photo...: no answer to analyse, listed as left out
            report.meta_columns.append(column.header)
    if unknown and is_store_form(index.form) and not _asks_an_item(columns, index.form):
        # not one question of the enterprise's questionnaire: another form's export, to
        # be read with that form, not column by column with --ignore-column
        shown = [c.header or f"#{c.index + 1}" for c in unknown]
        problems.add("err.import.not_store_form", sheet=sheet.name, row=1,
                     expected=Message("err.import.expect_its_form"),
                     enterprise=report.enterprise_id, count=len(shown),
                     columns=", ".join(shown[:8]) + (" ..." if len(shown) > 8 else ""))
        return columns
    for column in unknown:
        problems.add("err.import.unknown_column" if column.header
                     else "err.import.no_header", sheet=sheet.name, row=1,
                     column=column.header or f"#{column.index + 1}",
                     expected=Message("err.import.expect_store_question",
                                      enterprise=report.enterprise_id)
                     if is_store_form(index.form) else
                     Message("err.import.expect_kept_question",
                             forms=index.form.title.values["forms"])
                     if is_kept_form(index.form) else
                     Message("err.import.expect_question_or_ignore",
                             form=index.form.shown_as))
    present = {c.question.name for c in columns if c.question is not None}
    for question in index.form.questions:
        if question.repeat is None and question.name not in present and (
                question.name != WAVE_FIELD) and (
                question.name in (RESPONDENT_CODE, index.form.respondent_question)
                or question.required
                and question.type in ("integer", "decimal", "select_one", "text")
                and not is_personal_question(question)):
            problems.add("err.import.missing_column", sheet=sheet.name, row=1,
                         expected=Message("err.import.expect_column", path=question.xml_path,
                                          row=question.row, form=index.form.shown_as),
                         name=question.name)
    return columns


def _asks_an_item(columns: list[Column], form: Form) -> bool:
    """Whether a column holds the answers to one of the form's items (not the tool's
    start/end, not the respondent code or the wave)."""
    return any(c.question is not None and c.kind in ("question", "option")
               and c.question.type not in META_TYPES
               and c.question.name not in (RESPONDENT_CODE, WAVE_FIELD, form.respondent_question)
               for c in columns)


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


def _respondent_column(sheet: Sheet, columns: list[Column], layout: Layout, form: Form,
                       problems: Collector, report: ImportReport) -> int | None:
    """The column of respondent codes (the import report says which and how it was
    found); without one, the tool's submission id or the row, with a warning that this
    file's answers cannot be paired with another wave's."""
    name = form.respondent_question
    if name:
        for column in columns:
            if column.question is not None and column.question.name == name and \
                    column.kind == "question":
                report.respondent_column = column.header
                report.respondent_how = getattr(form, "respondent_how", "name")
                return column.index
        question = form.question(name)
        if question is not None and not question.required and name != RESPONDENT_CODE:
            problems.add("err.import.missing_column", sheet=sheet.name, row=1,
                         expected=Message("err.import.expect_column", path=question.xml_path,
                                          row=question.row, form=form.shown_as), name=name)
        return None
    lower = [h.strip().lower() for h in sheet.headers]
    for key in layout.submission_keys:
        if key in lower:
            report.warnings.append(Message("import.unpaired", column=sheet.headers[
                lower.index(key)]))
            return lower.index(key)
    report.warnings.append(Message("import.unpaired_rows"))
    return None

def _check_wave(answer: Answer, wave_code: str, problems: Collector, lists=None) -> None:
    """A wave question answered with another wave than --wave: each such row is reported.
    A labels export gives the choice's label ("Entrée"): it is read as its choice name."""
    options = (lists or {}).get(answer.question.list_name or "")
    for raw, sheet, row, column in answer.raws:
        named = options.find(raw) if options is not None else None
        if named is not None:
            raw = named
        if raw.strip().upper() != wave_code and not raw.strip().upper().startswith(
                wave_code + " "):
            problems.add("err.import.other_wave", sheet=sheet, row=row, column=column,
                         expected=WAVES.get(wave_code),
                         raw=raw, wave=wave_code)


def _convert_answer(answer: Answer, item: m.Item, lists, layout: Layout, problems: Collector,
                    report: ImportReport, text_scale: bool = False,
                    numbers: Separators | None = None, date_order: str = "dmy",
                    cut: dict[tuple[str | None, int, str], Message] | None = None
                    ) -> tuple[float | None, str | None] | None:
    converted = []
    for raw, sheet, row, column in answer.raws:
        try:
            value, text = convert(answer.question, raw, "text" if text_scale else item.scale,
                                  lists, layout.answer_codes, numbers or Separators(),
                                  date_order=date_order, joins=layout.choice_joins)
        except BadValue as bad:
            expected = bad.expected
            if layout.name == "LimeSurvey" and answer.question.type.startswith("select"):
                expected = Message("err.import.limesurvey_codes", expected=bad.expected)
            elif (sheet, row, column) in (cut or {}):  # an answer cut by a separator
                expected = Message("err.import.expect_either", first=bad.expected,
                                   second=(cut or {})[(sheet, row, column)])
            problems.add(bad.text, sheet=sheet, row=row, column=column, expected=expected)
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


def _check_item_scales(form: Form, items: dict[str, m.Item], problems: Collector) -> list[str]:
    """A form's select_one read into an item of the enterprise's plan on a catalogue
    scale or a number (same name): each of its choices must be one of that scale's codes
    (or a number), else its answers could not be stored as the item's (`oui` on the 1-5
    agreement scale). Reported on the form's row, with what to do; their names returned."""
    conflicting = []
    for name, item in items.items():
        question = form.question(name)
        if question is None or question.type != "select_one" or item.scale_id or \
                item.scale not in (*SCALES, "number"):
            continue
        choices = scale_choices(form.choices.get(question.list_name or "", []))
        codes = {str(code) for code in SCALES.get(item.scale, {})}
        foreign = [c.name for c in choices if (c.name not in codes if codes
                                               else not is_number(c.name))]
        if not foreign:
            continue
        expected = Message("err.import.expect_item_number") if item.scale == "number" else \
            Message("err.import.expect_item_codes", scale=item.scale,
                    codes=", ".join(sorted(codes)))
        problems.add("err.import.item_scale", sheet="survey", row=question.row, column="type",
                     expected=expected, question=name, list=question.list_name,
                     form=form.shown_as,
                     choices=", ".join(foreign[:6]) + (" ..." if len(foreign) > 6 else ""),
                     scale=item.scale)
        conflicting.append(name)
    return conflicting


def _known_items(store: Store, enterprise_id: str) -> set[str]:
    return {i.id for i in store.list(m.Item, enterprise_id=enterprise_id)}


def _items_for(store: Store, enterprise_id: str, form: Form
               ) -> tuple[dict[str, m.Item], m.Instrument]:
    """Question name -> item: the enterprise's item with that code, else a new one."""
    existing = {i.code: i for i in store.list(m.Item, enterprise_id=enterprise_id)}
    instrument, new = instrument_from_form(form, enterprise_id)
    by_code = item_keys(form)
    items: dict[str, m.Item] = {}
    for candidate in new:
        name = by_code.get(candidate.code, candidate.code)
        items[name] = existing.get(candidate.code, candidate)
    matched = Counter(i.instrument_id for i in items.values() if i.code in existing)
    if matched and all(i.code in existing for i in items.values()):
        instrument_id = matched.most_common(1)[0][0]
        instrument = store.get(m.Instrument, instrument_id)[0]
    return items, instrument

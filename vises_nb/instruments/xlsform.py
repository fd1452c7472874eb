"""XLSForm in and out: the spreadsheet standard that KoboToolbox and ODK read.

`questionnaire_bytes(store, enterprise_id)` turns an enterprise's indicator plan into an
XLSForm (survey / choices / settings sheets, one `label::French (fr)` column per
language) that pyxform converts as it is, so an accompanier uploads it to KoboToolbox or
ODK unchanged. `read_xlsform(path)` reads any XLSForm, hand-written ones included, into
`Form`, which the importer uses to understand an export and `instrument_from_form`
turns into an instrument and its items.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from pathlib import Path

from vises_nb.errors import Message, VisesError
from vises_nb.files import PRIVATE, write_atomic
from vises_nb.i18n import available_languages, language_name, t
from vises_nb.instruments import limits
from vises_nb.instruments.asking import how_asked, own_options
from vises_nb.instruments.forms import (  # noqa: F401  (re-exported)
    ANSWER_TYPES,
    MEDIA_TYPES,
    META_TYPES,
    RESPONDENT_CODE,
    STRUCTURE_TYPES,
    VISES_COLUMN,
    WAVE_FIELD,
    Choice,
    Form,
    FormError,
    Question,
    language_of,
    scale_choices,
)
from vises_nb.method.scales import SCALES
from vises_nb.method.vocabulary import WAVES
from vises_nb.store import model as m
from vises_nb.store.store import Store
from vises_nb.text import cell


def _trimmed(row: tuple) -> list[object]:
    end = len(row)
    while end and row[end - 1] is None:
        end -= 1
    return list(row[:end])


def _sheet_rows(path: Path) -> dict[str, list[list[object]]]:
    """Every sheet of an .xlsx or .xls file as rows of cell values (lower-case sheet names)."""
    data = path.read_bytes()
    if data[:4] == b"PK\x03\x04":
        import openpyxl

        try:
            excess = limits.workbook_excess(path)
        except (zipfile.BadZipFile, OSError):
            excess = None  # openpyxl says what is wrong, below
        if excess is not None:
            raise FormError("err.form.too_big", file=path.name, problem=Message(
                "err.file.too_big", what=excess[0], limit=f"{excess[1]:,}".replace(",", " ")))
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            sheets = {}
            for ws in book.worksheets:
                # bounded whatever the sheet declares: rows trimmed as they come
                rows = [_trimmed(r) for r in ws.iter_rows(
                    max_col=limits.MAX_COLUMNS, max_row=limits.MAX_ROWS, values_only=True)]
                while rows and not rows[-1]:
                    rows.pop()
                sheets[ws.title.strip().lower()] = rows
            book.close()
        except Exception as exc:  # noqa: BLE001 - a damaged workbook raises many kinds
            raise FormError("err.form.unreadable_xlsx", file=path.name,
                            detail=f"{type(exc).__name__}: {exc}") from None
        return sheets
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        import xlrd

        try:
            book = xlrd.open_workbook(file_contents=data)
        except Exception as exc:  # noqa: BLE001 - xlrd raises many kinds on damaged files
            raise FormError("err.form.unreadable_xls", file=path.name, detail=exc) from None
        return {s.name.strip().lower(): [s.row_values(i) for i in range(s.nrows)]
                for s in book.sheets()}
    raise FormError("err.form.not_xlsform", file=path.name)


def _records(rows: list[list[object]]) -> list[tuple[int, dict[str, str]]]:
    """Rows of a sheet as (spreadsheet row number, {lower-case header: text})."""
    if not rows:
        return []
    headers = [str(h).strip() if h is not None else "" for h in rows[0]]
    out = []
    for number, row in enumerate(rows[1:], start=2):
        record = {}
        for header, value in zip(headers, row, strict=False):
            if header and value is not None and str(value).strip() != "":
                text = str(value).strip()
                if isinstance(value, float) and value.is_integer():
                    text = str(int(value))
                record[header] = text
        if record:
            out.append((number, record))
    return out


def _labels(record: dict[str, str], column: str = "label") -> dict[str, str]:
    labels = {}
    for header, value in record.items():
        base = re.split(r"::?", header, maxsplit=1)[0].strip().lower()
        if base == column:
            labels[language_of(header) or "default"] = value
    return labels


def read_xlsform(path: str | Path) -> Form:
    """Read an XLSForm (.xlsx or .xls; or an XForm .xml): questions with group paths, choices."""
    path = Path(path)
    if not path.exists():
        raise FormError("err.form.missing", path=path)
    if path.read_bytes()[:200].lstrip().startswith(b"<"):
        from vises_nb.instruments.xform import read_xform

        return read_xform(path)
    return form_from_sheets(_sheet_rows(path), path.name, path.stem)


def form_from_sheets(sheets: dict[str, list[list[object]]], file: str, stem: str) -> Form:
    """An XLSForm's sheets (lower-case names -> rows, header first) read into `Form`:
    what `read_xlsform` does once the workbook is open, and what the importer does with
    the questionnaire `questionnaire_rows` generates, without writing a file."""
    if "survey" not in sheets:
        raise FormError("err.form.no_survey", file=file, sheets=list(sheets))
    choices: dict[str, list[Choice]] = {}
    for _row, record in _records(sheets.get("choices", [])):
        low = {k.lower(): v for k, v in record.items()}
        list_name = low.get("list_name") or low.get("list name")
        if list_name and "name" in low:
            choices.setdefault(list_name, []).append(Choice(low["name"], _labels(record)))
    settings = {}
    for _row, record in _records(sheets.get("settings", []))[:1]:
        settings = {k.lower(): v for k, v in record.items()}
    questions: list[Question] = []
    groups: dict[str, dict[str, str]] = {}
    stack: list[tuple[str, bool]] = []  # (name, is_repeat)
    languages: set[str] = set()
    with_other: set[str] = set()  # lists of an `or_other` select
    for row, record in _records(sheets["survey"]):
        low = {k.lower(): v for k, v in record.items()}
        raw_type = re.sub(r"\s+", " ", low.get("type", "").strip().lower())
        if not raw_type:
            continue
        labels = _labels(record)
        languages |= {lang for lang in labels if lang != "default"}
        kind = raw_type.replace("_", " ") if raw_type.startswith(("begin", "end")) else raw_type
        if kind in ("begin group", "begin repeat"):
            name = low.get("name", f"group_{row}")
            stack.append((name, kind == "begin repeat"))
            groups[name] = labels
            continue
        if kind in ("end group", "end repeat"):
            if stack:
                stack.pop()
            continue
        name = low.get("name")
        if not name:
            continue
        select = SELECT_TYPE.fullmatch(re.sub(r"\s+", " ", low["type"].strip()))
        if select:
            base = SELECT_BASES[select.group("command").lower().replace("_", " ")]
            list_name = _list_named(select.group("list"), choices)
            if select.group("other"):
                with_other.add(list_name)
        else:
            base = TYPE_ALIASES.get(raw_type, raw_type.split()[0])
            list_name = None
        repeats = [n for n, is_repeat in stack if is_repeat]
        questions.append(Question(
            name=name, type=base, list_name=list_name, labels=labels,
            path=tuple(n for n, _ in stack), repeat=repeats[-1] if repeats else None,
            required=low.get("required", "").lower() in ("yes", "true", "true()", "1"),
            row=row, vises=low.get(VISES_COLUMN, "").strip(),
        ))
    for list_name in with_other:
        _add_other(choices, list_name)
    default = settings.get("default_language")
    return Form(
        file=file, form_id=settings.get("form_id", stem),
        version=settings.get("version", ""), default_language=language_of(f"x::{default}")
        if default else None, languages=sorted(languages), questions=questions,
        choices=choices, groups=groups,
    )


# A select's type as pyxform reads it (pyxform/aliases.py `select`, xls2json RE_SELECT):
# `select_one freq`, `select one freq`, `select1 freq`, `select all that apply services`,
# `select_one_from_file communes.csv`..., optionally followed by `or_other`.
SELECT_BASES = {"select one": "select_one", "select1": "select_one",
                "select one from": "select_one", "add select one prompt using": "select_one",
                "select multiple": "select_multiple", "select all that apply": "select_multiple",
                "select all that apply from": "select_multiple",
                "add select multiple prompt using": "select_multiple",
                "select one from file": "select_one_from_file",
                "select multiple from file": "select_multiple_from_file",
                "select one external": "select_one_external", "rank": "rank"}
SELECT_TYPE = re.compile(
    "(?P<command>" + "|".join(sorted((re.escape(k).replace("\\ ", "[ _]")
                                      for k in SELECT_BASES), key=len, reverse=True))
    + r") (?P<list>\S+)( (?P<other>or_other|or specify other|or other))?", re.IGNORECASE)
# Other spellings pyxform accepts for the types vises reads answers of.
TYPE_ALIASES = {"int": "integer", "q int": "integer", "add integer prompt": "integer",
                "q decimal": "decimal", "add decimal prompt": "decimal", "string": "text",
                "q string": "text", "add text prompt": "text", "q date": "date",
                "add date prompt": "date", "date time": "datetime", "q date time": "datetime",
                "add date time prompt": "datetime", "q calculate": "calculate",
                "add calculate prompt": "calculate", "q note": "note",
                "add note prompt": "note", "gps": "geopoint", "location": "geopoint",
                "q geopoint": "geopoint", "q location": "geopoint",
                "add location prompt": "geopoint"}
OTHER = "other"  # the choice pyxform adds to the list of an `or_other` select


def _add_other(choices: dict[str, list[Choice]], list_name: str) -> None:
    """The `other` choice pyxform adds to an `or_other` select's list (labelled "Other"
    in each of the list's languages, as the form the tool ran shows it)."""
    listed = choices.get(list_name)
    if not listed or any(c.name == OTHER for c in listed):
        return
    languages = {lang for c in listed for lang in c.labels} or {"default"}
    listed.append(Choice(OTHER, dict.fromkeys(sorted(languages), "Other"), added=True))


def _list_named(name: str, choices: dict[str, list[Choice]]) -> str:
    """A select's list name as the choices sheet spells it: list names are case-sensitive
    (`select_one E70-S-freq`), but a list typed in another case than its choices is
    still that list."""
    if name in choices:
        return name
    return next((listed for listed in choices if listed.casefold() == name.casefold()), name)


# -------------------------------------------------------------- form -> instrument
def scale_of(question: Question, form: Form) -> str | None:
    """The vises scale a question's answers fit, or None when it holds no answer to keep.

    A choice list that is not one of vises' own scales is the enterprise's own scale:
    `yes_no` when it is a two-option yes/no list, else `ordinal` (ordered) or `nominal`
    (unordered) as `owned.list_order` decides.
    A select_multiple gives one yes/no item per option (`option_items`), not one item.
    """
    from vises_nb.instruments.owned import is_catalogue_list, is_yes_no

    if question.type in ("integer", "decimal", "range"):
        return "number"
    if question.type in ("text", "date", "datetime", "time", *FROM_FILE):
        return "text"  # a choice list in a file vises is not given: its names, as text
    if question.type == "select_multiple":
        return "text" if not form.choices.get(question.list_name or "") else None
    if question.type == "select_one":
        choices = scale_choices(form.choices.get(question.list_name or "", []))
        if not choices:
            return "text"
        known = is_catalogue_list(form, question.list_name or "")
        if known:
            return known
        if is_yes_no(choices):
            return "yes_no"
        from vises_nb.instruments.owned import list_order

        return list_order(form, question.list_name or "", choices)
    return None


FROM_FILE = ("select_one_from_file", "select_multiple_from_file", "select_one_external")


def keeps_answers(question: Question, form: Form) -> bool:
    """Whether a question's answers become an item (`instrument_from_form`): not a
    `calculate`, a `note`, a geopoint or a media question."""
    return scale_of(question, form) is not None or (
        question.type == "select_multiple" and bool(form.choices.get(question.list_name or "")))


def instrument_from_form(form: Form, enterprise_id: str,
                         instrument_id: str | None = None) -> tuple[m.Instrument, list[m.Item]]:
    """An instrument and its items from an XLSForm (personal data questions are left out).

    The respondent-code question (`form.respondent_question`) is never an item: its
    answers are only kept as pseudonyms. Items are keyed as `item_keys` says.
    """
    from vises_nb.instruments.owned import option_scale, scale_id
    from vises_nb.instruments.personal import is_personal_question

    instrument_id = instrument_id or f"{enterprise_id}-{_identifier(form.form_id)}"[:64]
    lang = form.default_language or (form.languages[0] if form.languages else "default")
    instrument = m.Instrument(id=instrument_id, enterprise_id=enterprise_id,
                              name=form.form_id[:500] or "XLSForm", method="questionnaire")
    items = []
    for question in form.questions:
        if question.name in (RESPONDENT_CODE, WAVE_FIELD, form.respondent_question):
            continue
        if is_personal_question(question):
            continue
        text = (question.labels.get(lang) or next(iter(question.labels.values()), "")
                or question.name)
        if question.type == "select_multiple" and question.repeat is None and \
                form.choices.get(question.list_name or ""):
            ticked = option_scale(enterprise_id)[0].id
            for choice in form.choices[question.list_name or ""]:
                code = _identifier(f"{question.name}.{choice.name}")
                label = choice.labels.get(lang) or next(iter(choice.labels.values()), "") \
                    or choice.name
                items.append(m.Item(
                    id=_item_id(instrument_id, code), enterprise_id=enterprise_id,
                    instrument_id=instrument_id, code=code,
                    text=_plain(f"{_plain(text)} — {label}")[:500] or code,
                    scale="yes_no", scale_id=ticked))
            continue
        scale = scale_of(question, form)
        if scale is None:
            continue
        own = None
        if question.repeat is not None:
            scale = "text"  # a repeat's answers are kept together, joined by ' | '
        elif scale in ("ordinal", "nominal", "yes_no") and question.type == "select_one" and \
                question.list_name not in SCALES and form.choices.get(question.list_name or ""):
            from vises_nb.instruments.owned import is_catalogue_list

            if not is_catalogue_list(form, question.list_name or ""):
                own = scale_id(enterprise_id, form, question.list_name or "")
        items.append(m.Item(
            id=_item_id(instrument_id, _identifier(question.name)),
            enterprise_id=enterprise_id, instrument_id=instrument_id,
            code=_identifier(question.name), text=_plain(text)[:500] or question.name,
            scale=scale, scale_id=own,
        ))
    return instrument, items


def item_keys(form: Form) -> dict[str, str]:
    """Item code -> the answer it holds: a question's name, or `question/choice` for a
    select_multiple option (the shape of Kobo's own 0/1 columns)."""
    keys: dict[str, str] = {}
    for question in form.questions:
        keys.setdefault(_identifier(question.name), question.name)
        if question.type == "select_multiple" and question.repeat is None:
            for choice in form.choices.get(question.list_name or "", []):
                keys.setdefault(_identifier(f"{question.name}.{choice.name}"),
                                f"{question.name}/{choice.name}")
    return keys


def _item_id(instrument_id: str, code: str) -> str:
    """`<instrument>-<code>`, shortened with a hash of the code when over 64 characters."""
    full = f"{instrument_id}-{code}"
    if len(full) <= 64:
        return full
    digest = hashlib.sha1(code.encode()).hexdigest()[:10]
    return f"{instrument_id[:24]}-{digest}-{code}"[:64]


def _identifier(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")[:64] or "x"


def _plain(text: str) -> str:
    """A label without markdown/HTML markup, on one line."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>|[*#_]{2,}", "", text)).strip()


def save_instrument(store: Store, form: Form, enterprise_id: str,
                    instrument_id: str | None = None) -> m.Instrument:
    """Store an XLSForm as the enterprise's instrument (items added when new)."""
    store.require_enterprise(enterprise_id)
    instrument, items = instrument_from_form(form, enterprise_id, instrument_id)
    existing = {i.id for i in store.list(m.Item, enterprise_id=enterprise_id)}
    known = {i.id for i in store.list(m.Instrument, enterprise_id=enterprise_id)}
    with store.transaction() as w:
        if instrument.id not in known:
            w.save(instrument)
        for item in items:
            if item.id not in existing:
                w.save(item)
    return instrument


# ------------------------------------------------------------------------- writing
def _label_columns(kind: str = "label") -> list[str]:
    return [f"{kind}::{language_name(lang)} ({lang})" for lang in available_languages()]


def _texts(key: str, **values: object) -> list[str]:
    return [t(key, lang, **values) for lang in available_languages()]


def questionnaire_rows(store: Store, enterprise_id: str) -> dict[str, list[list[object]]]:
    """The three sheets of the enterprise's questionnaire, as rows (header first)."""
    from vises_nb.method.catalogue import BY_CODE

    enterprise = store.require_enterprise(enterprise_id)
    indicators = {i.id: i for i in store.list(m.Indicator, enterprise_id=enterprise_id)}
    items = [i for i in store.list(m.Item, enterprise_id=enterprise_id)
             if i.indicator_id in indicators]
    if not items:
        raise VisesError("err.form.no_items", enterprise=enterprise_id)
    survey: list[list[object]] = [["type", "name", *_label_columns(), "required",
                                   *_label_columns("hint"), "default", "constraint"]]
    survey.append(["start", "start", "", "", "", "", "", "", "", "", ""])
    survey.append(["end", "end", "", "", "", "", "", "", "", "", ""])
    survey.append(["text", RESPONDENT_CODE, *_texts("xlsform.respondent_code"), "yes",
                   *_texts("xlsform.respondent_code_hint"), "",
                   "regex(., '^[A-Za-z0-9_.-]{1,40}$')"])
    survey.append([f"select_one {WAVE_FIELD}", WAVE_FIELD, *_texts("xlsform.wave"), "yes",
                   "", "", "", "", ""])
    by_indicator: dict[str, list[m.Item]] = {}
    for item in items:
        by_indicator.setdefault(item.indicator_id or "", []).append(item)
    options = own_options(store, enterprise_id)
    used_lists: dict[str, tuple[Choice, ...]] = {}  # list name -> choices, as first asked
    for indicator_id, group in by_indicator.items():
        indicator = indicators[indicator_id]
        entry = BY_CODE.get(indicator.code)
        names = [entry.name[lang] if entry else indicator.name
                 for lang in available_languages()]
        survey.append(["begin_group", _identifier(indicator.code), *names, "", "", "", "",
                       "", ""])
        for item in group:
            texts = _item_texts(item, entry)
            asked = how_asked(item, options.get(item.scale_id or "", ()))
            if asked.list_name:
                used_lists.setdefault(asked.list_name, asked.choices)
            survey.append([asked.xlsform_type, _identifier(item.code), *texts, "", "", "", "",
                           "", ""])
        survey.append(["end_group", "", "", "", "", "", "", "", "", "", ""])
    choices: list[list[object]] = [["list_name", "name", *_label_columns()]]
    for wave in WAVES:
        choices.append([WAVE_FIELD, wave.code, *(wave.label(lang) for lang in available_languages())])
    for list_name, listed in used_lists.items():
        for choice in listed:
            choices.append([list_name, choice.name,
                            *(choice.labels[lang] for lang in available_languages())])
    # The version changes exactly when the questions or choices do, so that regenerating an
    # unchanged questionnaire gives the version its exports carry (ODK's FormVersion).
    content = json.dumps([survey, choices], ensure_ascii=False, default=str).encode()
    version = "v" + hashlib.sha256(content).hexdigest()[:10]
    settings: list[list[object]] = [
        ["form_id", "form_title", "version", "default_language"],
        [f"vises_{_identifier(enterprise_id)}", enterprise.name, version,
         f"{language_name(enterprise.language)} ({enterprise.language})"],
    ]
    return {"survey": survey, "choices": choices, "settings": settings}


def _item_texts(item: m.Item, entry) -> list[str]:
    if entry is not None:
        for cat_item in entry.items:
            if cat_item.code == item.code:
                return [cat_item.text[lang] for lang in available_languages()]
    return [item.text] * len(available_languages())


def questionnaire_bytes(store: Store, enterprise_id: str) -> bytes:
    """The enterprise's questionnaire as an .xlsx XLSForm, ready for KoboToolbox or ODK."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in questionnaire_rows(store, enterprise_id).items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append([cell(value) for value in row])  # inert: no formula, no control
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_questionnaire(store: Store, enterprise_id: str, path: str | Path) -> Path:
    path = Path(path)
    write_atomic(path, questionnaire_bytes(store, enterprise_id), PRIVATE)
    return path


def write_limesurvey(store: Store, enterprise_id: str, path: str | Path,
                     form_file: str | Path | None = None) -> Path:
    """The enterprise's questionnaire (or its own XLSForm `form_file`) as a LimeSurvey
    survey structure (.txt) whose question and answer codes are the XLSForm's names."""
    import tempfile

    from vises_nb.instruments.limesurvey import structure_text

    enterprise = store.require_enterprise(enterprise_id)
    if form_file is not None:
        form = read_xlsform(form_file)
    else:
        with tempfile.TemporaryDirectory() as folder:
            generated = Path(folder) / f"{enterprise_id}.xlsx"
            generated.write_bytes(questionnaire_bytes(store, enterprise_id))
            form = read_xlsform(generated)
    path = Path(path)
    path.write_text(structure_text(form, enterprise.name), encoding="utf-8")
    return path

"""The form an export is read against, when no XLSForm file is given.

Either the enterprise's own questionnaire (`form_from_store`: the very XLSForm vises
generates for it, with its groups, names, labels, `start`/`end` and choices, so that an
export of it, in any of the shapes KoboToolbox or ODK Central offer, imports alone), or,
for an enterprise with no items yet, a form inferred from the file itself: one question
per column, numeric when every answer is a number, text otherwise.
"""

from __future__ import annotations

from vises_nb.errors import Message, VisesError
from vises_nb.instruments.asking import Asked, how_asked, own_options
from vises_nb.instruments.importing.files import Sheet
from vises_nb.instruments.importing.layout import Layout
from vises_nb.instruments.importing.values import is_number
from vises_nb.instruments.xlsform import (
    RESPONDENT_CODE,
    WAVE_FIELD,
    Choice,
    Form,
    Question,
    _identifier,
    form_from_sheets,
    questionnaire_rows,
)
from vises_nb.method.scales import SCALES
from vises_nb.store import model as m
from vises_nb.store.store import Store

STORE_FORM = "import.form.store"  # the title of the store's form (a catalogue key)


def form_from_store(store: Store, enterprise_id: str) -> Form | None:
    """The enterprise's questionnaire as vises generates it (`questionnaire_rows`), plus
    its items that questionnaire does not ask (kept from an earlier import of another
    form) as top-level questions; None when the enterprise has no item.

    Its version is left empty: the generated version changes with every item added, and
    an export of an earlier version whose columns all fit is still this enterprise's."""
    items = store.list(m.Item, enterprise_id=enterprise_id)
    if not items:
        return None
    try:
        form = form_from_sheets(questionnaire_rows(store, enterprise_id), "", enterprise_id)
    except VisesError:  # no item tied to an indicator: nothing vises would generate
        form = Form(file="", form_id=f"{enterprise_id}-items", version="",
                    default_language=None, languages=[], questions=[
                        Question(RESPONDENT_CODE, "text", None, {}, (), None, True, 0),
                        Question(WAVE_FIELD, "select_one", WAVE_FIELD, {}, (), None, False, 0)],
                    choices={WAVE_FIELD: [Choice(w, {}) for w in ("T0", "T1", "T2")]})
    form.file = f"({enterprise_id})"  # no file: messages show its title
    form.version = ""
    form.title = Message(STORE_FORM, enterprise=enterprise_id)
    asked = {_identifier(q.name) for q in form.questions}
    options = own_options(store, enterprise_id)
    for row, item in enumerate(items, start=1):
        question = how_asked(item, options.get(item.scale_id or "", ()))
        if question.list_name:  # every label its options have, for a labels export
            form.choices[question.list_name] = _with_earlier_codes(
                item, question, options.get(item.scale_id or "", ()))
        if _identifier(item.code) not in asked:  # asked as the generated questionnaire does
            form.questions.append(Question(item.code, question.type, question.list_name,
                                           {"default": item.text}, (), None, False,
                                           10_000 + row))
    return form


def _with_earlier_codes(item: m.Item, question: Asked, options) -> list[Choice]:
    """The question's choices; for an own yes/no scale, each also known by vises' yes/no
    code and labels of its value (1 / Oui / Ja / Yes, 0 / Non / Nee / No): questionnaires
    vises generated before own scales were asked with their own options asked such an
    item as vises' yes/no, and their exports still read."""
    if item.scale != "yes_no" or question.list_name in SCALES:
        return list(question.choices)
    values = {o.name: o.value for o in options}
    out = []
    for choice in question.choices:
        earlier = SCALES["yes_no"].get(int(values.get(choice.name, -1)))
        aliases = {} if earlier is None else {
            "vises": str(int(values[choice.name])),
            **{f"vises:{lang}": text for lang, text in earlier.items()}}
        out.append(Choice(choice.name, {**aliases, **choice.labels}))
    return out


def is_store_form(form: Form) -> bool:
    return isinstance(form.title, Message) and form.title.key == STORE_FORM


def infer_form(sheets: list[Sheet], layout: Layout) -> Form:
    """One question per non-meta column: decimal when every answer is a number.

    Columns of repeat tables (the other sheets or files) become questions of that repeat.
    """
    questions = []
    used: set[str] = set()
    sheet = sheets[0]
    for position, header, values, repeat in _columns(sheets):
        if not header or layout.is_meta(header):
            continue
        name = _identifier(header)[:48]
        base, k = name, 2
        while name.casefold() in used:
            name, k = f"{base}_{k}", k + 1
        used.add(name.casefold())
        kind = "decimal" if values and all(is_number(v) for v in values) else "text"
        path = (repeat,) if repeat else ()
        questions.append(Question(name, kind, None, {"default": header}, path, repeat, False,
                                  position + 1))
    return Form(file=f"({sheet.file})", form_id=_identifier(sheet.file), version="",
                default_language=None, languages=[], questions=questions, choices={},
                title=Message("import.form.columns", file=sheet.file))


def _columns(sheets: list[Sheet]):
    seen: set[str] = set()
    for number, sheet in enumerate(sheets):
        repeat = sheet.name if number else None
        for position, header in enumerate(sheet.headers):
            if number and header in seen:
                continue
            seen.add(header)
            values = [row[position] for row in sheet.rows if row[position]]
            yield position, header, values, repeat

"""An XLSForm as a LimeSurvey survey structure: the tab-separated text format LimeSurvey
imports (Surveys → Import, `.txt`).

Question codes and answer codes are the XLSForm's own names, so LimeSurvey's response
export ("question code" headings, "answer codes") comes back with names vises knows and
imports against the same XLSForm. LimeSurvey accepts only letters and digits in codes
(at most 20 for a question, 5 for an answer): a name that does not fit gets the code
`forms.limesurvey_question_code` / `limesurvey_answer_code` give, which the importer
reads back as that name. One row per language of the form for every survey
language setting, group, question, subquestion and answer (classes S, SL, G, Q, SQ, A).
select_one → list (L), select_multiple → multiple choice (M) with one subquestion per
option, integer/decimal → numerical (N), date → D, text → long free text (T).
"""

from __future__ import annotations

import csv
import io
import re

from vises_nb.instruments.forms import (
    Form,
    Question,
    limesurvey_answer_code,
    limesurvey_question_code,
)

COLUMNS = ["id", "related_id", "class", "type/scale", "name", "relevance", "text", "help",
           "language", "validation", "mandatory", "other", "default", "same_default"]
TYPES = {"select_one": "L", "select_multiple": "M", "integer": "N", "decimal": "N",
         "range": "N", "date": "D", "datetime": "D", "text": "T", "calculate": "T"}


def _languages(form: Form) -> list[str]:
    """Two-letter language codes of the form's labels (`default` when it has none)."""
    found = [lang for lang in form.languages if re.fullmatch(r"[a-z]{2}(-[a-z]+)?", lang)]
    default = form.default_language if form.default_language in found else None
    ordered = ([default] if default else []) + [lang for lang in found if lang != default]
    return ordered or ["en"]


def _label(labels: dict[str, str], lang: str, fallback: str) -> str:
    return labels.get(lang) or labels.get("default") or next(iter(labels.values()), "") \
        or fallback


def structure_rows(form: Form, title: str = "") -> list[dict[str, str]]:
    """Rows of the structure file (column -> text)."""
    langs = _languages(form)
    rows: list[dict[str, str]] = [
        {"class": "S", "name": "language", "text": langs[0]},
        {"class": "S", "name": "additional_languages", "text": " ".join(langs[1:])},
        {"class": "S", "name": "format", "text": "G"},
    ]
    for lang in langs:
        rows.append({"class": "SL", "name": "surveyls_title", "text": title or form.form_id,
                     "language": lang})
    questions = [q for q in form.questions if q.type in TYPES and q.repeat is None]
    groups: list[tuple[str, list[Question]]] = []
    for question in questions:
        group = question.path[0] if question.path else ""
        if not groups or groups[-1][0] != group:
            groups.append((group, []))
        groups[-1][1].append(question)
    next_id = 1
    for group, members in groups:
        group_id = str(next_id)
        next_id += 1
        for lang in langs:
            name = _label(form.groups.get(group, {}), lang, group or form.form_id)
            rows.append({"id": group_id, "class": "G", "name": name, "relevance": "1",
                         "language": lang})
        for question in members:
            question_id = str(next_id)
            next_id += 1
            kind = TYPES[question.type]
            choices = form.choices.get(question.list_name or "", [])
            for lang in langs:
                rows.append({"id": question_id, "class": "Q", "type/scale": kind,
                             "name": limesurvey_question_code(question.name), "relevance": "1",
                             "text": _label(question.labels, lang, question.name),
                             "language": lang, "mandatory": "Y" if question.required else "N",
                             "other": "N", "same_default": "0"})
                for position, choice in enumerate(choices, start=1):
                    label = _label(choice.labels, lang, choice.name)
                    if kind == "M":
                        rows.append({"class": "SQ", "name": limesurvey_question_code(
                            choice.name), "relevance": "1", "text": label, "language": lang})
                    else:
                        rows.append({"class": "A", "type/scale": "0", "name":
                                     limesurvey_answer_code(choice.name, position),
                                     "text": label, "language": lang})
    return rows


def structure_text(form: Form, title: str = "") -> str:
    """The structure file's text (tab-separated, one header row, UTF-8)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, delimiter="\t", lineterminator="\n",
                            restval="")
    writer.writeheader()
    for row in structure_rows(form, title):
        writer.writerow(row)
    return buffer.getvalue()


def read_structure(text: str) -> list[dict[str, str]]:
    """Parse a structure file back into rows (for checks and tests)."""
    return list(csv.DictReader(io.StringIO(text), delimiter="\t"))

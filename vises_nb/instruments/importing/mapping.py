"""Match an export's headers to the XLSForm's questions, and report what does not match.

A header can be a question's XML name, its group path joined by the tool's separator,
or its label in any language (Kobo "labels" exports); a select_multiple may add one
0/1 column per option. Every other header is either the tool's own meta column or a
column the form does not know, which is reported: nothing is dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vises_nb.instruments.forms import limesurvey_question_code
from vises_nb.instruments.importing.layout import Layout
from vises_nb.instruments.importing.values import comparable
from vises_nb.instruments.xlsform import OTHER, Form, Question

SPECIFY_OTHER = "specify other"  # pyxform's label of an `or_other` select's text question
GEO_PARTS = {"latitude", "longitude", "altitude", "accuracy", "precision"}


@dataclass(frozen=True)
class Column:
    index: int
    header: str
    kind: str  # question | option | meta | ignored | unknown
    question: Question | None = None
    option: str | None = None


def _key(text: str) -> str:
    return comparable(re.sub(r"[*#]{2,}", "", text))


class QuestionIndex:
    """Every way a question may be named in a header, for one form and one tool."""

    def __init__(self, form: Form, layout: Layout):
        self.form = form
        self.layout = layout
        self.others = any(c.name == OTHER for listed in form.choices.values() for c in listed)
        self.by_key: dict[str, Question] = {}
        for question in form.questions:
            for key in self._keys(question):
                self.by_key.setdefault(key, question)

    def _keys(self, question: Question) -> list[str]:
        keys = [question.name, limesurvey_question_code(question.name)]
        for sep in ("/", "-", "."):
            keys.append(sep.join((*question.path, question.name)))
        for lang, label in question.labels.items():
            keys.append(label)
            group_labels = [self.form.groups.get(g, {}).get(lang, g) for g in question.path]
            keys.append("/".join((*group_labels, label)))
        return [_key(k) for k in keys if k]

    def question(self, header: str) -> Question | None:
        found = self.by_key.get(_key(header))
        return found if found is not None else self._any_separator(header)

    def _any_separator(self, header: str) -> Question | None:
        """A question in groups whose path is joined by a separator the export's settings
        chose (Kobo lets one type any: `.`, ` > `...): its groups' names or labels, then
        its own, each followed by the same separator of 1 to 3 non-alphanumeric characters."""
        text = _key(header)
        for question in self.form.questions:
            if not question.path:
                continue
            spellings = [([*question.path], question.name)]
            for lang, label in question.labels.items():
                spellings.append(([self.form.groups.get(g, {}).get(lang, g)
                                   for g in question.path], label))
            for groups, leaf in spellings:
                if _joined(text, [_key(g) for g in groups], _key(leaf)):
                    return question
        return None

    def option(self, header: str) -> tuple[Question, str] | None:
        """(select_multiple question, choice name) for a one-column-per-option header."""
        limesurvey = re.fullmatch(r"(.+)\[(.+)\]", header.strip())
        splits = []
        if limesurvey:
            splits.append((limesurvey.group(1), limesurvey.group(2)))
        for sep in (*self.layout.separators, "/"):
            if sep in header:
                prefix, suffix = header.rsplit(sep, 1)
                splits.append((prefix, suffix))
        # any other separator typed in the export's settings (`.`, ` > `...), choice names
        # holding it or not (`aides.c.p.a.s`): every cut at 1 to 3 non-alphanumeric
        # characters, the question's shortest spelling first
        for start, char in enumerate(header):
            if char.isalnum():
                continue
            for size in (1, 2, 3):
                sep = header[start:start + size]
                if len(sep) == size and not any(c.isalnum() for c in sep):
                    splits.append((header[:start], header[start + size:]))
        for prefix, suffix in splits:
            question = self.question(prefix)
            if question is None or question.type != "select_multiple":
                continue
            for choice in self.form.choices.get(question.list_name or "", []):
                names = [choice.name, limesurvey_question_code(choice.name),
                         *choice.labels.values()]
                if any(_key(n) == _key(suffix) for n in names):
                    return question, choice.name
        return None

    def derived(self, header: str) -> bool:
        """Columns a tool derives from a question: geopoint parts, media URLs, `other` text
        (`<question>_other`, or in a labels export the label pyxform gives that text
        question, "Specify other.", under its groups' labels or alone)."""
        text = _key(header).rstrip(". ")
        if self.others and text.endswith(SPECIFY_OTHER) and (
                text == SPECIFY_OTHER or not text[-len(SPECIFY_OTHER) - 1].isalnum()):
            return True
        for sep in ("-", "_", "/"):
            if sep in header:
                prefix, suffix = header.rsplit(sep, 1)
                question = self.question(prefix.lstrip("_"))
                if question is None:
                    continue
                if question.type in ("geopoint", "start-geopoint") and suffix.lower() in GEO_PARTS:
                    return True
                if suffix.lower() in ("url", "other"):
                    return True
        return False


def _joined(text: str, groups: list[str], leaf: str) -> bool:
    """`text` is `groups` and `leaf` joined by one separator (1-3 non-alphanumeric chars)."""
    if not leaf or not text.endswith(leaf) or not groups or not text.startswith(groups[0]):
        return False
    for size in (1, 2, 3):
        sep = text[len(groups[0]):len(groups[0]) + size]
        if len(sep) == size and not any(c.isalnum() for c in sep) and \
                text == sep.join((*groups, leaf)):
            return True
    return False


def map_columns(headers: list[str], index: QuestionIndex, ignore: set[str]) -> list[Column]:
    columns = []
    for position, header in enumerate(headers):
        if not header:  # named by its position, as messages show it: --ignore-column '#4'
            kind = "ignored" if f"#{position + 1}" in ignore else "unknown"
            columns.append(Column(position, header, kind))
            continue
        question = index.question(header)
        if question is not None:
            columns.append(Column(position, header, "question", question))
            continue
        if index.layout.is_meta(header):
            columns.append(Column(position, header, "meta"))
            continue
        option = index.option(header)
        if option is not None:
            columns.append(Column(position, header, "option", option[0], option[1]))
            continue
        if index.derived(header) or header.strip().casefold() in ignore:
            columns.append(Column(position, header, "ignored"))
            continue
        columns.append(Column(position, header, "unknown"))
    return columns

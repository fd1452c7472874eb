"""Step 3 findings: per evaluative question, the accompanier's and the enterprise's reading
of its results — what changed, for whom, what it means, what they will do — written
beside the question's figures exactly as the step 3 report will publish them (through
disclosure control: withheld figures say so, with the question's n and limits).

Each reading is one `QuestionFinding` (one per question and author, see
`analysis.finding_needs.finding_id`) edited in a `FindingForm`: checked as typed (required,
at most 2,000 characters, counted as it will be stored), saved only on *Save* at the
revision read (a colleague's save meanwhile is refused, with an offer to reload that keeps
what was typed to copy), cleaned as every text is (`vises_nb.text.clean`, by the model),
and written through the store the workspace holds (the access layer when people sign in).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
import sqlalchemy as sa
from pydantic import BaseModel

from vises_nb import i18n
from vises_nb.analysis import disclosure, finding_needs, findings
from vises_nb.dashboards.confirm_delete import ConfirmedDelete
from vises_nb.dashboards.workspace.form import Field, RecordForm, _escape
from vises_nb.dashboards.workspace.verbatims import LANGUAGES
from vises_nb.errors import ConflictError, NotFoundError, Refused
from vises_nb.method import vocabulary as voc
from vises_nb.publishing import display as show
from vises_nb.store import model as m
from vises_nb.store.loading import EnterpriseData, load_enterprise
from vises_nb.store.schema import TABLES
from vises_nb.store.store import Store
from vises_nb.text import clean

AUTHORS = voc.FINDING_AUTHORS.codes
LIMIT = next(meta.max_length for meta in m.QuestionFinding.model_fields["text"].metadata
             if hasattr(meta, "max_length"))


def finding_fields(author: str) -> list[Field]:
    return [Field("text", "long", f"ws.finding.{author}", help_key="ws.finding.help"),
            Field("language", "choice", "ws.finding.language", LANGUAGES)]


def stored_length(text: str) -> int:
    """How many characters `text` will have once stored (cleaned and stripped as the
    model does), which is what the limit counts."""
    return len(clean(text).strip())


def published(data: EnterpriseData, lang: str, min_respondents: int = 5) -> list[dict]:
    """Each question's figures, limits and written findings as the step 3 report publishes
    them (the notebook's own calls: `disclosure.step3_publication`, then
    `findings.question_findings`)."""
    tables = disclosure.step3_publication(data.indicators, data.answers(), min_respondents)
    return findings.question_findings(data, tables.results, tables.changes, lang,
                                      min_respondents)


def needed_html(needed: bool, lang: str) -> str:
    """Says that step 3 cannot be completed before this question's finding is written."""
    return (f"<p class='vises-finding-needed-text' style='color:#8a6d3b'>"
            f"{_escape(i18n.t('ws.finding.needed', lang))}</p>") if needed else ""


def figures_html(finding: dict, lang: str) -> str:
    """The question's figures and their limits, as in the report."""
    return (show.table(findings.findings_table(finding, lang), lang).data
            + show.heading(i18n.t("limits.title", lang), 5).data
            + show.bullets(finding["limits"]).data)


def question_check(lang: str) -> Callable[[sa.Connection, BaseModel], dict[str, str]]:
    """The finding's question must still be one of its enterprise's (checked as typed and
    again in the saving transaction: a question removed meanwhile refuses the save)."""
    table = TABLES[m.EvaluativeQuestion]

    def check(conn: sa.Connection, record: BaseModel) -> dict[str, str]:
        found = conn.execute(sa.select(table.c.id).where(
            table.c.id == record.question_id,
            table.c.enterprise_id == record.enterprise_id)).first()
        return {} if found else {"text": i18n.t("ws.finding.question_gone", lang)}
    return check


class FindingForm(RecordForm):
    """One author's finding on one question: a RecordForm with a character count, the
    stored (cleaned) text shown back once saved, and what was typed kept to copy when a
    conflict is resolved by reloading the colleague's version."""

    def __init__(self, store: Store, lang: str, base: dict[str, Any], revision: int | None,
                 on_saved: Callable[[RecordForm], None] | None = None):
        author = base["author"]
        self.deleting = ConfirmedDelete(lang, "finding", self.delete, "ws.finding.delete")
        self.deleting.question = lambda: i18n.t("ws.finding.delete_ask", self.lang)
        super().__init__(store, m.QuestionFinding, finding_fields(author), lang, base,
                         revision, name=f"finding-{author}", on_saved=on_saved,
                         check=question_check(lang))
        self.box.add_class("vises-finding-form")
        self.inputs["text"].rows = 8  # room for a paragraph (the form's default is 3 lines)
        self.inputs["text"].layout.height = "auto"
        self.count = widgets.HTML(layout=widgets.Layout(margin="0 0 4px 208px"))
        self.count.add_class("vises-finding-count")
        self.kept = widgets.HTML()
        self.kept.add_class("vises-finding-kept")
        children = list(self.box.children)
        self.box.children = [children[0], self.count, *children[1:], self.deleting.box,
                             self.kept]
        self.inputs["text"].observe(lambda _c: self._count(), names="value")
        self._count()

    def _count(self) -> None:
        used = stored_length(self.inputs["text"].value)
        over = " style='color:#b2182b;font-weight:bold'" if used > LIMIT else ""
        self.count.value = (f"<span class='vises-help-text'{over}>"
                            f"{_escape(i18n.t('ws.finding.count', self.lang, used=used, limit=LIMIT))}"
                            "</span>")

    def load(self, base: dict[str, Any], revision: int | None) -> None:
        super().load(base, revision)
        self.deleting.offer(revision is not None)  # only a stored finding can be removed

    def save(self) -> bool:
        if not super().save():
            return False
        self.load(self.base, self.revision)  # the text as stored (cleaned, stripped)
        self.kept.value = ""
        return True

    def delete(self) -> bool:
        """Remove the stored finding (confirmed first, see `ConfirmedDelete`) at the
        revision loaded: one changed meanwhile is refused with an offer to reload."""
        if self.revision is None:
            return False
        try:
            self.store.delete(m.QuestionFinding, self.base["id"], self.revision)
        except (Refused, ConflictError, NotFoundError) as error:
            self.refused(error)
            return False
        self.load({**self.base, "text": ""}, None)
        self.kept.value = ""
        self._say("deleted", i18n.t("form.deleted", self.lang))
        if self.on_saved:
            self.on_saved(self)
        return True

    def reload(self) -> None:
        """Show the stored version (an empty one when it was removed meanwhile); what was
        typed and not saved stays below, to copy."""
        typed = self.inputs["text"].value if self.dirty else ""
        try:
            record, revision = self.store.get(m.QuestionFinding, self.base["id"])
        except NotFoundError:
            self.load({**self.base, "text": ""}, None)
        else:
            self.load(record.model_dump(), revision)
        self._say("reloaded", i18n.t("form.reloaded", self.lang))
        self.kept.value = "" if not typed.strip() else (
            f"<div class='vises-help-text'>{_escape(i18n.t('ws.finding.kept', self.lang))}"
            f"</div><pre class='vises-finding-typed' style='white-space:pre-wrap;"
            f"max-width:680px;border:1px solid #bbb;padding:4px'>{_escape(typed)}</pre>")


class QuestionFindings:
    """One question: its figures as published, beside the two authors' forms."""

    def __init__(self, panel: Findings, question_id: str, text: str):
        self.panel, self.question_id, self.text = panel, question_id, text
        lang = panel.lang
        self.title = widgets.HTML()
        self.needed = widgets.HTML()
        self.needed.add_class("vises-finding-needed")
        self.figures = widgets.HTML(layout=widgets.Layout(flex="1 1 420px", min_width="320px"))
        self.figures.add_class("vises-finding-figures")
        self.forms: dict[str, FindingForm] = {}
        forms = []
        for author in AUTHORS:
            base, revision = panel.base(question_id, author)
            form = FindingForm(panel.store, lang, base, revision,
                               on_saved=lambda _f: panel.saved())
            self.forms[author] = form
            forms.append(form.box)
        self.box = widgets.VBox([
            self.title, self.needed,
            widgets.HBox([self.figures, widgets.VBox(forms)],
                         layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start",
                                               grid_gap="16px"))])
        self.box.add_class("vises-finding-question")
        self.box.add_class("vises-finding-" + question_id.replace(".", "_"))
        self.show(text, None)

    @property
    def dirty(self) -> bool:
        return any(f.dirty for f in self.forms.values())

    def show(self, text: str, finding: dict | None, needed: bool = False) -> None:
        """The question's title and figures (`finding` None: the question was removed)."""
        lang, own = self.panel.lang, self.panel.language
        self.text = text
        self.title.value = (f"<h4 class='vises-finding-title'"
                            f"{'' if own == lang else f' lang={own!r}'}>{_escape(text)}</h4>")
        if finding is None:
            self.figures.value = (f"<p class='vises-finding-removed' style='color:#b2182b'>"
                                  f"{_escape(i18n.t('ws.finding.question_gone', lang))}</p>")
        else:
            self.figures.value = figures_html(finding, lang)
        self.needed.value = needed_html(needed, lang)


class Findings:
    """The findings of every evaluative question of one enterprise."""

    def __init__(self, store: Store, enterprise_id: str, lang: str,
                 on_change: Callable[[], None] | None = None):
        self.store, self.enterprise_id, self.lang = store, enterprise_id, lang
        self.on_change = on_change
        self.language = store.get(m.Enterprise, enterprise_id)[0].language
        self.questions: dict[str, QuestionFindings] = {}
        self.list = widgets.VBox()
        self.list.add_class("vises-findings")
        self.box = widgets.VBox([
            widgets.HTML(f"<p class='vises-help'>{_escape(i18n.t('ws.findings_help', lang))}"
                         "</p>"), self.list])
        self.refresh()

    @property
    def dirty(self) -> bool:
        return any(q.dirty for q in self.questions.values())

    def discard(self) -> None:
        for question in self.questions.values():
            for form in question.forms.values():
                form.discard()

    def _stored(self) -> dict[tuple[str, str], tuple[m.QuestionFinding, int]]:
        """(question, author) → the stored finding and its revision (the first by id when
        there are several)."""
        found: dict[tuple[str, str], tuple[m.QuestionFinding, int]] = {}
        for record in self.store.list(m.QuestionFinding, enterprise_id=self.enterprise_id):
            key = (record.question_id, record.author)
            if key not in found:
                found[key] = self.store.get(m.QuestionFinding, record.id)
        return found

    def base(self, question_id: str, author: str) -> tuple[dict[str, Any], int | None]:
        """What `author`'s form on a question starts from: the stored finding and its
        revision, or a new one in the enterprise's language."""
        record, revision = self.stored.get((question_id, author), (None, None))
        if record is not None:
            return record.model_dump(), revision
        return {"id": finding_needs.finding_id(self.enterprise_id, question_id, author),
                "enterprise_id": self.enterprise_id, "question_id": question_id,
                "author": author, "text": "", "language": self.language}, None

    def refresh(self) -> None:
        """Re-read the questions, their published figures and their findings. Forms holding
        unsaved text are kept as they are (a removed question's too, saying so)."""
        self.stored = self._stored()
        data = load_enterprise(self.store, self.enterprise_id)
        figures = {f["question_id"]: f for f in published(data, self.lang)}
        needed = {q for q, _t in finding_needs.questions_without_finding(data)}
        kept: dict[str, QuestionFindings] = {}
        for question_id, finding in figures.items():
            box = self.questions.get(question_id)
            if box is None:
                box = QuestionFindings(self, question_id, finding["question"])
            else:
                for author, form in box.forms.items():
                    if not form.dirty:  # as stored now (or a new one if it was removed)
                        form.load(*self.base(question_id, author))
            box.show(finding["question"], finding, question_id in needed)
            kept[question_id] = box
        for question_id, box in self.questions.items():
            if question_id not in kept and box.dirty:
                box.show(box.text, None)
                kept[question_id] = box
        self.questions = kept
        self.list.children = [b.box for b in kept.values()] or [widgets.HTML(
            f"<p class='vises-findings-none'>{_escape(i18n.t('ws.findings_none', self.lang))}"
            "</p>")]

    def mark_needed(self) -> None:
        """After a save: which questions still need a finding (cheap: no figures)."""
        needed = {q for q, _t in finding_needs.questions_without_finding(
            load_enterprise(self.store, self.enterprise_id))}
        for question_id, box in self.questions.items():
            box.needed.value = needed_html(question_id in needed, self.lang)

    def saved(self) -> None:
        self.mark_needed()
        if self.on_change:
            self.on_change()

    def target(self, question_id: str) -> widgets.Widget | None:
        box = self.questions.get(question_id)
        return None if box is None else box.box

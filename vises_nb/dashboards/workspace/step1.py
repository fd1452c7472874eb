"""Step 1 forms: identity card, stakeholders, impact chain, evaluative questions, methods,
research-action notes. Each returns the widget to show and the editors whose unsaved
changes the workspace must protect.
"""

from __future__ import annotations

import datetime as dt

import ipywidgets as widgets
import sqlalchemy as sa

from vises_nb import i18n
from vises_nb.analysis import chain_links as cl
from vises_nb.dashboards import shared_layouts as shared
from vises_nb.dashboards.workspace.form import Field, RecordForm
from vises_nb.dashboards.workspace.links import ChainLinks
from vises_nb.dashboards.workspace.records import Dependents, RecordList
from vises_nb.method import vocabulary as voc
from vises_nb.publishing import chain_diagram
from vises_nb.store import model as m
from vises_nb.store.store import Store

IDENTITY = [
    Field("name", "text", "identity.name"),
    Field("pole", "choice", "identity.pole", voc.POLES),
    Field("region", "choice", "identity.region", voc.REGIONS),
    Field("legal_form", "text", "identity.legal_form"),
    Field("sector", "text", "identity.sector"),
    Field("year_founded", "int", "identity.year_founded"),
    Field("fte", "float", "identity.fte", help_key="ws.help.fte"),
    Field("integration_workers", "int", "identity.integration_workers",
          help_key="ws.help.integration_workers"),
    Field("volunteers", "int", "identity.volunteers"),
    Field("budget_eur", "float", "identity.budget_eur", help_key="ws.help.budget"),
    Field("social_needs", "long", "identity.social_needs"),
    Field("aspirations", "long"),
    Field("missions", "long", "identity.missions"),
    Field("means", "long"),
    Field("activities", "long", "identity.activities"),
    Field("territory", "long", "identity.territory"),
    Field("governance", "long", "identity.governance"),
    Field("management", "long"),
    Field("production", "long"),
    Field("surplus_allocation", "long"),
]
STAKEHOLDER = [
    Field("category", "choice", "", voc.STAKEHOLDERS),
    Field("description", "long"),
    Field("involvement_step1", "optional", "", voc.INVOLVEMENT),
    Field("involvement_step2", "optional", "", voc.INVOLVEMENT),
    Field("involvement_step3", "optional", "", voc.INVOLVEMENT),
]
CHAIN_ELEMENT = [
    Field("level", "choice", "", voc.CHAIN_LEVELS),
    Field("label", "text", help_key="ws.help.chain_label"),
    Field("dimensions", "choices", "", voc.DIMENSIONS, "ws.help.chain_dimensions"),
    Field("stakeholders", "choices", "", voc.STAKEHOLDERS),
]
QUESTION = [
    Field("text", "long", "ws.field.question"),
    Field("purpose", "choice", "", voc.PURPOSES),
    Field("dimensions", "choices", "", voc.DIMENSIONS),
    Field("stakeholders", "choices", "", voc.STAKEHOLDERS),
    Field("involvement", "choice", "", voc.INVOLVEMENT, "ws.help.involvement"),
]
METHODS = [Field("methods", "choices", "", voc.METHODS)]
NOTE = [
    Field("step", "choice", "", voc.STEPS),
    Field("kind", "choice", "", voc.RESEARCH_NOTE_KINDS),
    Field("text", "long", "ws.field.note"),
    Field("author", "text"),
]


def identity_form(store: Store, enterprise_id: str, lang: str) -> RecordForm:
    """The enterprise's identity card (step 1.2) as a form."""
    record, revision = store.get(m.Enterprise, enterprise_id)
    return RecordForm(store, m.Enterprise, IDENTITY, lang, record.model_dump(), revision,
                      name="identity")


def stakeholders(store: Store, enterprise_id: str, lang: str) -> RecordList:
    def describe(r: m.Stakeholder) -> str:
        return voc.STAKEHOLDERS.label(r.category, lang) + (f" — {r.description[:50]}"
                                                           if r.description else "")
    return RecordList(store, m.Stakeholder, STAKEHOLDER, lang, enterprise_id, "stakeholders",
                      describe, defaults={"category": "workers"})


# An element with arrows is removed with them only after the user saw them named.
ELEMENT_LINKS = Dependents(find=cl.dependent_links, remove=cl.drop_links,
                           question_key="link.confirm_delete", confirm_key="link.confirm_button")


def chain(store: Store, enterprise_id: str, lang: str) -> RecordList:
    """The chain's elements. Moving one to a level that would turn one of its arrows
    backwards is refused beside the level field, naming those arrows."""
    def describe(r: m.ChainElement) -> str:
        return cl.describe_element(r, lang)

    def keep_arrows_forward(conn: sa.Connection, element: m.ChainElement) -> dict[str, str]:
        problem = cl.level_change_problem(conn, element, lang)
        return {"level": problem} if problem else {}

    return RecordList(store, m.ChainElement, CHAIN_ELEMENT, lang, enterprise_id, "chain",
                      describe, defaults={"level": "activity", "label": ""},
                      dependents=ELEMENT_LINKS, check=keep_arrows_forward)


def links(store: Store, enterprise_id: str, lang: str, elements: RecordList) -> ChainLinks:
    """The chain's arrows, re-read whenever an element is saved or removed."""
    editor = ChainLinks(store, enterprise_id, lang)
    elements.on_change = editor.refresh
    return editor


class ChainView:
    """The chain drawn as a diagram, redrawn whenever its elements or arrows change."""

    def __init__(self, store: Store, enterprise_id: str, lang: str, arrows: ChainLinks):
        self.store, self.enterprise_id, self.lang = store, enterprise_id, lang
        self.box = widgets.HTML()
        self.box.add_class("vises-chain")
        arrows.on_refresh = self.refresh
        self.refresh()

    def refresh(self) -> None:
        self.box.value = chain_diagram.frames_svg(
            self.store.frame("chain_elements", self.enterprise_id),
            self.store.frame("chain_links", self.enterprise_id), self.lang)


def questions(store: Store, enterprise_id: str, lang: str) -> RecordList:
    return RecordList(store, m.EvaluativeQuestion, QUESTION, lang, enterprise_id, "questions",
                      lambda r: r.text[:90], defaults={"text": "", "purpose": "improve",
                                                               "involvement": "consulted"})


def methods(store: Store, enterprise_id: str, lang: str) -> RecordList:
    """The data-collection methods chosen for each evaluative question."""
    def describe(r: m.EvaluativeQuestion) -> str:
        chosen = ", ".join(voc.METHODS.label(c, lang) for c in r.methods) or "—"
        return f"{r.text[:60]} → {chosen}"
    return RecordList(store, m.EvaluativeQuestion, METHODS, lang, enterprise_id, "methods",
                      describe, can_add=False)


def notes(store: Store, enterprise_id: str, lang: str) -> RecordList:
    def describe(r: m.ResearchNote) -> str:
        return (f"{i18n.t('step', lang)} {r.step} · "
                f"{voc.RESEARCH_NOTE_KINDS.label(r.kind, lang)} — {r.text[:60]}")
    return RecordList(store, m.ResearchNote, NOTE, lang, enterprise_id, "notes", describe,
                      defaults={"step": "1", "kind": "difficulty", "text": "",
                                "date": dt.date.today()})


def section(title: str, body: widgets.Widget, css: str) -> widgets.VBox:
    box = widgets.VBox([widgets.HTML(f"<h3>{title}</h3>", layout=shared.layout(),
                                     style=shared.html_style()), body])
    box.add_class(css)
    return box

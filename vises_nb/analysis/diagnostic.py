"""Step 1 views: identity card, impact chain, stakeholders, questions, completeness."""

from __future__ import annotations

import pandas as pd

from vises_nb import i18n
from vises_nb.analysis.privacy import mask_contacts
from vises_nb.method import vocabulary as voc
from vises_nb.store.loading import EnterpriseData

IDENTITY_FIELDS = ("name", "pole", "region", "legal_form", "sector", "year_founded", "fte",
                   "integration_workers", "volunteers", "budget_eur", "social_needs",
                   "missions", "activities", "territory", "governance")
CODED = {"pole": voc.POLES, "region": voc.REGIONS}


def identity_card(data: EnterpriseData, lang: str) -> pd.DataFrame:
    """The identity card as two columns (field, value), coded values in words."""
    enterprise = data.enterprise
    rows = []
    for name in IDENTITY_FIELDS:
        value = getattr(enterprise, name)
        if name in CODED:
            value = CODED[name].label(value, lang)
        elif name == "budget_eur" and value is not None:
            value = i18n.number(value, lang, digits=0) + " €"
        elif name == "fte" and value is not None:
            value = i18n.number(value, lang)
        elif value is None or value == "":
            value = "—"
        elif isinstance(value, str):
            value = mask_contacts(value)
        rows.append({i18n.t("field", lang): i18n.t(f"identity.{name}", lang),
                     i18n.t("value", lang): str(value)})
    return pd.DataFrame(rows)


def step_status(data: EnterpriseData, lang: str) -> pd.DataFrame:
    status = data.step_status.sort_values("step")
    return pd.DataFrame({
        i18n.t("step", lang): [voc.STEPS.label(s, lang) for s in status["step"]],
        i18n.t("status", lang): [voc.STEP_STATUSES.label(s, lang) for s in status["status"]],
        i18n.t("started_on", lang): [i18n.date(d, lang) if pd.notna(d) else "—"
                                     for d in status["started_on"]],
    })


def _labels(codes: list[str] | None, vocabulary: voc.Vocabulary, lang: str) -> str:
    return ", ".join(vocabulary.label(c, lang) for c in (codes or []))


def impact_chain(data: EnterpriseData, lang: str) -> pd.DataFrame:
    """The chain's elements in level order with their dimensions and stakeholders."""
    elements = data.chain_elements.copy()
    order = {code: i for i, code in enumerate(voc.CHAIN_LEVELS.codes)}
    elements["_order"] = elements["level"].map(order)
    elements = elements.sort_values(["_order", "id"])
    return pd.DataFrame({
        i18n.t("chain.level", lang): [voc.CHAIN_LEVELS.label(v, lang) for v in elements["level"]],
        i18n.t("chain.element", lang): elements["label"].tolist(),
        i18n.t("dimensions", lang): [_labels(v, voc.DIMENSIONS, lang)
                                     for v in elements["dimensions"]],
        i18n.t("stakeholders", lang): [_labels(v, voc.STAKEHOLDERS, lang)
                                       for v in elements["stakeholders"]],
    })


def stakeholder_map(data: EnterpriseData, lang: str) -> pd.DataFrame:
    frame = data.stakeholders

    def involvement(values: pd.Series) -> list[str]:
        return [voc.INVOLVEMENT.label(v, lang) if isinstance(v, str) else "—" for v in values]

    return pd.DataFrame({
        i18n.t("stakeholders", lang): [voc.STAKEHOLDERS.label(c, lang) for c in frame["category"]],
        i18n.t("step", lang) + " 1": involvement(frame["involvement_step1"]),
        i18n.t("step", lang) + " 2": involvement(frame["involvement_step2"]),
        i18n.t("step", lang) + " 3": involvement(frame["involvement_step3"]),
    })


def questions(data: EnterpriseData, lang: str) -> pd.DataFrame:
    frame = data.questions
    return pd.DataFrame({
        i18n.t("question", lang): frame["text"].tolist(),
        i18n.t("purpose", lang): [voc.PURPOSES.label(p, lang) for p in frame["purpose"]],
        i18n.t("dimensions", lang): [_labels(v, voc.DIMENSIONS, lang) for v in frame["dimensions"]],
        i18n.t("methods", lang): [_labels(v, voc.METHODS, lang) for v in frame["methods"]],
    })


def methods_chosen(data: EnterpriseData, lang: str) -> pd.DataFrame:
    """Each data-collection method chosen, with the evaluative questions it serves."""
    frame = data.questions[["text", "methods"]].explode("methods").dropna(subset=["methods"])
    rows = []
    for code in voc.METHODS.codes:
        texts = frame.loc[frame["methods"] == code, "text"].tolist()
        if texts:
            rows.append({i18n.t("method", lang): voc.METHODS.label(code, lang),
                         i18n.t("questions.served", lang): " · ".join(texts)})
    return pd.DataFrame(rows)


def completeness(data: EnterpriseData, lang: str) -> list[str]:
    """What is still missing before step 2: the accompanier's to-do (empty when ready)."""
    todo = []
    enterprise = data.enterprise
    for name in ("legal_form", "sector", "social_needs", "missions", "activities", "territory"):
        if not getattr(enterprise, name):
            todo.append(i18n.t("todo.identity_field", lang,
                               field=i18n.t(f"identity.{name}", lang)))
    levels = set(data.chain_elements["level"])
    for level in voc.CHAIN_LEVELS.codes:
        if level not in levels:
            todo.append(i18n.t("todo.chain_level", lang,
                               level=voc.CHAIN_LEVELS.label(level, lang)))
    for element in data.chain_elements.itertuples(index=False):
        if not len(element.dimensions):
            todo.append(i18n.t("todo.chain_dimensions", lang, element=element.label))
    if data.stakeholders.empty:
        todo.append(i18n.t("todo.stakeholders", lang))
    elif data.stakeholders["involvement_step2"].isna().all():
        todo.append(i18n.t("todo.involvement_step2", lang))
    if data.questions.empty:
        todo.append(i18n.t("todo.question", lang))
    else:
        without_methods = data.questions[data.questions["methods"].map(len) == 0]
        for text in without_methods["text"]:
            todo.append(i18n.t("todo.methods", lang, question=text))
        without_people = data.questions[data.questions["stakeholders"].map(len) == 0]
        for text in without_people["text"]:
            todo.append(i18n.t("todo.question_stakeholders", lang, question=text))
    return todo

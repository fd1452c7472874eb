"""Where an enterprise stands and the next things to do, each tied to the form where it is
done (a workspace tab and a section of it), e.g. "2 indicators have no evaluative question
→ Step 2, indicator plan". Pure function of the enterprise's data.
"""

from __future__ import annotations

from dataclasses import dataclass

from vises_nb import i18n
from vises_nb.analysis import collection, diagnostic, finding_needs, steps
from vises_nb.method import vocabulary as voc
from vises_nb.store.loading import EnterpriseData

# where each form lives: (tab of the workspace, section class suffix, message of its name)
PLACES = {
    "steps": (0, "steps", "steps.title"),
    "identity": (1, "identity", "identity.title"),
    "stakeholders": (1, "stakeholders", "stakeholders"),
    "chain": (1, "chain", "ws.chain"),
    "questions": (1, "questions", "ws.questions"),
    "methods": (1, "methods", "methods"),
    "plan": (2, "plan", "plan.title"),
    "files": (2, "files", "ws.collect_files"),
    "verbatims": (3, "verbatims", "ws.verbatims"),
    "findings": (3, "findings", "ws.findings"),
    "results": (3, "results", "ws.results"),
}


@dataclass(frozen=True)
class Action:
    text: str  # what to do, in words
    place: str  # a key of PLACES
    target: str = ""  # the record the form opens on (a question's finding), if any

    @property
    def tab(self) -> int:
        return PLACES[self.place][0]

    @property
    def section(self) -> str:
        return f"vises-section-{PLACES[self.place][1]}"

    def where(self, lang: str) -> str:
        tab, _css, key = PLACES[self.place]
        name = i18n.t(key, lang)
        if tab == 0:
            return name
        return i18n.t("next.where", lang, step=tab, place=name)


def current_step(data: EnterpriseData) -> str | None:
    """The first step not completed (None when all three are)."""
    status = dict(zip(data.step_status["step"], data.step_status["status"]))
    return next((s for s in voc.STEPS.codes if status.get(s) != "done"), None)


def standing(data: EnterpriseData, lang: str) -> str:
    """One sentence: which step the enterprise is at, and its status."""
    step = current_step(data)
    if step is None:
        return i18n.t("next.all_done", lang)
    status = dict(zip(data.step_status["step"], data.step_status["status"])).get(
        step, "not_started")
    return i18n.t("next.standing", lang, step=voc.STEPS.label(step, lang),
                  status=voc.STEP_STATUSES.label(status, lang).lower())


def _step1(data: EnterpriseData, lang: str) -> list[Action]:
    found = []
    enterprise = data.enterprise
    empty = [n for n in ("legal_form", "sector", "social_needs", "missions", "activities",
                         "territory") if not getattr(enterprise, n)]
    if empty:
        found.append(Action(i18n.t("next.identity", lang, count=len(empty)), "identity"))
    if data.stakeholders.empty or data.stakeholders["involvement_step2"].isna().all():
        found.append(Action(i18n.t("next.stakeholders", lang), "stakeholders"))
    levels = set(data.chain_elements["level"])
    missing = [voc.CHAIN_LEVELS.label(c, lang) for c in voc.CHAIN_LEVELS.codes
               if c not in levels]
    if missing:
        found.append(Action(i18n.t("next.chain_levels", lang, levels=", ".join(missing)),
                            "chain"))
    bare = int((data.chain_elements["dimensions"].map(len) == 0).sum()) \
        if not data.chain_elements.empty else 0
    if bare:
        found.append(Action(i18n.t("next.chain_dimensions", lang, count=bare), "chain"))
    if len(data.chain_elements) > 1 and data.chain_links.empty:
        found.append(Action(i18n.t("next.chain_arrows", lang), "chain"))
    if data.questions.empty:
        found.append(Action(i18n.t("next.question", lang), "questions"))
    else:
        no_methods = int((data.questions["methods"].map(len) == 0).sum())
        if no_methods:
            found.append(Action(i18n.t("next.methods", lang, count=no_methods), "methods"))
        no_people = int((data.questions["stakeholders"].map(len) == 0).sum())
        if no_people:
            found.append(Action(i18n.t("next.question_stakeholders", lang, count=no_people),
                                "questions"))
    return found


def _step2(data: EnterpriseData, lang: str) -> list[Action]:
    found = []
    if data.indicators.empty:
        return [Action(i18n.t("next.indicator", lang), "plan")]
    known = set(data.questions["id"])
    orphans = int(sum(1 for q in data.indicators["question_id"]
                      if not isinstance(q, str) or q not in known))
    if orphans:
        found.append(Action(i18n.t("next.indicator_question", lang, count=orphans), "plan"))
    without = collection.indicators_without_data(data, lang)
    if without:
        found.append(Action(i18n.t("next.indicator_data", lang, count=len(without)), "files"))
    return found


def _step3(data: EnterpriseData, lang: str) -> list[Action]:
    found = []
    excerpts = data.excerpts
    if excerpts.empty:
        found.append(Action(i18n.t("next.verbatims_none", lang), "verbatims"))
    elif not excerpts["publishable"].astype(bool).any():
        found.append(Action(i18n.t("next.verbatims_publishable", lang, count=len(excerpts)),
                            "verbatims"))
    for question_id, text in finding_needs.questions_without_finding(data):
        found.append(Action(i18n.t("next.finding", lang, question=finding_needs.short(text)),
                            "findings", question_id))
    return found or [Action(i18n.t("next.report", lang), "results")]


def next_actions(data: EnterpriseData, lang: str, limit: int = 6) -> list[Action]:
    """The next things to do at the enterprise's current step, most basic first; when the
    step's check passes, marking it completed comes first."""
    step = current_step(data)
    if step is None:
        return [Action(i18n.t("next.report", lang), "results")]
    todo = {"1": _step1, "2": _step2, "3": _step3}[step](data, lang)
    if not steps.step_problems(data, step, lang):
        todo.insert(0, Action(i18n.t("next.complete_step", lang,
                                     step=voc.STEPS.label(step, lang)), "steps"))
    elif step != "1" and diagnostic.completeness(data, lang):
        todo = _step1(data, lang) + todo
    return todo[:limit]

"""Step 2: the indicator plan (picked from the catalogue by pole and dimension, or defined
by hand) and the data-quality summary of what has been collected.
"""

from __future__ import annotations

import ipywidgets as widgets

from vises_nb import i18n
from vises_nb.analysis import collection
from vises_nb.dashboards.field_messages import error_html
from vises_nb.dashboards.workspace.form import Field, _escape
from vises_nb.dashboards.workspace.records import RecordList, listbox
from vises_nb.errors import VisesError
from vises_nb.instruments.catalogue_items import items_to_reuse
from vises_nb.method import vocabulary as voc
from vises_nb.method.catalogue import BY_CODE, CATALOGUE, CatalogueIndicator
from vises_nb.publishing import display as show
from vises_nb.store import model as m
from vises_nb.store.loading import EnterpriseData, load_enterprise
from vises_nb.store.store import Store

BREAKDOWNS = voc.Vocabulary("breakdown", [
    voc.Term(code, *(i18n.t(f"plan.breakdown.{code}", lang) for lang in ("fr", "nl", "en")))
    for code in ("sex", "age_band")
])
INDICATOR = [
    Field("code", "text", help_key="ws.help.indicator_code"),
    Field("name", "text", "ws.field.indicator_name"),
    Field("level", "choice", "indicator.level", voc.INDICATOR_LEVELS),
    Field("nature", "choice", "indicator.nature", voc.INDICATOR_NATURES),
    Field("dimension", "choice", "dimension", voc.DIMENSIONS),
    Field("unit", "text", "indicator.unit"),
    Field("source", "text"),
    Field("baseline", "float", help_key="ws.help.baseline"),
    Field("target", "float", help_key="ws.help.target"),
    Field("population", "int", help_key="ws.help.population"),
    Field("breakdowns", "choices", "ws.field.breakdowns", BREAKDOWNS, "ws.help.breakdowns"),
    Field("polarity", "choice", "indicator.polarity", voc.POLARITIES),
]


def question_vocabulary(store: Store, enterprise_id: str, lang: str) -> voc.Vocabulary:
    """The enterprise's evaluative questions as choices (a question an indicator still
    names after it was removed stays choosable, marked as removed, so nothing is lost)."""
    terms = [voc.Term(q.id, q.text, q.text, q.text)
             for q in store.list(m.EvaluativeQuestion, enterprise_id=enterprise_id)]
    known = {t.code for t in terms}
    gone = i18n.t("ws.question_removed", lang)
    for indicator in store.list(m.Indicator, enterprise_id=enterprise_id):
        if indicator.question_id and indicator.question_id not in known:
            known.add(indicator.question_id)
            terms.append(voc.Term(indicator.question_id, *[f"{gone} ({indicator.question_id})"]
                                  * 3))
    return voc.Vocabulary("question", terms)


def indicator_fields(questions: voc.Vocabulary) -> list[Field]:
    """The indicator form: the question it answers first, then the plan's fields."""
    return [Field("question_id", "optional", "ws.field.question_id", questions,
                  "ws.help.question_id"), *INDICATOR]
ALL = "__all__"


def catalogue_choices(pole: str, dimension: str, lang: str) -> list[tuple[str, str]]:
    """Catalogue indicators suited to a pole and (unless ALL) a dimension, as options."""
    return [(f"{c.name[lang]} ({voc.DIMENSIONS.label(c.dimension, lang)})", c.code)
            for c in CATALOGUE if pole in c.poles and dimension in (ALL, c.dimension)]


def add_from_catalogue(store: Store, enterprise_id: str, code: str, lang: str,
                       question_id: str | None = None) -> m.Indicator:
    """Add a catalogue indicator and its items (in a questionnaire) to the enterprise's plan,
    attached to the evaluative question it helps answer.

    A catalogue item whose code the enterprise already has is that item when it is the
    same question on the same scale, else the indicator is refused
    (`catalogue_items.items_to_reuse`): one enterprise never holds two items of one code.

    Raises ConflictError when the enterprise already has it, VisesError when an item's
    code is taken by another question; nothing is stored then.
    """
    entry: CatalogueIndicator = BY_CODE[code]
    indicator = m.Indicator(
        id=f"{enterprise_id}-ind-{code}", enterprise_id=enterprise_id, code=code,
        question_id=question_id,
        name=entry.name[lang], level=entry.level, nature=entry.nature,
        dimension=entry.dimension, unit=entry.unit[lang], source=entry.source)
    reused = items_to_reuse(store, enterprise_id, entry, indicator.id, lang)
    instruments = [i for i in store.list(m.Instrument, enterprise_id=enterprise_id)
                   if i.method == "questionnaire"]
    with store.transaction() as writer:
        writer.save(indicator)
        if instruments:
            instrument = instruments[0]
        else:
            instrument = m.Instrument(id=f"{enterprise_id}-questionnaire",
                                      enterprise_id=enterprise_id,
                                      name=voc.METHODS.label("questionnaire", lang),
                                      method="questionnaire")
            writer.save(instrument)
        for item in entry.items:
            if item.code in reused:
                own = reused[item.code]
                revision = store.get(m.Item, own.id)[1]
                writer.save(own.model_copy(update={"indicator_id": indicator.id}), revision)
                continue
            writer.save(m.Item(id=f"{indicator.id}-{item.code}", enterprise_id=enterprise_id,
                               instrument_id=instrument.id, indicator_id=indicator.id,
                               code=item.code, text=item.text[lang], scale=item.scale,
                               reverse=item.reverse))
    return indicator


class IndicatorPlan:
    """The plan table, a catalogue picker and a form to define or edit an indicator."""

    def __init__(self, store: Store, enterprise_id: str, lang: str,
                 data: EnterpriseData | None = None):
        self.store, self.enterprise_id, self.lang = store, enterprise_id, lang
        enterprise = store.get(m.Enterprise, enterprise_id)[0]
        self.table = widgets.HTML()
        self.table.add_class("vises-plan")
        self.pole = widgets.Dropdown(options=[(t.label(lang), t.code) for t in voc.POLES],
                                     value=enterprise.pole, description=i18n.t("pole", lang))
        self.pole.add_class("vises-catalogue-pole")
        self.dimension = widgets.Dropdown(
            options=[(i18n.t("ws.all", lang), ALL)] + [(t.label(lang), t.code)
                                                      for t in voc.DIMENSIONS],
            value=ALL, description=i18n.t("dimension", lang))
        self.dimension.add_class("vises-catalogue-dimension")
        self.catalogue = listbox(i18n.t("ws.list.catalogue", lang), rows=4)
        self.catalogue.add_class("vises-catalogue")
        self.question = widgets.Dropdown(description=i18n.t("ws.field.question_id", lang),
                                         layout=widgets.Layout(width="480px"),
                                         style={"description_width": "200px"})
        self.question.add_class("vises-catalogue-question")
        self.add = widgets.Button(description=i18n.t("ws.add_indicator", lang), icon="plus")
        self.add.add_class("vises-catalogue-add")
        self.message = widgets.HTML()
        self.message.add_class("vises-catalogue-message")
        self.questions = question_vocabulary(store, enterprise_id, lang)
        self.editor = RecordList(store, m.Indicator, indicator_fields(self.questions), lang,
                                 enterprise_id,
                                 "indicators", lambda r: f"{r.name} ({r.code})",
                                 defaults={"code": "", "name": "", "level": "outcome",
                                           "nature": "quantitative", "dimension": "social"},
                                 on_change=lambda: self.refresh())
        self.pole.observe(lambda _c: self._filter(), names="value")
        self.dimension.observe(lambda _c: self._filter(), names="value")
        self.add.on_click(lambda _b: self.pick())
        self._filter()
        self._question_choices()
        self.refresh(data)
        self.box = widgets.VBox([
            self.table,
            widgets.HTML(f"<h4>{_escape(i18n.t('ws.from_catalogue', lang))}</h4>"),
            widgets.HBox([self.pole, self.dimension]), self.catalogue, self.question, self.add,
            self.message,
            widgets.HTML(f"<h4>{_escape(i18n.t('ws.define_indicator', lang))}</h4>"),
            self.editor.box])

    @property
    def dirty(self) -> bool:
        return self.editor.dirty

    def _filter(self) -> None:
        self.catalogue.options = catalogue_choices(self.pole.value, self.dimension.value,
                                                   self.lang)

    def _question_choices(self) -> None:
        self.question.options = [("—", None)] + [(t.fr, t.code) for t in self.questions]

    def update_questions(self) -> None:
        """Offer the questions as stored now (one was added or edited in step 1)."""
        self.questions = question_vocabulary(self.store, self.enterprise_id, self.lang)
        chosen = self.question.value
        self._question_choices()
        self.question.value = chosen if chosen in self.questions else None
        widget = self.editor.form.inputs["question_id"]
        value = widget.value
        widget.options = [("—", None)] + [(t.fr, t.code) for t in self.questions]
        widget.value = value if value in self.questions else None
        self.refresh()

    def refresh(self, data: EnterpriseData | None = None) -> None:
        """Redraw the plan table (from `data` when the caller has just loaded it)."""
        data = data or load_enterprise(self.store, self.enterprise_id)
        self.table.value = show.table(collection.indicator_plan(data, self.lang), self.lang).data

    def pick(self) -> bool:
        code = self.catalogue.value
        if code is None:
            return False
        known = {i.code for i in self.store.list(m.Indicator, enterprise_id=self.enterprise_id)}
        name = BY_CODE[code].name[self.lang]
        if code in known:
            self.message.value = _escape(i18n.t("ws.already_in_plan", self.lang, name=name))
            return False
        if self.question.value is None:
            self.message.value = error_html(i18n.t("ws.pick_question", self.lang, name=name))
            return False
        try:
            added = add_from_catalogue(self.store, self.enterprise_id, code, self.lang,
                                       self.question.value)
        except VisesError as refused:  # an item code taken by another question
            self.message.value = error_html(refused.message(self.lang))
            return False
        self.message.value = _escape(i18n.t("ws.added", self.lang, name=name))
        self.editor.refresh()
        self.editor.choose(added.id)  # baseline, target, breakdowns are set next
        self.refresh()
        return True


def quality(data: EnterpriseData, lang: str) -> widgets.HTML:
    """Response rates per wave, warnings and missing answers per item."""
    parts = [show.table(collection.wave_table(collection.wave_summary(data), lang), lang).data,
             f"<h4>{_escape(i18n.t('warnings.title', lang))}</h4>",
             show.bullets(collection.quality_warnings(data, lang),
                          i18n.t("nothing_to_report", lang)).data,
             f"<h4>{_escape(i18n.t('ws.missing_answers', lang))}</h4>",
             show.table(collection.missing_table(collection.item_missing(data), lang),
                        lang).data,
             f"<h4>{_escape(i18n.t('cleaning.title', lang))}</h4>",
             show.paragraph(i18n.t("cleaning.note", lang,
                                   count=collection.cleaning_count(data)), "note").data,
             show.table(collection.cleaning_table(data, lang), lang).data]
    box = widgets.HTML("".join(parts))
    box.add_class("vises-quality")
    return box

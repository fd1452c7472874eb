"""Step 3 verbatims: code each excerpt (dimension, indicator, wave), mark it publishable,
and see exactly what the step 3 report will show (publishable ones only, contacts masked).
"""

from __future__ import annotations

import ipywidgets as widgets

from vises_nb import i18n
from vises_nb.analysis.findings import verbatims_by_dimension
from vises_nb.dashboards.workspace.form import Field, _escape
from vises_nb.dashboards.workspace.records import RecordList
from vises_nb.method import vocabulary as voc
from vises_nb.publishing import display as show
from vises_nb.store import model as m
from vises_nb.store.loading import load_enterprise
from vises_nb.store.store import Store

LANGUAGES = voc.Vocabulary("language", [
    voc.Term(code, *(i18n.t(f"ws.language.{code}", lang) for lang in ("fr", "nl", "en")))
    for code in ("fr", "nl", "en")])


def indicator_vocabulary(store: Store, enterprise_id: str) -> voc.Vocabulary:
    return voc.Vocabulary("indicator", [
        voc.Term(i.id, i.name, i.name, i.name)
        for i in store.list(m.Indicator, enterprise_id=enterprise_id)])


def excerpt_fields(indicators: voc.Vocabulary) -> list[Field]:
    return [
        Field("text", "long", "ws.field.verbatim", help_key="ws.help.verbatim"),
        Field("dimension", "choice", "dimension", voc.DIMENSIONS),
        Field("indicator_id", "optional", "indicator", indicators),
        Field("wave_code", "optional", "wave", voc.WAVES),
        Field("language", "choice", "ws.field.verbatim_language", LANGUAGES),
        Field("publishable", "bool", "ws.field.publishable", help_key="ws.help.publishable"),
    ]


def describe(record: m.Excerpt, lang: str) -> str:
    mark = "✓ " if record.publishable else "· "
    text = record.text if len(record.text) <= 70 else record.text[:69] + "…"
    return f"{mark}{voc.DIMENSIONS.label(record.dimension, lang)} — {text}"


def preview_html(store: Store, enterprise_id: str, lang: str) -> str:
    """The verbatims as the step 3 report will show them, grouped by dimension."""
    groups = verbatims_by_dimension(load_enterprise(store, enterprise_id), lang)
    if not groups:
        return show.paragraph(i18n.t("verbatims.none", lang), "empty").data
    return "".join(show.heading(dimension, 4).data + "".join(show.quote(t).data for t in texts)
                   for dimension, texts in groups)


class Verbatims:
    """The excerpts' list and form, and the preview of what will be published."""

    def __init__(self, store: Store, enterprise_id: str, lang: str):
        self.store, self.enterprise_id, self.lang = store, enterprise_id, lang
        language = store.get(m.Enterprise, enterprise_id)[0].language
        self.editor = RecordList(
            store, m.Excerpt, excerpt_fields(indicator_vocabulary(store, enterprise_id)), lang,
            enterprise_id, "verbatims", lambda r: describe(r, lang),
            defaults={"text": "", "dimension": "social", "language": language,
                      "publishable": False},
            on_change=self.refresh,
            check=lambda _conn, r: {} if r.text.strip() else {
                "text": i18n.t("form.error.required", lang)})
        self.preview = widgets.HTML()
        self.preview.add_class("vises-verbatims-preview")
        self.box = widgets.VBox([
            widgets.HTML(f"<p class='vises-help'>{_escape(i18n.t('ws.verbatims_help', lang))}"
                         "</p>"),
            self.editor.box,
            widgets.HTML(f"<h4>{_escape(i18n.t('ws.verbatims_published', lang))}</h4>"),
            self.preview])
        self.refresh()

    @property
    def dirty(self) -> bool:
        return self.editor.dirty

    @property
    def form(self):
        return self.editor.form

    def refresh(self) -> None:
        self.preview.value = preview_html(self.store, self.enterprise_id, self.lang)

"""The accompanier's workspace: choose an enterprise one follows, see its status and to-do,
fill the step 1 and step 2 forms, see step 3 results and generate the report.

Switching accompanier, enterprise or language rebuilds the forms, so it is refused while
any form holds unsaved changes (with a warning and a button to discard them).
"""

from __future__ import annotations

import ipywidgets as widgets
from IPython.display import display

from vises_nb import i18n
from vises_nb.analysis import diagnostic
from vises_nb.dashboards import access
from vises_nb.dashboards.workspace import collect, step1, step2, step3
from vises_nb.dashboards.workspace.form import _escape
from vises_nb.errors import AccessError
from vises_nb.publishing import display as show
from vises_nb.store import model as m
from vises_nb.store.loading import TABLES, EnterpriseData
from vises_nb.store.store import Store, normalise_url


def followed(store: Store, accompanier_id: str) -> list[tuple[str, str]]:
    """(label, id) of the enterprises an accompanier follows, sorted by id."""
    return [(f"{e.id} — {e.name}", e.id)
            for e in store.list(m.Enterprise, accompanier_id=accompanier_id)]


def load(store: Store, enterprise_id: str) -> EnterpriseData:
    """An enterprise's data for the forms' views (no data hash: nothing is published here)."""
    enterprise = store.require_enterprise(enterprise_id)
    return EnterpriseData(enterprise, {name: store.frame(name, enterprise_id) for name in TABLES})


def history_html(store: Store, enterprise_id: str, lang: str) -> str:
    """'changed by ... on ...' for the enterprise's latest changes (accounts only: without
    them nobody is named)."""
    if not isinstance(store, access.GuardedStore):
        return ""
    items = [i18n.t("ws.changed_by", lang, who=c["changed_by"],
                    when=c["changed_at"].strftime("%Y-%m-%d %H:%M"),
                    what=f"{c['table_name']} {c['record_key']}")
             for c in store.history(enterprise_id)]
    return (show.heading(i18n.t("ws.history", lang), 3).data
            + f"<div class='vises-history'>{show.bullets(items, i18n.t('ws.no_history', lang)).data}"
            + "</div>")


def status_html(data: EnterpriseData, lang: str, store: Store | None = None) -> str:
    parts = [
        show.heading(data.enterprise.name, 2).data,
        show.heading(i18n.t("status.title", lang), 3).data,
        show.table(diagnostic.step_status(data, lang), lang).data,
        show.heading(i18n.t("todo.title", lang), 3).data,
        show.bullets(diagnostic.completeness(data, lang), i18n.t("nothing_to_report", lang)).data,
    ]
    if store is not None:
        parts.append(history_html(store, data.enterprise.id, lang))
    return "".join(parts)


class Workspace:
    """The whole dashboard; `box` is what the notebook shows."""

    def __init__(self, store_url: str = "", lang: str = "fr"):
        self.store_url = normalise_url(store_url)
        self.store = access.open_store(self.store_url)  # guarded when people sign in
        self.lang = lang
        self.editors: list = []
        self.accompanier = widgets.Dropdown(layout=widgets.Layout(width="420px"))
        self.accompanier.add_class("vises-accompanier")
        self.enterprise = widgets.Dropdown(layout=widgets.Layout(width="520px"))
        self.enterprise.add_class("vises-enterprise")
        self.language = widgets.ToggleButtons(options=list(i18n.available_languages()),
                                              value=lang, style={"button_width": "48px"})
        self.language.add_class("vises-language")
        self.warning = widgets.HTML()
        self.warning.add_class("vises-warning")
        self.discard = widgets.Button(layout=widgets.Layout(display="none"))
        self.discard.add_class("vises-discard")
        self.discard.on_click(lambda _b: self.discard_all())
        self.body = widgets.VBox()
        self.body.add_class("vises-workspace")
        self._previous = {"accompanier": None, "enterprise": None, "language": lang}
        self._guard = False
        try:
            accompaniers = self.store.list(m.Accompanier)
        except AccessError:  # refused and logged: nothing of the store shown
            accompaniers = []
        self._guard = True
        self.accompanier.options = [(f"{a.name} ({a.federation})", a.id) for a in accompaniers]
        self.accompanier.value = accompaniers[0].id if accompaniers else None
        self._fill_enterprises()
        self._guard = False
        self._remember()
        self.accompanier.observe(lambda c: self._switch("accompanier", c), names="value")
        self.enterprise.observe(lambda c: self._switch("enterprise", c), names="value")
        self.language.observe(lambda c: self._switch("language", c), names="value")
        self.box = widgets.VBox([
            widgets.HBox([self.accompanier, self.enterprise, self.language]),
            widgets.HBox([self.warning, self.discard]), self.body])
        self.render()

    # ------------------------------------------------------------- guard
    @property
    def dirty(self) -> bool:
        return any(e.dirty for e in self.editors)

    def _remember(self) -> None:
        self._previous = {"accompanier": self.accompanier.value,
                          "enterprise": self.enterprise.value, "language": self.language.value}

    def _switch(self, what: str, change: dict) -> None:
        """Rebuild for the new choice, or put the old one back if work would be lost."""
        if self._guard:
            return
        if self.dirty:
            self._guard = True
            try:
                getattr(self, what).value = self._previous[what]
                if what == "accompanier":
                    self.enterprise.value = self._previous["enterprise"]
            finally:
                self._guard = False
            self.warning.value = ("<b class='vises-warning-text' style='color:#b2182b'>"
                                  f"{_escape(i18n.t('ws.unsaved_switch', self.lang))}</b>")
            self.discard.description = i18n.t("ws.discard", self.lang)
            self.discard.layout.display = ""
            return
        if what == "accompanier":
            self._guard = True
            self._fill_enterprises()
            self._guard = False
        self.lang = self.language.value
        self._remember()
        self.render()

    def _fill_enterprises(self) -> None:
        options = followed(self.store, self.accompanier.value) if self.accompanier.value else []
        self.enterprise.options = options
        self.enterprise.value = options[0][1] if options else None

    def discard_all(self) -> None:
        for editor in self.editors:
            form = getattr(editor, "form", editor)
            if hasattr(form, "discard"):
                form.discard()
            if hasattr(editor, "editor"):
                editor.editor.form.discard()
        self.warning.value = ""
        self.discard.layout.display = "none"

    # ------------------------------------------------------------- content
    def render(self) -> None:
        """Build every tab for the chosen enterprise in the chosen language."""
        lang = self.lang
        self.accompanier.description = i18n.t("ws.accompanier", lang)
        self.enterprise.description = i18n.t("enterprise", lang)
        self.warning.value = ""
        self.discard.layout.display = "none"
        enterprise_id = self.enterprise.value
        if enterprise_id is None:
            self.editors = []
            self.body.children = [widgets.HTML(_escape(i18n.t("no_data", lang)))]
            return
        try:
            data = load(self.store, enterprise_id)  # refused (and logged) if not theirs
            status = status_html(data, lang, self.store)
        except AccessError as refused:
            self.editors = []
            self.body.children = [widgets.HTML(
                f"<b class='vises-refused' style='color:#b2182b'>{_escape(refused.message(lang))}</b>")]
            return
        self.editors = []
        self.status = widgets.HTML(status)
        self.status.add_class("vises-card")
        self.step3 = widgets.VBox([widgets.Button(description=i18n.t("ws.show_results", lang))])
        self.step3.children[0].add_class("vises-show-results")
        self.step3.children[0].on_click(lambda _b: self._show_results())
        self.builders = {1: self._step1, 2: lambda: self._step2(data)}
        self.tabs = widgets.Tab(children=[self.status, widgets.VBox(), widgets.VBox(),
                                          self.step3])
        for i, key in enumerate(("status.title", "ws.step1", "ws.step2", "ws.step3")):
            self.tabs.set_title(i, i18n.t(key, lang))
        self.tabs.add_class("vises-tabs")
        self.tabs.observe(self._tab_changed, names="selected_index")
        self.body.children = [self.tabs]

    def _step1(self) -> widgets.Widget:
        """The step 1 forms (built when their tab is first opened: hundreds of widgets)."""
        store, enterprise_id, lang = self.store, self.enterprise.value, self.lang
        identity = step1.identity_form(store, enterprise_id, lang)
        identity.on_saved = lambda _f: self._refresh_status()
        lists = {
            "stakeholders": step1.stakeholders(store, enterprise_id, lang),
            "chain": step1.chain(store, enterprise_id, lang),
            "questions": step1.questions(store, enterprise_id, lang),
            "methods": step1.methods(store, enterprise_id, lang),
            "notes": step1.notes(store, enterprise_id, lang),
        }
        arrows = step1.links(store, enterprise_id, lang, lists["chain"])
        self.editors += [identity, *lists.values(), arrows]
        return widgets.VBox([
            step1.section(i18n.t("identity.title", lang), identity.box, "vises-section-identity"),
            step1.section(i18n.t("stakeholders", lang), lists["stakeholders"].box,
                          "vises-section-stakeholders"),
            step1.section(i18n.t("ws.chain", lang),
                          widgets.VBox([lists["chain"].box, arrows.box]), "vises-section-chain"),
            step1.section(i18n.t("ws.questions", lang), lists["questions"].box,
                          "vises-section-questions"),
            step1.section(i18n.t("methods", lang), lists["methods"].box, "vises-section-methods"),
            step1.section(i18n.t("ws.notes", lang), lists["notes"].box, "vises-section-notes"),
        ])

    def _step2(self, data: EnterpriseData) -> widgets.Widget:
        plan = step2.IndicatorPlan(self.store, self.enterprise.value, self.lang, data)
        self.editors.append(plan)
        files = collect.CollectionFiles(self.store, self.enterprise.value, self.lang)
        return widgets.VBox([
            step1.section(i18n.t("plan.title", self.lang), plan.box, "vises-section-plan"),
            step1.section(i18n.t("ws.collect_files", self.lang), files.box,
                          "vises-section-files"),
            step1.section(i18n.t("ws.quality", self.lang), step2.quality(data, self.lang),
                          "vises-section-quality"),
        ])

    def open_tab(self, index: int) -> None:
        """Show tab `index`, building its content the first time."""
        builder = self.builders.pop(index, None)
        if builder is not None:
            children = list(self.tabs.children)
            children[index] = builder()
            self.tabs.children = children
        self.tabs.selected_index = index

    def _tab_changed(self, change: dict) -> None:
        """Build a tab on first opening. Tabs keep their forms, so switching loses nothing;
        still remind of unsaved work elsewhere."""
        if change["new"] in self.builders:
            self.open_tab(change["new"])
        if self.dirty:
            self.warning.value = ("<span class='vises-warning-text' style='color:#8a6d3b'>"
                                  f"{_escape(i18n.t('ws.unsaved_elsewhere', self.lang))}</span>")

    def _refresh_status(self) -> None:
        try:
            self.status.value = status_html(load(self.store, self.enterprise.value), self.lang,
                                            self.store)
        except AccessError as refused:
            self.status.value = _escape(refused.message(self.lang))

    def _show_results(self) -> None:
        """Step 3 is computed on demand: results and charts take a moment."""
        enterprise_id = self.enterprise.value
        if isinstance(self.store, access.GuardedStore):  # the report run reads the store whole
            try:
                self.store.guarded(self.store.require, enterprise_id, write=True)
            except AccessError as refused:
                self.step3.children = [widgets.HTML(_escape(refused.message(self.lang)))]
                return
        report = step3.ReportButton(self.store_url, enterprise_id, self.lang)
        self.step3.children = [step3.results_view(self.store, enterprise_id, self.lang),
                               report.box]


def workspace(store_url: str = "", lang: str = "fr") -> None:
    """Show the workspace (what the dashboard notebook calls)."""
    display(Workspace(store_url, lang).box)

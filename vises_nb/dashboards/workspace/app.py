"""The accompanier's workspace: choose an enterprise one follows, see its status and to-do,
fill the step 1 and step 2 forms, see step 3 results and generate the report.

Switching accompanier, enterprise or language rebuilds the forms, so it is refused while
any form holds unsaved changes (with a warning and a button to discard them).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import parse_qs

import ipywidgets as widgets
from IPython.display import display

from vises_nb import i18n
from vises_nb.analysis import diagnostic
from vises_nb.dashboards import access
from vises_nb.dashboards.first_step import first_step, is_empty
from vises_nb.dashboards.gate import refused_html
from vises_nb.dashboards.header import header, header_html
from vises_nb.dashboards.workspace import (
    collect,
    findings_form,
    item_links,
    member_forms,
    progress,
    sections,
    step1,
    step2,
    step3,
    verbatims,
)
from vises_nb.dashboards.workspace.form import _escape
from vises_nb.errors import AccessError
from vises_nb.publishing import display as show
from vises_nb.store import model as m
from vises_nb.store.loading import TABLES, EnterpriseData, cleaned
from vises_nb.store.store import Store, normalise_url

# step 1's sections, in order: name (its class vises-section-<name>) -> its title's key
STEP1_SECTIONS = {"identity": "identity.title", "stakeholders": "stakeholders",
                  "chain": "ws.chain", "questions": "ws.questions", "methods": "methods",
                  "notes": "ws.notes"}


def followed(store: Store, accompanier_id: str) -> list[tuple[str, str]]:
    """(label, id) of the enterprises an accompanier follows, sorted by id."""
    return [(f"{e.id} — {e.name}", e.id)
            for e in store.list(m.Enterprise, accompanier_id=accompanier_id) if not e.archived]


def requested_enterprise(environ: Mapping[str, str] | None = None) -> str | None:
    """The enterprise the page's address asks for (`?enterprise=E09`), which Voila hands
    the kernel as QUERY_STRING (vises_nb.dashboards.preheat for a preheated one)."""
    query = (os.environ if environ is None else environ).get("QUERY_STRING", "")
    values = parse_qs(query).get("enterprise", [])
    return values[0].strip() if values and values[0].strip() else None


def load(store: Store, enterprise_id: str) -> EnterpriseData:
    """An enterprise's data for the forms' views (no data hash: nothing is published here),
    read in one snapshot (the status and the next actions are drawn from it)."""
    with store.snapshot():
        enterprise = store.require_enterprise(enterprise_id)
        frames = {name: store.frame(name, enterprise_id) for name in TABLES}
    return EnterpriseData(enterprise, cleaned(frames))


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
        # labels at their natural width, never cut ("Accompa…")
        self.accompanier = widgets.Dropdown(layout=widgets.Layout(width="auto"),
                                            style={"description_width": "initial"})
        self.accompanier.add_class("vises-accompanier")
        self.enterprise = widgets.Dropdown(layout=widgets.Layout(width="auto"),
                                           style={"description_width": "initial"})
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
        self._open_requested(requested_enterprise())
        self._guard = False
        self._remember()
        self.accompanier.observe(lambda c: self._switch("accompanier", c), names="value")
        self.enterprise.observe(lambda c: self._switch("enterprise", c), names="value")
        self.language.observe(lambda c: self._switch("language", c), names="value")
        self.title = header("workspace", lang)
        self.box = widgets.VBox([
            self.title,
            widgets.HBox([self.accompanier, self.enterprise, self.language],
                         layout=widgets.Layout(flex_flow="row wrap")),
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

    def _open_requested(self, enterprise_id: str | None) -> None:
        """Open on the enterprise the page's address names (`?enterprise=E09`: a link an
        accompanier keeps for a collective session), if it is one the drop-downs offer."""
        if not enterprise_id:
            return
        for accompanier_id in [value for _label, value in self.accompanier.options]:
            try:
                offered = followed(self.store, accompanier_id)
            except AccessError:
                continue
            if enterprise_id in [value for _label, value in offered]:
                self.accompanier.value = accompanier_id
                self._fill_enterprises()
                self.enterprise.value = enterprise_id
                return

    def _fill_enterprises(self) -> None:
        options = followed(self.store, self.accompanier.value) if self.accompanier.value else []
        if not self.accompanier.options and isinstance(self.store, access.GuardedStore):
            try:  # a member of an enterprise nobody accompanies yet: their own, read as allowed
                options = [(f"{e.id} — {e.name}", e.id) for e in self.store.list(m.Enterprise)
                           if not e.archived]
            except AccessError:
                options = []
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
        self.title.value = header_html("workspace", lang)
        self.accompanier.description = i18n.t("ws.accompanier", lang)
        self.enterprise.description = i18n.t("enterprise", lang)
        self.warning.value = ""
        self.discard.layout.display = "none"
        enterprise_id = self.enterprise.value
        if enterprise_id is None:
            self.editors = []
            if is_empty(self.store):  # nobody enrolled yet: say what to do first
                self.body.children = [first_step(lang)]
            else:
                self.body.children = [widgets.HTML(_escape(i18n.t("ws.no_enterprise", lang)))]
            return
        try:
            data = load(self.store, enterprise_id)  # refused (and logged) if not theirs
            status = status_html(data, lang, self.store)
        except AccessError as refused:
            self.editors = []
            self.body.children = [widgets.HTML(refused_html(refused, lang))]
            return
        self.editors = []
        self.plan = None
        self.methods_list = None
        self.step1_sections: sections.LazySections | None = None
        self.findings = None
        self.sections: dict[str, widgets.VBox] = {}
        self.next = progress.NextPanel(self.store, enterprise_id, lang, self.go, data)
        self.status = widgets.HTML(status)
        self.status.add_class("vises-card")
        self.steps = progress.StepPanel(self.store, enterprise_id, lang,
                                        by=self._who,
                                        on_change=self._refresh_status)
        self.step3 = widgets.VBox([widgets.Button(description=i18n.t("ws.show_results", lang))])
        self.step3.children[0].add_class("vises-show-results")
        self.step3.children[0].on_click(lambda _b: self._show_results())
        members = self._members(enterprise_id)
        self.builders = {1: self._step1, 2: lambda: self._step2(data), 3: self._step3}
        self.tabs = widgets.Tab(children=[widgets.VBox([self.status, self.steps.box, *members]),
                                          widgets.VBox(), widgets.VBox(), widgets.VBox()])
        for i, key in enumerate(("ws.tab.status", "ws.tab.step1", "ws.tab.step2",
                                 "ws.tab.step3")):
            self.tabs.set_title(i, i18n.t(key, lang))
        self.tabs.add_class("vises-tabs")
        self.tabs.observe(self._tab_changed, names="selected_index")
        self.sections["vises-section-steps"] = self.steps.box
        self._lock_closed()
        self.body.children = [self.next.box, self.tabs]

    def _members(self, enterprise_id: str) -> list[widgets.Widget]:
        """With accounts: the forms opened to the enterprise's members (ticks for its
        accompanier; for a member, what is open to them and nothing else editable)."""
        self.role = member_forms.role(self.store)
        self.opened: set[str] = set()
        if not self.role or self.role == "researcher":
            return []
        if self.role == "member":
            try:
                self.opened = self.store.open_forms(enterprise_id)
            except AccessError:
                self.opened = set()
        self.members = member_forms.MembersPanel(self.store, enterprise_id, self.lang,
                                                 member=self.role == "member")
        return [self.members.box]

    def _lock_closed(self) -> None:
        """A member's page: every section read-only but the forms open to them (the access
        layer refuses the rest anyway)."""
        if getattr(self, "role", "") != "member":
            return
        keep = member_forms.open_sections(self.opened)
        for css, box in self.sections.items():
            if css not in keep:
                member_forms.lock(box)

    def _step1(self) -> widgets.Widget:
        """The step 1 forms, one sub-tab per section, each built when first opened (the
        identity card at once): all six are ~620 widget models the browser must make."""
        parts = [(f"vises-section-{name}", i18n.t(key, self.lang), getattr(self, f"_{name}"))
                 for name, key in STEP1_SECTIONS.items()]
        if os.environ.get(sections.WHOLE_ENV) == "1":  # the old page, for benchmarks
            return widgets.VBox([build() for _css, _title, build in parts])
        self.step1_sections = sections.LazySections(
            parts, on_built=lambda _css: self._lock_closed(), css="vises-step1-sections")
        return self.step1_sections.box

    def open_section(self, css: str) -> None:
        """Show the section `css` of the open tab, building it the first time."""
        if self.step1_sections is not None:
            self.step1_sections.open(css)

    def _identity(self) -> widgets.Widget:
        identity = step1.identity_form(self.store, self.enterprise.value, self.lang)
        identity.on_saved = lambda _f: self._refresh_status()
        self.editors.append(identity)
        return self._section(i18n.t("identity.title", self.lang), identity.box,
                             "vises-section-identity")

    def _list(self, editor) -> None:
        self._also_refresh(editor)
        self.editors.append(editor)

    def _stakeholders(self) -> widgets.Widget:
        editor = step1.stakeholders(self.store, self.enterprise.value, self.lang)
        self._list(editor)
        return self._section(i18n.t("stakeholders", self.lang), editor.box,
                             "vises-section-stakeholders")

    def _chain(self) -> widgets.Widget:
        store, enterprise_id, lang = self.store, self.enterprise.value, self.lang
        elements = step1.chain(store, enterprise_id, lang)
        arrows = step1.links(store, enterprise_id, lang, elements)
        self.chain_view = step1.ChainView(store, enterprise_id, lang, arrows)
        self._list(elements)
        self.editors.append(arrows)
        return self._section(i18n.t("ws.chain", lang),
                             widgets.VBox([self.chain_view.box, elements.box, arrows.box]),
                             "vises-section-chain")

    def _questions(self) -> widgets.Widget:
        editor = step1.questions(self.store, self.enterprise.value, self.lang)
        editor.on_change = self._questions_changed
        self._list(editor)
        return self._section(i18n.t("ws.questions", self.lang), editor.box,
                             "vises-section-questions")

    def _methods(self) -> widgets.Widget:
        self.methods_list = step1.methods(self.store, self.enterprise.value, self.lang)
        self._list(self.methods_list)
        return self._section(i18n.t("methods", self.lang), self.methods_list.box,
                             "vises-section-methods")

    def _notes(self) -> widgets.Widget:
        editor = step1.notes(self.store, self.enterprise.value, self.lang)
        self._list(editor)
        return self._section(i18n.t("ws.notes", self.lang), editor.box, "vises-section-notes")

    def _step2(self, data: EnterpriseData) -> widgets.Widget:
        plan = step2.IndicatorPlan(self.store, self.enterprise.value, self.lang, data)
        self._also_refresh(plan.editor)
        self._also_refresh_findings(plan.editor)
        self.plan = plan
        self.editors.append(plan)
        files = collect.CollectionFiles(self.store, self.enterprise.value, self.lang,
                                        on_import=self._imported)
        links = item_links.ItemLinks(self.store, self.enterprise.value, self.lang)
        return widgets.VBox([
            self._section(i18n.t("plan.title", self.lang), plan.box, "vises-section-plan"),
            self._section(i18n.t("ws.item_links", self.lang), links.box,
                          "vises-section-item-links"),
            self._section(i18n.t("ws.collect_files", self.lang), files.box,
                          "vises-section-files"),
            self._section(i18n.t("ws.quality", self.lang), step2.quality(data, self.lang),
                          "vises-section-quality"),
        ])

    def _step3(self) -> widgets.Widget:
        self.verbatims = verbatims.Verbatims(self.store, self.enterprise.value, self.lang)
        self._also_refresh(self.verbatims.editor)
        self.editors.append(self.verbatims)
        self.findings = findings_form.Findings(self.store, self.enterprise.value, self.lang,
                                               on_change=self._refresh_status)
        self.editors.append(self.findings)
        return widgets.VBox([
            self._section(i18n.t("ws.verbatims", self.lang), self.verbatims.box,
                          "vises-section-verbatims"),
            self._section(i18n.t("ws.findings", self.lang), self.findings.box,
                          "vises-section-findings"),
            self._section(i18n.t("ws.results", self.lang), self.step3, "vises-section-results"),
        ])

    def open_tab(self, index: int) -> None:
        """Show tab `index`, building its content the first time."""
        builder = self.builders.pop(index, None)
        if builder is not None:
            children = list(self.tabs.children)
            children[index] = builder()
            self.tabs.children = children
            self._lock_closed()
        self.tabs.selected_index = index

    def _tab_changed(self, change: dict) -> None:
        """Build a tab on first opening. Tabs keep their forms, so switching loses nothing;
        still remind of unsaved work elsewhere."""
        if change["new"] in self.builders:
            self.open_tab(change["new"])
        if self.dirty:
            self.warning.value = ("<span class='vises-warning-text' style='color:#8a6d3b'>"
                                  f"{_escape(i18n.t('ws.unsaved_elsewhere', self.lang))}</span>")

    def _section(self, title: str, body: widgets.Widget, css: str) -> widgets.VBox:
        box = step1.section(title, body, css)
        self.sections[css] = box
        return box

    def go(self, action) -> None:
        """Open the tab and mark the section where a next action is done, or the record it
        names (a question's findings); the page scrolls to the mark and moves the focus
        there."""
        self.open_tab(action.tab)
        self.open_section(action.section)
        chosen = None
        if action.place == "findings" and action.target and self.findings is not None:
            chosen = self.findings.target(action.target)
        boxes = list(self.sections.items())
        if self.findings is not None:
            boxes += [(f"question {q}", b.box) for q, b in self.findings.questions.items()]
        for css, box in boxes:
            if box is chosen or (chosen is None and css == action.section):
                box.add_class("vises-target")
            elif "vises-target" in box._dom_classes:
                box.remove_class("vises-target")

    def _also_refresh(self, editor) -> None:
        """After the editor saves or removes a record, redraw the status and next actions."""
        before = editor.on_change

        def changed() -> None:
            if before is not None:
                before()
            if before != self._questions_changed:
                self._refresh_status()
        editor.on_change = changed

    def _also_refresh_findings(self, editor) -> None:
        """After the editor saves or removes a record, recompute the findings' figures
        (an indicator attached to a question, a question added or removed)."""
        before = editor.on_change

        def changed() -> None:
            if before is not None:
                before()
            self._refresh_findings()
        editor.on_change = changed

    def _refresh_findings(self) -> None:
        if self.findings is not None:
            try:
                self.findings.refresh()
            except AccessError:  # refused and logged; the forms stay as they were
                pass

    def _imported(self) -> None:
        self._refresh_status()
        self._refresh_findings()

    def _who(self) -> str:
        """Who records a change (a step's history): with accounts, the signed-in person
        as the server named them, never the drop-down at the top (a coordinator's offers
        every accompanier, and a widget message sets it); without accounts (one person
        on a laptop), the accompanier chosen at the top."""
        if isinstance(self.store, access.GuardedStore):
            return self.store.username or ""
        if self.accompanier.value is None:
            return ""
        return self.store.get(m.Accompanier, self.accompanier.value)[0].name

    def _questions_changed(self) -> None:
        """A question added, edited or removed in step 1 is offered at once for its methods
        and in step 2."""
        if self.methods_list is not None and not self.methods_list.dirty:
            self.methods_list.refresh(select=self.methods_list.chooser.value)
        if self.plan is not None:
            self.plan.update_questions()
        self._refresh_findings()
        self._refresh_status()

    def _refresh_status(self) -> None:
        """After a change: the status and the next actions, from one reading of the data."""
        try:
            data = load(self.store, self.enterprise.value)
            self.status.value = status_html(data, self.lang, self.store)
        except AccessError as refused:
            self.status.value = _escape(refused.message(self.lang))
            data = None
        self.next.refresh(data)

    def _show_results(self) -> None:
        """Step 3 is computed on demand: results and charts take a moment."""
        enterprise_id = self.enterprise.value
        if isinstance(self.store, access.GuardedStore):  # the report run reads the store whole
            try:
                self.store.guarded(self.store.require, enterprise_id, write=True)
            except AccessError as refused:
                self.step3.children = [widgets.HTML(_escape(refused.message(self.lang)))]
                return
        report = step3.ReportButton(self.store_url, enterprise_id, self.lang, store=self.store)
        self.step3.children = [step3.results_view(self.store, enterprise_id, self.lang),
                               report.box]


def workspace(store_url: str = "", lang: str = "fr") -> None:
    """Show the workspace (what the dashboard notebook calls)."""
    display(Workspace(store_url, lang).box)

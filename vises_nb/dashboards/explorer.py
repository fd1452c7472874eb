"""The researchers' cohort explorer: filters by pole, region, step and dimension; the
cohort's progress; one indicator compared across enterprises (figures on fewer than 5
respondents suppressed); every chart downloadable as SVG and every table as CSV.

Charts are drawn by the page (a Vega-Lite specification drawn by the vega renderer Voila's
page bundles: vises_nb/dashboards/page_charts.py), nothing fetched from a CDN. A chart's
SVG file is made by vl-convert in the kernel when asked (a button beside the chart, then
its download link): vl-convert holds Python's lock while it draws (0.2–0.7 s for 500
enterprises), so made in the background it would hold up a filter change.
"""

from __future__ import annotations

import html
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import altair as alt
import ipywidgets as widgets
import pandas as pd
from IPython.display import display

from vises_nb import i18n
from vises_nb.analysis import cohort
from vises_nb.dashboards import access, page_charts
from vises_nb.dashboards.downloads import csv_link, svg_link
from vises_nb.dashboards.explorer_data import CohortIndex, comparison
from vises_nb.dashboards.first_step import first_step, is_empty
from vises_nb.dashboards.gate import refused_html
from vises_nb.dashboards.header import header
from vises_nb.errors import AccessError
from vises_nb.method import vocabulary as voc
from vises_nb.method.catalogue import BY_CODE
from vises_nb.publishing import charts
from vises_nb.publishing import display as show
from vises_nb.store.store import Store, normalise_url

ANY = ""
# "0": the dashboard draws no view ahead (benchmarks/bench_federation.py times filter
# changes drawn on demand in the page with it)
PREFETCH_ENV = "VISES_EXPLORER_PREFETCH"


def prefetching() -> bool:
    return os.environ.get(PREFETCH_ENV, "") != "0"


def comparison_rows(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """What the comparison chart draws, all the page gets of it: the published figures
    only (never a suppressed one, nor a share blanked to hide a small count), and only
    the columns drawn or in its tooltip."""
    shown = frame[~frame["suppressed"].astype(bool) & frame["value"].notna()]
    rows = shown[["enterprise_id", "name", "n", "value", "low", "high"]].copy()
    rows.insert(2, "pole_label", shown["pole"].map(lambda c: voc.POLES.label(c, lang)))
    return rows.reset_index(drop=True)


def comparison_alt(title: str, count: int, lang: str) -> str:
    """The comparison chart's text alternative (its figures are in the table beside it)."""
    return i18n.t("explorer.comparison_alt", lang, title=title, count=count)


def comparison_chart(frame: pd.DataFrame, title: str, lang: str) -> alt.Chart | None:
    """Each enterprise's figure with its 95% interval; suppressed ones are left out. The
    enterprises in the frame's order (by pole): nothing in the chart but its rows depends
    on the data, so that comparison_spec fills a template with them."""
    percent = bool(frame["statistic"].isin(["proportion", "top2"]).any())
    shown = comparison_rows(frame, lang)
    if shown.empty:
        return None
    y = alt.Y("enterprise_id:N", title=None, sort=None)
    base = alt.Chart(shown).encode(y=y)
    rules = base.mark_rule(strokeWidth=2, color="#888").encode(x="low:Q", x2="high:Q")
    points = base.mark_point(filled=True, size=60).encode(
        x=alt.X("value:Q", title=title, scale=alt.Scale(zero=False),
                axis=alt.Axis(format="%") if percent else alt.Axis()),
        color=alt.Color("pole_label:N", title=i18n.t("pole", lang)),
        tooltip=[alt.Tooltip("enterprise_id:N", title=i18n.t("enterprise", lang)),
                 alt.Tooltip("name:N", title=i18n.t("ws.name", lang)),
                 alt.Tooltip("n:Q", title="n"),
                 alt.Tooltip("value:Q", title=i18n.t("value", lang),
                             format=".0%" if percent else ",.1f")])
    chart = (rules + points).properties(width=420, height=alt.Step(14))
    chart.usermeta = {"lang": lang, "alt": comparison_alt(title, len(shown), lang)}
    return chart


_templates: dict[tuple, page_charts.Template] = {}


def comparison_spec(frame: pd.DataFrame, title: str, lang: str) -> dict | None:
    """comparison_chart's page specification (None: nothing published to draw), from a
    template built once per language, title and kind of figure."""
    rows = comparison_rows(frame, lang)
    if rows.empty:
        return None
    percent = bool(frame["statistic"].isin(["proportion", "top2"]).any())
    key = ("comparison", lang, title, percent)
    if key not in _templates:
        _templates[key] = page_charts.Template(comparison_chart(frame, title, lang), lang)
    return _templates[key].fill(rows, comparison_alt(title, len(rows), lang))


def progress_spec(counted: pd.DataFrame, lang: str) -> dict:
    """charts.progress_chart's page specification, from a template built once per language."""
    data = charts.progress_data(counted, lang)
    key = ("progress", lang)
    if key not in _templates:
        _templates[key] = page_charts.Template(charts.progress_chart(counted, lang), lang)
    return _templates[key].fill(data, charts.progress_alt(data, lang))


def comparison_table(frame: pd.DataFrame, lang: str, min_respondents: int) -> pd.DataFrame:
    """The comparison in words: n shown as '< 5' and figures blanked when suppressed."""
    def figure(value: object, statistic: str) -> str:
        if value is None or pd.isna(value):
            return "—"
        return i18n.percent(value, lang) if statistic in ("proportion", "top2") else \
            i18n.number(value, lang)

    columns = [i18n.t("enterprise", lang), i18n.t("ws.name", lang), i18n.t("pole", lang),
               i18n.t("region", lang), "n", i18n.t("value", lang), i18n.t("ws.interval", lang)]
    rows = []
    for r in frame.to_dict("records"):
        hidden = bool(r["suppressed"])
        interval = "—" if hidden or pd.isna(r["low"]) else \
            f"{figure(r['low'], r['statistic'])} – {figure(r['high'], r['statistic'])}"
        rows.append([r["enterprise_id"], r["name"], voc.POLES.label(r["pole"], lang),
                     voc.REGIONS.label(r["region"], lang),
                     f"< {min_respondents}" if pd.isna(r["n"]) or int(r["n"]) < min_respondents
                     else str(int(r["n"])),
                     "—" if hidden else figure(r["value"], r["statistic"]), interval])
    return pd.DataFrame(rows, columns=columns)


def _no_data(lang: str) -> str:
    """What a view without figures says: class `empty`, as the other dashboards."""
    return show.paragraph(i18n.t("no_data", lang), "empty").data


def _table(frame: pd.DataFrame, name: str, lang: str, rendered: str | None = None) -> str:
    """The table and its CSV download (`rendered`: its HTML, when made already)."""
    return ((show.table(frame, lang).data if rendered is None else rendered)
            + f"<p>{csv_link(frame, name + '.csv', i18n.t('ws.download_csv', lang))}</p>")


class Compared:
    """One indicator at one wave compared across the whole cohort, in one language, its
    table rendered once: a filter only selects rows (formatting 500 enterprises' figures
    and rendering their table took most of a filter change once the page drew the charts)."""

    def __init__(self, frame: pd.DataFrame, lang: str, min_respondents: int):
        self.frame = frame.reset_index(drop=True)
        self.table = comparison_table(self.frame, lang, min_respondents)
        self.lang = lang
        self.head, self.rows, self.foot = table_rows(show.table(self.table, lang).data,
                                                     len(self.table))

    def select(self, ids: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame, str]:
        """The comparison, its table and the table's HTML for the enterprises `ids`."""
        mask = self.frame["enterprise_id"].isin(ids).to_numpy()
        frame = self.frame[mask].reset_index(drop=True)
        table = self.table[mask].reset_index(drop=True)
        if self.rows is None or not mask.any():
            return frame, table, show.table(table, self.lang).data
        return frame, table, (self.head + "".join(r for r, m in zip(self.rows, mask, strict=True)
                                                  if m) + self.foot)


ROW_END = "    </tr>\n"


def table_rows(rendered: str, count: int) -> tuple[str, list[str] | None, str]:
    """A table show.table rendered, cut into what comes before its rows, each row's HTML
    and what comes after (rows None if it cannot be cut exactly)."""
    start, end = rendered.find("<tbody>\n"), rendered.rfind("  </tbody>")
    if start < 0 or end < start:
        return rendered, None, ""
    start += len("<tbody>\n")
    body = rendered[start:end]
    rows = [part + ROW_END for part in body.split(ROW_END)[:-1]]
    if len(rows) != count or "".join(rows) != body:
        return rendered, None, ""
    return rendered[:start], rows, rendered[end:]


@dataclass(frozen=True, eq=False)
class View:
    """One part of the explorer for one combination of filters: HTML before the chart,
    the chart the page draws (an Output's item, None for no chart), HTML after it."""
    key: tuple
    lang: str
    head: str
    chart: dict | None
    tail: str
    name: str = "chart"  # the SVG file's name, without .svg

    @classmethod
    def of(cls, key: tuple, lang: str, head: str, spec: dict | None, tail: str,
           name: str) -> View:
        """A view with the chart of `spec` (a page specification; None: no data)."""
        if spec is None:
            return cls(key, lang, head + _no_data(lang), None, tail, name)
        return cls(key, lang, head, page_charts.page_output(spec), tail, name)


class Section:
    """Where a View is shown: its head, its chart (drawn by the page), a button making the
    chart's SVG file then that file's download link, and its tail."""

    def __init__(self, css: str, chart_css: str):
        self.head, self.download, self.tail = widgets.HTML(), widgets.HTML(), widgets.HTML()
        self.chart = widgets.Output()
        self.chart.add_class("vises-chart")
        self.chart.add_class(chart_css)
        self.make = widgets.Button()
        self.make.add_class("vises-make-svg")
        self.box = widgets.VBox([self.head, self.chart, widgets.HBox([self.make, self.download]),
                                 self.tail])
        self.box.add_class(css)
        self.view: View | None = None
        self.lock = threading.Lock()

    def show(self, view: View, svg: str | None = None) -> None:
        """Show `view` (`svg`: its chart's SVG file, when made already)."""
        with self.lock:
            if view is self.view:
                return
            self.view = view
            self.head.value = view.head
            self.chart.outputs = (view.chart,) if view.chart else ()
            self._files(view, svg)
            self.tail.value = view.tail

    def _files(self, view: View | None, svg: str | None) -> None:
        """The button making the SVG, or the link once it is made (neither: no chart).
        The button is hidden before the link is shown: never both on the page at once."""
        wanted = view is not None and view.chart is not None and svg is None
        if not wanted:
            self.make.layout.display = "none"
        self.download.value = "" if view is None or svg is None else self.link(view, svg)
        self.make.disabled = False
        if view is not None:
            self.make.description = i18n.t("explorer.make_svg", view.lang)
            self.make.tooltip = i18n.t("explorer.make_svg_hint", view.lang)
        if wanted:
            self.make.layout.display = None

    def message(self, text: str) -> None:
        """Only a text (a refusal), nothing else."""
        with self.lock:
            self.view = None
            self.head.value, self.tail.value = text, ""
            self.chart.outputs = ()
            self._files(None, None)

    def making(self, view: View) -> None:
        """Say the SVG of `view`'s chart is being made."""
        with self.lock:
            if view is self.view:
                self.make.disabled = True
                self.make.description = i18n.t("explorer.making_svg", view.lang)

    def offer(self, view: View, svg: str) -> None:
        """Put the SVG of `view`'s chart beside it, if `view` is still the one shown."""
        with self.lock:
            if view is self.view:
                self._files(view, svg)

    @staticmethod
    def link(view: View, svg: str) -> str:
        return svg_link(svg, view.name + ".svg", i18n.t("ws.download_svg", view.lang))

    @property
    def html(self) -> str:
        """The section's HTML (head, download link and tail; the chart is drawn apart)."""
        return self.head.value + self.download.value + self.tail.value


class Explorer:
    """The explorer dashboard; `box` is what the notebook shows."""

    def __init__(self, store_url: str = "", lang: str = "fr",
                 min_respondents: int = 5, prefetch: bool = True):
        self.store = Store.open(normalise_url(store_url))
        self.version = store_version(self.store)
        self.index = CohortIndex(self.store, min_respondents)
        self.background = prefetch and prefetching()  # views one click away drawn meanwhile
        self.min_respondents = min_respondents
        self.lang = lang
        self.pole = widgets.Dropdown()
        self.pole.add_class("vises-filter-pole")
        self.region = widgets.Dropdown()
        self.region.add_class("vises-filter-region")
        self.step = widgets.Dropdown()
        self.step.add_class("vises-filter-step")
        self.dimension = widgets.Dropdown()
        self.dimension.add_class("vises-filter-dimension")
        self.indicator = widgets.Dropdown(layout=widgets.Layout(width="420px"))
        self.indicator.add_class("vises-filter-indicator")
        self.wave = widgets.Dropdown()
        self.wave.add_class("vises-filter-wave")
        self.language = widgets.ToggleButtons(options=list(i18n.available_languages()),
                                              value=lang, style={"button_width": "48px"})
        self.language.add_class("vises-language")
        self.progress = Section("vises-progress", "vises-chart-progress")
        self.compare = Section("vises-comparison", "vises-chart-comparison")
        self._quiet = False
        self._cache: dict[tuple, View] = {}
        self._svgs: dict[tuple, str] = {}
        self._compared: dict[tuple, Compared] = {}
        self._wanted: tuple | None = None
        self._worker: threading.Thread | None = None
        self.guard: Store | None = None  # with accounts: who asks (set by cohort_explorer)
        self._label()
        for control in (self.pole, self.region, self.step, self.indicator, self.wave):
            control.observe(lambda _c: self.update(), names="value")
        self.dimension.observe(lambda _c: self._indicators(), names="value")
        for section in (self.progress, self.compare):
            section.make.on_click(lambda _b, shown=section: self.make_download(shown))
        self.language.observe(lambda _c: self.relabel(), names="value")
        self.box = widgets.VBox([
            self.language,
            widgets.HBox([self.pole, self.region, self.step, self.dimension]),
            widgets.HTML(), self.progress.box,
            widgets.HBox([self.indicator, self.wave]), self.compare.box])
        self.box.add_class("vises-explorer")
        self.update()

    # ------------------------------------------------------------- labels
    def _label(self) -> None:
        """Set every label and option text in the current language, keeping choices."""
        lang = self.lang
        anyone = i18n.t("ws.all", lang)
        self._quiet = True
        try:
            for control, key, vocabulary in ((self.pole, "pole", voc.POLES),
                                             (self.region, "region", voc.REGIONS),
                                             (self.step, "step", voc.STEPS),
                                             (self.dimension, "dimension", voc.DIMENSIONS)):
                value = control.value
                control.options = [(anyone, ANY)] + [(t.label(lang), t.code) for t in vocabulary]
                control.value = value if value is not None else ANY
                control.description = i18n.t(key, lang)
            wave = self.wave.value or "T0"
            self.wave.options = [(t.label(lang), t.code) for t in voc.WAVES]
            self.wave.value = wave
            self.wave.description = i18n.t("wave", lang)
            self.indicator.description = i18n.t("indicator", lang)
            self._indicators(render=False)
        finally:
            self._quiet = False

    def _indicators(self, render: bool = True) -> None:
        codes = self.index.indicator_codes(self.dimension.value or None)
        current = self.indicator.value
        quiet, self._quiet = self._quiet, True
        try:
            self.indicator.options = [(BY_CODE[c].name[self.lang] if c in BY_CODE else c, c)
                                      for c in codes]
            self.indicator.value = current if current in codes else (codes[0] if codes else None)
        finally:
            self._quiet = quiet
        if render:
            self.update()

    def relabel(self) -> None:
        self.lang = self.language.value
        self._label()
        self.update()

    # ------------------------------------------------------------- views
    def chosen(self) -> pd.DataFrame:
        return self.index.select(self.pole.value or None, self.region.value or None,
                                 int(self.step.value) if self.step.value else None)

    def state(self) -> tuple:
        """The filters as they are now: pole, region, step, indicator, wave."""
        return (self.pole.value, self.region.value, self.step.value, self.indicator.value,
                self.wave.value)

    def update(self) -> None:
        """Redraw progress and comparison for the current filters, then prepare the views
        one click away in the background."""
        if self._quiet:
            return
        if isinstance(self.guard, access.GuardedStore):  # a disabled account: no more
            try:
                self.guard.require_cohort()
            except AccessError as refused:
                # shown as every page shows a refusal (class vises-refused, in red)
                self.progress.message(refused_html(refused, self.lang, "p"))
                self.compare.message("")
                return
        for section, view in zip((self.progress, self.compare), self.views(*self.state()),
                                 strict=True):
            section.show(view, self._svgs.get(view.key))
        self._prefetch_later(self.state())

    def views(self, pole: str, region: str, step: str, code: str | None,
              wave: str) -> tuple[View, View]:
        """The progress and comparison views for one combination of filters (cached)."""
        lang = self.lang
        chosen = self.index.select(pole or None, region or None, int(step) if step else None)
        where = (lang, pole, region, step)
        progress = self._cached(("progress", *where),
                                lambda key: self.progress_view(key, chosen, lang))
        compare = self._cached(("comparison", *where, code, wave),
                               lambda key: self.comparison_view(key, chosen, code, wave, lang))
        return progress, compare

    def _cached(self, key: tuple, render) -> View:
        """A view drawn once per combination of filters (the data does not change meanwhile)."""
        if key not in self._cache:
            self._cache[key] = render(key)
        return self._cache[key]

    # ------------------------------------------------------------- SVG downloads
    def svg(self, view: View) -> str:
        """The SVG file of `view`'s chart (vl-convert, once per view)."""
        if view.key not in self._svgs:
            self._svgs[view.key] = page_charts.to_svg(page_charts.spec_of(view.chart), view.lang)
        return self._svgs[view.key]

    def draw_downloads(self) -> None:
        """Make the SVG of each chart shown and put its link beside it."""
        for section in (self.progress, self.compare):
            self.make_download(section)

    def make_download(self, section: Section) -> None:
        """Make the SVG of the chart `section` shows, then offer its download (what the
        button beside the chart does)."""
        view = section.view
        if view is None or view.chart is None:
            return
        if view.key not in self._svgs:
            section.making(view)
        section.offer(view, self.svg(view))

    def neighbours(self, state: tuple) -> list[tuple]:
        """The filter combinations one choice away from `state`."""
        pole, region, step, code, wave = state
        found = [(p, region, step, code, wave) for p in (ANY, *voc.POLES.codes)]
        found += [(pole, r, step, code, wave) for r in (ANY, *voc.REGIONS.codes)]
        found += [(pole, region, s, code, wave) for s in (ANY, *voc.STEPS.codes)]
        found += [(pole, region, step, code, w) for w in voc.WAVES.codes]
        return [n for n in dict.fromkeys(found) if n != state]

    def prefetch(self, state: tuple) -> None:
        """Draw the views one click away from `state`, stopping if the user moved on."""
        for neighbour in self.neighbours(state):
            if self._wanted is not None and self._wanted != state:
                return
            self.views(*neighbour)

    def _prefetch_later(self, state: tuple) -> None:
        self._wanted = state
        if not self.background:
            return
        if self._worker is not None and self._worker.is_alive():
            return

        def work() -> None:
            while True:
                wanted = self._wanted
                try:
                    self.prefetch(wanted)
                except Exception:  # noqa: BLE001 - a failed prefetch is drawn again on demand
                    return
                if self._wanted == wanted:
                    return

        self._worker = threading.Thread(target=work, daemon=True)
        self._worker.start()

    def progress_view(self, key: tuple, chosen: pd.DataFrame, lang: str) -> View:
        title = (f"<h3>{html.escape(i18n.t('cohort.progress', lang))} "
                 f"({len(chosen)} {html.escape(i18n.t('enterprises', lang))})</h3>")
        if chosen.empty:
            return View(key, lang, title + _no_data(lang), None, "")
        counted = {by: self.index.progress(chosen, by) for by in ("pole", "region")}
        tail = "".join(_table(cohort.counts_table(counted[by], by, lang), f"progress_{by}", lang)
                       for by in ("pole", "region"))
        return View.of(key, lang, title, progress_spec(counted["pole"], lang), tail, "progress")

    def compared(self, code: str, wave: str, lang: str) -> Compared:
        """Indicator `code` at `wave` compared across the cohort (made once)."""
        key = (code, wave, lang)
        if key not in self._compared:
            frame = comparison(self.index.results(code), self.index.enterprises, wave)
            self._compared[key] = Compared(frame, lang, self.min_respondents)
        return self._compared[key]

    def comparison_view(self, key: tuple, chosen: pd.DataFrame, code: str | None, wave: str,
                        lang: str) -> View:
        if code is None:
            return View(key, lang, _no_data(lang), None, "")
        name = BY_CODE[code].name[lang] if code in BY_CODE else code
        frame, table, rendered = self.compared(code, wave, lang).select(chosen["id"])
        kind = BY_CODE[code].kind if code in BY_CODE else "number"
        axis = f"{name} — {i18n.t('result.top2', lang)}" if kind == "likert" else name
        note = i18n.t("ws.suppressed_note", lang, threshold=self.min_respondents,
                      count=int(frame["suppressed"].sum()))
        head = (f"<h3>{html.escape(i18n.t('ws.comparison', lang))}: {html.escape(name)} "
                f"({html.escape(wave)})</h3>")
        tail = (f"<p class='vises-suppressed-note'>{html.escape(note)}</p>"
                + _table(table, f"{code}_{wave}", lang, rendered))
        return View.of(key, lang, head, comparison_spec(frame, axis, lang), tail,
                       f"{code}_{wave}")


def store_version(store: Store) -> tuple | None:
    """A cheap fingerprint of a SQLite store (its files' sizes and times): any write
    changes it. None for database servers, whose data is then always read afresh."""
    url = store.engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    files = [Path(url.database), Path(url.database + "-wal")]
    return tuple((f.stat().st_mtime_ns, f.stat().st_size) if f.exists() else None
                 for f in files)


_prepared: dict[tuple[str, str], Explorer] = {}


def prepare(store_url: str = "", lang: str = "fr") -> None:
    """Read the cohort and draw the first views and those one click away, before anyone
    asks: a preheated kernel does this while it waits for a page."""
    explorer = Explorer(store_url, lang, prefetch=False)
    explorer.draw_downloads()
    if prefetching():
        explorer.prefetch(explorer.state())
    _prepared[(normalise_url(store_url), lang)] = explorer


def take_prepared(store_url: str = "", lang: str = "fr") -> Explorer:
    """The explorer prepared ahead if the store has not changed since, else a fresh one."""
    explorer = _prepared.pop((normalise_url(store_url), lang), None)
    if explorer is None or explorer.version is None or \
            explorer.version != store_version(explorer.store):
        explorer = Explorer(store_url, lang)
    explorer.background = prefetching()
    return explorer


def cohort_explorer(store_url: str = "", lang: str = "fr") -> None:
    """Show the explorer (what the dashboard notebook calls): figures about groups of at
    least 5 respondents only, for every role; with accounts, for an active account; on a
    store with nobody enrolled yet, what to do first."""
    guard = access.open_store(store_url)
    if isinstance(guard, access.GuardedStore):
        try:
            guard.require_cohort()
        except AccessError as refused:
            display(header("explorer", lang), widgets.HTML(refused_html(refused, lang)))
            return
    explorer = take_prepared(store_url, lang)
    if is_empty(explorer.store):
        display(header("explorer", lang), first_step(lang))
        return
    explorer.guard = guard
    display(header("explorer", lang), explorer.box)

"""The researchers' cohort explorer: filters by pole, region, step and dimension; the
cohort's progress; one indicator compared across enterprises (figures on fewer than 5
respondents suppressed); every chart downloadable as SVG and every table as CSV.

Charts are inline SVG (vl-convert in the kernel): nothing is fetched from a CDN.
"""

from __future__ import annotations

import html
import threading
from pathlib import Path

import altair as alt
import ipywidgets as widgets
import pandas as pd
from IPython.display import display

from vises_nb import i18n
from vises_nb.analysis import cohort
from vises_nb.dashboards import access
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


def comparison_chart(frame: pd.DataFrame, title: str, lang: str) -> alt.Chart | None:
    """Each enterprise's figure with its 95% interval; suppressed ones are left out."""
    percent = bool(frame["statistic"].isin(["proportion", "top2"]).any())
    shown = frame[~frame["suppressed"] & frame["value"].notna()].copy()
    if shown.empty:
        return None
    shown["pole_label"] = shown["pole"].map(lambda c: voc.POLES.label(c, lang))
    y = alt.Y("enterprise_id:N", title=None, sort=list(shown["enterprise_id"]))
    base = alt.Chart(shown).encode(y=y)
    rules = base.mark_rule(strokeWidth=2, color="#888").encode(x="low:Q", x2="high:Q")
    points = base.mark_point(filled=True, size=60).encode(
        x=alt.X("value:Q", title=title, scale=alt.Scale(zero=False),
                axis=alt.Axis(format="%") if percent else alt.Axis()),
        color=alt.Color("pole_label:N", title=i18n.t("pole", lang)),
        tooltip=["enterprise_id", "name", "n", "value"])
    return (rules + points).properties(width=420, height=alt.Step(14))


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


def to_svg(chart: alt.TopLevelMixin, lang: str | None = None) -> str:
    """Like charts.to_svg, without re-validating the spec Altair built (saves ~40 ms)."""
    return charts.to_svg(chart, lang, validate=False)


def _no_data(lang: str) -> str:
    """What a view without figures says: class `empty`, as the other dashboards."""
    return show.paragraph(i18n.t("no_data", lang), "empty").data


def _figure(chart: alt.Chart | None, name: str, lang: str, css: str) -> str:
    if chart is None:
        return _no_data(lang)
    svg = to_svg(chart, lang)
    return (f"<div class='vises-chart {css}'>{svg}</div>"
            f"<p>{svg_link(svg, name + '.svg', i18n.t('ws.download_svg', lang))}</p>")


def _table(frame: pd.DataFrame, name: str, lang: str) -> str:
    return (show.table(frame, lang).data
            + f"<p>{csv_link(frame, name + '.csv', i18n.t('ws.download_csv', lang))}</p>")


class Explorer:
    """The explorer dashboard; `box` is what the notebook shows."""

    def __init__(self, store_url: str = "", lang: str = "fr",
                 min_respondents: int = 5, prefetch: bool = True):
        self.store = Store.open(normalise_url(store_url))
        self.version = store_version(self.store)
        self.index = CohortIndex(self.store, min_respondents)
        self.background = prefetch
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
        self.progress = widgets.HTML()
        self.progress.add_class("vises-progress")
        self.compare = widgets.HTML()
        self.compare.add_class("vises-comparison")
        self._quiet = False
        self._cache: dict[tuple, str] = {}
        self._wanted: tuple | None = None
        self._worker: threading.Thread | None = None
        self.guard: Store | None = None  # with accounts: who asks (set by cohort_explorer)
        self._label()
        for control in (self.pole, self.region, self.step, self.indicator, self.wave):
            control.observe(lambda _c: self.update(), names="value")
        self.dimension.observe(lambda _c: self._indicators(), names="value")
        self.language.observe(lambda _c: self.relabel(), names="value")
        self.box = widgets.VBox([
            self.language,
            widgets.HBox([self.pole, self.region, self.step, self.dimension]),
            widgets.HTML(), self.progress,
            widgets.HBox([self.indicator, self.wave]), self.compare])
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
                self.progress.value = refused_html(refused, self.lang, "p")
                self.compare.value = ""
                return
        self.progress.value, self.compare.value = self.views(*self.state())
        self._prefetch_later(self.state())

    def views(self, pole: str, region: str, step: str, code: str | None,
              wave: str) -> tuple[str, str]:
        """The progress and comparison HTML for one combination of filters (cached)."""
        lang = self.lang
        chosen = self.index.select(pole or None, region or None, int(step) if step else None)
        where = (lang, pole, region, step)
        progress = self._cached(("progress", *where), lambda: self.progress_html(chosen, lang))
        compare = self._cached(("comparison", *where, code, wave),
                               lambda: self.comparison_html(chosen, code, wave, lang))
        return progress, compare

    def _cached(self, key: tuple, render) -> str:
        """A view drawn once per combination of filters (the data does not change meanwhile)."""
        if key not in self._cache:
            self._cache[key] = render()
        return self._cache[key]

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

    def progress_html(self, chosen: pd.DataFrame, lang: str) -> str:
        subset = self.index.filtered_cohort(chosen)
        title = (f"<h3>{html.escape(i18n.t('cohort.progress', lang))} "
                 f"({len(chosen)} {html.escape(i18n.t('enterprises', lang))})</h3>")
        if chosen.empty:
            return title + _no_data(lang)
        counted = cohort.progress(subset, "pole")
        return (title + _figure(charts.progress_chart(counted, lang), "progress", lang,
                                "vises-chart-progress")
                + _table(cohort.progress_table(subset, "pole", lang), "progress_pole", lang)
                + _table(cohort.progress_table(subset, "region", lang), "progress_region", lang))

    def comparison_html(self, chosen: pd.DataFrame, code: str | None, wave: str,
                        lang: str) -> str:
        if code is None:
            return _no_data(lang)
        name = BY_CODE[code].name[lang] if code in BY_CODE else code
        frame = comparison(self.index.results(code), chosen, wave)
        kind = BY_CODE[code].kind if code in BY_CODE else "number"
        axis = f"{name} — {i18n.t('result.top2', lang)}" if kind == "likert" else name
        note = i18n.t("ws.suppressed_note", lang, threshold=self.min_respondents,
                      count=int(frame["suppressed"].sum()))
        return (f"<h3>{html.escape(i18n.t('ws.comparison', lang))}: {html.escape(name)} "
                f"({html.escape(wave)})</h3>"
                + _figure(comparison_chart(frame, axis, lang), f"{code}_{wave}", lang,
                          "vises-chart-comparison")
                + f"<p class='vises-suppressed-note'>{html.escape(note)}</p>"
                + _table(comparison_table(frame, lang, self.min_respondents),
                         f"{code}_{wave}", lang))


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
    explorer.prefetch(explorer.state())
    _prepared[(normalise_url(store_url), lang)] = explorer


def take_prepared(store_url: str = "", lang: str = "fr") -> Explorer:
    """The explorer prepared ahead if the store has not changed since, else a fresh one."""
    explorer = _prepared.pop((normalise_url(store_url), lang), None)
    if explorer is None or explorer.version is None or \
            explorer.version != store_version(explorer.store):
        explorer = Explorer(store_url, lang)
    explorer.background = True
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

"""Step 3: the enterprise's results and charts, and a button that generates its report."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import ipywidgets as widgets

from vises_nb import i18n
from vises_nb.analysis import disclosure, findings, results
from vises_nb.dashboards.access import GuardedStore
from vises_nb.dashboards.gate import refusal_html
from vises_nb.dashboards.workspace.form import _escape
from vises_nb.errors import AccessError, VisesError, render
from vises_nb.paths import REPORTS_DIR
from vises_nb.publishing import display as show
from vises_nb.store.loading import load_enterprise
from vises_nb.store.store import Store


def results_view(store: Store, enterprise_id: str, lang: str) -> widgets.HTML:
    """Results per indicator and wave (suppressed below 5) with their charts as inline SVG."""
    # Altair (and jsonschema under it, ~2 s and ~60 MB) only when results are asked for:
    # every workspace page's kernel would otherwise import it before its first render.
    from vises_nb.publishing import charts

    data = load_enterprise(store, enterprise_id)
    answers = data.answers()
    names = data.indicators.set_index("id")["name"].to_dict()
    # shown as the report will publish them: through disclosure control
    shown = disclosure.protect(results.indicator_results(data.indicators, answers),
                               distribution=results.likert_distribution(data.indicators, answers))
    wave_results, distribution = shown.results, shown.distribution
    parts = [show.table(findings.results_table(wave_results, data, lang), lang).data]
    chart = charts.wave_results_chart(wave_results, names, lang)
    if chart is not None:
        parts.append(f"<div class='vises-chart'>{charts.to_svg(chart)}</div>")
    chart = charts.likert_chart(distribution, names, lang)
    if chart is not None:
        parts.append(f"<div class='vises-chart'>{charts.to_svg(chart)}</div>")
    nominal = findings.nominal_table(distribution, data, lang)  # unordered lists: shares
    if not nominal.empty:
        parts += [show.heading(i18n.t("nominal.title", lang), 3).data,
                  show.table(nominal, lang).data]
    box = widgets.HTML("".join(parts))
    box.add_class("vises-results")
    return box


def download_link(path: Path, label: str, mime: str = "text/html") -> str:
    """An <a download> carrying the file itself, so it needs no file server."""
    payload = base64.b64encode(path.read_bytes()).decode()
    return (f"<a class='vises-download' download='{_escape(path.name)}' "
            f"href='data:{mime};base64,{payload}'>{_escape(label)}</a>")


def may_run_report(store: Store | None, enterprise_id: str) -> None:
    """The guard of a report run: the runner reads the store itself (unguarded, as the
    batch does), so with accounts the person must still be allowed to write this
    enterprise at the click itself, not only when the button was shown (an account
    disabled, or the enterprise handed to another accompanier, while the page is open).
    Raises AccessError (logged by the access layer)."""
    if isinstance(store, GuardedStore):
        store.guarded(store.require, enterprise_id, write=True)


class ReportButton:
    """Runs the step-3 notebook for one enterprise and offers the report it produced;
    `store`: the page's (guarded with accounts: checked at each click)."""

    def __init__(self, store_url: str, enterprise_id: str, lang: str,
                 reports_dir: Path | None = None, store: Store | None = None):
        self.store_url, self.enterprise_id, self.lang = store_url, enterprise_id, lang
        self.store = store
        self.reports_dir = reports_dir or Path(os.environ.get("VISES_REPORTS", REPORTS_DIR))
        self.button = widgets.Button(description=i18n.t("ws.generate_report", lang),
                                     icon="file", button_style="info")
        self.button.add_class("vises-report-button")
        self.result = widgets.HTML()
        self.result.add_class("vises-report")
        self.button.on_click(lambda _b: self.generate())
        self.box = widgets.VBox([self.button, self.result])

    def generate(self) -> Path | None:
        from vises_nb.publishing.runner import run

        try:
            may_run_report(self.store, self.enterprise_id)
        except AccessError as refused:
            self.result.value = refusal_html(refused.message(self.lang), "span")
            return None
        self.button.disabled = True
        self.result.value = _escape(i18n.t("ws.generating", self.lang))
        try:
            summary = run(store_url=self.store_url, enterprise=self.enterprise_id, step="3",
                          reports_dir=self.reports_dir, lang=self.lang, workers=1)
        except VisesError as exc:
            self.result.value = _escape(exc.message(self.lang))
            return None
        finally:
            self.button.disabled = False
        done = [r for r in summary.results if r.ok]
        if not summary.results:
            self.result.value = _escape(i18n.t("ws.report_not_due", self.lang))
            return None
        if not done:
            self.result.value = _escape(i18n.t("ws.report_failed", self.lang,
                                               error=render(summary.failures[0].error,
                                                            self.lang)))
            return None
        path = Path(done[0].job.report)
        size = i18n.number(path.stat().st_size / 1024, self.lang, 0)
        self.result.value = (download_link(path, path.name)
                             + f" <span class='vises-report-size'>({size} KB) — "
                             f"{_escape(str(path))}</span>")
        return path

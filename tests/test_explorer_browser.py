"""The cohort explorer in a real browser (`vises serve`, Debian's Chromium): its charts are
drawn by the page itself, with the vega renderer of Voila's own static files, nothing
fetched but from the server; they keep their text alternative, the page's number format
and the small-group disclosure control; their SVG file is offered beside them. The page
asks for vega in its head, while the kernel runs the notebook (page_scripts.py)."""

from __future__ import annotations

import base64
import shutil

import pytest
from serving import unexpected_tracebacks, vises_serve

from vises_nb import i18n
from vises_nb.dashboards import page_scripts

pytestmark = pytest.mark.slow
TOKEN = "test-token-explorer-3b8d"

# Resolves with the milliseconds from choosing `label` in the filter `css` to every chart
# listed in `charts` drawn anew by the page (vega replaces the chart's <svg class=marks>).
CHOOSE_AND_WAIT = """async ([css, label, charts]) => {
  const select = document.querySelector(css + ' select');
  const old = new Set(document.querySelectorAll('.vises-chart svg.marks'));
  // ipywidgets writes the options' spaces as no-break spaces
  const option = [...select.options].find(o => o.text.replace(/\u00a0/g, ' ') === label);
  const start = performance.now();
  select.value = option.value;
  select.dispatchEvent(new Event('change', {bubbles: true}));
  await new Promise(resolve => {
    const drawn = () => charts.every(c => {
      const svg = document.querySelector(c + ' svg.marks');
      return svg && !old.has(svg) && svg.querySelector('.role-mark');
    });
    if (drawn()) { resolve(); return; }
    const observer = new MutationObserver(() => {
      if (drawn()) { observer.disconnect(); resolve(); }
    });
    observer.observe(document.body, {childList: true, subtree: true});
  });
  return performance.now() - start;
}"""


@pytest.fixture
def served_fr(sample_db, tmp_path):
    store_path = tmp_path / "vises.sqlite"
    shutil.copy(sample_db, store_path)
    with vises_serve(store_path, tmp_path, TOKEN, lang="fr") as (base, log):
        yield base, log


def test_the_page_draws_the_explorers_charts_offline(served_fr, browser):
    base, log = served_fr
    page = browser.new_page()
    requests: list[str] = []
    failed: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("requestfailed", lambda r: failed.append(r.url))
    # the network closed but for the server: whatever tried to reach outside would fail
    page.route("**/*", lambda route: route.continue_()
               if route.request.url.startswith((base, "data:", "blob:")) else route.abort())
    page.goto(f"{base}/voila/render/cohort_explorer.ipynb?token={TOKEN}",
              wait_until="commit", timeout=90_000)
    comparison = page.locator(".vises-chart-comparison .jp-RenderedVegaCommon5 svg.marks")
    comparison.locator(".mark-symbol path").first.wait_for(timeout=120_000)
    progress = page.locator(".vises-chart-progress .jp-RenderedVegaCommon5 svg.marks")
    progress.locator(".mark-rect path").first.wait_for(timeout=30_000)
    assert comparison.count() == 1 and progress.count() == 1
    assert comparison.locator(".mark-symbol path").count() > 5

    # the text alternative (the spec's description) names the drawing for screen readers
    described = ".vega-embed[role=graphics-document]"
    label = page.locator(f".vises-chart-comparison {described}").get_attribute("aria-label")
    assert "un point par entreprise avec son intervalle à 95 %" in label
    assert page.locator(f".vises-chart-progress {described}").get_attribute(
        "aria-label").startswith(i18n.t("enterprises", "fr") + ": ")
    # numbers in French: the percent axis of a Likert comparison, or decimal commas
    ticks = [t.text_content() for t in comparison.locator(".role-axis-label text").all()]
    assert any("\u202f%" in t or "," in t for t in ticks), ticks
    assert not any("." in t for t in ticks if t[:1].isdigit()), ticks

    # small groups: no enterprise shown as '< 5' in the table is a point of the chart
    rows = page.locator(".vises-comparison table tbody tr")
    rows.first.wait_for(timeout=30_000)  # the table is a widget of its own, beside the chart
    rows = rows.all()
    hidden = [r.locator("td").first.inner_text() for r in rows
              if r.locator("td").nth(4).inner_text().startswith("<")]
    points = " ".join(p.get_attribute("aria-label") or ""
                      for p in comparison.locator(".mark-symbol path").all())
    assert points and not any(f"{e};" in points or points.endswith(e) for e in hidden)

    # the SVG file of the first charts, made ahead by the preheated kernel, is offered
    link = page.locator(".vises-comparison a.vises-download-svg")
    link.wait_for(timeout=30_000)
    assert link.inner_text() == i18n.t("ws.download_svg", "fr")
    svg = base64.b64decode(link.get_attribute("href").split(",", 1)[1]).decode()
    assert svg.startswith("<svg") and "mark-symbol" in svg

    # a filter change: both charts drawn anew by the page; the SVG file made when asked
    page.evaluate(CHOOSE_AND_WAIT, [".vises-filter-pole", "Insertion",
                                    [".vises-chart-progress", ".vises-chart-comparison"]])
    make = page.locator(".vises-comparison .vises-make-svg")
    make.wait_for(timeout=30_000)
    assert make.inner_text() == i18n.t("explorer.make_svg", "fr")
    make.focus()
    page.keyboard.press("Enter")  # by keyboard too
    link.wait_for(timeout=30_000)
    svg = base64.b64decode(link.get_attribute("href").split(",", 1)[1]).decode()
    assert svg.startswith("<svg") and "mark-symbol" in svg
    make.wait_for(state="hidden", timeout=10_000)  # the button gives way to the link

    outside = [u for u in requests if not u.startswith((base, "data:", "blob:"))]
    assert outside == [] and failed == []
    # vega (Voila's own chunk) asked for by the page's head, while the kernel ran the
    # notebook, before Voila's bundle; asked for once: the bundle found it installed
    files = [u.split("?")[0].rsplit("/", 1)[-1] for u in requests]
    chunk = page_scripts.vega_chunk()
    assert chunk and files.count(chunk) == 1
    assert files.index(chunk) < files.index("voila.js")
    assert unexpected_tracebacks(log.read_text()) == []

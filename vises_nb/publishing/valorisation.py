"""The valorisation one-pager as HTML (one A4 page when printed) and as PDF.

The content comes from `vises_nb.analysis.valorisation.one_pager`; this module only
lays it out: escaped text, an inline SVG chart of distance travelled with its text
alternative, and print CSS sized for one A4 page. Text kept in another language than
the page (a question, a finding, a verbatim) carries its own `lang` attribute.

PDF: Debian's Chromium, driven by Playwright (`playwright` from PyPI, the browser from
`apt-get install chromium`; Playwright's own browser download is never used), with the
network closed: the page holds everything it shows.
"""

from __future__ import annotations

import html
import os
import re
import shutil
from pathlib import Path

from vises_nb import i18n
from vises_nb.errors import VisesError
from vises_nb.publishing.publish import PROVENANCE_MARK

STYLE = """
@page{size:A4;margin:11mm 12mm}
*{box-sizing:border-box}
body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;color:#1f2933;margin:0 auto;
max-width:186mm;font-size:8.6pt;line-height:1.32;padding:4mm 0}
h1{font-size:15pt;margin:0 0 1mm;color:#1d3557}
p.identity{margin:0;color:#333}
h2{font-size:10pt;margin:3mm 0 1mm;color:#1d3557;border-bottom:1px solid #2a6f97}
h3{font-size:9pt;margin:2mm 0 .6mm;color:#174a6b}
ul{margin:.3mm 0 .8mm;padding-left:4.5mm}li{margin:.2mm 0}
.question{break-inside:avoid}
.figure-name{font-weight:bold}
.finding{margin:.5mm 0;padding-left:2mm;border-left:2px solid #94a3b8}
.finding .who{font-weight:bold}
.columns{display:flex;gap:5mm;align-items:flex-start}
.columns>div{flex:1;min-width:0}
figure{margin:0}figcaption{font-weight:bold;color:#1d3557;font-size:9pt}
blockquote{margin:.6mm 0;padding:.4mm 2mm;border-left:3px solid #c2410c;background:#fdf4ef}
blockquote p{margin:0;font-style:italic}blockquote footer{font-size:7.6pt;color:#444}
.not-conclusive,.limits{font-size:8pt}
footer.provenance{margin-top:2mm;font-size:6.8pt;color:#444;border-top:1px solid #ccc}
svg{max-width:100%;height:auto}
@media screen{body{padding:8mm 4mm}}
"""

CHART_WIDTH = 330
ROW = 30


def _e(text: object) -> str:
    return html.escape(str(text))


def _lang_attr(text_lang: str, page_lang: str) -> str:
    return f' lang="{_e(text_lang)}"' if text_lang and text_lang != page_lang else ""


def chart_alternative(rows: list[dict], lang: str) -> str:
    """The chart's figures in words (its text alternative, also shown under it)."""
    return " ".join(i18n.t("val.chart.row", lang, name=r["name"], measure=r["measure"],
                           before=r["before_text"], after=r["after_text"], n=r["n"],
                           from_wave=r["from_wave"], to_wave=r["to_wave"]) for r in rows)


def distance_chart(rows: list[dict], lang: str) -> str:
    """Before → after of the same people, one line per indicator, each on its own scale
    (the scale's ends at the line's ends): an inline SVG with a title and description."""
    if not rows:
        return ""
    left, right = 24, CHART_WIDTH - 36
    height = ROW * len(rows) + 16
    title = i18n.t("val.chart.title", lang)
    desc = chart_alternative(rows, lang)
    parts = [(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CHART_WIDTH} {height}" '
              f'width="{CHART_WIDTH * 2}" role="img" aria-labelledby="dt-title dt-desc" '
              f'font-family="DejaVu Sans, Arial, sans-serif" font-size="8">'
              f'<title id="dt-title">{_e(title)}</title><desc id="dt-desc">{_e(desc)}</desc>')]
    for k, r in enumerate(rows):
        top = k * ROW
        y = top + 21
        span = (r["high"] - r["low"]) or 1.0

        def x(value: float, r: dict = r, span: float = span) -> float:
            return left + (right - left) * min(max((value - r["low"]) / span, 0.0), 1.0)

        parts.append(f'<text x="0" y="{top + 8}"><tspan font-weight="bold">{_e(r["name"])}'
                     f'</tspan><tspan fill="#444" font-size="6.8"> · {_e(r["measure"])} · '
                     f'n = {r["n"]}</tspan></text>')
        parts.append(f'<line x1="{left}" x2="{right}" y1="{y}" y2="{y}" stroke="#cbd5e1" '
                     'stroke-width="3" stroke-linecap="round"/>')
        x0, x1 = x(r["before"]), x(r["after"])
        parts.append(f'<line x1="{x0:.1f}" x2="{x1:.1f}" y1="{y}" y2="{y}" stroke="#2a6f97" '
                     'stroke-width="2"/>')
        parts.append(f'<circle cx="{x0:.1f}" cy="{y}" r="3.5" fill="#fff" stroke="#4b5563" '
                     'stroke-width="1.5"/>')
        parts.append(f'<circle cx="{x1:.1f}" cy="{y}" r="3.5" fill="#1d3557"/>')
        rising = x0 <= x1
        parts.append(f'<text x="{x0 + (-6 if rising else 6):.1f}" y="{y + 3}" '
                     f'text-anchor="{"end" if rising else "start"}" fill="#374151">'
                     f'{_e(r["before_text"])}</text>')
        parts.append(f'<text x="{x1 + (6 if rising else -6):.1f}" y="{y + 3}" '
                     f'text-anchor="{"start" if rising else "end"}" font-weight="bold">'
                     f'{_e(r["after_text"])}</text>')
    legend_y = height - 3
    parts.append(f'<circle cx="{left}" cy="{legend_y - 3}" r="3" fill="#fff" stroke="#4b5563"/>'
                 f'<text x="{left + 6}" y="{legend_y}">{_e(i18n.t("val.chart.before", lang))}'
                 f'</text><circle cx="{left + 110}" cy="{legend_y - 3}" r="3" fill="#1d3557"/>'
                 f'<text x="{left + 116}" y="{legend_y}">{_e(i18n.t("val.chart.after", lang))}'
                 "</text></svg>")
    return "".join(parts)


def _question_html(block: dict, lang: str) -> str:
    items = "".join(
        f'<li><span class="figure-name">{_e(f["name"])}</span> — '
        + " ".join(_e(s) + "." if not s.endswith(".") else _e(s) for s in f["sentences"])
        + "</li>" for f in block["figures"])
    figures = f"<ul>{items}</ul>" if items else \
        f'<p class="empty">{_e(i18n.t("val.question.no_figures", lang))}</p>'
    findings = "".join(
        f'<p class="finding"><span class="who">{_e(f["author"])}'
        f'{" :" if lang == "fr" else ":"}</span> '
        f'<span{_lang_attr(f["lang"], lang)}>{_e(f["text"])}</span></p>'
        for f in block["findings"])
    return (f'<section class="question"><h3{_lang_attr(block["lang"], lang)}>'
            f'{_e(block["text"])}</h3>{figures}{findings}</section>')


#: Font size (pt) by the amount of text, so that the page stays one A4 sheet: measured
#: on the sample's step 3 enterprises in Chromium's PDF, in French, Dutch and English.
FONT_STEPS = ((4400, 8.6), (4800, 8.0), (5200, 7.5), (5700, 7.0))
SMALLEST_FONT = 6.6


def text_amount(content: dict) -> int:
    """Characters the page will hold, a chart line counted as 110."""
    amount = sum(len(line) for line in content["identity"])
    for block in content["questions"]:
        amount += len(block["text"]) + 40
        amount += sum(len(f["name"]) + sum(len(s) + 2 for s in f["sentences"]) + 30
                      for f in block["figures"])
        amount += sum(len(f["text"]) + len(f["author"]) + 60 for f in block["findings"])
    amount += len(content["not_conclusive_line"])
    amount += sum(len(text) for text in content["limits"])
    amount += max(110 * len(content["chart"]),
                  sum(len(v["text"]) + len(v["origin"]) + 80 for v in content["verbatims"]))
    return amount


def font_size(content: dict) -> float:
    amount = text_amount(content)
    return next((size for limit, size in FONT_STEPS if amount <= limit), SMALLEST_FONT)


def page_html(content: dict, provenance: str = "", size: float | None = None) -> str:
    """The whole one-pager as a standalone HTML document (no script, no external file)."""
    lang = content["lang"]

    def t(key: str, **values: object) -> str:
        return i18n.t(key, lang, **values)

    name = content["name"]
    questions = "".join(_question_html(block, lang) for block in content["questions"])
    chart = ""
    if content["chart"]:
        chart = (f'<figure><figcaption>{_e(t("val.chart.title"))}</figcaption>'
                 f'{distance_chart(content["chart"], lang)}</figure>')
    verbatims = "".join(
        f'<blockquote><p{_lang_attr(v["lang"], lang)}>{_e(v["text"])}</p>'
        f"<footer>— {_e(v['origin'])}</footer></blockquote>" for v in content["verbatims"])
    voices = (f'<h2>{_e(t("val.voices"))}</h2>{verbatims}' if verbatims else "")
    limits = "".join(f"<li>{_e(text)}</li>" for text in content["limits"])
    not_conclusive = (f'<p class="not-conclusive">{_e(content["not_conclusive_line"])}</p>'
                      if content["not_conclusive_line"] else "")
    body = (
        f"<header><h1>{_e(name)}</h1>"
        f'<p class="identity">{_e(content["identity"][0])}</p>'
        f'<p class="identity">{_e(content["identity"][1])}</p></header>'
        f'<main><h2>{_e(t("val.questions"))}</h2>{questions}{not_conclusive}'
        f'<div class="columns"><div>{chart}</div><div>{voices}</div></div>'
        f'<h2>{_e(t("val.limits"))}</h2><ul class="limits">{limits}</ul></main>'
        f'<footer class="provenance">'
        f'{provenance if provenance == PROVENANCE_MARK else _e(provenance)}</footer>'
    )
    title = f"{name} — {t('val.title')}"
    return (f'<!DOCTYPE html>\n<html lang="{_e(lang)}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(title)}</title><style>{STYLE}"
            f"body{{font-size:{size or font_size(content)}pt}}</style></head>"
            f"<body>{body}</body></html>\n")


def chromium_path() -> str:
    """Debian's Chromium ($VISES_CHROMIUM to use another one)."""
    found = os.environ.get("VISES_CHROMIUM") or shutil.which("chromium") or \
        shutil.which("chromium-browser")
    if not found:
        raise VisesError("err.pdf.no_chromium")
    return found


BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]


SHRINK = (6.4, 6.0, 5.6)


def pdf_pages(data: bytes) -> int:
    """Pages in a PDF written by Chromium (its page objects)."""
    return len(re.findall(rb"/Type\s*/Page(?!s)", data))


def write_pdfs(pages: list[Path]) -> list[Path]:
    """Each HTML page printed to a PDF beside it (same name, .pdf), written atomically.

    Offline: every request other than the page's own file is refused.
    """
    if not pages:
        return []
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise VisesError("err.pdf.no_playwright") from None
    from vises_nb.files import write_atomic

    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=BROWSER_ARGS)
        try:
            context = browser.new_context(offline=True)
            page = context.new_page()
            page.route("**/*", lambda route: route.continue_()
                       if route.request.url.startswith("file://") else route.abort())
            for source in pages:
                page.goto(source.resolve().as_uri())
                data = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
                for size in SHRINK:  # longer than estimated: smaller type, never a 2nd page
                    if pdf_pages(data) <= 1:
                        break
                    page.add_style_tag(content=f"body{{font-size:{size}pt !important}}")
                    data = page.pdf(format="A4", print_background=True,
                                    prefer_css_page_size=True)
                target = source.with_suffix(".pdf")
                write_atomic(target, data)
                written.append(target)
        finally:
            browser.close()
    return written


def build(data, store_url: str, lang: str, min_respondents: int = 5,
          peers_file: str = "") -> dict:
    """The one-pager's content for an enterprise loaded by a notebook: its result tables,
    and the cohort's published results for the peer comparison (from `peers_file`, the
    run's copy computed once for every one-pager, else from the store)."""
    from vises_nb.analysis import valorisation
    from vises_nb.publishing import peers
    from vises_nb.publishing.notebook import step3_tables

    # the same protected tables as the step 3 report (disclosure control)
    step3 = step3_tables(data, min_respondents)
    wave_results, changes = step3.published.results, step3.published.changes
    return valorisation.one_pager(data, wave_results, changes, step3.values, lang,
                                  min_respondents,
                                  peer_results=peers.load(store_url, min_respondents,
                                                          peers_file))


def show(content: dict) -> None:
    """Display the one-pager in a notebook; `vises run` publishes this output as the page
    itself (marked `vises_page`), its provenance line filled in."""
    from IPython.display import HTML, display

    display(HTML(page_html(content, PROVENANCE_MARK)), metadata={"vises_page": True})


def chart_output(rows: list[dict], lang: str):
    """The distance-travelled chart as a notebook output (None when nobody was followed)."""
    from IPython.display import HTML

    return HTML(f'<figure class="paired">{distance_chart(rows, lang)}</figure>') if rows \
        else None

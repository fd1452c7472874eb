"""Publishing: executed notebooks become offline HTML reports, listed in reports/index.html.

Reports carry no code, no script and no link to a CDN: charts are inline SVG and the
style sheet is inline. Each report ends with an audit footer saying where it came from.
Files are written to a temporary name and renamed, so a crash never leaves half a report.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from vises_nb import __version__, i18n
from vises_nb.files import write_atomic
from vises_nb.method import vocabulary as voc

STYLE = """
body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;max-width:980px;margin:2em auto;
padding:0 1em;color:#222;line-height:1.45}
h1{color:#1d3557;border-bottom:3px solid #2a6f97;padding-bottom:.2em}
h2{color:#1d3557;margin-top:1.6em}h3{color:#2a6f97}
table.vises-table,table.index{border-collapse:collapse;margin:.6em 0 1.2em;font-size:.92em}
table.vises-table th,table.vises-table td,table.index th,table.index td{border-bottom:1px solid
#ddd;padding:.3em .6em;text-align:left;vertical-align:top}
table.vises-table th,table.index th{background:#f1f5f9}
.empty{color:#777;font-style:italic}.failed{color:#b00020;font-weight:bold}
figure.verbatim{margin:.5em 0 .8em;padding:.4em .9em;border-left:4px solid #e07a5f;
background:#fcf6f4}figure.verbatim blockquote{margin:0;font-style:italic}
footer.audit{margin-top:3em;border-top:1px solid #ccc;font-size:.8em;color:#555}
footer.audit th{text-align:left;padding-right:1em;vertical-align:top;white-space:nowrap}
svg{max-width:100%;height:auto}
"""


def page(title: str, body: str, lang: str, footer: str = "") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>"
        f"<body>{body}{footer}</body></html>\n"
    )


def redact_store(url: object) -> str:
    """What a report may say of its store: the kind of database and its name, never a host,
    a user or a password (a PostgreSQL URL would carry them to funders)."""
    import sqlalchemy as sa

    text = str(url or "")
    if not text:
        return ""
    try:
        parsed = sa.make_url(text)
    except sa.exc.ArgumentError:  # a plain file path
        return Path(text).name
    name = Path(parsed.database or "").name
    return f"{parsed.get_backend_name()}: {name}" if name else parsed.get_backend_name()


def _redacted(value: object) -> object:
    if isinstance(value, dict):
        return {k: redact_store(v) if k == "store_url" else v for k, v in value.items()}
    return value


def audit_footer(audit: dict[str, object], lang: str) -> str:
    """Where a report came from; the store's address is shown redacted (see redact_store)."""
    audit = {key: _redacted(value) for key, value in audit.items()}
    rows = "".join(
        f"<tr><th>{html.escape(i18n.t('audit.' + key, lang))}</th>"
        f"<td>{html.escape(str(value))}</td></tr>"
        for key, value in audit.items()
    )
    return f'<footer class="audit"><h2>{html.escape(i18n.t("audit.title", lang))}</h2>' \
           f"<table>{rows}</table></footer>"


#: What a report shows of an output, best first. No script or widget type is listed, so
#: nothing executable reaches a report.
SHOWN = ("text/html", "image/svg+xml", "image/png", "image/jpeg", "text/plain")


def output_html(output: nbformat.NotebookNode) -> str:
    """One cell output as report HTML; stderr (warnings) and errors are left out."""
    kind = output.get("output_type")
    if kind == "stream":
        text = output.get("text", "")
        return f"<pre>{html.escape(text)}</pre>" if output.get("name") == "stdout" and text else ""
    if kind not in ("display_data", "execute_result"):
        return ""
    data = output.get("data", {})
    for mime in SHOWN:
        if mime not in data:
            continue
        value = data[mime]
        value = "".join(value) if isinstance(value, list) else str(value)
        if mime == "text/html":
            return f'<div class="output">{value}</div>'
        if mime == "image/svg+xml":  # an image, not inline: its ids and styles stay its own
            value = base64.b64encode(value.encode()).decode()
        if mime.startswith("image/"):
            return f'<div class="output"><img alt="" src="data:{mime};base64,{value.strip()}"></div>'
        return f"<pre>{html.escape(value)}</pre>" if value.strip() else ""
    return ""


def notebook_body(notebook: nbformat.NotebookNode) -> str:
    """The notebook's outputs as HTML: no code, no prompts, no markdown cells.

    Markdown cells are notes for whoever opens the notebook in JupyterLab (in English);
    everything a report's reader sees is an output, in the report's language. Written
    directly rather than through nbconvert, whose exporter compiles its templates again
    for every report (~0.3 s each, the largest share of publishing a report).
    """
    return "\n".join(part for cell in notebook.cells if cell.get("cell_type") == "code"
                     for output in cell.get("outputs", []) if (part := output_html(output)))


def publish_notebook(executed: Path, target: Path, title: str, lang: str,
                     audit: dict[str, object]) -> Path:
    """Turn an executed notebook into an offline HTML report at `target`."""
    notebook = nbformat.read(executed, as_version=4)
    write_atomic(target, page(title, notebook_body(notebook), lang, audit_footer(audit, lang)))
    return target


@dataclass
class IndexEntry:
    """One enterprise's line in the index: its reports and any failure."""

    enterprise_id: str
    name: str
    pole: str
    region: str
    step: int
    reports: dict[str, str] = field(default_factory=dict)
    failures: dict[str, tuple[str, str]] = field(default_factory=dict)
    archived: bool = False  # left the cohort: not run any more, earlier reports still linked


def index_page(entries: list[IndexEntry], cohort_report: str | None, lang: str,
               cohort_failure: tuple[str, str] | None = None, run_id: str = "",
               languages: list[str] | None = None) -> str:
    """reports/index.html: every enterprise with its pole, region, step and reports."""
    step_names = [(s, voc.STEPS.label(s, lang)) for s in voc.STEPS.codes]
    head = "".join(f"<th>{html.escape(h)}</th>" for h in [
        i18n.t("enterprise", lang), i18n.t("pole", lang), i18n.t("region", lang),
        i18n.t("current_step", lang)] + [name for _, name in step_names])
    rows: list[str] = []
    archived_rows: list[str] = []
    for e in entries:
        cells = [f"{html.escape(e.name)} <small>({html.escape(e.enterprise_id)})</small>",
                 html.escape(voc.POLES.label(e.pole, lang)),
                 html.escape(voc.REGIONS.label(e.region, lang)), str(e.step)]
        for step, _ in step_names:
            if step in e.failures:
                message, link = e.failures[step]
                cells.append(f'<span class="failed">{html.escape(i18n.t("failed", lang))}</span> '
                             f'<a href="{html.escape(link)}">{html.escape(message)}</a>')
            elif step in e.reports:
                cells.append(f'<a href="{html.escape(e.reports[step])}">'
                             f'{html.escape(i18n.t("open_report", lang))}</a>')
            else:
                cells.append("—")
        (archived_rows if e.archived else rows).append(
            "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    cohort = ""
    if cohort_report:
        cohort = (f'<p><a href="{html.escape(cohort_report)}">'
                  f'{html.escape(i18n.t("cohort.title", lang))}</a></p>')
    if cohort_failure:
        message, link = cohort_failure
        cohort += (f'<p class="failed">{html.escape(i18n.t("cohort.title", lang))}: '
                   f'{html.escape(i18n.t("failed", lang))} — '
                   f'<a href="{html.escape(link)}">{html.escape(message)}</a></p>')
    failures = sum(len(e.failures) for e in entries) + (1 if cohort_failure else 0)
    summary = i18n.t("index.summary", lang, enterprises=len(rows),
                     reports=sum(len(e.reports) for e in entries), failures=failures)
    switch = ""
    if languages and len(languages) > 1:
        links = " · ".join(
            f"<strong>{html.escape(code)}</strong>" if code == lang else
            f'<a href="index.{html.escape(code)}.html" hreflang="{html.escape(code)}">'
            f"{html.escape(code)}</a>" for code in languages)
        switch = f'<p class="languages">{html.escape(i18n.t("audit.language", lang))}: {links}</p>'
    body = (f"<h1>{html.escape(i18n.t('index.title', lang))}</h1>{switch}"
            f"<p>{html.escape(summary)}</p>{cohort}"
            f'<table class="index"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}'
            "</tbody></table>")
    if archived_rows:
        body += (f'<h2 id="archived">{html.escape(i18n.t("index.archived", lang))}</h2>'
                 f'<p>{html.escape(i18n.t("index.archived_note", lang, count=len(archived_rows)))}'
                 f'</p><table class="index archived"><thead><tr>{head}</tr></thead>'
                 f'<tbody>{"".join(archived_rows)}</tbody></table>')
    footer = audit_footer({"package_version": __version__, "run_id": run_id,
                           "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
                           "language": lang}, lang)
    return page(i18n.t("index.title", lang), body, lang, footer)

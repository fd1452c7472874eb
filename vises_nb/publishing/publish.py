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
.empty{color:#595959;font-style:italic}.failed{color:#b00020;font-weight:bold}
figure.verbatim{margin:.5em 0 .8em;padding:.4em .9em;border-left:4px solid #e07a5f;
background:#fcf6f4}figure.verbatim blockquote{margin:0;font-style:italic}
footer.audit{margin-top:3em;border-top:1px solid #ccc;font-size:.8em;color:#555}
footer.audit th{text-align:left;padding-right:1em;vertical-align:top;white-space:nowrap}
svg{max-width:100%;height:auto}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);
white-space:nowrap}
"""


def page(title: str, body: str, lang: str, footer: str = "") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>"
        f"<body>{body}{footer}</body></html>\n"
    )


#: What the provenance shows of a run's parameters (paths and store URLs are shown
#: without their folder or password, a server's output folder and the run's file of peer
#: results not at all).
HIDDEN_PARAMETERS = ("output_dir", "peers_file")


def redact_store(url: object) -> str:
    """What a report may say of its store: the kind of database and its name, never a host,
    a user, a password (a PostgreSQL URL would carry them to funders) or a server path."""
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


def readable(key: str, value: object, lang: str) -> str:
    """One provenance value in words: parameters as 'name: value' pairs, never a dict."""
    if isinstance(value, dict):
        pairs = []
        for name, item in value.items():
            if name in HIDDEN_PARAMETERS:
                continue
            if name == "store_url":
                item = redact_store(item)
            pairs.append(f"{name}: {item}")
        return " · ".join(pairs)
    if key == "store_url":
        return redact_store(value)
    return str(value)


def audit_footer(audit: dict[str, object], lang: str) -> str:
    """Where a report came from; the store's address is shown redacted (see redact_store)."""
    rows = "".join(
        f"<tr><th scope=\"row\">{html.escape(i18n.t('audit.' + key, lang))}</th>"
        f"<td>{html.escape(readable(key, value, lang))}</td></tr>"
        for key, value in audit.items()
    )
    return f'<footer class="audit"><h2>{html.escape(i18n.t("audit.title", lang))}</h2>' \
           f"<table>{rows}</table></footer>"


def provenance_line(audit: dict[str, object], lang: str) -> str:
    """The one-pager's provenance in one line (data version, vises, date, run)."""
    return i18n.t("val.provenance", lang, data_hash=str(audit.get("data_hash", ""))[:12],
                  version=audit.get("package_version", __version__),
                  date=audit.get("date", ""), run_id=audit.get("run_id", ""))


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
            meta = output.get("metadata", {})
            alt = meta.get("alt") or meta.get(mime, {}).get("alt", "")
            return (f'<div class="output"><img alt="{html.escape(str(alt))}" '
                    f'src="data:{mime};base64,{value.strip()}"></div>')
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


def whole_page(notebook: nbformat.NotebookNode) -> str | None:
    """The output a notebook marked as its whole report (`vises_page`), if any."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("metadata", {}).get("vises_page") and "text/html" in output.get(
                    "data", {}):
                value = output["data"]["text/html"]
                return "".join(value) if isinstance(value, list) else str(value)
    return None


PROVENANCE_MARK = "<!--vises-provenance-->"


def publish_notebook(executed: Path, target: Path, title: str, lang: str,
                     audit: dict[str, object],
                     notebook: nbformat.NotebookNode | None = None) -> Path:
    """Turn an executed notebook into an offline HTML report at `target`.

    A notebook that displays a whole page (the valorisation one-pager) is published as
    that page, with its provenance line filled in. `notebook`: the executed notebook as
    it was just written to `executed` (the batch engine has it in memory), else read.
    """
    if notebook is None:
        notebook = nbformat.read(executed, as_version=4)
    own = whole_page(notebook)
    if own is not None:
        write_atomic(target, own.replace(PROVENANCE_MARK,
                                         html.escape(provenance_line(audit, lang)), 1))
        return target
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
    language: str = ""  # the enterprise's own language (its identity card)
    languages: dict[str, str] = field(default_factory=dict)  # step → language of its report


def report_link(entry: IndexEntry, step: str, lang: str) -> str:
    """A link that says where it goes: the report and the enterprise (the name for screen
    readers, the table's row saying it to the eye), and its language when not the page's."""
    language = entry.languages.get(step, lang)
    key = "index.link.valorisation" if step == "valorisation" else "index.link.step"
    text = i18n.t(key, lang, step=step)
    hidden = f'<span class="sr-only"> — {html.escape(entry.name)}</span>'
    other = ""
    if language != lang:
        other = (f' <span lang="{html.escape(language)}">'
                 f"({html.escape(i18n.locale(language).get_display_name(language) or language)})"
                 "</span>")
        return (f'<a href="{html.escape(entry.reports[step])}" hreflang="{html.escape(language)}">'
                f"{html.escape(text)}{hidden}{other}</a>")
    return f'<a href="{html.escape(entry.reports[step])}">{html.escape(text)}{hidden}</a>'


def index_page(entries: list[IndexEntry], cohort_report: str | None, lang: str,
               cohort_failure: tuple[str, str] | None = None, run_id: str = "",
               languages: list[str] | None = None) -> str:
    """reports/index.html: every enterprise with its pole, region, step and reports."""
    step_names = [(s, voc.STEPS.label(s, lang)) for s in voc.STEPS.codes]
    step_names.append(("valorisation", i18n.t("val.title", lang)))
    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in [
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
                cells.append(report_link(e, step, lang))
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

"""What the step 3 notebook shows of its findings: verbatims, question findings and the
one-page summary, as escaped HTML outputs (the figures come from `analysis.findings`)."""

from __future__ import annotations

import html

from IPython.display import HTML, display

from vises_nb import i18n
from vises_nb.analysis.findings import findings_table, verbatims_by_dimension
from vises_nb.publishing import display as show
from vises_nb.store.loading import EnterpriseData


def show_verbatims(data: EnterpriseData, lang: str) -> None:
    """Display publishable verbatims grouped by dimension (escaped, in the speaker's words)."""
    groups = verbatims_by_dimension(data, lang)
    own = data.enterprise.language if data.enterprise.language != lang else ""
    if not groups:
        display(show.paragraph(i18n.t("verbatims.none", lang), "empty"))
    for dimension, texts in groups:
        display(show.heading(dimension, 3))
        for text in texts:
            display(show.quote(text, lang=own))  # in the speaker's words and language


def written_html(finding: dict, lang: str) -> str:
    """The accompanier's and the enterprise's reading of one question's results, each in
    the language it was written in (escaped; line breaks kept)."""
    parts = [show.heading(i18n.t("findings.written_title", lang), 4).data]
    written = finding.get("written") or []
    if not written:
        parts.append(show.paragraph(i18n.t("findings.none_written", lang), "empty").data)
    for item in written:
        own = f" lang='{html.escape(item['language'])}'" if item["language"] != lang else ""
        parts.append(
            f"<div class='written-finding' data-author='{html.escape(item['author'])}'>"
            f"<p class='finding-author'><b>{html.escape(item['author_label'])}</b></p>"
            f"<p class='finding-text'{own} style='white-space:pre-line'>"
            f"{html.escape(item['text'])}</p></div>")
    return "".join(parts)


def show_question_findings(findings: list[dict], lang: str) -> None:
    """Each question: figures and verbatims side by side, the written findings beside
    them, then its limits."""
    if not findings:
        display(show.paragraph(i18n.t("no_data", lang), "empty"))
    for finding in findings:
        own = finding.get("language", lang)
        display(show.heading(finding["question"], 3, own if own != lang else ""))
        display(show.paragraph(i18n.t("findings.purpose", lang, purpose=finding["purpose"])))
        quotes = "".join(show.quote(text, lang=own if own != lang else "").data
                         for text in finding["verbatims"][:3]) or \
            show.paragraph(i18n.t("verbatims.none", lang), "empty").data
        display(HTML("<div class='side-by-side' style='display:flex;gap:1.5em;flex-wrap:wrap'>"
                     f"<div style='flex:3;min-width:20em'>"
                     f"{show.table(findings_table(finding, lang), lang).data}</div>"
                     f"<div style='flex:2;min-width:14em'>{quotes}</div></div>"))
        display(HTML(written_html(finding, lang)))
        # "limits of these figures": the report's own "limits to keep in mind" section
        # follows the last question, so one heading must not repeat the other
        display(show.heading(i18n.t("limits.question", lang), 4))
        display(show.bullets(finding["limits"]))


def show_summary(summary: dict, lang: str) -> None:
    """The valorisation summary as one printable block."""
    parts = [f"<section class='one-page-summary'>{show.paragraph(summary['intro']).data}",
             show.heading(i18n.t("summary.questions", lang), 3).data,
             show.bullets(summary["questions"]).data,
             show.heading(i18n.t("summary.key_figures", lang), 3).data,
             show.bullets(summary["key_figures"]).data,
             show.heading(i18n.t("summary.voices", lang), 3).data,
             "".join(show.quote(v).data for v in summary["verbatims"])
             or show.paragraph(i18n.t("verbatims.none", lang), "empty").data,
             show.heading(i18n.t("limits.title", lang), 3).data,
             show.bullets(summary["limits"]).data, "</section>"]
    display(HTML("".join(parts)))

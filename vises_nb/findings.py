"""Step 3 views: results and changes in words and numbers, verbatims, findings per question.

A figure that cannot be shown (no data, too few respondents) is written out as such
("not enough data"), never as a blank, a NaN or a misleading 100 %.
"""

from __future__ import annotations

import pandas as pd

from . import i18n
from . import vocabulary as voc
from .loading import EnterpriseData
from .privacy import mask_contacts


def _interval(low: object, high: object, fmt) -> str:
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return ""
    return f" [{fmt(low)} – {fmt(high)}]"


def describe_result(row: pd.Series | dict, lang: str, min_respondents: int = 5) -> str:
    """One wave's figure as text: value, interval, n — or why it is not shown."""
    get = row.get
    n = int(get("n") or 0)
    if get("suppressed") and n > 0:
        return i18n.t("result.suppressed", lang, threshold=min_respondents)
    if get("value") is None or pd.isna(get("value")):
        return i18n.t("result.not_enough_data", lang, n=n)
    statistic = get("statistic")
    if statistic == "proportion":
        def fmt(v):
            return i18n.percent(v, lang)
        text = fmt(get("value")) + _interval(get("low"), get("high"), fmt)
    elif statistic == "median":
        text = i18n.t("result.median", lang, value=i18n.number(get("value"), lang))
        if get("top2") is not None and not pd.isna(get("top2")):
            text += " · " + i18n.t("result.top2", lang) + " " + i18n.percent(get("top2"), lang)
            text += _interval(get("top2_low"), get("top2_high"), lambda v: i18n.percent(v, lang))
    else:
        def fmt(v):
            return i18n.number(v, lang)
        text = fmt(get("value")) + _interval(get("low"), get("high"), fmt)
    return f"{text} (n = {n})"


def results_table(results: pd.DataFrame, data: EnterpriseData, lang: str) -> pd.DataFrame:
    """Indicators (rows) by wave (columns), each cell a described figure."""
    if results.empty:
        return pd.DataFrame()
    names = data.indicators.set_index("id")["name"]
    table = results.assign(
        indicator=results["indicator_id"].map(names),
        text=[describe_result(r, lang) for r in results.to_dict("records")],
    ).pivot_table(index="indicator", columns="wave", values="text", aggfunc="first")
    table.index.name = i18n.t("indicator", lang)
    table.columns.name = None
    return table.fillna("—").reset_index()


def describe_change(row: dict, lang: str, min_respondents: int = 5) -> str:
    if row.get("suppressed") and row.get("n_paired"):
        return i18n.t("result.suppressed", lang, threshold=min_respondents)
    if not row.get("enough_data"):
        return i18n.t("result.not_enough_data", lang, n=int(row.get("n_paired") or 0))
    p = row["p_value"]
    verdict = i18n.t("change.significant" if p < 0.05 else "change.not_significant", lang)
    before, after = row["before"], row["after"]
    if row["kind"] == "proportion":
        values = f"{i18n.percent(before, lang)} → {i18n.percent(after, lang)}"
    else:
        values = f"{i18n.number(before, lang)} → {i18n.number(after, lang)}"
    effect = ""
    if row.get("effect_size") is not None and not pd.isna(row.get("effect_size")):
        effect = f", {i18n.t('effect.' + row['effect_size_name'], lang)} = " \
                 f"{i18n.number(row['effect_size'], lang, 2)}"
    return f"{values} · p = {i18n.number(p, lang, 3)}{effect} · {verdict}"


def changes_table(changes: pd.DataFrame, data: EnterpriseData, lang: str) -> pd.DataFrame:
    if changes.empty:
        return pd.DataFrame()
    names = data.indicators.set_index("id")["name"]
    records = changes.to_dict("records")
    return pd.DataFrame({
        i18n.t("indicator", lang): changes["indicator_id"].map(names).tolist(),
        i18n.t("change.period", lang): [f"{r['from_wave']} → {r['to_wave']}" for r in records],
        i18n.t("change.paired", lang): [f"{r['n_paired']} / {r['n_from']}" for r in records],
        i18n.t("change.test", lang): [i18n.t("test." + r["test"], lang) for r in records],
        i18n.t("change.result", lang): [describe_change(r, lang) for r in records],
    })


def publishable_verbatims(data: EnterpriseData) -> pd.DataFrame:
    """Only the excerpts the accompanier marked publishable, contacts in them masked."""
    excerpts = data.excerpts
    chosen = excerpts[excerpts["publishable"].astype(bool)].sort_values(["dimension", "id"])
    return chosen.assign(text=chosen["text"].map(mask_contacts))


def verbatims_by_dimension(data: EnterpriseData, lang: str) -> list[tuple[str, list[str]]]:
    """(dimension label, verbatims) pairs, dimensions in vocabulary order."""
    excerpts = publishable_verbatims(data)
    grouped = []
    for code in voc.DIMENSIONS.codes:
        texts = excerpts.loc[excerpts["dimension"] == code, "text"].tolist()
        if texts:
            grouped.append((voc.DIMENSIONS.label(code, lang), texts))
    return grouped


def limits(data: EnterpriseData, changes: pd.DataFrame, lang: str) -> list[str]:
    """What the reader must keep in mind: sample size, attrition, no counterfactual."""
    notes = [i18n.t("limit.no_counterfactual", lang)]
    respondents = data.responses["respondent_id"].nunique() if not data.responses.empty else 0
    notes.append(i18n.t("limit.sample_size", lang, n=respondents))
    if not changes.empty and changes["attrition"].notna().any():
        worst = float(changes["attrition"].max())
        notes.append(i18n.t("limit.attrition", lang, share=i18n.percent(worst, lang)))
    return notes


def show_verbatims(data: EnterpriseData, lang: str) -> None:
    """Display publishable verbatims grouped by dimension (escaped, in the speaker's words)."""
    from IPython.display import display

    from . import display as show

    groups = verbatims_by_dimension(data, lang)
    if not groups:
        display(show.paragraph(i18n.t("verbatims.none", lang), "empty"))
    for dimension, texts in groups:
        display(show.heading(dimension, 3))
        for text in texts:
            display(show.quote(text))

"""Charts: one Altair theme, rendered to inline SVG so reports work offline.

Altair's default HTML renderer loads vega from a CDN; here every chart is converted
to SVG by vl-convert in the kernel and shown as an image/svg+xml output, which
the report embeds as is. Data is aggregated before charting (MaxRowsError).
"""

from __future__ import annotations

import html

import altair as alt
import pandas as pd
import vl_convert
from IPython.display import SVG

from vises_nb import i18n
from vises_nb.method import vocabulary as voc
from vises_nb.method.scales import SCALES
from vises_nb.text import clean_all

PALETTE = ["#2a6f97", "#e07a5f", "#81b29a", "#f2cc8f", "#6d597a", "#3d405b"]
DIMENSION_COLOURS = {"economic": "#2a6f97", "social": "#e07a5f", "political": "#6d597a",
                     "environmental": "#81b29a", "territorial": "#f2cc8f"}
LIKERT_COLOURS = ["#b2182b", "#ef8a62", "#d9d9d9", "#67a9cf", "#2166ac"]


@alt.theme.register("vises", enable=True)
def vises_theme() -> alt.theme.ThemeConfig:
    """Sober, readable charts that print well in black and white too."""
    return {
        "config": {
            "font": "DejaVu Sans, Helvetica, Arial, sans-serif",
            "view": {"stroke": None, "continuousWidth": 360, "continuousHeight": 220},
            "range": {"category": PALETTE},
            "axis": {"labelFontSize": 11, "titleFontSize": 12, "grid": True,
                     "gridColor": "#eeeeee"},
            "header": {"labelFontSize": 12, "titleFontSize": 12},
            "title": {"fontSize": 14, "anchor": "start"},
            "legend": {"labelFontSize": 11, "titleFontSize": 12},
        }
    }


#: Number formats of the chart axes, like the tables' (decimal comma in fr and nl).
FORMAT_LOCALES = {"fr": "fr-FR", "nl": "nl-NL", "en": "en-US", "de": "de-DE"}


def described(chart: alt.TopLevelMixin, lang: str, title: str,
              figures: list[str]) -> alt.TopLevelMixin:
    """Attach the chart's language and text alternative (its title and the figures it
    shows), carried in Vega-Lite's `usermeta`, which drawing ignores."""
    text = f"{title}: " + "; ".join(figures) if figures else title
    chart.usermeta = {"lang": lang, "alt": text}
    return chart


def _meta(chart: alt.TopLevelMixin | dict) -> dict:
    meta = chart.get("usermeta") if isinstance(chart, dict) else getattr(chart, "usermeta", None)
    return meta if isinstance(meta, dict) else {}


def to_svg(chart: alt.TopLevelMixin | dict, lang: str | None = None, validate: bool = True) -> str:
    """The chart as a standalone SVG document (no script, no network), its numbers
    formatted in the chart's language.

    A renderer's failure never ends a report or a page: every text of the specification
    is cleaned first (vl-convert aborts its whole process on a control character, which
    no `except` can catch), and a conversion that still fails gives an SVG saying the
    chart could not be drawn, in `lang` (or every language when unknown)."""
    lang = _meta(chart).get("lang") or lang
    try:
        spec = chart if isinstance(chart, dict) else chart.to_dict(validate=validate)
        locale = FORMAT_LOCALES.get(lang) if lang else None
        spec = clean_all(spec)
        return vl_convert.vegalite_to_svg(spec, format_locale=locale) if locale \
            else vl_convert.vegalite_to_svg(spec)
    except Exception:  # noqa: BLE001 - altair's or the renderer's: the report goes on
        return failed_svg(lang)


def failed_svg(lang: str | None = None) -> str:
    """A small SVG saying a chart could not be drawn."""
    langs = [lang] if lang else list(i18n.available_languages())
    lines = "".join(
        f"<text x='8' y='{20 + 18 * n}' font-size='13'>"
        f"{html.escape(i18n.t('chart.not_drawn', code))}</text>"
        for n, code in enumerate(langs))
    height = 12 + 18 * len(langs)
    return (f"<svg xmlns='http://www.w3.org/2000/svg' class='vises-chart-failed' width='520' "
            f"height='{height}' role='img'>{lines}</svg>")


def alt_text(chart: alt.TopLevelMixin) -> str:
    return str(_meta(chart).get("alt", ""))


def show(chart: alt.TopLevelMixin, lang: str | None = None) -> SVG:
    """Display a chart in a notebook as inline SVG (a note when it cannot be drawn);
    reports show its text alternative."""
    return SVG(to_svg(chart, lang), metadata={"alt": alt_text(chart)})


def wave_results_chart(results: pd.DataFrame, names: dict[str, str], lang: str) -> alt.Chart | None:
    """Means and proportions per wave with their 95% interval, one panel per indicator."""
    shown = results[(results["statistic"].isin(["mean", "proportion"]))
                    & results["value"].notna()].copy()
    if shown.empty:
        return None
    shown["indicator"] = shown["indicator_id"].map(names)
    base = alt.Chart(shown).encode(
        x=alt.X("wave:N", title=i18n.t("wave", lang), sort=["T0", "T1", "T2"]))
    points = base.mark_point(filled=True, size=70).encode(
        y=alt.Y("value:Q", title=i18n.t("value", lang), scale=alt.Scale(zero=False)),
        tooltip=["indicator", "wave", "n", "value"])
    bars = base.mark_rule(strokeWidth=2).encode(y="low:Q", y2="high:Q")
    chart = (bars + points).properties(width=160, height=160).facet(
        facet=alt.Facet("indicator:N", title=None), columns=3
    ).resolve_scale(y="independent")
    figures = [f"{r['indicator']} {r['wave']}: "
               f"{i18n.percent(r['value'], lang) if r['statistic'] == 'proportion' else i18n.number(r['value'], lang)}"
               f" (n = {int(r['n'])})" for r in shown.to_dict("records")]
    return described(chart, lang, i18n.t("results.chart_waves", lang), figures)


def diverging_layout(distribution: pd.DataFrame) -> pd.DataFrame:
    """Where each answer's bar starts and ends on a diverging axis centred on neutral.

    Disagreement extends left of 0, agreement right, and the neutral answer straddles 0
    (half on each side), so the balance of opinion reads at a glance. One row per
    indicator, wave and answer: already aggregated, whatever the number of respondents.
    """
    columns = ["indicator_id", "indicator_code", "wave", "answer", "count", "share", "n",
               "start", "end"]
    if distribution.empty:
        return pd.DataFrame(columns=columns)
    frame = distribution.sort_values(["indicator_id", "wave", "answer"]).copy()
    middle = (frame.groupby(["indicator_id", "wave"])["answer"].transform("max") + 1) / 2
    below = frame["share"].where(frame["answer"] < middle, 0.0)
    neutral = frame["share"].where(frame["answer"] == middle, 0.0)
    keys = [frame["indicator_id"], frame["wave"]]
    left_edge = -(below.groupby(keys).transform("sum") + neutral.groupby(keys).transform("sum") / 2)
    cumulative = frame.groupby(["indicator_id", "wave"])["share"].cumsum()
    frame["end"] = left_edge + cumulative
    frame["start"] = frame["end"] - frame["share"]
    return frame[columns].reset_index(drop=True)


def likert_chart(distribution: pd.DataFrame, names: dict[str, str], lang: str) -> alt.Chart | None:
    """Diverging stacked bars of agreement per wave, one row per Likert indicator."""
    if not distribution.empty and "kind" in distribution:  # an unordered list never diverges
        distribution = distribution[distribution["kind"] != "nominal"]
    if not distribution.empty:  # an own scale of more than five points has no Likert label
        widest = distribution.groupby("indicator_id")["answer"].transform("max")
        distribution = distribution[widest <= 5]
    data = diverging_layout(distribution[distribution["indicator_code"].map(
        lambda c: c != "network_size")] if not distribution.empty else distribution)
    if data.empty:
        return None
    data["indicator"] = data["indicator_id"].map(names)
    data["label"] = data["answer"].map(lambda a: SCALES["likert5"][int(a)][lang])
    order = [SCALES["likert5"][k][lang] for k in range(1, 6)]
    chart = alt.Chart(data).mark_bar().encode(
        y=alt.Y("wave:N", title=None, sort=["T0", "T1", "T2"]),
        x=alt.X("start:Q", title=i18n.t("share_of_respondents", lang),
                scale=alt.Scale(domain=[-1, 1]),
                axis=alt.Axis(format="%", values=[-1, -0.5, 0, 0.5, 1])),
        x2="end:Q",
        color=alt.Color("label:N", sort=order, scale=alt.Scale(domain=order,
                        range=LIKERT_COLOURS), title=None),
        row=alt.Row("indicator:N", title=None, header=alt.Header(labelAngle=0,
                    labelAlign="left", labelLimit=220)),
        tooltip=["indicator", "wave", "label", "count", "n"],
    ).properties(width=360, height=alt.Step(18))
    agree = data[data["answer"] >= 4].groupby(["indicator", "wave", "n"], sort=False)["count"] \
        .sum().reset_index()
    figures = [f"{r['indicator']} {r['wave']}: "
               f"{i18n.percent(r['count'] / r['n'], lang) if r['n'] else '—'} "
               f"{SCALES['likert5'][4][lang].lower()} / {SCALES['likert5'][5][lang].lower()} "
               f"(n = {int(r['n'])})" for r in agree.to_dict("records")]
    return described(chart, lang, i18n.t("likert.title", lang), figures)


def progress_data(progress: pd.DataFrame, lang: str, by: str = "pole") -> pd.DataFrame:
    """What progress_chart draws: the counts with their group's and step's labels."""
    vocabulary = voc.POLES if by == "pole" else voc.REGIONS
    data = progress.copy()
    data["group_label"] = data[by].map(lambda c: vocabulary.label(c, lang))
    data["step_label"] = data["step"].map(lambda s: voc.STEPS.label(str(s), lang))
    return data


def progress_alt(data: pd.DataFrame, lang: str) -> str:
    """progress_chart's text alternative: every count it draws."""
    figures = [f"{r['group_label']}, {r['step_label']}: {int(r['enterprises'])}"
               for r in data.to_dict("records")]
    return f"{i18n.t('enterprises', lang)}: " + "; ".join(figures) if figures \
        else i18n.t("enterprises", lang)


def progress_chart(progress: pd.DataFrame, lang: str, by: str = "pole") -> alt.Chart:
    """Enterprises per pole (or region) and current step (already counted)."""
    vocabulary = voc.POLES if by == "pole" else voc.REGIONS
    data = progress_data(progress, lang, by)
    chart = alt.Chart(data).mark_bar().encode(
        y=alt.Y("group_label:N", title=None,
                sort=[vocabulary.label(c, lang) for c in vocabulary.codes]),
        x=alt.X("enterprises:Q", title=i18n.t("enterprises", lang)),
        color=alt.Color("step_label:N", title=i18n.t("current_step", lang),
                        sort=[voc.STEPS.label(s, lang) for s in voc.STEPS.codes]),
        tooltip=["group_label", "step_label", "enterprises"],
    ).properties(width=380, height=alt.Step(28))
    chart.usermeta = {"lang": lang, "alt": progress_alt(data, lang)}
    return chart


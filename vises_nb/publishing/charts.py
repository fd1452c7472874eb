"""Charts: one Altair theme, rendered to inline SVG so reports work offline.

Altair's default HTML renderer loads vega from a CDN; here every chart is converted
to SVG by vl-convert in the kernel and shown as an image/svg+xml output, which
the report embeds as is. Data is aggregated before charting (MaxRowsError).
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import vl_convert
from IPython.display import SVG

from vises_nb import i18n
from vises_nb.method import vocabulary as voc
from vises_nb.method.scales import SCALES

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


def _meta(chart: alt.TopLevelMixin) -> dict:
    meta = getattr(chart, "usermeta", None)
    return meta if isinstance(meta, dict) else {}


def to_svg(chart: alt.TopLevelMixin) -> str:
    """The chart as a standalone SVG document (no script, no network), its numbers
    formatted in the chart's language."""
    lang = _meta(chart).get("lang")
    locale = FORMAT_LOCALES.get(lang) if lang else None
    return vl_convert.vegalite_to_svg(chart.to_dict(), format_locale=locale) if locale \
        else vl_convert.vegalite_to_svg(chart.to_dict())


def alt_text(chart: alt.TopLevelMixin) -> str:
    return str(_meta(chart).get("alt", ""))


def show(chart: alt.TopLevelMixin) -> SVG:
    """Display a chart in a notebook as inline SVG; reports show its text alternative."""
    return SVG(to_svg(chart), metadata={"alt": alt_text(chart)})


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


def progress_chart(progress: pd.DataFrame, lang: str, by: str = "pole") -> alt.Chart:
    """Enterprises per pole (or region) and current step (already counted)."""
    vocabulary = voc.POLES if by == "pole" else voc.REGIONS
    data = progress.copy()
    data["group_label"] = data[by].map(lambda c: vocabulary.label(c, lang))
    data["step_label"] = data["step"].map(lambda s: voc.STEPS.label(str(s), lang))
    chart = alt.Chart(data).mark_bar().encode(
        y=alt.Y("group_label:N", title=None,
                sort=[vocabulary.label(c, lang) for c in vocabulary.codes]),
        x=alt.X("enterprises:Q", title=i18n.t("enterprises", lang)),
        color=alt.Color("step_label:N", title=i18n.t("current_step", lang),
                        sort=[voc.STEPS.label(s, lang) for s in voc.STEPS.codes]),
        tooltip=["group_label", "step_label", "enterprises"],
    ).properties(width=380, height=alt.Step(28))
    figures = [f"{r['group_label']}, {r['step_label']}: {int(r['enterprises'])}"
               for r in data.to_dict("records")]
    return described(chart, lang, i18n.t("enterprises", lang), figures)


def chain_layout(elements: pd.DataFrame, links: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Positions of the impact-chain boxes (column = level) and of the arrows between them."""
    order = {code: i for i, code in enumerate(voc.CHAIN_LEVELS.codes)}
    nodes = elements.copy()
    nodes["x"] = nodes["level"].map(order)
    nodes = nodes.sort_values(["x", "id"])
    nodes["y"] = nodes.groupby("x").cumcount()
    nodes["dimension"] = nodes["dimensions"].map(lambda d: d[0] if len(d) else "social")
    position = nodes.set_index("id")[["x", "y"]]
    edges = links[links["source_id"].isin(position.index) & links["target_id"].isin(position.index)]
    edges = pd.DataFrame({
        "x": position.loc[edges["source_id"], "x"].to_numpy(),
        "y": position.loc[edges["source_id"], "y"].to_numpy(),
        "x2": position.loc[edges["target_id"], "x"].to_numpy(),
        "y2": position.loc[edges["target_id"], "y"].to_numpy(),
    })
    return nodes, edges


def chain_chart(data, lang: str) -> alt.Chart:
    """The impact chain: resources → … → impacts, boxes coloured by main dimension."""
    nodes, edges = chain_layout(data.chain_elements, data.chain_links)
    nodes["dimension_label"] = nodes["dimension"].map(lambda c: voc.DIMENSIONS.label(c, lang))
    nodes["level_label"] = nodes["level"].map(lambda c: voc.CHAIN_LEVELS.label(c, lang))
    nodes["short"] = nodes["label"].map(lambda s: s if len(s) <= 28 else s[:27] + "…")
    x = alt.X("x:Q", axis=None, scale=alt.Scale(domain=[-0.5, 4.5]))
    y = alt.Y("y:Q", axis=None, scale=alt.Scale(domain=[-1.2, max(3, len(nodes) and
                                                                 int(nodes["y"].max()) + 1)],
                                                reverse=True))
    dims = list(DIMENSION_COLOURS)
    colour = alt.Color("dimension_label:N", title=i18n.t("dimension", lang),
                       scale=alt.Scale(domain=[voc.DIMENSIONS.label(d, lang) for d in dims],
                                       range=[DIMENSION_COLOURS[d] for d in dims]))
    arrows = alt.Chart(edges).mark_rule(color="#999", strokeWidth=1.2).encode(
        x=x, y=y, x2="x2:Q", y2="y2:Q")
    boxes = alt.Chart(nodes).mark_point(shape="square", size=2600, filled=True,
                                        opacity=0.9).encode(x=x, y=y, color=colour)
    labels = alt.Chart(nodes).mark_text(fontSize=9, dy=30).encode(x=x, y=y, text="short:N")
    header = pd.DataFrame({"x": range(5), "y": [-1] * 5,
                           "text": [voc.CHAIN_LEVELS.label(c, lang)
                                    for c in voc.CHAIN_LEVELS.codes]})
    heads = alt.Chart(header).mark_text(fontSize=12, fontWeight="bold").encode(
        x=x, y=y, text="text:N")
    chart = (arrows + boxes + labels + heads).properties(width=820, height=90 * (
        int(nodes["y"].max()) + 2 if len(nodes) else 3))
    figures = [f"{level}: " + ", ".join(nodes.loc[nodes["level"] == code, "label"])
               for code, level in zip(voc.CHAIN_LEVELS.codes, header["text"], strict=True)
               if (nodes["level"] == code).any()]
    return described(chart, lang, i18n.t("chain.title", lang), figures)

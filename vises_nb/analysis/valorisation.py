"""The valorisation one-pager's content: what a funder reads about one enterprise.

Pure functions: an enterprise's data and its result tables (`results.indicator_results`,
`results.indicator_changes`, `results.person_values`) in, a plain dictionary out (texts
already in the page's language), rendered by `vises_nb.publishing.valorisation`.

Every indicator of the enterprise is accounted for: it carries a figure under its
question, or it is named in the "not conclusive" line with the reason. Figures follow
the result tables' disclosure control: a figure those tables blank is never shown here.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from vises_nb import i18n
from vises_nb.analysis.findings import indicator_names, publishable_verbatims
from vises_nb.analysis.wording import category as _category
from vises_nb.analysis.wording import change_in_words as change_sentence
from vises_nb.analysis.wording import paired_counts
from vises_nb.analysis.wording import scale_of as _scale_of
from vises_nb.method import vocabulary as voc
from vises_nb.method.catalogue import BY_CODE
from vises_nb.method.scales import SCALES
from vises_nb.store.loading import EnterpriseData

WAVE_ORDER = {"T0": 0, "T1": 1, "T2": 2}
PEERS_MIN = 5  # a peer median is shown only where at least this many enterprises contribute
MAX_VERBATIMS = 2


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _unit(data: EnterpriseData, indicator: dict, lang: str) -> str:
    entry = BY_CODE.get(indicator["code"])
    if entry is not None:
        return entry.unit[lang]
    return str(indicator.get("unit") or "")


def at_wave(wave: str, lang: str) -> str:
    """'At exit' (the start of a figure's sentence)."""
    return i18n.t(f"val.at.{wave}", lang) if wave in WAVE_ORDER else wave


def figure_sentence(row: dict, indicator: dict, unit: str, lang: str) -> str:
    """One published figure in words: value, unit, interval in words, n and wave."""
    n = int(row["n"])
    wave = at_wave(str(row["wave"]), lang)
    statistic = row.get("statistic")
    if statistic == "proportion":
        text = i18n.t("val.figure.share", lang, value=i18n.percent(row["value"], lang))
        if not _missing(row.get("low")):
            text += " " + i18n.t("val.between", lang, low=i18n.percent(row["low"], lang),
                                 high=i18n.percent(row["high"], lang), unit="")
    elif statistic == "median":
        scale = _scale_of(indicator["code"])
        text = i18n.t("val.figure.median", lang, category=_category(scale, row["value"], lang))
        if not _missing(row.get("top2")):
            text += "; " + i18n.t("val.figure.top2", lang, value=i18n.percent(row["top2"], lang))
            if not _missing(row.get("top2_low")):
                text += " " + i18n.t("val.between", lang,
                                     low=i18n.percent(row["top2_low"], lang),
                                     high=i18n.percent(row["top2_high"], lang), unit="")
    else:
        text = i18n.t("val.figure.mean", lang, value=i18n.number(row["value"], lang), unit=unit)
        if not _missing(row.get("low")):
            text += " " + i18n.t("val.between", lang, low=i18n.number(row["low"], lang),
                                 high=i18n.number(row["high"], lang), unit=f" {unit}" if unit else "")
    return i18n.t("val.figure", lang, wave=wave, text=text.strip(), n=n)


def _best_change(changes: pd.DataFrame, indicator_id: str) -> dict | None:
    """The change to tell: tested (enough data), on the most people; else the first one."""
    if changes.empty:
        return None
    own = changes[changes["indicator_id"] == indicator_id]
    if own.empty:
        return None
    tested = own[own["enough_data"].astype(bool)]
    if len(tested):
        return tested.sort_values(["n_paired", "to_wave"], ascending=[False, True]).iloc[0].to_dict()
    return own.iloc[0].to_dict()


def _not_conclusive_reason(own_results: pd.DataFrame, change: dict | None,
                           min_respondents: int, lang: str) -> str:
    n = int(own_results["n"].max()) if len(own_results) else 0
    if n == 0:
        return i18n.t("val.reason.no_answers", lang)
    if own_results["suppressed"].astype(bool).any():
        return i18n.t("val.reason.too_few_answers", lang, threshold=min_respondents)
    if "kind" in own_results and own_results["kind"].isin(["nominal", "unscored"]).any():
        return i18n.t("val.reason.nominal", lang)  # an unordered list has no direction
    if change is not None and not change.get("enough_data"):
        return i18n.t("val.reason.too_few_changes", lang)
    return i18n.t("val.reason.no_estimate", lang)


def _chart_measure(kind: str, code: str) -> tuple[str, float, float] | None:
    """How a kind of indicator is placed on the chart: (measure, scale min, scale max)."""
    entry = BY_CODE.get(code)
    if kind == "proportion":
        return "share_yes", 0.0, 1.0
    if kind == "likert":
        return "share_agree", 0.0, 1.0
    if kind == "ordinal":
        return "share_above_lowest", 0.0, 1.0
    if entry is not None and entry.score_range is not None:
        return "mean", float(entry.score_range[0]), float(entry.score_range[1])
    return "mean", 0.0, float("nan")


def chart_point(measure: str, before: np.ndarray, after: np.ndarray) -> tuple[float, float]:
    if measure == "share_yes":
        return float(np.mean(before == 1)), float(np.mean(after == 1))
    if measure == "share_agree":
        return float(np.mean(before >= 4)), float(np.mean(after >= 4))
    if measure == "share_above_lowest":
        return float(np.mean(before > 1)), float(np.mean(after > 1))
    return float(np.mean(before)), float(np.mean(after))


def _chart_row(indicator: dict, name: str, unit: str, kind: str, change: dict,
               before: np.ndarray, after: np.ndarray, lang: str) -> dict:
    measure, low, high = _chart_measure(kind, indicator["code"])
    start, end = chart_point(measure, before, after)
    if math.isnan(high):  # counts and hours: the axis runs to the largest value shown
        high = float(max(start, end, 1.0)) * 1.15
    if measure == "mean":
        label = i18n.t("val.chart.mean", lang, unit=unit)
        texts = (i18n.number(start, lang), i18n.number(end, lang))
    else:
        scale = _scale_of(indicator["code"])
        lowest = SCALES[scale][1][lang] if scale in SCALES and 1 in SCALES[scale] else ""
        label = i18n.t(f"val.chart.{measure}", lang, lowest=lowest)
        texts = (i18n.percent(start, lang), i18n.percent(end, lang))
    return {"indicator_id": indicator["id"], "name": name, "measure": label,
            "before": start, "after": end, "low": low, "high": high,
            "before_text": texts[0], "after_text": texts[1], "n": int(change["n_paired"]),
            "from_wave": change["from_wave"], "to_wave": change["to_wave"]}


def _identity(data: EnterpriseData, lang: str) -> tuple[str, str]:
    e = data.enterprise
    where = [voc.POLES.label(e.pole, lang), voc.REGIONS.label(e.region, lang)]
    if e.territory and e.territory not in where:
        where.append(e.territory)
    if e.sector:
        where.insert(1, e.sector)
    reached = []
    eligible = data.waves["eligible"].dropna() if "eligible" in data.waves else pd.Series([])
    people = int(eligible.max()) if len(eligible) else \
        int(data.respondents["id"].nunique()) if len(data.respondents) else 0
    if people:
        reached.append(i18n.t("val.identity.followed", lang, n=people))
    if e.integration_workers:
        reached.append(i18n.t("val.identity.integration", lang, n=e.integration_workers))
    if e.fte:
        reached.append(i18n.t("val.identity.fte", lang, n=i18n.number(e.fte, lang)))
    if e.volunteers:
        reached.append(i18n.t("val.identity.volunteers", lang, n=e.volunteers))
    return " · ".join(where), " · ".join(reached)


def _verbatims(data: EnterpriseData, shown: set[str], lang: str) -> list[dict]:
    """One or two publishable verbatims, tied to a shown indicator first, with their origin."""
    excerpts = publishable_verbatims(data)
    if excerpts.empty:
        return []
    excerpts = excerpts.assign(_tied=~excerpts["indicator_id"].isin(shown))
    chosen = excerpts.sort_values(["_tied", "id"], kind="stable").drop_duplicates("dimension")
    out = []
    for row in chosen.head(MAX_VERBATIMS).to_dict("records"):
        origin = [i18n.t("val.verbatim.person", lang) if row.get("respondent_id")
                  else i18n.t("val.verbatim.participant", lang)]
        if row.get("wave_code"):
            origin.append(at_wave(row["wave_code"], lang).lower())
        origin.append(voc.DIMENSIONS.label(row["dimension"], lang))
        language = row.get("language") or data.enterprise.language
        if language != lang:
            origin.append(i18n.t("val.original_language", lang,
                                 language=i18n.locale(language).get_language_name(lang)
                                 or language))
        out.append({"text": row["text"], "lang": language, "origin": ", ".join(origin)})
    return out


def _peer_column(row: dict) -> str:
    """The figure peers are compared on: an agreement share for Likert items, else the value."""
    return "top2" if row.get("statistic") == "median" and not _missing(row.get("top2")) \
        else "value"


def _peers(peer_results: pd.DataFrame | None, data: EnterpriseData, indicator: dict,
           row: dict) -> dict | None:
    """The enterprise's figure beside its pole's and the cohort's (median, range), each only
    where at least PEERS_MIN enterprises have a published figure at the same wave."""
    if peer_results is None or peer_results.empty:
        return None
    column = _peer_column(row)
    same = peer_results[(peer_results["indicator_code"] == indicator["code"])
                        & (peer_results["wave"] == row["wave"])
                        & peer_results[column].notna()]
    cohort = same.groupby("enterprise_id")[column].first().astype(float)
    if len(cohort) < PEERS_MIN:
        return None
    pole_ids = same.loc[same["pole"] == data.enterprise.pole, "enterprise_id"].unique()
    pole = cohort[cohort.index.isin(pole_ids)]
    return {"column": column,
            "cohort": (float(cohort.median()), float(cohort.min()), float(cohort.max()),
                       len(cohort)),
            "pole": (float(pole.median()), float(pole.min()), float(pole.max()), len(pole))
            if len(pole) >= PEERS_MIN else None}


def peer_digests(peer_results: pd.DataFrame | None, enterprises: pd.DataFrame,
                 codes: pd.DataFrame) -> dict[str, str]:
    """For each enterprise, a digest of every peer figure its one-pager can show: for each
    of its indicator codes, wave and compared figure (value, agreement share), the cohort's
    and its pole's median, lowest, highest and count, as `_peers` computes them.

    `enterprises` has `id` and `pole`, `codes` has `enterprise_id` and `code` (its
    indicators). A one-pager whose digest and own data are unchanged shows the same page,
    whatever changed elsewhere in the cohort. Linear in the cohort: one grouping each.
    """
    import hashlib
    import json

    summaries: dict[tuple, list] = {}
    if peer_results is not None and not peer_results.empty:
        for column in ("value", "top2"):
            if column not in peer_results:
                continue
            same = peer_results[peer_results[column].notna()]
            first = same.groupby(["indicator_code", "wave", "enterprise_id"], sort=True) \
                .agg(figure=(column, "first"), pole=("pole", "first")).reset_index()
            first["figure"] = first["figure"].astype(float)
            for scope, keys in (("*", ["indicator_code", "wave"]),
                                ("pole", ["indicator_code", "wave", "pole"])):
                stats = first.groupby(keys, sort=True)["figure"].agg(
                    ["median", "min", "max", "count"]).reset_index()
                for row in stats.itertuples(index=False):
                    code, wave = row.indicator_code, row.wave
                    where = "*" if scope == "*" else f"pole:{row.pole}"
                    summaries.setdefault((code, where), []).append(
                        [wave, column, float(row.median), float(row.min), float(row.max),
                         int(row.count)])
    own_codes = codes.groupby("enterprise_id")["code"].agg(lambda c: sorted(set(c)))
    digests = {}
    for eid, pole in zip(enterprises["id"], enterprises["pole"], strict=True):
        shown = [[code, where, summaries.get((code, where), [])]
                 for code in own_codes.get(eid, []) for where in ("*", f"pole:{pole}")]
        text = json.dumps(shown, sort_keys=True, default=str)
        digests[str(eid)] = hashlib.sha256(text.encode()).hexdigest()[:16]
    return digests


def _format_like(row: dict, column: str, value: float, unit: str, code: str, lang: str) -> str:
    """A peer figure written like the enterprise's own: a share, a category, a value."""
    if row.get("statistic") == "proportion" or column == "top2":
        return i18n.percent(value, lang)
    if row.get("statistic") == "median":
        return _category(_scale_of(code), value, lang)
    return f"{i18n.number(value, lang)} {unit}".strip()


def peer_sentence(peers: dict, row: dict, unit: str, code: str, lang: str) -> str:
    def fmt(value: float) -> str:
        return _format_like(row, peers["column"], value, unit, code, lang)

    parts = []
    if peers["pole"] is not None:
        median, low, high, n = peers["pole"]
        parts.append(i18n.t("val.peers.pole", lang, median=fmt(median), low=fmt(low),
                            high=fmt(high), n=n))
    median, low, high, n = peers["cohort"]
    parts.append(i18n.t("val.peers.cohort", lang, median=fmt(median), low=fmt(low),
                        high=fmt(high), n=n))
    key = "val.peers.top2" if peers["column"] == "top2" else "val.peers"
    return i18n.t(key, lang, comparisons="; ".join(parts))


def one_pager(data: EnterpriseData, results: pd.DataFrame, changes: pd.DataFrame,
              values: pd.DataFrame, lang: str, min_respondents: int = 5,
              peer_results: pd.DataFrame | None = None) -> dict:
    """Everything the valorisation one-pager shows, in `lang`.

    `peer_results` (optional) is the cohort's `all_results`: with it, a figure is set
    beside its pole's and the cohort's median and range where at least 5 enterprises
    contribute.
    """
    names = indicator_names(data, lang)
    indicators = data.indicators.sort_values("id").to_dict("records")
    questions = data.questions.sort_values("id").to_dict("records")
    question_ids = {q["id"] for q in questions}
    findings = data.frames.get("question_findings", pd.DataFrame())
    kinds = dict(zip(results["indicator_id"], results["kind"], strict=False)) \
        if len(results) else {}

    shown: dict[str, dict] = {}
    not_conclusive: list[dict] = []
    chart: list[dict] = []
    attrition: list[float] = []
    sizes: list[int] = []
    for indicator in indicators:
        own = results[results["indicator_id"] == indicator["id"]] if len(results) else results
        published = own[own["value"].notna()] if len(own) else own
        change = _best_change(changes, indicator["id"])
        name = names.get(indicator["id"], indicator["name"])
        if published.empty:
            not_conclusive.append({"indicator_id": indicator["id"], "name": name,
                                   "reason": _not_conclusive_reason(own, change,
                                                                    min_respondents, lang)})
            continue
        unit = _unit(data, indicator, lang)
        latest = published.assign(_o=published["wave"].map(WAVE_ORDER)).sort_values("_o") \
            .iloc[-1].to_dict()
        sentences = [figure_sentence(latest, indicator, unit, lang)]
        sizes.append(int(latest["n"]))
        if change is not None and change.get("enough_data"):
            counts = paired_counts(values, indicator["id"], change["from_wave"],
                                   change["to_wave"])
            sentences.append(change_sentence(change, counts[:3], lang))
            chart.append(_chart_row(indicator, name, unit, kinds.get(indicator["id"], "number"),
                                    change, counts[3], counts[4], lang))
            if not _missing(change.get("attrition")):
                attrition.append(float(change["attrition"]))
        elif change is not None:
            sentences.append(i18n.t("val.change.untestable", lang))
        else:
            sentences.append(i18n.t("val.change.single_wave", lang))
        peers = _peers(peer_results, data, indicator, latest)
        if peers is not None:
            sentences.append(peer_sentence(peers, latest, unit, indicator["code"], lang))
        shown[indicator["id"]] = {"indicator_id": indicator["id"], "name": name, "unit": unit,
                                  "sentences": sentences,
                                  "question_id": indicator.get("question_id")}

    blocks = []
    for q in questions:
        own = [shown[i["id"]] for i in indicators
               if i.get("question_id") == q["id"] and i["id"] in shown]
        own_findings = []
        if len(findings):
            for f in findings[findings["question_id"] == q["id"]].sort_values("author") \
                    .to_dict("records"):
                own_findings.append({"author": voc.FINDING_AUTHORS.label(f["author"], lang),
                                     "text": f["text"], "lang": f["language"]})
        blocks.append({"question_id": q["id"], "text": q["text"],
                       "lang": data.enterprise.language, "figures": own,
                       "findings": own_findings})
    orphans = [shown[i["id"]] for i in indicators
               if i["id"] in shown and i.get("question_id") not in question_ids]
    if orphans:
        blocks.append({"question_id": None, "text": i18n.t("val.other_indicators", lang),
                       "lang": lang, "figures": orphans, "findings": []})

    limits = [i18n.t("val.limit.no_comparison", lang)]
    if sizes:
        limits.append(i18n.t("val.limit.sample", lang, low=min(sizes), high=max(sizes))
                      if min(sizes) != max(sizes)
                      else i18n.t("val.limit.sample_one", lang, n=sizes[0]))
    if attrition:
        worst = max(attrition)
        key = "val.limit.attrition_high" if worst > 0.3 else "val.limit.attrition"
        limits.append(i18n.t(key, lang, share=i18n.percent(worst, lang)))
    if not chart:
        limits.append(i18n.t("val.limit.no_change", lang))

    line1, line2 = _identity(data, lang)
    not_line = ""
    if not_conclusive:
        not_line = i18n.t("val.not_conclusive", lang, items="; ".join(
            f"{item['name']} ({item['reason']})" for item in not_conclusive))
    return {
        "enterprise_id": data.enterprise.id, "name": data.enterprise.name, "lang": lang,
        "enterprise_lang": data.enterprise.language,
        "identity": [line1, line2],
        "questions": blocks,
        "chart": chart,
        "verbatims": _verbatims(data, set(shown), lang),
        "limits": limits,
        "not_conclusive": not_conclusive,
        "not_conclusive_line": not_line,
        "shown": sorted(shown),
    }

"""Questions analysed one by one: every imported item, by its answer scale.

An enterprise's own questionnaire brings items that may be linked to no indicator; they
are still analysed ("Questions not linked to an indicator"), each exactly as a
catalogue item of the same kind: distribution, median and top-2 box for an ordered
scale, share with its Wilson interval for yes/no, mean with its interval for numbers,
and the paired change between waves (McNemar / Wilcoxon on respondents present in
both). Figures on fewer respondents than the threshold are blanked, as everywhere.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vises_nb.analysis import stats
from vises_nb.analysis.results import (
    DEFAULT_MIN_RESPONDENTS,
    ORDERED_SCALES,
    SCALE_POINTS,
    WAVE_ORDER,
    paired_change,
    wave_result,
)

ITEM_COLUMNS = ["enterprise_id", "item_id", "item_code", "text", "scale", "kind", "wave", "n",
                "statistic", "value", "low", "high", "top2", "top2_low", "top2_high",
                "suppressed", "enough_data", "reason"]
ITEM_CHANGE_COLUMNS = ["enterprise_id", "item_id", "item_code", "text", "kind", "from_wave",
                       "to_wave", "n_from", "n_paired", "test", "statistic", "p_value",
                       "before", "after", "suppressed", "enough_data", "reason"]
DISTRIBUTION_COLUMNS = ["item_id", "item_code", "wave", "answer", "label", "count", "share", "n"]


def item_kind(scale: str, points: float | None) -> tuple[str, int]:
    """(kind, points) of one item, named as the indicator kinds of results.py."""
    if scale == "yes_no":
        return "proportion", 1
    if scale in ORDERED_SCALES:
        k = int(points) if points is not None and not pd.isna(points) else SCALE_POINTS.get(
            scale, 5)
        return ("likert" if k >= 4 else "ordinal"), k
    return "number", 0


def unlinked_items(items: pd.DataFrame) -> pd.DataFrame:
    """Items with answers to analyse (not free text) that no indicator takes in."""
    if items.empty:
        return items
    return items[items["indicator_id"].isna() & (items["scale"] != "text")]


def _values(answers: pd.DataFrame, item_ids) -> pd.DataFrame:
    data = answers[answers["item_id"].isin(list(item_ids))].dropna(subset=["value"])
    return data.drop_duplicates(["item_id", "wave", "respondent_id"])


def item_results(items: pd.DataFrame, answers: pd.DataFrame,
                 min_respondents: int = DEFAULT_MIN_RESPONDENTS) -> pd.DataFrame:
    """Per item and wave: n, the statistic of its scale, its interval (see module doc)."""
    stats.suppress(0, min_respondents)  # validates the threshold
    data = _values(answers, items["id"])
    points = answers.drop_duplicates("item_id").set_index("item_id")["points"] \
        if "points" in answers and not answers.empty else pd.Series(dtype=float)
    groups = {k: v for k, v in data.groupby(["item_id", "wave"]).indices.items()} \
        if not data.empty else {}
    waves = [w for w in WAVE_ORDER if not data.empty and w in set(data["wave"])] or ["T0"]
    value_array = data["value"].to_numpy(dtype=float)
    rows = []
    for item in items.itertuples(index=False):
        kind, k = item_kind(item.scale, points.get(item.id))
        for wave in waves:
            at = groups.get((item.id, wave))
            values = pd.Series(value_array[at] if at is not None else np.array([], dtype=float))
            result = wave_result(values, kind, None, min_respondents, points=max(k, 4))
            result.pop("eligible")
            result.pop("fpc_applied")
            rows.append({"enterprise_id": item.enterprise_id, "item_id": item.id,
                         "item_code": item.code, "text": item.text, "scale": item.scale,
                         "kind": kind, "wave": wave, **result})
    return pd.DataFrame(rows, columns=ITEM_COLUMNS)


def item_changes(items: pd.DataFrame, answers: pd.DataFrame,
                 min_respondents: int = DEFAULT_MIN_RESPONDENTS) -> pd.DataFrame:
    """Per item, T0 -> each later wave on the respondents answering at both."""
    data = _values(answers, items["id"])
    rows = []
    if data.empty:
        return pd.DataFrame(columns=ITEM_CHANGE_COLUMNS)
    wide = data.set_index(["item_id", "respondent_id", "wave"])["value"].unstack("wave")
    for item in items.itertuples(index=False):
        if item.id not in wide.index.get_level_values(0) or "T0" not in wide:
            continue
        own = wide.loc[item.id]
        kind = item_kind(item.scale, None)[0]
        n_from = int(own["T0"].notna().sum())
        for later in ("T1", "T2"):
            if later not in own or own[later].isna().all() or not n_from:
                continue
            test = paired_change(own["T0"], own[later], kind)
            suppressed = stats.suppress(test.n_paired, min_respondents)
            rows.append({
                "enterprise_id": item.enterprise_id, "item_id": item.id,
                "item_code": item.code, "text": item.text, "kind": kind, "from_wave": "T0",
                "to_wave": later, "n_from": n_from, "n_paired": test.n_paired,
                "test": test.test, "statistic": None if suppressed else test.statistic,
                "p_value": None if suppressed else test.p_value,
                "before": None if suppressed else test.before_value,
                "after": None if suppressed else test.after_value,
                "suppressed": suppressed, "enough_data": test.enough_data and not suppressed,
                "reason": "suppressed_small_n" if suppressed and test.n_paired else test.reason,
            })
    return pd.DataFrame(rows, columns=ITEM_CHANGE_COLUMNS)


def option_labels(options: pd.DataFrame, lang: str) -> dict[tuple[str, float], str]:
    """(scale id, stored value) -> the option's label in `lang` (else another, else name)."""
    labels = {}
    for option in options.itertuples(index=False):
        own = option.labels if isinstance(option.labels, dict) else {}
        labels[(option.scale_id, float(option.value))] = own.get(lang) or next(
            iter(own.values()), option.name)
    return labels


def item_distribution(items: pd.DataFrame, answers: pd.DataFrame, options: pd.DataFrame,
                      lang: str, min_respondents: int = DEFAULT_MIN_RESPONDENTS
                      ) -> pd.DataFrame:
    """Counts and shares of each answer of ordered and yes/no items, per wave, labelled in
    `lang`; waves with fewer respondents than the threshold are left out."""
    data = _values(answers, items["id"])
    labels = option_labels(options, lang) if options is not None and not options.empty else {}
    rows = []
    for item in items.itertuples(index=False):
        scale_id = getattr(item, "scale_id", None)
        if item.scale == "number" or not isinstance(scale_id, str):
            continue
        own = data[data["item_id"] == item.id]
        choices = sorted(((v, lab) for (s, v), lab in labels.items() if s == scale_id),
                         key=lambda p: -p[0] if item.scale == "yes_no" else p[0])
        for wave, group in own.groupby("wave"):
            n = len(group)
            if n < min_respondents:
                continue
            for value, label in choices:
                count = int((group["value"] == value).sum())
                rows.append({"item_id": item.id, "item_code": item.code, "wave": wave,
                             "answer": value, "label": label, "count": count,
                             "share": count / n, "n": n})
    return pd.DataFrame(rows, columns=DISTRIBUTION_COLUMNS)


# ------------------------------------------------------------------ shown in reports
def results_table(results: pd.DataFrame, lang: str,
                  min_respondents: int = DEFAULT_MIN_RESPONDENTS) -> pd.DataFrame:
    """Questions (rows) by wave (columns), each cell a described figure with its n."""
    from vises_nb import i18n
    from vises_nb.analysis.findings import describe_result

    if results.empty:
        return pd.DataFrame()
    table = results.assign(
        question=results["text"],
        described=[describe_result(r, lang, min_respondents) for r in results.to_dict("records")],
    ).pivot_table(index="question", columns="wave", values="described", aggfunc="first",
                  sort=False)
    table.index.name = i18n.t("items.question", lang)
    table.columns.name = None
    return table.fillna("—").reset_index()


def changes_table(changes: pd.DataFrame, lang: str,
                  min_respondents: int = DEFAULT_MIN_RESPONDENTS) -> pd.DataFrame:
    from vises_nb import i18n
    from vises_nb.analysis.findings import describe_change

    if changes.empty:
        return pd.DataFrame()
    records = changes.to_dict("records")
    return pd.DataFrame({
        i18n.t("items.question", lang): changes["text"].tolist(),
        i18n.t("change.period", lang): [f"{r['from_wave']} → {r['to_wave']}" for r in records],
        i18n.t("change.paired", lang): [
            f"< {min_respondents}" if r["suppressed"] else f"{r['n_paired']} / {r['n_from']}"
            for r in records],
        i18n.t("change.test", lang): [i18n.t("test." + r["test"], lang) for r in records],
        i18n.t("change.result", lang): [describe_change(r, lang, min_respondents)
                                        for r in records],
    })


def distribution_table(distribution: pd.DataFrame, items: pd.DataFrame,
                       lang: str) -> pd.DataFrame:
    """Each answer's share per wave, labelled in `lang` (waves below the threshold left out)."""
    from vises_nb import i18n

    if distribution.empty:
        return pd.DataFrame()
    texts = items.set_index("id")["text"]
    shown = distribution.assign(
        question=distribution["item_id"].map(texts),
        cell=[f"{i18n.percent(r.share, lang)} ({r.count})" for r in distribution.itertuples()],
    )
    table = shown.pivot_table(index=["question", "label"], columns="wave", values="cell",
                              aggfunc="first", sort=False).fillna("—").reset_index()
    table.columns.name = None
    return table.rename(columns={"question": i18n.t("items.question", lang),
                                 "label": i18n.t("items.answer", lang)})


def unlinked_section(data, answers: pd.DataFrame, lang: str,
                     min_respondents: int = DEFAULT_MIN_RESPONDENTS):
    """What step 3 shows under "Questions not linked to an indicator": (content to show,
    results, changes). `data` is an EnterpriseData."""
    from vises_nb import i18n

    own = unlinked_items(data.items)
    results = item_results(own, answers, min_respondents)
    changes = item_changes(own, answers, min_respondents)
    if own.empty:
        return [i18n.t("items.none_unlinked", lang)], results, changes
    options = data.frames.get("scale_options", pd.DataFrame())
    distribution = item_distribution(own, answers, options, lang, min_respondents)
    content = [i18n.t("items.unlinked_note", lang), results_table(results, lang, min_respondents)]
    if not changes.empty:
        content.append(changes_table(changes, lang, min_respondents))
    if not distribution.empty:
        content.append(distribution_table(distribution, own, lang))
    return content, results, changes

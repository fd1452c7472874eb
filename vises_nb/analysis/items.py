"""Questions analysed one by one: every imported item, by its answer scale.

An enterprise's own questionnaire brings items that may be linked to no indicator; they
are still analysed ("Questions not linked to an indicator"), each exactly as a
catalogue item of the same kind: distribution, median and top-2 box for an ordered
scale, share with its Wilson interval for yes/no, mean with its interval for numbers,
and the paired change between waves (McNemar / Wilcoxon on respondents present in
both). Each item is run as an indicator of its own through `results` and the same
disclosure control as indicators (`disclosure.step3_publication`), so its figures obey
the same rules: no figure on fewer people than the threshold, no count of 1 to
threshold-1, no class disclosure, secondary suppression across its linked tables.
"""

from __future__ import annotations

import pandas as pd

from vises_nb.analysis.results import (
    DEFAULT_MIN_RESPONDENTS,
)
from vises_nb.method.scales import own_label

ITEM_COLUMNS = ["enterprise_id", "item_id", "item_code", "text", "scale", "kind", "wave", "n",
                "statistic", "value", "low", "high", "top2", "top2_low", "top2_high",
                "suppressed", "enough_data", "reason"]
ITEM_CHANGE_COLUMNS = ["enterprise_id", "item_id", "item_code", "text", "kind", "from_wave",
                       "to_wave", "n_from", "n_paired", "test", "statistic", "p_value",
                       "effect_size", "effect_size_name", "before", "after", "suppressed",
                       "enough_data", "reason", "n_changed", "zeros", "polarity", "direction"]
DISTRIBUTION_COLUMNS = ["item_id", "item_code", "wave", "answer", "label", "count", "share", "n"]


def unlinked_items(items: pd.DataFrame) -> pd.DataFrame:
    """Items with answers to analyse (not free text) that no indicator takes in."""
    if items.empty:
        return items
    return items[items["indicator_id"].isna() & (items["scale"] != "text")]


def as_indicators(items: pd.DataFrame, answers: pd.DataFrame
                  ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each item as an indicator of its own (id = the item's id; a code that can never be
    a catalogue code), with the answers pointing at it: what `results` and `disclosure`
    take. The kind follows the item's scale exactly as for a hand-defined indicator."""
    indicators = pd.DataFrame({
        "id": items["id"].to_numpy(), "enterprise_id": items["enterprise_id"].to_numpy(),
        "code": ["item:" + str(code) for code in items["code"]],
        "polarity": "higher_better",
    })
    own = answers[answers["item_id"].isin(set(items["id"]))].copy() if not answers.empty \
        else answers.copy()
    own["indicator_id"] = own["item_id"]
    own["defined_items"] = 1
    own["reverse"] = False
    return indicators, own


def item_publication(items: pd.DataFrame, answers: pd.DataFrame,
                     min_respondents: int = DEFAULT_MIN_RESPONDENTS):
    """Results, changes and distributions of `items`, protected together (a
    `disclosure.Publication` whose `indicator_id` columns hold item ids)."""
    from vises_nb.analysis import disclosure

    indicators, own = as_indicators(items, answers)
    return disclosure.step3_publication(indicators, own, min_respondents, breakdowns=())


def _with_item_columns(frame: pd.DataFrame, items: pd.DataFrame, columns: list[str]
                       ) -> pd.DataFrame:
    described = items.set_index("id")
    out = frame.rename(columns={"indicator_id": "item_id"})
    out = out.assign(item_code=out["item_id"].map(described["code"]),
                     text=out["item_id"].map(described["text"]),
                     scale=out["item_id"].map(described["scale"]))
    return out[[c for c in columns if c in out.columns]].reset_index(drop=True)


def item_results(items: pd.DataFrame, answers: pd.DataFrame,
                 min_respondents: int = DEFAULT_MIN_RESPONDENTS) -> pd.DataFrame:
    """Per item and wave: n, the statistic of its scale, its interval (protected)."""
    if items.empty:
        return pd.DataFrame(columns=ITEM_COLUMNS)
    published = item_publication(items, answers, min_respondents)
    return _with_item_columns(published.results, items, ITEM_COLUMNS)


def item_changes(items: pd.DataFrame, answers: pd.DataFrame,
                 min_respondents: int = DEFAULT_MIN_RESPONDENTS) -> pd.DataFrame:
    """Per item, T0 -> each later wave on the respondents answering at both (protected)."""
    if items.empty:
        return pd.DataFrame(columns=ITEM_CHANGE_COLUMNS)
    published = item_publication(items, answers, min_respondents)
    return _with_item_columns(published.changes, items, ITEM_CHANGE_COLUMNS)


def option_labels(options: pd.DataFrame, lang: str) -> dict[tuple[str, float], str]:
    """(scale id, stored value) -> the option's label in `lang` (else another, else name)."""
    labels = {}
    for option in options.itertuples(index=False):
        own = option.labels if isinstance(option.labels, dict) else {}
        labels[(option.scale_id, float(option.value))] = own_label(own, lang, option.name)
    return labels


def item_distribution(items: pd.DataFrame, answers: pd.DataFrame, options: pd.DataFrame,
                      lang: str, min_respondents: int = DEFAULT_MIN_RESPONDENTS,
                      published=None) -> pd.DataFrame:
    """Counts and shares of each answer of ordered items, per wave, labelled in `lang`,
    as disclosure control lets them out (a hidden count is None)."""
    published = published or item_publication(items, answers, min_respondents)
    distribution = published.distribution
    if distribution.empty:
        return pd.DataFrame(columns=DISTRIBUTION_COLUMNS)
    labels = option_labels(options, lang) if options is not None and not options.empty else {}
    scale_of = items.set_index("id")["scale_id"] if "scale_id" in items else pd.Series()
    code_of = items.set_index("id")["code"]
    rows = []
    for row in distribution.to_dict("records"):
        item_id = row["indicator_id"]
        scale_id = scale_of.get(item_id)
        label = labels.get((scale_id, float(row["answer"])), str(int(row["answer"])))
        rows.append({"item_id": item_id, "item_code": code_of.get(item_id),
                     "wave": row["wave"], "answer": row["answer"], "label": label,
                     "count": row["count"], "share": row["share"], "n": row["n"]})
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
            f"< {min_respondents}" if r["suppressed"] or pd.isna(r["n_paired"])
            else f"{int(r['n_paired'])} / {'—' if pd.isna(r['n_from']) else int(r['n_from'])}"
            for r in records],
        i18n.t("change.test", lang): [i18n.t("test." + r["test"], lang) for r in records],
        i18n.t("change.result", lang): [describe_change(r, lang, min_respondents)
                                        for r in records],
    })


def distribution_table(distribution: pd.DataFrame, items: pd.DataFrame,
                       lang: str) -> pd.DataFrame:
    """Each answer's share per wave, labelled in `lang` (waves below the threshold left out)."""
    from vises_nb import i18n
    from vises_nb.analysis.findings import shares_by_wave

    if distribution.empty:
        return pd.DataFrame()
    texts = items.set_index("id")["text"]
    shown = distribution.assign(question=distribution["item_id"].map(texts))
    return shares_by_wave(shown, ["question", "label"], lang).rename(
        columns={"question": i18n.t("items.question", lang),
                 "label": i18n.t("items.answer", lang)})


def unlinked_section(data, answers: pd.DataFrame, lang: str,
                     min_respondents: int = DEFAULT_MIN_RESPONDENTS):
    """What step 3 shows under "Questions not linked to an indicator": (content to show,
    results, changes). `data` is an EnterpriseData."""
    from vises_nb import i18n

    own = unlinked_items(data.items)
    if own.empty:
        return ([i18n.t("items.none_unlinked", lang)], pd.DataFrame(columns=ITEM_COLUMNS),
                pd.DataFrame(columns=ITEM_CHANGE_COLUMNS))
    published = item_publication(own, answers, min_respondents)
    results = _with_item_columns(published.results, own, ITEM_COLUMNS)
    changes = _with_item_columns(published.changes, own, ITEM_CHANGE_COLUMNS)
    options = data.frames.get("scale_options", pd.DataFrame())
    distribution = item_distribution(own, answers, options, lang, min_respondents, published)
    content = [i18n.t("items.unlinked_note", lang), results_table(results, lang, min_respondents)]
    if not changes.empty:
        content.append(changes_table(changes, lang, min_respondents))
    if (own["scale"] == "nominal").any():
        content.append(i18n.t("nominal.no_change", lang))
    if not distribution.empty:
        content.append(distribution_table(distribution, own, lang))
    return content, results, changes

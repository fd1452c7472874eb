"""Cohort views: progress through the steps, choices made, comparable results, notes.

Every figure that counts respondents goes through the suppression rule; counts of
enterprises are not about people and are shown as they are.
"""

from __future__ import annotations

import pandas as pd

from vises_nb import i18n
from vises_nb.analysis import disclosure, stats
from vises_nb.analysis.cohort_data import (  # noqa: F401 - also the cohort's API for researchers
    CohortData,
    current_steps,
    load_cohort,
    overview,
)
from vises_nb.analysis.results import DEFAULT_MIN_RESPONDENTS, indicator_changes, indicator_results
from vises_nb.method import vocabulary as voc
from vises_nb.method.catalogue import BY_CODE


def progress(cohort: CohortData, by: str = "pole") -> pd.DataFrame:
    """Number of enterprises per `by` (pole or region) and current step."""
    frame = overview(cohort)
    counted = frame.groupby([by, "step"]).size().rename("enterprises").reset_index()
    return counted


def progress_table(cohort: CohortData, by: str, lang: str) -> pd.DataFrame:
    """Enterprises per pole/region (rows) and step (columns), with totals."""
    return counts_table(progress(cohort, by), by, lang)


def counts_table(counted: pd.DataFrame, by: str, lang: str) -> pd.DataFrame:
    """progress_table from the counts `progress` gives (enterprises per `by` and step)."""
    vocabulary = voc.POLES if by == "pole" else voc.REGIONS
    table = counted.groupby([by, "step"])["enterprises"].sum().unstack(fill_value=0)
    table = table.reindex(index=[c for c in vocabulary.codes if c in table.index],
                          columns=[1, 2, 3], fill_value=0)
    table["total"] = table.sum(axis=1)
    table.index = [vocabulary.label(c, lang) for c in table.index]
    table.columns = [i18n.t("step", lang) + f" {c}" if c != "total" else i18n.t("total", lang)
                     for c in table.columns]
    table.index.name = i18n.t(by, lang)
    return table.reset_index()


def choices(cohort: CohortData, what: str, lang: str) -> pd.DataFrame:
    """How many enterprises chose each dimension, method, purpose or indicator."""
    questions = cohort.frames["questions"]
    if what in ("dimensions", "methods"):
        exploded = questions[["enterprise_id", what]].explode(what).dropna()
        vocabulary = voc.DIMENSIONS if what == "dimensions" else voc.METHODS
        counts = exploded.groupby(what)["enterprise_id"].nunique()
        labels = [vocabulary.label(c, lang) for c in counts.index]
    elif what == "purpose":
        counts = questions.groupby("purpose")["enterprise_id"].nunique()
        labels = [voc.PURPOSES.label(c, lang) for c in counts.index]
    elif what == "indicators":
        counts = cohort.frames["indicators"].groupby("code")["enterprise_id"].nunique()
        labels = [BY_CODE[c].name[lang] if c in BY_CODE else c for c in counts.index]
    else:
        raise ValueError(f"unknown choice {what!r}")
    return pd.DataFrame({i18n.t("choice", lang): labels,
                         i18n.t("enterprises", lang): counts.to_numpy()}).sort_values(
        i18n.t("enterprises", lang), ascending=False, ignore_index=True)


def published(cohort: CohortData,
              min_respondents: int = DEFAULT_MIN_RESPONDENTS) -> disclosure.Publication:
    """Every enterprise's results and paired changes as the cohort report publishes them:
    through disclosure control together (wave results and paired shares are linked), with
    pole and region; `.log` is the suppression log (kept beside the report, not published).
    """
    indicators = cohort.frames["indicators"].sort_values(["enterprise_id", "id"], kind="stable")
    if indicators.empty:
        empty = pd.DataFrame()
        return disclosure.Publication(empty, empty, empty, {}, empty,
                                      disclosure.Log().frame())
    answers, values = cohort.answers(), cohort.person_values()
    results = indicator_results(indicators, answers, min_respondents, values=values)
    changes = indicator_changes(indicators, answers, min_respondents, values=values)
    protected = disclosure.protect(results, changes, threshold=min_respondents)
    protected.results = _with_context(cohort, protected.results)
    protected.changes = _with_context(cohort, protected.changes if not protected.changes.empty
                                      else pd.DataFrame())
    return protected


def all_results(cohort: CohortData,
                min_respondents: int = DEFAULT_MIN_RESPONDENTS) -> pd.DataFrame:
    """The tidy table of every enterprise's indicator results, with pole and region
    (disclosure-controlled: see `published`)."""
    return published(cohort, min_respondents).results


def all_changes(cohort: CohortData,
                min_respondents: int = DEFAULT_MIN_RESPONDENTS) -> pd.DataFrame:
    """Every enterprise's paired changes between waves, with pole and region
    (disclosure-controlled: see `published`)."""
    return published(cohort, min_respondents).changes


def _with_context(cohort: CohortData, frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty:
        return frame
    context = cohort.enterprises[["id", "pole", "region"]].rename(columns={"id": "enterprise_id"})
    return context.merge(frame, on="enterprise_id", how="right")


def notes_by_step(cohort: CohortData, lang: str) -> pd.DataFrame:
    """Research-action notes counted per step and kind (difficulty / adaptation)."""
    notes = cohort.frames["research_notes"]
    table = notes.pivot_table(index="step", columns="kind", values="id", aggfunc="count",
                              fill_value=0)
    table = table.reindex(index=list(voc.STEPS.codes), columns=list(voc.RESEARCH_NOTE_KINDS.codes),
                          fill_value=0)
    table.index = [voc.STEPS.label(s, lang) for s in table.index]
    table.columns = [voc.RESEARCH_NOTE_KINDS.label(k, lang) for k in table.columns]
    table.index.name = i18n.t("step", lang)
    return table.reset_index()


def comparable_changes(changes: pd.DataFrame, indicator_code: str, lang: str,
                       min_respondents: int = DEFAULT_MIN_RESPONDENTS) -> pd.DataFrame:
    """One indicator's T0→T1 change across enterprises; suppressed ones say so."""
    if changes.empty:
        return pd.DataFrame()
    own = changes[(changes["indicator_code"] == indicator_code) & (changes["to_wave"] == "T1")]
    own = own.sort_values(["pole", "enterprise_id"])
    columns = [i18n.t(key, lang) for key in ("enterprise", "pole", "change.paired",
                                             "change.before", "change.after")] + ["p"]
    poles = {code: voc.POLES.label(code, lang) for code in own["pole"].unique()}
    rows = []
    for r in own.to_dict("records"):
        shown = not r["suppressed"] and r["enough_data"]
        rows.append(dict(zip(columns, (
            r["enterprise_id"], poles[r["pole"]],
            f"< {min_respondents}" if pd.isna(r["n_paired"]) else str(r["n_paired"]),
            _figure(r["before"], lang, shown), _figure(r["after"], lang, shown),
            _figure(r["p_value"], lang, shown, 3)))))
    return pd.DataFrame(rows)


def _figure(value: object, lang: str, shown: bool, digits: int = 1) -> str:
    if not shown or value is None or pd.isna(value):
        return "—"
    return i18n.number(value, lang, digits)


def comparable_indicators(changes: pd.DataFrame, lang: str,
                          min_respondents: int = DEFAULT_MIN_RESPONDENTS,
                          min_enterprises: int = 2) -> pd.DataFrame:
    """Every indicator measured by at least `min_enterprises` enterprises, T0→T1 side by side.

    Same catalogue code means same items and scale, so the changes compare; enterprises
    with fewer paired respondents than the threshold show "< threshold" and no figures.
    """
    if changes.empty:
        return pd.DataFrame()
    t1 = changes[changes["to_wave"] == "T1"]
    shared = t1.groupby("indicator_code")["enterprise_id"].nunique()
    codes = sorted(shared[shared >= min_enterprises].index)
    parts = []
    for code in codes:
        table = comparable_changes(changes, code, lang, min_respondents)
        if table.empty:
            continue
        name = BY_CODE[code].name[lang] if code in BY_CODE else code
        table.insert(0, i18n.t("indicator", lang), name)
        parts.append(table)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def multiplicity(changes: pd.DataFrame, level: float = 0.05) -> dict[str, float | int]:
    """The T0→T1 tests of a cohort report counted honestly.

    `tests`: changes with a p-value; `significant`: p < level without correction;
    `expected_by_chance`: level × tests (what chance alone gives when nothing changes);
    `significant_bh`: Benjamini–Hochberg adjusted p < level (false discovery rate);
    `too_few`: tests that could not be significant (too few changes to test).
    """
    if changes.empty:
        return {"tests": 0, "significant": 0, "expected_by_chance": 0.0, "significant_bh": 0,
                "too_few": 0}
    t1 = changes[changes["to_wave"] == "T1"]
    p = pd.to_numeric(t1["p_value"], errors="coerce").dropna()
    adjusted = stats.benjamini_hochberg(p.to_numpy())
    return {"tests": len(p), "significant": int((p < level).sum()),
            "expected_by_chance": level * len(p),
            "significant_bh": int((adjusted < level).sum()),
            "too_few": int((t1["reason"] == "too_few_changes").sum())}


def multiplicity_note(changes: pd.DataFrame, lang: str) -> str:
    """The sentence a cohort report prints under its count of significant changes."""
    counts = multiplicity(changes)
    return i18n.t("cohort.multiplicity_note", lang, tests=counts["tests"],
                  significant=counts["significant"],
                  expected=i18n.number(counts["expected_by_chance"], lang, 1),
                  bh=counts["significant_bh"], too_few=counts["too_few"])


def comparable_summary(changes: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Per shared indicator: enterprises measuring it, with a published change, and with a
    change that stays significant after the Benjamini–Hochberg correction over every
    T0→T1 test of the report, better or worse by the effect size and the indicator's
    polarity (not by medians) — counts of enterprises, not people."""
    if changes.empty:
        return pd.DataFrame()
    t1 = changes[changes["to_wave"] == "T1"].copy()
    shown = t1["enough_data"].astype(bool) & ~t1["suppressed"].astype(bool)
    p = pd.to_numeric(t1["p_value"], errors="coerce")
    adjusted = pd.Series(stats.benjamini_hochberg(p.to_numpy()), index=t1.index)
    direction = t1["direction"] if "direction" in t1 else pd.Series(None, index=t1.index)
    t1["shown"] = shown
    t1["better"] = shown & (adjusted < 0.05) & (direction == "better")
    t1["worse"] = shown & (adjusted < 0.05) & (direction == "worse")
    table = t1.groupby("indicator_code").agg(enterprises=("enterprise_id", "nunique"),
                                             shown=("shown", "sum"), better=("better", "sum"),
                                             worse=("worse", "sum")).reset_index()
    return pd.DataFrame({
        i18n.t("indicator", lang): [BY_CODE[c].name[lang] if c in BY_CODE else c
                                    for c in table["indicator_code"]],
        i18n.t("enterprises", lang): table["enterprises"].astype(int).tolist(),
        i18n.t("cohort.published_changes", lang): table["shown"].astype(int).tolist(),
        i18n.t("cohort.bh_better", lang): table["better"].astype(int).tolist(),
        i18n.t("cohort.bh_worse", lang): table["worse"].astype(int).tolist(),
    }).sort_values(i18n.t("enterprises", lang), ascending=False, ignore_index=True)


def notes_texts(cohort: CohortData, lang: str) -> pd.DataFrame:
    """The research-action notes themselves, grouped by step then kind (difficulty first)."""
    notes = cohort.frames["research_notes"]
    if notes.empty:
        return pd.DataFrame()
    poles = cohort.enterprises.set_index("id")["pole"]
    step_order = {c: i for i, c in enumerate(voc.STEPS.codes)}
    kind_order = {c: i for i, c in enumerate(voc.RESEARCH_NOTE_KINDS.codes)}
    notes = notes.assign(_s=notes["step"].astype(str).map(step_order),
                         _k=notes["kind"].map(kind_order)).sort_values(
        ["_s", "_k", "enterprise_id", "id"])
    return pd.DataFrame({
        i18n.t("step", lang): [voc.STEPS.label(str(s), lang) for s in notes["step"]],
        i18n.t("cohort.note_kind", lang): [voc.RESEARCH_NOTE_KINDS.label(k, lang)
                                           for k in notes["kind"]],
        i18n.t("enterprise", lang): notes["enterprise_id"].tolist(),
        i18n.t("pole", lang): [voc.POLES.label(poles[e], lang) for e in notes["enterprise_id"]],
        i18n.t("cohort.note", lang): notes["text"].tolist(),
    })


def all_item_results(cohort: CohortData,
                     min_respondents: int = DEFAULT_MIN_RESPONDENTS) -> pd.DataFrame:
    """Every enterprise's questions linked to no indicator, analysed one by one (items.py)."""
    from vises_nb.analysis.items import item_results, unlinked_items

    own = unlinked_items(cohort.frames["items"])
    return item_results(own, cohort.answers(), min_respondents) if not own.empty \
        else pd.DataFrame()


def all_item_changes(cohort: CohortData,
                     min_respondents: int = DEFAULT_MIN_RESPONDENTS) -> pd.DataFrame:
    from vises_nb.analysis.items import item_changes, unlinked_items

    own = unlinked_items(cohort.frames["items"])
    return item_changes(own, cohort.answers(), min_respondents) if not own.empty \
        else pd.DataFrame()


def own_questions_table(results: pd.DataFrame, changes: pd.DataFrame, lang: str,
                        min_respondents: int = DEFAULT_MIN_RESPONDENTS) -> pd.DataFrame:
    """Per enterprise and question not linked to an indicator: respondents per wave and
    paired T0→T1 (fewer than the threshold shown as "< k")."""
    if results.empty:
        return pd.DataFrame()

    def count(n: object, suppressed: object) -> str:
        if n is None or pd.isna(n) or int(n) == 0:
            return "—"
        return f"< {min_respondents}" if suppressed else str(int(n))

    cells = results.assign(cell=[count(r.n, r.suppressed) for r in results.itertuples()])
    table = cells.pivot_table(index=["enterprise_id", "text", "item_id"], columns="wave",
                              values="cell", aggfunc="first", sort=False).fillna("—")
    table.columns.name = None
    table = table.reset_index()
    paired = {}
    if not changes.empty:
        for r in changes[changes["to_wave"] == "T1"].itertuples():
            paired[r.item_id] = count(r.n_paired, r.suppressed)
    table[i18n.t("change.paired", lang) + " T0→T1"] = [paired.get(i, "—")
                                                      for i in table["item_id"]]
    return table.drop(columns="item_id").rename(columns={
        "enterprise_id": i18n.t("enterprise", lang), "text": i18n.t("items.question", lang)})

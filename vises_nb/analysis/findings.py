"""Step 3 views: results and changes in words and numbers, verbatims, findings per question.

A figure that cannot be shown (no data, too few respondents) is written out as such
("not enough data"), never as a blank, a NaN or a misleading 100 %.
"""

from __future__ import annotations

import pandas as pd

from vises_nb import i18n
from vises_nb.analysis.privacy import mask_contacts
from vises_nb.method import vocabulary as voc
from vises_nb.store.loading import EnterpriseData


def indicator_names(data: EnterpriseData, lang: str) -> dict[str, str]:
    """Indicator id → name in `lang`: the catalogue's translation when the indicator comes
    from the catalogue, else the name the enterprise typed."""
    from vises_nb.method.catalogue import BY_CODE

    return {row.id: BY_CODE[row.code].name[lang] if row.code in BY_CODE else row.name
            for row in data.indicators.itertuples(index=False)}


def _count(value: object) -> int:
    """A published count, 0 when it is missing (suppressed rows publish no n)."""
    return 0 if value is None or pd.isna(value) else int(value)


def _interval(low: object, high: object, fmt) -> str:
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return ""
    return f" [{fmt(low)} – {fmt(high)}]"


def describe_result(row: pd.Series | dict, lang: str, min_respondents: int = 5,
                    unit: str = "") -> str:
    """One wave's figure as text: value and unit, interval, n — or why it is not shown.
    An ordered answer's median is its category's label, never a bare number."""
    from vises_nb.analysis.wording import category, scale_of

    get = row.get
    n = _count(get("n"))
    if get("suppressed") and get("reason") not in (None, "no_data") and not pd.isna(get("reason")):
        if get("reason") == "suppressed_small_n":
            return i18n.t("result.suppressed", lang, threshold=min_respondents)
        return i18n.t("result.protected", lang)
    statistic = get("statistic")
    if statistic == "distribution" and n:  # an unordered list: its shares, shown apart
        return i18n.t("result.distribution", lang, n=n)
    if get("reason") == "nominal_not_scored":
        return i18n.t("result.nominal_not_scored", lang)
    if get("value") is None or pd.isna(get("value")):
        return i18n.t("result.not_enough_data", lang, n=n)
    if statistic == "proportion":
        def fmt(v):
            return i18n.percent(v, lang)
        text = fmt(get("value")) + _interval(get("low"), get("high"), fmt)
    elif statistic == "median":
        text = i18n.t("result.median", lang, value=category(
            scale_of(str(get("indicator_code") or "")), float(get("value")), lang))
        if get("top2") is not None and not pd.isna(get("top2")):
            text += " · " + i18n.t("result.top2", lang) + " " + i18n.percent(get("top2"), lang)
            text += _interval(get("top2_low"), get("top2_high"), lambda v: i18n.percent(v, lang))
    else:
        def fmt(v):
            return i18n.number(v, lang)
        text = fmt(get("value")) + (f" {unit}" if unit else "") + \
            _interval(get("low"), get("high"), fmt)
    return f"{text} (n = {n})"


def indicator_units(data: EnterpriseData, lang: str) -> dict[str, str]:
    """Indicator id → its unit in `lang` (the catalogue's, else the one typed)."""
    from vises_nb.analysis.wording import unit_of

    return {row.id: unit_of(row.code, row.unit, lang)
            for row in data.indicators.itertuples(index=False)}


def results_table(results: pd.DataFrame, data: EnterpriseData, lang: str) -> pd.DataFrame:
    """Indicators (rows) by wave (columns), each cell a described figure."""
    if results.empty:
        return pd.DataFrame()
    names = pd.Series(indicator_names(data, lang), dtype=object)
    units = indicator_units(data, lang)
    table = results.assign(
        indicator=results["indicator_id"].map(names),
        text=[describe_result(r, lang, unit=units.get(r["indicator_id"], ""))
              for r in results.to_dict("records")],
    ).pivot_table(index="indicator", columns="wave", values="text", aggfunc="first")
    table.index.name = i18n.t("indicator", lang)
    table.columns.name = None
    return table.fillna("—").reset_index()


def _shown(value: object) -> bool:
    return value is not None and not pd.isna(value)


def describe_change(row: dict, lang: str, min_respondents: int = 5) -> str:
    """A paired change in words: before → after, p, effect size, verdict, pairs tested.

    No verdict when the test could not have been significant ("too few changes to
    test"); the number of pairs the test used and the unchanged pairs it dropped are said.
    """
    reason = row.get("reason")
    if row.get("suppressed") and reason == "suppressed_small_n":
        return i18n.t("result.suppressed", lang, threshold=min_respondents)
    if row.get("suppressed") and _shown(reason) and str(reason).startswith("suppressed"):
        return i18n.t("result.protected", lang)
    if reason == "too_few_changes":
        return i18n.t("change.too_few_changes", lang, changed=_count(row.get("n_changed")))
    if not row.get("enough_data"):
        return i18n.t("result.not_enough_data", lang, n=_count(row.get("n_paired")))
    p = row["p_value"]
    verdict = i18n.t("change.significant" if p < 0.05 else "change.not_significant", lang)
    before, after = row.get("before"), row.get("after")
    parts = []
    if _shown(before) and _shown(after):
        if row["kind"] == "proportion":
            parts.append(f"{i18n.percent(before, lang)} → {i18n.percent(after, lang)}")
        else:
            parts.append(f"{i18n.number(before, lang)} → {i18n.number(after, lang)}")
    effect = ""
    if _shown(row.get("effect_size")):
        effect = f", {i18n.t('effect.' + row['effect_size_name'], lang)} = " \
                 f"{i18n.number(row['effect_size'], lang, 2)}"
    parts.append(f"p = {i18n.number(p, lang, 3)}{effect}")
    parts.append(verdict)
    if _shown(row.get("n_changed")):
        parts.append(i18n.t("change.tested", lang, changed=_count(row.get("n_changed")),
                            zeros=_count(row.get("zeros"))))
    return " · ".join(parts)


def _paired_text(row: dict) -> str:
    """"paired / at T0", each "—" when not published (fewer than the threshold)."""
    paired = row.get("n_paired")
    start = row.get("n_from")
    return f"{_count(paired) if _shown(paired) else '—'} / {_count(start) if _shown(start) else '—'}"


def changes_table(changes: pd.DataFrame, data: EnterpriseData, lang: str) -> pd.DataFrame:
    if changes.empty:
        return pd.DataFrame()
    names = pd.Series(indicator_names(data, lang), dtype=object)
    records = changes.to_dict("records")
    return pd.DataFrame({
        i18n.t("indicator", lang): changes["indicator_id"].map(names).tolist(),
        i18n.t("change.period", lang): [f"{r['from_wave']} → {r['to_wave']}" for r in records],
        i18n.t("change.paired", lang): [_paired_text(r) for r in records],
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


def limits(data: EnterpriseData, changes: pd.DataFrame, lang: str,
           results: pd.DataFrame | None = None) -> list[str]:
    """What the reader must keep in mind: sample size, attrition, no counterfactual, and
    (when intervals were narrowed for a small population) that the finite-population
    correction assumes the people who did not answer are like those who did."""
    notes = [i18n.t("limit.no_counterfactual", lang)]
    respondents = data.responses["respondent_id"].nunique() if not data.responses.empty else 0
    notes.append(i18n.t("limit.sample_size", lang, n=respondents))
    if not changes.empty and changes["attrition"].notna().any():
        worst = float(changes["attrition"].max())
        notes.append(i18n.t("limit.attrition", lang, share=i18n.percent(worst, lang)))
    if results is not None and not results.empty and results["fpc_applied"].fillna(False).astype(bool).any():
        notes.append(i18n.t("limit.fpc", lang))
    return notes



def _group_label(breakdown: str, group: str, lang: str) -> str:
    vocabulary = {"sex": voc.SEXES, "age_band": voc.AGE_BANDS}.get(breakdown)
    if vocabulary is not None and group in vocabulary:
        return vocabulary.label(group, lang)
    if group == "not_stated":
        return i18n.t("breakdown.not_stated", lang)
    return str(group)


def breakdown_table(breakdowns: pd.DataFrame, data: EnterpriseData, lang: str) -> pd.DataFrame:
    """Indicator × wave (rows) by group (columns, in their natural order): published cells
    only. What is not published is said in one line (`breakdown_withheld`), not in cells;
    both kinds of blanked cells (small group, and the one hidden so the small one cannot
    be worked out) are folded alike, so a reader cannot tell which is which.
    """
    if breakdowns.empty:
        return pd.DataFrame()
    shown = breakdowns[~breakdowns["suppressed"].astype(bool)]
    if shown.empty:
        return pd.DataFrame()
    names = pd.Series(indicator_names(data, lang), dtype=object)
    units = indicator_units(data, lang)
    order = _group_order(breakdowns)
    frame = shown.assign(
        indicator=shown["indicator_id"].map(names),
        group_label=[_group_label(r["breakdown"], r["group"], lang)
                     for r in shown.to_dict("records")],
        text=[describe_result({**r, "n": int(r["n"])}, lang,
                              unit=units.get(r["indicator_id"], ""))
              for r in shown.to_dict("records")],
    )
    table = frame.pivot_table(index=["indicator", "wave"], columns="group_label", values="text",
                              aggfunc="first", sort=False)
    labels = [_group_label(str(breakdowns["breakdown"].iloc[0]), g, lang) for g in order]
    table = table[[label for label in labels if label in table.columns]]
    table.columns.name = None
    table = table.fillna("—").reset_index()
    return table.rename(columns={"indicator": i18n.t("indicator", lang),
                                 "wave": i18n.t("wave", lang)})


def _group_order(breakdowns: pd.DataFrame) -> list[str]:
    """Groups in their natural order (age bands young to old), 'not stated' last."""
    by = str(breakdowns["breakdown"].iloc[0])
    vocabulary = {"sex": voc.SEXES, "age_band": voc.AGE_BANDS}.get(by)
    groups = list(dict.fromkeys(breakdowns["group"].astype(str)))
    known = list(vocabulary.codes) if vocabulary is not None else []
    return [g for g in known if g in groups] + sorted(g for g in groups if g not in known)


def breakdown_withheld(breakdowns: pd.DataFrame, lang: str,
                       min_respondents: int = 5) -> str | None:
    """One line naming the groups whose figures are not published (None: no breakdown)."""
    if breakdowns.empty:
        return None
    if not breakdowns["suppressed"].astype(bool).any():
        return i18n.t("breakdown.all_published", lang)
    hidden = set(breakdowns.loc[breakdowns["suppressed"].astype(bool), "group"].astype(str))
    groups = [_group_label(str(breakdowns["breakdown"].iloc[0]), g, lang)
              for g in _group_order(breakdowns) if g in hidden]
    return i18n.t("breakdown.withheld", lang, threshold=min_respondents,
                  groups=", ".join(groups))


def changes_in_words(changes: pd.DataFrame, values: pd.DataFrame, data: EnterpriseData,
                     lang: str, min_respondents: int = 5) -> list[str]:
    """Each tested change as a sentence: how many of the same people improved, and whether
    that is likely chance (the tests themselves go in the annex, `changes_table`)."""
    from vises_nb.analysis.wording import change_in_words, paired_counts

    if changes.empty:
        return []
    names = indicator_names(data, lang)
    lines = []
    for row in changes.to_dict("records"):
        name = names.get(row["indicator_id"], row["indicator_code"])
        if row.get("enough_data"):
            counts = paired_counts(values, row["indicator_id"], row["from_wave"],
                                   row["to_wave"])
            text = change_in_words(row, counts[:3], lang)
        else:
            text = describe_change(row, lang, min_respondents)
        lines.append(f"{name} — {text}")
    return lines


def reliable_change_table(changes: pd.DataFrame, data: EnterpriseData, lang: str,
                          min_respondents: int = 5) -> pd.DataFrame:
    """Per score and period: alpha, paired people, how many improved/stayed/worsened."""
    if changes.empty:
        return pd.DataFrame()
    names = pd.Series(indicator_names(data, lang), dtype=object)
    rows = []
    for r in changes.to_dict("records"):
        alpha = r["alpha"]
        alpha_text = "—" if alpha is None or pd.isna(alpha) else i18n.number(alpha, lang, 2)
        if r["suppressed"] and r["reason"] == "suppressed_small_n":
            result = i18n.t("result.suppressed", lang, threshold=min_respondents)
        elif r["suppressed"] and _shown(r["reason"]) and str(r["reason"]).startswith("suppressed"):
            result = i18n.t("result.protected", lang)
        elif not r["enough_data"]:
            result = i18n.t("result.not_enough_data", lang, n=_count(r["n_paired"]))
        else:
            n = int(r["n_paired"])
            result = i18n.t("rci.counts", lang, improved=int(r["improved"]),
                            unchanged=int(r["unchanged"]), deteriorated=int(r["deteriorated"]),
                            n=n)
        period = f"{r['from_wave']} → {r['to_wave']}" if r["to_wave"] else "—"
        rows.append({i18n.t("indicator", lang): names.get(r["indicator_id"], r["indicator_code"]),
                     i18n.t("change.period", lang): period,
                     "α (T0)": alpha_text,
                     i18n.t("change.result", lang): result})
    return pd.DataFrame(rows)


def _latest_published(results: pd.DataFrame, indicator_id: str) -> dict | None:
    own = results[(results["indicator_id"] == indicator_id) & results["value"].notna()]
    if own.empty:
        return None
    own = own.assign(_order=own["wave"].map({"T0": 0, "T1": 1, "T2": 2}))
    return own.sort_values("_order").iloc[-1].to_dict()


def _figure_lines(indicator_ids: list[str], data: EnterpriseData, results: pd.DataFrame,
                  changes: pd.DataFrame, lang: str, min_respondents: int) -> list[dict]:
    from vises_nb.analysis.results import person_values
    from vises_nb.analysis.wording import change_in_words, paired_counts

    names = pd.Series(indicator_names(data, lang), dtype=object)
    units = indicator_units(data, lang)
    values = None
    lines = []
    for indicator_id in indicator_ids:
        latest = _latest_published(results, indicator_id)
        own_changes = changes[changes["indicator_id"] == indicator_id] if not changes.empty \
            else changes
        first_change = own_changes.iloc[0].to_dict() if len(own_changes) else None
        if latest is not None:
            figure = f"{latest['wave']}: " \
                     f"{describe_result(latest, lang, min_respondents, units.get(indicator_id, ''))}"
        else:
            own = results[results["indicator_id"] == indicator_id]
            reasons = set(own["reason"].dropna()) if len(own) else set()
            if "suppressed_small_n" in reasons:
                figure = i18n.t("result.suppressed", lang, threshold=min_respondents)
            elif any(str(r).startswith("suppressed") for r in reasons):
                figure = i18n.t("result.protected", lang)
            else:
                figure = i18n.t("result.not_enough_data", lang, n=0)
        change = "—"
        if first_change is not None and first_change["enough_data"]:
            # In words (how many of the same people improved); the tests are in the annex.
            values = person_values(data.answers()) if values is None else values
            counts = paired_counts(values, indicator_id, first_change["from_wave"],
                                   first_change["to_wave"])
            change = change_in_words(first_change, counts[:3], lang)
        elif first_change is not None:
            change = (f"{first_change['from_wave']} → {first_change['to_wave']}: "
                      f"{describe_change(first_change, lang, min_respondents)}")
            if _shown(first_change.get("n_paired")):
                change += f" (n = {int(first_change['n_paired'])})"
        lines.append({"indicator_id": indicator_id, "name": names.get(indicator_id, indicator_id),
                      "figure": figure, "change": change, "published": latest is not None,
                      "change_shown": bool(first_change and first_change["enough_data"]),
                      "significant": bool(first_change and first_change["enough_data"]
                                          and first_change["p_value"] < 0.05)})
    return lines


def question_findings(data: EnterpriseData, results: pd.DataFrame, changes: pd.DataFrame,
                      lang: str, min_respondents: int = 5) -> list[dict]:
    """Per evaluative question: its indicators' figures, its verbatims and its limits.

    Verbatims are the publishable excerpts coded to one of the question's indicators or,
    failing that, to one of its dimensions; limits are those of its own data (with how
    many of its figures are withheld); `written` are the accompanier's and the
    enterprise's findings on it (table `question_findings`), accompanier first.
    """
    excerpts = publishable_verbatims(data)
    stored = data.frames.get("question_findings", pd.DataFrame())
    out = []
    for q in data.questions.sort_values("id").to_dict("records"):
        own = data.indicators[data.indicators["question_id"] == q["id"]]
        ids = own["id"].tolist()
        lines = _figure_lines(ids, data, results, changes, lang, min_respondents)
        quotes = excerpts[excerpts["indicator_id"].isin(ids)]
        if quotes.empty:
            quotes = excerpts[excerpts["dimension"].isin(list(q["dimensions"] or []))]
        own_results = results[results["indicator_id"].isin(ids)]
        own_changes = changes[changes["indicator_id"].isin(ids)] if not changes.empty else changes
        notes = [i18n.t("limit.no_counterfactual", lang)]
        n = int(own_results["n"].fillna(0).max()) if len(own_results) else 0
        notes.append(i18n.t("limit.sample_size", lang, n=n) if n
                     else i18n.t("limit.no_figures", lang))
        if not own_changes.empty and own_changes["attrition"].notna().any():
            notes.append(i18n.t("limit.attrition", lang, share=i18n.percent(
                float(own_changes["attrition"].max()), lang)))
        withheld = _withheld(own_results) + _withheld(own_changes)
        if withheld:
            notes.append(i18n.t("limit.withheld", lang, count=withheld,
                                threshold=min_respondents))
        out.append({"question_id": q["id"], "question": q["text"],
                    "language": data.enterprise.language,  # the enterprise's own words
                    "purpose": voc.PURPOSES.label(q["purpose"], lang),
                    "figures": lines, "verbatims": quotes["text"].tolist(), "limits": notes,
                    "written": _written(stored, q["id"], lang)})
    return out


def _withheld(table: pd.DataFrame) -> int:
    """How many of a published table's figures disclosure control blanked."""
    if table.empty or "reason" not in table:
        return 0
    return int(table["reason"].map(lambda r: isinstance(r, str)
                                   and r.startswith("suppressed")).sum())


def _written(stored: pd.DataFrame, question_id: str, lang: str) -> list[dict]:
    """The findings written on one question, accompanier's first."""
    if stored.empty:
        return []
    own = stored[stored["question_id"] == question_id]
    order = {code: i for i, code in enumerate(voc.FINDING_AUTHORS.codes)}
    own = own.assign(_o=own["author"].map(order)).sort_values(["_o", "id"])
    return [{"author": f["author"], "author_label": voc.FINDING_AUTHORS.label(f["author"], lang),
             "text": f["text"], "language": f["language"]} for f in own.to_dict("records")]


def findings_table(finding: dict, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        i18n.t("indicator", lang): [line["name"] for line in finding["figures"]],
        i18n.t("findings.latest", lang): [line["figure"] for line in finding["figures"]],
        i18n.t("findings.change", lang): [line["change"] for line in finding["figures"]],
    })



def valorisation_summary(data: EnterpriseData, results: pd.DataFrame, changes: pd.DataFrame,
                         lang: str, min_respondents: int = 5) -> dict:
    """The one-page summary for funders: key figures with n and interval, voices, limits.

    Only published figures go in (never a suppressed or empty one); significant changes
    come first; at most 3 verbatims, chosen across dimensions.
    """
    lines = _figure_lines(data.indicators["id"].tolist(), data, results, changes, lang,
                          min_respondents)
    key = sorted((line for line in lines if line["published"] or line["change_shown"]),
                 key=lambda line: (not line["significant"], not line["change_shown"]))
    figures = []
    for line in key[:6]:
        text = f"{line['name']} — {line['figure']}"
        if line["change_shown"]:
            text += f"; {line['change']}"
        figures.append(text)
    excerpts = publishable_verbatims(data).drop_duplicates("dimension")
    verbatims = excerpts["text"].tolist()[:3]
    enterprise = data.enterprise
    return {
        "enterprise_id": enterprise.id, "name": enterprise.name, "lang": lang,
        "intro": i18n.t("summary.intro", lang, name=enterprise.name,
                        questions=len(data.questions), indicators=len(data.indicators)),
        "questions": data.questions["text"].tolist(),
        "key_figures": figures or [i18n.t("summary.no_figures", lang)],
        "verbatims": verbatims,
        "limits": limits(data, changes, lang, results),
    }


def shares_by_wave(shown: pd.DataFrame, index: list[str], lang: str) -> pd.DataFrame:
    """Rows `index`, a column per wave, each cell "share (count)" or "—" where disclosure
    control hid it: the one layout of every table of answers' shares."""
    cells = ["—" if pd.isna(r.share) else f"{i18n.percent(r.share, lang)} ({int(r.count)})"
             for r in shown.itertuples()]
    table = shown.assign(cell=cells).pivot_table(
        index=index, columns="wave", values="cell", aggfunc="first", sort=False
    ).fillna("—").reset_index()
    table.columns.name = None
    return table


def nominal_table(distribution: pd.DataFrame, data: EnterpriseData, lang: str) -> pd.DataFrame:
    """The share of each answer of indicators measured by one question with an unordered
    list (kind "nominal"), per wave: what step 3 shows for them instead of a median.
    Cells hidden by disclosure control read "—"."""
    from vises_nb.method.scales import own_label

    if distribution.empty or "kind" not in distribution:
        return pd.DataFrame()
    own = distribution[distribution["kind"] == "nominal"]
    if own.empty:
        return pd.DataFrame()
    items = data.items
    scale_of = (items.dropna(subset=["indicator_id"]).drop_duplicates("indicator_id")
                .set_index("indicator_id")["scale_id"]) if "scale_id" in items else pd.Series()
    options = data.frames.get("scale_options", pd.DataFrame())
    labels = {(o.scale_id, float(o.value)): own_label(
        o.labels if isinstance(o.labels, dict) else {}, lang, o.name)
        for o in options.itertuples(index=False)} if not options.empty else {}
    names = indicator_names(data, lang)
    shown = own.assign(
        indicator=own["indicator_id"].map(names),
        label=[labels.get((scale_of.get(r.indicator_id), float(r.answer)), str(int(r.answer)))
               for r in own.itertuples()],
    )
    return shares_by_wave(shown, ["indicator", "label"], lang).rename(columns={"indicator": i18n.t("indicator", lang),
                                 "label": i18n.t("items.answer", lang)})

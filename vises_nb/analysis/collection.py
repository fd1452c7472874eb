"""Step 2 views: the indicator plan and the quality of the data collected per wave.

Response rate = completed questionnaires / eligible people of the wave (the enterprise's
stated population). A questionnaire is completed when its respondent answered at least
80 % of the items asked at that wave (AAPOR's "complete"; "don't know" has no code in the
stored scales, so an item is answered or missing); people who answered less are
respondents with a partial questionnaire, counted as such but not in the rate. Missing
answers are counted per item among respondents of the wave.
"""

from __future__ import annotations

import pandas as pd

from vises_nb import i18n
from vises_nb.analysis import stats
from vises_nb.analysis.findings import indicator_names
from vises_nb.analysis.results import WAVE_ORDER
from vises_nb.method import vocabulary as voc
from vises_nb.method.catalogue import BY_CODE, CATALOGUE
from vises_nb.store.loading import EnterpriseData

MISSING_WARNING = 0.20
MIN_WAVE_RESPONDENTS = 5
#: Share of the items asked at a wave a respondent must answer for a completed questionnaire.
COMPLETE_SHARE = 0.80
LOW_RESPONSE = 0.50  # a response rate below this is an alert
HIGH_ATTRITION = 0.30  # losing more than this share of T0's respondents is an alert
ITEM_TEXTS = {item.code: item.text for entry in CATALOGUE for item in entry.items}


def indicator_plan(data: EnterpriseData, lang: str) -> pd.DataFrame:
    """Indicators per evaluative question: level, nature, unit, source, breakdowns."""
    indicators = data.indicators.merge(
        data.questions[["id", "text"]].rename(columns={"id": "question_id", "text": "question"}),
        on="question_id", how="left",
    )
    n_items = data.items.groupby("indicator_id")["id"].count()
    return pd.DataFrame({
        i18n.t("question", lang): indicators["question"].fillna("—").tolist(),
        i18n.t("indicator", lang): indicators["id"].map(indicator_names(data, lang)).tolist(),
        i18n.t("indicator.level", lang): [voc.INDICATOR_LEVELS.label(v, lang)
                                          for v in indicators["level"]],
        i18n.t("indicator.nature", lang): [voc.INDICATOR_NATURES.label(v, lang)
                                           for v in indicators["nature"]],
        i18n.t("dimension", lang): [voc.DIMENSIONS.label(v, lang) for v in indicators["dimension"]],
        i18n.t("indicator.unit", lang): indicators["unit"].tolist(),
        i18n.t("indicator.items", lang): [int(n_items.get(i, 0)) for i in indicators["id"]],
        i18n.t("plan.breakdowns", lang): [
            ", ".join(i18n.t(f"plan.breakdown.{b}", lang) for b in (v if isinstance(v, list)
                                                                   else [])) or "—"
            for v in indicators["breakdowns"]],
        i18n.t("ws.field.baseline", lang): [_figure(v, lang) for v in indicators["baseline"]],
        i18n.t("ws.field.target", lang): [_figure(v, lang) for v in indicators["target"]],
        i18n.t("ws.field.population", lang): [_figure(v, lang, 0)
                                              for v in indicators["population"]],
    })


def _figure(value: object, lang: str, digits: int = 2) -> str:
    """A planned figure as people write it ('—' when none is set)."""
    if value is None or pd.isna(value):
        return "—"
    number = float(value)
    return i18n.number(number, lang, 0 if number.is_integer() else digits)


def wave_summary(data: EnterpriseData) -> pd.DataFrame:
    """Per wave: eligible, respondents (answered at least one item), completed
    questionnaires (at least COMPLETE_SHARE of the items asked at that wave), response
    rate = completed / eligible (Wilson), paired with T0, attrition."""
    responses = data.responses
    waves = data.waves.set_index("code")
    by_wave = {code: set() for code in waves.index}
    completed = {code: 0 for code in waves.index}
    wave_codes = data.waves.set_index("id")["code"]
    due = _due_waves(data)
    if not responses.empty:
        for wave_id, people in responses.groupby("wave_id")["respondent_id"]:
            by_wave[wave_codes[wave_id]] = set(people)
        answered = responses.dropna(subset=["value"])
        for wave_id, own in answered.groupby("wave_id"):
            code = wave_codes[wave_id]
            asked = {item for item, waves_ in due.items() if code in waves_}
            if not asked:
                continue
            per_person = own[own["item_id"].isin(asked)].groupby("respondent_id")["item_id"]
            completed[code] = int((per_person.nunique() >= COMPLETE_SHARE * len(asked)).sum())
    rows = []
    for code in [w for w in WAVE_ORDER if w in waves.index]:
        eligible = waves.loc[code, "eligible"]
        eligible = int(eligible) if pd.notna(eligible) else None
        n = len(by_wave[code])
        done = completed[code]
        rate = stats.wilson(done, eligible) if eligible and done <= eligible else None
        paired = len(by_wave[code] & by_wave.get("T0", set())) if code != "T0" else None
        rows.append({
            "wave": code, "eligible": eligible, "respondents": n, "completed": done,
            "response_rate": rate.p if rate else None,
            "response_rate_low": rate.low if rate else None,
            "response_rate_high": rate.high if rate else None,
            "paired_with_T0": paired,
            "attrition_from_T0": (1 - paired / len(by_wave["T0"]))
            if paired is not None and by_wave.get("T0") else None,
        })
    return pd.DataFrame(rows, columns=["wave", "eligible", "respondents", "completed",
                                       "response_rate",
                                       "response_rate_low", "response_rate_high",
                                       "paired_with_T0", "attrition_from_T0"])


def _due_waves(data: EnterpriseData) -> dict[str, tuple[str, ...]]:
    """Per item id, the waves its indicator is asked at (e.g. positive exit only at T2)."""
    codes = data.indicators.set_index("id")["code"]
    due = {}
    for item in data.items.itertuples(index=False):
        entry = BY_CODE.get(codes.get(item.indicator_id, ""))
        due[item.id] = entry.waves if entry else WAVE_ORDER
    return due


def item_missing(data: EnterpriseData) -> pd.DataFrame:
    """Per item and wave: how many of the wave's respondents left it unanswered.

    Only the waves an item is asked at count: an item asked at T2 only is not 'missing'
    at T0.
    """
    answers = data.answers()
    rows = []
    if answers.empty:
        return pd.DataFrame(columns=["item_code", "wave", "respondents", "missing", "missing_share"])
    respondents = answers.groupby("wave")["respondent_id"].nunique()
    answered = answers.dropna(subset=["value"]).groupby(["item_code", "wave"])["respondent_id"]
    answered = answered.nunique()
    due = _due_waves(data)
    for item in data.items.itertuples(index=False):
        for wave, total in respondents.items():
            if wave not in due.get(item.id, WAVE_ORDER):
                continue
            got = int(answered.get((item.code, wave), 0))
            rows.append({"item_code": item.code, "wave": wave, "respondents": int(total),
                         "missing": int(total) - got,
                         "missing_share": (int(total) - got) / int(total) if total else None})
    return pd.DataFrame(rows)


def quality_warnings(data: EnterpriseData, lang: str) -> list[str]:
    """Data-quality problems an accompanier should act on before step 3."""
    warnings = []
    summary = wave_summary(data)
    for row in summary.itertuples(index=False):
        if row.respondents < MIN_WAVE_RESPONDENTS:
            warnings.append(i18n.t("warn.small_wave", lang, wave=row.wave, n=row.respondents))
        if row.eligible is None or pd.isna(row.eligible):
            warnings.append(i18n.t("warn.no_eligible", lang, wave=row.wave))
        rate = row.response_rate
        if rate is not None and not pd.isna(rate) and rate < LOW_RESPONSE:
            warnings.append(i18n.t("warn.low_response", lang, wave=row.wave,
                                   share=i18n.percent(rate, lang), n=row.respondents,
                                   eligible=int(row.eligible),
                                   threshold=i18n.percent(LOW_RESPONSE, lang)))
        lost = row.attrition_from_T0
        if lost is not None and not pd.isna(lost) and lost > HIGH_ATTRITION:
            warnings.append(i18n.t("warn.high_attrition", lang, wave=row.wave,
                                   share=i18n.percent(lost, lang),
                                   threshold=i18n.percent(HIGH_ATTRITION, lang)))
    warnings += indicators_without_data(data, lang)
    missing = item_missing(data)
    for row in missing[missing["missing_share"] > MISSING_WARNING].itertuples(index=False):
        warnings.append(i18n.t("warn.missing", lang, item=row.item_code, wave=row.wave,
                               share=i18n.percent(row.missing_share, lang)))
    return warnings


def indicators_without_data(data: EnterpriseData, lang: str) -> list[str]:
    """One line per indicator that has no item, or whose items have no answer yet."""
    found = []
    answered = data.responses.dropna(subset=["value"]) if not data.responses.empty \
        else data.responses
    answered_items = set(answered["item_id"]) if not answered.empty else set()
    names = indicator_names(data, lang)
    for ind in data.indicators.itertuples(index=False):
        items = set(data.items.loc[data.items["indicator_id"] == ind.id, "id"])
        if not items:
            found.append(i18n.t("warn.no_items", lang, indicator=names[ind.id]))
        elif not items & answered_items:
            found.append(i18n.t("warn.no_data", lang, indicator=names[ind.id]))
    return found


def wave_table(summary: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The wave summary in words: response rate with its interval and denominator."""
    rows = []
    for r in summary.to_dict("records"):
        rate = "—"
        if r["response_rate"] is not None and not pd.isna(r["response_rate"]):
            rate = (f"{i18n.percent(r['response_rate'], lang)} [{i18n.percent(r['response_rate_low'], lang)}"
                    f" – {i18n.percent(r['response_rate_high'], lang)}] ({r['completed']}/{r['eligible']})")
        paired = "—" if r["paired_with_T0"] is None or pd.isna(r["paired_with_T0"]) else (
            f"{int(r['paired_with_T0'])} ({i18n.t('attrition', lang)} "
            f"{i18n.percent(r['attrition_from_T0'], lang)})")
        rows.append({i18n.t("wave", lang): voc.WAVES.label(r["wave"], lang),
                     i18n.t("eligible", lang): "—" if r["eligible"] is None or pd.isna(r["eligible"])
                     else str(int(r["eligible"])),
                     i18n.t("respondents", lang): str(r["respondents"]),
                     i18n.t("response_rate", lang): rate,
                     i18n.t("paired_with_T0", lang): paired})
    return pd.DataFrame(rows)


def missing_table(missing: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Items (rows) by wave (columns): share of the wave's respondents who skipped it."""
    if missing.empty:
        return pd.DataFrame()
    table = missing.assign(text=[
        f"{i18n.percent(r['missing_share'], lang)} ({r['missing']}/{r['respondents']})"
        for r in missing.to_dict("records")
    ]).pivot_table(index="item_code", columns="wave", values="text", aggfunc="first")
    table.index.name = i18n.t("item", lang)
    table.columns.name = None
    return table.reset_index()


def instrument_map(data: EnterpriseData, lang: str) -> pd.DataFrame:
    """Which instrument asks which item, and which indicator each item measures."""
    items = data.items
    if items.empty:
        return pd.DataFrame()
    instruments = data.instruments.set_index("id")
    indicators = indicator_names(data, lang)
    scale_labels = {t.code: t.label(lang) for t in voc.SCALE_KINDS}

    def instrument(iid: object) -> str:
        if iid not in instruments.index:
            return "—"
        row = instruments.loc[iid]
        return f"{row['name']} ({voc.METHODS.label(row['method'], lang)})"

    return pd.DataFrame({
        i18n.t("instrument", lang): [instrument(i) for i in items["instrument_id"]],
        i18n.t("item", lang): items["code"].tolist(),
        # The catalogue's wording in the report's language when it has the item; else the
        # enterprise's own wording.
        i18n.t("item.text", lang): [ITEM_TEXTS[code][lang] if code in ITEM_TEXTS else text
                                    for code, text in zip(items["code"], items["text"],
                                                          strict=True)],
        i18n.t("item.scale", lang): [scale_labels.get(s, s) for s in items["scale"]],
        i18n.t("indicator", lang): [indicators.get(i, "—") for i in items["indicator_id"]],
    })


def catalogue_table(lang: str, pole: str | None = None) -> pd.DataFrame:
    """The indicator catalogue, by pole and dimension, with definition, unit, level, source
    and the items that measure it; `pole` keeps only the indicators proposed to that pole."""
    entries = [c for c in CATALOGUE if pole is None or pole in c.poles]
    order = {code: i for i, code in enumerate(voc.DIMENSIONS.codes)}
    entries.sort(key=lambda c: (order.get(c.dimension, 99), c.code))
    sources = voc.METHODS
    return pd.DataFrame({
        i18n.t("catalogue.code", lang): [c.code for c in entries],
        i18n.t("indicator", lang): [c.name[lang] for c in entries],
        i18n.t("dimension", lang): [voc.DIMENSIONS.label(c.dimension, lang) for c in entries],
        i18n.t("pole", lang): [", ".join(voc.POLES.label(p, lang) for p in c.poles)
                               for c in entries],
        i18n.t("indicator.level", lang): [voc.INDICATOR_LEVELS.label(c.level, lang)
                                          for c in entries],
        i18n.t("catalogue.definition", lang): [c.definition[lang] for c in entries],
        i18n.t("indicator.unit", lang): [c.unit[lang] for c in entries],
        i18n.t("catalogue.source", lang): [sources.label(c.source, lang)
                                           if c.source in sources else c.source for c in entries],
        i18n.t("indicator.items", lang): [" / ".join(item.text[lang] for item in c.items)
                                          for c in entries],
    })


def catalogue_counts(lang: str) -> pd.DataFrame:
    """How many catalogue indicators each pole can pick from, per dimension."""
    rows = [(p, c.dimension) for c in CATALOGUE for p in c.poles]
    frame = pd.DataFrame(rows, columns=["pole", "dimension"])
    table = pd.crosstab(frame["dimension"], frame["pole"]).reindex(
        index=list(voc.DIMENSIONS.codes), columns=list(voc.POLES.codes), fill_value=0)
    table.index = [voc.DIMENSIONS.label(d, lang) for d in table.index]
    table.columns = [voc.POLES.label(p, lang) for p in table.columns]
    table.index.name = i18n.t("dimension", lang)
    return table.reset_index()


def cleaning_table(data: EnterpriseData, lang: str) -> pd.DataFrame:
    """The cleaning log (step 2's data quality): every action, who, when, why, before and
    after, and whether it was undone. Respondents appear as pseudonymous ids only."""
    log = data.frames.get("cleaning_actions")
    if log is None or log.empty:
        return pd.DataFrame()
    log = log.sort_values(["created_at", "id"], kind="stable")
    items = data.items.set_index("id")["code"] if not data.items.empty else pd.Series(
        dtype=object)
    waves = data.waves.set_index("id")["code"] if not data.waves.empty else pd.Series(
        dtype=object)

    def shown(value: object) -> str:
        return "—" if value is None or (isinstance(value, float) and pd.isna(value)) \
            else str(value)

    return pd.DataFrame({
        i18n.t("cleaning.id", lang): log["id"].tolist(),
        i18n.t("cleaning.when", lang): [str(v)[:16] for v in log["created_at"]],
        i18n.t("cleaning.who", lang): log["author"].tolist(),
        i18n.t("cleaning.what", lang): [voc.CLEANING_KINDS.label(k, lang) for k in log["kind"]],
        i18n.t("wave", lang): [waves.get(w, w) for w in log["wave_id"]],
        i18n.t("cleaning.respondent", lang): log["respondent_id"].tolist(),
        i18n.t("cleaning.item", lang): [shown(items.get(i, i)) if isinstance(i, str) else "—"
                                        for i in log["item_id"]],
        i18n.t("cleaning.before", lang): [shown(v) for v in log["before"]],
        i18n.t("cleaning.after", lang): [shown(v) for v in log["after"]],
        i18n.t("cleaning.why", lang): log["reason"].tolist(),
        i18n.t("cleaning.undone", lang): [
            "" if u is None or pd.isna(u) else f"{str(u)[:16]} ({b})"
            for u, b in zip(log["undone_at"], log["undone_by"], strict=True)],
    })


def cleaning_count(data: EnterpriseData) -> int:
    """Cleaning actions in force (not undone)."""
    log = data.frames.get("cleaning_actions")
    return 0 if log is None or log.empty else int(log["undone_at"].isna().sum())

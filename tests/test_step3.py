"""Step 3 and cohort views on hand-made and sample data: breakdowns and their protection,
reliable change, findings, the valorisation summary, charts on large data, the catalogue."""

from __future__ import annotations

import dataclasses

import altair as alt
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vises_nb.analysis import collection, disclosure, findings, results, stats
from vises_nb.analysis.cohort import comparable_indicators, load_cohort, notes_texts
from vises_nb.method import vocabulary as voc
from vises_nb.method.catalogue import BY_CODE, CATALOGUE
from vises_nb.publishing import charts
from vises_nb.store.loading import load_enterprise
from vises_nb.store.store import Store

WB_ITEMS = [f"wb{i}" for i in range(5)]


def indicators(*codes: str) -> pd.DataFrame:
    return pd.DataFrame([{"id": f"E1-{c}", "enterprise_id": "E1", "code": c, "name": c}
                         for c in codes])


def numbers(groups: dict[str, list[float]], wave: str = "T0", by: str = "sex") -> pd.DataFrame:
    """One 'services_known' answer per person; groups: group code -> values."""
    rows = []
    for group, values in groups.items():
        for i, v in enumerate(values):
            rows.append({"respondent_id": f"{group}{i}", "wave": wave, "item_id": "svc",
                         "scale": "number", "reverse": False, "value": v,
                         "indicator_id": "E1-services_known", "eligible": None,
                         "enterprise_id": "E1", by: None if group == "none" else group})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------ breakdowns


def test_breakdown_values_match_a_direct_computation():
    frame = numbers({"f": [3, 5, 7, 9, 11, 13], "m": [2, 4, 6, 8, 10]})
    table = results.indicator_breakdowns(indicators("services_known"), frame, "sex")
    women = table.set_index("group").loc["f"]
    expected = stats.mean_interval([3, 5, 7, 9, 11, 13])
    assert women["n"] == 6 and women["value"] == pytest.approx(8.0)
    assert women["low"] == pytest.approx(expected.low)
    assert table.set_index("group").loc["m", "value"] == pytest.approx(6.0)


def protected_breakdown(frame: pd.DataFrame, threshold: int = 5) -> pd.DataFrame:
    """A breakdown by sex as a report publishes it: through disclosure control, linked
    to the wave results of the same report."""
    inds = indicators("services_known")
    table = results.indicator_breakdowns(inds, frame, "sex", threshold)
    wave_results = results.indicator_results(inds, frame, threshold)
    return disclosure.protect(wave_results, breakdowns={"sex": table},
                              threshold=threshold).breakdowns["sex"]


def test_a_single_small_group_hides_the_next_smallest_too():
    frame = numbers({"f": list(range(10)), "m": list(range(6)), "x": [1, 2]})
    cells = protected_breakdown(frame).set_index("group")
    assert cells.loc["x", "reason"] == "suppressed_small_n"
    assert cells.loc["m", "reason"] == "suppressed_secondary", "m = total − f − x"
    assert cells.loc[["x", "m"], "value"].isna().all() and cells.loc[["x", "m"], "n"].isna().all()
    assert cells.loc["f", "n"] == 10 and cells.loc["f", "value"] == pytest.approx(4.5)


def test_two_small_groups_together_still_below_the_threshold_hide_a_third():
    # x (2) and y (2) hidden: together 4 < 5, so total − f − m would describe them
    frame = numbers({"f": list(range(10)), "m": list(range(6)), "x": [1, 2], "y": [3, 4]})
    cells = protected_breakdown(frame).set_index("group")
    assert cells.loc[["x", "y", "m"], "suppressed"].all()
    assert cells.loc["f", "n"] == 10


def test_missing_breakdown_values_form_a_not_stated_group():
    frame = numbers({"f": list(range(6)), "m": list(range(6)), "none": list(range(5))})
    table = results.indicator_breakdowns(indicators("services_known"), frame, "sex")
    assert set(table["group"]) == {"f", "m", "not_stated"}
    assert not table["suppressed"].any()


def test_empty_and_one_person_breakdowns_do_not_crash():
    assert results.indicator_breakdowns(indicators("services_known"), numbers({}), "sex").empty
    one = results.indicator_breakdowns(indicators("services_known"), numbers({"f": [4]}), "sex")
    assert len(one) == 1 and one["suppressed"].all() and one["value"].isna().all()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["f", "m", "x", "none"]),
                          st.sampled_from(["T0", "T1"]), st.integers(0, 15)),
                max_size=60),
       st.integers(3, 7))
def test_no_published_breakdown_rests_on_fewer_than_the_threshold(people, threshold):
    rows = []
    for i, (group, wave, value) in enumerate(people):
        rows.append({"respondent_id": f"R{i}", "wave": wave, "item_id": "svc",
                     "scale": "number", "reverse": False, "value": value,
                     "indicator_id": "E1-services_known", "eligible": None,
                     "enterprise_id": "E1", "sex": None if group == "none" else group})
    frame = pd.DataFrame(rows, columns=["respondent_id", "wave", "item_id", "scale", "reverse",
                                        "value", "indicator_id", "eligible", "enterprise_id",
                                        "sex"])
    table = protected_breakdown(frame, threshold)
    published = table[~table["suppressed"].astype(bool)]
    assert (published["n"] >= threshold).all()
    assert published["value"].notna().all()
    hidden = table[table["suppressed"].astype(bool)]
    assert hidden["value"].isna().all() and hidden["n"].isna().all()
    true_sizes = frame.assign(sex=frame["sex"].fillna("not_stated")).groupby(
        ["wave", "sex"]).size()
    for wave, cells in table.groupby("wave"):
        sizes = true_sizes[wave]
        total = int(sizes.sum())
        hidden_people = total - int(cells["n"].fillna(0).sum())
        # total minus the shown groups: nobody, or at least the threshold
        assert hidden_people == 0 or hidden_people >= threshold or total < threshold, \
            "the hidden groups could be worked out from the total"


# ------------------------------------------------------------------ reliable change


def wellbeing(scores: dict[str, dict[str, list[int]]]) -> pd.DataFrame:
    rows = []
    for wave, people in scores.items():
        for person, items in people.items():
            for item, value in zip(WB_ITEMS, items, strict=True):
                rows.append({"respondent_id": person, "wave": wave, "item_id": item,
                             "scale": "frequency4", "reverse": True, "value": value,
                             "indicator_id": "E1-wellbeing_index", "eligible": None,
                             "enterprise_id": "E1"})
    return pd.DataFrame(rows)


def test_reliable_change_uses_alpha_and_sd_of_the_t0_answers():
    rng = np.random.default_rng(5)
    levels = rng.integers(1, 5, size=12)
    t0 = {f"R{i}": [int(min(4, max(1, level + rng.integers(-1, 1)))) for _ in WB_ITEMS]
          for i, level in enumerate(levels)}
    t1 = {p: [max(1, v - (1 if i % 3 == 0 else 0)) for v in items]
          for i, (p, items) in enumerate(t0.items())}
    frame = wellbeing({"T0": t0, "T1": t1})
    table = results.reliable_changes(indicators("wellbeing_index"), frame).iloc[0]
    item_table = np.array([[5 - v for v in items] for items in t0.values()], dtype=float)
    alpha = stats.cronbach_alpha(item_table).alpha
    score0 = item_table.sum(axis=1)
    score1 = np.array([[5 - v for v in items] for items in t1.values()]).sum(axis=1)
    expected = stats.reliable_change(score0, score1, float(score0.std(ddof=1)), alpha)
    assert table["alpha"] == pytest.approx(alpha) and table["n_paired"] == 12
    assert (table["improved"], table["unchanged"], table["deteriorated"]) == (
        expected.improved, expected.unchanged, expected.deteriorated)
    people = results.person_reliable_change(indicators("wellbeing_index"), frame)
    by_person = people.set_index("respondent_id")["rci"]
    assert [by_person[p] for p in t0] == pytest.approx(list(expected.rcis))


def test_reliable_change_says_when_reliability_is_unknown():
    same = {f"R{i}": [2, 2, 2, 2, 2] for i in range(6)}
    table = results.reliable_changes(indicators("wellbeing_index"),
                                     wellbeing({"T0": same, "T1": same}))
    row = table.iloc[0]
    assert not row["enough_data"] and row["reason"] == "no_variance"


# ------------------------------------------------------------------ findings and summary


@pytest.fixture(scope="module")
def e09(sample_db):
    store = Store.open(sample_db)
    try:
        return load_enterprise(store, "E09")
    finally:
        store.close()


def one_respondent(data):
    """The enterprise with a single respondent left (a wave of one)."""
    frames = dict(data.frames)
    responses = frames["responses"]
    frames["responses"] = responses[responses["respondent_id"] == responses["respondent_id"].iloc[0]]
    return dataclasses.replace(data, frames=frames)


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_a_wave_of_one_says_not_enough_data_never_nan_or_100(e09, lang):
    data = one_respondent(e09)
    answers = data.answers()
    wave_results = results.indicator_results(data.indicators, answers)
    changes = results.indicator_changes(data.indicators, answers)
    table = findings.results_table(wave_results, data, lang)
    text = " ".join(table.astype(str).to_numpy().ravel())
    assert "nan" not in text.lower() and "100" not in text
    summary = findings.valorisation_summary(data, wave_results, changes, lang)
    assert summary["key_figures"] == [findings.i18n.t("summary.no_figures", lang)]
    per_question = findings.question_findings(data, wave_results, changes, lang)
    assert len(per_question) == len(data.questions)
    flat = str(per_question)
    assert "nan" not in flat.lower() and "100" not in flat
    by_sex = results.indicator_breakdowns(data.indicators, answers, "sex")
    assert by_sex["value"].isna().all()


def test_findings_put_each_questions_figures_and_verbatims_together(e09):
    answers = e09.answers()
    wave_results = results.indicator_results(e09.indicators, answers)
    changes = results.indicator_changes(e09.indicators, answers)
    per_question = findings.question_findings(e09, wave_results, changes, "en")
    by_question = e09.indicators.groupby("question_id")["id"].apply(set).to_dict()
    for finding in per_question:
        assert {f["indicator_id"] for f in finding["figures"]} == by_question.get(
            finding["question_id"], set())
        assert any("comparison group" in limit for limit in finding["limits"])
        publishable = set(e09.excerpts.loc[e09.excerpts["publishable"].astype(bool), "text"])
        assert set(finding["verbatims"]) <= publishable
    summary = findings.valorisation_summary(e09, wave_results, changes, "en")
    assert 1 <= len(summary["verbatims"]) <= 3
    assert all("(n = " in line for line in summary["key_figures"])
    assert any("[" in line for line in summary["key_figures"]), "intervals are shown"


# ------------------------------------------------------------------ charts


def test_diverging_layout_centres_the_neutral_answer_on_zero():
    dist = pd.DataFrame({"indicator_id": "a", "indicator_code": "satisfaction", "wave": "T0",
                         "answer": [1, 2, 3, 4, 5], "count": [1, 1, 2, 3, 3], "n": 10})
    dist["share"] = dist["count"] / 10
    layout = charts.diverging_layout(dist).set_index("answer")
    assert layout.loc[3, "start"] == pytest.approx(-0.1) and layout.loc[3, "end"] == pytest.approx(0.1)
    assert layout.loc[1, "start"] == pytest.approx(-0.3)
    assert layout.loc[5, "end"] == pytest.approx(0.7)
    assert (layout["end"] - layout["start"]).sum() == pytest.approx(1.0)


def test_charts_of_a_large_cohort_stay_under_altairs_row_limit():
    n = 60_000
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({
        "respondent_id": [f"R{i}" for i in range(n)], "wave": rng.choice(["T0", "T1"], n),
        "item_id": "sat", "scale": "likert5", "reverse": False,
        "value": rng.integers(1, 6, n).astype(float), "indicator_id": "E1-satisfaction",
        "eligible": None, "enterprise_id": "E1",
    })
    inds = indicators("satisfaction")
    names = {"E1-satisfaction": "Satisfaction"}
    dist = results.likert_distribution(inds, frame)
    spec = charts.likert_chart(dist, names, "en").to_dict()  # raises MaxRowsError if not
    assert len(dist) == 10
    assert alt.data_transformers.options.get("max_rows", 5000) >= 5000
    wave_results = results.indicator_results(indicators("satisfaction", "services_known"), frame)
    assert charts.wave_results_chart(wave_results, names, "en") is None  # medians only
    assert spec["data"] or spec["datasets"]
    assert charts.to_svg(charts.likert_chart(dist, names, "en")).startswith("<svg")


# ------------------------------------------------------------------ catalogue and step 2


def test_catalogue_has_forty_documented_indicators_across_poles_and_dimensions():
    assert len(CATALOGUE) >= 40 and len(BY_CODE) == len(CATALOGUE)
    for entry in CATALOGUE:
        for field in (entry.name, entry.definition, entry.unit):
            assert set(field) == {"fr", "nl", "en"} and all(field.values()), entry.code
        assert entry.level in voc.INDICATOR_LEVELS and entry.dimension in voc.DIMENSIONS
        assert entry.source in voc.METHODS and entry.items, entry.code
        assert all(set(item.text) == {"fr", "nl", "en"} for item in entry.items)
    for pole in voc.POLES.codes:
        dims = {c.dimension for c in CATALOGUE if pole in c.poles}
        assert len(dims) >= 4, pole
    table = collection.catalogue_table("nl", pole="autres")
    assert len(table) == sum("autres" in c.poles for c in CATALOGUE)
    counts = collection.catalogue_counts("fr").set_index(findings.i18n.t("dimension", "fr"))
    assert int(counts.to_numpy().sum()) == sum(len(c.poles) for c in CATALOGUE)


def test_items_asked_at_one_wave_only_are_not_missing_elsewhere(sample_db):
    store = Store.open(sample_db)
    try:
        enterprises = store.frame("indicators")
        owner = enterprises.loc[enterprises["code"] == "positive_exit", "enterprise_id"].iloc[0]
        data = load_enterprise(store, owner)
    finally:
        store.close()
    missing = collection.item_missing(data)
    exit_rows = missing[missing["item_code"] == "positive_exit"]
    assert set(exit_rows["wave"]) <= {"T2"}
    mapping = collection.instrument_map(data, "en")
    assert len(mapping) == len(data.items)


# ------------------------------------------------------------------ cohort


def test_cohort_comparisons_and_notes(sample_db):
    store = Store.open(sample_db)
    try:
        cohort = load_cohort(store)
    finally:
        store.close()
    from vises_nb.analysis.cohort import all_changes
    changes = all_changes(cohort)
    table = comparable_indicators(changes, "en")
    t1 = changes[changes["to_wave"] == "T1"]
    shared = t1.groupby("indicator_code")["enterprise_id"].nunique()
    assert len(table) == int(shared[shared >= 2].sum())
    assert table["Indicator"].nunique() > 1, "more than well-being"
    hidden = table[table["Paired"].str.startswith("<")]
    assert (hidden[["Before", "After", "p"]] == "—").all().all()
    shown = table[~table["Paired"].str.startswith("<")]
    assert (shown["Paired"].astype(int) >= 5).all()
    notes = notes_texts(cohort, "en")
    assert len(notes) == len(cohort.frames["research_notes"])
    steps = [voc.STEPS.codes[[voc.STEPS.label(c, "en") for c in voc.STEPS.codes].index(s)]
             for s in notes["Step"]]
    assert steps == sorted(steps)


def test_quality_warnings_name_empty_indicators_small_waves_and_missing_items(e09):
    frames = dict(e09.frames)
    responses = frames["responses"]
    no_network = responses[responses["item_id"] != "E09-network_size"]
    t1 = no_network["wave_id"] == "E09-T1"
    kept_t1 = no_network.loc[t1, "respondent_id"].drop_duplicates().iloc[:3]
    trimmed = no_network[~t1 | no_network["respondent_id"].isin(kept_t1)]
    # one item skipped by half of the T0 respondents
    t0_people = trimmed.loc[trimmed["wave_id"] == "E09-T0", "respondent_id"].drop_duplicates()
    half = set(t0_people.iloc[: len(t0_people) // 2])
    trimmed = trimmed[~((trimmed["wave_id"] == "E09-T0") & (trimmed["item_id"] == "E09-wb_pain")
                        & trimmed["respondent_id"].isin(half))]
    frames["responses"] = trimmed
    data = dataclasses.replace(e09, frames=frames)
    warnings = collection.quality_warnings(data, "en")
    network = findings.indicator_names(data, "en")["E09-network_size"]
    assert any("no data collected" in w and network in w for w in warnings)
    assert "Wave T1: only 3 respondent(s) — too few to publish figures" in warnings
    assert any(w.startswith("Item wb_pain, wave T0:") for w in warnings)
    table = findings.results_table(results.indicator_results(data.indicators, data.answers()),
                                   data, "en")
    row = table.set_index("Indicator").loc[network]
    assert set(row) == {"not enough data (n = 0)"}


def test_completeness_lists_what_is_missing_before_step_2(e09):
    from vises_nb.analysis import diagnostic

    assert diagnostic.completeness(e09, "en") == []
    frames = dict(e09.frames)
    chain = frames["chain_elements"].copy()
    chain.at[chain.index[0], "dimensions"] = []
    questions = frames["questions"].copy()
    questions.at[questions.index[0], "stakeholders"] = []
    people = frames["stakeholders"].copy()
    people["involvement_step2"] = None
    frames.update(chain_elements=chain, questions=questions, stakeholders=people)
    todo = diagnostic.completeness(dataclasses.replace(e09, frames=frames), "en")
    assert todo == [
        f"Link the impact-chain element '{chain.iloc[0]['label']}' to at least one dimension",
        "Decide which stakeholders take part in data collection (step 2)",
        f"Name the stakeholders concerned by the question '{questions.iloc[0]['text']}'",
    ]
    methods = diagnostic.methods_chosen(e09, "nl")
    stored = {m for ms in e09.questions["methods"] for m in ms}
    assert set(methods["Methode"]) == {voc.METHODS.label(m, "nl") for m in stored}


def test_progress_chart_by_region_counts_every_enterprise(sample_db):
    from vises_nb.analysis.cohort import progress

    store = Store.open(sample_db)
    try:
        cohort = load_cohort(store)
    finally:
        store.close()
    counted = progress(cohort, "region")
    assert counted["enterprises"].sum() == 68
    svg = charts.to_svg(charts.progress_chart(counted, "nl", "region"))
    assert voc.REGIONS.label("flanders", "nl") in svg


def test_response_rate_counts_completed_questionnaires_not_one_answer(e09):
    summary = collection.wave_summary(e09).set_index("wave")
    t0 = summary.loc["T0"]
    # drop most answers of one T0 respondent: still a respondent, no longer complete
    responses = e09.responses
    t0_id = e09.waves.set_index("code").loc["T0", "id"]
    person = responses.loc[responses["wave_id"] == t0_id, "respondent_id"].iloc[0]
    own = responses[(responses["wave_id"] == t0_id) & (responses["respondent_id"] == person)]
    partial = dataclasses.replace(e09, frames={**e09.frames,
                                               "responses": responses.drop(own.index[1:])})
    changed = collection.wave_summary(partial).set_index("wave").loc["T0"]
    assert changed["respondents"] == t0["respondents"]
    assert changed["completed"] == t0["completed"] - 1
    assert changed["response_rate"] == pytest.approx(changed["completed"] / t0["eligible"])
    assert "80 %" in findings.i18n.t("waves.policy_completed", "en", share=80)


# ------------------------------------------------------------------ results in words (#17)


def test_an_ordered_answer_is_shown_by_its_label_and_a_score_with_its_unit(e09):
    wave_results = results.indicator_results(e09.indicators, e09.answers())
    network = wave_results[(wave_results["indicator_code"] == "network_size")
                           & wave_results["value"].notna()].iloc[0].to_dict()
    text = findings.describe_result(network, "en")
    label = {1: "Fewer than 6", 2: "6 to 10", 3: "More than 10"}
    assert text.startswith(f"median “{label[int(network['value'])]}”") or "between" in text
    assert "median 2.0" not in text and "median 3.0" not in text
    table = findings.results_table(wave_results, e09, "fr")
    services = table.set_index("Indicateur").loc["Services publics et sociaux connus"]
    assert all("services /15" in cell for cell in services if cell != "—")


def test_breakdowns_in_natural_order_with_withheld_groups_in_one_line(e09):
    answers = e09.answers()
    by_age = results.indicator_breakdowns(e09.indicators, answers, "age_band")
    table = findings.breakdown_table(by_age, e09, "en")
    groups = [c for c in table.columns if c not in ("Indicator", "Wave")]
    natural = [voc.AGE_BANDS.label(code, "en") for code in voc.AGE_BANDS.codes]
    assert groups == [g for g in natural if g in groups]
    cells = " ".join(table.astype(str).to_numpy().ravel())
    assert "not published" not in cells and "protected" not in cells
    line = findings.breakdown_withheld(by_age, "en")
    hidden = set(by_age.loc[by_age["suppressed"], "group"])
    assert hidden and line.startswith("Not published for groups under 5 people")
    for code in hidden:
        assert voc.AGE_BANDS.label(code, "en") in line


def test_changes_are_told_as_people_who_improved_and_tests_stay_in_the_annex(e09):
    answers = e09.answers()
    values = results.person_values(answers)
    changes = results.indicator_changes(e09.indicators, answers)
    lines = findings.changes_in_words(changes, values, e09, "en")
    assert len(lines) == len(changes)
    row = changes[changes["enough_data"]].iloc[0]
    wide = values[values["indicator_id"] == row["indicator_id"]].pivot_table(
        index="respondent_id", columns="wave", values="value").dropna(
        subset=[row["from_wave"], row["to_wave"]])
    improved = int((wide[row["to_wave"]] > wide[row["from_wave"]]).sum())
    told = lines[list(changes.index).index(row.name)]
    assert f"improved for {improved} of {int(row['n_paired'])} people followed" in told
    assert "p =" not in " ".join(lines) and "Wilcoxon" not in " ".join(lines)


def test_step2_alerts_low_response_and_high_attrition(e09):
    frames = dict(e09.frames)
    waves = frames["waves"].copy()
    waves["eligible"] = 200  # far more people than answered: a low response rate
    frames["waves"] = waves
    warnings = collection.quality_warnings(dataclasses.replace(e09, frames=frames), "en")
    assert any(w.startswith("Wave T0: response rate only") and "below 50%" in w
               for w in warnings)
    summary = collection.wave_summary(e09)
    lost = summary.set_index("wave")["attrition_from_T0"].dropna()
    high = [w for w in collection.quality_warnings(e09, "en") if "did not answer" in w]
    assert len(high) == int((lost > 0.30).sum())


def test_charts_carry_a_text_alternative_and_localised_axes(e09):
    wave_results = results.indicator_results(e09.indicators, e09.answers())
    names = findings.indicator_names(e09, "fr")
    chart = charts.wave_results_chart(wave_results, names, "fr")
    alt_text = charts.alt_text(chart)
    assert alt_text.startswith("Résultats par vague (toutes les personnes présentes")
    shown = wave_results[wave_results["statistic"].isin(["mean", "proportion"])
                         & wave_results["value"].notna()]
    assert alt_text.count("(n = ") == len(shown)
    small = charts.described(alt.Chart(pd.DataFrame({"v": [0.5, 1.5]})).mark_point().encode(
        x="v:Q"), "fr", "t", [])
    import re

    labels = re.findall(r"<text[^>]*>([^<]*)</text>", charts.to_svg(small))
    assert "0,4" in labels and "0.4" not in labels, labels

"""The cohort explorer's data and views without a browser, on the real sample store."""

from __future__ import annotations

import base64
import json

import pandas as pd
import pytest

from vises_nb import i18n
from vises_nb.analysis import cohort as cohort_views
from vises_nb.analysis import disclosure
from vises_nb.analysis.cohort import load_cohort
from vises_nb.analysis.results import indicator_results
from vises_nb.dashboards import page_charts
from vises_nb.dashboards.downloads import csv_text
from vises_nb.dashboards.explorer import (
    Explorer,
    View,
    comparison_chart,
    comparison_spec,
    comparison_table,
    progress_spec,
)
from vises_nb.dashboards.explorer_data import CohortIndex, comparison, wave_results
from vises_nb.method.catalogue import BY_CODE
from vises_nb.sample.generator import SUPPORTED
from vises_nb.store.store import Store


@pytest.fixture(scope="module")
def store(sample_db):
    opened = Store.open(sample_db)
    yield opened
    opened.close()


@pytest.mark.parametrize("code", sorted(SUPPORTED))
def test_results_from_sql_value_counts_equal_the_library_results(store, code):
    cohort = load_cohort(store)
    indicators = cohort.frames["indicators"]
    own = indicators[indicators["code"] == code]
    assert not own.empty, f"the sample uses every indicator it supports ({code})"
    answers = cohort.answers()
    expected = indicator_results(own, answers[answers["indicator_id"].isin(own["id"])])
    # the explorer publishes: the same figures through the same disclosure control
    expected = disclosure.protect_results(expected[expected["n"] > 0], 5)
    got = wave_results(store, indicators, code)
    key = ["indicator_id", "wave"]
    merged = expected.merge(got, on=key, suffixes=("", "_sql"), how="outer", indicator=True)
    assert (merged["_merge"] == "both").all()
    for column in ("n", "suppressed", "statistic", "enterprise_id"):
        same = (merged[column] == merged[f"{column}_sql"]).fillna(False)
        both_missing = merged[column].isna() & merged[f"{column}_sql"].isna()
        assert (same | both_missing).all(), column
    for column in ("value", "low", "high", "top2"):
        left = pd.to_numeric(merged[column], errors="coerce")
        right = pd.to_numeric(merged[f"{column}_sql"], errors="coerce")
        pd.testing.assert_series_equal(left, right, check_names=False, atol=1e-12)


def test_comparison_suppresses_enterprises_below_five_respondents(store):
    index = CohortIndex(store)
    results = index.results("satisfaction").copy()
    small = results.index[:2]
    results.loc[small, ["n", "suppressed", "value", "top2"]] = [3, True, None, None]
    frame = comparison(results, index.select(), results.loc[small[0], "wave"])
    table = comparison_table(frame, "en", 5)
    hidden = table[table["Enterprise"] == results.loc[small[0], "enterprise_id"]].iloc[0]
    assert hidden["n"] == "< 5" and hidden["Value"] == "—"
    # a top-2 share hiding a count of 1-4 people is blanked too (disclosure control)
    shown = table[(table["n"] != "< 5") & (table["Value"] != "—")]
    assert len(shown) and shown["Value"].str.endswith("%").all(), \
        "Likert items compared on top-2-box shares"


def test_filters_and_downloads(sample_db, store):
    explorer = Explorer(str(sample_db), "en", prefetch=False)
    everyone = len(store.frame("enterprises"))
    assert f"({everyone} " in explorer.progress.html
    explorer.pole.value = "insertion"
    insertion = (store.frame("enterprises")["pole"] == "insertion").sum()
    assert f"({insertion} " in explorer.progress.html
    spec = page_charts.spec_of(explorer.compare.chart.outputs[0])
    assert spec["$schema"].endswith("/v5.json") and len(page_charts.chart_data(spec)) > 3
    # the SVG file is made when asked: a button beside the chart, then its link
    assert explorer.compare.download.value == ""
    assert explorer.compare.make.layout.display is None
    assert explorer.compare.make.description == "Prepare the chart as SVG"
    explorer.compare.make.click()
    svg = data_of(explorer.compare.download.value, "vises-download-svg")
    assert svg.startswith("<svg") and "mark-symbol" in svg
    assert explorer.compare.make.layout.display == "none"
    assert explorer.progress.download.value == "", "only the chart asked for"
    explorer.pole.value = ""
    explorer.pole.value = "insertion"  # the same view again: its file is kept
    assert data_of(explorer.compare.download.value, "vises-download-svg") == svg
    explorer.dimension.value = "economic"
    codes = [c for _label, c in explorer.indicator.options]
    assert codes and all(BY_CODE[c].dimension == "economic" for c in codes)
    explorer.indicator.value = "driving_licence"
    csv = data_of(explorer.compare.html, "vises-download-csv")
    assert csv.splitlines()[0] == "Enterprise,Name,Pole,Region,n,Value,95% interval"
    explorer.language.value = "nl"
    assert explorer.pole.description == "Pool"
    explorer.draw_downloads()
    assert "Grafiek downloaden (SVG)" in explorer.progress.html


def data_of(html_text: str, css: str) -> str:
    """The file a download link of `css` carries."""
    href = html_text.split(f"{css}' download='")[1]
    payload = href.split("base64,")[1].split("'")[0]
    return base64.b64decode(payload).decode("utf-8-sig")


def test_csv_opens_with_accents_in_spreadsheets():
    text = csv_text(pd.DataFrame({"région": ["Wallonie"]}))
    assert text.startswith("\ufeffrégion\n")


def test_views_one_click_away_are_prepared_and_a_changed_store_is_read_afresh(sample_copy):
    from vises_nb.dashboards import explorer as module
    from vises_nb.store import model as m

    module.prepare(str(sample_copy), "en")
    prepared = module._prepared[(f"sqlite:///{sample_copy}", "en")]
    neighbour = prepared.neighbours(prepared.state())[0]
    assert neighbour[0] == "insertion"
    key = ("en", *neighbour[:3])
    assert ("progress", *key) in prepared._cache
    store = Store.open(sample_copy)
    record, revision = store.get(m.Enterprise, "E01")
    store.save(record.model_copy(update={"pole": "autres"}), revision)
    assert prepared.version != module.store_version(prepared.store)


def test_prepared_explorer_has_its_first_svg_downloads(sample_copy):
    from vises_nb.dashboards import explorer as module

    module.prepare(str(sample_copy), "en")
    prepared = module._prepared.pop((f"sqlite:///{sample_copy}", "en"))
    svg = data_of(prepared.compare.download.value, "vises-download-svg")
    assert svg.startswith("<svg") and "mark-symbol" in svg
    prepared.store.close()


SENTINELS = (0.123456789, 0.0123456789, 0.987654321)  # figures no published row has


def test_the_chart_sent_to_the_page_holds_no_suppressed_figure(store):
    """A Vega-Lite specification embeds its data: only published figures may be in it,
    even when the frame it is drawn from still carries a suppressed one."""
    index = CohortIndex(store)
    results = index.results("satisfaction").copy()
    wave = results["wave"].iloc[0]
    hidden = results.index[results["wave"] == wave][:3]
    hidden_ids = set(results.loc[hidden, "enterprise_id"])
    results.loc[hidden, ["n", "suppressed"]] = [3, True]
    # a suppressed row whose figures were not blanked (as a buggy caller could pass)
    results.loc[hidden, ["top2", "top2_low", "top2_high", "value", "low", "high"]] = \
        [SENTINELS[0], SENTINELS[1], SENTINELS[2]] * 2
    frame = comparison(results, index.select(), wave)
    view = View.of(("comparison",), "en", "", comparison_spec(frame, "Satisfaction", "en"),
                   "", "satisfaction")
    spec = page_charts.spec_of(view.chart)
    text = json.dumps(spec)
    # Altair's chart itself (the template's source, and the SVG download's) neither
    assert not any(repr(s) in json.dumps(comparison_chart(frame, "S", "en").to_dict())
                   for s in SENTINELS)
    assert not any(repr(s) in text or str(s)[:8] in text for s in SENTINELS)
    rows = page_charts.chart_data(spec)
    assert rows and {r["enterprise_id"] for r in rows}.isdisjoint(hidden_ids)
    assert all(r["n"] >= 5 for r in rows)
    # every published figure is drawn (a share blanked to hide a small count is not)
    assert len(rows) == (~frame["suppressed"] & frame["value"].notna()).sum()
    # only what is drawn: no column beyond the chart's
    assert set(rows[0]) == {"enterprise_id", "name", "pole_label", "n", "value", "low", "high"}


@pytest.mark.parametrize("threshold", [5, 30])
def test_every_chart_of_the_explorer_holds_only_published_figures(sample_db, store, threshold):
    """Through the whole explorer, with the real disclosure control: every enterprise whose
    figure is suppressed (more of them with a threshold of 30) is absent from the chart
    data, and every figure in it is the table's."""
    explorer = Explorer(str(sample_db), "en", min_respondents=threshold, prefetch=False)
    checked = 0
    for code in [c for _label, c in explorer.indicator.options][:6]:
        explorer.indicator.value = code
        for wave in ("T0", "T1"):
            explorer.wave.value = wave
            frame = comparison(explorer.index.results(code), explorer.index.select(), wave)
            suppressed = set(frame.loc[frame["suppressed"], "enterprise_id"])
            outputs = explorer.compare.chart.outputs
            if not outputs:
                assert frame["value"].notna().sum() == 0 or frame["suppressed"].all()
                continue
            rows = page_charts.chart_data(page_charts.spec_of(outputs[0]))
            assert {r["enterprise_id"] for r in rows}.isdisjoint(suppressed)
            assert all(r["n"] >= threshold for r in rows)
            published = frame.set_index("enterprise_id")
            for r in rows:
                assert not published.loc[r["enterprise_id"], "suppressed"]
                assert r["value"] == pytest.approx(published.loc[r["enterprise_id"], "value"])
            checked += len(suppressed)
    if threshold == 30:
        assert checked > 0, "a threshold of 30 suppresses some enterprises of the sample"


@pytest.mark.parametrize(("lang", "decimal", "percent"),
                         [("fr", ",", "\u202f%"), ("nl", ",", "%"), ("en", ".", "%")])
def test_page_charts_keep_their_text_alternative_and_number_locale(sample_db, lang, decimal,
                                                                   percent):
    explorer = Explorer(str(sample_db), lang, prefetch=False)
    explorer.indicator.value = "satisfaction"  # a Likert item: compared on percent shares
    for section in (explorer.progress, explorer.compare):
        output = section.chart.outputs[0]
        spec = page_charts.spec_of(output)
        assert spec["config"]["locale"]["number"]["decimal"] == decimal
        assert len(spec["description"]) > 20 and output["data"]["text/plain"] == \
            spec["description"]
        assert output["metadata"][page_charts.VEGALITE_MIME]["embed_options"]["renderer"] \
            == "svg"
    description = page_charts.spec_of(explorer.compare.chart.outputs[0])["description"]
    assert i18n.t("result.top2", lang) in description
    # the SVG download: drawn with the same locale
    explorer.draw_downloads()
    svg = data_of(explorer.compare.download.value, "vises-download-svg")
    assert f"0{percent}<" in svg or f"0{percent}</text>" in svg or f"0{percent}" in svg


def without_dataset_name(spec: dict) -> dict:
    name = spec["data"]["name"]
    return {**spec, "data": {"name": "d"}, "datasets": {"d": spec["datasets"][name]}}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_filled_template_is_the_chart_altair_builds(store, lang):
    """The page's specifications come from templates built once and filled with each
    view's rows: the same as Altair's whole chart, whatever the filter."""
    from vises_nb.publishing import charts

    index = CohortIndex(store)
    drawn = 0
    for pole, region in ((None, None), ("insertion", None), ("autres", "wallonia")):
        chosen = index.select(pole, region)
        counted = index.progress(chosen, "pole")
        full = cohort_views.progress(index.filtered_cohort(chosen), "pole")
        pd.testing.assert_frame_equal(counted, full)
        chart = charts.progress_chart(counted, lang)
        assert without_dataset_name(progress_spec(counted, lang)) == without_dataset_name(
            page_charts.page_spec(chart, lang, charts.alt_text(chart)))
        for code in ("satisfaction", "driving_licence"):
            frame = comparison(index.results(code), chosen, "T0")
            chart = comparison_chart(frame, code, lang)
            if chart is None:  # nothing published to draw
                assert comparison_spec(frame, code, lang) is None
                continue
            drawn += 1
            assert without_dataset_name(comparison_spec(frame, code, lang)) == \
                without_dataset_name(page_charts.page_spec(chart, lang, charts.alt_text(chart)))
    assert drawn >= 4


def test_a_filter_selects_rows_of_the_table_rendered_once(store):
    from vises_nb.dashboards.explorer import Compared
    from vises_nb.publishing import display

    index = CohortIndex(store)
    compared = Compared(comparison(index.results("satisfaction"), index.select(), "T0"),
                        "fr", 5)
    assert compared.rows is not None and len(compared.rows) == len(compared.table)
    for chosen in (index.select(), index.select("solidarite"), index.select("autres", "flanders"),
                   index.select(step=9)):
        frame, table, rendered = compared.select(chosen["id"])
        expected = comparison(index.results("satisfaction"), chosen, "T0")
        pd.testing.assert_frame_equal(frame, expected)
        pd.testing.assert_frame_equal(table, comparison_table(expected, "fr", 5),
                                      check_dtype=False)
        assert rendered == display.table(comparison_table(expected, "fr", 5), "fr").data


def test_a_refusal_reads_as_on_every_other_page_and_no_data_as_on_the_cards(sample_copy):
    """An account disabled while its explorer is open: the next choice shows the refusal
    as every page does (class `vises-refused`, in red: gate.refusal_html), not as plain
    text; a view without figures says so with the class the enterprise card and the
    groups page use (`empty`)."""
    from vises_nb.dashboards.access import GuardedStore
    from vises_nb.dashboards.gate import REFUSED_COLOUR, refused_html
    from vises_nb.errors import AccessError
    from vises_nb.store import accounts

    explorer = Explorer(str(sample_copy), "fr", prefetch=False)
    opened = Store.open(sample_copy)
    accounts.add_person(opened, "rita", "researcher", "a long enough secret 18")
    explorer.guard = GuardedStore(opened, "rita")
    explorer.pole.value = "insertion"
    assert "vises-refused" not in explorer.progress.html and explorer.compare.chart.outputs
    accounts.disable(opened, "rita")
    explorer.region.value = "wallonia"
    with pytest.raises(AccessError) as refused:
        explorer.guard.require_cohort()
    assert explorer.progress.html == refused_html(refused.value, "fr", "p")
    assert explorer.progress.html.startswith("<p class='vises-refused'")
    assert f"color:{REFUSED_COLOUR}" in explorer.progress.html
    assert explorer.compare.html == "" and not explorer.compare.chart.outputs
    no_data = explorer.comparison_view(("x",), explorer.chosen(), None, "T0", "nl")
    assert no_data.head == f'<p class="empty">{i18n.t("no_data", "nl")}</p>'
    assert no_data.chart is None
    opened.close()

"""The cohort explorer's data and views without a browser, on the real sample store."""

from __future__ import annotations

import base64

import pandas as pd
import pytest

from vises_nb import i18n
from vises_nb.analysis import disclosure
from vises_nb.analysis.cohort import load_cohort
from vises_nb.analysis.results import indicator_results
from vises_nb.dashboards.downloads import csv_text
from vises_nb.dashboards.explorer import Explorer, comparison_table
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
    explorer = Explorer(str(sample_db), "en")
    everyone = len(store.frame("enterprises"))
    assert f"({everyone} " in explorer.progress.value
    explorer.pole.value = "insertion"
    insertion = (store.frame("enterprises")["pole"] == "insertion").sum()
    assert f"({insertion} " in explorer.progress.value
    assert "<svg" in explorer.compare.value
    explorer.dimension.value = "economic"
    codes = [c for _label, c in explorer.indicator.options]
    assert codes and all(BY_CODE[c].dimension == "economic" for c in codes)
    explorer.indicator.value = "driving_licence"
    href = explorer.compare.value.split("vises-download-csv' download='")[1]
    payload = href.split("base64,")[1].split("'")[0]
    csv = base64.b64decode(payload).decode("utf-8-sig")
    assert csv.splitlines()[0] == "Enterprise,Name,Pole,Region,n,Value,95% interval"
    explorer.language.value = "nl"
    assert explorer.pole.description == "Pool"
    assert "Grafiek downloaden (SVG)" in explorer.progress.value


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
    assert "vises-refused" not in explorer.progress.value and "<svg" in explorer.compare.value
    accounts.disable(opened, "rita")
    explorer.region.value = "wallonia"
    with pytest.raises(AccessError) as refused:
        explorer.guard.require_cohort()
    assert explorer.progress.value == refused_html(refused.value, "fr", "p")
    assert explorer.progress.value.startswith("<p class='vises-refused'")
    assert f"color:{REFUSED_COLOUR}" in explorer.progress.value
    assert explorer.compare.value == ""
    no_data = explorer.comparison_html(explorer.chosen(), None, "T0", "nl")
    assert no_data == f'<p class="empty">{i18n.t("no_data", "nl")}</p>'
    opened.close()

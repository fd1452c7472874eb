"""The valorisation one-pager: one A4 page in Chromium's PDF for every step 3 enterprise of
the sample in French, Dutch and English; every indicator accounted for; figures in words;
peers only where 5 enterprises contribute; published by `vises run` (and --pdf)."""

from __future__ import annotations

import html
import re
import sqlite3
import subprocess
import sys

import pandas as pd
import pytest

from vises_nb import i18n
from vises_nb.analysis import results, valorisation
from vises_nb.analysis.cohort import all_results
from vises_nb.analysis.cohort_data import load_cohort, overview
from vises_nb.publishing.valorisation import page_html, pdf_pages, write_pdfs
from vises_nb.store.loading import load_enterprise
from vises_nb.store.schema import SCHEMA_VERSION
from vises_nb.store.store import Store

LANGS = ("fr", "nl", "en")


def _text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.fixture(scope="module")
def contents(sample_db):
    """The one-pager's content of every step 3 enterprise, in each language."""
    store = Store.open(sample_db)
    try:
        cohort = load_cohort(store)
        peers = all_results(cohort)
        table = overview(cohort)
        out = {}
        for eid in table.loc[table["step"] == 3, "id"]:
            data = load_enterprise(store, eid)
            answers = data.answers()
            values = results.person_values(answers)
            wave = results.indicator_results(data.indicators, answers, values=values)
            changes = results.indicator_changes(data.indicators, answers, values=values)
            for lang in LANGS:
                out[eid, lang] = (data, valorisation.one_pager(data, wave, changes, values, lang,
                                                               peer_results=peers))
    finally:
        store.close()
    return out


def test_every_step3_enterprise_fits_one_a4_page_in_every_language(contents, chromium,
                                                                   tmp_path):
    pytest.importorskip("playwright.sync_api")
    assert len({eid for eid, _ in contents}) == 34
    pages = []
    for (eid, lang), (_, content) in contents.items():
        path = tmp_path / f"{eid}.{lang}.html"
        path.write_text(page_html(content, "Data 0123456789ab · vises 0.1.0 · run x"))
        pages.append(path)
    counts = {pdf.stem: pdf_pages(pdf.read_bytes()) for pdf in write_pdfs(pages)}
    assert len(counts) == 34 * 3
    assert {stem: n for stem, n in counts.items() if n != 1} == {}


def test_every_indicator_is_shown_or_named_not_conclusive_with_why(contents):
    not_conclusive_seen = 0
    for (eid, lang), (data, content) in contents.items():
        text = _text(page_html(content))
        shown = set(content["shown"])
        lacking = {item["indicator_id"] for item in content["not_conclusive"]}
        assert shown | lacking == set(data.indicators["id"]), eid
        assert not shown & lacking
        names = valorisation.indicator_names(data, lang)
        for indicator_id in data.indicators["id"]:
            assert names[indicator_id] in text, (eid, lang, names[indicator_id])
        for item in content["not_conclusive"]:
            not_conclusive_seen += 1
            assert f"{item['name']} ({item['reason']})" in content["not_conclusive_line"]
            assert item["reason"]
    assert not_conclusive_seen > 0, "the sample has indicators without a published figure"


def test_no_figure_on_the_one_pager_rests_on_fewer_than_five_people(contents):
    for (eid, lang), (_, content) in contents.items():
        text = _text(page_html(content))
        counts = [int(n) for n in re.findall(r"\bn = (\d+)", text)]
        assert counts or not content["shown"], (eid, lang)
        assert all(n >= 5 for n in counts), (eid, lang, counts)
        for block in content["questions"]:
            for figure in block["figures"]:
                for sentence in figure["sentences"]:
                    followed = re.search(r"of (\d+) people followed", sentence)
                    if followed and lang == "en":
                        assert int(followed.group(1)) >= 5


def test_figures_are_in_words_with_unit_n_and_interval_and_no_test_jargon(contents):
    _, content = contents["E09", "en"]
    text = _text(page_html(content))
    assert "p =" not in text and "Wilcoxon" not in text and "rank-biserial" not in text
    assert re.search(r"between \d+(\.\d)? and \d+(\.\d)? points /20", text), text
    assert re.search(r"improved for \d+ of \d+ people followed from entry to (exit|six months)",
                     text)
    assert "unlikely to be chance" in text or "could be chance" in text
    assert re.search(r"n = \d+ people", text)
    assert "median answer “More than 10”" in text or "median answer “6 to 10”" in text \
        or "median answer “Fewer than 6”" in text, "an ordered answer by its label"
    fr = _text(page_html(contents["E09", "fr"][1]))
    assert re.search(r"entre \d+,\d et \d+,\d points /20", fr), "decimal comma in French"


def test_identity_findings_verbatims_limits_and_languages(contents):
    _, content = contents["E17", "en"]  # a Dutch-speaking enterprise, page in English
    page = page_html(content)
    assert "Solidarity services" in content["identity"][0]
    assert "people followed in the evaluation" in content["identity"][1]
    findings = [f for block in content["questions"] for f in block["findings"]]
    assert {f["author"] for f in findings} == {"The accompanier", "The enterprise"}
    assert all(f["lang"] == "nl" for f in findings)
    assert '<span lang="nl">' in page, "text kept in Dutch is marked as Dutch"
    assert '<h3 lang="nl">' in page, "the enterprise's question, in its own words"
    assert 1 <= len(content["verbatims"]) <= 2
    assert all("Dutch, its original language" in v["origin"] for v in content["verbatims"])
    assert any("No comparison group" in limit for limit in content["limits"])
    assert any(limit.startswith("Small numbers") for limit in content["limits"])
    assert any("did not answer later" in limit for limit in content["limits"])
    nl = page_html(contents["E17", "nl"][1])
    assert 'lang="nl"' in nl and '<span lang=' not in nl, "in its own language: no marking"


def test_chart_shows_the_same_people_before_and_after_with_a_text_alternative(contents):
    data, content = contents["E09", "fr"]
    assert content["chart"]
    page = page_html(content)
    svg = re.search(r"<svg.*?</svg>", page, re.DOTALL).group(0)
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    desc = html.unescape(re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.DOTALL).group(1))
    for row in content["chart"]:
        assert row["name"] in desc and f"{row['n']} personnes" in desc
        assert row["before_text"] in desc and row["after_text"] in desc
        # the n is that of the people present at both waves
        change = valorisation.paired_counts(results.person_values(data.answers()),
                                            row["indicator_id"], row["from_wave"],
                                            row["to_wave"])
        assert sum(change[:3]) == row["n"]


def _peer_table(n: int, code: str = "wellbeing_index") -> pd.DataFrame:
    return pd.DataFrame({"enterprise_id": [f"X{k}" for k in range(n)],
                         "pole": ["insertion"] * n, "indicator_code": [code] * n,
                         "wave": ["T2"] * n, "value": [12.0 + k for k in range(n)],
                         "top2": [None] * n})


@pytest.mark.parametrize("contributing,shown", [(4, False), (5, True)])
def test_peers_are_shown_only_where_five_enterprises_contribute(contents, contributing, shown):
    data, _ = contents["E09", "en"]
    indicator = {"code": "wellbeing_index"}
    row = {"wave": "T2", "value": 15.0, "statistic": "mean"}
    peers = valorisation._peers(_peer_table(contributing), data, indicator, row)
    assert (peers is not None) is shown
    if shown:
        assert peers["cohort"] == (14.0, 12.0, 16.0, 5)
        text = valorisation.peer_sentence(peers, row, "points /20", "wellbeing_index", "en")
        assert "cohort median 14.0 points /20, 12.0 points /20 to 16.0 points /20 (5" in text


def test_a_store_of_schema_3_upgrades_to_7_with_its_data_and_findings_table(sample_db, tmp_path):
    path = tmp_path / "old.sqlite"
    path.write_bytes(sample_db.read_bytes())
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE question_findings")
        conn.execute("UPDATE vises_meta SET value='3' WHERE key='schema_version'")
        responses = conn.execute("SELECT COUNT(*) FROM responses").fetchone()[0]
    store = Store.open(path)
    try:
        assert store.schema_version == SCHEMA_VERSION
        assert len(store.frame("responses")) == responses
        assert store.frame("question_findings").empty
    finally:
        store.close()


def test_the_sample_has_findings_for_each_question_of_step3_enterprises(sample_db):
    store = Store.open(sample_db)
    try:
        findings = store.frame("question_findings")
        questions = store.frame("questions")
        status = store.frame("step_status")
    finally:
        store.close()
    at3 = set(status.loc[(status["step"] == "3") & (status["status"] != "not_started"),
                         "enterprise_id"])
    wanted = questions[questions["enterprise_id"].isin(at3)]
    assert len(findings) == 2 * len(wanted)
    assert set(findings["question_id"]) == set(wanted["id"])


@pytest.mark.slow
def test_vises_run_publishes_a_dutch_enterprise_in_dutch_with_its_pdf(sample_db, tmp_path,
                                                                      chromium):
    """Default `vises run`: a Dutch-speaking enterprise's reports in Dutch only, no French
    catalogue string in them, its one-pager linked from the index and printed to 1 page."""
    pytest.importorskip("playwright.sync_api")
    reports = tmp_path / "reports"
    result = subprocess.run(
        [sys.executable, "-m", "vises_nb.cli", "run", "--store", str(sample_db), "--reports",
         str(reports), "--enterprise", "E17", "--pdf", "--quiet", "--workers", "2"],
        capture_output=True, text=True, timeout=900, check=False)
    assert result.returncode == 0, result.stderr
    folder = reports / "E17"
    assert sorted(p.name for p in folder.glob("*.html")) == [
        "step1.nl.html", "step2.nl.html", "step3.nl.html", "valorisation.nl.html"]
    pdf = folder / "valorisation.nl.pdf"
    assert pdf_pages(pdf.read_bytes()) == 1
    index = (reports / "index.html").read_text()
    assert 'href="E17/valorisation.nl.html" hreflang="nl"' in index
    assert "ouvrir" not in index.lower()
    french = {text for key, text in i18n.catalogue("fr").items()
              if len(text) >= 14 and "{" not in text and text != i18n.catalogue("nl").get(key)
              and text != i18n.catalogue("en").get(key)}
    assert len(french) > 150
    for page in folder.glob("*.html"):
        text = _text(page.read_text())
        assert '<html lang="nl">' in page.read_text()
        leaked = sorted(s for s in french if s in text)
        assert leaked == [], (page.name, leaked[:5])
    one_pager = (folder / "valorisation.nl.html").read_text()
    footer = re.search(r'<footer class="provenance">(.*?)</footer>', one_pager).group(1)
    assert footer.startswith("Gegevens ") and "vises 0.1.0" in footer
    assert str(tmp_path) not in one_pager and "sqlite" not in footer

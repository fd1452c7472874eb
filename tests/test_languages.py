"""Reports in French, Dutch and English: each speaks its own language only."""

from __future__ import annotations

import html
import re

import pytest

from vises_nb import i18n
from vises_nb.method import vocabulary as voc
from vises_nb.publishing.runner import run

pytestmark = pytest.mark.slow
LANGS = ("fr", "nl", "en")
ENTERPRISE = "E17"  # solidarité, Brussels/Flanders, Dutch-speaking, at step 3
KEYS = ["identity.title", "status.title", "chain.title", "questions.title", "todo.title",
        "plan.title", "waves.title", "missing.title", "results.title", "changes.title",
        "limits.title", "audit.title", "audit.data_hash", "limit.no_counterfactual"]


def distinct(texts: dict[str, str]) -> bool:
    """True when no language's text equals or contains another's (a usable spot check)."""
    return all(a == b or (texts[a] not in texts[b] and texts[b] not in texts[a])
               for a in texts for b in texts)


@pytest.fixture(scope="module")
def pages(sample_db, tmp_path_factory) -> dict[str, str]:
    """The three step reports of one enterprise in each language, as plain text."""
    texts = {}
    for lang in LANGS:
        folder = tmp_path_factory.mktemp(f"reports-{lang}")
        summary = run(store_url=str(sample_db), reports_dir=folder, lang=lang,
                      enterprise=ENTERPRISE, workers=2)
        assert not summary.failures, summary.failures
        body = ""
        for step in ("1", "2", "3"):
            page = (folder / ENTERPRISE / f"step{step}.{lang}.html").read_text()
            assert f'<html lang="{lang}">' in page
            body += html.unescape(re.sub(r"<[^>]+>", " ", page))
        texts[lang] = body
    return texts


@pytest.mark.parametrize("lang", LANGS)
def test_each_report_has_its_language_and_no_other(pages, lang):
    checked = 0
    for key in KEYS:
        texts = {code: i18n.t(key, code) for code in LANGS}
        if not distinct(texts):
            continue
        checked += 1
        assert texts[lang] in pages[lang], (lang, key)
        for other in LANGS:
            if other != lang:
                assert texts[other] not in pages[lang], (lang, key, other)
    assert checked >= 10
    pole = {code: voc.POLES.label("solidarite", code) for code in LANGS}
    assert pole[lang] in pages[lang]


@pytest.mark.parametrize("lang,number", [("fr", r"\d,\d"), ("nl", r"\d,\d"), ("en", r"\d\.\d")])
def test_numbers_follow_the_language(pages, lang, number):
    results = pages[lang].split(i18n.t("results.title", lang), 1)[1]
    assert re.search(number, results)


def test_one_run_publishes_several_languages_and_links_their_indexes(sample_db, tmp_path):
    import subprocess
    import sys

    reports = tmp_path / "reports"
    result = subprocess.run(
        [sys.executable, "-m", "vises_nb.cli", "run", "--store", str(sample_db), "--reports",
         str(reports), "--enterprise", ENTERPRISE, "--step", "1", "--lang", "nl,en",
         "--quiet"], capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr
    assert "[nl] 1 rapport(en) gepubliceerd" in result.stdout
    assert "[en] 1 report(s) published" in result.stdout
    for lang in ("nl", "en"):
        assert (reports / ENTERPRISE / f"step1.{lang}.html").exists()
    index = (reports / "index.html").read_text()
    assert '<html lang="nl">' in index, "the first language listed is the main index"
    assert 'href="index.en.html"' in index
    assert 'href="index.nl.html"' in (reports / "index.en.html").read_text()
    bad = subprocess.run([sys.executable, "-m", "vises_nb.cli", "run", "--store", str(sample_db),
                          "--lang", "fr,xx"], capture_output=True, text=True, timeout=120,
                         check=False)
    assert bad.returncode != 0 and "unknown language 'xx'" in bad.stderr


def test_two_languages_of_one_run_never_share_a_notebook_or_its_sidecars(sample_db, tmp_path):
    """`vises run --lang fr` also publishes a Dutch-speaking enterprise in Dutch (own
    language added): both jobs may run at once on two workers, so each has its own
    executed notebook and sidecar folder (the run's language keeps `<id>/<stepN>/`)."""
    from vises_nb.publishing.runner import plan
    from vises_nb.store.store import Store

    store = Store.open(sample_db)
    try:
        dutch = store.frame("enterprises").query("language == 'nl'")["id"].tolist()
    finally:
        store.close()
    assert dutch, "the sample has Dutch-speaking enterprises"
    jobs, _ = plan(f"sqlite:///{sample_db}", tmp_path / "reports", "fr", enterprise=dutch[0],
                   own_language="add")
    languages = {job.lang for job in jobs}
    assert languages == {"fr", "nl"}
    executed = [job.executed for job in jobs]
    folders = [job.parameters["output_dir"] for job in jobs]
    assert len(set(executed)) == len(executed), "one executed notebook per job"
    assert len(set(folders)) == len(folders), "one sidecar folder per job"
    for job in jobs:
        stem = job.report.name.split(".")[0]
        expected = tmp_path / "reports" / dutch[0] / (stem if job.lang == "fr"
                                                      else f"{stem}.{job.lang}")
        assert job.parameters["output_dir"] == str(expected)
        assert job.executed.parent == expected

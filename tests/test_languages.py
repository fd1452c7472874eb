"""Reports in French, Dutch and English: each speaks its own language only."""

from __future__ import annotations

import html
import re

import pytest

from vises_nb import i18n
from vises_nb import vocabulary as voc
from vises_nb.runner import run

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

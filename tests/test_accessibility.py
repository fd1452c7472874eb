"""axe-core in Chromium finds no WCAG level A/AA violation on the index, the step reports,
the cohort report and the valorisation one-pager (the reports themselves carry no script:
axe-core is added to each page by the test; where it comes from: tests/axe_check.py).
The dashboards are checked in tests/test_dashboards_accessibility.py."""

from __future__ import annotations

import re
from itertools import pairwise

import axe_check
import pytest
from serving import BROWSER_ARGS

from vises_nb.publishing.runner import run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def published(tmp_path_factory, sample_db):
    reports = tmp_path_factory.mktemp("a11y") / "reports"
    summary = run(store_url=str(sample_db), reports_dir=reports, lang="fr",
                  enterprise=["E09", "E17"], include_cohort=True, workers=2,
                  own_language="add")
    assert not summary.failures, summary.failures
    return reports


def test_no_wcag_a_or_aa_violation(published, axe_source, chromium):
    playwright = pytest.importorskip("playwright.sync_api")
    pages = [published / "index.html", published / "cohort.fr.html",
             *(published / "E09" / f"step{s}.fr.html" for s in "123"),
             published / "E09" / "valorisation.fr.html",
             published / "E17" / "step3.nl.html", published / "E17" / "valorisation.nl.html"]
    found = {}
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=BROWSER_ARGS)
        try:
            page = browser.new_page()
            for path in pages:
                page.goto(path.as_uri())
                violations = axe_check.violations(page, axe_source)
                if violations:
                    found[path.relative_to(published).as_posix()] = violations
        finally:
            browser.close()
    assert found == {}


def test_headings_in_order_charts_described_and_links_that_say_where_they_go(published):
    pages = [published / "index.html", published / "cohort.fr.html",
             *(published / "E09" / f"step{s}.fr.html" for s in "123"),
             published / "E09" / "valorisation.fr.html", published / "E17" / "step3.nl.html"]
    for path in pages:
        page = path.read_text()
        levels = [int(level) for level in re.findall(r"<h([1-6])[\s>]", page)]
        assert levels[0] == 1 and levels.count(1) == 1, path
        assert all(b <= a + 1 for a, b in pairwise(levels)), (path, levels)
        for alt in re.findall(r'<img alt="([^"]*)"', page):
            assert len(alt) > 20, (path, alt)
    step3 = (published / "E09" / "step3.fr.html").read_text()
    assert step3.count("<img") >= 1 and "<title" in step3, "charts with text alternatives"
    index = (published / "index.html").read_text()
    texts = re.findall(r'<a href="E\d\d/[^"]*"[^>]*>(.*?)</a>', index)
    assert texts and not any(re.sub(r"<[^>]+>", "", t).strip() in ("ouvrir", "open")
                             for t in texts)
    assert all('<span class="sr-only"> — ' in t for t in texts), "each link names its enterprise"

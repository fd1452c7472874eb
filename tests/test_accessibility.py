"""axe-core in Chromium finds no WCAG level A/AA violation on the index, the step reports,
the cohort report and the valorisation one-pager.

axe-core comes from the npm registry at test time (`npm pack axe-core@4` into the test's
temporary folder; nothing fetched is committed), or from $VISES_AXE (a path to
axe.min.js), or from node_modules/axe-core if someone installed it beside the project.
It is loaded into each page with Playwright's add_script_tag: the reports themselves
carry no script.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tarfile
from itertools import pairwise
from pathlib import Path

import pytest
from conftest import ROOT, missing_part
from serving import BROWSER_ARGS

from vises_nb.publishing.runner import run

pytestmark = pytest.mark.slow
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session")
def axe_source(tmp_path_factory) -> str:
    given = os.environ.get("VISES_AXE")
    if given and Path(given).exists():
        return Path(given).read_text()
    local = ROOT / "node_modules" / "axe-core" / "axe.min.js"
    if local.exists():
        return local.read_text()
    npm = shutil.which("npm")
    if npm is None:
        missing_part("npm is not installed (apt-get install npm), needed to fetch axe-core")
    folder = tmp_path_factory.mktemp("axe")
    packed = subprocess.run([npm, "pack", "axe-core@4", "--silent", "--pack-destination",
                             str(folder)], capture_output=True, text=True, timeout=300,
                            check=False)
    archives = list(folder.glob("axe-core-*.tgz"))
    if packed.returncode != 0 or not archives:
        missing_part(f"npm pack axe-core failed: {packed.stderr[-300:]}")
    with tarfile.open(archives[0]) as archive:
        member = archive.extractfile("package/axe.min.js")
        assert member is not None
        return member.read().decode()


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
                page.add_script_tag(content=axe_source)
                violations = page.evaluate(
                    "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', "
                    "values: tags}})).violations.map(v => [v.id, v.nodes.length, "
                    "v.nodes.slice(0, 2).map(n => n.html.slice(0, 120))])", WCAG)
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

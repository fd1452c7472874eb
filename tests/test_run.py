"""`vises run` end to end: real kernels, an index, offline HTML checked in a real browser."""

from __future__ import annotations

import re
import sqlite3

import pytest
from serving import BROWSER_ARGS

from vises_nb.publishing.runner import run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def published(tmp_path_factory, sample_db):
    """Two enterprises and the cohort; E10's impact chain is broken so its step 1 fails."""
    root = tmp_path_factory.mktemp("run")
    store = root / "vises.sqlite"
    store.write_bytes(sample_db.read_bytes())
    with sqlite3.connect(store) as conn:
        conn.execute("UPDATE chain_elements SET level='bogus' WHERE enterprise_id='E10'")
    summary = run(store_url=str(store), reports_dir=root / "reports", lang="en",
                  enterprise=["E09", "E10"], include_cohort=True, workers=2)
    return summary, root / "reports"


def test_failure_is_isolated_and_reported(published):
    summary, reports = published
    assert len(summary.results) == 9, "3 steps and the one-pager of each, and the cohort"
    failed = [(r.job.enterprise_id, r.job.step) for r in summary.failures]
    assert failed == [("E10", "1")]
    failure = summary.failures[0]
    assert "bogus" in failure.error and failure.cell is not None
    assert (reports / "E10" / "step1" / "01_diagnostic.ipynb").exists(), "partial notebook kept"
    for step in ("1", "2", "3"):
        assert (reports / "E09" / f"step{step}.en.html").exists()
    assert not (reports / "E10" / "step1.en.html").exists()
    assert (reports / "E10" / "step3.en.html").exists()
    assert (reports / "cohort.en.html").exists()


def test_index_lists_every_enterprise_with_pole_region_step_and_the_failure(published):
    _, reports = published
    index = (reports / "index.html").read_text()
    assert len(re.findall(r"<small>\(E\d\d\)</small>", index)) == 68
    assert 'href="E09/step3.en.html"' in index and 'href="cohort.en.html"' in index
    assert 'href="E09/valorisation.en.html"' in index
    assert ">Open report<" not in index, "links say where they go"
    assert 'href="E10/step1/01_diagnostic.ipynb"' in index
    assert "failed" in index and "bogus" in index
    row = re.search(r"<tr><td>[^<]*<small>\(E09\)</small></td>(.*?)</tr>", index).group(1)
    assert "Work integration" in row and "Wallonia" in row and "<td>3</td>" in row


def test_reports_have_no_code_no_script_and_an_audit_footer(published):
    _, reports = published
    for page in sorted(reports.rglob("*.html")):
        html = page.read_text()
        assert "<script" not in html.lower(), page
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), page
        assert "open_enterprise" not in html and "import " not in html, "no code cells"
    step3 = (reports / "E09" / "step3.en.html").read_text()
    assert "Where this document comes from" in step3
    assert "Data version" in step3 and "0.1.0" in step3
    assert "data:image/svg+xml" in step3 or "<svg" in step3


def test_reports_render_offline_in_a_real_browser(published, chromium):
    playwright = pytest.importorskip("playwright.sync_api")
    _, reports = published
    requests: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=BROWSER_ARGS)
        page = browser.new_page()
        page.on("request", lambda r: requests.append(r.url))
        for name in ("E09/step3.en.html", "cohort.en.html", "E09/step1.en.html"):
            page.goto((reports / name).as_uri())
            images = page.eval_on_selector_all(
                "img", "els => els.map(e => [e.complete, e.naturalWidth])")
            assert all(done and width > 0 for done, width in images), name
            # charts are images; the step 1 impact chain is an inline SVG diagram
            drawn = len(images) + page.locator("svg.vises-chain-diagram").count()
            assert drawn, name
            assert page.locator("h1").count() >= 1
        browser.close()
    external = [u for u in requests if not u.startswith(("file:", "data:"))]
    assert external == []

"""What a real `vises run` publishes: privacy, hostile text made inert, killed runs harmless.

One run on a copy of the sample cohort (two enterprises at each step and the cohort),
where E09 was filled with hostile text (script, event handlers, formula injection,
control characters, over-long strings) and several enterprises hold a verbatim that is
NOT marked publishable. Every published figure is then scanned, the reports are opened
in a real Chromium, and a second run killed part-way must leave the reports intact.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from serving import BROWSER_ARGS

from vises_nb.analysis.privacy import PHONE_MARK
from vises_nb.errors import ParameterError
from vises_nb.publishing.notebook import open_cohort, open_enterprise
from vises_nb.publishing.runner import run
from vises_nb.store import model as m
from vises_nb.store.store import Store

pytestmark = pytest.mark.slow
THRESHOLD = 5
CHOSEN = ["E03", "E04", "E01", "E06", "E09", "E02"]  # steps 1, 1, 2, 2, 3, 3
SECRET = "SECRET-NOT-PUBLISHABLE-7731"
SCRIPT = "<script>document.title='PWNED';window.__pwned=1</script>"
IMG = "<img src=x onerror=\"window.__pwned=2;document.title='PWNED'\">"
SVG = "\"><svg onload=window.__pwned=3>"
FORMULA = "=HYPERLINK(\"http://evil.example\",\"x\")"
CONTROL = "bell\x07 escape\x1b[31m rtl\u202egnp.exe tab\there"
HOSTILE_NAME = f"Coop {SCRIPT} {IMG}"


def hostile_store(path: Path) -> None:
    """Hostile text in every free-text field a report shows, and unpublishable verbatims."""
    store = Store.open(path)
    card, revision = store.get(m.Enterprise, "E09")
    store.save(card.model_copy(update={
        "name": HOSTILE_NAME, "missions": f"{FORMULA} {CONTROL} {SVG}",
        "social_needs": "x" * 19_000 + " Appelez le 0475 12 34 56",
    }), revision)
    element = store.list(m.ChainElement, enterprise_id="E09")[0]
    _, revision = store.get(m.ChainElement, element.id)
    store.save(element.model_copy(update={"label": f"{SVG} {SCRIPT}"}), revision)
    question = store.list(m.EvaluativeQuestion, enterprise_id="E09")[0]
    _, revision = store.get(m.EvaluativeQuestion, question.id)
    store.save(question.model_copy(update={"text": f"{IMG} {FORMULA}"}), revision)
    indicator = store.list(m.Indicator, enterprise_id="E09")[0]
    _, revision = store.get(m.Indicator, indicator.id)
    store.save(indicator.model_copy(update={"name": f"Indicator {SCRIPT}"}), revision)
    with store.transaction() as w:
        w.save(m.Excerpt(id="E09-HOSTILE", enterprise_id="E09", dimension="social",
                         language="en", publishable=True,
                         text=f"{SCRIPT} {IMG} {FORMULA} {CONTROL} call 0475 12 34 56"))
        for eid in ("E09", "E02", "E01", "E03"):
            w.save(m.Excerpt(id=f"{eid}-SECRET", enterprise_id=eid, dimension="social",
                             language="en", publishable=False, text=f"{SECRET} {eid}"))
    store.close()


@pytest.fixture(scope="module")
def published(tmp_path_factory, sample_db):
    root = tmp_path_factory.mktemp("publication")
    store = root / "vises.sqlite"
    store.write_bytes(sample_db.read_bytes())
    hostile_store(store)
    summary = run(store_url=str(store), reports_dir=root / "reports", lang="en",
                  enterprise=CHOSEN, include_cohort=True, workers=2,
                  min_respondents=THRESHOLD)
    assert summary.failures == [], [r.error for r in summary.failures]
    return store, root / "reports"


def _rows(path: Path) -> list[dict]:
    return json.loads(path.read_text())["data"]


def _result_rows_ok(rows: list[dict], where: str) -> int:
    """Every shown figure of result rows rests on at least THRESHOLD respondents, and the
    n of a row hidden for being small is not published either."""
    small = 0
    for row in rows:
        shown = [k for k in ("value", "low", "high", "top2", "top2_low", "top2_high")
                 if row.get(k) is not None]
        if shown:
            assert row["n"] >= THRESHOLD, (where, row)
        assert row["n"] is None or row["n"] == 0 or row["n"] >= THRESHOLD, (where, row)
        if row["reason"] == "suppressed_small_n":
            small += 1
            assert row["suppressed"] and not shown and row["n"] is None, (where, row)
    return small


def _change_rows_ok(rows: list[dict], where: str) -> int:
    small = 0
    for row in rows:
        shown = [k for k in ("statistic", "p_value", "effect_size", "before", "after")
                 if row.get(k) is not None]
        if shown:
            assert row["n_paired"] >= THRESHOLD, (where, row)
        assert row["n_paired"] is None or row["n_paired"] == 0 \
            or row["n_paired"] >= THRESHOLD, (where, row)
        if row["reason"] == "suppressed_small_n":
            small += 1
            assert row["suppressed"] and not shown and row["n_paired"] is None, (where, row)
    return small


def test_no_published_figure_rests_on_fewer_than_the_threshold(published):
    _, reports = published
    small = 0
    step3 = sorted(reports.glob("*/step3/results.json"))
    assert [p.parent.parent.name for p in step3] == ["E02", "E09"]
    for path in step3:
        small += _result_rows_ok(_rows(path), str(path))
        small += _change_rows_ok(_rows(path.with_name("changes.json")), str(path))
        for row in _rows(path.with_name("likert_distribution.json")):
            assert row["n"] >= THRESHOLD, (path, row)
    everyone = _rows(reports / "cohort" / "all_results.json")
    assert len({r["enterprise_id"] for r in everyone}) > 40, "every enterprise with indicators"
    small += _result_rows_ok(everyone, "all_results")
    small += _change_rows_ok(_rows(reports / "cohort" / "all_changes.json"), "all_changes")
    assert small > 0, "the sample has small groups, so suppression was really exercised"
    # the HTML reports: a figure's n is never between 1 and the threshold
    for page in [*reports.glob("*/step3.en.html"), reports / "cohort.en.html"]:
        html = page.read_text()
        counts = [int(n) for n in re.findall(r"\(n = (\d+)\)", html)]
        assert all(n == 0 or n >= THRESHOLD for n in counts), page
        assert counts or page.name == "cohort.en.html", page


def _sidecars(folder: Path) -> dict:
    import pandas as pd

    tables = {}
    for name in ("results", "changes", "likert_distribution", "breakdowns_sex",
                 "breakdowns_age_band", "reliable_change"):
        tables[name] = pd.DataFrame(_rows(folder / f"{name}.json"))
    return tables


def test_every_published_sidecar_withstands_the_differencing_attacks(published):
    import attacks
    import pandas as pd

    _, reports = published
    for folder in sorted(reports.glob("*/step3")):
        assert attacks.attack(_sidecars(folder), THRESHOLD) == [], folder
        # the suppression log is kept beside the report, in a private folder
        log = json.loads((folder / "private" / "suppression_log.json").read_text())
        assert log and {"table", "rule", "fields"} <= set(log[0])
    cohort = {"results": pd.DataFrame(_rows(reports / "cohort" / "all_results.json")),
              "changes": pd.DataFrame(_rows(reports / "cohort" / "all_changes.json"))}
    assert attacks.attack(cohort, THRESHOLD) == []
    assert (reports / "cohort" / "private" / "suppression_log.json").exists()
    index = (reports / "index.html").read_text()
    assert "private" not in index and "suppression_log" not in index


def test_the_report_footer_never_shows_the_store_address(published):
    from vises_nb.publishing.publish import audit_footer

    store, reports = published
    for page in reports.glob("*.en.html"):
        html = page.read_text()
        assert str(store) not in html, page
    secret = "postgresql+psycopg://vises:s3cr3t-pw@db.internal:5432/vises_prod"
    footer = audit_footer({"parameters": {"store_url": secret, "lang": "en"}}, "en")
    assert "s3cr3t-pw" not in footer and "db.internal" not in footer
    assert "postgresql: vises_prod" in footer


def test_a_verbatim_not_marked_publishable_never_appears(published):
    _, reports = published
    for path in reports.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json"):
            assert SECRET not in path.read_text(errors="replace"), path
    step3 = (reports / "E09" / "step3.en.html").read_text()
    assert "call " + PHONE_MARK in step3 and "0475 12 34 56" not in step3


def active_markup(text: str) -> list[str]:
    """Script tags and event-handler attributes as a browser's parser sees them (text
    inside an attribute value, such as a chart's aria-label, is not markup)."""
    found: list[str] = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "script":
                found.append(tag)
            found.extend(f"{tag} {name}" for name, _ in attrs if name.startswith("on"))

    Parser().feed(text)
    return found


def test_active_markup_is_found_by_the_check():
    assert active_markup('<p>a</p><svg onload="x()"></svg><script>1</script>') == [
        "svg onload", "script"]
    assert active_markup('<text aria-label="&quot;&gt;&lt;svg onload=x">t</text>') == []


def test_hostile_text_is_escaped_in_the_html(published):
    _, reports = published
    for page in reports.rglob("*.html"):
        html = page.read_text()
        assert "<script" not in html.lower(), page
        assert active_markup(html) == [], page
        assert "<svg onload" not in html and "<img src=x" not in html, page
    step1 = (reports / "E09" / "step1.en.html").read_text()
    assert "&lt;script&gt;document.title=" in step1
    assert "0475 12 34 56" not in step1, "contacts in the identity card are masked"


def test_hostile_text_is_shown_literally_and_never_runs_in_a_browser(published, chromium):
    playwright = pytest.importorskip("playwright.sync_api")
    _, reports = published
    pages = ["E09/step1.en.html", "E09/step2.en.html", "E09/step3.en.html", "cohort.en.html",
             "index.html"]
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=BROWSER_ARGS)
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for name in pages:
            page.goto((reports / name).as_uri())
            page.wait_for_load_state("load")
            assert page.evaluate("() => window.__pwned") is None, name
            assert page.title() != "PWNED", name
            assert page.locator("script").count() == 0, name
        page.goto((reports / "E09/step1.en.html").as_uri())
        assert page.title().startswith(HOSTILE_NAME), "the title is the name, as text"
        text = page.locator("body").inner_text()
        assert SCRIPT in text and IMG in text, "the markup is shown as text"
        assert FORMULA in text and "rtl" in text
        page.goto((reports / "E09/step3.en.html").as_uri())
        text = page.locator("body").inner_text()
        assert f"{SCRIPT} {IMG} {FORMULA}" in text
        page.goto((reports / "index.html").as_uri())
        assert HOSTILE_NAME in page.locator("body").inner_text()
        browser.close()
    assert dialogs == []


def test_threshold_below_three_is_refused_everywhere(published, tmp_path):
    store, _ = published
    cli = subprocess.run([sys.executable, "-m", "vises_nb.cli", "run", "--store", str(store),
                          "--reports", str(tmp_path / "r"), "--min-respondents", "2"],
                         check=False, capture_output=True, text=True)
    assert cli.returncode != 0 and "--min-respondents must be at least 3" in cli.stderr
    assert not (tmp_path / "r").exists()
    with pytest.raises(ParameterError, match="at least 3"):
        open_enterprise(str(store), "E09", "en", str(tmp_path), min_respondents=2)
    with pytest.raises(ParameterError, match="at least 3"):
        open_cohort(str(store), "en", str(tmp_path), min_respondents=1)


def _digests(reports: Path) -> dict[str, str]:
    return {str(p.relative_to(reports)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in reports.rglob("*.html")}


def test_a_killed_run_leaves_the_published_reports_intact(published):
    store, reports = published
    before = _digests(reports)
    process = subprocess.Popen(
        [sys.executable, "-m", "vises_nb.cli", "run", "--store", str(store), "--reports",
         str(reports), "--lang", "en", "--enterprise", "E09", "--workers", "2", "--quiet",
         "--force"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    manifest = reports / "manifest.json"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:  # until its notebooks run
        if "E09/step1.en.html" not in json.loads(manifest.read_text())["reports"]:
            break
        time.sleep(0.05)
    assert process.poll() is None, "the run should still be going when it is killed"
    os.killpg(process.pid, signal.SIGKILL)  # the run, its workers and their kernels
    process.wait(timeout=30)
    after = _digests(reports)
    assert after == before, "every report from the previous run is still there, unchanged"
    with sqlite3.connect(store) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_no_respondent_code_is_published(published):
    store_path, reports = published
    with sqlite3.connect(store_path) as conn:
        rows = conn.execute("SELECT id, code FROM respondents WHERE enterprise_id IN "
                            "('E09', 'E02', 'E01', 'E06')").fetchall()
    assert rows and all(len(code) == 10 and code.isalnum() for _, code in rows), "pseudonyms"
    codes = {code for _, code in rows}
    for path in reports.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json"):
            text = path.read_text(errors="replace")
            assert not any(code in text for code in codes), path

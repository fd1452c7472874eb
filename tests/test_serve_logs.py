"""The server's log never holds the access key. `vises serve` prints its address with the
token once (how the person who started it opens the dashboards); every other line of its
log, which a federation's service keeps in a journal or a file others may read, must not:
a page not found, a refused path and an error in a file handler each logged the whole
address, token included (tornado's request summaries, Voila's access log)."""

from __future__ import annotations

import re
import urllib.error
import urllib.request

import pytest
from serving import access_logged, unexpected_tracebacks, vises_serve

pytestmark = pytest.mark.slow
TOKEN = "log-scrub-token-0123456789abcdef"


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=60) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture(scope="module")
def served(sample_db, tmp_path_factory):
    with vises_serve(sample_db, tmp_path_factory.mktemp("logs"), TOKEN, pool_size=0) as started:
        yield started


def test_the_token_in_an_address_never_reaches_the_log(served):
    base, log = served
    asked = {
        "/?token=": 200,
        "/voila/render/no-such-page.ipynb?token=": 404,
        "/voila/static/..%2f..%2fetc/passwd?token=": 403,
        "/voila/files/..%2f..%2fdata/vises.sqlite?token=": 403,
        "/voila/templates/..%2f..%2f..%2fetc/passwd?x=1&token=": None,
        "/no/such/route?token=": 404,
    }
    for path, expected in asked.items():
        status = get(f"{base}{path}{TOKEN}")
        assert expected is None or status == expected, (path, status)
        assert status != 200 or path == "/?token=", path
    get(f"{base}/voila/render/no-such-page.ipynb?a=b&token={TOKEN}&c=d")
    # the last request's summary written (each request's lines are written before it)
    assert access_logged(log, r"/voila/render/no-such-page\.ipynb\?a=b&\S*&c=d") == 1
    text = log.read_text()
    leaking = [line for line in text.splitlines()
               if TOKEN in line and not line.startswith("vises dashboards:")]
    assert "no-such-page.ipynb" in text, "the refusals are still logged"
    assert leaking == [], leaking


# Voila's own file routes, asked for paths they do not expect: a template's file outside
# its `static` folder made an AssertionError (500) and the error page itself failed to
# render (an empty 404), each with tracebacks in the log.
ODD_FILES = ["/voila/templates/..%2f..%2f..%2fetc/passwd", "/voila/templates/lab/x/y.css",
             "/voila/templates/lab", "/voila/labextensions/..%2f..%2f..%2fetc%2fpasswd",
             "/voila/labextensions/no-such-extension/x.js", "/voila/static/no-such-file.js",
             "/voila/static/..%2f..%2fetc%2fpasswd", "/voila/files/no-such-file.png"]


@pytest.mark.parametrize("path", ODD_FILES)
def test_voila_s_file_routes_refuse_odd_paths_in_words_with_no_traceback(served, path):
    base, log = served
    summary = re.escape(path) + r"\?token=\S*"
    asked = access_logged(log, summary, timeout=0)
    before = len(unexpected_tracebacks(log.read_text()))
    try:
        with urllib.request.urlopen(f"{base}{path}?token={TOKEN}", timeout=60) as answer:
            status, body = answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read().decode()
    assert status in (403, 404), (path, status)
    assert "<html" in body.lower() and "vises" in body, (path, body[:200])
    assert "passwd" not in body and "root:" not in body
    # the log is written by the server's own process, its request's summary last
    assert access_logged(log, summary, asked + 1) == asked + 1
    assert len(unexpected_tracebacks(log.read_text())) == before, path

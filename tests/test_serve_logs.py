"""The server's log never holds the access key. `vises serve` prints its address with the
token once (how the person who started it opens the dashboards); every other line of its
log, which a federation's service keeps in a journal or a file others may read, must not:
a page not found, a refused path and an error in a file handler each logged the whole
address, token included (tornado's request summaries, Voila's access log)."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from serving import vises_serve

pytestmark = pytest.mark.slow
TOKEN = "log-scrub-token-0123456789abcdef"


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=60) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_token_in_an_address_never_reaches_the_log(sample_db, tmp_path):
    with vises_serve(sample_db, tmp_path, TOKEN, pool_size=0) as (base, log):
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
        text = log.read_text()
    leaking = [line for line in text.splitlines()
               if TOKEN in line and not line.startswith("vises dashboards:")]
    assert "no-such-page.ipynb" in text, "the refusals are still logged"
    assert leaking == [], leaking

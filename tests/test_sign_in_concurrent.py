"""Guessing passwords in parallel on a real `vises serve --accounts`.

The slow-down (after `FREE_FAILURES` failures each attempt waits 1, 2, 4 ... s) read the
failures so far, waited, then checked: attempts sent together all read the same count,
waited the same second and were all checked at once, so a guesser sending many at a
time was not slowed at all. Attempts on one account (or from one address) now take turns
once slowed, each waiting after the one before it, and a guesser queueing more is
answered at once without a check."""

from __future__ import annotations

import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from browser_accounts import security_log, users
from serving import vises_serve

from vises_nb.store import accounts

pytestmark = pytest.mark.slow
TOKEN = "concurrent-sign-in-token-0123456789"


def attempt(base: str, cookie: str, xsrf: str, name: str, password: str,
            timeout: float = 120) -> int:
    data = urllib.parse.urlencode({"username": name, "password": password, "_xsrf": xsrf,
                                   "next": "/"}).encode()
    request = urllib.request.Request(f"{base}/login", data=data, headers={"Cookie": cookie})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return -1  # still waiting when the server stopped


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def failures(store, name: str) -> int:
    return sum(1 for e in security_log(store, "sign_in_failed") if e["username"] == name)


def test_guesses_sent_together_are_slowed_as_one_after_the_other(sample_copy, tmp_path):
    users(sample_copy, "add", "anna", "--role", "accompanier", "--accompanier", "A01")
    with vises_serve(sample_copy, tmp_path, TOKEN, accounts=True, pool_size=0) as (base, _log):
        with urllib.request.urlopen(f"{base}/login", timeout=60) as page:
            cookie = "; ".join(c.split(";")[0] for c in page.headers.get_all("Set-Cookie"))
            xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.read().decode()).group(1)
        for _ in range(accounts.FREE_FAILURES):  # the free ones, one after the other
            assert attempt(base, cookie, xsrf, "anna", "not the password 1") == 401
        assert failures(sample_copy, "anna") == accounts.FREE_FAILURES

        answers: list[tuple[float, int]] = []
        started = time.monotonic()

        def guess(i: int) -> None:
            status = attempt(base, cookie, xsrf, "anna", f"guess number {i:03d}")
            answers.append((time.monotonic() - started, status))

        threads = [threading.Thread(target=guess, args=(i,), daemon=True) for i in range(24)]
        for thread in threads:
            thread.start()
        time.sleep(6.0)
        checked = failures(sample_copy, "anna") - accounts.FREE_FAILURES
        # one after the other they wait 1, 2, 4 s: by 6 s two (at most three) were checked
        assert checked <= 3, f"{checked} guesses checked within 6 s (sent together)"
        # those beyond a short queue were answered unchecked and told to wait: once as many
        # answers came as there were guesses beyond the queue (however long a busy machine
        # took to send them), they are those (a few checked ones may be among them)
        deadline = time.monotonic() + 120
        while len(answers) < 24 - accounts.MAX_QUEUED and time.monotonic() < deadline:
            time.sleep(0.1)
        told = [status for _at, status in answers]
        assert told.count(429) >= 24 - accounts.MAX_QUEUED - 3, answers
        assert 200 not in told and 302 not in told
        # the right password still opens, once its turn comes (slowed, as before)
        for thread in threads:
            thread.join(timeout=0.1)

"""The sign-in pages of a real `vises serve` speak the served language, their errors too.

Without accounts, a page opened without the token led to jupyter_server's login page:
"Password or token:", "Log in", "Invalid credentials" and a paragraph on `jupyter server
list`, in English. With or without accounts, a form posted without its cookie (cookies
blocked, a page left open over a restart) answered jupyter_server's English "403 :
Forbidden". Both servers here run in Dutch, driven by Chromium."""

from __future__ import annotations

import html
import shutil
import urllib.error
import urllib.request

import pytest
from browser_accounts import PASSWORD, users
from serving import unexpected_tracebacks, vises_serve

from vises_nb import i18n

pytestmark = pytest.mark.slow
TOKEN = "the-token-of-this-test-0123456789"
LANG = "nl"
ENGLISH = ("Password or token", "Log in", "Invalid credentials", "jupyter server list",
           "Forbidden", "_xsrf")


def say(key: str) -> str:
    return i18n.t(key, LANG)


def assert_dutch(page) -> str:
    text = page.locator("body").inner_text()
    assert page.locator("html").get_attribute("lang") == LANG
    assert [w for w in ENGLISH if w in text] == [], text
    return text


@pytest.fixture(scope="module")
def servers(sample_db, tmp_path_factory):
    """A server without accounts and one with (an accompanier `anna`), both in Dutch."""
    folder = tmp_path_factory.mktemp("sign-in")
    store_path = folder / "vises.sqlite"
    shutil.copy(sample_db, store_path)
    users(store_path, "add", "anna", "--role", "researcher")
    (folder / "token").mkdir()
    (folder / "accounts").mkdir()
    with vises_serve(store_path, folder / "token", TOKEN, lang=LANG, pool_size=0) as token, \
            vises_serve(store_path, folder / "accounts", "unused", lang=LANG, pool_size=0,
                        accounts=True) as accounts:
        yield {"token": token, "accounts": accounts}
    for _, log in (token, accounts):
        assert unexpected_tracebacks(log.read_text()) == []


def test_without_accounts_the_token_page_and_its_refusals_are_in_the_served_language(
        servers, browser):
    base, _ = servers["token"]
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/", timeout=60_000)
    assert "/login" in page.url  # no token: sent to the sign-in page
    text = assert_dutch(page)
    assert say("serve.token_intro") in text and say("serve.token_label") in text
    page.fill("input[name=password]", "not-the-token")
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert say("serve.token_refused") in assert_dutch(page)
    context.clear_cookies()  # the form's _xsrf cookie gone
    page.fill("input[name=password]", TOKEN)
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert say("serve.login_cookie") in assert_dutch(page)
    page.fill("input[name=password]", TOKEN)  # the page set the cookie again
    with page.expect_navigation(timeout=60_000):
        page.click("button[type=submit]")
    assert "/login" not in page.url
    assert say("landing.title") in assert_dutch(page)
    context.close()


def test_with_accounts_a_form_posted_without_its_cookie_says_so_in_the_language(
        servers, browser):
    base, _ = servers["accounts"]
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/login", timeout=60_000)
    assert say("serve.login_name") in assert_dutch(page)
    page.fill("input[name=username]", "anna")
    page.fill("input[name=password]", "wrong " + PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert say("serve.login_refused") in assert_dutch(page)
    context.clear_cookies()
    page.fill("input[name=username]", "anna")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert say("serve.login_cookie") in assert_dutch(page)
    page.fill("input[name=username]", "anna")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation(timeout=60_000):
        page.click("button[type=submit]")
    assert say("landing.title") in assert_dutch(page)
    context.close()


@pytest.mark.parametrize("mode", ["token", "accounts"])
def test_a_post_without_its_cookie_still_answers_403(mode, servers):
    """As jupyter_server answered, so that scripts and proxies see what happened; the
    page is the translated form."""
    base, _ = servers[mode]
    request = urllib.request.Request(f"{base}/login", data=b"password=wrong", method="POST")
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=30)
    assert caught.value.code == 403
    body = html.unescape(caught.value.read().decode())
    assert say("serve.login_cookie") in body and "Forbidden" not in body
    assert "<form method='post'" in body

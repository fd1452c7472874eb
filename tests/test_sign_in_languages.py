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


def submit(page, fields: dict[str, str]) -> str:
    """Fill the sign-in form, send it, and the text of the page it leads to (in Dutch)."""
    for name, value in fields.items():
        page.fill(f"input[name={name}]", value)
    with page.expect_navigation(timeout=60_000):
        page.click("button[type=submit]")
    return assert_dutch(page)


# mode: (the page opened, what the sign-in page says first, right fields, wrong ones and
# what is said about them)
WALKS = {
    "token": ("/", ("serve.token_intro", "serve.token_label"), {"password": TOKEN},
              {"password": "not-the-token"}, "serve.token_refused"),
    "accounts": ("/login", ("serve.login_name", "serve.login_password"),
                 {"username": "anna", "password": PASSWORD},
                 {"username": "anna", "password": "wrong " + PASSWORD}, "serve.login_refused"),
}


@pytest.mark.parametrize("mode", list(WALKS))
def test_the_sign_in_page_and_its_refusals_are_in_the_served_language(mode, servers,
                                                                      browser):
    """Without accounts, a page opened without the token leads to the sign-in page."""
    base, _ = servers[mode]
    opened, first, right, wrong, refused = WALKS[mode]
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + opened, timeout=60_000)
    assert page.url.startswith(f"{base}/login")
    text = assert_dutch(page)
    assert all(say(key) in text for key in first), text
    assert say(refused) in submit(page, wrong)
    context.clear_cookies()  # the form's _xsrf cookie gone
    assert say("serve.login_cookie") in submit(page, right)
    assert say("landing.title") in submit(page, right)  # the page set the cookie again
    assert "/login" not in page.url
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

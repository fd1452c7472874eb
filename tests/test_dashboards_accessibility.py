"""The dashboards and the landing page of a real `vises serve`, in Chromium, with axe-core
(tests/axe_check.py): no WCAG 2.x level A/AA violation on any dashboard notebook of
notebooks/dashboards (each a test, so a new dashboard is checked as soon as it exists),
in every state a user reaches by opening each tab, choosing in each list and typing a
wrong value in a whole-number field (its message shown); the landing
page at `/` and Voila's loading texts in the served language (fr, nl, en).
"""

from __future__ import annotations

import json
import shutil

import axe_check
import pytest
from serving import unexpected_tracebacks, vises_serve

from vises_nb import i18n
from vises_nb.dashboards.landing import describe
from vises_nb.paths import DASHBOARDS_DIR

pytestmark = pytest.mark.slow
TOKEN = "test-token-a11y-5d1e"
DASHBOARDS = sorted(p.name for p in DASHBOARDS_DIR.glob("*.ipynb"))
LANG = "fr"  # what the dashboards are checked in (vises serve's default language)
# axe-core rule id: why a violation of it is left (a rule inside a third-party widget we
# cannot change, ...). Empty: every violation found was fixed in our code.
ALLOWED: dict[str, str] = {}
INVALID = ("volunteers", "year_founded")  # whole-number fields of the forms

# Installed in the page before its own scripts: notes the id of every request the page
# sends on its kernel's websocket (shell channel: a widget changed, a button clicked) and
# forgets it when the kernel says it is idle after it (iopub status, parent = that id).
# Jupyter's "v1" binary framing, the JSON one, and the legacy binary one are read.
KERNEL_TRACKER = """(() => {
  const pending = new Set();
  window.visesKernel = {pending};
  const text = new TextDecoder();
  function parts(data, protocol) {
    if (typeof data === 'string') {
      const m = JSON.parse(data);
      return [m.channel, m.header, m.parent_header, m.content];
    }
    const buf = data instanceof ArrayBuffer ? data
      : data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
    const view = new DataView(buf);
    if (protocol === 'v1.kernel.websocket.jupyter.org') {
      const at = i => Number(view.getBigUint64(8 * (i + 1), true));
      const part = i => text.decode(new Uint8Array(buf, at(i), at(i + 1) - at(i)));
      return [part(0), JSON.parse(part(1)), JSON.parse(part(2)), JSON.parse(part(4))];
    }
    const count = view.getUint32(0), start = view.getUint32(4);
    const end = count > 1 ? view.getUint32(8) : buf.byteLength;
    const m = JSON.parse(text.decode(new Uint8Array(buf, start, end - start)));
    return [m.channel, m.header, m.parent_header, m.content];
  }
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', event => {
        try {
          const [channel, header, parent, content] = parts(event.data, this.protocol);
          if (channel === 'iopub' && header.msg_type === 'status'
              && content.execution_state === 'idle') pending.delete(parent.msg_id);
        } catch (e) { /* not a kernel message */ }
      });
    }
    send(data) {
      try {
        const [channel, header] = parts(data, this.protocol);
        if (channel === 'shell') pending.add(header.msg_id);
      } catch (e) { /* not a kernel message */ }
      return super.send(data);
    }
  };
})();"""

# resolves once the kernel has answered every request the page sent it (KERNEL_TRACKER;
# at most 180 s) and the page has then not changed for 800 ms (widgets drawn), or after
# 20 s of constant change. Not a pause: a tab's forms drawn by a slow kernel are waited for.
QUIET = """() => new Promise(resolve => {
  let timer; const started = Date.now();
  const answered = () => !window.visesKernel || window.visesKernel.pending.size === 0
                         || Date.now() - started > 180000;
  const done = () => {
    if (!answered()) { timer = setTimeout(done, 100); return; }
    observer.disconnect(); resolve(true);
  };
  const observer = new MutationObserver(() => {
    clearTimeout(timer);
    timer = setTimeout(done, Date.now() - started > 20000 ? 0 : 800);
  });
  observer.observe(document.documentElement, {subtree: true, childList: true,
                                              attributes: true, characterData: true});
  timer = setTimeout(done, 800);
})"""


@pytest.fixture(scope="module")
def served(sample_db, tmp_path_factory):
    """(base URL, log) of a `vises serve --lang fr` on a copy of the sample cohort."""
    folder = tmp_path_factory.mktemp("dash-a11y")
    store = folder / "vises.sqlite"
    shutil.copy(sample_db, store)
    with vises_serve(store, folder, TOKEN, lang=LANG) as (base, log):
        yield base, log
        # while it runs (stopping it interrupts kernels mid-message)
        assert unexpected_tracebacks(log.read_text()) == []


def rendered(page) -> None:
    """Wait until Voila has run the notebook and shown its cells, and the widgets drew."""
    page.wait_for_function(
        "() => document.querySelector('#rendered_cells')?.style.display !== 'none' && "
        "!!document.querySelector('#rendered_cells .jupyter-widgets')", timeout=120_000)
    page.evaluate(QUIET)


def choose_in_lists(page) -> int:
    """Choose the last entry of every visible list (a record's form opens beside it)."""
    chosen = 0
    lists = page.locator("select[size]:visible")  # the page is quiet: drawn (QUIET)
    for i in range(lists.count()):
        options = lists.nth(i).locator("option")
        if options.count():
            lists.nth(i).select_option(index=options.count() - 1)
            page.evaluate(QUIET)
            chosen += 1
    return chosen


def type_invalid_values(page) -> int:
    """Type letters in the visible whole-number fields: their messages appear beside them."""
    typed = 0
    fields = page.locator(", ".join(f".vises-field-{name} input:visible" for name in INVALID))
    for i in range(fields.count()):
        fields.nth(i).fill("douze")
        typed += 1
    if typed:
        page.wait_for_function("() => [...document.querySelectorAll('.vises-error')]"
                               ".some(e => e.textContent.trim())", timeout=30_000)
        page.evaluate(QUIET)
    return typed


@pytest.mark.parametrize("notebook", DASHBOARDS)
def test_dashboard_has_no_wcag_a_or_aa_violation(served, browser, axe_source, notebook):
    base, _log = served
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.add_init_script(KERNEL_TRACKER)
    response = page.goto(f"{base}/voila/render/{notebook}?token={TOKEN}", wait_until="commit",
                         timeout=120_000)
    rendered(page)
    source = response.text()
    assert f'<html lang="{LANG}">' in source, "the page's language, written by the server"
    title = describe(notebook, LANG).title
    assert page.locator("h1").all_inner_texts() == [title], "one title, in the language"
    assert page.title() == title
    found, visited = {}, []

    def check(state: str) -> None:
        visited.append(state)
        violations = axe_check.violations(page, axe_source, ALLOWED)
        if violations:
            found[state] = violations

    def visit(name: str) -> None:
        if choose_in_lists(page):
            check(f"{name}, a record chosen in each list")
        if type_invalid_values(page):
            check(f"{name}, invalid values typed")

    check("opened")
    tabs = page.get_by_role("tab")
    for i in range(tabs.count()) or [None]:
        name = "page"
        if i is not None:
            name = f"tab {tabs.nth(i).inner_text()!r}"
            tabs.nth(i).click()
            page.wait_for_function(
                "(i) => document.querySelectorAll('[role=tab]')[i]"
                "?.getAttribute('aria-selected') === 'true'", arg=i, timeout=30_000)
            page.evaluate(QUIET)
            check(name)
        visit(name)
        # the workspace's step 1 sections, each built when first opened
        sections = page.locator(".vises-step1-sections > .lm-TabBar [role=tab]:visible")
        for j in range(1, sections.count()):
            title = sections.nth(j).inner_text()
            sections.nth(j).click()
            page.locator(".vises-step1-sections > .lm-TabBar [role=tab][aria-selected=true]",
                         has_text=title).wait_for(timeout=30_000)
            page.evaluate(QUIET)
            check(f"{name}, section {title!r}")
            visit(f"{name}, section {title!r}")
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)
    if notebook in ("workspace.ipynb", "coordinator.ipynb"):  # the test reached the forms
        assert any("invalid" in state for state in visited), visited
    if notebook == "workspace.ipynb":
        assert sum("chosen" in state for state in visited) >= 3, "; ".join(visited)
    page.close()


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_landing_page_and_loading_texts_in_the_served_language(sample_db, tmp_path, browser,
                                                               axe_source, lang):
    """`vises serve --lang X`: the page at / lists every dashboard with its title and
    line in X, under a heading in X, with <html lang=X>; a dashboard opened from it says
    it is loading in X and shows its title in X."""
    store = tmp_path / "vises.sqlite"
    shutil.copy(sample_db, store)
    with vises_serve(store, tmp_path, TOKEN, lang=lang, pool_size=0) as (base, log):
        page = browser.new_page()
        page.add_init_script(KERNEL_TRACKER)
        page.goto(f"{base}/?token={TOKEN}")
        assert page.evaluate("document.documentElement.lang") == lang
        assert page.locator("h1").all_inner_texts() == [i18n.t("landing.title", lang)]
        assert page.title() == i18n.t("landing.title", lang)
        links = page.locator("main li a")
        listed = {links.nth(i).get_attribute("href").rsplit("/", 1)[-1]: links.nth(i).inner_text()
                  for i in range(links.count())}
        assert listed == {n: describe(n, lang).title for n in DASHBOARDS}
        for notebook in DASHBOARDS:
            summary = describe(notebook, lang).summary
            item = page.locator("main li", has=page.locator(f"a[href$='/{notebook}']"))
            assert item.locator("p").all_inner_texts() == ([summary] if summary else [])
        assert "Voil" not in page.content(), "nothing of Voila's own (English) tree page"
        assert axe_check.violations(page, axe_source) == []

        loading = i18n.t("voila.loading", lang)
        step = i18n.t("voila.loading_step", lang).split("{index}")[0]
        with page.expect_navigation(wait_until="commit"):
            page.locator("main a[href$='/workspace.ipynb']").click()
        page.wait_for_function(
            "([a, b]) => { const t = document.getElementById('loading_text')?.textContent;"
            " return t === a || (!!t && t.startsWith(b)); }", arg=[loading, step],
            timeout=60_000)
        shown = page.evaluate("document.getElementById('loading_text').textContent")
        assert shown == loading or shown.startswith(step)
        assert "Running" not in shown and "Executing" not in shown
        assert page.evaluate("document.documentElement.lang") == lang
        rendered(page)
        title = i18n.t("dash.workspace.title", lang)
        assert page.locator("h1").all_inner_texts() == [title]
        assert page.title() == title
        page.close()
        assert unexpected_tracebacks(log.read_text()) == []

"""The people of a collective session, in Chromium: each opens the workspace on their own
enterprise (`workspace.ipynb?enterprise=E09`, each in its own browser context, one after
the other) and saves its identity card. Shared by tests/test_collective_session.py and
benchmarks/bench_collective_session.py (which put this folder on sys.path), so it needs
no pytest. Also the CPU time of process trees (the server and its kernels; Chromium)."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from serving import BROWSER_ARGS


@dataclass
class Page:
    number: int
    enterprise: str
    served: float | None = None  # request → the page's HTML fully received (server side)
    render: float | None = None  # request → the enterprise's card shown
    save: float | None = None  # click on save → "saved" shown
    stuck: str = ""  # where a page that never finished stopped ("" once saved)


def session_enterprises(store_path: Path, count: int) -> list[tuple[str, str]]:
    """(id, name) of `count` enterprises followed by an accompanier, spread over the cohort."""
    from vises_nb.store import model as m
    from vises_nb.store.store import Store

    store = Store.open(store_path)
    try:
        every = [(e.id, e.name) for e in sorted(store.list(m.Enterprise), key=lambda e: e.id)
                 if e.accompanier_id and not e.archived]
    finally:
        store.close()
    return every[::max(1, len(every) // count)][:count]


# ------------------------------------------------------------------ CPU time
TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) is not None:
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, frontier = [], [root]
    while frontier:
        kids = children.get(frontier.pop(), [])
        found += kids
        frontier += kids
    return found


def own_cpu(pid: int) -> float:
    """CPU time (user + system) of a process and of the children it has reaped."""
    fields = _stat(pid)
    return sum(int(v) for v in fields[11:15]) / TICKS if fields else 0.0


def cpu_seconds(root: int, exclude: Sequence[int] = ()) -> float:
    """CPU time of a process, its living descendants and the children they reaped
    (kernels stopped, Chromium's closed renderers), less the trees under `exclude`."""
    skip = set(exclude)
    for pid in exclude:
        skip.update(descendants(pid))
    return sum(own_cpu(pid) for pid in [root, *descendants(root)] if pid not in skip)


def chromium_pids(root: int | None = None) -> list[int]:
    """The Chromium processes under `root` (this process by default: Playwright's driver
    starts the browser), each context's renderer included."""
    found = []
    for pid in descendants(os.getpid() if root is None else root):
        try:
            exe = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0", 1)[0]
        except OSError:
            continue
        if re.search(rb"chrom(e|ium)", exe):
            found.append(pid)
    return found


def chromium_cpu() -> float:
    """CPU time of every Chromium process under this one (renderers that were closed are
    counted in their parent's reaped children)."""
    return sum(own_cpu(pid) for pid in chromium_pids())


# ------------------------------------------------------------------ the pages
async def open_and_save(browser, base: str, token: str, page: Page, name: str,
                        delay: float, timeout: float, contexts: list) -> None:
    """One person: after `delay` s, a new browser context opens the workspace on
    `page.enterprise`, waits for its card (`name`), fills the identity card's sector and
    saves. Times go into `page`; a page that times out keeps where it stopped in
    `page.stuck`. The context stays open (its page holds its kernel): see `contexts`."""
    from playwright.async_api import TimeoutError as PageTimeout

    await asyncio.sleep(delay)
    context = await browser.new_context()
    contexts.append(context)
    tab = await context.new_page()
    start = time.perf_counter()

    def left() -> float:
        return max(0.1, timeout - (time.perf_counter() - start)) * 1000

    try:
        page.stuck = "render"
        response = await tab.goto(f"{base}/voila/render/workspace.ipynb?token={token}"
                                  f"&enterprise={page.enterprise}", wait_until="commit",
                                  timeout=left())

        async def served() -> None:  # Voila streams the page as its kernel runs the notebook
            await response.finished()
            page.served = time.perf_counter() - start

        receiving = asyncio.ensure_future(served())
        await tab.locator(".vises-card h2", has_text=name).first.wait_for(timeout=left())
        page.render = time.perf_counter() - start
        await asyncio.wait_for(receiving, timeout=left() / 1000)
        page.stuck = "form"
        await tab.get_by_role("tab", name="Step 1").click(timeout=left())
        form = tab.locator(".vises-form-identity")
        await form.wait_for(timeout=left())
        sector = form.locator(".vises-field-sector input, .vises-field-sector textarea").first
        await sector.fill(f"Session sector {page.number}", timeout=left())
        page.stuck = "save"
        clicked = time.perf_counter()
        await form.locator(".vises-save").click(timeout=left())
        await form.locator(".vises-status-saved").wait_for(timeout=left())
        page.save = time.perf_counter() - clicked
        page.stuck = ""
    except (PageTimeout, TimeoutError):
        pass


async def session(base: str, token: str, chosen: Sequence[tuple[str, str]], gap: float = 1.0,
                  timeout: float = 120, while_open: Callable[[], None] | None = None,
                  after_close: Callable[[], None] | None = None,
                  executable: str | None = None) -> list[Page]:
    """The pages of `chosen` ((enterprise id, name)), opened `gap` s apart in one Chromium;
    `while_open()` runs (in a thread) once every page has saved or given up, all still
    open; then, if `after_close` is given, each page is left as a person leaves it (Voila's
    page asks the server to stop its kernel) and `after_close()` runs, Chromium still up."""
    from playwright.async_api import async_playwright

    pages = [Page(i + 1, eid) for i, (eid, _name) in enumerate(chosen)]
    contexts: list = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=executable or shutil.which("chromium") or "/usr/bin/chromium",
            args=BROWSER_ARGS)
        try:
            await asyncio.gather(*(open_and_save(browser, base, token, page, name, i * gap,
                                                 timeout, contexts)
                                   for i, (page, (_eid, name)) in enumerate(zip(pages, chosen))))
            if while_open is not None:
                await asyncio.to_thread(while_open)
            if after_close is not None:
                for context in contexts:
                    for tab in context.pages:
                        await tab.close(run_before_unload=True)
                await asyncio.to_thread(after_close)
        finally:
            await browser.close()
    return pages

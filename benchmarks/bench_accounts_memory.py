"""What `vises serve --accounts` costs per person: N people sign in (each their own
browser context) and open the workspace; prints the server's and each kernel's resident
memory (RSS) side by side, before and after.

    .venv/bin/python benchmarks/bench_accounts_memory.py [--people 3] [--store FILE]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from serving import BROWSER_ARGS, vises_serve

PASSWORD = "benchmark password 18"


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def tree(root: int) -> list[int]:
    out = subprocess.run(["ps", "-e", "-o", "pid=,ppid="], check=True,
                         capture_output=True, text=True).stdout
    parents = {int(p): int(q) for p, q in (line.split() for line in out.splitlines())}
    found, frontier = [], [root]
    while frontier:
        parent = frontier.pop()
        children = [p for p, q in parents.items() if q == parent]
        found += children
        frontier += children
    return found


def kernels(server: int) -> dict[int, float]:
    return {p: rss_mb(p) for p in tree(server)
            if "ipykernel" in Path(f"/proc/{p}/cmdline").read_bytes().decode(errors="replace")}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=3)
    parser.add_argument("--store", default="data/vises.sqlite")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from vises_nb.store import accounts
    from vises_nb.store import model as m
    from vises_nb.store.store import Store

    folder = Path(tempfile.mkdtemp(prefix="bench-accounts-"))
    store_path = folder / "vises.sqlite"
    shutil.copy(args.store, store_path)
    store = Store.open(store_path)
    followers = sorted({e.accompanier_id for e in store.list(m.Enterprise) if e.accompanier_id})
    for i in range(args.people):
        accounts.add_person(store, f"p{i}", "accompanier", PASSWORD,
                            accompanier_id=followers[i % len(followers)])
    store.close()
    processes: list = []
    try:
        with vises_serve(store_path, folder, "bench", accounts=True,
                         process_out=processes) as (base, _log):
            server = processes[0].pid
            idle = kernels(server)
            print(f"server {rss_mb(server):.0f} MB; {len(idle)} preheated kernels "
                  f"{sum(idle.values()):.0f} MB ({', '.join(f'{v:.0f}' for v in idle.values())})")
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=BROWSER_ARGS)
                pages = []
                for i in range(args.people):
                    page = browser.new_context().new_page()
                    page.goto(f"{base}/login")
                    page.fill("input[name=username]", f"p{i}")
                    page.fill("input[name=password]", PASSWORD)
                    with page.expect_navigation():
                        page.click("button[type=submit]")
                    page.goto(f"{base}/voila/render/workspace.ipynb", timeout=120_000)
                    page.locator(".vises-card h2").wait_for(timeout=120_000)
                    pages.append(page)
                busy = kernels(server)
                print(f"{args.people} people on the workspace: server {rss_mb(server):.0f} MB; "
                      f"{len(busy)} kernels {sum(busy.values()):.0f} MB")
                extra = sum(busy.values()) - sum(idle.values())
                print(f"per person: {extra / args.people:.0f} MB "
                      f"(each page holds one kernel; the pool refills behind it)")
                browser.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

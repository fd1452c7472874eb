"""Where Chromium spends its CPU on a workspace page: one page alone, or the N pages of a
collective session, traced.

    .venv/bin/python benchmarks/profile_page.py [--pages 1] [--gap 1] [--trace trace.json]
        [--config "LABEL:SERVE ARGS[:ENV=VALUE,...]" ...]

Starts a real `vises serve --session N` on the sample cohort (as
benchmarks/bench_collective_session.py does), opens N pages (each its own browser
context, --gap s apart, each on another enterprise), waits for each one's card, then
saves its identity card as the session's people do, and prints, per configuration:

- Chromium's CPU time split by process (browser, renderers, GPU, network/utility);
- per page, Chrome's own counters (`Performance.getMetrics`): script, layout and style
  recalculation durations, the whole task time, JS heap, DOM nodes, widget views;
- what the page fetched: requests and bytes, by kind (JS, CSS, fonts, the page itself),
  and the largest scripts;
- from a DevTools trace of the renderers' main threads: self time by activity (script
  compile, evaluation, function calls, style, layout, paint, GC...) and the scripts whose
  compiling and running cost the most. Tracing itself costs a little CPU.

Asserts nothing; figures go in the README (Dashboards, a collective session).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_collective_session import TOKEN, expected_waiting, parse_config
from serving import BROWSER_ARGS, vises_serve
from session_pages import TICKS, chromium_pids, own_cpu, session_enterprises

METRICS = ("TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration",
           "LayoutCount", "RecalcStyleCount", "JSHeapUsedSize", "Nodes", "JSEventListeners")
CATEGORIES = ["devtools.timeline", "v8", "blink", "disabled-by-default-devtools.timeline",
              "loading"]
# trace events on a renderer's main thread, grouped as DevTools' summary groups them
GROUPS = {
    "compile": ("v8.compile", "V8.CompileCode", "v8.compileModule", "V8.CompileLazy",
                "v8.parseOnBackground", "V8.ParseProgram", "V8.ParseFunction",
                "V8.CompileFullCode", "v8.produceCache", "v8.deserializeOnBackground",
                "V8.DeserializeContext", "CompileScript", "CacheScript"),
    "script": ("EvaluateScript", "FunctionCall", "v8.run", "v8.callFunction",
               "TimerFire", "FireAnimationFrame", "EventDispatch", "RunMicrotasks",
               "v8.evaluateModule", "V8.Execute"),
    "gc": ("MajorGC", "MinorGC", "V8.GCScavenger", "V8.GCFinalizeMC", "BlinkGC.AtomicPhase",
           "V8.GC_MARK_COMPACTOR", "ThreadState::performIdleLazySweep", "V8.GCCompactor",
           "V8.GCIncrementalMarking", "V8.GC_SCAVENGER", "BlinkGC.LazySweepInIdle"),
    "style": ("UpdateLayoutTree", "RecalculateStyles", "ParseAuthorStyleSheet",
              "Document::updateStyle", "StyleInvalidatorInvalidationTracking"),
    "layout": ("Layout", "UpdateLayerTree", "LocalFrameView::layout", "PrePaint",
               "IntersectionObserverController::computeIntersections"),
    "paint": ("Paint", "PaintImage", "CompositeLayers", "Commit", "Layerize",
              "RasterTask", "Decode Image", "ImageDecodeTask"),
    "html": ("ParseHTML", "HTMLDocumentParser::processTokenizedChunkFromBackgroundParser"),
}
GROUP_OF = {name: group for group, names in GROUPS.items() for name in names}


def process_kind(pid: int) -> str:
    try:
        # Chromium rewrites its children's command line as one string (setproctitle)
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").split()
    except OSError:
        return "gone"
    for arg in argv:
        if arg.startswith(b"--type="):
            kind = arg[7:].decode()
            if kind == "utility":
                sub = [a for a in argv if a.startswith(b"--utility-sub-type=")]
                return "utility " + (sub[0].split(b"=", 1)[1].decode().rsplit(".", 1)[-1]
                                     if sub else "")
            return kind
    return "browser"


def chromium_split() -> dict[str, float]:
    """CPU time of Chromium's processes by kind, and of the renderers' threads by name
    ("renderer/<thread>")."""
    split: dict[str, float] = defaultdict(float)
    for pid in chromium_pids():
        kind = process_kind(pid)
        split[kind] += own_cpu(pid)
        if kind != "renderer":
            continue
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                comm = (task / "comm").read_text().strip()
                fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            name = comm.rstrip("0123456789").rstrip()
            split[f"renderer/{name}"] += (int(fields[11]) + int(fields[12])) / TICKS
    return dict(split)


def self_times(trace: dict) -> dict[int, dict]:
    """Per renderer process: self time (ms) of each event name on its main thread, and of
    compile/evaluate/call events by script."""
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    main: dict[int, int] = {}
    names: dict[int, str] = {}
    for e in events:
        if e.get("ph") == "M" and e.get("name") == "thread_name" \
                and e["args"].get("name") == "CrRendererMain":
            main[e["pid"]] = e["tid"]
        if e.get("ph") == "M" and e.get("name") == "process_name":
            names[e["pid"]] = e["args"].get("name", "")
    spans: dict[int, list] = defaultdict(list)
    for e in events:
        if e.get("ph") == "X" and main.get(e["pid"]) == e.get("tid") and "dur" in e:
            data = (e.get("args") or {}).get("data") or {}
            url = data.get("url") or data.get("scriptName") or ""
            if not url and isinstance(data.get("stackTrace"), list) and data["stackTrace"]:
                url = data["stackTrace"][0].get("url", "")
            if not url:
                url = (e.get("args") or {}).get("url", "") or ""
            spans[e["pid"]].append((e["ts"], e["dur"], e["name"], url))
    result = {}
    for pid, items in spans.items():
        items.sort(key=lambda s: (s[0], -s[1]))
        by_name: Counter = Counter()
        by_script: Counter = Counter()
        stack: list = []  # [end, name, url, child_time]

        def close(entry, by_name=by_name, by_script=by_script) -> None:
            _end, name, url, child, dur = entry
            own = max(0.0, dur - child) / 1000
            by_name[name] += own
            group = GROUP_OF.get(name, "other")
            if group in ("compile", "script") and url:
                by_script[(group, short(url))] += own

        for ts, dur, name, url in items:
            while stack and stack[-1][0] <= ts:
                close(stack.pop())
            if stack:
                stack[-1][3] += dur
                if not url:
                    url = stack[-1][2]
            stack.append([ts + dur, name, url, 0, dur])
        while stack:
            close(stack.pop())
        result[pid] = {"name": names.get(pid, ""), "by_name": by_name, "by_script": by_script,
                       "busy": sum(by_name.values())}
    return result


def short(url: str) -> str:
    url = url.split("?")[0]
    for marker in ("/voila/templates/", "/voila/labextensions/", "/voila/static/"):
        if marker in url:
            return url.split(marker, 1)[1]
    return url.rsplit("/", 1)[-1] or url


async def one_page(browser, base: str, number: int, enterprise: str, name: str,
                   delay: float, timeout: float, record: dict) -> None:
    from playwright.async_api import TimeoutError as PageTimeout

    await asyncio.sleep(delay)
    context = await browser.new_context()
    record["context"] = context
    tab = await context.new_page()
    cdp = await context.new_cdp_session(tab)
    await cdp.send("Performance.enable", {"timeDomain": "threadTicks"})
    fetched: list = []

    async def finished(request) -> None:
        try:
            sizes = await request.sizes()
        except Exception:  # noqa: BLE001 - a request of a closed page
            return
        fetched.append((request.url, request.resource_type,
                        sizes["responseBodySize"] + sizes["responseHeadersSize"]))

    tab.on("requestfinished", lambda r: asyncio.ensure_future(finished(r)))
    start = time.perf_counter()
    record.update(fetched=fetched, number=number, enterprise=enterprise)
    try:
        await tab.goto(f"{base}/voila/render/workspace.ipynb?token={TOKEN}"
                       f"&enterprise={enterprise}", wait_until="commit", timeout=timeout * 1000)
        await tab.locator(".vises-card h2", has_text=name).first.wait_for(timeout=timeout * 1000)
        record["render"] = time.perf_counter() - start
        record["at_render"] = await metrics(cdp)
        record["dom"] = await tab.evaluate("""() => ({
            widgets: document.querySelectorAll('.jupyter-widgets').length,
            elements: document.getElementsByTagName('*').length,
            sheets: document.styleSheets.length,
            rules: Array.from(document.styleSheets).reduce((n, s) => {
                try { return n + s.cssRules.length; } catch (e) { return n; } }, 0),
            fonts: Array.from(document.fonts).filter(f => f.status === 'loaded')
                        .map(f => f.family).join(', '),
        })""")
        await tab.get_by_role("tab", name="Step 1").click(timeout=timeout * 1000)
        form = tab.locator(".vises-form-identity")
        await form.wait_for(timeout=timeout * 1000)
        record["at_step1"] = await metrics(cdp)
        sector = form.locator(".vises-field-sector input, .vises-field-sector textarea").first
        await sector.fill(f"Profile sector {number}", timeout=timeout * 1000)
        clicked = time.perf_counter()
        await form.locator(".vises-save").click(timeout=timeout * 1000)
        await form.locator(".vises-status-saved").wait_for(timeout=timeout * 1000)
        record["save"] = time.perf_counter() - clicked
        await asyncio.sleep(2)  # what an open, idle page costs afterwards
        record["idle_before"] = await metrics(cdp)
        await asyncio.sleep(5)
        record["idle_after"] = await metrics(cdp)
    except (PageTimeout, TimeoutError):
        record["stuck"] = True


async def metrics(cdp) -> dict[str, float]:
    reply = await cdp.send("Performance.getMetrics")
    return {m["name"]: m["value"] for m in reply["metrics"]}


async def run_pages(base: str, chosen, gap: float, timeout: float,
                    trace: Path | None) -> tuple[list[dict], dict, dict | None]:
    from playwright.async_api import async_playwright

    records: list[dict] = [{} for _ in chosen]
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=BROWSER_ARGS)
        launched = chromium_split()
        try:
            if trace is not None:
                await browser.start_tracing(path=str(trace), categories=CATEGORIES)
            await asyncio.gather(*(one_page(browser, base, i + 1, eid, name, i * gap, timeout,
                                            records[i])
                                   for i, (eid, name) in enumerate(chosen)))
            split = chromium_split()
            if trace is not None:
                await browser.stop_tracing()
        finally:
            await browser.close()
    split = {k: v - launched.get(k, 0.0) for k, v in split.items()}
    traced = json.loads(trace.read_text()) if trace is not None else None
    return records, split, traced


def report(label: str, records: list[dict], split: dict, traced: dict | None,
           server_cpu: float) -> None:
    n = len(records)
    print(f"\n== {label}: {n} page(s)")
    done = [r for r in records if "save" in r]
    if done:
        renders = [r["render"] for r in done]
        saves = [r["save"] for r in done]
        print(f"  first render p50 {statistics.median(renders):.2f} s, max {max(renders):.2f} s;"
              f" save p50 {statistics.median(saves):.2f} s, max {max(saves):.2f} s;"
              f" stuck {sum(1 for r in records if r.get('stuck'))}")
    total = sum(v for k, v in split.items() if "/" not in k)
    print(f"  Chromium CPU after launch: {total:.2f} s ({total / n:.2f} s per page): "
          + ", ".join(f"{k} {v:.2f}" for k, v in sorted(split.items(), key=lambda kv: -kv[1])
                      if "/" not in k))
    print("    renderers' threads: " + ", ".join(
        f"{k.split('/', 1)[1]} {v:.2f}" for k, v in sorted(split.items(), key=lambda kv: -kv[1])
        if "/" in k and v >= 0.01))
    print(f"  server and kernels CPU: {server_cpu:.2f} s")
    for stage in ("at_render", "at_step1", "idle_before"):
        rows = [r[stage] for r in records if stage in r]
        if not rows:
            continue
        med = {k: statistics.median(row.get(k, 0) for row in rows) for k in METRICS}
        print(f"  {stage:12s} (median per page): task {med['TaskDuration']:.2f} s, script "
              f"{med['ScriptDuration']:.2f} s, layout {med['LayoutDuration']:.2f} s "
              f"({med['LayoutCount']:.0f}), style {med['RecalcStyleDuration']:.2f} s "
              f"({med['RecalcStyleCount']:.0f}), heap {med['JSHeapUsedSize'] / 2**20:.1f} MB, "
              f"nodes {med['Nodes']:.0f}, listeners {med['JSEventListeners']:.0f}")
    idle = [(r["idle_after"]["TaskDuration"] - r["idle_before"]["TaskDuration"]) / 5
            for r in records if "idle_after" in r]
    if idle:
        print(f"  idle page, saved: {statistics.median(idle) * 1000:.1f} ms of task per second")
    if records and "dom" in records[0]:
        print(f"  DOM at first render (page 1): {records[0]['dom']}")
    fetched = records[0].get("fetched", []) if records else []
    if fetched:
        kinds: dict[str, list] = defaultdict(lambda: [0, 0])
        for _url, kind, size in fetched:
            kinds[kind][0] += 1
            kinds[kind][1] += size
        print(f"  page 1 fetched {len(fetched)} requests, "
              f"{sum(s for *_r, s in fetched) / 1e6:.2f} MB: "
              + ", ".join(f"{k} {c} / {b / 1e6:.2f} MB" for k, (c, b) in
                          sorted(kinds.items(), key=lambda kv: -kv[1][1])))
        for url, kind, size in sorted(fetched, key=lambda f: -f[2])[:12]:
            print(f"    {size / 1e3:8.1f} kB  {kind:10s} {short(url)}")
    if traced is None:
        return
    per = self_times(traced)
    renderers = {pid: v for pid, v in per.items() if v["busy"] > 50}
    if not renderers:
        return
    names: Counter = Counter()
    scripts: Counter = Counter()
    for v in renderers.values():
        names.update(v["by_name"])
        scripts.update(v["by_script"])
    count = len(renderers)
    busy = sum(v["busy"] for v in renderers.values())
    groups: Counter = Counter()
    for name, ms in names.items():
        groups[GROUP_OF.get(name, "other")] += ms
    print(f"  trace: {count} renderer main thread(s), busy {busy / count / 1000:.2f} s each "
          "(mean); by activity, ms per page:")
    print("    " + ", ".join(f"{g} {ms / count:.0f}" for g, ms in groups.most_common()))
    print("    events: " + ", ".join(f"{name} {ms / count:.0f}"
                                     for name, ms in names.most_common(16)))
    print("    scripts (compile / run, ms per page):")
    by_url: dict[str, list] = defaultdict(lambda: [0.0, 0.0])
    for (group, url), ms in scripts.items():
        by_url[url][0 if group == "compile" else 1] += ms / count
    for url, (comp, run) in sorted(by_url.items(), key=lambda kv: -sum(kv[1]))[:18]:
        print(f"      {comp:7.0f} {run:7.0f}  {url}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1)
    parser.add_argument("--gap", type=float, default=1.0)
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--trace", default=None, help="keep the DevTools trace (JSON) here")
    parser.add_argument("--no-trace", action="store_true", help="counters only, no trace")
    parser.add_argument("--config", action="append", default=None,
                        help="LABEL:SERVE ARGS[:ENV=VALUE,...] (repeatable)")
    args = parser.parse_args()
    from bench_dashboards import build_store
    from session_pages import cpu_seconds

    configs = [parse_config(c) for c in (args.config or ["session:--session 10"])]
    with tempfile.TemporaryDirectory(prefix="vises-profile-") as tmp:
        folder = Path(tmp)
        pristine, _answers = build_store(folder, 1)
        chosen = session_enterprises(pristine, args.pages)
        for label, serve_args, env in configs:
            work = folder / label
            work.mkdir()
            store = work / "vises.sqlite"
            shutil.copy(pristine, store)
            saved = {k: os.environ.get(k) for k in env}
            os.environ.update(env)
            processes: list = []
            try:
                with vises_serve(store, work, TOKEN, timeout=180, process_out=processes,
                                 serve_args=serve_args,
                                 waiting=expected_waiting(serve_args)) as (base, _log):
                    time.sleep(2)
                    server = processes[0].pid
                    before = cpu_seconds(server)
                    trace = None if args.no_trace else Path(
                        args.trace or folder / "trace.json").with_suffix(f".{label}.json")
                    records, split, traced = asyncio.run(
                        run_pages(base, chosen, args.gap, args.timeout, trace))
                    server_cpu = cpu_seconds(server) - before
            finally:
                for key, value in saved.items():
                    if value is None:
                        os.environ.pop(key, None)
                    else:
                        os.environ[key] = value
            report(label, records, split, traced, server_cpu)


if __name__ == "__main__":
    main()

"""What a dashboard page loads: only the JupyterLab extensions the widgets need (Voila's
`extension_allowlist`), whatever else the environment holds, and a loading spinner that
stands still; the workspace and the explorer's charts still render. (What it gives, in
CPU time and seconds: benchmarks/bench_collective_session.py.)"""

from __future__ import annotations

import json
import shutil

import pytest
from serving import vises_serve

from vises_nb.dashboards.voila_serve import (
    PAGE_EXTENSIONS,
    VOILA_PAGE_ENV,
    loading_texts,
    voila_command,
)
from vises_nb.store import model as m
from vises_nb.store.store import Store

TOKEN = "test-token-weight-7a3f"
UNLISTED = "vises-test-unlisted-extension"


def allowlist(command: list[str]) -> list[str] | None:
    prefix = "--VoilaConfiguration.extension_allowlist="
    found = [part[len(prefix):] for part in command if part.startswith(prefix)]
    return json.loads(found[0]) if found else None


def test_the_page_loads_only_the_widgets_extensions(monkeypatch):
    monkeypatch.delenv(VOILA_PAGE_ENV, raising=False)
    assert allowlist(voila_command("python", 8866)) == list(PAGE_EXTENSIONS)
    assert "@jupyter-widgets/jupyterlab-manager" in PAGE_EXTENSIONS
    assert loading_texts("en")["vises_still"] == 1
    monkeypatch.setenv(VOILA_PAGE_ENV, "1")  # Voila's page as it comes, for benchmarks
    assert allowlist(voila_command("python", 8866)) is None
    assert loading_texts("en")["vises_still"] == 0


def unlisted_extension(root) -> None:
    """A federated JupyterLab extension installed beside the others (as a researcher's
    environment holds many): if a page loaded it, it would say so on `window`."""
    folder = root / "labextensions" / UNLISTED
    (folder / "static").mkdir(parents=True)
    (folder / "package.json").write_text(json.dumps({
        "name": UNLISTED, "version": "0.1.0",
        "jupyterlab": {"extension": True,
                       "_build": {"load": "static/remoteEntry.0123456789abcdef.js",
                                  "extension": "./extension"}}}))
    (folder / "static" / "remoteEntry.0123456789abcdef.js").write_text(
        "window.visesUnlistedLoaded = true;\n")


@pytest.mark.slow
def test_only_listed_extensions_are_loaded_and_pages_still_render(
        sample_db, tmp_path, browser, monkeypatch):
    from jupyterlab_server.config import get_federated_extensions
    from voila.utils import get_voila_labextensions_path

    unlisted_extension(tmp_path / "jupyter")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.delenv(VOILA_PAGE_ENV, raising=False)
    # Voila finds it: left out by the allowlist, not by chance
    assert UNLISTED in get_federated_extensions(get_voila_labextensions_path([]))
    store_path = tmp_path / "vises.sqlite"
    shutil.copy(sample_db, store_path)
    store = Store.open(store_path)
    enterprise = next(e for e in store.list(m.Enterprise) if e.accompanier_id)
    store.close()
    with vises_serve(store_path, tmp_path, TOKEN) as (base, _log):
        for page_name, ready in [
                (f"workspace.ipynb?enterprise={enterprise.id}&",
                 f".vises-card h2:has-text('{enterprise.name}')"),
                ("cohort_explorer.ipynb?", ".vises-chart-comparison svg .mark-symbol path")]:
            page = browser.new_page()
            requested: list[str] = []
            page.on("request", lambda r, seen=requested: seen.append(r.url))
            page.add_init_script(  # the spinner's animation, seen as soon as it is there
                "new MutationObserver((_, o) => { const s = document.querySelector('.spinner');"
                " if (s) { window.visesSpinner = getComputedStyle(s).animationName;"
                " o.disconnect(); } }).observe(document, {childList: true, subtree: true});")
            page.goto(f"{base}/voila/render/{page_name}token={TOKEN}", wait_until="commit",
                      timeout=90_000)
            page.locator(ready).first.wait_for(timeout=120_000)
            assert page.evaluate("window.visesSpinner") == "none", "the spinner stands still"
            config = json.loads(page.locator("#jupyter-config-data").text_content())
            loaded = {e["name"] for e in config["federated_extensions"]}
            assert loaded and loaded <= set(PAGE_EXTENSIONS), loaded
            assert "@jupyter-widgets/jupyterlab-manager" in loaded
            extensions = {u.split("/voila/labextensions/", 1)[1].rsplit("/static/", 1)[0]
                          for u in requested if "/voila/labextensions/" in u}
            assert extensions == loaded
            assert page.evaluate("window.visesUnlistedLoaded === undefined")
            page.close()

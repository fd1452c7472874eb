"""The Voila command line `vises serve` runs: loopback only, token, sources stripped,
tracebacks hidden, idle kernels culled, and preheated kernels on by default.

No secret is ever on that command line (any local user reads command lines in `ps`):
the token goes through the environment (`VISES_SERVE_TOKEN`, readable in /proc by this
user alone), and the application started is vises_nb.dashboards.voila_app (Voila with
the preheated kernels' websocket authenticated and a working /logout).

Preheating: Voila keeps `pool_size` kernels per dashboard that have run the notebook up
to `wait_for_request()` (imports done, nothing read from the store yet), so a page only
pays for reading the data and drawing it. It was once opt-in because a page on a
preheated kernel could hang under load; the cause was an ipywidgets.Output written to
while Voila executed the notebook (see vises_nb/dashboards/enterprise.py), not preheating, and
benchmarks/stress_serve.py checks it no longer happens.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from vises_nb import i18n
from vises_nb.dashboards import page_scripts
from vises_nb.paths import DASHBOARDS_DIR

DEFAULT_POOL_SIZE = 1
IDLE_CULL_SECONDS = 900
CULL_INTERVAL_SECONDS = 60
SESSION_PAGE = "workspace.ipynb"
# nbclient waits 4 s by default for a cell's outputs once the cell has replied, then goes
# on without them: on a swamped machine the workspace's widgets came later and the page
# stayed empty for good (benchmarks/bench_collective_session.py, 3 of 10 pages with
# Voila's own pool refilling 10 kernels at once). Waiting longer costs nothing otherwise.
IOPUB_TIMEOUT_SECONDS = 60  # what each enterprise of a collective session opens
# The JupyterLab extensions a dashboard page loads: the widgets (Voila's widget manager for
# ipywidgets 8, or 7, and the widgets' own views), nothing else. Charts are inline SVG in
# HTML, or, in the cohort explorer, Vega-Lite drawn by the vega renderer of Voila's own
# bundle (@jupyterlab/vega5-extension: built in, not a federated extension, so this list
# does not leave it out; see page_charts.py). Any other federated extension installed in the
# environment (a researcher's conda env may hold dozens) would be fetched, parsed and
# run by every page. Voila already leaves out its own JupyterLab preview.
PAGE_EXTENSIONS = ("@jupyter-widgets/jupyterlab-manager", "@voila-dashboards/widgets-manager8",
                   "@voila-dashboards/widgets-manager7")
# "1": the page as Voila makes it, every installed extension and a turning spinner (to
# measure what the lighter page gives: benchmarks/bench_collective_session.py)
VOILA_PAGE_ENV = "VISES_VOILA_PAGE"


def pools_config(pool_size: int, session: int = 0) -> dict[str, dict[str, int]]:
    """Voila's `kernel_pools_config`: `pool_size` preheated kernels per dashboard, and,
    for a collective session (`vises serve --session N`), N for the workspace alone."""
    config = {"default": {"pool_size": pool_size}}
    if session > 0:
        config[SESSION_PAGE] = {"pool_size": session}
    return config


def voila_command(python: str, port: int, pool_size: int = DEFAULT_POOL_SIZE,
                  dashboards: Path = DASHBOARDS_DIR, lang: str = "fr",
                  accounts: bool = False, session: int = 0,
                  cull_idle: int = IDLE_CULL_SECONDS) -> list[str]:
    """The argv that starts Voila on the dashboards folder (its loading texts in `lang`):
    no secret in it. (`accounts` changes nothing here: the application reads it from its
    environment.) `session`: the workspace's pool holds that many preheated kernels (the
    other dashboards keep `pool_size`); `cull_idle`: seconds after which a kernel no page
    uses is stopped."""
    command = [
        python, "-P", "-m", "vises_nb.dashboards.voila_app", str(dashboards), "--no-browser",
        f"--port={port}", "--Voila.ip=127.0.0.1", "--strip_sources=True",
        "--show_tracebacks=False", "--template=vises", "--Voila.open_browser=False",
        f"--VoilaExecutor.iopub_timeout={IOPUB_TIMEOUT_SECONDS}",
        f"--MappingKernelManager.cull_idle_timeout={cull_idle}",
        f"--MappingKernelManager.cull_interval={max(1, min(CULL_INTERVAL_SECONDS, cull_idle))}",
        f"--VoilaConfiguration.resources={json.dumps(loading_texts(lang, dashboards))}",
        # the page's <html lang> (nbconvert's template writes resources.language_code)
        f"--VoilaExporter.language_code={lang}",
    ]
    if os.environ.get(VOILA_PAGE_ENV, "") != "1":
        command.append("--VoilaConfiguration.extension_allowlist="
                       + json.dumps(list(PAGE_EXTENSIONS)))
    if pool_size > 0 or session > 0:
        # Voila never culls a pooled kernel (VoilaKernelManager.cull_kernel_if_idle), and
        # one waiting in wait_for_request() is busy anyway: the pool survives idle hours.
        command += ["--preheat_kernel=True",
                    f"--VoilaConfiguration.default_pool_size={pool_size}",
                    "--VoilaKernelManager.kernel_pools_config="
                    + json.dumps(pools_config(pool_size, session))]
    return command


def loading_texts(lang: str, dashboards: Path = DASHBOARDS_DIR) -> dict:
    """What Voila's page says while a dashboard loads, in `lang`, and each dashboard's
    title for the browser's tab (notebook name: title; see the vises template), and
    whether its spinner stands still (VOILA_PAGE_ENV), and the scripts of Voila's own a
    page asks for early (page_scripts: vega for the explorer)."""
    from vises_nb.dashboards.landing import dashboards as listed

    return {"vises_lang": lang, "vises_loading": i18n.t("voila.loading", lang),
            "vises_loading_step": i18n.t("voila.loading_step", lang),
            "vises_titles": {Path(d.notebook).stem: d.title for d in listed(dashboards, lang)},
            "vises_still": int(os.environ.get(VOILA_PAGE_ENV, "") != "1"),  # JSON true: not for traitlets
            "vises_early": page_scripts.early_scripts()}


def voila_environment(store_url: str, lang: str, token: str,
                      accounts: bool = False, trusted_header: str = "",
                      trusted_proxy: str = "") -> dict[str, str]:
    """Voila's environment: the store and language the dashboards read, our template, and
    the token (here, never on the command line; the kernels inherit it to authenticate
    to /voila/query, see vises_nb.dashboards.preheat). With `accounts`, VISES_ACCOUNTS=1:
    people sign in and the kernels guard the store (vises_nb.dashboards.access)."""
    from vises_nb.dashboards.access import ACCOUNTS_ENV, PERSON_ENV, PROOF_ENV
    from vises_nb.dashboards.voila_app import TOKEN_ENV, TRUSTED_HEADER_ENV, TRUSTED_PROXY_ENV

    jupyter_path = os.pathsep.join(
        p for p in (str(Path(__file__).resolve().parent / "jupyter"),
                    os.environ.get("JUPYTER_PATH", "")) if p)
    env = dict(os.environ, VISES_STORE=store_url, JUPYTER_PATH=jupyter_path, VISES_LANG=lang,
               **{TOKEN_ENV: token})
    for name in (ACCOUNTS_ENV, PERSON_ENV, PROOF_ENV, TRUSTED_HEADER_ENV, TRUSTED_PROXY_ENV):
        env.pop(name, None)  # only the server says who asks, and only as asked here
    if accounts:
        env[ACCOUNTS_ENV] = "1"
        if trusted_header and trusted_proxy:  # sign-in by the federation's proxy
            env[TRUSTED_HEADER_ENV] = trusted_header
            env[TRUSTED_PROXY_ENV] = trusted_proxy
    return env

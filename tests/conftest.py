"""Shared fixtures: a real SQLite sample store, optional PostgreSQL, the realworld files.

Parts that may be missing on a developer's machine (PostgreSQL, Chromium, ../shared)
make their tests skip with the reason; with VISES_REQUIRE_ALL=1 (set by .ci/run) a
missing part fails instead, so CI can never pass by skipping.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from vises_nb.sample.generator import generate, store_cohort
from vises_nb.store.store import Store

ROOT = Path(__file__).resolve().parent.parent
# `vises run` keeps a warm engine between runs by default; the CLI tests' runs must not
# leave one behind (tests/test_engine_daemon.py starts and stops its own).
os.environ["VISES_KEEP_WARM"] = "0"
REQUIRE_ALL = os.environ.get("VISES_REQUIRE_ALL") == "1"
EXPECT_TIMEOUT_MS = 30_000  # how long a browser test's expect(...) waits for its state


def missing_part(reason: str) -> None:
    """Skip, or fail under VISES_REQUIRE_ALL=1, when a real part cannot be had."""
    if REQUIRE_ALL:
        pytest.fail(f"required test dependency missing: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def sample_cohort():
    return generate(2018)


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory, sample_cohort) -> Path:
    """A SQLite file holding the whole sample cohort, built once per session (read-only use)."""
    path = tmp_path_factory.mktemp("sample") / "vises.sqlite"
    store = Store.open(path, create=True)
    store_cohort(sample_cohort, store)
    store.close()
    return path


@pytest.fixture
def sample_copy(sample_db, tmp_path) -> Path:
    """A private copy of the sample store that a test may change."""
    target = tmp_path / "vises.sqlite"
    shutil.copy(sample_db, target)
    return target


@pytest.fixture
def store(sample_copy):
    """The sample store (a private copy a test may change), open; closed after. A module
    needing another store defines its own `store` (tests/test_workspace_findings.py: the
    sample on SQLite and on PostgreSQL)."""
    opened = Store.open(sample_copy)
    yield opened
    opened.close()


def _postgres_url() -> str:
    url = os.environ.get("VISES_TEST_POSTGRES_URL")
    if not url:
        missing_part("no PostgreSQL server: set VISES_TEST_POSTGRES_URL (.ci/run starts one)")
    return url


@pytest.fixture
def postgres_url() -> str:
    """A fresh, empty PostgreSQL schema for one test, dropped afterwards."""
    base = _postgres_url()
    schema = f"t_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(base)
    with engine.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    url = sa.make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    yield url.render_as_string(hide_password=False)
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_store_url(request, tmp_path) -> str:
    """An empty store on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture(scope="session")
def realworld() -> Path:
    # $VISES_REALWORLD points a git worktree (which has no ../shared) at the files.
    path = Path(os.environ.get("VISES_REALWORLD") or ROOT.parent / "shared" / "realworld")
    if not path.is_dir():
        missing_part(f"{path} is absent: the real-world survey files live in ../shared")
    return path


@pytest.fixture(scope="session")
def chromium() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        missing_part("Debian's chromium is not installed (apt-get install chromium)")
    return path


@pytest.fixture
def browser(chromium):
    """A headless Debian Chromium driven by Playwright (flags: tests/serving.py).
    Playwright's `expect(locator)...` waits up to 30 s for the state it asserts (its own
    default, 5 s, is short for a kernel's answer on a loaded 2-core CI machine)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    from serving import chromium_browser

    sync_api.expect.set_options(timeout=EXPECT_TIMEOUT_MS)

    with chromium_browser(chromium) as launched:
        yield launched


@pytest.fixture(scope="session")
def axe_source(tmp_path_factory) -> str:
    """axe-core's axe.min.js (npm pack at test time; see tests/axe_check.py)."""
    import axe_check

    return axe_check.axe_source(tmp_path_factory.mktemp("axe"), missing_part)

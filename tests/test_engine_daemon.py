"""The warm engine kept between runs (vises_nb.publishing.engine.daemon): reuse, isolation, a run
that is killed, idle exit, outdated engines, and a run that cannot have one.

Real engine processes on a real Unix socket, each test in its own private folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_engine import fixture_notebook, job, outputs

from vises_nb.publishing.engine import daemon
from vises_nb.publishing.runner import run

pytestmark = pytest.mark.slow


@pytest.fixture
def runtime(tmp_path, monkeypatch):
    folder = tmp_path / "rt"
    monkeypatch.setenv("VISES_RUNTIME_DIR", str(folder))
    started: list[daemon.Engine] = []
    real_connect = daemon.connect

    def connect(workers: int, idle: float) -> daemon.Engine:
        engine = real_connect(workers, idle)
        started.append(engine)
        return engine

    monkeypatch.setattr(daemon, "connect", connect)
    yield folder
    for engine in started:
        engine.stop()


def wait_until(condition, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_second_run_uses_the_engine_the_first_one_started(runtime, sample_copy, tmp_path):
    reports = tmp_path / "reports"
    first = run(store_url=str(sample_copy), reports_dir=reports, lang="en", enterprise="E09",
                workers=1, keep_warm=60)
    engines = list(runtime.glob("engine-*.sock"))
    assert len(engines) == 1 and not first.failures
    pid = daemon.Engine(engines[0]).pid()
    second = run(store_url=str(sample_copy), reports_dir=reports, lang="en", enterprise="E09",
                 workers=1, keep_warm=60, force=True)
    assert not second.failures and len(second.results) == len(first.results) >= 1
    assert list(runtime.glob("engine-*.sock")) == engines
    assert daemon.Engine(engines[0]).pid() == pid, "the same engine served both runs"
    assert "warm engine" in (reports / "run.log").read_text()
    report = (reports / "E09" / "step1.en.html").read_text()
    assert second.run_id in report and first.run_id not in report
    assert runtime.stat().st_mode & 0o777 == 0o700


def test_nothing_leaks_from_one_run_to_the_next(runtime, tmp_path):
    engine = daemon.connect(1, 60)
    definer = fixture_notebook(tmp_path, "definer", "leaked = 42\nimport statistics\nstatistics.mean = None")
    probe = fixture_notebook(tmp_path, "probe",
                             "import statistics\nprint('name', 'leaked' in globals())\n"
                             "print('patched', statistics.mean is None)")
    assert engine.run(job(tmp_path, definer), 60)["ok"]
    payload = job(tmp_path, probe)
    assert engine.run(payload, 60)["ok"]
    assert outputs(payload) == ["name False", "patched False"]


def test_a_killed_run_stops_its_notebook_and_the_engine_serves_the_next(runtime, tmp_path):
    engine = daemon.connect(1, 60)
    marker = tmp_path / "pid"
    sleeper = fixture_notebook(tmp_path, "sleeper",
                               f"import os, time\nopen({str(marker)!r}, 'w').write(str(os.getpid()))",
                               "time.sleep(120)")
    client = subprocess.Popen([sys.executable, "-c", (
        "import sys; from vises_nb.publishing.engine import daemon; from test_engine import job; "
        "from pathlib import Path; "
        f"daemon.Engine(Path({str(engine.path)!r})).run(job(Path({str(tmp_path)!r}), "
        f"Path({str(sleeper)!r})), 300)")], cwd=Path(__file__).parent)
    assert wait_until(lambda: marker.exists() and marker.read_text() != "", 60)
    notebook_pid = int(marker.read_text())
    client.kill()
    client.wait()
    assert wait_until(lambda: not pid_alive(notebook_pid), 20), "the notebook was stopped"
    probe = fixture_notebook(tmp_path, "after", "print('still serving')")
    payload = job(tmp_path, probe)
    assert engine.run(payload, 120)["ok"] and outputs(payload) == ["still serving"]


def test_an_idle_engine_exits_and_removes_its_socket(runtime, tmp_path):
    # idle 5 s, not 1: a busy machine can pause this process a second between the
    # engine's start and the question of its pid, and the engine would be gone already
    engine = daemon.connect(1, 5.0)
    pid = engine.pid()
    assert wait_until(lambda: not engine.path.exists() and not pid_alive(pid), 60)
    assert not engine.alive()


def test_a_run_with_other_code_or_settings_stops_the_outdated_engine(runtime, monkeypatch):
    old = daemon.connect(1, 60)
    old_pid = old.pid()
    monkeypatch.setenv("VISES_SOMETHING_ELSE", "1")  # another identity, same Python
    new = daemon.connect(1, 60)
    assert new.path != old.path and new.alive()
    assert wait_until(lambda: not pid_alive(old_pid), 20), "the outdated engine stopped"
    assert [p.name for p in runtime.glob("engine-*.json")] == [new.path.with_suffix(".json").name]


def test_a_folder_others_can_open_means_no_engine_and_the_run_still_works(
        tmp_path, monkeypatch, sample_copy):
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    monkeypatch.setenv("VISES_RUNTIME_DIR", str(folder))
    with pytest.raises(PermissionError, match="0700"):
        daemon.runtime_dir()
    reports = tmp_path / "reports"
    summary = run(store_url=str(sample_copy), reports_dir=reports, lang="en", enterprise="E09",
                  step="1", workers=1, keep_warm=60)
    assert not summary.failures and (reports / "E09" / "step1.en.html").exists()
    assert "no warm engine" in (reports / "run.log").read_text()
    assert not list(folder.iterdir()), "no socket was made in a folder others can open"


def test_the_cli_lists_and_stops_the_engines(runtime):
    engine = daemon.connect(1, 60)
    pid = engine.pid()
    env = {**os.environ, "VISES_RUNTIME_DIR": str(runtime)}
    listed = subprocess.run([sys.executable, "-m", "vises_nb.cli", "engines"], env=env,
                            capture_output=True, text=True, check=True).stdout
    assert str(pid) in listed and str(engine.path) in listed
    subprocess.run([sys.executable, "-m", "vises_nb.cli", "engines", "--stop"], env=env,
                   check=True, capture_output=True)
    assert wait_until(lambda: not pid_alive(pid), 20)
    listed = subprocess.run([sys.executable, "-m", "vises_nb.cli", "engines"], env=env,
                            capture_output=True, text=True, check=True).stdout
    assert "no warm engine" in listed


def test_an_engine_gives_an_enterprise_s_next_notebook_to_the_process_holding_its_data():
    """An idle warm process that ran the enterprise's last notebook gets its next one
    (its data is loaded there), else the one the run's thread used last, else any."""
    one, two, three = object(), object(), object()

    def job(enterprise: str | None, lane: int | None) -> dict:
        preload = {"store_url": "sqlite:///s", "enterprise_id": enterprise} if enterprise else None
        return {"preload": preload, "lane": lane}

    idle = daemon.Idle()
    idle.put(one, job("E01", 0))
    idle.put(two, job("E02", 1))
    idle.put(three)
    assert idle.get(job("E02", 0)) is two, "the enterprise's data before the lane"
    idle.put(two, job("E02", 1))
    assert idle.get(job("E03", 1)) is two, "a new enterprise: the thread's own process"
    assert idle.get(job(None, None)) is one, "else the process idle longest"
    assert idle.get(job("E01", 0)) is three

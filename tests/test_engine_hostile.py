"""The warm engine's rendezvous against a hostile local user (issue 14, item 3).

Without XDG_RUNTIME_DIR the folder is `<tmp>/vises-<uid>`, which any local user can
create first, or try to swap for a symbolic link between a check and a use. A second
local user is made for these tests (useradd, removed after): it pre-creates the folder
(a symbolic link it flips, a folder of its own, our folder left world-writable) and
listens as a fake engine that answers "ok" to everything. A run must never send it a
job, must still publish real reports, and must say why it ran without a warm engine.
Also: a fake engine of the same user that does not hold the key, and a worker that
answers "ok" without writing the report (no report is ever said to be published that
does not exist).
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest

from vises_nb.publishing.engine import daemon
from vises_nb.publishing.runner import run

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(os.geteuid() != 0 or shutil.which("useradd") is None,
                                 reason="needs root to create a second local user")]

# The other user's fake engine: stdlib only, run by /usr/bin/python3 as that user. It
# records every byte it receives and answers anything with "ok" and a made-up proof.
FAKE_ENGINE = r"""
import json, os, socket, sys, threading
path, record = sys.argv[1], sys.argv[2]
listener = socket.socket(socket.AF_UNIX)
listener.bind(path)
os.chmod(path, 0o777)
listener.listen(16)
def answer(conn):
    with conn:
        lines = conn.makefile("rb")
        for _ in range(4):
            line = lines.readline()
            if not line:
                return
            with open(record, "ab") as out:
                out.write(line)
            conn.sendall(json.dumps({"pong": True, "pid": 1, "nonce": "x", "proof": "y",
                                     "result": {"ok": True, "seconds": 0.1}}).encode() + b"\n")
while True:
    conn, _ = listener.accept()
    threading.Thread(target=answer, args=(conn,), daemon=True).start()
"""

# The other user flips a symbolic link between a folder of ours (it passes a check made
# through the link) and its own folder (where its fake engine listens).
FLIPPER = r"""
import os, sys, time
link, ours, theirs = sys.argv[1:4]
end = time.monotonic() + float(sys.argv[4])
i = 0
while time.monotonic() < end:
    aside = f"{link}.{i % 2}"
    try:
        os.symlink(ours if i % 2 else theirs, aside)
        os.rename(aside, link)
    except OSError:
        pass
    i += 1
"""


@pytest.fixture
def other_user():
    name = f"vh14{secrets.token_hex(3)}"
    subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
                   check=True, capture_output=True)
    try:
        yield name, int(subprocess.run(["id", "-u", name], check=True, capture_output=True,
                                       text=True).stdout)
    finally:
        subprocess.run(["userdel", name], check=False, capture_output=True)


@pytest.fixture
def shared_tmp(monkeypatch):
    """A world-writable sticky folder standing for /tmp (the real /tmp/vises-0 belongs
    to whoever else runs vises on this machine)."""
    folder = Path(tempfile.mkdtemp(prefix="vises-hostile-", dir="/tmp"))
    folder.chmod(0o1777)
    monkeypatch.delenv("VISES_RUNTIME_DIR", raising=False)
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    started: list[subprocess.Popen] = []
    try:
        yield folder, started
    finally:
        for process in started:
            process.kill()
            process.wait()
        try:
            for engine, _ in daemon.running():
                engine.stop()
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def as_user(user: str, script: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen(["/usr/bin/python3", "-c", script, *args], user=user,
                            group=user, cwd="/", stdin=subprocess.DEVNULL)


def wait_for(path: Path, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.05)


def socket_name() -> str:
    """The socket name the run below (one worker) looks for."""
    return f"engine-{daemon.engine_key(daemon.identity(1))}.sock"


def attacker_folder(tmp: Path, user: str) -> Path:
    theirs = tmp / f"{user}-own"
    theirs.mkdir()
    shutil.chown(theirs, user, user)
    theirs.chmod(0o777)
    return theirs


def publish(sample_copy: Path, reports: Path):
    summary = run(store_url=str(sample_copy), reports_dir=reports, lang="en",
                  enterprise="E09", step="1", workers=1, keep_warm=60)
    return summary, (reports / "run.log").read_text()


def assert_published(summary, reports: Path) -> None:
    assert not summary.failures and summary.results
    for result in summary.results:
        assert result.ok and result.job.report.is_file() and result.job.report.stat().st_size > 1000
    assert (reports / "E09" / "step1.en.html").is_file()


def received(record: Path) -> bytes:
    return record.read_bytes() if record.exists() else b""


@pytest.mark.parametrize("attack", ["symlink-flip", "their-folder", "world-writable-folder"])
def test_a_folder_another_user_made_or_swaps_never_receives_a_job(
        attack, other_user, shared_tmp, sample_copy, tmp_path):
    user, uid = other_user
    tmp, started = shared_tmp
    folder = tmp / f"vises-{os.getuid()}"
    theirs = attacker_folder(tmp, user)
    record = theirs / "received"
    name = socket_name()
    if attack == "symlink-flip":
        decoy = tmp / "decoy"  # a folder of ours, 0700: it passes any check made through a link
        decoy.mkdir(mode=0o700)
        started.append(as_user(user, FAKE_ENGINE, str(theirs / name), str(record)))
        wait_for(theirs / name)
        started.append(as_user(user, FLIPPER, str(folder), str(decoy), str(theirs), "120"))
        wait_for(folder)
    elif attack == "their-folder":
        started.append(as_user(user, "import os, sys; os.mkdir(sys.argv[1], 0o700)", str(folder)))
        started[-1].wait()
        os.chmod(folder, 0o700)  # even private, it is theirs
        started.append(as_user(user, FAKE_ENGINE, str(folder / name), str(record)))
        wait_for(folder / name)
        assert folder.stat().st_uid == uid
    else:  # ours but left open to others: they put their engine in it
        folder.mkdir(mode=0o700)
        folder.chmod(0o777)
        started.append(as_user(user, FAKE_ENGINE, str(folder / name), str(record)))
        wait_for(folder / name)
    reports = tmp_path / "reports"
    summary, log = publish(sample_copy, reports)
    assert_published(summary, reports)
    assert "no warm engine" in log and "this run starts its own processes" in log
    got = received(record)
    assert b"job" not in got and str(sample_copy).encode() not in got, got[:300]
    assert b"hello" not in got, "the run did not even talk to a process in that folder"


def test_a_fake_engine_of_another_user_in_our_folder_gets_nothing(
        other_user, shared_tmp, sample_copy, tmp_path):
    """Our folder is private, but an engine socket in it is another user's (e.g. left by
    a swap): SO_PEERCRED shows it, the run sends it nothing and runs alone."""
    user, _ = other_user
    tmp, started = shared_tmp
    folder = daemon.Folder.open()
    theirs = attacker_folder(tmp, user)
    record = theirs / "received"
    name = socket_name()
    started.append(as_user(user, FAKE_ENGINE, str(theirs / name), str(record)))
    wait_for(theirs / name)
    os.rename(theirs / name, folder.path / name)  # their listening socket, now in our folder
    reports = tmp_path / "reports"
    summary, log = publish(sample_copy, reports)
    assert_published(summary, reports)
    assert "runs as another user" in log and "this run starts its own processes" in log
    assert received(record) == b"", "not even a challenge was sent"


def test_a_fake_engine_without_the_key_gets_no_job(shared_tmp, sample_copy, tmp_path):
    """A process of our own user that does not hold the key (it cannot read engine.key
    in this test only because it never opens it) fails the challenge: no job sent."""
    folder = daemon.Folder.open()
    got: list[bytes] = []
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(folder.at(socket_name()))
    listener.listen(8)
    listener.settimeout(0.5)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn, conn.makefile("rb") as lines:
                conn.settimeout(5)
                for _ in range(3):
                    try:
                        line = lines.readline()
                    except OSError:
                        break
                    if not line:
                        break
                    got.append(line)
                    conn.sendall(b'{"nonce": "n", "proof": "forged", "pong": true, '
                                 b'"result": {"ok": true, "seconds": 0.1}}\n')

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        reports = tmp_path / "reports"
        summary, log = publish(sample_copy, reports)
    finally:
        stop.set()
        thread.join()
        listener.close()
    assert_published(summary, reports)
    assert "could not prove it holds your engine key" in log
    assert got and all(b"hello" in line for line in got), got
    assert not any(b"job" in line for line in got)
    key = os.stat(daemon.KEY_NAME, dir_fd=folder.fd)
    assert key.st_mode & 0o777 == 0o600 and key.st_uid == os.getuid()


def test_the_real_engine_proves_itself_and_serves(shared_tmp, sample_copy, tmp_path):
    """With no one interfering, the folder in the shared tmp is made private and the
    engine serves both runs."""
    reports = tmp_path / "reports"
    first, log = publish(sample_copy, reports)
    assert_published(first, reports)
    assert "warm engine" in log and "no warm engine" not in log
    folder = daemon.Folder.open()
    assert os.fstat(folder.fd).st_mode & 0o777 == 0o700
    (engine, _), = daemon.running()
    pid = engine.pid()
    second = run(store_url=str(sample_copy), reports_dir=reports, lang="en", enterprise="E09",
                 step="1", workers=1, keep_warm=60, force=True)
    assert_published(second, reports)
    assert engine.pid() == pid


def test_an_answer_without_a_report_is_never_counted_as_published(
        monkeypatch, sample_copy, tmp_path):
    """A worker (a fake engine, a broken one) says "ok" and writes nothing."""
    from vises_nb.publishing.engine import local

    def liar(jobs, started, timeout, log):
        for job, _ in jobs:
            yield job, {"ok": True, "seconds": 0.1}

    monkeypatch.setattr(local, "run_local", liar)
    reports = tmp_path / "reports"
    summary = run(store_url=str(sample_copy), reports_dir=reports, lang="en", enterprise="E09",
                  step="1", workers=1, keep_warm=0)
    assert summary.results and len(summary.failures) == len(summary.results)
    assert not (reports / "E09" / "step1.en.html").exists()
    index = summary.index.read_text(encoding="utf-8")
    assert 'href="E09/step1.en.html"' not in index and "no report exists" in index

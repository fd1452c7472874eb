"""Atomic writes, and the clean-up of what a killed writer left half-written."""

from __future__ import annotations

import os
import subprocess
import sys

from vises_nb.files import remove_orphans, write_atomic


def test_a_killed_writers_temporary_files_are_removed_and_a_live_ones_kept(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    (tmp_path / "E09").mkdir()
    orphan = tmp_path / "E09" / f".step1.fr.html.pid{dead}.k2j3h4.tmp"
    orphan.write_text("<html>half")
    sidecar = tmp_path / "E09" / f".results.json.pid{dead}.tmp"  # the engine's own saves
    sidecar.write_text("{")
    writing = tmp_path / f".index.html.pid{os.getpid()}.a1b2c3.tmp"  # this process: alive
    writing.write_text("<html>")
    report = tmp_path / "E09" / "step1.fr.html"
    write_atomic(report, "<html>whole</html>")
    assert remove_orphans(tmp_path) == 2
    assert not orphan.exists() and not sidecar.exists() and writing.exists()
    assert report.read_text() == "<html>whole</html>"
    assert sorted(p.name for p in tmp_path.rglob("*")) == sorted(
        ["E09", "step1.fr.html", writing.name])


def test_personal_data_files_are_created_for_their_owner_only(tmp_path):
    """Issue 14, item 7: whatever the umask, a private file is 0600, its folder 0700."""
    import os
    import stat

    from vises_nb.files import PRIVATE, atomic_path, private_file, private_folder, write_atomic

    old = os.umask(0)
    try:
        folder = private_folder(tmp_path / "export")
        write_atomic(folder / "a.csv", "x", PRIVATE)
        with atomic_path(folder / "b.xlsx", PRIVATE) as tmp:
            tmp.write_bytes(b"y")
        store = private_file(folder / "store.sqlite")
        write_atomic(tmp_path / "report.html", "public")
    finally:
        os.umask(old)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in (folder / "a.csv", folder / "b.xlsx", store):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    assert stat.S_IMODE((tmp_path / "report.html").stat().st_mode) == 0o644
    assert sorted(p.name for p in folder.iterdir()) == ["a.csv", "b.xlsx", "store.sqlite"]


def test_a_failed_write_leaves_the_previous_file_and_no_temporary(tmp_path):
    import pytest

    from vises_nb.files import atomic_path

    target = tmp_path / "out.csv"
    target.write_text("previous")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("writer died")
    assert target.read_text() == "previous" and [p.name for p in tmp_path.iterdir()] == [
        "out.csv"]


def test_a_temporary_file_whose_pid_now_names_a_younger_process_is_an_orphan(tmp_path):
    """kill -9 midway, then a busy machine reuses the dead writer's pid: the process now
    holding it started after the file was last written, so it is not the writer."""
    reused = tmp_path / f".identity.json.pid{os.getpid()}.abc123.tmp"
    reused.write_text("{")
    an_hour_ago = os.stat(reused).st_mtime - 3600
    os.utime(reused, (an_hour_ago, an_hour_ago))  # written before this process started
    live = tmp_path / f".results.json.pid{os.getpid()}.def456.tmp"
    live.write_text("{")  # written by this very process: still being written
    assert remove_orphans(tmp_path) == 1
    assert not reused.exists() and live.exists()


def test_a_writer_that_died_but_was_not_yet_reaped_is_dead(tmp_path):
    """A run killed with kill -9: the engine's forked child dies mid-write and, its parent
    gone too, stays a zombie until someone waits for it (a container's PID 1 may never
    do). `kill(pid, 0)` still succeeds on a zombie; its temporary file is an orphan all
    the same (found by the full suite: the re-run after the kill left one)."""
    import time

    child = os.fork()
    if child == 0:  # the writer: exits at once, and is not waited for until the end
        os._exit(0)
    try:
        for _ in range(200):  # until it is a zombie
            with open(f"/proc/{child}/stat") as stat:
                if stat.read().rsplit(")", 1)[1].split()[0] == "Z":
                    break
            time.sleep(0.01)
        orphan = tmp_path / f".01_diagnostic.ipynb.pid{child}.dctydwqr.tmp"
        orphan.write_text("{")
        assert remove_orphans(tmp_path) == 1
        assert not orphan.exists()
    finally:
        os.waitpid(child, 0)


def test_a_kernel_socket_whose_page_left_during_the_handshake_is_gone_not_a_crash():
    """jupyter_server's on_close drops the connection when a page closes during the
    websocket handshake; choosing the protocol then answered 500 with a traceback."""
    import pytest
    from tornado import web

    from vises_nb.dashboards.voila_app import KernelSocketHandler, OwnKernelWebsocketHandler

    for kind in (KernelSocketHandler, OwnKernelWebsocketHandler):
        handler = object.__new__(kind)
        handler.connection = None
        with pytest.raises(web.HTTPError) as refused:
            handler.select_subprotocol(["v1.kernel.websocket.jupyter.org"])
        assert refused.value.status_code == 410
        handler.connection = type("Connection", (), {"kernel_ws_protocol": None})()
        assert handler.select_subprotocol(["v1.kernel.websocket.jupyter.org"]) == \
            "v1.kernel.websocket.jupyter.org"

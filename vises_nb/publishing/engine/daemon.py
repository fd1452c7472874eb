"""A warm engine kept between runs, so that a run after a small change does not pay
for starting the stack again (~3 s of imports per warm process on this machine).

The first `vises run` that asks for it starts the engine: a detached process holding one
warm process (zygote) per worker, serving runs over a Unix socket in a directory only
this user can open, and exiting after `idle` seconds without work. Jobs still run each
in a child forked from a pristine zygote, so nothing leaks from one notebook or run to
the next. An engine serves only runs that would start an identical one (same Python,
vises version and source, worker count and environment: the key); a run with another
key stops the outdated engines of the same Python and starts its own. A run that is
killed closes its connections, and the engine then kills the notebook it was running.

Protocol: one connection per job; the client sends one JSON line {"job", "timeout"}
(or {"ping"} / {"stop"}) and reads one JSON line back.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import queue
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from vises_nb import __version__
from vises_nb.publishing.engine.incremental import code_hash
from vises_nb.publishing.engine.zygote import Zygote, ZygoteDied

#: Environment variables a notebook may read: an engine started with other values is
#: another engine.
ENVIRONMENT = ("PATH", "PYTHONPATH", "LANG", "LC_ALL", "TZ", "HOME")
CONNECT_TIMEOUT = 30.0


def runtime_dir() -> Path:
    """Where engines keep their sockets: private to this user (mode 0700)."""
    base = os.environ.get("VISES_RUNTIME_DIR")
    if base:
        folder = Path(base)
    elif os.environ.get("XDG_RUNTIME_DIR"):
        folder = Path(os.environ["XDG_RUNTIME_DIR"]) / "vises"
    else:
        folder = Path(tempfile.gettempdir()) / f"vises-{os.getuid()}"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = folder.stat()
    if info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise PermissionError(f"{folder} must belong to you alone (mode 0700)")
    return folder


def identity(workers: int) -> dict[str, Any]:
    """What must match for a run to use an engine that is already running."""
    env = {name: os.environ.get(name, "") for name in ENVIRONMENT}
    env.update({k: v for k, v in os.environ.items() if k.startswith("VISES_")})
    return {"python": sys.executable, "version": __version__, "code": code_hash(),
            "workers": workers, "env": env}


def engine_key(who: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(who, sort_keys=True).encode()).hexdigest()[:12]


def exchange(path: Path, message: dict[str, Any], timeout: float | None) -> dict[str, Any]:
    """Send one request to the engine at `path` and return its answer."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(CONNECT_TIMEOUT)
        conn.connect(str(path))
        conn.settimeout(timeout)
        conn.sendall((json.dumps(message) + "\n").encode())
        with conn.makefile("rb") as answers:
            line = answers.readline()
    if not line:
        raise ZygoteDied("the warm engine closed the connection")
    return json.loads(line)


# --------------------------------------------------------------------------- client side

class Engine:
    """A run's handle on a warm engine; `run` may be called from several threads."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def run(self, job: dict[str, Any], timeout: float) -> dict[str, Any]:
        try:
            answer = exchange(self.path, {"job": job, "timeout": timeout}, None)
        except OSError as exc:
            raise ZygoteDied(f"the warm engine is gone ({exc})") from exc
        return answer["result"]

    def alive(self) -> bool:
        try:
            return bool(exchange(self.path, {"ping": True}, 5).get("pong"))
        except (OSError, ValueError, ZygoteDied):
            return False

    def pid(self) -> int:
        return int(exchange(self.path, {"ping": True}, 5)["pid"])

    def close(self) -> None:
        """End of a run: the engine stays up for the next one (until idle)."""

    def stop(self) -> None:
        with contextlib.suppress(OSError, ValueError, ZygoteDied):
            exchange(self.path, {"stop": True}, 5)


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    with open(folder / "engines.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def connect(workers: int, idle: float) -> Engine:
    """The warm engine for this run: the one already running, or a new one."""
    folder = runtime_dir()
    who = identity(workers)
    key = engine_key(who)
    path = folder / f"engine-{key}.sock"
    with _locked(folder):
        engine = Engine(path)
        if engine.alive():
            return engine
        _stop_outdated(folder, who)
        path.unlink(missing_ok=True)
        (folder / f"engine-{key}.json").write_text(json.dumps(who), encoding="utf-8")
        with open(folder / f"engine-{key}.log", "ab") as log:
            subprocess.run(  # returns at once: the engine detaches (see main)
                [sys.executable, "-m", "vises_nb.publishing.engine.daemon", str(path), str(workers),
                 str(idle), str(folder / f"engine-{key}.log")],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True,
                close_fds=True, check=False)
        deadline = time.monotonic() + CONNECT_TIMEOUT
        while not engine.alive():
            if time.monotonic() > deadline:
                raise ZygoteDied(f"the warm engine did not start; see {folder}")
            time.sleep(0.05)
        return engine


def running() -> list[tuple[Engine, dict[str, Any]]]:
    """The engines that answer, with what they were started for."""
    found = []
    for described in sorted(runtime_dir().glob("engine-*.json")):
        engine = Engine(described.with_suffix(".sock"))
        if engine.alive():
            with contextlib.suppress(OSError, ValueError):
                found.append((engine, json.loads(described.read_text(encoding="utf-8"))))
    return found


def _stop_outdated(folder: Path, who: dict[str, Any]) -> None:
    """Engines of this Python whose code or settings differ will serve no run again."""
    for described in folder.glob("engine-*.json"):
        try:
            other = json.loads(described.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if other.get("python") == who["python"] and other != who:
            Engine(described.with_suffix(".sock")).stop()
            described.unlink(missing_ok=True)


# --------------------------------------------------------------------------- engine side

class Server:
    """The engine process: warm processes, a socket, and an idle clock."""

    def __init__(self, path: Path, workers: int, idle: float, log: Path) -> None:
        self.path, self.idle, self.log = path, idle, log
        self.zygotes: queue.SimpleQueue[Zygote] = queue.SimpleQueue()
        self.all: list[Zygote] = []
        for _ in range(workers):
            self._add()
        self.busy = 0
        self.last = time.monotonic()
        self.lock = threading.Lock()
        self.stopping = threading.Event()

    def _add(self) -> None:
        zygote = Zygote(self.log)
        self.all.append(zygote)
        self.zygotes.put(zygote)

    def serve(self) -> None:
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(str(self.path))
        ours = self.path.stat().st_ino
        listener.listen(64)
        listener.settimeout(0.5)
        try:
            while not self.stopping.is_set():
                with self.lock:
                    if self.busy == 0 and time.monotonic() - self.last > self.idle:
                        break
                try:
                    conn, _ = listener.accept()
                except TimeoutError:
                    continue
                with self.lock:
                    self.busy += 1
                threading.Thread(target=self._answer, args=(conn,), daemon=True).start()
        finally:
            listener.close()
            with contextlib.suppress(FileNotFoundError):
                if self.path.stat().st_ino == ours:  # not a successor's socket
                    self.path.unlink()
            for zygote in list(self.all):
                zygote.close()

    def _answer(self, conn: socket.socket) -> None:
        try:
            with conn, conn.makefile("rb") as requests:
                line = requests.readline()
                if not line:
                    return
                request = json.loads(line)
                if "ping" in request:
                    answer: dict[str, Any] = {"pong": True, "pid": os.getpid()}
                elif "stop" in request:
                    self.stopping.set()
                    answer = {"stopping": True}
                else:
                    answer = {"result": self._run(request["job"], request["timeout"], conn)}
                with contextlib.suppress(OSError):
                    conn.sendall((json.dumps(answer) + "\n").encode())
        finally:
            with self.lock:
                self.busy -= 1
                self.last = time.monotonic()

    def _run(self, job: dict[str, Any], timeout: float, conn: socket.socket) -> dict[str, Any]:
        zygote = self.zygotes.get()
        try:
            return zygote.run(job, timeout, watch=conn)
        except ZygoteDied as exc:  # the warm process died, or the run went away
            self.all.remove(zygote)
            self._add()
            zygote = None  # type: ignore[assignment]
            return exc.outcome()
        finally:
            if zygote is not None:
                self.zygotes.put(zygote)


def main(path: str, workers: str, idle: str, log: str) -> None:
    if os.fork() > 0:  # detach: the engine is no child of the run that started it
        os._exit(0)
    server = Server(Path(path), int(workers), float(idle), Path(log))
    print(f"vises engine {os.getpid()}: {workers} warm process(es) on {path}, "
          f"exits after {idle} s idle", flush=True)
    server.serve()


if __name__ == "__main__":
    main(*sys.argv[1:5])

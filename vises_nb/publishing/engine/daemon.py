"""A warm engine kept between runs, so that a run after a small change does not pay
for starting the stack again (~3 s of imports per warm process on this machine).

The first `vises run` that asks for it starts the engine: a detached process holding one
warm process (zygote) per worker, serving runs over a Unix socket in a folder only this
user can open, and exiting after `idle` seconds without work. Jobs still run each in a
child forked from a pristine zygote, so nothing leaks from one notebook or run to the
next. An engine serves only runs that would start an identical one (same Python, vises
version and source, worker count and environment: the key); a run with another key
stops the outdated engines of the same Python and starts its own. A run that is killed
closes its connections, and the engine then kills the notebook it was running.

Safe against another local user (the folder may be `/tmp/vises-<uid>`, which anyone
could create first or try to swap): the folder is opened once with O_NOFOLLOW |
O_DIRECTORY and its owner and mode are checked on that descriptor; every file and socket
in it is then reached through the descriptor (`/proc/self/fd/N/name`, `dir_fd=`), never
through the path again. The engine and each run authenticate each other on every
connection: SO_PEERCRED (same user) and an HMAC challenge both ways with a key only this
user can read (`engine.key`, 0600, made in the folder through the descriptor). A run
that cannot trust the folder or the engine runs with its own warm processes and says so.

Protocol: one connection per request. Client: {"hello": nonce}; engine: {"nonce",
"proof"}; client: the request ({"job", "timeout"} or {"ping"} / {"stop"}) with its
"proof"; engine: one JSON line back.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import hmac
import json
import os
import secrets
import socket
import stat
import struct
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
#: Secrets a run may have in its environment that are no business of an engine's.
SECRETS = frozenset({"VISES_SERVE_TOKEN"})
CONNECT_TIMEOUT = 30.0
KEY_NAME = "engine.key"
KEY_BYTES = 32


class Untrusted(PermissionError):
    """The rendezvous folder, a file in it, or the process behind a socket cannot be
    trusted (another user could have made or swapped it): nothing is sent to it."""


def runtime_path() -> Path:
    """Where engines keep their sockets (it must be private to this user, mode 0700)."""
    base = os.environ.get("VISES_RUNTIME_DIR")
    if base:
        return Path(base)
    if os.environ.get("XDG_RUNTIME_DIR"):
        return Path(os.environ["XDG_RUNTIME_DIR"]) / "vises"
    return Path(tempfile.gettempdir()) / f"vises-{os.getuid()}"


class Folder:
    """The rendezvous folder, opened once by file descriptor and then used only through
    that descriptor: a path swapped afterwards (a symbolic link, another folder) changes
    nothing."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path, self.fd = path, fd

    @classmethod
    def open(cls, path: Path | None = None) -> Folder:
        folder = Path(path) if path is not None else runtime_path()
        folder.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            os.mkdir(folder, 0o700)
        try:
            fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError as exc:  # ELOOP: a symbolic link; ENOTDIR: not a folder
            raise Untrusted(f"{folder} is a symbolic link or not a folder: refused (it must "
                            f"be a folder that belongs to you alone, mode 0700)") from exc
        info = os.fstat(fd)
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
            os.close(fd)
            raise Untrusted(f"{folder} must belong to you alone (mode 0700)")
        return cls(folder, fd)

    def __del__(self) -> None:
        with contextlib.suppress(OSError, AttributeError, TypeError):
            os.close(self.fd)

    def at(self, name: str) -> str:
        """A path to `name` that goes through the descriptor, never the folder's path."""
        return f"/proc/self/fd/{self.fd}/{name}"

    def names(self) -> list[str]:
        return sorted(os.listdir(self.fd))

    def open_file(self, name: str, flags: int, mode: int = 0o600) -> int:
        return os.open(name, flags | os.O_NOFOLLOW | os.O_CLOEXEC, mode, dir_fd=self.fd)

    def read_text(self, name: str) -> str:
        with os.fdopen(self.open_file(name, os.O_RDONLY), encoding="utf-8") as handle:
            return handle.read()

    def write_text(self, name: str, text: str) -> None:
        fd = self.open_file(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)

    def unlink(self, name: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name, dir_fd=self.fd)

    def inode(self, name: str) -> int | None:
        try:
            return os.stat(name, dir_fd=self.fd, follow_symlinks=False).st_ino
        except FileNotFoundError:
            return None

    def key(self) -> bytes:
        """This user's engine key: random bytes in a 0600 file of the folder, made once
        (written aside, then linked into place, so no one reads half of it)."""
        try:
            fd = self.open_file(KEY_NAME, os.O_RDONLY)
        except FileNotFoundError:
            aside = f".key-{secrets.token_hex(8)}"
            with os.fdopen(self.open_file(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL), "wb") as out:
                out.write(secrets.token_bytes(KEY_BYTES))
                out.flush()
                os.fsync(out.fileno())
            try:
                os.link(aside, KEY_NAME, src_dir_fd=self.fd, dst_dir_fd=self.fd,
                        follow_symlinks=False)
            except FileExistsError:  # another run made it first: use theirs
                pass
            finally:
                self.unlink(aside)
            fd = self.open_file(KEY_NAME, os.O_RDONLY)
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            key = handle.read(KEY_BYTES + 1)
        if (not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid()
                or info.st_mode & 0o077 or len(key) != KEY_BYTES):
            raise Untrusted(f"{self.path / KEY_NAME} must be yours alone (mode 0600)")
        return key


def runtime_dir() -> Path:
    """Where engines keep their sockets, checked private to this user (mode 0700)."""
    return Folder.open().path


def identity(workers: int) -> dict[str, Any]:
    """What must match for a run to use an engine that is already running."""
    env = {name: os.environ.get(name, "") for name in ENVIRONMENT}
    env.update({k: v for k, v in os.environ.items()
                if k.startswith("VISES_") and k not in SECRETS})
    return {"python": sys.executable, "version": __version__, "code": code_hash(),
            "workers": workers, "env": env}


def engine_key(who: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(who, sort_keys=True).encode()).hexdigest()[:12]


# ---------------------------------------------------------------- mutual authentication

def _proof(key: bytes, role: str, first: str, second: str) -> str:
    return hmac.new(key, f"vises-engine {role} {first} {second}".encode(),
                    hashlib.sha256).hexdigest()


def peer_uid(conn: socket.socket) -> int:
    """The user the process at the other end of a Unix socket runs as (from the kernel)."""
    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return struct.unpack("3i", creds)[1]


def _send(conn: socket.socket, message: dict[str, Any]) -> None:
    conn.sendall((json.dumps(message) + "\n").encode())


def _read(lines: Any) -> dict[str, Any]:
    line = lines.readline(1 << 24)
    if not line:
        raise ZygoteDied("the warm engine closed the connection")
    message = json.loads(line)
    if not isinstance(message, dict):
        raise ValueError("not a message")  # noqa: TRY004 (caught with bad JSON)
    return message


def exchange(folder: Folder, name: str, message: dict[str, Any],
             timeout: float | None) -> dict[str, Any]:
    """Send one request to the engine `name` in `folder` and return its answer, once the
    engine has proved that it runs as this user and holds this user's key (Untrusted if
    it cannot: then nothing of the request was sent)."""
    key = folder.key()
    where = folder.path / name
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(CONNECT_TIMEOUT)
        conn.connect(folder.at(name))
        if peer_uid(conn) != os.getuid():
            raise Untrusted(f"the process behind {where} runs as another user: nothing sent")
        ours = secrets.token_hex(16)
        _send(conn, {"hello": ours})
        with conn.makefile("rb") as answers:
            try:
                hello = _read(answers)
            except ValueError as exc:
                raise Untrusted(f"the process behind {where} is no vises engine: nothing sent") from exc
            theirs = str(hello.get("nonce", ""))
            if not (theirs and hmac.compare_digest(str(hello.get("proof", "")),
                                                   _proof(key, "engine", ours, theirs))):
                raise Untrusted(f"the process behind {where} could not prove it holds your "
                                f"engine key: nothing sent")
            conn.settimeout(timeout)
            _send(conn, {**message, "proof": _proof(key, "client", theirs, ours)})
            return _read(answers)


# --------------------------------------------------------------------------- client side

class Engine:
    """A run's handle on a warm engine; `run` may be called from several threads."""

    def __init__(self, path: Path, folder: Folder | None = None) -> None:
        self.path = Path(path)
        self.folder = folder if folder is not None else Folder.open(self.path.parent)
        self.name = self.path.name

    def _exchange(self, message: dict[str, Any], timeout: float | None) -> dict[str, Any]:
        return exchange(self.folder, self.name, message, timeout)

    def run(self, job: dict[str, Any], timeout: float) -> dict[str, Any]:
        try:
            answer = self._exchange({"job": job, "timeout": timeout}, None)
        except Untrusted as exc:  # nothing of the job was sent: it failed, unpublished
            raise ZygoteDied(str(exc)) from exc
        except (OSError, ValueError) as exc:
            raise ZygoteDied(f"the warm engine is gone ({exc})") from exc
        return answer["result"]

    def probe(self) -> bool:
        """True: our engine answers; False: nothing answers; Untrusted: something that
        is not our engine answers there."""
        try:
            return bool(self._exchange({"ping": True}, 5).get("pong"))
        except Untrusted:
            raise
        except (OSError, ValueError, ZygoteDied):
            return False

    def alive(self) -> bool:
        try:
            return self.probe()
        except Untrusted:
            return False

    def pid(self) -> int:
        return int(self._exchange({"ping": True}, 5)["pid"])

    def close(self) -> None:
        """End of a run: the engine stays up for the next one (until idle)."""

    def stop(self) -> None:
        with contextlib.suppress(OSError, ValueError, ZygoteDied):
            self._exchange({"stop": True}, 5)


@contextlib.contextmanager
def _locked(folder: Folder) -> Iterator[None]:
    fd = folder.open_file("engines.lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def connect(workers: int, idle: float) -> Engine:
    """The warm engine for this run: the one already running, or a new one. Untrusted
    (a PermissionError) when the folder or what answers in it cannot be trusted."""
    folder = Folder.open()
    folder.key()  # made now, in the folder we checked, before any engine starts
    who = identity(workers)
    key = engine_key(who)
    name = f"engine-{key}.sock"
    with _locked(folder):
        engine = Engine(folder.path / name, folder)
        if engine.probe():
            return engine
        _stop_outdated(folder, who)
        folder.unlink(name)
        folder.write_text(f"engine-{key}.json", json.dumps(who))
        log = folder.open_file(f"engine-{key}.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        try:
            subprocess.run(  # returns at once: the engine detaches (see main)
                [sys.executable, "-m", "vises_nb.publishing.engine.daemon", str(folder.fd),
                 name, str(workers), str(idle), f"engine-{key}.log"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True,
                close_fds=True, pass_fds=(folder.fd,), check=False)
        finally:
            os.close(log)
        deadline = time.monotonic() + CONNECT_TIMEOUT
        while not engine.probe():
            if time.monotonic() > deadline:
                raise ZygoteDied(f"the warm engine did not start; see {folder.path}")
            time.sleep(0.05)
        return engine


def running() -> list[tuple[Engine, dict[str, Any]]]:
    """The engines that answer and prove themselves, with what they were started for."""
    try:
        folder = Folder.open()
    except OSError:
        return []
    found = []
    for described in folder.names():
        if not (described.startswith("engine-") and described.endswith(".json")):
            continue
        engine = Engine(folder.path / described.replace(".json", ".sock"), folder)
        if engine.alive():
            with contextlib.suppress(OSError, ValueError):
                found.append((engine, json.loads(folder.read_text(described))))
    return found


def _stop_outdated(folder: Folder, who: dict[str, Any]) -> None:
    """Engines of this Python whose code or settings differ will serve no run again."""
    for described in folder.names():
        if not (described.startswith("engine-") and described.endswith(".json")):
            continue
        try:
            other = json.loads(folder.read_text(described))
        except (OSError, ValueError):
            continue
        if other.get("python") == who["python"] and other != who:
            Engine(folder.path / described.replace(".json", ".sock"), folder).stop()
            folder.unlink(described)


# --------------------------------------------------------------------------- engine side

def affinity(job: dict[str, Any]) -> tuple[Any, Any]:
    """Which enterprise's data a job needs (None: none) and which thread of its run sent it."""
    wanted = job.get("preload") or {}
    enterprise = (wanted.get("store_url"), wanted.get("enterprise_id")) if wanted else None
    return enterprise, job.get("lane")


class Idle:
    """The engine's idle warm processes. A job goes to the one that ran its enterprise's
    last notebook if it is idle (the enterprise's data is loaded there: a run sends one
    enterprise's notebooks one after the other, see `jobs.by_enterprise`), else to the
    one its run's thread used last, else to any."""

    def __init__(self) -> None:
        self.ready = threading.Condition()
        self.idle: list[Zygote] = []
        self.served: dict[int, tuple[Any, Any]] = {}

    def put(self, zygote: Zygote, job: dict[str, Any] | None = None) -> None:
        with self.ready:
            if job is not None:
                self.served[id(zygote)] = affinity(job)
            self.idle.append(zygote)
            self.ready.notify()

    def get(self, job: dict[str, Any]) -> Zygote:
        enterprise, lane = affinity(job)
        with self.ready:
            while not self.idle:
                self.ready.wait()
            chosen = self.idle[0]
            for kind, wanted in ((1, lane), (0, enterprise)):  # the later match wins
                if wanted is None:
                    continue
                for zygote in self.idle:
                    if self.served.get(id(zygote), (None, None))[kind] == wanted:
                        chosen = zygote
                        break
            self.idle.remove(chosen)
            return chosen


class Server:
    """The engine process: warm processes, a socket, and an idle clock."""

    def __init__(self, folder: Folder, name: str, workers: int, idle: float, log: str) -> None:
        self.folder, self.name, self.idle = folder, name, idle
        # the zygotes open the log through this process's descriptor of the folder
        self.log = Path(f"/proc/{os.getpid()}/fd/{folder.fd}/{log}")
        self.key = folder.key()
        self.zygotes = Idle()
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
        listener.bind(self.folder.at(self.name))
        ours = self.folder.inode(self.name)
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
            if self.folder.inode(self.name) == ours:  # not a successor's socket
                self.folder.unlink(self.name)
            for zygote in list(self.all):
                zygote.close()

    def _authenticated(self, conn: socket.socket, requests: Any) -> dict[str, Any] | None:
        """The client's request once it has proved itself; None for anyone else."""
        if peer_uid(conn) != os.getuid():
            return None
        theirs = str(_read(requests).get("hello", ""))
        ours = secrets.token_hex(16)
        _send(conn, {"nonce": ours, "proof": _proof(self.key, "engine", theirs, ours)})
        request = _read(requests)
        if not (theirs and hmac.compare_digest(str(request.pop("proof", "")),
                                               _proof(self.key, "client", ours, theirs))):
            return None
        return request

    def _answer(self, conn: socket.socket) -> None:
        try:
            with conn, conn.makefile("rb") as requests:
                conn.settimeout(CONNECT_TIMEOUT)
                try:
                    request = self._authenticated(conn, requests)
                except (OSError, ValueError, ZygoteDied):
                    return
                if request is None:
                    return
                conn.settimeout(None)
                if "ping" in request:
                    answer: dict[str, Any] = {"pong": True, "pid": os.getpid()}
                elif "stop" in request:
                    self.stopping.set()
                    answer = {"stopping": True}
                else:
                    answer = {"result": self._run(request["job"], request["timeout"], conn)}
                with contextlib.suppress(OSError):
                    _send(conn, answer)
        finally:
            with self.lock:
                self.busy -= 1
                self.last = time.monotonic()

    def _run(self, job: dict[str, Any], timeout: float, conn: socket.socket) -> dict[str, Any]:
        zygote = self.zygotes.get(job)
        try:
            return zygote.run(job, timeout, watch=conn)
        except ZygoteDied as exc:  # the warm process died, or the run went away
            self.all.remove(zygote)
            self.zygotes.served.pop(id(zygote), None)
            self._add()
            zygote = None  # type: ignore[assignment]
            return exc.outcome()
        finally:
            if zygote is not None:
                self.zygotes.put(zygote, job)


def main(fd: str, name: str, workers: str, idle: str, log: str) -> None:
    """The engine: `fd` is the run's descriptor of the checked folder (inherited), so
    the engine never goes through the folder's path either."""
    if os.fork() > 0:  # detach: the engine is no child of the run that started it
        os._exit(0)
    descriptor = int(fd)
    info = os.fstat(descriptor)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise SystemExit("vises engine: the folder given is not private to this user")
    os.set_inheritable(descriptor, False)
    folder = Folder(Path(os.readlink(f"/proc/self/fd/{descriptor}")), descriptor)
    server = Server(folder, name, int(workers), float(idle), log)
    print(f"vises engine {os.getpid()}: {workers} warm process(es) on {folder.path / name}, "
          f"exits after {idle} s idle", flush=True)
    server.serve()


if __name__ == "__main__":
    main(*sys.argv[1:6])

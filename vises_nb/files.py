"""Writing files whole or not at all, for reports, sidecars, indexes and manifests.

Files that hold personal data (the store, a restored store, exports, questionnaires,
sidecars) are created readable by their owner only (`PRIVATE`, 0600; folders 0700):
`write_atomic(..., mode=PRIVATE)`, `atomic_path(..., mode=PRIVATE)`, `private_file`.
"""

from __future__ import annotations

import fcntl
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TMP = ".tmp"  # a file being written is `.<name>.pid<pid>.<random>.tmp` until renamed
WRITER = re.compile(r"\.pid(\d+)\.")
PUBLIC = 0o644  # published reports: meant to be sent
PRIVATE = 0o600  # personal data: the owner only
PRIVATE_DIR = 0o700


def write_atomic(path: Path, text: str | bytes, mode: int = PUBLIC) -> None:
    """Write `text` to `path` whole or not at all (temporary file, then rename)."""
    with atomic_path(Path(path), mode) as tmp, open(tmp, "wb") as handle:
        handle.write(text.encode("utf-8") if isinstance(text, str) else text)
        handle.flush()
        os.fsync(handle.fileno())


@contextmanager
def atomic_path(path: Path, mode: int = PUBLIC) -> Iterator[Path]:
    """A temporary path beside `path` (created with `mode`) for a library that writes to a
    path; renamed to `path` when the block ends, removed if it raises: `path` is written
    whole or not at all, never half."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.pid{os.getpid()}.", suffix=TMP, dir=path.parent)
    os.close(fd)
    try:
        os.chmod(tmp, mode)
        yield Path(tmp)
        os.chmod(tmp, mode)  # a library may have replaced the file
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.filename is None:  # a write: disk full, quota
            exc.filename = str(path)  # the message names the file, not "?"
        raise


def private_folder(path: Path) -> Path:
    """Create `path` (and missing parents) as a folder only its owner can open."""
    path = Path(path)
    if not path.exists():
        path.mkdir(parents=True, mode=PRIVATE_DIR)
    return path


def private_file(path: Path) -> Path:
    """Create `path` empty with mode 0600 if it does not exist (before SQLite opens it:
    SQLite gives its -wal and -shm files the database file's mode)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE))
    except FileExistsError:
        pass
    return path


@contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `path` (created if need be) for the block, or raise
    BlockingIOError at once when another process holds it. The kernel releases it when its
    holder ends, however it ends (a killed run leaves no stale lock); the descriptor is
    not inherited by the processes started meanwhile (warm processes, the warm engine)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, PUBLIC)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield
    finally:
        os.close(fd)


def remove_orphans(folder: Path) -> int:
    """Remove the temporary files of writers that died before renaming them (a run
    killed with kill -9); files of a writer still alive are left to it."""
    removed = 0
    for tmp in folder.rglob(f".*{TMP}"):
        writer = WRITER.findall(tmp.name)
        try:
            written = tmp.stat().st_mtime
        except FileNotFoundError:
            continue  # renamed by its writer meanwhile
        if not writer or not _alive(int(writer[-1]), written):
            tmp.unlink(missing_ok=True)
            removed += 1
    return removed


def _alive(pid: int, since: float | None = None) -> bool:
    """Whether the writer `pid` still runs. A process with that pid started after the
    file was last written is another one (pids are reused on a busy machine)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    if _state(pid) in ("Z", "X"):
        return False  # died, not yet waited for (kill -0 succeeds on a zombie)
    started = _started(pid)
    return since is None or started is None or started <= since + 1


def _state(pid: int) -> str | None:
    """Process `pid`'s state letter from /proc (R, S, D, Z...); None where unknown."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None


def _started(pid: int) -> float | None:
    """When process `pid` started (epoch seconds), from /proc; None where unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        ticks = int(stat.rsplit(")", 1)[1].split()[19])  # field 22: starttime
        boot = next(int(line.split()[1]) for line in
                    Path("/proc/stat").read_text().splitlines() if line.startswith("btime"))
        return boot + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return None

"""Writing files whole or not at all, for reports, sidecars, indexes and manifests."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

TMP = ".tmp"  # a file being written is `.<name>.pid<pid>.<random>.tmp` until renamed
WRITER = re.compile(r"\.pid(\d+)\.")


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write `text` (or bytes) to `path` whole or not at all (temporary file, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.pid{os.getpid()}.", suffix=TMP, dir=path.parent)
    try:
        os.chmod(tmp, 0o644)
        binary = isinstance(text, bytes)
        with os.fdopen(fd, "wb" if binary else "w", encoding=None if binary else "utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_orphans(folder: Path) -> int:
    """Remove the temporary files of writers that died before renaming them (a run
    killed with kill -9); files of a writer still alive are left to it."""
    removed = 0
    for tmp in folder.rglob(f".*{TMP}"):
        writer = WRITER.findall(tmp.name)
        if not writer or not _alive(int(writer[-1])):
            tmp.unlink(missing_ok=True)
            removed += 1
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True

"""Files written once, atomically and durably: a new file is written under a temporary name, made
durable, then renamed, so a crash leaves either nothing or the whole file under its name. A file
that exists is never written again (evidence must not change once stored).

`write_once` does one file with an fsync. `Batch` does many with two filesystem syncs in all
(syncfs(2)): every file is written, one sync makes their data durable, they are renamed, and a
second sync makes the names durable. A crawl stores two files per item; one fsync each cost it
more than all its parsing (4,000 fsyncs per 2,000 items, each a journal commit). Where libc has no
syncfs (not Linux), each file is fsynced before its rename, as `write_once` does.
"""

from __future__ import annotations

import ctypes
import os
import socket
import threading
from collections.abc import Callable
from pathlib import Path


def _libc_syncfs() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(None, use_errno=True).syncfs  # ctypes releases the GIL during the call
    except (OSError, AttributeError):
        return None


_SYNCFS = _libc_syncfs()


def sync_filesystem(directory: Path) -> None:
    """Make every write already done on the filesystem holding `directory` durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        if _SYNCFS(fd) != 0:
            err = ctypes.get_errno()
            raise OSError(err, f"syncfs: {os.strerror(err)}", str(directory))
    finally:
        os.close(fd)


_HOST = socket.gethostname()


def _tmp_name(path: Path) -> Path:
    # Our own host, pid and thread: a crashed run's leftover is simply overwritten, and two
    # crawls storing the same body at once (workers sharing the folder) never share a file.
    return path.with_name(f".{path.name}.{_HOST}.{os.getpid()}.{threading.get_ident()}.tmp")


def _write_new(tmp: Path, data: bytes, fsync: bool) -> None:
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    except FileNotFoundError:
        tmp.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        if fsync:
            os.fsync(fd)
    finally:
        os.close(fd)


def write_once(path: Path, data: bytes) -> bool:
    """Write one file atomically and durably unless it exists; True if written."""
    if path.exists():
        return False
    tmp = _tmp_name(path)
    try:
        _write_new(tmp, data, fsync=True)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return True


class Batch:
    """New files under one root, made durable together: `add` each, then `commit` once (or
    `abandon` on a failure: the temporary files go, nothing appears under its name)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.staged: dict[Path, Path] = {}  # final path -> temporary path

    def add(self, path: Path, data: bytes | Callable[[], bytes]) -> bool:
        """Stage `path` unless it exists or is staged already; True if staged. `data` may be a
        function, called only when the file is new (a body compressed only if not yet stored)."""
        if path in self.staged or path.exists():
            return False
        tmp = _tmp_name(path)
        self.staged[path] = tmp
        _write_new(tmp, data() if callable(data) else data, fsync=_SYNCFS is None)
        return True

    def commit(self) -> None:
        if not self.staged:
            return
        if _SYNCFS is not None:
            sync_filesystem(self.root)
        for path, tmp in self.staged.items():
            os.replace(tmp, path)
        self.staged.clear()
        if _SYNCFS is not None:
            sync_filesystem(self.root)

    def abandon(self) -> None:
        for tmp in self.staged.values():
            tmp.unlink(missing_ok=True)
        self.staged.clear()

"""Writing a submission's files so that a crash cannot lose or half-write them.

Each file goes to a temporary name, is flushed and fsynced, renamed into place, and the
folders along the way are fsynced too, so once :func:`store_files` returns the bytes are on
disk under their final names. Only then does the attempt row commit.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from pathlib import Path

__all__ = ["fsync_dir", "sha256", "store_files"]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fsync_dir(path: Path) -> None:
    """Make a folder's entries (new files, renames) durable."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _make_dirs(path: Path, stop: Path) -> None:
    """Create ``path`` and fsync every parent whose entries changed, up to ``stop``."""
    missing = []
    current = path
    while not current.exists():
        missing.append(current)
        if current == stop or current.parent == current:
            break
        current = current.parent
    path.mkdir(parents=True, exist_ok=True)
    for created in missing:
        fsync_dir(created.parent)


def store_files(folder: Path, files: dict[str, bytes], *, data_dir: Path) -> dict[str, str]:
    """Write ``files`` (relative path -> bytes) under ``folder`` durably; return their sha256.

    A folder left by a crash before its attempt row committed is replaced: it never
    belonged to a stored attempt.
    """
    if folder.exists():
        shutil.rmtree(folder)
    _make_dirs(folder, data_dir)
    hashes = {}
    for relative, data in sorted(files.items()):
        target = folder / relative
        _make_dirs(target.parent, folder)
        temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
        with open(temporary, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
        fsync_dir(target.parent)
        hashes[relative] = sha256(data)
    return hashes

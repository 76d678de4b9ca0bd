"""The C library the sandbox calls (mounts, namespaces, prctl, seccomp), loaded once.

``ctypes.util.find_library`` runs ``ldconfig -p`` in a subprocess: loading it once per
process, here, keeps that off every module's import (rootfs, sandbox and seccomp each ran
it) and out of any child.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os

__all__ = ["check", "libc"]

libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)


def check(result: int, what: str) -> None:
    """Raise OSError saying ``what`` failed and why (errno) when a call returned non-zero."""
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")

"""The processes of a test's own OS user: listed, and ended before the user is removed."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path


def _owners() -> dict[int, int]:
    """pid -> the uid owning its ``/proc`` entry, for every process now."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                found[int(entry.name)] = entry.stat().st_uid
    return found


def processes_of(uid: int) -> list[int]:
    """Every process owned by ``uid``."""
    return [pid for pid, owner in _owners().items() if owner == uid]


def running_uids() -> set[int]:
    """The uids some process runs as."""
    return set(_owners().values())


def end_processes_of(uid: int, *, tries: int = 3) -> None:
    """Kill whatever runs as ``uid`` (a uid only this test uses) and wait until it is gone,
    so that ``userdel`` and removing its files find nothing running."""
    for _ in range(tries):
        pids = processes_of(uid)
        if not pids:
            return
        for pid in pids:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.3)

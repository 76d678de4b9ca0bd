"""Starting zygote interpreters, and starting them before the grader knows its limits.

One home for how a zygote process is started (:func:`start_zygote`): a new interpreter
(``python -m mastery_nb.grade.zygote``) with a minimal environment, nothing of the
grader's, and one end of a ``SOCK_SEQPACKET`` control socket.

**The head start.** A zygote spends most of its start-up importing the default preload
(IPython, numpy, pandas, matplotlib: about a second and a half of CPU), none of which
depends on the course. Meanwhile the grader imports its own modules, opens the store
and reads which units are waiting, which is what the zygote's limits depend on (the
modules to warm). :func:`head_start` starts the zygotes first, with ``-`` for limits:
each imports the default preload at once, then waits on its control socket for the
limits and carries on as any zygote. The next :class:`~mastery_nb.grade.worker.Worker`
made in this process adopts one (:func:`adopt`, which sends the limits as its first
message); those never adopted are ended by :func:`release_head_start`. Nothing about the
zygote differs but when it started: the same environment, the same limits, the same
self-test before it grades.

Kept light (no pydantic, no store): the CLI calls :func:`head_start` before it imports
the rest of the grader.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

__all__ = ["HEAD_START", "adopt", "head_start", "release_head_start", "start_zygote"]

#: the zygote's limits argument meaning "the limits come first on the control socket"
HEAD_START = "-"

_lock = threading.Lock()
_waiting: list[tuple[subprocess.Popen[bytes], socket.socket]] = []


def zygote_env() -> dict[str, str]:
    """A minimal environment: nothing of the grader's (database URLs, tokens) leaks."""
    package_parent = str(Path(__file__).resolve().parents[2])
    env = {
        "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/"),
        "LANG": "C.UTF-8",
        "PYTHONPATH": package_parent,
        "MPLBACKEND": "Agg",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "MASTERY_NB_WORK_TMP": tempfile.gettempdir(),  # where attempt workdirs are made
    }
    for key in ("PYENV_VERSION", "VIRTUAL_ENV", "MPLCONFIGDIR", "IPYTHONDIR"):
        if key in os.environ:
            env[key] = os.environ[key]
    return env


def start_zygote(limits_json: str) -> tuple[subprocess.Popen[bytes], socket.socket]:
    """A zygote process and the grader's end of its control socket; ``limits_json`` is
    its limits, or :data:`HEAD_START` when they will be sent on the socket."""
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "mastery_nb.grade.zygote", str(theirs.fileno()), limits_json],
            pass_fds=[theirs.fileno()],
            env=zygote_env(),
            cwd="/",
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
        )
    except BaseException:
        ours.close()
        raise
    finally:
        theirs.close()
    return process, ours


def head_start(count: int) -> None:
    """Start ``count`` zygotes now; the next workers made in this process adopt them."""
    started = [start_zygote(HEAD_START) for _ in range(count)]
    with _lock:
        _waiting.extend(started)


def adopt(limits_json: str) -> tuple[subprocess.Popen[bytes], socket.socket] | None:
    """A zygote started ahead, given its limits (``limits_json``), if one is waiting."""
    with _lock:
        while _waiting:
            process, control = _waiting.pop(0)
            try:
                control.send(limits_json.encode())
                return process, control
            except OSError:  # it died waiting (its error is on stderr): try the next
                process.kill()
                process.wait()
                control.close()
    return None


def release_head_start() -> None:
    """End the zygotes no worker adopted (the queue was empty, or fewer were needed). They
    have started nothing and hold nothing yet (no uid, no child), so they are killed, not
    asked: one still importing would not read the request for a second."""
    with _lock:
        left = list(_waiting)
        _waiting.clear()
    for process, control in left:
        with contextlib.suppress(OSError):
            process.kill()
        process.wait()
        control.close()


atexit.register(release_head_start)

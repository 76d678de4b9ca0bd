"""The pre-warmed zygote: imports once, forks a fresh sandboxed child per notebook.

Started by the grader as a *new* interpreter (``python -m mastery_nb.grade.zygote``) with a
clean environment, so it never holds private data: it imports IPython, numpy, pandas and
the rest of the preload list, builds the IPython shell, and then only forks. Each child
isolates itself (:mod:`mastery_nb.grade.sandbox`) and serves the grader's steps
(:mod:`mastery_nb.grade.runner`) over a socket the grader passed in with the request.
Forking a warm process costs milliseconds where starting a Jupyter kernel costs seconds.

Control protocol (one JSON datagram per message over a ``SOCK_SEQPACKET`` socket):
``{"op": "fork", "spec": {...}, "max_output": N}`` + one fd → ``{"pid": P}``;
``{"op": "reap", "pid": P}`` → ``{"status": S}`` after killing everything of the child;
``{"op": "interrupt", "pid": P}`` → ``{}`` (SIGINT to the child's process group).
On end of stream the zygote kills its children and exits.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import signal
import socket
import sys
import traceback
from typing import Any

from mastery_nb.grade.limits import Limits
from mastery_nb.grade.protocol import send_message
from mastery_nb.grade.sandbox import (
    SandboxError,
    SandboxSpec,
    UidLease,
    become_subreaper,
    enter_sandbox,
    kill_all_descendants,
    lease_uid,
)

__all__ = ["main"]

_BUFSIZE = 1 << 16


def _log(text: str) -> None:
    with contextlib.suppress(OSError):
        sys.stderr.write(f"mastery-nb zygote: {text}\n")
        sys.stderr.flush()


def _child(
    runner: Any, control: socket.socket, channel: int, spec: SandboxSpec, max_output: int
) -> None:
    """In the forked child: isolate, then serve. Never returns."""
    code = 0
    try:
        control.close()
        sock = socket.socket(fileno=channel)
        try:
            _cwd, notes = enter_sandbox(spec)
        except SandboxError as exc:
            send_message(sock, {"type": "sandbox-failed", "message": str(exc)})
            os._exit(70)
        sys.path.insert(0, _cwd)
        send_message(sock, {"type": "sandbox", "notes": notes})
        runner.serve(sock, max_output)
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _reap(pid: int, uid: int | None) -> tuple[int, int]:
    return kill_all_descendants(pid, uid)


def serve(control: socket.socket, limits: Limits) -> None:
    """The zygote's loop (see the module docstring)."""
    from mastery_nb.grade.runner import prepare_runner

    lease: UidLease | None = None
    if os.geteuid() == 0:
        lease = lease_uid(limits.uid_base, limits.uid_count)
    become_subreaper()
    runner = prepare_runner(limits.preload, _log)
    gc.collect()
    gc.freeze()  # keep the warm heap shared between the zygote and its children
    control.send(json.dumps({"ready": True, "uid": lease.uid if lease else None}).encode())
    children: set[int] = set()
    try:
        while True:
            try:
                data, fds, _flags, _addr = socket.recv_fds(control, _BUFSIZE, 4)
            except OSError:
                break
            if not data:
                break
            request = json.loads(data)
            op = request.get("op")
            reply: dict[str, Any] = {}
            if op == "fork":
                spec_data = dict(request["spec"])
                spec_data["uid"] = lease.uid if lease else None
                channel = fds[0]
                spec_data["keep_fds"] = (channel,)
                spec_data["hide_paths"] = tuple(spec_data.get("hide_paths", ()))
                spec = SandboxSpec(**spec_data)
                pid = os.fork()
                if pid == 0:  # pragma: no cover - the child
                    _child(runner, control, channel, spec, int(request["max_output"]))
                os.close(channel)
                children.add(pid)
                reply = {"pid": pid}
            elif op == "interrupt":
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(int(request["pid"]), signal.SIGINT)
            elif op == "reap":
                pid = int(request["pid"])
                status, leftovers = _reap(pid, lease.uid if lease else None)
                reply = {"status": status, "leftovers": leftovers}
                children.discard(pid)
            else:
                for fd in fds:
                    os.close(fd)
                reply = {"error": f"unknown op {op!r}"}
            control.send(json.dumps(reply).encode())
    finally:
        for pid in children:
            _reap(pid, lease.uid if lease else None)
        if lease is not None:
            lease.release()


def main() -> None:
    """``python -m mastery_nb.grade.zygote FD LIMITS_JSON``."""
    control = socket.socket(fileno=int(sys.argv[1]))
    limits = Limits.from_json(json.loads(sys.argv[2]))
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        serve(control, limits)
    except Exception:
        _log(traceback.format_exc())
        raise


if __name__ == "__main__":
    main()

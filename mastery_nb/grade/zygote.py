"""The pre-warmed zygote: imports once, forks a fresh sandboxed child per notebook.

Started by the grader as a *new* interpreter (``python -m mastery_nb.grade.zygote``) with a
clean environment, so it never holds private data: it imports IPython, numpy, pandas and
the rest of the preload list, builds the IPython shell, and then only forks. Each child
isolates itself (:mod:`mastery_nb.grade.sandbox`) and serves the grader's steps
(:mod:`mastery_nb.grade.runner`) over a socket the grader passed in with the request.
Forking a warm process costs milliseconds where starting a Jupyter kernel costs seconds.

Control protocol (one JSON datagram per message over a ``SOCK_SEQPACKET`` socket). A
spare child is forked ahead of time and waits for its attempt, so forking is off the
critical path:
``{"op": "fork", "spec": {...}, "max_output": N}`` + one fd → ``{"pid": P}``;
``{"op": "reap", "pid": P, "workdir": W}`` → ``{"status": S, "leftovers": N}`` once
everything of the child is killed and reaped (its workdir is deleted and the next spare
forked after the answer, before the next request is read);
On end of stream the zygote kills its children and exits.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import shutil
import signal
import socket
import sys
import traceback
from typing import Any

from mastery_nb.grade.launch import HEAD_START
from mastery_nb.grade.limits import DEFAULT_PRELOAD, Limits
from mastery_nb.grade.protocol import KIND, frame, notes_frame
from mastery_nb.grade.rootfs import python_paths
from mastery_nb.grade.sandbox import (
    SandboxError,
    SandboxSpec,
    UidLease,
    become_subreaper,
    enter_sandbox,
    kill_all_descendants,
    kill_uid,
    killed_alone,
    lease_uid,
    set_parent_death_signal,
)
from mastery_nb.grade.seccomp import prepare_filter

__all__ = ["main"]

_BUFSIZE = 1 << 16


def _log(text: str) -> None:
    with contextlib.suppress(OSError):
        sys.stderr.write(f"mastery-nb zygote: {text}\n")
        sys.stderr.flush()


def _child(runner: Any, channel: int, spec: SandboxSpec) -> None:
    """In the forked child: isolate, then serve. Never returns."""
    code = 0
    try:
        try:
            cwd, notes = enter_sandbox(spec)
        except SandboxError as exc:
            os.write(channel, frame(KIND["SANDBOX_FAILED"], str(exc).encode("utf-8", "replace")))
            os._exit(70)
        sys.path.insert(0, cwd)
        os.write(channel, notes_frame(notes))
        from mastery_nb.grade.runner import serve

        serve(runner, channel, cwd)
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _warm(runner: Any) -> None:
    """Touch what the child reads before its first cell, while the spare waits: the pages
    it shares with the zygote are copied now (a reference count written is a page copied),
    not on the attempt's clock. With version tags, that is every tag view and the zygote's
    lists of copies (read in full when the child takes its baseline); without them, every
    protected namespace."""
    snapshot = getattr(runner, "snapshot", None)
    if snapshot is None:
        return
    if snapshot.tags is not None:
        views, read = snapshot.tags
        for view in views:
            read(view)
        for _tag in snapshot.copy_tags or ():
            pass
        for key in ("module_saves", "class_saves"):
            for _saved in (snapshot.prepared or {}).get(key, ()):
                pass
        return
    for _name, namespace in snapshot.module_namespaces:
        for _value in list(namespace.values()):
            pass
    for cls in snapshot.classes:
        for _value in list(cls.__dict__.values()):
            pass


class _Spare:
    """A child forked ahead of time, waiting for its attempt: forking is off the critical path."""

    def __init__(
        self, runner: Any, control: socket.socket, uid: int | None, paths: tuple[str, ...]
    ) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the spare
            try:
                control.close()
                ours.close()
                set_parent_death_signal()
                _warm(runner)
                data, fds, _flags, _addr = socket.recv_fds(theirs, _BUFSIZE, 1)
                theirs.close()
                if not data or not fds:
                    os._exit(0)
                request = json.loads(data)
                spec_data = dict(request["spec"])
                spec_data.update(uid=uid, keep_fds=(fds[0],), python_paths=paths)
                spec_data["hide_paths"] = tuple(spec_data.get("hide_paths", ()))
                spec = SandboxSpec(**spec_data)
            except BaseException:
                os._exit(71)
            _child(runner, fds[0], spec)
        theirs.close()
        self.pid = pid
        self.sock = ours

    def start(self, request: bytes, channel: int) -> int:
        socket.send_fds(self.sock, [request], [channel])
        self.sock.close()
        return self.pid

    def discard(self) -> None:
        self.sock.close()
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def _remove_stale_workdirs(uid: int) -> None:
    """Attempt folders owned by our uid are from a grader that was killed: nobody uses them."""
    folder = os.environ.get("MASTERY_NB_WORK_TMP") or "/tmp"
    try:
        entries = os.listdir(folder)
    except OSError:
        return
    for name in entries:
        path = os.path.join(folder, name)
        if name.startswith("mastery-nb-attempt-"):
            with contextlib.suppress(OSError):
                if os.lstat(path).st_uid == uid:
                    shutil.rmtree(path, ignore_errors=True)


def _reap(pid: int, uid: int | None, keep: int | None = None) -> tuple[int, int]:
    return kill_all_descendants(pid, uid, keep=keep)


def serve(control: socket.socket, limits: Limits, niced: int = 0) -> None:
    """The zygote's loop (see the module docstring); ``niced``: how much lower its CPU
    priority already is."""
    from mastery_nb.grade.runner import prepare_runner

    lease: UidLease | None = None
    if os.geteuid() == 0:
        lease = lease_uid(limits.uid_base, limits.uid_count)
    uid = lease.uid if lease else None
    if uid is not None:
        kill_uid(uid)  # whatever a previous holder of this uid left behind (it was killed)
        _remove_stale_workdirs(uid)
    become_subreaper()
    if limits.nice > niced:  # inherited by every child; none of them may lower it again
        os.nice(limits.nice - niced)
    prepare_filter()
    runner, failed = prepare_runner(limits.preload, _log, limits.warm)
    paths = python_paths()
    gc.collect()
    gc.freeze()  # keep the warm heap shared between the zygote and its children
    spare: _Spare | None = _Spare(runner, control, uid, paths)
    ready = {"ready": True, "uid": uid, "preload_failed": failed, "python": list(paths)}
    control.send(json.dumps(ready).encode())
    children: dict[int, str] = {}  #: running child -> its workdir
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
            if op == "fork" and fds:
                if spare is None:
                    spare = _Spare(runner, control, uid, paths)
                pid = spare.start(data, fds[0])
                spare = None
                for fd in fds:
                    os.close(fd)
                children[pid] = str(request.get("spec", {}).get("workdir", ""))
                reply = {"pid": pid}
            elif op == "reap":
                pid = int(request["pid"])
                children.pop(pid, None)
                # the spare (not sandboxed yet, not of the sandbox uid) is all that may remain
                keep = spare.pid if spare is not None else None
                if request.get("quick") and killed_alone(pid, keep):
                    # nothing of the attempt but the killed child: answer before its exit
                    # (tearing down its memory takes milliseconds); it is reaped below,
                    # before the next request is read, so the uid is clean for the next child
                    control.send(json.dumps({"status": -1, "leftovers": 0}).encode())
                    _reap(pid, uid, keep)
                else:
                    status, leftovers = _reap(pid, uid, keep)
                    # answer now; the uid is clean, the folder and the next spare can follow
                    control.send(json.dumps({"status": status, "leftovers": leftovers}).encode())
                if request.get("workdir"):
                    shutil.rmtree(str(request["workdir"]), ignore_errors=True)
                if spare is None:
                    spare = _Spare(runner, control, uid, paths)
                continue
            else:
                for fd in fds:
                    os.close(fd)
                reply = {"error": f"unknown op {op!r}"}
            control.send(json.dumps(reply).encode())
    finally:
        if spare is not None:
            spare.discard()
        for pid, workdir in children.items():  # the grader went away mid-attempt
            _reap(pid, uid)
            if workdir:
                shutil.rmtree(workdir, ignore_errors=True)
        if lease is not None:
            lease.release()


def _limits_after_head_start(control: socket.socket, niced: int) -> Limits | None:
    """Started ahead (:mod:`mastery_nb.grade.launch`): import the default preload, which
    no course changes, while the grader works out the limits; then read them. None: the
    grader ended it unused.

    It imports at a lower CPU priority already (``niced``; the limits may lower it more):
    the grader's own imports, on the same cores, come first."""
    import importlib

    os.nice(niced)
    for name in DEFAULT_PRELOAD:
        with contextlib.suppress(Exception):  # a failure is reported when the limits ask
            importlib.import_module(name)
    data = control.recv(_BUFSIZE)
    return Limits.from_json(json.loads(data)) if data else None


def main() -> None:
    """``python -m mastery_nb.grade.zygote FD LIMITS_JSON`` (``-``: on the socket)."""
    control = socket.socket(fileno=int(sys.argv[1]))
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    niced = 0
    if sys.argv[2] == HEAD_START:
        niced = Limits().nice
        found = _limits_after_head_start(control, niced)
        if found is None:
            os._exit(0)
        limits = found
    else:
        limits = Limits.from_json(json.loads(sys.argv[2]))
    try:
        serve(control, limits, niced)
    except Exception:
        _log(traceback.format_exc())
        raise
    # everything of ours is killed, reaped and deleted: skip the interpreter's teardown of
    # a heap holding numpy, pandas and IPython (a tenth of a second the grader waits for)
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()

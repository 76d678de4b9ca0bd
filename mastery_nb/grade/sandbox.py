"""The operating-system side of isolation, applied in the forked child before student code.

Order matters and is the whole design (docs/security.md explains each choice):

1. a new session (so the grader can signal the child's whole process group);
2. every file descriptor closed but the grader's socket; stdio on ``/dev/null``;
3. new network and mount namespaces (``unshare``): no network, and the private paths (the
   bundle, the store, other learners' files, ``/root``, ``/home``, the rest of ``/tmp``)
   covered by empty read-only mounts; as a non-root grader, a user namespace makes this
   possible where the kernel allows it;
4. resource limits (memory, processes, file size, CPU, no core dumps);
5. as root, a dedicated unprivileged uid/gid (one per concurrently running child) and
   ``no_new_privs``, so nothing can regain privileges;
6. a clean environment with ``MASTERY_NB_GRADING=1``, and the working folder.

Steps 1, 2, 4 and 5 are mandatory: if one fails the child refuses to run student code.
Namespaces are best effort; what was applied is reported back and recorded with the result.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import fcntl
import os
import resource
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "SandboxError",
    "SandboxSpec",
    "UidLease",
    "become_subreaper",
    "enter_sandbox",
    "kill_all_descendants",
    "kill_uid",
    "lease_uid",
    "set_parent_death_signal",
]

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_REMOUNT = 32
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18
PR_SET_NO_NEW_PRIVS = 38
PR_SET_DUMPABLE = 4
PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36

#: Where the child sees its working folder when ``/tmp`` is replaced by an empty tmpfs.
SANDBOX_WORKDIR = "/tmp/work"

_libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)


class SandboxError(Exception):
    """A mandatory isolation step failed; student code must not run."""


@dataclass(frozen=True)
class SandboxSpec:
    """Everything the child needs to isolate itself (plain data, sent by the grader)."""

    workdir: str  #: the attempt's folder (mirrors the course folder)
    cwd: str  #: relative to workdir: the notebook's folder
    uid: int | None  #: sandbox uid (root grader) or None
    hide_paths: tuple[str, ...] = ()
    memory_bytes: int = 2 * 1024**3
    max_processes: int = 32
    max_file_bytes: int = 64 * 1024**2
    cpu_seconds: int = 330
    keep_fds: tuple[int, ...] = field(default=())


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def _mount(
    source: str | None, target: str, fstype: str | None, flags: int, data: str | None
) -> None:
    _check(
        _libc.mount(
            source.encode() if source else None,
            target.encode(),
            fstype.encode() if fstype else None,
            ctypes.c_ulong(flags),
            data.encode() if data else None,
        ),
        f"mount {target}",
    )


def _vm_size() -> int:
    with open("/proc/self/status", "rb") as status:
        for line in status:
            if line.startswith(b"VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _close_fds(keep: tuple[int, ...]) -> None:
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        if fd != devnull:
            os.dup2(devnull, fd)
    low = 3
    for fd in sorted(set(keep)):
        if fd >= low:
            os.closerange(low, fd)
            low = fd + 1
    os.closerange(low, 65536)


def _write(path: str, text: str) -> None:
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)


def _software_paths() -> list[str]:
    """Where Python and its packages live: re-exposed (read-only) inside hidden folders."""
    import sys

    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix}
    paths.update(p for p in sys.path if p and os.path.isdir(p))
    return sorted(os.path.realpath(p) for p in paths if p != "/")


def _hide_dir(path: str, keep: list[str]) -> None:
    """Cover ``path`` with an empty read-only tmpfs, re-binding ``keep`` paths found under it."""
    inner: list[str] = []
    for candidate in keep:
        if candidate.startswith(path.rstrip("/") + "/") and not any(
            candidate.startswith(k + "/") for k in inner
        ):
            inner.append(candidate)
    fds = [(k, os.open(k, os.O_RDONLY | os.O_DIRECTORY)) for k in inner]
    try:
        _mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=755")
        for target, fd in fds:
            os.makedirs(target, mode=0o755, exist_ok=True)
            _mount(f"/proc/self/fd/{fd}", target, None, MS_BIND | MS_REC, None)
            _mount(None, target, None, MS_REMOUNT | MS_BIND | MS_RDONLY, None)
        _mount(None, path, None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, None)
    finally:
        for _target, fd in fds:
            os.close(fd)


def _namespaces(spec: SandboxSpec, notes: list[str]) -> str:
    """Private network and mounts; returns the folder to work in (maybe remapped)."""
    flags = CLONE_NEWNS | CLONE_NEWNET
    if os.geteuid() != 0:
        uid, gid = os.geteuid(), os.getegid()
        _libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)  # /proc/self/uid_map must be ours to write
        if _libc.unshare(CLONE_NEWUSER | flags) != 0:
            notes.append(
                f"no namespaces: {os.strerror(ctypes.get_errno())} (network and paths not hidden)"
            )
            return spec.workdir
        with contextlib.suppress(OSError):
            _write("/proc/self/setgroups", "deny")
        _write("/proc/self/uid_map", f"0 {uid} 1")
        _write("/proc/self/gid_map", f"0 {gid} 1")
        notes.append("user namespace")
    elif _libc.unshare(flags) != 0:
        notes.append(
            f"no namespaces: {os.strerror(ctypes.get_errno())} (network and paths not hidden)"
        )
        return spec.workdir
    notes.append("network namespace (no network)")
    try:
        _mount(None, "/", None, MS_REC | MS_PRIVATE, None)
    except OSError as exc:
        notes.append(f"mounts shared, paths not hidden: {exc}")
        return spec.workdir
    hidden: list[str] = []
    keep = _software_paths()
    for path in spec.hide_paths:
        path = os.path.abspath(path)
        if not os.path.lexists(path) or os.path.commonpath([path, spec.workdir]) == path:
            continue
        try:
            if os.path.isdir(path):
                _hide_dir(path, keep)
            else:
                _mount("/dev/null", path, None, MS_BIND, None)
            hidden.append(path)
        except OSError as exc:
            notes.append(f"could not hide {path}: {exc.strerror}")
    workdir = spec.workdir
    # Replace /tmp (other attempts, other users' scratch) by an empty tmpfs holding only
    # this attempt's folder, bound at SANDBOX_WORKDIR.
    fd = os.open(spec.workdir, os.O_RDONLY | os.O_DIRECTORY)
    try:
        _mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=64m,mode=1777")
        os.mkdir(SANDBOX_WORKDIR, 0o755)
        _mount(f"/proc/self/fd/{fd}", SANDBOX_WORKDIR, None, MS_BIND | MS_REC, None)
        workdir = SANDBOX_WORKDIR
        hidden.append("/tmp")
    except OSError as exc:
        notes.append(f"/tmp not replaced: {exc.strerror}")
    finally:
        os.close(fd)
    for shm in ("/dev/shm", "/var/tmp"):
        if os.path.isdir(shm):
            try:
                _mount("tmpfs", shm, "tmpfs", MS_NOSUID | MS_NODEV, "size=64m,mode=1777")
                hidden.append(shm)
            except OSError:
                pass
    try:
        # a private /proc that shows the sandbox user only its own processes
        _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "hidepid=invisible")
        hidden.append("other processes in /proc")
    except OSError as exc:
        notes.append(f"/proc not private: {exc.strerror}")
    notes.append("mount namespace hiding " + ", ".join(hidden))
    return workdir


def _limits(spec: SandboxSpec, notes: list[str]) -> None:
    memory = _vm_size() + spec.memory_bytes
    for limit in (resource.RLIMIT_AS, resource.RLIMIT_DATA):
        resource.setrlimit(limit, (memory, memory))
    resource.setrlimit(resource.RLIMIT_FSIZE, (spec.max_file_bytes, spec.max_file_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (spec.cpu_seconds, spec.cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_NPROC, (spec.max_processes, spec.max_processes))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a too-large write fails instead of killing
    notes.append(
        f"limits: address space {memory // 2**20} MiB, {spec.max_processes} processes, "
        f"files {spec.max_file_bytes // 2**20} MiB, CPU {spec.cpu_seconds} s"
    )


def _drop_namespace_root(notes: list[str]) -> None:
    """Leave the user namespace that owns our mounts, for a nested one that owns nothing.

    Without root, the hiding mounts live in a mount namespace owned by our own user
    namespace, where we are "root" and could unmount them again. In a nested user
    namespace (uid 1000 there) we keep no capability over that mount namespace, and any
    mount namespace learner code creates copies our mounts as locked.
    """
    if _libc.unshare(CLONE_NEWUSER) != 0:
        raise OSError(ctypes.get_errno(), "unshare(CLONE_NEWUSER) for the unprivileged user")
    _write("/proc/self/setgroups", "deny")
    _write("/proc/self/uid_map", "1000 0 1")
    _write("/proc/self/gid_map", "1000 0 1")
    notes.append("unprivileged in a nested user namespace (uid 1000)")


def enter_sandbox(spec: SandboxSpec) -> tuple[str, list[str]]:
    """Isolate the current (freshly forked) process; returns (cwd, notes). Raises SandboxError."""
    notes: list[str] = []
    try:
        os.setsid()
        _close_fds(spec.keep_fds)
    except OSError as exc:
        raise SandboxError(f"process setup failed: {exc}") from exc
    workdir = _namespaces(spec, notes)
    try:
        _limits(spec, notes)
        if "user namespace" in notes:
            _drop_namespace_root(notes)
        if spec.uid is not None:
            os.setgroups([])
            os.setresgid(spec.uid, spec.uid, spec.uid)
            os.setresuid(spec.uid, spec.uid, spec.uid)
            if os.getuid() != spec.uid or os.geteuid() != spec.uid:
                raise SandboxError("the uid did not change")
            notes.append(f"uid {spec.uid}")
            # a uid switch makes the process non-dumpable, which would hide the learner's own
            # processes from it (and from the end-of-notebook count) in the hidepid /proc;
            # the uid is the attempt's alone, and RLIMIT_CORE is 0, so dumpable is harmless
            _check(_libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0), "prctl(DUMPABLE)")
        _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(NO_NEW_PRIVS)")
        # after the uid switch, which clears it: die with the zygote
        _check(_libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "prctl(PDEATHSIG)")
    except (OSError, ValueError) as exc:
        raise SandboxError(f"limits or user switch failed: {exc}") from exc
    cwd = os.path.join(workdir, spec.cwd)
    os.environ.clear()
    os.environ.update(
        {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": workdir,
            "TMPDIR": "/tmp",
            "LANG": "C.UTF-8",
            "MASTERY_NB_GRADING": "1",
            "NBGRADER_EXECUTION": "autograde",  # as `nbgrader autograde` sets it
            "MPLBACKEND": "Agg",
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
        }
    )
    os.chdir(cwd)
    return cwd, notes


# -- the grader side: uids and cleanup --------------------------------------------------


@dataclass
class UidLease:
    """A sandbox uid held for the life of one zygote (an flock, released by closing)."""

    uid: int
    fd: int

    def release(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.fd)


def lease_uid(base: int, count: int) -> UidLease:
    """Take the first free uid of ``[base, base + count)`` across every grader on this machine."""
    # one folder for every grader on the machine, whatever its TMPDIR
    folder = Path("/run/mastery-nb-uids") if os.path.isdir("/run") else Path("/tmp/mastery-nb-uids")
    folder.mkdir(mode=0o700, exist_ok=True)
    for uid in range(base, base + count):
        fd = os.open(folder / f"{uid}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue
        return UidLease(uid, fd)
    raise SandboxError(f"no free sandbox uid in {base}..{base + count - 1}")


def kill_uid(uid: int, rounds: int = 3) -> None:
    """SIGKILL every process of ``uid``, however it escaped its session or process group.

    A helper switches to ``uid`` and calls ``kill(-1, SIGKILL)``, which reaches exactly the
    processes that uid owns (a fork bomb can race one call, hence a few rounds).
    """
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the helper
        try:
            os.setgroups([])
            os.setresgid(uid, uid, uid)
            os.setresuid(uid, uid, uid)
            for _ in range(rounds):
                with contextlib.suppress(OSError):
                    os.kill(-1, signal.SIGKILL)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def _own_children() -> list[int]:
    """Processes whose parent is this process (as a subreaper: every leftover descendant)."""
    me = os.getpid()
    found: list[int] = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2 :].split()
        if len(fields) > 1 and int(fields[1]) == me:
            found.append(int(entry))
    return found


def set_parent_death_signal() -> None:
    """SIGKILL this process when its parent (the zygote) dies."""
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def become_subreaper() -> None:
    """Orphaned descendants of our children re-parent to us, so we can see and reap them."""
    _libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def kill_all_descendants(pid: int, uid: int | None, timeout: float = 10.0) -> tuple[int, int]:
    """Kill ``pid``'s session and everything it left, reap all; returns (status, leftovers).

    The caller must be a subreaper (:func:`become_subreaper`) with no other children, so
    "no child left to wait for" proves that nothing of the submission survived.
    ``leftovers`` counts the processes that had to be killed besides ``pid`` itself.
    """
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGKILL)
    status = -1
    with contextlib.suppress(ChildProcessError):
        status = os.waitpid(pid, 0)[1]
    leftovers = 0
    deadline = time.monotonic() + timeout
    killed_uid = False
    while True:
        try:
            reaped, wait_status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if reaped == pid:
            status = wait_status
            continue
        if reaped:
            leftovers += 1
            continue
        if uid is not None and not killed_uid:
            kill_uid(uid)
            killed_uid = True
            continue
        for child in _own_children():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(child, signal.SIGKILL)
        if time.monotonic() > deadline:
            break
        time.sleep(0.001)
        if uid is not None:
            kill_uid(uid, rounds=1)
    return status, leftovers

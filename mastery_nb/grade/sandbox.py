"""The operating-system side of isolation, applied in the forked child before student code.

Order matters and is the whole design (docs/security.md explains each choice):

1. a new session (so the grader can signal the child's whole process group);
2. every file descriptor closed but the grader's socket; stdio on ``/dev/null``;
3. new mount, network, IPC and UTS namespaces (``unshare``) and a root built for the child
   (:mod:`mastery_nb.grade.rootfs`): an allow-list of the Python environment, the system
   folders a kernel needs and the attempt's folder, nothing else of the host; no network;
   SysV IPC objects and POSIX shared memory die with the namespaces. As a non-root
   grader, a user namespace makes this possible where the kernel allows it;
4. resource limits (memory, processes, file size, CPU, no core dumps);
5. as root, a dedicated unprivileged uid/gid (one per concurrently running child),
   ``no_new_privs``, and not dumpable, so nothing can regain privileges and no process
   can read this one's memory (``/proc/<pid>/mem``, ``process_vm_readv``);
6. a clean environment and the working folder.

Steps 1, 2, 4 and 5 are mandatory: if one fails the child refuses to run student code.
Namespaces are best effort where the kernel forbids them; what was applied is reported
back and recorded with the result.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import resource
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

from mastery_nb.grade.libc import check, libc
from mastery_nb.grade.rootfs import SANDBOX_WORKDIR, RootPlan, build_root
from mastery_nb.grade.seccomp import install_filter

__all__ = [
    "SANDBOX_WORKDIR",
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
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
PR_SET_NO_NEW_PRIVS = 38
PR_SET_DUMPABLE = 4
PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36

#: uid and gid of the learner inside a nested user namespace (unprivileged grader)
NESTED_UID = 1000


class SandboxError(Exception):
    """A mandatory isolation step failed; student code must not run."""


@dataclass(frozen=True)
class SandboxSpec:
    """Everything the child needs to isolate itself (plain data, sent by the grader)."""

    workdir: str  #: the attempt's folder (mirrors the course folder)
    cwd: str  #: relative to workdir: the notebook's folder
    uid: int | None  #: sandbox uid (root grader) or None
    hide_paths: tuple[str, ...] = ()  #: never shown, even inside an allowed folder
    python_paths: tuple[str, ...] = ()  #: the Python environment (rootfs.python_paths)
    memory_bytes: int = 2 * 1024**3
    max_processes: int = 32
    max_file_bytes: int = 64 * 1024**2
    cpu_seconds: int = 330
    keep_fds: tuple[int, ...] = field(default=())


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


def _namespaces(spec: SandboxSpec, notes: list[str]) -> str:
    """Private mounts, network, IPC and host name, and a root built for the child;
    returns the folder to work in."""
    flags = CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS
    uid = spec.uid if spec.uid is not None else NESTED_UID
    if os.geteuid() != 0:
        outer_uid, outer_gid = os.geteuid(), os.getegid()
        libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)  # /proc/self/uid_map must be ours to write
        if libc.unshare(CLONE_NEWUSER | flags) != 0:
            notes.append(
                f"no namespaces: {os.strerror(ctypes.get_errno())} (network and paths not hidden)"
            )
            return spec.workdir
        with contextlib.suppress(OSError):
            _write("/proc/self/setgroups", "deny")
        _write("/proc/self/uid_map", f"0 {outer_uid} 1")
        _write("/proc/self/gid_map", f"0 {outer_gid} 1")
        notes.append("user namespace")
    elif libc.unshare(flags) != 0:
        notes.append(
            f"no namespaces: {os.strerror(ctypes.get_errno())} (network and paths not hidden)"
        )
        return spec.workdir
    notes.append("network, IPC and UTS namespaces (no network, private SysV IPC)")
    libc.sethostname(b"grader", 6)  # best effort: the host's name is nobody's business
    plan = RootPlan(
        workdir=spec.workdir,
        python=spec.python_paths,
        deny=tuple(os.path.abspath(p) for p in spec.hide_paths),
        uid=uid,
        gid=uid,
    )
    try:
        workdir = build_root(plan)
    except OSError as exc:
        raise SandboxError(f"the sandbox's root could not be built: {exc}") from exc
    notes.extend(plan.notes)
    notes.append("own root: the Python environment, system folders and the attempt's folder only")
    return workdir


def _limits(spec: SandboxSpec, notes: list[str], vm_size: int) -> None:
    memory = vm_size + spec.memory_bytes
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


def _write_at(proc: int, name: str, text: str) -> None:
    fd = os.open(name, os.O_WRONLY, dir_fd=proc)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)


def _drop_namespace_root(notes: list[str], proc: int) -> None:
    """Leave the user namespace that owns our mounts, for a nested one that owns nothing.

    Without root, the hiding mounts live in a mount namespace owned by our own user
    namespace, where we are "root" and could unmount them again. In a nested user
    namespace (uid 1000 there) we keep no capability over that mount namespace, and any
    mount namespace learner code creates copies our mounts as locked.
    """
    if libc.unshare(CLONE_NEWUSER) != 0:
        raise OSError(ctypes.get_errno(), "unshare(CLONE_NEWUSER) for the unprivileged user")
    # the new root may have no /proc: write through the host's, opened before the pivot
    _write_at(proc, "self/setgroups", "deny")
    _write_at(proc, "self/uid_map", f"{NESTED_UID} 0 1")
    _write_at(proc, "self/gid_map", f"{NESTED_UID} 0 1")
    notes.append("unprivileged in a nested user namespace (uid 1000)")


def enter_sandbox(spec: SandboxSpec) -> tuple[str, list[str]]:
    """Isolate the current (freshly forked) process; returns (cwd, notes). Raises SandboxError."""
    notes: list[str] = []
    try:
        os.setsid()
        _close_fds(spec.keep_fds)
    except OSError as exc:
        raise SandboxError(f"process setup failed: {exc}") from exc
    vm_size = _vm_size()
    proc = os.open("/proc", os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        workdir = _namespaces(spec, notes)
        _limits(spec, notes, vm_size)
        if "user namespace" in notes:
            _drop_namespace_root(notes, proc)
        if spec.uid is not None:
            os.setgroups([])
            os.setresgid(spec.uid, spec.uid, spec.uid)
            os.setresuid(spec.uid, spec.uid, spec.uid)
            if os.getuid() != spec.uid or os.geteuid() != spec.uid:
                raise SandboxError("the uid did not change")
            notes.append(f"uid {spec.uid}")
        # not dumpable: /proc/<pid>/mem, /fd, /environ become root's, and no other process
        # (a learner's subprocess included) may read this one's memory; forks inherit it
        check(libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), "prctl(DUMPABLE)")
        check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(NO_NEW_PRIVS)")
        # after the uid switch, which clears it: die with the zygote
        check(libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "prctl(PDEATHSIG)")
        # the only Python signal handler this process will ever have: after the filter
        # nothing can install one (a handler would receive the grading code's frames)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        if install_filter():
            notes.append("seccomp: no memfd, namespaces, mounts, ptrace or other processes' memory")
        else:  # pragma: no cover - other machines
            notes.append(f"no seccomp filter on {os.uname().machine}")
    except (OSError, ValueError) as exc:
        raise SandboxError(f"limits or user switch failed: {exc}") from exc
    finally:
        os.close(proc)
    cwd = os.path.join(workdir, spec.cwd)
    os.environ.clear()
    os.environ.update(
        {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": workdir,
            "TMPDIR": "/tmp",
            "LANG": "C.UTF-8",
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
    try:  # the kernel's list (CONFIG_PROC_CHILDREN); this process has one thread
        with open(f"/proc/self/task/{me}/children", "rb") as listed:
            return [int(pid) for pid in listed.read().split()]
    except OSError:
        pass
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


def killed_alone(pid: int, keep: int | None = None) -> bool:
    """SIGKILL ``pid`` and its process group; True when, by the kernel's lists, no other
    process of it exists: it has no child and this subreaper has none but ``pid`` and
    ``keep``. False whenever that cannot be read (then reap it all with
    :func:`kill_all_descendants`).

    Once SIGKILL is pending, ``pid`` runs no more code and its fork fails, so a child it
    made before is in one of the two lists: its own children, or (orphaned) ours.
    """
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
    try:
        os.kill(pid, signal.SIGKILL)
        with open(f"/proc/{pid}/task/{pid}/children", "rb") as listed:
            theirs = listed.read().split()
    except OSError:
        return False
    return not theirs and set(_own_children()) <= {pid, keep}


def set_parent_death_signal() -> None:
    """SIGKILL this process when its parent (the zygote) dies."""
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def become_subreaper() -> None:
    """Orphaned descendants of our children re-parent to us, so we can see and reap them."""
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def kill_all_descendants(
    pid: int, uid: int | None, timeout: float = 10.0, keep: int | None = None
) -> tuple[int, int]:
    """Kill ``pid``'s session and everything it left, reap all; returns (status, leftovers).

    The caller must be a subreaper (:func:`become_subreaper`) whose only other child may
    be ``keep`` (the spare, not yet sandboxed), so "no child left but ``keep``" proves that
    nothing of the submission survived. ``leftovers`` counts the processes that had to be
    killed besides ``pid`` itself.
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
        if keep is not None and set(_own_children()) <= {keep}:
            break
        if uid is not None and not killed_uid:
            kill_uid(uid)
            killed_uid = True
            continue
        for child in _own_children():
            if child != keep:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(child, signal.SIGKILL)
        if time.monotonic() > deadline:
            break
        time.sleep(0.001)
        if uid is not None:
            kill_uid(uid, rounds=1)
    return status, leftovers

"""The child's filesystem: a root built for it, an allow-list, never a copy of the host.

The child (already in its own mount namespace) mounts an empty tmpfs, puts into it only
what a Python kernel needs, and makes it its root with ``pivot_root``; the host's tree is
then detached, so nothing else of the host exists for it, whatever lives where (a course
repository with its ``.git``, other copies of the course, data folders, the instructor's
home). What it gets:

- the Python environment, wherever it is installed (``/tmp``, ``/opt``, ``/home``, a conda
  prefix): every prefix of the interpreter and the packages the zygote imported from
  folders outside them, read-only, at their paths (and their real paths, when symlinked);
- the system folders a kernel needs, read-only: ``/usr`` and the ``/bin``, ``/lib*``
  links or folders, a few files of ``/etc`` (``passwd``, ``group`` and ``hosts`` are
  written for the sandbox, the host's are never shown);
- ``/dev`` with ``null``, ``zero``, ``full``, ``random``, ``urandom`` and an empty
  ``shm``; a private ``/proc``; an empty ``/tmp`` holding only the attempt's folder at
  ``/tmp/work``; an empty ``/run`` (with ``lock``); nothing survives the namespace.

Every writable place is mounted ``noexec``: learner code cannot map a file it wrote as
executable (no native code of its own). Paths in the deny list (the bundle, the store,
the course sources) are never shown, even when an allowed folder contains them.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import stat
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field

from mastery_nb.grade.libc import check, libc

__all__ = ["SANDBOX_WORKDIR", "RootPlan", "build_root", "python_paths"]

MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_REMOUNT = 32
MS_NOATIME = 1024
MS_NODIRATIME = 2048
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18
MS_RELATIME = 1 << 21
MNT_DETACH = 2

ST_RDONLY = 1
ST_NOSUID = 2
ST_NODEV = 4
ST_NOEXEC = 8
ST_NOATIME = 1024
ST_NODIRATIME = 2048
ST_RELATIME = 4096

_SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41, "riscv64": 41, "ppc64le": 203, "s390x": 217}

#: Where the child sees its working folder.
SANDBOX_WORKDIR = "/tmp/work"

#: Top-level system entries a kernel needs (folders or, on merged-/usr systems, links).
_SYSTEM = ("usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32")
#: Files and folders of /etc that libraries read; nothing with secrets or site config.
_ETC = (
    "alternatives",
    "ld.so.cache",
    "ld.so.conf",
    "ld.so.conf.d",
    "localtime",
    "timezone",
    "mime.types",
    "fonts",
    "ssl",
    "ca-certificates",
    "os-release",
    "debian_version",
    "locale.alias",
    "matplotlibrc",
    "protocols",
    "services",
)
_DEVICES = ("null", "zero", "full", "random", "urandom")


def _mount(
    source: str | None, target: str, fstype: str | None, flags: int, data: str | None
) -> None:
    check(
        libc.mount(
            source.encode() if source else None,
            target.encode(),
            fstype.encode() if fstype else None,
            ctypes.c_ulong(flags),
            data.encode() if data else None,
        ),
        f"mount {target}",
    )


def _locked_flags(path: str) -> int:
    """The per-mount flags of ``path``'s mount that a remount must keep (in a user namespace
    the kernel refuses a remount that would clear them)."""
    try:
        found = os.statvfs(path).f_flag
    except OSError:
        return 0
    flags = 0
    for st, ms in (
        (ST_NOSUID, MS_NOSUID),
        (ST_NODEV, MS_NODEV),
        (ST_NOEXEC, MS_NOEXEC),
        (ST_NOATIME, MS_NOATIME),
        (ST_NODIRATIME, MS_NODIRATIME),
        (ST_RELATIME, MS_RELATIME),
    ):
        if found & st:
            flags |= ms
    return flags


def _under(path: str, folders: Iterable[str]) -> bool:
    return any(path == f or path.startswith(f.rstrip("/") + "/") for f in folders)


def python_paths() -> tuple[str, ...]:
    """What of this interpreter's environment the child must see (called in the zygote).

    Every prefix (``sys.prefix``, ``sys.base_prefix``, ``sys.exec_prefix``) and every
    ``site-packages`` folder, as given and as its real path; another ``sys.path`` entry
    (``PYTHONPATH``, an editable install's checkout) only as the packages imported from it,
    never as a whole (it may be a course repository holding solutions); likewise every
    imported module's package found outside them.
    """
    roots: set[str] = set()
    for prefix in {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}:
        for path in (os.path.abspath(prefix), os.path.realpath(prefix)):
            if path != "/" and not _under(path, ("/usr",)) and os.path.isdir(path):
                roots.add(path)
    import site

    for folder in [*site.getsitepackages(), site.getusersitepackages(), *sys.path]:
        # site-packages folders anywhere (a venv built on another's, a .pth pointing at
        # one): an environment, never a course repository
        if os.path.basename(folder.rstrip("/")) in ("site-packages", "dist-packages"):
            for path in (os.path.abspath(folder), os.path.realpath(folder)):
                if os.path.isdir(path) and not _under(path, ("/usr",)):
                    roots.add(path)
    extra: set[str] = set()
    covered = (*roots, "/usr")
    for entry in sys.path:
        if entry and os.path.isfile(entry) and not _under(os.path.realpath(entry), covered):
            extra.add(os.path.realpath(entry))  # a zip archive on the path
    for name, module in list(sys.modules.items()):
        if name == "__main__":
            continue
        filename = getattr(module, "__file__", None)
        if not isinstance(filename, str) or not os.path.isabs(filename):
            continue
        real = os.path.realpath(filename)
        if _under(real, covered) or not os.path.exists(real):
            continue
        folder = os.path.dirname(real)
        if not os.path.isfile(os.path.join(folder, "__init__.py")):
            extra.add(real)  # a top-level module file
            continue
        while os.path.isfile(os.path.join(os.path.dirname(folder), "__init__.py")):
            folder = os.path.dirname(folder)
        extra.add(folder)  # the outermost package
    paths = sorted(roots | extra)
    # keep the outermost of nested paths
    kept: list[str] = []
    for path in paths:
        if not _under(path, kept):
            kept.append(path)
    return tuple(kept)


@dataclass
class RootPlan:
    """What to show the child, resolved on the host before anything is mounted."""

    workdir: str
    python: tuple[str, ...]
    deny: tuple[str, ...]
    uid: int
    gid: int
    notes: list[str] = field(default_factory=list)


@dataclass
class _Source:
    target: str  #: where it appears in the new root
    fd: int  #: an O_PATH descriptor of what is shown
    kind: str  #: "dir", "file"
    flags: int  #: locked flags of its mount
    writable: bool = False


def _open(path: str) -> int:
    return os.open(path, os.O_PATH | os.O_CLOEXEC)


def _make_target(root: str, target: str, is_dir: bool) -> str:
    where = root + target
    os.makedirs(where if is_dir else os.path.dirname(where), mode=0o755, exist_ok=True)
    if not is_dir and not os.path.lexists(where):
        os.close(os.open(where, os.O_CREAT | os.O_WRONLY, 0o644))
    return where


def _bind(root: str, source: _Source) -> None:
    where = _make_target(root, source.target, source.kind == "dir")
    _mount(f"/proc/self/fd/{source.fd}", where, None, MS_BIND | MS_REC, None)
    flags = MS_REMOUNT | MS_BIND | MS_NOSUID | source.flags
    if not source.writable:
        flags |= MS_RDONLY
    else:
        flags |= MS_NODEV | MS_NOEXEC
    _mount(None, where, None, flags, None)


def _write_file(root: str, path: str, text: str, mode: int = 0o644) -> None:
    where = _make_target(root, path, False)
    with open(where, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(where, mode)


def _symlink_like(root: str, path: str) -> bool:
    """Recreate a host symlink (``/bin -> usr/bin``) in the new root; True if it was one."""
    if not os.path.islink(path):
        return False
    where = root + path
    os.makedirs(os.path.dirname(where), exist_ok=True)
    os.symlink(os.readlink(path), where)
    return True


def _collect(plan: RootPlan) -> tuple[list[_Source], list[str]]:
    """Open everything to show while the host tree is still visible."""
    sources: list[_Source] = []
    links: list[str] = []
    seen: set[str] = set()

    def add(path: str, target: str | None = None, writable: bool = False) -> None:
        target = target or path
        if target in seen or not os.path.lexists(path):
            return
        if _under(os.path.realpath(path), plan.deny) or _under(path, plan.deny):
            plan.notes.append(f"not shown (private): {path}")
            return
        try:
            info = os.stat(path)
            fd = _open(path)
        except OSError:
            return
        seen.add(target)
        kind = "dir" if stat.S_ISDIR(info.st_mode) else "file"
        if kind == "dir" and not writable and info.st_mode & 0o005 != 0o005:
            # a folder the learner's uid may not enter (``mktemp -d`` makes a venv 0700):
            # bound as it is, everything in it would vanish for the child. Show what it
            # holds instead, each in a folder the new root makes 0755.
            os.close(fd)
            plan.notes.append(f"shown item by item (mode {info.st_mode & 0o777:o}): {path}")
            with os.scandir(path) as entries:
                names = sorted(entry.name for entry in entries)
            for name in names:
                add(os.path.join(path, name), os.path.join(target, name))
            return
        sources.append(_Source(target, fd, kind, _locked_flags(path), writable))

    for name in _SYSTEM:
        path = "/" + name
        if os.path.islink(path):
            links.append(path)
        else:
            add(path)
    for name in _ETC:
        path = "/etc/" + name
        if os.path.islink(path):
            links.append(path)
        else:
            add(path)
    for path in plan.python:
        add(path)
        real = os.path.realpath(path)
        if real != path:
            add(real)
    add(plan.workdir, SANDBOX_WORKDIR, writable=True)
    return sources, links


def _populate(root: str, plan: RootPlan, sources: list[_Source], links: list[str]) -> None:
    for path in links:
        _symlink_like(root, path)
    # scratch space first: an environment under /tmp is then bound over the empty /tmp
    scratch = MS_NOSUID | MS_NODEV | MS_NOEXEC
    for folder, size in (("/dev/shm", "64m"), ("/tmp", "64m"), ("/run", "1m")):
        os.makedirs(root + folder, mode=0o755, exist_ok=True)
        _mount("tmpfs", root + folder, "tmpfs", scratch, f"size={size},mode=1777")
    os.mkdir(root + "/run/lock", 0o1777)
    os.chmod(root + "/run/lock", 0o1777)
    os.makedirs(root + "/var", mode=0o755, exist_ok=True)
    os.symlink("/tmp", root + "/var/tmp")
    # the most general first, so that a path inside another is bound over it
    for source in sorted(sources, key=lambda s: s.target.count("/")):
        _bind(root, source)
    _write_file(
        root,
        "/etc/passwd",
        f"root:x:0:0:root:/root:/bin/sh\n"
        f"learner:x:{plan.uid}:{plan.gid}:learner:{SANDBOX_WORKDIR}:/bin/sh\n",
    )
    _write_file(root, "/etc/group", f"root:x:0:\nlearner:x:{plan.gid}:\n")
    _write_file(root, "/etc/hosts", "127.0.0.1 localhost\n::1 localhost\n")
    _write_file(root, "/etc/hostname", "grader\n")
    _write_file(root, "/etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files\n")
    # /dev: a few devices, no disks, no terminals
    for name in _DEVICES:
        if os.path.exists("/dev/" + name):
            where = _make_target(root, "/dev/" + name, False)
            _mount("/dev/" + name, where, None, MS_BIND, None)
    for name, target in (
        ("fd", "/proc/self/fd"),
        ("stdin", "/proc/self/fd/0"),
        ("stdout", "/proc/self/fd/1"),
        ("stderr", "/proc/self/fd/2"),
    ):
        os.symlink(target, f"{root}/dev/{name}")
    os.makedirs(root + "/proc", mode=0o555, exist_ok=True)


def _mount_proc(root: str, plan: RootPlan) -> None:
    """A private /proc, showing the child only its own processes.

    Without the right to mount one (a user namespace without its own PID namespace) there
    is no /proc at all: the host's would show other processes, and the grader's memory to a
    learner running as the grader's user.
    """
    try:
        _mount(
            "proc", root + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "hidepid=invisible"
        )
    except OSError as exc:
        plan.notes.append(f"no /proc (a private one cannot be mounted here: {exc.strerror})")


def _pivot(root: str) -> None:
    number = _SYS_PIVOT_ROOT.get(os.uname().machine)
    if number is None:
        check(libc.chroot(root.encode()), "chroot")  # pragma: no cover - other machines
        os.chdir("/")
        return
    os.chdir(root)
    check(libc.syscall(number, b".", b"."), "pivot_root")
    check(libc.umount2(b".", MNT_DETACH), "detach the host's root")
    os.chdir("/")


def build_root(plan: RootPlan) -> str:
    """Replace this process's root with a fresh one holding only the allow-list.

    Must run in a private mount namespace. Returns the working folder's path in the new
    root. Raises OSError when a step fails (the caller refuses to run student code).
    """
    _mount(None, "/", None, MS_REC | MS_PRIVATE, None)
    sources, links = _collect(plan)
    try:
        # any folder will do as the mount point of the new root: we are in our own namespace,
        # and everything shown was opened above, so covering it here does not matter
        staging = "/tmp"
        _mount("tmpfs", staging, "tmpfs", MS_NOSUID | MS_NODEV, "size=4m,mode=755")
        _populate(staging, plan, sources, links)
        _mount_proc(staging, plan)
    finally:
        for source in sources:
            with contextlib.suppress(OSError):
                os.close(source.fd)
    _pivot(staging)
    _mount(None, "/", None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, None)
    return SANDBOX_WORKDIR

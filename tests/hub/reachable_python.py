"""JupyterHub's ``LocalProcessSpawner``, for a Python that other users cannot reach.

The multi-user tests run each user's JupyterLab as that user with the test's own Python.
When that Python lives in a folder other users cannot enter (pyenv under ``/root``, as on
the project's build machine; a venv in a private home; CI's venv from ``mktemp -d``,
itself ``0700``), their server could not even start.
Then, before switching to the user, the server's process enters a private mount namespace
in which each such folder is covered by an empty read-only tmpfs that shows the Python
installation and its packages again, read-only, and nothing else: what the grader's
sandbox did for the same reason before its root became an allow-list (docs/security.md);
what to show is the grader's own list (``mastery_nb.grade.rootfs.python_paths``).
Where every user can reach the Python already, this is JupyterHub's spawner unchanged.

A real deployment installs Python where its users can read it (The Littlest JupyterHub:
``/opt/tljh/user``; Kubernetes: the image) and needs none of this.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import stat
from collections.abc import Callable
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner

from mastery_nb.grade.rootfs import python_paths

__all__ = ["ReachablePythonSpawner", "closed_folders", "enter_reachable_python"]

CLONE_NEWNS = 0x00020000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REMOUNT = 1, 2, 4, 32
MS_BIND, MS_REC, MS_PRIVATE = 4096, 16384, 1 << 18
_libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)


def _mount(
    source: str | None, target: str, fstype: str | None, flags: int, data: str | None
) -> None:
    encoded = [x.encode() if x else None for x in (source, target, fstype)]
    if _libc.mount(*encoded, ctypes.c_ulong(flags), data.encode() if data else None) != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"mount {target}: {os.strerror(error)}")


def _closed(folder: str) -> bool:
    return os.path.isdir(folder) and not os.stat(folder).st_mode & stat.S_IXOTH


def closed_folders(paths: tuple[str, ...]) -> list[str]:
    """The outermost folders on the way to ``paths``, or at them, that other users cannot
    enter (a venv made by ``mktemp -d`` is itself ``0700``)."""
    closed: list[str] = []
    for path in paths:
        for folder in [*reversed(Path(path).parents), Path(path)]:
            if str(folder) == "/":
                continue
            if _closed(str(folder)):
                if not any(str(folder) == c or str(folder).startswith(c + "/") for c in closed):
                    closed.append(str(folder))
                break
    return closed


def _shown(folder: str, keep: tuple[str, ...]) -> list[str]:
    """What to show again under the cover of ``folder``: the ``keep`` paths under it, or,
    when ``folder`` is itself to be kept, everything in it (each entry keeps its own mode)."""
    if folder in keep:
        return [os.path.join(folder, entry) for entry in sorted(os.listdir(folder))]
    return [k for k in keep if k.startswith(folder.rstrip("/") + "/")]


def _cover(folder: str, keep: tuple[str, ...]) -> None:
    """An empty read-only tmpfs over ``folder``, showing the ``keep`` paths under it again."""
    inner = _shown(folder, keep)
    links = {k: os.readlink(k) for k in inner if os.path.islink(k)}  # a venv's lib64 -> lib
    fds = [(k, os.open(k, os.O_RDONLY)) for k in inner if k not in links]  # before the cover
    try:
        _mount("tmpfs", folder, "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=755")
        for link, destination in links.items():
            os.makedirs(os.path.dirname(link), mode=0o755, exist_ok=True)
            os.symlink(destination, link)
        for target, fd in fds:
            if os.path.isdir(f"/proc/self/fd/{fd}"):
                os.makedirs(target, mode=0o755, exist_ok=True)
            else:
                os.makedirs(os.path.dirname(target), mode=0o755, exist_ok=True)
                open(target, "a").close()  # a mount point for a file
            _mount(f"/proc/self/fd/{fd}", target, None, MS_BIND | MS_REC, None)
            _mount(None, target, None, MS_REMOUNT | MS_BIND | MS_RDONLY, None)
        _mount(None, folder, None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, None)
    finally:
        for _target, fd in fds:
            os.close(fd)


def reachable_python() -> tuple[tuple[str, ...], list[str]]:
    """(what of this Python to show, the closed folders to cover); run before forking."""
    here = os.path.realpath(os.getcwd())  # never the hub's own folder
    keep = tuple(p for p in python_paths() if p != here)
    return keep, closed_folders(keep)


def enter_reachable_python(keep: tuple[str, ...], closed: list[str]) -> None:
    """In a forked child, as root: a private mount namespace showing the Python to anyone."""
    if not closed:
        return
    if _libc.unshare(CLONE_NEWNS) != 0:
        raise OSError(ctypes.get_errno(), "unshare(CLONE_NEWNS)")
    _mount(None, "/", None, MS_REC | MS_PRIVATE, None)
    for folder in closed:
        _cover(folder, keep)


class ReachablePythonSpawner(LocalProcessSpawner):  # type: ignore[misc]
    """Each user's server as that OS user, with this Python reachable (see the module)."""

    def make_preexec_fn(self, name: str) -> Callable[[], None]:
        become_user = super().make_preexec_fn(name)
        keep, closed = reachable_python()

        def preexec() -> None:
            enter_reachable_python(keep, closed)
            become_user()

        return preexec

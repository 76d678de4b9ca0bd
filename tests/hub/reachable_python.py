"""JupyterHub's ``LocalProcessSpawner``, for a Python that other users cannot reach.

The multi-user tests run each user's JupyterLab as that user with the test's own Python.
When that Python lives in a folder other users cannot enter (pyenv under ``/root``, as on
the project's build machine; a venv in a private home), their server could not even start.
Then, before switching to the user, the server's process enters a private mount namespace
in which each such folder is covered by an empty read-only tmpfs that shows the Python
installation and its packages again, read-only, and nothing else: what the grader's
sandbox does for the same reason (``mastery_nb.grade.sandbox``, docs/security.md).
Where every user can reach the Python already, this is JupyterHub's spawner unchanged.

A real deployment installs Python where its users can read it (The Littlest JupyterHub:
``/opt/tljh/user``; Kubernetes: the image) and needs none of this.
"""

from __future__ import annotations

import ctypes
import os
import stat
from collections.abc import Callable
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner

from mastery_nb.grade.sandbox import (
    CLONE_NEWNS,
    MS_PRIVATE,
    MS_REC,
    _hide_dir,
    _libc,
    _mount,
    _software_paths,
)

__all__ = ["ReachablePythonSpawner", "closed_folders", "enter_reachable_python"]


def software_paths() -> list[str]:
    """The Python installation and its packages (never the current folder: the hub's)."""
    here = os.path.realpath(os.getcwd())
    return [p for p in _software_paths() if p != here]


def closed_folders(paths: list[str]) -> list[str]:
    """The outermost folders on the way to ``paths`` that other users cannot enter."""
    closed: list[str] = []
    for path in paths:
        for folder in reversed(Path(path).parents):
            if str(folder) == "/":
                continue
            if not os.stat(folder).st_mode & stat.S_IXOTH:
                if not any(str(folder).startswith(c + "/") or str(folder) == c for c in closed):
                    closed.append(str(folder))
                break
    return closed


def enter_reachable_python() -> None:
    """In a forked child, as root: a private mount namespace showing the Python to anyone."""
    keep = software_paths()
    hidden = closed_folders(keep)
    if not hidden:
        return
    if _libc.unshare(CLONE_NEWNS) != 0:
        raise OSError(ctypes.get_errno(), "unshare(CLONE_NEWNS)")
    _mount(None, "/", None, MS_REC | MS_PRIVATE, None)
    for folder in hidden:
        _hide_dir(folder, keep)


class ReachablePythonSpawner(LocalProcessSpawner):  # type: ignore[misc]
    """Each user's server as that OS user, with this Python reachable (see the module)."""

    def make_preexec_fn(self, name: str) -> Callable[[], None]:
        become_user = super().make_preexec_fn(name)

        def preexec() -> None:
            enter_reachable_python()
            become_user()

        return preexec

"""The service's secrets on disk, and whether other users of the machine can read them.

On a hub where students' servers run as their own OS users (The Littlest JupyterHub, a
``LocalProcessSpawner``), file modes are what keep a student's notebook away from the
service's files: ``courses/`` (the solutions), ``autograder/`` (the hidden tests) and the
data dir (every submission; the SQLite store). They belong to the service's user with
mode ``0700`` (docs/jupyterhub.md). The service makes a data dir it creates ``0700`` and
says at start which of them another user could read, with the fix; it changes no mode
it did not create.
"""

from __future__ import annotations

import stat
from collections.abc import Mapping
from pathlib import Path

from mastery_nb.root import CourseRoot

__all__ = ["exposed_secrets", "make_data_dirs_private", "open_to_others"]


def open_to_others(path: Path) -> bool:
    """Can a user who is neither the owner nor in the group read what is in ``path``?"""
    try:
        for folder in reversed(path.parents):
            if not folder.stat().st_mode & stat.S_IXOTH:
                return False  # a folder on the way is closed to them
        mode = path.stat().st_mode
    except OSError:
        return False
    if stat.S_ISDIR(mode):
        return bool(mode & (stat.S_IXOTH | stat.S_IROTH))
    return bool(mode & stat.S_IROTH)


def _secrets(courses: Mapping[str, CourseRoot]) -> list[tuple[Path, str]]:
    found: dict[Path, str] = {}
    for root in courses.values():
        found[root.courses_dir] = "the course sources, with the solutions"
        found[root.autograder_dir] = "the grading bundles, with the hidden tests"
        found[root.data_dir] = "the data dir: every submission, and the SQLite store"
        if root.db_url.startswith("sqlite:///"):
            found[Path(root.db_url.removeprefix("sqlite:///"))] = "the SQLite store"
    return sorted(found.items())


def exposed_secrets(courses: Mapping[str, CourseRoot]) -> list[str]:
    """A sentence for each secret another user of this machine could read."""
    return [
        f"{path} ({what}) can be read by other users of this machine "
        f"(mode {stat.filemode(path.stat().st_mode)}): `chmod 700 {path}`, owned by the "
        "service's user, keeps students' notebooks out of it (docs/jupyterhub.md)"
        for path, what in _secrets(courses)
        if path.exists() and open_to_others(path)
    ]


def make_data_dirs_private(courses: Mapping[str, CourseRoot]) -> None:
    """Create each missing data dir readable by the service's user only."""
    for root in courses.values():
        if not root.data_dir.exists():
            root.data_dir.mkdir(parents=True, mode=0o700, exist_ok=True)
            root.data_dir.chmod(0o700)

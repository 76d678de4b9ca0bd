"""The learner's workspace: where a started unit's files live and are read back for submission.

Starting a unit copies the released files of the course (``release/<course>/``) into
``<workspace>/<course>/`` at the same relative paths: the unit's notebooks, ``course.json``,
``checks/``, ``data/``, ``resources/``; other units' notebooks are left for when those
units start. A file that already exists is never overwritten, because it may hold the
learner's work; it is reported as kept. Files are created with ``O_EXCL`` so a concurrent
start cannot clobber a file either.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from mastery_nb.course.model import Course, Unit

__all__ = [
    "MAX_NOTEBOOK_BYTES",
    "StartResult",
    "WorkspaceError",
    "read_unit_notebooks",
    "start_unit",
    "unit_started",
]

#: a submitted notebook larger than this is refused before it reaches the store
MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024
_COPY_CHUNK = 1024 * 1024


class WorkspaceError(Exception):
    """A unit's files cannot be copied or read; ``code`` is machine-readable."""

    def __init__(self, message: str, *, code: str) -> None:
        self.code = code
        super().__init__(message)


@dataclass(frozen=True)
class StartResult:
    """What starting a unit did, with paths relative to the workspace's course folder."""

    copied: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


def _other_units_notebooks(course: Course, unit: Unit) -> set[str]:
    own = set(unit.notebooks)
    return {nb for u in course.units for nb in u.notebooks if nb not in own}


def _safe_relative(path: str) -> PurePosixPath:
    """A manifest path as a relative path that cannot leave its folder."""
    rel = PurePosixPath(path)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise WorkspaceError(
            f"the course manifest names the notebook path {path!r}, which leaves the course folder",
            code="invalid_course",
        )
    return rel


def _copy_exclusive(source: Path, target: Path) -> bool:
    """Copy ``source`` to ``target`` unless ``target`` exists; True when copied."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return False
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as inp:
            while chunk := inp.read(_COPY_CHUNK):
                out.write(chunk)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return True


def start_unit(
    release_dir: Path, workspace_course_dir: Path, course: Course, unit: Unit
) -> StartResult:
    """Copy the unit's released files into the workspace, keeping every file already there."""
    if not release_dir.is_dir():
        raise WorkspaceError(
            f"the released course folder {release_dir} does not exist; run `mastery-nb release` first",
            code="not_released",
        )
    for notebook in unit.notebooks:
        if not (release_dir / _safe_relative(notebook)).is_file():
            raise WorkspaceError(
                f"the released notebook {release_dir / notebook} is missing; run `mastery-nb release` again",
                code="not_released",
            )
    skip = _other_units_notebooks(course, unit)
    result = StartResult()
    for source in sorted(release_dir.rglob("*")):
        if source.is_symlink() or not source.is_file():
            continue  # never follow links out of the release folder
        rel = source.relative_to(release_dir).as_posix()
        if rel in skip:
            continue
        if _copy_exclusive(source, workspace_course_dir / rel):
            result.copied.append(rel)
        else:
            result.kept.append(rel)
    return result


def unit_started(workspace_course_dir: Path, unit: Unit) -> bool:
    """Every notebook of the unit is in the workspace."""
    base = os.fspath(workspace_course_dir)
    return bool(unit.notebooks) and all(
        os.path.isfile(os.path.join(base, _safe_relative(nb))) for nb in unit.notebooks
    )


def read_unit_notebooks(workspace_course_dir: Path, unit: Unit) -> dict[str, bytes]:
    """The unit's notebooks as the learner saved them, keyed by path relative to the course folder."""
    notebooks: dict[str, bytes] = {}
    for notebook in unit.notebooks:
        path = workspace_course_dir / _safe_relative(notebook)
        if path.is_symlink() or not path.is_file():
            raise WorkspaceError(
                f"{notebook} is not in your workspace ({path}); start the unit first",
                code="not_started",
            )
        size = path.stat().st_size
        if size > MAX_NOTEBOOK_BYTES:
            raise WorkspaceError(
                f"{notebook} is {size // (1024 * 1024)} MB, more than the "
                f"{MAX_NOTEBOOK_BYTES // (1024 * 1024)} MB a submission may be; clear large outputs and save",
                code="too_large",
            )
        notebooks[notebook] = path.read_bytes()
    return notebooks

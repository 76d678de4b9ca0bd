"""The learner's workspace: where a started unit's files are written and read back for submission.

Starting a unit writes the files the backend hands over (a
:class:`~mastery_nb.documents.StartReceipt`: the unit's notebooks, ``course.json``,
``checks/``, ``data/``, ``resources/``) into ``<workspace>/<course>/`` at the same relative
paths. A file that already exists is never overwritten, because it may hold the learner's
work; it is reported as kept. Files are created with ``O_EXCL`` so a concurrent start
cannot clobber one either, and no path may leave the course folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from mastery_nb.documents import FileDocument

__all__ = [
    "MAX_NOTEBOOK_BYTES",
    "StartResult",
    "WorkspaceError",
    "read_unit_notebooks",
    "unit_started",
    "write_start_files",
]

#: a submitted notebook larger than this is refused before it leaves the learner's server
MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024


class WorkspaceError(Exception):
    """A unit's files cannot be written or read; ``code`` is machine-readable."""

    def __init__(self, message: str, *, code: str) -> None:
        self.code = code
        super().__init__(message)


@dataclass(frozen=True)
class StartResult:
    """What starting a unit did, with paths relative to the workspace's course folder."""

    copied: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


def _safe_relative(path: str) -> PurePosixPath:
    """A course path as a relative path that cannot leave its folder."""
    rel = PurePosixPath(path)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts or "\\" in path:
        raise WorkspaceError(
            f"the course names the path {path!r}, which leaves the course folder",
            code="invalid_course",
        )
    return rel


def _write_exclusive(target: Path, data: bytes) -> bool:
    """Write ``data`` to ``target`` unless it exists; True when written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    except FileExistsError:
        return False
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return True


def write_start_files(workspace_course_dir: Path, files: Iterable[FileDocument]) -> StartResult:
    """Write the started unit's files into the workspace, keeping every file already there."""
    planned = [(f, _safe_relative(f.path)) for f in files]  # refuse a bad path before writing
    result = StartResult()
    for document, rel in sorted(planned, key=lambda item: item[0].path):
        try:
            data = document.content()
        except ValueError:
            raise WorkspaceError(
                f"the backend sent {document.path} in a form this server cannot read",
                code="bad_answer",
            ) from None
        if _write_exclusive(workspace_course_dir / rel, data):
            result.copied.append(document.path)
        else:
            result.kept.append(document.path)
    return result


def unit_started(workspace_course_dir: Path, notebooks: Sequence[str]) -> bool:
    """Every notebook of the unit is in the workspace."""
    base = os.fspath(workspace_course_dir)
    return bool(notebooks) and all(
        os.path.isfile(os.path.join(base, _safe_relative(nb))) for nb in notebooks
    )


def read_unit_notebooks(workspace_course_dir: Path, notebooks: Sequence[str]) -> dict[str, bytes]:
    """The unit's notebooks as the learner saved them, keyed by path relative to the course folder."""
    found: dict[str, bytes] = {}
    for notebook in notebooks:
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
        found[notebook] = path.read_bytes()
    return found

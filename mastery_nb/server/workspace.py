"""The learner's workspace: where a started unit's files are written and read back for submission.

Starting a unit writes the files the backend hands over (a
:class:`~mastery_nb.documents.StartReceipt`: the unit's notebooks, ``course.json``,
``checks/``, ``data/``, ``resources/``) into ``<workspace>/<course>/`` at the same relative
paths. A file that already exists is never overwritten, because it may hold the learner's
work; it is reported as kept. Files are created with ``O_EXCL`` so a concurrent start
cannot clobber one either, and no path may leave the course folder.

A unit with parallel forms is the exception that proves the rule: when the learner has a
new form (after a graded attempt that did not master the unit), the notebook of their old
form is moved aside, never overwritten (``01-python-basics.ipynb`` becomes
``01-python-basics.form-1.ipynb``), and the new form's notebook takes its place; the form
file (``forms/<unit>.json``, ours, not the learner's work) is replaced.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from mastery_nb.documents import FileDocument
from mastery_nb.forms.notebook import notebook_form
from mastery_nb.forms.values import form_file_path

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
    #: notebooks of an earlier form moved aside: old path -> the path they were moved to
    moved: dict[str, str] = field(default_factory=dict)


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


def _form_of(path: Path) -> tuple[str, int] | None:
    """The (unit, form) a notebook in the workspace says it was made for, if it says so."""
    try:
        if path.stat().st_size > MAX_NOTEBOOK_BYTES:
            return None
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    return notebook_form(data) if isinstance(data, dict) else None


def _aside(target: Path, made: tuple[str, int] | None, form: int) -> Path:
    """A free name beside ``target`` for the notebook of an earlier form."""
    tag = f"form-{made[1]}" if made is not None else f"before-form-{form}"
    for n in range(1, 1000):
        name = f"{target.stem}.{tag}{'' if n == 1 else f'-{n}'}{target.suffix}"
        candidate = target.with_name(name)
        if not candidate.exists():
            return candidate
    raise WorkspaceError(f"no free name beside {target} for your earlier work", code="io_error")


def _move_old_form(course_dir: Path, notebook: str, unit: str, form: int) -> str | None:
    """Move a unit notebook of another form aside (never overwritten); its new path."""
    target = course_dir / _safe_relative(notebook)
    if target.is_symlink() or not target.is_file():
        return None
    made = _form_of(target)
    if made == (unit, form):
        return None
    aside = _aside(target, made, form)
    os.link(target, aside)  # fails rather than replace a file that appeared meanwhile
    os.unlink(target)
    return aside.relative_to(course_dir).as_posix()


def _replace(target: Path, data: bytes) -> None:
    """Write one of our own files (a form file) whole, replacing what was there."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.new")
    temporary.write_bytes(data)
    os.replace(temporary, target)


def write_start_files(
    workspace_course_dir: Path,
    files: Iterable[FileDocument],
    *,
    form: int | None = None,
    unit: str = "",
    notebooks: Sequence[str] = (),
) -> StartResult:
    """Write the started unit's files into the workspace, keeping every file already there.

    With ``form`` (the unit has parallel forms), ``notebooks`` of another form of ``unit``
    are moved aside first and the form file is replaced.
    """
    planned = [(f, _safe_relative(f.path)) for f in files]  # refuse a bad path before writing
    result = StartResult()
    ours = form_file_path(unit) if form is not None else None
    if form is not None:
        for notebook in notebooks:
            moved = _move_old_form(workspace_course_dir, notebook, unit, form)
            if moved is not None:
                result.moved[notebook] = moved
    for document, rel in sorted(planned, key=lambda item: item[0].path):
        try:
            data = document.content()
        except ValueError:
            raise WorkspaceError(
                f"the backend sent {document.path} in a form this server cannot read",
                code="bad_answer",
            ) from None
        if document.path == ours:
            _replace(workspace_course_dir / rel, data)
            result.copied.append(document.path)
        elif _write_exclusive(workspace_course_dir / rel, data):
            result.copied.append(document.path)
        else:
            result.kept.append(document.path)
    return result


def unit_started(
    workspace_course_dir: Path, notebooks: Sequence[str], *, unit: str = "", form: int | None = None
) -> bool:
    """Every notebook of the unit is in the workspace (with ``form``: made for that form of
    ``unit``; a notebook of an earlier form means the learner has yet to start the new one)."""
    base = os.fspath(workspace_course_dir)
    present = bool(notebooks) and all(
        os.path.isfile(os.path.join(base, _safe_relative(nb))) for nb in notebooks
    )
    if not present or form is None:
        return present
    return all(
        _form_of(workspace_course_dir / _safe_relative(nb)) == (unit, form) for nb in notebooks
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

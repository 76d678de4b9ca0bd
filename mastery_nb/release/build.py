"""Building a course's release in memory, then writing it, or comparing it with what is on disk.

The whole output of a release is a pure function of ``courses/<course>/``: two maps from
relative path to bytes (``release/<course>/`` and ``autograder/<course>/``). Building it in
memory first means validation failures leave the previous release untouched, a half-written
release is never visible (the new tree replaces the old one by renames), stale files of a
previous release disappear, and "is the committed release up to date?" is a byte comparison.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nbgrader.utils import compute_checksum

from mastery_nb.course.bundle import BundleCell, FormCell, NotebookBundle, UnitBundle
from mastery_nb.course.labels import cell_labels
from mastery_nb.course.model import Course, GradedNotebook, Placement, Unit
from mastery_nb.course.notebook import (
    cell_objectives,
    grade_id,
    graded_objectives,
    is_graded,
    is_locked,
    is_solution,
    is_task,
    is_test,
    is_tracked,
    points,
    read_notebook,
)
from mastery_nb.errors import MasteryError, Problem
from mastery_nb.forms.learner import preview_form
from mastery_nb.forms.notebook import fill_preview
from mastery_nb.release.student import StudentNotebook, notebook_bytes, student_notebook
from mastery_nb.root import CourseRoot
from mastery_nb.validate.course import validate_course

__all__ = [
    "SUPPORT_FOLDERS",
    "ReleaseOutput",
    "build_release",
    "json_bytes",
    "release_course",
    "stale_files",
    "write_release",
]

#: folders of a course shipped as they are, to students and to the grader
SUPPORT_FOLDERS = ("data", "checks")
_SKIP_NAMES = ("__pycache__", ".ipynb_checkpoints")


@dataclass(frozen=True)
class ReleaseOutput:
    """Everything one release writes, as relative path -> bytes."""

    course: Course
    release: dict[str, bytes]  #: under release/<course>/
    bundle: dict[str, bytes]  #: under autograder/<course>/
    warnings: tuple[Problem, ...] = ()  #: found by validation; they do not stop a release

    def trees(self, root: CourseRoot) -> tuple[tuple[Path, dict[str, bytes]], ...]:
        return (
            (root.course_release(self.course.id), self.release),
            (root.course_bundle(self.course.id), self.bundle),
        )


def json_bytes(data: Any) -> bytes:
    """The one JSON format of release output: sorted keys, indent 1, final newline."""
    return (json.dumps(data, indent=1, sort_keys=True) + "\n").encode("utf-8")


def _support_files(folder: Path, relative: str) -> Iterator[tuple[str, Path]]:
    """Files under ``folder/relative`` (a file or a folder), skipping hidden files and caches."""
    start = folder / relative
    if start.is_file():
        yield relative, start
        return
    if not start.is_dir():
        return
    for directory, dirnames, filenames in os.walk(start):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in _SKIP_NAMES)
        for name in sorted(filenames):
            if name.startswith(".") or name.endswith((".pyc", ".pyo")):
                continue
            path = Path(directory) / name
            yield path.relative_to(folder).as_posix(), path


@dataclass
class _Released:
    """One released notebook of a unit or placement, with what its form left to fill in."""

    student: StudentNotebook
    form_cells: tuple[FormCell, ...] = ()
    templates: dict[int, str] | None = None


def _unit_bundle(course: Course, unit: Unit | Placement, released: dict[str, _Released]) -> UnitBundle:
    notebooks = []
    for path in unit.notebooks:
        student = released[path].student
        templates = released[path].templates or {}
        cells = []
        code = [
            i
            for i, c in enumerate(student.notebook.cells)
            if is_tracked(c) and c.cell_type == "code"
        ]
        labels = cell_labels(
            student.notebook.cells, code, [i for i in code if is_test(student.notebook.cells[i])]
        )
        for index, cell in enumerate(student.notebook.cells):
            if not is_tracked(cell):
                continue
            objectives = (
                graded_objectives(cell, unit)
                if (is_graded(cell) or is_task(cell)) and isinstance(unit, Unit)
                else cell_objectives(cell)
            )
            checksum = cell.metadata.get("nbgrader", {}).get("checksum")
            if not checksum:  # nbgrader checksums graded, answer and locked cells, not tasks
                checksum = compute_checksum(cell)
            cells.append(
                BundleCell(
                    grade_id=grade_id(cell),
                    index=index,
                    cell_type=cell.cell_type,
                    grade=is_graded(cell),
                    solution=is_solution(cell),
                    locked=is_locked(cell),
                    task=is_task(cell),
                    points=points(cell),
                    objectives=objectives,
                    source=student.full_sources[index] if is_test(cell) else cell.source,
                    checksum=checksum,
                    label=labels.get(index, ""),
                    template=templates.get(index, ""),
                )
            )
        notebooks.append(
            NotebookBundle(
                path=path,
                kernel_name=student.kernel_name,
                cells=tuple(cells),
                form_cells=released[path].form_cells,
            )
        )
    return UnitBundle(
        course=course.id,
        unit=unit.id,
        notebooks=tuple(notebooks),
        thresholds=course.thresholds(unit.id),
    )


def _release_item(
    root: CourseRoot,
    course: Course,
    item: Unit | Placement,
    release: dict[str, bytes],
    bundle: dict[str, bytes],
) -> Unit | Placement:
    """Release one unit or placement: its notebooks (with the preview form filled in when it
    has forms) and its grading bundle; returns it with what the release learned about it."""
    folder = root.course_source(course.id)
    values = preview_form(folder / "checks", course.id, item.id)
    released: dict[str, _Released] = {}
    for path in item.notebooks:
        source, problems = read_notebook(folder / path, root.relative(folder / path))
        if source is None:  # changed since validation a moment ago
            raise MasteryError(problems)
        student = student_notebook(
            source,
            folder=(folder / path).parent,
            course_folder=folder,
            file=root.relative(folder / path),
        )
        done = _Released(student)
        if values is not None:
            done.form_cells, done.templates = fill_preview(
                student.notebook, student.full_sources, values, unit=item.id
            )
        released[path] = done
        release[path] = notebook_bytes(student.notebook)
    item_bundle = _unit_bundle(course, item, released)
    bundle[f"units/{item.id}.json"] = json_bytes(item_bundle.model_dump(mode="json"))
    graded = tuple(
        GradedNotebook(path=nb.path, grade_ids=tuple(c.grade_id for c in nb.cells))
        for nb in item_bundle.notebooks
    )
    return item.model_copy(update={"graded": graded, "forms": values is not None})


def build_release(root: CourseRoot, course_id: str) -> ReleaseOutput:
    """Validate the course, then build both trees; raises :class:`MasteryError` if invalid."""
    check = validate_course(root, course_id)
    if not check.ok or check.course is None:
        raise MasteryError(check.problems)
    course = check.course
    folder = root.course_source(course_id)
    release: dict[str, bytes] = {}
    bundle: dict[str, bytes] = {}
    units = [_release_item(root, course, unit, release, bundle) for unit in course.units]
    placements = [_release_item(root, course, p, release, bundle) for p in course.placements]

    # what submit needs to know about each unit travels in the public course.json
    course = course.model_copy(update={"units": tuple(units), "placements": tuple(placements)})
    release["course.json"] = bundle["course.json"] = json_bytes(course.model_dump(mode="json"))

    beside = check.notebook_files
    for relative in [*SUPPORT_FOLDERS, *sorted(beside | check.extra_files)]:
        for name, file in _support_files(folder, relative):
            if name in release:
                continue
            data = file.read_bytes()
            release[name] = data
            if name.split("/", 1)[0] in SUPPORT_FOLDERS or name in beside:
                bundle[f"files/{name}"] = data

    sums = "".join(
        f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(bundle.items())
    )
    bundle["SHA256SUMS"] = sums.encode("utf-8")
    return ReleaseOutput(
        course=course,
        release=dict(sorted(release.items())),
        bundle=dict(sorted(bundle.items())),
        warnings=tuple(check.warnings),
    )


def _on_disk(folder: Path) -> set[str]:
    if not folder.is_dir():
        return set()
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def stale_files(root: CourseRoot, output: ReleaseOutput) -> list[str]:
    """Paths (from the course root) that differ from ``output``: changed, missing or left over."""
    stale: list[str] = []
    for folder, files in output.trees(root):
        present = _on_disk(folder)
        for name in sorted(present | set(files)):
            path = folder / name
            if name not in files or name not in present or path.read_bytes() != files[name]:
                stale.append(root.relative(path))
    return stale


def write_release(root: CourseRoot, output: ReleaseOutput) -> None:
    """Replace ``release/<course>/`` and ``autograder/<course>/`` with ``output``.

    Each tree is written beside the old one and swapped in by renames, so nothing of a
    previous release survives and a crash never leaves a half-written tree in place.
    """
    for folder, files in output.trees(root):
        folder.parent.mkdir(parents=True, exist_ok=True)
        fresh = folder.parent / f".{folder.name}.new"
        old = folder.parent / f".{folder.name}.old"
        for leftover in (fresh, old):
            if leftover.exists():
                shutil.rmtree(leftover)
        for name, data in files.items():
            path = fresh / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        if folder.exists():
            folder.rename(old)
        fresh.rename(folder)
        if old.exists():
            shutil.rmtree(old)


def release_course(root: CourseRoot, course_id: str) -> ReleaseOutput:
    """Validate, build and write one course's release; raises :class:`MasteryError` if invalid."""
    output = build_release(root, course_id)
    write_release(root, output)
    return output

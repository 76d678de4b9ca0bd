"""Validating a whole course: the manifest, then every unit notebook, then what links them.

The result keeps what release needs (the course, the files it must ship), so releasing
reads the same facts that were validated and cannot drift from them.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from mastery_nb.course.manifest import read_course
from mastery_nb.course.model import Course, Placement, Unit
from mastery_nb.course.notebook import AUTOTESTS_FILE, find_autotests, read_notebook
from mastery_nb.errors import Problem
from mastery_nb.root import CourseRoot
from mastery_nb.validate.cells import check_notebook, local_link, markdown_links
from mastery_nb.validate.forms import check_forms

if TYPE_CHECKING:
    from nbformat import NotebookNode

__all__ = ["CourseCheck", "files_beside_notebooks", "validate_course", "validate_courses"]


@dataclass
class CourseCheck:
    """What validating one course found."""

    course_id: str
    course: Course | None
    problems: list[Problem] = field(default_factory=list)
    #: files (course-relative) the release must ship besides unit notebooks, data/ and checks/:
    #: local remediation/enrichment resources and files the notebooks' markdown refers to
    extra_files: set[str] = field(default_factory=set)
    #: files (course-relative) beside the unit notebooks, as nbgrader ships the files of an
    #: assignment folder: released and present at grading (``open("data.txt")`` works)
    notebook_files: set[str] = field(default_factory=set)
    #: what is worth fixing but does not stop a release (a broken image link, a course root
    #: that looks published); printed as ``warning: FILE: PLACE: MESSAGE. Fix: FIX``
    warnings: list[Problem] = field(default_factory=list)
    graded_cells: int = 0
    points: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems and self.course is not None

    def summary(self) -> str:
        """The one line ``mastery-nb validate`` prints for a clean course."""
        course = self.course
        units = len(course.units) if course else 0
        objectives = len(course.objectives) if course else 0
        warned = len(self.warnings)
        return (
            f"{self.course_id}: ok: {units} units, {objectives} objectives, "
            f"{self.graded_cells} graded cells, {self.points:g} points"
            + (f" ({warned} warning{'s' if warned != 1 else ''})" if warned else "")
        )


def validate_course(root: CourseRoot, course_id: str) -> CourseCheck:
    """Every problem of ``courses/<course_id>/`` at once; never raises for bad input."""
    reading = read_course(root, course_id)
    check = CourseCheck(course_id=course_id, course=reading.course, problems=list(reading.problems))
    course = reading.course
    if course is None:
        return check
    folder = root.course_source(course_id)
    unit_notebooks = {path for unit in course.units for path in unit.notebooks} | {
        path for placement in course.placements for path in placement.notebooks
    }
    check.notebook_files = files_beside_notebooks(folder, unit_notebooks)

    for unit in course.units:
        _check_unit(
            root,
            folder,
            course,
            unit,
            reading.unit_places[unit.id],
            reading.objective_places,
            unit_notebooks,
            check,
            reading.file,
            reading.min_items.get(unit.id, 1),
        )
    for placement in course.placements:
        _check_unit(
            root,
            folder,
            course,
            placement,
            reading.placement_places[placement.id],
            reading.objective_places,
            unit_notebooks,
            check,
            reading.file,
            1,
        )

    for unit in course.units:
        for objective in unit.objectives:
            o_place = reading.objective_places[objective.id]
            for key, resources in (
                ("remediation", objective.remediation),
                ("enrichment", objective.enrichment),
            ):
                for r_index, resource in enumerate(resources):
                    target = local_link(resource.href, "course.toml")
                    if target is None:
                        continue
                    where = f"{o_place}.{key}[{r_index}].href"
                    if not (folder / target).exists():
                        check.problems.append(
                            Problem(
                                reading.file,
                                where,
                                f"resource {resource.href!r} does not exist",
                                f"create {root.relative(folder / target)} or correct the href (relative to the course folder)",
                            )
                        )
                    elif target in unit_notebooks:
                        check.problems.append(
                            Problem(
                                reading.file,
                                where,
                                f"resource {resource.href!r} is a unit notebook, whose source holds the solutions",
                                "point to a separate resource notebook (for example in resources/)",
                            )
                        )
                    else:
                        check.extra_files.add(target)
                        if target.endswith(".ipynb"):
                            _resource_links(root, folder, target, unit_notebooks, check)
    return check


def _check_unit(
    root: CourseRoot,
    folder: Path,
    course: Course,
    unit: Unit | Placement,
    place: str,
    objective_places: dict[str, str],
    unit_notebooks: set[str],
    check: CourseCheck,
    manifest: str,
    min_items: int,
) -> None:
    """Every problem of one unit's (or placement's) notebooks, and of what they assess."""
    all_read = True
    assessed: dict[str, int] = {}
    seen_ids: dict[str, str] = {}
    read: list[tuple[str, NotebookNode]] = []
    for n_index, path in enumerate(unit.notebooks):
        file_path = folder / path
        file = root.relative(file_path)
        notebook, problems = read_notebook(
            file_path, file, listed_at=f"{manifest} ({place}.notebooks[{n_index}])"
        )
        check.problems.extend(problems)
        if notebook is None:
            all_read = False
            continue
        read.append((file, notebook))
        findings = check_notebook(notebook, file, path, unit, course)
        check.problems.extend(findings.problems)
        for gid, index in findings.grade_ids.items():
            if gid in seen_ids:
                check.problems.append(
                    Problem(
                        file,
                        f"cell {index} (grade_id {gid!r})",
                        f"duplicate grade_id {gid!r}: {seen_ids[gid]} of the same unit has it too",
                        "give every nbgrader cell of a unit its own grade_id",
                    )
                )
            else:
                seen_ids[gid] = f"{path} cell {index}"
        for cell in findings.graded:
            check.graded_cells += 1
            check.points += cell.points
            for objective_id in cell.objectives:
                assessed[objective_id] = assessed.get(objective_id, 0) + 1
        _add_links(root, folder, file, findings.links, unit_notebooks, check)
        if findings.autotests and find_autotests(file_path.parent, folder) is None:
            check.problems.append(
                Problem(
                    file,
                    findings.autotests["first"],
                    f"AUTOTEST lines need nbgrader's test templates ({AUTOTESTS_FILE}), found "
                    f"neither beside the notebook nor in {root.relative(folder)}",
                    f"put an {AUTOTESTS_FILE} (nbgrader's documentation has one) beside the "
                    "notebook or in the course folder",
                )
            )
        for checks_unit, cell_place in sorted(findings.checks_loaded.items()):
            checks_file = folder / "checks" / f"{checks_unit}.py"
            if not checks_file.is_file():
                check.problems.append(
                    Problem(
                        file,
                        cell_place,
                        f"load_checks({checks_unit!r}) needs {root.relative(checks_file)}, which does not exist",
                        f"create it, or pass the id of a unit that has a checks file (this unit is {unit.id!r})",
                    )
                )

    checks_file = folder / "checks" / f"{unit.id}.py"
    problems, warnings = check_forms(
        checks_file, root.relative(checks_file), course.id, unit.id, read
    )
    check.problems += problems
    check.warnings += warnings
    if isinstance(unit, Placement):
        if all_read:
            check.problems += _placement_coverage(course, unit, place, assessed, manifest)
        return
    if all_read:
        for objective in unit.objectives:
            if objective.id not in assessed:
                names = ", ".join(unit.notebooks) or "its notebooks"
                check.problems.append(
                    Problem(
                        manifest,
                        objective_places[objective.id],
                        f"objective {objective.id!r} of unit {unit.id!r} is assessed by no graded cell",
                        f"tag an 'Autograder tests' cell or an answer graded by hand of {names} with "
                        f"'objective:{objective.id}', or remove the objective",
                    )
                )
            elif assessed[objective.id] < min_items:
                names = ", ".join(unit.notebooks) or "its notebooks"
                check.problems.append(
                    Problem(
                        manifest,
                        objective_places[objective.id],
                        f"objective {objective.id!r} of unit {unit.id!r} is assessed by "
                        f"{assessed[objective.id]} graded item(s); min_items_per_objective asks for {min_items}",
                        f"add {min_items - assessed[objective.id]} more autograded test or quiz cell(s) tagged "
                        f"'objective:{objective.id}' to {names}, or lower min_items_per_objective",
                    )
                )


def _placement_coverage(
    course: Course, placement: Placement, place: str, assessed: dict[str, int], manifest: str
) -> list[Problem]:
    """A placement can place a learner out of a unit only if it assesses all its objectives."""
    problems = []
    names = ", ".join(placement.notebooks) or "its notebooks"
    for u_index, unit_id in enumerate(placement.units):
        unit = course.unit(unit_id)
        missing = [o.id for o in unit.objectives if o.id not in assessed] if unit else []
        if missing:
            problems.append(
                Problem(
                    manifest,
                    f"{place}.units[{u_index}]",
                    f"placement {placement.id!r} assesses no objective {', '.join(map(repr, missing))} "
                    f"of unit {unit_id!r} with an autograded cell, so no learner could place out "
                    "of that unit",
                    f"tag autograded cells of {names} with "
                    + " and ".join(f"'objective:{o}'" for o in missing)
                    + f", or remove {unit_id!r} from units",
                )
            )
    return problems


def _add_links(
    root: CourseRoot,
    folder: Path,
    file: str,
    links: dict[str, str],
    unit_notebooks: set[str],
    check: CourseCheck,
) -> None:
    for target, place in sorted(links.items()):
        # a broken link spoils one picture or link, not the course: warn, release the rest
        if target.startswith("..") or "/.." in target:
            check.warnings.append(
                Problem(
                    file,
                    place,
                    f"links to {target!r}, outside the course folder, which is not released",
                    "move the file into the course folder (for example resources/ or data/) and link it there",
                )
            )
        elif not (folder / target).exists():
            check.warnings.append(
                Problem(
                    file,
                    place,
                    f"links to {target!r}, which does not exist (students will see a broken link)",
                    f"create {root.relative(folder / target)} or correct the link (relative to the notebook)",
                )
            )
        elif target not in unit_notebooks:
            check.extra_files.add(target)


def _resource_links(
    root: CourseRoot, folder: Path, resource: str, unit_notebooks: set[str], check: CourseCheck
) -> None:
    """Images and files a resource notebook's markdown refers to ship with it."""
    try:
        data = json.loads((folder / resource).read_text(encoding="utf-8"))
        cells = data["cells"]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        check.problems.append(
            Problem(
                root.relative(folder / resource),
                "",
                f"resource notebook cannot be read ({error})",
                "save it from Jupyter as a valid notebook",
            )
        )
        return
    links: dict[str, str] = {}
    for index, cell in enumerate(cells if isinstance(cells, list) else []):
        if isinstance(cell, dict) and cell.get("cell_type") == "markdown":
            source = cell.get("source", "")
            text = "".join(source) if isinstance(source, list) else str(source)
            for target in markdown_links(text):
                local = local_link(target, resource)
                if local is not None:
                    links.setdefault(local, f"cell {index}")
    _add_links(root, folder, root.relative(folder / resource), links, unit_notebooks, check)


#: authoring files never shipped from a notebook's folder
_NOT_SHIPPED = ("course.toml", "autotests.yml")
_SKIP_DIRS = ("__pycache__", ".ipynb_checkpoints")


def files_beside_notebooks(folder: Path, unit_notebooks: set[str]) -> set[str]:
    """Every file in the folders of the unit notebooks that nbgrader would ship with them.

    nbgrader releases (and copies in before autograding) every file of an assignment
    folder that is not a notebook. Here that is each unit notebook's folder and the
    folders below it; for notebooks directly in the course folder, only the files right
    there (its subfolders belong to other units, ``data/`` and ``checks/`` ship anyway).
    Notebooks, hidden files, caches, ``course.toml`` and ``autotests.yml`` stay behind.
    """
    found: set[str] = set()
    for parent in sorted({PurePosixPath(path).parent for path in unit_notebooks}):
        start = folder / parent
        if not start.is_dir():
            continue
        recursive = parent != PurePosixPath(".")
        for directory, dirnames, filenames in os.walk(start):
            dirnames[:] = (
                sorted(d for d in dirnames if not d.startswith(".") and d not in _SKIP_DIRS)
                if recursive
                else []
            )
            for name in filenames:
                if name.startswith(".") or name.endswith((".ipynb", ".pyc", ".pyo")):
                    continue
                if name in _NOT_SHIPPED:
                    continue
                found.add((Path(directory) / name).relative_to(folder).as_posix())
    return found


def validate_courses(root: CourseRoot, course_ids: list[str] | None = None) -> list[CourseCheck]:
    """Validate the named courses, or every course of the root."""
    ids = course_ids if course_ids else root.course_ids()
    return [validate_course(root, course_id) for course_id in ids]

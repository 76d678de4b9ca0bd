"""Checks of one unit notebook, cell by cell.

Everything ``nbgrader generate_assignment`` would trip over (unclosed regions, a hidden-test
region outside a test cell, bad ``metadata.nbgrader``) is caught here first, so
``mastery-nb release`` never meets a notebook that makes nbgrader's preprocessors raise,
and the instructor sees each mistake with its cell and fix instead of a traceback.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote

import jsonschema
from nbformat import NotebookNode
from nbgrader.nbgraderformat import MetadataValidator
from nbgrader.nbgraderformat.common import SchemaMismatchError, SchemaTooOldError

from mastery_nb.course.manifest import is_local_href, suggest
from mastery_nb.course.model import Course, Placement, Unit
from mastery_nb.course.notebook import (
    OBJECTIVE_TAG,
    cell_objectives,
    cell_place,
    grade_id,
    graded_objectives,
    has_autotest,
    is_graded,
    is_solution,
    is_task,
    is_test,
    is_tracked,
    mastery_metadata_errors,
    points,
)
from mastery_nb.errors import Problem

__all__ = ["GradedCell", "NotebookFindings", "check_notebook", "markdown_links"]

SOLUTION = ("BEGIN SOLUTION", "END SOLUTION")
HIDDEN = ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS")

_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HTML_SRC = re.compile(
    r"""<(?:img|a|source|video|audio)\b[^>]*?\b(?:src|href)\s*=\s*["']([^"']+)["']""", re.IGNORECASE
)

_LOAD_CHECKS = re.compile(r"""\bload_checks\(\s*["']([^"']+)["']""")

_quiet = logging.getLogger("mastery_nb.validate.nbgrader")
_quiet.addHandler(logging.NullHandler())
_quiet.propagate = False


@dataclass(frozen=True)
class GradedCell:
    index: int
    grade_id: str
    points: float
    objectives: tuple[str, ...]  #: effective: named, or the unit's single objective
    autograded: bool  #: a test cell (else an answer or task graded by hand, which counts too)


@dataclass
class NotebookFindings:
    problems: list[Problem] = field(default_factory=list)
    graded: list[GradedCell] = field(default_factory=list)
    #: local files the markdown refers to, relative to the course folder -> the first cell naming it
    links: dict[str, str] = field(default_factory=dict)
    #: grade_id -> cell index, for duplicates across the notebooks of a unit
    grade_ids: dict[str, int] = field(default_factory=dict)
    #: unit ids passed to ``load_checks("<unit>")`` in code cells -> the first cell doing so
    checks_loaded: dict[str, str] = field(default_factory=dict)
    #: ``{"first": place}`` when a cell has AUTOTEST lines (release expands them)
    autotests: dict[str, str] = field(default_factory=dict)


def _kernel_problem(nb: NotebookNode) -> tuple[str, str, str] | None:
    """Python only: the grader runs cells in an IPython shell, whatever the notebook says."""
    kernelspec = nb.metadata.get("kernelspec", {})
    kernelspec = kernelspec if isinstance(kernelspec, Mapping) else {}
    info = nb.metadata.get("language_info", {})
    info = info if isinstance(info, Mapping) else {}
    language = str(kernelspec.get("language") or info.get("name") or "python")
    if language.lower() == "python":
        return None
    name = kernelspec.get("display_name") or kernelspec.get("name") or language
    return (
        "metadata.kernelspec",
        f"the notebook is for the {name} kernel (language {language!r}); mastery-nb grades "
        "Python notebooks only, so its tests would run as Python",
        "write the unit for a Python 3 kernel (Kernel > Change Kernel > Python 3, then port the "
        "code), or grade this notebook with nbgrader, which runs other kernels",
    )


def markdown_links(source: str) -> Iterator[str]:
    """Targets of markdown links and images and of HTML ``src``/``href`` attributes."""
    for pattern in (_LINK, _HTML_SRC):
        for match in pattern.finditer(source):
            yield match.group(1)


def local_link(target: str, notebook: str) -> str | None:
    """The course-relative path a link in ``notebook`` points to, or None for URLs and anchors.

    A link climbing out of the course folder comes back starting with ``../`` so the caller
    can report it.
    """
    if not is_local_href(target) or target.startswith("attachment:"):
        return None
    path = unquote(target.split("#", 1)[0].split("?", 1)[0])
    if not path:
        return None
    parts: list[str] = []
    above = 0  # how far the link climbs out of the course folder
    for part in (PurePosixPath(notebook).parent / path).parts:
        if part == "..":
            if parts:
                parts.pop()
            else:
                above += 1
        elif part != ".":
            parts.append(part)
    return "/".join([".."] * above + parts)


def _regions(source: str, begin: str, end: str) -> tuple[bool, list[tuple[int, str, str]]]:
    """(has a region, [(line, message, fix)]) with nbgrader's own matching: a substring per line."""
    found = False
    issues: list[tuple[int, str, str]] = []
    opened = 0
    for number, line in enumerate(source.split("\n"), start=1):
        if begin in line:
            found = True
            if opened:
                issues.append(
                    (
                        number,
                        f"'{begin}' at line {number} opens a region inside the region opened at line {opened}",
                        f"close the first region with '### {end}' before opening another",
                    )
                )
            opened = number
        elif end in line:
            if not opened:
                issues.append(
                    (
                        number,
                        f"'{end}' at line {number} closes no region",
                        f"add '### {begin}' before it, or remove it",
                    )
                )
            opened = 0
    if opened:
        issues.append(
            (
                opened,
                f"the region opened by '{begin}' at line {opened} is never closed",
                f"add a line '### {end}' after the last line of the region",
            )
        )
    return found, issues


def check_notebook(
    nb: NotebookNode, file: str, path: str, unit: Unit | Placement, course: Course
) -> NotebookFindings:
    """Every problem of one unit (or placement) notebook; ``path`` is its path relative to
    the course folder. A placement's graded cells name objectives of the units it covers."""
    findings = NotebookFindings()

    def problem(place: str, message: str, fix: str) -> None:
        findings.problems.append(Problem(file, place, message, fix))

    kernel = _kernel_problem(nb)
    if kernel is not None:
        problem(*kernel)

    placement = unit if isinstance(unit, Placement) else None
    covered = set(placement.units) if placement else {unit.id}
    unit_objectives = [o.id for u in course.units if u.id in covered for o in u.objectives]
    owner = {o.id: u.id for u in course.units for o in u.objectives}
    validator = MetadataValidator()
    validator.log = _quiet

    for index, cell in enumerate(nb.cells):
        place = cell_place(index, cell)
        source = cell.get("source", "")
        if cell.cell_type == "markdown":
            for target in markdown_links(source):
                local = local_link(target, path)
                if local is not None:
                    findings.links.setdefault(local, place)

        if cell.cell_type == "code":
            for match in _LOAD_CHECKS.finditer(source):
                findings.checks_loaded.setdefault(match.group(1), place)

        for text, remedy in _nbgrader_problems(validator, cell):
            problem(place, text, remedy)

        has_solution, issues = _regions(source, *SOLUTION)
        for _, message, fix in issues:
            problem(place, f"solution region: {message}", fix)
        if has_solution and not is_solution(cell):
            problem(
                place,
                "a solution region ('### BEGIN SOLUTION') is in a cell not marked as an answer",
                "mark the cell 'Autograded answer' in the Create Assignment toolbar (metadata.nbgrader.solution = true)",
            )
        if has_autotest(cell):
            findings.autotests.setdefault("first", place)
            if not is_graded(cell):
                problem(
                    place,
                    "an AUTOTEST line is in a cell that is not an 'Autograder tests' cell "
                    "(nbgrader refuses to release it)",
                    "mark the cell 'Autograder tests' in the Create Assignment toolbar, or "
                    "remove the AUTOTEST line",
                )

        has_hidden, issues = _regions(source, *HIDDEN)
        for _, message, fix in issues:
            problem(place, f"hidden-test region: {message}", fix)
        if has_hidden and not is_test(cell):
            problem(
                place,
                "a hidden-test region ('### BEGIN HIDDEN TESTS') is outside a test cell",
                "move it into an 'Autograder tests' cell (metadata.nbgrader.grade = true, solution = false, a code cell)",
            )

        for error in mastery_metadata_errors(cell):
            problem(
                place,
                error,
                'write metadata.mastery as {"schema_version": 1, "objectives": ["objective-id"]}',
            )

        named = cell_objectives(cell)
        for objective in named:
            if objective not in owner:
                problem(
                    place,
                    f"unknown objective {objective!r}{suggest(objective, owner)}",
                    f"use an objective of unit {unit.id!r} ({', '.join(unit_objectives) or 'none'}) or add it to course.toml",
                )
            elif placement is not None and owner[objective] not in covered:
                problem(
                    place,
                    f"objective {objective!r} belongs to unit {owner[objective]!r}, which "
                    f"placement {unit.id!r} does not cover",
                    f"add {owner[objective]!r} to the placement's units in course.toml, or tag "
                    f"an objective of {', '.join(placement.units) or 'its units'}",
                )
            elif placement is None and owner[objective] != unit.id:
                problem(
                    place,
                    f"objective {objective!r} belongs to unit {owner[objective]!r}, not to unit {unit.id!r}",
                    f"assess it in a notebook of unit {owner[objective]!r}, or move the objective to unit {unit.id!r} in course.toml",
                )

        gid = grade_id(cell)
        if gid and is_tracked(cell):
            if gid in findings.grade_ids:
                problem(
                    place,
                    f"duplicate grade_id {gid!r}: cell {findings.grade_ids[gid]} has it too",
                    "give every nbgrader cell its own grade_id (the ID field of the Create Assignment toolbar)",
                )
            else:
                findings.grade_ids[gid] = index

        if is_graded(cell) or is_task(cell):  # answers and tasks graded by hand count too
            effective = (
                graded_objectives(cell, unit) if isinstance(unit, Unit) else cell_objectives(cell)
            )
            if not effective and (placement is not None or len(unit_objectives) > 1):
                tags = " or ".join(f"'{OBJECTIVE_TAG}{o}'" for o in unit_objectives)
                what = (
                    f"placement {unit.id!r} covers"
                    if placement is not None
                    else f"unit {unit.id!r} has"
                )
                problem(
                    place,
                    f"graded cell assesses no objective ({what} {len(unit_objectives)})",
                    f"add the cell tag {tags} (JupyterLab: Property Inspector, Cell Tags), or metadata.mastery.objectives",
                )
            known = tuple(o for o in effective if owner.get(o) in covered)
            findings.graded.append(GradedCell(index, gid, points(cell), known, is_test(cell)))
    return findings


def _nbgrader_problems(validator: Any, cell: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``metadata.nbgrader`` checked by nbgrader's own validator, with our fixes."""
    meta = cell.get("metadata", {}).get("nbgrader")
    if meta is None:
        return []
    if not isinstance(meta, Mapping):
        return [
            (
                "metadata.nbgrader is not an object",
                "recreate the cell's nbgrader settings in the Create Assignment toolbar",
            )
        ]
    result: list[tuple[str, str]] = []
    if "objectives" in meta:
        result.append(
            (
                "objectives are inside metadata.nbgrader, whose schema rejects unknown keys",
                'move them to metadata.mastery = {"schema_version": 1, "objectives": [...]} or to tags objective:<id>',
            )
        )
    flags = meta.get("grade") or meta.get("solution") or meta.get("locked")
    if flags and not meta.get("grade_id"):
        result.append(
            (
                "nbgrader cell has no grade_id",
                "give it an ID in the Create Assignment toolbar (metadata.nbgrader.grade_id)",
            )
        )
    if meta.get("grade") is True:
        value = meta.get("points")
        if value is None:
            result.append(
                (
                    "graded cell has no points",
                    "give it points in the Create Assignment toolbar (metadata.nbgrader.points)",
                )
            )
        elif isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            result.append(
                (
                    f"graded cell has points {value!r}; mastery needs a positive number",
                    "give it a positive number of points (metadata.nbgrader.points)",
                )
            )
    if result:
        return result
    try:
        validator.validate_cell(cell)
    except SchemaTooOldError as error:
        result.append(
            (
                f"metadata.nbgrader: {error}",
                "run `nbgrader update` on the notebook to upgrade its metadata to schema 3",
            )
        )
    except SchemaMismatchError as error:
        result.append(
            (
                f"metadata.nbgrader: {error}",
                "this nbgrader is 0.9 (schema 3): re-create the cell metadata with it",
            )
        )
    except jsonschema.ValidationError as error:
        key = ".".join(str(p) for p in error.absolute_path)
        where = f"metadata.nbgrader.{key}" if key else "metadata.nbgrader"
        result.append(
            (
                f"{where}: {error.message}",
                "fix it in the Create Assignment toolbar; keep our own keys in metadata.mastery, never in metadata.nbgrader",
            )
        )
    except (
        Exception
    ) as error:  # nbgrader raises its ValidationError, a jsonschema subclass or plain
        result.append(
            (
                f"metadata.nbgrader: {error}",
                "fix the cell type and flags in the Create Assignment toolbar",
            )
        )
    return result

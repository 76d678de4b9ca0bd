"""Objectives on notebook cells, and reading unit notebooks without tracebacks.

A graded cell (nbgrader ``metadata.nbgrader.grade == true``) names the objectives it
assesses in our own namespace, ``metadata.mastery`` (schema: ``schemas/mastery-cell.v1.json``),
or with cell tags ``objective:<id>`` because JupyterLab's tag editor is what instructors
already use. Both forms are merged. Never inside ``metadata.nbgrader``: nbgrader's schema
v3 rejects unknown keys. A plain nbgrader assignment with no objectives at all still works
when its unit has exactly one objective (see :func:`graded_objectives`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mastery_nb.course.model import Unit
from mastery_nb.errors import Problem

if TYPE_CHECKING:
    from nbformat import NotebookNode

__all__ = [
    "AUTOTEST",
    "AUTOTESTS_FILE",
    "MASTERY_SCHEMA_VERSION",
    "OBJECTIVE_TAG",
    "cell_objectives",
    "cell_place",
    "find_autotests",
    "grade_id",
    "graded_objectives",
    "has_autotest",
    "is_graded",
    "is_locked",
    "is_solution",
    "is_task",
    "is_test",
    "is_tracked",
    "mastery_metadata_errors",
    "mastery_schema",
    "nbgrader_metadata",
    "points",
    "read_notebook",
]

MASTERY_SCHEMA_VERSION = 1
OBJECTIVE_TAG = "objective:"
_SCHEMA_FILE = "mastery-cell.v1.json"


@cache
def mastery_schema() -> dict[str, Any]:
    """The JSON Schema of ``metadata.mastery`` (version 1), shipped in the package."""
    text = (
        resources.files("mastery_nb.course")
        .joinpath("schemas", _SCHEMA_FILE)
        .read_text(encoding="utf-8")
    )
    schema: dict[str, Any] = json.loads(text)
    return schema


def mastery_metadata_errors(cell: Mapping[str, Any]) -> list[str]:
    """What is wrong with the cell's ``metadata.mastery`` (empty when absent or valid)."""
    metadata = cell.get("metadata", {})
    if not isinstance(metadata, Mapping) or "mastery" not in metadata:
        return []
    import jsonschema  # only when a cell has metadata.mastery: importing it costs time

    validator = jsonschema.Draft202012Validator(mastery_schema())
    errors = sorted(validator.iter_errors(metadata["mastery"]), key=lambda e: list(e.absolute_path))
    messages = []
    for error in errors:
        where = "metadata.mastery" + "".join(
            f"[{p!r}]" if isinstance(p, str) else f"[{p}]" for p in error.absolute_path
        )
        messages.append(f"{where}: {error.message}")
    return messages


def nbgrader_metadata(cell: Mapping[str, Any]) -> Mapping[str, Any]:
    metadata = cell.get("metadata", {})
    value = metadata.get("nbgrader", {}) if isinstance(metadata, Mapping) else {}
    return value if isinstance(value, Mapping) else {}


def is_graded(cell: Mapping[str, Any]) -> bool:
    """nbgrader ``grade``: the cell earns points (a test cell or a manually graded answer)."""
    return nbgrader_metadata(cell).get("grade") is True


def is_solution(cell: Mapping[str, Any]) -> bool:
    return nbgrader_metadata(cell).get("solution") is True


def is_task(cell: Mapping[str, Any]) -> bool:
    return nbgrader_metadata(cell).get("task") is True


def is_locked(cell: Mapping[str, Any]) -> bool:
    """nbgrader's rule: a graded non-answer cell is locked, and so is a cell marked ``locked``."""
    meta = nbgrader_metadata(cell)
    if meta.get("solution") is True:
        return False
    return meta.get("grade") is True or meta.get("locked") is True


def is_test(cell: Mapping[str, Any]) -> bool:
    """An autograder test cell: a graded code cell that is not an answer."""
    return is_graded(cell) and not is_solution(cell) and cell.get("cell_type") == "code"


def is_tracked(cell: Mapping[str, Any]) -> bool:
    """A cell nbgrader keeps an eye on (it gets a checksum): graded, answer, locked or task."""
    return is_graded(cell) or is_solution(cell) or is_locked(cell) or is_task(cell)


def grade_id(cell: Mapping[str, Any]) -> str:
    value = nbgrader_metadata(cell).get("grade_id", "")
    return value if isinstance(value, str) else str(value)


def points(cell: Mapping[str, Any]) -> float:
    """The cell's points, 0 when missing or not a number (validation reports those)."""
    value = nbgrader_metadata(cell).get("points", 0)
    if isinstance(value, bool):
        return 0.0
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def cell_objectives(cell: Mapping[str, Any]) -> tuple[str, ...]:
    """Objective ids a cell names: ``metadata.mastery.objectives`` then ``objective:<id>`` tags.

    Order is kept (metadata first), duplicates dropped. Malformed metadata contributes
    nothing here; :func:`mastery_metadata_errors` says what is wrong with it.
    """
    found: list[str] = []
    metadata = cell.get("metadata", {})
    if not isinstance(metadata, Mapping):
        return ()
    mastery = metadata.get("mastery", {})
    if isinstance(mastery, Mapping):
        listed = mastery.get("objectives", [])
        if isinstance(listed, list):
            found.extend(o.strip() for o in listed if isinstance(o, str) and o.strip())
    tags = metadata.get("tags", [])
    if isinstance(tags, list):
        for tag in tags:
            if (
                isinstance(tag, str)
                and tag.startswith(OBJECTIVE_TAG)
                and tag[len(OBJECTIVE_TAG) :].strip()
            ):
                found.append(tag[len(OBJECTIVE_TAG) :].strip())
    return tuple(dict.fromkeys(found))


def graded_objectives(cell: Mapping[str, Any], unit: Unit) -> tuple[str, ...]:
    """The objectives a graded cell counts toward in ``unit``.

    The ones the cell names; when it names none and the unit has exactly one objective,
    that one (so an untouched nbgrader assignment works as a one-objective unit).
    """
    named = cell_objectives(cell)
    if not named and len(unit.objectives) == 1:
        return (unit.objectives[0].id,)
    return named


#: nbgrader's ``InstantiateTests`` delimiter: ``# AUTOTEST expr`` (and ``### HASHED AUTOTEST``)
AUTOTEST = "AUTOTEST"
AUTOTESTS_FILE = "autotests.yml"


def has_autotest(cell: Mapping[str, Any]) -> bool:
    """A code cell with a comment line naming ``AUTOTEST``, which nbgrader expands at release."""
    if cell.get("cell_type") != "code":
        return False
    source = cell.get("source", "")
    text = "".join(source) if isinstance(source, list) else str(source)
    return any(AUTOTEST in line and line.strip().startswith("#") for line in text.split("\n"))


def find_autotests(notebook_folder: Path, course_folder: Path) -> Path | None:
    """The ``autotests.yml`` that expands a notebook's AUTOTEST lines: beside the notebook
    (as nbgrader looks in the assignment folder), else in the course folder."""
    for folder in (notebook_folder, course_folder):
        candidate = folder / AUTOTESTS_FILE
        if candidate.is_file():
            return candidate
    return None


def cell_place(index: int, cell: Mapping[str, Any]) -> str:
    """``cell 4 (grade_id 'q1-total')``: cells are counted from 0, as in the notebook JSON."""
    gid = grade_id(cell)
    return f"cell {index} (grade_id {gid!r})" if gid else f"cell {index}"


def read_notebook(
    path: Path, file: str, *, listed_at: str = "course.toml"
) -> tuple[NotebookNode | None, list[Problem]]:
    """Read a notebook as nbformat 4, or say why not (missing, unreadable, bad JSON, bad schema).

    ``file`` is how problems name the notebook; ``listed_at`` where the manifest names it.
    """

    def problem(place: str, message: str, fix: str) -> tuple[None, list[Problem]]:
        return None, [Problem(file, place, message, fix)]

    if not path.exists():
        return problem(
            "",
            "notebook does not exist",
            f"create it, or correct its path in {listed_at} (relative to the course folder)",
        )
    try:
        raw = path.read_bytes()
    except OSError as error:
        return problem(
            "",
            f"notebook cannot be read ({error.strerror or error})",
            "make it a readable file (check its permissions)",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return problem(
            f"byte {error.start}",
            "notebook is not UTF-8 text (unreadable)",
            "re-save the notebook from Jupyter, which writes UTF-8 JSON",
        )
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return problem(
            f"line {error.lineno}, column {error.colno}",
            f"invalid notebook JSON: {error.msg}",
            "repair the JSON (often a missing comma or quote after a hand edit), or restore the file from version control",
        )
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        return problem(
            "",
            "is JSON but not a notebook (no list of cells)",
            "save it from Jupyter as a notebook",
        )
    if data.get("nbformat") != 4:
        return problem(
            "nbformat",
            f"notebook format {data.get('nbformat')!r} is not supported",
            "open and save it in JupyterLab to convert it to nbformat 4",
        )
    import nbformat  # here, not at import: the CLI's parser must start fast
    from nbformat.v4.rwbase import rejoin_lines

    try:
        notebook: NotebookNode = rejoin_lines(nbformat.from_dict(data))  # type: ignore[no-untyped-call]
        nbformat.validate(notebook, version=4)
    except nbformat.ValidationError as error:
        where = "/".join(str(p) for p in error.absolute_path)
        place = (
            f"cell {error.absolute_path[1]}"
            if len(error.absolute_path) > 1 and error.absolute_path[0] == "cells"
            else where
        )
        return problem(
            place,
            f"notebook does not follow the nbformat 4 schema: {error.message}",
            "open and save it in JupyterLab, or fix the named field",
        )
    return notebook, []

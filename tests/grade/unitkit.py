"""Build small, realistic nbgrader-format units and their grading bundles for the tests.

A unit is described as a list of cells; :func:`make_unit` returns the
:class:`~mastery_nb.course.bundle.UnitBundle` (what ``mastery-nb release`` writes to
``autograder/``) and the released student notebook, with nbgrader checksums, so that a
test can write a submission the way a learner would: take the released notebook, fill in
the answer cells (:func:`submit`), and optionally tamper with it.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mastery_nb.course.bundle import BundleCell, NotebookBundle, UnitBundle
from mastery_nb.grade.limits import Limits
from mastery_nb.grade.restore import nbgrader_checksum

__all__ = [
    "SECRET",
    "TEST_LIMITS",
    "THRESHOLDS",
    "Cell",
    "Unit",
    "cell",
    "make_unit",
    "scores",
    "solved",
    "submit",
    "to_bytes",
    "unit_cells",
]

STUB = "# YOUR CODE HERE\nraise NotImplementedError()"


@dataclass
class Cell:
    kind: str  # "markdown" | "answer" | "test" | "locked" | "code"
    grade_id: str = ""
    source: str = ""
    hidden: str = ""  # hidden tests of a test cell (bundle only)
    points: float = 0.0
    objectives: tuple[str, ...] = ()


@dataclass
class Unit:
    bundle: UnitBundle
    released: dict[str, Any]
    path: str
    answers: dict[str, str] = field(default_factory=dict)  # grade_id -> correct answer


def _nbgrader_meta(cell: Cell, checksum: str) -> dict[str, Any]:
    grade = cell.kind == "test"
    solution = cell.kind == "answer"
    locked = cell.kind in ("test", "locked")
    meta: dict[str, Any] = {
        "grade": grade,
        "grade_id": cell.grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
        "task": False,
        "checksum": checksum,
    }
    if grade:
        meta["points"] = cell.points
    return meta


def make_unit(
    cells: list[Cell],
    *,
    course: str = "demo-course",
    unit: str = "demo-unit",
    path: str = "units/demo.ipynb",
) -> Unit:
    bundle_cells: list[BundleCell] = []
    nb_cells: list[dict[str, Any]] = []
    answers: dict[str, str] = {}
    for index, cell in enumerate(cells):
        cell_type = "markdown" if cell.kind == "markdown" else "code"
        if cell.kind == "markdown" and not cell.grade_id:
            nb_cells.append({"cell_type": "markdown", "metadata": {}, "source": cell.source})
            continue
        if cell.kind == "code":
            nb_cells.append(
                {
                    "cell_type": "code",
                    "metadata": {},
                    "source": cell.source,
                    "outputs": [],
                    "execution_count": None,
                }
            )
            continue
        released = STUB if cell.kind == "answer" else cell.source
        if cell.kind == "answer":
            answers[cell.grade_id] = cell.source
        grade, solution = cell.kind == "test", cell.kind == "answer"
        locked = cell.kind in ("test", "locked")
        checksum = nbgrader_checksum(
            released, cell_type, grade, solution, locked, cell.grade_id, cell.points
        )
        full = released
        if cell.hidden:
            full = f"{released}\n### BEGIN HIDDEN TESTS\n{cell.hidden}\n### END HIDDEN TESTS"
        bundle_cells.append(
            BundleCell(
                grade_id=cell.grade_id,
                index=index,
                cell_type=cell_type,
                grade=grade,  # type: ignore[arg-type]
                solution=solution,
                locked=locked,
                points=cell.points,
                objectives=cell.objectives,
                source=full,
                checksum=checksum,
            )
        )
        nb_cell: dict[str, Any] = {
            "cell_type": cell_type,
            "metadata": {"nbgrader": _nbgrader_meta(cell, checksum)},
            "source": released,
        }
        if cell_type == "code":
            nb_cell.update(outputs=[], execution_count=None)
        nb_cells.append(nb_cell)
    released_nb = {
        "cells": nb_cells,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    bundle = UnitBundle(
        course=course, unit=unit, notebooks=(NotebookBundle(path=path, cells=tuple(bundle_cells)),)
    )
    return Unit(bundle=bundle, released=released_nb, path=path, answers=answers)


def submit(
    unit: Unit, answers: dict[str, str] | None = None, *, correct: bool = True
) -> dict[str, Any]:
    """The released notebook with answer cells filled: the correct answers, overridden by ``answers``."""
    nb = copy.deepcopy(unit.released)
    chosen = dict(unit.answers) if correct else {}
    chosen.update(answers or {})
    for cell in nb["cells"]:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid in chosen:
            cell["source"] = chosen[gid]
    return nb


def solved(release: Path, source: Path) -> bytes:
    """A released notebook with the instructor's solution (from its ``source`` notebook in
    ``courses/``) in every answer cell: the sample course's own answers."""
    released = json.loads(release.read_text(encoding="utf-8"))
    solutions = {
        c["metadata"]["nbgrader"]["grade_id"]: c["source"]
        for c in json.loads(source.read_text(encoding="utf-8"))["cells"]
        if c.get("metadata", {}).get("nbgrader", {}).get("solution")
    }
    for cell in released["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution") and meta.get("grade_id") in solutions:
            cell["source"] = solutions[meta["grade_id"]]
    return json.dumps(released).encode("utf-8")


def to_bytes(nb: dict[str, Any]) -> bytes:
    return json.dumps(nb).encode("utf-8")


def cell(result: Any, grade_id: str) -> Any:
    """The CellResult of ``grade_id`` in an AttemptResult."""
    return next(c for c in result.cells if c.grade_id == grade_id)


def scores(result: Any) -> dict[str, float]:
    return {c.grade_id: c.points for c in result.cells}


# -- the fixture unit shared by the grading tests ------------------------------------

THRESHOLDS = {"use-functions": 0.8, "select-rows": 0.75}
SECRET = "HIDDEN-SECRET-7f3a"  # appears only in hidden tests, the DB and other learners' files

TEST_LIMITS = Limits(
    cell_timeout=3.0,
    notebook_timeout=30.0,
    memory_bytes=512 * 1024**2,
    max_processes=32,
    max_output_bytes=200_000,
    max_file_bytes=8 * 1024**2,
    interrupt_grace=1.0,
)


def unit_cells() -> list[Cell]:
    return [
        Cell("markdown", source="# Scores\nSmall questions on functions and selecting rows."),
        Cell(
            "locked",
            "setup",
            'import numpy as np\nimport pandas as pd\ndf = pd.read_csv("../data/scores.csv")',
        ),
        Cell("answer", "q1", "def total(xs):\n    return sum(xs)"),
        Cell(
            "test",
            "q1-test",
            "assert total([1, 2, 3]) == 6",
            hidden=f"assert total([]) == 0  # {SECRET}",
            points=2,
            objectives=("use-functions",),
        ),
        Cell(
            "answer",
            "q2",
            "def top_scorer(frame):\n    return frame.loc[frame['score'].idxmax(), 'name']",
        ),
        Cell(
            "test",
            "q2-test",
            'assert top_scorer(df) == "ada"',
            hidden="np.testing.assert_equal(len(df), 3)\nassert isinstance(top_scorer(df), str)",
            points=3,
            objectives=("select-rows",),
        ),
        Cell("answer", "q3", "mean_score = float(df['score'].mean())"),
        Cell(
            "test",
            "q3-test",
            "2.0 if abs(mean_score - 80.0) < 1e-9 else (0.5 if isinstance(mean_score, float) else 0)",
            points=2,
            objectives=("select-rows",),
        ),
    ]

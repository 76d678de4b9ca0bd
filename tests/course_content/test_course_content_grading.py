"""The sample course graded end to end, as a student's submission would be.

A "student" takes the freshly released unit notebook, types the author's solution into each
answer cell, answers the quizzes (their answers then live in the notebook's outputs, as in
JupyterLab), runs the notebook and submits it. The real grader
(:func:`mastery_nb.grade.attempt.grade_attempt`, from the private bundle only) must master
every objective with full marks; the untouched released notebook must score nothing.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from course_content_helpers import COURSE, quiz_answers
from nbclient import NotebookClient

from mastery_nb.checks import write_answers
from mastery_nb.course.reader import ReleasedCourse
from mastery_nb.grade.attempt import GradingPool
from mastery_nb.grade.result import AttemptResult

pytestmark = pytest.mark.slow

_MARKER = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", re.MULTILINE)


@pytest.fixture(scope="module")
def pool() -> Iterator[GradingPool]:
    with GradingPool(workers=1) as grading_pool:
        yield grading_pool


def _student_copy(course_root: Path, name: str) -> Path:
    work = course_root / name
    if not work.exists():
        shutil.copytree(course_root / "release" / COURSE, work)
    return work


def _run_as_student(path: Path) -> bytes:
    """Execute like a learner in JupyterLab would (no grading mode) and save."""
    nb = nbformat.read(path, as_version=4)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MASTERY_NB_")}
    NotebookClient(
        nb,
        timeout=60,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute(env=env)
    return nbformat.writes(nb).encode("utf-8")


def _grade(
    course_root: Path, pool: GradingPool, unit_id: str, notebook: str, data: bytes
) -> AttemptResult:
    bundle_dir = course_root / "autograder" / COURSE
    course = ReleasedCourse.at(bundle_dir).course()
    unit = course.unit(unit_id)
    assert unit is not None
    return pool.grade(
        ReleasedCourse.at(bundle_dir).unit_bundle(unit_id),
        {notebook: data},
        bundle_dir / "files",
        thresholds={o.id: o.threshold for o in unit.objectives},
    )


def _units(repo_root: Path) -> list[tuple[str, str]]:
    import tomllib

    manifest = tomllib.loads((repo_root / "courses" / COURSE / "course.toml").read_text("utf-8"))
    return [(u["id"], u["notebooks"][0]) for u in manifest["units"]]


UNITS = _units(Path(__file__).resolve().parents[2])


@pytest.mark.parametrize(("unit_id", "notebook"), UNITS, ids=[u for u, _ in UNITS])
def test_solved_submission_masters_every_objective(
    course_root: Path, pool: GradingPool, unit_id: str, notebook: str
) -> None:
    source = nbformat.read(course_root / "courses" / COURSE / notebook, as_version=4)
    solutions = {
        c.metadata["nbgrader"]["grade_id"]: _MARKER.sub("", c.source)
        for c in source.cells
        if c.metadata.get("nbgrader", {}).get("solution")
    }
    work = _student_copy(course_root, "student-solved")
    write_answers(work / "units", quiz_answers(course_root / "courses" / COURSE))
    path = work / notebook
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            cell.source = solutions[meta["grade_id"]]
    nbformat.write(nb, path)
    submitted = _run_as_student(path)
    assert b"application/vnd.mastery-nb.answer+json" in submitted

    result = _grade(course_root, pool, unit_id, notebook, submitted)

    failed = [f"{c.grade_id}: {c.status} {c.message}" for c in result.cells if c.status != "passed"]
    assert not failed, "\n".join(failed)
    assert result.objectives and all(o.mastered and o.score == 1.0 for o in result.objectives)
    assert not result.tampering, result.tampering


@pytest.mark.parametrize(("unit_id", "notebook"), UNITS, ids=[u for u, _ in UNITS])
def test_untouched_release_scores_nothing(
    course_root: Path, pool: GradingPool, unit_id: str, notebook: str
) -> None:
    work = _student_copy(course_root, "student-untouched")
    submitted = _run_as_student(work / notebook)

    result = _grade(course_root, pool, unit_id, notebook, submitted)

    assert result.cells
    assert all(c.points == 0 for c in result.cells), [(c.grade_id, c.points) for c in result.cells]
    assert not any(o.mastered for o in result.objectives)

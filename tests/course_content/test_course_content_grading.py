"""The sample course graded end to end by the real grader, unit by unit.

A "learner" takes the freshly released unit notebook, types answers into its answer cells,
answers the quizzes (the answers then live in the quiz cells' outputs, as JupyterLab saves
them) and submits it. The real grader's pool grades it from the private bundle only.

* With the author's solutions, every test cell passes and every objective is mastered with
  full marks: every source notebook passes with its solutions.
* The untouched released notebook scores nothing.
* With "literal answers" (each answer replaced by the solution's values pasted as
  constants, and every function by one returning the constant it first returned; quizzes
  answered right, since their answers are public) no objective of any unit is mastered:
  hidden tests try the learner's code on inputs the notebook never shows.

Data-driven: every unit of ``course.toml`` is covered as it is written.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from course_content_helpers import (
    COURSE,
    grade_submission,
    quiz_answers,
    solutions,
    submission,
    units,
)

from mastery_nb.grade.attempt import GradingPool

pytestmark = pytest.mark.slow

UNITS = units()


@pytest.fixture(scope="module")
def literal_answers(course_root: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """unit -> grade_id -> the literal-answers source, computed in a subprocess."""
    out = tmp_path_factory.mktemp("literal") / "literal.json"
    done = subprocess.run(
        [
            sys.executable,
            str(Path(__file__).with_name("literal_values.py")),
            str(course_root / "courses" / COURSE),
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env={"PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg", "HOME": str(out.parent)},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(out.read_text(encoding="utf-8"))


def _released(course_root: Path, notebook: str) -> Path:
    return course_root / "release" / COURSE / notebook


@pytest.mark.parametrize("unit", UNITS, ids=[u.id for u in UNITS])
def test_solved_submission_masters_every_objective(
    course_root: Path, content_pool: GradingPool, unit
) -> None:
    course_dir = course_root / "courses" / COURSE
    source = nbformat.read(course_dir / unit.notebook, as_version=4)
    data = submission(
        _released(course_root, unit.notebook),
        solutions(source),
        quiz_answers(course_dir, unit.id),
        unit.id,
    )

    result = grade_submission(content_pool, course_root, unit.id, unit.notebook, data)

    failed = [
        f"{c.grade_id}: {c.status} {c.message}"
        for c in result.cells
        if c.status != "passed" and "graded by hand" not in c.message
    ]
    assert not failed, "\n".join(failed)
    # full marks; an objective with an answer graded by hand awaits that review, and full
    # marks on it would master it (issue 9: answers graded by hand count)
    assert result.objectives and all(
        (o.mastered and o.score == 1.0)
        if not o.pending
        else (o.awaiting_review and o.points + o.pending == o.max_points)
        for o in result.objectives
    ), [(o.objective, o.score, o.pending) for o in result.objectives]
    assert not result.tampering, result.tampering


@pytest.mark.parametrize("unit", UNITS, ids=[u.id for u in UNITS])
def test_untouched_release_scores_nothing(
    course_root: Path, content_pool: GradingPool, unit
) -> None:
    released = _released(course_root, unit.notebook)
    data = released.read_bytes()

    result = grade_submission(content_pool, course_root, unit.id, unit.notebook, data)

    assert result.cells
    assert all(c.points == 0 for c in result.cells), [(c.grade_id, c.points) for c in result.cells]
    assert not any(o.mastered for o in result.objectives)


@pytest.mark.parametrize("unit", UNITS, ids=[u.id for u in UNITS])
def test_literal_answers_master_no_objective(
    course_root: Path, content_pool: GradingPool, literal_answers: dict, unit
) -> None:
    course_dir = course_root / "courses" / COURSE
    literals = literal_answers[unit.id]
    source = nbformat.read(course_dir / unit.notebook, as_version=4)
    code_answers = {
        c.metadata["nbgrader"]["grade_id"]
        for c in source.cells
        if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")
    }
    assert set(literals) == code_answers
    data = submission(
        _released(course_root, unit.notebook),
        literals,
        quiz_answers(course_dir, unit.id),
        unit.id,
    )

    result = grade_submission(content_pool, course_root, unit.id, unit.notebook, data)

    mastered = [(o.objective, round(o.score, 2)) for o in result.objectives if o.mastered]
    assert not mastered, (
        f"{unit.id}: literal answers (values pasted as constants) master {mastered}; "
        "test the learner's code on inputs the notebook does not show"
    )
    # the literal answers did run: the failures are hidden tests, not a broken submission
    assert not result.messages, result.messages

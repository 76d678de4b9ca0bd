"""Quiz answers carried by the submitted notebook reach the grader's test cells."""

from __future__ import annotations

from pathlib import Path

import pytest
from unitkit import Cell, cell, make_unit, submit, to_bytes

from mastery_nb.checks import ANSWER_MIME
from mastery_nb.course.model import Course

CHECKS = """from mastery_nb.checks import Checks

checks = Checks(unit="quiz-unit")
checks.single_choice("robust", objective="describe-data", prompt="Which is robust to outliers?",
                     options=["mean", "median"], answer="median")
"""


@pytest.fixture(scope="module")
def quiz_unit(tmp_path_factory):
    root = tmp_path_factory.mktemp("quiz-course")
    bundle_dir = root / "autograder" / "quiz-course"
    (bundle_dir / "files" / "checks").mkdir(parents=True)
    (bundle_dir / "files" / "checks" / "quiz-unit.py").write_text(CHECKS, encoding="utf-8")
    (bundle_dir / "course.json").write_text(
        Course(id="quiz-course", title="Quiz").model_dump_json(), encoding="utf-8"
    )
    unit = make_unit(
        [
            Cell(
                "locked",
                "load",
                "from mastery_nb.checks import load_checks\nchecks = load_checks('quiz-unit')",
            ),
            Cell("code", source='checks.quiz("robust")'),
            Cell(
                "test",
                "robust-test",
                'checks.quiz("robust")',
                points=1,
                objectives=("describe-data",),
            ),
        ],
        course="quiz-course",
        unit="quiz-unit",
        path="units/quiz.ipynb",
    )
    return unit, bundle_dir / "files"


def _answered(unit, answer: str) -> bytes:
    nb = submit(unit)
    quiz_cell = next(
        c
        for c in nb["cells"]
        if c["source"] == 'checks.quiz("robust")' and "nbgrader" not in c["metadata"]
    )
    quiz_cell["outputs"] = [
        {
            "output_type": "display_data",
            "metadata": {},
            "data": {ANSWER_MIME: {"question": "robust", "answer": answer}, "text/plain": "quiz"},
        }
    ]
    return to_bytes(nb)


@pytest.mark.parametrize(("answer", "points"), [("median", 1.0), ("mean", 0.0)])
def test_quiz_answer_in_the_notebook_is_graded(pool, quiz_unit, answer, points) -> None:
    unit, files_dir = quiz_unit
    result = pool.grade(unit.bundle, {unit.path: _answered(unit, answer)}, Path(files_dir))
    robust = cell(result, "robust-test")
    assert robust.points == points, robust
    if not points:
        assert robust.status == "failed" and robust.message.startswith("AssertionError")

"""Answers graded by hand count toward mastery: nbgrader's ps1 as a unit, graded for real.

ps1 (nbgrader's documentation example) is 13 points, 10 of them graded by hand (two
Markdown answers, a code answer, an equation, a task). Graded automatically alone it is
"awaiting review": not mastered until an instructor grades those answers, and mastered
once they are graded above the threshold.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from ps1_kit import (
    COURSE,
    MANUAL,
    NOTEBOOK_OF,
    TASK_ANSWER,
    UNIT,
    WRITTEN,
    ps1_submission,
    released_ps1,
)

from mastery_nb.course.reader import ReleasedCourse
from mastery_nb.documents import ManualGradeRequest, RubricScore
from mastery_nb.feedback import attempt_feedback, render_feedback_html
from mastery_nb.feedback.cli import format_text
from mastery_nb.grade.queue import grade_pending
from mastery_nb.progress import course_progress
from mastery_nb.review import Refused, record_manual_grade, review_sheet
from mastery_nb.root import CourseRoot
from mastery_nb.store import open_store
from mastery_nb.submit import submit_attempt

pytestmark = pytest.mark.timeout(300)


@dataclass
class GradedClass:
    root: CourseRoot

    def objective(self, learner: str) -> dict[str, object]:
        progress = course_progress(self.root, COURSE, learner)
        objective = progress["units"][0]["objectives"][0]
        assert isinstance(objective, dict)
        return objective

    def grade(self, learner: str, grade_id: str, points: float | None, **more: object) -> None:
        released = ReleasedCourse.of(self.root, COURSE)
        record_manual_grade(
            open_store(self.root),
            released.unit_bundle(UNIT),
            COURSE,
            learner,
            1,
            ManualGradeRequest(
                notebook=NOTEBOOK_OF[grade_id], grade_id=grade_id, points=points, **more
            ),
            "prof",
        )


@pytest.fixture
def graded(make_root: Callable[..., CourseRoot]) -> GradedClass:
    """ada wrote every answer; bob left the answers graded by hand blank (the task too)."""
    root = released_ps1(make_root)
    submit_attempt(root, COURSE, UNIT, "ada", ps1_submission(root))
    submit_attempt(root, COURSE, UNIT, "bob", ps1_submission(root, answered=False))
    assert grade_pending(root, workers=2) == 2
    return GradedClass(root)


def test_ps1_awaits_review_then_is_mastered_once_graded_above_threshold(
    graded: GradedClass,
) -> None:
    before = graded.objective("ada")
    # every autograded test passed: 3 of 13 points; the 10 graded by hand are pending
    assert (before["score"], before["mastered"], before["awaiting_review"]) == (
        pytest.approx(3 / 13, abs=1e-6),
        False,
        True,
    )
    feedback = attempt_feedback(graded.root, COURSE, "ada", UNIT)
    assert feedback["awaiting_review"] and not feedback["mastered"]
    waiting_page = render_feedback_html(feedback)
    assert "awaiting review" in waiting_page and "mastery is decided then" in waiting_page
    waiting = {c["grade_id"] for c in feedback["checks"] if c["awaiting_review"]}
    assert waiting == set(MANUAL)
    assert feedback["failed_checks"] == [], "answers awaiting review did not 'fail'"
    assert feedback["objectives"][0]["remediation"] == [], "no correctives before the review"

    # by hand 1 + 2 + 3 (of 4) + 1 so far: 10/13 = 0.77 with the 3 automatic points; the
    # 2 points of part-b still pending could reach 0.8, so it still awaits review
    for grade_id, points in {**MANUAL, "cell-938593c4a215c6cc": 3.0}.items():
        if grade_id != "part-b":
            graded.grade("ada", grade_id, points)
    pending = graded.objective("ada")
    assert (pending["score"], pending["mastered"], pending["awaiting_review"]) == (
        pytest.approx(10 / 13, abs=1e-6),
        False,
        True,
    )
    graded.grade("ada", "part-b", 1.0, comment="Right idea: say **why** recursion never stops.")
    after = graded.objective("ada")
    assert (after["score"], after["mastered"], after["awaiting_review"]) == (
        pytest.approx(11 / 13, abs=1e-6),
        True,
        False,
    )
    assert str(after["mastered_at"]).endswith("Z")
    feedback = attempt_feedback(graded.root, COURSE, "ada", UNIT)
    assert feedback["mastered"] and feedback["unit_mastered"] and not feedback["awaiting_review"]
    part_b = next(c for c in feedback["checks"] if c["grade_id"] == "part-b")
    assert part_b["status"] == "reviewed" and part_b["points"] == 1.0
    assert part_b["comment"] == "Right idea: say **why** recursion never stops."
    assert not part_b["passed"] and part_b["explanation"] == ""
    page = render_feedback_html(feedback)
    assert "Graded by hand" in page and "Your instructor wrote:" in page
    assert "Right idea: say <strong>why</strong> recursion never stops." in page
    text = format_text(feedback)
    assert "graded by hand, 1 of 2: Right idea: say **why** recursion never stops." in text


def test_blank_answers_score_zero_and_need_no_review(graded: GradedClass) -> None:
    """As nbgrader does: an answer left as released gets 0 at once. The task (answered in
    cells of the learner's own) always waits, but cannot lift bob to 0.8: decided now."""
    objective = graded.objective("bob")
    assert (objective["mastered"], objective["awaiting_review"]) == (False, False)
    feedback = attempt_feedback(graded.root, COURSE, "bob", UNIT)
    statuses = {c["grade_id"]: c["status"] for c in feedback["checks"] if c["grade_id"] in MANUAL}
    assert statuses == {
        "sum_of_squares_equation": "failed",
        "sum_of_squares_application": "failed",
        "cell-938593c4a215c6cc": "manual",
        "part-a": "failed",
        "part-b": "failed",
    }
    assert feedback["objectives"][0]["remediation"] == [], "ps1 names no correctives"


def test_the_review_sheet_shows_the_answers_as_written(graded: GradedClass) -> None:
    released = ReleasedCourse.of(graded.root, COURSE)
    course = released.course()
    sheet = review_sheet(graded.root, course, released.unit_bundle(UNIT), "ada", 1)
    cells = {c.grade_id: c for c in sheet.cells}
    assert set(cells) == set(MANUAL)
    assert all(c.status == "manual" and c.grade is None for c in cells.values())
    assert [p.source for p in cells["part-a"].answer] == [WRITTEN["part-a"]]
    assert cells["part-a"].answer[0].cell_type == "markdown"
    task = cells["cell-938593c4a215c6cc"]
    assert task.task and "Part E" in task.prompt
    assert [p.source for p in task.answer] == [TASK_ANSWER], "the cell the learner added"
    assert "def pyramidal_number" in cells["sum_of_squares_application"].answer[0].source
    assert cells["part-a"].prompt, "the question above the answer, as released"
    assert sheet.standing.awaiting_review is True


def test_grades_are_checked_and_the_trail_keeps_every_one(graded: GradedClass) -> None:
    test_cell = ManualGradeRequest(
        notebook="units/ps1/problem1.ipynb", grade_id="correct_squares", points=1
    )
    bundle = ReleasedCourse.of(graded.root, COURSE).unit_bundle(UNIT)
    with pytest.raises(Refused, match="graded automatically, not by hand") as refused:
        record_manual_grade(open_store(graded.root), bundle, COURSE, "ada", 1, test_cell, "prof")
    assert refused.value.status == 409
    with pytest.raises(Refused, match="more than the answer is worth"):
        graded.grade("ada", "part-a", 1.5)
    with pytest.raises(Refused, match="make them add up to 2"):
        graded.grade(
            "ada",
            "part-b",
            None,
            rubric=[RubricScore(criterion="names the cause", points=1, max_points=1)],
        )
    with pytest.raises(Refused, match="no attempt 1") as missing:
        graded.grade("carol", "part-a", 1.0)
    assert missing.value.status == 404

    rubric = [
        RubricScore(criterion="names the cause", points=1, max_points=1),
        RubricScore(criterion="explains the base case", points=0, max_points=1),
    ]
    graded.grade("ada", "part-b", None, rubric=rubric, comment="first look")
    graded.grade("ada", "part-b", 2.0, comment="on second reading, complete")
    released = ReleasedCourse.of(graded.root, COURSE)
    sheet = review_sheet(graded.root, released.course(), released.unit_bundle(UNIT), "ada", 1)
    part_b = next(c for c in sheet.cells if c.grade_id == "part-b")
    assert [(g.points, g.comment, g.grader) for g in part_b.history] == [
        (1.0, "first look", "prof"),
        (2.0, "on second reading, complete", "prof"),
    ]
    assert part_b.grade is not None and part_b.grade.points == 2.0 and part_b.status == "reviewed"
    # the next learner's sheet offers the criteria last used for that answer
    bob = review_sheet(graded.root, released.course(), released.unit_bundle(UNIT), "bob", 1)
    template = next(c for c in bob.cells if c.grade_id == "part-b").rubric_template
    assert [(r.criterion, r.points, r.max_points) for r in template] == [
        ("names the cause", 0.0, 1.0),
        ("explains the base case", 0.0, 1.0),
    ]

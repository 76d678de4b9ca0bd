"""What the sidebar says about answers graded by hand and an instructor's overrides.

nbgrader's ps1 as a unit (10 of its 13 points graded by hand): ada's attempt is graded
automatically, so the unit awaits review; her instructor grants her two more attempts. Her
Mastery panel says both, in words: the written answers wait for the instructor (not failed,
decided once graded), and what the instructor changed. Once the answers are graded above the
threshold, the unit is mastered and the review line is gone.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lab_browser import ARTIFACTS, LabServer, serve_learner, stop_jupyterlab
from sidebar_page import card, open_panel, wait_state, wait_text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "review"))
from ps1_kit import COURSE, MANUAL, NOTEBOOK_OF, UNIT, ps1_submission, released_ps1

from mastery_nb.course.reader import ReleasedCourse
from mastery_nb.dashboard.course import CourseDashboard
from mastery_nb.documents import ManualGradeRequest, OverrideRequest
from mastery_nb.grade.queue import grade_pending
from mastery_nb.review import record_manual_grade
from mastery_nb.root import CourseRoot
from mastery_nb.store import open_store
from mastery_nb.submit import submit_attempt

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(600)]

LEARNER = "ada"
REVIEW = f'#jp-mastery-panel li[data-unit="{UNIT}"] .jp-Mastery-review'
NOTES = f'#jp-mastery-panel li[data-unit="{UNIT}"] .jp-Mastery-notes'


@pytest.fixture
def ps1_root(make_root: Any) -> CourseRoot:
    root = released_ps1(make_root)
    submit_attempt(root, COURSE, UNIT, LEARNER, ps1_submission(root))
    assert grade_pending(root, workers=1) == 1
    CourseDashboard(root, COURSE).override(
        LEARNER,
        OverrideRequest(action="extra_attempts", unit=UNIT, amount=2, reason="ill in week 3"),
        "prof",
    )
    return root


@pytest.fixture
def lab(ps1_root: CourseRoot, tmp_path: Path) -> Iterator[LabServer]:
    server = serve_learner(
        ps1_root, COURSE, LEARNER, tmp_path, "--MasteryApp.grade_in_process=False"
    )
    try:
        yield server
    finally:
        stop_jupyterlab(server)


def test_the_panel_says_answers_await_review_and_what_the_instructor_changed(
    lab: LabServer, ps1_root: CourseRoot, page: Any
) -> None:
    open_panel(page, lab)
    unit = card(page, UNIT)
    unit.locator(".jp-Mastery-unitHeader").first.click()
    wait_text(page, REVIEW, "waiting for your instructor to grade them")
    assert "mastery is decided once they are graded" in page.locator(REVIEW).inner_text()
    notes = page.locator(NOTES).inner_text()
    assert "Your instructor granted 2 more attempts on this unit." in notes
    assert "ill in week 3" not in unit.inner_text(), "the reason stays with the staff"
    assert "Attempts: 1 used" in unit.inner_text()
    page.screenshot(path=str(ARTIFACTS / "sidebar-review.png"))

    bundle = ReleasedCourse.of(ps1_root, COURSE).unit_bundle(UNIT)
    store = open_store(ps1_root)
    for grade_id in sorted(MANUAL):
        cell = next(c for nb in bundle.notebooks for c in nb.cells if c.grade_id == grade_id)
        request = ManualGradeRequest(
            notebook=NOTEBOOK_OF[grade_id], grade_id=grade_id, points=cell.points
        )
        record_manual_grade(store, bundle, COURSE, LEARNER, 1, request, "prof")
    page.locator("#jp-mastery-panel button", has_text="Refresh").first.click()
    wait_state(page, UNIT, "mastered")
    assert page.locator(REVIEW).count() == 0

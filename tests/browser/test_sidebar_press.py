"""A click is a press and a release: the Mastery panel must not lose it to a redraw between them.

The panel redraws its cards when a read of the learner's progress finds something new (a
grade, an unlock, an instructor's change). A redraw replaces the buttons; had it run
between the press and the release, the two would land on different nodes and the browser
would not click at all: the learner presses a button and nothing happens. Here the
instructor grants two more attempts while the learner holds the mouse down on Feedback, and
the panel reads it; on release the feedback opens, and the card then shows the attempts.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lab_browser import LabServer, serve_learner, stop_jupyterlab
from sidebar_page import card, open_panel, wait_state

from mastery_nb.dashboard.course import CourseDashboard
from mastery_nb.documents import OverrideRequest
from mastery_nb.root import CourseRoot

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "server"))
from mini_course import COURSE_ID, STUDENT, UNIT_1, after_a_wrong_attempt

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

UNIT = UNIT_1
TITLE = "Python basics"


@pytest.fixture
def course(tmp_path: Path) -> CourseRoot:
    return after_a_wrong_attempt(tmp_path / "course-root")


@pytest.fixture
def lab(course: CourseRoot, tmp_path: Path) -> Iterator[LabServer]:
    server = serve_learner(
        course, COURSE_ID, STUDENT, tmp_path, "--MasteryApp.grade_in_process=False"
    )
    try:
        yield server
    finally:
        stop_jupyterlab(server)


def test_news_read_while_a_button_is_pressed_does_not_lose_the_click(
    lab: LabServer, course: CourseRoot, page: Any
) -> None:
    panel = open_panel(page, lab)
    wait_state(page, UNIT, "in_progress", timeout=30_000)
    attempts = card(page, UNIT).locator(".jp-Mastery-attempts")
    assert attempts.inner_text() == "Attempts: 1 used, 2 left"
    # the pointer on Feedback (hover waits until the button is there and still: the panel
    # redraws once when it first reads the learner's practice), then pressed
    page.get_by_role("button", name=f"View feedback of unit {TITLE}").hover()
    page.mouse.down()

    # meanwhile the instructor grants two more attempts, and the panel reads it (its Refresh
    # pressed as an event: the mouse stays down on Feedback)
    CourseDashboard(course, COURSE_ID).override(
        STUDENT,
        OverrideRequest(action="extra_attempts", unit=UNIT, amount=2, reason="a late start"),
        "prof",
    )
    panel.get_by_role("button", name="Refresh the Mastery panel").dispatch_event("click")
    # the panel holds the news (its progress, as read) ...
    page.wait_for_function(
        """unit => {
            const panel = Array.from(window.jupyterapp.shell.widgets('left'))
                .find(w => w.id === 'jp-mastery-panel');
            const standing = panel?.progress?.units.find(u => u.id === unit);
            return standing?.attempts_left === 4;
        }""",
        arg=UNIT,
        timeout=30_000,
    )
    # ... and has not drawn it under the press
    assert attempts.inner_text() == "Attempts: 1 used, 2 left", "no redraw under the press"

    page.mouse.up()
    frame = page.frame_locator(f"#jp-mastery-feedback-{UNIT} iframe.jp-Mastery-feedbackFrame")
    frame.get_by_role("heading", name=TITLE).wait_for(timeout=30_000)
    page.wait_for_function(
        "([s, t]) => document.querySelector(s)?.textContent === t",
        arg=[f'li[data-unit="{UNIT}"] .jp-Mastery-attempts', "Attempts: 1 used, 4 left"],
        timeout=10_000,
    )

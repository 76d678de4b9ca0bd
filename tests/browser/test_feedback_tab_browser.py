"""The feedback tab: every attempt reachable, newer results followed, restored after a
reload, in JupyterLab's theme (issue 12, item 4: the tab; the page's content has its own
tests in test_feedback_page_browser.py).

A small real course, graded for real in the learner's own Jupyter server. Attempt 1 (one
answer wrong) is on record when the student opens its feedback from the sidebar. They
submit attempt 2 (two mistakes) from the sidebar: the open tab follows it from "waiting
to be graded" to its result, on its own. They choose attempt 1 in the tab's list of
attempts and read it; attempt 3 (right) lands: the tab stays on attempt 1 and says attempt 3
is there. They reload the page: the tab is back, still on attempt 1, with every attempt in
its list. In JupyterLab's dark theme the bar and the page are dark. Screenshot:
docs/img/feedback-history-dark.png.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lab_browser import LabServer, serve_learner, stop_jupyterlab
from sample_course import REPO
from sidebar_page import card, open_panel, wait_state, wait_text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "server"))
from mini_course import (
    COURSE_ID,
    FIXED_TOTAL,
    STUDENT,
    UNIT_1,
    UNIT_1_NOTEBOOK,
    after_a_wrong_attempt,
    answered,
)

from mastery_nb.root import CourseRoot

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(600)]

UNIT = UNIT_1
TITLE = "Python basics"
NOTEBOOK = UNIT_1_NOTEBOOK
DARK_SHOT = REPO / "docs" / "img" / "feedback-history-dark.png"
FRAME = f"#jp-mastery-feedback-{UNIT} iframe.jp-Mastery-feedbackFrame"
SELECT = f"#jp-mastery-feedback-{UNIT} select.jp-Mastery-attemptSelect"


@pytest.fixture
def course(tmp_path: Path) -> CourseRoot:
    return after_a_wrong_attempt(tmp_path / "course-root")


@pytest.fixture
def lab_server(course: CourseRoot, tmp_path: Path) -> Iterator[LabServer]:
    server = serve_learner(
        course, COURSE_ID, STUDENT, tmp_path, "--MasteryApp.grade_in_process=True"
    )
    try:
        server.api("POST", f"mastery/api/units/{UNIT}/start")
        yield server
    finally:
        stop_jupyterlab(server)


def frame_says(page: Any, text: str, timeout: float = 120_000) -> None:
    page.wait_for_function(
        """([sel, t]) => { const f = document.querySelector(sel);
            const body = f && f.contentDocument && f.contentDocument.body;
            return !!body && body.innerText.includes(t); }""",
        arg=[FRAME, text],
        timeout=timeout,
    )


def options(page: Any) -> list[str]:
    found: list[str] = page.locator(f"{SELECT} option").all_inner_texts()
    return found


def save_answers(server: LabServer, course: CourseRoot, total: str, greeting: str) -> None:
    """What the learner saved in their notebook (the sidebar submits what is on disk)."""
    path = server.root / COURSE_ID / NOTEBOOK
    path.write_bytes(answered(course.course_release(COURSE_ID) / NOTEBOOK, total, greeting))


def test_history_following_and_restore(
    lab_server: LabServer, course: CourseRoot, page: Any
) -> None:
    open_panel(page, lab_server)
    unit = card(page, UNIT)
    unit.get_by_role("button", name=f"View feedback of unit {TITLE}").click()
    frame_says(page, "Attempt 1 \u00b7 Mini course")
    assert len(options(page)) == 1
    assert options(page)[0].startswith("Attempt 1 \u00b7 graded, not mastered \u00b7 submitted ")
    assert page.get_by_label("Attempt").count() == 1, "the list of attempts is labelled"

    # attempt 2 from the sidebar: the open tab follows it to its result, on its own
    save_answers(lab_server, course, "total = 3 + 6", "greeting = 'HELLO'")
    unit.get_by_role("button", name=f"Submit unit {TITLE}").click()
    wait_text(page, "#jp-mastery-panel .jp-Mastery-status", f"Attempt 2 of {TITLE} submitted")
    frame_says(page, "Attempt 2 \u00b7 Mini course")
    wait_state(page, UNIT, "in_progress")
    frame_says(page, "0 of 3 points")  # attempt 2's result: both answers wrong
    page.wait_for_function(f"() => document.querySelectorAll('{SELECT} option').length === 2")
    assert options(page)[0].startswith("Attempt 2 \u00b7 graded, not mastered")
    assert page.locator(SELECT).input_value() == "2"

    # every attempt reachable: attempt 1 again
    page.locator(SELECT).select_option("1")
    frame_says(page, "Attempt 1 \u00b7 Mini course")
    assert page.locator(SELECT).input_value() == "1"

    # attempt 3 lands: a tab kept on attempt 1 stays there and says attempt 3 is in the list
    save_answers(lab_server, course, FIXED_TOTAL, "greeting = 'hello'")
    unit.get_by_role("button", name=f"Submit unit {TITLE}").click()
    wait_state(page, UNIT, "mastered")
    note = page.locator(f"#jp-mastery-feedback-{UNIT} .jp-Mastery-feedbackNote")
    page.wait_for_function(
        f"() => (document.querySelector('#jp-mastery-feedback-{UNIT} .jp-Mastery-feedbackNote')"
        "?.textContent || '').includes('Attempt 3')",
        timeout=30_000,
    )
    assert "choose it in the list" in note.inner_text()
    assert page.locator(SELECT).input_value() == "1"
    frame_says(page, "Attempt 1 \u00b7 Mini course")

    # reload the page: the tab is back, still on attempt 1, with all three attempts listed
    page.reload()
    page.wait_for_selector("#jupyterlab-splash", state="detached", timeout=90_000)
    page.locator(FRAME).wait_for(timeout=30_000)
    frame_says(page, "Attempt 1 \u00b7 Mini course", timeout=30_000)
    page.wait_for_function(f"() => document.querySelectorAll('{SELECT} option').length === 3")
    assert page.locator(SELECT).input_value() == "1"
    assert options(page)[0].startswith("Attempt 3 \u00b7 graded, mastered")

    # choosing the newest follows the latest again
    page.locator(SELECT).select_option("3")
    frame_says(page, "Attempt 3 \u00b7 Mini course")
    frame_says(page, "unit mastered")

    # JupyterLab's dark theme: the bar and the page follow it
    page.evaluate(
        "() => window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Dark'})"
    )
    page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'")
    dark = page.evaluate(
        """() => { const p = document.createElement('div'); document.body.appendChild(p);
            p.style.backgroundColor = 'var(--jp-layout-color1)'; const one = getComputedStyle(p).backgroundColor;
            p.style.backgroundColor = 'var(--jp-layout-color0)'; const zero = getComputedStyle(p).backgroundColor;
            p.remove(); return [one, zero]; }"""
    )
    bar = page.locator(f"#jp-mastery-feedback-{UNIT} .jp-Mastery-feedbackBar")
    page.wait_for_function(
        "([sel, want]) => getComputedStyle(document.querySelector(sel)).backgroundColor === want",
        arg=[f"#jp-mastery-feedback-{UNIT} .jp-Mastery-feedbackBar", dark[0]],
    )
    page.wait_for_function(
        """([sel, want]) => { const f = document.querySelector(sel);
            return getComputedStyle(f.contentDocument.body).backgroundColor === want; }""",
        arg=[FRAME, dark[1]],
    )
    assert bar.is_visible()
    page.wait_for_selector("#jupyterlab-splash", state="detached", timeout=30_000)
    assert card(page, UNIT).locator(".jp-Mastery-limit").count() == 0, "mastered: nothing to ask"
    page.mouse.move(700, 900)
    DARK_SHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DARK_SHOT), clip={"x": 0, "y": 0, "width": 1400, "height": 900})

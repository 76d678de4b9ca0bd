"""The whole mastery loop through the Mastery sidebar, in a real JupyterLab and Debian's Chromium.

A course is released with the real release code; JupyterLab runs with the mastery-nb server
extension and its in-process grader on SQLite. The learner, using only the sidebar and the
notebook: starts unit 1 (python-basics), answers one question wrongly, submits, watches it
grade, reads the feedback in a JupyterLab tab, fixes the answer, resubmits, and sees unit 1
mastered and the next units unlock. What the panel shows is asserted at every step (state
labels, waits-for text, progress bars' aria values, attempts). Last, the server is stopped
and the panel must say so in words.

The same loop then runs on the sample course (unit 1 of intro-data-science, released from
courses/ with unit 1's cooldown shortened to 20 s): during the cooldown Submit waits and
says until when, the feedback's corrective opens in JupyterLab, the quizzes are answered
with their widgets; the screenshot used by the README is saved to docs/img/sidebar.png.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lab_browser import ARTIFACTS, Lab, LabServer, serve_learner, stop_jupyterlab

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "server"))
from mini_course import COURSE_ID, FIXED_TOTAL, STUDENT, WRONG_TOTAL, build_mini_course
from sample_course import REPO, SAMPLE, sample_root, serve_course, solutions
from sidebar_page import GRADE_TIMEOUT, show_panel_top, state_of, wait_state
from sidebar_page import card as unit

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(600)]

SCREENSHOT = REPO / "docs" / "img" / "sidebar.png"
NOTEBOOK = f"{COURSE_ID}/units/01-python-basics.ipynb"


@pytest.fixture
def mastery_lab(tmp_path: Path) -> Iterator[LabServer]:
    root = build_mini_course(tmp_path / "course-root")
    server = serve_learner(root, COURSE_ID, STUDENT, tmp_path, "--MasteryApp.grade_in_process=True")
    try:
        yield server
    finally:
        stop_jupyterlab(server)


def bar_value(page: Any, unit_id: str, objective: str) -> str:
    bar = unit(page, unit_id).locator(f'li[data-objective="{objective}"] [role="progressbar"]')
    return str(bar.get_attribute("aria-valuenow"))


def answer_cells(lab: Lab) -> list[int]:
    """Indexes of the solution cells of the open notebook (nbgrader's solution flag)."""
    cells = lab.page.evaluate(
        """() => window.jupyterapp.shell.currentWidget.content.widgets.map(
               c => !!((c.model.getMetadata('nbgrader') || {}).solution))"""
    )
    return [i for i, solution in enumerate(cells) if solution]


def test_mastery_loop_through_the_sidebar(mastery_lab: LabServer, page: Any) -> None:
    lab = Lab(page, mastery_lab)
    page.goto(mastery_lab.lab_url())
    page.wait_for_selector("#jupyterlab-splash", state="detached", timeout=90_000)

    # the sidebar: a tab on the left, a panel listing every unit with its state
    tab = page.locator('.jp-SideBar li[data-id="jp-mastery-panel"]')
    tab.click()
    panel = page.locator("#jp-mastery-panel")
    panel.wait_for(state="visible")
    assert panel.get_attribute("role") == "region"
    wait_state(page, "python-basics", "unlocked", timeout=30_000)
    assert "Mini course" in panel.locator(".jp-Mastery-course").inner_text()
    assert state_of(page, "python-basics") == "Unlocked"
    assert state_of(page, "functions") == "Locked"
    assert (
        unit(page, "functions").locator(".jp-Mastery-waits").inner_text()
        == "Waits for: Python basics"
    )
    assert (
        unit(page, "capstone").locator(".jp-Mastery-waits").inner_text()
        == "Waits for: Functions, Loops"
    )
    assert bar_value(page, "python-basics", "use-variables") == "0"
    assert (
        unit(page, "python-basics").locator(".jp-Mastery-attempts").inner_text()
        == "Attempts: 0 used, 3 left"
    )
    assert unit(page, "functions").get_by_role("button").count() == 0, (
        "nothing to press on a locked unit"
    )

    # start unit 1: its notebook is copied into the workspace and opened
    page.get_by_role("button", name="Start unit Python basics").click()
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    lab.wait_idle(timeout=90_000)
    assert (mastery_lab.root / NOTEBOOK).is_file()
    assert page.get_by_role("button", name="Submit unit Python basics").is_visible()

    # answer the first question wrongly, the second rightly; the sidebar saves before submitting
    total_cell, greeting_cell = answer_cells(lab)
    lab.type_into(total_cell, WRONG_TOTAL)
    lab.type_into(greeting_cell, "greeting = 'hello'")
    page.get_by_role("button", name="Submit unit Python basics").click()
    page.wait_for_selector(
        '#jp-mastery-panel .jp-Mastery-status:has-text("Attempt 1 of Python basics submitted")'
    )
    assert WRONG_TOTAL in (mastery_lab.root / NOTEBOOK).read_text(), "saved before submitting"
    wait_state(page, "python-basics", "grading", timeout=10_000)
    assert (
        unit(page, "python-basics")
        .get_by_role("button", name="Submit unit Python basics")
        .is_disabled()
    )

    # graded on its own (the panel polls while grading): not mastered, one objective short
    wait_state(page, "python-basics", "in_progress")
    assert state_of(page, "python-basics") == "In progress"
    assert bar_value(page, "python-basics", "use-variables") == "0"
    assert bar_value(page, "python-basics", "work-with-strings") == "100"
    assert (
        unit(page, "python-basics").locator(".jp-Mastery-attempts").inner_text()
        == "Attempts: 1 used, 2 left"
    )
    assert "not mastered yet" in panel.locator(".jp-Mastery-status").inner_text()
    assert state_of(page, "functions") == "Locked"

    # read the feedback in a JupyterLab tab
    page.get_by_role("button", name="View feedback of unit Python basics").click()
    frame = page.frame_locator("#jp-mastery-feedback-python-basics iframe.jp-Mastery-feedbackFrame")
    frame.get_by_role("heading", name="Python basics").wait_for(timeout=30_000)  # the page, loaded
    feedback = frame.locator("body").inner_text()
    assert "use-variables" in feedback or "Store values in variables" in feedback
    assert "test-total" in feedback or "total should be" in feedback
    assert "Variables, step by step" in feedback, "the corrective to study"
    assert "assert total == 7" not in feedback, "never the hidden test's source"
    lab.screenshot("sidebar-feedback.png")

    # fix the answer and resubmit (keyboard: focus the button, press Enter)
    page.locator(f'.lm-TabBar-tab:has-text("{Path(NOTEBOOK).name}")').first.click()
    lab.type_into(total_cell, FIXED_TOTAL)
    submit = page.get_by_role("button", name="Submit unit Python basics")
    submit.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(
        '#jp-mastery-panel .jp-Mastery-status:has-text("Attempt 2 of Python basics submitted")'
    )

    # mastered, and the units that waited for it unlock; the capstone still waits
    wait_state(page, "python-basics", "mastered")
    assert state_of(page, "python-basics") == "Mastered"
    assert bar_value(page, "python-basics", "use-variables") == "100"
    wait_state(page, "functions", "unlocked", timeout=10_000)
    assert state_of(page, "loops") == "Unlocked"
    assert state_of(page, "capstone") == "Locked"
    assert (
        unit(page, "capstone").locator(".jp-Mastery-waits").inner_text()
        == "Waits for: Functions, Loops"
    )
    assert page.get_by_role("button", name="Start unit Functions").is_visible()
    assert (
        unit(page, "python-basics").get_by_role("button", name="Submit unit Python basics").count()
        == 0
    )
    assert "1 of 4 units mastered" in panel.locator(".jp-Mastery-course").inner_text()
    status = panel.locator(".jp-Mastery-status").inner_text()
    assert "mastered" in status and "unlocked" in status

    lab.screenshot("sidebar-mastered.png")

    # the server goes away: the panel says so in words
    stop_jupyterlab(mastery_lab)
    # JupyterLab's own "Server Connection Error" dialog may cover the page: the button is
    # pressed as a click event, which is what a keyboard user's Enter produces too
    panel.get_by_role("button", name="Refresh the Mastery panel").dispatch_event("click")
    alert = panel.get_by_role("alert")
    alert.wait_for(state="visible")
    page.wait_for_function(
        "() => document.querySelector('#jp-mastery-panel [role=alert]').textContent.length > 0"
    )
    assert "Cannot reach the Jupyter server" in alert.inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)


#: unit 1's cooldown is 2 minutes in the sample course; the test course waits 20 seconds
TEST_COOLDOWN = '"20s"'


def _quiz_answers(course_dir: Path) -> dict[str, Any]:
    """The right answer of every quiz of unit 1, read from its (public) checks file, for the
    form in ``course_dir`` (the learner's workspace holds theirs)."""
    from mastery_nb.checks import load_checks

    checks = load_checks("python-basics", start=course_dir / "units", namespace={})
    answers: dict[str, Any] = {}
    for qid in checks.ids:
        try:
            answer = checks.quiz_question(qid).answer
        except KeyError:
            continue  # a code question
        answers[qid] = list(answer) if isinstance(answer, tuple) else answer
    return answers


@pytest.fixture
def sample_lab(tmp_path: Path) -> Iterator[LabServer]:
    server = serve_course(sample_root(tmp_path, cooldown=TEST_COOLDOWN), tmp_path, STUDENT)
    try:
        yield server
    finally:
        stop_jupyterlab(server)


def test_sample_course_loop_through_the_sidebar(sample_lab: LabServer, page: Any) -> None:
    """The sample course's unit 1 as `mastery-nb demo` serves it: fail, wait out the cooldown, fix, master."""
    import json
    import re
    import time

    course = json.loads(
        (sample_lab.root.parent / "course-root" / "release" / SAMPLE / "course.json").read_text()
    )
    titles = {u["id"]: u["title"] for u in course["units"]}
    basics = titles["python-basics"]
    lab = Lab(page, sample_lab)
    page.goto(sample_lab.lab_url())
    page.wait_for_selector("#jupyterlab-splash", state="detached", timeout=90_000)
    page.locator('.jp-SideBar li[data-id="jp-mastery-panel"]').click()
    panel = page.locator("#jp-mastery-panel")
    wait_state(page, "python-basics", "unlocked", timeout=30_000)
    assert state_of(page, "functions") == "Locked"
    assert unit(page, "numpy-arrays").locator(".jp-Mastery-waits").inner_text() == (
        f"Waits for: {titles['functions']}, {titles['collections']}"
    )
    assert unit(page, "python-basics").locator('[role="progressbar"]').count() == 3

    page.get_by_role("button", name=f"Start unit {basics}").click()
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    lab.wait_idle(timeout=90_000)
    answers = solutions()
    receipt = lab.cell_index("(src, meta) => (meta.nbgrader || {}).grade_id === 'answer-receipt'")
    lab.type_into(
        receipt,
        "def receipt_total(coffee_price, cake_price, coffees, cakes):\n"
        "    return round(coffee_price + cake_price, 2)",
    )

    page.get_by_role("button", name=f"Submit unit {basics}").click()
    # in progress since it was started; graded when the panel says so
    page.wait_for_selector(
        f'#jp-mastery-panel .jp-Mastery-status:has-text("Attempt 1 of {basics} submitted and'
        ' graded: not mastered yet")',
        timeout=GRADE_TIMEOUT,
    )
    wait_state(page, "python-basics", "in_progress", timeout=GRADE_TIMEOUT)
    assert bar_value(page, "python-basics", "use-variables") == "0"
    assert (
        unit(page, "python-basics").locator(".jp-Mastery-attempts").inner_text()
        == "Attempts: 1 used, 9 left"
    )
    # the cooldown, saying until when (Submit disabled until then, and the clock against the
    # server's: test_sidebar_submit_clock.py)
    cooldown = unit(page, "python-basics").locator(".jp-Mastery-cooldown").inner_text()
    assert re.fullmatch(r"Next attempt at \d\d?:\d\d:\d\d( [AP]M)? \(in \d+ s\)", cooldown), (
        cooldown
    )

    # unit 1 has parallel forms: the next attempt is on a new form, started from the card
    # (the form 1 notebook is kept beside it); until then there is nothing to submit
    assert (
        unit(page, "python-basics").get_by_role("button", name=f"Submit unit {basics}").count() == 0
    )
    start = page.get_by_role("button", name=f"Start unit {basics}")
    assert start.inner_text() == "Start form 2"
    start.click()
    panel.locator(".jp-Mastery-status").get_by_text("form-1.ipynb").wait_for(timeout=60_000)
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    lab.wait_idle(timeout=90_000)
    assert unit(page, "python-basics").locator(".jp-Mastery-form").inner_text() == "Your form: 2"

    # a new form uses no attempt
    assert (
        unit(page, "python-basics").locator(".jp-Mastery-attempts").inner_text()
        == "Attempts: 1 used, 9 left"
    )
    refused_at = time.monotonic()

    # the feedback names the objectives to work on; its corrective opens in JupyterLab
    page.get_by_role("button", name=f"View feedback of unit {basics}").click()
    frame = page.frame_locator("#jp-mastery-feedback-python-basics iframe.jp-Mastery-feedbackFrame")
    frame.get_by_role("link", name="Variables and arithmetic, step by step").click()
    page.locator('.lm-TabBar-tab:has-text("use-variables.ipynb")').first.wait_for(timeout=30_000)

    # fix every answer and answer the quizzes, like a learner, in the unit's notebook
    page.get_by_role("button", name=f"Open unit {basics}").click()  # back to the unit's notebook
    page.wait_for_function(
        "() => (window.jupyterapp.shell.currentWidget?.context?.path || '').endsWith('01-python-basics.ipynb')"
    )
    lab.wait_idle(timeout=60_000)
    lab.run(lab.index_of_source('load_checks("python-basics")'))
    for grade_id, solution in answers.items():
        index = lab.cell_index(f"(src, meta) => (meta.nbgrader || {{}}).grade_id === '{grade_id}'")
        lab.type_into(index, solution)
    # the quizzes of the learner's own form (its answers differ from form to form)
    for quiz_id, answer in _quiz_answers(sample_lab.root / SAMPLE).items():
        index = lab.index_of_source(f'checks.quiz("{quiz_id}")')
        lab.run(index)
        cell = lab.cells().nth(index)
        if isinstance(answer, list):
            for option in answer:
                cell.get_by_role("checkbox", name=option, exact=True).check()
        elif cell.get_by_role("radio", name=str(answer), exact=True).count():
            cell.get_by_role("radio", name=str(answer), exact=True).check()
        else:
            box = cell.locator(".mastery-quiz-input input")
            box.fill(str(answer))
            box.press("Enter")
        cell.get_by_text(re.compile(r"Answer saved: ")).wait_for()
    wait = 20 - (time.monotonic() - refused_at)
    if wait > 0:
        page.wait_for_timeout(wait * 1000 + 1000)
    page.get_by_role("button", name="Refresh the Mastery panel").click()

    submit = page.get_by_role("button", name=f"Submit unit {basics}")
    submit.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(
        f'#jp-mastery-panel .jp-Mastery-status:has-text("Attempt 2 of {basics} submitted")'
    )
    wait_state(page, "python-basics", "mastered", timeout=GRADE_TIMEOUT)
    for objective in ("use-variables", "work-with-strings", "use-conditionals"):
        assert bar_value(page, "python-basics", objective) == "100", objective
    wait_state(page, "functions", "unlocked", timeout=10_000)
    assert state_of(page, "collections") == "Unlocked"
    assert state_of(page, "numpy-arrays") == "Locked"
    assert unit(page, "numpy-arrays").locator(".jp-Mastery-waits").inner_text() == (
        f"Waits for: {titles['functions']}, {titles['collections']}"
    )
    assert f"1 of {len(titles)} units mastered" in panel.locator(".jp-Mastery-course").inner_text()
    assert unit(page, "python-basics").locator(".jp-Mastery-cooldown").count() == 0, (
        "no cooldown once mastered"
    )
    lab.screenshot("sidebar-sample-mastered.png")

    # the feedback of the mastering attempt: the README's screenshot
    page.get_by_role("button", name=f"View feedback of unit {basics}").click()
    frame = page.frame_locator("#jp-mastery-feedback-python-basics iframe.jp-Mastery-feedbackFrame")
    frame.get_by_text("attempt 2").first.wait_for(timeout=30_000)
    body = frame.locator("body").inner_text()
    assert titles["functions"] in body, "the feedback says which units this attempt unlocked"
    show_panel_top(page)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), clip={"x": 0, "y": 0, "width": 1400, "height": 800})
    assert SCREENSHOT.stat().st_size > 10_000

"""The feedback page as a learner reads it, in JupyterLab and on its own (issue 12, item 4).

Unit 1 of the sample course, released from ``courses/`` and graded for real, with three
mistakes a learner makes: a price changed so the practice check passes but a hidden test
does not; a ``SyntaxError`` in the minutes-into-hours answer; a station name left with its
underscore. The learner opens the feedback from the Mastery sidebar and reads: each check
named by its exercise's heading, the check's own words (Markdown rendered, no
``AssertionError``), "a hidden test" where one failed (never its source), their
``SyntaxError`` beside the check it broke, points with the right plural, correctives that
open in JupyterLab. The page takes JupyterLab's light and dark themes; opened on its own it
follows the system's colour scheme, and saved to a file its course links still lead to the
learner's JupyterLab. Screenshots: ``docs/img/feedback.png`` and ``docs/img/feedback-dark.png``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from lab_browser import Lab, LabServer, stop_jupyterlab
from sample_course import REPO, SAMPLE, pin_form_key, sample_root, serve_course, solutions

from mastery_nb.backend.local import LocalBackend
from mastery_nb.grade.queue import grade_pending
from mastery_nb.root import CourseRoot
from mastery_nb.submit import submit_attempt

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(600)]

STUDENT = "ada"
UNIT = "python-basics"
NOTEBOOK = "units/01-python-basics.ipynb"
LIGHT_SHOT = REPO / "docs" / "img" / "feedback.png"
DARK_SHOT = REPO / "docs" / "img" / "feedback-dark.png"

MISTAKES = {
    # the practice check uses the prices in the cell: it passes; the hidden test does not
    # right on the practice inputs, wrong when a hidden test orders no coffee
    "answer-receipt": "def receipt_total(coffee_price, cake_price, coffees, cakes):\n"
    "    total = coffees * coffee_price + cakes * cake_price\n"
    "    if coffees == 0:\n        total = 0\n    return round(total, 2)",
    # a SyntaxError on line 4 of the answer
    "answer-duration": "def whole_hours(minutes):\n    return minutes // 60\n\n"
    "rest = (rain_minutes % 60",
    # underscores left in
    "answer-station": "def clean_name(raw):\n    return raw.strip().title()",
}


def graded_attempt(root: CourseRoot) -> None:
    """Submit unit 1 with the mistakes above (every other answer right) and grade it."""
    backend = LocalBackend(root, SAMPLE)  # the learner's own form of unit 1, as Start gives it
    started = {f.path: f.content() for f in backend.start(STUDENT, UNIT).files}
    backend.close()
    nb = nbformat.reads(started[NOTEBOOK].decode("utf-8"), as_version=4)
    answers = {**solutions(), **MISTAKES}
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    submit_attempt(root, SAMPLE, UNIT, STUDENT, {NOTEBOOK: nbformat.writes(nb).encode()})
    assert grade_pending(root, workers=1) == 1


@pytest.fixture
def feedback_lab(tmp_path: Path) -> Iterator[LabServer]:
    root = sample_root(tmp_path)
    # a known form: the learner's station is "perth_metro", and a hidden test of another
    # exercise uses the city "Perth"; the station check's message names their own station
    # and must be shown (it was withheld for 16 of 300 forms, this one among them)
    pin_form_key(root, b"scan-21")
    graded_attempt(root)
    server = serve_course(root, tmp_path, STUDENT)
    try:
        server.api(
            "POST", f"mastery/api/units/{UNIT}/start"
        )  # the correctives are in the workspace
        yield server
    finally:
        stop_jupyterlab(server)


def background(frame_or_page: Any) -> str:
    return str(frame_or_page.locator("body").evaluate("b => getComputedStyle(b).backgroundColor"))


def lab_colour(page: Any, name: str) -> str:
    """A JupyterLab theme colour as the browser computes it (rgb(...))."""
    return str(
        page.evaluate(
            f"""() => {{ const probe = document.createElement('div');
                probe.style.backgroundColor = 'var({name})'; document.body.appendChild(probe);
                const value = getComputedStyle(probe).backgroundColor; probe.remove(); return value; }}"""
        )
    )


def test_feedback_reads_as_the_notebook(feedback_lab: LabServer, page: Any, tmp_path: Path) -> None:
    lab = Lab(page, feedback_lab)
    page.goto(feedback_lab.lab_url())
    page.wait_for_selector("#jupyterlab-splash", state="detached", timeout=90_000)
    page.locator('.jp-SideBar li[data-id="jp-mastery-panel"]').click()
    title = "Values, variables and decisions"
    page.get_by_role("button", name=f"View feedback of unit {title}").click()
    frame = page.frame_locator(f"#jp-mastery-feedback-{UNIT} iframe.jp-Mastery-feedbackFrame")
    frame.get_by_role("heading", name=title).wait_for(timeout=30_000)
    body = frame.locator("body").inner_text()

    # checks named by their exercise, never by grade id; no exception names from assert
    for heading in (
        "Exercise 1.1: a café receipt",
        "Exercise 1.2: minutes into hours",
        "Exercise 2.1: tidy a station name",
    ):
        assert heading in body, heading
    for grade_id in ("test-receipt", "test-duration", "test-station", "answer-duration"):
        assert grade_id not in body, grade_id
    assert "AssertionError" not in body
    # the hidden test: named as such, its source never shown
    receipt = frame.locator(".check", has_text="Exercise 1.1: a café receipt")
    assert "hidden test" in receipt.inner_text()
    assert "A hidden test of this exercise did not pass" in receipt.inner_text()
    assert "8.2" not in body and "receipt_total(2.85" not in body
    # the check's own words, backticks as code
    station = frame.locator(".check", has_text="Exercise 2.1: tidy a station name")
    assert "turn every" in station.inner_text() and "into a space" in station.inner_text()
    assert "perth_metro" in station.inner_text() and "withheld" not in station.inner_text()
    assert station.locator("code", has_text="clean_name").count() >= 1
    # the learner's SyntaxError beside the check it broke
    duration = frame.locator(".check", has_text="Exercise 1.2: minutes into hours")
    text = duration.inner_text()
    assert "Your code raised an error" in text and "SyntaxError" in text
    assert "in your answer to “Exercise 1.2: minutes into hours”, line 4" in text
    assert "ipython-input" not in text
    # plurals and next steps
    assert "0 of 2 points" in body and "0 of 1 point" in body and "of 1 points" not in body
    assert "You have used 1 attempt; " in body and "attempts left." in body

    # light theme: the page takes JupyterLab's colours
    assert background(frame) == lab_colour(page, "--jp-layout-color0")
    LIGHT_SHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(LIGHT_SHOT), clip={"x": 0, "y": 0, "width": 1400, "height": 1000})

    # dark theme: the open tab follows at once
    light_bg = background(frame)
    page.evaluate(
        "() => window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Dark'})"
    )
    page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'")
    dark_bg = lab_colour(page, "--jp-layout-color0")
    assert dark_bg != light_bg
    frame.locator("body").evaluate(
        """(b, want) => new Promise((resolve, reject) => {
            const until = Date.now() + 15000;
            const tick = () => getComputedStyle(b).backgroundColor === want ? resolve(true)
                : Date.now() > until ? reject(new Error(getComputedStyle(b).backgroundColor)) : setTimeout(tick, 100);
            tick(); })""",
        dark_bg,
    )
    assert background(frame) == dark_bg
    page.wait_for_selector("#jupyterlab-splash", state="detached", timeout=30_000)
    page.screenshot(path=str(DARK_SHOT), clip={"x": 0, "y": 0, "width": 1400, "height": 1000})

    # a corrective opens in JupyterLab
    link = frame.get_by_role("link", name="Variables and arithmetic, step by step")
    href = str(link.get_attribute("href"))
    assert href.startswith(f"{feedback_lab.url}lab/tree/{SAMPLE}/resources/"), href
    link.click()
    page.locator('.lm-TabBar-tab:has-text("use-variables.ipynb")').first.wait_for(timeout=30_000)
    lab.wait_idle(timeout=60_000)


def test_the_page_on_its_own_and_saved(
    feedback_lab: LabServer, browser: Any, tmp_path: Path
) -> None:
    url = f"{feedback_lab.url}mastery/units/{UNIT}/feedback?token={feedback_lab.token}"
    for scheme, expected in (("light", "rgb(255, 255, 255)"), ("dark", "rgb(13, 17, 23)")):
        context = browser.new_context(color_scheme=scheme)
        try:
            page = context.new_page()
            page.goto(url)
            assert background(page) == expected, scheme
            html = page.content()
        finally:
            context.close()
    saved = tmp_path / "mailed" / "feedback.html"
    saved.parent.mkdir()
    saved.write_text(html, encoding="utf-8")
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(saved.as_uri())
        link = page.get_by_role("link", name="Variables and arithmetic, step by step")
        href = str(link.get_attribute("href"))
        assert href == (
            f"{feedback_lab.url}lab/tree/{SAMPLE}/resources/python-basics/use-variables.ipynb"
        ), "absolute: the saved page still leads to the learner's JupyterLab"
        assert page.evaluate("() => document.querySelectorAll('script').length") == 0
    finally:
        context.close()

"""A student on the class hub in Debian's Chromium: the hub's login form, their own JupyterLab
(running as their own OS user), and the Mastery sidebar talking to the mastery service.

The student logs in with the hub's login page, lands in JupyterLab, starts unit a from
the sidebar, answers one question wrongly, submits, reads the feedback in a JupyterLab tab,
fixes the answer, resubmits, and sees unit a mastered and units b and c unlock. The
instructor's token then finds the same two attempts in the service. Screenshots go to
tests/artifacts/hub-*.png.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from class_hub import COURSE, ClassHub
from mastery_fixtures import HIDDEN_LINE

from mastery_nb.service.hub import service_access_scope

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "browser"))
from lab_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, Lab
from test_sidebar_loop import answer_cells, bar_value, state_of, unit, wait_state

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.postgres,
    pytest.mark.timeout(600),
]


@pytest.fixture(scope="module")
def page() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.set_default_timeout(30_000)
        try:
            yield context.new_page()
        finally:
            browser.close()


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


def test_a_student_logs_in_and_masters_a_unit_in_the_sidebar(
    class_hub: ClassHub, page: Any
) -> None:
    student = class_hub.name("cy")
    class_hub.hub.wait_server(student)

    # the hub's own login form, as a person meets it
    page.goto(class_hub.hub.public_url + "hub/login")
    page.get_by_label("Username").fill(student)
    page.get_by_label("Password").fill("any password (the test hub's dummy authenticator)")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**/user/{student}/lab**", timeout=120_000)
    page.wait_for_selector("#jupyterlab-splash", state="detached", timeout=120_000)

    page.locator('.jp-SideBar li[data-id="jp-mastery-panel"]').click()
    panel = page.locator("#jp-mastery-panel")
    wait_state(page, "a", "unlocked", timeout=60_000)
    assert student in panel.locator(".jp-Mastery-course").inner_text(), "the hub user learns"
    assert state_of(page, "b") == "Locked"
    assert unit(page, "b").locator(".jp-Mastery-waits").inner_text() == "Waits for: Unit A"

    page.get_by_role("button", name="Start unit Unit A").click()
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    lab = Lab(page, None)
    lab.wait_idle(timeout=90_000)
    add_cell, greet_cell = answer_cells(lab)
    lab.type_into(add_cell, "x = 1 + 2")
    lab.type_into(greet_cell, 'greeting = "hi"')
    page.get_by_role("button", name="Submit unit Unit A").click()
    page.wait_for_selector(
        '#jp-mastery-panel .jp-Mastery-status:has-text("Attempt 1 of Unit A submitted")'
    )
    # a started unit is already "in progress": wait for the graded attempt's scores instead
    page.wait_for_selector(
        '#jp-mastery-panel li.jp-Mastery-unit[data-unit="a"] li[data-objective="strings"]'
        ' [role="progressbar"][aria-valuenow="100"]',
        timeout=120_000,
    )
    wait_state(page, "a", "in_progress", timeout=30_000)
    assert bar_value(page, "a", "add") == "0" and bar_value(page, "a", "strings") == "100"
    assert state_of(page, "b") == "Locked"

    page.get_by_role("button", name="View feedback of unit Unit A").click()
    frame = page.frame_locator("#jp-mastery-feedback-a iframe.jp-Mastery-feedbackFrame")
    frame.get_by_role("heading", name="Unit A").wait_for(timeout=30_000)
    feedback = frame.locator("body").inner_text()
    assert "x should be 2" in feedback, "the failed check, in the grader's words"
    assert "Adding, step by step" in feedback, "the corrective to study"
    assert HIDDEN_LINE not in feedback, "never the hidden test's source"
    shot(page, "hub-sidebar-feedback.png")

    page.locator('.lm-TabBar-tab:has-text("a.ipynb")').first.click()
    lab.type_into(add_cell, "x = 1 + 1")
    page.get_by_role("button", name="Submit unit Unit A").click()
    page.wait_for_selector(
        '#jp-mastery-panel .jp-Mastery-status:has-text("Attempt 2 of Unit A submitted")'
    )
    wait_state(page, "a", "mastered", timeout=120_000)
    wait_state(page, "b", "unlocked", timeout=10_000)
    assert state_of(page, "c") == "Unlocked"
    assert page.get_by_role("button", name="Start unit Unit B").is_visible()
    shot(page, "hub-sidebar-mastered.png")

    # what the sidebar showed is what the service holds, under the hub user's name
    prof = class_hub.hub.mint_token(
        class_hub.name("prof"),
        [service_access_scope("mastery"), f"custom:mastery:teach:{COURSE}"],
    )
    path = f"api/courses/{COURSE}/learners/{student}/units/a/attempts"
    attempts = class_hub.hub.service("GET", path, prof).json()["attempts"]
    assert [(a["number"], a["mastered"]) for a in attempts] == [(1, False), (2, True)]

"""No attempt lost by accident, and one clock (issue 12, items 2 and 3).

Unit 1 of the sample course (released from courses/, its cooldown set to 45 s) in a
real JupyterLab, in Chromium whose clock is 97 s behind the server's and whose time zone is
Asia/Kolkata (UTC+5:30), so a time computed from the wrong clock or shown in UTC could not
pass. The student:

- reads the policy before any attempt (attempts, cooldown, best attempt counts);
- presses Submit with every answer as handed out: a dialog says so and what submitting
  would do (attempt 1 of 10, 9 left, a 45 s cooldown and when it would end); "Keep working"
  is the default and submits nothing;
- writes a wrong answer, runs its practice check (it fails), presses Submit: the dialog
  names the failing check by its exercise; "Submit anyway" submits;
- sees "Next attempt at HH:MM:SS (in N s)" counting down (and, once attempt 1 is graded,
  starts form 2 of the unit, which does not end the cooldown), in their local time as their
  clock reads it, equal to the server's cooldown end, and Submit disabled until then;
- in a second JupyterLab tab that has not refreshed yet, presses Submit during the
  cooldown: the refusal names the unit by its title, says how long still, no ISO time;
- the moment Submit is enabled again, submits, and the server takes it (never "in 4 s");
- reads the same time, counting down, on the feedback page.

Screenshot: docs/img/submit-confirm.png (the question before a submission).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from lab_browser import Lab, LabServer, stop_jupyterlab
from sample_course import REPO, SAMPLE, sample_root, serve_course
from sidebar_page import (
    GRADE_TIMEOUT,
    WRONG_RECEIPT,
    card,
    open_panel,
    practise,
    progress,
    skew_browser_clock,
    utc,
    wait_state,
    wait_text,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(600)]

STUDENT = "ada"
UNIT = "python-basics"
SKEW = -97.0  #: the browser's clock is this many seconds off the server's
ZONE = "Asia/Kolkata"
COOLDOWN = 45  #: long enough to grade attempt 1 and start form 2 on a loaded machine
CONFIRM_SHOT = REPO / "docs" / "img" / "submit-confirm.png"
ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")


@pytest.fixture
def sample_lab(tmp_path: Path) -> Iterator[LabServer]:
    server = serve_course(sample_root(tmp_path, cooldown=f'"{COOLDOWN}s"'), tmp_path, STUDENT)
    try:
        yield server
    finally:
        stop_jupyterlab(server)


@pytest.fixture
def skewed(browser: Any) -> Iterator[Any]:
    """A browser context whose clock is SKEW seconds off, in another time zone."""
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, locale="en-GB", timezone_id=ZONE
    )
    context.set_default_timeout(30_000)
    skew_browser_clock(context, SKEW)
    try:
        yield context
    finally:
        context.close()


def as_learner_sees(moment: datetime) -> str:
    """A server time as the learner's (wrong) clock in their time zone shows it."""
    return (moment + timedelta(seconds=SKEW)).astimezone(ZoneInfo(ZONE)).strftime("%H:%M:%S")


def answers_handed_out(server: LabServer) -> int:
    """Answer cells and quizzes of unit 1, as released."""
    path = server.root.parent / "course-root" / "release" / SAMPLE / "units/01-python-basics.ipynb"
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    solutions = sum(1 for c in cells if c["metadata"].get("nbgrader", {}).get("solution"))
    quizzes = sum(1 for c in cells if "checks.quiz(" in "".join(c["source"]))
    return solutions + quizzes


def dialog(page: Any) -> Any:
    box = page.locator(".jp-Dialog")
    box.wait_for()
    return box


def test_confirmation_and_one_clock(sample_lab: LabServer, skewed: Any) -> None:
    page = skewed.new_page()
    title = progress(sample_lab)["units"][0]["title"]
    panel = open_panel(page, sample_lab)
    unit = card(page, UNIT)

    # the policy before any attempt
    assert unit.locator(".jp-Mastery-policy").inner_text() == (
        f"Up to 10 attempts \u00b7 {COOLDOWN} s cooldown after each \u00b7 your best attempt counts"
    )
    unit.get_by_role("button", name=f"Start unit {title}").click()
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    lab = Lab(page, sample_lab)
    lab.wait_idle(timeout=90_000)

    # every answer as handed out: asked first, "Keep working" by default, nothing submitted
    submit = unit.get_by_role("button", name=f"Submit unit {title}")
    submit.click()
    box = dialog(page)
    asked_at = datetime.now(timezone.utc)
    text = box.inner_text()
    assert f"Submit \u201c{title}\u201d now?" in text
    assert f"All {answers_handed_out(sample_lab)} answers are still as they were handed out" in text
    assert "This is attempt 1 of 10; 9 will be left." in text
    assert "Your best attempt counts" in text
    shown_end = re.search(r"cooldown: you could submit again from (\d\d:\d\d:\d\d)", text)
    assert shown_end, text
    expected = {
        as_learner_sees(asked_at + timedelta(seconds=COOLDOWN + d)) for d in (-3, -2, -1, 0, 1)
    }
    assert shown_end.group(1) in expected, (shown_end.group(1), expected)
    assert page.evaluate("() => document.activeElement?.textContent?.trim()") == "Keep working"
    box.get_by_role("button", name="Keep working").click()
    wait_text(page, "#jp-mastery-panel .jp-Mastery-status", f"{title} not submitted")
    assert unit.locator(".jp-Mastery-attempts").inner_text() == "Attempts: 0 used, 10 left"
    assert progress(sample_lab)["units"][0]["attempts_used"] == 0

    # a wrong answer whose practice check fails: asked again, the check named; submit anyway
    practise(lab, {"answer-receipt": (WRONG_RECEIPT, "receipt-total")})
    second_tab = skewed.new_page()  # another JupyterLab tab, open before the attempt
    open_panel(second_tab, sample_lab)
    submit.click()
    box = dialog(page)
    text = box.inner_text()
    assert (
        "1 practice check did not pass the last time you tried: "
        "\u201cExercise 1.1: a caf\u00e9 receipt\u201d." in text
    )
    assert "answers are still as they were handed out" not in text
    # the card beside the question agrees with it: the failing check is on record
    wait_text(
        page,
        f'#jp-mastery-panel li.jp-Mastery-unit[data-unit="{UNIT}"] '
        'li[data-objective="use-variables"] .jp-Mastery-practice',
        "Practice: 1 check tried, 0 passing",
    )
    CONFIRM_SHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(CONFIRM_SHOT), clip={"x": 0, "y": 0, "width": 1400, "height": 800})
    box.get_by_role("button", name="Submit anyway").click()
    wait_text(page, "#jp-mastery-panel .jp-Mastery-status", f"Attempt 1 of {title} submitted")

    # one clock: the end the server enforces, as the learner's clock shows it, counting down
    cooldown = unit.locator(".jp-Mastery-cooldown")
    cooldown.wait_for()
    until = utc(progress(sample_lab)["units"][0]["cooldown_until"])
    assert until.microsecond == 0, "a cooldown ends on a whole second"
    line = cooldown.inner_text()
    assert line.startswith(f"Next attempt at {as_learner_sees(until)} (in "), (line, until)
    assert not ISO.search(line)
    left = int(re.search(r"\(in (\d+) s\)", line).group(1))  # type: ignore[union-attr]
    assert 0 < left <= COOLDOWN + 1, "the end is rounded up to a whole second"
    assert unit.get_by_role("button", name=f"Submit unit {title}").is_disabled()
    page.wait_for_function(
        f"""() => {{ const m = /\\(in (\\d+) s\\)/.exec(document.querySelector(
            '#jp-mastery-panel li[data-unit="{UNIT}"] .jp-Mastery-cooldown')?.textContent || '');
            return m && Number(m[1]) < {left}; }}""",
        timeout=5_000,
    )
    up_next = panel.locator(".jp-Mastery-upNext .jp-Mastery-countdown").inner_text()
    assert up_next.startswith(f"Next attempt at {as_learner_sees(until)}")

    # the second tab has not heard of the attempt: its Submit is refused, in words
    other = second_tab.locator("#jp-mastery-panel")
    other_submit = card(second_tab, UNIT).get_by_role("button", name=f"Submit unit {title}")
    assert other_submit.is_enabled(), "the second tab has not refreshed since"
    other_submit.click()
    dialog(second_tab).get_by_role("button", name="Submit anyway").click()
    alert = other.get_by_role("alert")
    wait_text(second_tab, "#jp-mastery-panel [role=alert]", "Not submitted")
    refusal = alert.inner_text()
    assert refusal.startswith(
        f"Not submitted: \u201c{title}\u201d is cooling down after your last attempt: "
        "you can submit it again in "
    ), refusal
    assert UNIT not in refusal and not ISO.search(refusal), "the title, never the id or ISO"
    assert progress(sample_lab)["units"][0]["attempts_used"] == 1, "the refusal used nothing"
    second_tab.close()

    # unit 1 has parallel forms: after a graded attempt the next one is on form 2, started
    # from the card while the cooldown runs (a new form does not end it)
    wait_state(page, UNIT, "in_progress", timeout=GRADE_TIMEOUT)
    start = unit.get_by_role("button", name=f"Start unit {title}")
    assert start.inner_text() == "Start form 2"
    assert panel.get_by_role("button", name=f"Begin {title}").inner_text() == "Start form 2"
    start.click()
    wait_text(page, "#jp-mastery-panel .jp-Mastery-status", "form-1.ipynb", timeout=60_000)
    if datetime.now(timezone.utc) > until - timedelta(seconds=2):
        pytest.fail("grading and the new form took the whole cooldown: Submit cannot be read")
    assert unit.get_by_role("button", name=f"Submit unit {title}").is_disabled()
    assert (
        unit.locator(".jp-Mastery-cooldown")
        .inner_text()
        .startswith(f"Next attempt at {as_learner_sees(until)}")
    )

    # Submit is enabled on the second the server takes a submission again
    page.wait_for_function(
        f"""() => {{ const b = document.querySelector(
            '#jp-mastery-panel li[data-unit="{UNIT}"] button.jp-Mastery-submit');
            return b && !b.disabled; }}""",
        timeout=(COOLDOWN + 30) * 1000,
    )
    enabled_at = datetime.now(timezone.utc)
    assert enabled_at >= until, "never enabled before the server would take it"
    assert enabled_at - until < timedelta(seconds=3), "nor long after"
    unit.get_by_role("button", name=f"Submit unit {title}").click()
    dialog(page).get_by_role("button", name="Submit anyway").click()
    wait_text(page, "#jp-mastery-panel .jp-Mastery-status", f"Attempt 2 of {title} submitted")
    assert page.locator("#jp-mastery-panel [role=alert]").inner_text() == ""

    # the feedback page shows the cooldown end the same way, counting down
    wait_state(page, UNIT, "in_progress", timeout=GRADE_TIMEOUT)
    until = utc(progress(sample_lab)["units"][0]["cooldown_until"])
    if datetime.now(timezone.utc) > until - timedelta(seconds=4):
        pytest.fail("grading took the whole cooldown: the feedback's countdown cannot be read")
    unit.get_by_role("button", name=f"View feedback of unit {title}").click()
    frame = page.frame_locator(f"#jp-mastery-feedback-{UNIT} iframe.jp-Mastery-feedbackFrame")
    shown = frame.locator('time[data-kind="cooldown"]')
    shown.wait_for(timeout=30_000)
    page.wait_for_function(
        """() => { const f = document.querySelector('iframe.jp-Mastery-feedbackFrame');
            const t = f && f.contentDocument && f.contentDocument.querySelector('time[data-kind=cooldown]');
            return t && /\\(in \\d+ s\\)/.test(t.textContent); }"""
    )
    assert shown.inner_text().startswith(f"{as_learner_sees(until)} (in ")
    sidebar = unit.locator(".jp-Mastery-cooldown").inner_text()
    assert sidebar.startswith(f"Next attempt at {as_learner_sees(until)}")
    submitted = frame.locator('time[data-kind="submitted"]').inner_text()
    assert re.fullmatch(r"\d\d:\d\d:\d\d", submitted), submitted

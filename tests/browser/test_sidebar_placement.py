"""Placement (test-out) in the Mastery sidebar, as a student meets it.

The sample course (released from courses/ with the real release code) has one placement,
``placement-basics``, covering units 1 and 2 (one attempt, parallel forms). In a real
JupyterLab with the in-process grader, in Chromium, the student:

- sees it in a "Test out" section just below "Up next" (which points at it), above the
  course map and the units: what it is in plain words (which units it tests out of), its policy (one attempt,
  no cooldown), "Attempts: 0 used, 1 left", and a Start button;
- starts it from there: their own form of the placement notebook opens and the card says
  "Started", with Open and Submit;
- presses Submit with every answer as handed out: the same question as for a unit ("This is
  attempt 1 of 1: your last one."); "Keep working" submits nothing;
- answers the three parts of unit 1 (values, text, decisions) and leaves unit 2's, then
  submits from the sidebar;
- reads the outcome once graded: the card steps back ("Taken: its one attempt is used.")
  with what it placed them out of (unit 1), what not (unit 2) and where to start; unit 1's
  card says "Mastered by placement"; its dependants (units 2 and 3) are unlocked, "Up next"
  starts unit 2 and no longer points at the placement; the placement's feedback opens from
  its card.

Screenshots: docs/img/sidebar-placement.png (the invitation) and
docs/img/sidebar-placement-outcome.png (the outcome).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lab_browser import Lab, LabServer, stop_jupyterlab
from sample_course import REPO, SAMPLE, pin_form_key, sample_root, serve_course, solutions
from sidebar_page import (
    GRADE_TIMEOUT,
    card,
    open_panel,
    progress,
    show_panel_top,
    state_of,
    wait_text,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(600)]

STUDENT = "pia"
PLACEMENT = "placement-basics"
NOTEBOOK = "placement/01-basics-and-functions.ipynb"
#: the parts of the placement that assess unit 1's objectives
UNIT_1_ANSWERS = ("answer-boxes", "answer-initials", "answer-grade")
INVITE_SHOT = REPO / "docs" / "img" / "sidebar-placement.png"
OUTCOME_SHOT = REPO / "docs" / "img" / "sidebar-placement-outcome.png"
CARD = f'#jp-mastery-panel li.jp-Mastery-placement[data-placement="{PLACEMENT}"]'


def q(title: str) -> str:
    return f"\u201c{title}\u201d"


@pytest.fixture
def sample_lab(tmp_path: Path) -> Iterator[LabServer]:
    root = sample_root(tmp_path)
    pin_form_key(root, b"browser placement")  # the screenshots change only with the sidebar
    server = serve_course(root, tmp_path, STUDENT)
    try:
        yield server
    finally:
        stop_jupyterlab(server)


def screenshot(page: Any, path: Path) -> None:
    show_panel_top(page)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), clip={"x": 0, "y": 0, "width": 1400, "height": 1000})


def test_a_student_tests_out_of_unit_1_from_the_sidebar(sample_lab: LabServer, page: Any) -> None:
    before = progress(sample_lab)
    titles = {u["id"]: u["title"] for u in before["units"]}
    placement = before["placements"][0]
    assert placement["id"] == PLACEMENT
    basics, functions, collections = (
        titles["python-basics"],
        titles["functions"],
        titles["collections"],
    )
    panel = open_panel(page, sample_lab)

    # where a student deciding where to start looks: below Up next, above the map and units
    section = panel.locator(".jp-Mastery-placements")
    section.wait_for()
    order = page.evaluate(
        """() => [...document.querySelectorAll('#jp-mastery-panel .jp-Mastery-body > *')]
               .map(e => e.classList[0] + ':' + e.textContent.slice(0, 12))"""
    )
    assert [o.split(":")[0] for o in order[:3]] == [
        "jp-Mastery-upNext",
        "jp-Mastery-placements",
        "jp-Mastery-sectionHeading",
    ], order
    assert section.locator("h3").inner_text().strip().lower() == "test out"
    invite = page.locator(CARD)
    assert invite.get_attribute("data-phase") == "offer"
    assert invite.locator(".jp-Mastery-unitTitle").inner_text() == placement["title"]
    assert invite.locator(".jp-Mastery-state").inner_text() == "Optional"
    # up next starts unit 1 and points at the placement that covers it
    assert panel.locator(".jp-Mastery-upNextTestOut").inner_text() == (
        f"Already know it? {q(placement['title'])} below can test you out of it."
    )
    assert invite.locator(".jp-Mastery-placementCovers").inner_text() == (
        f"Test out of: {q(basics)} and {q(functions)}"
    )
    assert placement["description"] in invite.locator(".jp-Mastery-description").inner_text()
    assert (
        invite.locator(".jp-Mastery-policy")
        .inner_text()
        .startswith("One attempt \u00b7 no cooldown \u00b7 ")
    )
    assert invite.locator(".jp-Mastery-attempts").inner_text() == "Attempts: 0 used, 1 left"
    start = invite.get_by_role("button", name=f"Start placement {placement['title']}")
    assert start.inner_text() == "Start test-out" and start.is_enabled()
    screenshot(page, INVITE_SHOT)

    # start it from the sidebar: the learner's own form of the placement opens
    start.click()
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    wait_text(page, f"{CARD} .jp-Mastery-state", "Started")
    assert (sample_lab.root / SAMPLE / NOTEBOOK).exists()
    lab = Lab(page, sample_lab)
    lab.wait_idle(timeout=90_000)
    assert str(page.evaluate("() => window.jupyterapp.shell.currentWidget.context.path")) == (
        f"{SAMPLE}/{NOTEBOOK}"
    )
    assert invite.get_by_role("button", name=f"Open placement {placement['title']}").is_visible()
    submit = invite.get_by_role("button", name=f"Submit placement {placement['title']}")
    assert submit.is_enabled()

    # Submit with every answer as handed out: asked first, as for a unit; nothing submitted
    submit.click()
    box = page.locator(".jp-Dialog")
    box.wait_for()
    assert f"Submit {q(placement['title'])} now?" in box.inner_text()
    assert "This is attempt 1 of 1: your last one." in box.inner_text()
    box.get_by_role("button", name="Keep working").click()
    box.wait_for(state="detached")
    wait_text(page, "#jp-mastery-panel .jp-Mastery-status", "you kept working")
    assert progress(sample_lab)["placements"][0]["attempts_used"] == 0

    # answer unit 1's three parts (the author's answers), leave unit 2's, save, submit
    answers = solutions(NOTEBOOK)
    for grade_id in UNIT_1_ANSWERS:
        index = lab.cell_index(f"(src, meta) => (meta.nbgrader || {{}}).grade_id === '{grade_id}'")
        lab.type_into(index, answers[grade_id])
    lab.save()
    submit.click()
    wait_text(page, "#jp-mastery-panel .jp-Mastery-status", "submitted")
    assert page.locator(".jp-Dialog").count() == 0, "answers written: no question"

    # graded: the card steps back with its outcome
    page.wait_for_selector(f'{CARD}[data-phase="done"]', timeout=GRADE_TIMEOUT)
    done = page.locator(CARD)
    assert done.locator(".jp-Mastery-state").inner_text() == "Taken"
    assert done.locator(".jp-Mastery-placementDone").inner_text() == (
        "Taken: its one attempt is used."
    )
    assert done.locator(".jp-Mastery-placementPlaced").inner_text() == (
        f"Placed you out of: {q(basics)} (mastered by placement)."
    )
    assert done.locator(".jp-Mastery-placementNotPlaced").inner_text() == (
        f"Not placed out of: {q(functions)}. Its feedback says what to study."
    )
    assert done.locator(".jp-Mastery-placementStart").inner_text() == (
        f"Start with: {q(functions)} and {q(collections)}."
    )
    assert done.get_by_role("button", name=f"Start placement {placement['title']}").count() == 0
    assert done.get_by_role("button", name=f"Submit placement {placement['title']}").count() == 0
    wait_text(
        page,
        "#jp-mastery-panel .jp-Mastery-status",
        f"Attempt 1 of {placement['title']} submitted and graded: it placed you out of"
        f" {q(basics)}.",
    )

    # unit 1 mastered by placement; its dependants unlocked; up next moves on
    assert state_of(page, "python-basics") == "Mastered"
    assert card(page, "python-basics").locator(".jp-Mastery-placed").inner_text() == (
        "Mastered by placement"
    )
    assert state_of(page, "functions") == "Unlocked"
    assert state_of(page, "collections") == "Unlocked"
    assert state_of(page, "loops-and-errors") == "Locked"
    assert panel.locator(".jp-Mastery-upNextTitle").inner_text() == f"Start: {functions}"
    assert panel.locator(".jp-Mastery-upNextTestOut").count() == 0, "it steps back there too"
    after = progress(sample_lab)
    assert after["placements"][0]["placed"] == ["python-basics"]
    assert {u["id"]: u["mastered_by"] for u in after["units"]}["python-basics"] == "placement"
    screenshot(page, OUTCOME_SHOT)

    # its feedback opens from the card, per unit what it showed
    done.get_by_role("button", name=f"View feedback of placement {placement['title']}").click()
    frame = page.frame_locator(f"#jp-mastery-feedback-{PLACEMENT} iframe.jp-Mastery-feedbackFrame")
    frame.locator("text=mastered by placement").first.wait_for(timeout=30_000)

"""The course map and "Up next" as a student meets them (issue 12, item 6).

The sample course (13 units, released from courses/ with the real release code) in a real
JupyterLab with the Mastery sidebar, in Chromium. The student: finds the panel opening on
"Up next" (the first unit, its description, a Start button), the course drawn as a map of
13 numbered units with an arrow per prerequisite (each unit below the units it needs), the
resubmission policy before any attempt, locked units on one line saying what they wait for;
reaches a unit's card from the map with the keyboard; starts unit 1 from "Up next" and sees
it "In progress" at once, before any attempt; runs two practice checks (one wrong, one
right) and reads "Practice: 2 checks tried, 1 passing" beside the objective's bar; a learner
sees no "Class dashboard" link. Screenshot: docs/img/sidebar-map.png.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lab_browser import Lab, LabServer, stop_jupyterlab
from sample_course import REPO, SAMPLE, sample_root, serve_course
from sidebar_page import (
    RIGHT_DURATION,
    WRONG_RECEIPT,
    card,
    open_panel,
    practise,
    progress,
    show_panel_top,
    state_of,
    wait_state,
    wait_text,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(600)]

SCREENSHOT = REPO / "docs" / "img" / "sidebar-map.png"
STUDENT = "ada"


@pytest.fixture
def sample_lab(tmp_path: Path) -> Iterator[LabServer]:
    server = serve_course(sample_root(tmp_path), tmp_path, STUDENT)
    try:
        yield server
    finally:
        stop_jupyterlab(server)


def released_course(server: LabServer) -> dict[str, Any]:
    path = server.root.parent / "course-root" / "release" / SAMPLE / "course.json"
    course: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return course


def test_up_next_map_and_practice(sample_lab: LabServer, page: Any) -> None:
    course = released_course(sample_lab)
    units = course["units"]
    titles = {u["id"]: u["title"] for u in units}
    basics = units[0]
    assert len(units) == 13
    panel = open_panel(page, sample_lab)

    # up next: the first unit, described, with one button to begin it
    up = panel.locator(".jp-Mastery-upNext")
    assert up.locator(".jp-Mastery-upNextTitle").inner_text() == f"Start: {basics['title']}"
    assert basics["description"] in up.inner_text()
    assert "3 objectives to master." in up.inner_text()
    assert up.get_by_role("button", name=f"Begin {basics['title']}").is_enabled()

    # the map: one numbered node per unit, one arrow per prerequisite, each arrow downwards
    nodes = panel.locator(".jp-Mastery-mapNode")
    assert nodes.count() == 13
    assert [nodes.nth(i).get_attribute("data-unit") for i in range(13)] == [u["id"] for u in units]
    edges = panel.locator(".jp-Mastery-mapEdge")
    assert edges.count() == sum(len(u["requires"]) for u in units) == 17
    centre = {
        u["id"]: panel.locator(
            f'.jp-Mastery-mapNode[data-unit="{u["id"]}"] .jp-Mastery-mapDot'
        ).bounding_box()
        for u in units
    }
    for u in units:
        for needed in u["requires"]:
            assert centre[needed]["y"] < centre[u["id"]]["y"], (needed, u["id"])
    assert len({(round(b["x"]), round(b["y"])) for b in centre.values()}) == 13, "no overlap"
    assert [nodes.nth(i).get_attribute("data-state") for i in range(3)] == [
        "unlocked",
        "locked",
        "locked",
    ]
    loops = panel.locator('.jp-Mastery-mapNode[data-unit="loops-and-errors"]')
    assert loops.get_attribute("aria-label") == (
        f"Unit 4: {titles['loops-and-errors']}, locked, needs {titles['functions']} "
        f"and {titles['collections']}"
    )
    assert "up next" in str(nodes.nth(0).get_attribute("aria-label"))
    assert panel.get_by_role("group", name="Course map: 13 units, each below the units it needs")
    # the key shows each state drawn as the map draws it (a locked unit: a dashed outline)
    legend = panel.locator(".jp-Mastery-mapLegend")
    assert " ".join(legend.inner_text().split()) == (
        "\u2714 mastered \u25d0 in progress \u25f7 grading unlocked locked"
    )
    dashes = "e => getComputedStyle(e).strokeDasharray"
    key = '.jp-Mastery-mapKey[data-state="{}"] .jp-Mastery-mapDot'
    for state, unit_id in (("locked", "functions"), ("unlocked", "python-basics")):
        drawn = panel.locator(f'.jp-Mastery-mapNode[data-unit="{unit_id}"] .jp-Mastery-mapDot')
        assert legend.locator(key.format(state)).evaluate(dashes) == drawn.evaluate(dashes)
    assert panel.locator(key.format("locked")).evaluate(dashes) not in ("", "none")

    # the policy before any attempt; locked units are one line saying what they wait for
    first = card(page, "python-basics")
    assert first.locator(".jp-Mastery-policy").inner_text() == (
        "Up to 10 attempts \u00b7 2 min cooldown after each \u00b7 your best attempt counts"
    )
    assert basics["description"] in first.locator(".jp-Mastery-description").inner_text()
    numpy = card(page, "numpy-arrays")
    assert numpy.locator(".jp-Mastery-waits").inner_text() == (
        f"Waits for: {titles['functions']}, {titles['collections']}"
    )
    assert numpy.get_attribute("title") == (
        f"{titles['numpy-arrays']}. Waits for: {titles['functions']}, {titles['collections']}"
    )
    line = float(numpy.evaluate("e => parseFloat(getComputedStyle(e).lineHeight) || 18"))
    height = numpy.bounding_box()["height"]
    assert height < 2 * line + 8, f"a locked unit is one line ({height}px)"
    assert numpy.locator('[role="progressbar"]').count() == 0
    assert first.locator('[role="progressbar"]').count() == 3

    # the keyboard: the map is one Tab stop (on the unit up next), arrows go unit to unit,
    # Enter shows the unit's card; Tab reaches it from the last button before it (the
    # placement's Start, under "Test out")
    assert [nodes.nth(i).get_attribute("tabindex") for i in range(3)] == ["0", "-1", "-1"]
    panel.locator(".jp-Mastery-placements button").last.focus()
    page.keyboard.press("Tab")
    focused = "() => document.activeElement.getAttribute('data-unit')"
    assert page.evaluate(focused) == "python-basics"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    assert page.evaluate(focused) == "collections"
    page.keyboard.press("End")
    assert page.evaluate(focused) == "project"
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.activeElement?.getAttribute('data-unit') === 'project'"
        " && document.activeElement.tagName === 'LI'"
    )
    assert card(page, "project").is_visible()

    # start from "Up next": in progress at once, before any attempt; up next says continue
    up.get_by_role("button", name=f"Begin {basics['title']}").click()
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    wait_state(page, "python-basics", "in_progress", timeout=30_000)
    assert state_of(page, "python-basics") == "In progress"
    assert "0 used" in first.locator(".jp-Mastery-attempts").inner_text()
    assert nodes.nth(0).get_attribute("data-state") == "in_progress"
    wait_text(page, "#jp-mastery-panel .jp-Mastery-upNextTitle", "Continue: ")
    assert up.get_by_role("button", name=f"Continue {basics['title']}").is_visible()

    # practice beside mastery: one check wrong, one right, counted under their objective
    lab = Lab(page, sample_lab)
    lab.wait_idle(timeout=90_000)
    practise(
        lab,
        {
            "answer-receipt": (WRONG_RECEIPT, "receipt-total"),
            "answer-duration": (RIGHT_DURATION, "rain-duration"),
        },
    )
    objective = first.locator('li[data-objective="use-variables"] .jp-Mastery-practice')
    assert objective.inner_text() == "Practice: no checks tried yet"
    panel.get_by_role("button", name="Refresh the Mastery panel").click()
    wait_text(
        page,
        '#jp-mastery-panel li[data-unit="python-basics"] li[data-objective="use-variables"] '
        ".jp-Mastery-practice",
        "Practice: 2 checks tried, 1 passing",
    )
    strings = first.locator('li[data-objective="work-with-strings"] .jp-Mastery-practice')
    assert strings.inner_text() == "Practice: no checks tried yet"
    assert (
        first.locator('li[data-objective="use-variables"] [role="progressbar"]').get_attribute(
            "aria-valuenow"
        )
        == "0"
    ), "practice never counts toward mastery"
    show_panel_top(page)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), clip={"x": 0, "y": 0, "width": 1400, "height": 1000})

    # a learner's progress names no class dashboard, and the panel shows no link (course
    # staff on a real service: test_dashboard_browser.py)
    assert progress(sample_lab)["dashboard_url"] is None
    assert panel.get_by_role("link", name="Class dashboard").count() == 0

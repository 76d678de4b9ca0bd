"""The class dashboard in Chromium, over a class of 200 learners of the sample course.

The class is seeded in bulk (the rows the real submit and record paths store;
tests/dashboard/test_seed.py keeps the two equal) and one learner's project attempt goes
through the real submit and record paths with a written answer to grade by hand. A real
``mastery-nb service`` serves it; the instructor signs in with their token and reads and
clicks as a person would. The screenshots of docs/dashboard.md are saved here. Last, the
instructor's own JupyterLab on the same service shows the "Class dashboard" link.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from service_process import LEARN, ServiceProcess, sample_path, start_service, stop_service

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "dashboard"))

from class_kit import COURSE, SeededClass, seeded_class

from mastery_nb.course.reader import ReleasedCourse
from mastery_nb.dashboard.course import CourseDashboard
from mastery_nb.grade.queue import claim_next, record_result
from mastery_nb.grade.result import AttemptResult, CellResult
from mastery_nb.grade.scoring import aggregate_objectives, manual_cell
from mastery_nb.service.app import ROUTES
from mastery_nb.store import dispose_stores, open_store
from mastery_nb.submit import submit_attempt

pytestmark = pytest.mark.timeout(600)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "img"
HOSTILE = (
    "The median rose by **12%** between the years. <script>window.pwned = 1</script>\n\n"
    '<img src=x onerror="window.pwned = 2"> [a link](javascript:alert(1))'
)


@dataclass
class Dashboard:
    seeded: SeededClass
    service: ServiceProcess
    writer: str  #: the learner whose project answer waits for a grade by hand

    def url(self, path: str = "") -> str:
        return f"{self.service.url}dashboard/{COURSE}/{path}"


def _project_attempt(seeded: SeededClass) -> str:
    """A learner with the project unlocked submits it with a written answer (real submit,
    the grading queue's record path; its tests pass, the answer waits for review)."""
    root = seeded.root
    released = ReleasedCourse.of(root, COURSE)
    course = released.course()
    project = course.units[-1]
    bundle = released.unit_bundle(project.id)
    snapshot = CourseDashboard(root, COURSE).fresh()
    writer = sorted(
        n for n, f in snapshot.learners.items() if f.standing[project.id].state == "unlocked"
    )[0]
    manual = next(c for nb in bundle.notebooks for c in nb.cells if c.grade and c.solution)
    files = {}
    for path in project.notebooks:
        notebook = json.loads((root.course_release(COURSE) / path).read_text())
        for cell in notebook["cells"]:
            if cell["metadata"].get("nbgrader", {}).get("grade_id") == manual.grade_id:
                cell["source"] = HOSTILE
        files[path] = json.dumps(notebook).encode()
    submit_attempt(root, COURSE, project.id, writer, files)
    store = open_store(root)
    claim = claim_next(store, course_id=COURSE)
    assert claim is not None and claim.student_id == writer
    cells: list[CellResult] = []
    for notebook in bundle.notebooks:
        for cell in notebook.cells:
            if cell.is_test:
                cells.append(
                    CellResult(
                        notebook.path,
                        cell.grade_id,
                        cell.points,
                        cell.points,
                        cell.objectives,
                        "passed",
                    )
                )
            elif cell.grade or cell.task:
                cells.append(manual_cell(notebook.path, cell, cell.objectives, unanswered=False))
    thresholds = {o.id: o.threshold for o in project.objectives}
    result = AttemptResult(cells=tuple(cells), objectives=aggregate_objectives(cells, thresholds))
    assert record_result(store, claim, course, result) is not None
    dispose_stores()
    return writer


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dashboard]:
    folder = tmp_path_factory.mktemp("dashboard")
    seeded = seeded_class(folder / "root", 200)
    writer = _project_attempt(seeded)
    service = start_service(
        folder / "service",
        [seeded.root.path],
        data_dir=seeded.root.data_dir,
        users={
            "prof": [f"custom:mastery:teach:{COURSE}"],
            "ta": [f"custom:mastery:grade:{COURSE}"],
            "ada": [LEARN],
        },
        extra_args=("--no-grading",),
    )
    try:
        yield Dashboard(seeded, service, writer)
    finally:
        stop_service(service)


def _sign_in(page: Any, dashboard: Dashboard, user: str, target: str = "") -> None:
    page.goto(dashboard.url(target))
    assert "/login" in page.url, "a browser that is not signed in is asked for its token"
    page.get_by_label("Your API token").fill(dashboard.service.tokens[user])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def _shoot(page: Any, name: str, *, full_page: bool = False) -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / f"dashboard-{name}.png"), full_page=full_page)


def test_the_instructor_reads_the_class_grades_by_hand_and_overrides(
    page: Any, dashboard: Dashboard
) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.set_viewport_size({"width": 1440, "height": 900})
    plan = dashboard.seeded.plan
    _sign_in(page, dashboard, "prof")

    # the heatmap: 200 learners in pages of 50, a coloured cell per objective
    assert page.get_by_text("learners 1\u201350 of 200").first.is_visible()
    rows = page.locator("table.heatmap tbody tr")
    assert rows.count() == 50
    objectives = sum(
        len(u.objectives) for u in ReleasedCourse.of(dashboard.seeded.root, COURSE).course().units
    )
    assert rows.first.locator("td.c span").count() == objectives
    legend = page.locator(".legend").inner_text()
    counted = sum(int(n) for n in re.findall(r"\b(\d+)\b", legend))
    assert counted == 200 * objectives
    _shoot(page, "heatmap")
    page.get_by_role("link", name="next →").first.click()
    assert (
        page.locator("table.heatmap tbody tr").first.get_attribute("data-learner")
        == "learner-00050"
    )
    page.goto(dashboard.url("?state=struggling&limit=200"))
    struggling = page.locator("table.heatmap tbody tr")
    assert 0 < struggling.count() < 200
    for index in range(struggling.count()):
        assert struggling.nth(index).locator("span.s-struggling").count() >= 1

    # needs you now: every learner the seed troubled, with the seed's reason
    page.goto(dashboard.url("needs"))
    for story, learners in plan.stories.items():
        for learner in learners:
            found = page.locator(f'#needs tr[data-learner="{learner}"][data-reason="{story}"]')
            assert found.count() >= 1, (story, learner)
    _shoot(page, "needs", full_page=False)

    # an item's statistics are the seeded failures
    unit = "functions"
    page.goto(dashboard.url(f"items?unit={unit}"))
    items = page.locator("#items tr[data-item]")
    assert items.count() >= 5
    for index in range(items.count()):
        row = items.nth(index)
        grade_id = row.get_attribute("data-item")
        key = next(k for k in plan.first_failed if k[0] == unit and k[2] == grade_id)
        text = row.locator(".first-failed span.count").inner_text()
        assert text.startswith(f"{plan.first_failed[key]} of {plan.first_seen[key]} "), (
            grade_id,
            text,
        )
    _shoot(page, "items")

    # grading by hand: the written answer shown safely, a grade that decides mastery
    page.goto(dashboard.url("review"))
    waiting = page.locator(f'#reviews tr[data-learner="{dashboard.writer}"]')
    assert waiting.count() == 1
    waiting.get_by_role("link").last.click()
    page.wait_for_load_state()
    assert page.locator("#standing").get_attribute("data-mastered") == "false"
    assert "awaiting review" in page.locator("#standing").inner_text()
    answer = page.locator(".review-cell .answer")
    assert "The median rose by 12%" in answer.inner_text()
    assert "<script>" in answer.inner_text(), "raw HTML is shown as text"
    assert answer.locator("script, img, a").count() == 0
    assert page.evaluate("() => window.pwned === undefined") and dialogs == []
    form = page.locator(".review-cell form.grade-form").first
    points = form.locator("input[name=points]")
    points.fill(points.get_attribute("max") or "")  # full marks on the write-up
    form.locator("textarea[name=comment]").fill("A careful reading of the **median**.")
    _shoot(page, "grading")
    form.get_by_role("button", name="Save grade").click()
    page.wait_for_load_state()
    assert "Saved:" in page.locator("#saved").inner_text()
    assert page.locator("#standing").get_attribute("data-mastered") == "true"
    page.goto(dashboard.url(f"learners/{dashboard.writer}"))
    project = page.locator("#standing tr").last
    assert "mastered" in project.locator("td.state").inner_text()
    assert "A careful reading of the" in page.locator("#grades").inner_text()

    # an override, recorded with who and why, shown in the audit trail
    learner = plan.stories["out_of_attempts"][0]
    page.goto(dashboard.url(f"learners/{learner}"))
    stuck_unit = next(a.unit for a in reversed(plan.attempts) if a.learner == learner)
    before = page.locator(f"#unit-{stuck_unit} td.num").inner_text()
    assert before.endswith("0 left")
    page.locator("select[name=action]").select_option("extra_attempts")
    page.locator("select[name=target]").select_option(stuck_unit)
    page.locator("input[name=amount]").fill("2")
    page.locator("textarea[name=reason]").fill("Doctor's note for the week of the exam")
    page.get_by_role("button", name="Record override").click()
    page.wait_for_load_state()
    assert "Recorded: extra attempts" in page.locator("#saved").inner_text()
    trail = page.locator("#overrides").inner_text()
    assert "Doctor's note for the week of the exam" in trail and "prof" in trail
    assert page.locator(f"#unit-{stuck_unit} td.num").inner_text().endswith("2 left")
    assert "2 more attempts" in page.locator(f"#unit-{stuck_unit}").inner_text()
    _shoot(page, "learner", full_page=True)
    page.goto(dashboard.url("units"))
    _shoot(page, "units")


def test_a_students_session_gets_403_on_every_dashboard_route(
    browser: Any, dashboard: Dashboard
) -> None:
    context = browser.new_context()
    page = context.new_page()
    try:
        _sign_in(page, dashboard, "ada")
        values = {
            "course": COURSE,
            "learner": "learner-00001",
            "unit": "python-basics",
            "attempt": "1",
            "question": "q",
            "override": "1",
        }
        checked = 0
        for pattern, handler in ROUTES:
            path = sample_path(pattern, values)
            if not path.startswith("dashboard/") or path.endswith(".css"):
                continue
            if getattr(getattr(handler, "get", None), "__mastery_access__", None):
                response = page.goto(dashboard.service.url + path)
                assert response is not None and response.status == 403, path
                assert "cannot see" in page.locator("p.error").inner_text()
                checked += 1
            if getattr(getattr(handler, "post", None), "__mastery_access__", None):
                answer = context.request.post(dashboard.service.url + path, form={"reason": "x"})
                assert answer.status == 403, path
                checked += 1
        assert checked == 12  # 9 pages, 3 forms
        # and the instructor's API answers her the same
        api = context.request.get(dashboard.service.url + f"api/courses/{COURSE}/class")
        assert api.status == 403
    finally:
        context.close()


def test_the_instructors_mastery_panel_links_the_class_dashboard(
    page: Any, dashboard: Dashboard, tmp_path: Path
) -> None:
    """The instructor's own JupyterLab, on the service with her token as on a hub: her
    Mastery panel links the dashboard, and the link leads to its sign-in page."""
    from lab_browser import start_jupyterlab, stop_jupyterlab

    (tmp_path / "root").mkdir()
    lab = start_jupyterlab(
        tmp_path / "root",
        tmp_path / "home",
        extra_env={
            "MASTERY_NB_BACKEND": "service",
            "MASTERY_NB_SERVICE_URL": dashboard.service.url,
            "MASTERY_NB_COURSE": COURSE,
            "JUPYTERHUB_API_TOKEN": dashboard.service.tokens["prof"],
            "JUPYTERHUB_USER": "prof",
        },
    )
    try:
        page.goto(lab.lab_url())
        page.wait_for_selector("#jupyterlab-splash", state="detached", timeout=90_000)
        page.locator('.jp-SideBar li[data-id="jp-mastery-panel"]').click()
        link = page.locator("#jp-mastery-panel a.jp-Mastery-dashboard")
        link.wait_for(state="visible", timeout=30_000)
        assert link.inner_text() == "Class dashboard"
        assert link.get_attribute("href") == dashboard.url()
        with page.context.expect_page() as opened:
            link.click()
        tab = opened.value
        tab.wait_for_load_state()
        assert tab.url.startswith(dashboard.service.url) and "/login" in tab.url
    finally:
        stop_jupyterlab(lab)

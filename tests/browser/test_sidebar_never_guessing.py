"""A student never left guessing: grading states, a grader fault, a service that is down
(issue 12: "a mastery loop that never leaves a student guessing").

1. The learner's server grades nothing itself (as when grading runs elsewhere). The student
   submits: the panel says the attempt waits for the grader and Submit reads "Grading…".
   The grader then fails for a reason of its own (the stored submission was damaged on
   disk): the panel says grading failed, not their answers, and that it used no attempt.
   The instructor repairs it and retries; while the real grader (paused a few seconds on
   the way) works, the panel says the attempt is being graded; then its result.
2. On a hub (the service backend: a real ``mastery-nb service`` reached with the learner's
   own token): the service stops. The panel keeps the course it knew, says the service is
   not answering and that nothing is lost; when the service is back it recovers by itself.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lab_browser import LabServer, start_jupyterlab, stop_jupyterlab
from sidebar_page import card, open_panel, wait_state, wait_text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "server"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from mini_course import (
    COURSE_ID,
    STUDENT,
    UNIT_1,
    UNIT_1_NOTEBOOK,
    WRONG_TOTAL,
    answered,
    build_mini_course,
)
from service_process import LEARN, restart_service, start_service, stop_service

from mastery_nb.root import CourseRoot

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(600)]

UNIT = UNIT_1
TITLE = "Python basics"
NOTEBOOK = UNIT_1_NOTEBOOK
NOTE = f'#jp-mastery-panel li[data-unit="{UNIT}"] .jp-Mastery-grading'


def grade(
    root: CourseRoot, *args: str, pause: float = 0, pause_dir: Path | None = None
) -> subprocess.Popen[bytes]:
    """``mastery-nb grade`` as the instructor runs it (optionally pausing while grading,
    with a file in ``pause_dir`` saying when the pause begins)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MASTERY_NB")}
    if pause:
        env.update(MASTERY_NB_TEST_PAUSE="grading", MASTERY_NB_TEST_PAUSE_SECONDS=str(pause))
        env.update(MASTERY_NB_TEST_PAUSE_DIR=str(pause_dir))
    command = [sys.executable, "-m", "mastery_nb", "grade", "--root", str(root.path)]
    command += ["--data-dir", str(root.data_dir), "--workers", "1", *args]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def finished(process: subprocess.Popen[bytes]) -> str:
    out, _ = process.communicate(timeout=180)
    assert process.returncode == 0, out.decode(errors="replace")
    return out.decode(errors="replace")


@pytest.fixture
def course(tmp_path: Path) -> CourseRoot:
    return build_mini_course(tmp_path / "course-root")


def serve(
    course: CourseRoot, tmp_path: Path, *args: str, env: dict[str, str] | None = None
) -> LabServer:
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    server = start_jupyterlab(
        workspace, tmp_path / "home", (f"--MasteryApp.student={STUDENT}", *args), env
    )
    server.api("POST", f"mastery/api/units/{UNIT}/start")
    path = workspace / COURSE_ID / NOTEBOOK
    path.write_bytes(answered(path, WRONG_TOTAL, "greeting = 'hello'"))
    return server


@pytest.fixture
def no_grader_lab(course: CourseRoot, tmp_path: Path) -> Iterator[LabServer]:
    server = serve(
        course,
        tmp_path,
        f"--MasteryApp.course_root={course.path}",
        f"--MasteryApp.course_id={COURSE_ID}",
        f"--MasteryApp.data_dir={course.data_dir}",
        "--MasteryApp.grade_in_process=False",
    )
    try:
        yield server
    finally:
        stop_jupyterlab(server)


def test_grading_states_and_a_grader_fault(
    no_grader_lab: LabServer, course: CourseRoot, page: Any, tmp_path: Path
) -> None:
    panel = open_panel(page, no_grader_lab)
    unit = card(page, UNIT)
    unit.get_by_role("button", name=f"Submit unit {TITLE}").click()
    wait_text(page, "#jp-mastery-panel .jp-Mastery-status", f"Attempt 1 of {TITLE} submitted")

    # queued: said, and Submit waits
    wait_state(page, UNIT, "grading", timeout=30_000)
    assert (
        unit.locator(".jp-Mastery-grading").inner_text() == "Attempt 1 is waiting for the grader."
    )
    submit = unit.get_by_role("button", name=f"Submit unit {TITLE}")
    assert submit.is_disabled() and submit.inner_text() == "Grading\u2026"
    up = panel.locator(".jp-Mastery-upNext")
    assert up.locator(".jp-Mastery-upNextTitle").inner_text() == f"Being graded: {TITLE}"
    assert "Attempt 1 is waiting for the grader." in up.inner_text()

    # the grader fails for its own reason: said, and no attempt is used
    (stored,) = (course.data_dir / "submissions").rglob("*.ipynb")
    original = stored.read_bytes()
    stored.write_bytes(original + b"\n")  # damaged on disk after it was stored
    finished(grade(course))
    wait_state(page, UNIT, "in_progress", timeout=30_000)
    wait_text(page, NOTE, "grading failed, not your answers")
    note = unit.locator(".jp-Mastery-grading")
    assert note.get_attribute("data-kind") == "grader-error"
    # the grader's own words (the unit's grading_problem): given up, not counted, told
    assert note.inner_text() == (
        "Attempt 1: grading failed, not your answers; this attempt does not count as one of "
        "yours and your instructor has been told."
    )
    assert unit.locator(".jp-Mastery-attempts").inner_text() == "Attempts: 0 used, 3 left"
    assert "grading failed, not your answers" in panel.locator(".jp-Mastery-status").inner_text()
    assert unit.get_by_role("button", name=f"Submit unit {TITLE}").is_enabled()

    # repaired and retried: being graded (the real grader, paused on its way), then graded
    stored.write_bytes(original)
    paused = tmp_path / "paused"
    paused.mkdir()
    grader = grade(course, "--retry-failed", pause=8, pause_dir=paused)
    deadline = time.monotonic() + 60
    while not any(paused.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert any(paused.iterdir()), "the grader took the attempt"
    panel.get_by_role("button", name="Refresh the Mastery panel").click()
    wait_state(page, UNIT, "grading", timeout=30_000)
    wait_text(page, NOTE, "Attempt 1 is being graded")
    assert unit.locator(".jp-Mastery-grading").get_attribute("data-kind") == "grading"
    finished(grader)
    wait_state(page, UNIT, "in_progress", timeout=30_000)
    assert unit.locator(".jp-Mastery-grading").count() == 0
    wait_text(page, "#jp-mastery-panel .jp-Mastery-status", f"{TITLE} has been graded")
    assert unit.locator(".jp-Mastery-attempts").inner_text() == "Attempts: 1 used, 2 left"


def test_a_service_that_is_down(course: CourseRoot, tmp_path: Path, page: Any) -> None:
    service = start_service(
        tmp_path / "service",
        [course.path],
        data_dir=course.data_dir,
        users={STUDENT: [LEARN]},
        extra_args=("--workers", "1"),
    )
    server = None
    try:
        server = serve(
            course,
            tmp_path,
            "--MasteryApp.backend=service",
            f"--MasteryApp.service_url={service.url}",
            f"--MasteryApp.course_id={COURSE_ID}",
            env={"JUPYTERHUB_API_TOKEN": service.tokens[STUDENT]},
        )
        panel = open_panel(page, server)
        assert "Mini course" in panel.locator(".jp-Mastery-course").inner_text()
        stop_service(service)

        panel.get_by_role("button", name="Refresh the Mastery panel").click()
        alert = panel.get_by_role("alert")
        wait_text(page, "#jp-mastery-panel [role=alert]", "The mastery service is not answering")
        words = alert.inner_text()
        assert "your files are safe and nothing is lost" in words
        assert "The panel shows what it knew at " in words and "tries again every 10 s" in words
        assert "Traceback" not in words
        assert card(page, UNIT).is_visible(), "the course it knew stays on screen"
        assert panel.locator(".jp-Mastery-mapNode").count() == 4

        service = restart_service(service)
        page.wait_for_function(
            "() => document.querySelector('#jp-mastery-panel [role=alert]').textContent === ''",
            timeout=30_000,
        )
        assert not page.locator("#jp-mastery-panel.jp-Mastery-stale").count()
    finally:
        if server is not None:
            stop_jupyterlab(server)
        stop_service(service)

"""The sidebar's Test out cards go through a unit's routes under the placement's id.

A real Jupyter server on the forms course (tests/forms/forms_course.py: placement
``place-arith`` covers unit ``arith``, one attempt), with both backends (in the server, and
the mastery service as on a hub): progress lists the placement with what the card shows
(its policy, not started), Start writes the learner's form of its notebook and progress then
says started, readiness reads its answers before a submission, Submit queues attempt 1 and
a second one is refused in words without using an attempt.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from test_routes import call

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "forms"))

from forms_course import COURSE_ID, PLACEMENT_NB, build_forms_course

from mastery_nb.root import CourseRoot

pytestmark = pytest.mark.timeout(120)

PLACEMENT = "place-arith"


@pytest.fixture
def course_root(tmp_path: Path) -> CourseRoot:
    """The forms course (it has a placement) instead of the mini course."""
    return build_forms_course(tmp_path / "forms-root")


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any]) -> dict[str, Any]:
    mastery = jp_server_config["MasteryApp"]
    if "course_id" in mastery:  # the service backend names its course
        mastery["course_id"] = COURSE_ID
    return jp_server_config


def _placement(progress: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = next(p for p in progress["placements"] if p["id"] == PLACEMENT)
    return found


async def test_a_placement_is_started_and_submitted_through_the_unit_routes(
    jp_fetch: Any, jp_root_dir: Path
) -> None:
    code, progress = await call(jp_fetch, "mastery", "api", "progress")
    assert code == 200, progress
    placement = _placement(progress)
    assert (placement["state"], placement["started"]) == ("available", False)
    assert (placement["max_attempts"], placement["attempts_left"]) == (1, 1)
    assert placement["cooldown_seconds"] == 0 and placement["grading_problem"] is None
    assert placement["units"] == ["arith"] and placement["unit_titles"] == ["Arithmetic"]

    code, started = await call(
        jp_fetch, "mastery", "api", "units", PLACEMENT, "start", method="POST"
    )
    assert code == 200, started
    assert started["unit"] == PLACEMENT and started["form"] == 1
    assert [n["path"] for n in started["notebooks"]] == [PLACEMENT_NB]
    assert (Path(jp_root_dir) / COURSE_ID / PLACEMENT_NB).is_file()
    code, progress = await call(jp_fetch, "mastery", "api", "progress")
    placement = _placement(progress)
    assert placement["started"] is True
    assert placement["notebooks"][0]["server_path"] == f"{COURSE_ID}/{PLACEMENT_NB}"

    code, ready = await call(jp_fetch, "mastery", "api", "units", PLACEMENT, "readiness")
    assert code == 200, ready
    assert ready["answers"] > 0 and ready["untouched"] == ready["answers"], ready

    code, receipt = await call(
        jp_fetch, "mastery", "api", "units", PLACEMENT, "submit", method="POST"
    )
    assert code == 202, receipt
    assert (receipt["unit"], receipt["attempt"], receipt["attempts_left"]) == (PLACEMENT, 1, 0)
    code, progress = await call(jp_fetch, "mastery", "api", "progress")
    placement = _placement(progress)
    assert placement["state"] == "grading" and placement["attempts_used"] == 1

    # one try: a second is refused in words, and no attempt is used
    code, refused = await call(
        jp_fetch, "mastery", "api", "units", PLACEMENT, "submit", method="POST"
    )
    assert code == 409, refused
    assert refused["code"] == "attempt_limit"
    code, progress = await call(jp_fetch, "mastery", "api", "progress")
    assert _placement(progress)["attempts_used"] == 1

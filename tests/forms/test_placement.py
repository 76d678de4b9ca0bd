"""Placement (test-out): a placement notebook masters the units whose thresholds it reaches.

The forms course's placement ``place-arith`` covers unit ``arith``; ``words`` requires it.
A learner who passes the placement has ``arith`` mastered by placement (said so in progress,
feedback and the instructor's view) and ``words`` unlocked; one who fails starts at
``arith`` with feedback saying what to study. One try by default.
"""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from typing import Any

import nbformat
import pytest
from forms_course import COURSE_ID, PLACEMENT_NB

from mastery_nb.backend import BackendError
from mastery_nb.backend.local import LocalBackend
from mastery_nb.cli import main as mastery_main
from mastery_nb.dashboard.course import CourseDashboard
from mastery_nb.dashboard.html.layout import Links
from mastery_nb.dashboard.html.learner_view import learner_body
from mastery_nb.feedback import attempt_feedback, render_feedback_html
from mastery_nb.grade.queue import grade_pending
from mastery_nb.root import CourseRoot

pytestmark = pytest.mark.slow


def _placement_notebook(backend: LocalBackend, learner: str, right: bool) -> bytes:
    receipt = backend.start(learner, "place-arith")
    assert receipt.form == 1
    files = {f.path: f.content() for f in receipt.files}
    values = json.loads(files["forms/place-arith.json"])["values"]
    nb = nbformat.reads(files[PLACEMENT_NB].decode("utf-8"), as_version=4)
    rest = values["n"] % values["d"] if right else values["n"] % values["d"] + 1
    answer = f"rest = {rest}\n\n\ndef at_least(x, y):\n    return x >= y"
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = answer
    return nbformat.writes(nb).encode()


def _take(root: CourseRoot, learner: str, right: bool) -> LocalBackend:
    backend = LocalBackend(root, COURSE_ID)
    receipt = backend.submit(
        learner, "place-arith", {PLACEMENT_NB: _placement_notebook(backend, learner, right)}
    )
    assert (receipt.attempt, receipt.form) == (1, 1)
    assert grade_pending(root, workers=1) == 1
    return backend


def _units(backend: LocalBackend, learner: str) -> dict[str, Any]:
    return {u.id: u for u in backend.progress(learner).units}


def test_passing_the_placement_masters_its_units_and_unlocks_their_dependants(
    forms_root: CourseRoot,
) -> None:
    backend = LocalBackend(forms_root, COURSE_ID)
    before = backend.progress("ada")
    assert [p.id for p in before.placements] == ["place-arith"]
    assert before.placements[0].state == "available" and before.placements[0].can_submit
    assert _units(backend, "ada")["words"].state == "locked"

    backend = _take(forms_root, "ada", right=True)
    units = _units(backend, "ada")
    arith = units["arith"]
    assert (arith.state, arith.mastered, arith.mastered_by, arith.placement) == (
        "mastered",
        True,
        "placement",
        "place-arith",
    )
    assert all(o.mastered and o.score == 1.0 for o in arith.objectives)
    assert units["words"].state == "unlocked", "mastering by placement unlocks the dependants"
    placement = backend.progress("ada").placements[0]
    assert (placement.state, placement.placed, placement.attempts_left) == (
        "taken",
        ["arith"],
        0,
    )

    feedback = attempt_feedback(forms_root, COURSE_ID, "ada", "place-arith")
    assert feedback["placement"]["units"] == [
        {"id": "arith", "title": "Arithmetic", "placed": True, "mastered": True, "to_study": []}
    ]
    assert feedback["unlocked"] == [{"id": "words", "title": "Words"}]
    assert feedback["placement"]["start_with"] == [{"id": "words", "title": "Words"}]
    page = render_feedback_html(feedback)
    assert "mastered by placement" in page and "Start with: Words" in page

    # one try by default: a second attempt is refused without using one
    with pytest.raises(BackendError) as refused:
        backend.submit(
            "ada", "place-arith", {PLACEMENT_NB: _placement_notebook(backend, "ada", True)}
        )
    assert refused.value.code == "attempt_limit"

    # the instructor's view: progress for any learner of the course
    out = io.StringIO()
    with redirect_stdout(out):
        code = mastery_main(
            [
                "progress",
                "--course",
                COURSE_ID,
                "--student",
                "ada",
                "--root",
                str(forms_root.path),
                "--data-dir",
                str(forms_root.data_dir),
            ]
        )
    assert code == 0
    assert "mastered by placement (place-arith)" in out.getvalue()
    assert "placement place-arith" in out.getvalue() and "placed out of: arith" in out.getvalue()

    # and the class dashboard's page of the learner
    dashboard = CourseDashboard(forms_root, COURSE_ID)
    page = learner_body(
        dashboard.learner("ada"), dashboard.course(), Links("/", COURSE_ID), "x", teach=True
    )
    row = page[page.index('id="unit-arith"') :].split("</tr>")[0]
    assert "mastered by placement (place-arith)" in row and "mastered" in row
    backend.close()


def test_failing_the_placement_starts_the_learner_at_the_first_unit_with_what_to_study(
    forms_root: CourseRoot,
) -> None:
    backend = _take(forms_root, "bob", right=False)
    units = _units(backend, "bob")
    assert (units["arith"].state, units["arith"].mastered_by) == ("unlocked", None)
    assert units["words"].state == "locked"
    assert not any(o.mastered for o in units["arith"].objectives), (
        "placement evidence is all or nothing"
    )

    feedback = attempt_feedback(forms_root, COURSE_ID, "bob", "place-arith")
    assert feedback["placement"] == {
        "units": [
            {
                "id": "arith",
                "title": "Arithmetic",
                "placed": False,
                "mastered": False,
                "to_study": ["use-remainder"],
            }
        ],
        "start_with": [{"id": "arith", "title": "Arithmetic"}],
    }
    (objective,) = feedback["objectives"]
    assert objective["remediation"] == [
        {
            "title": "Remainders, again",
            "href": "https://docs.python.org/3/tutorial/introduction.html",
        }
    ]
    page = render_feedback_html(feedback)
    assert "not placed out" in page and "study use-remainder" in page
    assert "Start with: Arithmetic" in page and "Remainders, again" in page

    # the learner then works through the unit as usual
    receipt = backend.start("bob", "arith")
    assert receipt.form == 1
    backend.close()

"""The one decider of mastery, and that grading, the queue and standing agree with it."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from mastery_nb.course.model import Course, Objective, Unit
from mastery_nb.grade.result import ObjectiveResult
from mastery_nb.mastery import Verdict, decide
from mastery_nb.progress.standing import AttemptRecord, standing


@pytest.mark.parametrize(
    ("points", "max_points", "threshold", "verdict"),
    [
        (8.0, 10.0, 0.8, Verdict(0.8, True)),  # float rounding does not cost mastery
        (0.7 + 0.1, 1.0, 0.8, Verdict(0.7999999999999999, True)),
        (7.9, 10.0, 0.8, Verdict(0.79, False)),
        (0.0, 0.0, 0.0, Verdict(0.0, False)),  # nothing possible is never mastered
        (3.0, 3.0, 1.0, Verdict(1.0, True)),
    ],
)
def test_decide(points: float, max_points: float, threshold: float, verdict: Verdict) -> None:
    assert decide(points, max_points, threshold) == verdict


def test_grading_and_standing_say_the_same() -> None:
    unit = Unit(
        id="u",
        title="U",
        notebooks=("u.ipynb",),
        objectives=(Objective(id="o", description="O", threshold=0.8),),
    )
    course = Course(id="c", title="C", units=(unit,))
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    for points in (7.9, 8.0):
        graded = ObjectiveResult("o", points, 10.0, 0.8)
        record = AttemptRecord("u", 1, now, "graded", {"o": (points, 10.0)})
        objective = standing(course, [record], now)["u"].objectives[0]
        assert graded.mastered == objective.mastered == decide(points, 10.0, 0.8).mastered


@pytest.mark.parametrize(
    ("points", "max_points", "pending", "mastered", "awaiting"),
    [
        (3.0, 13.0, 10.0, False, True),  # ps1: the answers graded by hand could master it
        (11.0, 13.0, 2.0, True, False),  # mastered whatever the last answer gets
        (3.0, 13.0, 4.0, False, False),  # even full marks on the pending answer fall short
        (10.0, 13.0, 0.0, False, False),  # nothing pending: decided
        (0.0, 4.0, 4.0, False, True),  # only answers graded by hand, none graded yet
    ],
)
def test_pending_points_decide_only_when_they_cannot_change_the_verdict(
    points: float, max_points: float, pending: float, mastered: bool, awaiting: bool
) -> None:
    verdict = decide(points, max_points, 0.8, pending)
    assert (verdict.mastered, verdict.awaiting_review) == (mastered, awaiting)
    assert verdict.score == pytest.approx(points / max_points)
    result = ObjectiveResult("o", points, max_points, 0.8, pending)
    assert (result.mastered, result.awaiting_review) == (mastered, awaiting)

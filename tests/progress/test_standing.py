"""The standing rule as a pure function: replayed histories, no database."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from mastery_nb.course.model import Course, Objective, Policy, Unit
from mastery_nb.progress.standing import AttemptRecord, standing

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc)


def course(scoring: str = "best", max_attempts: int | None = 3, cooldown: int = 0) -> Course:
    policy = Policy(max_attempts=max_attempts, cooldown_seconds=cooldown, scoring=scoring)  # type: ignore[arg-type]
    return Course(
        id="c",
        title="C",
        units=(
            Unit(
                id="a",
                title="A",
                notebooks=("a.ipynb",),
                policy=policy,
                objectives=(
                    Objective(id="x", description="X", threshold=0.8),
                    Objective(id="y", description="Y", threshold=0.5),
                ),
            ),
            Unit(
                id="b",
                title="B",
                notebooks=("b.ipynb",),
                requires=("a",),
                policy=policy,
                objectives=(Objective(id="z", description="Z"),),
            ),
            Unit(
                id="d",
                title="D",
                notebooks=("d.ipynb",),
                requires=("a", "b"),
                policy=policy,
                objectives=(Objective(id="w", description="W"),),
            ),
        ),
    )


def graded(
    unit: str, number: int, minutes_ago: float = 30, **scores: tuple[float, float]
) -> AttemptRecord:
    return AttemptRecord(
        unit=unit,
        number=number,
        submitted_at=NOW - timedelta(minutes=minutes_ago),
        status="graded",
        objectives=scores,
    )


def test_nothing_attempted_first_unit_unlocked_rest_locked_with_reasons() -> None:
    result = standing(course(), [], NOW)
    assert [u.state for u in result.values()] == ["unlocked", "locked", "locked"]
    assert result["b"].waits_for == ("a",)
    assert result["b"].waits_for_objectives == (("a", "x"), ("a", "y"))
    assert result["d"].waits_for == ("a", "b")
    assert result["b"].refusal == "locked"
    assert "waits for unit 'a' (A), objectives not yet mastered: 'x', 'y'" in (
        result["b"].refusal_reason or ""
    )
    assert result["a"].attempts_used == 0 and result["a"].attempts_left == 3
    assert all(o.score == 0.0 and not o.mastered for o in result["a"].objectives)


def test_score_is_points_over_possible_and_threshold_is_inclusive() -> None:
    # 8/10 = 0.8 exactly reaches 0.8; 1/2 = 0.5 reaches 0.5
    result = standing(course(), [graded("a", 1, x=(8.0, 10.0), y=(1.0, 2.0))], NOW)
    a = result["a"]
    assert [o.score for o in a.objectives] == [0.8, 0.5]
    assert a.mastered and a.state == "mastered"
    assert result["b"].state == "unlocked", "mastering a unit unlocks its dependants at once"
    assert result["d"].state == "locked" and result["d"].waits_for == ("b",)


def test_unit_not_mastered_until_every_objective_is() -> None:
    result = standing(course(), [graded("a", 1, x=(10.0, 10.0), y=(0.9, 2.0))], NOW)
    assert result["a"].state == "in_progress" and not result["a"].mastered
    assert result["b"].waits_for_objectives == (("a", "y"),)


def test_best_policy_keeps_mastery_across_attempts_and_objectives() -> None:
    history = [
        graded("a", 1, minutes_ago=50, x=(10.0, 10.0), y=(0.0, 2.0)),
        graded("a", 2, minutes_ago=40, x=(2.0, 10.0), y=(2.0, 2.0)),
    ]
    a = standing(course("best"), history, NOW)["a"]
    assert a.mastered, "each objective was mastered in some attempt: best keeps both"
    assert [o.score for o in a.objectives] == [1.0, 1.0]
    assert [o.latest_score for o in a.objectives] == [0.2, 1.0]


def test_latest_policy_lets_the_latest_graded_attempt_decide() -> None:
    history = [
        graded("a", 1, minutes_ago=50, x=(10.0, 10.0), y=(2.0, 2.0)),
        graded("a", 2, minutes_ago=40, x=(2.0, 10.0), y=(2.0, 2.0)),
        AttemptRecord(unit="a", number=3, submitted_at=NOW, status="grader-error"),
    ]
    result = standing(course("latest"), history, NOW)
    assert not result["a"].mastered
    assert [o.score for o in result["a"].objectives] == [0.2, 1.0]
    assert [o.best_score for o in result["a"].objectives] == [1.0, 1.0]
    assert result["b"].state == "locked"
    assert result["a"].attempts_used == 2, "an attempt the grader failed on is not used"


def test_grading_state_and_pending_attempts() -> None:
    history = [
        graded("a", 1, x=(10.0, 10.0), y=(2.0, 2.0)),
        AttemptRecord(unit="b", number=1, submitted_at=NOW, status="queued"),
    ]
    result = standing(course(), history, NOW)
    assert result["b"].state == "grading" and result["b"].pending == (1,)
    assert result["b"].attempts_used == 1 and result["b"].attempts_left == 2


def test_attempt_limit_refuses_and_says_so() -> None:
    history = [graded("a", n, minutes_ago=60 - n, x=(0.0, 10.0), y=(0.0, 2.0)) for n in (1, 2, 3)]
    a = standing(course(max_attempts=3), history, NOW)["a"]
    assert a.attempts_left == 0 and a.refusal == "attempt_limit"
    assert "all 3 of its attempts" in (a.refusal_reason or "")


def test_cooldown_runs_from_latest_submission_and_ends() -> None:
    history = [graded("a", 1, minutes_ago=4, x=(0.0, 10.0), y=(0.0, 2.0))]
    a = standing(course(cooldown=600), history, NOW)["a"]
    assert a.cooldown_until == NOW + timedelta(minutes=6)
    assert a.refusal == "cooldown" and "2026-11-22T09:06:00Z" in (a.refusal_reason or "")
    assert "in 6 min" in (a.refusal_reason or "")
    later = standing(course(cooldown=600), history, NOW + timedelta(minutes=6, seconds=1))["a"]
    assert later.cooldown_until is None and later.can_submit


def test_unlimited_attempts_and_unknown_units_ignored() -> None:
    history = [graded("gone", 1, x=(1.0, 1.0))]
    a = standing(course(max_attempts=None), history, NOW)["a"]
    assert a.attempts_left is None and a.state == "unlocked"


def test_objective_without_points_is_never_mastered() -> None:
    a = standing(course(), [graded("a", 1, x=(0.0, 0.0), y=(2.0, 2.0))], NOW)["a"]
    assert not a.objectives[0].mastered and not a.mastered


def test_a_grader_error_uses_no_attempt_and_starts_no_cooldown() -> None:
    ten_minutes = course(max_attempts=2, cooldown=600)
    history = [
        graded("a", 1, minutes_ago=30, x=(1.0, 2.0), y=(0.0, 2.0)),
        AttemptRecord(
            unit="a",
            number=2,
            submitted_at=NOW - timedelta(minutes=1),
            status="grader-error",
            error="the sandbox could not be set up: mount /tmp: Operation not permitted",
            grader_errors=3,
        ),
    ]
    a = standing(ten_minutes, history, NOW)["a"]
    assert (a.attempts_used, a.attempts_left, a.cooldown_until, a.refusal) == (1, 1, None, None)
    assert a.state == "in_progress" and a.last_status == "grader-error"
    problem = a.grading_problem
    assert problem is not None and problem.final and problem.attempt == 2
    assert problem.message.startswith("grading failed, not your answers")
    assert "your instructor has been told" in problem.message
    assert problem.cause.startswith("the sandbox could not be set up")


def test_a_grading_being_retried_says_so_and_the_cooldown_runs_from_it() -> None:
    ten_minutes = course(max_attempts=2, cooldown=600)
    retrying = AttemptRecord(
        unit="a",
        number=1,
        submitted_at=NOW - timedelta(minutes=1),
        status="queued",
        error="the grading worker is gone",
        grader_errors=1,
    )
    a = standing(ten_minutes, [retrying], NOW)["a"]
    assert a.state == "grading" and a.attempts_used == 1
    assert a.cooldown_until == NOW + timedelta(minutes=9)
    assert a.grading_problem is not None and not a.grading_problem.final
    assert a.grading_problem.message == "grading failed, not your answers; it will be retried"

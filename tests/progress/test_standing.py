"""The standing rule as a pure function: replayed histories, no database."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from mastery_nb.course.model import Course, Objective, Placement, Policy, Unit
from mastery_nb.progress.standing import (
    AttemptRecord,
    Override,
    cooldown_end,
    format_duration,
    placement_standing,
    standing,
)

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
    unit: str, number: int, minutes_ago: float = 30, form: int = 1, **scores: tuple[float, float]
) -> AttemptRecord:
    return AttemptRecord(
        unit=unit,
        number=number,
        submitted_at=NOW - timedelta(minutes=minutes_ago),
        status="graded",
        objectives=scores,
        form=form,
    )


def grader_error(unit: str, number: int, form: int = 1) -> AttemptRecord:
    return AttemptRecord(
        unit=unit,
        number=number,
        submitted_at=NOW - timedelta(minutes=1),
        status="grader-error",
        error="the grading worker is gone",
        grader_errors=3,
        form=form,
    )


def with_placement(base: Course) -> Course:
    """``base`` with a placement ``p`` covering units a and b (one try, the default)."""
    placement = Placement(id="p", title="P", notebooks=("p.ipynb",), units=("a", "b"))
    return base.model_copy(update={"placements": (placement,)})


def test_nothing_attempted_first_unit_unlocked_rest_locked_with_reasons() -> None:
    result = standing(course(), [], NOW)
    assert [u.state for u in result.values()] == ["unlocked", "locked", "locked"]
    assert result["b"].waits_for == ("a",)
    assert result["b"].waits_for_objectives == (("a", "x"), ("a", "y"))
    assert result["d"].waits_for == ("a", "b")
    assert result["b"].refusal == "locked"
    assert result["b"].refusal_reason == (
        "\u201cB\u201d is locked: it waits for \u201cA\u201d (not yet mastered: X; Y)"
    ), "titles and descriptions, never ids"
    assert result["d"].refusal_reason == (
        "\u201cD\u201d is locked: it waits for \u201cA\u201d (not yet mastered: X; Y), "
        "and \u201cB\u201d (not yet mastered: Z)"
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
    assert a.refusal_reason == (
        "\u201cA\u201d has used all 3 of its attempts; ask your instructor if you need another"
    )


def test_cooldown_runs_from_latest_submission_and_ends() -> None:
    history = [graded("a", 1, minutes_ago=4, x=(0.0, 10.0), y=(0.0, 2.0))]
    a = standing(course(cooldown=600), history, NOW)["a"]
    assert a.cooldown_until == NOW + timedelta(minutes=6)
    assert a.refusal == "cooldown"
    assert a.refusal_reason == (
        "\u201cA\u201d is cooling down after your last attempt: you can submit it again in 6 min"
    ), "a duration and the title: no ISO time, no id"
    later = standing(course(cooldown=600), history, NOW + timedelta(minutes=6, seconds=1))["a"]
    assert later.cooldown_until is None and later.can_submit


def test_cooldown_ends_on_a_whole_second_and_the_refusal_counts_up() -> None:
    """The end a clock shows (to the second) is the end the refusal enforces: 09:02:00.25
    submitted with a 2-minute cooldown ends at 09:04:01, not at 09:04:00.25, so a learner who
    submits at 09:04:00.5 (the second the sidebar showed has not begun) is told "in 1 s"."""
    submitted = NOW + timedelta(minutes=2, microseconds=250_000)
    history = [
        AttemptRecord(unit="a", number=1, submitted_at=submitted, status="graded", objectives={})
    ]
    end = NOW + timedelta(minutes=4, seconds=1)
    assert cooldown_end(submitted, 120) == end
    assert cooldown_end(NOW, 120) == NOW + timedelta(minutes=2), "a whole second stays"
    early = standing(course(cooldown=120), history, end - timedelta(milliseconds=500))["a"]
    assert early.cooldown_until == end and early.refusal == "cooldown"
    assert (early.refusal_reason or "").endswith("again in 1 s")
    assert standing(course(cooldown=120), history, end)["a"].can_submit, "taken at that second"
    assert format_duration(0.2) == "1 s" and format_duration(60) == "1 min"
    assert format_duration(3600 + 65) == "1 h 1 min 5 s" and format_duration(0) == "0 s"


def test_unlimited_attempts_and_unknown_units_ignored() -> None:
    history = [graded("gone", 1, x=(1.0, 1.0))]
    a = standing(course(max_attempts=None), history, NOW)["a"]
    assert a.attempts_left is None and a.state == "unlocked"


def test_objective_without_points_is_never_mastered() -> None:
    a = standing(course(), [graded("a", 1, x=(0.0, 0.0), y=(2.0, 2.0))], NOW)["a"]
    assert not a.objectives[0].mastered and not a.mastered


def _pending(unit: str, number: int, **scores: tuple[float, float, float]) -> AttemptRecord:
    return AttemptRecord(
        unit=unit,
        number=number,
        submitted_at=NOW - timedelta(minutes=30 - number),
        status="graded",
        objectives={o: (p, m) for o, (p, m, _) in scores.items()},
        pending={o: w for o, (_, _, w) in scores.items()},
    )


def test_awaiting_review_holds_the_unit_and_the_units_after_it() -> None:
    result = standing(course(), [_pending("a", 1, x=(3.0, 10.0, 7.0), y=(1.0, 2.0, 0.0))], NOW)
    x, y = result["a"].objectives
    assert (x.mastered, x.awaiting_review) == (False, True)
    assert (y.mastered, y.awaiting_review) == (True, False)
    assert result["a"].awaiting_review and not result["a"].mastered
    assert result["a"].state == "in_progress" and result["b"].state == "locked"
    # a later attempt that does not await review decides (latest graded attempt rules)
    later = _pending("a", 2, x=(2.0, 10.0, 0.0), y=(1.0, 2.0, 0.0))
    x2 = standing(course(), [_pending("a", 1, x=(3.0, 10.0, 7.0)), later], NOW)["a"].objectives[0]
    assert (x2.mastered, x2.awaiting_review) == (False, False)


def test_mastered_at_is_when_the_mastering_attempt_was_submitted() -> None:
    first = graded("a", 1, minutes_ago=60, x=(5.0, 10.0), y=(2.0, 2.0))
    second = graded("a", 2, minutes_ago=20, x=(9.0, 10.0), y=(0.0, 2.0))
    best = standing(course(), [first, second], NOW)["a"]
    assert [o.mastered_at for o in best.objectives] == [second.submitted_at, first.submitted_at]
    assert [o.mastered_attempt for o in best.objectives] == [2, 1]
    assert best.mastered and best.mastered_at == second.submitted_at
    assert best.mastered_attempt == 2
    latest = standing(course("latest"), [first, second], NOW)["a"]
    assert [o.mastered for o in latest.objectives] == [True, False]
    assert latest.objectives[1].mastered_at is None and latest.mastered_at is None


def test_overrides_are_applied_by_the_standing_rule() -> None:
    spent = [graded("a", n, minutes_ago=50 - n, x=(1.0, 10.0), y=(0.0, 2.0)) for n in (1, 2, 3)]
    base = standing(course(cooldown=3600), spent, NOW)["a"]
    assert (base.attempts_left, base.refusal) == (0, "attempt_limit")

    more = Override("extra_attempts", "a", NOW - timedelta(minutes=1), amount=2)
    granted = standing(course(cooldown=3600), spent, NOW, [more])["a"]
    assert (granted.max_attempts, granted.attempts_left, granted.refusal) == (5, 2, "cooldown")
    lifted = Override("lift_cooldown", "a", NOW)
    free = standing(course(cooldown=3600), spent, NOW, [more, lifted])["a"]
    assert (free.cooldown_until, free.refusal, free.can_submit) == (None, None, True)
    assert free.overrides == (more, lifted)

    reopened = standing(course(cooldown=3600), spent, NOW, [Override("reopen", "a", NOW)])["a"]
    assert (reopened.attempts_used, reopened.attempts_left, reopened.refusal) == (0, 3, None)

    excuse_x = Override("excuse", "a", NOW, objective="x")
    mark_y = Override("mark_mastered", "a", NOW - timedelta(minutes=5), objective="y")
    result = standing(course(), spent, NOW, [excuse_x, mark_y])
    x, y = result["a"].objectives
    assert (x.excused, x.mastered) == (True, False)
    assert (y.mastered, y.overridden, y.mastered_at, y.mastered_attempt) == (
        True,
        True,
        mark_y.at,
        None,
    )
    assert result["a"].mastered and result["a"].state == "mastered"
    assert result["b"].state == "unlocked", "the excused objective no longer holds b back"
    assert result["a"].mastered_at == NOW, "the last objective was satisfied by the excuse"
    # an override for a unit the course no longer has is ignored
    assert standing(course(), [], NOW, [Override("reopen", "gone", NOW)])["a"].state == "unlocked"


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


def test_a_new_form_after_each_graded_attempt_that_does_not_master_and_none_after_mastery() -> None:
    c = course(max_attempts=None)
    assert standing(c, [], NOW)["a"].form == 1
    failed = [graded("a", 1, form=1, x=(1.0, 2.0), y=(2.0, 2.0))]
    assert standing(c, failed, NOW)["a"].form == 2
    queued = AttemptRecord(unit="a", number=2, submitted_at=NOW, status="queued", form=2)
    assert standing(c, [*failed, queued], NOW)["a"].form == 2, "no new form before grading"
    passed = graded("a", 2, form=2, x=(2.0, 2.0), y=(2.0, 2.0))
    a = standing(c, [*failed, passed], NOW)["a"]
    assert (a.mastered, a.form) == (True, 2), "a mastered unit keeps the form it was mastered on"


def test_a_grader_error_gives_no_new_form() -> None:
    """The grader's fault shows the learner nothing about their form: they keep it."""
    c = course(max_attempts=None)
    failed = graded("a", 1, form=1, x=(1.0, 2.0), y=(2.0, 2.0))
    a = standing(c, [failed, grader_error("a", 2, form=2)], NOW)["a"]
    assert (a.form, a.attempts_used, a.state) == (2, 1, "in_progress")
    assert a.grading_problem is not None and a.grading_problem.final


def test_a_placement_masters_each_unit_it_covers_all_or_nothing_and_unlocks_dependants() -> None:
    c = with_placement(course())
    # a's objectives both reach their thresholds; b's does not
    taken = graded("p", 1, x=(2.0, 2.0), y=(1.0, 2.0), z=(1.0, 2.0))
    units = standing(c, [taken], NOW)
    a, b, d = units["a"], units["b"], units["d"]
    assert (a.state, a.mastered_by, a.placement) == ("mastered", "placement", "p")
    assert [o.score for o in a.objectives] == [1.0, 0.5]
    assert (b.state, b.mastered, b.mastered_by) == ("unlocked", False, None)
    assert d.state == "locked" and d.waits_for == ("b",)
    p = placement_standing(c, [taken], NOW)["p"]
    assert (p.state, p.placed, p.attempts_left, p.refusal) == ("taken", ("a",), 0, "attempt_limit")


def test_a_placement_the_grader_failed_on_leaves_its_one_try() -> None:
    c = with_placement(course())
    p = placement_standing(c, [grader_error("p", 1)], NOW)["p"]
    assert (p.attempts_used, p.attempts_left, p.refusal, p.placed) == (0, 1, None, ())
    assert standing(c, [grader_error("p", 1)], NOW)["a"].mastered_by is None

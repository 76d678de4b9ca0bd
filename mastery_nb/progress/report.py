"""A learner's progress in a course, read from the store, as JSON-ready data."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mastery_nb.course.reader import ReleasedCourse
from mastery_nb.errors import MasteryError, Problem
from mastery_nb.progress.standing import (
    GradingProblem,
    Override,
    PlacementStanding,
    UnitStanding,
    format_time,
    placement_standing,
    standing,
)
from mastery_nb.root import CourseRoot
from mastery_nb.store import open_store, utcnow
from mastery_nb.store.queries import learner_history, learner_known

__all__ = [
    "check_known_learner",
    "course_progress",
    "learner_standing",
    "learner_standings",
    "override_notes",
    "placement_json",
    "problem_json",
    "unit_json",
]


def check_known_learner(root: CourseRoot, course_id: str, student: str) -> None:
    """Raise :class:`MasteryError` unless the course has seen ``student`` (an attempt, a
    practice event or an override): an instructor's typo must not read as a fresh,
    "unlocked" learner."""
    import difflib

    from mastery_nb.store.practice import course_learners

    ReleasedCourse.of(root, course_id).course(bundle_only=False)  # an unknown course first
    store = open_store(root)
    with store.read() as session:
        if learner_known(session, course_id, student):
            return
    learners = course_learners(store, course_id)
    close = difflib.get_close_matches(student, learners, n=3, cutoff=0.6)
    if close:
        fix = "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
    elif learners:
        fix = (
            f"check the name: {len(learners)} learner(s) have records "
            f"(`mastery-nb gradebook {course_id}` lists them)"
        )
    else:
        fix = "check the course and the --root/--db: no learner has submitted or practised yet"
    raise MasteryError(
        Problem(
            "--student",
            "",
            f"course '{course_id}' has never seen a learner '{student}' "
            "(no attempt, practice or override)",
            fix,
        )
    )


def learner_standings(
    root: CourseRoot, course_id: str, student: str, *, now: datetime | None = None
) -> tuple[dict[str, UnitStanding], dict[str, PlacementStanding]]:
    """Every unit's and every placement's standing for one learner (one query)."""
    course = ReleasedCourse.of(root, course_id).course(bundle_only=False)
    store = open_store(root)
    with store.read() as session:
        records, overrides = learner_history(session, course_id, student)
    now = now or utcnow()
    return standing(course, records, now, overrides), placement_standing(course, records, now)


def learner_standing(
    root: CourseRoot, course_id: str, student: str, *, now: datetime | None = None
) -> dict[str, UnitStanding]:
    """Every unit's :class:`UnitStanding` for one learner (one query)."""
    return learner_standings(root, course_id, student, now=now)[0]


def placement_json(placement: PlacementStanding) -> dict[str, Any]:
    """One placement in the shape of ``mastery-nb progress --json``."""
    return {
        "id": placement.id,
        "title": placement.title,
        "units": list(placement.units),
        "state": placement.state,
        "placed": list(placement.placed),
        "attempts_used": placement.attempts_used,
        "attempts_left": placement.attempts_left,
        "max_attempts": placement.max_attempts,
        "cooldown_until": format_time(placement.cooldown_until)
        if placement.cooldown_until
        else None,
        "last_attempt": placement.last_attempt,
        "last_status": placement.last_status,
        "pending_attempts": list(placement.pending),
        "can_submit": placement.can_submit,
        "refusal": placement.refusal,
        "refusal_reason": placement.refusal_reason,
        "form": placement.form,
    }


def _note(override: Override) -> str:
    if override.kind == "extra_attempts":
        more = f"{override.amount} more attempt" + ("s" if override.amount != 1 else "")
        return f"Your instructor granted {more} on this unit."
    if override.kind == "lift_cooldown":
        return "Your instructor lifted the wait before your next attempt."
    if override.kind == "excuse":
        return f"Your instructor excused objective '{override.objective}': it does not hold the unit back."
    if override.kind == "mark_mastered":
        return f"Your instructor marked objective '{override.objective}' as mastered."
    return "Your instructor reopened this unit: its attempts count afresh."


def override_notes(unit: UnitStanding) -> list[str]:
    """What the overrides in force on a unit change for the learner, in their words (the
    reasons stay with the staff)."""
    return [_note(o) for o in unit.overrides]


def problem_json(problem: GradingProblem | None) -> dict[str, Any] | None:
    """A grading problem as JSON: the learner's words and, for the instructor, the cause."""
    if problem is None:
        return None
    return {
        "attempt": problem.attempt,
        "final": problem.final,
        "message": problem.message,
        "cause": problem.cause,
    }


def unit_json(unit: UnitStanding) -> dict[str, Any]:
    """One unit in the shape of ``mastery-nb progress --json``."""
    return {
        "id": unit.id,
        "title": unit.title,
        "state": unit.state,
        "mastered": unit.mastered,
        "requires": list(unit.requires),
        "waits_for": list(unit.waits_for),
        "waits_for_objectives": [{"unit": u, "objective": o} for u, o in unit.waits_for_objectives],
        "attempts_used": unit.attempts_used,
        "attempts_left": unit.attempts_left,
        "max_attempts": unit.max_attempts,
        "cooldown_seconds": unit.cooldown_seconds,
        "cooldown_until": format_time(unit.cooldown_until) if unit.cooldown_until else None,
        "scoring": unit.scoring,
        "last_attempt": unit.last_attempt,
        "last_status": unit.last_status,
        "pending_attempts": list(unit.pending),
        "grading_problem": problem_json(unit.grading_problem),
        "can_submit": unit.can_submit,
        "refusal": unit.refusal,
        "refusal_reason": unit.refusal_reason,
        "form": unit.form,
        "mastered_by": unit.mastered_by,
        "placement": unit.placement,
        "awaiting_review": unit.awaiting_review,
        "mastered_at": format_time(unit.mastered_at) if unit.mastered_at else None,
        "notes": override_notes(unit),
        "objectives": [
            {
                "id": o.id,
                "description": o.description,
                "score": round(o.score, 6),
                "threshold": o.threshold,
                "mastered": o.mastered,
                "best_score": round(o.best_score, 6),
                "latest_score": None if o.latest_score is None else round(o.latest_score, 6),
                "awaiting_review": o.awaiting_review,
                "excused": o.excused,
                "overridden": o.overridden,
                "mastered_at": format_time(o.mastered_at) if o.mastered_at else None,
            }
            for o in unit.objectives
        ],
    }


def course_progress(
    root: CourseRoot, course_id: str, student: str, *, now: datetime | None = None
) -> dict[str, Any]:
    """The learner's standing in every unit, as printed by ``mastery-nb progress --json``."""
    now = now or utcnow()
    course = ReleasedCourse.of(root, course_id).course(bundle_only=False)
    units, placements = learner_standings(root, course_id, student, now=now)
    return {
        "course": course_id,
        "title": course.title,
        "student": student,
        "generated_at": format_time(now),
        "units": [unit_json(u) for u in units.values()],
        "placements": [placement_json(p) for p in placements.values()],
    }

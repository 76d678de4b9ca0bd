"""A learner's progress in a course, read from the store, as JSON-ready data."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mastery_nb.course.reader import ReleasedCourse
from mastery_nb.progress.standing import GradingProblem, UnitStanding, format_time, standing
from mastery_nb.root import CourseRoot
from mastery_nb.store import open_store, utcnow
from mastery_nb.store.queries import learner_records

__all__ = ["course_progress", "learner_standing", "problem_json", "unit_json"]


def learner_standing(
    root: CourseRoot, course_id: str, student: str, *, now: datetime | None = None
) -> dict[str, UnitStanding]:
    """Every unit's :class:`UnitStanding` for one learner (one query)."""
    course = ReleasedCourse.of(root, course_id).course(bundle_only=False)
    store = open_store(root)
    with store.read() as session:
        records = learner_records(session, course_id, student)
    return standing(course, records, now or utcnow())


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
        "objectives": [
            {
                "id": o.id,
                "description": o.description,
                "score": round(o.score, 6),
                "threshold": o.threshold,
                "mastered": o.mastered,
                "best_score": round(o.best_score, 6),
                "latest_score": None if o.latest_score is None else round(o.latest_score, 6),
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
    units = learner_standing(root, course_id, student, now=now)
    return {
        "course": course_id,
        "title": course.title,
        "student": student,
        "generated_at": format_time(now),
        "units": [unit_json(u) for u in units.values()],
    }

"""The dashboard's words for a learner's standing: cell states and who needs you now.

Pure functions of a learner's facts (:mod:`mastery_nb.dashboard.facts`), so the heatmap,
the counts and "Needs you now" say the same thing about the same learner. The numbers
are the module's constants; the needs report prints them.

Cell states (one per learner and objective): ``mastered``; ``excused``; ``awaiting_review``
(answers graded by hand could still master it); ``not_started`` (no attempt of the unit);
``struggling`` (not mastered after :data:`STRUGGLE_ATTEMPTS` attempts, or none left);
``in_progress`` (attempted, not mastered).

Needs, most urgent first: ``grader_error`` (the latest attempt of a unit could not be
graded: not the learner's fault, but they wait), ``out_of_attempts``, ``repeating`` (the
same check failed with the same message in the last :data:`REPEAT_ATTEMPTS` graded
attempts), ``stuck`` (:data:`STRUGGLE_ATTEMPTS` attempts or more, no mastery),
``awaiting_review`` (answers of the latest attempt wait for a grade by hand), ``idle`` (no
activity for :data:`IDLE_DAYS` days while units are open).
"""

from __future__ import annotations

from datetime import datetime

from mastery_nb.course.model import Course
from mastery_nb.dashboard.facts import LearnerFacts
from mastery_nb.documents import CellState, Need, NeedReason
from mastery_nb.progress.standing import GRADER_FAULT, ObjectiveStanding, UnitStanding, format_time

__all__ = [
    "IDLE_DAYS",
    "NEED_ORDER",
    "REPEAT_ATTEMPTS",
    "STRUGGLE_ATTEMPTS",
    "cell_state",
    "idle_need",
    "standing_needs",
]

STRUGGLE_ATTEMPTS = 3
REPEAT_ATTEMPTS = 3
IDLE_DAYS = 7
NEED_ORDER: tuple[NeedReason, ...] = (
    "grader_error",
    "out_of_attempts",
    "repeating",
    "stuck",
    "awaiting_review",
    "idle",
)


def cell_state(unit: UnitStanding, objective: ObjectiveStanding) -> CellState:
    if objective.mastered:
        return "mastered"
    if objective.excused:
        return "excused"
    if objective.awaiting_review:
        return "awaiting_review"
    if unit.last_attempt is None:
        return "not_started"
    if unit.attempts_left == 0 or unit.attempts_used >= STRUGGLE_ATTEMPTS:
        return "struggling"
    return "in_progress"


def _percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def _weakest(unit: UnitStanding) -> str:
    open_ = [o for o in unit.objectives if not (o.mastered or o.excused)]
    if not open_:
        return ""
    worst = min(open_, key=lambda o: o.score - o.threshold)
    return f" (best on '{worst.id}': {_percent(worst.best_score)} of {_percent(worst.threshold)})"


def _need(
    learner: str, reason: NeedReason, unit: str | None, detail: str, since: datetime | None
) -> Need:
    return Need.model_construct(
        learner=learner,
        reason=reason,
        unit=unit,
        detail=detail,
        since=format_time(since) if since else None,
    )


def standing_needs(facts: LearnerFacts, course: Course) -> list[Need]:
    """Why ``facts.learner`` needs an instructor, but for being idle (which depends on the
    clock: :func:`idle_need`)."""
    found: list[Need] = []
    for unit in course.units:
        standing = facts.standing.get(unit.id)
        if standing is None:
            continue
        unit_facts = facts.units.get(unit.id)
        attempts = unit_facts.attempts if unit_facts else []
        last = attempts[-1] if attempts else None
        if last is not None and last.status in GRADER_FAULT:
            found.append(
                _need(
                    facts.learner,
                    "grader_error",
                    unit.id,
                    f"attempt {last.number} of {unit.title} could not be graded: "
                    f"{(last.error or 'the grader failed').splitlines()[0][:200]}",
                    last.submitted_at,
                )
            )
        if standing.mastered or last is None:
            continue
        if standing.attempts_left == 0:
            found.append(
                _need(
                    facts.learner,
                    "out_of_attempts",
                    unit.id,
                    f"used all {standing.max_attempts} attempts on {unit.title} without "
                    f"mastering it{_weakest(standing)}",
                    last.submitted_at,
                )
            )
        recent = unit_facts.failures[-REPEAT_ATTEMPTS:] if unit_facts else []
        repeated = frozenset.intersection(*recent) if len(recent) == REPEAT_ATTEMPTS else None
        if repeated:
            grade_id, message = sorted(repeated)[0]
            found.append(
                _need(
                    facts.learner,
                    "repeating",
                    unit.id,
                    f"the same failure in the last {REPEAT_ATTEMPTS} attempts of {unit.title}: "
                    f"'{grade_id}': {message}",
                    last.submitted_at,
                )
            )
        elif standing.attempts_used >= STRUGGLE_ATTEMPTS and not standing.awaiting_review:
            found.append(
                _need(
                    facts.learner,
                    "stuck",
                    unit.id,
                    f"{standing.attempts_used} attempts on {unit.title}, not mastered yet"
                    f"{_weakest(standing)}",
                    last.submitted_at,
                )
            )
        waiting = [r for r in unit_facts.to_review if r[0] == last.number] if unit_facts else []
        if waiting:
            answers = f"{len(waiting)} answer" + ("s" if len(waiting) != 1 else "")
            found.append(
                _need(
                    facts.learner,
                    "awaiting_review",
                    unit.id,
                    f"{answers} of attempt {last.number} of {unit.title} wait for your grade",
                    last.submitted_at,
                )
            )
    return found


def idle_need(
    learner: str, last_active: datetime | None, open_units: tuple[str, ...], now: datetime
) -> Need | None:
    """Idle: no activity for :data:`IDLE_DAYS` days while units are open."""
    if last_active is None or not open_units:
        return None
    idle = now - last_active
    if idle.days < IDLE_DAYS:
        return None
    titles = ", ".join(open_units[:3]) + (" ..." if len(open_units) > 3 else "")
    return _need(
        learner,
        "idle",
        None,
        f"no activity for {idle.days} days with units open ({titles})",
        last_active,
    )

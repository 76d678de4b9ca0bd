"""Standing and unlocking: a pure function of the course graph, a learner's attempts and now.

No database, no files, no clock: the same inputs always give the same standing, so the
sidebar, ``mastery-nb progress``, the submit policy and feedback ("this attempt unlocked
...") all agree, and tests can replay any history.

Rules (docs/grading.md explains them to instructors):

- An objective's score in one graded attempt is the points earned over the points possible
  across the cells tagged with it. It is mastered in that attempt when the score reaches the
  objective's threshold (the course's current threshold, so re-releasing with a new
  threshold re-decides old attempts).
- ``best``: the objective's standing score is the best graded attempt's, and once mastered it
  stays mastered. ``latest``: the latest graded attempt decides.
- A unit is mastered when every one of its objectives is.
- A unit is ``locked`` while any unit it requires is not mastered (it says which units and
  which of their objectives it waits for); mastering a unit unlocks its dependants at once.
  Otherwise it is ``grading`` while an attempt is queued or being graded, ``mastered``,
  ``in_progress`` once attempted, or ``unlocked``.
- A grader fault is never the learner's: an attempt that ended ``grader-error`` uses no
  attempt and starts no cooldown (the cooldown runs from the latest submission that was
  not a grader error), and the unit says so (:class:`GradingProblem`) while the attempt is
  retried and once it is given up.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Literal

from mastery_nb.course.model import Course, Unit
from mastery_nb.mastery import decide

__all__ = [
    "FINAL_WORDS",
    "RETRY_WORDS",
    "AttemptRecord",
    "GradingProblem",
    "ObjectiveStanding",
    "UnitStanding",
    "UnitState",
    "format_time",
    "standing",
]

UnitState = Literal["locked", "unlocked", "in_progress", "grading", "mastered"]
RefusalCode = Literal["locked", "cooldown", "attempt_limit"]

PENDING = ("queued", "grading")
GRADER_ERROR = "grader-error"
#: what a learner is told when grading failed in the grader (never their answers' fault)
RETRY_WORDS = "grading failed, not your answers; it will be retried"
FINAL_WORDS = (
    "grading failed, not your answers; this attempt does not count as one of yours and "
    "your instructor has been told"
)


@dataclass(frozen=True)
class AttemptRecord:
    """What standing needs to know about one attempt of one unit."""

    unit: str
    number: int
    submitted_at: datetime
    status: str  #: queued, grading, graded, grader-error
    #: objective id -> (points earned, points possible); empty unless graded
    objectives: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    error: str | None = None  #: why grading failed in the grader (the cause, in words)
    grader_errors: int = 0  #: gradings of it that failed in the grader


@dataclass(frozen=True)
class GradingProblem:
    """Grading of an attempt failed in the grader: what the learner and instructor see."""

    attempt: int
    final: bool  #: given up (``grader-error``); else it will be retried
    message: str  #: for the learner (:data:`RETRY_WORDS` / :data:`FINAL_WORDS`)
    cause: str  #: for the instructor: what failed, and the fix


@dataclass(frozen=True)
class ObjectiveStanding:
    id: str
    description: str
    score: float  #: the score that counts under the unit's policy (0.0 before any grading)
    threshold: float
    mastered: bool
    best_score: float
    latest_score: float | None  #: the latest graded attempt's score, None before any


@dataclass(frozen=True)
class UnitStanding:
    id: str
    title: str
    state: UnitState
    mastered: bool
    requires: tuple[str, ...]
    waits_for: tuple[str, ...]  #: required units not yet mastered
    waits_for_objectives: tuple[tuple[str, str], ...]  #: (unit, objective) not yet mastered
    attempts_used: int
    attempts_left: int | None  #: None when unlimited
    max_attempts: int | None
    cooldown_seconds: int
    cooldown_until: datetime | None  #: None when no cooldown is running
    scoring: str
    last_attempt: int | None
    last_status: str | None
    pending: tuple[int, ...]  #: attempt numbers queued or being graded
    objectives: tuple[ObjectiveStanding, ...]
    #: the latest attempt's grading failed in the grader (retried, or given up), else None
    grading_problem: GradingProblem | None
    refusal: RefusalCode | None  #: why a submission now would be refused, None if it would not
    refusal_reason: str | None

    @property
    def can_submit(self) -> bool:
        return self.refusal is None


def format_time(moment: datetime) -> str:
    """ISO 8601 in UTC with a ``Z``: how every time leaves this package."""
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def _duration(seconds: float) -> str:
    seconds = max(0, int(seconds + 0.999))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [
        f"{hours} h" if hours else "",
        f"{minutes} min" if minutes else "",
        f"{secs} s" if secs else "",
    ]
    return " ".join(p for p in parts if p) or "0 s"


def _objectives(unit: Unit, graded: list[AttemptRecord]) -> tuple[ObjectiveStanding, ...]:
    result = []
    for objective in unit.objectives:
        verdicts = [
            decide(*attempt.objectives.get(objective.id, (0.0, 0.0)), objective.threshold)
            for attempt in graded
        ]
        scores = [v.score for v in verdicts]
        mastered_any = any(v.mastered for v in verdicts)
        best = max(scores, default=0.0)
        latest = scores[-1] if scores else None
        if unit.policy.scoring == "latest":
            score = latest if latest is not None else 0.0
            mastered = bool(verdicts) and verdicts[-1].mastered
        else:
            score = best
            mastered = mastered_any
        result.append(
            ObjectiveStanding(
                id=objective.id,
                description=objective.description,
                score=score,
                threshold=objective.threshold,
                mastered=mastered,
                best_score=best,
                latest_score=latest,
            )
        )
    return tuple(result)


def standing(
    course: Course, attempts: Iterable[AttemptRecord], now: datetime
) -> dict[str, UnitStanding]:
    """Every unit's standing for one learner, in course order.

    ``attempts`` may come in any order and may name units the course no longer has
    (ignored). ``now`` must be timezone-aware.
    """
    by_unit: dict[str, list[AttemptRecord]] = {u.id: [] for u in course.units}
    for attempt in attempts:
        if attempt.unit in by_unit:
            by_unit[attempt.unit].append(attempt)
    for records in by_unit.values():
        records.sort(key=lambda a: a.number)

    objectives: dict[str, tuple[ObjectiveStanding, ...]] = {}
    mastered: dict[str, bool] = {}
    for unit in course.units:
        graded = [a for a in by_unit[unit.id] if a.status == "graded"]
        objectives[unit.id] = _objectives(unit, graded)
        mastered[unit.id] = bool(graded) and all(o.mastered for o in objectives[unit.id])

    result: dict[str, UnitStanding] = {}
    for unit in course.units:
        records = by_unit[unit.id]
        policy = unit.policy
        waits_for = tuple(r for r in unit.requires if not mastered.get(r, False))
        waits_for_objectives = tuple(
            (r, o.id) for r in waits_for for o in objectives.get(r, ()) if not o.mastered
        )
        counted = [a for a in records if a.status != GRADER_ERROR]
        used = len(counted)
        left = None if policy.max_attempts is None else max(0, policy.max_attempts - used)
        cooldown_until = None
        if counted and policy.cooldown_seconds > 0:
            end = max(a.submitted_at for a in counted) + timedelta(seconds=policy.cooldown_seconds)
            cooldown_until = end if end > now else None
        pending = tuple(a.number for a in records if a.status in PENDING)

        state: UnitState
        if waits_for:
            state = "locked"
        elif pending:
            state = "grading"
        elif mastered[unit.id]:
            state = "mastered"
        elif counted:
            state = "in_progress"
        else:
            state = "unlocked"

        refusal: RefusalCode | None = None
        reason = None
        if waits_for:
            refusal = "locked"
            reason = _locked_reason(course, unit, waits_for, waits_for_objectives)
        elif left == 0:
            refusal = "attempt_limit"
            reason = (
                f"unit '{unit.id}' has used all {policy.max_attempts} of its attempts; "
                "ask your instructor if you need another"
            )
        elif cooldown_until is not None:
            refusal = "cooldown"
            reason = (
                f"unit '{unit.id}' is cooling down after your last attempt: you can submit "
                f"again at {format_time(cooldown_until)} (in {_duration((cooldown_until - now).total_seconds())})"
            )

        last = records[-1] if records else None
        result[unit.id] = UnitStanding(
            grading_problem=grading_problem(last),
            id=unit.id,
            title=unit.title,
            state=state,
            mastered=mastered[unit.id],
            requires=unit.requires,
            waits_for=waits_for,
            waits_for_objectives=waits_for_objectives,
            attempts_used=used,
            attempts_left=left,
            max_attempts=policy.max_attempts,
            cooldown_seconds=policy.cooldown_seconds,
            cooldown_until=cooldown_until,
            scoring=policy.scoring,
            last_attempt=last.number if last else None,
            last_status=last.status if last else None,
            pending=pending,
            objectives=objectives[unit.id],
            refusal=refusal,
            refusal_reason=reason,
        )
    return result


def grading_problem(attempt: AttemptRecord | None) -> GradingProblem | None:
    """The problem to show for an attempt whose grading failed in the grader, else None."""
    if attempt is None:
        return None
    if attempt.status == GRADER_ERROR:
        return GradingProblem(attempt.number, True, FINAL_WORDS, attempt.error or "")
    if attempt.status in PENDING and attempt.grader_errors > 0:
        return GradingProblem(attempt.number, False, RETRY_WORDS, attempt.error or "")
    return None


def _locked_reason(
    course: Course,
    unit: Unit,
    waits_for: tuple[str, ...],
    waits_for_objectives: tuple[tuple[str, str], ...],
) -> str:
    parts = []
    for required in waits_for:
        names = [o for u, o in waits_for_objectives if u == required]
        required_unit = course.unit(required)
        label = f"unit '{required}'"
        if required_unit is not None and required_unit.title:
            label += f" ({required_unit.title})"
        if names:
            label += ", objectives not yet mastered: " + ", ".join(f"'{n}'" for n in names)
        parts.append(label)
    return f"unit '{unit.id}' is locked: it waits for " + "; and ".join(parts)

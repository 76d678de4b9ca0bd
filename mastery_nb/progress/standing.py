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
- **Placement.** A graded attempt of a placement masters (by placement) every unit it covers
  whose objectives all reach their thresholds in that attempt (all or nothing per unit:
  evidence of part of a unit places out of nothing). A unit mastered by placement counts as
  mastered for unlocking, whatever its own attempts say. A placement has its own attempts,
  cooldown and limit (one try by default).
- **Forms.** A learner's form of a unit (or placement) is the next one after the latest
  form graded without mastering it: form 1 at first, a new form after every graded attempt
  that leaves it not mastered, and no new form once it is mastered.
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
    "PlacementStanding",
    "UnitStanding",
    "UnitState",
    "format_time",
    "placement_standing",
    "standing",
]

UnitState = Literal["locked", "unlocked", "in_progress", "grading", "mastered"]
PlacementState = Literal["available", "grading", "taken"]
RefusalCode = Literal["locked", "cooldown", "attempt_limit"]
MasteredBy = Literal["attempts", "placement"]

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
    #: the learner's form the attempt was made on
    form: int = 1


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
    #: the learner's current form of the unit (a new one after a graded attempt that did
    #: not master it)
    form: int = 1
    #: how it was mastered: by its own attempts or by a placement (None: not mastered)
    mastered_by: MasteredBy | None = None
    #: the placement that mastered it, when it was mastered by placement
    placement: str | None = None

    @property
    def can_submit(self) -> bool:
        return self.refusal is None


@dataclass(frozen=True)
class PlacementStanding:
    """Where a learner stands with one placement (test-out) notebook."""

    id: str
    title: str
    units: tuple[str, ...]  #: the units it may place the learner out of
    state: PlacementState  #: available (not taken), grading, taken (graded at least once)
    placed: tuple[str, ...]  #: the units it has placed the learner out of
    attempts_used: int
    attempts_left: int | None
    max_attempts: int | None
    cooldown_until: datetime | None
    last_attempt: int | None
    last_status: str | None
    pending: tuple[int, ...]
    refusal: RefusalCode | None
    refusal_reason: str | None
    form: int = 1

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


def _objectives(
    unit: Unit, graded: list[AttemptRecord], placed_by: AttemptRecord | None = None
) -> tuple[ObjectiveStanding, ...]:
    """Each objective's standing from the unit's graded attempts; a unit placed out of has
    every objective mastered, at least at the score the placement attempt showed."""
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
        if placed_by is not None:
            shown = decide(*placed_by.objectives.get(objective.id, (0.0, 0.0)), objective.threshold)
            score, best, mastered = max(score, shown.score), max(best, shown.score), True
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


def _by_item(
    attempts: Iterable[AttemptRecord], ids: Iterable[str]
) -> dict[str, list[AttemptRecord]]:
    """The attempts of each unit or placement, by attempt number (others ignored)."""
    found: dict[str, list[AttemptRecord]] = {i: [] for i in ids}
    for attempt in attempts:
        if attempt.unit in found:
            found[attempt.unit].append(attempt)
    for records in found.values():
        records.sort(key=lambda a: a.number)
    return found


def _places_out(unit: Unit, attempt: AttemptRecord) -> bool:
    """Does a graded placement attempt reach the threshold of every objective of ``unit``?"""
    return bool(unit.objectives) and all(
        decide(*attempt.objectives.get(o.id, (0.0, 0.0)), o.threshold).mastered
        for o in unit.objectives
    )


def _placed(course: Course, by_item: Mapping[str, list[AttemptRecord]]) -> dict[str, AttemptRecord]:
    """unit id -> the first graded placement attempt that placed the learner out of it."""
    placed: dict[str, AttemptRecord] = {}
    for placement in course.placements:
        for attempt in by_item.get(placement.id, []):
            if attempt.status != "graded":
                continue
            for unit_id in placement.units:
                unit = course.unit(unit_id)
                if unit is not None and unit_id not in placed and _places_out(unit, attempt):
                    placed[unit_id] = attempt
    return placed


def current_form(graded: list[AttemptRecord], mastered: bool) -> int:
    """The learner's form now: unchanged once mastered (the latest graded form), else the
    one after the latest form graded without mastering (1 before any grading)."""
    if not graded:
        return 1
    if mastered:
        return graded[-1].form
    return max(a.form for a in graded) + 1


def _limits(
    what: str, records: list[AttemptRecord], max_attempts: int | None, cooldown: int, now: datetime
) -> tuple[int, int | None, datetime | None, RefusalCode | None, str | None]:
    """``(used, left, cooldown until, refusal, reason)`` under an attempt limit and a
    cooldown; an attempt that ended ``grader-error`` uses no attempt and starts no cooldown."""
    counted = [a for a in records if a.status != GRADER_ERROR]
    used = len(counted)
    left = None if max_attempts is None else max(0, max_attempts - used)
    cooldown_until = None
    if counted and cooldown > 0:
        end = max(a.submitted_at for a in counted) + timedelta(seconds=cooldown)
        cooldown_until = end if end > now else None
    if left == 0:
        return (
            used,
            left,
            cooldown_until,
            "attempt_limit",
            f"{what} has used all {max_attempts} of its attempts; "
            "ask your instructor if you need another",
        )
    if cooldown_until is not None:
        return (
            used,
            left,
            cooldown_until,
            "cooldown",
            f"{what} is cooling down after your last attempt: you can submit "
            f"again at {format_time(cooldown_until)} (in {_duration((cooldown_until - now).total_seconds())})",
        )
    return used, left, cooldown_until, None, None


def standing(
    course: Course, attempts: Iterable[AttemptRecord], now: datetime
) -> dict[str, UnitStanding]:
    """Every unit's standing for one learner, in course order.

    ``attempts`` may come in any order and may name units the course no longer has
    (ignored); attempts of the course's placements count for the units they place out of.
    ``now`` must be timezone-aware.
    """
    attempts = list(attempts)
    by_unit = _by_item(attempts, (u.id for u in course.units))
    placed = _placed(course, _by_item(attempts, (p.id for p in course.placements)))

    objectives: dict[str, tuple[ObjectiveStanding, ...]] = {}
    mastered: dict[str, bool] = {}
    mastered_by: dict[str, MasteredBy | None] = {}
    for unit in course.units:
        graded = [a for a in by_unit[unit.id] if a.status == "graded"]
        own = _objectives(unit, graded)
        by_attempts = bool(graded) and all(o.mastered for o in own)
        placing = placed.get(unit.id)
        objectives[unit.id] = (
            own if by_attempts or placing is None else _objectives(unit, graded, placing)
        )
        mastered[unit.id] = by_attempts or placing is not None
        mastered_by[unit.id] = (
            "attempts" if by_attempts else "placement" if placing is not None else None
        )

    result: dict[str, UnitStanding] = {}
    for unit in course.units:
        records = by_unit[unit.id]
        policy = unit.policy
        waits_for = tuple(r for r in unit.requires if not mastered.get(r, False))
        waits_for_objectives = tuple(
            (r, o.id) for r in waits_for for o in objectives.get(r, ()) if not o.mastered
        )
        used, left, cooldown_until, refusal, reason = _limits(
            f"unit '{unit.id}'", records, policy.max_attempts, policy.cooldown_seconds, now
        )
        pending = tuple(a.number for a in records if a.status in PENDING)
        counted = [a for a in records if a.status != GRADER_ERROR]
        placing = placed.get(unit.id)

        state: UnitState
        if pending:
            state = "locked" if waits_for else "grading"
        elif mastered_by[unit.id] == "placement":
            state = "mastered"  # shown mastered even while a unit it requires is not
        elif waits_for:
            state = "locked"
        elif mastered[unit.id]:
            state = "mastered"
        elif counted:
            state = "in_progress"
        else:
            state = "unlocked"

        if waits_for:
            refusal = "locked"
            reason = _locked_reason(course, unit, waits_for, waits_for_objectives)

        last = records[-1] if records else None
        result[unit.id] = UnitStanding(
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
            grading_problem=grading_problem(last),
            refusal=refusal,
            refusal_reason=reason,
            form=current_form([a for a in records if a.status == "graded"], mastered[unit.id]),
            mastered_by=mastered_by[unit.id],
            placement=placing.unit
            if placing is not None and mastered_by[unit.id] == "placement"
            else None,
        )
    return result


def placement_standing(
    course: Course, attempts: Iterable[AttemptRecord], now: datetime
) -> dict[str, PlacementStanding]:
    """Every placement's standing for one learner, in course order."""
    by_placement = _by_item(attempts, (p.id for p in course.placements))
    result: dict[str, PlacementStanding] = {}
    for placement in course.placements:
        records = by_placement[placement.id]
        graded = [a for a in records if a.status == "graded"]
        placed = tuple(
            u
            for u in placement.units
            if (unit := course.unit(u)) is not None and any(_places_out(unit, a) for a in graded)
        )
        used, left, cooldown_until, refusal, reason = _limits(
            f"placement '{placement.id}'",
            records,
            placement.policy.max_attempts,
            placement.policy.cooldown_seconds,
            now,
        )
        pending = tuple(a.number for a in records if a.status in PENDING)
        state: PlacementState = "grading" if pending else "taken" if graded else "available"
        last = records[-1] if records else None
        result[placement.id] = PlacementStanding(
            id=placement.id,
            title=placement.title,
            units=placement.units,
            state=state,
            placed=placed,
            attempts_used=used,
            attempts_left=left,
            max_attempts=placement.policy.max_attempts,
            cooldown_until=cooldown_until,
            last_attempt=last.number if last else None,
            last_status=last.status if last else None,
            pending=pending,
            refusal=refusal,
            refusal_reason=reason,
            form=current_form(
                graded, bool(placement.units) and len(placed) == len(placement.units)
            ),
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

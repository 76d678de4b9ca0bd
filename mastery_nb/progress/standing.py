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
- The cooldown ends on a whole second (:func:`cooldown_end`), so a clock that shows seconds
  shows exactly when a submission is taken again (the sidebar shows that second in the
  learner's local time).
- Refusals are worded here, for the learner: the unit by its title, objectives by their
  descriptions, the wait as a duration ("in 1 min 5 s"), never an id or an ISO time
  (:func:`locked_reason`, :func:`attempt_limit_reason`, :func:`cooldown_reason`).
- **Placement.** A graded attempt of a placement masters (by placement) every unit it covers
  whose objectives all reach their thresholds in that attempt (all or nothing per unit:
  evidence of part of a unit places out of nothing). A unit mastered by placement counts as
  mastered for unlocking, whatever its own attempts say. A placement has its own attempts,
  cooldown and limit (one try by default).
- **Forms.** A learner's form of a unit (or placement) is the next one after the latest
  form graded without mastering it: form 1 at first, a new form after every graded attempt
  that leaves it not mastered, and no new form once it is mastered.
- Answers graded by hand: an attempt's objective may be **awaiting review**
  (:func:`mastery_nb.mastery.decide` with the pending points). An objective is awaiting
  review while it is not mastered and its latest graded attempt awaits review; the unit
  is then not mastered, and says so (``awaiting_review``).
- ``mastered_at``: when the attempt that mastered an objective was submitted (``best``: the
  first mastering attempt; ``latest``: the first of the run of mastering attempts that
  ends with the latest; by placement: the placement attempt).

Overrides (an instructor's exceptions for one learner, :class:`Override`, recorded with
who, when and why in the store) are applied here and nowhere else:

- ``extra_attempts``: the unit allows ``amount`` more attempts;
- ``lift_cooldown``: a cooldown running when it was given ends;
- ``excuse``: the objective no longer blocks its unit (nor the units after it); it is shown
  as excused, not mastered;
- ``mark_mastered``: the objective is mastered (from the moment it was given, unless the
  learner mastered it before);
- ``reopen``: the unit's attempts count afresh from that moment (earlier ones stay in the
  history and keep their scores), and a running cooldown ends.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Literal

from mastery_nb.course.model import Course, Placement, Unit
from mastery_nb.mastery import Verdict, decide

__all__ = [
    "FINAL_WORDS",
    "OVERRIDE_KINDS",
    "RETRY_WORDS",
    "AttemptRecord",
    "GradingProblem",
    "ObjectiveStanding",
    "Override",
    "PlacementStanding",
    "UnitStanding",
    "UnitState",
    "attempt_limit_reason",
    "cooldown_end",
    "cooldown_reason",
    "format_duration",
    "format_time",
    "locked_reason",
    "placement_standing",
    "standing",
]

UnitState = Literal["locked", "unlocked", "in_progress", "grading", "mastered"]
PlacementState = Literal["available", "grading", "taken"]
RefusalCode = Literal["locked", "cooldown", "attempt_limit"]
MasteredBy = Literal["attempts", "placement"]
OverrideKind = Literal["extra_attempts", "lift_cooldown", "excuse", "mark_mastered", "reopen"]
#: every kind of override, and whether it names an objective (the others name a unit)
OVERRIDE_KINDS: dict[str, bool] = {
    "extra_attempts": False,
    "lift_cooldown": False,
    "excuse": True,
    "mark_mastered": True,
    "reopen": False,
}

PENDING = ("queued", "grading")
GRADER_ERROR = "grader-error"
#: the grader's fault, not the learner's: such an attempt uses no attempt
GRADER_FAULT = ("failed", GRADER_ERROR)
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
    #: objective id -> points of answers graded by hand not graded yet (part of possible)
    pending: Mapping[str, float] = field(default_factory=dict)
    error: str | None = None  #: why grading failed in the grader (the cause, in words)
    grader_errors: int = 0  #: gradings of it that failed in the grader
    #: the learner's form the attempt was made on
    form: int = 1


@dataclass(frozen=True)
class Override:
    """An instructor's exception for one learner (the store keeps who and why; see the
    module docstring for what each kind does). Only overrides in force are passed in."""

    kind: OverrideKind
    unit: str
    at: datetime  #: when it was given
    objective: str | None = None  #: for ``excuse`` and ``mark_mastered``
    amount: int = 0  #: for ``extra_attempts``


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
    awaiting_review: bool = False  #: answers graded by hand could still master it
    excused: bool = False  #: an instructor excused it: it does not block the unit
    overridden: bool = False  #: mastered because an instructor marked it so
    mastered_at: datetime | None = None  #: when the mastering attempt was submitted
    mastered_attempt: int | None = None  #: that attempt's number (None: by an override)


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
    awaiting_review: bool = False  #: an objective not yet mastered awaits grading by hand
    mastered_at: datetime | None = None  #: when its last objective was mastered or excused
    mastered_attempt: int | None = None  #: the attempt that completed it (None: overrides)
    overrides: tuple[Override, ...] = ()  #: the overrides in force on this unit

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
    #: the placement's cooldown after each attempt (its policy), for the learner to see first
    cooldown_seconds: int = 0
    #: the latest attempt's grading failed in the grader (retried or given up), else None
    grading_problem: GradingProblem | None = None

    @property
    def can_submit(self) -> bool:
        return self.refusal is None


def format_time(moment: datetime) -> str:
    """ISO 8601 in UTC with a ``Z``: how every time leaves this package."""
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def cooldown_end(submitted_at: datetime, cooldown_seconds: int) -> datetime:
    """When a cooldown that started at ``submitted_at`` ends: rounded up to a whole second.

    One home for the end of a cooldown: the standing (which refuses until then), the
    submission receipt and every clock that shows it agree to the second.
    """
    end = submitted_at + timedelta(seconds=cooldown_seconds)
    if end.microsecond:
        end = end.replace(microsecond=0) + timedelta(seconds=1)
    return end


def format_duration(seconds: float) -> str:
    """A wait in words: ``4 s``, ``2 min``, ``1 h 30 min`` (a started second counts)."""
    seconds = max(0, math.ceil(seconds - 1e-6))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [
        f"{hours} h" if hours else "",
        f"{minutes} min" if minutes else "",
        f"{secs} s" if secs else "",
    ]
    return " ".join(p for p in parts if p) or "0 s"


def _mastered_since(
    verdicts: list[tuple[AttemptRecord, Verdict]], latest: bool
) -> AttemptRecord | None:
    """The attempt from which the objective counts as mastered (None: it does not)."""
    if not latest:
        return next((a for a, v in verdicts if v.mastered), None)
    since = None
    for attempt, verdict in verdicts:
        since = (since or attempt) if verdict.mastered else None
    return since


def _objectives(
    unit: Unit,
    graded: list[AttemptRecord],
    overrides: list[Override],
    placed_by: AttemptRecord | None = None,
) -> tuple[ObjectiveStanding, ...]:
    """Each objective's standing from the unit's graded attempts and the overrides in force;
    a unit placed out of has every objective mastered, at least at the score the placement
    attempt showed."""
    result = []
    for objective in unit.objectives:
        verdicts = [
            (
                attempt,
                decide(
                    *attempt.objectives.get(objective.id, (0.0, 0.0)),
                    objective.threshold,
                    attempt.pending.get(objective.id, 0.0),
                ),
            )
            for attempt in graded
        ]
        scores = [v.score for _, v in verdicts]
        best = max(scores, default=0.0)
        latest = scores[-1] if scores else None
        scoring_latest = unit.policy.scoring == "latest"
        since = _mastered_since(verdicts, scoring_latest)
        score = (latest if latest is not None else 0.0) if scoring_latest else best
        mastered = since is not None
        awaiting = not mastered and bool(verdicts) and verdicts[-1][1].awaiting_review
        mastered_at = since.submitted_at if since else None
        if placed_by is not None:
            shown = decide(*placed_by.objectives.get(objective.id, (0.0, 0.0)), objective.threshold)
            score, best = max(score, shown.score), max(best, shown.score)
            if not mastered:
                mastered, awaiting, mastered_at = True, False, placed_by.submitted_at
        marks = [o for o in overrides if o.kind == "mark_mastered" and o.objective == objective.id]
        overridden = bool(marks) and not mastered
        if overridden:
            mastered, awaiting, mastered_at = True, False, min(o.at for o in marks)
        result.append(
            ObjectiveStanding(
                id=objective.id,
                description=objective.description,
                score=score,
                threshold=objective.threshold,
                mastered=mastered,
                best_score=best,
                latest_score=latest,
                awaiting_review=awaiting,
                excused=any(o.kind == "excuse" and o.objective == objective.id for o in overrides),
                overridden=overridden,
                mastered_at=mastered_at,
                mastered_attempt=since.number if since and not overridden else None,
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


def form_after(unit: Unit, records: list[AttemptRecord]) -> int:
    """The learner's form of ``unit`` after these attempts of it (in order), by its own
    attempts alone (no placement, no overrides): what a class seeded in bulk records."""
    graded = [a for a in records if a.status == "graded"]
    own = _objectives(unit, graded, [])
    return current_form(graded, bool(graded) and all(o.mastered for o in own))


def _limits(
    item: Unit | Placement,
    records: list[AttemptRecord],
    max_attempts: int | None,
    cooldown: int,
    now: datetime,
) -> tuple[int, int | None, datetime | None, RefusalCode | None, str | None]:
    """``(used, left, cooldown until, refusal, reason)`` under an attempt limit and a
    cooldown; an attempt that ended ``grader-error`` uses no attempt and starts no cooldown."""
    counted = [a for a in records if a.status not in GRADER_FAULT]
    used = len(counted)
    left = None if max_attempts is None else max(0, max_attempts - used)
    cooldown_until = None
    if counted and cooldown > 0:
        end = cooldown_end(max(a.submitted_at for a in counted), cooldown)
        cooldown_until = end if end > now else None
    if left == 0:
        return used, left, cooldown_until, "attempt_limit", attempt_limit_reason(item, max_attempts)
    if cooldown_until is not None:
        reason = cooldown_reason(item, (cooldown_until - now).total_seconds())
        return used, left, cooldown_until, "cooldown", reason
    return used, left, cooldown_until, None, None


def _satisfied_at(objective: ObjectiveStanding, overrides: list[Override]) -> datetime | None:
    """When an objective stopped blocking its unit: mastered, or else excused."""
    if objective.mastered:
        return objective.mastered_at
    excuses = [o.at for o in overrides if o.kind == "excuse" and o.objective == objective.id]
    return min(excuses, default=None)


def standing(
    course: Course,
    attempts: Iterable[AttemptRecord],
    now: datetime,
    overrides: Iterable[Override] = (),
) -> dict[str, UnitStanding]:
    """Every unit's standing for one learner, in course order.

    ``attempts`` may come in any order and may name units the course no longer has
    (ignored); attempts of the course's placements count for the units they place out of;
    so may ``overrides`` (those in force). ``now`` must be timezone-aware.
    """
    attempts = list(attempts)
    by_unit = _by_item(attempts, (u.id for u in course.units))
    placed = _placed(course, _by_item(attempts, (p.id for p in course.placements)))
    given: dict[str, list[Override]] = {u.id: [] for u in course.units}
    for override in sorted(overrides, key=lambda o: o.at):
        if override.unit in given:
            given[override.unit].append(override)

    objectives: dict[str, tuple[ObjectiveStanding, ...]] = {}
    mastered: dict[str, bool] = {}
    mastered_by: dict[str, MasteredBy | None] = {}
    for unit in course.units:
        graded = [a for a in by_unit[unit.id] if a.status == "graded"]
        own = _objectives(unit, graded, given[unit.id])
        decided_by_overrides = any(o.overridden or o.excused for o in own)
        by_attempts = (
            (bool(graded) or decided_by_overrides)
            and bool(own)
            and all(o.mastered or o.excused for o in own)
        )
        placing = placed.get(unit.id)
        objectives[unit.id] = (
            own
            if by_attempts or placing is None
            else _objectives(unit, graded, given[unit.id], placing)
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
        in_force = given[unit.id]
        reopened = max((o.at for o in in_force if o.kind == "reopen"), default=None)
        counted = [a for a in records if a.status not in GRADER_FAULT]
        used = sum(1 for a in counted if reopened is None or a.submitted_at > reopened)
        max_attempts = policy.max_attempts
        if max_attempts is not None:
            max_attempts += sum(max(0, o.amount) for o in in_force if o.kind == "extra_attempts")
        left = None if max_attempts is None else max(0, max_attempts - used)
        cooldown_until = None
        if counted and policy.cooldown_seconds > 0:
            latest = max(a.submitted_at for a in counted)
            lifted = any(o.kind in ("lift_cooldown", "reopen") and o.at >= latest for o in in_force)
            end = cooldown_end(latest, policy.cooldown_seconds)
            cooldown_until = end if end > now and not lifted else None
        pending = tuple(a.number for a in records if a.status in PENDING)
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

        refusal: RefusalCode | None = None
        reason = None
        if waits_for:
            refusal = "locked"
            reason = locked_reason(course, unit, waits_for, waits_for_objectives)
        elif left == 0:
            refusal = "attempt_limit"
            reason = attempt_limit_reason(unit, max_attempts)
        elif cooldown_until is not None:
            refusal = "cooldown"
            reason = cooldown_reason(unit, (cooldown_until - now).total_seconds())

        last = records[-1] if records else None
        found = objectives[unit.id]
        satisfied = [_satisfied_at(o, in_force) for o in found]
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
            max_attempts=max_attempts,
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
            awaiting_review=any(o.awaiting_review and not o.excused for o in found),
            mastered_at=max((t for t in satisfied if t), default=None)
            if mastered[unit.id]
            else None,
            mastered_attempt=max(
                (o.mastered_attempt for o in found if o.mastered_attempt is not None),
                default=None,
            )
            if mastered[unit.id]
            else None,
            overrides=tuple(in_force),
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
            placement,
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
            cooldown_seconds=placement.policy.cooldown_seconds,
            grading_problem=grading_problem(last),
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


def _quoted(title: str) -> str:
    return f"\u201c{title}\u201d"


def locked_reason(
    course: Course,
    unit: Unit,
    waits_for: tuple[str, ...],
    waits_for_objectives: tuple[tuple[str, str], ...],
) -> str:
    """Why a locked unit is refused: the units (and their objectives) it waits for, by title."""
    parts = []
    for required in waits_for:
        required_unit = course.unit(required)
        if required_unit is None:  # a course always names its own units; words anyway
            parts.append(_quoted(required))
            continue
        names = []
        for waiting_unit, objective_id in waits_for_objectives:
            if waiting_unit == required:
                objective = required_unit.objective(objective_id)
                names.append(
                    objective.description if objective and objective.description else objective_id
                )
        label = _quoted(required_unit.title)
        if names:
            label += " (not yet mastered: " + "; ".join(names) + ")"
        parts.append(label)
    return f"{_quoted(unit.title)} is locked: it waits for " + ", and ".join(parts)


def attempt_limit_reason(unit: Unit | Placement, max_attempts: int | None) -> str:
    """Why a unit whose attempts are used up is refused."""
    return (
        f"{_quoted(unit.title)} has used all {max_attempts} of its attempts; "
        "ask your instructor if you need another"
    )


def cooldown_reason(unit: Unit | Placement, seconds_left: float) -> str:
    """Why a unit cooling down is refused, and for how long still (a duration, no clock time:
    the learner's clock and time zone are theirs; the sidebar shows the end in local time)."""
    return (
        f"{_quoted(unit.title)} is cooling down after your last attempt: you can submit it "
        f"again in {format_duration(seconds_left)}"
    )

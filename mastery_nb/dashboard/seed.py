"""A simulated class, for trying the dashboard, its browser test and its benchmark.

:func:`plan_class` decides, deterministically from a seed, what every learner of a class
does: which units they reach, each attempt's time, which checks pass and with what
message, practice events; a few learners get a story the dashboard must catch (stuck,
repeating the same failure, out of attempts, idle, hit by a grader error). The plan keeps
what it intended (:class:`ClassPlan`), so tests compare the dashboard with the seed, not
with itself.

Two ways to write a plan, which store the same rows:

- :func:`write_through_submit`: each attempt goes through the real
  :func:`~mastery_nb.submit.submit_attempt` (the released notebooks stored, the policy
  checked) and its result through the grading queue's own
  :func:`~mastery_nb.grade.queue.claim_next` and
  :func:`~mastery_nb.grade.queue.record_result`; only running the notebooks is skipped (the
  plan says what they scored). Practice goes through
  :func:`~mastery_nb.store.practice.ingest_practice`.
- :func:`write_bulk`: the same rows inserted in batches (no submission files), fast
  enough for 10,000 learners (``benchmarks/bench_dashboard.py``). A test keeps the two
  equal, row by row.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from mastery_nb.course.bundle import BundleCell, UnitBundle
from mastery_nb.course.model import Course
from mastery_nb.course.reader import ReleasedCourse
from mastery_nb.grade.result import AttemptResult, CellResult, FailurePart
from mastery_nb.grade.scoring import aggregate_objectives, manual_cell
from mastery_nb.progress.standing import AttemptRecord, form_after
from mastery_nb.root import CourseRoot
from mastery_nb.store import open_store, utcnow

__all__ = [
    "ClassPlan",
    "PlannedAttempt",
    "plan_class",
    "seed_class",
    "write_bulk",
    "write_through_submit",
]

#: the stories, by the learner's number modulo 25
STORIES = {3: "stuck", 8: "repeating", 13: "out_of_attempts", 18: "idle", 23: "grader_error"}
GRADER_FAULT = "the grader failed: the worker lost its connection"
_MESSAGES = (
    "AssertionError: the result has the wrong length",
    "AssertionError: expected a number, got a string",
    "NameError: name 'result' is not defined",
)


@dataclass(frozen=True)
class PlannedAttempt:
    learner: str
    unit: str
    submitted_at: datetime
    result: AttemptResult | None  #: None: the grader failed on it (not the learner's fault)


@dataclass(frozen=True)
class PlannedPractice:
    learner: str
    event: dict[str, Any]


@dataclass
class ClassPlan:
    course: str
    learners: list[str]
    attempts: list[PlannedAttempt] = field(default_factory=list)
    practice: list[PlannedPractice] = field(default_factory=list)
    #: story -> the learners given it
    stories: dict[str, list[str]] = field(default_factory=dict)
    #: (unit, notebook, grade id) -> learners who failed that check on their first attempt
    first_failed: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    #: (unit, notebook, grade id) -> learners who had a first graded attempt of its unit
    first_seen: Counter[tuple[str, str, str]] = field(default_factory=Counter)


def _cells(bundle: UnitBundle) -> list[tuple[str, BundleCell]]:
    return [(nb.path, c) for nb in bundle.notebooks for c in nb.cells if c.grade or c.task]


def _result(
    bundle: UnitBundle,
    thresholds: dict[str, float],
    passes: dict[str, bool],
    messages: dict[str, str],
    hidden: dict[str, bool],
    rng: random.Random,
) -> AttemptResult:
    cells: list[CellResult] = []
    for path, cell in _cells(bundle):
        if not cell.is_test:
            cells.append(manual_cell(path, cell, cell.objectives, unanswered=rng.random() < 0.1))
        elif passes[cell.grade_id]:
            cells.append(
                CellResult(path, cell.grade_id, cell.points, cell.points, cell.objectives, "passed")
            )
        else:
            part: FailurePart = "hidden" if hidden[cell.grade_id] else "visible"
            cells.append(
                CellResult(
                    path,
                    cell.grade_id,
                    0.0,
                    cell.points,
                    cell.objectives,
                    "error" if messages[cell.grade_id].startswith("NameError") else "failed",
                    messages[cell.grade_id],
                    part,
                )
            )
    return AttemptResult(
        cells=tuple(cells),
        objectives=aggregate_objectives(cells, thresholds),
        duration_seconds=round(rng.uniform(0.8, 3.0), 3),
    )


def _mastered(result: AttemptResult | None) -> bool:
    return (
        result is not None
        and bool(result.objectives)
        and all(o.mastered for o in result.objectives)
    )


def _groups(tests: list[BundleCell]) -> list[list[BundleCell]]:
    """The unit's tests by the objectives they assess (failing one group fails an objective)."""
    found: dict[tuple[str, ...], list[BundleCell]] = {}
    for cell in tests:
        found.setdefault(cell.objectives, []).append(cell)
    return list(found.values())


def _attempts_of(
    unit_tests: list[BundleCell],
    story: str,
    skill: float,
    difficulty: dict[str, float],
    limit: int,
    index: int,
    rng: random.Random,
) -> list[tuple[dict[str, bool], dict[str, str]]]:
    """The pass/fail and message of every test in each attempt of one unit."""
    groups = _groups(unit_tests)
    sticky = groups[index % len(groups)] if groups else []
    tries = {"stuck": 3, "repeating": 3, "out_of_attempts": limit}.get(story, limit)
    attempts = []
    for number in range(1, tries + 1):
        passes = {
            c.grade_id: rng.random() < skill - difficulty[c.grade_id] + 0.2 * (number - 1)
            for c in unit_tests
        }
        messages = {c.grade_id: _MESSAGES[rng.randrange(len(_MESSAGES))] for c in unit_tests}
        if story in ("repeating", "out_of_attempts"):  # the same failure every time
            for cell in sticky:
                passes[cell.grade_id], messages[cell.grade_id] = False, _MESSAGES[0]
        elif story == "stuck":  # one objective fails, each time for another reason
            passes = dict.fromkeys(passes, True)
            for cell in sticky:
                passes[cell.grade_id], messages[cell.grade_id] = False, _MESSAGES[number % 3]
        attempts.append((passes, messages))
        if not story and all(passes.values()):
            break
    return attempts


def plan_class(
    course: Course,
    bundles: dict[str, UnitBundle],
    learners: int,
    *,
    seed: int = 0,
    now: datetime | None = None,
    prefix: str = "learner",
) -> ClassPlan:
    """What a class of ``learners`` did, deterministically from ``seed``."""
    now = now or utcnow()
    rng = random.Random(seed)
    names = [f"{prefix}-{i:05d}" for i in range(learners)]
    plan = ClassPlan(course=course.id, learners=names)
    units = [u for u in course.units if u.id in bundles]
    difficulty = {
        c.grade_id: rng.uniform(0.0, 0.35) for u in units for _, c in _cells(bundles[u.id])
    }
    for index, learner in enumerate(names):
        story = STORIES.get(index % 25, "")
        if story:
            plan.stories.setdefault(story, []).append(learner)
        skill = rng.uniform(0.55, 0.98)
        reach = max(1, min(len(units), int(rng.triangular(1, len(units) + 1, len(units) * 0.45))))
        if story in ("stuck", "repeating", "out_of_attempts"):
            reach = max(reach, 2)
        if story == "idle":
            reach = min(reach, len(units) - 1)
        timeline: list[tuple[str, AttemptResult | None, int]] = []  # unit, result, cooldown
        for position, unit in enumerate(units[:reach]):
            bundle = bundles[unit.id]
            thresholds = {o.id: o.threshold for o in unit.objectives}
            troubled = (
                story if position == reach - 1 and story not in ("idle", "grader_error") else ""
            )
            tests = [c for _, c in _cells(bundle) if c.is_test]
            planned = _attempts_of(
                tests, troubled, skill, difficulty, unit.policy.max_attempts or 6, index, rng
            )
            for number, (passes, messages) in enumerate(planned, start=1):
                hidden = {c.grade_id: bool(c.hidden_lines()) and rng.random() < 0.4 for c in tests}
                result = _result(bundle, thresholds, passes, messages, hidden, rng)
                if number == 1:
                    for path, cell in _cells(bundle):
                        key = (unit.id, path, cell.grade_id)
                        plan.first_seen[key] += 1
                        plan.first_failed[key] += int(cell.is_test and not passes[cell.grade_id])
                timeline.append((unit.id, result, unit.policy.cooldown_seconds))
                if _mastered(result) and not troubled:
                    break
            if not _mastered(timeline[-1][1]):
                break  # not mastered (yet): no further unit
        if story == "grader_error":
            done = len({u for u, _, _ in timeline})
            nxt = units[done] if _mastered(timeline[-1][1]) and done < len(units) else None
            broken = nxt or course.unit(timeline[-1][0])
            assert broken is not None
            timeline.append((broken.id, None, broken.policy.cooldown_seconds))
        end = now - (
            timedelta(days=rng.uniform(12, 25))
            if story == "idle"
            else timedelta(hours=rng.uniform(1, 72))
        )
        moment = end
        stamped = []
        for unit_id, outcome, cooldown in reversed(timeline):
            stamped.append(PlannedAttempt(learner, unit_id, moment, outcome))
            moment -= timedelta(seconds=cooldown) + timedelta(hours=rng.uniform(0.5, 20))
        plan.attempts.extend(reversed(stamped))
        for unit_id in list(dict.fromkeys(u for u, _, _ in timeline))[: rng.randrange(0, 4)]:
            practised = course.unit(unit_id)
            assert practised is not None
            for objective in practised.objectives:
                plan.practice.append(
                    PlannedPractice(
                        learner,
                        {
                            "time": (end - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                            "course": course.id,
                            "unit": unit_id,
                            "question": f"{objective.id}-practice",
                            "objective": objective.id,
                            "event": "check",
                            "outcome": "correct" if rng.random() < skill else "incorrect",
                        },
                    )
                )
    return plan


def _released(root: CourseRoot, course: Course) -> dict[str, bytes]:
    folder = root.course_release(course.id)
    return {nb: (folder / nb).read_bytes() for u in course.units for nb in u.notebooks}


def _practise(store: Any, course: Course, plan: ClassPlan) -> None:
    """The planned practice through the real ingest, received when it happened."""
    from mastery_nb.store.practice import ingest_practice

    by_learner: dict[str, list[dict[str, Any]]] = {}
    for event in plan.practice:
        by_learner.setdefault(event.learner, []).append(event.event)
    for learner, events in by_learner.items():
        when = datetime.fromisoformat(events[0]["time"].replace("Z", "+00:00"))
        ingest_practice(store, course, learner, events, now=when)


def write_through_submit(root: CourseRoot, plan: ClassPlan) -> None:
    """Every planned attempt through the real submit and the queue's record path."""
    from mastery_nb.backend.local import started_files
    from mastery_nb.grade.queue import _grader_fault, claim_next, record_result
    from mastery_nb.progress import learner_standing
    from mastery_nb.submit import submit_attempt

    course = ReleasedCourse.of(root, plan.course).course()
    store = open_store(root)
    files = _released(root, course)
    for attempt in plan.attempts:
        unit = course.unit(attempt.unit)
        assert unit is not None
        notebooks = {nb: files[nb] for nb in unit.notebooks}
        if unit.forms:  # the learner's own form, as the panel's Start gives it
            form = learner_standing(root, plan.course, attempt.learner)[unit.id].form
            started = started_files(root, course, unit, attempt.learner, form)
            notebooks.update({f.path: f.content() for f in started if f.path in notebooks})
        submit_attempt(
            root, plan.course, attempt.unit, attempt.learner, notebooks, now=attempt.submitted_at
        )
        claim = claim_next(store, course_id=plan.course)
        assert claim is not None and claim.student_id == attempt.learner, (
            "seed while no grader runs"
        )
        if attempt.result is None:
            _grader_fault(store, claim, GRADER_FAULT, final=True)
        else:
            record_result(store, claim, course, attempt.result)
    _practise(store, course, plan)


def write_bulk(root: CourseRoot, plan: ClassPlan, *, batch: int = 2000) -> None:
    """The rows :func:`write_through_submit` stores, inserted in batches (no files)."""
    from sqlalchemy import func, insert, select

    from mastery_nb.grade.queue import _objective_rows
    from mastery_nb.store.models import (
        AttemptRow,
        CellResultRow,
        LearnerRow,
        LearnerUnitRow,
        ObjectiveResultRow,
        UnitRow,
    )

    course = ReleasedCourse.of(root, plan.course).course()
    store = open_store(root)
    numbers: Counter[tuple[str, str]] = Counter()
    last: dict[tuple[str, str], datetime] = {}
    attempts, cells, objectives = [], [], []
    with store.write() as session:
        first_id = (session.execute(select(func.max(AttemptRow.id))).scalar() or 0) + 1
        joined: dict[str, datetime] = {}
        for attempt in plan.attempts:
            joined.setdefault(attempt.learner, attempt.submitted_at)
        session.execute(
            insert(LearnerRow), [{"student_id": n, "created_at": t} for n, t in joined.items()]
        )
        used = {a.unit for a in plan.attempts}
        session.execute(
            insert(UnitRow),
            [
                {"course_id": course.id, "unit_id": u.id, "title": u.title}
                for u in course.units
                if u.id in used
            ],
        )
        history: dict[tuple[str, str], list[AttemptRecord]] = {}
        for offset, attempt in enumerate(plan.attempts):
            key = (attempt.learner, attempt.unit)
            numbers[key] += 1
            unit = course.unit(attempt.unit)
            assert unit is not None
            form = form_after(unit, history.get(key, []))
            last[key] = attempt.submitted_at
            attempt_id = first_id + offset
            result = attempt.result
            row: dict[str, Any] = {
                "id": attempt_id,
                "course_id": course.id,
                "student_id": attempt.learner,
                "unit_id": attempt.unit,
                "number": numbers[key],
                "submitted_at": attempt.submitted_at,
                "notebooks": {},
                "storage": f"submissions/{course.id}/{attempt.learner}/{attempt.unit}/{numbers[key]}",
                "status": "graded" if result else "grader-error",
                "grader_errors": 0 if result else 1,
                "claims": 1,
                "messages": [],
                "tampering": [],
                "error": None if result else GRADER_FAULT,
                "learner_errors": [],
                "form": form,
            }
            rows = _objective_rows(course, attempt.unit, result) if result is not None else []
            if result is not None:
                row.update(
                    graded_at=attempt.submitted_at,
                    duration_seconds=result.duration_seconds,
                    points=sum(c.points for c in result.cells),
                    max_points=sum(c.max_points for c in result.cells if c.status != "not_run"),
                    mastered=bool(rows) and all(o["mastered"] for o in rows),
                )
                cells += [
                    {
                        **asdict(c),
                        "attempt_id": attempt_id,
                        "position": i,
                        "objectives": list(c.objectives),
                    }
                    for i, c in enumerate(result.cells)
                ]
                objectives += [{"attempt_id": attempt_id, **o} for o in rows]
            attempts.append(row)
            history.setdefault(key, []).append(
                AttemptRecord(
                    unit=unit.id,
                    number=numbers[key],
                    submitted_at=attempt.submitted_at,
                    status=row["status"],
                    objectives={o["objective"]: (o["points"], o["max_points"]) for o in rows},
                    form=form,
                )
            )
        for chunk in range(0, len(attempts), batch):
            session.execute(insert(AttemptRow), attempts[chunk : chunk + batch])
        for chunk in range(0, len(cells), batch * 10):
            session.execute(insert(CellResultRow), cells[chunk : chunk + batch * 10])
        for chunk in range(0, len(objectives), batch * 5):
            session.execute(insert(ObjectiveResultRow), objectives[chunk : chunk + batch * 5])
        session.execute(
            insert(LearnerUnitRow),
            [
                {
                    "course_id": course.id,
                    "student_id": learner,
                    "unit_id": unit,
                    "attempts": n,
                    "last_submitted_at": last[(learner, unit)],
                }
                for (learner, unit), n in numbers.items()
            ],
        )
    _practise(store, course, plan)


def seed_class(
    root: CourseRoot,
    course_id: str,
    learners: int,
    *,
    seed: int = 0,
    now: datetime | None = None,
    bulk: bool = False,
) -> ClassPlan:
    """Plan a class of ``learners`` and write it (see the module docstring)."""
    released = ReleasedCourse.of(root, course_id)
    course = released.course()
    bundles = {u.id: released.unit_bundle(u.id) for u in course.units}
    plan = plan_class(course, bundles, learners, seed=seed, now=now)
    (write_bulk if bulk else write_through_submit)(root, plan)
    return plan

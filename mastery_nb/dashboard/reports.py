"""The class dashboard's documents, built from a snapshot of the class.

Each function takes the refreshed :class:`~mastery_nb.dashboard.snapshot.ClassSnapshot`
(and the learners' groups) and returns one document of :mod:`mastery_nb.documents`; the
JSON API sends it, the HTML pages render it. They only read memory, so they answer in
milliseconds for a class of thousands (``benchmarks/bench_dashboard.py``).
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Literal, get_args

from mastery_nb.course.bundle import UnitBundle
from mastery_nb.course.model import Course
from mastery_nb.dashboard.facts import LearnerFacts
from mastery_nb.dashboard.rules import (
    IDLE_DAYS,
    NEED_ORDER,
    REPEAT_ATTEMPTS,
    STRUGGLE_ATTEMPTS,
    cell_state,
    needs_of,
)
from mastery_nb.dashboard.snapshot import ClassSnapshot
from mastery_nb.documents import (
    Bin,
    CellState,
    ClassPage,
    ClassRow,
    FailureCount,
    ItemReport,
    ItemStat,
    NeedsReport,
    ObjectiveColumn,
    ObjectivePractice,
    ObjectiveSummary,
    PracticeStat,
    ReviewItem,
    ReviewQueue,
    UnitReport,
    UnitSummary,
    UnitTitle,
)
from mastery_nb.feedback.report import hidden_lines, redact
from mastery_nb.progress.standing import format_time

__all__ = [
    "MAX_LIMIT",
    "SORTS",
    "class_page",
    "item_report",
    "needs_report",
    "review_queue",
    "unit_report",
]

Groups = Mapping[str, Sequence[str]]  #: learner -> the groups they are in
Sort = Literal[
    "learner", "-learner", "mastered", "-mastered", "struggling", "-struggling", "active", "-active"
]
SORTS: tuple[str, ...] = get_args(Sort)
STATES: tuple[str, ...] = get_args(CellState)
MAX_LIMIT = 500
_FAILURES_SHOWN = 5


def _titles(course: Course) -> list[UnitTitle]:
    return [UnitTitle(id=u.id, title=u.title) for u in course.units]


def _all_groups(groups: Groups) -> list[str]:
    return sorted({g for names in groups.values() for g in names})


def _columns(course: Course, unit: str | None) -> list[ObjectiveColumn]:
    return [
        ObjectiveColumn(unit=u.id, id=o.id, description=o.description, threshold=o.threshold)
        for u in course.units
        if unit in (None, u.id)
        for o in u.objectives
    ]


def _row(facts: LearnerFacts, columns: list[ObjectiveColumn], groups: Groups) -> ClassRow:
    states: list[CellState] = []
    scores: list[float] = []
    for column in columns:
        unit = facts.standing[column.unit]
        objective = next(o for o in unit.objectives if o.id == column.id)
        states.append(cell_state(unit, objective))
        scores.append(round(objective.score, 4))
    return ClassRow.model_construct(
        learner=facts.learner,
        groups=list(groups.get(facts.learner, ())),
        states=states,
        scores=scores,
        mastered=states.count("mastered"),
        struggling=states.count("struggling"),
        awaiting_review=states.count("awaiting_review"),
        last_active=format_time(facts.last_active) if facts.last_active else None,
    )


def class_page(
    snapshot: ClassSnapshot,
    groups: Groups,
    *,
    unit: str | None = None,
    group: str | None = None,
    state: CellState | None = None,
    search: str = "",
    sort: str = "learner",
    offset: int = 0,
    limit: int = 50,
) -> ClassPage:
    """One page of the heatmap: the learners matching the filters, sorted, paginated."""
    course = snapshot.course
    assert course is not None
    if unit is not None and course.unit(unit) is None:
        unit = None
    columns = _columns(course, unit)
    needle = search.strip().lower()
    rows = []
    for facts in snapshot.learners.values():
        if needle and needle not in facts.learner.lower():
            continue
        if group and group not in groups.get(facts.learner, ()):
            continue
        row = _row(facts, columns, groups)
        if state and state not in row.states:
            continue
        rows.append(row)
    key = sort.lstrip("-")
    descending = sort.startswith("-")
    rows.sort(key=lambda r: r.learner)
    if key == "mastered":
        rows.sort(key=lambda r: r.mastered, reverse=descending)
    elif key == "struggling":
        rows.sort(key=lambda r: (r.struggling, r.awaiting_review), reverse=descending)
    elif key == "active":
        rows.sort(key=lambda r: r.last_active or "", reverse=descending)
    elif descending:
        rows.reverse()
    totals: Counter[str] = Counter(s for r in rows for s in r.states)
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, min(offset, max(0, len(rows) - 1)))
    return ClassPage(
        course=course.id,
        course_title=course.title,
        generated_at=format_time(snapshot.refreshed_at or datetime.now()),
        learners=len(snapshot.learners),
        matching=len(rows),
        offset=offset,
        limit=limit,
        sort=sort if sort in SORTS else "learner",
        unit=unit,
        group=group,
        state=state,
        search=search,
        units=_titles(course),
        groups=_all_groups(groups),
        columns=columns,
        totals={s: totals.get(s, 0) for s in STATES},
        rows=rows[offset : offset + limit],
    )


def _bins(values: list[int], labels: list[tuple[str, int, int]]) -> list[Bin]:
    """Counts of ``values`` in the inclusive ranges ``(label, low, high)``."""
    return [
        Bin(label=label, count=sum(1 for v in values if low <= v <= high))
        for label, low, high in labels
    ]


ATTEMPT_BINS = [("1", 1, 1), ("2", 2, 2), ("3", 3, 3), ("4", 4, 4), ("5", 5, 5), ("6+", 6, 10**9)]
DAY_BINS = [
    ("<1", 0, 0),
    ("1", 1, 1),
    ("2", 2, 2),
    ("3-4", 3, 4),
    ("5-7", 5, 7),
    ("8-14", 8, 14),
    ("15+", 15, 10**9),
]


def _available_at(facts: LearnerFacts, course: Course, unit_id: str) -> datetime | None:
    """When a unit opened for the learner: its prerequisites' mastery, or their start."""
    unit = course.unit(unit_id)
    assert unit is not None
    if not unit.requires:
        return facts.first_active
    times = [facts.standing[r].mastered_at for r in unit.requires if r in facts.standing]
    known = [t for t in times if t is not None]
    return max(known) if len(known) == len(unit.requires) else None


def unit_report(snapshot: ClassSnapshot) -> UnitReport:
    """Per unit: where the class stands, and how many attempts and days mastery took."""
    course = snapshot.course
    assert course is not None
    summaries = []
    for unit in course.units:
        counts: Counter[str] = Counter()
        attempts: list[int] = []
        days: list[int] = []
        objectives: dict[str, Counter[str]] = {o.id: Counter() for o in unit.objectives}
        for facts in snapshot.learners.values():
            standing = facts.standing[unit.id]
            if standing.mastered:
                counts["mastered"] += 1
                if standing.mastered_attempt is not None:
                    attempts.append(standing.mastered_attempt)
                opened = _available_at(facts, course, unit.id)
                if opened is not None and standing.mastered_at is not None:
                    days.append(max(0, (standing.mastered_at - opened).days))
            elif standing.state == "locked":
                counts["locked"] += 1
            elif standing.last_attempt is None:
                counts["unlocked"] += 1
            else:
                counts["attempted"] += 1
                counts["awaiting_review"] += int(standing.awaiting_review)
            for objective in standing.objectives:
                objectives[objective.id][cell_state(standing, objective)] += 1
        summaries.append(
            UnitSummary(
                id=unit.id,
                title=unit.title,
                locked=counts["locked"],
                unlocked=counts["unlocked"],
                attempted=counts["attempted"],
                awaiting_review=counts["awaiting_review"],
                mastered=counts["mastered"],
                attempts_to_mastery=_bins(attempts, ATTEMPT_BINS),
                days_to_mastery=_bins(days, DAY_BINS),
                median_attempts=statistics.median(attempts) if attempts else None,
                median_days=statistics.median(days) if days else None,
                objectives=[
                    ObjectiveSummary(
                        id=o.id,
                        description=o.description,
                        mastered=objectives[o.id]["mastered"],
                        awaiting_review=objectives[o.id]["awaiting_review"],
                        struggling=objectives[o.id]["struggling"],
                    )
                    for o in unit.objectives
                ],
            )
        )
    return UnitReport(
        course=course.id,
        course_title=course.title,
        generated_at=format_time(snapshot.refreshed_at or datetime.now()),
        learners=len(snapshot.learners),
        units=summaries,
    )


def needs_report(
    snapshot: ClassSnapshot,
    now: datetime,
    *,
    reason: str | None = None,
    limit: int = MAX_LIMIT,
) -> NeedsReport:
    """Who needs the instructor now, most urgent first (then the longest waiting)."""
    course = snapshot.course
    assert course is not None
    needs = [n for facts in snapshot.learners.values() for n in needs_of(facts, course, now)]
    counts = Counter(n.reason for n in needs)
    if reason:
        needs = [n for n in needs if n.reason == reason]
    order = {r: i for i, r in enumerate(NEED_ORDER)}
    needs.sort(key=lambda n: (order[n.reason], n.since or "", n.learner))
    return NeedsReport(
        course=course.id,
        generated_at=format_time(snapshot.refreshed_at or now),
        learners=len(snapshot.learners),
        rules={
            "stuck_attempts": STRUGGLE_ATTEMPTS,
            "repeated_attempts": REPEAT_ATTEMPTS,
            "idle_days": IDLE_DAYS,
        },
        counts={r: counts.get(r, 0) for r in NEED_ORDER},
        needs=needs[: max(1, min(limit, 5 * MAX_LIMIT))],
    )


def item_report(snapshot: ClassSnapshot, bundle: UnitBundle) -> ItemReport:
    """Every graded cell of one unit across the class, and the practice beside it."""
    course = snapshot.course
    assert course is not None
    unit = course.unit(bundle.unit)
    assert unit is not None
    hidden = hidden_lines(bundle)
    items = []
    with_unit = [
        f for f in snapshot.learners.values() if f.units.get(unit.id) and f.units[unit.id].failures
    ]
    for notebook in bundle.notebooks:
        for cell in notebook.cells:
            manual = cell.task or (cell.grade and cell.solution)
            if not (cell.is_test or manual):
                continue
            key = (notebook.path, cell.grade_id)
            learners = first_failed = first_hidden = passed = 0
            attempts: list[int] = []
            messages: Counter[str] = Counter()
            for facts in with_unit:
                found = facts.units[unit.id].cells.get(key)
                if found is None:
                    continue
                learners += 1
                if found.first_status not in ("passed", "manual", "reviewed"):
                    first_failed += 1
                    first_hidden += int(found.first_part == "hidden")
                if found.passed_on is not None:
                    passed += 1
                    attempts.append(found.passed_on)
                messages.update(found.failures)
            items.append(
                ItemStat(
                    notebook=notebook.path,
                    grade_id=cell.grade_id,
                    label=cell.label or cell.grade_id,
                    objectives=list(cell.objectives),
                    item="manual" if manual else "test",
                    hidden=bool(cell.hidden_lines()),
                    points=cell.points,
                    learners=learners,
                    first_failed=first_failed,
                    first_failed_hidden=first_hidden,
                    passed=passed,
                    attempts_to_pass=_bins(attempts, ATTEMPT_BINS),
                    failures=[
                        FailureCount(message=redact(m, hidden), count=n)
                        for m, n in messages.most_common(_FAILURES_SHOWN)
                    ],
                )
            )
    questions: dict[str, list[int]] = {}  # question -> [learners, correct, events]
    objective_of: dict[str, str | None] = {}
    practised: dict[str, set[str]] = {o.id: set() for o in unit.objectives}
    for facts in snapshot.learners.values():
        for (unit_id, question), fact in facts.practice.items():
            if unit_id != unit.id:
                continue
            entry = questions.setdefault(question, [0, 0, 0])
            entry[0] += 1
            entry[1] += int(fact.correct)
            entry[2] += fact.events
            objective_of[question] = fact.objective
            if fact.objective in practised:
                practised[fact.objective].add(facts.learner)
    submitted = {f.learner for f in with_unit}
    return ItemReport(
        course=course.id,
        generated_at=format_time(snapshot.refreshed_at or datetime.now()),
        unit=unit.id,
        unit_title=unit.title,
        units=_titles(course),
        items=items,
        practice=[
            PracticeStat(
                question=q,
                objective=objective_of[q],
                learners=n[0],
                correct=n[1],
                events=n[2],
            )
            for q, n in sorted(questions.items())
        ],
        objectives=[
            ObjectivePractice(
                objective=o.id,
                practised=len(practised[o.id]),
                submitted=len(submitted),
                practised_and_submitted=len(practised[o.id] & submitted),
            )
            for o in unit.objectives
        ],
    )


def review_queue(
    snapshot: ClassSnapshot, bundles: Mapping[str, UnitBundle], *, limit: int = MAX_LIMIT
) -> ReviewQueue:
    """Answers graded by hand still waiting, in each learner's latest graded attempt of a
    unit, oldest submission first."""
    course = snapshot.course
    assert course is not None
    items = []
    for facts in snapshot.learners.values():
        for unit in course.units:
            unit_facts = facts.units.get(unit.id)
            if not unit_facts or not unit_facts.to_review:
                continue
            graded = [a for a in unit_facts.attempts if a.status == "graded"]
            latest = graded[-1] if graded else None
            if latest is None:
                continue
            labels = {
                (nb.path, c.grade_id): c.label or c.grade_id
                for nb in (bundles[unit.id].notebooks if unit.id in bundles else ())
                for c in nb.cells
            }
            for number, notebook, grade_id, points in unit_facts.to_review:
                if number != latest.number:
                    continue
                items.append(
                    ReviewItem(
                        learner=facts.learner,
                        unit=unit.id,
                        unit_title=unit.title,
                        attempt=number,
                        notebook=notebook,
                        grade_id=grade_id,
                        label=labels.get((notebook, grade_id), grade_id),
                        max_points=points,
                        submitted_at=format_time(latest.submitted_at),
                    )
                )
    items.sort(key=lambda i: (i.submitted_at, i.learner, i.unit, i.notebook, i.grade_id))
    return ReviewQueue(
        course=course.id,
        generated_at=format_time(snapshot.refreshed_at or datetime.now()),
        total=len(items),
        items=items[:limit],
    )

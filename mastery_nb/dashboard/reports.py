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
from mastery_nb.dashboard.rules import (
    IDLE_DAYS,
    NEED_ORDER,
    REPEAT_ATTEMPTS,
    STRUGGLE_ATTEMPTS,
    idle_need,
)
from mastery_nb.dashboard.snapshot import ClassSnapshot
from mastery_nb.dashboard.summary import ItemTotals
from mastery_nb.documents import (
    Bin,
    CellState,
    ClassPage,
    ClassRow,
    FailureCount,
    ItemReport,
    ItemStat,
    Need,
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


def _moment(value: datetime | None) -> str:
    return format_time(value) if value else ""


def _columns(course: Course) -> list[ObjectiveColumn]:
    return [
        ObjectiveColumn(unit=u.id, id=o.id, description=o.description, threshold=o.threshold)
        for u in course.units
        for o in u.objectives
    ]


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
    every = _columns(course)
    if unit is not None and course.unit(unit) is None:
        unit = None
    shown = [i for i, c in enumerate(every) if unit in (None, c.unit)]
    low, high = (shown[0], shown[-1] + 1) if shown else (0, 0)
    needle = search.strip().lower()
    filtered = bool(needle or group or state)
    summaries = snapshot.summaries
    if not filtered:
        matching = snapshot.ordered()  # every learner, by name
    else:
        matching = []
        for learner in snapshot.ordered():
            if needle and needle not in learner.lower():
                continue
            if group and group not in groups.get(learner, ()):
                continue
            if state and state not in summaries[learner].states[low:high]:
                continue
            matching.append(learner)
    key = sort.lstrip("-") if sort in SORTS else "learner"
    descending = sort.startswith("-") and sort in SORTS
    if key == "mastered":
        matching = sorted(matching, key=lambda n: summaries[n].counts[unit][0], reverse=descending)
    elif key == "struggling":
        matching = sorted(matching, key=lambda n: summaries[n].counts[unit][1:], reverse=descending)
    elif key == "active":
        last = snapshot.learners
        matching = sorted(matching, key=lambda n: _moment(last[n].last_active), reverse=descending)
    elif descending:
        matching = matching[::-1]
    totals: Counter[str] = Counter()
    if filtered:
        for learner in matching:
            totals.update(summaries[learner].states[low:high])
    else:  # the class's sums, kept as learners change
        for column in (every[i] for i in shown):
            unit_ = course.unit(column.unit)
            assert unit_ is not None
            index = [o.id for o in unit_.objectives].index(column.id)
            totals.update(snapshot.totals.objectives.get((column.unit, index), Counter()))
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, min(offset, max(0, len(matching) - 1)))
    rows = []
    for learner in matching[offset : offset + limit]:
        summary = summaries[learner]
        states = summary.states[low:high]
        last_active = snapshot.learners[learner].last_active
        rows.append(
            ClassRow.model_construct(
                learner=learner,
                groups=list(groups.get(learner, ())),
                states=list(states),  # type: ignore[arg-type]  # the rules' CellState
                scores=list(summary.scores[low:high]),
                mastered=states.count("mastered"),
                struggling=states.count("struggling"),
                awaiting_review=states.count("awaiting_review"),
                last_active=format_time(last_active) if last_active else None,
            )
        )
    return ClassPage.model_construct(
        kind="class",
        course=course.id,
        course_title=course.title,
        generated_at=format_time(snapshot.refreshed_at or datetime.now()),
        learners=len(snapshot.summaries),
        matching=len(matching),
        offset=offset,
        limit=limit,
        sort=sort if sort in SORTS else "learner",
        unit=unit,
        group=group,
        state=state,
        search=search,
        units=_titles(course),
        groups=_all_groups(groups),
        columns=[every[i] for i in shown],
        totals={s: totals.get(s, 0) for s in STATES},
        rows=rows,
    )


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


def _counted_bins(counts: Counter[int], labels: list[tuple[str, int, int]]) -> list[Bin]:
    """Counts of values kept as ``value -> learners`` in the inclusive ranges of ``labels``."""
    return [
        Bin(label=label, count=sum(n for v, n in counts.items() if low <= v <= high and n > 0))
        for label, low, high in labels
    ]


def _median(counts: Counter[int]) -> float | None:
    """The median of values kept as ``value -> learners``."""
    values = sorted((v, n) for v, n in counts.items() if n > 0)
    total = sum(n for _, n in values)
    if not total:
        return None
    middle: list[int] = []
    seen = 0
    for value, n in values:
        for position in ((total - 1) // 2, total // 2):
            if seen <= position < seen + n:
                middle.append(value)
        seen += n
    return float(statistics.mean(middle))


def unit_report(snapshot: ClassSnapshot) -> UnitReport:
    """Per unit: where the class stands, and how many attempts and days mastery took."""
    course = snapshot.course
    assert course is not None
    totals = snapshot.totals
    summaries = []
    for unit in course.units:
        counts = totals.units.get(unit.id, Counter())
        attempts = totals.attempts.get(unit.id, Counter())
        days = totals.days.get(unit.id, Counter())
        objectives = [
            totals.objectives.get((unit.id, i), Counter()) for i in range(len(unit.objectives))
        ]
        summaries.append(
            UnitSummary(
                id=unit.id,
                title=unit.title,
                locked=counts["locked"],
                unlocked=counts["unlocked"],
                attempted=counts["attempted"],
                awaiting_review=counts["awaiting_review"],
                mastered=counts["mastered"],
                attempts_to_mastery=_counted_bins(attempts, ATTEMPT_BINS),
                days_to_mastery=_counted_bins(days, DAY_BINS),
                median_attempts=_median(attempts),
                median_days=_median(days),
                objectives=[
                    ObjectiveSummary(
                        id=o.id,
                        description=o.description,
                        mastered=objectives[i]["mastered"],
                        awaiting_review=objectives[i]["awaiting_review"],
                        struggling=objectives[i]["struggling"],
                    )
                    for i, o in enumerate(unit.objectives)
                ],
            )
        )
    return UnitReport(
        course=course.id,
        course_title=course.title,
        generated_at=format_time(snapshot.refreshed_at or datetime.now()),
        learners=len(snapshot.summaries),
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
    order = {r: i for i, r in enumerate(NEED_ORDER)}

    def static() -> tuple[list[Need], Counter[str]]:
        found = [n for summary in snapshot.summaries.values() for n in summary.needs]
        found.sort(key=lambda n: (order[n.reason], n.since or "", n.learner))
        return found, Counter(n.reason for n in found)

    needs, counted = snapshot.cached("needs", static)
    idle = []
    for learner, summary in snapshot.summaries.items():
        if summary.open_units:
            found = idle_need(
                learner, snapshot.learners[learner].last_active, summary.open_units, now
            )
            if found is not None:
                idle.append(found)
    idle.sort(key=lambda n: (n.since or "", n.learner))
    needs = needs + idle  # "idle" comes last in NEED_ORDER
    counts = counted + Counter({"idle": len(idle)})
    if reason:
        needs = [n for n in needs if n.reason == reason]
    return NeedsReport.model_construct(
        kind="needs",
        course=course.id,
        generated_at=format_time(snapshot.refreshed_at or now),
        learners=len(snapshot.learners),
        rules={
            "stuck_attempts": STRUGGLE_ATTEMPTS,
            "repeated_attempts": REPEAT_ATTEMPTS,
            "idle_days": IDLE_DAYS,
        },
        counts={r: counts.get(r, 0) for r in NEED_ORDER},
        needs=needs[: max(1, min(limit, MAX_LIMIT))],
    )


def item_report(snapshot: ClassSnapshot, bundle: UnitBundle) -> ItemReport:
    """Every graded cell of one unit across the class, and the practice beside it."""
    course = snapshot.course
    assert course is not None
    unit = course.unit(bundle.unit)
    assert unit is not None
    totals = snapshot.totals
    hidden = hidden_lines(bundle)
    items = []
    for notebook in bundle.notebooks:
        for cell in notebook.cells:
            manual = cell.task or (cell.grade and cell.solution)
            if not (cell.is_test or manual):
                continue
            found = totals.items.get((unit.id, notebook.path, cell.grade_id), ItemTotals())
            failures = [(m, n) for m, n in found.failures.most_common() if n > 0]
            items.append(
                ItemStat(
                    notebook=notebook.path,
                    grade_id=cell.grade_id,
                    label=cell.label or cell.grade_id,
                    objectives=list(cell.objectives),
                    item="manual" if manual else "test",
                    hidden=bool(cell.hidden_lines()),
                    points=cell.points,
                    learners=found.learners,
                    first_failed=found.first_failed,
                    first_failed_hidden=found.first_hidden,
                    passed=found.passed,
                    attempts_to_pass=_counted_bins(found.attempts, ATTEMPT_BINS),
                    failures=[
                        FailureCount(message=redact(m, hidden), count=n)
                        for m, n in failures[:_FAILURES_SHOWN]
                    ],
                )
            )
    submitted = totals.units.get(unit.id, Counter())["submitted"]
    questions = sorted(
        (q, n) for (u, q), n in totals.questions.items() if u == unit.id and n[0] > 0
    )
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
                objective=totals.question_objective.get((unit.id, q)),
                learners=n[0],
                correct=n[1],
                events=n[2],
            )
            for q, n in questions
        ],
        objectives=[
            ObjectivePractice(
                objective=o.id,
                practised=totals.practised[(unit.id, o.id)],
                submitted=submitted,
                practised_and_submitted=totals.practised_submitted[(unit.id, o.id)],
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
    titles = {u.id: u.title for u in course.units}
    labels = {
        (unit, nb.path, c.grade_id): c.label or c.grade_id
        for unit, bundle in bundles.items()
        for nb in bundle.notebooks
        for c in nb.cells
    }
    waiting = sorted(
        (submitted_at, learner, unit, number, notebook, grade_id, points)
        for learner, summary in snapshot.summaries.items()
        for unit, number, notebook, grade_id, points, submitted_at in summary.reviews
    )
    items = [
        ReviewItem(
            learner=learner,
            unit=unit,
            unit_title=titles.get(unit, unit),
            attempt=number,
            notebook=notebook,
            grade_id=grade_id,
            label=labels.get((unit, notebook, grade_id), grade_id),
            max_points=points,
            submitted_at=format_time(submitted_at),
        )
        for submitted_at, learner, unit, number, notebook, grade_id, points in waiting[:limit]
    ]
    return ReviewQueue(
        course=course.id,
        generated_at=format_time(snapshot.refreshed_at or datetime.now()),
        total=len(waiting),
        items=items,
    )

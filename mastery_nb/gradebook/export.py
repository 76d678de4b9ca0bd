"""The gradebook's rows, its wide form and its files (see the package docstring).

Columns (long form): ``learner, unit, objective, mastered, score, threshold, attempts,
mastered_at, awaiting_review, excused``. ``score`` is the standing score under the unit's
policy (best or latest), ``attempts`` the attempts used on the unit, ``mastered_at`` when
the mastering attempt was submitted (ISO 8601, UTC). Wide form: ``learner,
objectives_mastered, objectives`` then one column ``<unit>/<objective>`` per objective
(1 mastered, 0 not yet, ``EX`` excused: the value LMS gradebooks take for "excused").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Literal

from mastery_nb.course.model import Course
from mastery_nb.course.reader import ReleasedCourse
from mastery_nb.documents import Gradebook, GradebookRow, GradebookWide
from mastery_nb.progress.standing import UnitStanding, format_time, standing
from mastery_nb.root import CourseRoot
from mastery_nb.store import open_store, utcnow
from mastery_nb.store.practice import course_learners
from mastery_nb.store.queries import class_history

__all__ = ["COLUMNS", "class_gradebook", "gradebook_rows", "render", "wide"]

COLUMNS = (
    "learner",
    "unit",
    "objective",
    "mastered",
    "score",
    "threshold",
    "attempts",
    "mastered_at",
    "awaiting_review",
    "excused",
)


def gradebook_rows(
    course: Course, standings: Mapping[str, Mapping[str, UnitStanding]]
) -> list[GradebookRow]:
    """Rows for every learner (sorted) x every objective (in course order)."""
    rows = []
    for learner in sorted(standings):
        units = standings[learner]
        for unit in course.units:
            found = units.get(unit.id)
            if found is None:
                continue
            for objective in found.objectives:
                rows.append(
                    GradebookRow.model_construct(
                        learner=learner,
                        unit=unit.id,
                        objective=objective.id,
                        mastered=objective.mastered,
                        score=round(objective.score, 6),
                        threshold=objective.threshold,
                        attempts=found.attempts_used,
                        mastered_at=format_time(objective.mastered_at)
                        if objective.mastered_at
                        else None,
                        awaiting_review=objective.awaiting_review,
                        excused=objective.excused,
                    )
                )
    return rows


def class_gradebook(
    root: CourseRoot,
    course_id: str,
    *,
    learners: Iterable[str] | None = None,
    now: datetime | None = None,
) -> Gradebook:
    """Every learner the course has seen (or those named), from the store."""
    now = now or utcnow()
    course = ReleasedCourse.of(root, course_id).course(bundle_only=False)
    store = open_store(root)
    names = sorted(set(learners) if learners is not None else course_learners(store, course_id))
    with store.read() as session:
        histories = class_history(session, course_id, names if learners is not None else None)
    standings = {}
    for name in names:
        records, overrides = histories.get(name, ([], []))
        standings[name] = standing(course, records, now, overrides)
    return Gradebook.model_construct(
        kind="gradebook",
        course=course_id,
        generated_at=format_time(now),
        rows=gradebook_rows(course, standings),
    )


def wide(gradebook: Gradebook) -> GradebookWide:
    """One row per learner, a column per objective (in the order the rows name them)."""
    objectives: list[str] = []
    by_learner: dict[str, dict[str, str | int]] = {}
    for row in gradebook.rows:
        column = f"{row.unit}/{row.objective}"
        if column not in objectives:
            objectives.append(column)
        value: str | int = "EX" if row.excused and not row.mastered else int(row.mastered)
        by_learner.setdefault(row.learner, {})[column] = value
    rows: list[list[str | int]] = []
    for learner, values in sorted(by_learner.items()):
        mastered = sum(1 for v in values.values() if v == 1)
        rows.append([learner, mastered, len(objectives), *(values.get(c, 0) for c in objectives)])
    return GradebookWide(
        course=gradebook.course,
        generated_at=gradebook.generated_at,
        columns=["learner", "objectives_mastered", "objectives", *objectives],
        rows=rows,
    )


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def render(
    gradebook: Gradebook, *, format: Literal["csv", "json"] = "csv", wide_form: bool = False
) -> str:
    """The gradebook as CSV (a header row, then rows) or as its JSON document."""
    if format == "json":
        document = wide(gradebook) if wide_form else gradebook
        return document.model_dump_json(indent=1) + "\n"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if wide_form:
        table = wide(gradebook)
        writer.writerow(table.columns)
        writer.writerows([[_cell(v) for v in row] for row in table.rows])
    else:
        writer.writerow(COLUMNS)
        for row in gradebook.rows:
            writer.writerow([_cell(getattr(row, c)) for c in COLUMNS])
    return out.getvalue()

"""Reads shared by submit, progress, feedback and the server: one query per question, no N+1.

A learner's whole history in a course is one indexed query (attempts joined with their
objective results, ``uq_attempt_number`` covers ``course_id, student_id``), so a progress
request costs the same whatever the number of learners.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from mastery_nb.course.bundle import UnitBundle
from mastery_nb.course.model import Course
from mastery_nb.course.reader import ReleasedCourse
from mastery_nb.root import CourseRoot
from mastery_nb.store.models import (
    AttemptRow,
    ManualGradeRow,
    ObjectiveResultRow,
    OverrideRow,
    PracticeEventRow,
)

if TYPE_CHECKING:
    from mastery_nb.progress.standing import AttemptRecord, Override

__all__ = [
    "class_history",
    "latest_manual_grades",
    "learner_history",
    "learner_known",
    "learner_overrides",
    "learner_records",
    "load_released_course",
    "load_released_unit",
]


def load_released_course(
    root: CourseRoot, course_id: str, *, bundle_only: bool = False, public_only: bool = False
) -> Course:
    """The released course; delegates to :class:`~mastery_nb.course.reader.ReleasedCourse`
    (the one reader and its cache), kept for callers written before it."""
    return ReleasedCourse.of(root, course_id).course(
        bundle_only=bundle_only, public_only=public_only
    )


def load_released_unit(root: CourseRoot, course_id: str, unit_id: str) -> UnitBundle:
    """One unit's grading bundle; delegates to :class:`~mastery_nb.course.reader.ReleasedCourse`."""
    return ReleasedCourse.of(root, course_id).unit_bundle(unit_id)


def learner_records(session: Session, course_id: str, student: str) -> list[AttemptRecord]:
    """Every attempt of one learner in one course with its objective results.

    Two indexed Core queries (no ORM object loading, no per-attempt query): this runs on
    every sidebar refresh, so it is kept to a few milliseconds for 40 units x 20 attempts.
    """
    return _records(
        session, (AttemptRow.course_id == course_id, AttemptRow.student_id == student)
    ).get(student, [])


def learner_overrides(session: Session, course_id: str, student: str) -> list[Override]:
    """The overrides in force for one learner in one course (revoked ones left out)."""
    return _overrides(
        session, (OverrideRow.course_id == course_id, OverrideRow.student_id == student)
    ).get(student, [])


def learner_history(
    session: Session, course_id: str, student: str
) -> tuple[list[AttemptRecord], list[Override]]:
    """What the standing rule needs about one learner: attempts and overrides in force."""
    return (
        learner_records(session, course_id, student),
        learner_overrides(session, course_id, student),
    )


def class_history(
    session: Session, course_id: str, students: Iterable[str] | None = None
) -> dict[str, tuple[list[AttemptRecord], list[Override]]]:
    """:func:`learner_history` for every learner of a course (or the ones named), in three
    queries whatever their number: the gradebook and the class dashboard."""
    attempt_filter: list[ColumnElement[bool]] = [AttemptRow.course_id == course_id]
    override_filter: list[ColumnElement[bool]] = [OverrideRow.course_id == course_id]
    if students is not None:
        names = sorted(set(students))
        attempt_filter.append(AttemptRow.student_id.in_(names))
        override_filter.append(OverrideRow.student_id.in_(names))
    records = _records(session, tuple(attempt_filter))
    overrides = _overrides(session, tuple(override_filter))
    return {
        student: (records.get(student, []), overrides.get(student, []))
        for student in sorted(set(records) | set(overrides))
    }


def _records(
    session: Session, where: tuple[ColumnElement[bool], ...]
) -> dict[str, list[AttemptRecord]]:
    from mastery_nb.progress.standing import AttemptRecord  # progress imports the store

    connection = session.connection()
    attempts = connection.execute(
        select(
            AttemptRow.id,
            AttemptRow.student_id,
            AttemptRow.unit_id,
            AttemptRow.number,
            AttemptRow.submitted_at,
            AttemptRow.status,
            AttemptRow.error,
            AttemptRow.grader_errors,
            AttemptRow.form,
        ).where(*where)
    ).all()
    scores: dict[int, dict[str, tuple[float, float]]] = {}
    pending: dict[int, dict[str, float]] = {}
    if any(row.status == "graded" for row in attempts):
        results = connection.execute(
            select(
                ObjectiveResultRow.attempt_id,
                ObjectiveResultRow.objective,
                ObjectiveResultRow.points,
                ObjectiveResultRow.max_points,
                ObjectiveResultRow.pending_points,
            )
            .join(AttemptRow, AttemptRow.id == ObjectiveResultRow.attempt_id)
            .where(*where)
        ).all()
        for attempt_id, objective, points, max_points, waiting in results:
            scores.setdefault(attempt_id, {})[objective] = (points, max_points)
            if waiting:
                pending.setdefault(attempt_id, {})[objective] = waiting
    found: dict[str, list[AttemptRecord]] = {}
    for row in attempts:
        attempt_id, student, unit_id, number, submitted_at, status, error, faults, form = row
        found.setdefault(student, []).append(
            AttemptRecord(
                unit=unit_id,
                number=number,
                submitted_at=submitted_at,
                status=status,
                objectives=scores.get(attempt_id, {}),
                pending=pending.get(attempt_id, {}),
                error=error,
                grader_errors=faults or 0,
                form=form or 1,
            )
        )
    return found


def _overrides(
    session: Session, where: tuple[ColumnElement[bool], ...]
) -> dict[str, list[Override]]:
    from mastery_nb.progress.standing import Override

    rows = (
        session.connection()
        .execute(
            select(
                OverrideRow.student_id,
                OverrideRow.kind,
                OverrideRow.unit_id,
                OverrideRow.created_at,
                OverrideRow.objective,
                OverrideRow.amount,
            )
            .where(*where, OverrideRow.revoked_at.is_(None))
            .order_by(OverrideRow.id)
        )
        .all()
    )
    found: dict[str, list[Override]] = {}
    for student, kind, unit, at, objective, amount in rows:
        kind_: Any = kind
        found.setdefault(student, []).append(
            Override(kind=kind_, unit=unit, at=at, objective=objective, amount=amount or 0)
        )
    return found


def latest_manual_grades(
    session: Session, attempt_ids: Iterable[int]
) -> dict[tuple[int, str, str], ManualGradeRow]:
    """The grade that counts (the latest) of every cell graded by hand in these attempts,
    by ``(attempt id, notebook, grade id)``."""
    ids = sorted(set(attempt_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(ManualGradeRow).where(ManualGradeRow.attempt_id.in_(ids)).order_by(ManualGradeRow.id)
    ).scalars()
    return {(r.attempt_id, r.notebook, r.grade_id): r for r in rows}


def learner_known(session: Session, course_id: str, student: str) -> bool:
    """Has the course ever seen this learner: an attempt, a practice event or an override?"""
    for table, course, learner in (
        (AttemptRow, AttemptRow.course_id, AttemptRow.student_id),
        (PracticeEventRow, PracticeEventRow.course_id, PracticeEventRow.student_id),
        (OverrideRow, OverrideRow.course_id, OverrideRow.student_id),
    ):
        found = session.execute(
            select(table.id).where(course == course_id, learner == student).limit(1)
        ).first()
        if found is not None:
            return True
    return False

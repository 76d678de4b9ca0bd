"""One learner's record for the course's staff: read fresh from the store (a few queries).

Every attempt with the result of every check (hidden test lines withheld, as feedback
does), practice per objective, the standing of every unit, and the trail: overrides given
and revoked, grades given by hand.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from mastery_nb.backend.local import unit_document
from mastery_nb.course.bundle import UnitBundle
from mastery_nb.course.model import Course
from mastery_nb.documents import AttemptDetail, CheckResult, LearnerRecord, ManualGradeEntry
from mastery_nb.feedback.report import hidden_lines, redact
from mastery_nb.mastery import decide
from mastery_nb.progress.standing import format_time, standing
from mastery_nb.review.manual import grade_entry
from mastery_nb.review.overrides import override_entries
from mastery_nb.store.engine import Store
from mastery_nb.store.models import AttemptRow, CellResultRow, ManualGradeRow, ObjectiveResultRow
from mastery_nb.store.practice import practice_summary
from mastery_nb.store.queries import learner_history

__all__ = ["learner_record"]


def learner_record(
    store: Store,
    course: Course,
    bundles: dict[str, UnitBundle],
    learner: str,
    groups: list[str],
    now: datetime,
) -> LearnerRecord:
    learner_rows = (AttemptRow.course_id == course.id, AttemptRow.student_id == learner)
    with store.read() as session:
        records, overrides = learner_history(session, course.id, learner)
        attempts = list(
            session.execute(
                select(AttemptRow)
                .where(*learner_rows)
                .order_by(AttemptRow.unit_id, AttemptRow.number)
            ).scalars()
        )
        cells: dict[int, list[CellResultRow]] = {}
        for cell in session.execute(
            select(CellResultRow)
            .join(AttemptRow, AttemptRow.id == CellResultRow.attempt_id)
            .where(*learner_rows)
            .order_by(CellResultRow.attempt_id, CellResultRow.position)
        ).scalars():
            cells.setdefault(cell.attempt_id, []).append(cell)
        awaiting: set[int] = set()
        for objective in session.execute(
            select(ObjectiveResultRow)
            .join(AttemptRow, AttemptRow.id == ObjectiveResultRow.attempt_id)
            .where(*learner_rows, ObjectiveResultRow.pending_points > 0)
        ).scalars():
            verdict = decide(
                objective.points,
                objective.max_points,
                objective.threshold,
                objective.pending_points,
            )
            if verdict.awaiting_review:
                awaiting.add(objective.attempt_id)
        numbers = {a.id: (a.unit_id, a.number) for a in attempts}
        grades: list[ManualGradeEntry] = [
            grade_entry(g, *numbers[g.attempt_id])
            for g in session.execute(
                select(ManualGradeRow)
                .join(AttemptRow, AttemptRow.id == ManualGradeRow.attempt_id)
                .where(*learner_rows)
                .order_by(ManualGradeRow.id)
            ).scalars()
        ]
        trail = override_entries(session, course.id, learner)
    hidden = {unit: hidden_lines(bundle) for unit, bundle in bundles.items()}
    labels = {
        (unit, nb.path, c.grade_id): c.label or c.grade_id
        for unit, bundle in bundles.items()
        for nb in bundle.notebooks
        for c in nb.cells
    }
    order = {u.id: i for i, u in enumerate(course.units)}
    details = [
        AttemptDetail(
            unit=a.unit_id,
            number=a.number,
            status=a.status,
            submitted_at=format_time(a.submitted_at),
            graded_at=format_time(a.graded_at) if a.graded_at else None,
            points=a.points,
            max_points=a.max_points,
            mastered=a.mastered,
            awaiting_review=a.id in awaiting,
            error=a.error,
            checks=[
                CheckResult(
                    notebook=c.notebook,
                    grade_id=c.grade_id,
                    label=labels.get((a.unit_id, c.notebook, c.grade_id), c.grade_id),
                    status=c.status,
                    points=c.points,
                    max_points=c.max_points,
                    message=redact(c.message, hidden.get(a.unit_id, set())),
                    part=c.part if c.part in ("visible", "hidden") else "",
                )
                for c in cells.get(a.id, [])
            ],
        )
        for a in sorted(attempts, key=lambda a: (order.get(a.unit_id, 999), a.number))
    ]
    units = standing(course, records, now, overrides)
    return LearnerRecord(
        course=course.id,
        course_title=course.title,
        learner=learner,
        groups=groups,
        generated_at=format_time(now),
        units=[unit_document(course, u, units[u.id]) for u in course.units],
        attempts=details,
        practice=practice_summary(store, course.id, learner),
        overrides=trail,
        manual_grades=grades,
    )

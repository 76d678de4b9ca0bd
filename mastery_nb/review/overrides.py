"""Overrides: an instructor's exceptions to the rules for one learner, with an audit trail.

Each override is a row in ``overrides`` with who gave it, when and why; revoking one fills
its ``revoked_*`` columns (nothing is deleted). What each kind does is decided in one
place, the standing rule (:mod:`mastery_nb.progress.standing`), which reads the overrides in
force with the attempts (:func:`mastery_nb.store.queries.learner_history`), so submit's
policy, progress, feedback, the gradebook and the dashboard all apply them the same way.

Who may give or revoke one: the course's instructors (``teach`` access in the service);
graders grade answers by hand but do not override the rules.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from mastery_nb.course.model import Course
from mastery_nb.documents import OverrideEntry, OverrideRequest
from mastery_nb.progress.standing import OVERRIDE_KINDS, format_time
from mastery_nb.review.manual import Refused
from mastery_nb.store.engine import Store
from mastery_nb.store.models import OverrideRow, utcnow
from mastery_nb.store.queries import learner_known

__all__ = ["add_override", "override_entries", "override_entry", "revoke_override"]


def override_entry(row: OverrideRow) -> OverrideEntry:
    return OverrideEntry(
        id=row.id,
        action=row.kind,
        unit=row.unit_id,
        objective=row.objective,
        amount=row.amount,
        reason=row.reason,
        author=row.author,
        created_at=format_time(row.created_at),
        active=row.revoked_at is None,
        revoked_at=format_time(row.revoked_at) if row.revoked_at else None,
        revoked_by=row.revoked_by,
        revoke_reason=row.revoke_reason,
    )


def _check(course: Course, request: OverrideRequest) -> None:
    unit = course.unit(request.unit)
    if unit is None:
        known = ", ".join(u.id for u in course.units)
        raise Refused(
            404,
            "unknown_unit",
            f"course {course.id!r} has no unit {request.unit!r} (units: {known})",
        )
    names_objective = OVERRIDE_KINDS[request.action]
    if names_objective:
        if not request.objective or unit.objective(request.objective) is None:
            known = ", ".join(o.id for o in unit.objectives)
            raise Refused(
                400,
                "invalid",
                f"{request.action.replace('_', ' ')} names one objective of unit {unit.id!r} "
                f"(one of: {known})",
            )
    elif request.objective:
        raise Refused(
            400,
            "invalid",
            f"{request.action.replace('_', ' ')} applies to a unit, not an objective",
        )
    if request.action == "extra_attempts" and not request.amount:
        raise Refused(400, "invalid", "say how many extra attempts to grant (1 to 100)")
    if request.action != "extra_attempts" and request.amount is not None:
        raise Refused(400, "invalid", "only extra attempts take an amount")
    if not request.reason.strip():
        raise Refused(400, "invalid", "give a reason: the audit trail keeps it")


def add_override(
    store: Store,
    course: Course,
    student: str,
    request: OverrideRequest,
    author: str,
    *,
    now: datetime | None = None,
) -> OverrideEntry:
    """Record an override for a learner the course knows (see the module docstring)."""
    _check(course, request)
    with store.write() as session:
        if not learner_known(session, course.id, student):
            raise Refused(
                404,
                "unknown_learner",
                f"course {course.id!r} has never seen a learner {student!r}: check the name",
            )
        row = OverrideRow(
            course_id=course.id,
            student_id=student,
            unit_id=request.unit,
            objective=request.objective or None,
            kind=request.action,
            amount=request.amount,
            reason=request.reason.strip(),
            author=author,
            created_at=now or utcnow(),
        )
        session.add(row)
        session.flush()
        return override_entry(row)


def revoke_override(
    store: Store,
    course_id: str,
    student: str,
    override_id: int,
    reason: str,
    author: str,
    *,
    now: datetime | None = None,
) -> OverrideEntry:
    """Revoke one of a learner's overrides (kept in the trail, marked revoked)."""
    if not reason.strip():
        raise Refused(400, "invalid", "give a reason: the audit trail keeps it")
    with store.write() as session:
        row = session.execute(
            select(OverrideRow)
            .where(
                OverrideRow.id == override_id,
                OverrideRow.course_id == course_id,
                OverrideRow.student_id == student,
            )
            .with_for_update()
        ).scalar_one_or_none()
        if row is None:
            raise Refused(404, "unknown_override", f"{student!r} has no override {override_id}")
        if row.revoked_at is not None:
            raise Refused(409, "revoked", f"override {override_id} was already revoked")
        row.revoked_at = now or utcnow()
        row.revoked_by = author
        row.revoke_reason = reason.strip()
        session.flush()
        return override_entry(row)


def override_entries(session: Session, course_id: str, student: str) -> list[OverrideEntry]:
    """Every override of a learner, oldest first, revoked ones included (the trail)."""
    rows = session.execute(
        select(OverrideRow)
        .where(OverrideRow.course_id == course_id, OverrideRow.student_id == student)
        .order_by(OverrideRow.id)
    ).scalars()
    return [override_entry(row) for row in rows]

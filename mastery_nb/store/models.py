"""The tables: learners, units, attempts and what grading decided about each attempt.

An attempt row is never rewritten once graded: resubmitting adds a row with the next
number, so the whole history stays. The columns ``status``, ``claim_token`` and
``lease_until`` are the grading queue's state; ``claims`` counts how often a grader took
the attempt, so an attempt that keeps killing graders ends as ``grader-error`` instead of
looping forever; ``grader_errors`` counts the gradings that failed in the grader or its
environment (retried a bounded number of times). Timestamps are stored as timezone-aware UTC.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

__all__ = [
    "ATTEMPT_STATUSES",
    "GRADER_ERROR",
    "AttemptRow",
    "Base",
    "CellResultRow",
    "LearnerRow",
    "LearnerUnitRow",
    "ManualGradeRow",
    "ObjectiveResultRow",
    "OverrideRow",
    "PracticeEventRow",
    "UTCDateTime",
    "UnitRow",
    "utcnow",
]

#: queued: waiting for a grader (again, after a grader fault, while ``grader_errors`` is
#: below the bound); grading: claimed under a lease; graded: results stored; grader-error:
#: grading failed in the grader or its environment, for good (not the learner's fault: it
#: uses no attempt and starts no cooldown; ``error`` says why)
ATTEMPT_STATUSES = ("queued", "grading", "graded", "grader-error")
GRADER_ERROR = "grader-error"


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator[datetime]):
    """A datetime that is always timezone-aware UTC in Python, whatever the database keeps.

    SQLite has no time zones; without this, values would come back naive and comparing
    them with ``now`` would fail or, worse, silently shift.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use timezone-aware UTC")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    pass


class LearnerRow(Base):
    __tablename__ = "learners"

    student_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class UnitRow(Base):
    """A unit as last submitted to (title kept for reports; the bundle is the truth)."""

    __tablename__ = "units"

    course_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    unit_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    title: Mapped[str] = mapped_column(Text, default="")


class LearnerUnitRow(Base):
    """One learner on one unit: the row submitters lock so attempt numbers never collide."""

    __tablename__ = "learner_units"

    course_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    student_id: Mapped[str] = mapped_column(
        String(255), ForeignKey("learners.student_id"), primary_key=True
    )
    unit_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)  #: highest attempt number used
    last_submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class AttemptRow(Base):
    __tablename__ = "attempts"
    __table_args__ = (
        UniqueConstraint("course_id", "student_id", "unit_id", "number", name="uq_attempt_number"),
        Index("ix_attempts_queue", "status", "lease_until"),
        # what changed in a course since a moment (the class dashboard's refresh)
        Index("ix_attempts_course_graded", "course_id", "graded_at"),
        Index("ix_attempts_course_submitted", "course_id", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    course_id: Mapped[str] = mapped_column(String(255))
    student_id: Mapped[str] = mapped_column(String(255), ForeignKey("learners.student_id"))
    unit_id: Mapped[str] = mapped_column(String(255))
    number: Mapped[int] = mapped_column(Integer)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: {notebook path relative to the course folder: sha256 hex of the stored bytes}
    notebooks: Mapped[dict[str, str]] = mapped_column(JSON)
    #: folder of the stored files, relative to the data directory
    storage: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    claim_token: Mapped[str | None] = mapped_column(String(64), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    claims: Mapped[int] = mapped_column(Integer, default=0)
    graded_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    duration_seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    points: Mapped[float | None] = mapped_column(Float, nullable=True)
    max_points: Mapped[float | None] = mapped_column(Float, nullable=True)
    mastered: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    messages: Mapped[list[str]] = mapped_column(JSON, default=list)
    tampering: Mapped[list[str]] = mapped_column(JSON, default=list)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)  #: why grading failed
    #: gradings of this attempt that failed in the grader or its environment
    grader_errors: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: the learner's own cells that raised while the notebook ran, each a dict of
    #: :class:`mastery_nb.grade.result.LearnerError` (feedback shows them beside the checks)
    learner_errors: Mapped[list[dict[str, Any]] | None] = mapped_column(
        JSON, nullable=True, default=list
    )
    #: the learner's form of the unit this attempt was made on (grading regenerates it from
    #: this number); None for attempts stored before forms existed, which were form 1
    form: Mapped[int | None] = mapped_column(Integer, nullable=True)


class CellResultRow(Base):
    __tablename__ = "cell_results"

    attempt_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("attempts.id", ondelete="CASCADE"), primary_key=True
    )
    notebook: Mapped[str] = mapped_column(String(512), primary_key=True)
    grade_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)  #: order in the bundle, for display
    points: Mapped[float] = mapped_column(Float)
    max_points: Mapped[float] = mapped_column(Float)
    objectives: Mapped[list[str]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(Text, default="")
    #: where a failed test cell raised: "visible", "hidden" (a hidden test) or "" (unknown)
    part: Mapped[str] = mapped_column(String(16), default="")


class ObjectiveResultRow(Base):
    __tablename__ = "objective_results"

    attempt_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("attempts.id", ondelete="CASCADE"), primary_key=True
    )
    objective: Mapped[str] = mapped_column(String(255), primary_key=True)
    points: Mapped[float] = mapped_column(Float)
    max_points: Mapped[float] = mapped_column(Float)
    threshold: Mapped[float] = mapped_column(Float)  #: the threshold when it was graded
    mastered: Mapped[bool] = mapped_column(Boolean)
    #: points of answers graded by hand not graded yet (part of ``max_points``, see
    #: :func:`mastery_nb.mastery.decide`); 0 once every one is graded
    pending_points: Mapped[float] = mapped_column(Float, default=0.0)


class PracticeEventRow(Base):
    """One practice event (a check, hint, solution view or quiz answer) a learner's kernel
    logged. Learner-claimed data: kept for instructors, never counted toward mastery.

    ``digest`` (sha256 of the event's canonical JSON) makes ingest idempotent: the same
    event sent twice is stored once (``uq_practice_event``).
    """

    __tablename__ = "practice_events"
    __table_args__ = (
        UniqueConstraint("course_id", "student_id", "digest", name="uq_practice_event"),
        Index("ix_practice_learner", "course_id", "student_id", "received_at"),
        Index("ix_practice_unit", "course_id", "unit_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    course_id: Mapped[str] = mapped_column(String(255))
    student_id: Mapped[str] = mapped_column(String(255))
    unit_id: Mapped[str] = mapped_column(String(255))
    question: Mapped[str] = mapped_column(String(255))
    objective: Mapped[str | None] = mapped_column(String(255), nullable=True)
    event: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str | None] = mapped_column(String(16), nullable=True)
    #: when the learner's kernel says it happened, as it said it (ISO-8601 text)
    occurred_at: Mapped[str] = mapped_column(String(64))
    #: when the backend took it in (ours, trusted)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    digest: Mapped[str] = mapped_column(String(64))


class ManualGradeRow(Base):
    """A grade an instructor or grader gave by hand to one answer or task of one attempt.

    Append-only: grading a cell again adds a row, and the latest row is the grade that
    counts, so every grade ever given stays (the audit trail: who, when, points, comment).
    The cell's row in ``cell_results`` and the attempt's totals are brought up to date in
    the same transaction (:mod:`mastery_nb.review.manual`).
    """

    __tablename__ = "manual_grades"
    __table_args__ = (Index("ix_manual_grades_cell", "attempt_id", "notebook", "grade_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    attempt_id: Mapped[int] = mapped_column(Integer, ForeignKey("attempts.id", ondelete="CASCADE"))
    notebook: Mapped[str] = mapped_column(String(512))
    grade_id: Mapped[str] = mapped_column(String(255))
    points: Mapped[float] = mapped_column(Float)
    max_points: Mapped[float] = mapped_column(Float)
    comment: Mapped[str] = mapped_column(Text, default="")
    #: ``[{"criterion": str, "points": float, "max_points": float}]`` (may be empty)
    rubric: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    grader: Mapped[str] = mapped_column(String(255))
    graded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class OverrideRow(Base):
    """An instructor's exception to the rules for one learner, with who, when and why.

    ``kind``: ``extra_attempts`` (``amount`` more attempts on the unit), ``lift_cooldown``,
    ``excuse`` (an objective no longer blocks its unit), ``mark_mastered`` (an objective),
    ``reopen`` (the unit's attempts count afresh from now). Applied by the standing rule
    (:mod:`mastery_nb.progress.standing`). Never deleted: revoking one fills the
    ``revoked_*`` columns, so the trail keeps both.
    """

    __tablename__ = "overrides"
    __table_args__ = (Index("ix_overrides_learner", "course_id", "student_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    course_id: Mapped[str] = mapped_column(String(255))
    student_id: Mapped[str] = mapped_column(String(255))
    unit_id: Mapped[str] = mapped_column(String(255))
    objective: Mapped[str | None] = mapped_column(String(255), nullable=True)
    kind: Mapped[str] = mapped_column(String(32))
    amount: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reason: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    revoked_by: Mapped[str | None] = mapped_column(String(255), nullable=True)
    revoke_reason: Mapped[str | None] = mapped_column(Text, nullable=True)

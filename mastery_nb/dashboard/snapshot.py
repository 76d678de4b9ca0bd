"""The class in memory: every learner's facts, kept up to date by reading only what changed.

The class dashboard answers from a :class:`ClassSnapshot` per course. The first request
(or the service's warm-up) reads the whole course (:func:`~mastery_nb.dashboard.facts.load_facts`);
after that, each refresh asks the store which learners changed since the last one and
reads only those:

- attempts submitted, or graded, since then (indexed by course and time), or with an id
  past the highest seen (so a row committed late with an older timestamp is not missed:
  ``MARGIN`` of overlap covers a slow commit);
- attempts queued or being graded now, and the learners who had such attempts at the
  last refresh (their attempts may since have been graded, or failed by the grader);
- grades given by hand, overrides given or revoked, and practice events, past the highest
  id (or revocation time) seen.

A refresh runs at most once per ``min_interval`` seconds; requests in between share it.
A re-released course (a new course object from the one reader) is read again in full.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from mastery_nb.course.model import Course
from mastery_nb.dashboard.facts import LearnerFacts, load_facts
from mastery_nb.store.engine import Store
from mastery_nb.store.models import (
    AttemptRow,
    ManualGradeRow,
    OverrideRow,
    PracticeEventRow,
    utcnow,
)

__all__ = ["MARGIN", "ClassSnapshot"]

#: how far back each refresh looks again, for rows committed after their timestamp
#: (a submission's files are fsynced between its timestamp and its commit)
MARGIN = timedelta(seconds=60)


class ClassSnapshot:
    """Every learner of one course, refreshed incrementally (see the module docstring).

    ``course`` is called on each refresh (the one reader's cached course); a different
    object than last time means the course was released again.
    """

    def __init__(
        self, store: Store, course: Callable[[], Course], *, min_interval: float = 1.0
    ) -> None:
        self.store = store
        self._course = course
        self.min_interval = min_interval
        self.learners: dict[str, LearnerFacts] = {}
        self.course: Course | None = None
        self.refreshed_at: datetime | None = None
        self.full_reads = 0
        self.partial_reads = 0
        self._lock = threading.Lock()
        self._checked = 0.0
        self._marks: dict[str, int] = {}
        self._pending: set[str] = set()

    def refresh(self, *, force: bool = False) -> ClassSnapshot:
        """Bring the snapshot up to date (at most once per ``min_interval``)."""
        with self._lock:
            course = self._course()
            if course is not self.course or not self.refreshed_at:
                self._read_all(course)
            elif force or time.monotonic() - self._checked >= self.min_interval:
                self._read_changes(course)
            return self

    # ------------------------------------------------------------------ reading
    def _marks_now(self, session: Session) -> dict[str, int]:
        course_id = self._course().id

        def highest(column: InstrumentedAttribute[int], *where: ColumnElement[bool]) -> int:
            return int(session.execute(select(func.max(column)).where(*where)).scalar() or 0)

        return {
            "attempt": highest(AttemptRow.id, AttemptRow.course_id == course_id),
            "manual": highest(ManualGradeRow.id),
            "override": highest(OverrideRow.id, OverrideRow.course_id == course_id),
            "practice": highest(PracticeEventRow.id, PracticeEventRow.course_id == course_id),
        }

    def _pending_now(self, session: Session, course_id: str) -> set[str]:
        return set(
            session.execute(
                select(AttemptRow.student_id)
                .where(
                    AttemptRow.status.in_(("queued", "grading")),
                    AttemptRow.course_id == course_id,
                )
                .distinct()
            ).scalars()
        )

    def _read_all(self, course: Course) -> None:
        now = utcnow()
        with self.store.read() as session:
            marks = self._marks_now(session)
            pending = self._pending_now(session, course.id)
            self.learners = load_facts(session, course, now)
        self.course = course
        self._marks, self._pending = marks, pending
        self.refreshed_at = now
        self._checked = time.monotonic()
        self.full_reads += 1

    def _changed(self, session: Session, course_id: str, since: datetime) -> set[str]:
        marks = self._marks
        attempts = AttemptRow.course_id == course_id
        queries = [
            select(AttemptRow.student_id).where(attempts, AttemptRow.id > marks["attempt"]),
            select(AttemptRow.student_id).where(attempts, AttemptRow.submitted_at > since),
            select(AttemptRow.student_id).where(attempts, AttemptRow.graded_at > since),
            select(AttemptRow.student_id)
            .join(ManualGradeRow, ManualGradeRow.attempt_id == AttemptRow.id)
            .where(attempts, ManualGradeRow.id > marks["manual"]),
            select(OverrideRow.student_id).where(
                OverrideRow.course_id == course_id, OverrideRow.id > marks["override"]
            ),
            select(OverrideRow.student_id).where(
                OverrideRow.course_id == course_id, OverrideRow.revoked_at > since
            ),
            select(PracticeEventRow.student_id).where(
                PracticeEventRow.course_id == course_id, PracticeEventRow.id > marks["practice"]
            ),
        ]
        changed: set[str] = set()
        for query in queries:
            changed.update(session.execute(query.distinct()).scalars())
        return changed

    def _read_changes(self, course: Course) -> None:
        assert self.refreshed_at is not None
        now = utcnow()
        with self.store.read() as session:
            marks = self._marks_now(session)
            pending = self._pending_now(session, course.id)
            changed = self._changed(session, course.id, self.refreshed_at - MARGIN)
            changed |= pending | self._pending
            fresh = load_facts(session, course, now, changed) if changed else {}
        for learner in changed:
            if learner in fresh:
                self.learners[learner] = fresh[learner]
            else:
                self.learners.pop(learner, None)
        self._marks, self._pending = marks, pending
        self.refreshed_at = now
        self._checked = time.monotonic()
        self.partial_reads += 1

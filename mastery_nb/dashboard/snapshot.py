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

Each learner is kept as their standing and their :class:`~mastery_nb.dashboard.summary.LearnerSummary`
(their part of the class pages); the class's :class:`~mastery_nb.dashboard.summary.Totals`
take a changed learner's old part out and the new one in.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from mastery_nb.course.model import Course
from mastery_nb.dashboard.facts import LearnerFacts, load_facts
from mastery_nb.dashboard.summary import LearnerSummary, Totals, summarise
from mastery_nb.store.engine import Store
from mastery_nb.store.models import (
    AttemptRow,
    ManualGradeRow,
    OverrideRow,
    PracticeEventRow,
    utcnow,
)

__all__ = ["MARGIN", "ClassSnapshot"]

#: learners read at once when the whole class is read
BATCH = 500
#: a class this large is frozen out of the garbage collector's full passes after a full read
FREEZE_AT = 2000
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
        self.summaries: dict[str, LearnerSummary] = {}
        self.totals = Totals()
        #: bumped whenever a learner changes (pages cache what they compute by it)
        self.version = 0
        self._cache: dict[str, tuple[int, Any]] = {}
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
        """The highest id of each table the snapshot follows (whole tables: a primary key's
        maximum is one index lookup)."""

        def highest(column: InstrumentedAttribute[int]) -> int:
            return int(session.execute(select(func.max(column))).scalar() or 0)

        return {
            "attempt": highest(AttemptRow.id),
            "manual": highest(ManualGradeRow.id),
            "override": highest(OverrideRow.id),
            "practice": highest(PracticeEventRow.id),
        }

    def _pending_now(self, session: Session, course_id: str) -> set[str]:
        rows = session.execute(
            select(AttemptRow.student_id, AttemptRow.course_id).where(
                AttemptRow.status.in_(("queued", "grading"))
            )
        ).all()
        return {student for student, course in rows if course == course_id}

    def _read_all(self, course: Course) -> None:
        """Read the whole class, a batch of learners at a time (the per-cell facts of one
        batch are summed and dropped before the next is read, so memory stays small)."""
        from mastery_nb.store.practice import course_learners

        now = utcnow()
        with self.store.read() as session:
            marks = self._marks_now(session)
            pending = self._pending_now(session, course.id)
            overridden = set(
                session.execute(
                    select(OverrideRow.student_id).where(OverrideRow.course_id == course.id)
                ).scalars()
            )
        names = sorted(set(course_learners(self.store, course.id)) | overridden)
        self.learners, self.summaries, self.totals = {}, {}, Totals()
        for start in range(0, len(names), BATCH):
            with self.store.read() as session:
                batch = load_facts(session, course, now, names[start : start + BATCH])
            for facts in batch.values():
                self._keep(facts, course)
        self.course = course
        self.version += 1
        self._marks, self._pending = marks, pending
        self.refreshed_at = now
        self._checked = time.monotonic()
        self.full_reads += 1
        if len(names) >= FREEZE_AT:
            # a large class is millions of long-lived objects: keep them out of the cyclic
            # collector's full passes, which would otherwise pause requests for seconds
            # (process-wide, so only when it pays; refcounting still frees them once dropped)
            gc.collect()
            gc.freeze()

    def cached(self, name: str, compute: Callable[[], Any]) -> Any:
        """``compute()``, kept until the class changes (the snapshot's version)."""
        found = self._cache.get(name)
        if found is None or found[0] != self.version:
            found = self._cache[name] = (self.version, compute())
        return found[1]

    def ordered(self) -> list[str]:
        """Every learner's name, sorted (kept until the class changes)."""
        names: list[str] = self.cached("ordered", lambda: sorted(self.summaries))
        return names

    def _keep(self, facts: LearnerFacts, course: Course) -> None:
        """Keep a learner's standing and summary (their per-cell facts are summed, then
        dropped: the learner's page reads them fresh)."""
        summary = summarise(facts, course)
        facts.units, facts.practice = {}, {}
        self.learners[facts.learner] = facts
        self.summaries[facts.learner] = summary
        self.totals.add(summary)

    def _changed(self, session: Session, course_id: str, since: datetime) -> set[str]:
        """Learners with anything new since the last refresh (each query an index range;
        rows of other courses are dropped here)."""
        marks = self._marks
        course = AttemptRow.course_id == course_id
        queries: list[Select[str, str]] = [
            select(AttemptRow.student_id, AttemptRow.course_id).where(
                AttemptRow.id > marks["attempt"]
            ),
            select(AttemptRow.student_id, AttemptRow.course_id).where(
                course, AttemptRow.submitted_at > since
            ),
            select(AttemptRow.student_id, AttemptRow.course_id).where(
                course, AttemptRow.graded_at > since
            ),
            select(AttemptRow.student_id, AttemptRow.course_id)
            .join(ManualGradeRow, ManualGradeRow.attempt_id == AttemptRow.id)
            .where(ManualGradeRow.id > marks["manual"]),
            select(OverrideRow.student_id, OverrideRow.course_id).where(
                OverrideRow.id > marks["override"]
            ),
            select(OverrideRow.student_id, OverrideRow.course_id).where(
                OverrideRow.course_id == course_id, OverrideRow.revoked_at > since
            ),
            select(PracticeEventRow.student_id, PracticeEventRow.course_id).where(
                PracticeEventRow.id > marks["practice"]
            ),
        ]
        changed: set[str] = set()
        for query in queries:
            changed.update(s for s, c in session.execute(query).all() if c == course_id)
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
            old = self.summaries.pop(learner, None)
            if old is not None:
                self.totals.add(old, -1)
            self.learners.pop(learner, None)
            if learner in fresh:
                self._keep(fresh[learner], course)
        if changed:
            self.version += 1
        self._marks, self._pending = marks, pending
        self.refreshed_at = now
        self._checked = time.monotonic()
        self.partial_reads += 1

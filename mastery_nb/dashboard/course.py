"""One course's class dashboard: what its staff read and do, as documents.

The mastery service holds one :class:`CourseDashboard` per course (beside its
:class:`~mastery_nb.backend.local.LocalBackend`). Reads of the class come from the
in-memory snapshot (refreshed incrementally before each); a learner's record and review
sheet are read fresh; grades by hand and overrides are written through
:mod:`mastery_nb.review`, after which the snapshot is refreshed at once. Every refusal is
a :class:`~mastery_nb.backend.BackendError`, like the learner's backend.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from mastery_nb.backend import BackendError
from mastery_nb.backend.local import unit_document
from mastery_nb.course.bundle import UnitBundle
from mastery_nb.course.model import Course
from mastery_nb.course.reader import ReleasedCourse
from mastery_nb.dashboard import reports
from mastery_nb.dashboard.groups import GroupSource
from mastery_nb.dashboard.learner import learner_record
from mastery_nb.dashboard.snapshot import ClassSnapshot
from mastery_nb.documents import (
    CellState,
    ClassPage,
    Gradebook,
    ItemReport,
    LearnerRecord,
    ManualGradeReceipt,
    ManualGradeRequest,
    NeedsReport,
    OverrideReceipt,
    OverrideRequest,
    ReviewQueue,
    ReviewSheet,
    UnitReport,
    UnitStanding,
)
from mastery_nb.errors import MasteryError
from mastery_nb.gradebook.export import gradebook_rows
from mastery_nb.progress.standing import format_time, standing
from mastery_nb.review.manual import Refused, record_manual_grade
from mastery_nb.review.overrides import add_override, revoke_override
from mastery_nb.review.sheet import review_sheet
from mastery_nb.root import CourseRoot
from mastery_nb.store import open_store, utcnow
from mastery_nb.store.engine import Store
from mastery_nb.store.queries import learner_history, learner_known

__all__ = ["CourseDashboard"]

T = TypeVar("T")


def _refusal(call: Callable[[], T]) -> T:
    """Run ``call``; its refusals as BackendErrors."""
    try:
        return call()
    except Refused as refused:
        raise BackendError(refused.status, refused.code, refused.message) from None
    except MasteryError as error:
        raise BackendError(503, "no_course", "; ".join(str(p) for p in error.problems)) from None


class CourseDashboard:
    def __init__(self, root: CourseRoot, course_id: str, *, groups: GroupSource | None = None):
        self.root = root
        self.course_id = course_id
        self.group_source = groups
        self._store: Store | None = None
        self.snapshot = ClassSnapshot(self.store(), self.course)

    # ------------------------------------------------------------------ helpers
    def store(self) -> Store:
        if self._store is None:
            self._store = open_store(self.root)
        return self._store

    def course(self) -> Course:
        return _refusal(
            lambda: ReleasedCourse.of(self.root, self.course_id).course(bundle_only=False)
        )

    def bundles(self) -> dict[str, UnitBundle]:
        released = ReleasedCourse.of(self.root, self.course_id)
        return _refusal(lambda: {u.id: released.unit_bundle(u.id) for u in self.course().units})

    def bundle(self, unit: str) -> UnitBundle:
        course = self.course()
        if course.unit(unit) is None:
            known = ", ".join(u.id for u in course.units)
            raise BackendError(
                404,
                "unknown_unit",
                f"course {self.course_id!r} has no unit {unit!r} (units: {known})",
            )
        return _refusal(lambda: ReleasedCourse.of(self.root, self.course_id).unit_bundle(unit))

    def groups(self) -> dict[str, list[str]]:
        return self.group_source.groups() if self.group_source is not None else {}

    def fresh(self) -> ClassSnapshot:
        return _refusal(self.snapshot.refresh)

    def _known(self, learner: str) -> None:
        with self.store().read() as session:
            if not learner_known(session, self.course_id, learner):
                raise BackendError(
                    404,
                    "unknown_learner",
                    f"course {self.course_id!r} has never seen a learner {learner!r}",
                )

    # ------------------------------------------------------------------ the class
    def class_page(
        self,
        *,
        unit: str | None = None,
        group: str | None = None,
        state: CellState | None = None,
        search: str = "",
        sort: str = "learner",
        offset: int = 0,
        limit: int = 50,
    ) -> ClassPage:
        return reports.class_page(
            self.fresh(),
            self.groups(),
            unit=unit,
            group=group,
            state=state,
            search=search,
            sort=sort,
            offset=offset,
            limit=limit,
        )

    def units(self) -> UnitReport:
        return reports.unit_report(self.fresh())

    def needs(self, reason: str | None = None, now: datetime | None = None) -> NeedsReport:
        return reports.needs_report(self.fresh(), now or utcnow(), reason=reason)

    def items(self, unit: str | None = None) -> ItemReport:
        snapshot = self.fresh()
        course = snapshot.course
        assert course is not None
        return reports.item_report(snapshot, self.bundle(unit or course.units[0].id))

    def reviews(self) -> ReviewQueue:
        return reports.review_queue(self.fresh(), self.bundles())

    def gradebook(self) -> Gradebook:
        snapshot = self.fresh()
        assert snapshot.course is not None
        return Gradebook.model_construct(
            kind="gradebook",
            course=self.course_id,
            generated_at=format_time(snapshot.refreshed_at or utcnow()),
            rows=gradebook_rows(
                snapshot.course, {n: f.standing for n, f in snapshot.learners.items()}
            ),
        )

    # ------------------------------------------------------------------ one learner
    def learner(self, learner: str) -> LearnerRecord:
        self._known(learner)
        return learner_record(
            self.store(),
            self.course(),
            self.bundles(),
            learner,
            self.groups().get(learner, []),
            utcnow(),
        )

    def review_sheet(self, learner: str, unit: str, attempt: int) -> ReviewSheet:
        bundle = self.bundle(unit)
        return _refusal(lambda: review_sheet(self.root, self.course(), bundle, learner, attempt))

    def grade(
        self, learner: str, unit: str, attempt: int, request: ManualGradeRequest, grader: str
    ) -> ManualGradeReceipt:
        bundle = self.bundle(unit)
        entry = _refusal(
            lambda: record_manual_grade(
                self.store(), bundle, self.course_id, learner, attempt, request, grader
            )
        )
        self.snapshot.refresh(force=True)
        return ManualGradeReceipt(grade=entry, standing=self._unit_standing(learner, unit))

    def override(self, learner: str, request: OverrideRequest, author: str) -> OverrideReceipt:
        course = self.course()
        entry = _refusal(lambda: add_override(self.store(), course, learner, request, author))
        self.snapshot.refresh(force=True)
        return OverrideReceipt(override=entry, standing=self._unit_standing(learner, entry.unit))

    def revoke(self, learner: str, override_id: int, reason: str, author: str) -> OverrideReceipt:
        entry = _refusal(
            lambda: revoke_override(
                self.store(), self.course_id, learner, override_id, reason, author
            )
        )
        self.snapshot.refresh(force=True)
        return OverrideReceipt(override=entry, standing=self._unit_standing(learner, entry.unit))

    def _unit_standing(self, learner: str, unit_id: str) -> UnitStanding:
        course = self.course()
        with self.store().read() as session:
            records, overrides = learner_history(session, self.course_id, learner)
        unit = course.unit(unit_id)
        assert unit is not None
        return unit_document(course, unit, standing(course, records, utcnow(), overrides)[unit_id])

"""The fast seeding path stores the rows the real submit and record paths store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from class_kit import COURSE, NOW, copy_sample_course
from sqlalchemy import select

from mastery_nb.course.reader import ReleasedCourse
from mastery_nb.dashboard.seed import plan_class, write_bulk, write_through_submit
from mastery_nb.root import CourseRoot
from mastery_nb.store import dispose_stores, open_store
from mastery_nb.store.models import (
    AttemptRow,
    CellResultRow,
    LearnerRow,
    LearnerUnitRow,
    ObjectiveResultRow,
    PracticeEventRow,
)

pytestmark = pytest.mark.timeout(600)


def _tables(root: CourseRoot) -> dict[str, list[tuple[Any, ...]]]:
    """Every row the seed writes, keyed by what it is about (not by ids or clocks)."""
    with open_store(root).read() as session:
        attempts = {a.id: a for a in session.execute(select(AttemptRow)).scalars()}

        def attempt_key(attempt_id: int) -> tuple[str, str, int]:
            a = attempts[attempt_id]
            return (a.student_id, a.unit_id, a.number)

        tables = {
            "attempts": sorted(
                (
                    a.course_id,
                    a.student_id,
                    a.unit_id,
                    a.number,
                    a.submitted_at,
                    a.status,
                    a.claims,
                    a.points,
                    a.max_points,
                    a.mastered,
                    a.error,
                    a.duration_seconds,
                    tuple(a.messages),
                    tuple(a.tampering),
                    tuple(a.learner_errors or []),
                    a.storage,
                )
                for a in attempts.values()
            ),
            "cells": sorted(
                (
                    attempt_key(c.attempt_id),
                    c.notebook,
                    c.grade_id,
                    c.position,
                    c.points,
                    c.max_points,
                    tuple(c.objectives),
                    c.status,
                    c.message,
                    c.part,
                )
                for c in session.execute(select(CellResultRow)).scalars()
            ),
            "objectives": sorted(
                (
                    attempt_key(o.attempt_id),
                    o.objective,
                    o.points,
                    o.max_points,
                    o.threshold,
                    o.mastered,
                    o.pending_points,
                )
                for o in session.execute(select(ObjectiveResultRow)).scalars()
            ),
            "learner_units": sorted(
                (u.course_id, u.student_id, u.unit_id, u.attempts, u.last_submitted_at)
                for u in session.execute(select(LearnerUnitRow)).scalars()
            ),
            "learners": sorted(
                (r.student_id, r.created_at) for r in session.execute(select(LearnerRow)).scalars()
            ),
            "practice": sorted(
                (
                    p.student_id,
                    p.unit_id,
                    p.question,
                    p.objective,
                    p.event,
                    p.outcome,
                    p.occurred_at,
                    p.received_at,
                    p.digest,
                )
                for p in session.execute(select(PracticeEventRow)).scalars()
            ),
        }
    dispose_stores()
    return tables


def test_bulk_seeding_writes_the_rows_of_submit_and_record(tmp_path: Path) -> None:
    roots = [copy_sample_course(tmp_path / name) for name in ("submitted", "bulk")]
    released = ReleasedCourse.of(roots[0], COURSE)
    course = released.course()
    bundles = {u.id: released.unit_bundle(u.id) for u in course.units}
    plan = plan_class(course, bundles, 9, seed=11, now=NOW)
    assert plan.stories.get("stuck") == ["learner-00003"] and plan.stories.get("repeating") == [
        "learner-00008"
    ]
    write_through_submit(roots[0], plan)
    write_bulk(roots[1], plan)
    through_submit, bulk = _tables(roots[0]), _tables(roots[1])
    assert {k: len(v) for k, v in through_submit.items()} == {k: len(v) for k, v in bulk.items()}
    assert len(through_submit["attempts"]) > 40 and through_submit["practice"]
    for table in through_submit:
        assert through_submit[table] == bulk[table], table
    stored = list((roots[0].data_dir / "submissions").rglob("*.ipynb"))
    assert len(stored) == sum(
        len(course.unit(a.unit).notebooks)  # type: ignore[union-attr]
        for a in plan.attempts
    ), "submit stored every attempt's notebooks"

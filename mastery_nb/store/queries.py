"""Reads shared by submit, progress, feedback and the server: one query per question, no N+1.

A learner's whole history in a course is one indexed query (attempts joined with their
objective results, ``uq_attempt_number`` covers ``course_id, student_id``), so a progress
request costs the same whatever the number of learners.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from mastery_nb.course.bundle import UnitBundle, load_unit_bundle
from mastery_nb.course.model import Course
from mastery_nb.errors import MasteryError, Problem
from mastery_nb.root import CourseRoot
from mastery_nb.store.models import AttemptRow, ObjectiveResultRow

if TYPE_CHECKING:
    from mastery_nb.progress.standing import AttemptRecord

__all__ = ["learner_records", "load_released_course", "load_released_unit"]

_course_cache: dict[Path, tuple[tuple[int, int], Course]] = {}
_cache_lock = threading.Lock()


def load_released_course(root: CourseRoot, course_id: str, *, bundle_only: bool = False) -> Course:
    """The course as released: ``autograder/<course>/course.json`` (or, for reading
    progress where only the student release exists, ``release/<course>/course.json``).

    Grading and submitting go by the released course, never the sources being edited.
    Cached per file and modification time, so a re-release is seen at once.
    """
    candidates = [root.course_bundle(course_id) / "course.json"]
    if not bundle_only:
        candidates.append(root.course_release(course_id) / "course.json")
    if "/" in course_id or "\\" in course_id or course_id in ("", ".", ".."):
        candidates = []
    for path in candidates:
        try:
            stat = path.stat()
        except OSError:
            continue
        key = (stat.st_mtime_ns, stat.st_size)
        with _cache_lock:
            cached = _course_cache.get(path)
        if cached and cached[0] == key:
            return cached[1]
        try:
            course = Course.model_validate_json(path.read_bytes())
        except ValueError as error:
            raise MasteryError(
                Problem(
                    root.relative(path),
                    "",
                    f"not a valid released course ({error})",
                    f"run `mastery-nb release {course_id}` again",
                )
            ) from None
        with _cache_lock:
            _course_cache[path] = (key, course)
        return course
    released = sorted(p.parent.name for p in root.autograder_dir.glob("*/course.json"))
    raise MasteryError(
        Problem(
            root.relative(root.course_bundle(course_id)),
            "",
            f"course '{course_id}' is not released in this course root ({root.path})",
            f"use one of: {', '.join(released)}"
            if released
            else "run `mastery-nb release` in the course root, or pass --root",
        )
    )


def load_released_unit(root: CourseRoot, course_id: str, unit_id: str) -> UnitBundle:
    """The grading bundle of one unit (``autograder/<course>/units/<unit>.json``)."""
    path = root.course_bundle(course_id) / "units" / f"{unit_id}.json"
    try:
        return load_unit_bundle(root.course_bundle(course_id), unit_id)
    except OSError:
        raise MasteryError(
            Problem(
                root.relative(path),
                "",
                f"the grading bundle of unit '{unit_id}' is missing",
                f"run `mastery-nb release {course_id}` again",
            )
        ) from None
    except ValueError as error:
        raise MasteryError(
            Problem(
                root.relative(path),
                "",
                f"not a valid grading bundle ({error})",
                f"run `mastery-nb release {course_id}` again",
            )
        ) from None


def learner_records(session: Session, course_id: str, student: str) -> list[AttemptRecord]:
    """Every attempt of one learner in one course with its objective results.

    Two indexed Core queries (no ORM object loading, no per-attempt query): this runs on
    every sidebar refresh, so it is kept to a few milliseconds for 40 units x 20 attempts.
    """
    from mastery_nb.progress.standing import AttemptRecord  # progress imports the store

    connection = session.connection()
    learner = (AttemptRow.course_id == course_id, AttemptRow.student_id == student)
    attempts = connection.execute(
        select(
            AttemptRow.id,
            AttemptRow.unit_id,
            AttemptRow.number,
            AttemptRow.submitted_at,
            AttemptRow.status,
            AttemptRow.error,
            AttemptRow.grader_errors,
        ).where(*learner)
    ).all()
    scores: dict[int, dict[str, tuple[float, float]]] = {}
    if any(row.status == "graded" for row in attempts):
        results = connection.execute(
            select(
                ObjectiveResultRow.attempt_id,
                ObjectiveResultRow.objective,
                ObjectiveResultRow.points,
                ObjectiveResultRow.max_points,
            )
            .join(AttemptRow, AttemptRow.id == ObjectiveResultRow.attempt_id)
            .where(*learner)
        ).all()
        for attempt_id, objective, points, max_points in results:
            scores.setdefault(attempt_id, {})[objective] = (points, max_points)
    return [
        AttemptRecord(
            unit=unit_id,
            number=number,
            submitted_at=submitted_at,
            status=status,
            objectives=scores.get(attempt_id, {}),
            error=error,
            grader_errors=grader_errors or 0,
        )
        for attempt_id, unit_id, number, submitted_at, status, error, grader_errors in attempts
    ]

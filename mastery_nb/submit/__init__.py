"""Submitting an attempt: check it, store it durably, queue it. Grading happens later.

Order matters for "nothing lost": the notebook bytes are fsynced under
``<data>/submissions/<course>/<student>/<unit>/<attempt>/`` before the attempt row commits,
and the row commits before :func:`submit_attempt` returns. A refused submission (locked,
cooldown, attempt limit, invalid notebook) writes nothing and uses no attempt.

Attempt numbers never collide: the learner's row for the unit is locked for the
transaction (a row lock on PostgreSQL, SQLite's write lock otherwise).

Each attempt records the learner's current form of the unit (standing decides it), which
grading regenerates. A notebook that says it was made for another form of the unit (the
learner did not start the new form after a graded attempt) is refused with what to do,
before it uses an attempt. A placement is submitted like a unit, under its own policy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mastery_nb.errors import MasteryError, Problem, SubmissionRefused
from mastery_nb.identity import is_learner
from mastery_nb.root import CourseRoot
from mastery_nb.submit.notebooks import InvalidSubmission, check_notebooks, stale_form
from mastery_nb.submit.storage import store_files

__all__ = ["InvalidSubmission", "SubmitReceipt", "check_student_id", "submit_attempt"]


@dataclass(frozen=True)
class SubmitReceipt:
    """The attempt a submission queued."""

    course: str
    unit: str
    student: str
    attempt: int
    status: str
    submitted_at: datetime
    attempts_used: int
    attempts_left: int | None
    cooldown_until: datetime | None
    notebooks: dict[str, str]  #: path -> sha256 of the stored bytes
    #: files ignored and notebooks missing, in words (neither refuses the attempt)
    notes: tuple[str, ...] = ()
    #: the learner's form of the unit the attempt was made on (graded as that form)
    form: int = 1

    def to_json(self) -> dict[str, Any]:
        from mastery_nb.progress.standing import format_time

        return {
            "course": self.course,
            "unit": self.unit,
            "student": self.student,
            "attempt": self.attempt,
            "status": self.status,
            "submitted_at": format_time(self.submitted_at),
            "attempts_used": self.attempts_used,
            "attempts_left": self.attempts_left,
            "cooldown_until": format_time(self.cooldown_until) if self.cooldown_until else None,
            "notebooks": self.notebooks,
            "notes": list(self.notes),
            "form": self.form,
        }


def check_student_id(student: str) -> str:
    """A student id is a folder name in the data dir: no slashes, no dot-files, no blanks."""
    if not is_learner(student):
        problem = Problem(
            "--student",
            "",
            f"'{student}' cannot be a student id (it must be "
            "1-255 characters without spaces or slashes, not starting with a dot)",
            "pass --student with the learner's user name",
        )
        raise InvalidSubmission(str(problem), code="invalid", problem=problem)
    return student


def _insert_ignore(dialect: str, table: Any, **values: Any) -> Any:
    from sqlalchemy.dialects import postgresql, sqlite

    module: Any = postgresql if dialect == "postgresql" else sqlite
    return module.insert(table).values(**values).on_conflict_do_nothing()


def submit_attempt(
    root: CourseRoot,
    course_id: str,
    unit_id: str,
    student: str,
    notebooks: dict[str, bytes],
    *,
    now: datetime | None = None,
) -> SubmitReceipt:
    """Store one attempt of ``unit_id`` by ``student`` and queue it for grading.

    ``notebooks`` maps notebook paths relative to the course folder (as in the manifest) to
    the bytes saved by Jupyter. Raises :class:`SubmissionRefused` (``code`` locked,
    cooldown, attempt_limit; or :class:`InvalidSubmission`, exit 2, with code invalid,
    wrong_notebook, unknown) without using an attempt.
    """
    # the store and the released course are imported here, not with the package, so that
    # `mastery-nb submit --help` starts fast
    from sqlalchemy import select

    from mastery_nb.course.reader import ReleasedCourse
    from mastery_nb.progress.standing import cooldown_end, placement_standing, standing
    from mastery_nb.store import open_store
    from mastery_nb.store.models import AttemptRow, LearnerRow, LearnerUnitRow, UnitRow, utcnow
    from mastery_nb.store.queries import learner_history

    now = now or utcnow()
    check_student_id(student)
    try:
        course = ReleasedCourse.of(root, course_id).course(public_only=True)
    except MasteryError as error:
        problem = error.problems[0]
        raise InvalidSubmission(str(problem), code="unknown", problem=problem) from None
    unit = course.gradable(unit_id)
    if unit is None:
        problem = Problem(
            f"course '{course_id}'",
            "",
            f"there is no unit '{unit_id}'",
            "use one of: "
            + ", ".join([u.id for u in course.units] + [p.id for p in course.placements]),
        )
        raise InvalidSubmission(str(problem), code="unknown", problem=problem)
    notes = check_notebooks(unit, notebooks)
    notebooks = {path: data for path, data in notebooks.items() if path in unit.notebooks}

    store = open_store(root)
    with store.write() as session:
        dialect = store.dialect
        session.execute(
            _insert_ignore(dialect, LearnerRow.__table__, student_id=student, created_at=now)
        )
        session.execute(
            _insert_ignore(
                dialect, UnitRow.__table__, course_id=course_id, unit_id=unit_id, title=unit.title
            )
        )
        session.execute(
            _insert_ignore(
                dialect,
                LearnerUnitRow.__table__,
                course_id=course_id,
                student_id=student,
                unit_id=unit_id,
                attempts=0,
            )
        )
        learner_unit = session.execute(
            select(LearnerUnitRow)
            .where(
                LearnerUnitRow.course_id == course_id,
                LearnerUnitRow.student_id == student,
                LearnerUnitRow.unit_id == unit_id,
            )
            .with_for_update()
        ).scalar_one()
        records, overrides = learner_history(session, course_id, student)
        unit_standing = (
            standing(course, records, now, overrides)[unit_id]
            if course.unit(unit_id) is not None
            else placement_standing(course, records, now)[unit_id]
        )
        if unit_standing.refusal is not None:
            raise SubmissionRefused(
                unit_standing.refusal_reason or "refused", code=unit_standing.refusal
            )
        if unit.forms:
            stale = stale_form(notebooks, unit_id, unit_standing.form)
            if stale is not None:
                raise stale
        number = max([learner_unit.attempts, *(r.number for r in records if r.unit == unit_id)]) + 1
        storage = f"submissions/{course_id}/{student}/{unit_id}/{number}"
        hashes = store_files(root.data_dir / storage, notebooks, data_dir=root.data_dir)
        session.add(
            AttemptRow(
                course_id=course_id,
                student_id=student,
                unit_id=unit_id,
                number=number,
                submitted_at=now,
                notebooks=hashes,
                storage=storage,
                status="queued",
                claims=0,
                messages=[],
                tampering=[],
                form=unit_standing.form,
            )
        )
        learner_unit.attempts = number
        learner_unit.last_submitted_at = now
    policy = unit.policy
    left = unit_standing.attempts_left
    return SubmitReceipt(
        course=course_id,
        unit=unit_id,
        student=student,
        attempt=number,
        status="queued",
        submitted_at=now,
        attempts_used=unit_standing.attempts_used + 1,
        attempts_left=None if left is None else left - 1,
        cooldown_until=cooldown_end(now, policy.cooldown_seconds)
        if policy.cooldown_seconds
        else None,
        notebooks=hashes,
        notes=tuple(notes),
        form=unit_standing.form,
    )

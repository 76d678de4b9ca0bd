"""One attempt's answers graded by hand, gathered for grading them (the review sheet).

For each answer or task graded by hand in the unit: the question as released, the
learner's answer read from the stored submission (:mod:`mastery_nb.review.answers`), its
status, the grade that counts with every earlier one (the trail), and a rubric to start
from (the criteria last used for that cell in the course, so graders score alike).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mastery_nb.backend.local import unit_document
from mastery_nb.course.bundle import UnitBundle
from mastery_nb.course.model import Course
from mastery_nb.documents import ReviewCell, ReviewSheet, RubricScore
from mastery_nb.progress.standing import format_time, standing
from mastery_nb.review.answers import answer_parts, prompt_of, read_stored
from mastery_nb.review.manual import find_attempt, grade_entry
from mastery_nb.root import CourseRoot
from mastery_nb.store import open_store, utcnow
from mastery_nb.store.models import AttemptRow, CellResultRow, ManualGradeRow
from mastery_nb.store.queries import learner_history

__all__ = ["review_sheet"]


def _released(root: CourseRoot, course_id: str, path: str) -> dict[str, Any] | None:
    try:
        loaded = json.loads((root.course_release(course_id) / path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return loaded if isinstance(loaded, dict) else None


def _rubric_templates(
    session: Session, course_id: str, unit_id: str
) -> dict[tuple[str, str], list[RubricScore]]:
    """The criteria of the latest grade with a rubric, per cell of the unit (any learner)."""
    rows = session.execute(
        select(ManualGradeRow.notebook, ManualGradeRow.grade_id, ManualGradeRow.rubric)
        .join(AttemptRow, AttemptRow.id == ManualGradeRow.attempt_id)
        .where(AttemptRow.course_id == course_id, AttemptRow.unit_id == unit_id)
        .order_by(ManualGradeRow.id.desc())
        .limit(500)
    ).all()
    found: dict[tuple[str, str], list[RubricScore]] = {}
    for notebook, grade_id, rubric in rows:
        if rubric and (notebook, grade_id) not in found:
            found[(notebook, grade_id)] = [
                RubricScore(criterion=r["criterion"], points=0.0, max_points=r["max_points"])
                for r in rubric
            ]
    return found


def review_sheet(
    root: CourseRoot, course: Course, bundle: UnitBundle, student: str, attempt: int
) -> ReviewSheet:
    """The review sheet of one attempt (raises ``Refused`` when there is no such attempt)."""
    unit = course.unit(bundle.unit)
    assert unit is not None
    store = open_store(root)
    with store.read() as session:
        row = find_attempt(session, course.id, student, unit.id, attempt)
        results = {
            (r.notebook, r.grade_id): r
            for r in session.execute(
                select(CellResultRow).where(CellResultRow.attempt_id == row.id)
            ).scalars()
        }
        grades = list(
            session.execute(
                select(ManualGradeRow)
                .where(ManualGradeRow.attempt_id == row.id)
                .order_by(ManualGradeRow.id)
            ).scalars()
        )
        templates = _rubric_templates(session, course.id, unit.id)
        records, overrides = learner_history(session, course.id, student)
    now_standing = standing(course, records, utcnow(), overrides)[unit.id]
    folder = root.data_dir / row.storage
    cells = []
    for notebook in bundle.notebooks:
        stored, problem = read_stored(folder, notebook.path, row.notebooks.get(notebook.path, ""))
        if notebook.path not in row.notebooks:
            stored, problem = None, f"{notebook.path} was not submitted with this attempt"
        released = _released(root, course.id, notebook.path)
        for cell in notebook.cells:
            if cell.is_test or not (cell.task or (cell.grade and cell.solution)):
                continue
            key = (notebook.path, cell.grade_id)
            history = [
                grade_entry(g, unit.id, attempt) for g in grades if (g.notebook, g.grade_id) == key
            ]
            result = results.get(key)
            cells.append(
                ReviewCell(
                    notebook=notebook.path,
                    grade_id=cell.grade_id,
                    label=cell.label or cell.grade_id,
                    task=cell.task,
                    prompt=prompt_of(released, cell),
                    objectives=list(cell.objectives),
                    max_points=result.max_points if result else cell.points,
                    status=result.status if result else "not_run",
                    answer=answer_parts(stored, notebook, cell) if stored else [],
                    answer_problem=problem,
                    grade=history[-1] if history else None,
                    history=history,
                    rubric_template=templates.get(key, []),
                )
            )
    return ReviewSheet(
        course=course.id,
        learner=student,
        unit=unit.id,
        unit_title=unit.title,
        attempt=attempt,
        submitted_at=format_time(row.submitted_at),
        status=row.status,
        cells=cells,
        standing=unit_document(course, unit, now_standing),
    )

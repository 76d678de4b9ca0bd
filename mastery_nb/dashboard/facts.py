"""What the class dashboard knows about each learner, read from the store in bulk.

:func:`load_facts` reads everything the dashboard needs about a set of learners (or a
whole course) in a handful of queries, whatever their number: their attempts and
objective results (through :func:`mastery_nb.store.queries.class_history`, the same read
as progress), the overrides in force, a summary of every graded cell, and their practice.
The standing of each learner is computed here with the one standing rule, so every page
of the dashboard reads the same standing as the learner's own sidebar.

Kept compact (per learner and unit a few tuples), because a class of 10,000 learners lives
in the service's memory (:mod:`mastery_nb.dashboard.snapshot`).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from mastery_nb.course.model import Course
from mastery_nb.progress.standing import UnitStanding, standing
from mastery_nb.store.models import AttemptRow, CellResultRow, PracticeEventRow
from mastery_nb.store.queries import class_history

__all__ = ["AttemptFact", "CellFact", "LearnerFacts", "PracticeFact", "UnitFacts", "load_facts"]

#: grade ids of a course's learners are read in chunks (SQL ``IN`` lists stay small)
CHUNK = 500
#: a failure message kept for the item statistics is cut to this many characters
MESSAGE_CHARS = 240
PASSING = ("passed",)


@dataclass(frozen=True, slots=True)
class AttemptFact:
    number: int
    status: str
    submitted_at: datetime
    error: str | None


@dataclass(slots=True)
class CellFact:
    """One graded cell across one learner's graded attempts of its unit."""

    first_status: str  #: its status in the first graded attempt
    first_part: str  #: where it failed then: visible, hidden or ""
    passed_on: int | None  #: the graded attempt (1 = first) on which it first passed
    failures: list[str]  #: the message of each failing attempt, oldest first


@dataclass(slots=True)
class UnitFacts:
    attempts: list[AttemptFact] = field(default_factory=list)
    #: (notebook, grade id) -> the cell across the graded attempts
    cells: dict[tuple[str, str], CellFact] = field(default_factory=dict)
    #: per graded attempt (oldest first): the failing (grade id, message) pairs
    failures: list[frozenset[tuple[str, str]]] = field(default_factory=list)
    #: (attempt number, notebook, grade id, points) still awaiting a grade by hand
    to_review: list[tuple[int, str, str, float]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PracticeFact:
    objective: str | None
    events: int
    correct: bool


@dataclass(slots=True)
class LearnerFacts:
    learner: str
    standing: dict[str, UnitStanding]
    units: dict[str, UnitFacts]
    #: (unit, question) -> practice
    practice: dict[tuple[str, str], PracticeFact]
    first_active: datetime | None
    last_active: datetime | None


def _chunks(names: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(names), CHUNK):
        yield names[start : start + CHUNK]


def _rows(session: Session, query: Any, learner: Any, names: list[str] | None) -> list[Any]:
    """``query``'s rows, for the learners named (in chunks) or all of them (Core, not the
    ORM: millions of rows for a large class)."""
    connection = session.connection()
    if names is None:
        return list(connection.execute(query).all())
    rows: list[Any] = []
    for chunk in _chunks(names):
        rows += connection.execute(query.where(learner.in_(chunk))).all()
    return rows


def _attempts(
    session: Session, course_id: str, names: list[str] | None
) -> list[tuple[str, str, int, str, datetime, str | None]]:
    query = select(
        AttemptRow.student_id,
        AttemptRow.unit_id,
        AttemptRow.number,
        AttemptRow.status,
        AttemptRow.submitted_at,
        AttemptRow.error,
    ).where(AttemptRow.course_id == course_id)
    return _rows(session, query, AttemptRow.student_id, names)


_CellRow = tuple[str, str, int, str, str, str, str, str, float, float]


def _cells(session: Session, course_id: str, names: list[str] | None) -> list[_CellRow]:
    query = (
        select(
            AttemptRow.student_id,
            AttemptRow.unit_id,
            AttemptRow.number,
            CellResultRow.notebook,
            CellResultRow.grade_id,
            CellResultRow.status,
            CellResultRow.part,
            CellResultRow.message,
            CellResultRow.points,
            CellResultRow.max_points,
        )
        .join(AttemptRow, AttemptRow.id == CellResultRow.attempt_id)
        .where(AttemptRow.course_id == course_id, AttemptRow.status == "graded")
    )
    return _rows(session, query, AttemptRow.student_id, names)


def _practice(
    session: Session, course_id: str, names: list[str] | None
) -> list[tuple[str, str, str, str | None, int, int, datetime, datetime]]:
    correct = func.sum(case((PracticeEventRow.outcome == "correct", 1), else_=0))
    query = (
        select(
            PracticeEventRow.student_id,
            PracticeEventRow.unit_id,
            PracticeEventRow.question,
            PracticeEventRow.objective,
            func.count(),
            correct,
            func.min(PracticeEventRow.received_at),
            func.max(PracticeEventRow.received_at),
        )
        .where(PracticeEventRow.course_id == course_id)
        .group_by(
            PracticeEventRow.student_id,
            PracticeEventRow.unit_id,
            PracticeEventRow.question,
            PracticeEventRow.objective,
        )
    )
    return _rows(session, query, PracticeEventRow.student_id, names)


def _failure(message: str, status: str) -> str:
    """The first line of a failure message, shortened (the item statistics count them);
    interned: a class repeats the same few messages thousands of times."""
    lines = (message or "").strip().splitlines()
    return sys.intern((lines[0] if lines else status)[:MESSAGE_CHARS])


def _summarise_cells(units: dict[str, dict[str, UnitFacts]], rows: list[_CellRow]) -> None:
    by_attempt: dict[tuple[str, str, int], list[_CellRow]] = {}
    for row in rows:
        by_attempt.setdefault((row[0], row[1], row[2]), []).append(row)
    for student, unit, number in sorted(by_attempt):
        facts = units.setdefault(student, {}).setdefault(unit, UnitFacts())
        ordinal = len(facts.failures) + 1
        failing = set()
        for *_, notebook, grade_id, status, part, message, points, max_points in by_attempt[
            (student, unit, number)
        ]:
            cell = facts.cells.get((notebook, grade_id))
            if cell is None:
                key = (sys.intern(notebook), sys.intern(grade_id))
                cell = facts.cells[key] = CellFact(sys.intern(status), part or "", None, [])
            full = status == "reviewed" and points + 1e-9 >= max_points
            if status in PASSING or full:
                if cell.passed_on is None:
                    cell.passed_on = ordinal
            elif status == "manual":
                facts.to_review.append((number, notebook, grade_id, max_points))
            elif status != "reviewed":
                text = _failure(message, status)
                cell.failures.append(text)
                failing.add((grade_id, text))
        facts.failures.append(frozenset(failing))


def load_facts(
    session: Session, course: Course, now: datetime, learners: Iterable[str] | None = None
) -> dict[str, LearnerFacts]:
    """Facts about ``learners`` (every learner the course has seen when None)."""
    names = sorted(set(learners)) if learners is not None else None
    histories = class_history(session, course.id, names)
    units: dict[str, dict[str, UnitFacts]] = {}
    first: dict[str, datetime] = {}
    last: dict[str, datetime] = {}
    for student, unit, number, status, submitted_at, error in sorted(
        _attempts(session, course.id, names), key=lambda r: (r[0], r[1], r[2])
    ):
        units.setdefault(student, {}).setdefault(unit, UnitFacts()).attempts.append(
            AttemptFact(number, status, submitted_at, error)
        )
        first[student] = min(first.get(student, submitted_at), submitted_at)
        last[student] = max(last.get(student, submitted_at), submitted_at)
    _summarise_cells(units, _cells(session, course.id, names))
    practice: dict[str, dict[tuple[str, str], PracticeFact]] = {}
    for student, unit, question, objective, events, correct, earliest, latest in _practice(
        session, course.id, names
    ):
        practice.setdefault(student, {})[(unit, question)] = PracticeFact(
            objective, int(events), bool(correct)
        )
        first[student] = min(first.get(student, earliest), earliest)
        last[student] = max(last.get(student, latest), latest)
    everyone = set(histories) | set(units) | set(practice)
    if names is not None:
        everyone |= set(names)
    facts = {}
    for student in everyone:
        records, overrides = histories.get(student, ([], []))
        if not (records or overrides or student in units or student in practice):
            continue  # named, but the course has never seen them
        facts[student] = LearnerFacts(
            learner=student,
            standing=standing(course, records, now, overrides),
            units=units.get(student, {}),
            practice=practice.get(student, {}),
            first_active=first.get(student),
            last_active=last.get(student),
        )
    return facts

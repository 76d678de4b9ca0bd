"""Practice events in the store, beside the attempts: taken in idempotently, within limits.

The learner's kernel logs every check, hint, solution view and quiz answer
(``.mastery-practice.jsonl``, see docs/design.md "Practice events"); their server sends the
events to the backend, which stores them here. They are learner-claimed data: the learner
can edit that file or post anything, so they are checked for shape (one
:class:`~mastery_nb.documents.PracticeEvent` each, naming a unit and objective of the
course), size and rate, and never count toward mastery. Instructors read them (issue 9's
dashboard).

Idempotent: each event is stored under the sha256 of its canonical JSON, unique per learner
and course, so the server may send the whole log again and nothing is stored twice.

Limits (per learner and course): :data:`MAX_EVENTS_PER_REQUEST` per call,
:data:`MAX_EVENTS_PER_HOUR` newly stored in any hour, :data:`MAX_EVENTS_PER_LEARNER` in
all. Past them events are rejected with a reason, and a call that could store nothing
because of the rate raises :class:`PracticeRateLimited` (HTTP 429).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from mastery_nb.course.model import Course
from mastery_nb.documents import PracticeEvent, PracticeIngest, PracticeSummary, QuestionPractice
from mastery_nb.store.engine import Store
from mastery_nb.store.models import AttemptRow, PracticeEventRow, utcnow

__all__ = [
    "MAX_EVENTS_PER_HOUR",
    "MAX_EVENTS_PER_LEARNER",
    "MAX_EVENTS_PER_REQUEST",
    "PracticeRateLimited",
    "course_learners",
    "ingest_practice",
    "practice_summary",
]

MAX_EVENTS_PER_REQUEST = 1_000
MAX_EVENTS_PER_HOUR = 3_000
MAX_EVENTS_PER_LEARNER = 100_000
_LATEST = 100
_PROBLEMS_SHOWN = 20


class PracticeRateLimited(Exception):
    """Nothing could be stored: the learner sent more practice events than the limits allow."""

    code = "rate_limited"


def _validate(raw: object, course: Course) -> PracticeEvent:
    try:
        event = PracticeEvent.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "event"
        raise ValueError(f"`{where}`: {first.get('msg', 'invalid')}") from None
    if event.course != course.id:
        raise ValueError(f"`course` must be {course.id!r}, got {event.course!r}")
    try:
        datetime.fromisoformat(event.time.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"`time` {event.time!r} is not an ISO-8601 time") from None
    unit = course.unit(event.unit)
    if unit is None:
        raise ValueError(f"unknown unit {event.unit!r}")
    if event.objective is not None and unit.objective(event.objective) is None:
        raise ValueError(f"unit {unit.id!r} has no objective {event.objective!r}")
    return event


def _digest(event: PracticeEvent) -> str:
    canonical = json.dumps(event.dump(), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _insert_ignore(dialect: str) -> object:
    module: object = postgresql if dialect == "postgresql" else sqlite
    return module.insert(PracticeEventRow).on_conflict_do_nothing()  # type: ignore[attr-defined]


def ingest_practice(
    store: Store,
    course: Course,
    learner: str,
    raw_events: Sequence[object],
    *,
    now: datetime | None = None,
) -> PracticeIngest:
    """Store the well-formed events not yet on record; say what became of the others."""
    now = now or utcnow()
    problems: list[str] = []
    valid: dict[str, PracticeEvent] = {}
    duplicates = 0
    for index, raw in enumerate(raw_events[:MAX_EVENTS_PER_REQUEST]):
        try:
            event = _validate(raw, course)
        except ValueError as error:
            problems.append(f"event {index}: {error}")
            continue
        digest = _digest(event)
        if digest in valid:
            duplicates += 1
        valid[digest] = event
    if len(raw_events) > MAX_EVENTS_PER_REQUEST:
        over = len(raw_events) - MAX_EVENTS_PER_REQUEST
        problems.append(
            f"{over} events past the first {MAX_EVENTS_PER_REQUEST} were not read; "
            "send them in smaller batches"
        )
    rejected = len(raw_events) - len(valid) - duplicates
    learner_rows = (
        PracticeEventRow.course_id == course.id,
        PracticeEventRow.student_id == learner,
    )
    stored = deferred = 0
    with store.write() as session:
        known: set[str] = set()
        digests = list(valid)
        for start in range(0, len(digests), 500):  # keep the IN list a sane size
            chunk = digests[start : start + 500]
            known.update(
                session.execute(
                    select(PracticeEventRow.digest).where(
                        *learner_rows, PracticeEventRow.digest.in_(chunk)
                    )
                ).scalars()
            )
        duplicates += len(known)
        new = [(d, e) for d, e in valid.items() if d not in known]
        if new:
            this_hour = session.execute(
                select(func.count()).where(
                    *learner_rows, PracticeEventRow.received_at >= now - timedelta(hours=1)
                )
            ).scalar_one()
            in_all = session.execute(select(func.count()).where(*learner_rows)).scalar_one()
            budget = max(0, min(MAX_EVENTS_PER_HOUR - this_hour, MAX_EVENTS_PER_LEARNER - in_all))
            if budget == 0:
                raise PracticeRateLimited(
                    f"{learner!r} sent more practice events than the limit "
                    f"({MAX_EVENTS_PER_HOUR} an hour, {MAX_EVENTS_PER_LEARNER} in all); "
                    "they are kept in the notebook's folder: send them again later"
                )
            if len(new) > budget:
                problems.append(
                    f"{len(new) - budget} events over the limit of {MAX_EVENTS_PER_HOUR} an hour "
                    "were not stored; they are sent again later"
                )
                deferred = len(new) - budget
                new = new[:budget]
            rows = [
                {
                    "course_id": course.id,
                    "student_id": learner,
                    "unit_id": e.unit,
                    "question": e.question,
                    "objective": e.objective,
                    "event": e.event,
                    "outcome": e.outcome,
                    "occurred_at": e.time,
                    "received_at": now,
                    "digest": d,
                }
                for d, e in new
            ]
            session.execute(_insert_ignore(store.dialect), rows)  # type: ignore[call-overload]
            stored = len(rows)
    return PracticeIngest(
        stored=stored,
        duplicates=duplicates,
        rejected=rejected,
        deferred=deferred,
        problems=problems[:_PROBLEMS_SHOWN],
    )


def practice_summary(store: Store, course_id: str, learner: str) -> PracticeSummary:
    """Counts per objective and kind (and correct answers), with the latest events."""
    learner_rows = (
        PracticeEventRow.course_id == course_id,
        PracticeEventRow.student_id == learner,
    )
    per_objective: dict[str, dict[str, int]] = {}
    total = 0
    with store.read() as session:
        counts = session.execute(
            select(
                PracticeEventRow.objective,
                PracticeEventRow.event,
                PracticeEventRow.outcome,
                func.count(),
            )
            .where(*learner_rows)
            .group_by(PracticeEventRow.objective, PracticeEventRow.event, PracticeEventRow.outcome)
        ).all()
        latest = session.execute(
            select(PracticeEventRow)
            .where(*learner_rows)
            .order_by(PracticeEventRow.occurred_at.desc(), PracticeEventRow.id.desc())
            .limit(_LATEST)
        ).scalars()
        events = [
            PracticeEvent(
                time=row.occurred_at,
                course=row.course_id,
                unit=row.unit_id,
                question=row.question,
                objective=row.objective,
                event=row.event,
                outcome=row.outcome,
            )
            for row in latest
        ]
        tried = session.execute(
            select(
                PracticeEventRow.unit_id,
                PracticeEventRow.question,
                PracticeEventRow.event,
                PracticeEventRow.objective,
                PracticeEventRow.outcome,
                func.count(),
                func.max(PracticeEventRow.occurred_at),
            )
            .where(*learner_rows, PracticeEventRow.event.in_(("check", "quiz")))
            .group_by(
                PracticeEventRow.unit_id,
                PracticeEventRow.question,
                PracticeEventRow.event,
                PracticeEventRow.objective,
                PracticeEventRow.outcome,
            )
        ).all()
    for objective, kind, outcome, n in counts:
        bucket = per_objective.setdefault(objective or "(none)", {})
        bucket[kind] = bucket.get(kind, 0) + int(n)
        if outcome == "correct":
            bucket["correct"] = bucket.get("correct", 0) + int(n)
        total += int(n)
    return PracticeSummary(
        course=course_id,
        student=learner,
        events=total,
        objectives=per_objective,
        latest=events,
        questions=_questions(tried),
    )


def _moment(text: str) -> datetime:
    """An event's time for ordering (times were checked as ISO-8601 when stored)."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return datetime.min.replace(tzinfo=timezone.utc)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _questions(groups: Sequence[Any]) -> list[QuestionPractice]:
    """Per check and quiz: tries, correct tries and the latest try's outcome (from counts
    grouped by outcome with each group's latest time: no scan of the events)."""
    found: dict[tuple[str, str, str], dict[str, Any]] = {}
    for unit, question, kind, objective, outcome, n, latest in groups:
        entry = found.setdefault(
            (unit, question, kind),
            {"objective": None, "tries": 0, "correct": 0, "last": None, "time": "", "at": None},
        )
        entry["objective"] = entry["objective"] or objective
        entry["tries"] += int(n)
        if outcome == "correct":
            entry["correct"] += int(n)
        at = _moment(str(latest))
        if entry["at"] is None or at >= entry["at"]:
            entry["time"], entry["at"], entry["last"] = str(latest), at, outcome
    return [
        QuestionPractice(
            unit=unit,
            question=question,
            objective=e["objective"],
            event=kind,
            tries=e["tries"],
            correct=e["correct"],
            last_outcome=e["last"],
            last_time=e["time"],
        )
        for (unit, question, kind), e in sorted(found.items())
    ]


def course_learners(store: Store, course_id: str) -> list[str]:
    """Every learner with an attempt or a practice event in the course, sorted."""
    with store.read() as session:
        submitted = session.execute(
            select(AttemptRow.student_id).where(AttemptRow.course_id == course_id).distinct()
        ).scalars()
        practised = session.execute(
            select(PracticeEventRow.student_id)
            .where(PracticeEventRow.course_id == course_id)
            .distinct()
        ).scalars()
        return sorted({*submitted, *practised})

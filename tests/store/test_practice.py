"""Practice events in the store (migration 0002), on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from mastery_fixtures import COURSE

from mastery_nb.root import CourseRoot
from mastery_nb.store import open_store
from mastery_nb.store import practice as practice_mod
from mastery_nb.store.practice import (
    PracticeRateLimited,
    course_learners,
    ingest_practice,
    practice_summary,
)
from mastery_nb.store.queries import load_released_course

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)


def event(n: int = 0, **overrides: Any) -> dict[str, Any]:
    base = {
        "time": f"2026-12-01T09:{n // 60:02d}:{n % 60:02d}Z",
        "course": COURSE,
        "unit": "a",
        "question": "q1",
        "objective": "add",
        "event": "check",
        "outcome": "correct" if n % 2 else "incorrect",
    }
    base.update(overrides)
    return base


def test_events_are_stored_once_checked_and_summarised(store_root: CourseRoot) -> None:
    store = open_store(store_root)
    course = load_released_course(store_root, COURSE)
    batch: list[object] = [event(0), event(1), event(1), event(2, unit="zz"), "not an object"]
    result = ingest_practice(store, course, "ada", batch, now=T0)
    assert (result.stored, result.duplicates, result.rejected) == (2, 1, 2)
    assert any("unknown unit 'zz'" in p for p in result.problems)
    again = ingest_practice(store, course, "ada", [event(0), event(1), event(3)], now=T0)
    assert (again.stored, again.duplicates) == (1, 2), "idempotent on re-send"
    ingest_practice(store, course, "bob", [event(0, event="hint", outcome=None)], now=T0)
    summary = practice_summary(store, COURSE, "ada")
    assert summary.events == 3
    assert summary.objectives == {"add": {"check": 3, "correct": 2}}
    assert [e.time for e in summary.latest] == [
        event(3)["time"],
        event(1)["time"],
        event(0)["time"],
    ]
    assert practice_summary(store, COURSE, "bob").objectives == {"add": {"hint": 1}}
    # per question: tries, correct tries and whether the latest try passed
    (q1,) = summary.questions
    assert (q1.unit, q1.question, q1.objective, q1.event) == ("a", "q1", "add", "check")
    assert (q1.tries, q1.correct, q1.last_outcome) == (3, 2, "correct")
    assert q1.last_time == event(3)["time"]
    ingest_practice(
        store,
        course,
        "ada",
        [
            event(4, time="2026-12-01T09:00:04.500Z"),  # incorrect, later than event(4)'s second
            event(5, question="q2", event="quiz", objective=None, time="2026-12-01T09:00:04Z"),
            event(6, question="q2", event="hint", objective=None, outcome=None),
        ],
        now=T0,
    )
    q1, q2 = practice_summary(store, COURSE, "ada").questions
    assert (q1.tries, q1.correct, q1.last_outcome) == (4, 2, "incorrect"), "fails now"
    assert (q2.event, q2.tries, q2.last_outcome, q2.objective) == ("quiz", 1, "correct", None)
    assert course_learners(store, COURSE) == ["ada", "bob"]


def test_rate_limits_defer_and_then_refuse(
    store_root: CourseRoot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(practice_mod, "MAX_EVENTS_PER_HOUR", 5)
    store = open_store(store_root)
    course = load_released_course(store_root, COURSE)
    first = ingest_practice(store, course, "ada", [event(n) for n in range(8)], now=T0)
    assert (first.stored, first.deferred) == (5, 3), "over the hour's limit: sent again later"
    with pytest.raises(PracticeRateLimited, match="limit"):
        ingest_practice(store, course, "ada", [event(n) for n in range(8)], now=T0)
    later = ingest_practice(
        store, course, "ada", [event(n) for n in range(8)], now=T0 + timedelta(hours=2)
    )
    assert (later.stored, later.duplicates) == (3, 5), "the deferred ones, once"
    assert ingest_practice(store, course, "bob", [event(0)], now=T0).stored == 1, "per learner"

"""Practice events on record: what the in-notebook checks logged, kept beside the attempts.

In-notebook checks append JSON lines to ``.mastery-practice.jsonl`` in the notebook's
folder (see docs/design.md, "Practice events"). That file lives in the learner's workspace
and the learner can edit it, so it is evidence of practice, never of mastery: practice
never counts toward mastery. The server takes the events in (posted, or read from the
workspace files), keeps the well-formed ones and stores them in the data directory, one
JSON-lines file per learner: ``<data>/practice/<course>/<learner>.jsonl``. Ingesting the
same line twice stores it once, so the sidebar can ingest the whole log on every poll.
"""

from __future__ import annotations

import fcntl
import json
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from mastery_nb.course.model import Course

__all__ = [
    "EVENTS",
    "MAX_EVENTS_PER_REQUEST",
    "OUTCOMES",
    "PRACTICE_LOG",
    "IngestResult",
    "PracticeStore",
    "read_workspace_events",
    "validate_event",
]

PRACTICE_LOG = ".mastery-practice.jsonl"
EVENTS = frozenset({"check", "hint", "solution", "quiz"})
OUTCOMES = frozenset({"correct", "incorrect", "not_attempted", "error"})
MAX_EVENTS_PER_REQUEST = 10_000
_MAX_TEXT = 200
_MAX_LOG_BYTES = 5 * 1024 * 1024  #: a workspace log larger than this is read only up to here
_FIELDS = ("time", "course", "unit", "question", "objective", "event", "outcome")


@dataclass
class IngestResult:
    """How many events were stored, were already on record, or were rejected (and why)."""

    stored: int = 0
    duplicates: int = 0
    rejected: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "stored": self.stored,
            "duplicates": self.duplicates,
            "rejected": len(self.rejected),
            "problems": self.rejected[:20],
        }


def _text(value: object, name: str, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value or len(value) > _MAX_TEXT:
        raise ValueError(f"`{name}` must be a non-empty string of at most {_MAX_TEXT} characters")
    return value


def validate_event(raw: object, course: Course) -> dict[str, Any]:
    """The event with exactly the known fields, or ValueError saying what is wrong."""
    if not isinstance(raw, dict):
        raise ValueError("an event must be a JSON object")
    time = _text(raw.get("time"), "time")
    assert time is not None
    try:
        datetime.fromisoformat(time.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"`time` {time!r} is not an ISO-8601 time") from None
    if raw.get("course") != course.id:
        raise ValueError(f"`course` must be {course.id!r}, got {raw.get('course')!r}")
    unit_id = _text(raw.get("unit"), "unit")
    unit = course.unit(unit_id or "")
    if unit is None:
        raise ValueError(f"unknown unit {unit_id!r}")
    objective = _text(raw.get("objective"), "objective", optional=True)
    if objective is not None and unit.objective(objective) is None:
        raise ValueError(f"unit {unit.id!r} has no objective {objective!r}")
    event = raw.get("event")
    if event not in EVENTS:
        raise ValueError(f"`event` must be one of {sorted(EVENTS)}, got {event!r}")
    outcome = raw.get("outcome")
    if outcome is not None and outcome not in OUTCOMES:
        raise ValueError(f"`outcome` must be one of {sorted(OUTCOMES)} or null, got {outcome!r}")
    return {
        "time": time,
        "course": course.id,
        "unit": unit.id,
        "question": _text(raw.get("question"), "question"),
        "objective": objective,
        "event": event,
        "outcome": outcome,
    }


def read_workspace_events(workspace_course_dir: Path) -> tuple[list[object], list[str]]:
    """Every JSON line of every practice log under the workspace's course folder."""
    events: list[object] = []
    problems: list[str] = []
    if not workspace_course_dir.is_dir():
        return events, problems
    for log in sorted(workspace_course_dir.rglob(PRACTICE_LOG)):
        if log.is_symlink() or not log.is_file():
            continue
        with log.open("rb") as handle:
            data = handle.read(_MAX_LOG_BYTES)
        rel = log.relative_to(workspace_course_dir).as_posix()
        for number, line in enumerate(data.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                events.append(json.loads(line))
            except (json.JSONDecodeError, UnicodeDecodeError):
                problems.append(f"{rel}: line {number}: not valid JSON")
    return events, problems


class PracticeStore:
    """One JSON-lines file per learner under ``<data>/practice/<course>/``."""

    def __init__(self, data_dir: Path, course: Course) -> None:
        self.folder = data_dir / "practice" / course.id
        self.course = course
        self._lock = threading.Lock()

    def path(self, student: str) -> Path:
        # quote() keeps any learner name a single, harmless file name
        return self.folder / f"{quote(student, safe='')}.jsonl"

    def events(self, student: str) -> list[dict[str, Any]]:
        path = self.path(student)
        if not path.is_file():
            return []
        with path.open(encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]

    def ingest(self, student: str, raw_events: list[object]) -> IngestResult:
        result = IngestResult()
        valid: list[dict[str, Any]] = []
        for index, raw in enumerate(raw_events[:MAX_EVENTS_PER_REQUEST]):
            try:
                valid.append(validate_event(raw, self.course))
            except ValueError as error:
                result.rejected.append(f"event {index}: {error}")
        if len(raw_events) > MAX_EVENTS_PER_REQUEST:
            result.rejected.append(
                f"{len(raw_events) - MAX_EVENTS_PER_REQUEST} events past the first "
                f"{MAX_EVENTS_PER_REQUEST} were not read; post them in smaller batches"
            )
        path = self.path(student)
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, path.open("a+", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # other server processes append too
            handle.seek(0)
            seen = {line.rstrip("\n") for line in handle if line.strip()}
            new_lines: list[str] = []
            for event in valid:
                line = json.dumps({k: event[k] for k in _FIELDS}, sort_keys=True)
                if line in seen:
                    result.duplicates += 1
                    continue
                seen.add(line)
                new_lines.append(line)
            if new_lines:
                handle.write("".join(f"{line}\n" for line in new_lines))
                handle.flush()
            result.stored = len(new_lines)
        return result

    def summary(self, student: str) -> dict[str, Any]:
        """Counts per objective and event kind, for the sidebar and for instructors."""
        per_objective: dict[str, dict[str, int]] = {}
        events = self.events(student)
        for event in events:
            key = event.get("objective") or "(none)"
            counts = per_objective.setdefault(key, {})
            kind = str(event.get("event"))
            counts[kind] = counts.get(kind, 0) + 1
            if event.get("outcome") == "correct":
                counts["correct"] = counts.get("correct", 0) + 1
        return {"events": len(events), "objectives": per_objective}

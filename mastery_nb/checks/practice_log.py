"""The practice log: formative evidence beside the notebook, in JSON lines.

Every check, hint, solution view and quiz answer check appends one line to
``.mastery-practice.jsonl`` in the notebook's folder::

    {"time": "2026-11-22T09:00:00.123Z", "course": "...", "unit": "...", "question": "...",
     "objective": "...", "event": "check"|"hint"|"solution"|"quiz",
     "outcome": "correct"|"incorrect"|"not_attempted"|"error"|null}

The progress service may ingest it later; practice never counts toward mastery. Writing
must never break the learner's notebook (read-only folders, full disks), and reading must
survive a truncated or hand-edited file, so both are forgiving.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

__all__ = [
    "EVENTS",
    "PRACTICE_LOG",
    "PracticeEvent",
    "append_event",
    "count_attempts",
    "read_events",
]

PRACTICE_LOG = ".mastery-practice.jsonl"
Event = Literal["check", "hint", "solution", "quiz"]
EVENTS: tuple[str, ...] = ("check", "hint", "solution", "quiz")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class PracticeEvent:
    """One line of the practice log."""

    course: str
    unit: str
    question: str
    objective: str
    event: str
    outcome: str | None = None
    time: str = ""

    def to_json(self) -> str:
        data = asdict(self)
        data["time"] = self.time or _now()
        return json.dumps(data, sort_keys=True, ensure_ascii=False)


def append_event(folder: Path, event: PracticeEvent) -> bool:
    """Append one event to ``folder/.mastery-practice.jsonl``; False if it could not be written.

    One ``write`` of one line on a file opened in append mode, so concurrent kernels in one
    folder do not interleave partial lines.
    """
    line = (event.to_json() + "\n").encode("utf-8")
    try:
        fd = os.open(folder / PRACTICE_LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    except OSError:
        return False
    try:
        os.write(fd, line)
    except OSError:
        return False
    finally:
        os.close(fd)
    return True


def read_events(folder: Path) -> list[PracticeEvent]:
    """Every well-formed event in the folder's log, in order; broken lines are skipped."""
    path = folder / PRACTICE_LOG
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    events: list[PracticeEvent] = []
    for line in text.splitlines():
        try:
            data = json.loads(line)
        except ValueError:
            continue
        if not isinstance(data, dict) or data.get("event") not in EVENTS:
            continue
        fields = ("course", "unit", "question", "objective", "time")
        if not all(isinstance(data.get(k, ""), str) for k in fields):
            continue
        outcome = data.get("outcome")
        events.append(
            PracticeEvent(
                course=data.get("course", ""),
                unit=data.get("unit", ""),
                question=data.get("question", ""),
                objective=data.get("objective", ""),
                event=data["event"],
                outcome=outcome if isinstance(outcome, str) else None,
                time=data.get("time", ""),
            )
        )
    return events


def count_attempts(folder: Path, course: str, unit: str, question: str) -> int:
    """How many times this question was really checked (not-attempted checks do not count)."""
    return sum(
        1
        for e in read_events(folder)
        if e.event in ("check", "quiz")
        and e.question == question
        and e.unit == unit
        and e.course == course
        and e.outcome in ("correct", "incorrect", "error")
    )

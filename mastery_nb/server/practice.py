"""Practice events from the learner's workspace, on their way to the backend.

In-notebook checks append JSON lines to ``.mastery-practice.jsonl`` in the notebook's
folder (docs/design.md, "Practice events"). That file is the learner's and they can edit
it, so it is evidence of practice, never of mastery. The server reads every such log under
the course folder and sends the events to the backend, which checks and stores them
(idempotently) in the database. :class:`SentEvents` remembers what the backend already
took, so a poll sends only new lines.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

__all__ = ["MAX_LOG_BYTES", "PRACTICE_LOG", "SentEvents", "event_key", "read_workspace_events"]

PRACTICE_LOG = ".mastery-practice.jsonl"
#: a workspace log larger than this is read only up to here
MAX_LOG_BYTES = 5 * 1024 * 1024


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
            data = handle.read(MAX_LOG_BYTES)
        rel = log.relative_to(workspace_course_dir).as_posix()
        for number, line in enumerate(data.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                events.append(json.loads(line))
            except (json.JSONDecodeError, UnicodeDecodeError):
                problems.append(f"{rel}: line {number}: not valid JSON")
    return events, problems


def event_key(event: object) -> str:
    """The event as canonical JSON: equal events, equal keys."""
    return json.dumps(event, sort_keys=True, separators=(",", ":"), default=str)


class SentEvents:
    """Keys of the events the backend already took (stored or on record), in this server."""

    def __init__(self) -> None:
        self._keys: set[str] = set()
        self._lock = threading.Lock()

    def split(self, events: list[object]) -> tuple[list[object], int]:
        """(events not sent yet, how many were sent before)."""
        with self._lock:
            fresh = [e for e in events if event_key(e) not in self._keys]
        return fresh, len(events) - len(fresh)

    def remember(self, events: list[object]) -> None:
        with self._lock:
            self._keys.update(event_key(e) for e in events)

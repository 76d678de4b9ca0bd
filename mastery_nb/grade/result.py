"""What grading one attempt produces: plain data, no database, no I/O.

:func:`mastery_nb.grade.attempt.grade_attempt` returns an :class:`AttemptResult`; the
queue stores it; progress and feedback read it back. Messages here are safe to show the
learner: they never contain the source of hidden tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from mastery_nb.mastery import decide

__all__ = ["AttemptResult", "CellResult", "ObjectiveResult"]

CellStatus = Literal["passed", "partial", "failed", "error", "timeout", "missing", "not_run"]


@dataclass(frozen=True)
class CellResult:
    """The score of one graded cell of the bundle."""

    notebook: str  #: notebook path relative to the course folder
    grade_id: str
    points: float  #: earned
    max_points: float
    objectives: tuple[str, ...]
    status: CellStatus
    message: str = ""  #: why it failed, in words (exception type and message, never hidden source)


@dataclass(frozen=True)
class ObjectiveResult:
    objective: str
    points: float
    max_points: float
    threshold: float

    @property
    def score(self) -> float:
        return decide(self.points, self.max_points, self.threshold).score

    @property
    def mastered(self) -> bool:
        return decide(self.points, self.max_points, self.threshold).mastered


@dataclass(frozen=True)
class AttemptResult:
    """Everything grading decided about one attempt."""

    cells: tuple[CellResult, ...]
    objectives: tuple[ObjectiveResult, ...]
    tampering: tuple[str, ...] = ()  #: what was restored from the bundle, in words
    messages: tuple[str, ...] = ()  #: notebook-level messages (timeout, killed for memory, invalid)
    duration_seconds: float = 0.0
    extra: dict[str, object] = field(default_factory=dict)

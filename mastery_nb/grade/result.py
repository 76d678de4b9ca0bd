"""What grading one attempt produces: plain data, no database, no I/O.

:func:`mastery_nb.grade.attempt.grade_attempt` returns an :class:`AttemptResult`; the
queue stores it; progress and feedback read it back. Messages here are safe to show the
learner: they never contain the source of hidden tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from mastery_nb.mastery import decide

__all__ = ["AttemptResult", "CellResult", "FailurePart", "LearnerError", "ObjectiveResult"]

#: ``manual``: an answer or task graded by hand, not graded yet (its points are pending);
#: ``reviewed``: graded by hand (the points an instructor gave)
CellStatus = Literal[
    "passed", "partial", "failed", "error", "timeout", "missing", "not_run", "manual", "reviewed"
]
#: where a test cell failed: its visible part (the learner can read it), a hidden test, or
#: unknown (it did not raise, or the line could not be told)
FailurePart = Literal["visible", "hidden", ""]


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
    part: FailurePart = ""


@dataclass(frozen=True)
class LearnerError:
    """An exception raised by one of the learner's own cells while the notebook ran.

    Feedback shows it beside the checks it broke: ``before`` is the grade id of the first
    test cell after it (None when no test follows), so a ``SyntaxError`` in an answer
    reaches the learner, not only the ``NameError`` the test then meets.
    """

    notebook: str
    cell: (
        str | None
    )  #: the grade id of the cell (an answer cell), None for a cell the learner added
    where: str  #: the cell in words, as grading names it ("answer cell 'q1'", "cell 7")
    message: str  #: ``Type: message`` of the learner's exception
    line: int | None = None  #: the line of the cell that raised
    before: str | None = None


@dataclass(frozen=True)
class ObjectiveResult:
    objective: str
    points: float
    max_points: float
    threshold: float
    #: points of answers graded by hand not graded yet (part of ``max_points``)
    pending: float = 0.0

    @property
    def score(self) -> float:
        return decide(self.points, self.max_points, self.threshold, self.pending).score

    @property
    def mastered(self) -> bool:
        return decide(self.points, self.max_points, self.threshold, self.pending).mastered

    @property
    def awaiting_review(self) -> bool:
        return decide(self.points, self.max_points, self.threshold, self.pending).awaiting_review


@dataclass(frozen=True)
class AttemptResult:
    """Everything grading decided about one attempt."""

    cells: tuple[CellResult, ...]
    objectives: tuple[ObjectiveResult, ...]
    tampering: tuple[str, ...] = ()  #: what was restored from the bundle, in words
    messages: tuple[str, ...] = ()  #: notebook-level messages (timeout, killed for memory, invalid)
    duration_seconds: float = 0.0
    extra: dict[str, object] = field(default_factory=dict)
    learner_errors: tuple[LearnerError, ...] = ()  #: the learner's own cells that raised

"""The backend seam: what a learner's Jupyter server asks, whoever answers it.

:class:`Backend` is a ``Protocol`` of plain methods taking and returning the documents of
:mod:`mastery_nb.documents`. Two implementations:

- :class:`~mastery_nb.backend.local.LocalBackend`: the store, the released course and
  the grading queue in this process (``mastery-nb demo``, one machine);
- :class:`~mastery_nb.backend.service.ServiceBackend`: HTTP to the mastery service with
  the learner's own hub token (a class on JupyterHub); it holds no database URL, no path
  to ``autograder/`` and no other secret.

Both raise :class:`BackendError` (an HTTP status, a machine-readable code and a sentence),
so the server extension's routes answer the same whichever is behind them.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from mastery_nb.documents import (
    AttemptHistory,
    ErrorDocument,
    Feedback,
    GradingStatus,
    PracticeIngest,
    PracticeSummary,
    Progress,
    SolutionGate,
    StartReceipt,
    SubmitReceipt,
)

__all__ = ["Backend", "BackendError"]


class BackendError(Exception):
    """A request the backend refused or could not answer, in words.

    ``status`` is the HTTP status the learner's server answers with, ``code`` a word the
    sidebar can act on (``locked``, ``cooldown``, ``attempt_limit``, ``invalid``,
    ``unknown_unit``, ``no_feedback``, ``no_course``, ``rate_limited``, ``forbidden``,
    ``unauthorized``, ``unavailable``).
    """

    def __init__(self, status: int, code: str, message: str) -> None:
        self.status = status
        self.code = code
        self.message = message
        super().__init__(message)

    def document(self) -> ErrorDocument:
        return ErrorDocument(error=self.message, code=self.code)

    @classmethod
    def from_document(cls, status: int, document: ErrorDocument) -> BackendError:
        return cls(status, document.code, document.error)


@runtime_checkable
class Backend(Protocol):
    """One course, as seen by the learners' servers. Every method may raise BackendError."""

    course_id: str

    def progress(self, learner: str) -> Progress: ...

    def start(self, learner: str, unit: str) -> StartReceipt: ...

    def submit(self, learner: str, unit: str, notebooks: dict[str, bytes]) -> SubmitReceipt: ...

    def attempts(self, learner: str, unit: str) -> AttemptHistory: ...

    def feedback(self, learner: str, unit: str, attempt: int | None = None) -> Feedback: ...

    def record_practice(self, learner: str, events: list[object]) -> PracticeIngest: ...

    def practice(self, learner: str) -> PracticeSummary: ...

    def solution_gate(self, learner: str, unit: str, question: str) -> SolutionGate: ...

    def grading_status(self, learner: str) -> GradingStatus: ...

    def close(self) -> None: ...

"""The outcome of one practice check, as plain data.

A verdict is what the learner sees after pressing Check (or calling ``checks.check``):
one of four statuses, a specific message, and the objective the check serves. It is pure
data so the widget, the plain-text fallback, the practice log and grading mode all agree
on the same words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "PRACTICE_PASSED",
    "STATUSES",
    "Status",
    "Verdict",
]

Status = Literal["correct", "incorrect", "not_attempted", "error"]
STATUSES: tuple[Status, ...] = ("correct", "incorrect", "not_attempted", "error")

#: Honest wording: a passed public check is practice; hidden tests decide mastery.
PRACTICE_PASSED = (
    "Practice check passed — mastery is decided when you submit the unit (hidden tests run then)."
)

_TITLES: dict[Status, str] = {
    "correct": "Correct",
    "incorrect": "Not yet",
    "not_attempted": "Not attempted",
    "error": "Error",
}

_SYMBOLS: dict[Status, str] = {
    "correct": "✔",
    "incorrect": "✘",
    "not_attempted": "…",
    "error": "⚠",
}


@dataclass(frozen=True)
class Verdict:
    """One check's result: ``status``, the learner-facing ``message``, and what it serves.

    ``objective`` is the objective id; ``objective_text`` its description when the course
    manifest is at hand (shown to the learner so they know what the check is about).
    """

    question: str
    status: Status
    message: str
    objective: str = ""
    objective_text: str = ""

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown verdict status {self.status!r}; use one of {STATUSES}")

    @property
    def passed(self) -> bool:
        return self.status == "correct"

    @property
    def title(self) -> str:
        """A one-word heading: ``Correct``, ``Not yet``, ``Not attempted``, ``Error``."""
        return _TITLES[self.status]

    @property
    def symbol(self) -> str:
        return _SYMBOLS[self.status]

    @property
    def objective_label(self) -> str:
        """``objective-id — description`` (or just the id)."""
        if self.objective and self.objective_text:
            return f"{self.objective} — {self.objective_text}"
        return self.objective

    def as_dict(self) -> dict[str, str]:
        return {
            "question": self.question,
            "status": self.status,
            "message": self.message,
            "objective": self.objective,
        }

"""Feedback on an attempt: JSON (:func:`attempt_feedback`) and an HTML page
(:func:`render_feedback_html`), both safe to show the learner."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mastery_nb._lazy import lazy_exports

if TYPE_CHECKING:
    from mastery_nb.feedback.html import render_feedback_html
    from mastery_nb.feedback.report import attempt_feedback

__all__ = [
    "attempt_feedback",
    "render_feedback_html",
]

# imported on first use, so that `mastery-nb VERB --help` does not load them
__getattr__ = lazy_exports(
    __name__,
    {
        "render_feedback_html": "mastery_nb.feedback.html",
        "attempt_feedback": "mastery_nb.feedback.report",
    },
)

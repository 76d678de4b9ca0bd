"""Feedback on an attempt: JSON (:func:`attempt_feedback`) and an HTML page
(:func:`render_feedback_html`), both safe to show the learner."""

from __future__ import annotations

from mastery_nb.feedback.html import render_feedback_html
from mastery_nb.feedback.report import attempt_feedback

__all__ = ["attempt_feedback", "render_feedback_html"]

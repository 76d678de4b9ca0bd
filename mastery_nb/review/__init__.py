"""The instructor's hand in mastery: grades given by hand and overrides, with their trail.

- :mod:`mastery_nb.review.manual`: :func:`record_manual_grade` (a grade by hand counts at
  once toward its objectives) and :class:`Refused`;
- :mod:`mastery_nb.review.answers`: the learner's answers, read from the stored submission;
- :mod:`mastery_nb.review.sheet`: :func:`review_sheet`, one attempt's answers to grade;
- :mod:`mastery_nb.review.overrides`: :func:`add_override`, :func:`revoke_override`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mastery_nb._lazy import lazy_exports

if TYPE_CHECKING:
    from mastery_nb.review.manual import Refused, record_manual_grade
    from mastery_nb.review.overrides import add_override, override_entries, revoke_override
    from mastery_nb.review.sheet import review_sheet

__all__ = [
    "Refused",
    "add_override",
    "override_entries",
    "record_manual_grade",
    "review_sheet",
    "revoke_override",
]

__getattr__ = lazy_exports(
    __name__,
    {
        "Refused": "mastery_nb.review.manual",
        "record_manual_grade": "mastery_nb.review.manual",
        "add_override": "mastery_nb.review.overrides",
        "override_entries": "mastery_nb.review.overrides",
        "revoke_override": "mastery_nb.review.overrides",
        "review_sheet": "mastery_nb.review.sheet",
    },
)

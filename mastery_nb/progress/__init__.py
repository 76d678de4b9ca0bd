"""Standing and unlocking: where a learner stands in every unit of a course.

:mod:`mastery_nb.progress.standing` is the pure rule (course graph + attempts + now);
:func:`course_progress` reads the learner's attempts from the store and applies it.
"""

from __future__ import annotations

from mastery_nb.progress.report import course_progress, learner_standing, unit_json
from mastery_nb.progress.standing import (
    AttemptRecord,
    GradingProblem,
    ObjectiveStanding,
    UnitStanding,
    standing,
)

__all__ = [
    "AttemptRecord",
    "GradingProblem",
    "ObjectiveStanding",
    "UnitStanding",
    "course_progress",
    "learner_standing",
    "standing",
    "unit_json",
]

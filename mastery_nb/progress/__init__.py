"""Standing and unlocking: where a learner stands in every unit of a course.

:mod:`mastery_nb.progress.standing` is the pure rule (course graph + attempts + now);
:func:`course_progress` reads the learner's attempts from the store and applies it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mastery_nb._lazy import lazy_exports

if TYPE_CHECKING:
    from mastery_nb.progress.report import (
        check_known_learner,
        course_progress,
        learner_standing,
        learner_standings,
        placement_json,
        unit_json,
    )
    from mastery_nb.progress.standing import (
        AttemptRecord,
        GradingProblem,
        ObjectiveStanding,
        UnitStanding,
        placement_standing,
        standing,
    )

__all__ = [
    "AttemptRecord",
    "GradingProblem",
    "ObjectiveStanding",
    "UnitStanding",
    "check_known_learner",
    "course_progress",
    "learner_standing",
    "learner_standings",
    "placement_json",
    "placement_standing",
    "standing",
    "unit_json",
]

# imported on first use, so that `mastery-nb VERB --help` does not load them
__getattr__ = lazy_exports(
    __name__,
    {
        "check_known_learner": "mastery_nb.progress.report",
        "course_progress": "mastery_nb.progress.report",
        "learner_standing": "mastery_nb.progress.report",
        "learner_standings": "mastery_nb.progress.report",
        "placement_json": "mastery_nb.progress.report",
        "placement_standing": "mastery_nb.progress.standing",
        "unit_json": "mastery_nb.progress.report",
        "AttemptRecord": "mastery_nb.progress.standing",
        "GradingProblem": "mastery_nb.progress.standing",
        "ObjectiveStanding": "mastery_nb.progress.standing",
        "UnitStanding": "mastery_nb.progress.standing",
        "standing": "mastery_nb.progress.standing",
    },
)

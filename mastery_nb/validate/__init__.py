"""``mastery-nb validate``: every authoring mistake of a course at once, each with file, place and fix."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mastery_nb._lazy import lazy_exports

if TYPE_CHECKING:
    from mastery_nb.validate.course import CourseCheck, validate_course, validate_courses

__all__ = [
    "CourseCheck",
    "validate_course",
    "validate_courses",
]

# imported on first use, so that `mastery-nb VERB --help` does not load them
__getattr__ = lazy_exports(
    __name__,
    {
        "CourseCheck": "mastery_nb.validate.course",
        "validate_course": "mastery_nb.validate.course",
        "validate_courses": "mastery_nb.validate.course",
    },
)

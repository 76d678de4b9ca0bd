"""The course: its model, its manifest (``course.toml``), objectives on cells, the grading bundle.

``load_course(root, course_id)`` is the entry point every other part uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mastery_nb._lazy import lazy_exports

if TYPE_CHECKING:
    from mastery_nb.course.manifest import ManifestReading, load_course, parse_cooldown, read_course
    from mastery_nb.course.model import Course, Objective, Policy, Resource, Unit
    from mastery_nb.course.notebook import cell_objectives, graded_objectives

__all__ = [
    "Course",
    "ManifestReading",
    "Objective",
    "Policy",
    "Resource",
    "Unit",
    "cell_objectives",
    "graded_objectives",
    "load_course",
    "parse_cooldown",
    "read_course",
]

# imported on first use, so that `mastery-nb VERB --help` does not load them
__getattr__ = lazy_exports(
    __name__,
    {
        "ManifestReading": "mastery_nb.course.manifest",
        "load_course": "mastery_nb.course.manifest",
        "parse_cooldown": "mastery_nb.course.manifest",
        "read_course": "mastery_nb.course.manifest",
        "Course": "mastery_nb.course.model",
        "Objective": "mastery_nb.course.model",
        "Policy": "mastery_nb.course.model",
        "Resource": "mastery_nb.course.model",
        "Unit": "mastery_nb.course.model",
        "cell_objectives": "mastery_nb.course.notebook",
        "graded_objectives": "mastery_nb.course.notebook",
    },
)

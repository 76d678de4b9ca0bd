"""The course: its model, its manifest (``course.toml``), objectives on cells, the grading bundle.

``load_course(root, course_id)`` is the entry point every other part uses.
"""

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

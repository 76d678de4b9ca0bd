"""``mastery-nb validate``: every authoring mistake of a course at once, each with file, place and fix."""

from mastery_nb.validate.course import CourseCheck, validate_course, validate_courses

__all__ = ["CourseCheck", "validate_course", "validate_courses"]

"""The one reader of a released course: what it reads, its cache, and its refusals."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest

from mastery_nb.course import load_course
from mastery_nb.course.reader import ReleasedCourse
from mastery_nb.errors import MasteryError
from mastery_nb.release import release_course
from mastery_nb.root import CourseRoot

COURSE = "clean-course"


def test_reads_the_released_course_and_units_from_one_cache(
    make_root: Callable[..., CourseRoot],
) -> None:
    root = make_root(COURSE)
    release_course(root, COURSE)
    released = ReleasedCourse.of(root, COURSE)
    assert released.is_released()
    course = released.course()
    without_grade_ids = course.model_copy(
        update={"units": tuple(u.model_copy(update={"graded": ()}) for u in course.units)}
    )
    assert without_grade_ids == load_course(root, COURSE), "the manifest, plus grade ids"
    assert released.course() is ReleasedCourse.of(root, COURSE).course()  # cached
    assert released.unit_bundle("basics") is released.unit_bundle("basics")
    assert released.files_dir == root.course_bundle(COURSE) / "files"
    assert released.public_manifest() == (root.course_release(COURSE) / "course.json").read_bytes()

    # a re-release is seen at once: the cache is keyed by the file's modification time
    manifest = root.course_bundle(COURSE) / "course.json"
    edited = manifest.read_text(encoding="utf-8").replace('"title": "', '"title": "New: ', 1)
    manifest.write_text(edited, encoding="utf-8")
    os.utime(manifest, ns=(1, 1))
    assert released.course().title.startswith("New: ")


def test_refusals_name_the_file_and_the_fix(make_root: Callable[..., CourseRoot]) -> None:
    root = make_root(COURSE)
    with pytest.raises(MasteryError) as missing:
        ReleasedCourse.of(root, COURSE).course()
    assert str(missing.value.problems[0]) == (
        f"autograder/{COURSE}: course '{COURSE}' is not released in this course root "
        f"({root.path}). Fix: run `mastery-nb release` in the course root, or pass --root"
    )
    release_course(root, COURSE)
    with pytest.raises(MasteryError, match="the grading bundle of unit 'nope' is missing"):
        ReleasedCourse.of(root, COURSE).unit_bundle("nope")
    (root.course_bundle(COURSE) / "units" / "basics.json").write_text("{}", encoding="utf-8")
    with pytest.raises(MasteryError, match="not a valid grading bundle"):
        ReleasedCourse.of(root, COURSE).unit_bundle("basics")
    assert not ReleasedCourse.of(root, "../etc").is_released()

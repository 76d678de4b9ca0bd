"""Fixture course roots: copies of ``tests/fixtures/courses/<name>/`` in a temporary folder."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from mastery_nb.root import CourseRoot

FIXTURE_COURSES = Path(__file__).resolve().parent / "fixtures" / "courses"


@pytest.fixture
def make_root(tmp_path: Path) -> Callable[..., CourseRoot]:
    """``make_root("clean-course", ...)``: a course root holding copies of those fixture courses."""

    def make(*courses: str) -> CourseRoot:
        root = tmp_path / "root"
        (root / "courses").mkdir(parents=True, exist_ok=True)
        for course in courses:
            shutil.copytree(FIXTURE_COURSES / course, root / "courses" / course)
        return CourseRoot.at(root, data_dir=tmp_path / "data")

    return make

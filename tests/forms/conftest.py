"""Fixtures for the parallel-forms and placement tests: the forms course, a warm grader."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from forms_course import build_forms_course

from mastery_nb.grade.attempt import GradingPool
from mastery_nb.root import CourseRoot


@pytest.fixture
def forms_root(tmp_path: Path) -> CourseRoot:
    """The forms course, released, with a fresh data directory (a new form key)."""
    return build_forms_course(tmp_path / "root")


@pytest.fixture(scope="module")
def forms_pool() -> Iterator[GradingPool]:
    with GradingPool(workers=1) as pool:
        yield pool

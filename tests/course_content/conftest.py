"""Fixtures for the sample course's content tests (helpers: ``course_content_helpers``)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from course_content_helpers import COURSE, copy_course_root

from mastery_nb.grade.attempt import GradingPool


@pytest.fixture(scope="session")
def course_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A scratch course root with a copy of the sample course and its fresh release."""
    repo_root = Path(__file__).resolve().parents[2]
    root = copy_course_root(repo_root, tmp_path_factory.mktemp("course-root"))
    done = subprocess.run(
        [sys.executable, "-m", "mastery_nb", "release", "--root", str(root), COURSE],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "MASTERY_NB_DATA_DIR": str(root / ".mastery-data")},
    )
    assert done.returncode == 0, f"release failed:\n{done.stdout}\n{done.stderr}"
    yield root


@pytest.fixture(scope="session")
def content_pool() -> Iterator[GradingPool]:
    """The real grader's pool: grading a notebook takes milliseconds, not a kernel start."""
    with GradingPool(workers=2) as pool:
        yield pool

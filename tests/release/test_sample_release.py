"""The committed release/ and autograder/ of the sample course are what a release gives now."""

from __future__ import annotations

from pathlib import Path

import pytest

from mastery_nb.release import build_release, stale_files
from mastery_nb.root import CourseRoot

REPO = Path(__file__).resolve().parents[2]
SAMPLE = "intro-data-science"


@pytest.fixture
def repo() -> CourseRoot:
    if not (REPO / "courses" / SAMPLE / "course.toml").is_file():
        pytest.skip(f"the sample course courses/{SAMPLE}/ does not exist yet")
    return CourseRoot.at(REPO)


def test_sample_course_validates_and_committed_release_is_not_stale(repo: CourseRoot) -> None:
    output = build_release(repo, SAMPLE)  # raises with every problem if the course is invalid
    stale = stale_files(repo, output)
    assert not stale, (
        f"release/{SAMPLE}/ or autograder/{SAMPLE}/ is stale: {stale[:10]}; "
        f"run `mastery-nb release {SAMPLE}` and commit the result"
    )

"""The sample course, released by ``mastery-nb release``, graded with its own solutions.

A learner's submission is the released notebook with each answer cell filled with the
instructor's solution: every code test must pass, with no tampering seen. Quiz answers are
not in these notebooks, so quiz test cells fail with the checks' own "No answer yet"; a
written answer graded by hand is not scored automatically.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from unitkit import solved

from mastery_nb.course.reader import ReleasedCourse

COURSE = "intro-data-science"


def test_instructor_solutions_pass_every_code_test(repo_root: Path, pool) -> None:
    bundle_dir = repo_root / "autograder" / COURSE
    if not (bundle_dir / "course.json").is_file():
        pytest.skip("the sample course is not released (run `mastery-nb release`)")
    course = ReleasedCourse.at(bundle_dir).course()
    graded = 0
    for unit in course.units:
        bundle = ReleasedCourse.at(bundle_dir).unit_bundle(unit.id)
        notebooks = {
            nb.path: solved(
                repo_root / "release" / COURSE / nb.path, repo_root / "courses" / COURSE / nb.path
            )
            for nb in bundle.notebooks
        }
        result = pool.grade(bundle, notebooks, bundle_dir / "files")
        assert result.tampering == (), unit.id
        assert result.messages == (), unit.id
        for cell in result.cells:
            if cell.status != "passed":
                # quizzes have no saved answer here; the project's write-up is graded by hand
                assert "No answer yet" in cell.message or "graded by hand" in cell.message, (
                    unit.id,
                    cell,
                )
            else:
                graded += 1
    assert graded >= 20

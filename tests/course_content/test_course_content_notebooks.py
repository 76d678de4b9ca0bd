"""Execute the sample course's notebooks, as an author and as a fresh student.

(a) Every SOURCE unit notebook, run with its solutions in grading mode and with the right
    quiz answers written where the grader writes them, passes every test cell, and every
    practice check says "correct".
(b) Every RELEASED unit notebook (fresh ``mastery-nb release`` output), run without
    solutions, fails every test cell, and only answer and test cells raise: the locked
    set-up cells work and the practice checks say "not attempted" rather than crashing.
(c) Every resource (corrective) notebook runs without an error.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from course_content_helpers import COURSE, execute_notebook, quiz_answers

from mastery_nb.checks import write_answers

pytestmark = pytest.mark.slow

UNITS = [
    "01-python-basics",
    "02-functions",
    "03-lists-dicts",
    "04-numpy-arrays",
    "05-pandas-basics",
    "06-describing-data",
]


def test_every_unit_notebook_is_listed(repo_root: Path) -> None:
    found = sorted(p.stem for p in (repo_root / "courses" / COURSE / "units").glob("*.ipynb"))
    assert found == UNITS


@pytest.mark.parametrize("unit", UNITS)
def test_source_notebook_passes_with_solutions(course_root: Path, unit: str) -> None:
    course_dir = course_root / "courses" / COURSE
    write_answers(course_dir / "units", quiz_answers(course_dir))
    runs = execute_notebook(course_dir / "units" / f"{unit}.ipynb")

    errors = [f"cell {r.index} ({r.grade_id}): {r.error}" for r in runs if r.error]
    assert not errors, "the solved notebook raised:\n" + "\n".join(errors)
    tests = [r for r in runs if r.is_test]
    assert len(tests) >= 4, f"{unit} has only {len(tests)} test cells"
    practice = [r for r in runs if "checks.ask(" in r.source]
    assert practice, f"{unit} has no practice check cell"
    for r in practice:
        assert "Correct" in r.text and "Practice check passed" in r.text, (
            f"{unit} cell {r.index} ({r.grade_id}) practice verdict with the solution: {r.text!r}"
        )
    quizzes = [r for r in tests if "checks.quiz(" in r.source]
    assert quizzes, f"{unit} shows no quiz in a graded cell"
    for r in quizzes:
        assert "Correct" in r.text, f"{unit} quiz cell {r.grade_id}: {r.text!r}"


@pytest.mark.parametrize("unit", UNITS)
def test_released_notebook_fails_without_solutions(course_root: Path, unit: str) -> None:
    released = course_root / "release" / COURSE / "units" / f"{unit}.ipynb"
    text = released.read_text(encoding="utf-8")
    assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text
    runs = execute_notebook(released)

    tests = [r for r in runs if r.is_test]
    assert tests
    passing = [r.grade_id for r in tests if r.error is None]
    assert not passing, f"{unit}: these test cells pass without any answer: {passing}"
    for r in tests:
        assert r.error is not None and r.error[0] in ("AssertionError", "NameError"), (
            f"{unit} {r.grade_id} failed with {r.error}, expected a failed check"
        )
    unexpected = [
        f"cell {r.index} ({r.grade_id}): {r.error}"
        for r in runs
        if r.error and not r.is_test and not (r.is_solution and r.error[0] == "NotImplementedError")
    ]
    assert not unexpected, "cells other than answers and tests raised:\n" + "\n".join(unexpected)
    for r in runs:
        if "checks.ask(" in r.source:
            assert "Not attempted" in r.text, f"{unit} {r.grade_id}: {r.text!r}"


def test_resource_notebooks_run(course_root: Path) -> None:
    """All correctives, run one after the other in a single kernel (they are independent)."""
    resources = course_root / "courses" / COURSE / "resources"
    paths = sorted(resources.glob("*.ipynb"))
    assert len(paths) >= 12
    merged = nbformat.v4.new_notebook()
    merged.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    origin: list[str] = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        assert nb.metadata["kernelspec"]["name"] == "python3"
        for cell in nb.cells:
            if cell.cell_type == "code":
                merged.cells.append(nbformat.v4.new_code_cell(cell.source))
                origin.append(path.name)
    work = resources / "all-resources.ipynb"
    nbformat.write(merged, work)
    try:
        runs = execute_notebook(work, grading=False)
    finally:
        work.unlink()
    errors = [f"{origin[i]}: {r.error}" for i, r in enumerate(runs) if r.error]
    assert not errors, "\n".join(errors)


def test_source_run_left_no_files_in_the_repository(repo_root: Path) -> None:
    course = repo_root / "courses" / COURSE
    stray = [
        p for p in course.rglob("*") if p.name.startswith(".mastery-") or p.name == "__pycache__"
    ]
    assert not stray, f"executing the course must not write into the repository: {stray}"

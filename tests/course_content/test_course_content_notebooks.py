"""Execute the sample course's notebooks in a real kernel, as an author and as a fresh learner.

Grading is covered by ``test_course_content_grading.py`` (through the grader's pool); this
file checks what a learner sees in JupyterLab. To keep the suite fast, each group of
notebooks runs one after the other in a single kernel (they all live in the same folder,
and each unit starts by loading its own checks).

(a) Every SOURCE unit notebook, run with its solutions in grading mode and with the right
    quiz answers written where the grader writes them, raises nowhere, and every practice
    check and quiz says "Correct".
(b) Every RELEASED unit notebook, run without solutions as a learner runs it ("Restart the
    kernel and run all cells"), gets to its end: only answer and test cells raise, and
    those are tagged ``raises-exception`` so Run All goes on past them; the practice checks
    say "not attempted" rather than crashing.
(c) Every corrective and enrichment notebook runs without an error.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from course_content_helpers import (
    COURSE,
    execute_notebook,
    merged_notebook,
    quiz_answers,
    units,
)

from mastery_nb.checks import write_answers

pytestmark = pytest.mark.slow

UNITS = units()


def test_every_unit_notebook_is_listed(repo_root: Path) -> None:
    found = sorted(
        f"units/{p.name}" for p in (repo_root / "courses" / COURSE / "units").glob("*.ipynb")
    )
    assert found == sorted(u.notebook for u in UNITS)


def test_source_notebooks_pass_with_solutions(course_root: Path) -> None:
    course_dir = course_root / "courses" / COURSE
    units_dir = course_dir / "units"
    write_answers(units_dir, quiz_answers(course_dir))
    work = units_dir / "all-sources.ipynb"
    origin = merged_notebook([course_dir / u.notebook for u in UNITS], work)
    try:
        runs = execute_notebook(work)
    finally:
        work.unlink()

    errors = [f"{origin[i]} ({r.grade_id}): {r.error}" for i, r in enumerate(runs) if r.error]
    assert not errors, "the solved notebooks raised:\n" + "\n".join(errors)
    practice = [(origin[i], r) for i, r in enumerate(runs) if "checks.ask(" in r.source]
    assert {name for name, _ in practice} == {Path(u.notebook).name for u in UNITS}
    for name, r in practice:
        assert "Correct" in r.text and "Practice check passed" in r.text, (
            f"{name} ({r.grade_id}) practice verdict with the solution: {r.text!r}"
        )
    for i, r in enumerate(runs):
        if r.is_test and "checks.quiz(" in r.source:
            assert "Correct" in r.text, f"{origin[i]} quiz cell {r.grade_id}: {r.text!r}"


def test_released_notebooks_run_to_the_end_without_answers(course_root: Path) -> None:
    release = course_root / "release" / COURSE
    texts = [(release / u.notebook).read_text(encoding="utf-8") for u in UNITS]
    assert not any("BEGIN SOLUTION" in t or "HIDDEN TESTS" in t for t in texts)
    work = release / "units" / "all-released.ipynb"
    origin = merged_notebook([release / u.notebook for u in UNITS], work)
    try:
        runs = execute_notebook(work, grading=False)
    finally:
        work.unlink()

    # (that test cells fail without answers is graded in test_course_content_grading.py)
    tests = [r for r in runs if r.is_test]
    assert tests and all(
        r.error is None or r.error[0] in ("AssertionError", "NameError", "NotImplementedError")
        for r in tests
    ), [(r.grade_id, r.error) for r in tests if r.error]
    unexpected = [
        f"{origin[i]} cell ({r.grade_id}): {r.error}"
        for i, r in enumerate(runs)
        if r.error and not r.is_test and not (r.is_solution and r.error[0] == "NotImplementedError")
    ]
    assert not unexpected, "cells other than answers and tests raised:\n" + "\n".join(unexpected)
    for r in runs:
        if "checks.ask(" in r.source:
            assert "Not attempted" in r.text, f"{r.grade_id}: {r.text!r}"


def test_released_cells_that_raise_let_run_all_go_on(course_root: Path) -> None:
    """JupyterLab's Run All stops at an error unless the cell is tagged raises-exception."""
    import nbformat

    release = course_root / "release" / COURSE
    for unit in UNITS:
        nb = nbformat.read(release / unit.notebook, as_version=4)
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type == "code" and (meta.get("solution") or meta.get("grade")):
                assert "raises-exception" in cell.metadata.get("tags", []), (
                    f"{unit.notebook} {meta.get('grade_id')}: tag it raises-exception"
                )


def test_resource_notebooks_run(course_root: Path) -> None:
    """All correctives and enrichment notebooks, one after the other in a single kernel."""
    resources = course_root / "courses" / COURSE / "resources"
    paths = sorted(resources.glob("*/*.ipynb"))
    assert len(paths) >= 2 * 40
    depth = {len(p.relative_to(resources).parts) for p in paths}
    assert depth == {2}, "resources/<unit>/<name>.ipynb: one depth, so relative paths agree"
    work = paths[0].parent / "all-resources.ipynb"
    origin = merged_notebook(paths, work)
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

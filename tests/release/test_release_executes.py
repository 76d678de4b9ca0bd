"""The fixture course is real: its sources pass their tests, its released notebooks fail them."""

from __future__ import annotations

from collections.abc import Callable

import nbformat
import pytest
from nbclient import NotebookClient

from mastery_nb.course.notebook import is_test
from mastery_nb.release import release_course
from mastery_nb.root import CourseRoot

COURSE = "clean-course"
NOTEBOOKS = [
    "units/01-basics.ipynb",
    "units/02-loops.ipynb",
    "units/03a-combined.ipynb",
    "units/03b-combined.ipynb",
]


def _failed_tests(path: str, folder: str) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb,
        timeout=60,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": folder}},
    ).execute()
    return [
        cell.metadata.nbgrader["grade_id"]
        for cell in nb.cells
        if is_test(cell) and any(o.output_type == "error" for o in cell.outputs)
    ]


@pytest.mark.slow
def test_sources_pass_and_released_notebooks_fail(make_root: Callable[..., CourseRoot]) -> None:
    root = make_root(COURSE)
    release_course(root, COURSE)
    for path in NOTEBOOKS:
        source = root.course_source(COURSE) / path
        released = root.course_release(COURSE) / path
        assert _failed_tests(str(source), str(source.parent)) == [], path
        released_failures = _failed_tests(str(released), str(released.parent))
        tests = [
            c.metadata.nbgrader["grade_id"]
            for c in nbformat.read(released, as_version=4).cells
            if is_test(c)
        ]
        assert released_failures == tests, path

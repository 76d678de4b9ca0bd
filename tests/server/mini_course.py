"""A small real course for the server and sidebar tests, released with ``mastery-nb release``.

Four units: ``python-basics`` (two objectives, one hidden test) unlocks ``functions`` and
``loops``; ``capstone`` waits for both. Small enough that grading takes a second, real
enough to go through the whole product: nbgrader-format source notebooks, the release
step, the grading bundle, the store.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
from nbgrader_cells import nbgrader_cell, unit_notebook

from mastery_nb.root import CourseRoot

__all__ = [
    "COURSE_ID",
    "FIXED_TOTAL",
    "STUDENT",
    "UNIT_1",
    "UNIT_1_NOTEBOOK",
    "WRONG_TOTAL",
    "after_a_wrong_attempt",
    "answered",
    "build_mini_course",
]

COURSE_ID = "mini"
#: the learner the test servers run for
STUDENT = "ada"
#: unit 1, and its notebook's path in the release
UNIT_1 = "python-basics"
UNIT_1_NOTEBOOK = "units/01-python-basics.ipynb"
#: what the learner types into the first answer cell in the tests
WRONG_TOTAL = "total = 3 + 5"
FIXED_TOTAL = "total = 3 + 4"

COURSE_TOML = """
[course]
id = "mini"
title = "Mini course"
threshold = 0.8

[policy]
max_attempts = 3
scoring = "best"

[[units]]
id = "python-basics"
title = "Python basics"
notebooks = ["units/01-python-basics.ipynb"]

[[units.objectives]]
id = "use-variables"
description = "Store values in variables and compute with them"
remediation = [{ title = "Variables, step by step", href = "https://docs.python.org/3/tutorial/introduction.html" }]

[[units.objectives]]
id = "work-with-strings"
description = "Build text with string methods"
remediation = [{ title = "Strings", href = "https://docs.python.org/3/tutorial/introduction.html#text" }]

[[units]]
id = "functions"
title = "Functions"
notebooks = ["units/02-functions.ipynb"]
requires = ["python-basics"]

[[units.objectives]]
id = "write-functions"
description = "Write a function with parameters"

[[units]]
id = "loops"
title = "Loops"
notebooks = ["units/03-loops.ipynb"]
requires = ["python-basics"]

[[units.objectives]]
id = "use-loops"
description = "Accumulate a result with a for loop"

[[units]]
id = "capstone"
title = "Capstone"
notebooks = ["units/04-capstone.ipynb"]
requires = ["functions", "loops"]

[[units.objectives]]
id = "combine"
description = "Combine functions and loops"
"""


def _basics() -> nbformat.NotebookNode:
    return unit_notebook(
        [
            nbgrader_cell(
                "markdown", "# Python basics\n\nCompute `total`, the sum of 3 and 4.", "intro"
            ),
            nbgrader_cell(
                "code",
                f"### BEGIN SOLUTION\n{FIXED_TOTAL}\n### END SOLUTION",
                "answer-total",
                solution=True,
            ),
            nbgrader_cell(
                "code",
                "assert isinstance(total, int), 'total should be an int'\n"
                "### BEGIN HIDDEN TESTS\nassert total == 7, 'total should be 3 + 4'\n### END HIDDEN TESTS",
                "test-total",
                grade=True,
                points=2,
                objectives=("use-variables",),
            ),
            nbgrader_cell(
                "markdown", "Make `greeting` the word hello in lower case.", "intro-greeting"
            ),
            nbgrader_cell(
                "code",
                "### BEGIN SOLUTION\ngreeting = 'HELLO'.lower()\n### END SOLUTION",
                "answer-greeting",
                solution=True,
            ),
            nbgrader_cell(
                "code",
                "assert greeting == 'hello', 'greeting should be hello'",
                "test-greeting",
                grade=True,
                points=1,
                objectives=("work-with-strings",),
            ),
        ]
    )


def _single(title: str, answer: str, test: str, objective: str) -> nbformat.NotebookNode:
    return unit_notebook(
        [
            nbgrader_cell("markdown", f"# {title}", "intro"),
            nbgrader_cell(
                "code", f"### BEGIN SOLUTION\n{answer}\n### END SOLUTION", "answer", solution=True
            ),
            nbgrader_cell("code", test, "test", grade=True, points=1, objectives=(objective,)),
        ]
    )


def build_mini_course(dest: Path) -> CourseRoot:
    """Write the course source under ``dest/courses/mini`` and release it; return the root."""
    from mastery_nb.release.build import release_course

    if dest.exists():
        shutil.rmtree(dest)
    course = dest / "courses" / COURSE_ID
    (course / "units").mkdir(parents=True)
    (course / "course.toml").write_text(COURSE_TOML.lstrip(), encoding="utf-8")
    notebooks = {
        "01-python-basics.ipynb": _basics(),
        "02-functions.ipynb": _single(
            "Functions",
            "def double(x):\n    return 2 * x",
            "assert double(4) == 8",
            "write-functions",
        ),
        "03-loops.ipynb": _single(
            "Loops",
            "squares = [i * i for i in range(4)]",
            "assert squares == [0, 1, 4, 9]",
            "use-loops",
        ),
        "04-capstone.ipynb": _single(
            "Capstone", "result = sum(i for i in range(5))", "assert result == 10", "combine"
        ),
    }
    for name, nb in notebooks.items():
        nbformat.write(nb, course / "units" / name)
    root = CourseRoot.at(dest, data_dir=dest / ".mastery-data")
    release_course(root, COURSE_ID)
    return root


def answered(source: Path, total: str, greeting: str) -> bytes:
    """Unit 1's notebook at ``source`` with these two answers."""
    nb = nbformat.read(source, as_version=4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id == "answer-total":
            cell.source = total
        elif grade_id == "answer-greeting":
            cell.source = greeting
    return nbformat.writes(nb).encode()


def after_a_wrong_attempt(dest: Path) -> CourseRoot:
    """The mini course with the learner's attempt 1 of unit 1 graded: ``total`` wrong."""
    from mastery_nb.grade.queue import grade_pending
    from mastery_nb.submit import submit_attempt

    root = build_mini_course(dest)
    released = root.course_release(COURSE_ID) / UNIT_1_NOTEBOOK
    first = answered(released, WRONG_TOTAL, "greeting = 'hello'")
    submit_attempt(root, COURSE_ID, UNIT_1, STUDENT, {UNIT_1_NOTEBOOK: first})
    assert grade_pending(root, workers=1) == 1
    return root

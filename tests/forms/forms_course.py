"""A small real course with parallel forms and a placement, released with the real code.

Unit ``arith`` draws its numbers per form: a remainder to compute (the value depends on the
form), a rule whose limit depends on the form (``is_big``) and a numeric quiz on the form's
numbers. ``words`` requires it and has no forms. The placement ``place-arith`` covers
``arith`` (its own form too: one number drawn per form).

Answers are written the way learners write them: :func:`form_answers` gives answers that
are right for one form only (its numbers typed as literals), :data:`GENERAL_ANSWERS` the
author's answers, right for every form.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import nbformat
from nbgrader_cells import nbgrader_cell, unit_notebook

from mastery_nb.checks.answers import ANSWER_MIME
from mastery_nb.forms.keys import KEYS_FOLDER
from mastery_nb.release.build import release_course
from mastery_nb.root import CourseRoot

__all__ = [
    "ARITH_NB",
    "COURSE_ID",
    "GENERAL_ANSWERS",
    "PLACEMENT_NB",
    "build_forms_course",
    "fill_answers",
    "fix_form_key",
    "form_answers",
    "write_forms_course",
]

COURSE_ID = "forms"
ARITH_NB = "units/01-arith.ipynb"
WORDS_NB = "units/02-words.ipynb"
PLACEMENT_NB = "placement/arith.ipynb"

COURSE_TOML = """
[course]
id = "forms"
title = "Forms course"

[policy]
max_attempts = 5
scoring = "best"

[[units]]
id = "arith"
title = "Arithmetic"
notebooks = ["units/01-arith.ipynb"]

[[units.objectives]]
id = "use-remainder"
description = "Compute remainders and compare numbers"
remediation = [{ title = "Remainders, again", href = "https://docs.python.org/3/tutorial/introduction.html" }]

[[units]]
id = "words"
title = "Words"
notebooks = ["units/02-words.ipynb"]
requires = ["arith"]

[[units.objectives]]
id = "join-words"
description = "Join words into text"

[[placements]]
id = "place-arith"
title = "Test out of arithmetic"
notebooks = ["placement/arith.ipynb"]
units = ["arith"]
"""

ARITH_CHECKS = """
from mastery_nb.checks import Checks, fail

checks = Checks(unit="arith")


@checks.form
def form(rng):
    return {"a": rng.randint(100, 999), "b": rng.randint(3, 9), "limit": rng.randint(20, 80)}


@checks.question("remainder", objective="use-remainder", hints=["Use % with {{ form.b }}."])
def remainder(ns, form):
    if ns["left"] != form.a % form.b:
        fail("`left` is not the remainder; use %")


@checks.question("big", objective="use-remainder")
def big(ns, form):
    is_big = ns["is_big"]
    if not (is_big(form.limit) and not is_big(form.limit - 1)):
        fail("`is_big` gets the limit wrong")


checks.numeric(
    "floor",
    objective="use-remainder",
    prompt="What is {{ form.a }} // {{ form.b }}?",
    answer=lambda form: form.a // form.b,
)
"""

PLACEMENT_CHECKS = """
from mastery_nb.checks import Checks

checks = Checks(unit="place-arith")


@checks.form
def form(rng):
    return {"n": rng.randint(1000, 9999), "d": rng.randint(11, 19)}
"""

LOAD = 'from mastery_nb.checks import load_checks\n\nchecks = load_checks("{unit}")\nform = checks.values'

#: the author's answers: right for every form (they use the setup's names)
GENERAL_ANSWERS = {
    "answer-left": "left = a % b",
    "answer-big": "def is_big(x):\n    return x >= limit",
}


def _arith() -> nbformat.NotebookNode:
    return unit_notebook(
        [
            nbgrader_cell("code", LOAD.format(unit="arith"), "load"),
            nbformat.v4.new_markdown_cell(
                "### Exercise 1: a remainder\n\nSet `left` to the remainder of "
                "{{ form.a }} divided by {{ form.b }}."
            ),
            nbgrader_cell("code", "a = form.a\nb = form.b", "setup-left"),
            nbgrader_cell(
                "code",
                "### BEGIN SOLUTION\nleft = a % b\n### END SOLUTION",
                "answer-left",
                solution=True,
            ),
            nbgrader_cell(
                "code",
                'checks.check("remainder")\n### BEGIN HIDDEN TESTS\n'
                "assert left == form.a % form.b, 'left is not the remainder'\n"
                "### END HIDDEN TESTS",
                "test-left",
                grade=True,
                points=2,
                objectives=("use-remainder",),
            ),
            nbformat.v4.new_markdown_cell(
                "### Exercise 2: big numbers\n\nWrite `is_big(x)`: `True` when `x` is at least "
                "{{ form.limit }}, else `False`."
            ),
            nbgrader_cell("code", "limit = form.limit", "setup-big"),
            nbgrader_cell(
                "code",
                "def is_big(x):\n    ### BEGIN SOLUTION\n    return x >= limit\n    ### END SOLUTION",
                "answer-big",
                solution=True,
            ),
            nbgrader_cell(
                "code",
                'checks.check("big")\n### BEGIN HIDDEN TESTS\n'
                "assert is_big(form.limit + 7) and not is_big(form.limit - 3)\n"
                "### END HIDDEN TESTS",
                "test-big",
                grade=True,
                points=2,
                objectives=("use-remainder",),
            ),
            nbformat.v4.new_markdown_cell("### Quiz\n\nWhat is {{ form.a }} // {{ form.b }}?"),
            nbgrader_cell(
                "code",
                'checks.quiz("floor")',
                "quiz-floor",
                grade=True,
                points=1,
                objectives=("use-remainder",),
            ),
        ]
    )


def _words() -> nbformat.NotebookNode:
    return unit_notebook(
        [
            nbgrader_cell(
                "code",
                "### BEGIN SOLUTION\nline = ' '.join(['a', 'b'])\n### END SOLUTION",
                "answer-line",
                solution=True,
            ),
            nbgrader_cell(
                "code",
                "assert line == 'a b'",
                "test-line",
                grade=True,
                points=1,
                objectives=("join-words",),
            ),
        ]
    )


def _placement() -> nbformat.NotebookNode:
    return unit_notebook(
        [
            nbformat.v4.new_markdown_cell(
                "# Placement\n\nSet `rest` to the remainder of {{ form.n }} divided by "
                "{{ form.d }}, and write `at_least(x, y)`: `True` when `x >= y`."
            ),
            nbgrader_cell("code", "n = form.n\nd = form.d", "setup"),
            nbgrader_cell(
                "code",
                "### BEGIN SOLUTION\nrest = n % d\n\n\ndef at_least(x, y):\n    return x >= y\n"
                "### END SOLUTION",
                "answer",
                solution=True,
            ),
            nbgrader_cell(
                "code",
                "### BEGIN HIDDEN TESTS\nassert rest == form.n % form.d\n### END HIDDEN TESTS",
                "test-rest",
                grade=True,
                points=3,
                objectives=("use-remainder",),
            ),
            nbgrader_cell(
                "code",
                "assert at_least(3, 3) and not at_least(2, 3)",
                "test-compare",
                grade=True,
                points=1,
                objectives=("use-remainder",),
            ),
        ]
    )


#: the tests' form keys: fixed, so which forms learners get (and so every assertion about
#: two forms differing) is the same on every run; production keys are random
TEST_KEY = hashlib.sha256(b"mastery-nb tests/forms").hexdigest()


def fix_form_key(root: CourseRoot, course: str) -> None:
    """Give ``course`` a known form key in ``root``'s data directory."""
    keys = root.data_dir / KEYS_FOLDER
    keys.mkdir(parents=True, exist_ok=True)
    (keys / f"{course}.key").write_text(TEST_KEY + "\n", encoding="ascii")


def build_forms_course(folder: Path) -> CourseRoot:
    """Write the course's sources under ``folder`` and release it; the course root."""
    root = write_forms_course(folder)
    release_course(root, COURSE_ID)
    fix_form_key(root, COURSE_ID)
    return root


def write_forms_course(folder: Path) -> CourseRoot:
    """Write the course's sources under ``folder`` (not released); the course root."""
    course = folder / "courses" / COURSE_ID
    (course / "checks").mkdir(parents=True)
    (course / "units").mkdir()
    (course / "placement").mkdir()
    (course / "course.toml").write_text(COURSE_TOML, encoding="utf-8")
    (course / "checks" / "arith.py").write_text(ARITH_CHECKS, encoding="utf-8")
    (course / "checks" / "place-arith.py").write_text(PLACEMENT_CHECKS, encoding="utf-8")
    nbformat.write(_arith(), course / ARITH_NB)
    nbformat.write(_words(), course / WORDS_NB)
    nbformat.write(_placement(), course / PLACEMENT_NB)
    return CourseRoot.at(folder, data_dir=folder / ".mastery-data")


def form_answers(values: dict[str, Any]) -> dict[str, str]:
    """Answers right for the form of ``values`` only: its numbers typed as literals, as a
    learner who computed them by hand (or copied a classmate's) would."""
    return {
        "answer-left": f"left = {values['a'] % values['b']}",
        "answer-big": f"def is_big(x):\n    return x >= {values['limit']}",
    }


def fill_answers(
    notebook: bytes, answers: dict[str, str], quizzes: dict[str, object], unit: str
) -> bytes:
    """A started notebook as the learner saves it: ``answers`` typed (grade_id -> source),
    each quiz cell's output holding its answer (as the quiz widget leaves it)."""
    nb = nbformat.reads(notebook.decode("utf-8"), as_version=4)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and meta.get("grade_id") in answers:
            cell.source = answers[meta["grade_id"]]
        for quiz, answer in quizzes.items():
            if cell.cell_type == "code" and f'checks.quiz("{quiz}")' in cell.source:
                cell.outputs = [
                    nbformat.v4.new_output(
                        "display_data",
                        data={
                            "text/plain": "quiz",
                            ANSWER_MIME: {"question": quiz, "answer": answer, "unit": unit},
                        },
                    )
                ]
    return nbformat.writes(nb).encode("utf-8")

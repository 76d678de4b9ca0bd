"""Feedback written for the learner, on attempts graded for real (issue 12, item 4).

A small course whose exercises have headings, released with ``mastery-nb release`` and
graded in the sandbox: checks are named by their exercise (the bundle's label), a check's
own message comes without ``AssertionError:``, a bare ``assert`` says whether it was the
visible part of the test cell or a hidden test (never the hidden source), the learner's
``SyntaxError`` stands beside the check it broke, numbers agree with their nouns, course
links are absolute, and a mastered unit's page says nothing about submitting again.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader_cells import nbgrader_cell, unit_notebook

from mastery_nb.cli import main as mastery_main
from mastery_nb.feedback import attempt_feedback, render_feedback_html
from mastery_nb.feedback.words import check_explanation, clean_error, code_span, plural
from mastery_nb.grade.queue import grade_pending
from mastery_nb.root import CourseRoot
from mastery_nb.submit import submit_attempt

COURSE = "words"
NOTEBOOK = "units/u.ipynb"
HIDDEN = "assert x == 2"

COURSE_TOML = """
[course]
id = "words"
title = "Words course"

[policy]
max_attempts = 3
cooldown = "0s"

[[units]]
id = "u"
title = "Adding and greeting"
notebooks = ["units/u.ipynb"]

[[units.objectives]]
id = "add"
description = "Add `int` numbers"
remediation = [{ title = "Adding again", href = "resources/adding.ipynb" }]
enrichment = [{ title = "More arithmetic", href = "https://example.org/more" }]

[[units.objectives]]
id = "greet"
description = "Build a greeting"
"""

CORRECT = {"answer-add": "x = 1 + 1", "answer-greet": 'greeting = "hi"', "answer-y": "y = 4"}


def _cells() -> list[nbformat.NotebookNode]:
    return [
        nbgrader_cell("markdown", "# Adding and greeting", "intro"),
        nbgrader_cell("markdown", "### Exercise 1: add `1` and `1`\n\nStore it in `x`.", "ex1"),
        nbgrader_cell(
            "code",
            f"### BEGIN SOLUTION\n{CORRECT['answer-add']}\n### END SOLUTION",
            "answer-add",
            solution=True,
        ),
        nbgrader_cell(
            "code",
            f"assert isinstance(x, int)\n### BEGIN HIDDEN TESTS\n{HIDDEN}\n### END HIDDEN TESTS",
            "test-add",
            grade=True,
            points=2,
            objectives=("add",),
        ),
        nbgrader_cell("markdown", "### Exercise 2: greet", "ex2"),
        nbgrader_cell(
            "code",
            f"### BEGIN SOLUTION\n{CORRECT['answer-greet']}\n### END SOLUTION",
            "answer-greet",
            solution=True,
        ),
        nbgrader_cell(
            "code",
            'assert greeting == "hi", "`greeting` should be the word *hi*, in lower case"',
            "test-greet",
            grade=True,
            points=1,
            objectives=("greet",),
        ),
        nbgrader_cell("markdown", "### Exercise 3: an even number", "ex3"),
        nbgrader_cell(
            "code",
            f"### BEGIN SOLUTION\n{CORRECT['answer-y']}\n### END SOLUTION",
            "answer-y",
            solution=True,
        ),
        nbgrader_cell(
            "code",
            "assert y > 0, 'y should be positive'",
            "test-y-1",
            grade=True,
            points=1,
            objectives=("add",),
        ),
        nbgrader_cell(
            "code", "assert y % 2 == 0", "test-y-2", grade=True, points=1, objectives=("add",)
        ),
    ]


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("words")
    course = path / "courses" / COURSE
    (course / "units").mkdir(parents=True)
    (course / "resources").mkdir()
    (course / "course.toml").write_text(COURSE_TOML, encoding="utf-8")
    nbformat.write(unit_notebook(_cells()), course / NOTEBOOK)
    nbformat.write(
        unit_notebook([nbgrader_cell("markdown", "# Adding", "r")]),
        course / "resources" / "adding.ipynb",
    )
    assert mastery_main(["release", COURSE, "--root", str(path)]) == 0
    return path


@pytest.fixture
def root(released: Path, tmp_path: Path) -> CourseRoot:
    import shutil

    shutil.copytree(released, tmp_path / "root")
    target = tmp_path / "root"
    return CourseRoot.at(
        target,
        data_dir=target / ".mastery-data",
        db_url=f"sqlite:///{target / '.mastery-data' / 'm.db'}",
    )


def submit(root: CourseRoot, answers: dict[str, str], *, added: str = "") -> dict:
    nb = nbformat.read(root.course_release(COURSE) / NOTEBOOK, as_version=4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    if added:
        nb.cells.append(nbformat.v4.new_code_cell(added))
    submit_attempt(root, COURSE, "u", "ada", {NOTEBOOK: nbformat.writes(nb).encode()})
    assert grade_pending(root, workers=1) == 1
    return attempt_feedback(root, COURSE, "ada", "u")


def test_checks_are_named_and_explained_for_the_learner(root: CourseRoot) -> None:
    feedback = submit(
        root,
        {**CORRECT, "answer-add": 'x = "2"', "answer-greet": 'greeting = "hi'},
        added="raise ValueError('my own cell')",
    )
    checks = {c["grade_id"]: c for c in feedback["checks"]}
    assert checks["test-add"]["label"] == "Exercise 1: add `1` and `1`"
    assert checks["test-greet"]["label"] == "Exercise 2: greet"
    assert [checks[g]["label"] for g in ("test-y-1", "test-y-2")] == [
        "Exercise 3: an even number (check 1 of 2)",
        "Exercise 3: an even number (check 2 of 2)",
    ]
    # a bare assert in the visible part of the test cell
    add = checks["test-add"]
    assert (add["status"], add["part"], add["message"]) == ("failed", "visible", "AssertionError")
    assert "test cell under this exercise did not pass" in add["explanation"]
    # the learner's SyntaxError beside the check it broke, without the grader's file names
    greet = checks["test-greet"]
    assert (
        greet["explanation"]
        == "Your code raised `NameError: name 'greeting' is not defined` when this check ran."
    )
    [error] = greet["learner_errors"]
    assert error["where"] == "your answer to “Exercise 2: greet”"
    assert error["message"].startswith("SyntaxError: unterminated string literal")
    assert error["message"].endswith("(line 1)") and "ipython-input" not in error["message"]
    assert error["line"] == 1
    # the cell the learner added raised after the last test: listed, beside no check
    added = [e for e in feedback["learner_errors"] if e["cell"] is None]
    assert added and added[0]["message"] == "ValueError: my own cell"
    assert added[0]["where"].startswith("a cell you added (cell ")
    assert added[0]["before"] is None
    # the old fields stay as they were
    assert {"grade_id", "message", "status", "points", "max_points", "passed"} <= set(greet)
    assert feedback["failed_checks"][0]["grade_id"] == "test-add"

    page = render_feedback_html(feedback, link_base="http://127.0.0.1:8888/lab/tree/words/")
    assert "AssertionError" not in page.replace("AssertionError</code>", "")
    assert (
        "Exercise 1: add <code>1</code> and <code>1</code>" in page
    )  # Markdown, as in the notebook
    assert "test-add" not in page and "answer-greet" not in page  # no grade ids
    assert (
        "<code>greeting</code> should be the word <em>hi</em>" not in page
    )  # that check passed? no:
    assert "0 of 2 points" in page and "0 of 1 point" in page and "0 of 1 points" not in page
    assert "You have used 1 attempt; 2 attempts left." in page
    assert (
        "Your code raised an error" in page and "your answer to “Exercise 2: greet”, line 1" in page
    )
    assert "<h2>Errors in your code</h2>" in page and "my own cell" in page
    assert (
        '<a href="http://127.0.0.1:8888/lab/tree/words/resources/adding.ipynb" '
        'data-course-path="resources/adding.ipynb">Adding again</a>'
    ) in page
    assert "Add <code>int</code> numbers" in page  # objectives by their description


def test_a_hidden_test_is_named_as_such_never_shown(root: CourseRoot) -> None:
    feedback = submit(root, {**CORRECT, "answer-add": "x = 3", "answer-greet": 'greeting = "Hi"'})
    checks = {c["grade_id"]: c for c in feedback["checks"]}
    add = checks["test-add"]
    assert (add["part"], add["message"]) == ("hidden", "AssertionError")
    assert add["explanation"].startswith("A hidden test of this exercise did not pass.")
    assert HIDDEN not in json.dumps(feedback)
    greet = checks["test-greet"]
    assert greet["part"] == "visible"
    assert greet["explanation"] == "`greeting` should be the word *hi*, in lower case"
    page = render_feedback_html(feedback)
    assert "hidden test</span>" in page and HIDDEN not in page
    assert "<code>greeting</code> should be the word <em>hi</em>, in lower case" in page


def test_a_mastered_unit_says_nothing_about_submitting_again(root: CourseRoot) -> None:
    feedback = submit(root, CORRECT)
    assert feedback["unit_mastered"] and feedback["failed_checks"] == []
    page = render_feedback_html(feedback)
    assert "You have mastered this unit." in page and "unit mastered" in page
    for words in (
        "submit again",
        "submit the unit",
        "Submit",
        "left.",
        "You have used",
        "Study before",
    ):
        assert words not in page, words
    assert "More arithmetic" in page  # enrichment instead of correctives


def feedback_page(root: CourseRoot, out: Path, *extra: str) -> str:
    """``mastery-nb feedback --html`` as an instructor runs it; the page written."""
    done = subprocess.run(
        [
            *(sys.executable, "-m", "mastery_nb", "feedback", "--root", str(root.path)),
            *("--db", root.db_url, "--course", COURSE, "--student", "ada", "--unit", "u"),
            *("--html", str(out), *extra),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return out.read_text()


def test_the_saved_page_links_to_the_released_course(root: CourseRoot, tmp_path: Path) -> None:
    submit(root, {**CORRECT, "answer-add": "x = 3"})
    out = tmp_path / "saved" / "feedback.html"
    out.parent.mkdir()
    href = re.search(
        r'<a href="([^"]+)" data-course-path="resources/adding.ipynb"', feedback_page(root, out)
    )
    assert href, "the corrective is linked"
    target = Path(href.group(1).removeprefix("file://"))
    assert target.is_absolute() and target.is_file(), "resolvable wherever the page is saved"
    assert target == (root.course_release(COURSE) / "resources" / "adding.ipynb").resolve()
    mailed = feedback_page(
        root, out, "--link-base", "https://hub.example.org/user/ada/lab/tree/words"
    )
    assert 'href="https://hub.example.org/user/ada/lab/tree/words/resources/adding.ipynb"' in mailed


def test_the_page_follows_the_jupyterlab_theme_or_the_system(root: CourseRoot) -> None:
    page = render_feedback_html(submit(root, CORRECT))
    assert "var(--jp-layout-color0" in page and "var(--jp-ui-font-color1" in page
    assert "@media (prefers-color-scheme:dark)" in page


@pytest.mark.parametrize(
    ("message", "status", "part", "expected"),
    [
        ("AssertionError: `x` is wrong", "failed", "", "`x` is wrong"),
        ("AssertionError", "failed", "hidden", "A hidden test of this exercise did not pass."),
        ("AssertionError", "failed", "", "A check of this exercise did not pass."),
        (
            "KeyError: 'a`b'",
            "error",
            "",
            "Your code raised ``KeyError: 'a`b'`` when this check ran.",
        ),
        ("the cell wrote to stderr: careful", "failed", "", "the cell wrote to stderr: careful"),
        (
            "not run: the notebook time limit was reached",
            "not_run",
            "",
            "Not run: the notebook time limit was reached",
        ),
    ],
)
def test_check_explanations(message: str, status: str, part: str, expected: str) -> None:
    assert check_explanation(message, status, part).startswith(expected)


def test_words() -> None:
    assert [plural(n, "point") for n in (0, 1, 0.5, 2)] == [
        "0 points",
        "1 point",
        "0.5 points",
        "2 points",
    ]
    assert (
        clean_error("SyntaxError: bad (<ipython-input-3-ab12>, line 4)")
        == "SyntaxError: bad (line 4)"
    )
    assert code_span("a `b`") == "`` a `b` ``"

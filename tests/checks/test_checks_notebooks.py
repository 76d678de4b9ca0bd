"""Checks in real kernels executed by nbclient (no widget frontend): the text fallback,
answers surviving a kernel restart, and grading mode on a submitted notebook."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from checks_helpers import cell_text, errors, run_notebook
from nbformat.v4 import new_code_cell, new_notebook

from mastery_nb.checks import ANSWER_MIME, extract_answers, write_answers
from mastery_nb.checks.practice_log import PRACTICE_LOG, read_events

pytestmark = pytest.mark.timeout(300)

LOAD = 'from mastery_nb.checks import load_checks\nchecks = load_checks("basics")'
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

PRACTICE = [
    LOAD,  # 0
    'checks.ask("total-price")',  # 1: not attempted (total undefined)
    "prices = [3, 4, 5]\ntotal = 7",  # 2
    'checks.ask("total-price")',  # 3: incorrect
    "total = sum(prices)",  # 4
    'checks.check("total-price")',  # 5: correct
    "def mean_age(ages):\n    # YOUR CODE HERE\n    raise NotImplementedError()",  # 6
    'checks.check("mean-age")',  # 7: not attempted (stub)
    "def mean_age(ages):\n    return sum(ages) / len(ages)",  # 8
    'checks.check("mean-age")',  # 9: error (their TypeError)
    'checks.hint("total-price")',  # 10
    'checks.solution("total-price")',  # 11: two real checks so far: allowed
    'checks.quiz("robust-statistic")',  # 12: no answer yet
    'checks.answer("robust-statistic", "median")',  # 13
    'checks.answer("half", 3.6)',  # 14
]


def test_text_verdicts_in_an_executed_notebook(course: Path) -> None:
    nb = run_notebook(course, PRACTICE)
    cells = nb.cells
    assert [errors(c) for c in cells] == [[] for _ in cells]  # practice never raises

    assert "total-price: Not attempted" in cell_text(cells[1])
    assert "`total` is not defined yet" in cell_text(cells[1])

    incorrect = cell_text(cells[3])
    assert "total-price: Not yet" in incorrect
    assert "`total` is not the sum of every price; did you skip one?" in incorrect
    assert "12" not in incorrect  # expected value stays hidden (reveal=False)
    assert "Objective: use-variables — Store values in variables" in incorrect

    correct = cell_text(cells[5])
    assert "total-price: Correct" in correct
    assert "Practice check passed — mastery is decided when you submit the unit" in correct

    stub = cell_text(cells[7])
    assert "mean-age: Not attempted" in stub and "NotImplementedError" in stub

    error = cell_text(cells[9])
    assert "mean-age: Error" in error
    assert (
        "Your code raised TypeError: unsupported operand type(s) for +: 'int' and 'NoneType'"
        in error
    )
    assert "return sum(ages) / len(ages)" in error  # their line, not our traceback
    assert "mastery_nb" not in error and "Traceback" not in error

    assert "Hint 1 of 2: Add the prices of every item." in cell_text(cells[10])
    assert "total = sum(prices)" in cell_text(cells[11])

    # widgets are displayed too, each with its verdict as a plain-text twin
    ask_out = cells[3].outputs[0]
    assert WIDGET_MIME in ask_out.data and "total-price: Not yet" in ask_out.data["text/plain"]

    quiz = cell_text(cells[12])
    assert "Quiz robust-statistic: Which is robust to outliers?" in quiz
    assert "No answer yet" in quiz
    assert "robust-statistic: Correct" in cell_text(cells[13])
    assert "half: Not yet" in cell_text(cells[14])
    assert "3.5" not in cell_text(cells[14])

    events = read_events(course)
    assert [(e.event, e.question, e.outcome) for e in events] == [
        ("check", "total-price", "not_attempted"),
        ("check", "total-price", "incorrect"),
        ("check", "total-price", "correct"),
        ("check", "mean-age", "not_attempted"),
        ("check", "mean-age", "error"),
        ("hint", "total-price", None),
        ("solution", "total-price", None),
        ("quiz", "robust-statistic", "correct"),
        ("quiz", "half", "incorrect"),
    ]
    assert {e.course for e in events} == {"tiny-course"}


def test_text_only_when_widgets_are_switched_off(course: Path) -> None:
    nb = run_notebook(
        course,
        [LOAD, 'checks.ask("no-stub")', 'checks.quiz("half")'],
        env={"MASTERY_NB_WIDGETS": "0"},
    )
    outputs = [o for c in nb.cells for o in c.outputs]
    assert not any(WIDGET_MIME in o.get("data", {}) for o in outputs)
    assert "no-stub: Not attempted" in cell_text(nb.cells[1])
    assert any(ANSWER_MIME in o.get("data", {}) for o in nb.cells[2].outputs)


def test_answers_survive_a_kernel_restart_and_reach_the_grader(
    course: Path, tmp_path: Path
) -> None:
    # first kernel: the learner answers two quizzes
    run_notebook(
        course,
        [
            LOAD,
            'checks.answer("robust-statistic", "median")',
            'checks.answer("numeric-types", ["int"])',
        ],
        name="first.ipynb",
    )
    # a new kernel re-runs the quiz cells: the answers are restored from .mastery-answers.json
    student = run_notebook(
        course,
        [
            LOAD,
            "prices = [3, 4, 5]\ntotal = 12",
            'checks.check("total-price")',
            'checks.quiz("robust-statistic")',
            'checks.quiz("numeric-types")',
            'checks.quiz("half")',
        ],
        name="unit.ipynb",
    )
    assert "Saved answer to robust-statistic: median" in cell_text(student.cells[3])
    assert "robust-statistic: Correct" in cell_text(student.cells[3])
    assert "Saved answer to numeric-types: int" in cell_text(student.cells[4])
    answers = extract_answers(course / "unit.ipynb")
    assert answers == {"robust-statistic": "median", "numeric-types": ["int"], "half": None}

    # the grader: a fresh work folder, answers written from the notebook alone, no frontend
    grading = tmp_path / "grading"
    shutil.copytree(course.parent / "checks", grading / "checks")
    (grading / "units").mkdir()
    write_answers(grading / "units", answers)
    graded = run_notebook(
        grading / "units",
        [c.source for c in student.cells],
        env={"MASTERY_NB_GRADING": "1"},
        name="graded.ipynb",
    )
    assert errors(graded.cells[2]) == []  # the code check passes
    assert errors(graded.cells[3]) == []  # the widget said correct: so does the grader
    assert errors(graded.cells[4]) == [
        (
            "AssertionError",
            "Your selection (1 ticked) is not exactly right: tick every option "
            "that is true and none that is false.",
        )
    ]
    assert errors(graded.cells[5])[0][0] == "AssertionError"
    assert not (grading / "units" / PRACTICE_LOG).exists()  # grading is not practice
    # the student's practice log recorded the first kernel's answers only as practice
    assert json.loads((course / PRACTICE_LOG).read_text().splitlines()[0])["event"] == "quiz"


def test_grading_mode_code_check_raises_with_the_message(course: Path) -> None:
    nb = run_notebook(
        course,
        [
            LOAD,
            "prices = [1, 2]\ntotal = 2.5",
            'checks.check("total-price")',
            'checks.ask("total-price")',
        ],
        env={"MASTERY_NB_GRADING": "1"},
    )
    assert errors(nb.cells[2]) == [("AssertionError", "`total` should be an int, got a float")]
    assert errors(nb.cells[3]) == []  # ask() only reports, even when grading
    assert "total-price: Not yet" in cell_text(nb.cells[3])


def test_nbconvert_execute_records_the_text_verdicts(course: Path) -> None:
    """``jupyter nbconvert --execute``: the same words land in the executed notebook."""
    nb = new_notebook(
        cells=[
            new_code_cell(LOAD),
            new_code_cell("prices = [3, 4, 5]\ntotal = '12'"),
            new_code_cell('checks.ask("total-price")'),
            new_code_cell('checks.quiz("robust-statistic")'),
        ]
    )
    nbformat.write(nb, course / "convert.ipynb")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MASTERY_NB_")}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "jupyter",
            "nbconvert",
            "--execute",
            "--to",
            "notebook",
            "--output",
            "converted.ipynb",
            "convert.ipynb",
        ],
        cwd=course,
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    executed = nbformat.read(course / "converted.ipynb", as_version=4)
    assert "total-price: Not yet\n  `total` should be an int, got a str" in cell_text(
        executed.cells[2]
    )
    assert "Quiz robust-statistic" in cell_text(executed.cells[3])
    assert extract_answers(executed) == {"robust-statistic": None}

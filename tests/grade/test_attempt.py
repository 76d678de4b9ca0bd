"""Grading one attempt end to end: nbgrader's scoring rules, objectives, the pool."""

from __future__ import annotations

import time

from unitkit import SECRET, cell, scores

from mastery_nb.grade.attempt import grade_attempt


def test_correct_submission_masters_every_objective(grader) -> None:
    result = grader.grade(grader.notebook())
    assert scores(result) == {"q1-test": 2.0, "q2-test": 3.0, "q3-test": 2.0}
    assert all(c.status == "passed" for c in result.cells)
    by_id = {o.objective: o for o in result.objectives}
    assert by_id["use-functions"].score == 1.0 and by_id["use-functions"].mastered
    assert by_id["select-rows"].max_points == 5.0 and by_id["select-rows"].threshold == 0.75
    assert result.tampering == () and result.messages == ()
    assert "uid" in " ".join(result.extra["sandbox"]["units/scores.ipynb"])


def test_hidden_tests_run_and_messages_never_show_their_source(grader) -> None:
    # passes the visible test (total([1,2,3]) == 6) but not the hidden one (total([]) == 0)
    nb = grader.notebook({"q1": "def total(xs):\n    return sum(xs) if xs else 1"})
    result = grader.grade(nb)
    q1 = cell(result, "q1-test")
    assert (q1.points, q1.status, q1.message) == (0.0, "failed", "AssertionError")
    assert "SECRET" not in repr(result)


def test_partial_credit_is_the_number_the_test_returns(grader) -> None:
    result = grader.grade(grader.notebook({"q3": "mean_score = 79.0"}))
    q3 = cell(result, "q3-test")
    assert (q3.points, q3.status) == (0.5, "partial")
    select = next(o for o in result.objectives if o.objective == "select-rows")
    assert (select.points, select.max_points, select.mastered) == (3.5, 5.0, False)


def test_error_and_stderr_in_a_test_cell_score_zero(grader) -> None:
    nb = grader.notebook(
        {
            "q1": "import sys\ndef total(xs):\n    print('careful', file=sys.stderr)\n    return sum(xs)",
            "q2": "def top_scorer(frame):\n    return frame['nope']",
        }
    )
    result = grader.grade(nb)
    q1, q2 = cell(result, "q1-test"), cell(result, "q2-test")
    assert (q1.points, q1.status, q1.message) == (
        0.0,
        "failed",
        "the cell wrote to stderr: careful",
    )
    assert (q2.points, q2.status, q2.message) == (0.0, "error", "KeyError: 'nope'")
    assert cell(result, "q3-test").points == 2.0


def test_warning_in_a_test_cell_is_stderr_and_scores_zero(grader) -> None:
    nb = grader.notebook(
        {"q1": "import warnings\ndef total(xs):\n    warnings.warn('old api')\n    return sum(xs)"}
    )
    q1 = cell(grader.grade(nb), "q1-test")
    assert q1.points == 0.0 and "old api" in q1.message


def test_unanswered_notebook_scores_zero_without_crashing(grader) -> None:
    result = grader.grade(grader.notebook(correct=False))
    assert scores(result) == {"q1-test": 0.0, "q2-test": 0.0, "q3-test": 0.0}
    assert cell(result, "q1-test").message == "NameError: name 'total' is not defined"
    assert "NotImplementedError" in result.extra["cell_errors"]["units/scores.ipynb"][0]


def test_learner_added_cells_run_in_place(grader) -> None:
    nb = grader.notebook({"q1": "def total(xs):\n    return helper(xs)"})
    q1_index = next(
        i
        for i, c in enumerate(nb["cells"])
        if c["metadata"].get("nbgrader", {}).get("grade_id") == "q1"
    )
    nb["cells"].insert(
        q1_index,
        {
            "cell_type": "code",
            "metadata": {},
            "outputs": [],
            "execution_count": None,
            "source": "def helper(xs):\n    return sum(xs)",
        },
    )
    assert cell(grader.grade(nb), "q1-test").points == 2.0


def test_pool_grades_concurrently_in_order(grader) -> None:
    good, bad = grader.notebook(), grader.notebook(correct=False)
    jobs = [
        (grader.unit.bundle, {grader.unit.path: b}, grader.files_dir, None)
        for b in [__import__("unitkit").to_bytes(nb) for nb in (good, bad, good, bad)]
    ]
    started = time.monotonic()
    results = grader.pool.map(jobs)
    assert [sum(scores(r).values()) for r in results] == [7.0, 0.0, 7.0, 0.0]
    assert time.monotonic() - started < 10


def test_grade_attempt_without_a_pool(unit, files_dir) -> None:
    from unitkit import submit, to_bytes

    result = grade_attempt(
        unit.bundle,
        {unit.path: to_bytes(submit(unit))},
        files_dir,
        thresholds={"use-functions": 0.8, "select-rows": 0.8},
    )
    assert sum(scores(result).values()) == 7.0


def test_notebook_features_work_in_the_sandbox(grader) -> None:
    answer = (
        "%matplotlib inline\n"
        "import matplotlib.pyplot as plt\n"
        "from IPython.display import display\n"
        "fig, ax = plt.subplots()\n"
        "ax.plot([1, 2, 3])\n"
        "plt.show()\n"
        "display(df.head(1))\n"
        "files = !ls ../data\n"
        "def total(xs):\n"
        "    return sum(xs) if files == ['scores.csv'] else -1\n"
    )
    result = grader.grade(grader.notebook({"q1": answer}))
    assert cell(result, "q1-test").points == 2.0, result
    assert result.extra["cell_errors"] == {}


def test_test_cells_see_the_notebook_builtins(grader, unit, files_dir) -> None:
    from unitkit import submit, to_bytes

    from mastery_nb.course.bundle import NotebookBundle

    bundle = unit.bundle
    cells = list(bundle.notebooks[0].cells)
    q1_test = next(i for i, c in enumerate(cells) if c.grade_id == "q1-test")
    cells[q1_test] = cells[q1_test].model_copy(
        update={
            "source": "display(total([1]))\nassert get_ipython() is not None\nassert total([1, 2, 3]) == 6"
        }
    )
    patched = bundle.model_copy(
        update={"notebooks": (NotebookBundle(path=unit.path, cells=tuple(cells)),)}
    )
    result = grader.pool.grade(patched, {unit.path: to_bytes(submit(unit))}, files_dir)
    assert cell(result, "q1-test").status == "passed", cell(result, "q1-test")


def test_stderr_from_a_subprocess_in_a_test_scores_zero(grader) -> None:
    answer = "import subprocess\ndef total(xs):\n    subprocess.run(['sh', '-c', 'echo oops >&2'])\n    return sum(xs)"
    q1 = cell(grader.grade(grader.notebook({"q1": answer})), "q1-test")
    assert (q1.points, q1.message) == (0.0, "the cell wrote to stderr: oops")


def test_where_a_test_failed_and_the_learners_own_errors(grader) -> None:
    """Feedback's data: a failure in a visible assert or a hidden test (by line, never the
    source), and the learner's own cell errors with the test each came before."""
    nb = grader.notebook(
        {
            "q1": "def total(xs):\n    return sum(xs) if xs else 1",  # visible passes, hidden fails
            "q2": "def top_scorer(frame):\n    return 'bob'",  # the visible assert fails
            "q3": "mean_score = (",  # a SyntaxError in the learner's answer
        }
    )
    result = grader.grade(nb)
    q1, q2, q3 = (cell(result, f"q{n}-test") for n in (1, 2, 3))
    assert (q1.status, q1.message, q1.part) == ("failed", "AssertionError", "hidden")
    assert SECRET not in repr(result.cells)
    assert (q2.status, q2.part) == ("failed", "visible")
    assert q3.status == "error" and q3.message == "NameError: name 'mean_score' is not defined"
    [error] = result.learner_errors
    assert (error.notebook, error.cell, error.before, error.line) == (
        "units/scores.ipynb",
        "q3",
        "q3-test",
        1,
    )
    assert error.message.startswith("SyntaxError:") and error.where == "answer cell 'q3'"

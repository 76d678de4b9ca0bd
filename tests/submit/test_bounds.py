"""Bad input is refused with one clear message, or handled within a stated memory bound:
deep JSON, huge notebooks, thousands of duplicated cells, attempt numbers past 2^63."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest
from mastery_fixtures import COURSE, submission

from mastery_nb.bounds import MAX_CELLS, MAX_JSON_VALUES, json_values
from mastery_nb.errors import MasteryError
from mastery_nb.feedback import attempt_feedback
from mastery_nb.root import CourseRoot
from mastery_nb.submit import InvalidSubmission, submit_attempt

PATH = "units/a.ipynb"


def _refused(root: CourseRoot, data: bytes) -> str:
    with pytest.raises(InvalidSubmission) as refused:
        submit_attempt(root, COURSE, "a", "ada", {PATH: data})
    assert refused.value.problem is not None and refused.value.problem.file == PATH
    return str(refused.value.problem)


def _nothing_stored(root: CourseRoot) -> None:
    assert not (root.data_dir / "submissions").exists() or not any(
        (root.data_dir / "submissions").rglob("*.ipynb")
    )


def test_json_nested_100000_deep_is_refused(mini_root: CourseRoot) -> None:
    problem = _refused(mini_root, b"[" * 100_000 + b"]" * 100_000)
    assert "nested too deeply" in problem and "Fix:" in problem
    _nothing_stored(mini_root)


def test_100000_copies_of_a_graded_cell_are_refused(mini_root: CourseRoot) -> None:
    notebook = json.loads(submission(mini_root, "a")[PATH])
    graded = next(c for c in notebook["cells"] if c.get("metadata", {}).get("nbgrader"))
    notebook["cells"] = [graded] * 100_000
    problem = _refused(mini_root, json.dumps(notebook).encode())
    assert "more than the" in problem and "Fix:" in problem
    _nothing_stored(mini_root)


def test_more_cells_than_allowed_are_refused(mini_root: CourseRoot) -> None:
    notebook = json.loads(submission(mini_root, "a")[PATH])
    notebook["cells"] += [{"cell_type": "raw", "metadata": {}, "source": ""}] * MAX_CELLS
    problem = _refused(mini_root, json.dumps(notebook).encode())
    assert f"cells, more than the {MAX_CELLS:,} allowed" in problem


def test_too_many_json_values_are_refused_before_parsing(mini_root: CourseRoot) -> None:
    notebook = json.loads(submission(mini_root, "a")[PATH])
    notebook["metadata"]["junk"] = [{}] * (MAX_JSON_VALUES + 1)
    data = json.dumps(notebook, separators=(",", ":")).encode()
    assert json_values(data) > MAX_JSON_VALUES
    problem = _refused(mini_root, data)
    assert "more than the 1,000,000 JSON values a notebook may hold" in problem


def test_values_inside_strings_do_not_count() -> None:
    assert json_values(json.dumps({"text": "[{,}]" * 1000}).encode()) == 2


_MEMORY = textwrap.dedent(
    """
    import json, sys, tracemalloc
    from mastery_nb.grade.restore import read_submission
    data = open(sys.argv[1], "rb").read()
    tracemalloc.start()
    notebook, problem, _ = read_submission("units/a.ipynb", data)
    grown = tracemalloc.get_traced_memory()[1]
    print(json.dumps({"mb": len(data) / 2**20, "grown_mb": grown / 2**20, "problem": problem}))
    """
)


@pytest.mark.parametrize("kind", ["values", "text", "lines"])
def test_a_49_mb_notebook_is_parsed_within_the_memory_bound_or_refused(kind: str, tmp_path) -> None:
    cell: dict[str, object] = {"cell_type": "code", "metadata": {}, "execution_count": None}
    if kind == "values":  # tiny values: refused before parsing
        text: object = [""] * 12_000_000
    elif kind == "text":  # one output string
        text = "y" * 49_000_000
    else:  # as many output lines as allowed, each long
        text = ["z" * 50 + "\n"] * 900_000
    cell["source"] = "x = 1"
    cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": text}]
    notebook = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "big.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", _MEMORY, str(path)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert 40 < report["mb"] < 50
    if kind == "values":
        assert "JSON values a notebook may hold" in report["problem"]
        assert report["grown_mb"] < 120, "refused before parsing"
    else:
        assert report["problem"] is None
    assert report["grown_mb"] < 300, report


def test_an_attempt_number_past_2_63_is_no_such_attempt(mini_root: CourseRoot) -> None:
    submit_attempt(mini_root, COURSE, "a", "ada", submission(mini_root, "a"))
    for number in (2**63, 2**64 + 5, 0, -1):
        with pytest.raises(MasteryError) as missing:
            attempt_feedback(mini_root, COURSE, "ada", "a", number)
        assert f"has not submitted attempt {number}" in str(missing.value)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mastery_nb",
            "feedback",
            "--course",
            COURSE,
            "--student",
            "ada",
            "--unit",
            "a",
            "--attempt",
            str(2**63),
            "--json",
            "--root",
            str(mini_root.path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"has not submitted attempt {2**63}" in done.stderr

"""Tampered submissions are restored from the bundle, graded, and the tampering recorded.

nbgrader crashes a batch on some of these ("Inconsistent checksums"); here each one gets
its score and a message in words, and grading carries on.
"""

from __future__ import annotations

import json

import nbformat
import pytest
from unitkit import cell, scores, to_bytes

PATH = "units/scores.ipynb"


def _cell(nb, grade_id):
    return next(
        c
        for c in nb["cells"]
        if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id
    )


def test_a_stale_checksum_field_is_not_tampering(grader) -> None:
    """nbgrader overwrites the field silently; the grader recomputes it from the source."""
    nb = grader.notebook()
    _cell(nb, "q1-test")["metadata"]["nbgrader"]["checksum"] = "0" * 32
    result = grader.grade(nb)
    assert sum(scores(result).values()) == 7.0
    assert result.tampering == ()


def test_deleted_test_cell_is_restored_and_run(grader) -> None:
    nb = grader.notebook({"q2": "def top_scorer(frame):\n    return 'bob'"})
    nb["cells"].remove(_cell(nb, "q2-test"))
    result = grader.grade(nb)
    q2 = cell(result, "q2-test")
    assert (q2.points, q2.status, q2.message) == (0.0, "failed", "AssertionError")
    assert result.tampering == ("test cell 'q2-test' was deleted; restored from the bundle",)


def test_edited_test_cell_is_restored_with_its_hidden_tests(grader) -> None:
    nb = grader.notebook({"q1": "def total(xs):\n    return 6"})
    _cell(nb, "q1-test")["source"] = "pass"
    result = grader.grade(nb)
    q1 = cell(result, "q1-test")
    assert (q1.points, q1.status, q1.message) == (0.0, "failed", "AssertionError")
    assert result.tampering == ("test cell 'q1-test': source was edited; restored from the bundle",)


def test_raised_points_are_restored(grader) -> None:
    nb = grader.notebook()
    _cell(nb, "q1-test")["metadata"]["nbgrader"]["points"] = 100
    result = grader.grade(nb)
    q1 = cell(result, "q1-test")
    assert (q1.points, q1.max_points) == (2.0, 2.0)
    assert result.tampering == ("cell 'q1-test': points changed from 2 to 100; restored",)


def test_flipped_grade_flag_is_restored(grader) -> None:
    nb = grader.notebook({"q1": "def total(xs):\n    return 0"})
    _cell(nb, "q1-test")["metadata"]["nbgrader"]["grade"] = False
    result = grader.grade(nb)
    q1 = cell(result, "q1-test")
    assert (q1.points, q1.max_points, q1.status) == (0.0, 2.0, "failed")
    assert "cell 'q1-test': nbgrader flag 'grade' changed to false; restored" in result.tampering


def test_changed_cell_types_are_restored(grader) -> None:
    nb = grader.notebook({"q1": "def total(xs):\n    return 0"})
    _cell(nb, "q1-test")["cell_type"] = "markdown"  # hide a failing test
    _cell(nb, "q2")["cell_type"] = "raw"  # the answer still runs as code
    result = grader.grade(nb)
    assert scores(result) == {"q1-test": 0.0, "q2-test": 3.0, "q3-test": 2.0}
    assert result.tampering == (
        "cell 'q1-test': cell type changed from code to markdown; restored",
        "cell 'q2': cell type changed from code to raw; restored",
    )


def test_test_moved_above_its_answer_still_runs_in_bundle_order(grader) -> None:
    nb = grader.notebook()
    test = _cell(nb, "q1-test")
    nb["cells"].remove(test)
    nb["cells"].insert(0, test)
    assert sum(scores(grader.grade(nb)).values()) == 7.0


def test_duplicated_cell_uses_the_first_copy(grader) -> None:
    nb = grader.notebook()
    copy = json.loads(json.dumps(_cell(nb, "q1")))
    copy["source"] = "def total(xs):\n    return 6"
    nb["cells"].append(copy)
    result = grader.grade(nb)
    assert sum(scores(result).values()) == 7.0
    assert result.tampering == ("cell 'q1' appears 2 times; only the first copy was used",)


def test_invalid_json_scores_zero_with_a_clear_message(grader) -> None:
    result = grader.grade_bytes(b'{"cells": [}')
    assert scores(result) == {"q1-test": 0.0, "q2-test": 0.0, "q3-test": 0.0}
    message = (
        "units/scores.ipynb: line 1, column 12: the notebook is not valid JSON (Expecting value). "
        "Fix: submit the .ipynb file saved by Jupyter, unedited."
    )
    assert result.messages == (message,)
    assert {c.status for c in result.cells} == {"not_run"}
    assert cell(result, "q1-test").message == f"not run: {message}"
    assert not any(o.mastered for o in result.objectives)


def test_not_utf8_and_not_a_notebook(grader) -> None:
    result = grader.grade_bytes(b"\xff\xfe\x00")
    assert result.messages[0].startswith(
        "units/scores.ipynb: byte 0: the notebook is not UTF-8 text."
    )
    result = grader.grade_bytes(b"[1, 2]")
    assert result.messages[0].startswith(
        "units/scores.ipynb: the notebook is JSON but not a notebook"
    )
    assert sum(scores(result).values()) == 0.0


def test_huge_and_deeply_nested_notebooks_are_refused_honestly(grader) -> None:
    deep = grader.grade_bytes(b"[" * 100_000 + b"]" * 100_000)
    assert deep.messages[0].startswith(
        "units/scores.ipynb: the notebook's JSON is nested too deeply"
    )
    huge = grader.grade_bytes(b" " * (65 * 1024 * 1024))
    assert huge.messages[0].startswith(
        "units/scores.ipynb: the notebook is 65 MB, more than the 50 MB allowed."
    )
    assert sum(scores(huge).values()) == 0.0


@pytest.mark.filterwarnings("ignore:Cell is missing an id field")
def test_old_nbformat_is_upgraded_and_graded(grader) -> None:
    v4 = nbformat.from_dict(grader.notebook())
    v3 = nbformat.writes(nbformat.convert(v4, 3), version=3)
    assert json.loads(v3)["nbformat"] == 3
    result = grader.grade_bytes(v3.encode())
    assert sum(scores(result).values()) == 7.0
    assert result.messages == (
        "units/scores.ipynb: notebook format v3 was upgraded to v4 before grading",
    )


def test_missing_notebook_and_extra_files(grader) -> None:
    result = grader.pool.grade(
        grader.unit.bundle, {"units/other.ipynb": to_bytes(grader.notebook())}, grader.files_dir
    )
    assert result.messages == (
        "units/other.ipynb: not a notebook of unit 'demo-unit'; ignored",
        "units/scores.ipynb: the notebook was not submitted. Fix: submit it with the unit.",
    )
    assert sum(scores(result).values()) == 0.0


def test_every_tampering_at_once_is_one_honest_result(grader) -> None:
    nb = grader.notebook({"q3": "mean_score = 79.0"})
    meta = _cell(nb, "q2-test")["metadata"]["nbgrader"]
    meta.update(grade=False, points=50, checksum="x", locked=False)
    _cell(nb, "q1-test")["source"] = "assert True"
    nb["cells"].remove(_cell(nb, "q3-test"))
    result = grader.grade(nb)
    assert scores(result) == {"q1-test": 2.0, "q2-test": 3.0, "q3-test": 0.5}
    assert len(result.tampering) == 5  # grade, locked, points, q1 source, q3 deleted


def test_thousands_of_copies_of_a_graded_cell_are_one_note(grader) -> None:
    nb = grader.notebook()
    copy = json.loads(json.dumps(_cell(nb, "q1-test")))
    copy["source"] = "pass"
    nb["cells"] += [copy] * 15_000
    result = grader.grade(nb)
    assert sum(scores(result).values()) == 7.0
    assert result.tampering == ("cell 'q1-test' appears 15001 times; only the first copy was used",)

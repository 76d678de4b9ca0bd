"""nbgrader's scoring rules and the per-objective totals."""

from __future__ import annotations

import pytest

from mastery_nb.course.bundle import BundleCell
from mastery_nb.grade.scoring import (
    CellOutcome,
    aggregate_objectives,
    score_test_cell,
)

CELL = BundleCell(
    grade_id="t",
    index=0,
    cell_type="code",
    grade=True,
    solution=False,
    locked=True,
    points=4.0,
    objectives=("o",),
    source="",
    checksum="",
)


@pytest.mark.parametrize(
    ("outcome", "points", "status", "message"),
    [
        (CellOutcome(ran=True), 4.0, "passed", ""),
        (
            CellOutcome(ran=True, value_text="1.5"),
            1.5,
            "partial",
            "partial credit: 1.5 of 4 points",
        ),
        (CellOutcome(ran=True, value_text="0"), 0.0, "failed", "the test gave 0 points"),
        (  # nbgrader raises and fails the whole notebook; clamped here, with a note
            CellOutcome(ran=True, value_text="9"),
            4.0,
            "passed",
            "the test returned 9, more than the cell's 4 points; counted as full points",
        ),
        # nbgrader gives full points for a negative number, NaN and text that is no number
        (CellOutcome(ran=True, value_text="-2.0"), 4.0, "passed", ""),
        (CellOutcome(ran=True, value_text="nan"), 4.0, "passed", ""),
        (CellOutcome(ran=True, value_text="np.float64(0.5)"), 4.0, "passed", ""),
        (CellOutcome(ran=True, value_text="'0.5'"), 4.0, "passed", ""),
        (CellOutcome(ran=True, value_text="True"), 4.0, "passed", ""),
        (
            CellOutcome(ran=True, stderr="Warning: x\nmore"),
            0.0,
            "failed",
            "the cell wrote to stderr: Warning: x",
        ),
        (CellOutcome(ran=False, error="AssertionError: no"), 0.0, "failed", "AssertionError: no"),
        (CellOutcome(ran=False, error="KeyError: 'a'"), 0.0, "error", "KeyError: 'a'"),
        (CellOutcome(ran=False), 0.0, "failed", "no evidence that the cell ran to its end"),
        (CellOutcome(ran=False, timeout=True, error="slow"), 0.0, "timeout", "slow"),
        (None, 0.0, "not_run", "not run"),
    ],
)
def test_nbgrader_rules(outcome, points, status, message) -> None:
    result = score_test_cell("nb.ipynb", CELL, ("o",), outcome)
    assert (result.points, result.max_points, result.status, result.message) == (
        points,
        4.0,
        status,
        message,
    )


def test_objectives_total_points_over_possible_against_threshold() -> None:
    cells = [
        score_test_cell("nb", CELL, ("o",), CellOutcome(ran=True)),
        score_test_cell("nb", CELL, ("o", "p"), CellOutcome(ran=True, value_text="1.0")),
        score_test_cell("nb", CELL, ("p",), CellOutcome(ran=False, error="AssertionError")),
    ]
    by_id = {o.objective: o for o in aggregate_objectives(cells, {"o": 0.6, "p": 0.5, "q": 0.8})}
    assert (by_id["o"].points, by_id["o"].max_points, by_id["o"].mastered) == (5.0, 8.0, True)
    assert (by_id["p"].points, by_id["p"].max_points, by_id["p"].mastered) == (1.0, 8.0, False)
    assert (by_id["q"].max_points, by_id["q"].mastered) == (0.0, False)

"""nbgrader's scoring of a test cell, and the per-objective totals of an attempt.

A test cell that raised, or wrote anything to stderr, scores 0; one whose last expression
is a number scores that number, clamped to ``[0, points]`` (partial credit); one that ran
to its end otherwise scores its points. A cell without positive evidence that it ran to
its end (its nonce) scores 0, whatever else happened.

Deliberate differences from nbgrader 0.9: a returned number above the cell's points is
clamped (nbgrader raises and stops the batch), a negative one scores 0 (nbgrader gives full
points), and numpy scalars count as numbers (nbgrader parses the ``text/plain`` repr,
``np.float64(0.5)``, fails, and gives full points).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from mastery_nb.course.bundle import BundleCell
from mastery_nb.course.model import DEFAULT_THRESHOLD
from mastery_nb.grade.result import CellResult, CellStatus, ObjectiveResult

__all__ = [
    "CellOutcome",
    "aggregate_objectives",
    "cell_objectives",
    "manual_cell",
    "score_test_cell",
]


@dataclass(frozen=True)
class CellOutcome:
    """What the child reported for one test cell (or what the grader saw instead)."""

    ran: bool  #: the cell's nonce came back: it ran to its end
    error: str = ""  #: exception ``Type: message``
    stderr: str = ""
    value: float | None = None  #: the number the cell returned, if any
    timeout: bool = False
    not_run_reason: str = ""


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line[:300]


def score_test_cell(
    notebook: str, cell: BundleCell, objectives: tuple[str, ...], outcome: CellOutcome | None
) -> CellResult:
    """One test cell's :class:`CellResult` under nbgrader's rules."""
    points = cell.points

    def result(earned: float, status: CellStatus, message: str) -> CellResult:
        return CellResult(notebook, cell.grade_id, earned, points, objectives, status, message)

    if outcome is None:
        return result(0.0, "not_run", "not run")
    if outcome.timeout:
        return result(0.0, "timeout", outcome.error or "the cell took too long and was stopped")
    if outcome.not_run_reason:
        return result(0.0, "not_run", outcome.not_run_reason)
    if outcome.error:
        status: CellStatus = "failed" if outcome.error.startswith("AssertionError") else "error"
        return result(0.0, status, outcome.error)
    if outcome.stderr.strip():
        return result(0.0, "failed", f"the cell wrote to stderr: {_first_line(outcome.stderr)}")
    if not outcome.ran:
        return result(0.0, "failed", "no evidence that the cell ran to its end")
    if outcome.value is not None:
        earned = min(max(outcome.value, 0.0), points)
        if earned >= points:
            return result(points, "passed", "")
        if earned <= 0.0:
            return result(0.0, "failed", "the test gave 0 points")
        return result(earned, "partial", f"partial credit: {earned:g} of {points:g} points")
    return result(points, "passed", "")


def manual_cell(
    notebook: str, cell: BundleCell, objectives: tuple[str, ...], unanswered: bool
) -> CellResult:
    """A manually graded cell: not scored automatically and not counted in objectives."""
    message = "graded by hand: not part of the automatic score"
    if unanswered:
        message += " (left unanswered)"
    return CellResult(notebook, cell.grade_id, 0.0, cell.points, objectives, "not_run", message)


def cell_objectives(cell: BundleCell, thresholds: Mapping[str, float]) -> tuple[str, ...]:
    """The cell's objectives; untagged cells count toward a unit's only objective."""
    if cell.objectives:
        return tuple(cell.objectives)
    if len(thresholds) == 1:
        return (next(iter(thresholds)),)
    return ()


def aggregate_objectives(
    cells: Iterable[CellResult], thresholds: Mapping[str, float]
) -> tuple[ObjectiveResult, ...]:
    """Points earned over points possible per objective, against its threshold.

    Pass only automatically graded cells: manually graded ones do not count (yet).
    """
    earned: dict[str, float] = {o: 0.0 for o in thresholds}
    possible: dict[str, float] = {o: 0.0 for o in thresholds}
    for cell in cells:
        for objective in cell.objectives:
            earned[objective] = earned.get(objective, 0.0) + cell.points
            possible[objective] = possible.get(objective, 0.0) + cell.max_points
    return tuple(
        ObjectiveResult(
            objective=o,
            points=round(earned[o], 6),
            max_points=round(possible[o], 6),
            threshold=float(thresholds.get(o, DEFAULT_THRESHOLD)),
        )
        for o in earned
    )

"""nbgrader's scoring of a test cell, answers graded by hand, and the per-objective totals.

A test cell that raised, or wrote anything to stderr, scores 0; otherwise, when a Jupyter
kernel would have shown a value for its last expression, partial credit comes from that
value's ``text/plain`` exactly as nbgrader 0.9 reads it (:func:`partial_credit`): a number
from 0 to the cell's points scores that number; text that is not a number (``True``,
``'0.5'``, ``np.float64(0.5)`` under numpy 2), a negative number or NaN scores full points;
nothing shown (no final expression, ``None``, a line ending in ``;``) scores full points. A
cell without positive evidence that it ran to its end (its nonce) scores 0, whatever else
happened.

One deliberate difference: a number above the cell's points is clamped to its points
(nbgrader raises and the student's whole notebook fails to autograde). docs/grading.md
lists it with the others found by the nbgrader comparison suite (tests/parity/).
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
    "manual_cell",
    "partial_credit",
    "score_test_cell",
]


@dataclass(frozen=True)
class CellOutcome:
    """What the child reported for one test cell (or what the grader saw instead)."""

    ran: bool  #: the cell's nonce came back: it ran to its end
    error: str = ""  #: exception ``Type: message``
    stderr: str = ""
    value_text: str | None = None  #: ``text/plain`` of the last expression, if shown
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
    if outcome.value_text is not None:
        earned, note = partial_credit(outcome.value_text, points)
        if earned >= points:
            return result(points, "passed", note)
        if earned <= 0.0:
            return result(0.0, "failed", "the test gave 0 points")
        return result(earned, "partial", f"partial credit: {earned:g} of {points:g} points")
    return result(points, "passed", "")


def partial_credit(text: str, points: float) -> tuple[float, str]:
    """nbgrader's ``get_partial_grade`` on a test cell's shown value: (points, note).

    The same rule, in the same order: text ``float()`` cannot read gives full points, a
    number from 0 up is that many points, a negative number (or NaN) gives full points. Past
    the cell's points nbgrader raises; here it is clamped, with a note for the instructor.
    """
    try:
        grade = float(text)
    except ValueError:
        return points, ""
    if grade >= 0.0:
        if grade > points:
            return points, (
                f"the test returned {text.strip()[:40]}, more than the cell's {points:g} points; "
                "counted as full points"
            )
        return grade, ""
    return points, ""


def manual_cell(
    notebook: str, cell: BundleCell, objectives: tuple[str, ...], unanswered: bool
) -> CellResult:
    """An answer or task graded by hand: its points are pending until an instructor grades it.

    An answer left as released scores 0 at once and needs no review (nbgrader does the same:
    an unchanged manually graded answer gets 0 points automatically). Tasks are always
    reviewed (the learner answers them in cells of their own).
    """
    if unanswered:
        return CellResult(
            notebook,
            cell.grade_id,
            0.0,
            cell.points,
            objectives,
            "failed",
            "graded by hand: left unanswered, so 0 points",
        )
    return CellResult(
        notebook,
        cell.grade_id,
        0.0,
        cell.points,
        objectives,
        "manual",
        "graded by hand: awaiting review",
    )


def aggregate_objectives(
    cells: Iterable[CellResult], thresholds: Mapping[str, float]
) -> tuple[ObjectiveResult, ...]:
    """Points earned over points possible per objective, against its threshold.

    Every graded cell counts, the ones graded by hand too: a cell still awaiting review
    (status ``manual``) adds its points to what is possible and to what is ``pending``.
    """
    earned: dict[str, float] = {o: 0.0 for o in thresholds}
    possible: dict[str, float] = {o: 0.0 for o in thresholds}
    pending: dict[str, float] = {o: 0.0 for o in thresholds}
    for cell in cells:
        for objective in cell.objectives:
            earned[objective] = earned.get(objective, 0.0) + cell.points
            possible[objective] = possible.get(objective, 0.0) + cell.max_points
            if cell.status == "manual":
                pending[objective] = pending.get(objective, 0.0) + cell.max_points
    return tuple(
        ObjectiveResult(
            objective=o,
            points=round(earned[o], 6),
            max_points=round(possible[o], 6),
            threshold=float(thresholds.get(o, DEFAULT_THRESHOLD)),
            pending=round(pending.get(o, 0.0), 6),
        )
        for o in earned
    )

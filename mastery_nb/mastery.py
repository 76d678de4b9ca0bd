"""Is it mastered? The one decider, a pure function of points and the threshold.

Grading reports points per cell and per objective; everything that says "mastered"
(the grading queue when it records an attempt, standing and unlocking, feedback, progress,
the gradebook) asks :func:`decide`, so a learner never sees one part call an objective
mastered and another not.

The rule: an objective's score is the points earned over the points possible across the
graded cells that assess it; it is mastered when that score reaches its threshold. An
objective nothing was possible for (no graded cell ran) is not mastered. A tiny tolerance
absorbs float rounding, so 8 of 10 points is mastered at a threshold of 0.8.

The threshold itself lives in one place, :attr:`mastery_nb.course.model.Objective.threshold`
(the effective value, inherited from the course at load time); "a one-objective unit's
untagged graded cells count toward it" lives in one place too,
:func:`mastery_nb.course.notebook.graded_objectives`, applied when the grading bundle is
built, so grading reads each cell's objectives from the bundle as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["TOLERANCE", "Verdict", "decide", "score"]

#: how far below the threshold a score may be and still count (float rounding, not policy)
TOLERANCE = 1e-9


@dataclass(frozen=True)
class Verdict:
    """What :func:`decide` says about one objective in one attempt."""

    score: float  #: points over possible points, 0.0 when nothing was possible
    mastered: bool


def score(points: float, max_points: float) -> float:
    """Points earned over points possible; 0.0 when nothing was possible."""
    return points / max_points if max_points > 0 else 0.0


def decide(points: float, max_points: float, threshold: float) -> Verdict:
    """The verdict for ``points`` earned of ``max_points`` against ``threshold``."""
    value = score(points, max_points)
    return Verdict(score=value, mastered=max_points > 0 and value + TOLERANCE >= threshold)

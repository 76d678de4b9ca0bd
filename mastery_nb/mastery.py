"""Is it mastered? The one decider, a pure function of points and the threshold.

Grading reports points per cell and per objective; everything that says "mastered"
(the grading queue when it records an attempt, standing and unlocking, feedback, progress,
the gradebook) asks :func:`decide`, so a learner never sees one part call an objective
mastered and another not.

The rule: an objective's score is the points earned over the points possible across the
graded cells that assess it; it is mastered when that score reaches its threshold. An
objective nothing was possible for (no graded cell ran) is not mastered. A tiny tolerance
absorbs float rounding, so 8 of 10 points is mastered at a threshold of 0.8.

Answers graded by hand (nbgrader's manually graded answers and tasks) count like any other
graded cell: their points are possible from the start, and earned once an instructor grades
them. Until then they are ``pending``. The verdict is then decided only when the pending
points cannot change it: mastered if the points already earned reach the threshold (whatever
the review gives), not mastered if even full marks on every pending answer would not reach
it, and otherwise **awaiting review** (not mastered yet, and not failed either).

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

    score: float  #: points earned over possible points, 0.0 when nothing was possible
    mastered: bool
    #: not mastered yet, but grading the pending answers by hand could still master it
    awaiting_review: bool = False


def score(points: float, max_points: float) -> float:
    """Points earned over points possible; 0.0 when nothing was possible."""
    return points / max_points if max_points > 0 else 0.0


def decide(points: float, max_points: float, threshold: float, pending: float = 0.0) -> Verdict:
    """The verdict for ``points`` earned of ``max_points`` against ``threshold``.

    ``pending``: points of answers graded by hand that are not graded yet (part of
    ``max_points``, none of them in ``points``).
    """
    value = score(points, max_points)
    mastered = max_points > 0 and value + TOLERANCE >= threshold
    awaiting = (
        not mastered
        and pending > 0
        and score(points + pending, max_points) + TOLERANCE >= threshold
    )
    return Verdict(score=value, mastered=mastered, awaiting_review=awaiting)

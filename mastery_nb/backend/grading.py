"""Who grades: the seam between a backend and its graders.

A :class:`Grading` starts and stops graders and is woken when an attempt is queued. The
local one (:class:`LocalGrading`) runs :class:`mastery_nb.grade.queue.GradingLoop` threads
with a warm process pool each, or grading on a Dask cluster when given a scheduler
(:mod:`mastery_nb.grade.cluster`: the loop claims and records here, the cluster grades). Grading itself stays a pure function of (bundle, files, settings), so where it
runs changes nothing else.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from mastery_nb.root import CourseRoot

if TYPE_CHECKING:
    from mastery_nb.grade.gateway import GatewayTarget

__all__ = ["Grading", "LocalGrading"]

log = logging.getLogger(__name__)


class Grading(Protocol):
    #: why grading cannot run (None when it can), shown to learners and instructors
    error: str | None

    def start(self) -> None: ...

    def wake(self) -> None: ...

    def stop(self) -> None: ...


class LocalGrading:
    """Grading loops in this process: one per course root, or one per course when several
    roots share the store (a loop grades what its root's ``autograder/`` holds)."""

    def __init__(
        self,
        targets: Sequence[tuple[CourseRoot, str | None]],
        *,
        workers: int = 1,
        scheduler: str | GatewayTarget | None = None,
    ) -> None:
        self.targets = list(targets)
        self.workers = max(1, workers)
        self.scheduler = scheduler
        self.error: str | None = None
        self._loops: list[object] = []

    @classmethod
    def for_courses(
        cls,
        courses: dict[str, CourseRoot],
        *,
        workers: int = 1,
        scheduler: str | GatewayTarget | None = None,
    ) -> LocalGrading:
        """One loop when every course lives in one root, else one loop per course."""
        roots = {root.path for root in courses.values()}
        if len(roots) == 1:
            targets: list[tuple[CourseRoot, str | None]] = [(next(iter(courses.values())), None)]
        else:
            targets = [(root, course) for course, root in courses.items()]
        return cls(targets, workers=workers, scheduler=scheduler)

    def start(self) -> None:
        from mastery_nb.grade.queue import GradingLoop

        try:
            for root, course in self.targets:
                loop = GradingLoop(
                    root, workers=self.workers, course_id=course, scheduler=self.scheduler
                )
                loop.start()
                self._loops.append(loop)
        except Exception as error:  # shown to learners; progress and feedback still work
            self.error = f"the grader did not start: {error}"
            log.error("mastery-nb: %s", self.error, exc_info=True)

    def wake(self) -> None:
        for loop in self._loops:
            loop.wake()  # type: ignore[attr-defined]

    def stop(self) -> None:
        loops, self._loops = self._loops, []
        for loop in loops:
            loop.stop()  # type: ignore[attr-defined]

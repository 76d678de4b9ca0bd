"""Turns on a shared grader: attempts share it, and a suspect attempt takes it alone.

On a Dask cluster a worker's death counts against every attempt on that worker: the one
that ended it and those only waiting behind it there. An attempt whose last grading failed
in the grader (it may be the one that ends workers) is therefore graded alone
(:meth:`mastery_nb.grade.cluster.DaskGrader.grade_alone`): it waits for the attempts in
flight to finish, none starts beside it, and whatever it ends takes no other attempt with
it. Waiting suspects go first, so a busy queue cannot starve them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["Turns"]


class Turns:
    """Many share (:meth:`shared`), or one is alone (:meth:`alone`)."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._sharing = 0
        self._alone = False
        self._waiting_alone = 0

    @contextmanager
    def shared(self) -> Iterator[None]:
        with self._changed:
            self._changed.wait_for(lambda: not self._alone and not self._waiting_alone)
            self._sharing += 1
        try:
            yield
        finally:
            with self._changed:
                self._sharing -= 1
                self._changed.notify_all()

    @contextmanager
    def alone(self) -> Iterator[None]:
        with self._changed:
            self._waiting_alone += 1
            self._changed.wait_for(lambda: not self._alone and not self._sharing)
            self._waiting_alone -= 1
            self._alone = True
        try:
            yield
        finally:
            with self._changed:
                self._alone = False
                self._changed.notify_all()

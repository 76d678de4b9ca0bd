"""``--adaptive`` on dask-gateway: the grader sizes the cluster it started by the attempts it grades.

Dask's own adaptive scaling (which dask-gateway runs in the cluster's scheduler) asks for
enough workers to finish the work the scheduler holds in ``target-duration`` (5 s). The
grader hands the cluster at most ``--workers`` attempts at a time and keeps the rest of the
queue in the store, where Dask does not see it, so Dask asked for about ``--workers`` x
seconds per attempt / 5 s workers: one worker for a class's worth of quick attempts
(tests/grade/test_dask_gateway.py measured one worker where the batch wanted two).

The grader knows better: every grading thread busy means the queue holds at least that many
attempts. :class:`AttemptScaler` asks the gateway for one worker per attempt in flight
(between 1 and ``--workers``) at once, and for fewer only when ``wait-count`` checks
``interval`` apart all found fewer in flight (Dask's ``distributed.adaptive`` settings: 3
checks 1 s apart by default), counted from when every worker asked for has joined, so no
worker is retired between two attempts of a rush, nor stopped while it starts its grading
pool (its nanny then took 8 s to kill it). The gateway is asked from a thread of its own: a slow or refusing gateway is logged and
never holds up grading.
"""

from __future__ import annotations

import collections
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["AttemptScaler"]

log = logging.getLogger(__name__)


class AttemptScaler:
    """Keeps a dask-gateway cluster at one worker per attempt in flight, 1 to ``most``."""

    def __init__(
        self,
        cluster: Any,
        most: int,
        *,
        size: int = 1,
        interval: float | None = None,
        wait_count: int | None = None,
        joined: Callable[[], int] | None = None,
    ) -> None:
        import dask.config
        from dask.utils import parse_timedelta

        self.cluster = cluster
        self.most = max(1, most)
        #: how many workers have joined the cluster (None: not known)
        self._joined = joined
        #: seconds between checks for fewer attempts in flight
        self.interval: float = (
            interval
            if interval is not None
            else float(parse_timedelta(dask.config.get("distributed.adaptive.interval")))
        )
        #: checks in a row that must find fewer in flight before the cluster shrinks
        count = wait_count or int(dask.config.get("distributed.adaptive.wait-count"))
        self._lock = threading.Lock()
        self._in_flight = 0
        self._peak = 0  #: most attempts in flight since the last check
        self._window: collections.deque[int] = collections.deque(maxlen=max(1, count))
        self._size = size  #: workers asked of the gateway
        self._target = size  #: workers wanted
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="mastery-nb-scaler", daemon=True)
        self._thread.start()

    @contextmanager
    def attempt(self) -> Iterator[None]:
        """Around one attempt's grading on the cluster: a worker for it, at once."""
        with self._lock:
            self._in_flight += 1
            self._peak = max(self._peak, self._in_flight)
            if self._in_flight > self._target and self._target < self.most:
                self._target = min(self.most, self._in_flight)
                self._window.clear()  # fewer in flight before this rush says nothing now
                self._wake.set()
        try:
            yield
        finally:
            with self._lock:
                self._in_flight -= 1

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        next_check = time.monotonic() + self.interval
        while not self._stop.is_set():
            self._wake.wait(max(0.0, next_check - time.monotonic()))
            self._wake.clear()
            if self._stop.is_set():
                return
            if time.monotonic() >= next_check:
                next_check = time.monotonic() + self.interval
                self._check()
            self._apply()

    def _check(self) -> None:
        """Shrink to the most attempts in flight over the last ``wait-count`` checks, all
        made with every worker asked for in the cluster."""
        joined = self._size == 1 or self._all_joined()
        with self._lock:
            if not joined:
                self._window.clear()
                self._peak = self._in_flight
                return
            self._window.append(max(1, min(self.most, self._peak)))
            self._peak = self._in_flight
            full = len(self._window) == self._window.maxlen
            if full and max(self._window) < self._target:
                self._target = max(self._window)

    def _all_joined(self) -> bool:
        """Has every worker asked for joined the cluster?"""
        if self._joined is None:
            return True
        try:
            return self._joined() >= self._size
        except Exception:  # the scheduler went away: the grader finds out and reconnects
            log.debug("counting the dask-gateway cluster's workers", exc_info=True)
            return False

    def _apply(self) -> None:
        with self._lock:
            target = self._target
        if target == self._size:
            return
        try:
            self.cluster.scale(target)
        except Exception:  # the gateway went away or refused: tried again at the next check
            log.warning(
                "mastery-nb: could not scale dask-gateway cluster %s to %d worker(s)",
                self.cluster.name,
                target,
                exc_info=True,
            )
            return
        log.info(
            "mastery-nb: dask-gateway cluster %s: %d worker(s) for the attempts being graded "
            "(was %d)",
            self.cluster.name,
            target,
            self._size,
        )
        self._size = target

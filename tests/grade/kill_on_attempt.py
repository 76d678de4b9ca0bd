"""A fault injected into a real `dask worker` process (``dask worker --preload <this file>``).

The worker process ends itself (``os._exit``, as an out-of-memory kill or a lost node ends
it: no exception, no goodbye to the scheduler) when it starts grading an attempt whose
submitted notebook carries :data:`MARK`. Learner code cannot do this (the sandbox is the
point); this stands in for whatever in the worker's environment dies on one attempt every
time. Each kill is appended to the file named by ``$MASTERY_NB_TEST_KILLS``, so the test
can count how many workers the attempt ended.
"""

from __future__ import annotations

import os
import time
from typing import Any

MARK = b"mastery-nb-test: end the worker that grades this"


def dask_setup(worker: Any) -> None:
    from mastery_nb.grade import cluster

    grade = cluster.GradingPlugin.grade

    def grade_or_die(self: Any, bundle: Any, notebooks: Any, *args: Any) -> Any:
        if any(MARK in data for data in notebooks.values()):
            with open(os.environ["MASTERY_NB_TEST_KILLS"], "a") as kills:
                kills.write(f"{time.time():.3f} {worker.name} {os.getpid()}\n")
            os._exit(137)
        return grade(self, bundle, notebooks, *args)

    cluster.GradingPlugin.grade = grade_or_die  # type: ignore[method-assign]

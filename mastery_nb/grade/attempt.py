"""Grading one attempt: ``grade_attempt(bundle, notebooks, files_dir, limits) -> AttemptResult``.

A pure function of (bundle, submitted notebooks, settings): the result depends on nothing
else, so it can run in the local pool (:class:`GradingPool`) or on a distributed engine.
For each notebook of the unit it restores the submission against the bundle
(:mod:`mastery_nb.grade.restore`), runs the cells in a fresh sandboxed child forked from a
pre-warmed worker (:mod:`mastery_nb.grade.worker`, :mod:`mastery_nb.grade.execution`),
scores the test cells with nbgrader's rules (:mod:`mastery_nb.grade.scoring`) and totals
each objective against its threshold.

Nothing a submission does makes this raise: unreadable notebooks, tampering, loops,
memory exhaustion and exits all become an honest :class:`AttemptResult`. It raises
:class:`GradingUnavailable` only when the grader or its environment cannot grade (a
worker cannot start or fails its self-test, the sandbox cannot be set up, a module the
course needs cannot be imported, every cell fails on a module the grader has): the queue
retries such an attempt a bounded number of times, then records ``grader-error``.
"""

from __future__ import annotations

import queue
import time
from collections.abc import Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from mastery_nb.course.bundle import FormFile, UnitBundle
from mastery_nb.course.model import DEFAULT_THRESHOLD
from mastery_nb.grade.execution import GradingUnavailable, NotebookRun
from mastery_nb.grade.limits import Limits
from mastery_nb.grade.messages import hidden_material
from mastery_nb.grade.restore import plan_notebook
from mastery_nb.grade.result import AttemptResult, CellResult, LearnerError
from mastery_nb.grade.scoring import (
    CellOutcome,
    aggregate_objectives,
    manual_cell,
    score_test_cell,
)
from mastery_nb.grade.worker import Worker

__all__ = ["GradingPool", "GradingUnavailable", "grade_attempt", "grade_with"]


# -- the pool ---------------------------------------------------------------------------


def _resolve_thresholds(
    bundle: UnitBundle, thresholds: Mapping[str, float] | None
) -> dict[str, float]:
    if thresholds is not None:
        return {str(k): float(v) for k, v in thresholds.items()}
    from_bundle = getattr(bundle, "thresholds", None)
    if isinstance(from_bundle, Mapping) and from_bundle:
        return {str(k): float(v) for k, v in from_bundle.items()}
    seen: dict[str, float] = {}
    for notebook in bundle.notebooks:
        for cell in notebook.cells:
            for objective in cell.objectives:
                seen.setdefault(objective, DEFAULT_THRESHOLD)
    return seen


class GradingPool:
    """``workers`` pre-warmed, self-tested workers; grade attempts concurrently, one
    sandboxed child per notebook.

    Thread-safe. Use as a context manager or call :meth:`close`. Raises
    :class:`GradingUnavailable` when a worker cannot start or fails its probe. A worker
    that died, or whose attempt ended in a grader fault, is replaced (and probed) before
    its next attempt.
    """

    def __init__(self, workers: int = 2, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self.workers = max(1, workers)
        self._idle: queue.Queue[Worker | None] = queue.Queue()
        self._all: list[Worker] = []
        self._closed = False
        self._executor = ThreadPoolExecutor(
            max_workers=self.workers, thread_name_prefix="mastery-grade"
        )
        starters = [self._executor.submit(Worker, self.limits) for _ in range(self.workers)]
        try:
            for starter in starters:
                worker = starter.result()
                self._all.append(worker)
                self._idle.put(worker)
        except BaseException:
            for starter in starters:
                if starter.done() and starter.exception() is None:
                    self._all.append(starter.result())
            self.close()
            raise

    def __enter__(self) -> GradingPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._executor.shutdown(wait=True)
        for worker in self._all:  # every zygote told first: they wind down together
            worker.hang_up()
        for worker in self._all:
            worker.close()

    def _replace(self, worker: Worker | None) -> Worker:
        if worker is not None:
            if worker in self._all:
                self._all.remove(worker)
            worker.close()
        fresh = Worker(self.limits)
        self._all.append(fresh)
        return fresh

    def grade(
        self,
        bundle: UnitBundle,
        notebooks: Mapping[str, bytes],
        files_dir: Path,
        *,
        thresholds: Mapping[str, float] | None = None,
        limits: Limits | None = None,
    ) -> AttemptResult:
        """Grade one attempt in this pool (blocks; callable from many threads)."""
        if self._closed:
            raise GradingUnavailable("the grading pool is closed")
        worker = self._idle.get()
        try:
            if worker is None or not worker.alive():
                worker = self._replace(worker)  # raises (slot left empty) if it cannot start
            return grade_with(
                worker, bundle, notebooks, Path(files_dir), limits or self.limits, thresholds
            )
        except GradingUnavailable as error:
            # the worker may be what is broken: the next attempt gets a fresh, probed one
            if not error.worker_ok and worker is not None and worker in self._all:
                self._all.remove(worker)
                worker.close()
            raise
        finally:
            self._idle.put(worker)

    def submit(
        self,
        bundle: UnitBundle,
        notebooks: Mapping[str, bytes],
        files_dir: Path,
        *,
        thresholds: Mapping[str, float] | None = None,
        limits: Limits | None = None,
    ) -> Future[AttemptResult]:
        """:meth:`grade` in the pool's threads; returns a future."""
        return self._executor.submit(
            self.grade, bundle, notebooks, files_dir, thresholds=thresholds, limits=limits
        )

    def map(
        self,
        jobs: Iterable[tuple[UnitBundle, Mapping[str, bytes], Path, Mapping[str, float] | None]],
    ) -> list[AttemptResult]:
        """Grade many attempts concurrently; results in the order of ``jobs``."""
        futures = [self.submit(b, n, f, thresholds=t) for b, n, f, t in jobs]
        return [f.result() for f in futures]


def grade_with(
    worker: Worker,
    bundle: UnitBundle,
    notebooks: Mapping[str, bytes],
    files_dir: Path,
    limits: Limits,
    thresholds: Mapping[str, float] | None,
) -> AttemptResult:
    """Grade one attempt with one worker (see the module docstring)."""
    started = time.monotonic()
    worker.check_required(limits)
    objectives_by_id = _resolve_thresholds(bundle, thresholds)
    hidden = hidden_material(c for nb in bundle.notebooks for c in nb.cells)
    cells: list[CellResult] = []
    tampering: list[str] = []
    messages: list[str] = []
    sandbox: dict[str, list[str]] = {}
    cell_errors: dict[str, list[str]] = {}
    learner_errors: list[LearnerError] = []
    exec_seconds = 0.0
    extra_paths = sorted(set(notebooks) - {nb.path for nb in bundle.notebooks})
    for path in extra_paths[:5]:
        messages.append(f"{path[:200]}: not a notebook of unit '{bundle.unit}'; ignored")
    if len(extra_paths) > 5:
        messages.append(
            f"{len(extra_paths) - 5} more files that are not notebooks of the unit; ignored"
        )
    for nb in bundle.notebooks:
        plan = plan_notebook(nb, notebooks.get(nb.path))
        tampering += plan.tampering
        messages += plan.messages
        outcomes: dict[str, CellOutcome] = {}
        lines: dict[str, int] = {}
        if plan.problem:
            messages.append(plan.problem)
            outcomes = {
                c.grade_id: CellOutcome(ran=False, not_run_reason=f"not run: {plan.problem}")
                for c in nb.cells
                if c.is_test
            }
        elif plan.steps:
            run = NotebookRun(worker, plan, files_dir, limits, hidden)
            run.run()
            outcomes = run.outcomes
            messages += run.messages
            sandbox[nb.path] = run.notes
            exec_seconds += run.exec_seconds
            if run.cell_errors:
                cell_errors[nb.path] = run.cell_errors
            learner_errors += run.learner_errors
            lines = run.lines
        for cell in nb.cells:
            objectives = cell.objectives  # effective: the bundle builder applied the rules
            if cell.is_test:
                result = score_test_cell(nb.path, cell, objectives, outcomes.get(cell.grade_id))
                if result.status in ("failed", "error"):
                    result = replace(result, part=cell.part_at(lines.get(cell.grade_id)))
                cells.append(result)
            elif cell.grade or cell.task:
                cells.append(
                    manual_cell(nb.path, cell, objectives, cell.grade_id in plan.unanswered)
                )
    return AttemptResult(
        cells=tuple(cells),
        objectives=aggregate_objectives(cells, objectives_by_id),
        tampering=tuple(tampering),
        messages=tuple(messages),
        duration_seconds=round(time.monotonic() - started, 4),
        extra={
            "sandbox": sandbox,
            "cell_errors": cell_errors,
            "exec_seconds": round(exec_seconds, 6),
        },
        learner_errors=tuple(learner_errors),
    )


def grade_attempt(
    bundle: UnitBundle,
    notebooks: Mapping[str, bytes],
    files_dir: Path,
    limits: Limits | None = None,
    *,
    thresholds: Mapping[str, float] | None = None,
    pool: GradingPool | None = None,
    form: FormFile | None = None,
) -> AttemptResult:
    """Grade one attempt of ``bundle``'s unit; see the module docstring.

    ``notebooks``: submitted notebook bytes by path relative to the course folder.
    ``files_dir``: ``autograder/<course>/files`` (public support files for the workdir).
    ``limits``: the course's grading settings (:meth:`Limits.for_course`).
    ``thresholds``: objective id -> mastery threshold (default: the bundle's, else 0.8).
    ``pool``: a :class:`GradingPool` to run in; without one a one-off worker is started
    (slower: prefer a pool when grading more than one attempt).
    ``form``: the learner's form the attempt was made on (the bundle is graded with its
    values filled in: :func:`mastery_nb.forms.notebook.render_bundle`); None: as released.
    """
    if form is not None:
        from mastery_nb.forms.notebook import render_bundle

        bundle = render_bundle(bundle, form)
    limits = limits or Limits()
    if pool is not None:
        return pool.grade(bundle, notebooks, files_dir, thresholds=thresholds, limits=limits)
    with GradingPool(workers=1, limits=limits) as one_off:
        return one_off.grade(bundle, notebooks, files_dir, thresholds=thresholds)

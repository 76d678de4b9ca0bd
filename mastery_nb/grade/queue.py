"""The grading queue: take queued attempts, grade them, store the results, exactly once.

Crash safety rests on three rules:

1. **Claim atomically, under a lease.** A grader claims an attempt with one conditional
   ``UPDATE ... WHERE status = 'queued'`` (or a ``grading`` attempt whose lease ran out, so
   one left by a killed grader is taken again), setting a fresh claim token and a lease
   that a heartbeat renews while grading runs.
2. **Record in one transaction, only while holding the claim.** Every cell result, every
   objective result and the ``graded`` status are written in a single transaction that
   first checks the claim token is still ours; a grader whose lease was taken over writes
   nothing. A kill before the commit leaves the attempt ``grading`` with a lease that runs
   out, so it is graded again from the start; a kill after it leaves it ``graded``.
3. **Results have natural keys.** ``(attempt, notebook, grade_id)`` and
   ``(attempt, objective)`` are primary keys, so no path can store them twice.

A grader fault is never the learner's: an attempt whose grading failed in the grader or
its environment (the sandbox could not be set up, a module the course needs cannot be
imported, the worker crashed, the bundle is missing) goes back to the queue with the cause
and is retried, up to :data:`MAX_GRADER_ERRORS` gradings; then, like an attempt whose
grading keeps dying (claimed :data:`MAX_CLAIMS` times without a result) or whose stored
file changed, it ends ``grader-error``: it uses no attempt and starts no cooldown, the
learner is told grading failed (not their answers) and the instructor sees the cause
(``mastery-nb grade``, progress and feedback). ``mastery-nb grade --retry-errors`` queues
those again once the cause is fixed. A worker that cannot start (its self-test fails)
stops the grader before it takes an attempt: the queue stays as it was.

Test hook (used by tests/grade/test_crash_safety.py): ``MASTERY_NB_TEST_PAUSE`` names a
point (``grading``: just before the notebook runs; ``before_commit``: results written, not
committed) where the grader touches ``$MASTERY_NB_TEST_PAUSE_DIR/<point>-<attempt id>`` and
sleeps for ``$MASTERY_NB_TEST_PAUSE_SECONDS`` (default an hour), so a test can kill it there.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import ColumnElement, Update, and_, insert, or_, select, update

from mastery_nb.course.bundle import UnitBundle
from mastery_nb.course.model import Course
from mastery_nb.course.reader import ReleasedCourse
from mastery_nb.grade.limits import Limits
from mastery_nb.grade.pools import make_pool
from mastery_nb.grade.result import AttemptResult
from mastery_nb.mastery import decide
from mastery_nb.root import CourseRoot
from mastery_nb.store import Store, open_store
from mastery_nb.store.models import (
    GRADER_ERROR,
    AttemptRow,
    CellResultRow,
    ObjectiveResultRow,
    utcnow,
)
from mastery_nb.submit.storage import sha256

if TYPE_CHECKING:
    from mastery_nb.grade.gateway import GatewayTarget

__all__ = [
    "LEASE_SECONDS",
    "MAX_CLAIMS",
    "MAX_GRADER_ERRORS",
    "Claim",
    "GradedAttempt",
    "Grader",
    "GradingLoop",
    "claim_next",
    "grade_claim",
    "grade_pending",
    "make_pool",
    "queue_counts",
    "record_result",
    "retry_errors",
    "retry_failed",
]

log = logging.getLogger(__name__)

LEASE_ENV = "MASTERY_NB_LEASE_SECONDS"
#: how long a claim lives without a heartbeat; a killed grader's attempts wait this long
LEASE_SECONDS = 60.0
MAX_CLAIMS = 3
#: gradings that may fail in the grader before an attempt ends ``grader-error``
MAX_GRADER_ERRORS = 3


def _lease_seconds() -> float:
    try:
        return max(1.0, float(os.environ.get(LEASE_ENV, LEASE_SECONDS)))
    except ValueError:
        return LEASE_SECONDS


class Grader(Protocol):
    """Grades one attempt; :class:`mastery_nb.grade.attempt.GradingPool` is one."""

    def grade(
        self,
        bundle: UnitBundle,
        notebooks: dict[str, bytes],
        files_dir: Path,
        *,
        thresholds: dict[str, float] | None = None,
        limits: Limits | None = None,
    ) -> AttemptResult: ...


@dataclass(frozen=True)
class Claim:
    attempt_id: int
    token: str
    course_id: str
    unit_id: str
    student_id: str
    number: int
    storage: str
    notebooks: dict[str, str]
    claims: int
    grader_errors: int = 0
    form: int = 1  #: the learner's form the attempt was made on


@dataclass(frozen=True)
class GradedAttempt:
    """What one grading did, for the CLI's report and the server's log."""

    attempt_id: int
    course_id: str
    unit_id: str
    student_id: str
    number: int
    #: graded; grader-error (for good); retrying (a grader fault, queued again); requeued
    #: (given back without a fault: the claim was taken over)
    status: str
    points: float = 0.0
    max_points: float = 0.0
    objectives_mastered: int = 0
    objectives: int = 0
    duration_seconds: float = 0.0
    error: str | None = None
    tampering: tuple[str, ...] = field(default=())


def _pause(point: str, attempt_id: int) -> None:
    if os.environ.get("MASTERY_NB_TEST_PAUSE") != point:
        return
    folder = os.environ.get("MASTERY_NB_TEST_PAUSE_DIR")
    if folder:
        Path(folder, f"{point}-{attempt_id}").touch()
    time.sleep(float(os.environ.get("MASTERY_NB_TEST_PAUSE_SECONDS", "3600")))


def _claimable(now: datetime) -> Any:
    return or_(
        AttemptRow.status == "queued",
        and_(AttemptRow.status == "grading", AttemptRow.lease_until < now),
    )


def claim_next(
    store: Store,
    *,
    course_id: str | None = None,
    exclude: Iterable[int] = (),
    lease_seconds: float | None = None,
) -> Claim | None:
    """Claim the oldest claimable attempt, or None when there is none.

    An attempt already claimed :data:`MAX_CLAIMS` times ends ``grader-error`` instead.
    """
    lease = timedelta(seconds=lease_seconds or _lease_seconds())
    excluded = list(exclude)
    while True:
        now = utcnow()
        with store.write() as session:
            query = select(AttemptRow.id, AttemptRow.claims).where(_claimable(now))
            if course_id is not None:
                query = query.where(AttemptRow.course_id == course_id)
            if excluded:
                query = query.where(AttemptRow.id.not_in(excluded))
            query = query.order_by(AttemptRow.submitted_at, AttemptRow.id).limit(8)
            candidates = session.execute(query.with_for_update(skip_locked=True)).all()
            if not candidates:
                return None
            for attempt_id, claims in candidates:
                if claims >= MAX_CLAIMS:
                    session.execute(
                        _update_attempts()
                        .where(AttemptRow.id == attempt_id, _claimable(now))
                        .values(
                            status=GRADER_ERROR,
                            claim_token=None,
                            lease_until=None,
                            error=f"grading was started {claims} times and never finished "
                            "(the grader was killed or crashed each time)",
                        )
                    )
                    continue
                token = uuid.uuid4().hex
                taken = session.execute(
                    _update_attempts()
                    .where(AttemptRow.id == attempt_id, _claimable(now))
                    .values(
                        status="grading",
                        claim_token=token,
                        lease_until=now + lease,
                        claims=AttemptRow.claims + 1,
                    )
                )
                if taken.rowcount == 1:  # type: ignore[attr-defined]
                    row = session.get(AttemptRow, attempt_id)
                    assert row is not None
                    return Claim(
                        attempt_id=row.id,
                        token=token,
                        course_id=row.course_id,
                        unit_id=row.unit_id,
                        student_id=row.student_id,
                        number=row.number,
                        storage=row.storage,
                        notebooks=dict(row.notebooks),
                        claims=row.claims,
                        grader_errors=row.grader_errors or 0,
                        form=row.form or 1,
                    )
        # every candidate was taken by someone else or failed: look again


def _update_attempts() -> Update:
    """An UPDATE of attempt rows. No session here holds a loaded attempt the UPDATE must
    bring up to date, so SQLAlchemy is told not to work out which (its "evaluate" step was
    about a quarter of recording a result, in profiles)."""
    return update(AttemptRow).execution_options(synchronize_session=False)


def _still_held(claim: Claim) -> ColumnElement[bool]:
    """``claim`` still holds: the attempt carries its token and is still being graded."""
    return and_(
        AttemptRow.id == claim.attempt_id,
        AttemptRow.claim_token == claim.token,
        AttemptRow.status == "grading",
    )


def _renew(store: Store, claim: Claim, lease_seconds: float) -> bool:
    with store.write() as session:
        renewed = session.execute(
            _update_attempts()
            .where(_still_held(claim))
            .values(lease_until=utcnow() + timedelta(seconds=lease_seconds))
        )
        return bool(renewed.rowcount == 1)  # type: ignore[attr-defined]


class _Heartbeat:
    """Renews a claim's lease while its attempt is graded."""

    def __init__(self, store: Store, claim: Claim, lease_seconds: float) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run,
            args=(store, claim, lease_seconds),
            daemon=True,
            name=f"lease-{claim.attempt_id}",
        )

    def _run(self, store: Store, claim: Claim, lease_seconds: float) -> None:
        while not self._stop.wait(lease_seconds / 3):
            try:
                if not _renew(store, claim, lease_seconds):
                    return
            except Exception:  # a busy database must not kill the heartbeat for good
                log.exception("could not renew the lease of attempt %s", claim.attempt_id)

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _objective_rows(course: Course, unit_id: str, result: AttemptResult) -> list[dict[str, Any]]:
    """Per objective: points from the result, threshold from the released course."""
    thresholds = course.thresholds(unit_id)
    reported = {o.objective: o for o in result.objectives}
    rows = []
    for objective_id in [*thresholds, *(o for o in reported if o not in thresholds)]:
        if objective_id in reported:
            points, max_points = reported[objective_id].points, reported[objective_id].max_points
            pending = reported[objective_id].pending
        else:  # not reported: aggregate the cells tagged with it
            cells = [
                c for c in result.cells if objective_id in c.objectives and c.status != "not_run"
            ]
            points = sum(c.points for c in cells)
            max_points = sum(c.max_points for c in cells)
            pending = sum(c.max_points for c in cells if c.status == "manual")
        # the released course's threshold; an objective it no longer has keeps the grader's
        threshold = (
            thresholds[objective_id]
            if objective_id in thresholds
            else reported[objective_id].threshold
        )
        rows.append(
            {
                "objective": objective_id,
                "points": points,
                "max_points": max_points,
                "threshold": threshold,
                "mastered": decide(points, max_points, threshold, pending).mastered,
                "pending_points": pending,
            }
        )
    return rows


def record_result(
    store: Store, claim: Claim, course: Course, result: AttemptResult
) -> GradedAttempt | None:
    """Store every result and the ``graded`` status in one transaction, if the claim holds.

    Returns None (and writes nothing) when the claim was lost to another grader.
    """
    objectives = _objective_rows(course, claim.unit_id, result)
    points = sum(c.points for c in result.cells)
    max_points = sum(c.max_points for c in result.cells if c.status != "not_run")
    mastered = bool(objectives) and all(o["mastered"] for o in objectives)
    with store.write() as session:
        updated = session.execute(
            _update_attempts()
            .where(_still_held(claim))
            .values(
                status="graded",
                claim_token=None,
                lease_until=None,
                graded_at=utcnow(),
                duration_seconds=result.duration_seconds,
                points=points,
                max_points=max_points,
                mastered=mastered,
                messages=list(result.messages),
                tampering=list(result.tampering),
                error=None,
                learner_errors=[asdict(e) for e in result.learner_errors],
            )
        )
        if updated.rowcount != 1:  # type: ignore[attr-defined]
            log.warning(
                "attempt %s: claim lost to another grader; result dropped", claim.attempt_id
            )
            session.rollback()
            return None
        seen: set[tuple[str, str]] = set()
        cell_rows = []
        for position, cell in enumerate(result.cells):
            if (cell.notebook, cell.grade_id) in seen:
                continue  # one result per cell, whatever the grader returned
            seen.add((cell.notebook, cell.grade_id))
            cell_rows.append(
                {
                    "attempt_id": claim.attempt_id,
                    "notebook": cell.notebook,
                    "grade_id": cell.grade_id,
                    "position": position,
                    "points": cell.points,
                    "max_points": cell.max_points,
                    "objectives": list(cell.objectives),
                    "status": cell.status,
                    "message": cell.message,
                    "part": cell.part,
                }
            )
        if cell_rows:
            session.execute(insert(CellResultRow), cell_rows)
        if objectives:
            session.execute(
                insert(ObjectiveResultRow),
                [{"attempt_id": claim.attempt_id, **o} for o in objectives],
            )
        session.flush()
        _pause("before_commit", claim.attempt_id)
    return GradedAttempt(
        attempt_id=claim.attempt_id,
        course_id=claim.course_id,
        unit_id=claim.unit_id,
        student_id=claim.student_id,
        number=claim.number,
        status="graded",
        points=points,
        max_points=max_points,
        objectives_mastered=sum(1 for o in objectives if o["mastered"]),
        objectives=len(objectives),
        duration_seconds=result.duration_seconds,
        tampering=tuple(result.tampering),
    )


def _grader_fault(store: Store, claim: Claim, cause: str, *, final: bool = False) -> str:
    """Record a grading that failed in the grader: queued again while retries are left,
    ``grader-error`` after :data:`MAX_GRADER_ERRORS` (or at once when ``final``).
    Returns the status the attempt got."""
    errors = claim.grader_errors + 1
    status = GRADER_ERROR if final or errors >= MAX_GRADER_ERRORS else "queued"
    with store.write() as session:
        session.execute(
            _update_attempts()
            .where(AttemptRow.id == claim.attempt_id, AttemptRow.claim_token == claim.token)
            .values(
                status=status,
                claim_token=None,
                lease_until=None,
                error=cause[:4000],
                grader_errors=errors,
                claims=0 if status == "queued" else AttemptRow.claims,
            )
        )
    return status


def _give_back(store: Store, claim: Claim) -> None:
    """Put a claimed attempt back in the queue as it was (the grader stops, no fault of it)."""
    with store.write() as session:
        session.execute(
            _update_attempts()
            .where(AttemptRow.id == claim.attempt_id, AttemptRow.claim_token == claim.token)
            .values(status="queued", claim_token=None, lease_until=None, claims=claim.claims - 1)
        )


class _SubmissionMissing(Exception):
    pass


def _read_notebooks(root: CourseRoot, claim: Claim) -> dict[str, bytes]:
    folder = root.data_dir / claim.storage
    notebooks = {}
    for path, digest in claim.notebooks.items():
        try:
            data = (folder / path).read_bytes()
        except OSError as error:
            raise _SubmissionMissing(
                f"the stored notebook {path} cannot be read ({error.strerror})"
            ) from None
        if sha256(data) != digest:
            raise _SubmissionMissing(f"the stored notebook {path} changed after it was submitted")
        notebooks[path] = data
    return notebooks


def _form_bundle(root: CourseRoot, course: Course, bundle: UnitBundle, claim: Claim) -> UnitBundle:
    """The bundle as graded for the attempt's form: the form regenerated from the number the
    attempt recorded (never from the submitted notebook), filled into every cell that refers
    to it. A unit without forms is graded as released."""
    item = course.gradable(claim.unit_id)
    if item is None or not item.forms:
        return bundle
    from mastery_nb.forms.learner import learner_form
    from mastery_nb.forms.notebook import render_bundle

    form = learner_form(root, claim.course_id, claim.unit_id, claim.student_id, claim.form)
    return bundle if form is None else render_bundle(bundle, form)


def _course_limits(course: Course, base: Limits | None, overrides: dict[str, Any]) -> Limits:
    return (base or Limits()).for_course(course.grading, **overrides)


def grade_claim(
    root: CourseRoot,
    store: Store,
    claim: Claim,
    grader: Grader,
    *,
    overrides: dict[str, Any] | None = None,
) -> GradedAttempt:
    """Grade one claimed attempt and record it (or record the grader's fault).

    Raises :class:`~mastery_nb.grade.worker.WorkerUnavailable` (the claim given back
    untouched) when no worker can start: the grader must stop, the attempt is not at fault.
    """
    from mastery_nb.grade.execution import GradingUnavailable
    from mastery_nb.grade.worker import WorkerUnavailable

    def outcome(status: str, error: str) -> GradedAttempt:
        return GradedAttempt(
            attempt_id=claim.attempt_id,
            course_id=claim.course_id,
            unit_id=claim.unit_id,
            student_id=claim.student_id,
            number=claim.number,
            status=status,
            error=error,
        )

    def fault(cause: str, *, final: bool = False) -> GradedAttempt:
        status = _grader_fault(store, claim, cause, final=final)
        log.warning("attempt %s: grading failed in the grader: %s", claim.attempt_id, cause)
        return outcome(GRADER_ERROR if status == GRADER_ERROR else "retrying", cause)

    lease = _lease_seconds()
    with _Heartbeat(store, claim, lease):
        try:
            released = ReleasedCourse.of(root, claim.course_id)
            course = released.course()
            bundle = _form_bundle(root, course, released.unit_bundle(claim.unit_id), claim)
        except Exception as error:  # bundle or form unreadable: the instructor can fix it
            return fault(f"the released course cannot be read: {error}")
        try:
            notebooks = _read_notebooks(root, claim)
        except _SubmissionMissing as error:
            return fault(str(error), final=True)
        thresholds = course.thresholds(claim.unit_id)
        limits = _course_limits(course, getattr(grader, "limits", None), overrides or {})
        _pause("grading", claim.attempt_id)
        grade: Any = grader.grade
        if claim.grader_errors:  # its last grading failed in the grader: alone, where it matters
            grade = getattr(grader, "grade_alone", grade)
        try:
            result = grade(
                bundle,
                notebooks,
                released.files_dir,
                thresholds=thresholds,
                limits=limits,
            )
        except WorkerUnavailable:
            _give_back(store, claim)
            raise
        except GradingUnavailable as error:
            return fault(str(error))
        except Exception as error:  # a bug of the grader: never the submission's doing
            log.exception("grading attempt %s failed", claim.attempt_id)
            return fault(f"the grader failed: {type(error).__name__}: {error}")
    recorded = record_result(store, claim, course, result)
    return recorded or outcome("requeued", "the claim was taken over by another grader")


def _claimable_units(store: Store, course_id: str | None) -> set[tuple[str, str]]:
    """The (course, unit) pairs of the attempts waiting now (queued, or left by a grader
    whose lease ran out): what a one-off run's pool is started for."""
    with store.read() as session:
        query = select(AttemptRow.course_id, AttemptRow.unit_id).where(_claimable(utcnow()))
        if course_id is not None:
            query = query.where(AttemptRow.course_id == course_id)
        return {(c, u) for c, u in session.execute(query.distinct()).all()}


def grade_pending(
    root: CourseRoot,
    *,
    workers: int = 2,
    course_id: str | None = None,
    grader: Grader | None = None,
    stop: threading.Event | None = None,
    on_done: Callable[[GradedAttempt], None] | None = None,
    overrides: dict[str, Any] | None = None,
    scheduler: str | GatewayTarget | None = None,
) -> int:
    """Grade every claimable attempt (including ones queued meanwhile, and the retries of
    grader faults); return how many were graded. ``grader`` defaults to a fresh pool of
    ``workers``; ``overrides``: grading settings laid over each course's (the command
    line's ``--cell-timeout`` etc.); ``scheduler``: grade on that Dask cluster (an address
    or a dask-gateway cluster), ``workers`` attempts at a time (:mod:`mastery_nb.grade.cluster`).
    Raises WorkerUnavailable when the grader cannot work at all (the queue is left as it was)."""
    store = open_store(root)
    workers = max(1, workers)
    waiting = _claimable_units(store, course_id) if grader is None else set()
    if grader is None and not waiting:
        return 0  # nothing to grade: no grading processes to start
    own_pool = grader is None
    pools: list[Grader] = [grader] if grader is not None else []
    #: the (course, unit) pairs the newest pool warmed; None: every unit
    covered: set[tuple[str, str]] | None = None if grader is not None else waiting
    halt = threading.Event()
    lock = threading.Lock()
    graded = 0

    def pool_for(claim: Claim) -> Grader:
        """The pool, started when the first attempt is claimed (nothing queued: no start),
        warming what the waiting attempts' units import. An attempt of another unit, queued
        meanwhile, gets a pool warming every unit (from then on; the first stays until the
        end, as another thread may be grading with it)."""
        nonlocal covered
        with lock:
            unit = (claim.course_id, claim.unit_id)
            if not pools or (covered is not None and unit not in covered):
                units = covered if not pools else None
                try:
                    pools.append(
                        make_pool(
                            root,
                            workers,
                            course_id=course_id,
                            overrides=overrides,
                            scheduler=scheduler,
                            units=units,
                        )
                    )
                except BaseException:
                    _give_back(store, claim)
                    raise
                covered = units
            return pools[-1]

    def work() -> None:
        nonlocal graded
        while not (stop and stop.is_set()) and not halt.is_set():
            claim = claim_next(store, course_id=course_id)
            if claim is None:
                return
            try:
                done = grade_claim(root, store, claim, pool_for(claim), overrides=overrides)
            except BaseException:
                halt.set()
                raise
            with lock:
                if done.status == "graded":
                    graded += 1
            if on_done is not None:
                on_done(done)

    try:
        if workers == 1:
            work()
        else:
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="grade") as executor:
                for future in [executor.submit(work) for _ in range(workers)]:
                    future.result()
    finally:
        if own_pool:
            for pool in pools:
                pool.close()  # type: ignore[attr-defined]
    return graded


STATUSES = ("queued", "grading", "graded", GRADER_ERROR)


def queue_counts(
    root: CourseRoot, *, course_id: str | None = None, include_graded: bool = True
) -> dict[str, int]:
    """How many attempts are in each status (``include_graded=False``: skip counting the
    graded ones, which is the only count that grows with the history)."""
    from sqlalchemy import func

    store = open_store(root)
    statuses = [s for s in STATUSES if include_graded or s != "graded"]
    with store.read() as session:
        query = (
            select(AttemptRow.status, func.count())
            .where(AttemptRow.status.in_(statuses))
            .group_by(AttemptRow.status)
        )
        if course_id is not None:
            query = query.where(AttemptRow.course_id == course_id)
        counts = dict.fromkeys(STATUSES, 0)
        counts.update({status: int(n) for status, n in session.execute(query).all()})
        return counts


def retry_errors(root: CourseRoot, *, course_id: str | None = None) -> int:
    """Queue every ``grader-error`` attempt again (after the instructor fixed the cause)."""
    store = open_store(root)
    with store.write() as session:
        statement = (
            _update_attempts()
            .where(AttemptRow.status == GRADER_ERROR)
            .values(status="queued", claims=0, grader_errors=0, error=None)
        )
        if course_id is not None:
            statement = statement.where(AttemptRow.course_id == course_id)
        return int(session.execute(statement).rowcount)  # type: ignore[attr-defined]


#: the name of :func:`retry_errors` before grader errors had their own status
retry_failed = retry_errors


class GradingLoop:
    """Grades in a background thread until stopped: the server's embedded grader.

    It grades whatever is queued, then sleeps until :meth:`wake` (called after a submit)
    or ``poll_seconds`` (attempts submitted by other processes). The grading pool stays
    warm between rounds.
    """

    def __init__(
        self,
        root: CourseRoot,
        *,
        workers: int = 1,
        course_id: str | None = None,
        poll_seconds: float = 5.0,
        on_done: Callable[[GradedAttempt], None] | None = None,
        overrides: dict[str, Any] | None = None,
        scheduler: str | GatewayTarget | None = None,
    ) -> None:
        self.root = root
        self.scheduler = scheduler
        self.workers = max(1, workers)
        self.course_id = course_id
        self.poll_seconds = poll_seconds
        self.on_done = on_done
        self.overrides = overrides
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pool: Any = None
        #: why the grader cannot work now (its workers fail their self-test), or None
        self.problem: str | None = None

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="mastery-grading", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Grade now (a submission just arrived)."""
        self._wake.set()

    def stop(self, timeout: float | None = None) -> None:
        """Stop after the attempts being graded are recorded; close the pool."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        from mastery_nb.grade.worker import WorkerUnavailable

        try:
            while not self._stop.is_set():
                self._wake.clear()
                try:
                    if self._pool is None:
                        self._pool = make_pool(
                            self.root,
                            self.workers,
                            course_id=self.course_id,
                            overrides=self.overrides,
                            scheduler=self.scheduler,
                        )
                    grade_pending(
                        self.root,
                        workers=self.workers,
                        course_id=self.course_id,
                        grader=self._pool,
                        stop=self._stop,
                        on_done=self.on_done,
                        overrides=self.overrides,
                    )
                    self.problem = None
                except WorkerUnavailable as error:
                    self.problem = str(error)
                    log.error(
                        "the grader cannot work: %s; trying again in %s s", error, self.poll_seconds
                    )
                    if self._pool is not None:
                        self._pool.close()
                        self._pool = None
                except Exception:
                    log.exception("grading round failed; retrying in %s s", self.poll_seconds)
                self._wake.wait(self.poll_seconds)
        finally:
            if self._pool is not None:
                self._pool.close()
                self._pool = None

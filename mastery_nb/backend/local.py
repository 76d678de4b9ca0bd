"""The in-process backend: the store, the released course and the grader in this process.

Used by ``mastery-nb demo`` (one machine: the learner's own Jupyter server holds it) and
by the mastery service (which holds one per course and answers every learner with it).
Whoever holds a LocalBackend holds the secrets: the database, ``autograder/``.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from mastery_nb.backend import BackendError
from mastery_nb.backend.grading import Grading
from mastery_nb.course.model import Course, Placement, Unit
from mastery_nb.documents import (
    AttemptHistory,
    AttemptSummary,
    Feedback,
    FileDocument,
    GraderInfo,
    GradingProblem,
    GradingStatus,
    LearnerList,
    NotebookPath,
    ObjectiveStanding,
    PlacementStanding,
    PracticeIngest,
    PracticeSummary,
    Progress,
    QueueCounts,
    SolutionGate,
    StartReceipt,
    SubmitReceipt,
    UnitStanding,
    WaitingObjective,
)
from mastery_nb.errors import EXIT_BAD_INPUT, MasteryError, SubmissionRefused
from mastery_nb.progress.report import override_notes
from mastery_nb.progress.standing import GradingProblem as StandingProblem
from mastery_nb.progress.standing import PlacementStanding as PlacementRecord
from mastery_nb.progress.standing import UnitStanding as Standing
from mastery_nb.progress.standing import format_time
from mastery_nb.root import CourseRoot
from mastery_nb.store.engine import Store

__all__ = ["MAX_START_BYTES", "LocalBackend", "release_files", "unit_document"]

#: a unit's released files larger than this in all are not handed out (ask for a smaller release)
MAX_START_BYTES = 64 * 1024 * 1024
_SKIP_PARTS = {".ipynb_checkpoints", "__pycache__"}


def _words(error: Exception) -> str:
    if isinstance(error, MasteryError):
        return "; ".join(str(p) for p in error.problems)
    return str(error.args[0]) if error.args else str(error)


def release_files(release_dir: Path, course: Course, unit: Unit | Placement) -> list[FileDocument]:
    """The released files a learner needs to work on ``unit`` (or a placement): the course
    folder without other units' and placements' notebooks (they come when those start).
    Links are never followed."""
    if not release_dir.is_dir():
        raise BackendError(
            503,
            "not_released",
            f"the course {course.id!r} has no released folder; run `mastery-nb release` first",
        )
    items: list[Unit | Placement] = [*course.units, *course.placements]
    others = {nb for u in items if u is not unit for nb in u.notebooks} - set(unit.notebooks)
    files: list[FileDocument] = []
    total = 0
    for source in sorted(release_dir.rglob("*")):
        rel = source.relative_to(release_dir)
        if source.is_symlink() or not source.is_file() or _SKIP_PARTS & set(rel.parts):
            continue
        if rel.as_posix() in others:
            continue
        data = source.read_bytes()
        total += len(data)
        if total > MAX_START_BYTES:
            raise BackendError(
                507,
                "too_large",
                f"the released files of unit {unit.id!r} are larger than "
                f"{MAX_START_BYTES // (1024 * 1024)} MB; the instructor should move large data elsewhere",
            )
        files.append(FileDocument.of(rel.as_posix(), data))
    present = {f.path for f in files}
    for notebook in unit.notebooks:
        if notebook not in present:
            raise BackendError(
                503,
                "not_released",
                f"the released notebook {notebook} of unit {unit.id!r} is missing; "
                "run `mastery-nb release` again",
            )
    return files


def _attempts(standing: Standing | PlacementRecord) -> dict[str, Any]:
    """The attempt fields a unit's and a placement's standing documents share."""
    return {
        "attempts_used": standing.attempts_used,
        "attempts_left": standing.attempts_left,
        "max_attempts": standing.max_attempts,
        "cooldown_until": format_time(standing.cooldown_until) if standing.cooldown_until else None,
        "last_attempt": standing.last_attempt,
        "last_status": standing.last_status,
        "pending_attempts": list(standing.pending),
        "can_submit": standing.can_submit,
        "refusal": standing.refusal,
        "refusal_reason": standing.refusal_reason,
    }


def unit_document(course: Course, unit: Unit, standing: Standing) -> UnitStanding:
    titles = {u.id: u.title for u in course.units}
    descriptions = {o.id: o.description for o in unit.objectives}
    # built from our own data on every progress request: constructed, not re-validated
    return UnitStanding.model_construct(
        id=unit.id,
        title=unit.title,
        description=unit.description,
        state=standing.state,
        mastered=standing.mastered,
        requires=list(unit.requires),
        waits_for=list(standing.waits_for),
        waits_for_titles=[titles.get(w, w) for w in standing.waits_for],
        waits_for_objectives=[
            WaitingObjective.model_construct(unit=u, objective=o)
            for u, o in standing.waits_for_objectives
        ],
        cooldown_seconds=standing.cooldown_seconds,
        scoring=unit.policy.scoring,
        **_attempts(standing),
        grading_problem=_grading_problem(standing.grading_problem),
        objectives=[
            ObjectiveStanding.model_construct(
                id=o.id,
                description=o.description or descriptions.get(o.id, ""),
                score=round(o.score, 6),
                threshold=o.threshold,
                mastered=o.mastered,
                best_score=round(o.best_score, 6),
                latest_score=None if o.latest_score is None else round(o.latest_score, 6),
                awaiting_review=o.awaiting_review,
                excused=o.excused,
                overridden=o.overridden,
                mastered_at=format_time(o.mastered_at) if o.mastered_at else None,
            )
            for o in standing.objectives
        ],
        notebooks=[
            NotebookPath.model_construct(path=nb, server_path=None) for nb in unit.notebooks
        ],
        started=False,
        forms=unit.forms,
        form=standing.form,
        mastered_by=standing.mastered_by,
        placement=standing.placement,
        awaiting_review=standing.awaiting_review,
        mastered_at=format_time(standing.mastered_at) if standing.mastered_at else None,
        notes=override_notes(standing),
    )


def _grading_problem(problem: StandingProblem | None) -> GradingProblem | None:
    if problem is None:
        return None
    return GradingProblem.model_construct(
        attempt=problem.attempt, final=problem.final, message=problem.message, cause=problem.cause
    )


def _placement_document(
    course: Course, placement: Placement, standing: PlacementRecord
) -> PlacementStanding:
    titles = {u.id: u.title for u in course.units}
    return PlacementStanding(
        id=placement.id,
        title=placement.title,
        description=placement.description,
        units=list(placement.units),
        unit_titles=[titles.get(u, u) for u in placement.units],
        state=standing.state,
        placed=list(standing.placed),
        **_attempts(standing),
        notebooks=[NotebookPath(path=nb, server_path=None) for nb in placement.notebooks],
        forms=placement.forms,
        form=standing.form,
        cooldown_seconds=standing.cooldown_seconds,
        grading_problem=_grading_problem(standing.grading_problem),
    )


def started_files(
    root: CourseRoot, course: Course, item: Unit | Placement, learner: str, form: int
) -> list[FileDocument]:
    """The files of ``learner``'s ``form`` of a unit or placement: the released files, its
    notebooks with the learner's values filled in and ``forms/<id>.json`` (what the checks
    read). Without forms, the released files as they are. Deterministic bytes: the same
    learner and form always give the same files."""
    files = release_files(root.course_release(course.id), course, item)
    if not item.forms:
        return files
    import nbformat

    from mastery_nb.course.reader import ReleasedCourse
    from mastery_nb.forms.learner import learner_form
    from mastery_nb.forms.notebook import render_notebook
    from mastery_nb.forms.values import form_file_bytes, form_file_path
    from mastery_nb.release.student import notebook_bytes

    drawn = learner_form(root, course.id, item.id, learner, form)
    if drawn is None:
        return files
    bundle = ReleasedCourse.of(root, course.id).unit_bundle(item.id)
    cells = {nb.path: nb.form_cells for nb in bundle.notebooks}
    result = []
    for document in files:
        if document.path in cells:
            notebook = nbformat.reads(document.content().decode("utf-8"), as_version=4)  # type: ignore[no-untyped-call]
            render_notebook(notebook, cells[document.path], drawn.values, unit=item.id, number=form)
            document = FileDocument.of(document.path, notebook_bytes(notebook))
        result.append(document)
    result.append(
        FileDocument.of(
            form_file_path(item.id), form_file_bytes(course.id, item.id, form, drawn.values)
        )
    )
    return sorted(result, key=lambda f: f.path)


class LocalBackend:
    """One course of a course root, answered from this process.

    ``grading`` grades the queued attempts (woken after each submission); None when
    grading runs elsewhere (``mastery-nb grade --watch``). ``grader_mode`` is what learners
    are told: ``in_process`` (the demo), ``service`` or ``external``.
    """

    def __init__(
        self,
        root: CourseRoot,
        course_id: str,
        *,
        grading: Grading | None = None,
        grader_mode: str = "external",
        own_grading: bool = True,
    ) -> None:
        self.root = root
        self.course_id = course_id
        self.grading = grading
        self.grader_mode = grader_mode
        self._own_grading = own_grading

    # ------------------------------------------------------------------ helpers
    def course(self) -> Course:
        from mastery_nb.store.queries import load_released_course

        try:
            return load_released_course(self.root, self.course_id)
        except MasteryError as error:
            raise BackendError(503, "no_course", _words(error)) from None

    def unit(self, unit_id: str) -> Unit | Placement:
        """A unit of the course, or a placement (learners start and submit both alike)."""
        course = self.course()
        unit = course.gradable(unit_id)
        if unit is None:
            known = ", ".join([u.id for u in course.units] + [p.id for p in course.placements])
            raise BackendError(
                404,
                "unknown_unit",
                f"course {self.course_id!r} has no unit {unit_id!r} (units: {known})",
            )
        return unit

    def standing(self, learner: str) -> dict[str, Standing]:
        return self.standings(learner)[0]

    def standings(self, learner: str) -> tuple[dict[str, Standing], dict[str, PlacementRecord]]:
        """Every unit's and every placement's standing (one read of the learner's attempts)."""
        from mastery_nb.progress import learner_standings

        try:
            return learner_standings(self.root, self.course_id, learner)
        except MasteryError as error:
            raise BackendError(503, "no_course", _words(error)) from None

    def grader(self) -> GraderInfo:
        in_process = self.grader_mode == "in_process"
        error = self.grading.error if self.grading is not None else None
        mode = (
            "in_process"
            if in_process
            else "service"
            if self.grader_mode == "service"
            else "external"
        )
        return GraderInfo(mode=mode, in_process=in_process and error is None, error=error)

    def store(self) -> Store:
        from mastery_nb.store import open_store

        return open_store(self.root)

    # ------------------------------------------------------------------ the seam
    def progress(self, learner: str) -> Progress:
        course = self.course()
        standing, placements = self.standings(learner)
        now = format_time(datetime.now(timezone.utc))
        return Progress(
            course=self.course_id,
            course_title=course.title,
            student=learner,
            generated_at=now,
            now=now,
            grading=self.grader(),
            units=[unit_document(course, u, standing[u.id]) for u in course.units],
            placements=[
                _placement_document(course, p, placements[p.id]) for p in course.placements
            ],
        )

    def start(self, learner: str, unit_id: str) -> StartReceipt:
        course = self.course()
        unit = self.unit(unit_id)
        units, placements = self.standings(learner)
        standing = units.get(unit.id)
        if standing is not None and standing.state == "locked":
            # worded where every refusal is (progress.standing)
            raise BackendError(409, "locked", standing.refusal_reason or "locked")
        form = standing.form if standing is not None else placements[unit.id].form
        try:
            files = started_files(self.root, course, unit, learner, form)
        except MasteryError as error:
            raise BackendError(503, "no_course", _words(error)) from None
        return StartReceipt(
            course=self.course_id,
            unit=unit.id,
            student=learner,
            notebooks=list(unit.notebooks),
            files=files,
            form=form if unit.forms else None,
        )

    def submit(self, learner: str, unit_id: str, notebooks: dict[str, bytes]) -> SubmitReceipt:
        from mastery_nb.submit import submit_attempt

        self.unit(unit_id)
        try:
            receipt = submit_attempt(self.root, self.course_id, unit_id, learner, notebooks)
        except SubmissionRefused as refused:
            # bad input (an invalid notebook) is 400, a refusal by the policy is 409
            status = 400 if refused.exit_code == EXIT_BAD_INPUT else 409
            raise BackendError(status, refused.code, refused.reason) from None
        except MasteryError as error:
            raise BackendError(400, "invalid", _words(error)) from None
        if self.grading is not None:
            self.grading.wake()
        return SubmitReceipt.model_validate(receipt.to_json())

    def attempts(self, learner: str, unit_id: str) -> AttemptHistory:
        from sqlalchemy import select

        from mastery_nb.store.models import AttemptRow

        self.unit(unit_id)
        with self.store().read() as session:
            rows = session.execute(
                select(AttemptRow)
                .where(
                    AttemptRow.course_id == self.course_id,
                    AttemptRow.student_id == learner,
                    AttemptRow.unit_id == unit_id,
                )
                .order_by(AttemptRow.number)
            ).scalars()
            attempts = [
                AttemptSummary(
                    number=row.number,
                    status=row.status,
                    submitted_at=format_time(row.submitted_at),
                    graded_at=format_time(row.graded_at) if row.graded_at else None,
                    points=row.points,
                    max_points=row.max_points,
                    mastered=row.mastered,
                    error=row.error,
                    form=row.form or 1,
                )
                for row in rows
            ]
        return AttemptHistory(
            course=self.course_id, unit=unit_id, student=learner, attempts=attempts
        )

    def feedback(self, learner: str, unit_id: str, attempt: int | None = None) -> Feedback:
        from mastery_nb.feedback import attempt_feedback

        self.unit(unit_id)
        try:
            document = attempt_feedback(self.root, self.course_id, learner, unit_id, attempt)
        except (MasteryError, LookupError) as error:
            raise BackendError(404, "no_feedback", _words(error)) from None
        return Feedback.model_validate(document)

    def record_practice(self, learner: str, events: list[object]) -> PracticeIngest:
        from mastery_nb.store.practice import PracticeRateLimited, ingest_practice

        try:
            return ingest_practice(self.store(), self.course(), learner, events)
        except PracticeRateLimited as error:
            raise BackendError(429, error.code, str(error)) from None

    def practice(self, learner: str) -> PracticeSummary:
        from mastery_nb.store.practice import practice_summary

        return practice_summary(self.store(), self.course_id, learner)

    def learners(self) -> LearnerList:
        from mastery_nb.store.practice import course_learners

        return LearnerList(
            course=self.course_id, learners=course_learners(self.store(), self.course_id)
        )

    def solution_gate(self, learner: str, unit_id: str, question: str) -> SolutionGate:
        """The ``after_mastery`` rule of :mod:`mastery_nb.checks.gating`, for this learner."""
        from mastery_nb.checks.gating import SolutionPolicy, solution_gate

        unit = self.unit(unit_id)
        unit_standing = self.standing(learner).get(unit.id)
        mastered = unit_standing is not None and unit_standing.mastered
        gate = solution_gate(
            SolutionPolicy("after_mastery"), has_solution=True, attempts=0, mastered=mastered
        )
        return SolutionGate(
            course=self.course_id,
            unit=unit.id,
            question=question,
            unit_mastered=mastered,
            allowed=gate.allowed,
            message=gate.message,
        )

    def grading_status(self, learner: str) -> GradingStatus:
        from mastery_nb.grade.queue import queue_counts

        standing = self.standing(learner)
        counts = queue_counts(self.root, course_id=self.course_id)
        return GradingStatus(
            course=self.course_id,
            grading=[u for u, s in standing.items() if s.state == "grading"],
            queue=QueueCounts(
                queued=counts.get("queued", 0),
                grading=counts.get("grading", 0),
                graded=counts.get("graded", 0),
                grader_errors=counts.get("grader-error", 0),
            ),
            grader=self.grader(),
        )

    def close(self) -> None:
        """Stop the grader this backend owns (the service stops its shared one itself)."""
        grading, self.grading = self.grading, None
        if grading is not None and self._own_grading:
            grading.stop()

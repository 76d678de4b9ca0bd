"""``start_unit``: a learner's current form of a unit, from the backend into a workspace."""

from __future__ import annotations

from pathlib import Path

from mastery_nb.backend import BackendError
from mastery_nb.backend.local import LocalBackend
from mastery_nb.documents import NotebookPath, StartedUnit
from mastery_nb.errors import MasteryError, Problem, SubmissionRefused
from mastery_nb.identity import check_learner
from mastery_nb.root import CourseRoot
from mastery_nb.server.workspace import WorkspaceError, write_start_files

__all__ = ["start_unit"]

#: backend refusals that are the policy's (exit 3), not bad input (exit 2)
_REFUSALS = ("locked",)


def start_unit(
    root: CourseRoot, course_id: str, unit_id: str, student: str, workspace: Path
) -> StartedUnit:
    """Write ``student``'s current form of ``unit_id`` into ``workspace/<course>/``.

    Raises :class:`SubmissionRefused` (code ``locked``) when the unit waits for others, and
    :class:`MasteryError` for anything the caller can fix (an unknown unit, a course not
    released, a workspace that cannot be written).
    """
    check_learner(student)
    backend = LocalBackend(root, course_id)
    try:
        receipt = backend.start(student, unit_id)
    except BackendError as error:
        if error.code in _REFUSALS:
            raise SubmissionRefused(error.message, code=error.code) from None
        raise MasteryError(
            Problem(f"course '{course_id}'", unit_id, error.message, _fix(error))
        ) from None
    finally:
        backend.close()
    target = workspace / course_id
    try:
        result = write_start_files(
            target, receipt.files, form=receipt.form, unit=receipt.unit, notebooks=receipt.notebooks
        )
    except (WorkspaceError, OSError) as error:
        raise MasteryError(
            Problem(
                str(target),
                "",
                f"cannot write the unit's files: {error}",
                "choose a --dir you can write to",
            )
        ) from None
    return StartedUnit(
        unit=receipt.unit,
        copied=result.copied,
        kept=result.kept,
        notebooks=[NotebookPath(path=nb, server_path=str(target / nb)) for nb in receipt.notebooks],
        form=receipt.form,
        moved=result.moved,
    )


def _fix(error: BackendError) -> str:
    if error.code == "unknown_unit":
        return "use the id of a unit or placement of the course (see course.json)"
    if error.code in ("no_course", "not_released"):
        return "release the course first (`mastery-nb release`), or pass --root"
    return "see the message"

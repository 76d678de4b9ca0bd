"""A learner's form of a unit, drawn where the secret is: the backend and the grader.

``learner_form(root, course, unit, learner, number)`` runs the unit's form function (from
the released checks file in the grading bundle, ``autograder/<course>/files/checks/``) with
the seed of that learner's form number (:func:`mastery_nb.forms.keys.learner_seed`). The
same inputs give the same values, so starting the unit twice, ``mastery-nb start`` and the
grader all see the same form. The learner's kernel never draws a form: it reads the one it
was given (``forms/<unit>.json``).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mastery_nb.course.bundle import FormFile
from mastery_nb.errors import MasteryError, Problem
from mastery_nb.forms.keys import course_key, learner_seed
from mastery_nb.forms.values import FormError, preview_seed
from mastery_nb.root import CourseRoot

if TYPE_CHECKING:
    from mastery_nb.checks.api import Checks

__all__ = ["learner_form", "preview_form", "unit_checks"]

_cache: dict[Path, tuple[tuple[int, int], Checks | None]] = {}
_lock = threading.Lock()


def unit_checks(checks_dir: Path, unit: str) -> Checks | None:
    """The checks of ``checks/<unit>.py`` (None when there is no such file or it does not
    load as a checks registry), loaded once per version of the file."""
    from mastery_nb.checks.load import ChecksError, _exec_checks_file

    path = checks_dir / f"{unit}.py"
    try:
        stat = path.stat()
    except OSError:
        return None
    key = (stat.st_mtime_ns, stat.st_size)
    with _lock:
        cached = _cache.get(path)
    if cached is not None and cached[0] == key:
        return cached[1]
    try:
        checks: Checks | None = _exec_checks_file(path, unit)
    except ChecksError:
        # not a checks registry (a file of other helpers), or a broken one: no forms.
        # `mastery-nb validate` reports a notebook that refers to a form it does not have.
        checks = None
    with _lock:
        _cache[path] = (key, checks)
    return checks


def _draw(checks: Checks, seed: int, path: Path) -> dict[str, Any]:
    try:
        return checks.draw_form(seed)
    except FormError as error:
        message = str(error)
    except Exception as error:  # the author's function: say what it raised, in words
        message = f"the form function raised {type(error).__name__}: {error}"
    raise MasteryError(
        Problem(
            str(path),
            "@checks.form",
            message,
            "make the form function return a dict of JSON values drawn from its rng",
        )
    )


def preview_form(checks_dir: Path, course: str, unit: str) -> dict[str, Any] | None:
    """The values of the unit's preview form (number 0), None when it has no forms."""
    checks = unit_checks(checks_dir, unit)
    if checks is None or not checks.has_form:
        return None
    return _draw(checks, preview_seed(course, unit), checks_dir / f"{unit}.py")


def learner_form(
    root: CourseRoot, course_id: str, unit: str, learner: str, number: int
) -> FormFile | None:
    """``learner``'s form ``number`` of ``unit`` (a unit or a placement); None when it has
    no forms. Raises :class:`MasteryError` when the released checks file cannot draw one."""
    checks_dir = root.course_bundle(course_id) / "files" / "checks"
    checks = unit_checks(checks_dir, unit)
    if checks is None or not checks.has_form:
        return None
    try:
        key = course_key(root.data_dir, course_id)
    except (OSError, ValueError) as error:
        raise MasteryError(
            Problem(
                str(root.data_dir),
                "form-keys",
                f"the course's form key cannot be read or made ({error})",
                "make the data directory writable by the mastery service",
            )
        ) from None
    seed = learner_seed(key, course_id, unit, learner, number)
    values = _draw(checks, seed, checks_dir / f"{unit}.py")
    return FormFile(course=course_id, unit=unit, number=number, values=values)

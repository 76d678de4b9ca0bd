"""The one reader of a released course, with one cache.

``mastery-nb release`` writes ``autograder/<course>/`` (private: ``course.json``,
``units/<unit>.json``, ``files/``) and ``release/<course>/`` (public: ``course.json`` and
the student files). Everything that needs the released course (submit, the grading queue,
progress, feedback, the server, the service) reads it through :class:`ReleasedCourse`, so
there is one place that parses those files, one cache, and one wording for "not released".

Grading and submitting go by the released course, never by the sources being edited. The
cache is keyed by file and modification time, so a re-release is seen at once; parsed
models are frozen, so sharing them between threads is safe.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from mastery_nb.course.bundle import UnitBundle
from mastery_nb.course.model import Course
from mastery_nb.errors import MasteryError, Problem
from mastery_nb.root import CourseRoot

__all__ = ["ReleasedCourse"]

MANIFEST = "course.json"
_Model = TypeVar("_Model", bound=BaseModel)
_cache: dict[Path, tuple[tuple[int, int], BaseModel]] = {}
_lock = threading.Lock()


def _read(path: Path, model: type[_Model]) -> _Model:
    """``model`` parsed from ``path``, from the cache while the file is unchanged.

    Raises ``OSError`` when the file cannot be read and ``ValueError`` when it is not valid.
    """
    stat = path.stat()
    key = (stat.st_mtime_ns, stat.st_size)
    with _lock:
        cached = _cache.get(path)
    if cached is not None and cached[0] == key and isinstance(cached[1], model):
        return cached[1]
    parsed = model.model_validate_json(path.read_bytes())
    with _lock:
        _cache[path] = (key, parsed)
    return parsed


class ReleasedCourse:
    """One course as released in a course root (or a bundle folder anywhere).

    ``ReleasedCourse.of(root, course_id)`` for a course root; ``ReleasedCourse.at(folder)``
    for a bare grading bundle (a copy on a worker, a test's folder).
    """

    def __init__(
        self,
        course_id: str,
        bundle_dir: Path,
        release_dir: Path | None = None,
        root: CourseRoot | None = None,
    ) -> None:
        self.course_id = course_id
        self.bundle_dir = bundle_dir
        self.release_dir = release_dir
        self._root = root

    @classmethod
    def of(cls, root: CourseRoot, course_id: str) -> ReleasedCourse:
        return cls(course_id, root.course_bundle(course_id), root.course_release(course_id), root)

    @classmethod
    def at(cls, bundle_dir: Path) -> ReleasedCourse:
        return cls(bundle_dir.name, bundle_dir)

    # -- where things are ----------------------------------------------------------------

    @property
    def files_dir(self) -> Path:
        """``autograder/<course>/files``: the public files a notebook needs while graded."""
        return self.bundle_dir / "files"

    @property
    def public_manifest_path(self) -> Path | None:
        """``release/<course>/course.json``: the student manifest (None for a bare bundle)."""
        return self.release_dir / MANIFEST if self.release_dir is not None else None

    def is_released(self) -> bool:
        """The grading bundle's manifest exists (what grading and submitting need)."""
        return self._valid_id() and (self.bundle_dir / MANIFEST).is_file()

    def _valid_id(self) -> bool:
        return not (
            "/" in self.course_id or "\\" in self.course_id or self.course_id in ("", ".", "..")
        )

    def _relative(self, path: Path) -> str:
        return self._root.relative(path) if self._root is not None else str(path)

    # -- what it says ----------------------------------------------------------------------

    def course(self, *, bundle_only: bool = True, public_only: bool = False) -> Course:
        """The released :class:`Course` from ``autograder/<course>/course.json``; with
        ``bundle_only=False``, from ``release/<course>/course.json`` when only the student
        release exists (reading progress on a learner's machine); with ``public_only``,
        from the student manifest alone (what submit checks a submission against: the
        public ``course.json`` names every unit's notebooks and grade ids)."""
        candidates = [] if public_only else [self.bundle_dir / MANIFEST]
        public = self.public_manifest_path
        if (public_only or not bundle_only) and public is not None:
            candidates.append(public)
        if not self._valid_id():
            candidates = []
        for path in candidates:
            try:
                return _read(path, Course)
            except OSError:
                continue
            except ValueError as error:
                raise MasteryError(
                    Problem(
                        self._relative(path),
                        "",
                        f"not a valid released course ({error})",
                        f"run `mastery-nb release {self.course_id}` again",
                    )
                ) from None
        raise MasteryError(self._not_released())

    def _not_released(self) -> Problem:
        if self._root is None:
            return Problem(
                str(self.bundle_dir),
                "",
                "not a grading bundle (no course.json)",
                "point to autograder/<course>/ as written by `mastery-nb release`",
            )
        released = sorted(p.parent.name for p in self._root.autograder_dir.glob(f"*/{MANIFEST}"))
        return Problem(
            self._relative(self.bundle_dir),
            "",
            f"course '{self.course_id}' is not released in this course root ({self._root.path})",
            f"use one of: {', '.join(released)}"
            if released
            else "run `mastery-nb release` in the course root, or pass --root",
        )

    def unit_bundle(self, unit_id: str) -> UnitBundle:
        """The grading bundle of one unit (``autograder/<course>/units/<unit>.json``)."""
        path = self.bundle_dir / "units" / f"{unit_id}.json"
        try:
            return _read(path, UnitBundle)
        except OSError:
            raise MasteryError(
                Problem(
                    self._relative(path),
                    "",
                    f"the grading bundle of unit '{unit_id}' is missing",
                    f"run `mastery-nb release {self.course_id}` again",
                )
            ) from None
        except ValueError as error:
            raise MasteryError(
                Problem(
                    self._relative(path),
                    "",
                    f"not a valid grading bundle ({error})",
                    f"run `mastery-nb release {self.course_id}` again",
                )
            ) from None

    def public_manifest(self) -> bytes:
        """The bytes of ``release/<course>/course.json``, as students get them."""
        path = self.public_manifest_path
        if path is None or not self._valid_id():
            raise MasteryError(self._not_released())
        try:
            return path.read_bytes()
        except OSError:
            raise MasteryError(self._not_released()) from None

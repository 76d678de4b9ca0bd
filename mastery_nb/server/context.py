"""What every route needs: the course root, the course, the learner's workspace, the grader.

The extension app builds one :class:`MasteryContext` when the server starts and puts it in
the web application's settings under ``"mastery"``. The extension is enabled for every
Jupyter server once the package is installed, so a server started where there is no
released course must still start: the context then holds a ``problem`` in words, every
route answers it with 503, and the sidebar shows it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from mastery_nb.course.model import Course, Unit
from mastery_nb.root import CourseRoot
from mastery_nb.server.practice import PracticeStore

__all__ = ["GradingLoopLike", "MasteryContext", "find_course_id", "load_release_course"]


class GradingLoopLike(Protocol):
    def start(self) -> None: ...
    def stop(self) -> None: ...
    def wake(self) -> None: ...


def find_course_id(root: CourseRoot) -> str:
    """The only released course under ``release/``; ValueError in words otherwise."""
    release = root.release_dir
    found = sorted(p.parent.name for p in release.glob("*/course.json")) if release.is_dir() else []
    if len(found) == 1:
        return found[0]
    if not found:
        raise ValueError(
            f"no released course in {release}: run `mastery-nb release` in the course root, "
            "or set c.MasteryApp.course_root to a course root that has one"
        )
    raise ValueError(
        f"{len(found)} released courses in {release} ({', '.join(found)}): "
        "choose one with c.MasteryApp.course_id"
    )


def load_release_course(root: CourseRoot, course_id: str) -> Course:
    """The student manifest ``release/<course>/course.json``."""
    path = root.course_release(course_id) / "course.json"
    if not path.is_file():
        raise ValueError(
            f"{path} does not exist: run `mastery-nb release {course_id}` in {root.path}"
        )
    return Course.model_validate_json(path.read_text(encoding="utf-8"))


@dataclass
class MasteryContext:
    """The course one server serves, and where its learner works."""

    root: CourseRoot
    course_id: str
    server_root: Path  #: the Jupyter server's root_dir (what the file browser shows)
    workspace_dir: Path  #: the started units go to ``workspace_dir/<course>/``
    student: str
    problem: str | None = None  #: why the course cannot be served, in words
    grading_loop: GradingLoopLike | None = None
    grading_error: str | None = None  #: why the in-process grader did not start
    _course: Course | None = field(default=None, repr=False)
    _course_mtime: float = field(default=-1.0, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _practice: PracticeStore | None = field(default=None, repr=False)
    _server_course: str | None = field(default=None, repr=False)

    @property
    def release_dir(self) -> Path:
        return self.root.course_release(self.course_id)

    @property
    def workspace_course_dir(self) -> Path:
        return self.workspace_dir / self.course_id

    def course(self) -> Course:
        """The released manifest, re-read when a new release replaces it."""
        path = self.release_dir / "course.json"
        try:
            mtime = path.stat().st_mtime
        except OSError:
            mtime = -1.0
        with self._lock:
            if self._course is None or mtime != self._course_mtime:
                self._course = load_release_course(self.root, self.course_id)
                self._course_mtime = mtime
                self._practice = None
            return self._course

    def unit(self, unit_id: str) -> Unit | None:
        return self.course().unit(unit_id)

    def practice(self) -> PracticeStore:
        course = self.course()
        with self._lock:
            if self._practice is None:
                self._practice = PracticeStore(self.root.data_dir, course)
            return self._practice

    def server_path(self, course_relative: str) -> str | None:
        """A course-relative path as the file browser names it, None when outside the server root.

        Manifest paths are relative and checked when a unit starts, so only the course
        folder is resolved (once): the progress route names 40+ notebooks per call.
        """
        if self._server_course is None:
            try:
                rel = self.workspace_course_dir.resolve().relative_to(self.server_root.resolve())
                self._server_course = rel.as_posix()
            except ValueError:
                self._server_course = ""
        if not self._server_course:
            return None
        if course_relative in (".", ""):
            return self._server_course
        return (
            course_relative
            if self._server_course == "."
            else f"{self._server_course}/{course_relative}"
        )

    def grading_status(self) -> dict[str, Any]:
        return {
            "in_process": self.grading_loop is not None,
            "error": self.grading_error,
        }

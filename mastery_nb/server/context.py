"""What every route needs: the backend, the learner, their workspace, the kernel's credential.

The extension app builds one :class:`MasteryContext` when the server starts and puts it in
the web application's settings under ``"mastery"``. The extension is enabled for every
Jupyter server once the package is installed, so a server started where there is no course
must still start: the context then holds a ``problem`` in words, every route answers it
with 503, and the sidebar shows it.
"""

from __future__ import annotations

import hmac
import threading
from dataclasses import dataclass, field
from pathlib import Path

from mastery_nb.backend import Backend
from mastery_nb.root import CourseRoot
from mastery_nb.server.practice import SentEvents

__all__ = ["KERNEL_TOKEN_HEADER", "MasteryContext", "find_course_id"]

#: the header a learner's kernel sends its per-server token in (solution gates only)
KERNEL_TOKEN_HEADER = "X-Mastery-Kernel-Token"


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


@dataclass
class MasteryContext:
    """The course one server serves, whom for, and where their files are."""

    backend: Backend | None
    course_id: str
    server_root: Path  #: the Jupyter server's root_dir (what the file browser shows)
    workspace_dir: Path  #: the started units go to ``workspace_dir/<course>/``
    student: str
    kernel_token: str = ""  #: what this server's kernels send to ask for a solution gate
    problem: str | None = None  #: why the course cannot be served, in words
    sent_practice: SentEvents = field(default_factory=SentEvents)
    _notebooks: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _server_course: str | None = field(default=None, repr=False)

    @property
    def workspace_course_dir(self) -> Path:
        return self.workspace_dir / self.course_id

    def kernel_token_ok(self, presented: str | None) -> bool:
        return bool(self.kernel_token and presented) and hmac.compare_digest(
            self.kernel_token.encode(), (presented or "").encode()
        )

    def remember_notebooks(self, unit: str, notebooks: tuple[str, ...]) -> None:
        with self._lock:
            self._notebooks[unit] = notebooks

    def notebooks_of(self, unit: str) -> tuple[str, ...] | None:
        """A unit's notebook paths as the last progress said (None: not seen yet)."""
        with self._lock:
            return self._notebooks.get(unit)

    def server_path(self, course_relative: str) -> str | None:
        """A course-relative path as the file browser names it, None when outside the server root.

        Only the course folder is resolved (once): the progress route names 40+ notebooks.
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

"""The Jupyter server extension app: configuration, routes, and the in-process grader.

Configure it like any Jupyter app (``jupyter_server_config.py`` or the command line)::

    c.MasteryApp.course_root = "/srv/course"     # holds release/ and autograder/
    c.MasteryApp.course_id = "intro-data-science" # default: the only course in release/
    c.MasteryApp.grade_in_process = True          # single-machine default

In the single-machine default a :class:`~mastery_nb.grade.queue.GradingLoop` runs beside
the server, so a submission from the sidebar is graded without any other command. Under
JupyterHub with a hub-managed grading service, set ``grade_in_process = False``.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from jupyter_server.extension.application import ExtensionApp
from traitlets import Bool, Int, Unicode

from mastery_nb.root import CourseRoot
from mastery_nb.server.context import MasteryContext, find_course_id, load_release_course
from mastery_nb.server.identity import default_student
from mastery_nb.server.routes import setup_handlers

__all__ = ["ROOT_ENV", "MasteryApp"]

ROOT_ENV = "MASTERY_NB_ROOT"


class MasteryApp(ExtensionApp):
    """Serves the Mastery sidebar's routes for the learner who runs this server."""

    name = "mastery_nb"
    description = "mastery-nb: units, per-objective standing, submissions and feedback"
    load_other_extensions = True

    course_root = Unicode(
        "",
        config=True,
        help="Course root holding release/<course>/ and autograder/<course>/ "
        "(default: $MASTERY_NB_ROOT, else the server's root_dir).",
    )
    course_id = Unicode(
        "", config=True, help="Course to serve (default: the only course in release/)."
    )
    data_dir = Unicode(
        "",
        config=True,
        help="Runtime state folder (default: as for the CLI, <root>/.mastery-data).",
    )
    db_url = Unicode(
        "", config=True, help="SQLAlchemy database URL (default: SQLite in the data dir)."
    )
    workspace_dir = Unicode(
        "",
        config=True,
        help="Where started units are copied, as <workspace_dir>/<course>/ "
        "(default: the server's root_dir, so the file browser shows them).",
    )
    student = Unicode(
        "", config=True, help="Learner id (default: $JUPYTERHUB_USER, else the OS user)."
    )
    grade_in_process = Bool(
        True, config=True, help="Run the grading loop inside this server (single-machine default)."
    )
    grading_workers = Int(1, config=True, help="Parallel grading processes of the in-process loop.")

    def _resolve_root(self) -> CourseRoot:
        assert self.serverapp is not None
        path = self.course_root or os.environ.get(ROOT_ENV) or self.serverapp.root_dir
        return CourseRoot.at(
            Path(path).expanduser(),
            data_dir=self.data_dir or None,
            db_url=self.db_url or None,
        )

    def _build_context(self) -> MasteryContext:
        assert self.serverapp is not None
        server_root = Path(self.serverapp.root_dir).expanduser().resolve()
        root = self._resolve_root()
        workspace = (
            Path(self.workspace_dir).expanduser().resolve() if self.workspace_dir else server_root
        )
        student = self.student or default_student()
        problem: str | None = None
        course_id = self.course_id
        try:
            if not course_id:
                course_id = find_course_id(root)
            load_release_course(root, course_id)
        except ValueError as error:
            problem = str(error)
        except Exception as error:  # a broken course.json must not stop the server
            problem = f"cannot read the released course in {root.release_dir}: {error}"
        return MasteryContext(
            root=root,
            course_id=course_id or "",
            server_root=server_root,
            workspace_dir=workspace,
            student=student,
            problem=problem,
        )

    def initialize_settings(self) -> None:
        assert self.serverapp is not None
        context = self._build_context()
        self.context = context
        if context.problem:
            self.log.warning("mastery-nb: the Mastery sidebar has no course: %s", context.problem)
        else:
            self.log.info(
                "mastery-nb: course %r from %s for learner %r, workspace %s",
                context.course_id,
                context.root.path,
                context.student,
                context.workspace_course_dir,
            )
        setup_handlers(self.serverapp.web_app, context)
        self._start_grader(context)

    def _start_grader(self, context: MasteryContext) -> None:
        """Start the in-process grader (a background thread) when the server initialises."""
        if context.problem or not self.grade_in_process:
            return
        try:
            from mastery_nb.grade.queue import GradingLoop

            loop = GradingLoop(context.root, workers=self.grading_workers)
            loop.start()
        except Exception as error:  # the sidebar says so; progress and feedback still work
            context.grading_error = f"the in-process grader did not start: {error}"
            self.log.error("mastery-nb: %s", context.grading_error, exc_info=True)
            return
        context.grading_loop = loop
        self.log.info(
            "mastery-nb: grading submissions in this server (%d worker(s))", self.grading_workers
        )

    async def stop_extension(self) -> None:
        context: MasteryContext | None = getattr(self, "context", None)
        if context is not None and context.grading_loop is not None:
            loop = context.grading_loop
            context.grading_loop = None
            await asyncio.get_running_loop().run_in_executor(None, loop.stop)

"""The Jupyter server extension app: configuration, the backend, and the kernel's credential.

The learner's server is a thin client: its routes ask a backend (:mod:`mastery_nb.backend`)
and write what ``start`` returns into the workspace. Two ways to configure it
(``jupyter_server_config.py`` or the command line):

One machine (``mastery-nb demo``; the default)::

    c.MasteryApp.backend = "local"
    c.MasteryApp.course_root = "/srv/course"      # holds release/ and autograder/
    c.MasteryApp.course_id = "intro-data-science" # default: the only course in release/
    c.MasteryApp.grade_in_process = True          # a grader runs beside the server

A class on JupyterHub (the student's server holds no database URL, no path to
``autograder/`` and no secret but the user's own ``$JUPYTERHUB_API_TOKEN``)::

    c.MasteryApp.backend = "service"
    c.MasteryApp.service_url = "http://127.0.0.1:10101/services/mastery/"
    c.MasteryApp.course_id = "intro-data-science"

(``$MASTERY_NB_BACKEND``, ``$MASTERY_NB_SERVICE_URL`` and ``$MASTERY_NB_COURSE`` give the
same, so a spawner's environment can configure it.)

Kernels started by this server get ``$MASTERY_NB_SERVER_URL`` and a random per-server
``$MASTERY_NB_KERNEL_TOKEN``: the only thing that token opens is the solution gate of this
server's own learner (``after_mastery`` solutions), so learner code holding it gains nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
from pathlib import Path

from jupyter_server.extension.application import ExtensionApp
from tornado.ioloop import IOLoop
from traitlets import Bool, Enum, Int, Unicode

from mastery_nb.backend import Backend
from mastery_nb.errors import MasteryError
from mastery_nb.identity import current_learner
from mastery_nb.root import CourseRoot
from mastery_nb.server.context import MasteryContext, find_course_id
from mastery_nb.server.routes import setup_handlers

__all__ = ["KERNEL_ENV", "ROOT_ENV", "MasteryApp"]

ROOT_ENV = "MASTERY_NB_ROOT"
#: what kernels of this server get: where the server is, and the token for solution gates
KERNEL_ENV = ("MASTERY_NB_SERVER_URL", "MASTERY_NB_KERNEL_TOKEN")


class MasteryApp(ExtensionApp):
    """Serves the Mastery sidebar's routes for the learner who runs this server."""

    name = "mastery_nb"
    description = "mastery-nb: units, per-objective standing, submissions and feedback"
    load_other_extensions = True

    backend = Enum(
        ["local", "service"],
        default_value=os.environ.get("MASTERY_NB_BACKEND", "local"),
        config=True,
        help="Who answers: 'local' (the store and the grader in this server: one machine) "
        "or 'service' (the mastery service, with the hub user's own token).",
    )
    service_url = Unicode(
        os.environ.get("MASTERY_NB_SERVICE_URL", ""),
        config=True,
        help="The mastery service's URL, as this server reaches it (backend = 'service').",
    )
    course_root = Unicode(
        "",
        config=True,
        help="Course root holding release/<course>/ and autograder/<course>/ "
        "(backend = 'local'; default: $MASTERY_NB_ROOT, else the server's root_dir).",
    )
    course_id = Unicode(
        os.environ.get("MASTERY_NB_COURSE", ""),
        config=True,
        help="Course to serve (default: the only course in release/; required with the service).",
    )
    data_dir = Unicode(
        "",
        config=True,
        help="Runtime state folder (backend = 'local'; default: <root>/.mastery-data).",
    )
    db_url = Unicode(
        "",
        config=True,
        help="SQLAlchemy database URL (backend = 'local'; default: SQLite in the data dir).",
    )
    workspace_dir = Unicode(
        "",
        config=True,
        help="Where started units are written, as <workspace_dir>/<course>/ "
        "(default: the server's root_dir, so the file browser shows them).",
    )
    student = Unicode(
        "",
        config=True,
        help="Learner id (backend = 'local'; default: $JUPYTERHUB_USER, else the OS user). "
        "With the service, the hub token decides.",
    )
    grade_in_process = Bool(
        True,
        config=True,
        help="Run the grading loop inside this server (backend = 'local').",
    )
    grading_workers = Int(1, config=True, help="Parallel grading processes of the in-process loop.")

    # ------------------------------------------------------------------ backends
    def _local_backend(self) -> tuple[Backend, str]:
        from mastery_nb.backend.grading import LocalGrading
        from mastery_nb.backend.local import LocalBackend

        assert self.serverapp is not None
        path = self.course_root or os.environ.get(ROOT_ENV) or self.serverapp.root_dir
        root = CourseRoot.at(
            Path(path).expanduser(), data_dir=self.data_dir or None, db_url=self.db_url or None
        )
        course_id = self.course_id or find_course_id(root)
        grading = None
        if self.grade_in_process:
            grading = LocalGrading([(root, course_id)], workers=self.grading_workers)
        backend = LocalBackend(
            root, course_id, grading=grading, grader_mode="in_process" if grading else "external"
        )
        backend.course()  # a course that cannot be read is a problem now, in words
        if grading is not None:
            grading.start()
            self.log.info(
                "mastery-nb: grading submissions in this server (%d worker(s))",
                self.grading_workers,
            )
        return backend, course_id

    def _service_backend(self) -> tuple[Backend, str]:
        from mastery_nb.backend.service import ServiceBackend

        token = os.environ.get("JUPYTERHUB_API_TOKEN", "")
        if not self.service_url:
            raise ValueError("c.MasteryApp.service_url is not set (the mastery service's URL)")
        if not self.course_id:
            raise ValueError("c.MasteryApp.course_id is not set (which course of the service)")
        if not token:
            raise ValueError(
                "$JUPYTERHUB_API_TOKEN is not set: the service backend runs in a JupyterHub "
                "single-user server and uses its user's own token"
            )
        return ServiceBackend(self.service_url, token, self.course_id), self.course_id

    def _build_context(self) -> MasteryContext:
        assert self.serverapp is not None
        server_root = Path(self.serverapp.root_dir).expanduser().resolve()
        workspace = (
            Path(self.workspace_dir).expanduser().resolve() if self.workspace_dir else server_root
        )
        backend: Backend | None = None
        course_id = self.course_id
        problem: str | None = None
        student = ""
        try:
            student = current_learner(self.student or None)
            if self.backend == "service":
                backend, course_id = self._service_backend()
            else:
                backend, course_id = self._local_backend()
        except MasteryError as error:
            problem = "; ".join(str(p) for p in error.problems)
        except ValueError as error:
            problem = str(error)
        except Exception as error:  # a broken course must not stop the server
            problem = f"cannot serve the course: {type(error).__name__}: {error}"
        return MasteryContext(
            backend=backend,
            course_id=course_id or "",
            server_root=server_root,
            workspace_dir=workspace,
            student=student,
            kernel_token=secrets.token_urlsafe(32),
            problem=problem,
        )

    # ------------------------------------------------------------------ lifecycle
    def initialize_settings(self) -> None:
        assert self.serverapp is not None
        context = self._build_context()
        self.context = context
        if context.problem:
            self.log.warning("mastery-nb: the Mastery sidebar has no course: %s", context.problem)
        else:
            self.log.info(
                "mastery-nb: course %r for learner %r (%s backend), workspace %s",
                context.course_id,
                context.student,
                self.backend,
                context.workspace_course_dir,
            )
        setup_handlers(self.serverapp.web_app, context)
        self._saved_env = {name: os.environ.get(name) for name in KERNEL_ENV}
        os.environ["MASTERY_NB_KERNEL_TOKEN"] = context.kernel_token
        self._set_server_url()

    def _set_server_url(self) -> None:
        """Tell kernels where this server is (its port is known once it listens)."""
        assert self.serverapp is not None
        serverapp = self.serverapp

        def publish() -> None:
            if serverapp.sock:
                return  # a Unix socket: kernels cannot reach it over HTTP
            host = "[::1]" if ":" in (serverapp.ip or "") else "127.0.0.1"
            os.environ["MASTERY_NB_SERVER_URL"] = (
                f"http://{host}:{serverapp.port}{serverapp.base_url}"
            )

        publish()
        with contextlib.suppress(RuntimeError):  # again once the loop runs (port_retries)
            IOLoop.current().add_callback(publish)

    async def stop_extension(self) -> None:
        context: MasteryContext | None = getattr(self, "context", None)
        for name, value in getattr(self, "_saved_env", {}).items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        if context is not None and context.backend is not None:
            backend, context.backend = context.backend, None
            await asyncio.get_running_loop().run_in_executor(None, backend.close)

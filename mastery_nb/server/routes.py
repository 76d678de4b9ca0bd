"""The ``/mastery/`` routes of the Jupyter server extension: a thin client of the backend.

Every handler method is wrapped in ``@tornado.web.authenticated`` (tests/server enumerates
the registered handlers and proves none answers an anonymous request), except the solution
gate, which also takes this server's kernel token (a learner's kernel asks it; see
:mod:`mastery_nb.server.app`). Every route works for this server's learner only: a request
that names another learner (``?student=``) is refused with 403. The routes never open the
store or read ``autograder/``: they call the backend (in a thread, so a slow answer does not
stall the server), write what ``start`` returns into the workspace and read the learner's
notebooks back for ``submit``.

| verb | route | what |
|---|---|---|
| GET | ``/mastery/api/progress`` | the course, every unit's state and per-objective standing |
| POST | ``/mastery/api/units/<unit>/start`` | write the unit's released files into the workspace |
| POST | ``/mastery/api/units/<unit>/submit`` | submit the unit's saved notebooks as an attempt |
| GET | ``/mastery/api/units/<unit>/attempts`` | every attempt of the unit |
| GET | ``/mastery/api/units/<unit>/feedback`` | feedback of an attempt (``?attempt=N``, latest by default) as JSON |
| GET | ``/mastery/units/<unit>/feedback`` | the same as a readable HTML page |
| GET | ``/mastery/api/units/<unit>/solutions/<question>`` | may an ``after_mastery`` solution be shown (the kernel asks) |
| GET | ``/mastery/api/units/<unit>/readiness`` | before a submission: answers left as released, practice that fails |
| GET | ``/mastery/api/grading`` | which units are being graded, and who grades |
| GET, POST | ``/mastery/api/practice`` | practice on record / send the workspace's new practice events |
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

import tornado.web
from jupyter_server.base.handlers import APIHandler, JupyterHandler
from jupyter_server.utils import url_path_join
from pydantic import BaseModel
from tornado.escape import xhtml_escape

from mastery_nb.backend import Backend, BackendError
from mastery_nb.documents import (
    ErrorDocument,
    NotebookPath,
    PracticeIngest,
    Progress,
    StartedUnit,
    SubmitReadiness,
)
from mastery_nb.identity import ROUTE_ID
from mastery_nb.server.context import KERNEL_TOKEN_HEADER, MasteryContext
from mastery_nb.server.practice import read_workspace_events
from mastery_nb.server.readiness import failing_practice, read_answers
from mastery_nb.server.workspace import (
    WorkspaceError,
    read_unit_notebooks,
    unit_started,
    write_start_files,
)

__all__ = ["ROUTES", "setup_handlers"]

T = TypeVar("T")
UNIT = rf"(?P<unit_id>{ROUTE_ID})"
MAX_BODY_BYTES = 2 * 1024 * 1024
#: practice events sent to the backend in one call (its limit per request)
PRACTICE_BATCH = 1_000


class _MasteryMixin:
    """What the API and HTML handlers share: the context, the backend, threads."""

    settings: dict[str, Any]

    @property
    def mastery(self) -> MasteryContext:
        context: MasteryContext = self.settings["mastery"]
        return context

    @property
    def backend(self) -> Backend:
        backend = self.mastery.backend
        if backend is None:
            raise BackendError(503, "no_course", self.mastery.problem or "no course")
        return backend

    async def in_thread(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(None, fn, *args)

    def other_learner(self: Any) -> str | None:
        """The learner a request names, when it is not this server's (refused)."""
        asked = self.get_query_argument("student", None)
        return asked if asked is not None and asked != self.mastery.student else None


class BaseAPIHandler(_MasteryMixin, APIHandler):
    def reply(self, document: BaseModel, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(document.model_dump_json())

    def refuse(self, status: int, message: str, code: str) -> None:
        """An error the sidebar shows as it is: ``{"error": sentence, "code": word}``."""
        self.reply(ErrorDocument(error=message, code=code), status)

    def fail(self, error: BackendError) -> None:
        self.refuse(error.status, error.message, error.code)

    def ready(self) -> bool:
        """False (and answered) when the server has no course, or the request names
        another learner."""
        if self.mastery.problem or self.mastery.backend is None:
            self.refuse(503, self.mastery.problem or "no course", "no_course")
            return False
        other = self.other_learner()
        if other is not None:
            self.refuse(
                403,
                f"you are signed in as {self.mastery.student!r} and cannot see {other!r}'s work",
                "forbidden",
            )
            return False
        return True

    async def answer(self, fn: Callable[..., BaseModel], *args: Any, status: int = 200) -> None:
        try:
            document = await self.in_thread(fn, *args)
        except BackendError as error:
            self.fail(error)
            return
        self.reply(document, status)

    async def unit_notebooks(self, unit_id: str) -> tuple[str, ...]:
        """The unit's notebook paths (from the latest progress; asked again if unknown)."""
        notebooks = self.mastery.notebooks_of(unit_id)
        if notebooks is None:
            await self.in_thread(progress_document, self.mastery)
            notebooks = self.mastery.notebooks_of(unit_id)
        if notebooks is None:
            raise BackendError(
                404,
                "unknown_unit",
                f"course {self.mastery.course_id!r} has no unit {unit_id!r}",
            )
        return notebooks


def progress_document(context: MasteryContext) -> Progress:
    """The backend's progress, with what only this server knows: the workspace."""
    assert context.backend is not None
    progress = context.backend.progress(context.student)
    units = []
    for unit in progress.units:
        context.remember_notebooks(unit.id, tuple(n.path for n in unit.notebooks))
        started = unit_started(
            context.workspace_course_dir,
            [n.path for n in unit.notebooks],
            unit=unit.id,
            form=unit.form if unit.forms else None,
        )
        units.append(
            unit.model_copy(
                update={
                    "started": started,
                    # in progress from the moment the learner starts it, not only once submitted
                    "state": "in_progress" if started and unit.state == "unlocked" else unit.state,
                    "notebooks": [
                        NotebookPath(path=n.path, server_path=context.server_path(n.path))
                        for n in unit.notebooks
                    ],
                }
            )
        )
    placements = []
    for placement in progress.placements:
        paths = [n.path for n in placement.notebooks]
        context.remember_notebooks(placement.id, tuple(paths))
        placements.append(
            placement.model_copy(
                update={
                    "started": unit_started(
                        context.workspace_course_dir,
                        paths,
                        unit=placement.id,
                        form=placement.form if placement.forms else None,
                    ),
                    "notebooks": [
                        NotebookPath(path=p, server_path=context.server_path(p)) for p in paths
                    ],
                }
            )
        )
    return progress.model_copy(
        update={"units": units, "placements": placements, "workspace": context.server_path(".")}
    )


class ProgressHandler(BaseAPIHandler):
    @tornado.web.authenticated
    async def get(self) -> None:
        if self.ready():
            await self.answer(progress_document, self.mastery)


def start_unit(context: MasteryContext, unit_id: str) -> StartedUnit:
    """Ask the backend for the unit's files and write them, keeping the learner's work."""
    assert context.backend is not None
    receipt = context.backend.start(context.student, unit_id)
    try:
        result = write_start_files(
            context.workspace_course_dir,
            receipt.files,
            form=receipt.form,
            unit=receipt.unit,
            notebooks=receipt.notebooks,
        )
    except WorkspaceError as error:
        raise BackendError(409, error.code, str(error)) from None
    except OSError as error:
        raise BackendError(
            500, "io_error", f"could not write the unit's files into your workspace: {error}"
        ) from None
    context.remember_notebooks(receipt.unit, tuple(receipt.notebooks))
    return StartedUnit(
        unit=receipt.unit,
        copied=result.copied,
        kept=result.kept,
        notebooks=[
            NotebookPath(path=nb, server_path=context.server_path(nb)) for nb in receipt.notebooks
        ],
        form=receipt.form,
        moved=result.moved,
    )


class StartHandler(BaseAPIHandler):
    @tornado.web.authenticated
    async def post(self, unit_id: str) -> None:
        if self.ready():
            await self.answer(start_unit, self.mastery, unit_id)


class SubmitHandler(BaseAPIHandler):
    @tornado.web.authenticated
    async def post(self, unit_id: str) -> None:
        if not self.ready():
            return
        context = self.mastery
        try:
            notebooks = await self.unit_notebooks(unit_id)
            files = await self.in_thread(
                read_unit_notebooks, context.workspace_course_dir, notebooks
            )
        except WorkspaceError as error:
            self.refuse(409, str(error), error.code)
            return
        except BackendError as error:
            self.fail(error)
            return
        await self.answer(self.backend.submit, context.student, unit_id, files, status=202)


def unit_readiness(
    context: MasteryContext, unit_id: str, notebooks: tuple[str, ...]
) -> SubmitReadiness:
    """The unit's saved answers and the learner's practice, read just before a submission.

    The workspace's practice logs are sent to the backend first, so a check the learner ran
    a moment ago counts. The backend not answering about practice is said, not fatal."""
    present: dict[str, bytes] = {}
    missing: list[str] = []
    for notebook in notebooks:
        try:
            present.update(read_unit_notebooks(context.workspace_course_dir, (notebook,)))
        except WorkspaceError as error:
            if error.code == "not_started":
                missing.append(notebook)  # else (too large): submit says why; nothing to count
    answers = read_answers(present)
    failing = []
    problem = None
    try:
        events, problems = read_workspace_events(context.workspace_course_dir)
        send_practice(context, events, problems)
        assert context.backend is not None
        summary = context.backend.practice(context.student)
        failing = failing_practice(summary, unit_id, answers.labels)
    except BackendError as error:
        problem = error.message
    return SubmitReadiness(
        unit=unit_id,
        answers=answers.answers,
        untouched=answers.untouched,
        missing=missing,
        failing=failing,
        practice_problem=problem,
    )


class ReadinessHandler(BaseAPIHandler):
    @tornado.web.authenticated
    async def get(self, unit_id: str) -> None:
        if not self.ready():
            return
        try:
            notebooks = await self.unit_notebooks(unit_id)
        except BackendError as error:
            self.fail(error)
            return
        await self.answer(unit_readiness, self.mastery, unit_id, notebooks)


def _attempt_argument(handler: tornado.web.RequestHandler) -> int | None:
    """``?attempt=N`` as an int, None when absent, -1 when malformed."""
    raw = handler.get_query_argument("attempt", None)
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or int(raw) < 1:
        return -1
    return int(raw)


class AttemptsHandler(BaseAPIHandler):
    @tornado.web.authenticated
    async def get(self, unit_id: str) -> None:
        if self.ready():
            await self.answer(self.backend.attempts, self.mastery.student, unit_id)


class FeedbackHandler(BaseAPIHandler):
    @tornado.web.authenticated
    async def get(self, unit_id: str) -> None:
        if not self.ready():
            return
        attempt = _attempt_argument(self)
        if attempt == -1:
            self.refuse(400, "`attempt` must be a positive whole number", "invalid")
            return
        await self.answer(self.backend.feedback, self.mastery.student, unit_id, attempt)


class FeedbackPageHandler(_MasteryMixin, JupyterHandler):
    """The feedback of an attempt as a page (opened in a JupyterLab tab or a browser tab)."""

    def page(self, status: int, html: str) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        # the page is data only: no scripts, nothing loaded from elsewhere
        self.set_header(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'",
        )
        self.finish(html)

    def problem(self, status: int, message: str) -> None:
        """An error as a small page in words (the tab shows it; no traceback, no template)."""
        self.page(
            status,
            "<!doctype html><html><head><meta charset='utf-8'><title>Feedback</title></head>"
            f"<body><p role='alert'>{xhtml_escape(message)}</p></body></html>",
        )

    @tornado.web.authenticated
    async def get(self, unit_id: str) -> None:
        from mastery_nb.feedback import render_feedback_html

        context = self.mastery
        if context.problem or context.backend is None:
            self.problem(503, context.problem or "no course")
            return
        other = self.other_learner()
        if other is not None:
            self.problem(
                403,
                f"You are signed in as {context.student!r} and cannot see {other!r}'s feedback.",
            )
            return
        attempt = _attempt_argument(self)
        if attempt == -1:
            self.problem(400, "`attempt` must be a positive whole number.")
            return
        try:
            feedback = await self.in_thread(
                context.backend.feedback, context.student, unit_id, attempt
            )
        except BackendError as error:
            self.problem(error.status, error.message)
            return
        # course files linked absolutely (the learner's JupyterLab tree), so the page still
        # leads somewhere when saved or opened outside the tab
        folder = context.server_path(".")
        tree = url_path_join(self.base_url, "lab", "tree", "" if folder in (None, ".") else folder)
        link_base = f"{self.request.protocol}://{self.request.host}{tree.rstrip('/')}/"
        self.page(200, render_feedback_html(feedback.dump(), link_base=link_base))


class SolutionGateHandler(BaseAPIHandler):
    """Asked by the learner's kernel (with this server's kernel token) or the browser."""

    def check_xsrf_cookie(self) -> None:
        return  # GET only, and answered only to this server's learner or kernel

    async def get(self, unit_id: str, question: str) -> None:
        if self.current_user is None and not self.mastery.kernel_token_ok(
            self.request.headers.get(KERNEL_TOKEN_HEADER)
        ):
            raise tornado.web.HTTPError(403)
        if self.ready():
            await self.answer(self.backend.solution_gate, self.mastery.student, unit_id, question)

    get.__mastery_kernel_token__ = True  # type: ignore[attr-defined]


class GradingHandler(BaseAPIHandler):
    @tornado.web.authenticated
    async def get(self) -> None:
        if self.ready():
            await self.answer(self.backend.grading_status, self.mastery.student)


def send_practice(
    context: MasteryContext, events: list[object], problems: list[str]
) -> PracticeIngest:
    """Send the events the backend has not taken yet, in batches; add up what it said."""
    assert context.backend is not None
    fresh, known = context.sent_practice.split(events)
    stored = duplicates = rejected = deferred = 0
    reasons = list(problems)
    for start in range(0, len(fresh), PRACTICE_BATCH):
        batch = fresh[start : start + PRACTICE_BATCH]
        result = context.backend.record_practice(context.student, batch)
        stored += result.stored
        duplicates += result.duplicates
        rejected += result.rejected
        deferred += result.deferred
        reasons.extend(result.problems)
        if not result.deferred and not result.rejected:
            context.sent_practice.remember(batch)  # all on record: never send them again
    return PracticeIngest(
        stored=stored,
        duplicates=duplicates + known,
        rejected=rejected + len(problems),
        deferred=deferred,
        problems=reasons[:20],
    )


class PracticeHandler(BaseAPIHandler):
    @tornado.web.authenticated
    async def get(self) -> None:
        if self.ready():
            await self.answer(self.backend.practice, self.mastery.student)

    @tornado.web.authenticated
    async def post(self) -> None:
        """Send posted events (``{"events": [...]}``), else the workspace's practice logs."""
        import json

        if not self.ready():
            return
        raw = self.request.body or b"{}"
        if len(raw) > MAX_BODY_BYTES:
            self.refuse(
                413, f"the request body is larger than {MAX_BODY_BYTES // 1024} KB", "invalid"
            )
            return
        try:
            body = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            self.refuse(400, f"the request body is not JSON: {error}", "invalid")
            return
        problems: list[str] = []
        if isinstance(body, dict) and "events" in body:
            events = body["events"]
            if not isinstance(events, list):
                self.refuse(400, "`events` must be a list of practice events", "invalid")
                return
        else:
            events, problems = await self.in_thread(
                read_workspace_events, self.mastery.workspace_course_dir
            )
        await self.answer(send_practice, self.mastery, events, problems)


#: (pattern relative to the base URL, handler); the test enumerates these and the app's router
ROUTES: list[tuple[str, type[tornado.web.RequestHandler]]] = [
    ("mastery/api/progress", ProgressHandler),
    (f"mastery/api/units/{UNIT}/start", StartHandler),
    (f"mastery/api/units/{UNIT}/submit", SubmitHandler),
    (f"mastery/api/units/{UNIT}/attempts", AttemptsHandler),
    (f"mastery/api/units/{UNIT}/feedback", FeedbackHandler),
    (f"mastery/api/units/{UNIT}/readiness", ReadinessHandler),
    (f"mastery/api/units/{UNIT}/solutions/(?P<question>{ROUTE_ID})", SolutionGateHandler),
    (f"mastery/units/{UNIT}/feedback", FeedbackPageHandler),
    ("mastery/api/grading", GradingHandler),
    ("mastery/api/practice", PracticeHandler),
]


def setup_handlers(web_app: tornado.web.Application, context: MasteryContext) -> None:
    """Register the routes under the server's base URL (extension-template style)."""
    web_app.settings["mastery"] = context
    base_url = web_app.settings["base_url"]
    web_app.add_handlers(
        ".*$", [(url_path_join(base_url, pattern), handler) for pattern, handler in ROUTES]
    )

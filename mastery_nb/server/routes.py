"""The ``/mastery/`` routes of the Jupyter server extension.

In the style of the JupyterLab extension template: every handler method is wrapped in
``@tornado.web.authenticated`` (tests/server enumerates the registered handlers and proves
none answers an anonymous request). Every route works for the current learner only (see
:mod:`mastery_nb.server.identity`); a request that names another learner is refused with 403.
Blocking work (the store, copying files, reading notebooks) runs in a thread so one slow
request does not stall the server.

| verb | route | what |
|---|---|---|
| GET | ``/mastery/api/progress`` | the course, every unit's state and per-objective standing |
| POST | ``/mastery/api/units/<unit>/start`` | copy the unit's released files into the workspace |
| POST | ``/mastery/api/units/<unit>/submit`` | submit the unit's saved notebooks as an attempt |
| GET | ``/mastery/api/units/<unit>/feedback`` | feedback of an attempt (``?attempt=N``, latest by default) as JSON |
| GET | ``/mastery/units/<unit>/feedback`` | the same as a readable HTML page |
| GET | ``/mastery/api/grading`` | which units are being graded, and the in-process grader |
| GET, POST | ``/mastery/api/practice`` | practice events on record / take them in |
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import Callable
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

import tornado.web
from jupyter_server.base.handlers import APIHandler, JupyterHandler
from jupyter_server.utils import url_path_join
from tornado.escape import xhtml_escape

from mastery_nb.errors import EXIT_BAD_INPUT, MasteryError, SubmissionRefused
from mastery_nb.server.context import MasteryContext
from mastery_nb.server.practice import read_workspace_events
from mastery_nb.server.workspace import (
    WorkspaceError,
    read_unit_notebooks,
    start_unit,
    unit_started,
)

__all__ = ["ROUTES", "setup_handlers", "to_jsonable"]

T = TypeVar("T")
UNIT = r"(?P<unit_id>[A-Za-z0-9][A-Za-z0-9_.-]{0,99})"
MAX_BODY_BYTES = 2 * 1024 * 1024


def _json_default(value: Any) -> Any:
    """What ``json.dumps`` cannot write itself: datetimes, dataclasses, pydantic models, paths."""
    converted = to_jsonable(value)
    if converted is value:
        raise TypeError(f"{type(value).__name__} is not JSON serialisable")
    return converted


def to_jsonable(value: Any) -> Any:
    """Plain JSON from the API's return values (dataclasses, pydantic models, datetimes)."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if hasattr(value, "model_dump"):
        return to_jsonable(value.model_dump(mode="json"))
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


class _MasteryMixin:
    """What the API and HTML handlers share: the context, errors in words, threads."""

    settings: dict[str, Any]

    @property
    def mastery(self) -> MasteryContext:
        context: MasteryContext = self.settings["mastery"]
        return context

    async def in_thread(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(None, fn, *args)


class BaseAPIHandler(_MasteryMixin, APIHandler):
    def reply(self, status: int, body: Any) -> None:
        self.set_status(status)
        # plain dicts go straight to json.dumps; only the odd value is converted
        self.finish(json.dumps(body, default=_json_default))

    def refuse(self, status: int, message: str, code: str, **extra: Any) -> None:
        """An error the sidebar shows as it is: ``{"error": sentence, "code": word}``."""
        self.reply(status, {"error": message, "code": code, **extra})

    def ready(self) -> bool:
        """False (and answered) when the server has no course to serve."""
        if self.mastery.problem:
            self.refuse(503, self.mastery.problem, "no_course")
            return False
        return True

    def check_student(self) -> bool:
        """Refuse a request that names a learner other than the current one."""
        asked = self.get_query_argument("student", None)
        if asked is not None and asked != self.mastery.student:
            self.refuse(
                403,
                f"you are signed in as {self.mastery.student!r} and cannot see {asked!r}'s work",
                "forbidden",
            )
            return False
        return True

    def json_body(self) -> Any:
        raw = self.request.body or b"{}"
        if len(raw) > MAX_BODY_BYTES:
            raise ValueError(f"the request body is larger than {MAX_BODY_BYTES // 1024} KB")
        try:
            return json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise ValueError(f"the request body is not JSON: {error}") from None

    def unit_or_404(self, unit_id: str) -> Any:
        unit = self.mastery.unit(unit_id)
        if unit is None:
            known = ", ".join(u.id for u in self.mastery.course().units)
            self.refuse(
                404,
                f"course {self.mastery.course_id!r} has no unit {unit_id!r} (units: {known})",
                "unknown_unit",
            )
        return unit


def progress_document(context: MasteryContext) -> dict[str, Any]:
    """``course_progress`` for the current learner, with what the sidebar needs to act."""
    from mastery_nb.progress import course_progress

    course = context.course()
    # course_progress returns JSON-ready data (the shape of `mastery-nb progress --json`)
    progress = course_progress(context.root, context.course_id, context.student)
    by_id = {u.id: u for u in course.units}
    titles = {u.id: u.title for u in course.units}
    units: list[dict[str, Any]] = []
    for standing in progress.get("units", []):
        unit = by_id.get(standing.get("id"))
        if unit is None:
            continue
        descriptions = {o.id: o.description for o in unit.objectives}
        for objective in standing.get("objectives", []):
            objective.setdefault("description", descriptions.get(objective.get("id"), ""))
        standing.update(
            {
                "title": unit.title,
                "description": unit.description,
                "requires": list(unit.requires),
                "waits_for_titles": [
                    titles.get(w, w) for w in standing.get("waits_for", []) if isinstance(w, str)
                ],
                "max_attempts": unit.policy.max_attempts,
                "cooldown_seconds": unit.policy.cooldown_seconds,
                "started": unit_started(context.workspace_course_dir, unit),
                "notebooks": [
                    {"path": nb, "server_path": context.server_path(nb)} for nb in unit.notebooks
                ],
            }
        )
        units.append(standing)
    return {
        **progress,
        "course": context.course_id,
        "course_title": course.title,
        "student": context.student,
        "workspace": context.server_path("."),
        "grading": context.grading_status(),
        "now": datetime.now(timezone.utc).isoformat(),
        "units": units,
    }


class ProgressHandler(BaseAPIHandler):
    @tornado.web.authenticated
    async def get(self) -> None:
        if not self.ready() or not self.check_student():
            return
        try:
            document = await self.in_thread(progress_document, self.mastery)
        except MasteryError as error:  # e.g. the grading bundle is missing or unreadable
            self.refuse(503, _words(error), "no_course")
            return
        self.reply(200, document)


class StartHandler(BaseAPIHandler):
    @tornado.web.authenticated
    async def post(self, unit_id: str) -> None:
        if not self.ready():
            return
        unit = self.unit_or_404(unit_id)
        if unit is None:
            return
        document = await self.in_thread(progress_document, self.mastery)
        standing = next((u for u in document["units"] if u["id"] == unit_id), None)
        if standing is not None and standing.get("state") == "locked":
            waits = ", ".join(standing.get("waits_for_titles") or unit.requires)
            self.refuse(409, f"unit {unit.title!r} is locked: master {waits} first", "locked")
            return
        try:
            result = await self.in_thread(
                start_unit,
                self.mastery.release_dir,
                self.mastery.workspace_course_dir,
                self.mastery.course(),
                unit,
            )
        except WorkspaceError as error:
            self.refuse(409, str(error), error.code)
            return
        except OSError as error:
            self.refuse(
                500, f"could not copy the unit's files into your workspace: {error}", "io_error"
            )
            return
        self.reply(
            200,
            {
                "unit": unit.id,
                "copied": result.copied,
                "kept": result.kept,
                "notebooks": [
                    {"path": nb, "server_path": self.mastery.server_path(nb)}
                    for nb in unit.notebooks
                ],
            },
        )


class SubmitHandler(BaseAPIHandler):
    @tornado.web.authenticated
    async def post(self, unit_id: str) -> None:
        from mastery_nb.submit import submit_attempt

        if not self.ready():
            return
        unit = self.unit_or_404(unit_id)
        if unit is None:
            return
        context = self.mastery
        try:
            notebooks = await self.in_thread(
                read_unit_notebooks, context.workspace_course_dir, unit
            )
            receipt = await self.in_thread(
                submit_attempt, context.root, context.course_id, unit.id, context.student, notebooks
            )
        except WorkspaceError as error:
            self.refuse(409, str(error), error.code)
            return
        except SubmissionRefused as refused:
            # bad input (an invalid notebook) is 400, a refusal by the policy is 409
            status = 400 if refused.exit_code == EXIT_BAD_INPUT else 409
            self.refuse(status, refused.reason, refused.code)
            return
        except MasteryError as error:
            self.refuse(400, "; ".join(str(p) for p in error.problems), "invalid")
            return
        if context.grading_loop is not None:
            context.grading_loop.wake()
        self.reply(202, receipt.to_json() if hasattr(receipt, "to_json") else receipt)


class FeedbackHandler(BaseAPIHandler):
    @tornado.web.authenticated
    async def get(self, unit_id: str) -> None:
        from mastery_nb.feedback import attempt_feedback

        if not self.ready() or not self.check_student():
            return
        unit = self.unit_or_404(unit_id)
        if unit is None:
            return
        attempt = _attempt_argument(self)
        if attempt == -1:
            self.refuse(400, "`attempt` must be a positive whole number", "invalid")
            return
        context = self.mastery
        try:
            feedback = await self.in_thread(
                attempt_feedback, context.root, context.course_id, context.student, unit.id, attempt
            )
        except (MasteryError, LookupError) as error:
            self.refuse(404, _words(error), "no_feedback")
            return
        self.reply(200, feedback)


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
        from mastery_nb.feedback import attempt_feedback, render_feedback_html

        context = self.mastery
        if context.problem:
            self.problem(503, context.problem)
            return
        asked = self.get_query_argument("student", None)
        if asked is not None and asked != context.student:
            self.problem(
                403,
                f"You are signed in as {context.student!r} and cannot see {asked!r}'s feedback.",
            )
            return
        unit = context.unit(unit_id)
        if unit is None:
            self.problem(404, f"The course has no unit {unit_id!r}.")
            return
        attempt = _attempt_argument(self)
        if attempt == -1:
            self.problem(400, "`attempt` must be a positive whole number.")
            return
        try:
            feedback = await self.in_thread(
                attempt_feedback, context.root, context.course_id, context.student, unit.id, attempt
            )
        except (MasteryError, LookupError) as error:
            self.problem(404, _words(error))
            return
        # course files linked absolutely (the learner's JupyterLab tree), so the page still
        # leads somewhere when saved or opened outside the tab
        folder = context.server_path(".")
        tree = url_path_join(self.base_url, "lab", "tree", "" if folder in (None, ".") else folder)
        link_base = f"{self.request.protocol}://{self.request.host}{tree.rstrip('/')}/"
        self.page(200, render_feedback_html(feedback, link_base=link_base))


class GradingHandler(BaseAPIHandler):
    @tornado.web.authenticated
    async def get(self) -> None:
        if not self.ready() or not self.check_student():
            return
        document = await self.in_thread(progress_document, self.mastery)
        grading = [u["id"] for u in document["units"] if u.get("state") == "grading"]
        self.reply(200, {"grading": grading, "grader": self.mastery.grading_status()})


class PracticeHandler(BaseAPIHandler):
    @tornado.web.authenticated
    async def get(self) -> None:
        if not self.ready() or not self.check_student():
            return
        store = self.mastery.practice()
        self.reply(200, await self.in_thread(store.summary, self.mastery.student))

    @tornado.web.authenticated
    async def post(self) -> None:
        """Body ``{"events": [...]}`` stores those; an empty body reads the workspace logs."""
        if not self.ready():
            return
        try:
            body = self.json_body()
        except ValueError as error:
            self.refuse(400, str(error), "invalid")
            return
        if not isinstance(body, dict):
            self.refuse(400, 'the body must be a JSON object: {"events": [...]} or {}', "invalid")
            return
        context = self.mastery
        store = context.practice()
        problems: list[str] = []
        if "events" in body:
            events = body["events"]
            if not isinstance(events, list):
                self.refuse(400, "`events` must be a list of practice events", "invalid")
                return
        else:
            events, problems = await self.in_thread(
                read_workspace_events, context.workspace_course_dir
            )
        result = await self.in_thread(store.ingest, context.student, events)
        result.rejected[:0] = problems
        self.reply(200, result.as_json())


def _attempt_argument(handler: tornado.web.RequestHandler) -> int | None:
    """``?attempt=N`` as an int, None when absent, -1 when malformed."""
    raw = handler.get_query_argument("attempt", None)
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or int(raw) < 1:
        return -1
    return int(raw)


def _words(error: Exception) -> str:
    if isinstance(error, MasteryError):
        return "; ".join(str(p) for p in error.problems)
    return str(error.args[0]) if error.args else str(error)


#: (pattern relative to the base URL, handler); the test enumerates these and the app's router
ROUTES: list[tuple[str, type[tornado.web.RequestHandler]]] = [
    ("mastery/api/progress", ProgressHandler),
    (f"mastery/api/units/{UNIT}/start", StartHandler),
    (f"mastery/api/units/{UNIT}/submit", SubmitHandler),
    (f"mastery/api/units/{UNIT}/feedback", FeedbackHandler),
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

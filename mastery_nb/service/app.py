"""The mastery service's tornado application: its routes, each with the access it needs.

One :class:`MasteryService` (:mod:`.base`) holds a :class:`~mastery_nb.backend.local.LocalBackend`
per course (all on one store), the class dashboards, the graders, and the authenticator.
Handlers are thin: check access (:func:`mastery_nb.service.auth.authorized`), call the
course's backend in a thread, dump the document. ``ROUTES`` is the whole surface (the
learners' routes here, the instructor's API from :mod:`.staff`, the dashboard's pages from
:mod:`.pages`); ``route_table()`` lists it with the access of every verb (docs/design.md
prints it; a test compares them).
"""

from __future__ import annotations

import asyncio
import html
import os
from typing import Any

import tornado.web
from jupyterhub.services.auth import HubOAuthCallbackHandler

from mastery_nb import __version__
from mastery_nb.backend import BackendError
from mastery_nb.documents import (
    CourseEntry,
    CourseList,
    Health,
    PracticeBatch,
    SubmitRequest,
)
from mastery_nb.identity import ROUTE_COURSE, ROUTE_ID, ROUTE_LEARNER
from mastery_nb.service.auth import Caller, authorized
from mastery_nb.service.base import MasteryService, ServiceHandler
from mastery_nb.service.pages import PAGE_ROUTES, LoginHandler, prefix_of
from mastery_nb.service.staff import STAFF_ROUTES

__all__ = ["ROUTES", "MasteryService", "make_app", "route_table", "route_table_markdown"]

#: largest request body: a submission's notebooks, base64-encoded
MAX_BODY_BYTES = 160 * 1024 * 1024

_COURSE = rf"api/courses/(?P<course>{ROUTE_COURSE})"
_LEARNER = rf"{_COURSE}/learners/(?P<learner>{ROUTE_LEARNER})"
_UNIT = rf"{_LEARNER}/units/(?P<unit>{ROUTE_ID})"


class HealthHandler(ServiceHandler):
    @authorized("public")
    async def get(self) -> None:
        self.reply(Health(version=__version__))


class HomeHandler(ServiceHandler):
    """A page for a browser: who you are and your courses (signing in through the hub)."""

    async def prepare(self) -> None:
        await super().prepare()
        if self._finished:
            return
        if self.current_user is None and self.service.authenticator.login_possible:
            self.redirect(self.get_login_url())

    @authorized("caller")
    async def get(self) -> None:
        caller = self.current_user
        assert isinstance(caller, Caller)
        rows = "".join(
            f"<li>{html.escape(course)}: {html.escape(', '.join(caller.roles(course)) or 'no role')}"
            + (
                f' (<a href="{html.escape(prefix_of(self))}dashboard/{html.escape(course)}/">class dashboard</a>)'
                if caller.staff_of(course)
                else ""
            )
            + "</li>"
            for course in sorted(self.service.backends)
        )
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Content-Security-Policy", "default-src 'none'")
        self.finish(
            "<!doctype html><html><head><meta charset='utf-8'><title>mastery-nb</title></head>"
            f"<body><h1>mastery-nb</h1><p>Signed in as <strong>{html.escape(caller.name)}</strong>.</p>"
            f"<ul>{rows}</ul></body></html>"
        )


class CoursesHandler(ServiceHandler):
    @authorized("caller")
    async def get(self) -> None:
        caller = self.current_user
        assert isinstance(caller, Caller)
        entries = []
        for course_id, backend in sorted(self.service.backends.items()):
            roles = caller.roles(course_id)
            if not roles:
                continue
            try:
                title = backend.course().title
            except BackendError:
                title = course_id
            entries.append(CourseEntry(id=course_id, title=title, roles=roles))
        self.reply(CourseList(user=caller.name, courses=entries))


class LearnersHandler(ServiceHandler):
    @authorized("staff")
    async def get(self, course: str) -> None:
        backend = self.course_backend(course)
        if backend is not None:
            await self.answer(backend.learners)


class ProgressHandler(ServiceHandler):
    @authorized("self_or_staff")
    async def get(self, course: str, learner: str) -> None:
        backend = self.course_backend(course)
        if backend is None or not self.learner_arg(learner):
            return
        try:
            progress = await asyncio.get_running_loop().run_in_executor(
                None, backend.progress, learner
            )
        except BackendError as error:
            self.fail(error)
            return
        if self.caller.staff_of(course):  # the instructor's Mastery panel links the class
            progress.dashboard_url = self.dashboard_url(course)
        self.reply(progress)

    def dashboard_url(self, course: str) -> str:
        """Where a browser finds the course's dashboard: under a hub, a path on the hub's
        own address (the proxy serves the service there); else this service's address."""
        path = f"{prefix_of(self)}dashboard/{course}/"
        if self.service.authenticator.login_possible:
            return path
        return f"{self.request.protocol}://{self.request.host}{path}"


class GradingHandler(ServiceHandler):
    @authorized("self_or_staff")
    async def get(self, course: str, learner: str) -> None:
        backend = self.course_backend(course)
        if backend is not None and self.learner_arg(learner):
            await self.answer(backend.grading_status, learner)


class StartHandler(ServiceHandler):
    @authorized("self")
    async def post(self, course: str, learner: str, unit: str) -> None:
        backend = self.course_backend(course)
        if backend is not None:
            await self.answer(backend.start, learner, unit)


class AttemptsHandler(ServiceHandler):
    @authorized("self_or_staff")
    async def get(self, course: str, learner: str, unit: str) -> None:
        backend = self.course_backend(course)
        if backend is not None and self.learner_arg(learner):
            await self.answer(backend.attempts, learner, unit)

    @authorized("self")
    async def post(self, course: str, learner: str, unit: str) -> None:
        backend = self.course_backend(course)
        request = self.body(SubmitRequest)
        if backend is None or request is None:
            return
        try:
            notebooks = {f.path: f.content() for f in request.files}
        except ValueError:
            self.fail(BackendError(400, "invalid", "a submitted file is not valid base64"))
            return
        await self.answer(backend.submit, learner, unit, notebooks, status=202)


class FeedbackHandler(ServiceHandler):
    @authorized("self_or_staff")
    async def get(self, course: str, learner: str, unit: str, attempt: str | None = None) -> None:
        backend = self.course_backend(course)
        if backend is not None and self.learner_arg(learner):
            number = int(attempt) if attempt else None
            await self.answer(backend.feedback, learner, unit, number)


class PracticeHandler(ServiceHandler):
    @authorized("self_or_staff")
    async def get(self, course: str, learner: str) -> None:
        backend = self.course_backend(course)
        if backend is not None and self.learner_arg(learner):
            await self.answer(backend.practice, learner)

    @authorized("self")
    async def post(self, course: str, learner: str) -> None:
        backend = self.course_backend(course)
        batch = self.body(PracticeBatch)
        if backend is not None and batch is not None:
            events: list[object] = list(batch.events)
            await self.answer(backend.record_practice, learner, events)


class SolutionHandler(ServiceHandler):
    @authorized("self")
    async def get(self, course: str, learner: str, unit: str, question: str) -> None:
        backend = self.course_backend(course)
        if backend is not None:
            await self.answer(backend.solution_gate, learner, unit, question)


class OAuthCallbackHandler(HubOAuthCallbackHandler):  # type: ignore[misc]
    """The end of a browser's hub login (JupyterHub's own handler); says nothing itself."""

    get = authorized("public")(HubOAuthCallbackHandler.get)


#: (pattern relative to the prefix, handler): the service's whole surface
ROUTES: list[tuple[str, type[tornado.web.RequestHandler]]] = [
    ("api/health", HealthHandler),
    ("api/courses", CoursesHandler),
    (rf"{_COURSE}/learners", LearnersHandler),
    (rf"{_LEARNER}/progress", ProgressHandler),
    (rf"{_LEARNER}/grading", GradingHandler),
    (rf"{_LEARNER}/practice", PracticeHandler),
    (rf"{_UNIT}/start", StartHandler),
    (rf"{_UNIT}/attempts", AttemptsHandler),
    (rf"{_UNIT}/feedback", FeedbackHandler),
    (rf"{_UNIT}/attempts/(?P<attempt>[1-9][0-9]{{0,8}})/feedback", FeedbackHandler),
    (rf"{_UNIT}/solutions/(?P<question>{ROUTE_ID})", SolutionHandler),
    *STAFF_ROUTES,
    *PAGE_ROUTES,
    ("oauth_callback", OAuthCallbackHandler),
    ("", HomeHandler),
]

_VERBS = ("get", "post", "put", "delete", "patch")


def _readable(pattern: str) -> str:
    """``api/courses/(?P<course>...)/x`` as ``api/courses/<course>/x``."""
    import re

    group = r"\(\?P<(\w+)>(?:[^()]|\([^()]*\))*\)(\{[^}]*\})?"
    return re.sub(group, r"<\1>", pattern).replace("\\.", ".") or "/"


def route_table() -> list[tuple[str, str, str]]:
    """(verb, path, access) for every verb of every route, in ``ROUTES`` order."""
    rows = []
    for pattern, handler in ROUTES:
        for verb in _VERBS:
            method = getattr(handler, verb)
            if method is getattr(tornado.web.RequestHandler, verb):
                continue
            rows.append(
                (verb.upper(), _readable(pattern), getattr(method, "__mastery_access__", "?"))
            )
    return rows


_ACCESS_WORDS = {
    "public": "none (says nothing about anyone)",
    "caller": "any signed-in caller",
    "self": "the learner named (custom:mastery:learn)",
    "self_or_staff": "the learner named, or course staff",
    "staff": "course staff (custom:mastery:teach:<course> or custom:mastery:grade:<course>)",
    "teach": "the course's instructors (custom:mastery:teach:<course>)",
}


def route_table_markdown() -> str:
    """The route table as docs/design.md shows it (a test keeps them equal)."""
    lines = ["| verb | route (under the service prefix) | who may call |", "|---|---|---|"]
    for verb, path, access in route_table():
        lines.append(f"| {verb} | `{path}` | {_ACCESS_WORDS[access]} |")
    return "\n".join(lines) + "\n"


def make_app(service: MasteryService, **settings: Any) -> tornado.web.Application:
    """The tornado application serving ``ROUTES`` under ``service.prefix``."""
    prefix = "/" + service.prefix.strip("/") + "/" if service.prefix.strip("/") else "/"
    hub_auth = getattr(service.authenticator, "hub_auth", None)
    handlers = [
        (f"{prefix}{pattern}", handler)
        for pattern, handler in ROUTES
        # a browser signs in through the hub (its OAuth callback), or with a token (login)
        if handler is not (LoginHandler if hub_auth is not None else OAuthCallbackHandler)
    ]
    return tornado.web.Application(
        handlers,
        mastery_service=service,
        hub_auth=hub_auth,
        cookie_secret=os.urandom(32),
        login_url=getattr(hub_auth, "login_url", None) or f"{prefix}api/health",
        **settings,
    )

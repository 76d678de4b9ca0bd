"""What every route of the mastery service shares: the service, and the handler base.

:class:`MasteryService` holds the courses (a :class:`~mastery_nb.backend.local.LocalBackend`
each, on one store), their class dashboards, the graders and the authenticator;
:class:`ServiceHandler` is every route's base: who calls (``prepare``), errors as
documents, backend calls in a thread. The routes themselves are in :mod:`.app` (learners
and the class's data), :mod:`.staff` (the instructor's API) and :mod:`.pages` (the
dashboard's pages).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import tornado.web
from jupyterhub.services.auth import HubOAuthenticated
from pydantic import BaseModel, ValidationError

from mastery_nb.backend import BackendError
from mastery_nb.backend.grading import Grading
from mastery_nb.backend.local import LocalBackend
from mastery_nb.identity import is_learner
from mastery_nb.service.auth import Authenticator, Caller

if TYPE_CHECKING:
    from mastery_nb.dashboard.course import CourseDashboard
    from mastery_nb.dashboard.groups import GroupSource

__all__ = ["MasteryService", "ServiceHandler"]

T = TypeVar("T")


@dataclass
class MasteryService:
    """Everything the routes share: the courses, the graders, who may call."""

    backends: dict[str, LocalBackend]
    authenticator: Authenticator
    prefix: str = "/"
    grading: Grading | None = None
    name: str = "mastery"
    extra: dict[str, Any] = field(default_factory=dict)
    #: who is in which group (the dashboard's filter); None: no groups
    groups: GroupSource | None = None
    dashboards: dict[str, CourseDashboard] = field(default_factory=dict)
    _dashboards_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def dashboard(self, course: str) -> CourseDashboard:
        """The class dashboard of a course (made on first use: it reads the whole class)."""
        backend = self.backend(course)
        with self._dashboards_lock:
            found = self.dashboards.get(course)
            if found is None:
                from mastery_nb.dashboard.course import CourseDashboard

                found = self.dashboards[course] = CourseDashboard(
                    backend.root, course, groups=self.groups
                )
            return found

    def backend(self, course: str) -> LocalBackend:
        backend = self.backends.get(course)
        if backend is None:
            known = ", ".join(sorted(self.backends)) or "none"
            raise BackendError(
                404, "unknown_course", f"this service has no course {course!r} (courses: {known})"
            )
        return backend

    def close(self) -> None:
        for backend in self.backends.values():
            backend.close()
        if self.grading is not None:
            self.grading.stop()
            self.grading = None


class ServiceHandler(HubOAuthenticated, tornado.web.RequestHandler):  # type: ignore[misc]
    """Every route's base: who calls (in ``prepare``), errors as documents, threads."""

    @property
    def service(self) -> MasteryService:
        service: MasteryService = self.settings["mastery_service"]
        return service

    async def prepare(self) -> None:
        try:
            self._caller = await self.service.authenticator.caller(self)
        except BackendError as error:
            self._caller = None
            self.fail(error)

    def get_current_user(self) -> Caller | None:
        return getattr(self, "_caller", None)

    @property
    def caller(self) -> Caller:
        """The caller of a method guarded by ``@authorized`` (never None there)."""
        caller = self.current_user
        assert isinstance(caller, Caller)
        return caller

    def check_xsrf_cookie(self) -> None:
        """A form posted by a signed-in browser carries its XSRF token (the hub's own rule
        under a hub; tornado's with a token file)."""
        if self.settings.get("hub_auth") is not None:
            super().check_xsrf_cookie()
        else:
            tornado.web.RequestHandler.check_xsrf_cookie(self)

    @property
    def xsrf_token(self) -> bytes:
        if self.settings.get("hub_auth") is not None:
            token: bytes = super().xsrf_token
            return token
        return tornado.web.RequestHandler.xsrf_token.fget(self)  # type: ignore[attr-defined,no-any-return]

    def fail(self, error: BackendError) -> None:
        self.set_status(error.status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(error.document().model_dump_json())

    def reply(self, document: BaseModel, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(document.model_dump_json())

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """Unexpected failures as an error document too (never a traceback page)."""
        reason = self._reason if status_code < 500 else "the mastery service failed; see its log"
        self.finish(
            BackendError(status_code, f"http_{status_code}", reason).document().model_dump_json()
        )

    async def answer(self, call: Callable[..., BaseModel], *args: Any, status: int = 200) -> None:
        """Run a backend call in a thread and answer with its document or its error."""
        try:
            document = await asyncio.get_running_loop().run_in_executor(None, call, *args)
        except BackendError as error:
            self.fail(error)
            return
        self.reply(document, status)

    def course_backend(self, course: str) -> LocalBackend | None:
        try:
            return self.service.backend(course)
        except BackendError as error:
            self.fail(error)
            return None

    def learner_arg(self, learner: str) -> str | None:
        if not is_learner(learner):
            self.fail(BackendError(400, "invalid", f"{learner!r} is not a learner id"))
            return None
        return learner

    def body(self, document: type[T]) -> T | None:
        try:
            return document.model_validate_json(self.request.body or b"{}")  # type: ignore[attr-defined,no-any-return]
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(p) for p in first.get("loc", ())) or "body"
            self.fail(
                BackendError(
                    400, "invalid", f"the request body is not valid: {where}: {first['msg']}"
                )
            )
            return None

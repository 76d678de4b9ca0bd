"""The service backend: a learner's server asks the mastery service over HTTP.

It holds the service's URL, the course id and one credential: the learner's own hub token
(``$JUPYTERHUB_API_TOKEN`` of their single-user server, whose scopes include
``access:services!service=mastery`` and ``custom:mastery:learn``; see docs/design.md).
No database URL, no path to ``autograder/``, no other secret. The service decides who the
caller is from the token and refuses (403) any other learner's data.
"""

from __future__ import annotations

from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from mastery_nb.backend import BackendError
from mastery_nb.documents import (
    AttemptHistory,
    ErrorDocument,
    Feedback,
    FileDocument,
    GradingStatus,
    PracticeBatch,
    PracticeIngest,
    PracticeSummary,
    Progress,
    SolutionGate,
    StartReceipt,
    SubmitReceipt,
    SubmitRequest,
)

__all__ = ["DEFAULT_TIMEOUT", "ServiceBackend"]

D = TypeVar("D", bound=BaseModel)
#: seconds for one request (submitting a large notebook included)
DEFAULT_TIMEOUT = 60.0


def _segment(value: str) -> str:
    return quote(value, safe="")


class ServiceBackend:
    """One course on the mastery service, for the learner whose token this is."""

    def __init__(
        self,
        url: str,
        token: str,
        course_id: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not url:
            raise ValueError("the mastery service URL is empty: set c.MasteryApp.service_url")
        self.url = url.rstrip("/") + "/"
        self.course_id = course_id
        self._client = httpx.Client(
            base_url=self.url,
            headers={"Authorization": f"token {token}", "Accept": "application/json"},
            timeout=timeout,
            transport=transport,
            follow_redirects=False,
        )

    # ------------------------------------------------------------------ plumbing
    def _path(self, learner: str, *parts: str) -> str:
        tail = "/".join(_segment(p) for p in parts)
        base = f"api/courses/{_segment(self.course_id)}/learners/{_segment(learner)}"
        return f"{base}/{tail}" if tail else base

    def _call(
        self,
        document: type[D],
        method: str,
        path: str,
        *,
        body: BaseModel | None = None,
        params: dict[str, Any] | None = None,
    ) -> D:
        try:
            response = self._client.request(
                method,
                path,
                content=body.model_dump_json() if body is not None else None,
                headers={"Content-Type": "application/json"} if body is not None else None,
                params=params,
            )
        except httpx.HTTPError as error:
            raise BackendError(
                502,
                "unavailable",
                f"the mastery service at {self.url} cannot be reached ({type(error).__name__}: "
                f"{error}); your files are safe, try again in a minute",
            ) from None
        if response.is_success:
            try:
                return document.model_validate_json(response.content)
            except ValidationError as error:
                raise BackendError(
                    502,
                    "bad_answer",
                    f"the mastery service answered {path} with something that is not a "
                    f"{document.__name__} ({error.error_count()} problems); is it the same "
                    "mastery-nb version as this server?",
                ) from None
        raise self._error(response)

    def _error(self, response: httpx.Response) -> BackendError:
        status = response.status_code
        try:
            return BackendError.from_document(
                status, ErrorDocument.model_validate_json(response.content)
            )
        except ValidationError:
            pass
        if status in (301, 302, 303, 307, 401):
            return BackendError(
                401,
                "unauthorized",
                "the mastery service did not accept this server's hub token; "
                "restart your server from the hub's home page",
            )
        if status == 403:
            return BackendError(403, "forbidden", "the mastery service refused this request")
        return BackendError(
            502 if status >= 500 else status,
            "unavailable" if status >= 500 else f"http_{status}",
            f"the mastery service answered HTTP {status}",
        )

    # ------------------------------------------------------------------ the seam
    def progress(self, learner: str) -> Progress:
        return self._call(Progress, "GET", self._path(learner, "progress"))

    def start(self, learner: str, unit: str) -> StartReceipt:
        return self._call(StartReceipt, "POST", self._path(learner, "units", unit, "start"))

    def submit(self, learner: str, unit: str, notebooks: dict[str, bytes]) -> SubmitReceipt:
        body = SubmitRequest(files=[FileDocument.of(p, data) for p, data in notebooks.items()])
        return self._call(
            SubmitReceipt, "POST", self._path(learner, "units", unit, "attempts"), body=body
        )

    def attempts(self, learner: str, unit: str) -> AttemptHistory:
        return self._call(AttemptHistory, "GET", self._path(learner, "units", unit, "attempts"))

    def feedback(self, learner: str, unit: str, attempt: int | None = None) -> Feedback:
        parts = (
            ("units", unit, "attempts", str(attempt), "feedback")
            if attempt
            else (
                "units",
                unit,
                "feedback",
            )
        )
        return self._call(Feedback, "GET", self._path(learner, *parts))

    def record_practice(self, learner: str, events: list[object]) -> PracticeIngest:
        body = PracticeBatch(events=[e for e in events if isinstance(e, dict)])
        result = self._call(PracticeIngest, "POST", self._path(learner, "practice"), body=body)
        skipped = len(events) - len(body.events)
        if skipped:
            result = result.model_copy(
                update={
                    "rejected": result.rejected + skipped,
                    "problems": [*result.problems, f"{skipped} events were not JSON objects"],
                }
            )
        return result

    def practice(self, learner: str) -> PracticeSummary:
        return self._call(PracticeSummary, "GET", self._path(learner, "practice"))

    def solution_gate(self, learner: str, unit: str, question: str) -> SolutionGate:
        return self._call(
            SolutionGate, "GET", self._path(learner, "units", unit, "solutions", question)
        )

    def grading_status(self, learner: str) -> GradingStatus:
        return self._call(GradingStatus, "GET", self._path(learner, "grading"))

    def close(self) -> None:
        self._client.close()

"""The instructor's API: the class as documents, grades by hand and overrides (JSON).

Every route here is for a course's staff (``staff``: instructors and graders) except
overrides (``teach``: instructors only). Reads answer from the course's class dashboard
(:class:`~mastery_nb.dashboard.course.CourseDashboard`); writes need an API token (a
script) or, through the dashboard's own forms (:mod:`.pages`), the page's XSRF token.
"""

from __future__ import annotations

import asyncio
from typing import Any, get_args

from mastery_nb.backend import BackendError
from mastery_nb.dashboard.course import CourseDashboard
from mastery_nb.documents import CellState, ManualGradeRequest, OverrideRequest, RevokeRequest
from mastery_nb.identity import ROUTE_COURSE, ROUTE_ID, ROUTE_LEARNER
from mastery_nb.service.auth import authorized
from mastery_nb.service.base import ServiceHandler

__all__ = ["STAFF_ROUTES", "StaffHandler", "class_filters", "csv_reply"]

_COURSE = rf"api/courses/(?P<course>{ROUTE_COURSE})"
_LEARNER = rf"{_COURSE}/learners/(?P<learner>{ROUTE_LEARNER})"
_ATTEMPT = rf"{_LEARNER}/units/(?P<unit>{ROUTE_ID})/attempts/(?P<attempt>[1-9][0-9]{{0,8}})"
OVERRIDE_ID = r"(?P<override>[1-9][0-9]{0,11})"


class StaffHandler(ServiceHandler):
    """Staff routes: the course's dashboard, called in a thread."""

    def dashboard(self, course: str) -> CourseDashboard | None:
        try:
            return self.service.dashboard(course)
        except BackendError as error:
            self.fail(error)
            return None

    async def run(self, call: Any, *args: Any) -> Any:
        """``call(*args)`` in a thread; None (and the error answered) on a BackendError."""
        try:
            return await asyncio.get_running_loop().run_in_executor(None, call, *args)
        except BackendError as error:
            self.fail(error)
            return None

    def number(self, name: str, default: int, low: int = 0, high: int = 10**9) -> int | None:
        raw = self.get_query_argument(name, None)
        if raw in (None, ""):
            return default
        try:
            value = int(str(raw))
        except ValueError:
            self.fail(BackendError(400, "invalid", f"?{name}= takes a whole number, got {raw!r}"))
            return None
        return max(low, min(high, value))


def class_filters(handler: StaffHandler) -> dict[str, Any] | None:
    """The heatmap's filters from the query (``unit, group, state, q, sort, offset, limit``)."""
    state = handler.get_query_argument("state", None) or None
    if state is not None and state not in get_args(CellState):
        handler.fail(
            BackendError(
                400, "invalid", f"?state= is one of {', '.join(get_args(CellState))}, got {state!r}"
            )
        )
        return None
    offset = handler.number("offset", 0)
    limit = handler.number("limit", 50, 1, 500)
    if offset is None or limit is None:
        return None
    return {
        "unit": handler.get_query_argument("unit", None) or None,
        "group": handler.get_query_argument("group", None) or None,
        "state": state,
        "search": handler.get_query_argument("q", "") or "",
        "sort": handler.get_query_argument("sort", "learner") or "learner",
        "offset": offset,
        "limit": limit,
    }


def csv_reply(handler: ServiceHandler, course: str, text: str, wide: bool) -> None:
    name = f"{course}-gradebook{'-wide' if wide else ''}.csv"
    handler.set_header("Content-Type", "text/csv; charset=utf-8")
    handler.set_header("Content-Disposition", f'attachment; filename="{name}"')
    handler.set_header("Cache-Control", "no-store")
    handler.finish(text)


class ClassHandler(StaffHandler):
    @authorized("staff")
    async def get(self, course: str) -> None:
        dashboard = self.dashboard(course)
        filters = class_filters(self)
        if dashboard is not None and filters is not None:
            page = await self.run(lambda: dashboard.class_page(**filters))
            if page is not None:
                self.reply(page)


class UnitsReportHandler(StaffHandler):
    @authorized("staff")
    async def get(self, course: str) -> None:
        dashboard = self.dashboard(course)
        if dashboard is not None and (report := await self.run(dashboard.units)) is not None:
            self.reply(report)


class NeedsHandler(StaffHandler):
    @authorized("staff")
    async def get(self, course: str) -> None:
        dashboard = self.dashboard(course)
        reason = self.get_query_argument("reason", None) or None
        if (
            dashboard is not None
            and (report := await self.run(dashboard.needs, reason)) is not None
        ):
            self.reply(report)


class ItemsHandler(StaffHandler):
    @authorized("staff")
    async def get(self, course: str) -> None:
        dashboard = self.dashboard(course)
        unit = self.get_query_argument("unit", None) or None
        if dashboard is not None and (report := await self.run(dashboard.items, unit)) is not None:
            self.reply(report)


class ReviewsHandler(StaffHandler):
    @authorized("staff")
    async def get(self, course: str) -> None:
        dashboard = self.dashboard(course)
        if dashboard is not None and (queue := await self.run(dashboard.reviews)) is not None:
            self.reply(queue)


class GradebookHandler(StaffHandler):
    """``?format=json`` (default) or ``csv``; ``?wide=1`` one row per learner."""

    @authorized("staff")
    async def get(self, course: str) -> None:
        from mastery_nb.gradebook.export import render, wide

        dashboard = self.dashboard(course)
        kind = self.get_query_argument("format", "json")
        is_wide = self.get_query_argument("wide", "0") in ("1", "true", "yes")
        if kind not in ("json", "csv"):
            self.fail(BackendError(400, "invalid", f"?format= is json or csv, got {kind!r}"))
            return
        if dashboard is None or (book := await self.run(dashboard.gradebook)) is None:
            return
        if kind == "csv":
            csv_reply(self, course, render(book, format="csv", wide_form=is_wide), is_wide)
        else:
            self.reply(wide(book) if is_wide else book)


class RecordHandler(StaffHandler):
    @authorized("staff")
    async def get(self, course: str, learner: str) -> None:
        dashboard = self.dashboard(course)
        if dashboard is None or not self.learner_arg(learner):
            return
        if (record := await self.run(dashboard.learner, learner)) is not None:
            self.reply(record)


class ReviewSheetHandler(StaffHandler):
    @authorized("staff")
    async def get(self, course: str, learner: str, unit: str, attempt: str) -> None:
        dashboard = self.dashboard(course)
        if dashboard is not None and self.learner_arg(learner):
            sheet = await self.run(dashboard.review_sheet, learner, unit, int(attempt))
            if sheet is not None:
                self.reply(sheet)


class GradesHandler(StaffHandler):
    @authorized("staff")
    async def post(self, course: str, learner: str, unit: str, attempt: str) -> None:
        dashboard = self.dashboard(course)
        request = self.body(ManualGradeRequest)
        if dashboard is None or request is None or not self.learner_arg(learner):
            return
        receipt = await self.run(
            dashboard.grade, learner, unit, int(attempt), request, self.caller.name
        )
        if receipt is not None:
            self.reply(receipt, 201)


class OverridesHandler(StaffHandler):
    @authorized("teach")
    async def post(self, course: str, learner: str) -> None:
        dashboard = self.dashboard(course)
        request = self.body(OverrideRequest)
        if dashboard is None or request is None or not self.learner_arg(learner):
            return
        receipt = await self.run(dashboard.override, learner, request, self.caller.name)
        if receipt is not None:
            self.reply(receipt, 201)


class RevokeHandler(StaffHandler):
    @authorized("teach")
    async def post(self, course: str, learner: str, override: str) -> None:
        dashboard = self.dashboard(course)
        request = self.body(RevokeRequest)
        if dashboard is None or request is None or not self.learner_arg(learner):
            return
        receipt = await self.run(
            dashboard.revoke, learner, int(override), request.reason, self.caller.name
        )
        if receipt is not None:
            self.reply(receipt)


#: the instructor's API (patterns relative to the prefix, as in ``app.ROUTES``)
STAFF_ROUTES: list[tuple[str, type[ServiceHandler]]] = [
    (rf"{_COURSE}/class", ClassHandler),
    (rf"{_COURSE}/class/units", UnitsReportHandler),
    (rf"{_COURSE}/class/needs", NeedsHandler),
    (rf"{_COURSE}/class/items", ItemsHandler),
    (rf"{_COURSE}/class/reviews", ReviewsHandler),
    (rf"{_COURSE}/gradebook", GradebookHandler),
    (rf"{_LEARNER}/record", RecordHandler),
    (rf"{_ATTEMPT}/review", ReviewSheetHandler),
    (rf"{_ATTEMPT}/grades", GradesHandler),
    (rf"{_LEARNER}/overrides", OverridesHandler),
    (rf"{_LEARNER}/overrides/{OVERRIDE_ID}/revoke", RevokeHandler),
]

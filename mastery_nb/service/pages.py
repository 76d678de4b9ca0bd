"""The class dashboard's pages: server-rendered HTML for a course's staff, no script.

Each page reads the same documents as the JSON API (:mod:`.staff`) and renders them with
:mod:`mastery_nb.dashboard.html`. Every response carries a strict Content-Security-Policy
(:data:`~mastery_nb.dashboard.html.layout.PAGE_CSP`: the service's stylesheet and nothing
else). Forms (a grade by hand, an override) post with the browser's sign-in cookie and the
page's XSRF token (``accepts_forms``), then redirect back to the page (303), which says
what was saved.

A browser that is not signed in is sent to the hub's login (or, without a hub, to the
``login`` page, where it pastes its API token once).
"""

from __future__ import annotations

import base64
import hashlib
import re
from html import unescape
from importlib import resources
from urllib.parse import urlencode

from pydantic import ValidationError

from mastery_nb.backend import BackendError
from mastery_nb.dashboard.html.class_view import heatmap_body, needs_body, units_body
from mastery_nb.dashboard.html.items_view import items_body
from mastery_nb.dashboard.html.layout import PAGE_CSP, Links, e, page
from mastery_nb.dashboard.html.learner_view import learner_body
from mastery_nb.dashboard.html.review_view import queue_body, sheet_body
from mastery_nb.documents import ManualGradeRequest, OverrideRequest, RubricScore
from mastery_nb.identity import ROUTE_COURSE, ROUTE_ID, ROUTE_LEARNER
from mastery_nb.service.auth import TokenAuthenticator, authorized
from mastery_nb.service.base import ServiceHandler
from mastery_nb.service.staff import OVERRIDE_ID, StaffHandler, class_filters, csv_reply

__all__ = ["PAGE_ROUTES", "LoginHandler"]

_BASE = rf"dashboard/(?P<course>{ROUTE_COURSE})"
_LEARNER = rf"{_BASE}/learners/(?P<learner>{ROUTE_LEARNER})"
_ATTEMPT = rf"{_LEARNER}/units/(?P<unit>{ROUTE_ID})/attempts/(?P<attempt>[1-9][0-9]{{0,8}})"
_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def prefix_of(handler: ServiceHandler) -> str:
    prefix = handler.service.prefix.strip("/")
    return f"/{prefix}/" if prefix else "/"


class PageHandler(StaffHandler):
    """A dashboard page: HTML answers, errors as pages, sign-in first."""

    async def prepare(self) -> None:
        await super().prepare()
        if self._finished or self.current_user is not None or self.request.method != "GET":
            return
        if self.service.authenticator.login_possible:
            self.redirect(self.get_login_url())
        else:
            self.redirect(f"{prefix_of(self)}login?{urlencode({'next': self.request.uri})}")

    def links(self, course: str) -> Links:
        return Links(prefix_of(self), course)

    def html(self, text: str, status: int = 200, csp: str = PAGE_CSP) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Content-Security-Policy", csp)
        for name, value in _SECURITY_HEADERS.items():
            self.set_header(name, value)
        self.finish(text)

    def fail(self, error: BackendError) -> None:
        """A refusal as a small page (still with the error document's words)."""
        title = "Sign in first" if error.status == 401 else "Not possible"
        self.html(
            "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>{e(title)}</title></head><body><h1>{e(title)}</h1>"
            f'<p class="error" data-code="{e(error.code)}">{e(error.message)}</p>'
            "<p>Go back and try again.</p></body></html>",
            error.status,
        )

    def show(self, course: str, title: str, here: str, body: str, notice: str = "") -> None:
        dashboard = self.service.dashboard(course)
        self.html(
            page(
                title=title,
                course_title=dashboard.course().title,
                links=self.links(course),
                who=self.caller.name,
                roles=[r for r in self.caller.roles(course) if r != "learner"],
                here=here,
                body=body,
                notice=notice,
            )
        )

    def notice(self) -> str:
        saved = self.get_query_argument("saved", None)
        return f'<p class="notice ok" id="saved">{e(saved)}</p>' if saved else ""

    def back_to(self, url: str, message: str) -> None:
        """After a form: back to ``url`` with a line saying what was done (303)."""
        joiner = "&" if "?" in url else "?"
        anchor = ""
        if "#" in url:
            url, anchor = url.split("#", 1)
            anchor = "#" + anchor
        self.redirect(f"{url}{joiner}{urlencode({'saved': message})}{anchor}", status=303)


class ClassPageHandler(PageHandler):
    @authorized("staff")
    async def get(self, course: str) -> None:
        dashboard = self.dashboard(course)
        filters = class_filters(self)
        if dashboard is None or filters is None:
            return
        result = await self.run(lambda: dashboard.class_page(**filters))
        if result is not None:
            self.show(course, "Class", "", heatmap_body(result, self.links(course)))


class UnitsPageHandler(PageHandler):
    @authorized("staff")
    async def get(self, course: str) -> None:
        dashboard = self.dashboard(course)
        if dashboard is not None and (report := await self.run(dashboard.units)) is not None:
            self.show(course, "Units", "units", units_body(report))


class NeedsPageHandler(PageHandler):
    @authorized("staff")
    async def get(self, course: str) -> None:
        dashboard = self.dashboard(course)
        reason = self.get_query_argument("reason", None) or None
        if dashboard is None:
            return
        if (report := await self.run(dashboard.needs, reason)) is not None:
            self.show(
                course, "Needs you now", "needs", needs_body(report, self.links(course), reason)
            )


class ItemsPageHandler(PageHandler):
    @authorized("staff")
    async def get(self, course: str) -> None:
        dashboard = self.dashboard(course)
        unit = self.get_query_argument("unit", None) or None
        if dashboard is None:
            return
        if (report := await self.run(dashboard.items, unit)) is not None:
            self.show(course, "Items", "items", items_body(report, self.links(course)))


class ReviewQueuePageHandler(PageHandler):
    @authorized("staff")
    async def get(self, course: str) -> None:
        dashboard = self.dashboard(course)
        if dashboard is not None and (queue := await self.run(dashboard.reviews)) is not None:
            self.show(course, "To grade", "review", queue_body(queue, self.links(course)))


class GradebookFileHandler(PageHandler):
    @authorized("staff")
    async def get(self, course: str) -> None:
        from mastery_nb.gradebook.export import render

        dashboard = self.dashboard(course)
        wide = self.get_query_argument("wide", "0") in ("1", "true", "yes")
        if dashboard is not None and (book := await self.run(dashboard.gradebook)) is not None:
            csv_reply(self, course, render(book, format="csv", wide_form=wide), wide)


class LearnerPageHandler(PageHandler):
    @authorized("staff")
    async def get(self, course: str, learner: str) -> None:
        dashboard = self.dashboard(course)
        if dashboard is None or not self.learner_arg(learner):
            return
        record = await self.run(dashboard.learner, learner)
        if record is None:
            return
        body = learner_body(
            record,
            dashboard.course(),
            self.links(course),
            self.xsrf_token.decode("ascii"),
            teach=self.caller.teaches(course),
        )
        self.show(course, learner, "learner", body, self.notice())


class FeedbackPageHandler(PageHandler):
    """The attempt's feedback page exactly as the learner sees it (with its own styles)."""

    @authorized("staff")
    async def get(self, course: str, learner: str, unit: str, attempt: str) -> None:
        from mastery_nb.feedback import render_feedback_html

        backend = self.course_backend(course)
        if backend is None or not self.learner_arg(learner):
            return
        feedback = await self.run(backend.feedback, learner, unit, int(attempt))
        if feedback is None:
            return
        text = render_feedback_html(feedback.dump())
        self.html(text, csp=inline_styles_csp(text))


def inline_styles_csp(text: str) -> str:
    """A CSP for a self-contained page that styles itself inline (the learner's feedback
    page): exactly its ``<style>`` blocks and ``style`` attributes, by hash; no script, no
    frame, nothing fetched."""
    styles = re.findall(r"<style>(.*?)</style>", text, re.S)
    styles += [unescape(v) for v in re.findall(r'style="([^"]*)"', text)]
    hashes = sorted(
        {
            "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
            for s in styles
        }
    )
    return (
        f"default-src 'none'; style-src 'unsafe-hashes' {' '.join(hashes)}; img-src data:; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


class ReviewPageHandler(PageHandler):
    accepts_forms = True

    @authorized("staff")
    async def get(self, course: str, learner: str, unit: str, attempt: str) -> None:
        dashboard = self.dashboard(course)
        if dashboard is None or not self.learner_arg(learner):
            return
        sheet = await self.run(dashboard.review_sheet, learner, unit, int(attempt))
        if sheet is not None:
            body = sheet_body(sheet, self.links(course), self.xsrf_token.decode("ascii"))
            self.show(course, f"Grade {learner}", "review", body, self.notice())

    @authorized("staff")
    async def post(self, course: str, learner: str, unit: str, attempt: str) -> None:
        dashboard = self.dashboard(course)
        if dashboard is None or not self.learner_arg(learner):
            return
        request = self._grade_request()
        if request is None:
            return
        receipt = await self.run(
            dashboard.grade, learner, unit, int(attempt), request, self.caller.name
        )
        if receipt is None:
            return
        grade = receipt.grade
        url = self.links(course).attempt(learner, unit, int(attempt), "review")
        self.back_to(
            f"{url}#{grade.grade_id}",
            f"Saved: {grade.grade_id} {grade.points:g} of {grade.max_points:g} points.",
        )

    def _grade_request(self) -> ManualGradeRequest | None:
        def number(text: str, what: str) -> float:
            try:
                return float(text)
            except ValueError:
                raise ValueError(f"{what} must be a number, got {text!r}") from None

        try:
            rubric = []
            names = self.get_body_arguments("criterion")
            earned = self.get_body_arguments("criterion_points")
            possible = self.get_body_arguments("criterion_max")
            for index, name in enumerate(names):
                if not name.strip():
                    continue
                got = earned[index] if index < len(earned) else ""
                out_of = possible[index] if index < len(possible) else ""
                if not got.strip() or not out_of.strip():
                    raise ValueError(
                        f"criterion {name.strip()!r} needs its points and its 'out of'"
                    )
                rubric.append(
                    RubricScore(
                        criterion=name.strip(),
                        points=number(got, "a criterion's points"),
                        max_points=number(out_of, "a criterion's 'out of'"),
                    )
                )
            points_text = self.get_body_argument("points", "").strip()
            return ManualGradeRequest(
                notebook=self.get_body_argument("notebook", ""),
                grade_id=self.get_body_argument("grade_id", ""),
                points=number(points_text, "points") if points_text else None,
                comment=self.get_body_argument("comment", ""),
                rubric=rubric,
            )
        except (ValueError, ValidationError) as error:
            message = error.errors()[0]["msg"] if isinstance(error, ValidationError) else str(error)
            self.fail(BackendError(400, "invalid", f"the grade was not saved: {message}"))
            return None


class OverridePageHandler(PageHandler):
    accepts_forms = True

    @authorized("teach")
    async def post(self, course: str, learner: str) -> None:
        dashboard = self.dashboard(course)
        if dashboard is None or not self.learner_arg(learner):
            return
        action = self.get_body_argument("action", "")
        unit, _, objective = self.get_body_argument("target", "").partition("/")
        amount = self.get_body_argument("amount", "").strip()
        try:
            request = OverrideRequest.model_validate(
                {
                    "action": action,
                    "unit": unit,
                    "objective": objective if action in ("excuse", "mark_mastered") else None,
                    "amount": (int(amount) if amount else 1)
                    if action == "extra_attempts"
                    else None,
                    "reason": self.get_body_argument("reason", "").strip(),
                }
            )
        except (ValueError, ValidationError) as error:
            message = error.errors()[0]["msg"] if isinstance(error, ValidationError) else str(error)
            self.fail(BackendError(400, "invalid", f"the override was not recorded: {message}"))
            return
        receipt = await self.run(dashboard.override, learner, request, self.caller.name)
        if receipt is not None:
            self.back_to(
                self.links(course).learner(learner),
                f"Recorded: {action.replace('_', ' ')} on {receipt.override.unit}"
                + (f" / {receipt.override.objective}" if receipt.override.objective else "")
                + ".",
            )


class RevokePageHandler(PageHandler):
    accepts_forms = True

    @authorized("teach")
    async def post(self, course: str, learner: str, override: str) -> None:
        dashboard = self.dashboard(course)
        if dashboard is None or not self.learner_arg(learner):
            return
        reason = self.get_body_argument("reason", "").strip()
        receipt = await self.run(dashboard.revoke, learner, int(override), reason, self.caller.name)
        if receipt is not None:
            self.back_to(self.links(course).learner(learner), f"Revoked override {override}.")


class StylesheetHandler(ServiceHandler):
    """The dashboard's stylesheet (says nothing about anyone)."""

    @authorized("public")
    async def get(self) -> None:
        css = resources.files("mastery_nb.dashboard").joinpath("static", "dashboard.css")
        self.set_header("Content-Type", "text/css; charset=utf-8")
        self.set_header("Cache-Control", "max-age=300")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.finish(css.read_bytes())


class LoginHandler(ServiceHandler):
    """Without a hub: a browser signs in by pasting its API token once (then a cookie)."""

    def _form(self, message: str = "") -> None:
        target = self.get_argument("next", "") or prefix_of(self)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Content-Security-Policy", PAGE_CSP)
        for name, value in _SECURITY_HEADERS.items():
            self.set_header(name, value)
        self.finish(
            "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Sign in</title>"
            f"<link rel='stylesheet' href='{e(prefix_of(self))}dashboard/static/dashboard.css'></head>"
            "<body><main><h1>Sign in to the mastery service</h1>"
            + (f"<p class='notice no'>{e(message)}</p>" if message else "")
            + f"<form method='post' class='grade-form'><input type='hidden' name='_xsrf' value='{e(self.xsrf_token.decode('ascii'))}'>"
            f"<input type='hidden' name='next' value='{e(target)}'>"
            "<label>Your API token <input type='password' name='token' autocomplete='off' required></label>"
            "<div class='row'><button type='submit'>Sign in</button></div></form></main></body></html>"
        )

    @authorized("public")
    async def get(self) -> None:
        self._form()

    @authorized("public")
    async def post(self) -> None:
        authenticator = self.service.authenticator
        try:
            self.check_xsrf_cookie()
        except Exception:
            self.set_status(403)
            self._form("This form is out of date: send it again.")
            return
        if not isinstance(authenticator, TokenAuthenticator):
            self.set_status(404)
            self._form("Sign in through the hub.")
            return
        if authenticator.sign_in(self, self.get_body_argument("token", "")) is None:
            self.set_status(403)
            self._form("That token is not known to this service.")
            return
        target = self.get_body_argument("next", "") or prefix_of(self)
        if not target.startswith("/") or target.startswith("//"):
            target = prefix_of(self)  # never leave the service (no open redirect)
        self.redirect(target, status=303)


#: the dashboard's pages (patterns relative to the prefix, as in ``app.ROUTES``)
PAGE_ROUTES: list[tuple[str, type[ServiceHandler]]] = [
    ("dashboard/static/dashboard.css", StylesheetHandler),
    (rf"{_BASE}/", ClassPageHandler),
    (rf"{_BASE}/units", UnitsPageHandler),
    (rf"{_BASE}/needs", NeedsPageHandler),
    (rf"{_BASE}/items", ItemsPageHandler),
    (rf"{_BASE}/review", ReviewQueuePageHandler),
    (rf"{_BASE}/gradebook\.csv", GradebookFileHandler),
    (rf"{_LEARNER}", LearnerPageHandler),
    (rf"{_ATTEMPT}/feedback", FeedbackPageHandler),
    (rf"{_ATTEMPT}/review", ReviewPageHandler),
    (rf"{_LEARNER}/overrides", OverridePageHandler),
    (rf"{_LEARNER}/overrides/{OVERRIDE_ID}/revoke", RevokePageHandler),
    ("login", LoginHandler),
]

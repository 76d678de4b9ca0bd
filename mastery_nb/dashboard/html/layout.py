"""The dashboard's page shell, links and small pieces shared by its pages.

Pages are rendered on the server as complete HTML documents with no script at all: the
service sends them with a Content-Security-Policy that allows only its own stylesheet
(:data:`PAGE_CSP`). Every value is escaped here or in the page that writes it; learner
text (answers, names, messages) is never trusted.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from urllib.parse import quote, urlencode

__all__ = ["HERE", "PAGE_CSP", "Links", "badge", "e", "page", "when"]

#: no script, no frames, no form posts elsewhere; styles and images only from the service
PAGE_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)

#: the attribute marking the current tab or chip
HERE = ' class="here"'

STATE_WORDS = {
    "mastered": "mastered",
    "awaiting_review": "awaiting review",
    "in_progress": "in progress",
    "struggling": "struggling",
    "not_started": "not started",
    "excused": "excused",
}


def e(value: object) -> str:
    """Escaped text (attributes too)."""
    return escape(str(value), quote=True)


def when(iso: str | None) -> str:
    """``2026-11-22T09:04:09.740103Z`` as ``2026-11-22 09:04``."""
    if not iso:
        return ""
    return e(iso.replace("T", " ")[:16])


def badge(kind: str, text: str | None = None) -> str:
    return f'<span class="badge b-{e(kind)}">{e(text or STATE_WORDS.get(kind, kind.replace("_", " ")))}</span>'


@dataclass(frozen=True)
class Links:
    """Every URL of one course's dashboard, under the service's prefix."""

    prefix: str
    course: str

    @property
    def base(self) -> str:
        return f"{self.prefix}dashboard/{quote(self.course, safe='')}/"

    @property
    def css(self) -> str:
        return f"{self.prefix}dashboard/static/dashboard.css"

    def home(self, **query: object) -> str:
        params = {
            k: v for k, v in query.items() if v not in (None, "") and not (k == "offset" and not v)
        }
        return self.base + (("?" + urlencode(params)) if params else "")

    def tab(self, name: str, **query: object) -> str:
        params = {k: v for k, v in query.items() if v not in (None, "")}
        return self.base + name + (("?" + urlencode(params)) if params else "")

    def learner(self, learner: str) -> str:
        return f"{self.base}learners/{quote(learner, safe='')}"

    def attempt(self, learner: str, unit: str, number: int, what: str) -> str:
        return f"{self.learner(learner)}/units/{quote(unit, safe='')}/attempts/{number}/{what}"


TABS = (
    ("", "Class"),
    ("units", "Units"),
    ("needs", "Needs you now"),
    ("items", "Items"),
    ("review", "To grade"),
)


def page(
    *,
    title: str,
    course_title: str,
    links: Links,
    who: str,
    roles: list[str],
    here: str,
    body: str,
    notice: str = "",
) -> str:
    """A whole dashboard page around ``body`` (already HTML)."""
    tabs = "".join(
        f'<a href="{e(links.base + path)}"{HERE if path == here else ""}>{e(name)}</a>'
        for path, name in TABS
    )
    tabs += f'<a href="{e(links.tab("gradebook.csv"))}">Gradebook (CSV)</a>'
    role = " and ".join({"teach": "instructor", "grade": "grader"}.get(r, r) for r in roles)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)} &middot; {e(course_title)}</title>"
        f'<link rel="stylesheet" href="{e(links.css)}"></head><body>'
        f'<header class="top"><h1>{e(course_title)}</h1><span class="muted">class dashboard</span>'
        f'<span class="who">{e(who)}{" (" + e(role) + ")" if role else ""}</span></header>'
        f'<nav class="tabs">{tabs}</nav><main>{notice}{body}</main></body></html>'
    )

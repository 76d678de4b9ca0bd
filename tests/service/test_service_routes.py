"""The mastery service's routes against a real service process: access, documents, errors."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from mastery_fixtures import NOTEBOOK_OF, submission
from service_process import ServiceProcess, sample_path

from mastery_nb.documents import (
    AttemptHistory,
    CourseList,
    ErrorDocument,
    Feedback,
    GradingStatus,
    LearnerList,
    PracticeIngest,
    PracticeSummary,
    Progress,
    SolutionGate,
    StartReceipt,
    SubmitReceipt,
)
from mastery_nb.grade.queue import grade_pending
from mastery_nb.root import CourseRoot
from mastery_nb.service.app import ROUTES, OAuthCallbackHandler, route_table

pytestmark = pytest.mark.timeout(180)

ADA = "api/courses/mini/learners/ada"
VALUES = {
    "course": "mini",
    "learner": "ada",
    "unit": "a",
    "attempt": "1",
    "question": "q1",
    "override": "1",
}
#: public routes that are not the health check: the dashboard's stylesheet and, without a
#: hub, the page where a browser pastes its token
PUBLIC_PAGES = ("dashboard/static/dashboard.css", "login")


def _verbs() -> list[tuple[str, str, str]]:
    """(verb, concrete path for learner ada, access) for every verb of every route."""
    patterns = {(verb, path): access for verb, path, access in route_table()}
    rows = []
    for pattern, handler in ROUTES:
        if handler is OAuthCallbackHandler:
            continue  # registered only under a hub (tests/hub covers it)
        for verb in ("GET", "POST"):
            method = getattr(handler, verb.lower(), None)
            access = getattr(method, "__mastery_access__", None)
            if access is None:
                continue
            rows.append((verb, sample_path(pattern, VALUES), access))
    assert len(rows) == len([p for p in patterns if "oauth_callback" not in p[1]])
    return rows


def _body(verb: str, path: str) -> bytes | None:
    if verb != "POST":
        return None
    if path.endswith("/attempts"):
        return b'{"files": []}'
    if path.endswith("/practice"):
        return b'{"events": []}'
    return b"{}"


def test_every_verb_of_the_app_declares_its_access() -> None:
    """Walk the tornado app's router: every handler is in ROUTES, every verb it answers is
    wrapped by @authorized (so tests/hub and the table above cover the whole surface)."""
    import tornado.web

    from mastery_nb.service.app import MasteryService, make_app
    from mastery_nb.service.auth import TokenAuthenticator

    app = make_app(MasteryService(backends={}, authenticator=TokenAuthenticator({})))
    handlers = set()
    for rule in app.wildcard_router.rules + app.default_router.rules:
        target = rule.target
        if isinstance(target, type) and issubclass(target, tornado.web.RequestHandler):
            handlers.add(target)
    handlers.discard(tornado.web.RedirectHandler)
    assert handlers == {h for _, h in ROUTES if h is not OAuthCallbackHandler}
    for handler in handlers:
        for verb in ("get", "post", "put", "delete", "patch", "head", "options"):
            method = getattr(handler, verb)
            if method is getattr(tornado.web.RequestHandler, verb):
                continue  # tornado's 405
            assert getattr(method, "__mastery_access__", None), f"{handler.__name__}.{verb}"
    for verb, path, access in route_table():
        assert access in ("public", "caller", "self", "self_or_staff", "staff", "teach"), (
            verb,
            path,
        )
    assert [(v, a) for v, p, a in route_table() if p == "api/health"] == [("GET", "public")]


def _error(answer: Any) -> str:
    """The refusal's words: an error document, or the dashboard's error page."""
    if answer.headers["Content-Type"].startswith("application/json"):
        return ErrorDocument.model_validate(answer.json()).error
    assert answer.headers["Content-Security-Policy"].startswith("default-src 'none'")
    return answer.text


def test_no_route_answers_without_a_token_or_across_learners(service: ServiceProcess) -> None:
    """Enumerate every route: no token is 401 (a page sends the browser to sign in); bob
    and a stranger reach none of ada's data and none of the class's; a grader changes no
    rule; staff never act as a learner."""
    checked = 0
    for verb, path, access in _verbs():
        body = _body(verb, path)
        page = path.startswith("dashboard/") and verb == "GET"
        anonymous = service.call(verb, path, content=body)
        if access == "public":
            assert anonymous.status_code in (200, 403), path  # login's POST needs its form
            if path == "api/health":
                assert set(anonymous.json()) == {"kind", "status", "version"}, "says only ok"
            else:
                assert path in PUBLIC_PAGES, path
            continue
        if page:
            assert anonymous.status_code == 302, (verb, path)
            assert anonymous.headers["Location"].startswith("/login?next=")
        else:
            assert anonymous.status_code == 401, (verb, path, anonymous.status_code)
            assert _error(anonymous).startswith("sign in first") or (
                'data-code="unauthorized"' in anonymous.text
            )
        wrong_token = service.call(
            verb, path, content=body, headers={"Authorization": "token x" * 3}
        )
        assert wrong_token.status_code == (302 if page else 401), (verb, path)
        intruders = {"self": ("bob", "stranger", "ta"), "teach": ("bob", "stranger", "ta")}
        for intruder in intruders.get(access, ("bob", "stranger")):
            answer = service.call(verb, path, content=body, as_user=intruder)
            if access == "caller":
                assert answer.status_code == 200, (verb, path, intruder)
                continue
            assert answer.status_code == 403, (verb, path, intruder, answer.text)
            words = _error(answer)
            assert "ada" in words or access in ("staff", "teach"), words
            if access == "teach" and intruder == "ta":
                assert "only the course" in words and "instructors may override" in words
            checked += 1
        # staff read the class, but never act as a learner
        staff = service.call(verb, path, content=body, as_user="prof")
        if access == "self":
            assert staff.status_code == 403, (verb, path)
        else:
            # 400: the empty body of a grade or an override; 404: no attempt 1 yet
            assert staff.status_code in (200, 400, 404), (verb, path, staff.text)
    assert checked >= 60
    # a learner without the learn scope cannot act even on their own name
    own = service.call("GET", "api/courses/mini/learners/stranger/progress", as_user="stranger")
    assert own.status_code == 403


def test_a_learner_goes_through_a_unit(service: ServiceProcess, mini_root: CourseRoot) -> None:
    progress = Progress.model_validate(service.call("GET", f"{ADA}/progress", as_user="ada").json())
    assert progress.student == "ada" and [u.state for u in progress.units] == [
        "unlocked",
        "locked",
        "locked",
    ]
    start = service.call("POST", f"{ADA}/units/a/start", as_user="ada")
    receipt = StartReceipt.model_validate(start.json())
    paths = {f.path for f in receipt.files}
    assert NOTEBOOK_OF["a"] in paths and "course.json" in paths
    assert NOTEBOOK_OF["b"] not in paths, "other units' notebooks wait until they start"
    assert not any(p.startswith(("units/../", "/")) for p in paths)
    locked = service.call("POST", f"{ADA}/units/b/start", as_user="ada")
    assert locked.status_code == 409 and locked.json()["code"] == "locked"

    files = [
        {"path": p, "data": base64.b64encode(data).decode()}
        for p, data in submission(mini_root, "a", {"answer-add": "x = 3"}).items()
    ]
    submitted = service.call(
        "POST", f"{ADA}/units/a/attempts", as_user="ada", json={"files": files}
    )
    assert submitted.status_code == 202, submitted.text
    receipt_ = SubmitReceipt.model_validate(submitted.json())
    assert receipt_.attempt == 1 and receipt_.status == "queued"
    assert list((mini_root.data_dir / "submissions").rglob("*.ipynb")), "stored before grading"
    grading = GradingStatus.model_validate(
        service.call("GET", f"{ADA}/grading", as_user="ada").json()
    )
    assert grading.grading == ["a"] and grading.queue.queued == 1

    assert grade_pending(mini_root, workers=1) == 1
    history = AttemptHistory.model_validate(
        service.call("GET", f"{ADA}/units/a/attempts", as_user="ada").json()
    )
    assert [(a.number, a.status) for a in history.attempts] == [(1, "graded")]
    feedback = Feedback.model_validate(
        service.call("GET", f"{ADA}/units/a/attempts/1/feedback", as_user="ada").json()
    )
    assert feedback.attempt == 1 and not feedback.mastered
    latest = service.call("GET", f"{ADA}/units/a/feedback", as_user="prof")
    assert Feedback.model_validate(latest.json()).attempt == 1, "staff read feedback"
    assert progress.dashboard_url is None, "a learner's panel links no dashboard"
    staff = Progress.model_validate(service.call("GET", f"{ADA}/progress", as_user="prof").json())
    assert staff.dashboard_url == f"{service.url}dashboard/mini/"
    gate = SolutionGate.model_validate(
        service.call("GET", f"{ADA}/units/a/solutions/q1", as_user="ada").json()
    )
    assert gate.unit_mastered is False and gate.allowed is False and "mastered" in gate.message
    learners = LearnerList.model_validate(
        service.call("GET", "api/courses/mini/learners", as_user="ta").json()
    )
    assert learners.learners == ["ada"]
    courses = CourseList.model_validate(service.call("GET", "api/courses", as_user="prof").json())
    assert [(c.id, c.roles) for c in courses.courses] == [("mini", ["teach"])]
    none = CourseList.model_validate(service.call("GET", "api/courses", as_user="stranger").json())
    assert none.courses == [], "a caller sees only the courses they have a role in"


def _event(**overrides: Any) -> dict[str, Any]:
    event = {
        "time": "2026-12-01T09:00:00Z",
        "course": "mini",
        "unit": "a",
        "question": "q1",
        "objective": "add",
        "event": "check",
        "outcome": "incorrect",
    }
    event.update(overrides)
    return event


def test_practice_is_stored_once_checked_and_read_by_staff(service: ServiceProcess) -> None:
    events = [_event(), _event(event="hint", outcome=None), _event(objective="nope")]
    first = PracticeIngest.model_validate(
        service.call("POST", f"{ADA}/practice", as_user="ada", json={"events": events}).json()
    )
    assert (first.stored, first.duplicates, first.rejected) == (2, 0, 1)
    assert any("nope" in p for p in first.problems)
    again = PracticeIngest.model_validate(
        service.call("POST", f"{ADA}/practice", as_user="ada", json={"events": events[:2]}).json()
    )
    assert (again.stored, again.duplicates) == (0, 2), "idempotent on re-send"
    too_long = _event(question="q" * 300)
    odd = service.call("POST", f"{ADA}/practice", as_user="ada", json={"events": [too_long]}).json()
    assert odd["rejected"] == 1 and odd["stored"] == 0
    summary = PracticeSummary.model_validate(
        service.call("GET", f"{ADA}/practice", as_user="prof").json()
    )
    assert summary.events == 2 and summary.objectives["add"] == {"check": 1, "hint": 1}
    assert {e.event for e in summary.latest} == {"check", "hint"}
    bobs = service.call("POST", f"{ADA}/practice", as_user="bob", json={"events": [_event()]})
    assert bobs.status_code == 403, "nobody posts practice in another learner's name"


def test_bad_requests_are_refused_in_words(service: ServiceProcess) -> None:
    unknown = service.call("GET", "api/courses/nope/learners/ada/progress", as_user="ada")
    assert unknown.status_code == 404 and unknown.json()["code"] == "unknown_course"
    garbage = service.call("POST", f"{ADA}/units/a/attempts", as_user="ada", content=b"{not json")
    assert garbage.status_code == 400 and garbage.json()["code"] == "invalid"
    bad64 = service.call(
        "POST",
        f"{ADA}/units/a/attempts",
        as_user="ada",
        json={"files": [{"path": NOTEBOOK_OF["a"], "data": "!!!"}]},
    )
    assert bad64.status_code == 400
    no_unit = service.call("POST", f"{ADA}/units/zzz/start", as_user="ada")
    assert no_unit.status_code == 404 and "no unit 'zzz'" in no_unit.json()["error"]
    none_yet = service.call("GET", f"{ADA}/units/a/feedback", as_user="ada")
    assert none_yet.status_code == 404 and none_yet.json()["code"] == "no_feedback"


def test_the_design_doc_shows_the_route_table() -> None:
    from pathlib import Path

    from mastery_nb.service.app import route_table_markdown

    design = (Path(__file__).resolve().parents[2] / "docs" / "design.md").read_text()
    assert route_table_markdown() in design, (
        "docs/design.md's service route table is stale: paste "
        "mastery_nb.service.app.route_table_markdown() into 'The mastery service'"
    )


def test_the_service_never_starts_open(mini_root: CourseRoot, tmp_path: object) -> None:
    """No hub and no token file: refused in one line, exit 2, before listening."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTERHUB", "MASTERY_NB"))}
    result = subprocess.run(
        [sys.executable, "-m", "mastery_nb", "service", "--root", str(mini_root.path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: mastery-nb service: no way to authenticate callers")
    assert "Traceback" not in result.stderr


def test_one_service_serves_courses_of_several_roots(mini_root: CourseRoot, tmp_path: Any) -> None:
    """Two course roots, one store: each course answers; staff scopes are per course."""
    import shutil

    from course_roots import FIXTURE_COURSES
    from service_process import start_service, stop_service

    from mastery_nb.cli import main as mastery_main

    other = tmp_path / "other-root"
    shutil.copytree(FIXTURE_COURSES / "clean-course", other / "courses" / "clean-course")
    assert mastery_main(["release", "clean-course", "--root", str(other)]) == 0
    running = start_service(
        tmp_path / "two",
        [mini_root.path, other, mini_root.path],
        data_dir=mini_root.data_dir,
        users={"ada": ["custom:mastery:learn"], "prof": ["custom:mastery:teach:clean-course"]},
        extra_args=("--no-grading",),
    )
    try:
        courses = CourseList.model_validate(
            running.call("GET", "api/courses", as_user="ada").json()
        )
        assert [c.id for c in courses.courses] == ["clean-course", "mini"]
        for course in ("mini", "clean-course"):
            answer = running.call(
                "GET", f"api/courses/{course}/learners/ada/progress", as_user="ada"
            )
            assert Progress.model_validate(answer.json()).course == course
        assert (
            running.call("GET", "api/courses/clean-course/learners", as_user="prof").status_code
            == 200
        )
        assert running.call("GET", "api/courses/mini/learners", as_user="prof").status_code == 403
    finally:
        stop_service(running)

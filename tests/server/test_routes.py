"""The /mastery/ routes against a real Jupyter server, a released course and a SQLite store."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import tornado.web
from mini_course import COURSE_ID, STUDENT
from tornado.httpclient import AsyncHTTPClient, HTTPResponse

from mastery_nb.root import CourseRoot
from mastery_nb.server.routes import ROUTES

pytestmark = pytest.mark.timeout(120)

BASICS_NB = "units/01-python-basics.ipynb"


async def call(
    jp_fetch: Any,
    *parts: str,
    method: str = "GET",
    body: Any = None,
    params: dict[str, str] | None = None,
) -> tuple[int, Any]:
    kwargs: dict[str, Any] = {"method": method, "raise_error": False, "params": params}
    if method != "GET":
        kwargs["body"] = json.dumps(body if body is not None else {})
    response: HTTPResponse = await jp_fetch(*parts, **kwargs)
    text = response.body.decode() if response.body else ""
    try:
        return response.code, json.loads(text)
    except json.JSONDecodeError:
        return response.code, text


def unit_of(progress: dict[str, Any], unit_id: str) -> dict[str, Any]:
    return next(u for u in progress["units"] if u["id"] == unit_id)


def _walk_rules(router: Any) -> list[tuple[str, type]]:
    """Every (regex, handler class) registered in a tornado router, recursively."""
    found: list[tuple[str, type]] = []
    for rule in getattr(router, "rules", []):
        target = rule.target
        if isinstance(target, type):
            regex = getattr(rule.matcher, "regex", None)
            if regex is not None:
                found.append((regex.pattern, target))
        else:
            found.extend(_walk_rules(target))
    return found


def _sample_url(pattern: str) -> str:
    """A concrete path matching a route regex: named groups become a real unit id."""
    path = re.sub(r"\(\?P<\w+>[^)]*\)(\{[^}]*\})?", "python-basics", pattern)
    return path.rstrip("$")


async def test_no_route_is_open(jp_serverapp: Any, jp_fetch: Any, jp_http_port: int) -> None:
    """Enumerate the server's handlers under /mastery/: every verb refuses an anonymous request."""
    rules = [
        (pattern, handler)
        for pattern, handler in _walk_rules(jp_serverapp.web_app.default_router)
        + _walk_rules(jp_serverapp.web_app.wildcard_router)
        if "/mastery/" in pattern
    ]
    assert {h for _, h in rules} == {h for _, h in ROUTES}, "every route of ROUTES is registered"
    assert len(rules) >= len(ROUTES)
    client = AsyncHTTPClient()
    checked = 0
    for pattern, handler in rules:
        path = _sample_url(pattern)
        assert "(" not in path, f"could not build a URL for {pattern}"
        for verb in ("GET", "POST", "PUT", "DELETE", "PATCH"):
            if getattr(handler, verb.lower()) is getattr(tornado.web.RequestHandler, verb.lower()):
                continue  # tornado's default answer (405), not a verb of ours
            url = f"http://127.0.0.1:{jp_http_port}{path}"
            response = await client.fetch(
                url,
                method=verb,
                body="{}" if verb in ("POST", "PUT", "PATCH") else None,
                raise_error=False,
                follow_redirects=False,
            )
            assert response.code in (302, 401, 403), (
                f"{verb} {path} answered {response.code} without auth"
            )
            if response.code == 302:
                assert "/login" in response.headers["Location"]
            checked += 1
    assert checked >= len(ROUTES) + 1  # practice has GET and POST
    # the same routes answer once authenticated, so the refusals above are about auth
    code, _ = await call(jp_fetch, "mastery", "api", "progress")
    assert code == 200


async def test_progress_lists_units_states_and_objectives(jp_fetch: Any) -> None:
    code, progress = await call(jp_fetch, "mastery", "api", "progress")
    assert code == 200
    assert progress["course"] == COURSE_ID and progress["student"] == STUDENT
    assert progress["course_title"] == "Mini course"
    assert [u["id"] for u in progress["units"]] == [
        "python-basics",
        "functions",
        "loops",
        "capstone",
    ]
    basics = unit_of(progress, "python-basics")
    assert basics["state"] == "unlocked" and basics["started"] is False
    assert basics["attempts_used"] == 0 and basics["attempts_left"] == 3
    assert [(o["id"], o["threshold"], o["score"], o["mastered"]) for o in basics["objectives"]] == [
        ("use-variables", 0.8, 0.0, False),
        ("work-with-strings", 0.8, 0.0, False),
    ]
    assert basics["notebooks"] == [{"path": BASICS_NB, "server_path": f"{COURSE_ID}/{BASICS_NB}"}]
    functions = unit_of(progress, "functions")
    assert functions["state"] == "locked" and functions["waits_for"] == ["python-basics"]
    assert functions["waits_for_titles"] == ["Python basics"]
    capstone = unit_of(progress, "capstone")
    assert sorted(capstone["waits_for"]) == ["functions", "loops"]


async def test_start_copies_the_unit_and_never_overwrites(jp_fetch: Any, workspace: Path) -> None:
    code, started = await call(
        jp_fetch, "mastery", "api", "units", "python-basics", "start", method="POST"
    )
    assert code == 200, started
    assert BASICS_NB in started["copied"] and "course.json" in started["copied"]
    assert not any(p.startswith("units/02") for p in started["copied"]), (
        "other units wait their turn"
    )
    notebook = workspace / BASICS_NB
    assert notebook.is_file()
    notebook.write_text("my work", encoding="utf-8")
    code, again = await call(
        jp_fetch, "mastery", "api", "units", "python-basics", "start", method="POST"
    )
    assert code == 200
    assert BASICS_NB in again["kept"] and again["copied"] == []
    assert notebook.read_text(encoding="utf-8") == "my work"
    code, progress = await call(jp_fetch, "mastery", "api", "progress")
    assert unit_of(progress, "python-basics")["started"] is True


async def test_starting_a_locked_unit_is_refused(jp_fetch: Any, workspace: Path) -> None:
    code, body = await call(
        jp_fetch, "mastery", "api", "units", "functions", "start", method="POST"
    )
    assert code == 409 and body["code"] == "locked"
    assert "Python basics" in body["error"]
    assert not (workspace / "units/02-functions.ipynb").exists()


async def test_unknown_unit_is_404_in_words(jp_fetch: Any) -> None:
    code, body = await call(jp_fetch, "mastery", "api", "units", "nope", "start", method="POST")
    assert code == 404 and "no unit 'nope'" in body["error"] and "python-basics" in body["error"]


async def test_submit_before_start_is_refused(jp_fetch: Any) -> None:
    code, body = await call(
        jp_fetch, "mastery", "api", "units", "python-basics", "submit", method="POST"
    )
    assert code == 409 and body["code"] == "not_started"
    assert "start the unit first" in body["error"]


async def test_submit_queues_an_attempt_and_reports_grading(
    jp_fetch: Any, course_root: CourseRoot
) -> None:
    await call(jp_fetch, "mastery", "api", "units", "python-basics", "start", method="POST")
    code, receipt = await call(
        jp_fetch, "mastery", "api", "units", "python-basics", "submit", method="POST"
    )
    assert code == 202, receipt
    assert receipt["attempt"] == 1 and receipt["status"] == "queued"
    assert receipt["attempts_used"] == 1 and receipt["attempts_left"] == 2
    stored = list((course_root.data_dir / "submissions").rglob("*.ipynb"))
    assert len(stored) == 1, "the submission is on disk in the data dir"
    code, progress = await call(jp_fetch, "mastery", "api", "progress")
    assert unit_of(progress, "python-basics")["state"] == "grading"
    code, grading = await call(jp_fetch, "mastery", "api", "grading")
    assert code == 200 and grading["grading"] == ["python-basics"]
    assert grading["grader"]["in_process"] is False and grading["queue"]["queued"] == 1


async def test_submitting_a_locked_unit_is_refused_without_using_an_attempt(
    jp_fetch: Any, workspace: Path, course_root: CourseRoot
) -> None:
    released = course_root.course_release(COURSE_ID) / "units/02-functions.ipynb"
    target = workspace / "units/02-functions.ipynb"
    target.parent.mkdir(parents=True)
    target.write_bytes(released.read_bytes())  # copied by hand, around the start route
    code, body = await call(
        jp_fetch, "mastery", "api", "units", "functions", "submit", method="POST"
    )
    assert code == 409 and body["code"] == "locked", body
    assert "python-basics" in body["error"] or "Python basics" in body["error"]
    code, progress = await call(jp_fetch, "mastery", "api", "progress")
    assert unit_of(progress, "functions")["attempts_used"] == 0
    assert not (course_root.data_dir / "submissions").exists() or not list(
        (course_root.data_dir / "submissions").rglob("*.ipynb")
    )


async def test_an_invalid_notebook_is_refused_with_the_reason(
    jp_fetch: Any, workspace: Path
) -> None:
    await call(jp_fetch, "mastery", "api", "units", "python-basics", "start", method="POST")
    (workspace / BASICS_NB).write_text("{ not json", encoding="utf-8")
    code, body = await call(
        jp_fetch, "mastery", "api", "units", "python-basics", "submit", method="POST"
    )
    assert code == 400 and body["code"] == "invalid", body
    assert BASICS_NB in body["error"]
    code, progress = await call(jp_fetch, "mastery", "api", "progress")
    assert unit_of(progress, "python-basics")["attempts_used"] == 0


async def test_attempts_past_the_limit_are_refused(jp_fetch: Any) -> None:
    await call(jp_fetch, "mastery", "api", "units", "python-basics", "start", method="POST")
    codes = []
    for _ in range(3):
        code, receipt = await call(
            jp_fetch, "mastery", "api", "units", "python-basics", "submit", method="POST"
        )
        codes.append((code, receipt.get("attempt")))
    assert codes == [(202, 1), (202, 2), (202, 3)]
    code, body = await call(
        jp_fetch, "mastery", "api", "units", "python-basics", "submit", method="POST"
    )
    assert code == 409 and body["code"] == "attempt_limit", body
    assert "3" in body["error"]


async def test_another_learners_feedback_is_refused(jp_fetch: Any) -> None:
    for parts in (
        ("mastery", "api", "units", "python-basics", "feedback"),
        ("mastery", "units", "python-basics", "feedback"),
        ("mastery", "api", "progress"),
    ):
        code, body = await call(jp_fetch, *parts, params={"student": "bob"})
        assert code == 403, (parts, code, body)
        text = body["error"] if isinstance(body, dict) else body
        assert "ada" in text and "bob" in text, text


async def test_feedback_before_any_attempt_is_404_in_words(jp_fetch: Any) -> None:
    code, body = await call(jp_fetch, "mastery", "api", "units", "python-basics", "feedback")
    assert code == 404 and body["code"] == "no_feedback" and body["error"]
    code, body = await call(
        jp_fetch, "mastery", "api", "units", "python-basics", "feedback", params={"attempt": "zero"}
    )
    assert code == 400


async def test_practice_events_are_ingested_once_and_bad_ones_named(
    jp_fetch: Any, workspace: Path, course_root: CourseRoot
) -> None:
    log = workspace / "units" / ".mastery-practice.jsonl"
    log.parent.mkdir(parents=True)
    good = {
        "time": "2026-11-22T09:00:00Z",
        "course": COURSE_ID,
        "unit": "python-basics",
        "question": "total",
        "objective": "use-variables",
        "event": "check",
        "outcome": "incorrect",
    }
    hint = {**good, "event": "hint", "outcome": None, "time": "2026-11-22T09:01:00Z"}
    bad = {**good, "objective": "no-such-objective"}
    log.write_text(
        "\n".join([json.dumps(good), json.dumps(hint), json.dumps(bad), "not json"]) + "\n"
    )
    code, result = await call(jp_fetch, "mastery", "api", "practice", method="POST")
    assert code == 200, result
    assert result["stored"] == 2 and result["duplicates"] == 0 and result["rejected"] == 2
    assert any("no-such-objective" in p for p in result["problems"])
    assert any("not valid JSON" in p for p in result["problems"])
    code, again = await call(jp_fetch, "mastery", "api", "practice", method="POST")
    assert again["stored"] == 0 and again["duplicates"] == 2
    posted = {**good, "time": "2026-11-22T09:02:00Z", "outcome": "correct"}
    code, result = await call(
        jp_fetch, "mastery", "api", "practice", method="POST", body={"events": [posted]}
    )
    assert result["stored"] == 1
    code, summary = await call(jp_fetch, "mastery", "api", "practice")
    assert summary["events"] == 3
    assert summary["objectives"]["use-variables"] == {"check": 2, "hint": 1, "correct": 1}
    from sqlalchemy import func, select

    from mastery_nb.store import open_store
    from mastery_nb.store.models import PracticeEventRow

    with open_store(course_root).read() as session:
        on_record = session.execute(
            select(PracticeEventRow.student_id, func.count()).group_by(PracticeEventRow.student_id)
        ).all()
    assert on_record == [(STUDENT, 3)], "stored in the database, beside the attempts"
    code, progress = await call(jp_fetch, "mastery", "api", "progress")
    assert unit_of(progress, "python-basics")["objectives"][0]["score"] == 0.0, (
        "practice never counts"
    )


@pytest.mark.parametrize("backend_kind", ["local"])
@pytest.mark.parametrize("mastery_config", [{"course_root": "/nonexistent/course-root"}])
async def test_a_server_without_a_course_still_runs_and_says_why(jp_fetch: Any) -> None:
    code, body = await call(jp_fetch, "mastery", "api", "progress")
    assert code == 503 and body["code"] == "no_course"
    assert "no released course" in body["error"] and "course_root" in body["error"]
    code, _ = await call(jp_fetch, "api", "status")
    assert code == 200, "the rest of the server works"


def _answer(workspace: Path, total: str, greeting: str) -> None:
    """Write the learner's answers into the started notebook, as JupyterLab would save them."""
    path = workspace / BASICS_NB
    nb = json.loads(path.read_text(encoding="utf-8"))
    answers = iter([total, greeting])
    for cell in nb["cells"]:
        if "YOUR CODE HERE" in "".join(cell["source"]) or cell["metadata"].get("nbgrader", {}).get(
            "solution"
        ):
            cell["source"] = next(answers)
    path.write_text(json.dumps(nb), encoding="utf-8")


async def _graded(jp_fetch: Any, unit_id: str, timeout: float = 90.0) -> dict[str, Any]:
    """Poll the progress route (as the sidebar does) until the unit is no longer grading."""
    import asyncio
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        code, progress = await call(jp_fetch, "mastery", "api", "progress")
        assert code == 200
        if unit_of(progress, unit_id)["state"] != "grading":
            return progress
        await asyncio.sleep(0.5)
    raise AssertionError(f"{unit_id} still grading after {timeout}s")


@pytest.mark.slow
@pytest.mark.parametrize("mastery_config", [{"grade_in_process": True}])
async def test_the_whole_loop_is_graded_inside_the_server(jp_fetch: Any, workspace: Path) -> None:
    """Start, fail, read feedback (JSON and HTML), fix, resubmit, master, unlock: no other command."""
    await call(jp_fetch, "mastery", "api", "units", "python-basics", "start", method="POST")
    _answer(workspace, "total = 3 + 5", "greeting = 'hello'")
    code, receipt = await call(
        jp_fetch, "mastery", "api", "units", "python-basics", "submit", method="POST"
    )
    assert code == 202 and receipt["attempt"] == 1
    code, grading = await call(jp_fetch, "mastery", "api", "grading")
    assert grading["grader"]["mode"] in ("in_process", "service")
    assert grading["grader"]["in_process"] is (grading["grader"]["mode"] == "in_process")
    progress = await _graded(jp_fetch, "python-basics")
    basics = unit_of(progress, "python-basics")
    assert basics["state"] == "in_progress"
    assert {o["id"]: o["mastered"] for o in basics["objectives"]} == {
        "use-variables": False,
        "work-with-strings": True,
    }
    assert unit_of(progress, "functions")["state"] == "locked"

    code, feedback = await call(jp_fetch, "mastery", "api", "units", "python-basics", "feedback")
    assert code == 200 and feedback["attempt"] == 1 and feedback["mastered"] is False
    assert [c["grade_id"] for c in feedback["failed_checks"]] == ["test-total"]
    code, page = await call(jp_fetch, "mastery", "units", "python-basics", "feedback")
    assert code == 200 and isinstance(page, str) and "<html" in page.lower()
    assert "Variables, step by step" in page, "correctives for the objective not mastered"
    assert "assert total == 7" not in page, "never the hidden test's source"
    response = await jp_fetch("mastery", "units", "python-basics", "feedback")
    assert "script-src" not in response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in response.headers["Content-Security-Policy"], (
        "no script runs in it"
    )

    _answer(workspace, "total = 3 + 4", "greeting = 'hello'")
    code, receipt = await call(
        jp_fetch, "mastery", "api", "units", "python-basics", "submit", method="POST"
    )
    assert code == 202 and receipt["attempt"] == 2
    progress = await _graded(jp_fetch, "python-basics")
    assert unit_of(progress, "python-basics")["state"] == "mastered"
    assert unit_of(progress, "functions")["state"] == "unlocked"
    assert unit_of(progress, "loops")["state"] == "unlocked"
    assert unit_of(progress, "capstone")["state"] == "locked"
    code, first = await call(
        jp_fetch, "mastery", "api", "units", "python-basics", "feedback", params={"attempt": "1"}
    )
    assert first["attempt"] == 1 and first["mastered"] is False, "earlier attempts stay readable"


async def test_the_kernel_asks_the_server_for_a_solution_gate(
    jp_fetch: Any, jp_serverapp: Any, jp_http_port: int
) -> None:
    """``after_mastery``: the kernel's token opens only the gate; the server asks the backend."""
    import asyncio
    import os

    from mastery_nb.checks.gating import ask_server

    token = jp_serverapp.web_app.settings["mastery"].kernel_token
    assert os.environ["MASTERY_NB_KERNEL_TOKEN"] == token, "kernels inherit it"
    assert os.environ["MASTERY_NB_SERVER_URL"].endswith(jp_serverapp.base_url)
    for name in ("MASTERY_NB_DB", "MASTERY_NB_DATA_DIR", "MASTERY_NB_ROOT"):
        assert name not in os.environ, f"{name} would tell a kernel where the store is"
    base = f"http://127.0.0.1:{jp_http_port}{jp_serverapp.base_url}mastery/api/units/python-basics"
    client = AsyncHTTPClient()
    answer = await client.fetch(
        f"{base}/solutions/q1", headers={"X-Mastery-Kernel-Token": token}, raise_error=False
    )
    assert answer.code == 200, answer.body
    gate = json.loads(answer.body)
    assert gate["kind"] == "solution_gate" and gate["unit_mastered"] is False
    forged = await client.fetch(
        f"{base}/solutions/q1", headers={"X-Mastery-Kernel-Token": "guess"}, raise_error=False
    )
    assert forged.code == 403
    other = await client.fetch(
        f"{base}/progress".replace("units/python-basics/progress", "progress"),
        headers={"X-Mastery-Kernel-Token": token},
        raise_error=False,
        follow_redirects=False,
    )
    assert other.code in (302, 401, 403), "the kernel token opens nothing else"
    loop = asyncio.get_running_loop()
    assert await loop.run_in_executor(None, ask_server, "python-basics") is False

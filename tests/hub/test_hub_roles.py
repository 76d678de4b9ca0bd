"""Roles from the hub's RBAC, against a real JupyterHub and its managed mastery service.

Tokens are minted by the hub for two learners and an instructor with the scopes a
student's server token carries (``c.Spawner.server_token_scopes``) or an instructor's
script asks for. Every route of the service is enumerated: none answers without a token,
and none lets learner A reach learner B's data.
"""

from __future__ import annotations

import base64
from typing import Any

import pytest
from hub_process import Hub
from mastery_fixtures import submission
from service_process import sample_path

from mastery_nb.root import CourseRoot
from mastery_nb.service.app import ROUTES, route_table
from mastery_nb.service.hub import service_access_scope

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

ACCESS = service_access_scope("mastery")
LEARN = "custom:mastery:learn"
BOB = {
    "course": "mini",
    "learner": "bob",
    "unit": "a",
    "attempt": "1",
    "question": "q1",
    "override": "1",
}


def _body(verb: str, path: str) -> bytes | None:
    if verb != "POST":
        return None
    return b'{"files": []}' if path.endswith("/attempts") else b'{"events": []}'


def test_every_route_needs_a_hub_token_and_keeps_learners_apart(hub: Hub) -> None:
    ada = hub.mint_token("ada", [ACCESS, LEARN])
    bob = hub.mint_token("bob", [ACCESS, LEARN])
    prof = hub.mint_token("prof", [ACCESS, "custom:mastery:teach:mini"])
    no_access = hub.mint_token("ada", [LEARN])  # not allowed to reach the service at all

    rows = []
    for pattern, handler in ROUTES:
        for verb in ("GET", "POST"):
            access = getattr(getattr(handler, verb.lower(), None), "__mastery_access__", None)
            if access is not None:
                rows.append((verb, sample_path(pattern, BOB), access))
    assert len(rows) == len(route_table())

    for verb, path, access in rows:
        body = _body(verb, path)
        anonymous = hub.service(verb, path, content=body)
        if path == "oauth_callback":
            assert anonymous.status_code == 400, "the login's end, and nothing else"
            continue
        if path == "login":  # a browser signs in through the hub, not with a token
            assert anonymous.status_code == 404
            continue
        if access == "public":
            assert anonymous.status_code == 200
            if path == "api/health":
                assert set(anonymous.json()) == {"kind", "status", "version"}
            else:
                assert anonymous.headers["Content-Type"].startswith("text/css")
            continue
        if path == "" or (path.startswith("dashboard/") and verb == "GET"):
            # a browser page sends the browser to the hub's login
            assert anonymous.status_code == 302, (verb, path)
            assert "/hub/api/oauth2/authorize" in anonymous.headers["Location"]
        else:
            assert anonymous.status_code == 401, (verb, path, anonymous.status_code)
        assert hub.service(verb, path, no_access, content=body).status_code == 403, (verb, path)
        as_bob = hub.service(verb, path, bob, content=body)
        as_ada = hub.service(verb, path, ada, content=body)
        if access == "caller":
            assert as_ada.status_code == 200
            continue
        assert as_ada.status_code == 403, (verb, path, as_ada.text)
        if access in ("staff", "teach"):
            assert as_bob.status_code == 403, (verb, path, "a learner is not staff")
        else:
            assert as_bob.status_code != 403, (verb, path, "bob reaches his own data")
        as_prof = hub.service(verb, path, prof, content=body)
        assert as_prof.status_code == (403 if access == "self" else as_prof.status_code)
        if access != "self":
            # 400: the empty body of a grade or an override; 404: no attempt or learner yet
            assert as_prof.status_code in (200, 400, 404), (verb, path, as_prof.text)


def test_a_learner_submits_and_the_instructor_reads_the_class(hub: Hub) -> None:
    ada = hub.mint_token("ada", [ACCESS, LEARN])
    prof = hub.mint_token("prof", [ACCESS, "custom:mastery:teach:mini"])
    ta = hub.mint_token("ta", [ACCESS, "custom:mastery:grade:mini"])
    start = hub.service("POST", "api/courses/mini/learners/ada/units/a/start", ada)
    assert start.status_code == 200, start.text
    root = CourseRoot.at(hub.folder.parent / "course-root")
    files = [
        {"path": p, "data": base64.b64encode(d).decode()} for p, d in submission(root, "a").items()
    ]
    submitted = hub.service(
        "POST", "api/courses/mini/learners/ada/units/a/attempts", ada, json={"files": files}
    )
    assert submitted.status_code == 202, submitted.text
    assert submitted.json()["student"] == "ada", "the hub token decides who submits"
    for staff in (prof, ta):
        learners = hub.service("GET", "api/courses/mini/learners", staff)
        assert learners.status_code == 200 and "ada" in learners.json()["learners"]
        progress = hub.service("GET", "api/courses/mini/learners/ada/progress", staff)
        assert progress.status_code == 200 and progress.json()["units"][0]["state"] == "grading"
    assert hub.service("GET", "api/courses/mini/learners", ada).status_code == 403
    courses = hub.service("GET", "api/courses", prof).json()
    assert courses["user"] == "prof" and courses["courses"][0]["roles"] == ["teach"]


def test_a_browser_logs_in_through_the_hub_and_reads_but_cannot_post(hub: Hub) -> None:
    """OAuth for browsers: service page -> hub login -> authorize -> callback -> signed in.

    No proxy runs, so the client sends /hub/ paths to the hub's port and /services/mastery/
    paths to the service's port, as the proxy would.
    """
    with hub.browser_signed_in("ada") as (browser, page):
        assert "Signed in as <strong>ada</strong>" in page.text and "mini: learner" in page.text
        mine = browser.get(f"{hub.service_url}api/courses/mini/learners/ada/progress")
        assert mine.status_code == 200 and mine.json()["student"] == "ada"
        theirs = browser.get(f"{hub.service_url}api/courses/mini/learners/bob/progress")
        assert theirs.status_code == 403
        forged = browser.post(
            f"{hub.service_url}api/courses/mini/learners/ada/practice", json={"events": []}
        )
        # HubOAuth ignores a cookie on a POST without its XSRF token (401); with one, our
        # rule refuses changes without an API token (403): never stored either way
        assert forged.status_code in (401, 403), "a cookie alone never changes anything"
        summary = hub.service(
            "GET", "api/courses/mini/learners/ada/practice", hub.mint_token("ada", [ACCESS, LEARN])
        )
        assert summary.json()["events"] == 0


def _browser_login(hub: Hub, user: str) -> tuple[Any, Any]:
    """A browser (httpx client with cookies) signed in to the service through the hub's
    OAuth, and the function that sends a path to the right port (no proxy runs)."""
    import re
    from urllib.parse import urljoin, urlparse

    import httpx

    hub_base = hub.hub_url.split("/hub/")[0]
    service_base = hub.service_url.split("/services/")[0]

    def route(url: str) -> str:
        parsed = urlparse(url)
        base = hub_base if parsed.path.startswith("/hub/") else service_base
        return base + parsed.path + (f"?{parsed.query}" if parsed.query else "")

    browser = httpx.Client(timeout=30, follow_redirects=False)
    first = browser.get(hub.service_url)
    login_page = browser.get(f"{hub.hub_url}login")
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', login_page.text)
    assert xsrf is not None
    browser.post(
        f"{hub.hub_url}login", data={"username": user, "password": "any", "_xsrf": xsrf.group(1)}
    )
    response = browser.get(route(urljoin(hub.service_url, first.headers["Location"])))
    for _ in range(8):
        if response.status_code not in (302, 303):
            break
        response = browser.get(route(urljoin(str(response.url), response.headers["Location"])))
    assert response.status_code == 200, response.text
    return browser, route


def test_a_students_browser_gets_403_on_every_dashboard_route(hub: Hub) -> None:
    """Signed in through the hub, a student's browser is refused every page and form of the
    dashboard (with the page's own XSRF token too); the instructor's reads them."""
    ada_browser, _ = _browser_login(hub, "ada")
    prof_browser, _ = _browser_login(hub, "prof")
    values = {**BOB, "learner": "ada"}
    checked = 0
    try:
        for pattern, handler in ROUTES:
            path = sample_path(pattern, values)
            if not path.startswith("dashboard/") or path.endswith(".css"):
                continue
            for verb in ("GET", "POST"):
                if (
                    getattr(getattr(handler, verb.lower(), None), "__mastery_access__", None)
                    is None
                ):
                    continue
                url = hub.service_url + path
                if verb == "GET":
                    refused = ada_browser.get(url)
                else:
                    xsrf = next(
                        (
                            c.value
                            for c in ada_browser.cookies.jar
                            if c.name == "_xsrf" and "services" in c.path
                        ),
                        "",
                    )
                    refused = ada_browser.post(url, data={"_xsrf": xsrf, "reason": "x"})
                assert refused.status_code == 403, (verb, path, refused.status_code)
                assert "forbidden" in refused.text and "ada" in refused.text
                checked += 1
        assert checked >= 12
        page = prof_browser.get(hub.service_url + "dashboard/mini/")
        assert page.status_code == 200 and "class dashboard" in page.text
        assert page.headers["Content-Security-Policy"].startswith("default-src 'none'")
    finally:
        ada_browser.close()
        prof_browser.close()

"""A class on a real JupyterHub: two students and an instructor, each with their own JupyterLab
running as their own OS user, the mastery service (a hub-managed service) on PostgreSQL.

What a class relies on, shown end to end (:mod:`class_hub` builds the hub):

- each student starts unit a, submits it once wrong and once right, and reads the feedback,
  all through the ``/mastery/`` routes of their own server, which asks the service with the
  student's hub token; the files the server writes belong to the student;
- units unlock per student: b and c open for the one who mastered a, not for the other;
- student A's token is refused (403) for B's progress, feedback, submissions and practice,
  straight against the service, both a token the hub mints for A and the one A's own
  server holds (read by a notebook cell, as hostile learner code would);
- a cell in A's kernel finds no database URL or credential in its environment or in any
  process's command line, cannot read ``autograder/``, ``courses/``, the service's data
  dir, the database's files or the hub's folder, and cannot log in to PostgreSQL;
- the instructor's token reads the class; the instructor's own server is a learner's.
"""

from __future__ import annotations

import json
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
from class_hub import COURSE, ClassHub, UserServer
from mastery_fixtures import CORRECT, HIDDEN_LINE

from mastery_nb.service.hub import service_access_scope

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.timeout(600)]

ACCESS = service_access_scope("mastery")
LEARN = "custom:mastery:learn"
NOTEBOOK = "units/a.ipynb"
WRONG = {"answer-add": "x = 1 + 2", "answer-greet": 'greeting = "hi"'}
GRADE_TIMEOUT = 120.0


def states(progress: dict[str, Any]) -> dict[str, str]:
    return {unit["id"]: unit["state"] for unit in progress["units"]}


def write_answers(server: UserServer, answers: dict[str, str]) -> None:
    """Fill unit a's solution cells through the server's contents API, as the editor saves."""
    path = f"api/contents/{COURSE}/{NOTEBOOK}"
    notebook = server.ok("GET", path, params={"content": "1"})["content"]
    for cell in notebook["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell["source"] = answers[grade_id]
    server.ok("PUT", path, json={"type": "notebook", "format": "json", "content": notebook})


def submit_and_wait(server: UserServer, attempt: int) -> dict[str, Any]:
    """Submit unit a through the learner's server; its progress once graded."""
    receipt = server.ok("POST", "mastery/api/units/a/submit", 202)
    assert receipt["attempt"] == attempt and receipt["student"] == server.name
    deadline = time.monotonic() + GRADE_TIMEOUT
    unit_a: dict[str, Any] = {}
    while time.monotonic() < deadline:
        progress = server.ok("GET", "mastery/api/progress")
        unit_a = progress["units"][0]
        if unit_a["last_attempt"] == attempt and unit_a["last_status"] == "graded":
            return dict(progress)
        time.sleep(0.5)
    raise AssertionError(
        f"{server.name}'s attempt {attempt} was not graded in {GRADE_TIMEOUT} s; unit a: {unit_a}"
        " (the service's log is the hub's: jupyterhub.log)"
    )


def feedback(server: UserServer) -> dict[str, Any]:
    return dict(server.ok("GET", "mastery/api/units/a/feedback"))


def test_students_learn_through_their_own_servers_and_the_instructor_reads_the_class(
    class_hub: ClassHub,
) -> None:
    ada, bob = class_hub.server("ada"), class_hub.server("bob")
    for student in (ada, bob):
        progress = student.ok("GET", "mastery/api/progress")
        assert progress["student"] == student.name, "the hub user is the learner"
        assert states(progress) == {"a": "unlocked", "b": "locked", "c": "locked"}
        started = student.ok("POST", "mastery/api/units/a/start")
        assert NOTEBOOK in started["copied"]
        os_user = class_hub.users[student.role]
        written = os_user.home / COURSE / NOTEBOOK
        assert written.stat().st_uid == os_user.uid, "the server runs as the student"
        write_answers(student, WRONG)
        graded = submit_and_wait(student, 1)
        assert states(graded)["a"] == "in_progress" and states(graded)["b"] == "locked"
        first = feedback(student)
        assert first["student"] == student.name and first["mastered"] is False
        assert [c["grade_id"] for c in first["failed_checks"]] == ["test-add"]
        assert HIDDEN_LINE not in json.dumps(first), "never the hidden test's source"

    # ada masters a: b and c unlock for her alone
    write_answers(ada, CORRECT[NOTEBOOK])
    graded = submit_and_wait(ada, 2)
    assert states(graded) == {"a": "mastered", "b": "unlocked", "c": "unlocked"}
    second = feedback(ada)
    assert second["attempt"] == 2 and second["unit_mastered"] is True
    assert {u["id"] for u in second["unlocked"]} == {"b", "c"}
    assert states(bob.ok("GET", "mastery/api/progress"))["b"] == "locked", "bob has not mastered a"

    write_answers(bob, CORRECT[NOTEBOOK])
    assert states(submit_and_wait(bob, 2)) == {"a": "mastered", "b": "unlocked", "c": "unlocked"}
    history = bob.ok("GET", "mastery/api/units/a/attempts")
    assert [a["number"] for a in history["attempts"]] == [1, 2]

    # practice goes to the service through the learner's own server, stored as theirs
    event = {
        "time": "2026-11-02T10:00:00Z",
        "course": COURSE,
        "unit": "a",
        "question": "q1",
        "objective": "add",
        "event": "check",
        "outcome": "incorrect",
    }
    assert ada.ok("POST", "mastery/api/practice", json={"events": [event]})["stored"] == 1
    assert ada.ok("GET", "mastery/api/practice")["events"] == 1

    # a learner's server serves its learner only, and the hub keeps servers apart
    asked = ada.call("GET", "mastery/api/progress", params={"student": bob.name})
    assert asked.status_code == 403
    as_ada = UserServer(bob.role, bob.name, bob.url, ada.token)
    assert as_ada.call("GET", "mastery/api/progress").status_code == 403, "bob's server is his"

    # the instructor's token reads the class: what each student did, attempt by attempt
    prof = class_hub.name("prof")
    staff = class_hub.hub.mint_token(prof, [ACCESS, f"custom:mastery:teach:{COURSE}"])
    learners = class_hub.hub.service("GET", f"api/courses/{COURSE}/learners", staff)
    assert learners.status_code == 200 and {ada.name, bob.name} <= set(learners.json()["learners"])
    for student in (ada, bob):
        path = f"api/courses/{COURSE}/learners/{student.name}"
        progress = class_hub.hub.service("GET", f"{path}/progress", staff).json()
        assert progress["student"] == student.name and states(progress)["a"] == "mastered"
        attempts = class_hub.hub.service("GET", f"{path}/units/a/attempts", staff).json()
        assert [a["number"] for a in attempts["attempts"]] == [1, 2]
        first = class_hub.hub.service("GET", f"{path}/units/a/attempts/1/feedback", staff).json()
        assert first["mastered"] is False and first["student"] == student.name
        forged = class_hub.hub.service(
            "POST", f"{path}/units/a/attempts", staff, json={"files": []}
        )
        assert forged.status_code == 403, "staff reads; it never acts as a learner"
    practice = class_hub.hub.service(
        "GET", f"api/courses/{COURSE}/learners/{ada.name}/practice", staff
    )
    assert practice.status_code == 200 and practice.json()["events"] == 1
    # the instructor's own JupyterLab is a learner's thin client like everyone's
    mine = class_hub.server("prof").ok("GET", "mastery/api/progress")
    assert mine["student"] == prof and mine["units"][0]["attempts_used"] == 0


def test_a_learner_token_cannot_reach_another_learners_data(class_hub: ClassHub) -> None:
    """Straight against the service, with a token the hub mints for ada as for her server."""
    ada, bob = class_hub.name("ada"), class_hub.name("bob")
    token = class_hub.hub.mint_token(ada, [ACCESS, LEARN])
    base = f"api/courses/{COURSE}/learners/{bob}"
    refused = {
        ("GET", f"{base}/progress"): None,
        ("GET", f"{base}/grading"): None,
        ("GET", f"{base}/practice"): None,
        ("POST", f"{base}/practice"): {"events": []},
        ("POST", f"{base}/units/a/start"): None,
        ("GET", f"{base}/units/a/attempts"): None,
        ("POST", f"{base}/units/a/attempts"): {"files": []},
        ("GET", f"{base}/units/a/feedback"): None,
        ("GET", f"{base}/units/a/attempts/1/feedback"): None,
        ("GET", f"{base}/units/a/solutions/q1"): None,
        ("GET", f"api/courses/{COURSE}/learners"): None,
    }
    for (verb, path), body in refused.items():
        answer = class_hub.hub.service(verb, path, token, json=body)
        assert answer.status_code == 403, (verb, path, answer.status_code, answer.text)
        assert answer.json()["code"] == "forbidden"
    own = class_hub.hub.service("GET", f"api/courses/{COURSE}/learners/{ada}/progress", token)
    assert own.status_code == 200 and own.json()["student"] == ada


#: run in ada's kernel: what hostile learner code can find and reach (printed as JSON)
PROBE = textwrap.dedent(
    """
    import json, os, urllib.error, urllib.request
    from pathlib import Path

    report = {"uid": os.getuid(), "env": dict(os.environ), "read": {}, "cmdlines": [],
              "environ_readable": [], "service": {}, "postgres": {}}

    def attempt(name, action):
        try:
            action()
            report["read"][name] = "ok"
        except PermissionError:
            report["read"][name] = "denied"
        except OSError as error:
            report["read"][name] = type(error).__name__

    for name, path in PATHS.items():
        attempt(name + ":list", lambda p=path: os.listdir(p))
    for name, path in FILES.items():
        attempt(name + ":open", lambda p=path: open(p, "rb").read(1))

    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                report["cmdlines"].append((proc / "cmdline").read_bytes().decode(errors="replace"))
            except OSError:
                pass
            try:
                (proc / "environ").read_bytes()
                if proc.stat().st_uid != os.getuid():
                    report["environ_readable"].append(proc.name)
            except OSError:
                pass

    token = os.environ["JUPYTERHUB_API_TOKEN"]
    service = os.environ["MASTERY_NB_SERVICE_URL"]
    for name, (verb, path, body) in CALLS.items():
        request = urllib.request.Request(service + path, method=verb,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": "token " + token, "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                report["service"][name] = answer.status
        except urllib.error.HTTPError as error:
            report["service"][name] = error.code

    import psycopg
    for name, options in LOGINS.items():
        try:
            psycopg.connect(**options, connect_timeout=10).close()
            report["postgres"][name] = "connected"
        except Exception as error:
            report["postgres"][name] = type(error).__name__ + ": " + str(error)[:200]
    print(json.dumps(report))
    """
)


def _secrets(class_hub: ClassHub) -> dict[str, str]:
    """What must never reach a learner: read here, as root."""
    from urllib.parse import urlparse

    service_env = dict(
        line.split("=", 1)
        for line in Path(f"/proc/{class_hub.service_pid()}/environ")
        .read_bytes()
        .decode()
        .split("\0")
        if "=" in line
    )
    settings = json.loads((class_hub.hub.folder / "hub-settings.json").read_text())
    assert settings["service_environment"]["MASTERY_NB_DB"] == class_hub.db_url
    return {
        "the database URL": class_hub.db_url,
        "the service's database password": str(urlparse(class_hub.db_url).password),
        "the PostgreSQL superuser's password": class_hub.postgres.password,
        "the service's hub token": service_env["JUPYTERHUB_API_TOKEN"],
        "the hub's admin token": class_hub.hub.admin_token,
        "the hub's cookie secret": (class_hub.hub.folder / "jupyterhub_cookie_secret")
        .read_text()
        .strip(),
    }


def test_a_learners_kernel_holds_no_secret_and_reaches_none(class_hub: ClassHub) -> None:
    ada, bob = class_hub.server("ada"), class_hub.name("bob")
    root, pg = class_hub.course_root, class_hub.postgres
    paths = {
        "release": root / "release" / COURSE,
        "autograder": root / "autograder",
        "courses": root / "courses",
        "data-dir": class_hub.data_dir,
        "database-files": pg.socket_dir / "data",
        "hub": class_hub.hub.folder,
        "bob-home": class_hub.users["bob"].home,
    }
    files = {
        "release-course": root / "release" / COURSE / "course.json",
        "bundle": root / "autograder" / COURSE / "course.json",
        "hub-config": class_hub.hub.folder / "jupyterhub_config.py",
        "hub-settings": class_hub.hub.folder / "hub-settings.json",
    }
    base = f"api/courses/{COURSE}/learners"
    calls = {
        "own-progress": ("GET", f"{base}/{ada.name}/progress", None),
        "bob-progress": ("GET", f"{base}/{bob}/progress", None),
        "bob-feedback": ("GET", f"{base}/{bob}/units/a/feedback", None),
        "bob-attempts": ("GET", f"{base}/{bob}/units/a/attempts", None),
        "bob-submit": ("POST", f"{base}/{bob}/units/a/attempts", {"files": []}),
        "bob-practice": ("GET", f"{base}/{bob}/practice", None),
        "bob-practice-post": ("POST", f"{base}/{bob}/practice", {"events": []}),
        "class": ("GET", base, None),
    }
    logins = {
        "superuser-over-tcp": {"host": "127.0.0.1", "port": pg.port, "user": "postgres",
                               "dbname": "postgres"},
        "superuser-over-socket": {"host": str(pg.socket_dir), "port": pg.port,
                                  "user": "postgres", "dbname": "postgres"},
        "as-ada-over-socket": {"host": str(pg.socket_dir), "port": pg.port,
                               "user": ada.name, "dbname": "postgres"},
    }  # fmt: skip
    given = {
        "PATHS": {k: str(v) for k, v in paths.items()},
        "FILES": {k: str(v) for k, v in files.items()},
        "CALLS": calls,
        "LOGINS": logins,
    }
    code = f"import json\nglobals().update(json.loads({json.dumps(given)!r}))\n" + PROBE
    report = json.loads(ada.run_cell(code).strip().splitlines()[-1])

    assert report["uid"] == class_hub.users["ada"].uid, "the kernel runs as ada"
    assert "can be read by other users" not in class_hub.hub.log.read_text(), (
        "the service finds its secrets closed to other users (mastery_nb.service.modes)"
    )
    env = report["env"]
    assert not [k for k in env if k.startswith("PG") or k in ("MASTERY_NB_DB", "DATABASE_URL")]
    assert not [k for k in env if k in ("MASTERY_NB_ROOT", "MASTERY_NB_DATA_DIR")]
    assert env["MASTERY_NB_BACKEND"] == "service" and env["JUPYTERHUB_USER"] == ada.name
    everything = json.dumps(env) + "\n".join(report["cmdlines"])
    for what, secret in _secrets(class_hub).items():
        assert secret not in everything, f"{what} is visible to ada's kernel"
    for marker in ("postgresql://", "sqlite:", str(class_hub.data_dir), str(root / "autograder")):
        assert marker not in json.dumps(env), f"{marker} in ada's kernel's environment"
    assert report["environ_readable"] == [], "another user's process environment"

    read = report["read"]
    assert read["release:list"] == "ok" and read["release-course:open"] == "ok", (
        "the public release is readable: the paths below are reachable, their modes refuse"
    )
    for name in ("autograder", "courses", "data-dir", "database-files", "hub", "bob-home"):
        assert read[f"{name}:list"] == "denied", (name, read)
    for name in ("bundle", "hub-config", "hub-settings"):
        assert read[f"{name}:open"] == "denied", (name, read)

    assert report["service"] == {
        "own-progress": 200,
        **{name: 403 for name in calls if name != "own-progress"},
    }
    for name, outcome in report["postgres"].items():
        assert outcome != "connected" and "password" in outcome.lower(), (name, outcome)

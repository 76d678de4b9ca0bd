"""``mastery-nb demo --hub``: a real JupyterHub on this machine, logged in to as a person would.

The demo runs as a command (its own process); the test reads the URL and the password it
prints, logs in with the hub's login form as a student and as the instructor (httpx,
following the hub's redirects and OAuth as a browser does), reads the student's progress
through her own JupyterLab and the class through the service, and stops the demo with
Ctrl+C: it must exit 0 and leave no process of its behind.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "server"))
from mini_course import COURSE_ID, build_mini_course

pytestmark = [pytest.mark.slow, pytest.mark.timeout(400)]

START_TIMEOUT = 200.0


def _lines(process: subprocess.Popen[str], sink: list[str]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        sink.append(line)


def _log_in(url: str, user: str, password: str) -> httpx.Client:
    """A browser-like client signed in to the hub (the login form and its XSRF field)."""
    client = httpx.Client(timeout=60, follow_redirects=True)
    form = client.get(f"{url}hub/login")
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', form.text)
    assert xsrf, form.text
    client.post(
        f"{url}hub/login",
        data={"username": user, "password": password, "_xsrf": xsrf.group(1)},
    )
    return client


def _processes_mentioning(text: str) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                argv = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if text in argv:
                found.append(f"{entry.name}: {argv}")
    return found


def test_demo_hub_logs_in_two_students_and_an_instructor(tmp_path: Path) -> None:
    source = build_mini_course(tmp_path / "source")
    scratch = tmp_path / "hub-demo"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MASTERY_NB", "JUPYTERHUB"))}
    command = [sys.executable, "-m", "mastery_nb", "demo", "--hub", "--no-browser"]
    command += ["--root", str(source.path), "--course", COURSE_ID, "--dir", str(scratch)]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=tmp_path
    )
    output: list[str] = []
    threading.Thread(target=_lines, args=(process, output), daemon=True).start()
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and "Ctrl+C stops everything" not in "".join(output):
            assert process.poll() is None, "".join(output)
            time.sleep(0.3)
        text = "".join(output)
        assert "Ctrl+C stops everything" in text, text
        url_match = re.search(r"^    (http://127\.0\.0\.1:\d+/)$", text, re.MULTILINE)
        password_match = re.search(r"each with the password (\S+)", text)
        assert url_match and password_match, text
        url, password = url_match.group(1), password_match.group(1)
        for name in ("ada", "bob", "prof"):
            assert re.search(rf"^\s+{name}\s", text, re.MULTILINE), f"how to log in as {name}"
        assert "does NOT isolate" in text and "docs/jupyterhub.md" in text
        # the service's secrets are its own: the hidden tests, the store
        root = scratch / "course-root"
        for private in (root / "autograder", root / ".mastery-data", scratch / "hub"):
            assert private.stat().st_mode & 0o077 == 0, f"{private} is readable by others"

        refused = _log_in(url, "ada", "not the password")
        assert refused.get(f"{url}hub/api/user").status_code in (401, 403)

        ada = _log_in(url, "ada", password)
        deadline = time.monotonic() + START_TIMEOUT
        lab = ada.get(f"{url}user/ada/lab")
        while "jupyter-config-data" not in lab.text and time.monotonic() < deadline:
            time.sleep(1)  # her JupyterLab is starting (the hub shows a "starting" page)
            lab = ada.get(f"{url}user/ada/lab")
        assert lab.status_code == 200 and "jupyter-config-data" in lab.text, lab.text[-2000:]
        progress = ada.get(f"{url}user/ada/mastery/api/progress")  # JupyterLab's own cookie
        assert progress.status_code == 200, progress.text[-2000:]
        mine = progress.json()
        assert mine["student"] == "ada" and mine["course"] == COURSE_ID
        assert mine["grading"]["mode"] == "service", "the service grades, not her server"
        assert [u["state"] for u in mine["units"]][:2] == ["unlocked", "locked"]
        assert ada.get(f"{url}services/mastery/").status_code == 200  # signs in to the service
        theirs = ada.get(f"{url}services/mastery/api/courses/{COURSE_ID}/learners/bob/progress")
        assert theirs.status_code == 403, "a student reads her own data only"

        prof = _log_in(url, "prof", password)
        home = prof.get(f"{url}services/mastery/")
        assert home.status_code == 200 and "Signed in as <strong>prof</strong>" in home.text
        assert f"{COURSE_ID}: learner, teach" in home.text
        read = prof.get(f"{url}services/mastery/api/courses/{COURSE_ID}/learners/ada/progress")
        assert read.status_code == 200 and read.json()["student"] == "ada"
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)  # Ctrl+C
        try:
            code = process.wait(timeout=90)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    assert code == 0, "".join(output)
    assert "demo: stopped" in "".join(output)
    deadline = time.monotonic() + 20
    while _processes_mentioning(str(scratch)) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _processes_mentioning(str(scratch)) == [], "the hub, the service, a server or the proxy"

"""``mastery-nb demo``: releases a course into a scratch root and serves it in JupyterLab."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from mini_course import COURSE_ID, build_mini_course

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]


def _lines(process: subprocess.Popen[str], sink: list[str]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        sink.append(line)


def test_demo_releases_into_a_scratch_root_and_serves_the_sidebar(tmp_path: Path) -> None:
    source = build_mini_course(tmp_path / "source")
    scratch = tmp_path / "demo"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MASTERY_NB")}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mastery_nb",
            "demo",
            "--no-browser",
            "--root",
            str(source.path),
            "--course",
            COURSE_ID,
            "--dir",
            str(scratch),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    output: list[str] = []
    reader = threading.Thread(target=_lines, args=(process, output), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 150
        url = None
        while time.monotonic() < deadline and url is None:
            assert process.poll() is None, "".join(output)
            match = re.search(r"(http://127\.0\.0\.1:\d+/)lab\?token=([0-9a-f]+)", "".join(output))
            if match:
                url = match
            time.sleep(0.2)
        assert url is not None, "".join(output)
        text = "".join(output)
        assert f"scratch course root in {scratch}" in text
        base, token = url.group(1), url.group(2)
        # released into the scratch root; the source root is untouched
        assert (scratch / "course-root" / "release" / COURSE_ID / "course.json").is_file()
        assert (scratch / "course-root" / "autograder" / COURSE_ID / "course.json").is_file()
        assert not (source.path / ".mastery-data").exists()
        request = urllib.request.Request(
            f"{base}mastery/api/progress", headers={"Authorization": f"token {token}"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            progress = json.loads(response.read())
        assert progress["course"] == COURSE_ID
        assert progress["grading"]["in_process"] is True, "the grader runs beside the server"
        assert [u["state"] for u in progress["units"]][:2] == ["unlocked", "locked"]
        with urllib.request.urlopen(f"{base}lab?token={token}", timeout=30) as response:
            assert b"mastery-nb" in response.read(), "JupyterLab loads the sidebar extension"
    finally:
        # SIGTERM (a closed terminal, a process manager) must stop JupyterLab too, not orphan it
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    assert code == 0, "".join(output)
    assert "demo: stopping JupyterLab" in "".join(output)
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{base}api/status", timeout=5)
    log = (scratch / "jupyterlab.log").read_text(errors="replace")
    assert "shutting down" in log.lower(), log[-2000:]


def test_demo_without_the_course_says_what_to_do(tmp_path: Path) -> None:
    # the sample course ships with mastery-nb; any other course must be in the course root
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mastery_nb",
            "demo",
            "--no-browser",
            "--course",
            "algebra",
            "--root",
            str(tmp_path),
            "--dir",
            str(tmp_path / "scratch"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "error:" in result.stderr and "courses/algebra/course.toml" in result.stderr
    assert "Fix: run `mastery-nb demo` in the mastery-nb repository" in result.stderr
    assert "Traceback" not in result.stderr

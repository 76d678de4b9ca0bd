"""`mastery-nb progress` on a real store: the JSON shape of the issue and a readable table."""

from __future__ import annotations

import json
import subprocess
import sys

from mastery_fixtures import COURSE, submission

from mastery_nb.grade.queue import grade_pending
from mastery_nb.progress import course_progress
from mastery_nb.root import CourseRoot
from mastery_nb.submit import submit_attempt


def _progress(root: CourseRoot, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mastery_nb",
            "progress",
            "--root",
            str(root.path),
            "--db",
            root.db_url,
            "--course",
            COURSE,
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_progress_json_shape_and_table(store_root: CourseRoot) -> None:
    fresh = course_progress(store_root, COURSE, "nobody-yet")
    assert [u["state"] for u in fresh["units"]] == ["unlocked", "locked", "locked"]
    submit_attempt(store_root, COURSE, "a", "ada", submission(store_root, "a"))
    grading = course_progress(store_root, COURSE, "ada")
    assert grading["units"][0]["state"] == "grading" and grading["units"][0][
        "pending_attempts"
    ] == [1]
    assert grade_pending(store_root, workers=1) == 1
    submit_attempt(
        store_root, COURSE, "c", "ada", submission(store_root, "c", {"answer-d": "d = {}"})
    )
    assert grade_pending(store_root, workers=1) == 1

    done = _progress(store_root, "--student", "ada", "--json")
    assert done.returncode == 0, done.stderr
    progress = json.loads(done.stdout)
    assert progress["course"] == COURSE and progress["student"] == "ada"
    units = {u["id"]: u for u in progress["units"]}
    for unit in units.values():
        assert {
            "id",
            "state",
            "waits_for",
            "attempts_used",
            "attempts_left",
            "cooldown_until",
            "objectives",
        } <= set(unit)
        for objective in unit["objectives"]:
            assert {"id", "score", "threshold", "mastered"} <= set(objective)
    assert units["a"]["state"] == "mastered" and units["b"]["state"] == "unlocked"
    c = units["c"]
    assert (c["state"], c["attempts_used"], c["attempts_left"]) == ("in_progress", 1, 1)
    assert (
        c["cooldown_until"] is not None
        and c["cooldown_until"].endswith("Z")
        and c["refusal"] == "cooldown"
    )
    assert c["objectives"] == [
        {
            "id": "dicts",
            "description": "Use a dict",
            "score": 0.0,
            "threshold": 0.8,
            "mastered": False,
            "best_score": 0.0,
            "latest_score": 0.0,
            "awaiting_review": False,
            "excused": False,
            "overridden": False,
            "mastered_at": None,
        }
    ]
    assert units["a"]["mastered_at"].endswith("Z") and units["a"]["awaiting_review"] is False

    table = _progress(store_root, "--student", "ada")
    assert table.returncode == 0
    lines = table.stdout.splitlines()
    assert any(line.startswith("a ") and "MASTERED" in line and "1/5" in line for line in lines)
    assert any(
        line.startswith("c ") and "in progress" in line and "cooldown until" in line
        for line in lines
    )
    assert any(
        line.strip().startswith("dicts") and "0%" in line and "80%" in line for line in lines
    )

    other = _progress(store_root, "--student", "bob")
    assert other.returncode == 2 and other.stdout == ""
    assert "course 'mini' has never seen a learner 'bob'" in other.stderr


def test_unknown_course_is_a_clear_error(mini_root: CourseRoot) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mastery_nb",
            "progress",
            "--root",
            str(mini_root.path),
            "--course",
            "nope",
            "--student",
            "ada",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (
        done.returncode == 2
        and "course 'nope' is not released" in done.stderr
        and "Traceback" not in done.stderr
    )

"""Feedback on real graded attempts: per objective, failed checks and their messages (never
hidden test source), correctives vs enrichment, units unlocked, attempts left; JSON and HTML."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from mastery_fixtures import COURSE, HIDDEN_LINE, submission

from mastery_nb.errors import MasteryError
from mastery_nb.feedback import attempt_feedback, render_feedback_html
from mastery_nb.grade.queue import grade_pending
from mastery_nb.root import CourseRoot
from mastery_nb.submit import submit_attempt

HALF_STRINGS = {"answer-greet": 'greeting = "Hi"'}  # fails the public check, passes the hidden one
#: passes the public `x == 2`, fails the hidden `x + 0 == 2`
SNEAKY_X = {
    "answer-add": "class X:\n    def __eq__(self, other): return True\n    def __add__(self, other): return 5\nx = X()"
}
#: a message carrying markup
SCRIPT_GREETING = {
    "answer-greet": "class G:\n    def __eq__(self, other): raise ValueError('<script>alert(1)</script>')\n"
    "    def upper(self): return 'HI'\ngreeting = G()"
}


def test_feedback_follows_attempts_and_unlocking(store_root: CourseRoot) -> None:
    submit_attempt(
        store_root, COURSE, "a", "ada", submission(store_root, "a", {**HALF_STRINGS, **SNEAKY_X})
    )
    assert grade_pending(store_root, workers=1) == 1
    first = attempt_feedback(store_root, COURSE, "ada", "a")
    assert (first["attempt"], first["status"], first["mastered"], first["unit_mastered"]) == (
        1,
        "graded",
        False,
        False,
    )
    objectives = {o["id"]: o for o in first["objectives"]}
    assert (objectives["add"]["score"], objectives["add"]["mastered"]) == (
        0.0,
        False,
    )  # one cell, hidden part failed
    assert (objectives["strings"]["score"], objectives["strings"]["threshold"]) == (0.5, 1.0)
    assert objectives["add"]["remediation"] == [
        {"title": "Adding, step by step", "href": "https://example.org/adding"}
    ]
    assert objectives["strings"]["remediation"] == [
        {"title": "Strings again", "href": "https://example.org/strings"}
    ]
    assert objectives["add"]["enrichment"] == []
    failed = {c["grade_id"]: c for c in first["failed_checks"]}
    assert set(failed) == {"test-add", "test-greet"}
    assert "greeting should be 'hi'" in failed["test-greet"]["message"]
    assert objectives["strings"]["failed_checks"] == ["test-greet"]
    text = json.dumps(first)
    assert "x + 0 == 2" not in text and HIDDEN_LINE not in text, "hidden test source never shows"
    assert first["unlocked"] == []
    assert (first["attempts_used"], first["attempts_left"], first["cooldown_until"]) == (1, 4, None)

    submit_attempt(store_root, COURSE, "a", "ada", submission(store_root, "a"))
    assert grade_pending(store_root, workers=1) == 1
    second = attempt_feedback(store_root, COURSE, "ada", "a")
    assert second["attempt"] == 2 and second["mastered"] and second["unit_mastered"]
    assert [u["id"] for u in second["unlocked"]] == ["b", "c"]
    by_id = {o["id"]: o for o in second["objectives"]}
    assert by_id["add"]["enrichment"] == [
        {"title": "More arithmetic", "href": "https://example.org/more"}
    ]
    assert by_id["add"]["remediation"] == [] and second["failed_checks"] == []
    assert (second["attempts_used"], second["attempts_left"]) == (2, 3)

    again = attempt_feedback(store_root, COURSE, "ada", "a", attempt=1)
    assert again["attempt"] == 1 and again["unlocked"] == [] and not again["unit_mastered"]
    with pytest.raises(MasteryError, match="has not submitted attempt 7"):
        attempt_feedback(store_root, COURSE, "ada", "a", attempt=7)


def test_feedback_of_a_queued_attempt_says_so(mini_root: CourseRoot) -> None:
    submit_attempt(mini_root, COURSE, "a", "ada", submission(mini_root, "a"))
    pending = attempt_feedback(mini_root, COURSE, "ada", "a")
    assert pending["status"] == "queued" and pending["state"] == "grading"
    assert all(not o["remediation"] and not o["enrichment"] for o in pending["objectives"])
    page = render_feedback_html(pending)
    assert "waiting to be graded" in page


def test_html_page_is_self_contained_and_escapes_messages(
    mini_root: CourseRoot, tmp_path: Path
) -> None:
    submit_attempt(mini_root, COURSE, "a", "ada", submission(mini_root, "a", SCRIPT_GREETING))
    assert grade_pending(mini_root, workers=1) == 1
    page_file = tmp_path / "feedback.html"
    base = [
        sys.executable,
        "-m",
        "mastery_nb",
        "feedback",
        "--root",
        str(mini_root.path),
        "--db",
        mini_root.db_url,
        "--course",
        COURSE,
        "--student",
        "ada",
        "--unit",
        "a",
    ]
    done = subprocess.run(
        [*base, "--html", str(page_file)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    page = page_file.read_text()
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "not yet mastered" in page and 'href="https://example.org/strings"' in page
    assert "You have used 1 attempt; 4 attempts left." in page
    assert "src=" not in page and "<link" not in page, "no external files"

    as_json = subprocess.run([*base, "--json"], capture_output=True, text=True, timeout=120)
    assert as_json.returncode == 0 and json.loads(as_json.stdout)["attempt"] == 1
    missing = subprocess.run([*base, "--attempt", "3"], capture_output=True, text=True, timeout=120)
    assert (
        missing.returncode == 2
        and missing.stderr.startswith("reading the feedback on attempt 3 of learner ")
        and missing.stderr.splitlines()[1].startswith("error: --attempt:")
        and "Traceback" not in missing.stderr
    )


def test_a_message_repeating_hidden_test_source_is_withheld(mini_root: CourseRoot) -> None:
    from mastery_nb.feedback.report import WITHHELD, hidden_lines, redact
    from mastery_nb.store.queries import load_released_unit

    hidden = hidden_lines(load_released_unit(mini_root, COURSE, "a"))
    assert HIDDEN_LINE in hidden
    message = f"AssertionError: hidden check of x\n  File cell 3, line 3\n    {HIDDEN_LINE}"
    assert (
        redact(message, hidden)
        == f"AssertionError: hidden check of x\n  File cell 3, line 3\n{WITHHELD}"
    )
    assert (
        redact("NameError: name 'x' is not defined", hidden) == "NameError: name 'x' is not defined"
    )


def test_tampering_is_restored_recorded_and_shown(mini_root: CourseRoot, tmp_path: Path) -> None:
    nb = json.loads(submission(mini_root, "a")["units/a.ipynb"])
    for cell in nb["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("grade_id") == "test-add":
            meta["points"] = 100
            cell["source"] = "pass  # tests deleted"
    submit_attempt(mini_root, COURSE, "a", "ada", {"units/a.ipynb": json.dumps(nb).encode()})
    assert grade_pending(mini_root, workers=1) == 1
    feedback = attempt_feedback(mini_root, COURSE, "ada", "a")
    assert feedback["points"] == 4.0 and feedback["max_points"] == 4.0, "graded as released"
    assert feedback["tampering"], "the restored tampering is recorded"
    assert "Restored from the original" in render_feedback_html(feedback)

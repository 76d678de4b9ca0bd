"""The grading queue with the real grader: every attempt graded once, results in one
transaction, stale claims taken over, poison attempts end as grader errors that use no
attempt (SQLite and PostgreSQL)."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import timedelta

from mastery_fixtures import COURSE, result_counts, submission
from sqlalchemy import select, update

from mastery_nb.grade.queue import (
    MAX_CLAIMS,
    GradingLoop,
    claim_next,
    grade_pending,
    queue_counts,
    record_result,
    retry_errors,
)
from mastery_nb.grade.result import AttemptResult, CellResult, ObjectiveResult
from mastery_nb.progress import course_progress
from mastery_nb.root import CourseRoot
from mastery_nb.store import AttemptRow, open_store, utcnow
from mastery_nb.store.queries import load_released_course
from mastery_nb.submit import submit_attempt

WRONG_GREETING = {"answer-greet": 'greeting = "Hi"'}  # fails the public test, passes the hidden one


def rows(root: CourseRoot) -> dict[tuple[str, str, int], AttemptRow]:
    with open_store(root).read() as session:
        return {
            (a.student_id, a.unit_id, a.number): a
            for a in session.execute(select(AttemptRow)).scalars()
        }


def test_grade_pending_grades_each_attempt_once_and_progress_follows(
    store_root: CourseRoot,
) -> None:
    submit_attempt(store_root, COURSE, "a", "ada", submission(store_root, "a"))
    submit_attempt(store_root, COURSE, "a", "bob", submission(store_root, "a", WRONG_GREETING))
    submit_attempt(store_root, COURSE, "a", "cara", submission(store_root, "a", correct=False))
    assert grade_pending(store_root, workers=2) == 3
    assert grade_pending(store_root, workers=2) == 0, "nothing is graded twice"
    graded = rows(store_root)
    assert {k: (r.status, r.points, r.max_points, r.mastered) for k, r in graded.items()} == {
        ("ada", "a", 1): ("graded", 4.0, 4.0, True),
        ("bob", "a", 1): ("graded", 3.0, 4.0, False),
        ("cara", "a", 1): ("graded", 0.0, 4.0, False),
    }
    assert set(result_counts(store_root).values()) == {(3, 2)}, (
        "3 graded cells and 2 objectives per attempt"
    )
    assert all(
        r.claim_token is None and r.lease_until is None and r.claims == 1 for r in graded.values()
    )

    ada = course_progress(store_root, COURSE, "ada")
    assert [(u["id"], u["state"]) for u in ada["units"]] == [
        ("a", "mastered"),
        ("b", "unlocked"),
        ("c", "unlocked"),
    ]
    bob = course_progress(store_root, COURSE, "bob")
    a = bob["units"][0]
    assert a["state"] == "in_progress"
    assert [(o["id"], o["score"], o["mastered"]) for o in a["objectives"]] == [
        ("add", 1.0, True),
        ("strings", 0.5, False),
    ]
    assert bob["units"][1]["waits_for"] == ["a"]
    assert bob["units"][1]["waits_for_objectives"] == [{"unit": "a", "objective": "strings"}]
    assert queue_counts(store_root) == {"queued": 0, "grading": 0, "graded": 3, "grader-error": 0}


def test_a_stale_claim_is_taken_over_and_the_old_grader_cannot_record(
    store_root: CourseRoot,
) -> None:
    submit_attempt(store_root, COURSE, "a", "ada", submission(store_root, "a"))
    store = open_store(store_root)
    stale = claim_next(store, lease_seconds=1)
    assert stale is not None
    assert claim_next(store) is None, "a claimed attempt under lease is not claimable"
    time.sleep(1.2)
    assert grade_pending(store_root, workers=1) == 1
    course = load_released_course(store_root, COURSE)
    late = AttemptResult(
        cells=(CellResult("units/a.ipynb", "test-add", 0.0, 2.0, ("add",), "failed"),),
        objectives=(ObjectiveResult("add", 0.0, 2.0, 0.8),),
    )
    assert record_result(store, stale, course, late) is None, (
        "the killed grader's late result is dropped"
    )
    attempt = rows(store_root)[("ada", "a", 1)]
    assert (attempt.status, attempt.points, attempt.claims) == ("graded", 4.0, 2)
    assert list(result_counts(store_root).values()) == [(3, 2)]


def test_an_attempt_that_keeps_killing_graders_ends_a_grader_error_and_uses_no_attempt(
    store_root: CourseRoot,
) -> None:
    submit_attempt(store_root, COURSE, "a", "ada", submission(store_root, "a"))
    with open_store(store_root).write() as session:
        session.execute(
            update(AttemptRow).values(
                status="grading",
                claims=MAX_CLAIMS,
                claim_token="dead",
                lease_until=utcnow() - timedelta(seconds=1),
            )
        )
    assert grade_pending(store_root, workers=1) == 0
    attempt = rows(store_root)[("ada", "a", 1)]
    assert attempt.status == "grader-error" and "never finished" in (attempt.error or "")
    unit = course_progress(store_root, COURSE, "ada")["units"][0]
    assert (unit["attempts_used"], unit["state"], unit["cooldown_until"]) == (0, "unlocked", None)
    assert unit["grading_problem"]["final"] is True
    assert unit["grading_problem"]["message"].startswith("grading failed, not your answers")
    assert "never finished" in unit["grading_problem"]["cause"]
    assert retry_errors(store_root) == 1
    assert grade_pending(store_root, workers=1) == 1
    assert rows(store_root)[("ada", "a", 1)].status == "graded"


def test_a_changed_stored_notebook_is_a_grader_error(mini_root: CourseRoot) -> None:
    submit_attempt(mini_root, COURSE, "a", "ada", submission(mini_root, "a"))
    stored = mini_root.data_dir / "submissions" / COURSE / "ada" / "a" / "1" / "units" / "a.ipynb"
    stored.write_bytes(stored.read_bytes().replace(b"x = 1 + 1", b"x = 2 + 0"))
    assert grade_pending(mini_root, workers=1) == 0
    attempt = rows(mini_root)[("ada", "a", 1)]
    assert attempt.status == "grader-error"
    assert "changed after it was submitted" in (attempt.error or "")


def test_grading_loop_grades_on_wake_and_stops(mini_root: CourseRoot) -> None:
    done: list[str] = []
    loop = GradingLoop(
        mini_root, workers=1, poll_seconds=60, on_done=lambda d: done.append(d.status)
    )
    loop.start()
    try:
        submit_attempt(mini_root, COURSE, "a", "ada", submission(mini_root, "a"))
        loop.wake()
        deadline = time.monotonic() + 60
        while not done and time.monotonic() < deadline:
            time.sleep(0.1)
        assert done == ["graded"]
        submit_attempt(mini_root, COURSE, "b", "ada", submission(mini_root, "b"))
        loop.wake()
        deadline = time.monotonic() + 60
        while len(done) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert done == ["graded", "graded"], "the dependant unlocked at once and was graded"
    finally:
        loop.stop(timeout=60)
    assert not loop.running
    assert rows(mini_root)[("ada", "b", 1)].mastered is True


def test_grade_cli_reports_and_filters_by_course(mini_root: CourseRoot) -> None:
    submit_attempt(mini_root, COURSE, "a", "ada", submission(mini_root, "a", WRONG_GREETING))
    base = [
        sys.executable,
        "-m",
        "mastery_nb",
        "grade",
        "--root",
        str(mini_root.path),
        "--db",
        mini_root.db_url,
    ]
    unknown = subprocess.run(
        [*base, "--course", "nope"], capture_output=True, text=True, timeout=120
    )
    assert unknown.returncode == 2 and "course 'nope' is not released" in unknown.stderr
    done = subprocess.run(
        [*base, "--workers", "1", "--course", COURSE], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "graded ada mini/a attempt 1: 3/4 points, 1/2 objectives mastered" in done.stdout
    assert "graded 1 attempt(s); queue: 0 queued, 0 being graded, 0 grader error(s)" in done.stdout


def _grade_process(root: CourseRoot, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mastery_nb",
            "grade",
            "--root",
            str(root.path),
            "--db",
            root.db_url,
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_graders_at_once_grade_each_attempt_exactly_once(store_root: CourseRoot) -> None:
    students = [f"s{i}" for i in range(6)]
    for student in students:
        submit_attempt(store_root, COURSE, "a", student, submission(store_root, "a"))
    graders = [_grade_process(store_root, "--workers", "1") for _ in range(2)]
    outputs = [g.communicate(timeout=300) for g in graders]
    assert [g.returncode for g in graders] == [0, 0], [o[1] for o in outputs]
    graded_lines = [
        line for out, _ in outputs for line in out.splitlines() if line.startswith("graded s")
    ]
    assert sorted(line.split()[1] for line in graded_lines) == students, (
        "each attempt reported once"
    )
    attempts = rows(store_root)
    assert {(r.status, r.claims, r.points) for r in attempts.values()} == {("graded", 1, 4.0)}
    assert (
        set(result_counts(store_root).values()) == {(3, 2)} and len(result_counts(store_root)) == 6
    )


def test_grade_watch_grades_new_attempts_and_stops_on_sigterm(mini_root: CourseRoot) -> None:
    import signal

    watcher = _grade_process(mini_root, "--watch", "--workers", "1", "--poll", "0.3")
    try:
        time.sleep(1.0)
        submit_attempt(mini_root, COURSE, "a", "ada", submission(mini_root, "a"))
        deadline = time.monotonic() + 120
        while rows(mini_root)[("ada", "a", 1)].status != "graded":
            assert time.monotonic() < deadline and watcher.poll() is None
            time.sleep(0.2)
    finally:
        watcher.send_signal(signal.SIGTERM)
        out, err = watcher.communicate(timeout=60)
    assert watcher.returncode == 0, err
    assert "graded ada mini/a attempt 1: 4/4 points" in out


def test_a_one_off_run_starts_its_pool_for_the_waiting_units_and_another_for_a_later_unit(
    mini_root: CourseRoot, monkeypatch
) -> None:
    """``grade_pending`` warms only what the waiting attempts' units import; an attempt of
    another unit queued while it runs is graded by a pool started for every unit."""
    import mastery_nb.grade.queue as queue

    started: list[object] = []
    real_make_pool = queue.make_pool

    def recording_make_pool(*args, **kwargs):  # the real pool; only its `units` is noted
        started.append(kwargs.get("units"))
        return real_make_pool(*args, **kwargs)

    monkeypatch.setattr(queue, "make_pool", recording_make_pool)
    submit_attempt(mini_root, COURSE, "a", "ada", submission(mini_root, "a"))
    done: list[str] = []

    def on_done(graded) -> None:
        done.append(f"{graded.unit_id}:{graded.status}")
        if len(done) == 1:  # unit a mastered: b unlocks, and is queued during the run
            submit_attempt(mini_root, COURSE, "b", "ada", submission(mini_root, "b"))

    assert grade_pending(mini_root, workers=1, on_done=on_done) == 2
    assert done == ["a:graded", "b:graded"]
    assert started == [{(COURSE, "a")}, None]
    assert rows(mini_root)[("ada", "b", 1)].mastered

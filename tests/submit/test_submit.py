"""Submitting: durable storage first, numbering, refusals that use no attempt (SQLite and PostgreSQL)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from mastery_fixtures import COURSE, submission
from sqlalchemy import func, select

from mastery_nb.errors import EXIT_BAD_INPUT, EXIT_REFUSED, SubmissionRefused
from mastery_nb.root import CourseRoot
from mastery_nb.store import AttemptRow, open_store
from mastery_nb.store.models import CellResultRow, ObjectiveResultRow
from mastery_nb.submit import InvalidSubmission, submit_attempt

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc)


def attempts(root: CourseRoot) -> list[tuple[str, str, int, str]]:
    with open_store(root).read() as session:
        rows = session.execute(
            select(
                AttemptRow.student_id, AttemptRow.unit_id, AttemptRow.number, AttemptRow.status
            ).order_by(AttemptRow.id)
        ).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def mark_graded(
    root: CourseRoot, student: str, unit: str, number: int, scores: dict[str, tuple[float, float]]
) -> None:
    """Record a grading outcome directly (the queue's own tests grade for real)."""
    store = open_store(root)
    with store.write() as session:
        row = session.execute(
            select(AttemptRow).where(
                AttemptRow.student_id == student,
                AttemptRow.unit_id == unit,
                AttemptRow.number == number,
            )
        ).scalar_one()
        row.status = "graded"
        for objective, (points, max_points) in scores.items():
            session.add(
                ObjectiveResultRow(
                    attempt_id=row.id,
                    objective=objective,
                    points=points,
                    max_points=max_points,
                    threshold=0.8,
                    mastered=points / max_points >= 0.8,
                )
            )
            session.add(
                CellResultRow(
                    attempt_id=row.id,
                    notebook="n",
                    grade_id=objective,
                    position=0,
                    points=points,
                    max_points=max_points,
                    objectives=[objective],
                    status="passed",
                    message="",
                )
            )


def test_submission_is_stored_durably_with_its_hash_and_queued(store_root: CourseRoot) -> None:
    files = submission(store_root, "a")
    receipt = submit_attempt(store_root, COURSE, "a", "ada", files, now=T0)
    assert (receipt.attempt, receipt.status, receipt.attempts_used, receipt.attempts_left) == (
        1,
        "queued",
        1,
        4,
    )
    stored = store_root.data_dir / "submissions" / COURSE / "ada" / "a" / "1" / "units" / "a.ipynb"
    assert stored.read_bytes() == files["units/a.ipynb"]
    digest = hashlib.sha256(files["units/a.ipynb"]).hexdigest()
    assert receipt.notebooks == {"units/a.ipynb": digest}
    with open_store(store_root).read() as session:
        row = session.execute(select(AttemptRow)).scalar_one()
    assert (row.number, row.status, row.notebooks, row.submitted_at) == (
        1,
        "queued",
        {"units/a.ipynb": digest},
        T0,
    )
    assert not list(stored.parent.glob(".*.tmp")), "no temporary file is left behind"
    second = submit_attempt(store_root, COURSE, "a", "ada", files, now=T0 + timedelta(seconds=1))
    assert second.attempt == 2 and second.attempts_left == 3
    assert receipt.to_json()["submitted_at"] == "2026-11-22T09:00:00Z"


def test_locked_unit_is_refused_naming_what_it_waits_for(store_root: CourseRoot) -> None:
    with pytest.raises(SubmissionRefused) as refused:
        submit_attempt(store_root, COURSE, "b", "ada", submission(store_root, "b"), now=T0)
    assert refused.value.code == "locked" and refused.value.exit_code == EXIT_REFUSED
    assert (
        "\u201cUnit B\u201d is locked: it waits for \u201cUnit A\u201d (not yet mastered: Add numbers; "
        "Build strings)" in refused.value.reason
    )
    assert attempts(store_root) == []
    assert not (store_root.data_dir / "submissions" / COURSE / "ada" / "b").exists()


def test_unlocking_lets_the_dependant_in(store_root: CourseRoot) -> None:
    submit_attempt(store_root, COURSE, "a", "ada", submission(store_root, "a"), now=T0)
    mark_graded(store_root, "ada", "a", 1, {"add": (2.0, 2.0), "strings": (2.0, 2.0)})
    receipt = submit_attempt(store_root, COURSE, "b", "ada", submission(store_root, "b"), now=T0)
    assert receipt.attempt == 1


def test_cooldown_and_attempt_limit_refuse_without_using_an_attempt(store_root: CourseRoot) -> None:
    submit_attempt(store_root, COURSE, "a", "ada", submission(store_root, "a"), now=T0)
    mark_graded(store_root, "ada", "a", 1, {"add": (2.0, 2.0), "strings": (2.0, 2.0)})
    first = submit_attempt(store_root, COURSE, "c", "ada", submission(store_root, "c"), now=T0)
    assert first.cooldown_until == T0 + timedelta(hours=1) and first.attempts_left == 1
    with pytest.raises(SubmissionRefused) as refused:
        submit_attempt(
            store_root,
            COURSE,
            "c",
            "ada",
            submission(store_root, "c"),
            now=T0 + timedelta(minutes=59),
        )
    assert refused.value.code == "cooldown"
    assert refused.value.reason == (
        "\u201cUnit C\u201d is cooling down after your last attempt: you can submit it again in 1 min"
    ), "the title and a duration: no id, no ISO time"
    second = submit_attempt(
        store_root, COURSE, "c", "ada", submission(store_root, "c"), now=T0 + timedelta(hours=1)
    )
    assert second.attempt == 2 and second.attempts_left == 0
    with pytest.raises(SubmissionRefused) as limit:
        submit_attempt(
            store_root, COURSE, "c", "ada", submission(store_root, "c"), now=T0 + timedelta(hours=3)
        )
    assert limit.value.code == "attempt_limit" and "all 2 of its attempts" in limit.value.reason
    assert [a[2] for a in attempts(store_root) if a[1] == "c"] == [1, 2]


@pytest.mark.parametrize(
    ("content", "code", "words"),
    [
        (b"{not json", "invalid", "not valid JSON (line 1"),
        (b"\xff\xfe\x00", "invalid", "not UTF-8"),
        (b'{"hello": "world"}', "invalid", "not a Jupyter notebook"),
        (b"[1, 2]", "invalid", "not a Jupyter notebook"),
    ],
)
def test_invalid_notebooks_are_refused_as_bad_input(
    store_root: CourseRoot, content: bytes, code: str, words: str
) -> None:
    with pytest.raises(InvalidSubmission) as refused:
        submit_attempt(store_root, COURSE, "a", "ada", {"units/a.ipynb": content}, now=T0)
    assert refused.value.code == code and refused.value.exit_code == EXIT_BAD_INPUT
    assert refused.value.reason.startswith("units/a.ipynb: ") and words in refused.value.reason
    assert "Fix: " in refused.value.reason
    assert attempts(store_root) == []


def test_wrong_unknown_and_missing_notebooks_are_refused(store_root: CourseRoot) -> None:
    other = submission(store_root, "b")["units/b.ipynb"]
    with pytest.raises(InvalidSubmission, match="not the notebook of unit 'a'") as wrong:
        submit_attempt(store_root, COURSE, "a", "ada", {"units/a.ipynb": other}, now=T0)
    assert wrong.value.code == "wrong_notebook"
    with pytest.raises(InvalidSubmission, match="holds none of unit 'a''s notebooks"):
        submit_attempt(store_root, COURSE, "a", "ada", {"units/../../x.ipynb": other}, now=T0)
    with pytest.raises(InvalidSubmission, match="holds none of unit 'a''s notebooks"):
        submit_attempt(store_root, COURSE, "a", "ada", {}, now=T0)
    with pytest.raises(InvalidSubmission, match="no unit 'zz'") as unknown:
        submit_attempt(store_root, COURSE, "zz", "ada", {}, now=T0)
    assert unknown.value.code == "unknown"
    with pytest.raises(InvalidSubmission, match="not released") as course:
        submit_attempt(store_root, "nope", "a", "ada", {}, now=T0)
    assert course.value.code == "unknown"
    for student in ("", "../etc", "a/b", ".hidden", "with space"):
        with pytest.raises(InvalidSubmission, match="cannot be a student id"):
            submit_attempt(store_root, COURSE, "a", student, submission(store_root, "a"), now=T0)
    assert attempts(store_root) == []


def test_submit_reads_only_the_public_release(mini_root: CourseRoot) -> None:
    """What submit checks (notebooks, grade ids) is in release/<course>/course.json."""
    import shutil

    other = submission(mini_root, "b")["units/b.ipynb"]
    shutil.rmtree(mini_root.course_bundle(COURSE))  # no grading bundle at all
    with pytest.raises(InvalidSubmission, match="not the notebook of unit 'a'"):
        submit_attempt(mini_root, COURSE, "a", "ada", {"units/a.ipynb": other}, now=T0)
    receipt = submit_attempt(mini_root, COURSE, "a", "ada", submission(mini_root, "a"), now=T0)
    assert receipt.attempt == 1 and receipt.status == "queued"


def test_tampered_but_readable_notebook_and_old_nbformat_are_accepted(
    store_root: CourseRoot,
) -> None:
    nb = json.loads(submission(store_root, "a")["units/a.ipynb"])
    for cell in nb["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade"):
            cell["metadata"]["nbgrader"]["points"] = 1000  # the grader restores it
            cell["metadata"]["nbgrader"]["grade"] = "yes"
    receipt = submit_attempt(
        store_root, COURSE, "a", "ada", {"units/a.ipynb": json.dumps(nb).encode()}, now=T0
    )
    assert receipt.attempt == 1
    v3 = {
        "nbformat": 3,
        "nbformat_minor": 0,
        "metadata": {},
        "worksheets": [
            {
                "cells": [
                    {
                        "cell_type": "code",
                        "input": "x = 2",
                        "language": "python",
                        "outputs": [],
                        "metadata": {},
                    }
                ],
                "metadata": {},
            }
        ],
    }
    assert (
        submit_attempt(
            store_root, COURSE, "a", "ada", {"units/a.ipynb": json.dumps(v3).encode()}, now=T0
        ).attempt
        == 2
    )


def test_concurrent_submissions_get_distinct_consecutive_numbers(store_root: CourseRoot) -> None:
    files = submission(store_root, "a")
    open_store(store_root)
    numbers: list[int] = []
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            numbers.append(submit_attempt(store_root, COURSE, "a", "ada", files).attempt)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=submit) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == [1, 2, 3, 4, 5]
    with open_store(store_root).read() as session:
        assert session.execute(select(func.count()).select_from(AttemptRow)).scalar() == 5
    for number in range(1, 6):
        assert (
            store_root.data_dir
            / "submissions"
            / COURSE
            / "ada"
            / "a"
            / str(number)
            / "units"
            / "a.ipynb"
        ).is_file()


def _cli(
    root: CourseRoot, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        [sys.executable, "-m", "mastery_nb", *args, "--root", str(root.path), "--db", root.db_url],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def test_cli_submit_json_default_student_and_exit_codes(
    mini_root: CourseRoot, tmp_path: Path
) -> None:
    notebook = tmp_path / "a.ipynb"
    notebook.write_bytes(submission(mini_root, "a")["units/a.ipynb"])
    done = _cli(
        mini_root,
        "submit",
        str(notebook),
        "--course",
        COURSE,
        "--unit",
        "a",
        "--json",
        env={"JUPYTERHUB_USER": "hubuser"},
    )
    assert done.returncode == 0, done.stderr
    # stderr says whom the learner was taken to be; stdout is the receipt alone
    assert done.stderr == (
        f"submitting a.ipynb as learner 'hubuser' to unit 'a' of course {COURSE} "
        f"in {mini_root.path} ...\n"
    )
    receipt = json.loads(done.stdout)
    assert (
        receipt["attempt"] == 1
        and receipt["status"] == "queued"
        and receipt["student"] == "hubuser"
    )
    assert (
        receipt["attempts_used"] == 1
        and receipt["attempts_left"] == 4
        and receipt["cooldown_until"] is None
    )

    b_notebook = tmp_path / "b.ipynb"
    b_notebook.write_bytes(submission(mini_root, "b")["units/b.ipynb"])
    locked = _cli(
        mini_root, "submit", str(b_notebook), "--course", COURSE, "--unit", "b", "--student", "ada"
    )
    assert locked.returncode == EXIT_REFUSED and locked.stdout == ""
    said, refusal = locked.stderr.split("\n", 1)
    assert said == (
        f"submitting b.ipynb as learner 'ada' to unit 'b' of course {COURSE} in {mini_root.path} ..."
    )
    assert refusal.startswith(
        "refused: \u201cUnit B\u201d is locked: it waits for \u201cUnit A\u201d"
    )
    assert "Traceback" not in locked.stderr

    broken = tmp_path / "broken.ipynb"
    broken.write_text("{oops")
    bad = _cli(
        mini_root, "submit", str(broken), "--course", COURSE, "--unit", "a", "--student", "ada"
    )
    assert bad.returncode == EXIT_BAD_INPUT
    said, error = bad.stderr.split("\n", 1)
    assert said.startswith("submitting broken.ipynb as learner 'ada' to unit 'a' ")
    assert error.startswith(f"error: {broken}: not valid JSON") and "Fix: " in error

    as_json = _cli(mini_root, "submit", str(broken), "--course", COURSE, "--unit", "a", "--json")
    assert as_json.returncode == EXIT_BAD_INPUT
    assert (
        json.loads(as_json.stdout)["status"] == "refused"
        and "not valid JSON" in json.loads(as_json.stdout)["reason"]
    )
    locked_json = _cli(
        mini_root, "submit", str(b_notebook), "--course", COURSE, "--unit", "b", "--json"
    )
    assert locked_json.returncode == EXIT_REFUSED
    assert json.loads(locked_json.stdout)["code"] == "locked"

    missing = _cli(
        mini_root, "submit", str(tmp_path / "nope.ipynb"), "--course", COURSE, "--unit", "a"
    )
    assert missing.returncode == EXIT_BAD_INPUT and "cannot read it" in missing.stderr
    assert [a[:3] for a in attempts(mini_root)] == [("hubuser", "a", 1)]


def test_no_attempt_row_when_the_files_cannot_be_stored(store_root: CourseRoot) -> None:
    blocker = store_root.data_dir / "submissions" / COURSE / "ada"
    blocker.parent.mkdir(parents=True)
    blocker.write_text("a file where the learner's folder should be")
    with pytest.raises(OSError):
        submit_attempt(store_root, COURSE, "a", "ada", submission(store_root, "a"), now=T0)
    assert attempts(store_root) == [], "the row commits only after the files are on disk"
    blocker.unlink()
    assert (
        submit_attempt(store_root, COURSE, "a", "ada", submission(store_root, "a"), now=T0).attempt
        == 1
    )


def test_leftover_files_of_an_uncommitted_attempt_are_replaced(mini_root: CourseRoot) -> None:
    leftover = mini_root.data_dir / "submissions" / COURSE / "ada" / "a" / "1"
    (leftover / "units").mkdir(parents=True)
    (leftover / "units" / "a.ipynb").write_text("half-written by a crashed submit")
    (leftover / "stray.txt").write_text("x")
    files = submission(mini_root, "a")
    assert submit_attempt(mini_root, COURSE, "a", "ada", files, now=T0).attempt == 1
    assert (leftover / "units" / "a.ipynb").read_bytes() == files["units/a.ipynb"]
    assert not (leftover / "stray.txt").exists()


def test_an_extra_file_is_ignored_with_a_note_and_not_stored(store_root: CourseRoot) -> None:
    """As ``nbgrader autograde`` skips unknown files: the attempt is taken, the file is not."""
    notebooks = {**submission(store_root, "a"), "units/../../x.txt": b"scratch"}
    receipt = submit_attempt(store_root, COURSE, "a", "ada", notebooks, now=T0)
    assert receipt.notes == ("units/../../x.txt: not a notebook of unit 'a'; ignored",)
    assert list(receipt.notebooks) == ["units/a.ipynb"]
    assert receipt.to_json()["notes"] == list(receipt.notes)

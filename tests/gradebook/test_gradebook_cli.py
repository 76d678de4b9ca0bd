"""``mastery-nb gradebook`` on a class seeded through ``submit`` and ``grade`` (real grading)
agrees, row by row, with ``mastery-nb progress --json`` for every learner."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from mastery_fixtures import COURSE, submission

from mastery_nb.course.reader import ReleasedCourse
from mastery_nb.grade.queue import grade_pending
from mastery_nb.root import CourseRoot
from mastery_nb.store import open_store
from mastery_nb.store.practice import ingest_practice
from mastery_nb.submit import submit_attempt

pytestmark = pytest.mark.timeout(600)


def _cli(root: CourseRoot, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mastery_nb",
            *args,
            "--root",
            str(root.path),
            "--data-dir",
            str(root.data_dir),
            "--db",
            root.db_url,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def graded_class(mini_root: CourseRoot) -> CourseRoot:
    """ada masters a, then b; bob fails a twice, then masters it; carol fails a, submits c
    nothing; dora only practised."""
    rounds = [
        [
            ("ada", "a", None),
            ("bob", "a", {"answer-add": "x = 3"}),
            ("carol", "a", {"answer-greet": "greeting = 'no'"}),
        ],
        [("ada", "b", None), ("bob", "a", {"answer-add": "x = 5"})],
        [("bob", "a", None), ("ada", "c", {"answer-d": "d = {}"})],
    ]
    for batch in rounds:
        for learner, unit, answers in batch:
            submit_attempt(
                root := mini_root, COURSE, unit, learner, submission(root, unit, answers)
            )
        assert grade_pending(mini_root, workers=2) == len(batch)
    course = ReleasedCourse.of(mini_root, COURSE).course()
    event = {
        "time": "2026-12-01T09:00:00Z",
        "course": COURSE,
        "unit": "a",
        "question": "q1",
        "objective": "add",
        "event": "check",
        "outcome": "correct",
    }
    assert ingest_practice(open_store(mini_root), course, "dora", [event]).stored == 1
    return mini_root


def test_the_gradebook_agrees_with_progress_for_every_learner(graded_class: CourseRoot) -> None:
    exported = _cli(graded_class, "gradebook", COURSE, "--format", "json")
    assert exported.returncode == 0, exported.stderr
    book = json.loads(exported.stdout)
    assert book["kind"] == "gradebook" and book["course"] == COURSE
    learners = sorted({row["learner"] for row in book["rows"]})
    assert learners == ["ada", "bob", "carol", "dora"]
    compared = 0
    for learner in learners:
        progress = _cli(
            graded_class, "progress", "--course", COURSE, "--student", learner, "--json"
        )
        assert progress.returncode == 0, progress.stderr
        expected = [
            {
                "learner": learner,
                "unit": unit["id"],
                "objective": objective["id"],
                "mastered": objective["mastered"],
                "score": objective["score"],
                "threshold": objective["threshold"],
                "attempts": unit["attempts_used"],
                "mastered_at": objective["mastered_at"],
                "awaiting_review": objective["awaiting_review"],
                "excused": objective["excused"],
            }
            for unit in json.loads(progress.stdout)["units"]
            for objective in unit["objectives"]
        ]
        assert [r for r in book["rows"] if r["learner"] == learner] == expected, learner
        compared += len(expected)
    assert compared == 4 * 4
    rows = {(r["learner"], r["objective"]): r for r in book["rows"]}
    assert rows[("ada", "add")]["mastered"] and rows[("ada", "loops")]["mastered"]
    assert rows[("bob", "add")]["mastered"] and rows[("bob", "add")]["attempts"] == 3
    assert not rows[("carol", "strings")]["mastered"] and rows[("dora", "add")]["attempts"] == 0


def test_csv_and_wide_forms_and_a_file(graded_class: CourseRoot, tmp_path: Path) -> None:
    long = _cli(graded_class, "gradebook", COURSE)
    assert long.returncode == 0, long.stderr
    table = list(csv.DictReader(io.StringIO(long.stdout)))
    assert list(table[0]) == [
        "learner",
        "unit",
        "objective",
        "mastered",
        "score",
        "threshold",
        "attempts",
        "mastered_at",
        "awaiting_review",
        "excused",
    ]
    assert {(r["learner"], r["objective"], r["mastered"]) for r in table} >= {
        ("ada", "add", "true"),
        ("carol", "strings", "false"),
    }
    target = tmp_path / "out" / "book.csv"
    wide = _cli(graded_class, "gradebook", COURSE, "--wide", "--out", str(target))
    assert wide.returncode == 0 and wide.stdout == "" and f"wrote {target}" in wide.stderr
    rows: list[dict[str, Any]] = list(csv.DictReader(io.StringIO(target.read_text())))
    assert list(rows[0]) == [
        "learner",
        "objectives_mastered",
        "objectives",
        "a/add",
        "a/strings",
        "b/loops",
        "c/dicts",
    ]
    ada = next(r for r in rows if r["learner"] == "ada")
    assert (ada["a/add"], ada["b/loops"], ada["c/dicts"], ada["objectives_mastered"]) == (
        "1",
        "1",
        "0",
        "3",
    )
    as_json = json.loads(
        _cli(graded_class, "gradebook", COURSE, "--wide", "--format", "json").stdout
    )
    assert as_json["kind"] == "gradebook_wide" and as_json["columns"][3:] == [
        "a/add",
        "a/strings",
        "b/loops",
        "c/dicts",
    ]


def test_an_unknown_course_is_one_clear_error(graded_class: CourseRoot) -> None:
    wrong = _cli(graded_class, "gradebook", "minii")
    assert wrong.returncode == 2 and wrong.stdout == ""
    said, error = wrong.stderr.split("\n", 1)
    assert said == (
        f"reading the mastery gradebook of course minii from {graded_class.store_label()} ..."
    )
    assert error.startswith("error: ") and "Traceback" not in wrong.stderr


def test_progress_names_a_learner_the_course_never_saw(graded_class: CourseRoot) -> None:
    typo = _cli(graded_class, "progress", "--course", COURSE, "--student", "adaa")
    assert typo.returncode == 2 and typo.stdout == ""
    assert typo.stderr.splitlines() == [
        f"reading the standing of learner 'adaa' in course {COURSE} from "
        f"{graded_class.store_label()} ...",
        "error: --student: course 'mini' has never seen a learner 'adaa' (no attempt, practice "
        "or override). Fix: did you mean 'ada'?",
    ]
    practised_only = _cli(graded_class, "progress", "--course", COURSE, "--student", "dora")
    assert practised_only.returncode == 0, "a learner who only practised is known"

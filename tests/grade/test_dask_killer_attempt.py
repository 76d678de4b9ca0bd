"""An attempt that ends every Dask worker that grades it: ``grader-error`` after a bounded
number of tries, recorded once, never scored against the learner; the rest of the batch
graded once each, with the local pool's scores.

Fault injection on real processes, not a mock: a real `dask scheduler` and two
`dask worker` processes with nannies (a worker process that dies is started again), on
127.0.0.1, and the shipped `mastery-nb grade --scheduler` as its own process. Each worker
process loads tests/grade/kill_on_attempt.py (``--preload``), which ends the process
(``os._exit``: no exception, nothing said to the scheduler, as an out-of-memory kill or a
lost node) when it starts grading the attempt whose notebook carries its mark. Learner code
cannot do this (the sandbox is the point), so the fault is injected on the worker's side.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from dask_cluster import Cluster, copy_root, scores, statuses
from kill_on_attempt import MARK
from mastery_fixtures import COURSE, result_counts, submission
from sqlalchemy import select

from mastery_nb.grade.queue import MAX_GRADER_ERRORS, grade_pending
from mastery_nb.progress.report import learner_standing
from mastery_nb.root import DATA_DIR_ENV, DB_ENV, CourseRoot
from mastery_nb.store import AttemptRow, CellResultRow, ObjectiveResultRow, open_store
from mastery_nb.submit import submit_attempt

pytest.importorskip("distributed")

#: Dask's ``distributed.scheduler.allowed-failures`` on the test's scheduler: a task on a
#: worker that died is run again this many times before it fails with ``KilledWorker``
ALLOWED_FAILURES = 1
KILLER = "learner-k"
ANSWERS = [
    {"answer-add": "x = 1 + 1"},
    {"answer-add": "x = 1 + 1", "answer-greet": 'greeting = "Hi"'},
    {"answer-add": "x = 3"},
    {"answer-add": "x = 1 + 1", "answer-greet": "greeting = 1 / 0"},
    {"answer-add": "x = 1 + 1", "answer-greet": 'greeting = "hi"'},
]
#: a correct answer; the comment is what the worker's fault recognises
KILLER_ANSWER = {"answer-add": f"x = 1 + 1  # {MARK.decode()}"}


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    kills = tmp_path / "kills.txt"
    kills.touch()
    running = Cluster(
        tmp_path,
        env={
            "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": str(ALLOWED_FAILURES),
            "MASTERY_NB_TEST_KILLS": str(kills),
        },
    )
    try:
        running.start_scheduler()
        preload = str(Path(__file__).with_name("kill_on_attempt.py"))
        for name in ("one", "two"):
            running.start_worker(name, nanny=True, preload=[preload])
        running.wait_for_workers(2)
        yield running
    finally:
        running.stop()


def _submit_batch(root: CourseRoot) -> None:
    """The batch; the attempt that kills workers comes last, so at most one other attempt
    is on the cluster beside it when it does."""
    for number, answers in enumerate(ANSWERS):
        submit_attempt(root, COURSE, "a", f"learner{number}", submission(root, "a", answers))
    submit_attempt(root, COURSE, "a", KILLER, submission(root, "a", KILLER_ANSWER))


def _grade(root: CourseRoot, address: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in (DATA_DIR_ENV, DB_ENV)}
    command = [sys.executable, "-m", "mastery_nb", "grade", "--root", str(root.path)]
    return subprocess.run(
        [*command, "--scheduler", address, "--workers", "2"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def test_an_attempt_that_keeps_killing_workers_ends_grader_error_once_and_the_rest_is_graded(
    cluster: Cluster, mini_root: CourseRoot, tmp_path: Path
) -> None:
    _submit_batch(mini_root)
    local_root = copy_root(mini_root, tmp_path / "local")
    assert grade_pending(local_root, workers=1) == len(ANSWERS) + 1
    fresh = learner_standing(mini_root, COURSE, "nobody-yet")["a"]

    started = time.monotonic()
    grading = _grade(mini_root, cluster.address)
    took = time.monotonic() - started
    out = grading.stdout
    (tmp_path / "grader.log").write_text(f"{grading.stdout}\n--- stderr\n{grading.stderr}")
    assert grading.returncode == 0, (grading.stdout, grading.stderr)

    # the killer: ended a bounded number of workers, then grader-error, said once
    kills = (tmp_path / "kills.txt").read_text().splitlines()
    assert len(kills) == MAX_GRADER_ERRORS * (ALLOWED_FAILURES + 1), (kills, out)
    assert out.count(f"grader fault on {KILLER} ") == MAX_GRADER_ERRORS - 1, out
    assert out.count(f"grader error on {KILLER} ") == 1, out
    assert "it uses no attempt" in out and "ended Dask workers repeatedly" in out, out
    assert (
        f"graded {len(ANSWERS)} attempt(s); queue: 0 queued, 0 being graded, 1 grader error(s)"
        in out
    )
    with open_store(mini_root).read() as session:
        killer = session.execute(
            select(AttemptRow).where(AttemptRow.student_id == KILLER)
        ).scalar_one()
        rows = [
            session.execute(select(table).where(table.attempt_id == killer.id)).first()
            for table in (CellResultRow, ObjectiveResultRow)
        ]
    assert (killer.status, killer.grader_errors) == ("grader-error", MAX_GRADER_ERRORS)
    assert killer.claim_token is None and killer.graded_at is None and rows == [None, None]
    assert "KilledWorker" in (killer.error or "")

    # the learner's standing: as if the attempt had not been made (no attempt used, no
    # cooldown, nothing mastered), and told that grading failed, not their answers
    mine = learner_standing(mini_root, COURSE, KILLER)["a"]
    assert (mine.attempts_used, mine.attempts_left, mine.cooldown_until) == (
        fresh.attempts_used,
        fresh.attempts_left,
        None,
    )
    assert not mine.mastered and all(o.latest_score is None for o in mine.objectives)
    assert mine.grading_problem is not None and mine.grading_problem.final
    assert mine.can_submit

    # every other attempt: recorded once, with the local pool's scores and rows, reported
    # graded once, never a grader error. One that was only waiting on a worker the killer
    # ended in its first grading is counted by Dask too (allowed-failures) and may come back
    # as a grader fault, once: a retried attempt is graded alone, as the killer's retries
    # are, so they take no other attempt with them
    for number in range(len(ANSWERS)):
        assert out.count(f"graded learner{number} ") == 1, out
        assert f"grader error on learner{number} " not in out, out
        assert out.count(f"grader fault on learner{number} ") <= 1, out
    bystanders = sum(out.count(f"grader fault on learner{n} ") for n in range(len(ANSWERS)))
    graded = {s: st for s, st in statuses(mini_root).items() if s != KILLER}
    assert graded == {f"learner{n}": ("graded", 1) for n in range(len(ANSWERS))}
    local = {k: v for k, v in scores(local_root).items() if k[0] != KILLER}
    assert scores(mini_root) == local
    local_rows = {a: n for a, n in result_counts(local_root).items() if a != killer.id}
    assert result_counts(mini_root) == local_rows
    print(
        f"graded the batch in {took:.1f} s; the killer ended {len(kills)} worker processes; "
        f"{bystanders} attempt(s) beside it retried"
    )

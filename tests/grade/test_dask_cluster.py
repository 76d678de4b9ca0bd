"""Grading on a real Dask cluster: a `dask scheduler` and two `dask worker` processes on
127.0.0.1, the queue in this process (mastery_nb/grade/cluster.py).

A worker killed in the middle of a batch: every attempt is graded exactly once, with the
same scores as the local pool. A scheduler that goes away: nothing is lost or scored
against the learner; the attempts wait in the queue and are graded once it is back.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from dask_cluster import Cluster, copy_root, scores, statuses
from mastery_fixtures import COURSE, result_counts, submission

from mastery_nb.grade.queue import grade_pending
from mastery_nb.grade.worker import WorkerUnavailable
from mastery_nb.root import CourseRoot
from mastery_nb.submit import submit_attempt

pytest.importorskip("distributed")

#: slow enough that a worker is killed while it grades
SLOW_ADD = "import time\ntime.sleep(1.0)\nx = 1 + 1"
ANSWERS = [
    {"answer-add": SLOW_ADD},
    {"answer-add": SLOW_ADD, "answer-greet": 'greeting = "Hi"'},
    {"answer-add": "import time\ntime.sleep(1.0)\nx = 3"},
    {"answer-add": SLOW_ADD, "answer-greet": "greeting = 1 / 0"},
    {"answer-add": SLOW_ADD},
    {"answer-add": SLOW_ADD, "answer-greet": 'greeting = "hi"'},
]


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    running = Cluster(tmp_path)
    try:
        running.start_scheduler()
        running.start_worker("one")
        running.start_worker("two")
        yield running
    finally:
        running.stop()


def _submit_class(root: CourseRoot) -> None:
    for number, answers in enumerate(ANSWERS):
        submit_attempt(root, COURSE, "a", f"learner{number}", submission(root, "a", answers))


def _grade_in_background(
    root: CourseRoot, address: str
) -> tuple[threading.Thread, list[str], list[BaseException]]:
    """``grade_pending`` on the cluster in a thread; what it reported, what it raised."""
    done: list[str] = []
    failure: list[BaseException] = []

    def grade() -> None:
        try:
            grade_pending(
                root,
                workers=2,
                scheduler=address,
                on_done=lambda d: done.append(f"{d.student_id} {d.status}"),
            )
        except BaseException as error:
            failure.append(error)

    grading = threading.Thread(target=grade)
    grading.start()
    return grading, done, failure


def test_a_worker_killed_mid_batch_loses_nothing_and_grades_each_attempt_once(
    cluster: Cluster, mini_root: CourseRoot, tmp_path: Path
) -> None:
    from distributed import Client

    _submit_class(mini_root)
    local_root = copy_root(mini_root, tmp_path / "local")
    assert grade_pending(local_root, workers=1) == len(ANSWERS)

    grading, done, failure = _grade_in_background(mini_root, cluster.address)
    killed = None
    with Client(cluster.address, set_as_default=False) as watcher:
        deadline = time.monotonic() + 120
        while killed is None and time.monotonic() < deadline and grading.is_alive():
            busy = [addr for addr, keys in watcher.processing().items() if keys]
            # once an attempt has been graded: the victim is in the middle of a later one
            if busy and done:
                killed = busy[0]
                cluster.workers[killed].send_signal(signal.SIGKILL)
            time.sleep(0.05)
    grading.join(180)
    assert not grading.is_alive() and not failure, failure
    assert killed is not None, "no worker was grading when the test looked"
    assert cluster.workers[killed].wait(10) == -signal.SIGKILL

    # every attempt graded, reported once, with the local pool's scores and result rows
    assert sorted(done) == sorted(f"learner{n} graded" for n in range(len(ANSWERS)))
    assert {s for s, _c in statuses(mini_root).values()} == {"graded"}
    assert scores(mini_root) == scores(local_root)
    assert sorted(result_counts(mini_root).values()) == sorted(result_counts(local_root).values())
    assert {c for _s, c in statuses(mini_root).values()} == {1}  # claimed once, recorded once
    survivor = next(a for a in cluster.workers if a != killed)
    started = cluster.log(f"worker-{cluster.names[survivor]}.log")
    assert "mastery-nb grading: 1 sandboxed slot(s); sandbox " in started


def test_a_scheduler_that_goes_away_leaves_the_queue_waiting_then_it_resumes(
    cluster: Cluster, mini_root: CourseRoot
) -> None:
    _submit_class(mini_root)
    grading, done, failure = _grade_in_background(mini_root, cluster.address)
    deadline = time.monotonic() + 120
    while not done and time.monotonic() < deadline:
        time.sleep(0.05)
    assert cluster.scheduler is not None
    cluster.scheduler.send_signal(signal.SIGKILL)  # gone, in the middle of the batch
    grading.join(120)
    assert not grading.is_alive()
    assert len(failure) == 1 and isinstance(failure[0], WorkerUnavailable), failure
    # nothing scored against a learner: graded, or back in the queue with no grader error
    left = statuses(mini_root)
    assert {s for s, _c in left.values()} <= {"graded", "queued"}
    waiting = [s for s, (status, _c) in left.items() if status == "queued"]
    assert waiting, "the scheduler went away after the whole batch was graded"

    cluster.stop()
    back = Cluster(cluster.base)
    back.port, back.address = cluster.port, cluster.address
    try:
        back.start_scheduler()
        back.start_worker("three")
        graded = grade_pending(mini_root, workers=2, scheduler=back.address)
    finally:
        back.stop()
    assert graded == len(waiting)
    assert {s for s, _c in statuses(mini_root).values()} == {"graded"}
    assert len(scores(mini_root)) == len(ANSWERS) * 3  # three test cells each, once

"""Grading on a real Dask cluster: a `dask scheduler` and two `dask worker` processes on
127.0.0.1, the queue in this process (mastery_nb/grade/cluster.py).

A worker killed in the middle of a batch: every attempt is graded exactly once, with the
same scores as the local pool. A scheduler that goes away: nothing is lost or scored
against the learner; the attempts wait in the queue and are graded once it is back.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from mastery_fixtures import COURSE, result_counts, submission
from sqlalchemy import select

from mastery_nb.grade.queue import grade_pending
from mastery_nb.grade.worker import WorkerUnavailable
from mastery_nb.root import CourseRoot
from mastery_nb.store import AttemptRow, CellResultRow, open_store
from mastery_nb.submit import submit_attempt

pytest.importorskip("distributed")

DASK = Path(sys.executable).parent / "dask"
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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_port(port: int, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args} exited with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listens on port {port}")


class Cluster:
    """A scheduler and workers, each in its own process group (ended with it)."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.port = _free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        self.scheduler: subprocess.Popen[bytes] | None = None
        self.workers: dict[str, subprocess.Popen[bytes]] = {}
        self.names: dict[str, str] = {}
        self._all: list[subprocess.Popen[bytes]] = []

    def _start(self, args: list[str], log: str) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [str(DASK), *args],
            stdout=subprocess.DEVNULL,
            stderr=(self.base / log).open("ab"),
            start_new_session=True,
        )
        self._all.append(process)
        return process

    def start_scheduler(self) -> None:
        self.scheduler = self._start(
            ["scheduler", "--host", "127.0.0.1", "--port", str(self.port), "--no-dashboard"],
            "scheduler.log",
        )
        _wait_port(self.port, self.scheduler)

    def start_worker(self, name: str) -> None:
        port = _free_port()
        local = self.base / f"worker-{name}"
        local.mkdir(exist_ok=True)
        process = self._start(
            [
                "worker",
                self.address,
                "--name",
                name,
                "--host",
                "127.0.0.1",
                "--worker-port",
                str(port),
                "--nthreads",
                "1",
                "--no-nanny",
                "--no-dashboard",
                "--local-directory",
                str(local),
            ],
            f"worker-{name}.log",
        )
        _wait_port(port, process)
        self.workers[f"tcp://127.0.0.1:{port}"] = process
        self.names[f"tcp://127.0.0.1:{port}"] = name

    def log(self, name: str) -> str:
        return (self.base / name).read_text(errors="replace")

    def stop(self) -> None:
        for process in self._all:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self._all:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        for process in self._all:  # what the workers' grading pools left in their groups
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)


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


def _scores(root: CourseRoot) -> dict[tuple[str, str], float]:
    with open_store(root).read() as session:
        rows = session.execute(
            select(AttemptRow.student_id, CellResultRow.grade_id, CellResultRow.points).join(
                CellResultRow, CellResultRow.attempt_id == AttemptRow.id
            )
        ).all()
    return {(student, gid): float(points) for student, gid, points in rows}


def _statuses(root: CourseRoot) -> dict[str, tuple[str, int]]:
    with open_store(root).read() as session:
        return {
            a.student_id: (a.status, a.claims)
            for a in session.execute(select(AttemptRow)).scalars()
        }


def _copy(root: CourseRoot, target: Path) -> CourseRoot:
    shutil.copytree(root.path, target)
    return CourseRoot.at(
        target,
        data_dir=target / ".mastery-data",
        db_url=f"sqlite:///{target / '.mastery-data' / 'mastery.db'}",
    )


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
    local_root = _copy(mini_root, tmp_path / "local")
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
    assert {s for s, _c in _statuses(mini_root).values()} == {"graded"}
    assert _scores(mini_root) == _scores(local_root)
    assert sorted(result_counts(mini_root).values()) == sorted(result_counts(local_root).values())
    assert {c for _s, c in _statuses(mini_root).values()} == {1}  # claimed once, recorded once
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
    statuses = _statuses(mini_root)
    assert {s for s, _c in statuses.values()} <= {"graded", "queued"}
    waiting = [s for s, (status, _c) in statuses.items() if status == "queued"]
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
    assert {s for s, _c in _statuses(mini_root).values()} == {"graded"}
    assert len(_scores(mini_root)) == len(ANSWERS) * 3  # three test cells each, once

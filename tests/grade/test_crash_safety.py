"""Kill -9 the grader during execution and during the database write, start it again:
every attempt is graded exactly once, none lost, none double-counted (SQLite and PostgreSQL).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from mastery_fixtures import COURSE, result_counts, submission
from sqlalchemy import func, select

from mastery_nb.root import CourseRoot
from mastery_nb.store import AttemptRow, open_store
from mastery_nb.store.models import CellResultRow, ObjectiveResultRow
from mastery_nb.submit import submit_attempt

pytestmark = pytest.mark.slow

LEASE = 2.0
SLOW = {"answer-add": "import time\ntime.sleep(6)\nx = 1 + 1"}
EXPECTED = {"slow": 4.0, "ada": 4.0, "bob": 3.0, "cara": 0.0}


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _start(root: CourseRoot, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mastery_nb",
            "grade",
            "--workers",
            "1",
            "--root",
            str(root.path),
            "--db",
            root.db_url,
        ],
        env={**os.environ, "MASTERY_NB_LEASE_SECONDS": str(LEASE), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _kill9(process: subprocess.Popen[str]) -> None:
    """kill -9 the grader process alone; nothing it started may outlive it for long."""
    family = _descendants(process.pid)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    deadline = time.monotonic() + 10
    alive = family
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = {pid for pid in alive if Path(f"/proc/{pid}").exists() and not _zombie(pid)}
    for pid in alive:  # do not leak them into other tests, but fail
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    assert not alive, f"processes left behind by the killed grader: {sorted(alive)}"


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def _status(root: CourseRoot) -> dict[str, str]:
    with open_store(root).read() as session:
        return dict(session.execute(select(AttemptRow.student_id, AttemptRow.status)).all())  # type: ignore[arg-type]


def _wait_for(condition: object, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError("timed out waiting for the grader")


def test_kill_during_execution_and_during_the_write_then_restart(
    store_root: CourseRoot, tmp_path: Path
) -> None:
    submit_attempt(store_root, COURSE, "a", "slow", submission(store_root, "a", SLOW))
    submit_attempt(store_root, COURSE, "a", "ada", submission(store_root, "a"))
    submit_attempt(
        store_root,
        COURSE,
        "a",
        "bob",
        submission(store_root, "a", {"answer-greet": 'greeting = "Hi"'}),
    )
    submit_attempt(store_root, COURSE, "a", "cara", submission(store_root, "a", correct=False))

    # 1. kill -9 while the slow submission's notebook is executing (it sleeps 6 s in a cell)
    grader = _start(store_root)
    _wait_for(lambda: _status(store_root)["slow"] == "grading")
    time.sleep(2.0)
    assert grader.poll() is None
    _kill9(grader)
    assert _status(store_root) == {
        "slow": "grading",
        "ada": "queued",
        "bob": "queued",
        "cara": "queued",
    }

    # 2. kill -9 inside the results transaction: everything written, nothing committed
    pause_dir = tmp_path / "pause"
    pause_dir.mkdir()
    grader = _start(
        store_root, MASTERY_NB_TEST_PAUSE="before_commit", MASTERY_NB_TEST_PAUSE_DIR=str(pause_dir)
    )
    _wait_for(lambda: any(pause_dir.iterdir()))
    paused_attempt = int(next(pause_dir.iterdir()).name.rsplit("-", 1)[1])
    _kill9(grader)
    with open_store(store_root).read() as session:
        paused = session.get(AttemptRow, paused_attempt)
        assert paused is not None and paused.status == "grading"
        assert session.execute(select(func.count()).select_from(CellResultRow)).scalar() == 0
        assert session.execute(select(func.count()).select_from(ObjectiveResultRow)).scalar() == 0

    # 3. restart after the dead graders' leases ran out: everything graded, exactly once
    time.sleep(LEASE + 0.5)
    grader = _start(store_root)
    out, err = grader.communicate(timeout=300)
    assert grader.returncode == 0, err
    assert "graded 4 attempt(s); queue: 0 queued, 0 being graded, 0 grader error(s)" in out, out

    with open_store(store_root).read() as session:
        attempts = session.execute(select(AttemptRow)).scalars().all()
        assert {a.student_id: (a.status, a.points) for a in attempts} == {
            s: ("graded", p) for s, p in EXPECTED.items()
        }
        claims = {a.student_id: a.claims for a in attempts}
        assert claims["slow"] >= 2, (
            "the attempt killed mid-execution was graded again from the start"
        )
        total = session.execute(select(func.sum(CellResultRow.points))).scalar()
        assert total == sum(EXPECTED.values()), "no points double-counted"
    counts = result_counts(store_root)
    assert sorted(cells for cells, _ in counts.values()) == [3, 3, 3, 3], (
        "no result stored twice or lost"
    )
    assert sorted(objectives for _, objectives in counts.values()) == [2, 2, 2, 2]

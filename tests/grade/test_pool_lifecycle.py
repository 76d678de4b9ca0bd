"""Killing the grader mid-attempt (kill -9) leaves no zygote, child, process or workdir."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil

SCRIPT = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {tests!r})
    from pathlib import Path
    from unitkit import unit_cells
    from unitkit import make_unit, submit, to_bytes
    from mastery_nb.grade.attempt import GradingPool
    from mastery_nb.grade.limits import Limits

    unit = make_unit(unit_cells(), path="units/scores.ipynb")
    nb = to_bytes(submit(unit, {{"q1": "import subprocess\\nsubprocess.Popen(['sleep', '987656'])\\nwhile True:\\n    pass"}}))
    pool = GradingPool(workers=1, limits=Limits(cell_timeout=120))
    print(pool._all[0].uid, pool._all[0].process.pid, flush=True)
    pool.grade(unit.bundle, {{unit.path: nb}}, Path({files!r}))
    """
)


def _uid_processes(uid: int) -> list[int]:
    return [
        p.pid
        for p in psutil.process_iter(["uids"])
        if p.info["uids"] and p.info["uids"].real == uid
    ]


def test_killing_the_grader_cleans_everything(tmp_path: Path) -> None:
    tests = str(Path(__file__).parent)
    files = tmp_path / "autograder" / "c" / "files"
    (files / "data").mkdir(parents=True)
    (files / "data" / "scores.csv").write_text("name,score\nada,95\n")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    for stale_uid in range(61000, 61100):  # left by graders killed earlier
        stale = scratch / f"mastery-nb-attempt-stale{stale_uid}"
        stale.mkdir()
        os.chown(stale, stale_uid, stale_uid)
    env = {**os.environ, "TMPDIR": str(scratch)}
    grader = subprocess.Popen(
        [sys.executable, "-c", SCRIPT.format(tests=tests, files=str(files))],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert grader.stdout is not None
    uid_text, zygote_text = grader.stdout.readline().split()
    uid, zygote = int(uid_text), int(zygote_text)
    assert not (scratch / f"mastery-nb-attempt-stale{uid}").exists()  # cleaned at start
    assert (scratch / f"mastery-nb-attempt-stale{uid + 1 if uid < 61099 else uid - 1}").exists()
    for stale in scratch.glob("mastery-nb-attempt-stale*"):
        stale.rmdir()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (
        _uid_processes(uid) and list(scratch.glob("mastery-nb-attempt-*"))
    ):
        time.sleep(0.1)
    assert _uid_processes(uid), "the attempt never started"
    time.sleep(0.5)  # the looping cell and its `sleep` child are running
    grader.send_signal(signal.SIGKILL)
    grader.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and (
        psutil.pid_exists(zygote)
        or _uid_processes(uid)
        or list(scratch.glob("mastery-nb-attempt-*"))
    ):
        time.sleep(0.1)
    assert not psutil.pid_exists(zygote) or psutil.Process(zygote).status() == psutil.STATUS_ZOMBIE
    assert _uid_processes(uid) == []
    assert list(scratch.glob("mastery-nb-attempt-*")) == []


def test_a_worker_that_crashes_mid_attempt_is_a_grader_fault_not_a_zero(
    unit, files_dir: Path
) -> None:
    """The learner's notebook did nothing wrong: the grader's worker died under it."""
    import threading

    import pytest
    from unitkit import TEST_LIMITS, THRESHOLDS, submit, to_bytes

    from mastery_nb.grade.attempt import GradingPool, GradingUnavailable

    slow = to_bytes(
        submit(unit, {"q1": "import time\ntime.sleep(2)\ndef total(xs):\n    return sum(xs)"})
    )
    with GradingPool(workers=1, limits=TEST_LIMITS) as pool:
        worker = pool._all[0]
        killer = threading.Timer(1.0, lambda: os.kill(worker.process.pid, signal.SIGKILL))
        killer.start()
        with pytest.raises(GradingUnavailable, match="grading worker"):
            pool.grade(unit.bundle, {unit.path: slow}, files_dir, thresholds=THRESHOLDS)
        killer.join()
        # the next attempt gets a fresh worker, probed, and is graded as usual
        result = pool.grade(
            unit.bundle, {unit.path: to_bytes(submit(unit))}, files_dir, thresholds=THRESHOLDS
        )
        assert sum(c.points for c in result.cells) == 7.0


def test_a_worker_whose_sandbox_cannot_see_python_refuses_to_start() -> None:
    """The probe notebooks catch a broken environment before any learner is graded."""
    import sys

    import pytest

    from mastery_nb.grade.attempt import GradingPool
    from mastery_nb.grade.limits import Limits
    from mastery_nb.grade.worker import WorkerUnavailable

    hidden = tuple({sys.prefix, sys.base_prefix, os.path.realpath(sys.base_prefix)})
    with pytest.raises(WorkerUnavailable) as refused:
        GradingPool(workers=1, limits=Limits(hide_paths=hidden))
    message = str(refused.value)
    assert "self-test" in message and "Fix:" in message, message

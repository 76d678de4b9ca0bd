"""Zygotes started ahead (mastery_nb.grade.launch): adopted by the next pool, which grades
as any other; ended when no pool takes them, however the grader ends."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import psutil
from unitkit import scores, submit, to_bytes

from mastery_nb.grade.attempt import GradingPool
from mastery_nb.grade.launch import head_start, release_head_start
from mastery_nb.grade.limits import Limits


def _waiting_zygotes(parent: psutil.Process) -> set[int]:
    """The parent's zygotes started with their limits still to come (argument ``-``)."""
    found = set()
    for child in parent.children():
        try:
            command = child.cmdline()
        except psutil.NoSuchProcess:
            continue
        if "mastery_nb.grade.zygote" in command and command[-1] == "-":
            found.add(child.pid)
    return found


def test_a_pool_adopts_the_zygotes_started_ahead_and_grades_as_usual(unit, files_dir) -> None:
    me = psutil.Process()
    head_start(2)
    ahead = _waiting_zygotes(me)
    assert len(ahead) == 2
    limits = Limits(cell_timeout=10, nice=12)
    with GradingPool(workers=2, limits=limits) as pool:
        # the pool's workers are those zygotes (no others were started), they passed the
        # self-test, and they run with the limits sent after their start (their niceness)
        assert {w.process.pid for w in pool._all} == ahead
        assert {psutil.Process(pid).nice() for pid in ahead} == {min(19, me.nice() + 12)}
        right = pool.grade(unit.bundle, {unit.path: to_bytes(submit(unit))}, files_dir)
        wrong = pool.grade(
            unit.bundle, {unit.path: to_bytes(submit(unit, correct=False))}, files_dir
        )
    assert scores(right) == {"q1-test": 2.0, "q2-test": 3.0, "q3-test": 2.0}
    assert sum(scores(wrong).values()) == 0.0
    assert not any(psutil.pid_exists(pid) for pid in ahead)


def test_zygotes_no_pool_took_are_ended() -> None:
    me = psutil.Process()
    head_start(1)
    (pid,) = _waiting_zygotes(me)
    release_head_start()  # at once, though it is still importing
    assert not psutil.pid_exists(pid)
    # a grader that exits without releasing them (an error before its pool) ends them too
    script = textwrap.dedent(
        """
        import psutil
        from mastery_nb.grade.launch import head_start
        head_start(2)
        print(*(child.pid for child in psutil.Process().children()), flush=True)
        raise SystemExit(3)
        """
    )
    grader = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert grader.returncode == 3, grader.stderr
    started = [int(pid) for pid in grader.stdout.split()]
    assert len(started) == 2
    assert not any(psutil.pid_exists(pid) for pid in started)

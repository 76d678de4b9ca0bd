"""Hostile submissions: each gets its honest score and message, and the batch completes.

Every case grades through the shared warm pool (tests/grade/conftest.py) with small limits:
3 s per cell, 512 MiB of memory, 32 processes, 200 kB of output per cell.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from pathlib import Path

import pytest
from unitkit import cell, scores, to_bytes

GOOD_Q1 = "def total(xs):\n    return sum(xs)"


def _uid(result) -> int:
    notes = result.extra["sandbox"]["units/scores.ipynb"]
    return int(next(n for n in notes if n.startswith("uid ")).split()[1])


def _processes_of(uid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/status") as status:
                    for line in status:
                        if line.startswith("Uid:") and int(line.split()[1]) == uid:
                            found.append(int(entry))
            except OSError:
                pass
    return found


def _probe(code: str) -> str:
    """An answer for q1 whose test then fails with the probe's report as its message."""
    return (
        "report = 'nothing'\n"
        "try:\n"
        + "".join(f"    {line}\n" for line in code.splitlines())
        + "except BaseException as exc:\n    report = type(exc).__name__\n"
        "def total(xs):\n    raise RuntimeError('probe: ' + report)\n"
    )


# -- time ---------------------------------------------------------------------------


def test_infinite_loop_in_an_answer_is_interrupted_and_the_rest_is_graded(grader) -> None:
    result = grader.grade(grader.notebook({"q1": "while True:\n    pass"}))
    assert scores(result) == {"q1-test": 0.0, "q2-test": 3.0, "q3-test": 2.0}
    assert cell(result, "q1-test").message == "NameError: name 'total' is not defined"
    assert result.extra["cell_errors"]["units/scores.ipynb"] == [
        "answer cell 'q1': answer cell 'q1' took longer than 3 s and was stopped"
    ]


def test_infinite_loop_inside_a_test_is_a_timeout(grader) -> None:
    result = grader.grade(grader.notebook({"q1": "def total(xs):\n    while True:\n        pass"}))
    q1 = cell(result, "q1-test")
    assert (q1.points, q1.status, q1.message) == (
        0.0,
        "timeout",
        "test cell 'q1-test' took longer than 3 s and was stopped",
    )
    assert cell(result, "q2-test").points == 3.0


def test_a_looping_answer_costs_one_timeout_not_one_per_test_that_calls_it(grader) -> None:
    looping = "def total(xs):\n    while True:\n        pass"
    calls_it = "def top_scorer(frame):\n    return total([])"
    result = grader.grade(grader.notebook({"q1": looping, "q2": calls_it}))
    q1, q2 = cell(result, "q1-test"), cell(result, "q2-test")
    assert (q1.status, q1.message) == (
        "timeout",
        "test cell 'q1-test' took longer than 3 s and was stopped",
    )
    # the second call of the loop gets the short limit after a timeout (Limits.after_timeout)
    assert (q2.points, q2.status, q2.message) == (
        0.0,
        "timeout",
        "test cell 'q2-test' was stopped after 1 s: an earlier cell of this notebook had "
        "already run out of time (it may call the same code)",
    )
    assert cell(result, "q3-test").points == 2.0  # the rest is graded as usual


def test_loop_that_swallows_interrupts_is_killed(grader) -> None:
    loop = "def total(xs):\n    while True:\n        try:\n            time.sleep(10)\n        except BaseException:\n            pass"
    started = time.monotonic()
    result = grader.grade(grader.notebook({"q1": "import time\n" + loop}))
    assert time.monotonic() - started < 15
    assert cell(result, "q1-test").status == "timeout"
    for gid in ("q2-test", "q3-test"):
        later = cell(result, gid)
        assert (later.points, later.status) == (0.0, "not_run")
        assert later.message == "not run: test cell 'q1-test' took longer than 3 s and was stopped"
    assert "test cell 'q1-test' took longer than 3 s and was stopped" in result.messages


def test_notebook_time_limit_stops_the_rest(grader) -> None:
    from dataclasses import replace

    from unitkit import TEST_LIMITS, THRESHOLDS

    slow = {"q1": "import time\ntime.sleep(2)\n" + GOOD_Q1, "q2": "import time\ntime.sleep(2.5)"}
    nb = to_bytes(grader.notebook(slow))
    limits = replace(TEST_LIMITS, notebook_timeout=4.0)
    result = grader.pool.grade(
        grader.unit.bundle,
        {grader.unit.path: nb},
        grader.files_dir,
        thresholds=THRESHOLDS,
        limits=limits,
    )
    what = "the notebook time limit (4 s) was reached in answer cell 'q2'"
    assert cell(result, "q1-test").points == 2.0
    assert result.messages == (what,)
    assert [(c.status, c.message) for c in result.cells[1:]] == [
        ("not_run", f"not run: {what}")
    ] * 2


# -- memory and output ----------------------------------------------------------------


def test_memory_exhaustion_is_a_memory_error(grader) -> None:
    hog = "blocks = []\ndef total(xs):\n    while True:\n        blocks.append(bytearray(50 * 1024 * 1024))"
    result = grader.grade(grader.notebook({"q1": hog}))
    q1 = cell(result, "q1-test")
    assert (q1.points, q1.status, q1.message) == (0.0, "error", "MemoryError")
    # the process survived (memory is freed when the test's frame goes): later cells are graded
    assert cell(result, "q2-test").points == 3.0


def test_one_huge_allocation_fails_cleanly(grader) -> None:
    result = grader.grade(grader.notebook({"q1": "big = bytearray(8 * 1024**3)\n" + GOOD_Q1}))
    assert result.extra["cell_errors"]["units/scores.ipynb"] == ["answer cell 'q1': MemoryError"]
    assert cell(result, "q1-test").message == "NameError: name 'total' is not defined"


def test_output_flood_fails_the_cell(grader) -> None:
    flood = "def total(xs):\n    while True:\n        print('x' * 1000)"
    result = grader.grade(grader.notebook({"q1": flood}))
    q1 = cell(result, "q1-test")
    # a test's output is kept in memory until the test ends: a flood that never ends
    # meets the memory limit (or the time limit) first
    assert (q1.points, q1.status) in ((0.0, "error"), (0.0, "timeout"))
    assert cell(result, "q2-test").points == 3.0


def test_output_past_the_limit_fails_the_test(grader) -> None:
    chatty = "def total(xs):\n    print('x' * 300_000)\n    return sum(xs)"
    q1 = cell(grader.grade(grader.notebook({"q1": chatty})), "q1-test")
    assert (q1.points, q1.status) == (0.0, "error")
    assert q1.message == "output limit exceeded: the cell printed more than 200000 characters"


def test_output_flood_straight_to_the_file_descriptor_goes_nowhere(grader) -> None:
    flood = "import os\nfor _ in range(20000):\n    os.write(1, b'y' * 10000)\n" + GOOD_Q1
    result = grader.grade(grader.notebook({"q1": flood}))
    assert sum(scores(result).values()) == 7.0


def test_big_files_are_capped(grader) -> None:
    writer = _probe("with open('big.bin', 'wb') as f:\n    f.write(b'0' * (20 * 1024 * 1024))")
    result = grader.grade(grader.notebook({"q1": writer}))
    assert cell(result, "q1-test").message == "RuntimeError: probe: OSError"  # EFBIG


# -- exits ------------------------------------------------------------------------------


def test_sys_exit_in_an_answer_does_not_stop_the_notebook(grader) -> None:
    result = grader.grade(grader.notebook({"q1": GOOD_Q1 + "\nimport sys\nsys.exit(0)"}))
    assert sum(scores(result).values()) == 7.0
    assert result.extra["cell_errors"]["units/scores.ipynb"] == ["answer cell 'q1': SystemExit: 0"]


def test_sys_exit_inside_a_test_fails_that_test(grader) -> None:
    result = grader.grade(grader.notebook({"q1": "import sys\ndef total(xs):\n    sys.exit(0)"}))
    q1 = cell(result, "q1-test")
    assert (q1.points, q1.status, q1.message) == (0.0, "error", "SystemExit: 0")
    assert cell(result, "q2-test").points == 3.0


def test_os_exit_ends_the_notebook_with_an_honest_message(grader) -> None:
    result = grader.grade(grader.notebook({"q2": "import os\nos._exit(0)"}))
    assert cell(result, "q1-test").points == 2.0  # graded before the exit
    for gid in ("q2-test", "q3-test"):
        later = cell(result, gid)
        assert (later.points, later.status) == (0.0, "not_run")
        assert later.message == "not run: answer cell 'q2' ended the notebook's process"
    assert result.messages == (
        "the notebook's process exited with code 0 before the notebook finished (sys.exit or os._exit in a cell?)",
    )


def test_os_exit_inside_a_test_is_not_a_pass(grader) -> None:
    result = grader.grade(grader.notebook({"q1": "import os\ndef total(xs):\n    os._exit(0)"}))
    q1 = cell(result, "q1-test")
    assert (q1.points, q1.status) == (0.0, "error")
    assert q1.message == "the notebook's process ended while running test cell 'q1-test'"


# -- processes --------------------------------------------------------------------------


def test_fork_bomb_is_capped_and_nothing_is_left_behind(grader) -> None:
    bomb = (
        "import os\ntry:\n    while True:\n        os.fork()\nexcept OSError as exc:\n    error = exc\n"
        + GOOD_Q1
    )
    result = grader.grade(grader.notebook({"q1": bomb}))
    assert cell(result, "q1-test").points == 2.0  # the original process carries on
    time.sleep(0.5)  # the zygote finishes its clean-up right after answering
    assert _processes_of(_uid(result)) == []


def test_sleeping_fork_bomb_is_reported_and_killed(grader) -> None:
    bomb = (
        "import os, time\ntry:\n    while True:\n        if os.fork() == 0:\n            time.sleep(1000)\n"
        "except OSError as exc:\n    error = exc\n" + GOOD_Q1
    )
    result = grader.grade(grader.notebook({"q1": bomb}))
    assert sum(scores(result).values()) == 7.0
    [message] = [m for m in result.messages if "were still running and were killed" in m]
    assert int(message.split()[0]) >= 20  # capped by the process limit (32)
    time.sleep(0.5)
    assert _processes_of(_uid(result)) == []


def test_spawned_and_daemonised_processes_are_killed(grader) -> None:
    spawn = (
        "import subprocess, os\n"
        "subprocess.Popen(['sleep', '987654'])\n"
        "if os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n        os.execvp('sleep', ['sleep', '987655'])\n    os._exit(0)\n"
        + GOOD_Q1
    )
    result = grader.grade(grader.notebook({"q1": spawn}))
    assert cell(result, "q1-test").points == 2.0
    # the subprocess (its child), the daemon (orphaned, the zygote's) and the zombie between
    # them: counted, though the notebook ran to its end (where the worker may answer before
    # the child's exit)
    [message] = [m for m in result.messages if "were still running and were killed" in m]
    assert int(message.split()[0]) >= 2
    time.sleep(0.5)
    leftovers = [p for p in os.listdir("/proc") if p.isdigit() and b"98765" in _cmdline(p)]
    assert leftovers == []
    assert _processes_of(_uid(result)) == []


def _cmdline(pid: str) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


# -- network ----------------------------------------------------------------------------


@pytest.fixture()
def local_server():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    accepted: list[object] = []

    def serve() -> None:
        server.settimeout(8)
        with contextlib.suppress(OSError):
            accepted.append(server.accept())

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], accepted
    server.close()


def test_sockets_cannot_reach_anything(grader, local_server) -> None:
    port, accepted = local_server
    probe = _probe(f"import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=2)")
    result = grader.grade(grader.notebook({"q1": probe}))
    assert cell(result, "q1-test").message in (
        "RuntimeError: probe: ConnectionRefusedError",
        "RuntimeError: probe: OSError",
    )
    assert accepted == []
    outside = _probe("import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=2)")
    assert (
        cell(grader.grade(grader.notebook({"q1": outside})), "q1-test").message
        == "RuntimeError: probe: OSError"
    )


# -- private data -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "relative",
    [
        "autograder/demo-course/units/demo-unit.json",
        ".mastery-data/mastery.db",
        ".mastery-data/submissions/grace/scores.ipynb",
        "courses/demo-course/units/scores.ipynb",
    ],
)
def test_private_files_cannot_be_read(grader, course_root, relative) -> None:
    path = course_root / relative
    assert path.exists()
    result = grader.grade(grader.notebook({"q1": _probe(f"open({str(path)!r}).read()")}))
    assert cell(result, "q1-test").message == "RuntimeError: probe: FileNotFoundError"


def test_instructor_home_and_other_attempts_are_hidden(grader) -> None:
    # the root is built for the child: homes and data folders show at most the folders
    # that lead to the Python environment (wherever it is installed), nothing else
    listing = _probe(
        "import os, sys, mastery_nb\n"
        "shown = {sys.prefix, sys.base_prefix, os.path.dirname(mastery_nb.__path__[0]), '/tmp/work'}\n"
        "shown |= {os.path.realpath(p) for p in shown} | {p for p in sys.path if p.endswith('-packages')}\n"
        "assert os.listdir('/dev/shm') == []\n"
        "for top in ('/tmp', '/root', '/home', '/srv', '/var/lib', '/mnt', '/media', '/opt'):\n"
        "    for entry in os.listdir(top) if os.path.isdir(top) else []:\n"
        "        path = os.path.join(top, entry)\n"
        "        assert any(s == path or s.startswith(path + '/') for s in shown), path\n"
    )
    result = grader.grade(grader.notebook({"q1": listing}))
    assert cell(result, "q1-test").message == "RuntimeError: probe: nothing"


def test_other_processes_are_invisible(grader) -> None:
    probe = _probe(
        "import os\nmine = {p for p in os.listdir('/proc') if p.isdigit()}\n"
        "assert mine == {str(os.getpid())}, mine\nopen(f'/proc/{os.getppid()}/cmdline').read()"
    )
    result = grader.grade(grader.notebook({"q1": probe}))
    assert cell(result, "q1-test").message == "RuntimeError: probe: FileNotFoundError"


def test_sandbox_runs_as_an_unprivileged_user(grader) -> None:
    check = _probe(
        "import os\nassert os.getuid() >= 61000 and os.getgid() >= 61000\nassert os.getgroups() == []\n"
        "assert 'MASTERY_NB_DB' not in os.environ and 'MASTERY_NB_GRADING' not in os.environ\n"
        "from mastery_nb.checks import frontend\nassert frontend.grading_mode()"
    )
    result = grader.grade(grader.notebook({"q1": check}))
    assert cell(result, "q1-test").message == "RuntimeError: probe: nothing"


def test_grading_yields_the_cpu_and_the_learner_cannot_take_it_back(grader) -> None:
    """Children run niced (Limits.nice), so a grading burst does not slow the service or
    learners' kernels on the same machine; a submission cannot lower its niceness again."""
    expected = min(19, os.nice(0) + grader.pool.limits.nice)
    check = _probe(
        f"import os\nassert os.nice(0) == {expected}, os.nice(0)\n"
        "try:\n    os.nice(-1)\nexcept PermissionError:\n    pass\n"
        "else:\n    raise AssertionError('it lowered its niceness')"
    )
    result = grader.grade(grader.notebook({"q1": check}))
    assert cell(result, "q1-test").message == "RuntimeError: probe: nothing"


# -- faking a pass ----------------------------------------------------------------------

WRONG_Q1 = "def total(xs):\n    return 42\n"


@pytest.mark.parametrize(
    "trick",
    [
        "len = lambda *a: 6\nisinstance = lambda *a: True\nabs = lambda x: 0",
        "import builtins\nbuiltins.AssertionError = type('AssertionError', (Exception,), {})\nAssertionError = builtins.AssertionError",
        "import builtins\nbuiltins.print = lambda *a, **k: None\nprint = builtins.print",
        "import builtins\n_real_import = builtins.__import__\nbuiltins.__import__ = lambda *a, **k: _real_import(*a, **k)",
    ],
    ids=["globals", "assertion-error", "print", "import"],
)
def test_shadowing_builtins_does_not_change_a_score(grader, trick) -> None:
    result = grader.grade(grader.notebook({"q1": WRONG_Q1 + trick}))
    q1 = cell(result, "q1-test")
    assert (q1.points, q1.status, q1.message) == (0.0, "failed", "AssertionError")


@pytest.mark.parametrize(
    "trick",
    [
        # the shell's own entry points and its error display
        "ip = get_ipython()\nip.run_cell = lambda *a, **k: None\nip.showtraceback = lambda *a, **k: None",
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "InteractiveShell.run_code = lambda self, code, result=None, *, async_=False: False\n"
        "InteractiveShell.showtraceback = lambda *a, **k: None",
        "import sys\nsys.excepthook = lambda *a: None\nsys.displayhook = lambda *a: None",
        "get_ipython().events.register('post_run_cell', lambda r: setattr(r, 'error_in_exec', None))",
        "get_ipython().set_custom_exc((BaseException,), lambda *a, **k: None)",
        # the testing helpers tests rely on
        "import numpy as np, pandas as pd\nnp.testing.assert_equal = lambda *a, **k: None\n"
        "pd.DataFrame.equals = lambda *a: True\nimport sys\nsys.modules['numpy.testing'] = None",
        # tracing to skip the failing line, and adding audit hooks
        "import sys\nsys.settrace(lambda *a: None)",
    ],
    ids=["shell", "shell-class", "hooks", "events", "custom-exc", "testing-modules", "settrace"],
)
def test_patching_the_machinery_does_not_fake_a_pass(grader, trick) -> None:
    result = grader.grade(
        grader.notebook({"q1": WRONG_Q1 + trick, "q2": "def top_scorer(frame):\n    return 'bob'"})
    )
    # (patching the shell class also stops the learner's own later cells: q3 is not asserted)
    assert scores(result)["q1-test"] == 0.0 and scores(result)["q2-test"] == 0.0
    assert cell(result, "q1-test").message == "AssertionError"


def test_a_forged_result_on_the_grading_channel_is_not_a_pass(grader) -> None:
    forge = (
        WRONG_Q1 + "import json, os, struct\n"
        "for fd in range(3, 20):\n"
        "    msg = json.dumps({'type': 'result', 'index': 4, 'status': 'ok', 'evidence': 'guess', 'value': None}).encode()\n"
        "    try:\n        os.write(fd, struct.pack('!I', len(msg)) + msg)\n    except OSError:\n        pass\n"
    )
    result = grader.grade(grader.notebook({"q1": forge}))
    assert cell(result, "q1-test").points == 0.0
    assert sum(scores(result).values()) == 0.0
    assert (
        "the notebook's process broke the grading protocol; grading of this notebook stopped"
        in result.messages
    )


def test_the_batch_completes_and_the_pool_still_grades_correctly(grader) -> None:
    hostile = [
        {"q1": "while True:\n    pass"},
        {"q1": "import os\nos._exit(3)"},
        {"q1": "import os\nwhile True:\n    os.fork()"},
        {"q1": "x = bytearray(10**11)"},
    ]
    jobs = [
        (
            grader.unit.bundle,
            {grader.unit.path: to_bytes(grader.notebook(h))},
            grader.files_dir,
            None,
        )
        for h in hostile
    ]
    jobs.append(
        (
            grader.unit.bundle,
            {grader.unit.path: to_bytes(grader.notebook())},
            grader.files_dir,
            None,
        )
    )
    results = grader.pool.map(jobs)
    assert len(results) == 5
    assert [scores(r)["q1-test"] for r in results] == [0.0, 0.0, 0.0, 0.0, 2.0]
    assert sum(scores(results[-1]).values()) == 7.0

"""Hostile code against the verdict path: each class of attack gets no credit, leaks
nothing, and leaves the pool grading correctly (docs/security.md, "What is defended").

Every case submits a *wrong* answer (``total`` returns 42) together with an attack; a test
cell that passed would be false credit.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from unitkit import TEST_LIMITS, Cell, cell, make_unit, scores, submit, to_bytes

WRONG = "def total(xs):\n    return 42\n"
GOOD = "def total(xs):\n    return sum(xs)\n"


def _no_credit(grader, attack: str, *, q2: str = "def top_scorer(frame):\n    return 'bob'"):
    """Grade the attack with wrong answers; nothing may pass; returns the result."""
    result = grader.grade(grader.notebook({"q1": WRONG + attack, "q2": q2, "q3": "mean_score = 1"}))
    assert scores(result) == {"q1-test": 0.0, "q2-test": 0.0, "q3-test": 0.0}, result
    return result


def _report(code: str) -> str:
    """Run ``code`` in an answer cell; the q1 test then fails with what it reported."""
    body = "".join(f"    {line}\n" for line in code.splitlines())
    return (
        "_found = []\n"
        "def _try(what, f):\n"
        "    try:\n"
        "        _found.append(f'{what}={f()!r}'[:80])\n"
        "    except BaseException as exc:\n"
        "        _found.append(f'{what}:{type(exc).__name__}')\n"
        f"def _attack():\n{body}\n"
        "_attack()\n"
        "def total(xs):\n    raise RuntimeError(' '.join(_found))\n"
    )


def _findings(result) -> str:
    message = cell(result, "q1-test").message
    assert message.startswith("RuntimeError: "), message
    return message.removeprefix("RuntimeError: ")


# -- the code that compiles and runs test cells cannot be patched or replaced --------------

MACHINERY_PATCHES = {
    "ast-parse": "import ast\nast.parse = lambda *a, **k: ast.parse('pass')\n"
    "ast.Module.body = property(lambda self: [])",
    "compile-exec": "import builtins\nbuiltins.compile = lambda *a, **k: compile('pass', '', 'exec')\n"
    "builtins.exec = lambda *a, **k: None\nbuiltins.eval = lambda *a, **k: 1",
    "runner-module": "import mastery_nb.grade.runner as r, mastery_nb.grade.sealed as s\n"
    "s.seal = r.serve = lambda *a, **k: None\ns.VETOED_EVENTS = frozenset()\n"
    "import sys\nsys.modules['mastery_nb.grade.sealed'] = None",
    "runner-classes": "import mastery_nb.grade.runner as r\n"
    "r.Runner.take_snapshot = lambda self: None\n"
    "type(get_ipython()).run_cell = lambda *a, **k: None",
    "code-swap": "import mastery_nb.grade.sealed as s, mastery_nb.grade.runner as r\n"
    "for f in (s.seal, s.make_audit_hook, r.serve, s.no_frame):\n"
    "    try:\n        f.__code__ = (lambda *a, **k: None).__code__\n    except RuntimeError:\n        pass\n"
    "    try:\n        f.__defaults__ = (None,)\n    except RuntimeError:\n        pass",
    "shell": "ip = get_ipython()\nip.run_cell = lambda *a, **k: None\nip.showtraceback = lambda *a, **k: None",
    "struct-hmac": "import struct, hmac, _hashlib, json\n"
    "struct.pack = lambda *a: b''\nhmac.digest = lambda *a: b'0' * 32\n"
    "_hashlib.hmac_digest = lambda *a: b'0' * 32\njson.dumps = lambda *a, **k: '{}'",
    "io": "import _io, io\n_io.StringIO.getvalue = lambda self: ''\nio.StringIO = None",
}


@pytest.mark.parametrize("attack", MACHINERY_PATCHES.values(), ids=MACHINERY_PATCHES.keys())
def test_patching_the_test_machinery_gives_no_credit(grader, attack) -> None:
    result = _no_credit(grader, attack)
    assert cell(result, "q1-test").message == "AssertionError"


def test_a_code_swap_on_a_function_is_refused(grader) -> None:
    found = _findings(
        grader.grade(
            grader.notebook(
                {
                    "q1": _report(
                        "def f():\n    return 1\n"
                        "_try('code', lambda: setattr(f, '__code__', (lambda: 2).__code__))\n"
                        "_try('defaults', lambda: setattr(f, '__defaults__', (1,)))\n"
                        "class S(str):\n    def __hash__(self):\n        return 0\n"
                        "    def __eq__(self, other):\n        return False\n"
                        "_try('subclass', lambda: setattr(f, S('__code__'), (lambda: 3).__code__))\n"
                        "_try('result', f)"
                    )
                }
            )
        )
    )
    # a name that only pretends to be __code__ sets an ordinary attribute: no swap either
    assert found == "code:RuntimeError defaults:RuntimeError subclass=None result=1"


# -- nothing learner code can read lets it reach the runner or the test --------------------


def test_every_way_to_a_frame_or_raw_memory_is_closed(grader) -> None:
    attack = _report(
        "import sys, gc, inspect, ctypes, marshal, types, threading, signal, os\n"
        "_try('getframe', lambda: sys._getframe(1).f_back)\n"
        "_try('frames', lambda: sys._current_frames())\n"
        "_try('inspect', lambda: inspect.currentframe())\n"
        "def _tb():\n    try:\n        1 / 0\n    except ZeroDivisionError as exc:\n"
        "        return exc.__traceback__.tb_frame\n"
        "_try('tb', _tb)\n"
        "def _gen():\n    yield 1\n"
        "_try('gen', lambda: _gen().gi_frame)\n"
        "_try('gc', lambda: len(gc.get_objects()))\n"
        "_try('referrers', lambda: gc.get_referrers(sys))\n"
        "_try('ctypes', lambda: ctypes.string_at(id(sys), 8))\n"
        "_try('pythonapi', lambda: ctypes.pythonapi.PyEval_GetFrame)\n"
        "_try('marshal', lambda: marshal.loads(marshal.dumps(1)))\n"
        "_try('code', lambda: (lambda: 1).__code__.replace(co_consts=(2,)))\n"
        "_try('thread', lambda: threading.Thread(target=print).start())\n"
        "_try('trace', lambda: sys.settrace(lambda *a: None))\n"
        "_try('hook', lambda: sys.addaudithook(lambda *a: None))\n"
        "_try('signal', lambda: signal.signal(signal.SIGUSR1, lambda *a: None))\n"
        "_try('mem', lambda: open('/proc/self/mem', 'rb'))\n"
        "_try('memfd', lambda: os.memfd_create('x'))\n"
        "_try('cffi', lambda: __import__('_cffi_backend'))\n"
        "import subprocess\n"
        "_try('unshare', lambda: subprocess.run(['unshare', '-U', 'true'], capture_output=True).returncode)\n"
    )
    found = _findings(grader.grade(grader.notebook({"q1": attack})))
    expected = (
        "getframe=None frames:RuntimeError inspect=None tb:RuntimeError gen:RuntimeError "
        "gc:RuntimeError referrers:RuntimeError ctypes:RuntimeError pythonapi:RuntimeError "
        "marshal:RuntimeError code:RuntimeError thread:RuntimeError trace:RuntimeError "
        "hook=None signal:PermissionError mem:PermissionError memfd:PermissionError "
        "cffi:ImportError unshare=1"
    )
    assert found == expected


def test_a_learner_function_called_by_a_test_reaches_no_frame(grader) -> None:
    spy = (
        "import sys, inspect\n"
        "def total(xs):\n"
        "    seen = []\n"
        "    for get in (lambda: sys._getframe(1), inspect.currentframe, inspect.stack):\n"
        "        try:\n"
        "            frame = get()\n"
        "            seen.append(repr(getattr(frame, 'f_locals', frame))[:40])\n"
        "        except BaseException as exc:\n"
        "            seen.append(type(exc).__name__)\n"
        "    raise RuntimeError(' | '.join(seen))\n"
    )
    message = cell(grader.grade(grader.notebook({"q1": spy})), "q1-test").message
    assert message == "RuntimeError: {} | None | AttributeError"


# -- only the runner speaks on the result channel -------------------------------------------

_FORGE = (
    "import os, struct\n"
    "def _forge():\n"
    "    payload = struct.pack('!IIIBBdd', 1, 4, 4, 0, 0, 0.0, 0.0) + b'\\0'\n"
    "    frame = struct.pack('!IB', len(payload) + 32, 14) + payload + b'0' * 32\n"
    "    for fd in range(3, 64):\n"
    "        try:\n            os.write(fd, frame)\n        except OSError:\n            pass\n"
)


def test_a_forked_process_cannot_speak_on_the_result_channel(grader) -> None:
    attack = _FORGE + "if os.fork() == 0:\n    _forge()\n    os._exit(0)\nos.wait()\n"
    result = _no_credit(grader, attack)
    assert "broke the grading protocol" in " ".join(result.messages)


def test_a_subprocess_given_the_channel_cannot_speak_on_it(grader) -> None:
    attack = (
        _FORGE + "import subprocess, sys, inspect\n"
        "source = 'import os, struct\\n' + inspect.getsource(_forge) + '_forge()\\n'\n"
        "subprocess.run([sys.executable, '-c', source], pass_fds=range(3, 64))\n"
    )
    _no_credit(grader, attack)


def test_the_runner_process_itself_cannot_forge_a_result(grader) -> None:
    attack = _FORGE + "_real = total\ndef total(xs):\n    _forge()\n    return _real(xs)\n"
    result = _no_credit(grader, attack)
    assert "broke the grading protocol" in " ".join(result.messages)


def test_a_forked_copy_returning_to_the_runner_reports_nothing(grader) -> None:
    # a copy made by os.fork() in a cell comes back into the runner's loop: it must exit
    # before it says anything, or the grader would see two results (or two runners)
    result = grader.grade(grader.notebook({"q1": GOOD + "import os\nos.fork()\n"}))
    assert sum(scores(result).values()) == 7.0
    assert not any("protocol" in m for m in result.messages)


# -- the grading mode is not something learner code can change -----------------------------

CHECKS = """from mastery_nb.checks import Checks, fail

checks = Checks(unit="mode-unit")
checks.single_choice("robust", objective="o", prompt="Robust?", options=["mean", "median"],
                     answer="median")


@checks.question("answer", objective="o")
def _answer(ns):
    if ns.get("answer") != 42:
        fail("answer should be 42")
"""

MODE_TRICKS = {
    "environment": "import os\nos.environ['MASTERY_NB_GRADING'] = '0'",
    "module-flag": "from mastery_nb.checks import frontend\nfrontend._GRADING_SEALED = False\n"
    "frontend.grading_mode = lambda: False",
    "library-module": "import mastery_nb.checks.api as api\n"
    "class F:\n    grading_mode = staticmethod(lambda: False)\n"
    "    display_bundle = staticmethod(lambda *a, **k: None)\napi.frontend = F",
    "class-methods": "from mastery_nb.checks.api import Checks\n"
    "Checks.quiz = lambda self, q: None\nChecks.check = lambda self, q: None",
    "rebinding": "class Fake:\n    def quiz(self, q):\n        return None\n"
    "    def check(self, q):\n        return None\nchecks = Fake()",
    "inside-the-test": "from mastery_nb.checks import frontend\nimport mastery_nb.checks.api as api\n"
    "class Sneaky:\n    def __eq__(self, other):\n        frontend._GRADING_SEALED = False\n"
    "        api.Checks.check = lambda *a: None\n        return False\nanswer = Sneaky()",
}


@pytest.fixture(scope="module")
def mode_unit(tmp_path_factory):
    from mastery_nb.course.model import Course

    root = tmp_path_factory.mktemp("mode-course")
    bundle_dir = root / "autograder" / "mode-course"
    (bundle_dir / "files" / "checks").mkdir(parents=True)
    (bundle_dir / "files" / "checks" / "mode-unit.py").write_text(CHECKS, encoding="utf-8")
    (bundle_dir / "course.json").write_text(
        Course(id="mode-course", title="Mode").model_dump_json(), encoding="utf-8"
    )
    unit = make_unit(
        [
            Cell(
                "locked",
                "load",
                "from mastery_nb.checks import load_checks\nchecks = load_checks('mode-unit')",
            ),
            Cell("answer", "a1", "answer = 42"),
            Cell("test", "quiz-test", 'checks.quiz("robust")', points=1, objectives=("o",)),
            Cell("test", "check-test", 'checks.check("answer")', points=1, objectives=("o",)),
        ],
        course="mode-course",
        unit="mode-unit",
        path="units/mode.ipynb",
    )
    return unit, bundle_dir / "files"


@pytest.mark.parametrize("trick", MODE_TRICKS.values(), ids=MODE_TRICKS.keys())
def test_quiz_and_check_cells_do_not_pass_unanswered_whatever_learner_code_does(
    pool, mode_unit, trick
) -> None:
    unit, files_dir = mode_unit
    answer = trick if "answer =" in trick else f"answer = 41\n{trick}"
    notebook = to_bytes(submit(unit, {"a1": answer}))
    result = pool.grade(unit.bundle, {unit.path: notebook}, Path(files_dir))
    assert scores(result) == {"quiz-test": 0.0, "check-test": 0.0}, result


# -- values that are not numbers are scored, never crash the batch -------------------------


@pytest.fixture(scope="module")
def value_unit():
    return make_unit(
        [
            Cell("answer", "v", "def value():\n    return 1.0"),
            Cell("test", "value-test", "value()", points=2, objectives=("o",)),
        ],
        unit="value-unit",
        path="units/value.ipynb",
    )


@pytest.mark.parametrize(
    "answer",
    [
        "float('nan')",
        "float('inf')",
        "-float('inf')",
        "10 ** 400",
        "__import__('numpy').float64('nan')",
        "__import__('numpy').float32(0.5)",
        "__import__('decimal').Decimal('NaN')",
        "complex(1, 1)",
        "0.75",
    ],
)
def test_non_json_values_are_scored(pool, value_unit, files_dir, answer) -> None:
    import json

    from mastery_nb.grade.scoring import partial_credit

    notebook = to_bytes(submit(value_unit, {"v": f"def value():\n    return {answer}"}))
    result = pool.grade(value_unit.bundle, {value_unit.path: notebook}, files_dir)
    got = cell(result, "value-test")
    # scored as nbgrader reads the shown value (text/plain), a finite number within points
    expected, _note = partial_credit(repr(eval(answer)), 2.0)
    assert got.points == expected and 0.0 <= got.points <= 2.0, got
    json.dumps([c.points for c in result.cells], allow_nan=False)  # storable as JSON


# -- a blocked channel is a timeout of that attempt, never a wedged worker ------------------


def test_a_child_that_stops_reading_is_a_timeout_not_a_wedged_worker(grader) -> None:
    nb = grader.notebook(
        {
            "q1": "import signal\nsignal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})\nwhile True:\n    pass"
        }
    )
    filler = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None}
    nb["cells"][3:3] = [dict(filler, source=f"x{i} = {i}") for i in range(3000)]
    started = time.monotonic()
    result = grader.grade(nb)
    limit = TEST_LIMITS.cell_timeout + TEST_LIMITS.interrupt_grace
    assert time.monotonic() - started < limit + 10
    assert sum(scores(result).values()) == 0.0
    assert "answer cell 'q1' took longer than 3 s and was stopped" in result.messages
    # the pool is not wedged: the next attempt grades as usual
    assert sum(scores(grader.grade(grader.notebook())).values()) == 7.0


def test_a_flood_on_the_result_channel_stops_the_notebook(grader) -> None:
    attack = "import os\nfor fd in range(3, 64):\n    try:\n        os.write(fd, b'\\xff' * 100_000)\n    except OSError:\n        pass\n"
    result = _no_credit(grader, attack)
    assert "broke the grading protocol" in " ".join(result.messages)


def test_a_thousand_one_line_cells_grade(grader) -> None:
    nb = grader.notebook()
    filler = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None}
    nb["cells"][1:1] = [dict(filler, source=f"y{i} = {i} * 2") for i in range(1000)]
    started = time.monotonic()
    result = grader.grade(nb)
    assert sum(scores(result).values()) == 7.0, result.messages
    assert time.monotonic() - started < 60
    assert os.getpid()  # the grader is alive and answered


# -- what the bundle's cells bound ----------------------------------------------------------


def test_a_module_rebound_by_the_learner_does_not_reach_the_test(grader) -> None:
    fake = (
        "import types\n"
        "np = types.SimpleNamespace(testing=types.SimpleNamespace(assert_equal=lambda *a: None))\n"
        "pd = None\n"
    )
    result = grader.grade(grader.notebook({"q2": "def top_scorer(frame):\n    return 42\n" + fake}))
    assert cell(result, "q2-test").points == 0.0


def test_a_function_a_locked_cell_defines_can_be_fixed_by_the_learner(pool, files_dir) -> None:
    unit = make_unit(
        [
            Cell("locked", "buggy", "def half(x):\n    return x / 3  # a bug to fix"),
            Cell("answer", "fix", "def half(x):\n    return x / 2"),
            Cell("test", "half-test", "assert half(8) == 4", points=1, objectives=("o",)),
        ],
        unit="fix-unit",
        path="units/fix.ipynb",
    )
    result = pool.grade(unit.bundle, {unit.path: to_bytes(submit(unit))}, files_dir)
    assert scores(result) == {"half-test": 1.0}


def test_tracebacks_print_without_frames(grader) -> None:
    printer = (
        "import traceback, io\n"
        "try:\n    1 / 0\nexcept ZeroDivisionError:\n"
        "    text = traceback.format_exc()\n"
        "    traceback.print_exc(file=io.StringIO())\n"
        "def total(xs):\n    raise RuntimeError(text.splitlines()[-1])\n"
    )
    message = cell(grader.grade(grader.notebook({"q1": printer})), "q1-test").message
    assert message == "RuntimeError: ZeroDivisionError: division by zero"


# -- plots: tests read matplotlib objects, so the learner cannot rewrite what they say -----


def plot_unit():
    return make_unit(
        [
            Cell("locked", "setup", "import matplotlib.pyplot as plt"),
            Cell(
                "answer",
                "p",
                "def bar_totals(values):\n    fig, ax = plt.subplots()\n"
                "    ax.bar(range(len(values)), values)\n    ax.set_title('Totals')\n    return ax",
            ),
            Cell(
                "test",
                "plot-test",
                "ax = bar_totals([3, 1, 2])\nassert ax.get_title() == 'Totals'\n"
                "assert [p.get_height() for p in ax.patches] == [3, 1, 2]",
                points=2,
                objectives=("o",),
            ),
        ],
        unit="plot-unit",
        path="units/plot.ipynb",
    )


PLOT_FAKES = {
    "axes-methods": "import matplotlib.axes\n"
    "matplotlib.axes.Axes.get_title = lambda self, loc='center': 'Totals'\n"
    "matplotlib.axes.Axes.patches = property(lambda self: [_Bar(3), _Bar(1), _Bar(2)])",
    "patch-class": "import matplotlib.patches\n"
    "matplotlib.patches.Rectangle.get_height = lambda self: 3\n"
    "import matplotlib.axes\n"
    "matplotlib.axes.Axes.get_title = lambda self, loc='center': 'Totals'",
}


@pytest.mark.parametrize("fake", PLOT_FAKES.values(), ids=PLOT_FAKES.keys())
def test_patching_matplotlib_does_not_fake_a_plot(pool, files_dir, fake) -> None:
    unit = plot_unit()
    wrong = (
        "class _Bar:\n    def __init__(self, h):\n        self.h = h\n"
        "    def get_height(self):\n        return self.h\n"
        "def bar_totals(values):\n    fig, ax = plt.subplots()\n    return ax\n"
    )
    right = to_bytes(submit(unit, {}))
    assert scores(pool.grade(unit.bundle, {unit.path: right}, files_dir)) == {"plot-test": 2.0}
    faked = to_bytes(submit(unit, {"p": wrong + fake}))
    result = pool.grade(unit.bundle, {unit.path: faked}, files_dir)
    assert scores(result) == {"plot-test": 0.0}, result

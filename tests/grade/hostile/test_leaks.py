"""Hostile code against the sandbox's allow-list and the feedback: nothing private is seen,
nothing of an attempt outlives it, no hidden test reaches a message in any encoding."""

from __future__ import annotations

import base64
import codecs
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from unitkit import SECRET, Cell, cell, make_unit, submit, to_bytes

from mastery_nb.grade.messages import MAX_CHARS, WITHHELD


def _probe(code: str) -> str:
    body = "".join(f"    {line}\n" for line in code.splitlines())
    return (
        "report = 'nothing'\ntry:\n"
        + body
        + "except BaseException as exc:\n    report = f'{type(exc).__name__}: {exc}'\n"
        "def total(xs):\n    raise RuntimeError('probe: ' + report)\n"
    )


def _reported(grader, code: str) -> str:
    return cell(grader.grade(grader.notebook({"q1": _probe(code)})), "q1-test").message


# -- the child's root is built for it: nothing else of the host --------------------------------


@pytest.fixture(scope="module")
def private_places(course_root: Path):
    """A course repository's .git, another copy of the course, another data folder."""
    git = course_root / ".git"
    (git / "objects").mkdir(parents=True, exist_ok=True)
    (git / "HEAD").write_text(SECRET, encoding="utf-8")
    copy = Path("/var/lib") / f"mastery-nb-course-copy-{uuid.uuid4().hex[:8]}"
    shutil.copytree(course_root / "courses", copy / "courses")
    data = Path("/srv") / f"mastery-nb-data-{uuid.uuid4().hex[:8]}"
    data.mkdir(parents=True)
    (data / "mastery.db").write_text(SECRET, encoding="utf-8")
    for place in (copy, data):
        place.chmod(0o755)
    try:
        yield [git / "HEAD", copy / "courses", data / "mastery.db", course_root]
    finally:
        shutil.rmtree(git, ignore_errors=True)
        shutil.rmtree(copy, ignore_errors=True)
        shutil.rmtree(data, ignore_errors=True)


def test_nothing_outside_the_allow_list_is_visible(grader, private_places) -> None:
    for place in private_places:
        message = _reported(grader, f"import os\nos.stat({str(place)!r})")
        assert (
            message
            == f"RuntimeError: probe: FileNotFoundError: [Errno 2] No such file or directory: {str(place)!r}"
        )


def test_mountinfo_names_no_private_path(grader, course_root: Path) -> None:
    listing = _reported(
        grader,
        "import os\nraise RuntimeError(open('/proc/self/mountinfo').read().replace(os.linesep, ' | '))",
    )
    assert "/proc/self/mountinfo" not in listing and " / / " in listing, listing
    for private in (str(course_root), "autograder", ".mastery-data", "courses", "/home"):
        assert private not in listing


def test_sysv_ipc_and_run_lock_do_not_outlive_the_attempt(grader) -> None:
    if shutil.which("ipcmk") is None or shutil.which("ipcs") is None:
        pytest.skip("util-linux's ipcmk/ipcs are not installed")
    before = subprocess.run(["ipcs"], capture_output=True, text=True).stdout
    lock = f"mastery-nb-{uuid.uuid4().hex}"
    made = _reported(
        grader,
        "import subprocess\n"
        "report = subprocess.run(['ipcmk', '-M', '4096'], capture_output=True, text=True).stdout\n"
        "report += subprocess.run(['ipcmk', '-Q'], capture_output=True, text=True).stdout\n"
        f"open('/run/lock/{lock}', 'w').write('x')\n"
        "raise RuntimeError(report.replace(chr(10), ' '))",
    )
    assert "Shared memory id" in made and "Message queue id" in made, made
    assert subprocess.run(["ipcs"], capture_output=True, text=True).stdout == before
    assert not Path("/run/lock", lock).exists()


def test_the_python_environment_is_shown_read_only(grader) -> None:
    import sys

    target = Path(sys.prefix) / "mastery-nb-was-here"
    message = _reported(grader, f"open({str(target)!r}, 'w')")
    # a bound environment is read-only; a venv folder only its owner may enter (shown item
    # by item) is a folder of root's in the new root, closed to the learner's uid
    assert message.startswith(
        (
            "RuntimeError: probe: OSError: [Errno 30] Read-only file system",
            "RuntimeError: probe: PermissionError: [Errno 13] Permission denied",
        )
    ), message
    assert not target.exists()


# -- feedback never carries a hidden test, in any encoding -----------------------------------

HIDDEN_INPUT = "[7331, 1337, 424242]"


@pytest.fixture(scope="module")
def leak_unit():
    return make_unit(
        [
            Cell("answer", "f", "def f(xs):\n    return sum(xs)"),
            Cell(
                "test",
                "f-test",
                "assert f([1, 2]) == 3",
                hidden=f"assert f({HIDDEN_INPUT}) == 433910  # {SECRET}",
                points=1,
                objectives=("o",),
            ),
        ],
        unit="leak-unit",
        path="units/leak.ipynb",
    )


def _encodings(text: str) -> list[str]:
    raw = text.encode()
    return [
        text,
        text[::-1],
        codecs.encode(text, "rot13"),
        base64.b64encode(raw).decode(),
        base64.urlsafe_b64encode(raw).decode(),
        raw.hex(),
        " ".join(str(b) for b in raw),
    ]


LEAKERS = {
    "plain": "str(xs)",
    "base64": "__import__('base64').b64encode(repr(xs).encode()).decode()",
    "hex": "repr(xs).encode().hex()",
    "reversed": "repr(xs)[::-1]",
    "rot13": "__import__('codecs').encode(repr(xs), 'rot13')",
    "codes": "' '.join(str(b) for b in repr(xs).encode())",
    "spread": "'\\n'.join(repr(xs))",
}


@pytest.mark.parametrize("leak", LEAKERS.values(), ids=LEAKERS.keys())
def test_hidden_test_inputs_never_reach_the_feedback(pool, leak_unit, files_dir, leak) -> None:
    answer = (
        f"def f(xs):\n    if len(xs) == 3:\n        raise ValueError({leak})\n    return sum(xs)"
    )
    notebook = to_bytes(submit(leak_unit, {"f": answer}))
    result = pool.grade(leak_unit.bundle, {leak_unit.path: notebook}, files_dir)
    shown = cell(result, "f-test")
    assert shown.points == 0.0
    assert WITHHELD in shown.message, shown.message
    everything = " ".join([shown.message, *result.messages])
    for secret in ("7331", "424242", SECRET):
        for form in _encodings(secret):
            assert form not in everything


def test_the_hidden_test_source_is_out_of_reach(pool, leak_unit, files_dir) -> None:
    # everything a learner function could look at while a hidden test runs
    answer = (
        "import sys, gc, inspect, linecache\n"
        "def f(xs):\n"
        "    found = []\n"
        "    for look in (lambda: sys._getframe(1).f_globals, lambda: inspect.stack(),\n"
        "                 lambda: gc.get_objects(), lambda: dict(linecache.cache),\n"
        "                 lambda: get_ipython().user_ns, lambda: open('/proc/self/mem', 'rb')):\n"
        "        try:\n"
        "            found.append(repr(look()))\n"
        "        except BaseException as exc:\n"
        "            found.append(type(exc).__name__)\n"
        "    seen = ' '.join(found)\n"
        "    if str(433909 + 1) in seen or '7f' + '3a' in seen:  # built here: not in this source\n"
        "        raise ValueError('found the hidden test')\n"
        "    raise ValueError('nothing found')\n"
    )
    notebook = to_bytes(submit(leak_unit, {"f": answer}))
    result = pool.grade(leak_unit.bundle, {leak_unit.path: notebook}, files_dir)
    assert cell(result, "f-test").message == "ValueError: nothing found"


def test_a_long_message_is_cut(pool, leak_unit, files_dir) -> None:
    answer = "def f(xs):\n    raise ValueError('x' * 100_000 + '\\n' * 50)"
    notebook = to_bytes(submit(leak_unit, {"f": answer}))
    message = cell(
        pool.grade(leak_unit.bundle, {leak_unit.path: notebook}, files_dir), "f-test"
    ).message
    assert message.startswith("ValueError: xxx") and len(message) <= MAX_CHARS

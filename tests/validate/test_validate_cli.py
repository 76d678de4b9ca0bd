"""``mastery-nb validate`` as a user runs it: a real process, real files, exit codes, no traceback."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

import pytest

from mastery_nb.root import CourseRoot

BROKEN = "courses/broken-course"

#: (file, place, message fragment): every mistake of issue 2, and a few more, in one run
EXPECTED = [
    (
        f"{BROKEN}/course.toml",
        "units[0].requires",
        "prerequisites form a cycle: alpha -> gamma -> beta -> alpha",
    ),
    (
        f"{BROKEN}/course.toml",
        "units[3].requires[0]",
        "requires unknown unit 'alhpa' (did you mean 'alpha'?)",
    ),
    (
        f"{BROKEN}/units/alpha.ipynb",
        "cell 0 (grade_id 'q-unknown')",
        "unknown objective 'frist' (did you mean 'first'?)",
    ),
    (
        f"{BROKEN}/units/alpha.ipynb",
        "cell 6 (grade_id 'q-other-unit')",
        "objective 'beta-objective' belongs to unit 'beta'",
    ),
    (
        f"{BROKEN}/course.toml",
        "units[0].objectives[2]",
        "objective 'orphan' of unit 'alpha' is assessed by no graded cell",
    ),
    (
        f"{BROKEN}/units/alpha.ipynb",
        "cell 1 (grade_id 'q-untagged')",
        "graded cell assesses no objective",
    ),
    (
        f"{BROKEN}/units/alpha.ipynb",
        "cell 3 (grade_id 'q-dup')",
        "duplicate grade_id 'q-dup': cell 2 has it too",
    ),
    (f"{BROKEN}/course.toml", "course.threshold", "threshold 1.5 is outside (0, 1]"),
    (f"{BROKEN}/course.toml", "units[0].objectives[0].threshold", "threshold 0 is outside (0, 1]"),
    (f"{BROKEN}/units/missing.ipynb", "", "notebook does not exist"),
    (f"{BROKEN}/units/unreadable.ipynb", "byte 72", "notebook is not UTF-8 text (unreadable)"),
    (f"{BROKEN}/units/invalid-json.ipynb", "line 3, column 24", "invalid notebook JSON"),
    (
        f"{BROKEN}/units/alpha.ipynb",
        "cell 4 (grade_id 'answer-open')",
        "BEGIN SOLUTION' at line 2 is never closed",
    ),
    (
        f"{BROKEN}/units/alpha.ipynb",
        "cell 5 (grade_id 'answer-hidden')",
        "hidden-test region ('### BEGIN HIDDEN TESTS') is outside a test cell",
    ),
    (f"{BROKEN}/course.toml", "policy.cooldown", "cooldown 'ten minutes' is not a duration"),
    (f"{BROKEN}/course.toml", "policy.scoring", 'scoring should be "best" or "latest"'),
    (
        f"{BROKEN}/course.toml",
        "units[3].treshold",
        "unknown key 'treshold' (did you mean 'threshold'?)",
    ),
]


def mastery_nb(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mastery_nb", *args], capture_output=True, text=True, timeout=120
    )


def test_broken_course_reports_every_mistake_at_once(make_root: Callable[..., CourseRoot]) -> None:
    root = make_root("broken-course")
    result = mastery_nb("validate", "broken-course", "--root", str(root.path))
    assert result.returncode == 2
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == len(EXPECTED)
    for file, place, fragment in EXPECTED:
        prefix = f"error: {file}: {place}: " if place else f"error: {file}: "
        matching = [line for line in errors if line.startswith(prefix) and fragment in line]
        assert matching, f"no line for {prefix}{fragment}\n{result.stderr}"
        assert ". Fix: " in matching[0]
    assert result.stderr.splitlines()[-1] == f"broken-course: {len(EXPECTED)} problems"


def test_clean_course_prints_one_summary_line(make_root: Callable[..., CourseRoot]) -> None:
    root = make_root("clean-course")
    result = mastery_nb("validate", "clean-course", "--root", str(root.path))
    # stderr holds only the first line, which says what is checked (before any slow import)
    assert (result.returncode, result.stderr) == (
        0,
        f"validating course clean-course in {root.courses_dir} ...\n",
    )
    assert result.stdout == "clean-course: ok: 3 units, 4 objectives, 9 graded cells, 11 points\n"


def test_unmodified_nbgrader_assignment_validates_as_a_unit(
    make_root: Callable[..., CourseRoot],
) -> None:
    root = make_root("nbgrader-course")
    result = mastery_nb("validate", "nbgrader-course", "--root", str(root.path))
    assert (result.returncode, result.stderr) == (
        0,
        f"validating course nbgrader-course in {root.courses_dir} ...\n",
    )
    assert (
        result.stdout == "nbgrader-course: ok: 1 units, 1 objectives, 9 graded cells, 13 points\n"
    )


def test_without_course_every_course_of_the_root_is_checked(
    make_root: Callable[..., CourseRoot],
) -> None:
    root = make_root("clean-course", "nbgrader-course", "broken-course")
    result = subprocess.run(
        [sys.executable, "-m", "mastery_nb", "validate"],
        cwd=root.path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stdout.splitlines() == [
        "clean-course: ok: 3 units, 4 objectives, 9 graded cells, 11 points",
        "nbgrader-course: ok: 1 units, 1 objectives, 9 graded cells, 13 points",
    ]
    assert f"broken-course: {len(EXPECTED)} problems" in result.stderr
    assert result.stderr.splitlines()[0] == (
        "validating 3 courses (broken-course, clean-course, nbgrader-course) "
        f"in {root.courses_dir} ..."
    )


def test_unknown_course_and_empty_root(make_root: Callable[..., CourseRoot]) -> None:
    root = make_root("clean-course")
    result = mastery_nb("validate", "nope", "--root", str(root.path))
    assert result.returncode == 2
    said, error = result.stderr.split("\n", 1)
    assert said == f"validating course nope in {root.courses_dir} ..."
    assert error.startswith("error: courses/nope/course.toml: no course 'nope'")
    assert "clean-course" in result.stderr and "Traceback" not in result.stderr

    empty = root.path.parent / "empty"
    empty.mkdir()
    result = mastery_nb("validate", "--root", str(empty))
    assert result.returncode == 2
    assert "no course found" in result.stderr and "--root" in result.stderr
    assert result.stderr.startswith("error: ")  # nothing to validate, nothing announced


def test_help_says_what_validate_does() -> None:
    result = mastery_nb("validate", "--help")
    assert result.returncode == 0
    assert "Every mistake is printed at once" in result.stdout
    assert (
        "error: FILE: PLACE: MESSAGE. Fix: FIX" in result.stdout
        and "exit code is 2" in result.stdout
    )
    overview = " ".join(mastery_nb("--help").stdout.split())
    assert "report every mistake at once" in overview


def test_a_bug_is_one_line_not_a_traceback(
    make_root: Callable[..., CourseRoot],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from mastery_nb import cli
    from mastery_nb.validate import course as validate_course

    def broken(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(validate_course, "validate_courses", broken)
    monkeypatch.delenv("MASTERY_NB_DEBUG", raising=False)
    root = make_root("clean-course")
    assert cli.main(["validate", "--root", str(root.path)]) == 1
    err = capsys.readouterr().err
    said, err = err.split("\n", 1)
    assert said.startswith("validating course clean-course in ")
    assert err.count("\n") == 1 and "RuntimeError: boom" in err and "MASTERY_NB_DEBUG=1" in err
    monkeypatch.setenv("MASTERY_NB_DEBUG", "1")
    with pytest.raises(RuntimeError, match="boom"):
        cli.main(["validate", "--root", str(root.path)])

"""The checks API without a kernel: verdicts, hints and solution gating, events, loading."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from checks_helpers import write_course

from mastery_nb.checks import PRACTICE_PASSED, Checks, ChecksError, fail, load_checks
from mastery_nb.checks.practice_log import PRACTICE_LOG, read_events


def learner(ns: dict[str, Any], code: str, cell: int = 1) -> None:
    """Run code as a notebook cell would: compiled under a cell-like file name."""
    exec(compile(code, f"<cell-{cell}>", "exec"), ns)


def loaded(course: Path, ns: dict[str, Any]) -> Checks:
    return load_checks("basics", start=course, namespace=ns)


# ---------------------------------------------------------------- verdicts of code checks


def test_correct_verdict_is_worded_as_practice(course: Path) -> None:
    ns: dict[str, Any] = {}
    learner(ns, "prices = [3, 4, 5]\ntotal = sum(prices)")
    v = loaded(course, ns).run("total-price")
    assert v.status == "correct"
    assert v.message == PRACTICE_PASSED
    assert "mastery is decided when you submit the unit" in v.message
    assert (v.objective, v.objective_text) == ("use-variables", "Store values in variables")


def test_incorrect_verdict_is_specific_and_hides_the_answer(course: Path) -> None:
    ns: dict[str, Any] = {}
    learner(ns, "prices = [3, 4, 5]\ntotal = '12'")
    checks = loaded(course, ns)
    v = checks.run("total-price")
    assert (v.status, v.message) == ("incorrect", "`total` should be an int, got a str")
    learner(ns, "total = 7")
    v = checks.run("total-price")
    assert v.status == "incorrect"
    assert "12" not in v.message  # expected= given, but the question does not reveal


def test_reveal_shows_the_expected_value_only_when_allowed(course: Path) -> None:
    ns: dict[str, Any] = {}
    learner(ns, "def mean_age(ages):\n    return sum(a for a in ages if a) / len(ages)")
    v = loaded(course, ns).run("mean-age")
    assert v.status == "incorrect"
    assert v.message.startswith("`mean_age` returned 27.666")
    assert v.message.endswith("(expected: 41.5)")


@pytest.mark.parametrize(
    "code",
    [
        "",  # the name was never defined: the stub cell raised before assigning
        "def mean_age(ages):\n    # YOUR CODE HERE\n    raise NotImplementedError()",
    ],
)
def test_untouched_stub_is_not_attempted(course: Path, code: str) -> None:
    ns: dict[str, Any] = {}
    learner(ns, code)
    v = loaded(course, ns).run("mean-age")
    assert v.status == "not_attempted"
    assert "mean_age" in v.message or "NotImplementedError" in v.message


def test_explicit_not_attempted(course: Path) -> None:
    v = loaded(course, {}).run("no-stub")
    assert (v.status, v.message) == ("not_attempted", "write `answer` first")


def test_learner_exception_is_shown_as_theirs(course: Path) -> None:
    ns: dict[str, Any] = {}
    learner(ns, "def mean_age(ages):\n    total = 0\n    return total / 0", cell=7)
    v = loaded(course, ns).run("mean-age")
    assert v.status == "error"
    assert v.message.startswith("Your code raised ZeroDivisionError: division by zero")
    assert "mastery_nb" not in v.message and "Traceback" not in v.message


def test_error_in_the_check_itself_is_not_blamed_on_the_learner(tmp_path: Path) -> None:
    units = write_course(
        tmp_path / "c",
        "from mastery_nb.checks import Checks\n"
        "checks = Checks(unit='basics')\n"
        "@checks.question('q', objective='o')\n"
        "def q(ns):\n"
        "    return ns['table']['missing-column']\n",
    )
    v = load_checks("basics", start=units, namespace={"table": {}}).run("q")
    assert v.status == "error"
    assert v.message.startswith(
        "The check could not run on your answer (KeyError: 'missing-column')"
    )


def test_hostile_learner_code_becomes_a_short_verdict(course: Path) -> None:
    ns: dict[str, Any] = {}
    learner(
        ns,
        "class Evil(Exception):\n"
        "    def __str__(self):\n"
        "        raise RuntimeError('no')\n"
        "def mean_age(ages):\n"
        "    raise Evil()\n",
    )
    checks = loaded(course, ns)
    v = checks.run("mean-age")
    assert v.status == "error"
    assert "Evil" in v.message and "could not be shown" in v.message
    learner(ns, "def mean_age(ages):\n    raise SystemExit(3)")
    assert checks.run("mean-age").message.startswith("Your code tried to exit")
    learner(ns, "def mean_age(ages):\n    raise ValueError('x' * 100000)")
    assert len(checks.run("mean-age").message) < 1000


def test_check_raises_assertion_only_in_grading_mode(
    course: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ns: dict[str, Any] = {"prices": [3, 4, 5], "total": 1}
    checks = loaded(course, ns)
    checks.check("total-price")  # practice: prints, never raises
    assert "Not yet" in capsys.readouterr().out
    monkeypatch.setenv("MASTERY_NB_GRADING", "1")
    with pytest.raises(AssertionError, match="did you skip one"):
        checks.check("total-price")
    ns["total"] = 12
    checks.check("total-price")


# ---------------------------------------------------------------- hints and solutions


def test_hints_one_at_a_time_and_logged(course: Path) -> None:
    checks = loaded(course, {})
    assert checks.next_hint("total-price") == "Hint 1 of 2: Add the prices of every item."
    assert checks.revealed_hints("total-price") == ("Add the prices of every item.",)
    assert checks.next_hint("total-price") == "Hint 2 of 2: Use sum() on the list."
    assert checks.next_hint("total-price").startswith("Hint 2 of 2 (no more hints)")
    events = read_events(course)
    assert [e.event for e in events] == ["hint", "hint", "hint"]
    assert all(e.outcome is None and e.objective == "use-variables" for e in events)


def test_solution_after_attempts_survives_a_kernel_restart(course: Path) -> None:
    ns: dict[str, Any] = {"prices": [3, 4, 5], "total": 2}
    checks = loaded(course, ns)
    shown, text = checks.reveal_solution("total-price")
    assert not shown and "after 2 checks" in text and "2 more" in text
    checks.run("total-price")
    assert checks.reveal_solution("total-price") == (
        False,
        "The solution becomes available after 2 checks of this question (1 more to go).",
    )
    # a new kernel: the in-memory count is gone, the practice log still counts
    again = loaded(course, ns)
    again.run("total-price")
    assert again.reveal_solution("total-price") == (True, "total = sum(prices)")
    assert [e.event for e in read_events(course)][-1] == "solution"


def test_not_attempted_checks_do_not_count_as_attempts(course: Path) -> None:
    checks = loaded(course, {})
    for _ in range(3):
        assert checks.run("total-price").status == "not_attempted"
    assert not checks.reveal_solution("total-price")[0]


def test_solution_after_mastery_reads_the_progress(tmp_path: Path) -> None:
    units = write_course(
        tmp_path / "c",
        "from mastery_nb.checks import Checks\n"
        "checks = Checks(unit='basics')\n"
        "@checks.question('q', objective='o', solution='x = 1', show_solution='after_mastery')\n"
        "def q(ns):\n    pass\n"
        "@checks.question('secret', objective='o', solution='y', show_solution='never')\n"
        "def secret(ns):\n    pass\n",
    )
    checks = load_checks("basics", start=units, namespace={})
    shown, text = checks.reveal_solution("q")  # no progress available: hidden, says when
    assert not shown and "once you have mastered this unit" in text
    checks.mastered = lambda: False
    assert not checks.reveal_solution("q")[0]
    checks.mastered = lambda: True
    assert checks.reveal_solution("q") == (True, "x = 1")
    assert not checks.reveal_solution("secret")[0]


# ---------------------------------------------------------------- practice log


def test_practice_events_have_the_documented_shape(course: Path) -> None:
    ns: dict[str, Any] = {"prices": [3, 4, 5], "total": 12}
    checks = loaded(course, ns)
    checks.run("total-price")
    checks.check_quiz("robust-statistic", "mean")
    lines = (course / PRACTICE_LOG).read_text().splitlines()
    first, second = (json.loads(line) for line in lines)
    assert set(first) == {"time", "course", "unit", "question", "objective", "event", "outcome"}
    assert first["time"].endswith("Z") and first["time"][:4].isdigit()
    assert (first["course"], first["unit"], first["question"]) == (
        "tiny-course",
        "basics",
        "total-price",
    )
    assert (first["event"], first["outcome"]) == ("check", "correct")
    assert (second["event"], second["outcome"], second["objective"]) == (
        "quiz",
        "incorrect",
        "describe-data",
    )


def test_practice_log_survives_broken_lines_and_grading_writes_none(
    course: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (course / PRACTICE_LOG).write_text('{"event": "check", "question": "q"\nnot json\n[1, 2]\n')
    checks = loaded(course, {"prices": [1], "total": 1})
    checks.run("total-price")
    assert [e.question for e in read_events(course)] == ["total-price"]
    monkeypatch.setenv("MASTERY_NB_GRADING", "1")
    checks.run("total-price")
    assert len(read_events(course)) == 1


def test_read_only_folder_never_breaks_a_check(course: Path) -> None:
    checks = loaded(course, {"prices": [1], "total": 1})
    checks.bind(folder=course / "does-not-exist")
    assert checks.run("total-price").status == "correct"


# ---------------------------------------------------------------- loading and authoring errors


def test_load_checks_walks_up_from_the_notebook_folder(course: Path) -> None:
    deeper = course / "part" / "two"
    deeper.mkdir(parents=True)
    checks = load_checks("basics", start=deeper, namespace={})
    assert checks.course == "tiny-course"
    assert checks.source == course.parent / "checks" / "basics.py"
    assert checks.folder == deeper


def test_load_checks_reads_course_toml_in_a_source_tree(tmp_path: Path) -> None:
    units = write_course(tmp_path / "courses" / "src-course")
    (units.parent / "course.json").unlink()
    (units.parent / "course.toml").write_text(
        '[course]\nid = "src-course"\ntitle = "S"\n[[units]]\nid = "basics"\ntitle = "B"\n'
        'notebooks = ["units/basics.ipynb"]\n[[units.objectives]]\nid = "use-variables"\n'
        'description = "Vars"\n'
    )
    checks = load_checks("basics", start=units, namespace={})
    assert checks.course == "src-course"
    assert checks.run("no-stub").objective_text == ""  # describe-data is not in this manifest
    assert checks._objective_text["use-variables"] == "Vars"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def broken(:\n", "line 1: invalid syntax"),
        ("from mastery_nb.checks import Checks\nchecks = Checks(unit='other')\n", "unit 'basics'"),
        ("x = 1\n", "no `checks = Checks(unit='basics')` found"),
        (
            "from mastery_nb.checks import Checks\nchecks = Checks(unit='basics')\n"
            "checks.single_choice('q', objective='o', prompt='p', options=['a', 'b'], answer='c')\n",
            "answer 'c' is not one of the options",
        ),
        (
            "from mastery_nb.checks import Checks\nchecks = Checks(unit='basics')\n"
            "checks.short_text('q', objective='o', prompt='p', patterns=['(unclosed'])\n",
            "not a valid regular expression",
        ),
        (
            "from mastery_nb.checks import Checks\nchecks = Checks(unit='basics')\n"
            "@checks.question('q', objective='o', show_solution='sometimes')\ndef q(ns): pass\n",
            "show_solution='sometimes' is not understood",
        ),
        (
            "from mastery_nb.checks import Checks\nchecks = Checks(unit='basics')\n"
            "checks.numeric('q', objective='o', prompt='p', answer=1)\n"
            "checks.numeric('q', objective='o', prompt='p', answer=2)\n",
            "declared twice",
        ),
    ],
)
def test_authoring_mistakes_are_one_clear_message(
    tmp_path: Path, source: str, expected: str
) -> None:
    units = write_course(tmp_path / "c", source)
    with pytest.raises(ChecksError) as info:
        load_checks("basics", start=units, namespace={})
    message = str(info.value)
    assert expected in message
    assert "checks/basics.py" in message and "Fix:" in message
    assert info.value._render_traceback_() == [f"error: {message}"]  # IPython: no traceback


def test_missing_checks_file(tmp_path: Path) -> None:
    with pytest.raises(ChecksError, match=r"no checks file checks/nope\.py"):
        load_checks("nope", start=tmp_path, namespace={})


def test_unknown_question_names_the_known_ones(course: Path) -> None:
    checks = loaded(course, {})
    with pytest.raises(KeyError, match="known: total-price, mean-age"):
        checks.run("total")
    with pytest.raises(KeyError, match="is a quiz"):
        checks.run("half")


def test_fail_outside_a_check_raises() -> None:
    with pytest.raises(Exception, match="nope"):
        fail("nope")


def test_checks_file_of_the_sample_course_loads(repo_root: Path) -> None:
    """Every sample-course checks file declares a registry for its own unit."""
    folder = repo_root / "courses" / "intro-data-science" / "checks"
    files = sorted(folder.glob("*.py"))
    if not files:
        pytest.skip("the sample course has no checks files yet")
    for path in files:
        checks = load_checks(path.stem, start=folder.parent / "units", namespace={})
        # a placement's checks file only declares its form: a test has no practice checks
        assert checks.unit == path.stem and (checks.ids or checks.has_form)
        assert checks.course == "intro-data-science"


def test_mastery_is_unknown_without_a_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside a Jupyter server (nbclient, the grader) the kernel cannot ask: unknown."""
    from mastery_nb.checks.gating import ask_server

    monkeypatch.delenv("MASTERY_NB_SERVER_URL", raising=False)
    monkeypatch.delenv("MASTERY_NB_KERNEL_TOKEN", raising=False)
    assert ask_server("basics") is None
    monkeypatch.setenv("MASTERY_NB_SERVER_URL", "http://127.0.0.1:9/")  # nothing listens
    monkeypatch.setenv("MASTERY_NB_KERNEL_TOKEN", "t")
    assert ask_server("basics") is None


def test_mastery_lookup_never_creates_a_database(tmp_path: Path) -> None:
    """A kernel in a course root without progress yet: unknown, and no side effects."""
    (tmp_path / "courses" / "tiny-course").mkdir(parents=True)
    (tmp_path / "courses" / "tiny-course" / "course.toml").write_text(
        '[course]\nid = "tiny-course"\n'
    )
    units = write_course(tmp_path / "courses" / "tiny-course")
    checks = load_checks("basics", start=units, namespace={})
    assert checks.mastered() is None
    assert not (tmp_path / ".mastery-data").exists()


def test_loading_checks_leaves_no_bytecode_beside_the_checks_file(
    course: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # release/ is committed and compared byte for byte; a __pycache__ there would make it stale
    monkeypatch.setattr("sys.dont_write_bytecode", False)
    checks = loaded(course, {})
    assert "total-price" in checks.ids
    assert not (course.parent / "checks" / "__pycache__").exists()
    assert sys.dont_write_bytecode is False  # restored after loading

"""The check and quiz widgets' own logic, driven through their ipywidgets state (no browser).

What a frontend would do is done to the widgets' traits (a value arriving from the browser
sets ``value``; a click calls the button's handlers), so the rules can be tested exactly:
a check judges the answer that arrives while it settles, an answer the browser sent before
the click replaces a verdict given too early, hints stay beside the solution, and a
"solution after mastery" note turns into "available" by itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from checks_helpers import write_course

from mastery_nb.checks import frontend, load_checks, widgets
from mastery_nb.checks.answers import lookup_answer
from mastery_nb.checks.widgets import CheckView, QuizView

WITH_MASTERY = """
from mastery_nb.checks import Checks, fail

checks = Checks(unit="basics")


@checks.question("total", objective="use-variables", prompt="Store the sum in `total`.",
                 hints=["Add them."], solution="total = a + b", show_solution="after_mastery")
def total(ns):
    if ns["total"] != 3:
        fail("`total` is not 3")


checks.numeric("half", objective="use-variables", prompt="What is `7 / 2`?", answer=3.5)
"""


def eventually(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.02)


def press(button: Any) -> None:
    button.click()  # ipywidgets runs the on_click handlers, as a click message would


@pytest.fixture
def quiz(tmp_path: Path) -> QuizView:
    units = write_course(tmp_path / "course", WITH_MASTERY)
    checks = load_checks("basics", start=units, namespace={})
    return QuizView(checks, "half", None, None)


def test_a_check_judges_the_answer_that_arrives_while_it_settles(quiz: QuizView) -> None:
    quiz.input.value = "3"
    press(quiz.check_button)
    quiz.input.value = "3.5"  # held back by the browser, arrives after the click
    eventually(lambda: "Your answer" in quiz.verdict.value)
    assert (
        "<code>3.5</code>" in quiz.verdict.value and 'data-status="correct"' in quiz.verdict.value
    )
    assert lookup_answer(quiz.checks.folder, "basics", "half") == "3.5"


def test_an_answer_sent_before_the_click_replaces_an_early_verdict(
    quiz: QuizView, monkeypatch: pytest.MonkeyPatch
) -> None:
    click = datetime(2026, 12, 1, 9, 0, 0, tzinfo=timezone.utc)
    sent: list[datetime] = [click - timedelta(seconds=2)]
    monkeypatch.setattr(frontend, "request_time", lambda: sent[0])
    quiz.input.value = "3"
    sent[0] = click
    press(quiz.check_button)
    eventually(lambda: "<code>3</code>" in quiz.verdict.value)
    assert 'data-status="incorrect"' in quiz.verdict.value
    sent[0] = click - timedelta(milliseconds=5)  # typed before the click, delivered late
    quiz.input.value = "3.5"
    assert (
        "<code>3.5</code>" in quiz.verdict.value and 'data-status="correct"' in quiz.verdict.value
    )
    sent[0] = click + timedelta(seconds=1)  # typed after the verdict: the verdict stands
    quiz.input.value = "4"
    assert "<code>3.5</code>" in quiz.verdict.value
    assert lookup_answer(quiz.checks.folder, "basics", "half") == "4"  # still saved as typed


def test_an_older_keystroke_never_overwrites_a_newer_one(
    quiz: QuizView, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = datetime(2026, 12, 1, 9, 0, 0, tzinfo=timezone.utc)
    sent = [now]
    monkeypatch.setattr(frontend, "request_time", lambda: sent[0])
    quiz.input.value = "3.5"
    sent[0] = now - timedelta(milliseconds=30)
    quiz.input.value = "3."
    assert quiz.value == "3.5"


def test_ticks_arriving_out_of_order_save_every_box_ticked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    units = write_course(tmp_path / "course")  # checks_helpers' course: "numeric-types"
    checks = load_checks("basics", start=units, namespace={})
    view = QuizView(checks, "numeric-types", None, None)
    now = datetime(2026, 12, 1, 9, 0, 0, tzinfo=timezone.utc)
    sent = [now]
    monkeypatch.setattr(frontend, "request_time", lambda: sent[0])
    view._boxes[2].value = True  # "float", ticked second, handled first
    sent[0] = now - timedelta(milliseconds=200)
    view._boxes[0].value = True  # "int", ticked first, handled last
    assert view.value == ["int", "float"]
    assert lookup_answer(checks.folder, "basics", "numeric-types") == ["int", "float"]


def test_hints_stay_and_the_mastery_gate_opens_by_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(widgets, "MASTERY_POLL_SECONDS", 0.05)
    units = write_course(tmp_path / "course", WITH_MASTERY)
    checks = load_checks("basics", start=units, namespace={"total": 2})
    mastered = [False]
    checks.mastered = lambda: mastered[0]
    view = CheckView(checks, "total", checks.run("total"))
    assert "Store the sum in <code>total</code>." in view.heading.value
    assert ">total<" not in view.heading.value.replace("<code>total</code>", "")  # not the id
    press(view.hint_button)
    assert "Hint 1 of 1" in view.hints.value and "That was the only hint." in view.hints.value
    assert "once you have mastered this unit" in view.hints.value
    press(view.solution_button)
    assert "Solution not available yet" in view.solution.value
    assert "Hint 1 of 1" in view.hints.value  # the hint stays
    mastered[0] = True  # the unit is graded and mastered meanwhile
    eventually(lambda: "The solution is available now" in view.solution.value)
    press(view.solution_button)
    assert "total = a + b" in view.solution.value and "Hint 1 of 1" in view.hints.value

"""The sample course's practice checks give specific, honest feedback (no kernel needed).

Each case runs one check of ``courses/intro-data-science/checks/<unit>.py`` against a
namespace built from a typical wrong answer, and asserts the verdict names what is wrong
("check how you handle missing values") without printing the value the check expected.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from course_content_helpers import COURSE, units

from mastery_nb.checks import Verdict, load_checks

UNITS = [u.id for u in units()]

#: code run before the learner's answer, as the notebook's set-up cells would
SETUP = {
    "python-basics": "coffee_price, cake_price, coffees, cakes = 2.40, 3.15, 2, 1",
}

# (unit, question, the learner's wrong answer, words the message must contain,
#  words it must not contain because they would give the expected answer away)
WRONG_ANSWERS = [
    (
        "python-basics",
        "receipt-total",
        "def receipt_total(coffee_price, cake_price, coffees, cakes):\n"
        "    return round(coffee_price + cake_price, 2)",
        "use `coffees` and `cakes`",
        ["7.95", "5.25"],
    ),
    (
        "python-basics",
        "receipt-total",
        "def receipt_total(coffee_price, cake_price, coffees, cakes):\n"
        "    return str(coffees * coffee_price + cakes * cake_price)",
        "it should be a number",
        ["7.95"],
    ),
]


WRITTEN = {u.id for u in units() if u.written}


@pytest.fixture
def units_dir(repo_root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run checks as the notebooks do: from the units folder, with no grading mode."""
    folder = repo_root / "courses" / COURSE / "units"
    monkeypatch.chdir(folder)
    for key in [k for k in os.environ if k.startswith("MASTERY_NB_")]:
        monkeypatch.delenv(key)
    return folder


def _run(unit: str, qid: str, code: str, folder: Path) -> Verdict:
    ns: dict[str, Any] = {}
    exec(SETUP.get(unit, ""), ns)
    exec(code, ns)
    checks = load_checks(unit, start=folder, namespace=ns)
    return checks.run(qid, record=False)


@pytest.mark.parametrize(
    ("unit", "qid", "code", "expected", "forbidden"),
    WRONG_ANSWERS,
    ids=[f"{u}:{q}" for u, q, *_ in WRONG_ANSWERS],
)
def test_wrong_answer_gets_a_specific_message(
    units_dir: Path, unit: str, qid: str, code: str, expected: str, forbidden: list[str]
) -> None:
    verdict = _run(unit, qid, code, units_dir)
    assert verdict.status == "incorrect", verdict
    assert expected in verdict.message
    for word in forbidden:
        assert word not in verdict.message, f"the message gives the answer away: {verdict.message}"
    assert verdict.objective


def test_learner_exception_is_an_error_verdict_showing_their_exception(units_dir: Path) -> None:
    code = "def receipt_total(coffee_price, cake_price, coffees, cakes):\n    return coffees / 0"
    verdict = _run("python-basics", "receipt-total", code, units_dir)
    assert verdict.status == "error"
    assert "ZeroDivisionError" in verdict.message


@pytest.mark.parametrize("unit", UNITS)
def test_every_code_question_is_not_attempted_on_an_empty_notebook(
    units_dir: Path, unit: str
) -> None:
    ns: dict[str, Any] = {}
    exec(SETUP.get(unit, ""), ns)
    checks = load_checks(unit, start=units_dir, namespace=ns)
    code_questions = []
    for qid in checks.ids:
        try:
            checks.code_question(qid)
        except KeyError:
            continue
        code_questions.append(qid)
        verdict = checks.run(qid, record=False)
        assert verdict.status == "not_attempted", (qid, verdict)
    assert code_questions


@pytest.mark.parametrize("unit", UNITS)
def test_quizzes_score_right_wrong_and_missing_answers(units_dir: Path, unit: str) -> None:
    checks = load_checks(unit, start=units_dir, namespace={})
    quizzes = 0
    for qid in checks.ids:
        try:
            q = checks.quiz_question(qid)
        except KeyError:
            continue
        quizzes += 1
        right: Any = list(q.answer) if isinstance(q.answer, tuple) else q.answer
        assert checks.score(qid, right).status == "correct", qid
        assert checks.score(qid, None).status == "not_attempted", qid
        if q.kind == "single_choice":
            wrong: Any = next(o for o in q.options if o != q.answer)  # type: ignore[union-attr]
        elif q.kind == "multiple_choice":
            wrong = right[:-1]
        elif q.kind == "numeric":
            wrong = float(q.answer) + 1  # type: ignore[arg-type]
        else:
            wrong = "trim"
        verdict = checks.score(qid, wrong)
        assert verdict.status == "incorrect", (qid, wrong)
        assert str(right) not in verdict.message, "a quiz must not reveal its answer"
    assert quizzes >= 1 or unit not in WRITTEN

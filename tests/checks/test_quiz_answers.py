"""Quiz scoring (pure) and the answers' round trip: file, notebook bundle, grader."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from mastery_nb.checks import ANSWER_MIME, extract_answers, load_checks, write_answers
from mastery_nb.checks.answers import ANSWERS_FILE, load_answers, lookup_answer, save_answer
from mastery_nb.checks.quiz import (
    MultipleChoice,
    Numeric,
    ShortText,
    SingleChoice,
    describe_answer,
    score,
)

SINGLE = SingleChoice("s", "o", "Robust?", options=("mean", "median"), answer="median")
MULTI = MultipleChoice(
    "m", "o", "Numeric?", options=("int", "str", "float"), answer=("int", "float")
)
NUM = Numeric("n", "o", "7/2?", answer=3.5, tolerance=0.01)
TEXT = ShortText("t", "o", "Middle?", patterns=(r"^\s*median\s*$",), answer="median")


@pytest.mark.parametrize(
    ("question", "answer", "status"),
    [
        (SINGLE, "median", "correct"),
        (SINGLE, "mean", "incorrect"),
        (SINGLE, None, "not_attempted"),
        (SINGLE, "mode", "not_attempted"),  # not an option: treated as no answer
        (MULTI, ["float", "int"], "correct"),
        (MULTI, ["int"], "incorrect"),
        (MULTI, ["int", "float", "str"], "incorrect"),
        (MULTI, [], "not_attempted"),
        (NUM, 3.5, "correct"),
        (NUM, 3.509, "correct"),
        (NUM, "3,5", "correct"),  # a decimal comma typed in the text box
        (NUM, 3.52, "incorrect"),
        (NUM, "three", "incorrect"),
        (NUM, "", "not_attempted"),
        (NUM, True, "not_attempted"),
        (NUM, float("nan"), "not_attempted"),
        (TEXT, " Median ", "correct"),
        (TEXT, "the median", "incorrect"),
        (TEXT, {"x": 1}, "not_attempted"),
    ],
)
def test_scoring(question: Any, answer: object, status: str) -> None:
    v = score(question, answer)
    assert v.status == status
    if status == "correct":
        assert v.message.startswith("Practice check passed")


@pytest.mark.parametrize("question", [SINGLE, MULTI, NUM, TEXT])
def test_wrong_answers_never_reveal_unless_allowed(question: Any) -> None:
    wrong = {"s": "mean", "m": ["str"], "n": 9.0, "t": "mode"}[question.id]
    hidden = score(question, wrong).message
    assert "The answer is" not in hidden
    assert describe_answer(question) not in hidden
    from dataclasses import replace

    shown = score(replace(question, reveal=True), wrong).message
    assert "The answer is:" in shown


def test_numeric_reveal_shows_the_tolerance() -> None:
    from dataclasses import replace

    assert score(replace(NUM, reveal=True), 9).message.endswith("The answer is: 3.5 ± 0.01.")


def test_saved_answers_round_trip_and_tolerate_damage(tmp_path: Path) -> None:
    assert save_answer(tmp_path, "u1", "q", "median")
    assert save_answer(tmp_path, "u2", "q", ["a", "b"])
    assert lookup_answer(tmp_path, "u1", "q") == "median"
    assert lookup_answer(tmp_path, "u2", "q") == ["a", "b"]
    assert lookup_answer(tmp_path, "u3", "q") is None
    data = json.loads((tmp_path / ANSWERS_FILE).read_text())
    assert data == {
        "schema_version": 1,
        "answers": {"u1": {"q": "median"}, "u2": {"q": ["a", "b"]}},
    }
    (tmp_path / ANSWERS_FILE).write_text("{not json")
    assert load_answers(tmp_path) == {}
    assert save_answer(tmp_path, "u1", "q", "mean")  # a broken file is replaced, not fatal
    assert lookup_answer(tmp_path, "u1", "q") == "mean"
    assert not list(tmp_path.glob(".mastery-answers-*.tmp"))


def test_write_answers_files_them_under_any_unit(tmp_path: Path) -> None:
    path = write_answers(tmp_path, {"q": 3.5, "r": ["x"], 7: "bad"})  # type: ignore[dict-item]
    assert path == tmp_path / ANSWERS_FILE
    assert lookup_answer(tmp_path, "whatever-unit", "q") == 3.5
    assert lookup_answer(tmp_path, "other", "r") == ["x"]


def _nb_with_outputs(*bundles: dict[str, Any]) -> Any:
    cells = []
    for bundle in bundles:
        cell = new_code_cell("checks.quiz('x')")
        cell.outputs = [new_output("display_data", data=bundle)]
        cells.append(cell)
    return new_notebook(cells=cells)


def test_extract_answers_reads_bundles_and_skips_malformed_ones(tmp_path: Path) -> None:
    nb = _nb_with_outputs(
        {ANSWER_MIME: {"question": "a", "answer": "median"}, "text/plain": "Saved"},
        {ANSWER_MIME: {"question": "b", "answer": ["int", "float"]}},
        {ANSWER_MIME: {"question": "a", "answer": "mean"}},  # later wins
        {ANSWER_MIME: {"answer": "orphan"}},
        {ANSWER_MIME: ["not", "a", "dict"]},
        {ANSWER_MIME: {"question": "c", "answer": {"nested": "object"}}},
        {"text/plain": "unrelated"},
    )
    assert extract_answers(nb) == {"a": "mean", "b": ["int", "float"], "c": None}
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(nb))
    assert extract_answers(path) == extract_answers(path.read_bytes()) == extract_answers(nb)
    with pytest.raises(TypeError):
        extract_answers(42)


def test_widget_free_answer_then_grader_round_trip(
    course: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Learner answers (keyboard path), grader extracts, writes and grades: same verdicts."""
    checks = load_checks("basics", start=course, namespace={})
    checks.answer("robust-statistic", "median")
    checks.answer("half", "3.4")
    out = capsys.readouterr().out
    assert "robust-statistic: Correct" in out and "half: Not yet" in out
    bundle = checks.answer_bundle("robust-statistic", "median")
    nb = _nb_with_outputs(bundle, checks.answer_bundle("half", "3.4"))
    answers = extract_answers(nb)
    assert answers == {"robust-statistic": "median", "half": "3.4"}

    workdir = tmp_path / "grading" / "units"
    workdir.mkdir(parents=True)
    write_answers(workdir, answers)
    monkeypatch.setenv("MASTERY_NB_GRADING", "1")
    grader_checks = load_checks("basics", start=course, namespace={}).bind(folder=workdir)
    grader_checks.quiz("robust-statistic")  # right: no exception
    with pytest.raises(AssertionError, match=r"^3\.4 is not within the accepted range"):
        grader_checks.quiz("half")
    with pytest.raises(AssertionError, match=r"^No answer yet"):
        grader_checks.quiz("centre")
    grader_checks.check("robust-statistic")  # check() on a quiz id grades the saved answer
    with pytest.raises(AssertionError, match="not within the accepted range"):
        grader_checks.check("half")

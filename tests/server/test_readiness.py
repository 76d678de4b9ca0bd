"""Before a submission: answers left as released and practice that fails (issue 12, item 2).

The route against a real Jupyter server with both backends (the store in the server, the
mastery service over HTTP), and the notebook reading on the sample course's released unit 1
(answer cells checked with nbgrader's checksums, quizzes with their saved answers).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
import pytest
from mini_course import COURSE_ID, WRONG_TOTAL
from test_routes import BASICS_NB, call, unit_of

from mastery_nb.checks.answers import ANSWER_MIME
from mastery_nb.documents import PracticeSummary, QuestionPractice
from mastery_nb.server.readiness import failing_practice, read_answers

pytestmark = pytest.mark.timeout(120)

REPO = Path(__file__).resolve().parents[2]
SAMPLE_UNIT = REPO / "release" / "intro-data-science" / "units" / "01-python-basics.ipynb"


def practice_line(question: str, outcome: str, second: int, event: str = "check") -> str:
    return json.dumps(
        {
            "time": f"2026-11-22T09:00:{second:02d}.000Z",
            "course": COURSE_ID,
            "unit": "python-basics",
            "question": question,
            "objective": "use-variables",
            "event": event,
            "outcome": outcome,
        }
    )


async def test_readiness_reads_answers_and_practice(jp_fetch: Any, workspace: Path) -> None:
    await call(jp_fetch, "mastery", "api", "units", "python-basics", "start", method="POST")
    code, progress = await call(jp_fetch, "mastery", "api", "progress")
    assert unit_of(progress, "python-basics")["state"] == "in_progress", (
        "in progress from the moment it is started, before any attempt"
    )
    assert unit_of(progress, "python-basics")["attempts_used"] == 0
    assert unit_of(progress, "loops")["state"] == "locked"

    code, ready = await call(jp_fetch, "mastery", "api", "units", "python-basics", "readiness")
    assert code == 200, ready
    assert ready == {
        "kind": "readiness",
        "unit": "python-basics",
        "answers": 2,
        "untouched": 2,
        "missing": [],
        "failing": [],
        "practice_problem": None,
    }

    # the learner answers one question and asks a practice check under the first heading
    path = workspace / BASICS_NB
    nb = nbformat.read(path, as_version=4)
    answer = next(c for c in nb.cells if c.metadata["nbgrader"].get("grade_id") == "answer-total")
    answer.source = WRONG_TOTAL
    nb.cells.insert(nb.cells.index(answer) + 1, nbformat.v4.new_code_cell('checks.ask("total")'))
    nbformat.write(nb, path)
    (path.parent / ".mastery-practice.jsonl").write_text(
        practice_line("total", "correct", 1)
        + "\n"
        + practice_line("total", "incorrect", 2)
        + "\n"
        + practice_line("other", "correct", 3)
        + "\n"
    )
    code, ready = await call(jp_fetch, "mastery", "api", "units", "python-basics", "readiness")
    assert (ready["answers"], ready["untouched"]) == (2, 1)
    assert ready["failing"] == [
        {
            "question": "total",
            "label": "Python basics",
            "objective": "use-variables",
            "event": "check",
            "outcome": "incorrect",
        }
    ], "the latest try fails; named by the heading above the cell that asks it"
    code, summary = await call(jp_fetch, "mastery", "api", "practice")
    assert summary["events"] == 3, "the workspace's practice was sent before it was read"

    # the check passes again: nothing fails
    with (path.parent / ".mastery-practice.jsonl").open("a") as log:
        log.write(practice_line("total", "correct", 4) + "\n")
    code, ready = await call(jp_fetch, "mastery", "api", "units", "python-basics", "readiness")
    assert ready["failing"] == []

    code, body = await call(jp_fetch, "mastery", "api", "units", "nope", "readiness")
    assert code == 404 and body["code"] == "unknown_unit"


@pytest.mark.parametrize("backend_kind", ["local"])
async def test_readiness_of_a_unit_not_started_names_its_notebooks(jp_fetch: Any) -> None:
    code, ready = await call(jp_fetch, "mastery", "api", "units", "python-basics", "readiness")
    assert code == 200
    assert ready["missing"] == [BASICS_NB] and ready["answers"] == 0


def _quiz_answer(cell: Any, question: str, answer: object) -> None:
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data", data={ANSWER_MIME: {"question": question, "answer": answer}}
        )
    ]


def test_answers_of_the_sample_unit_as_released_and_after_work() -> None:
    nb = nbformat.read(SAMPLE_UNIT, as_version=4)
    solutions = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]
    quizzes = [c for c in nb.cells if "checks.quiz(" in c.source]
    assert len(solutions) >= 5 and len(quizzes) >= 4

    released = read_answers({"a.ipynb": nbformat.writes(nb).encode()})
    assert released.answers == len(solutions) + len(quizzes)
    assert released.untouched == released.answers, "everything as released"
    assert released.labels["receipt-total"] == "Exercise 1.1: a café receipt"

    solutions[0].source = solutions[0].source.replace(
        "raise NotImplementedError()", "total = coffees * coffee_price"
    )
    _quiz_answer(quizzes[0], quizzes[0].source.split('"')[1], 3)
    _quiz_answer(quizzes[1], quizzes[1].source.split('"')[1], None)  # shown, never answered
    worked = read_answers({"a.ipynb": nbformat.writes(nb).encode()})
    assert worked.answers == released.answers
    assert worked.untouched == released.answers - 2

    # whitespace is a change too: nbgrader's checksum is of the exact source
    solutions[1].source += "\n"
    assert read_answers({"a.ipynb": nbformat.writes(nb).encode()}).untouched == (
        released.answers - 3
    )
    assert read_answers({"broken.ipynb": b"{not json"}).answers == 0


def test_failing_practice_is_the_latest_try_in_notebook_order() -> None:
    def question(name: str, last: str | None, unit: str = "u") -> QuestionPractice:
        return QuestionPractice(
            unit=unit,
            question=name,
            objective=None,
            event="check",
            tries=2,
            correct=1,
            last_outcome=last,  # type: ignore[arg-type]
            last_time="2026-11-22T09:00:00Z",
        )

    summary = PracticeSummary(
        course="c",
        student="ada",
        events=8,
        objectives={},
        latest=[],
        questions=[
            question("a", "error"),
            question("b", "incorrect"),
            question("c", "correct"),
            question("d", "not_attempted"),
            question("e", "incorrect", unit="other"),
        ],
    )
    failing = failing_practice(summary, "u", {"b": "Exercise 1", "a": "Exercise 2"})
    assert [(c.question, c.label, c.outcome) for c in failing] == [
        ("b", "Exercise 1", "incorrect"),
        ("a", "Exercise 2", "error"),
    ]

"""Practice checks and quiz widgets in a real JupyterLab, driven through Debian's Chromium.

A small course is written, released with ``mastery-nb release`` (the real release code),
and its ``release/<course>/`` copied into the server root the way a learner's workspace
gets it. The learner then: runs the checks cell, types a wrong answer, presses Check and
reads the specific message; fixes the answer, presses Check again and reads the honest
"practice check passed" verdict; answers a single-choice quiz, saves, reloads the page
and finds the answer kept, in the widget and in the saved notebook file that the grader
reads.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import nbformat
import pytest
from lab_browser import Lab, LabServer, copy_tree
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from mastery_nb.checks.answers import ANSWERS_FILE, extract_answers

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(300)]

COURSE = "demo-checks"
NOTEBOOK = f"{COURSE}/units/01-prices.ipynb"


def _nbgrader(
    grade_id: str,
    *,
    grade: bool = False,
    solution: bool = False,
    locked: bool = False,
    points: int | None = None,
) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if points is not None:
        meta["points"] = points
    return meta


def write_course(root: Path) -> None:
    """A one-unit course in nbgrader format with a checks file: the author's source."""
    course = root / "courses" / COURSE
    (course / "units").mkdir(parents=True)
    (course / "checks").mkdir()
    (course / "course.toml").write_text(
        textwrap.dedent("""
        [course]
        id = "demo-checks"
        title = "Checks demo"

        [[units]]
        id = "prices"
        title = "Prices"
        notebooks = ["units/01-prices.ipynb"]

        [[units.objectives]]
        id = "use-variables"
        description = "Store values in variables and compute with them"
    """)
    )
    (course / "checks" / "prices.py").write_text(
        textwrap.dedent("""
        from mastery_nb.checks import Checks, fail

        checks = Checks(unit="prices")

        @checks.question("total-price", objective="use-variables",
                         hints=["Two items at `price` each.", "Multiply price by 2."],
                         solution="total = 2 * price", show_solution="after_attempts:2")
        def total_price(ns):
            total = ns["total"]
            if not isinstance(total, (int, float)) or isinstance(total, bool):
                fail(f"`total` should be a number, got a {type(total).__name__}")
            if total == ns.get("price", 2.5):
                fail("`total` is the price of one item; the order has two")
            if total != 2 * ns.get("price", 2.5):
                fail(f"`total` is {total}, which is not the price of two items")

        checks.single_choice("best-centre", objective="use-variables",
                             prompt="Which statistic is robust to outliers?",
                             options=["mean", "median", "maximum"], answer="median")
    """)
    )
    cells = [
        new_code_cell(
            'from mastery_nb.checks import load_checks\n\nchecks = load_checks("prices")',
            metadata={"nbgrader": _nbgrader("load", locked=True)},
        ),
        new_markdown_cell("Two items cost `price` each. Store what they cost together in `total`."),
        new_code_cell(
            "price = 2.5\n### BEGIN SOLUTION\ntotal = 2 * price\n### END SOLUTION",
            metadata={"nbgrader": _nbgrader("answer-total", solution=True)},
        ),
        new_code_cell(
            'checks.ask("total-price")',
            metadata={"nbgrader": _nbgrader("practice-total", locked=True)},
        ),
        new_code_cell(
            'checks.check("total-price")',
            metadata={"nbgrader": _nbgrader("test-total", grade=True, locked=True, points=1)},
        ),
        new_code_cell(
            'checks.quiz("best-centre")',
            metadata={"nbgrader": _nbgrader("quiz-centre", grade=True, locked=True, points=1)},
        ),
    ]
    nb = new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    nbformat.write(nb, course / "units" / "01-prices.ipynb")


@pytest.fixture
def released_unit(tmp_path: Path, jupyterlab: LabServer) -> Path:
    """Release the course with the real CLI and copy ``release/<course>/`` into the server root."""
    source = tmp_path / "course-root"
    write_course(source)
    done = subprocess.run(
        [sys.executable, "-m", "mastery_nb", "release", "--root", str(source)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    workspace = jupyterlab.root / COURSE
    copy_tree(source / "release" / COURSE, workspace)
    stub = json.loads((workspace / "units" / "01-prices.ipynb").read_text())
    assert "raise NotImplementedError()" in "".join(stub["cells"][2]["source"])  # really released
    return workspace


def verdict(lab: Lab, index: int) -> Any:
    return lab.cells().nth(index).locator(".mastery-check-verdict")


def wait_status(lab: Lab, index: int, status: str) -> str:
    """Wait until cell ``index`` shows a verdict with ``status``; return its text."""
    lab.page.wait_for_function(
        f"() => document.querySelectorAll('.jp-Notebook .jp-Cell')[{index}]"
        f".querySelector('.mastery-check-verdict')?.dataset.status === '{status}'"
    )
    return str(verdict(lab, index).inner_text())


def test_check_button_quiz_and_reload(lab: Lab, jupyterlab: LabServer, released_unit: Path) -> None:
    page = lab.page
    lab.open(NOTEBOOK)
    load, answer, ask = (
        lab.index_of_source(s) for s in ("load_checks(", "price = 2.5", 'checks.ask("total-price")')
    )
    quiz = lab.index_of_source('checks.quiz("best-centre")')
    lab.run(load)
    lab.run(ask)  # the stub is untouched: not attempted
    page.wait_for_function(
        f"() => document.querySelectorAll('.jp-Notebook .jp-Cell')[{ask}]"
        ".querySelector('.mastery-check-verdict')?.dataset.status === 'not_attempted'"
    )
    assert "total is not defined yet" in verdict(lab, ask).inner_text()

    # a wrong answer: pressing Check names what is wrong, without the expected value
    lab.type_into(answer, "price = 2.5\ntotal = price")
    lab.run(answer)
    check_button = lab.cells().nth(ask).get_by_role("button", name="Check", exact=True)
    check_button.click()
    wrong = verdict(lab, ask)
    page.wait_for_function(
        f"() => document.querySelectorAll('.jp-Notebook .jp-Cell')[{ask}]"
        ".querySelector('.mastery-check-verdict')?.dataset.status === 'incorrect'"
    )
    text = wrong.inner_text()
    assert "price of one item" in text
    # the objective is named once, under the question's heading, not again in the verdict
    assert "Objective: use-variables" in lab.output_text(ask)
    assert "Objective" not in text
    assert "5.0" not in text  # the expected total is never printed

    # hints come one at a time
    lab.cells().nth(ask).get_by_role("button", name="Hint", exact=True).click()
    hints = lab.cells().nth(ask).locator(".mastery-check-hints")
    hints.get_by_text("Two items at").wait_for()
    assert "Multiply price by 2" not in hints.inner_text()

    # fix the cell, run it, press Check again: correct, worded as practice
    lab.type_into(answer, "price = 2.5\ntotal = 2 * price")
    lab.run(answer)
    check_button.click()
    page.wait_for_function(
        f"() => document.querySelectorAll('.jp-Notebook .jp-Cell')[{ask}]"
        ".querySelector('.mastery-check-verdict')?.dataset.status === 'correct'"
    )
    right = verdict(lab, ask).inner_text()
    assert "Correct" in right and "Practice check passed" in right
    assert "hidden tests run then" in right
    # two real checks so far: the author allows the solution after 2 attempts
    lab.cells().nth(ask).get_by_role("button", name="Solution", exact=True).click()
    lab.cells().nth(ask).locator(".mastery-check-solution").get_by_text(
        "total = 2 * price"
    ).wait_for()
    assert "Two items at" in hints.inner_text()  # the hint stays beside the solution
    lab.screenshot("checks-browser-correct.png")

    # the quiz: choose an answer, save, reload the page: the answer is kept
    lab.run(quiz)
    quiz_cell = lab.cells().nth(quiz)
    quiz_cell.get_by_role("radio", name="median").check()
    quiz_cell.get_by_text("Answer saved: median").wait_for()
    assert "Run this cell again" not in quiz_cell.inner_text()  # same page: bundle updated
    quiz_cell.get_by_role("button", name="Check answer").click()
    page.wait_for_function(
        f"() => document.querySelectorAll('.jp-Notebook .jp-Cell')[{quiz}]"
        ".querySelector('.mastery-check-verdict')?.dataset.status === 'correct'"
    )
    # the answer bundle in the quiz cell's own output was updated through its display id
    page.wait_for_function(
        f"""() => {{
            const c = window.jupyterapp.shell.currentWidget.content.widgets[{quiz}];
            const outs = c.model.outputs.toJSON();
            return outs.some(o => o.data && o.data['application/vnd.mastery-nb.answer+json']
                             && o.data['application/vnd.mastery-nb.answer+json'].answer === 'median');
        }}"""
    )
    lab.save()
    saved = json.loads((released_unit / "units" / "01-prices.ipynb").read_text())
    assert extract_answers(saved) == {"best-centre": "median"}
    assert json.loads((released_unit / "units" / ANSWERS_FILE).read_text())["answers"] == {
        "prices": {"best-centre": "median"}
    }

    lab.reload()
    quiz_cell = lab.cells().nth(quiz)
    radio = quiz_cell.get_by_role("radio", name="median")
    radio.wait_for()
    assert radio.is_checked()
    assert not quiz_cell.get_by_role("radio", name="mean").is_checked()
    quiz_cell.scroll_into_view_if_needed()
    lab.screenshot("checks-browser-quiz-after-reload.png")

    # changing the answer in the page reloaded: saved to the file at once, and the learner
    # is told to re-run the cell so the notebook carries it too
    quiz_cell.get_by_role("radio", name="mean").check()
    quiz_cell.get_by_text("Run this cell again").wait_for()
    answers_file = released_unit / "units" / ANSWERS_FILE
    assert json.loads(answers_file.read_text())["answers"]["prices"]["best-centre"] == "mean"
    lab.run(quiz)
    lab.save()
    assert extract_answers(released_unit / "units" / "01-prices.ipynb") == {"best-centre": "mean"}

    # a kernel restart: re-running the quiz cell restores the answer from the answers file
    page.evaluate(
        "() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.restart()"
    )
    lab.wait_idle()
    lab.run(load)
    lab.run(quiz)
    quiz_cell = lab.cells().nth(quiz)
    quiz_cell.get_by_text("Answer saved: mean").wait_for()
    assert quiz_cell.get_by_role("radio", name="mean").is_checked()
    events = [
        json.loads(line)
        for line in (released_unit / "units" / ".mastery-practice.jsonl").read_text().splitlines()
    ]
    assert [(e["event"], e["outcome"]) for e in events] == [
        ("check", "not_attempted"),
        ("check", "incorrect"),
        ("hint", None),
        ("check", "correct"),
        ("solution", None),
        ("quiz", "correct"),
    ]


SAMPLE = Path(__file__).resolve().parents[2] / "release" / "intro-data-science"
SAMPLE_UNIT = "units/01-python-basics.ipynb"


@pytest.mark.skipif(
    not (SAMPLE / SAMPLE_UNIT).is_file(), reason="the sample course is not released yet"
)
def test_sample_course_unit_one(lab: Lab, jupyterlab: LabServer) -> None:
    """The committed release of the sample course, unit 1, as a learner gets it."""
    workspace = jupyterlab.root / "intro-data-science"
    copy_tree(SAMPLE, workspace)
    from mastery_nb.checks import load_checks
    from mastery_nb.checks.quiz import SingleChoice

    checks = load_checks("python-basics", start=workspace / "units", namespace={})
    quiz_id, right = next(
        (qid, q.answer)
        for qid in checks.ids
        if qid in checks._quiz and isinstance(q := checks.quiz_question(qid), SingleChoice)
    )
    source = nbformat.read(SAMPLE.parents[1] / "courses" / "intro-data-science" / SAMPLE_UNIT, 4)
    solution = next(
        "".join(
            line
            for line in c.source.splitlines(keepends=True)
            if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION")
        )
        for c in source.cells
        if c.metadata.get("nbgrader", {}).get("grade_id") == "answer-receipt"
    )
    lab.open(f"intro-data-science/{SAMPLE_UNIT}")
    load = lab.index_of_source('load_checks("python-basics")')
    setup = lab.cell_index("(src, meta) => (meta.nbgrader || {}).grade_id === 'setup-receipt'")
    answer = lab.cell_index("(src, meta) => (meta.nbgrader || {}).grade_id === 'answer-receipt'")
    ask = lab.index_of_source('checks.ask("receipt-total")')
    quiz = lab.index_of_source(f'checks.quiz("{quiz_id}")')
    lab.run(load)
    lab.run(setup)

    lab.type_into(
        answer,
        "def receipt_total(coffee_price, cake_price, coffees, cakes):\n"
        "    return round(coffee_price + cake_price, 2)",
    )
    lab.run(answer)
    lab.run(ask)
    wrong = wait_status(lab, ask, "incorrect")
    assert "total" in wrong and "Objective: use-variables" in lab.output_text(ask)

    lab.type_into(answer, solution)
    lab.run(answer)
    lab.cells().nth(ask).get_by_role("button", name="Check", exact=True).click()
    assert "Practice check passed" in wait_status(lab, ask, "correct")

    lab.run(quiz)
    lab.cells().nth(quiz).get_by_role("radio", name=right, exact=True).check()
    lab.cells().nth(quiz).get_by_text(f"Answer saved: {right}").wait_for()
    lab.cells().nth(quiz).get_by_role("button", name="Check answer").click()
    wait_status(lab, quiz, "correct")
    lab.page.wait_for_function(
        f"""() => window.jupyterapp.shell.currentWidget.content.widgets[{quiz}].model.outputs
            .toJSON().some(o => o.data && (o.data['application/vnd.mastery-nb.answer+json'] || {{}})
            .answer === {json.dumps(right)})"""
    )
    lab.save()
    assert extract_answers(workspace / SAMPLE_UNIT)[quiz_id] == right
    lab.reload()
    radio = lab.cells().nth(quiz).get_by_role("radio", name=right, exact=True)
    radio.wait_for()
    assert radio.is_checked()
    lab.cells().nth(quiz).scroll_into_view_if_needed()
    lab.screenshot("checks-browser-sample-unit1.png")

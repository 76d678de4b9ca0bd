"""The check and quiz widgets as a learner meets them, in JupyterLab through Debian's Chromium.

Issue 12, items 1 and 7:

* a quiz judges the answer on the screen: a number or a word typed and checked at once
  (six times in a row, alternating right and wrong) gets the verdict for what was typed,
  Enter checks, and the answer saved (file and notebook) is the one judged;
* a check widget's heading is its prompt with `backticks` as code, not its id; hints stay
  when the solution opens; the last hint says so; "Solution not available yet" turns into
  "available" once enough checks are done; one saved-answer line per quiz; choices are
  labelled groups (``radiogroup``/``group`` named by the prompt) in the accessibility tree.

Screenshots of the widgets go to ``docs/img/check-widgets.png`` for docs/checks.md.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import nbformat
import pytest
from lab_browser import Lab, LabServer
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from mastery_nb.checks.answers import ANSWER_MIME, ANSWERS_FILE

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(300)]

REPO = Path(__file__).resolve().parents[2]
SCREENSHOT = REPO / "docs" / "img" / "check-widgets.png"
NOTEBOOK = "widgets-course/units/practice.ipynb"

CHECKS = """
from mastery_nb.checks import Checks, fail

checks = Checks(unit="practice")


@checks.question(
    "total-price",
    objective="use-variables",
    prompt="Store what two items at `price` each cost together in `total`.",
    hints=["Two items cost `price` each.", "Multiply: `2 * price`."],
    solution="total = 2 * price",
    show_solution="after_attempts:2",
)
def total_price(ns):
    if ns["total"] != 2 * ns["price"]:
        fail(f"`total` is {ns['total']!r}, which is not the price of two items")


checks.numeric(
    "floor-division",
    objective="use-variables",
    prompt="What is `7 // 2` in Python?",
    answer=3,
)
checks.short_text(
    "robust-word",
    objective="use-variables",
    prompt="Which statistic is robust to outliers? Type one word.",
    patterns=[r"^\\s*median\\s*$"],
)
checks.single_choice(
    "best-centre",
    objective="use-variables",
    prompt="Which statistic is **robust** to outliers?",
    options=["mean", "median", "maximum"],
    answer="median",
)
checks.multiple_choice(
    "even-numbers",
    objective="use-variables",
    prompt="Tick every even number.",
    options=["1", "2", "4"],
    answer=["2", "4"],
)
"""


@pytest.fixture
def practice_unit(jupyterlab: LabServer) -> Path:
    """A unit folder as a learner's workspace holds it: checks file, course.json, notebook."""
    course = jupyterlab.root / "widgets-course"
    (course / "checks").mkdir(parents=True)
    (course / "units").mkdir()
    (course / "checks" / "practice.py").write_text(textwrap.dedent(CHECKS))
    (course / "course.json").write_text(
        json.dumps(
            {
                "id": "widgets-course",
                "units": [
                    {
                        "id": "practice",
                        "objectives": [
                            {"id": "use-variables", "description": "Compute with variables"}
                        ],
                    }
                ],
            }
        )
    )
    cells = [
        new_code_cell(
            'from mastery_nb.checks import load_checks\n\nchecks = load_checks("practice")'
        ),
        new_markdown_cell("### Exercise 1: two items"),
        new_code_cell("price = 2.5\ntotal = price"),
        new_code_cell('checks.ask("total-price")'),
        new_code_cell('checks.quiz("floor-division")'),
        new_code_cell('checks.quiz("robust-word")'),
        new_code_cell('checks.quiz("best-centre")'),
        new_code_cell('checks.quiz("even-numbers")'),
    ]
    nb = new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    nbformat.write(nb, course / "units" / "practice.ipynb")
    return course / "units"


def verdict_of(lab: Lab, index: int) -> dict[str, str]:
    """The verdict a cell shows: status, the answer it judged, its words."""
    return dict(
        lab.page.evaluate(
            f"""() => {{
            const cell = document.querySelectorAll('.jp-Notebook .jp-Cell')[{index}];
            const v = cell.querySelector('.mastery-check-verdict');
            if (!v) return {{}};
            const a = v.querySelector('.mastery-check-answer code');
            return {{status: v.dataset.status, answer: a ? a.textContent : '', text: v.innerText}};
        }}"""
        )
    )


def wait_verdict_for(lab: Lab, index: int, answer: str) -> dict[str, str]:
    """Wait until the cell's verdict is for ``answer`` (what the learner typed)."""
    lab.page.wait_for_function(
        f"""() => {{
            const cell = document.querySelectorAll('.jp-Notebook .jp-Cell')[{index}];
            const a = cell.querySelector('.mastery-check-verdict .mastery-check-answer code');
            return a && a.textContent === {json.dumps(answer)};
        }}""",
        timeout=15_000,
    )
    return verdict_of(lab, index)


def bundle_answer(lab: Lab, index: int) -> Any:
    """The answer carried by the quiz cell's own output (what saving the notebook keeps)."""
    return lab.page.evaluate(
        f"""() => {{
            const c = window.jupyterapp.shell.currentWidget.content.widgets[{index}];
            const out = c.model.outputs.toJSON().find(o => o.data && o.data[{json.dumps(ANSWER_MIME)}]);
            return out ? out.data[{json.dumps(ANSWER_MIME)}].answer : undefined;
        }}"""
    )


def saved_answers(units: Path) -> dict[str, Any]:
    return dict(json.loads((units / ANSWERS_FILE).read_text())["answers"]["practice"])


def test_quiz_judges_what_was_typed(lab: Lab, practice_unit: Path) -> None:
    lab.open(NOTEBOOK)
    numeric = lab.index_of_source('checks.quiz("floor-division")')
    short = lab.index_of_source('checks.quiz("robust-word")')
    lab.run(0)
    lab.run(numeric)
    lab.run(short)

    cell = lab.cells().nth(numeric)
    box = cell.get_by_role("textbox", name="Your answer")
    check = cell.get_by_role("button", name="Check answer")
    # typed and checked at once, six times: each verdict is for the value on the screen
    for typed in ["3", "4", "3", "4", "3", "4"]:
        box.fill("")
        box.press_sequentially(typed)
        check.click()
        shown = wait_verdict_for(lab, numeric, typed)
        if typed == "3":
            assert shown["status"] == "correct", shown
        else:
            assert shown["status"] == "incorrect", shown
            assert "4 is not within the accepted range" in shown["text"]
        # the answer saved is the one judged: in the answers file and in the notebook
        assert saved_answers(practice_unit)["floor-division"] == typed
        lab.page.wait_for_function(
            f"() => {{ const c = window.jupyterapp.shell.currentWidget.content.widgets[{numeric}];"
            f" const o = c.model.outputs.toJSON().find(o => o.data && o.data[{json.dumps(ANSWER_MIME)}]);"
            f" return o && o.data[{json.dumps(ANSWER_MIME)}].answer === {json.dumps(typed)}; }}"
        )
    # Enter checks (it does not only save)
    box.fill("")
    box.press_sequentially("3")
    box.press("Enter")
    assert wait_verdict_for(lab, numeric, "3")["status"] == "correct"

    cell = lab.cells().nth(short)
    box = cell.get_by_role("textbox", name="Your answer")
    box.press_sequentially("mean")
    box.press("Enter")
    wrong = wait_verdict_for(lab, short, "mean")
    assert wrong["status"] == "incorrect" and "“mean” is not an accepted answer" in wrong["text"]
    box.fill("")
    box.press_sequentially("median")
    cell.get_by_role("button", name="Check answer").click()
    assert wait_verdict_for(lab, short, "median")["status"] == "correct"
    assert saved_answers(practice_unit)["robust-word"] == "median"
    assert bundle_answer(lab, short) == "median"

    # the practice log recorded one verdict per check, each for what was typed
    events = [
        json.loads(line)
        for line in (practice_unit / ".mastery-practice.jsonl").read_text().splitlines()
    ]
    numeric_outcomes = [e["outcome"] for e in events if e["question"] == "floor-division"]
    assert numeric_outcomes[-7:] == ["correct", "incorrect"] * 3 + ["correct"]


def test_check_widgets_read_well(lab: Lab, practice_unit: Path) -> None:
    page = lab.page
    lab.open(NOTEBOOK)
    ask = lab.index_of_source('checks.ask("total-price")')
    single = lab.index_of_source('checks.quiz("best-centre")')
    multiple = lab.index_of_source('checks.quiz("even-numbers")')
    for index in (0, 2, ask, single, multiple):
        lab.run(index)

    code_cell = lab.cells().nth(ask)
    # the heading is the prompt, Markdown rendered; the id is not shown
    prompt = code_cell.locator(".mastery-check-prompt")
    assert prompt.inner_text().strip() == (
        "Store what two items at price each cost together in total."
    )
    assert prompt.locator("code").all_inner_texts() == ["price", "total"]
    output = code_cell.locator(".jp-OutputArea").inner_text()
    assert "total-price" not in output
    assert "Objective: use-variables — Compute with variables" in output
    assert output.count("Objective:") == 1  # the verdict does not repeat it
    message = code_cell.locator(".mastery-check-message code").first
    assert message.inner_text() == "total"  # backticks in the check's message rendered as code

    hint = code_cell.get_by_role("button", name="Hint", exact=True)
    solution = code_cell.get_by_role("button", name="Solution", exact=True)
    hints = code_cell.locator(".mastery-check-hints")
    hint.click()
    hints.get_by_text("Hint 1 of 2").wait_for()
    assert "No more hints" not in hints.inner_text()
    hint.click()
    hints.get_by_text("No more hints").wait_for()
    assert "That was the last of 2 hints" in hints.inner_text()
    assert "after 2 checks of this question (1 more to go)" in hints.inner_text()

    # the solution is not available yet: the hints stay
    solution.click()
    notes = code_cell.locator(".mastery-check-solution")
    notes.get_by_text("Solution not available yet").wait_for()
    assert "Hint 1 of 2" in hints.inner_text() and "Hint 2 of 2" in hints.inner_text()
    assert "(1 more to go)" in notes.inner_text()
    # one more check opens the gate: the note says so without pressing Solution again
    code_cell.get_by_role("button", name="Check", exact=True).click()
    notes.get_by_text("The solution is available now").wait_for()
    assert "The solution is available: press Solution" in hints.inner_text()
    solution.click()
    notes.locator("code", has_text="total = 2 * price").wait_for()
    assert "Hint 2 of 2" in hints.inner_text()  # still there beside the solution

    # quizzes: the choices are groups named by the question's prompt
    radiogroup = page.get_by_role("radiogroup", name="Which statistic is robust to outliers?")
    radiogroup.get_by_role("radio", name="median").check()
    single_cell = lab.cells().nth(single)
    single_cell.get_by_text("Answer saved: median.").wait_for()
    group = page.get_by_role("group", name="Tick every even number.")
    assert group.get_by_role("checkbox").count() == 3
    group.get_by_role("checkbox", name="2").check()
    group.get_by_role("checkbox", name="4").check()
    multiple_cell = lab.cells().nth(multiple)
    multiple_cell.get_by_text("Answer saved: 2, 4.").wait_for()
    multiple_cell.get_by_role("button", name="Check answer").click()
    assert wait_verdict_for(lab, multiple, "2, 4")["status"] == "correct"
    # one status line per quiz: the answer bundle's text twin is not shown beside it
    for cell in (single_cell, multiple_cell):
        text = cell.locator(".jp-OutputArea").inner_text()
        assert text.count("Answer saved") == 1 and "Saved answer to" not in text
    assert bundle_answer(lab, multiple) == ["2", "4"]
    tree = single_cell.locator(".jp-OutputArea").aria_snapshot()
    assert 'radiogroup "Which statistic is robust to outliers?"' in tree

    single_cell.get_by_role("button", name="Check answer").click()
    wait_verdict_for(lab, single, "median")

    # the screenshot for docs/checks.md: the code check and the single-choice quiz
    page.set_viewport_size({"width": 1100, "height": 1900})
    code_cell.scroll_into_view_if_needed()
    page.evaluate(
        f"() => document.querySelectorAll('.jp-Notebook .jp-Cell')[{ask}].scrollIntoView()"
    )
    page.wait_for_timeout(300)  # let the notebook's virtual scrolling render the cells
    top = code_cell.bounding_box()
    bottom = single_cell.bounding_box()
    assert top and bottom
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=str(SCREENSHOT),
        clip={
            "x": top["x"],
            "y": top["y"],
            "width": top["width"],
            "height": bottom["y"] + bottom["height"] - top["y"],
        },
    )

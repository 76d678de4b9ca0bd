"""The sample course's advice "Restart the kernel and run all cells" works while answers are missing.

A learner opens the freshly released unit notebooks in JupyterLab, before writing any
answer, and chooses Kernel > Restart Kernel and Run All Cells (issue 12, item 8). Answer
and test cells raise (nothing is written yet), but they are tagged ``raises-exception``,
so JupyterLab goes on: every code cell runs, down to the last one.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lab_browser import Lab, LabServer, copy_tree

SAMPLE = Path(__file__).resolve().parents[2] / "release" / "intro-data-science"
UNITS = ["units/01-python-basics.ipynb", "units/04-loops-and-errors.ipynb"]


@pytest.mark.skipif(not SAMPLE.is_dir(), reason="the sample course is not released yet")
@pytest.mark.parametrize("notebook", UNITS)
def test_run_all_reaches_the_last_cell_with_no_answer_written(
    lab: Lab, jupyterlab: LabServer, notebook: str
) -> None:
    copy_tree(SAMPLE, jupyterlab.root / "intro-data-science")
    lab.open(f"intro-data-science/{notebook}")

    lab.page.get_by_role("menuitem", name="Kernel").click()
    lab.page.get_by_text("Restart Kernel and Run All Cells…").click()
    lab.page.get_by_role("button", name="Confirm Kernel Restart").click()
    lab.page.wait_for_function(
        """() => {
            const cells = window.jupyterapp.shell.currentWidget.content.widgets
                .filter(c => c.model.type === 'code');
            return cells.length > 0 && cells.every(c => c.model.executionCount !== null);
        }""",
        timeout=60_000,
    )
    lab.wait_idle(timeout=60_000)
    errors = lab.page.evaluate(
        """() => window.jupyterapp.shell.currentWidget.content.widgets
            .filter(c => c.model.type === 'code')
            .filter(c => c.model.outputs.toJSON().some(o => o.output_type === 'error'))
            .map(c => ((c.model.getMetadata('nbgrader') || {}).grade_id || '?'))"""
    )
    assert errors, "nothing is answered yet: the answer cells should show their errors"
    assert all(e.startswith(("answer-", "test-")) for e in errors), errors

"""Parallel forms in a real JupyterLab and Debian's Chromium: start, a wrong answer, submit,
and a new form with other numbers when the learner starts the unit again.

The sample course's unit 1 (python-basics) has parallel forms. The learner uses only the
Mastery sidebar's buttons and the notebook: Start (form 1, their own numbers), a wrong
answer, Submit; the in-process grader grades it (not mastered); the card now says "Your
form: 2" and offers "Start form 2", which keeps the form 1 notebook beside the new one and
opens form 2, whose setup cells hold other numbers.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lab_browser import Lab, LabServer, stop_jupyterlab
from sample_course import SAMPLE, SAMPLE_UNIT, pin_form_key, sample_root, serve_course

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(600)]

STUDENT = "fran"
GRADE_TIMEOUT = 120_000


@pytest.fixture
def forms_lab(tmp_path: Path) -> Iterator[LabServer]:
    root = sample_root(tmp_path)
    pin_form_key(root, b"browser forms")  # the learner's forms 1 and 2 on every run
    server = serve_course(root, tmp_path, STUDENT)
    try:
        yield server
    finally:
        stop_jupyterlab(server)


def _card(page: Any) -> Any:
    return page.locator('#jp-mastery-panel li.jp-Mastery-unit[data-unit="python-basics"]')


def _setup_sources(lab: Lab) -> dict[str, str]:
    """The setup cells of the open notebook, as the learner sees them (grade id -> source)."""
    found: dict[str, str] = lab.page.evaluate(
        """() => Object.fromEntries(window.jupyterapp.shell.currentWidget.content.widgets
               .map(c => [(c.model.getMetadata('nbgrader') || {}).grade_id || '',
                          c.model.sharedModel.getSource()])
               .filter(([id]) => id.startsWith('setup-')))"""
    )
    return found


def test_a_new_form_with_other_numbers_after_a_graded_attempt(
    forms_lab: LabServer, page: Any
) -> None:
    lab = Lab(page, forms_lab)
    course = json.loads(
        (forms_lab.root.parent / "course-root" / "release" / SAMPLE / "course.json").read_text()
    )
    title = next(u["title"] for u in course["units"] if u["id"] == "python-basics")
    page.goto(forms_lab.lab_url())
    page.wait_for_selector("#jupyterlab-splash", state="detached", timeout=90_000)
    page.locator('.jp-SideBar li[data-id="jp-mastery-panel"]').click()
    card = _card(page)
    card.locator(".jp-Mastery-form").wait_for(timeout=30_000)
    assert card.locator(".jp-Mastery-form").inner_text() == "Your form: 1"

    # start: form 1, the learner's own numbers in the setup cells
    page.get_by_role("button", name=f"Start unit {title}").click()
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    lab.wait_idle(timeout=90_000)
    form1 = _setup_sources(lab)
    assert "form." not in "".join(form1.values()), "the values are filled in"
    assert form1["setup-receipt"].startswith("# Setup for exercise 1.1")
    workspace = forms_lab.root / SAMPLE
    form_file = json.loads((workspace / "forms" / "python-basics.json").read_text())
    assert form_file["form"] == 1
    assert f"coffee_price = {form_file['values']['coffee_price']!r}" in form1["setup-receipt"]

    # a wrong answer, submitted from the sidebar: graded, not mastered
    receipt = lab.cell_index("(src, meta) => (meta.nbgrader || {}).grade_id === 'answer-receipt'")
    lab.type_into(
        receipt,
        "def receipt_total(coffee_price, cake_price, coffees, cakes):\n"
        "    return round(coffee_price + cake_price, 2)",
    )
    page.get_by_role("button", name=f"Submit unit {title}").click()
    page.wait_for_selector(
        '#jp-mastery-panel li.jp-Mastery-unit[data-unit="python-basics"][data-state="in_progress"]',
        timeout=GRADE_TIMEOUT,
    )

    # the card offers the new form; starting it keeps form 1's notebook and opens form 2
    card.locator(".jp-Mastery-form").get_by_text("Your form: 2").wait_for(timeout=30_000)
    start = card.get_by_role("button", name=f"Start unit {title}")
    assert start.inner_text() == "Start form 2"
    start.click()
    status = page.locator("#jp-mastery-panel .jp-Mastery-status")
    status.get_by_text("01-python-basics.form-1.ipynb").wait_for(timeout=60_000)
    assert "(form 2)" in status.inner_text()
    page.wait_for_function(
        "() => (window.jupyterapp.shell.currentWidget?.context?.path || '').endsWith('01-python-basics.ipynb')"
    )
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    lab.wait_idle(timeout=90_000)
    form2 = _setup_sources(lab)
    assert form2.keys() == form1.keys()
    assert form2 != form1, "form 2 has other numbers"
    changed = [g for g in form1 if form1[g] != form2[g]]
    assert len(changed) >= len(form1) - 2, changed  # nearly every setup cell differs

    # on disk: form 1's notebook kept with the learner's answer, form 2 in its place
    kept = (workspace / "units" / "01-python-basics.form-1.ipynb").read_text()
    assert "return round(coffee_price + cake_price, 2)" in kept
    assert (
        json.loads((workspace / SAMPLE_UNIT.split("/", 1)[1]).read_text())["metadata"]["mastery"][
            "form"
        ]
        == 2
    )
    assert json.loads((workspace / "forms" / "python-basics.json").read_text())["form"] == 2
    assert card.get_by_role("button", name=f"Submit unit {title}").is_visible()
    lab.screenshot("forms-new-form.png")

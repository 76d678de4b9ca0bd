"""Reading and driving the Mastery sidebar as a learner does, for the sidebar's browser tests.

A uniquely named module (like ``lab_browser``): ``from sidebar_page import ...``.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from lab_browser import Lab, LabServer

__all__ = [
    "GRADE_TIMEOUT",
    "card",
    "open_panel",
    "practise",
    "progress",
    "show_panel_top",
    "skew_browser_clock",
    "state_of",
    "wait_state",
    "wait_text",
]

GRADE_TIMEOUT = 120_000
PANEL = "#jp-mastery-panel"


def open_panel(page: Any, server: LabServer) -> Any:
    """Open JupyterLab and the Mastery tab; return the panel's locator."""
    page.goto(server.lab_url())
    page.wait_for_selector("#jupyterlab-splash", state="detached", timeout=90_000)
    page.locator('.jp-SideBar li[data-id="jp-mastery-panel"]').click()
    panel = page.locator(PANEL)
    panel.wait_for(state="visible")
    panel.locator(".jp-Mastery-unit").first.wait_for(timeout=30_000)
    return panel


def card(page: Any, unit_id: str) -> Any:
    return page.locator(f'{PANEL} li.jp-Mastery-unit[data-unit="{unit_id}"]')


def state_of(page: Any, unit_id: str) -> str:
    return str(card(page, unit_id).locator(".jp-Mastery-state").inner_text()).strip()


def wait_state(page: Any, unit_id: str, state: str, timeout: float = GRADE_TIMEOUT) -> None:
    page.wait_for_selector(
        f'{PANEL} li.jp-Mastery-unit[data-unit="{unit_id}"][data-state="{state}"]',
        timeout=timeout,
    )


def wait_text(page: Any, selector: str, text: str, timeout: float = 30_000) -> None:
    """Wait until the element at ``selector`` contains ``text``."""
    page.wait_for_function(
        "([s, t]) => (document.querySelector(s)?.textContent || '').includes(t)",
        arg=[selector, text],
        timeout=timeout,
    )


def progress(server: LabServer) -> dict[str, Any]:
    """The learner's progress as the server answers it (what the sidebar reads)."""
    answer: dict[str, Any] = server.api("GET", "mastery/api/progress")
    return answer


def skew_browser_clock(context: Any, seconds: float) -> None:
    """Make every page of ``context`` believe the time is ``seconds`` off (negative: behind).

    ``Date()``/``Date.now()`` only: timers run at their normal pace, as on a learner's
    laptop whose clock is wrong."""
    context.add_init_script(
        f"""(() => {{
            const skew = {json.dumps(seconds * 1000)};
            const Real = Date;
            class Skewed extends Real {{
                constructor(...args) {{ if (args.length === 0) {{ super(Real.now() + skew); }} else {{ super(...args); }} }}
                static now() {{ return Real.now() + skew; }}
            }}
            window.Date = Skewed;
        }})();"""
    )


def utc(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(timezone.utc)


def show_panel_top(page: Any) -> None:
    """For a screenshot: the panel scrolled to its top (Up next, the map), the mouse away."""
    page.locator(PANEL).evaluate("p => { p.scrollTop = 0; }")
    page.mouse.move(900, 950)


#: unit 1 of the sample course: a wrong answer its practice check rejects, a right one
WRONG_RECEIPT = (
    "def receipt_total(coffee_price, cake_price, coffees, cakes):\n"
    "    return round(coffee_price + cake_price, 2)"
)
RIGHT_DURATION = (
    "def whole_hours(minutes):\n    return minutes // 60\n\n\n"
    "def minutes_left(minutes):\n    return minutes % 60"
)


def practise(lab: Lab, answers: dict[str, tuple[str, str]]) -> None:
    """In the open notebook of the sample course's unit 1: load the checks, then for each
    answer cell (grade id -> (source, practice question)) type the answer, run it and run
    its practice check, as a learner does."""
    lab.run(lab.index_of_source('load_checks("python-basics")'))
    for grade_id, (source, question) in answers.items():
        index = lab.cell_index(f"(src, meta) => (meta.nbgrader || {{}}).grade_id === '{grade_id}'")
        lab.type_into(index, source)
        lab.run(index)
        lab.run(lab.index_of_source(f'checks.ask("{question}")'))

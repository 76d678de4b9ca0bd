"""One grading channel: nbgrader's own student and instructor UI is off where mastery-nb is installed.

Issue 12, item 5. mastery-nb ships Jupyter config (``etc/jupyter/labconfig/page_config.d``
and ``etc/jupyter/jupyter_server_config.d``) that disables nbgrader's JupyterLab extension
(the Nbgrader menu, the Validate button on every notebook, the Create Assignment sidebar,
the assignment and course lists) and its server extensions (formgrader, assignments,
courses, validate). A learner opening a notebook sees only the Mastery sidebar; an
instructor turns nbgrader's UI back on as docs/jupyterlab.md says: here with the
instructors' config folder on ``JUPYTER_CONFIG_PATH``.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import nbformat
import pytest
from lab_browser import Lab, LabServer, start_jupyterlab, stop_jupyterlab
from nbformat.v4 import new_code_cell, new_notebook

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(300)]

NBGRADER_ROUTES = ("formgrader", "assignments", "formgraders", "nbgrader_version")
SERVER_EXTENSIONS = ("formgrader", "validate_assignment", "assignment_list", "course_list")


def status_of(server: LabServer, path: str) -> int:
    request = urllib.request.Request(
        f"{server.url}{path}", headers={"Authorization": f"token {server.token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def open_notebook(lab: Lab) -> None:
    nbformat.write(
        new_notebook(
            cells=[new_code_cell("x = 1")],
            metadata={
                "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
            },
        ),
        lab.server.root / "homework.ipynb",
    )
    lab.open("homework.ipynb")


def menu_titles(page: Any) -> list[str]:
    return [t.strip() for t in page.locator("#jp-MainMenu .lm-MenuBar-itemLabel").all_inner_texts()]


def test_nbgrader_ui_is_off_by_default(lab: Lab, jupyterlab: LabServer) -> None:
    page = lab.page
    open_notebook(lab)
    page.locator("#jp-mastery-panel").wait_for(state="attached")  # the one grading channel
    titles = menu_titles(page)
    assert "File" in titles and "Kernel" in titles  # the menu bar is there
    assert "Nbgrader" not in titles
    toolbar = page.locator(".jp-NotebookPanel-toolbar")
    toolbar.get_by_role("button", name="Run this cell and advance").or_(
        toolbar.locator("[data-command='notebook:run-cell-and-select-next']")
    ).first.wait_for()
    assert toolbar.get_by_text("Validate", exact=True).count() == 0
    assert page.locator(".jp-SideBar").get_by_text("Create Assignment").count() == 0
    for route in NBGRADER_ROUTES:
        assert status_of(jupyterlab, route) == 404, route
    lab.screenshot("one-grading-channel.png")


def test_an_instructor_turns_nbgrader_back_on(tmp_path: Path, page: Any) -> None:
    """The instructors' config folder of docs/jupyterlab.md, on the Jupyter config path."""
    instructors = tmp_path / "instructor-config"
    (instructors / "labconfig").mkdir(parents=True)
    (instructors / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": {"@jupyter/nbgrader": False}})
    )
    (instructors / "jupyter_server_config.json").write_text(
        json.dumps(
            {
                "ServerApp": {
                    "jpserver_extensions": {
                        f"nbgrader.server_extensions.{name}": True for name in SERVER_EXTENSIONS
                    }
                }
            }
        )
    )
    root = tmp_path / "root"
    root.mkdir()
    server = start_jupyterlab(
        root, tmp_path / "home", extra_env={"JUPYTER_CONFIG_PATH": str(instructors)}
    )
    try:
        lab = Lab(page, server)
        open_notebook(lab)
        page.locator("#jp-MainMenu").get_by_text("Nbgrader", exact=True).wait_for()
        assert "Nbgrader" in menu_titles(page)
        page.locator(".jp-NotebookPanel-toolbar").get_by_text("Validate", exact=True).wait_for()
        assert page.locator(".jp-SideBar").get_by_text("Create Assignment").count() == 1
        assert status_of(server, "nbgrader_version?version=0.9.6") == 200
    finally:
        stop_jupyterlab(server)

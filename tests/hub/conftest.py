"""Real JupyterHubs with the mastery service as a managed service over the released mini course.

``hub``: dummy authenticator, no proxy, the service on SQLite without graders; users and
tokens made through the hub's REST API (roles, routes). ``class_hub`` (one per session):
configurable-http-proxy, the service on PostgreSQL with its graders, and every user's own
JupyterLab running as their own OS user (:mod:`class_hub`; needs root).
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "browser"))

from class_hub import ClassHub, cannot_run_as_other_users, running_class_hub
from hub_process import Hub, start_hub, stop_hub
from lab_browser import failure_screenshot
from mastery_fixtures import PostgresServer

__all__ = ["ClassHub", "Hub"]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """A browser test on a hub that fails leaves a screenshot of what the person saw
    (``tests/artifacts/<test>-failure.png``): its page is module-wide, so the shot is taken
    here, when the failure is known, not when the page closes."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    page = getattr(item, "funcargs", {}).get("page")
    if report.when == "call" and report.failed and page is not None:
        failure_screenshot(page, item.nodeid)


@pytest.fixture(scope="module")
def hub(released_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    folder = tmp_path_factory.mktemp("hub")
    root = folder / "course-root"
    shutil.copytree(released_template, root)
    running = start_hub(
        folder / "hub",
        root,
        courses={"mini": {"instructors": ["prof"], "graders": ["ta"]}},
        data_dir=root / ".mastery-data",
    )
    try:
        for user in ("ada", "bob", "prof", "ta"):
            running.add_user(user)
        yield running
    finally:
        stop_hub(running)


@pytest.fixture(scope="session")
def class_hub(released_template: Path, postgres_server: PostgresServer) -> Iterator[ClassHub]:
    reason = cannot_run_as_other_users()
    if reason:
        pytest.skip(reason)
    with running_class_hub(released_template, postgres_server) as running:
        yield running

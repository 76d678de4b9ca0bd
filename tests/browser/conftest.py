"""Shared browser fixtures: a real JupyterLab server and Debian's Chromium through Playwright.

* ``jupyterlab``: a JupyterLab server on a free localhost port, with a random token, a
  temporary root folder and its own settings/workspaces folders (so tests never restore
  each other's layouts). Returns a :class:`LabServer` (``url``, ``token``, ``root``,
  ``lab_url(path)``, ``api(...)``). Stopped (kernels included) after the test.
* ``browser``: one headless Chromium per session (``/usr/bin/chromium``).
* ``page``: a fresh browser context + page per test; on failure a screenshot is saved to
  ``tests/artifacts/<test>.png``.
* ``lab``: a :class:`Lab` helper bound to ``page`` and ``jupyterlab`` to open notebooks,
  wait for an idle kernel, run cells, type into cells, save and reload.

Every test here is marked ``browser`` automatically. The server is started with
``expose_app_in_browser`` so helpers can ask JupyterLab itself (not the DOM) whether the
kernel is idle.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lab_browser import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    Lab,
    LabServer,
    copy_tree,
    failure_screenshot,
    start_jupyterlab,
    stop_jupyterlab,
)

__all__ = [  # re-exported for tests written as `from conftest import ...`
    "ARTIFACTS",
    "Lab",
    "LabServer",
    "copy_tree",
    "start_jupyterlab",
    "stop_jupyterlab",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    setattr(item, f"rep_{report.when}", report)


DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"


@pytest.fixture(scope="session", autouse=True)
def _docs_screenshots_only_when_asked(request: pytest.FixtureRequest) -> Iterator[None]:
    """The tests take the docs' screenshots on every run (so a broken page shows), but the
    committed images change only with ``--update-goldens``: otherwise each image a test
    rewrote is kept in ``tests/artifacts/docs-img/`` to look at, and the committed one is
    put back (a run must not leave a dirty checkout)."""
    before = {p: p.read_bytes() for p in DOCS_IMG.glob("*.png")}
    yield
    if request.config.getoption("--update-goldens"):
        return
    for path, data in before.items():
        if path.exists() and path.read_bytes() != data:
            kept = ARTIFACTS / "docs-img" / path.name
            kept.parent.mkdir(parents=True, exist_ok=True)
            kept.write_bytes(path.read_bytes())
            path.write_bytes(data)


@pytest.fixture
def jupyterlab(tmp_path: Path) -> Iterator[LabServer]:
    """A JupyterLab server whose root is ``tmp_path / "root"`` (empty; tests fill it)."""
    root = tmp_path / "root"
    root.mkdir()
    server = start_jupyterlab(root, tmp_path / "home")
    try:
        yield server
    finally:
        stop_jupyterlab(server)


@pytest.fixture(
    scope="module"
)  # module: Playwright's sync loop must not outlive the browser tests (asyncio tests after them)
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright's sync API."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh page; a screenshot goes to ``tests/artifacts/`` when the test fails."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(30_000)
    pg = context.new_page()
    try:
        yield pg
    finally:
        failed = any(
            getattr(getattr(request.node, f"rep_{when}", None), "failed", False)
            for when in ("setup", "call")
        )
        if failed:
            failure_screenshot(pg, request.node.nodeid)
        context.close()


@pytest.fixture
def lab(page: Any, jupyterlab: LabServer) -> Lab:
    return Lab(page, jupyterlab)

"""A real JupyterLab server and a learner-like driver for it, for the browser tests.

Imported by ``tests/browser/conftest.py`` (the fixtures) and by test modules
(``from lab_browser import Lab, LabServer, ...``): a uniquely named module, because every
test folder has a ``conftest`` and only one of them can be ``import conftest``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mastery_nb.root import CourseRoot

__all__ = [
    "ARTIFACTS",
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "Lab",
    "LabServer",
    "copy_tree",
    "failure_screenshot",
    "serve_learner",
    "start_jupyterlab",
    "stop_jupyterlab",
]

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
START_TIMEOUT = 90.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LabServer:
    """A running JupyterLab server."""

    url: str  #: base URL ending in "/"
    token: str
    root: Path  #: the server's root folder (put notebooks here)
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def lab_url(self, path: str = "") -> str:
        """The JupyterLab page opening ``path`` (relative to ``root``)."""
        tail = f"lab/tree/{path}" if path else "lab"
        return f"{self.url}{tail}?token={self.token}"

    def api(self, method: str, path: str, body: Any = None) -> Any:
        """Call the server's REST API (``path`` without leading slash); returns parsed JSON."""
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(
            f"{self.url}{path}",
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=30) as resp:
            raw = resp.read()
        return json.loads(raw) if raw else None

    def read_log(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""


def start_jupyterlab(
    root: Path,
    home: Path,
    extra_args: tuple[str, ...] = (),
    extra_env: dict[str, str] | None = None,
) -> LabServer:
    """Start JupyterLab serving ``root``; state folders live under ``home``."""
    port = _free_port()
    token = secrets.token_hex(16)
    for sub in ("config", "runtime", "settings", "workspaces"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    # no "get notified about news?" toast over the notebook
    news = home / "settings" / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True, exist_ok=True)
    (news / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    env = dict(os.environ)
    env.update(
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
        PYTHONUNBUFFERED="1",
    )
    env.pop("MASTERY_NB_GRADING", None)
    env.update(extra_env or {})
    log = home / "jupyterlab.log"
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--ServerApp.open_browser=False",
        "--LabApp.expose_app_in_browser=True",
        "--LabApp.news_url=",
        "--ServerApp.allow_root=True",
        *extra_args,
    ]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            cmd, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = LabServer(
        url=f"http://127.0.0.1:{port}/", token=token, root=root, port=port, process=proc, log=log
    )
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"JupyterLab exited early:\n{server.read_log()[-3000:]}")
        try:
            server.api("GET", "api/status")
            return server
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.3)
    stop_jupyterlab(server)
    raise RuntimeError(
        f"JupyterLab did not answer within {START_TIMEOUT}s:\n{server.read_log()[-3000:]}"
    )


def failure_screenshot(page: Any, nodeid: str) -> None:
    """What the person saw when a test failed: ``tests/artifacts/<test>-failure.png``, the
    whole page. A crashed page must not hide the test's own failure: a shot that cannot be
    taken is only printed."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid.split("::", 1)[-1])[:120]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        page.screenshot(path=str(ARTIFACTS / f"{name}-failure.png"), full_page=True)
    except Exception as exc:
        print(f"screenshot failed: {exc}")


def serve_learner(
    root: CourseRoot, course_id: str, student: str, tmp_path: Path, *options: str
) -> LabServer:
    """JupyterLab on an empty workspace (``tmp_path/workspace``) for one learner, the Mastery
    sidebar serving ``root``'s course; ``options`` are further server options, such as
    ``--MasteryApp.grade_in_process=True``. Stop it with :func:`stop_jupyterlab`."""
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    return start_jupyterlab(
        workspace,
        tmp_path / "home",
        (
            f"--MasteryApp.course_root={root.path}",
            f"--MasteryApp.course_id={course_id}",
            f"--MasteryApp.data_dir={root.data_dir}",
            f"--MasteryApp.student={student}",
            *options,
        ),
    )


def stop_jupyterlab(server: LabServer) -> None:
    """Shut kernels down through the API, then stop the server's process group."""
    try:
        for kernel in server.api("GET", "api/kernels") or []:
            server.api("DELETE", f"api/kernels/{kernel['id']}")
    except (urllib.error.URLError, OSError, ValueError):
        pass
    proc = server.process
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    # a kernel that outlived its server (same session) must not linger
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


class Lab:
    """Drive JupyterLab in a page like a learner: open, run, type, save, reload."""

    def __init__(self, page: Any, server: LabServer) -> None:
        self.page = page
        self.server = server

    # navigation ------------------------------------------------------------
    def open(self, path: str, *, timeout: float = 90_000) -> None:
        """Open a notebook and wait until its kernel is idle."""
        self.page.goto(self.server.lab_url(path))
        self.page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=timeout)
        self.wait_idle(timeout=timeout)

    def reload(self, *, timeout: float = 90_000) -> None:
        self.page.reload()
        self.page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=timeout)
        self.wait_idle(timeout=timeout)

    def wait_idle(self, *, timeout: float = 60_000) -> None:
        """Wait until the current notebook's kernel exists and is idle (asked of JupyterLab)."""
        self.page.wait_for_function(
            """() => {
                const app = window.jupyterapp;
                const w = app && app.shell.currentWidget;
                const k = w && w.sessionContext && w.sessionContext.session
                          && w.sessionContext.session.kernel;
                return !!k && k.status === 'idle' && k.connectionStatus === 'connected'
                       && !w.sessionContext.pendingInput;
            }""",
            timeout=timeout,
        )

    # cells -----------------------------------------------------------------
    def cells(self) -> Any:
        return self.page.locator(".jp-Notebook .jp-Cell")

    def cell_index(self, predicate_js: str) -> int:
        """Index of the first cell whose model satisfies ``predicate_js`` (``(src, meta) => bool``)."""
        index = self.page.evaluate(
            f"""() => {{
                const nb = window.jupyterapp.shell.currentWidget.content;
                const pred = {predicate_js};
                return nb.widgets.findIndex(c => pred(c.model.sharedModel.getSource(),
                                                      c.model.metadata || {{}}));
            }}"""
        )
        if index < 0:
            raise AssertionError(f"no cell matches {predicate_js}")
        return int(index)

    def index_of_source(self, text: str) -> int:
        return self.cell_index(f"(src) => src.includes({json.dumps(text)})")

    def select(self, index: int) -> None:
        self.page.evaluate(
            f"() => {{ const nb = window.jupyterapp.shell.currentWidget.content;"
            f" nb.activeCellIndex = {index}; nb.mode = 'command'; }}"
        )
        self.cells().nth(index).scroll_into_view_if_needed()

    def run(self, index: int, *, timeout: float = 60_000) -> None:
        """Run one cell (as Ctrl+Enter would) and wait for the kernel to go idle."""
        self.select(index)
        self.cells().nth(index).locator(".jp-InputArea-prompt").click()
        self.page.keyboard.press("Control+Enter")
        self.page.wait_for_function(
            f"""() => {{
                const c = window.jupyterapp.shell.currentWidget.content.widgets[{index}];
                const p = c.model.executionCount;
                return p !== null && p !== undefined;
            }}""",
            timeout=timeout,
        )
        self.wait_idle(timeout=timeout)

    def type_into(self, index: int, text: str) -> None:
        """Replace a cell's source by typing it (select all, then insert) like a learner."""
        editor = self.cells().nth(index).locator(".jp-InputArea-editor .cm-content")
        for _ in range(3):  # a click on a loaded machine can land before the editor has focus
            editor.scroll_into_view_if_needed()
            editor.click()
            editor.evaluate(
                "el => new Promise(done => { const t = Date.now(); (function wait() {"
                " if (el.contains(document.activeElement) || Date.now() - t > 5000) done();"
                " else setTimeout(wait, 50); })(); })"
            )
            self.page.keyboard.press("Control+a")
            self.page.keyboard.press("Delete")
            self.page.keyboard.insert_text(text)
            self.page.keyboard.press("Escape")
            if self.source(index) == text:
                return
        assert self.source(index) == text, f"cell {index} did not take the typed text"

    def source(self, index: int) -> str:
        """The source of the open notebook's cell ``index``, as its model holds it."""
        return str(
            self.page.evaluate(
                "i => window.jupyterapp.shell.currentWidget.content.widgets[i]"
                ".model.sharedModel.getSource()",
                index,
            )
        )

    def output_text(self, index: int) -> str:
        return str(self.cells().nth(index).locator(".jp-OutputArea").inner_text())

    # file ------------------------------------------------------------------
    def save(self) -> None:
        """Save with Ctrl+S and wait until the document is no longer dirty."""
        self.page.keyboard.press("Control+s")
        self.page.wait_for_function(
            "() => { const w = window.jupyterapp.shell.currentWidget;"
            " return w && w.context && !w.context.model.dirty; }",
            timeout=30_000,
        )

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / name
        self.page.screenshot(path=str(path), full_page=False)
        return path


def copy_tree(src: Path, dst: Path) -> None:
    """Copy a folder's contents into ``dst`` (which may exist), never overwriting files."""
    for path in sorted(src.rglob("*")):
        target = dst / path.relative_to(src)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)

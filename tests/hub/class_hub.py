"""A class on a real JupyterHub: each user an OS user, the service on PostgreSQL.

:func:`running_class_hub` creates OS users (two students, a third for the browser, an
instructor; each with a ``0700`` home), copies the released mini course into a folder
everyone may traverse, makes the service's secrets private by file modes (``courses/``
with the solutions, ``autograder/`` with the hidden tests, the service's data dir: ``0700``,
owned by root, who runs the hub and the service), gives the service a PostgreSQL database
of its own (its role and password reach it through its environment, never a command line),
and starts JupyterHub with configurable-http-proxy and ``LocalProcessSpawner``: every
user's JupyterLab runs as that user (:mod:`reachable_python` lets them run the test's
Python when it lives where users cannot reach it). Nothing here is shared with the users but
``release/`` (public).

Needs root (to create users and run servers as them); the fixture skips otherwise.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import pwd
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from hub_process import Hub, start_hub, stop_hub
from mastery_fixtures import PostgresServer
from os_processes import end_processes_of

from mastery_nb.demo.hub import private_folder

__all__ = [
    "ClassHub",
    "OsUser",
    "UserServer",
    "cannot_run_as_other_users",
    "running_class_hub",
]

COURSE = "mini"
ROLES = ("ada", "bob", "cy", "prof")  #: two students, the browser's student, the instructor
NO_NEWS = '{"fetchNews": "false"}'  # no "get Jupyter news?" toast over the notebook
KERNEL_TIMEOUT = 120.0


@dataclass(frozen=True)
class OsUser:
    name: str
    uid: int
    gid: int
    home: Path


def _create_os_user(name: str, homes: Path) -> OsUser:
    home = homes / name
    subprocess.run(
        ["useradd", "--create-home", "--home-dir", str(home), "--shell", "/bin/bash",
         "--user-group", "--no-log-init", name],
        check=True,
        capture_output=True,
    )  # fmt: skip
    home.chmod(0o700)
    entry = pwd.getpwnam(name)
    settings = home / ".jupyter/lab/user-settings/@jupyterlab/apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(NO_NEWS)
    for path in [home, *home.rglob("*")]:
        os.chown(path, entry.pw_uid, entry.pw_gid, follow_symlinks=False)
    return OsUser(name, entry.pw_uid, entry.pw_gid, home)


def _remove_os_user(user: OsUser) -> None:
    """Kill what still runs as the user (by pid: only this test made that user), then remove it."""
    end_processes_of(user.uid)
    subprocess.run(["userdel", "--remove", user.name], capture_output=True)
    shutil.rmtree(user.home, ignore_errors=True)


def cannot_run_as_other_users() -> str | None:
    """Why this test cannot run users' servers as their own OS users, or None."""
    if os.geteuid() != 0:
        return "needs root: it creates an OS user per learner and runs their server as them"
    for tool in ("useradd", "userdel"):
        if shutil.which(tool) is None:
            return f"needs {tool} to create the learners' OS users"
    return None


def check_python_for(user: OsUser, python: str) -> str | None:
    """None when ``user`` can run this Python with JupyterHub's single-user server, started
    as the spawner starts it (:mod:`reachable_python`)."""
    from jupyterhub.spawner import set_user_setuid
    from reachable_python import enter_reachable_python, reachable_python

    become_user = set_user_setuid(user.name)
    keep, closed = reachable_python()

    def preexec() -> None:
        enter_reachable_python(keep, closed)
        become_user()

    probe = subprocess.run(
        [python, "-c", "import jupyterhub.singleuser, mastery_nb.server"],
        capture_output=True,
        text=True,
        cwd="/",
        preexec_fn=preexec,
    )
    if probe.returncode == 0:
        return None
    return (
        f"the test's Python ({python}) cannot be run by another OS user ({probe.stderr.strip()[-300:]}): "
        "put the virtual environment (and an editable checkout) where every user can read it, "
        "not under /root"
    )


@dataclass
class UserServer:
    """One user's own JupyterLab on the hub, reached through the proxy with their token."""

    role: str  #: ada, bob, cy or prof
    name: str  #: the hub user (and OS user)
    url: str  #: http://127.0.0.1:PORT/user/<name>/
    token: str  #: the user's hub token with access to their own server only

    def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"token {self.token}", **kwargs.pop("headers", {})}
        return httpx.request(
            method, self.url + path, headers=headers, timeout=60, follow_redirects=False, **kwargs
        )

    def ok(self, method: str, path: str, status: int = 200, **kwargs: Any) -> Any:
        answer = self.call(method, path, **kwargs)
        assert answer.status_code == status, (method, path, answer.status_code, answer.text)
        return answer.json() if answer.content else None

    def run_cell(self, code: str, timeout: float = KERNEL_TIMEOUT) -> str:
        """Run ``code`` in a new kernel of this server (the Jupyter kernel API and its
        websocket, as a notebook does); its stdout. A raised error fails the test."""
        kernel = self.ok("POST", "api/kernels", 201, json={"name": "python3"})
        try:
            return asyncio.run(self._execute(kernel["id"], code, timeout))
        finally:
            self.call("DELETE", f"api/kernels/{kernel['id']}")

    async def _execute(self, kernel_id: str, code: str, timeout: float) -> str:
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        ws_url = self.url.replace("http://", "ws://") + f"api/kernels/{kernel_id}/channels"
        connection = await websocket_connect(
            HTTPRequest(ws_url, headers={"Authorization": f"token {self.token}"})
        )
        msg_id = uuid.uuid4().hex
        connection.write_message(
            json.dumps(
                {
                    "header": {
                        "msg_id": msg_id,
                        "msg_type": "execute_request",
                        "username": self.name,
                        "session": uuid.uuid4().hex,
                        "date": "",
                        "version": "5.3",
                    },
                    "parent_header": {},
                    "metadata": {},
                    "content": {
                        "code": code,
                        "silent": False,
                        "store_history": False,
                        "user_expressions": {},
                        "allow_stdin": False,
                        "stop_on_error": True,
                    },
                    "channel": "shell",
                    "buffers": [],
                }
            )
        )
        out: list[str] = []
        error: list[str] = []
        deadline = time.monotonic() + timeout
        try:
            while True:
                raw = await asyncio.wait_for(connection.read_message(), deadline - time.monotonic())
                if raw is None:
                    raise AssertionError("the kernel's websocket closed")
                message = json.loads(raw)
                if message.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind = message["header"]["msg_type"]
                if kind == "stream":
                    out.append(message["content"]["text"])
                elif kind == "error":
                    error.append("\n".join(message["content"]["traceback"]))
                elif kind == "status" and message["content"]["execution_state"] == "idle":
                    break
        finally:
            connection.close()
        assert not error, "the cell raised:\n" + "\n".join(error)
        return "".join(out)


@dataclass
class ClassHub:
    hub: Hub
    base: Path  #: everything of this class hub (traversable by everyone: modes do the work)
    course_root: Path
    data_dir: Path
    db_url: str
    postgres: PostgresServer
    users: dict[str, OsUser]  #: role (ada, bob, cy, prof) -> the OS user (a hub user too)
    servers: dict[str, UserServer] = field(default_factory=dict)

    def name(self, role: str) -> str:
        return self.users[role].name

    def server(self, role: str) -> UserServer:
        if role not in self.servers:
            name = self.name(role)
            url = self.hub.wait_server(name)
            token = self.hub.mint_token(name, [f"access:servers!user={name}"])
            self.servers[role] = UserServer(role, name, url, token)
        return self.servers[role]

    def service_pid(self) -> int:
        """The mastery service's process (started by the hub)."""
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            with contextlib.suppress(OSError):
                argv = (entry / "cmdline").read_bytes().split(b"\0")
                if b"service" in argv and str(self.course_root).encode() in argv:
                    return int(entry.name)
        raise AssertionError("the mastery service's process is not running")


@contextlib.contextmanager
def running_class_hub(template: Path, postgres: PostgresServer) -> Iterator[ClassHub]:
    """The hub, the service on its own PostgreSQL database, an OS user per hub user."""
    import pytest

    base = Path(tempfile.mkdtemp(prefix="mastery-class-hub-"))
    base.chmod(0o755)
    homes = base / "homes"
    homes.mkdir(mode=0o755)
    homes.chmod(0o755)
    suffix = secrets.token_hex(3)
    users: dict[str, OsUser] = {}
    hub: Hub | None = None
    try:
        for role in ROLES:
            users[role] = _create_os_user(f"mnb-{role}-{suffix}", homes)
        reason = check_python_for(users["ada"], sys.executable)
        if reason:
            pytest.skip(reason)
        root = base / "course-root"
        shutil.copytree(template, root)
        root.chmod(0o755)
        for secret in (root / "courses", root / "autograder"):
            private_folder(secret)  # the solutions and the hidden tests: root only
        data_dir = private_folder(base / "service-data")
        db_url = postgres.create_owned_database()
        hub = start_hub(
            base / "hub",
            root,
            courses={COURSE: {"instructors": [users["prof"].name], "graders": []}},
            data_dir=data_dir,
            service_args=(),
            workers=2,
            proxy="chp",
            spawner="os-users",
            service_environment={"MASTERY_NB_DB": db_url},
            extra_config=(
                "c.JupyterHub.spawner_class = 'reachable_python.ReachablePythonSpawner'\n"
                # the browser test asks JupyterLab whether the kernel is idle (tests/browser)
                "c.Spawner.args = ['--LabApp.expose_app_in_browser=True']\n"
            ),
        )
        for user in users.values():
            hub.add_user(user.name)
        for user in users.values():
            hub.start_server(user.name)
        yield ClassHub(hub, base, root, data_dir, db_url, postgres, users)
    finally:
        if hub is not None:
            stop_hub(hub)
        for user in users.values():
            _remove_os_user(user)
        shutil.rmtree(base, ignore_errors=True)

"""A real ``mastery-nb service`` process for tests, and the requests tests make to it.

Imported by tests/service, tests/server (the service backend) and tests/hub (where the hub
starts the same command as a managed service): a uniquely named module, because every test
folder has a ``conftest``.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

__all__ = [
    "LEARN",
    "ServiceProcess",
    "free_port",
    "restart_service",
    "sample_path",
    "start_service",
    "stop_service",
    "terminate",
    "wait_for_http",
]

LEARN = "custom:mastery:learn"
START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_http(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Until ``url`` answers (any status); fail with the log's end if the process dies."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {START_TIMEOUT} s:\n{log.read_text()[-3000:]}")


@dataclass
class ServiceProcess:
    """A running service: its base URL (prefix included) and the tokens it accepts by name."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path
    tokens: dict[str, str] = field(default_factory=dict)  #: user name -> token

    def call(
        self, method: str, path: str, *, as_user: str | None = None, **kwargs: Any
    ) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}))
        if as_user is not None:
            headers["Authorization"] = f"token {self.tokens[as_user]}"
        return httpx.request(
            method, self.url + path, headers=headers, timeout=60, follow_redirects=False, **kwargs
        )


def start_service(
    folder: Path,
    roots: list[Path],
    *,
    data_dir: Path,
    users: dict[str, list[str]],
    extra_args: tuple[str, ...] = (),
    db_url: str | None = None,
) -> ServiceProcess:
    """``mastery-nb service`` on a free port with a token file for ``users`` (name -> scopes)."""
    folder.mkdir(parents=True, exist_ok=True)
    tokens = {name: secrets.token_hex(24) for name in users}
    token_file = folder / "tokens.json"
    token_file.write_text(
        json.dumps(
            {"tokens": {tokens[n]: {"name": n, "scopes": scopes} for n, scopes in users.items()}}
        )
    )
    port = free_port()
    log = folder / "service.log"
    command = [sys.executable, "-m", "mastery_nb", "service", "--ip", "127.0.0.1"]
    command += ["--port", str(port), "--tokens", str(token_file), "--data-dir", str(data_dir)]
    for root in roots:
        command += ["--root", str(root)]
    if db_url:
        command += ["--db", db_url]
    command += list(extra_args)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MASTERY_NB", "JUPYTERHUB"))}
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=folder
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for_http(url + "api/health", process, log)
    except BaseException:
        stop_service(ServiceProcess(url, process, log))
        raise
    return ServiceProcess(url, process, log, tokens)


def terminate(process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    """SIGTERM (a clean stop), then SIGKILL if it does not end in time."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def stop_service(service: ServiceProcess) -> None:
    terminate(service.process)


def restart_service(service: ServiceProcess) -> ServiceProcess:
    """The same service started again after a stop: same command, port and tokens."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MASTERY_NB", "JUPYTERHUB"))}
    with service.log.open("ab") as out:
        process = subprocess.Popen(
            service.process.args,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=service.log.parent,
        )
    again = ServiceProcess(service.url, process, service.log, service.tokens)
    try:
        wait_for_http(service.url + "api/health", process, service.log)
    except BaseException:
        stop_service(again)
        raise
    return again


def sample_path(pattern: str, values: dict[str, str]) -> str:
    """A concrete path for a route regex: each named group becomes ``values[name]``."""

    def fill(match: re.Match[str]) -> str:
        return values[match.group(1)]

    path = re.sub(r"\(\?P<(\w+)>(?:[^()]|\([^()]*\))*\)(\{[^}]*\})?", fill, pattern)
    assert "(" not in path, f"could not build a URL for {pattern}"
    return path.rstrip("$").replace("\\.", ".")

"""A real JupyterHub for tests, with the mastery service as a managed service.

``start_hub(folder, course_root, ...)`` writes a ``jupyterhub_config.py`` that uses
:func:`mastery_nb.service.hub.configure_hub` (the same lines a deployment uses), the dummy
authenticator (any password), SQLite for the hub, and starts ``jupyterhub`` on free
localhost ports. The hub starts ``mastery-nb service`` itself. A ``test-admin`` service
token lets tests create users and mint their API tokens through the hub's REST API.

Extension points for multi-user tests (single-user servers, PostgreSQL, a browser):
``service_args`` (e.g. ``--db postgresql://...``), ``proxy`` (``"null"``: no proxy process,
talk to the hub and the service on their own ports; or the name of a proxy class), and
``extra_config`` (lines appended to the config, e.g. a spawner).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from service_process import free_port, terminate, wait_for_http

__all__ = ["Hub", "start_hub", "stop_hub"]

HERE = Path(__file__).resolve().parent


@dataclass
class Hub:
    """A running hub: where its API and the mastery service answer, and its admin token."""

    hub_url: str  #: http://127.0.0.1:PORT/hub/ (the hub's own port, not the proxy's)
    public_url: str  #: the proxy's URL (nothing listens there with the null proxy)
    service_url: str  #: http://127.0.0.1:PORT/services/mastery/ (the service's own port)
    admin_token: str
    process: subprocess.Popen[bytes]
    log: Path
    folder: Path
    tokens: dict[str, str] = field(default_factory=dict)  #: user name -> last minted token

    def api(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """The hub's REST API as the test-admin service."""
        return httpx.request(
            method,
            f"{self.hub_url}api/{path}",
            headers={"Authorization": f"token {self.admin_token}"},
            timeout=30,
            **kwargs,
        )

    def add_user(self, name: str) -> None:
        answer = self.api("POST", f"users/{name}")
        assert answer.status_code in (201, 409), answer.text

    def mint_token(self, user: str, scopes: list[str]) -> str:
        """A new API token of ``user`` with ``scopes`` (minted by the hub, as for a server)."""
        answer = self.api(
            "POST", f"users/{user}/tokens", json={"scopes": scopes, "expires_in": 3600}
        )
        assert answer.status_code == 201, answer.text
        token = str(answer.json()["token"])
        self.tokens[user] = token
        return token

    def service(
        self, method: str, path: str, token: str | None = None, **kwargs: Any
    ) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}))
        if token is not None:
            headers["Authorization"] = f"token {token}"
        return httpx.request(
            method,
            self.service_url + path,
            headers=headers,
            timeout=60,
            follow_redirects=False,
            **kwargs,
        )


def start_hub(
    folder: Path,
    course_root: Path,
    *,
    courses: dict[str, dict[str, list[str]]],
    data_dir: Path,
    service_args: tuple[str, ...] = ("--no-grading",),
    proxy: str = "null",
    extra_config: str = "",
) -> Hub:
    folder.mkdir(parents=True, exist_ok=True)
    hub_port, public_port, service_port = free_port(), free_port(), free_port()
    admin_token = secrets.token_hex(32)
    command = [
        sys.executable,
        "-m",
        "mastery_nb",
        "service",
        "--root",
        str(course_root),
        "--data-dir",
        str(data_dir),
        *service_args,
    ]
    proxy_line = (
        "c.JupyterHub.proxy_class = 'null_proxy.NullProxy'"
        if proxy == "null"
        else f"c.JupyterHub.proxy_class = {proxy!r}"
    )
    config = folder / "jupyterhub_config.py"
    config.write_text(
        textwrap.dedent(
            f"""
            import sys
            sys.path.insert(0, {str(HERE)!r})
            from mastery_nb.service.hub import configure_hub

            c = get_config()  # noqa
            c.JupyterHub.ip = "127.0.0.1"
            c.JupyterHub.port = {public_port}
            c.JupyterHub.hub_ip = "127.0.0.1"
            c.JupyterHub.hub_port = {hub_port}
            c.JupyterHub.db_url = "sqlite:///{folder / "jupyterhub.sqlite"}"
            c.JupyterHub.cookie_secret_file = {str(folder / "cookie_secret")!r}
            c.JupyterHub.pid_file = {str(folder / "jupyterhub.pid")!r}
            c.JupyterHub.authenticator_class = "dummy"
            c.Authenticator.allow_all = True
            {proxy_line}
            configure_hub(
                c,
                command={command!r},
                url="http://127.0.0.1:{service_port}",
                courses={json.dumps(courses)},
            )
            c.JupyterHub.services.append({{"name": "test-admin", "api_token": {admin_token!r}}})
            c.JupyterHub.load_roles.append(
                {{"name": "test-admin", "services": ["test-admin"], "scopes": ["admin:users", "tokens"]}}
            )
            """
        )
        + textwrap.dedent(extra_config)
    )
    log = folder / "jupyterhub.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MASTERY_NB", "JUPYTERHUB"))}
    env["PYTHONPATH"] = os.pathsep.join([str(HERE), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(config)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=folder,
            start_new_session=True,  # its managed service goes down with it
        )
    hub = Hub(
        hub_url=f"http://127.0.0.1:{hub_port}/hub/",
        public_url=f"http://127.0.0.1:{public_port}/",
        service_url=f"http://127.0.0.1:{service_port}/services/mastery/",
        admin_token=admin_token,
        process=process,
        log=log,
        folder=folder,
    )
    try:
        wait_for_http(hub.hub_url + "api/", process, log)
        wait_for_http(hub.service_url + "api/health", process, log)
    except BaseException:
        stop_hub(hub)
        raise
    return hub


def stop_hub(hub: Hub) -> None:
    """SIGTERM the hub (it stops its managed service), then anything left in its group."""
    terminate(hub.process)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(hub.process.pid, signal.SIGTERM)

"""A real JupyterHub for tests, with the mastery service as a managed service.

``start_hub(folder, course_root, ...)`` writes a ``jupyterhub_config.py`` with
:func:`mastery_nb.demo.hub.configure_local_hub` (what ``mastery-nb demo --hub`` runs, around
:func:`mastery_nb.service.hub.configure_hub`, the lines a deployment uses), the dummy
authenticator (any password), SQLite for the hub, and starts ``jupyterhub`` on free
localhost ports. The hub starts ``mastery-nb service`` itself. A ``test-admin`` service
token lets tests create users, start their servers and mint their API tokens through the
hub's REST API.

Options: ``service_args`` (e.g. ``--no-grading``), ``service_environment`` (e.g.
``MASTERY_NB_DB``: a URL with a password never goes on a command line), ``proxy``
(``"null"``: no proxy process, talk to the hub and the service on their own ports;
``"chp"``: configurable-http-proxy), ``spawner`` (``"same-user"`` or ``"os-users"``: each
user's server as the OS user of the same name) and ``extra_config``.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urljoin, urlparse

import httpx
from service_process import free_port, terminate, wait_for_http

from mastery_nb.demo.hub import LocalHub, find_proxy, write_hub_config

__all__ = ["Hub", "start_hub", "stop_hub"]

HERE = Path(__file__).resolve().parent
#: seconds a user's server may take to start (JupyterLab on a loaded 2-core machine)
SERVER_TIMEOUT = 150.0


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

    def start_server(self, user: str) -> None:
        """Ask the hub to start ``user``'s server (``wait_server`` waits for it)."""
        answer = self.api("POST", f"users/{user}/server")
        assert answer.status_code in (201, 202, 400), answer.text  # 400: already running

    def wait_server(self, user: str, timeout: float = SERVER_TIMEOUT) -> str:
        """Until ``user``'s server is ready; its public URL (``.../user/<name>/``)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            model = self.api("GET", f"users/{user}").json()
            server = model.get("servers", {}).get("")
            if server and server.get("ready"):
                return self.public_url + server["url"].lstrip("/")
            if not server and not model.get("pending"):
                raise RuntimeError(f"{user}'s server stopped:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.5)
        raise RuntimeError(
            f"{user}'s server was not ready in {timeout} s:\n{self.log.read_text()[-3000:]}"
        )

    @contextlib.contextmanager
    def browser_signed_in(self, user: str) -> Iterator[tuple[httpx.Client, httpx.Response]]:
        """A browser-like client that opened the service's page, logged in with the hub's
        form and came back through OAuth (service page -> hub login -> authorize ->
        callback); with the page it landed on.

        Without a proxy (the null proxy), /hub/ paths go to the hub's port and
        /services/mastery/ paths to the service's, as the proxy would send them.
        """
        hub_base = self.hub_url.split("/hub/")[0]
        service_base = self.service_url.split("/services/")[0]

        def route(url: str) -> str:
            parsed = urlparse(url)
            base = hub_base if parsed.path.startswith("/hub/") else service_base
            return base + parsed.path + (f"?{parsed.query}" if parsed.query else "")

        with httpx.Client(timeout=30, follow_redirects=False) as browser:
            first = browser.get(self.service_url)
            assert first.status_code == 302 and "oauth2/authorize" in first.headers["Location"]
            login_page = browser.get(f"{self.hub_url}login")
            xsrf = re.search(r'name="_xsrf" value="([^"]+)"', login_page.text)
            assert xsrf, "the hub's login form"
            logged_in = browser.post(
                f"{self.hub_url}login",
                data={"username": user, "password": "any", "_xsrf": xsrf.group(1)},
            )
            assert logged_in.status_code == 302, logged_in.text
            page = browser.get(route(urljoin(self.service_url, first.headers["Location"])))
            for _ in range(8):
                if page.status_code not in (302, 303):
                    break
                page = browser.get(route(urljoin(str(page.url), page.headers["Location"])))
            assert page.status_code == 200, page.text
            yield browser, page

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
    workers: int = 1,
    proxy: str = "null",
    spawner: Literal["same-user", "os-users"] = "same-user",
    service_environment: dict[str, str] | None = None,
    extra_config: str = "",
    hub_port: int | None = None,
    service_port: int | None = None,
) -> Hub:
    """A hub configured by :func:`mastery_nb.demo.hub.configure_local_hub` (what
    ``mastery-nb demo --hub`` runs), with the dummy authenticator and a test-admin service.

    ``proxy``: ``"null"`` (no proxy process: talk to the hub's and the service's own
    ports) or ``"chp"`` (configurable-http-proxy: the public URL serves the users' servers).
    """
    hub_port, service_port = hub_port or free_port(), service_port or free_port()
    public_port = free_port()
    admin_token = secrets.token_hex(32)
    settings = LocalHub(
        folder=folder,
        port=public_port,
        hub_port=hub_port,
        proxy_api_port=free_port(),
        service_port=service_port,
        course_roots=[course_root],
        data_dir=data_dir,
        courses=courses,
        workers=workers,
        service_args=list(service_args),
        service_environment=service_environment or {},
        proxy_command=find_proxy() if proxy == "chp" else None,
        spawner=spawner,
        authenticator="dummy",
    )
    null_proxy = "c.JupyterHub.proxy_class = 'null_proxy.NullProxy'\n" if proxy == "null" else ""
    config = write_hub_config(
        settings,
        extra=textwrap.dedent(
            f"""
            import sys
            sys.path.insert(0, {str(HERE)!r})
            c.JupyterHub.services.append({{"name": "test-admin", "api_token": {admin_token!r}}})
            c.JupyterHub.load_roles.append(
                {{
                    "name": "test-admin",
                    "services": ["test-admin"],
                    "scopes": ["admin:users", "admin:servers", "tokens"],
                }}
            )
            """
        )
        + null_proxy
        + textwrap.dedent(extra_config),
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
        public_url=settings.public_url,
        service_url=f"{settings.service_url}/services/mastery/",
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

"""A whole JupyterHub on one machine: the settings of ``mastery-nb demo --hub`` (and of the
multi-user tests), applied to a ``jupyterhub_config.py``.

The same pieces as a real hub (docs/jupyterhub.md): configurable-http-proxy in front,
the hub, the mastery service as a hub-managed service (:func:`mastery_nb.service.hub.configure_hub`
writes its scopes, roles and the students' server settings), and a single-user JupyterLab
per user, started by a local spawner:

- ``spawner="same-user"`` (the demo): JupyterHub's ``SimpleLocalProcessSpawner``; every
  user's server runs as the OS user who started the hub, with its own home folder under
  ``homes/``. Nothing separates the users from each other or from the service's files.
- ``spawner="os-users"`` (the multi-user tests, a small real deployment): JupyterHub's
  ``LocalProcessSpawner``; each hub user's server runs as the OS user of the same name
  (the hub runs as root).

Secrets never go on a command line (any local user can read ``/proc/*/cmdline``): a
PostgreSQL URL with a password reaches the service through its environment
(``service_environment``, ``$MASTERY_NB_DB``), and the settings file that holds it and the
demo's password is written ``0600`` into the hub's ``0700`` folder.

:class:`LocalHub` is plain data (written as ``hub-settings.json`` beside the config);
the config file itself is three lines that load it and call :func:`configure_local_hub`.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from mastery_nb.errors import MasteryError, Problem
from mastery_nb.service.hub import configure_hub

__all__ = [
    "PROXY_PROGRAM",
    "LocalHub",
    "configure_local_hub",
    "find_proxy",
    "private_folder",
    "write_hub_config",
]

PROXY_PROGRAM = "configurable-http-proxy"
#: seconds a user's server may take to start on a loaded machine
SERVER_START_TIMEOUT = 120


class LocalHub(BaseModel):
    """Everything the hub's config needs; ports are chosen by the caller (free ones)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    folder: Path  #: the hub's own state: its database, cookie secret, pid files, log
    ip: str = "127.0.0.1"  #: where the proxy listens (the URL people open)
    port: int  #: the proxy's public port
    hub_port: int  #: the hub's own port (the proxy and the servers reach it there)
    proxy_api_port: int  #: the proxy's REST API (the hub adds routes there)
    service_port: int  #: the mastery service's own port
    python: str = sys.executable  #: runs the service and every user's server
    course_roots: list[Path]
    data_dir: Path  #: the service's runtime state (submissions, SQLite)
    courses: dict[str, dict[str, list[str]]]  #: course -> {"instructors": [...], "graders": [...]}
    workers: int = 2  #: the service's grading processes
    service_args: list[str] = []  #: more options of ``mastery-nb service`` (``--no-grading``)
    service_environment: dict[str, str] = {}  #: e.g. MASTERY_NB_DB (never on a command line)
    proxy_command: list[str] | None = None  #: configurable-http-proxy; None: set elsewhere
    spawner: Literal["same-user", "os-users"] = "same-user"
    homes: Path | None = None  #: same-user: each user's home is ``homes/<name>``
    authenticator: Literal["shared-password", "dummy"] = "shared-password"
    users: list[str] = []  #: who may log in (shared-password)
    password: str | None = None  #: the shared password (shared-password)

    @property
    def public_url(self) -> str:
        host = "127.0.0.1" if self.ip in ("", "0.0.0.0") else self.ip
        return f"http://{host}:{self.port}/"

    @property
    def hub_api_url(self) -> str:
        return f"http://127.0.0.1:{self.hub_port}/hub/api/"

    @property
    def service_url(self) -> str:
        """The service on its own port (where the students' servers reach it)."""
        return f"http://127.0.0.1:{self.service_port}"

    def service_command(self) -> list[str]:
        command = [self.python, "-m", "mastery_nb", "service"]
        for root in self.course_roots:
            command += ["--root", str(root)]
        command += ["--data-dir", str(self.data_dir), "--workers", str(self.workers)]
        return [*command, *self.service_args]


def configure_local_hub(c: Any, hub: LocalHub) -> None:
    """Fill a ``jupyterhub_config.py``'s ``c`` for ``hub``."""
    c.JupyterHub.bind_url = f"http://{hub.ip}:{hub.port}/"
    c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{hub.hub_port}"
    c.JupyterHub.db_url = f"sqlite:///{hub.folder / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(hub.folder / "jupyterhub_cookie_secret")
    c.JupyterHub.pid_file = str(hub.folder / "jupyterhub.pid")

    if hub.proxy_command is not None:
        c.JupyterHub.proxy_class = "configurable-http-proxy"
        c.ConfigurableHTTPProxy.command = list(hub.proxy_command)
        c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{hub.proxy_api_port}"
        c.ConfigurableHTTPProxy.pid_file = str(hub.folder / "proxy.pid")

    if hub.authenticator == "shared-password":
        c.JupyterHub.authenticator_class = "shared-password"
        c.SharedPasswordAuthenticator.user_password = hub.password
        c.Authenticator.allowed_users = set(hub.users)
    else:
        c.JupyterHub.authenticator_class = "dummy"
        c.Authenticator.allow_all = True

    configure_hub(
        c,
        command=hub.service_command(),
        url=hub.service_url,
        courses=hub.courses,
        environment=hub.service_environment or None,
    )

    c.Spawner.cmd = [hub.python, "-m", "jupyterhub.singleuser"]
    c.Spawner.default_url = "/lab"
    c.Spawner.start_timeout = SERVER_START_TIMEOUT
    c.Spawner.http_timeout = SERVER_START_TIMEOUT
    if hub.spawner == "same-user":
        c.JupyterHub.spawner_class = "simple"
        homes = hub.homes or hub.folder / "homes"
        c.SimpleLocalProcessSpawner.home_dir_template = str(homes / "{username}")
        if os.geteuid() == 0:
            c.Spawner.args = ["--allow-root"]  # every server runs as the hub's user: root
    else:
        c.JupyterHub.spawner_class = "localprocess"


def private_folder(path: Path) -> Path:
    """``path`` created (with its parents) and readable by its owner only (0700)."""
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def write_hub_config(hub: LocalHub, extra: str = "") -> Path:
    """Write ``hub-settings.json`` (0600) and ``jupyterhub_config.py`` into the hub's folder
    (0700); ``extra`` is appended to the config (tests add their admin service there)."""
    private_folder(hub.folder)
    settings = hub.folder / "hub-settings.json"
    fd = os.open(settings, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(hub.model_dump_json(indent=1))
    config = hub.folder / "jupyterhub_config.py"
    config.write_text(
        "# written by mastery-nb (mastery_nb/demo/hub.py); the settings are in hub-settings.json\n"
        "from pathlib import Path\n\n"
        "from mastery_nb.demo.hub import LocalHub, configure_local_hub\n\n"
        "c = get_config()  # noqa: F821\n"
        f"configure_local_hub(c, LocalHub.model_validate_json(Path({str(settings)!r}).read_text()))\n"
        + extra,
        encoding="utf-8",
    )
    config.chmod(0o600)
    return config


def find_proxy() -> list[str]:
    """The configurable-http-proxy command: on PATH, else beside this Python (a venv's
    ``bin/``, where ``scripts/setup.sh`` installs it)."""
    found = shutil.which(PROXY_PROGRAM)
    if found is None:
        for folder in (Path(sys.executable).parent, Path(sys.prefix) / "bin"):
            candidate = folder / PROXY_PROGRAM
            if os.access(candidate, os.X_OK):
                found = str(candidate)
                break
    if found is None:
        raise MasteryError(
            Problem(
                PROXY_PROGRAM,
                "",
                "JupyterHub's proxy (configurable-http-proxy, from npm) is not installed",
                f"run `bash scripts/setup.sh hub` in mastery-nb's checkout, or `npm install "
                f"--global --prefix {sys.prefix} configurable-http-proxy@4` (needs Node.js)",
            )
        )
    return [found]

"""docs/jupyterhub.md says what runs: its config blocks are checked, and the Kubernetes
recipe's service is run as an external service of a real hub.

- The Littlest JupyterHub's ``jupyterhub_config.d/mastery.py`` adds the service with its
  database URL in the service's environment, never on a command line.
- The Helm chart's values give the same scopes, roles, server token scopes and students'
  environment as :func:`mastery_nb.service.hub.configure_hub` (translated as the chart
  translates ``hub.services``, ``hub.loadRoles`` and ``hub.config``).
- The service, started by the test with exactly the Deployment's environment (hosts and
  paths made local), serves a real hub configured with those values: learners and
  instructors with hub tokens, and a browser through the hub's OAuth login.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hub_process import start_hub, stop_hub
from service_process import free_port, terminate, wait_for_http
from traitlets.config import Config

from mastery_nb.service.hub import configure_hub, service_access_scope

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

DOC = Path(__file__).resolve().parent.parent.parent / "docs" / "jupyterhub.md"
COURSE = "intro-data-science"
COURSES = {COURSE: {"instructors": ["prof"], "graders": ["ta1"]}}


def block(name: str) -> str:
    """The fenced block after ``<!-- docs-test: name -->`` in docs/jupyterhub.md."""
    match = re.search(
        rf"<!-- docs-test: {name} -->\n```\w+\n(.*?)\n```", DOC.read_text(), re.DOTALL
    )
    assert match, f"docs/jupyterhub.md has no block marked {name}"
    return match.group(1)


def chart(values: dict[str, Any]) -> dict[str, Any]:
    """What the Helm chart's jupyterhub_config.py makes of the values (the parts we set)."""
    hub = values["hub"]
    services = []
    for key, service in hub["services"].items():
        service = {"name": key, **service}
        service.pop("apiToken", None)
        services.append(service)
    return {
        "services": services,
        "load_roles": [{"name": key, **role} for key, role in hub["loadRoles"].items()],
        "custom_scopes": hub["config"]["JupyterHub"]["custom_scopes"],
        "server_token_scopes": hub["config"]["KubeSpawner"]["server_token_scopes"],
        "environment": values["singleuser"]["extraEnv"],
    }


def written(url: str) -> Config:
    c = Config()
    configure_hub(c, command=["mastery-nb", "service"], url=url, courses=COURSES)
    return c


def roles(load_roles: list[dict[str, Any]]) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    return {
        r["name"]: (frozenset(r.get("users", [])), frozenset(r.get("scopes", [])))
        for r in load_roles
    }


def test_the_tljh_config_keeps_the_database_url_off_the_command_line() -> None:
    c = Config()
    exec(compile(block("tljh-config"), "mastery.py", "exec"), {"get_config": lambda: c})
    (service,) = c.JupyterHub.services
    assert service["name"] == "mastery" and service["url"] == "http://127.0.0.1:10101"
    assert not any("postgresql" in part for part in service["command"])
    assert service["environment"]["MASTERY_NB_DB"].startswith("postgresql://")
    assert "MASTERY_NB_DB" not in c.Spawner.environment, "never in a student's server"
    assert c.Spawner.environment["MASTERY_NB_COURSE"] == COURSE
    assert roles(c.JupyterHub.load_roles)[f"mastery-instructors-{COURSE}"][0] == {"prof"}


def test_the_helm_values_are_what_configure_hub_writes() -> None:
    values = chart(yaml.safe_load(block("z2jh-values")))
    (service,) = values["services"]
    c = written(service["url"])
    (expected,) = c.JupyterHub.services
    for key in ("name", "url", "display", "oauth_no_confirm"):
        assert service[key] == expected[key], key
    assert sorted(service["oauth_client_allowed_scopes"]) == sorted(
        expected["oauth_client_allowed_scopes"]
    )
    assert "command" not in service, "an external service: its own Deployment"
    assert values["custom_scopes"] == c.JupyterHub.custom_scopes
    assert roles(values["load_roles"]) == roles(c.JupyterHub.load_roles)
    assert values["server_token_scopes"] == c.Spawner.server_token_scopes
    assert values["environment"] == c.Spawner.environment


def test_the_service_runs_as_the_deployment_says_behind_a_real_hub(
    released_template: Path, tmp_path: Path
) -> None:
    """The mini course stands in for the Deployment's course; everything else is as written."""
    deployment = next(yaml.safe_load_all(block("k8s-service")))
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    values = chart(yaml.safe_load(block("z2jh-values")))
    hub_port, service_port = free_port(), free_port()
    api_token = secrets.token_hex(32)  # the chart's generated hub.services.mastery.apiToken
    local = {
        "http://hub:8081": f"http://127.0.0.1:{hub_port}",
        "http://0.0.0.0:10101": f"http://127.0.0.1:{service_port}",
        "http://mastery:10101": f"http://127.0.0.1:{service_port}",
    }
    secrets_of = {
        "hub.services.mastery.apiToken": api_token,
        "url": f"sqlite:///{tmp_path / 'store.db'}",
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MASTERY_NB", "JUPYTERHUB"))}
    for item in container["env"]:
        if "valueFrom" in item:
            env[item["name"]] = secrets_of[item["valueFrom"]["secretKeyRef"]["key"]]
        else:
            value = item["value"]
            for in_cluster, here in local.items():
                value = value.replace(in_cluster, here)
            env[item["name"]] = value
    root = tmp_path / "course-root"
    shutil.copytree(released_template, root)
    paths = {"/srv/mastery/course": str(root), "/srv/mastery/data": str(tmp_path / "data")}
    command = [paths.get(part, part) for part in container["command"]]
    assert command[:2] == ["mastery-nb", "service"]
    command = [sys.executable, "-m", "mastery_nb", *command[1:]]
    command[command.index("--workers") + 1] = "1"
    log = tmp_path / "service.log"
    with log.open("wb") as out:
        service = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    hub = None
    try:
        wait_for_http(f"{local['http://mastery:10101']}/services/mastery/api/health", service, log)
        (external,) = values["services"]
        external = {**external, "url": local["http://mastery:10101"], "api_token": api_token}
        mini = {
            "custom_scopes": {k.replace(COURSE, "mini"): v for k, v in values["custom_scopes"].items()},
            "roles": [
                {**r, "name": r["name"].replace(COURSE, "mini"),
                 "scopes": [s.replace(COURSE, "mini") for s in r["scopes"]]}
                for r in values["load_roles"]
            ],
            "allowed": [s.replace(COURSE, "mini") for s in external["oauth_client_allowed_scopes"]],
        }  # fmt: skip
        external["oauth_client_allowed_scopes"] = mini["allowed"]
        hub = start_hub(
            tmp_path / "hub",
            root,
            courses={"mini": {"instructors": ["prof"], "graders": ["ta1"]}},
            data_dir=tmp_path / "unused",
            hub_port=hub_port,
            service_port=service_port,
            extra_config=(
                "c.JupyterHub.services = [s for s in c.JupyterHub.services if s['name'] != 'mastery']"
                f" + [{external!r}]\n"
                f"c.JupyterHub.custom_scopes = {mini['custom_scopes']!r}\n"
                "c.JupyterHub.load_roles = [r for r in c.JupyterHub.load_roles"
                f" if r['name'] == 'test-admin'] + {mini['roles']!r}\n"
            ),
        )
        for user in ("ada", "bob", "prof"):
            hub.add_user(user)
        access = service_access_scope("mastery")
        ada = hub.mint_token("ada", [access, "custom:mastery:learn"])
        prof = hub.mint_token("prof", [access, "custom:mastery:teach:mini"])
        mine = hub.service("GET", "api/courses/mini/learners/ada/progress", ada)
        assert mine.status_code == 200 and mine.json()["student"] == "ada"
        assert hub.service("GET", "api/courses/mini/learners/bob/progress", ada).status_code == 403
        assert hub.service("GET", "api/courses/mini/learners", prof).status_code == 200
        with hub.browser_signed_in("prof") as (_browser, page):
            assert (
                "Signed in as <strong>prof</strong>" in page.text
                and "mini: learner, teach" in page.text
            )
    finally:
        if hub is not None:
            stop_hub(hub)
        terminate(service)
    assert "Traceback" not in log.read_text(), log.read_text()[-3000:]

"""The ``jupyterhub_config.py`` lines that make the mastery service part of a hub.

In ``jupyterhub_config.py``::

    from mastery_nb.service.hub import configure_hub

    c = get_config()  # noqa
    configure_hub(
        c,
        command=["/opt/mastery/bin/mastery-nb", "service", "--root", "/srv/course",
                 "--db", "postgresql://mastery@dbhost/mastery", "--workers", "4"],
        url="http://127.0.0.1:10101",
        courses={"intro-data-science": {"instructors": ["prof"], "graders": ["ta1"]}},
    )

It sets, and merges with what the file already set:

- ``c.JupyterHub.services``: the managed service ``mastery`` (the hub starts ``command``
  with ``$JUPYTERHUB_SERVICE_URL``, ``$JUPYTERHUB_API_TOKEN``, ... in its environment), with
  ``oauth_client_allowed_scopes`` so a browser's login carries the mastery scopes;
- ``c.JupyterHub.custom_scopes``: ``custom:mastery:learn`` and, per course,
  ``custom:mastery:teach:<course>`` and ``custom:mastery:grade:<course>``;
- ``c.JupyterHub.load_roles``: every user (the ``user`` role) may learn and reach the
  service; a role per course for its instructors and one for its graders; and the
  service's own role, which may read the hub's groups (the class dashboard's group filter);
- ``c.Spawner.server_token_scopes``: a student's ``$JUPYTERHUB_API_TOKEN`` carries
  ``access:services!service=mastery`` and ``custom:mastery:learn`` (besides the default
  server scopes), and nothing else of the service. The teach and grade scopes of every
  course are asked for too: the hub grants a token only the scopes its owner holds, so a
  student's server gets none of them and an instructor's gets theirs (their Mastery panel
  then links the class dashboard);
- ``c.Spawner.environment``: ``MASTERY_NB_BACKEND=service``, ``MASTERY_NB_SERVICE_URL``
  and, with one course, ``MASTERY_NB_COURSE``: the student's server finds the service and
  holds no database URL, no path to ``autograder/`` and no secret but that token.

Nothing here imports JupyterHub; it only fills in a traitlets config.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from mastery_nb.identity import check_course_id
from mastery_nb.service.auth import LEARN_SCOPE, grade_scope, teach_scope

__all__ = ["DEFAULT_SERVER_SCOPES", "configure_hub", "service_access_scope"]

#: JupyterHub's default scopes of a single-user server's own token (its ``server`` role)
DEFAULT_SERVER_SCOPES = ("users:activity!user", "access:servers!server")


def service_access_scope(name: str = "mastery") -> str:
    return f"access:services!service={name}"


def _list(section: Any, key: str) -> list[Any]:
    """A list option already set in the config, or a new empty one."""
    return list(section[key]) if key in section and isinstance(section[key], list) else []


def _dict(section: Any, key: str) -> dict[str, Any]:
    return dict(section[key]) if key in section and isinstance(section[key], dict) else {}


def configure_hub(
    c: Any,
    *,
    command: Sequence[str],
    url: str = "http://127.0.0.1:10101",
    name: str = "mastery",
    courses: Mapping[str, Mapping[str, Sequence[str]]] | None = None,
    environment: Mapping[str, str] | None = None,
    set_spawner: bool = True,
) -> None:
    """Add the mastery service, its scopes and roles, and the students' server settings.

    ``courses`` maps each course id to ``{"instructors": [users], "graders": [users]}``.
    """
    access = service_access_scope(name)
    courses = courses or {}
    course_scopes: dict[str, dict[str, str]] = {}
    for course in courses:
        check_course_id(course)
        course_scopes[teach_scope(course)] = {
            "description": f"Teach {course} with mastery-nb: read the class, its progress, "
            "feedback and practice"
        }
        course_scopes[grade_scope(course)] = {
            "description": f"Grade {course} with mastery-nb: read the class and its work"
        }
    custom = _dict(c.JupyterHub, "custom_scopes")
    custom[LEARN_SCOPE] = {
        "description": "Learn with mastery-nb: one's own progress, submissions, feedback and practice"
    }
    custom.update(course_scopes)
    c.JupyterHub.custom_scopes = custom

    services = [s for s in _list(c.JupyterHub, "services") if s.get("name") != name]
    service: dict[str, Any] = {
        "name": name,
        "url": url,
        "command": list(command),
        "display": True,
        "oauth_no_confirm": True,
        "oauth_client_allowed_scopes": [LEARN_SCOPE, *course_scopes],
    }
    if environment:
        service["environment"] = dict(environment)
    services.append(service)
    c.JupyterHub.services = services

    roles = _list(c.JupyterHub, "load_roles")
    user_role = next((r for r in roles if r.get("name") == "user"), None)
    if user_role is None:
        user_role = {"name": "user", "scopes": ["self"]}
        roles.append(user_role)
    user_role["scopes"] = list(dict.fromkeys([*user_role.get("scopes", []), LEARN_SCOPE, access]))
    for course, people in courses.items():
        for kind, scope in (("instructors", teach_scope(course)), ("graders", grade_scope(course))):
            members = list(people.get(kind, ()))
            if not members:
                continue
            role_name = f"{name}-{kind}-{course}"
            roles = [r for r in roles if r.get("name") != role_name]
            roles.append({"name": role_name, "users": members, "scopes": [scope, access]})
    own = f"{name}-service"
    roles = [r for r in roles if r.get("name") != own]
    roles.append({"name": own, "services": [name], "scopes": ["list:groups", "read:groups"]})
    c.JupyterHub.load_roles = roles

    if set_spawner:
        c.Spawner.server_token_scopes = list(
            dict.fromkeys([*DEFAULT_SERVER_SCOPES, access, LEARN_SCOPE, *course_scopes])
        )
        env = _dict(c.Spawner, "environment")
        env.update(
            {
                "MASTERY_NB_BACKEND": "service",
                "MASTERY_NB_SERVICE_URL": f"{url.rstrip('/')}/services/{name}/",
            }
        )
        if len(courses) == 1:
            env["MASTERY_NB_COURSE"] = next(iter(courses))
        c.Spawner.environment = env

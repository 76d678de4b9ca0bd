"""``mastery-nb service``: the one process that holds a class's secrets (how it is built and run).

It alone holds the store (PostgreSQL by URL, SQLite by default), the course roots
(``release/`` and ``autograder/`` of one or more courses) and the graders; learners' Jupyter
servers ask it over HTTP with their own hub token (:mod:`mastery_nb.backend.service`).
On a hub it runs as a JupyterHub-managed service (docs/design.md, "The mastery service").

:func:`build_service` and :func:`serve` are plain functions; :mod:`mastery_nb.service.cli`
is the thin command over them.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from mastery_nb.backend.grading import LocalGrading
from mastery_nb.backend.local import LocalBackend
from mastery_nb.dashboard.groups import GroupSource
from mastery_nb.errors import MasteryError, Problem
from mastery_nb.identity import is_course_id
from mastery_nb.root import CourseRoot
from mastery_nb.service.app import MAX_BODY_BYTES, MasteryService, make_app
from mastery_nb.service.auth import Authenticator, HubAuthenticator, TokenAuthenticator
from mastery_nb.service.modes import exposed_secrets, make_data_dirs_private

if TYPE_CHECKING:
    from mastery_nb.grade.gateway import GatewayTarget

__all__ = [
    "HUB_ENV",
    "MasteryService",
    "build_service",
    "find_courses",
    "hub_listen_address",
    "make_authenticator",
    "serve",
]

#: set by JupyterHub for a managed service: the service then authenticates with the hub
HUB_ENV = "JUPYTERHUB_API_TOKEN"


def find_courses(roots: Sequence[CourseRoot], only: Sequence[str] = ()) -> dict[str, CourseRoot]:
    """Every course released in the roots (``release/`` and ``autograder/`` both present).

    ``only`` restricts to those ids; an id in two roots, or one asked for and not found,
    is an error naming the fix.
    """
    found: dict[str, CourseRoot] = {}
    problems: list[Problem] = []
    seen: set[Path] = set()
    for root in roots:
        if root.path in seen:
            continue  # the same root named twice
        seen.add(root.path)
        bundles = sorted(p.parent.name for p in root.autograder_dir.glob("*/course.json"))
        for course in bundles:
            if only and course not in only:
                continue
            if not (root.course_release(course) / "course.json").is_file():
                problems.append(
                    Problem(
                        root.relative(root.course_release(course)),
                        "",
                        f"course '{course}' has a grading bundle but no student release",
                        f"run `mastery-nb release {course}` in {root.path}",
                    )
                )
                continue
            if not is_course_id(course):
                problems.append(
                    Problem(
                        root.relative(root.course_bundle(course)),
                        "",
                        f"'{course}' cannot name hub scopes (custom:mastery:teach:<course>)",
                        "rename the course with lowercase letters, digits, '-' or '_'",
                    )
                )
                continue
            if course in found:
                problems.append(
                    Problem(
                        str(root.path),
                        "",
                        f"course '{course}' is released in two roots ({found[course].path} too)",
                        "serve each course from one root (pass --course to choose)",
                    )
                )
                continue
            found[course] = root
    for course in only:
        if course not in found and not any(course in p.message for p in problems):
            problems.append(
                Problem(
                    "--course",
                    course,
                    "no released course with this id in " + ", ".join(str(r.path) for r in roots),
                    "run `mastery-nb release` in its course root, or pass --root",
                )
            )
    if not found and not problems:
        problems.append(
            Problem(
                ", ".join(str(r.path) for r in roots),
                "",
                "no released course (autograder/<course>/course.json) here",
                "run `mastery-nb release` in the course root, or pass --root",
            )
        )
    if problems:
        raise MasteryError(problems)
    return found


def make_authenticator(tokens_file: str | None = None) -> Authenticator:
    """HubOAuth under a hub; else the token file; never an open service."""
    if tokens_file:
        try:
            return TokenAuthenticator.from_file(Path(tokens_file))
        except (OSError, ValueError, KeyError) as error:
            raise MasteryError(
                Problem(
                    tokens_file,
                    "",
                    f"cannot read the token file ({error})",
                    'write {"tokens": {"<token>": {"name": "ada", "scopes": ["custom:mastery:learn"]}}}',
                )
            ) from None
    if os.environ.get(HUB_ENV):
        return HubAuthenticator()
    raise MasteryError(
        Problem(
            "mastery-nb service",
            "",
            "no way to authenticate callers: not started by JupyterHub ($JUPYTERHUB_API_TOKEN "
            "is not set) and no --tokens file",
            "run it as a JupyterHub-managed service (docs/design.md), or pass --tokens FILE",
        )
    )


def build_service(
    roots: Sequence[CourseRoot],
    *,
    authenticator: Authenticator,
    courses: Sequence[str] = (),
    workers: int = 1,
    grading: bool = True,
    prefix: str = "/",
    scheduler: str | GatewayTarget | None = None,
    groups: str | None = None,
) -> MasteryService:
    """The service over the courses of ``roots`` (which share one data dir and store);
    ``scheduler``: grade on that Dask cluster, an address or a dask-gateway cluster
    (docs/scaling.md)."""
    from mastery_nb.store import open_store

    found = find_courses(roots, courses)
    make_data_dirs_private(found)
    for warning in exposed_secrets(found):
        print(f"mastery-nb service: warning: {warning}", file=sys.stderr, flush=True)
    for root in {r.db_url: r for r in found.values()}.values():
        open_store(root)  # migrate now: a bad URL fails here, in words, not on a request
    graders = (
        LocalGrading.for_courses(found, workers=workers, scheduler=scheduler) if grading else None
    )
    backends = {
        course: LocalBackend(
            root, course, grading=graders, grader_mode="service", own_grading=False
        )
        for course, root in found.items()
    }
    return MasteryService(
        backends=backends,
        authenticator=authenticator,
        prefix=prefix,
        grading=graders,
        groups=group_source(groups),
    )


def group_source(path: str | None) -> GroupSource | None:
    """The dashboard's groups: a file if given, else the hub's groups under a hub."""
    from mastery_nb.dashboard.groups import FileGroups, HubGroups

    if path:
        return FileGroups(Path(path))
    api, token = os.environ.get("JUPYTERHUB_API_URL"), os.environ.get(HUB_ENV)
    return HubGroups(api, token) if api and token else None


def hub_listen_address() -> tuple[str, int] | None:
    """Where a hub-managed service must listen (``$JUPYTERHUB_SERVICE_URL``), if set."""
    url = os.environ.get("JUPYTERHUB_SERVICE_URL")
    if not url:
        return None
    parsed = urlparse(url)
    return parsed.hostname or "127.0.0.1", parsed.port or (443 if parsed.scheme == "https" else 80)


async def _serve(service: MasteryService, ip: str, port: int, announce: bool) -> None:
    app = make_app(service)
    server = app.listen(port, address=ip, max_body_size=MAX_BODY_BYTES, xheaders=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    if service.grading is not None:
        service.grading.start()
    warm_dashboards(service)
    if announce:
        prefix = "/" + service.prefix.strip("/") + "/" if service.prefix.strip("/") else "/"
        courses = ", ".join(sorted(service.backends))
        print(f"mastery-nb service: serving {courses} at http://{ip}:{port}{prefix}", flush=True)
    await stop.wait()
    server.stop()
    await loop.run_in_executor(None, service.close)


def warm_dashboards(service: MasteryService) -> None:
    """Read every course's class once in the background, so the first instructor to open
    the dashboard does not wait for a large class to be read."""
    import threading

    def warm() -> None:
        for course in sorted(service.backends):
            try:
                service.dashboard(course).fresh()
            except Exception:  # a course not released yet: the dashboard says so when asked
                continue

    threading.Thread(target=warm, name="dashboard-warm-up", daemon=True).start()


def serve(service: MasteryService, ip: str, port: int, *, announce: bool = True) -> None:
    """Serve until SIGINT or SIGTERM, then stop the graders after their current attempts."""
    asyncio.run(_serve(service, ip, port, announce))

"""``mastery-nb service``: the one process that holds a class's secrets.

It alone holds the store (PostgreSQL by URL, SQLite by default), the course roots
(``release/`` and ``autograder/`` of one or more courses) and the graders; learners' Jupyter
servers ask it over HTTP with their own hub token (:mod:`mastery_nb.backend.service`).
On a hub it runs as a JupyterHub-managed service (docs/design.md, "The mastery service").

:func:`build_service` and :func:`serve` (in :mod:`mastery_nb.service.run`) are plain functions; :mod:`mastery_nb.service.cli`
is the thin command over them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mastery_nb._lazy import lazy_exports

if TYPE_CHECKING:
    from mastery_nb.service.run import (
        HUB_ENV,
        MasteryService,
        build_service,
        find_courses,
        hub_listen_address,
        make_authenticator,
        serve,
    )

__all__ = [
    "HUB_ENV",
    "MasteryService",
    "build_service",
    "find_courses",
    "hub_listen_address",
    "make_authenticator",
    "serve",
]

# imported on first use, so that `mastery-nb service --help` does not load tornado or the store
__getattr__ = lazy_exports(
    __name__,
    {
        "HUB_ENV": "mastery_nb.service.run",
        "MasteryService": "mastery_nb.service.run",
        "build_service": "mastery_nb.service.run",
        "find_courses": "mastery_nb.service.run",
        "hub_listen_address": "mastery_nb.service.run",
        "make_authenticator": "mastery_nb.service.run",
        "serve": "mastery_nb.service.run",
    },
)

"""``mastery-nb service``: run the mastery service (a thin layer over :mod:`mastery_nb.service`)."""

from __future__ import annotations

import argparse
import os
from typing import Any

from mastery_nb.errors import EXIT_OK, MasteryError, Problem
from mastery_nb.grade.cluster_options import add_cluster_options, cluster_from_args
from mastery_nb.root import CourseRoot

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "service",
        help="run the mastery service: the store, the courses and the graders for a class",
        description="Serve one or more released courses to learners' Jupyter servers over "
        "HTTP, with the store and the graders. Under JupyterHub (a managed service) every "
        "request is authenticated with the hub; otherwise pass --tokens.",
    )
    parser.add_argument(
        "--root",
        action="append",
        default=None,
        metavar="DIR",
        help="a course root holding release/ and autograder/ (repeat for several; default: .)",
    )
    parser.add_argument(
        "--course", action="append", default=[], metavar="ID", help="serve only these courses"
    )
    parser.add_argument(
        "--data-dir",
        default=None,
        metavar="DIR",
        help="runtime state of every course: submissions, SQLite (default: FIRST-ROOT/.mastery-data)",
    )
    parser.add_argument(
        "--db",
        default=None,
        metavar="URL",
        help="database URL, e.g. postgresql://user@host/mastery (default: SQLite in the data dir)",
    )
    parser.add_argument(
        "--ip", default=None, help="address (default: from JupyterHub, else 127.0.0.1)"
    )
    parser.add_argument(
        "--port", type=int, default=None, help="port (default: from JupyterHub, else 8765)"
    )
    parser.add_argument(
        "--prefix",
        default=None,
        help="URL prefix (default: $JUPYTERHUB_SERVICE_PREFIX, else /)",
    )
    parser.add_argument(
        "--no-grading",
        action="store_true",
        help="do not grade here (another process runs `mastery-nb grade --watch`)",
    )
    parser.add_argument(
        "--tokens",
        default=None,
        metavar="FILE",
        help="without a hub: a JSON file of API tokens with names and scopes",
    )
    parser.add_argument(
        "--groups",
        default=None,
        metavar="FILE",
        help="who is in which group, for the dashboard's filter: JSON "
        '{"groups": {"section-a": ["ada", ...]}} or CSV rows learner,group '
        "(default: the hub's groups under a hub, else none)",
    )
    add_cluster_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        from mastery_nb.service import (
            build_service,
            hub_listen_address,
            make_authenticator,
            serve,
        )
    except ModuleNotFoundError as error:
        if error.name is None or not error.name.startswith("jupyterhub"):
            raise
        raise MasteryError(
            Problem(
                "mastery-nb service",
                "",
                "the service authenticates with JupyterHub, which is not installed here",
                "pip install 'mastery-nb[hub]' (and [postgres] for a PostgreSQL store)",
            )
        ) from None

    cluster = cluster_from_args(args)
    paths = args.root or ["."]
    first = CourseRoot.at(paths[0], data_dir=args.data_dir, db_url=args.db)
    roots = [
        first,
        *(CourseRoot.at(p, data_dir=first.data_dir, db_url=first.db_url) for p in paths[1:]),
    ]
    authenticator = make_authenticator(args.tokens)
    prefix = args.prefix or os.environ.get("JUPYTERHUB_SERVICE_PREFIX") or "/"
    service = build_service(
        roots,
        authenticator=authenticator,
        courses=args.course,
        workers=args.workers,
        grading=not args.no_grading,
        prefix=prefix,
        scheduler=cluster,
        groups=args.groups,
    )
    hub_ip, hub_port = hub_listen_address() or ("127.0.0.1", 8765)
    serve(service, args.ip or hub_ip, args.port if args.port is not None else hub_port)
    return EXIT_OK

"""Which cluster grades: the one home of the ``--scheduler`` / ``--gateway`` options.

``mastery-nb grade`` and ``mastery-nb service`` take the same options and read them with
:func:`cluster_from_args`, so the choice is spelled, checked and documented once. The answer
is plain data: None (the local process pool), a scheduler address (``str``), or a
:class:`~mastery_nb.grade.gateway.GatewayTarget`; the queue hands it (its ``scheduler``
argument) to :func:`mastery_nb.grade.pools.make_pool`.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from mastery_nb.errors import MasteryError, Problem

if TYPE_CHECKING:
    from mastery_nb.grade.gateway import GatewayTarget

__all__ = ["add_cluster_options", "cluster_from_args"]


def add_cluster_options(parser: argparse.ArgumentParser) -> None:
    """``--workers`` and the options that choose a Dask cluster to grade on
    (docs/scaling.md)."""
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        metavar="N",
        help="attempts graded at a time (default 2); with --gateway and no --gateway-cluster, "
        "the workers of the cluster it starts",
    )
    group = parser.add_argument_group(
        "grading on a Dask cluster (default: a local process pool; docs/scaling.md)"
    )
    group.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="grade on the Dask cluster of this scheduler, e.g. tcp://10.0.0.5:8786, --workers "
        "attempts at a time",
    )
    group.add_argument(
        "--gateway",
        nargs="?",
        const="",
        default=None,
        metavar="URL",
        help="grade on a dask-gateway cluster, e.g. http://traefik-dask-gateway "
        "(alone: gateway.address of Dask's config); without --gateway-cluster, start a "
        "cluster of --workers workers and shut it down on exit. Auth: gateway.auth of Dask's "
        "config, e.g. DASK_GATEWAY__AUTH__TYPE=jupyterhub",
    )
    group.add_argument(
        "--gateway-cluster",
        default=None,
        metavar="NAME",
        help="with --gateway: grade on this running cluster (left running on exit)",
    )
    group.add_argument(
        "--gateway-auth",
        default=None,
        metavar="TYPE",
        help="with --gateway: basic, jupyterhub, kerberos or a class path (default: "
        "gateway.auth.type of Dask's config); its settings come from gateway.auth.kwargs",
    )
    group.add_argument(
        "--adaptive",
        action="store_true",
        help="with --gateway and no --gateway-cluster: size the cluster by the attempts "
        "being graded, a worker for each, between 1 and --workers workers (docs/scaling.md)",
    )


def cluster_from_args(args: argparse.Namespace) -> str | GatewayTarget | None:
    """The cluster the options choose (None: the local pool); a MasteryError naming the
    option when they clash or ``--workers`` is not a number of workers. Imports nothing heavy
    (``--help`` stays quick) and pydantic only for a gateway, so ``mastery-nb grade`` can say
    what it grades before its imports."""
    workers: int = args.workers
    if workers < 1:
        raise MasteryError(
            Problem("--workers", "", f"{workers} is not a number of workers", "give 1 or more")
        )
    gateway: str | None = args.gateway
    needs_gateway: dict[str, Any] = {
        "--gateway-cluster": args.gateway_cluster,
        "--gateway-auth": args.gateway_auth,
        "--adaptive": args.adaptive or None,
    }
    if gateway is None:
        given = [name for name, value in needs_gateway.items() if value is not None]
        if given:
            raise MasteryError(
                Problem(given[0], "", "goes with --gateway", "add --gateway URL, or leave it out")
            )
        return str(args.scheduler) if args.scheduler else None
    if args.scheduler:
        raise MasteryError(
            Problem(
                "--scheduler",
                "",
                "--scheduler and --gateway both choose the cluster",
                "give one of them",
            )
        )
    if args.adaptive and args.gateway_cluster:
        raise MasteryError(
            Problem(
                "--adaptive",
                "",
                "the grader scales only a cluster it starts",
                "scale the running cluster through the gateway, or leave out --gateway-cluster",
            )
        )
    from mastery_nb.grade.gateway import GatewayTarget

    return GatewayTarget(
        address=gateway or None,
        cluster=args.gateway_cluster,
        auth=args.gateway_auth,
        workers=workers,
        adaptive=args.adaptive,
    )

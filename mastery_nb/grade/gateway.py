"""Grading on a dask-gateway cluster: ``mastery-nb grade --gateway URL [--gateway-cluster NAME]``.

JupyterHub deployments (zero-to-jupyterhub, daskhub) already run dask-gateway, which hands
out Dask clusters through its API: a ``gateway://`` scheduler address behind its proxy, and
per-cluster TLS credentials. Only *how the* ``distributed.Client`` *is obtained* differs from
``--scheduler``: :func:`open_gateway` asks the gateway for a client, and
:class:`~mastery_nb.grade.cluster.DaskGrader` does everything else exactly as for a plain
scheduler (the worker plugin, the bundle shipped once per worker, results recorded once by
the grader, the fault handling).

* **An existing cluster** (``--gateway-cluster NAME``): connected to, never shut down by the
  grader (whoever started it owns it).
* **A cluster of its own** (no name): started through the gateway with ``--workers`` workers
  (with ``--adaptive``: one per attempt being graded, up to that many,
  :mod:`mastery_nb.grade.gateway_scaling`), shut down when the grader closes it. The grader waits for
  a first worker before it registers the grading plugin, so a worker image that cannot grade
  is reported at start, not as attempts that never finish.
* **Auth** comes from dask-gateway's own configuration (``gateway.auth.type`` and
  ``gateway.auth.kwargs`` in a Dask config file or ``DASK_GATEWAY__AUTH__...`` variables; the
  ``jupyterhub`` type reads ``$JUPYTERHUB_API_TOKEN``, which a hub-managed service has), unless
  :attr:`GatewayTarget.auth` names the type. Cluster options (image, worker memory) likewise
  come from ``gateway.cluster.options``.

Every way this can fail before grading starts raises
:class:`~mastery_nb.grade.worker.WorkerUnavailable` naming the fix: the queue is untouched.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from mastery_nb.grade.gateway_scaling import AttemptScaler
from mastery_nb.grade.worker import WorkerUnavailable

__all__ = ["GatewayConnection", "GatewayTarget", "open_gateway", "release"]

log = logging.getLogger(__name__)

#: how long a cluster the grader started may take to bring up its first worker (a node of a
#: Kubernetes cluster may have to be added and the image pulled)
FIRST_WORKER_SECONDS = 300.0

_INSTALL = 'install mastery-nb with the gateway extra: pip install "mastery-nb[gateway]"'
_AUTH_FIX = (
    "set dask-gateway's auth in Dask's config (e.g. DASK_GATEWAY__AUTH__TYPE=jupyterhub, "
    "which sends $JUPYTERHUB_API_TOKEN; or basic with DASK_GATEWAY__AUTH__KWARGS__PASSWORD) "
    "or pass --gateway-auth (docs/scaling.md)"
)


class GatewayTarget(BaseModel):
    """Which dask-gateway cluster to grade on (plain data: the command line's choice)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    #: the gateway's address; None: ``gateway.address`` of Dask's config
    address: str | None = None
    #: an existing cluster to connect to; None: start one, shut it down when done
    cluster: str | None = None
    #: ``basic``, ``jupyterhub``, ``kerberos`` or a class path; None: ``gateway.auth.type``
    auth: str | None = None
    #: a started cluster's workers (with ``adaptive``: the most it scales to)
    workers: int = Field(default=2, ge=1)
    #: size a started cluster by the attempts being graded, between one worker and
    #: ``workers`` (:mod:`mastery_nb.grade.gateway_scaling`)
    adaptive: bool = False

    def __str__(self) -> str:
        where = self.address or "the gateway of Dask's config (gateway.address)"
        if self.cluster:
            return f"dask-gateway cluster {self.cluster} at {where}"
        return f"a new dask-gateway cluster at {where}"


class GatewayConnection:
    """A client of a dask-gateway cluster, and what closing it must release."""

    def __init__(self, gateway: Any, cluster: Any, client: Any, *, owned: bool) -> None:
        self.gateway = gateway
        self.cluster = cluster
        self.client = client
        #: started by this grader: shut down on close
        self.owned = owned
        self.name = f"of dask-gateway cluster {cluster.name} ({gateway.address})"
        #: sizes a cluster started with ``--adaptive`` (None: the cluster keeps its size)
        self.scaler: AttemptScaler | None = None

    @contextmanager
    def attempt(self) -> Iterator[None]:
        """Around one attempt's grading on the cluster (an adaptive one grows for it)."""
        if self.scaler is None:
            yield
            return
        with self.scaler.attempt():
            yield

    def close(self) -> None:
        """Close the client; shut the cluster down if this grader started it."""
        if self.scaler is not None:
            self.scaler.close()
        try:
            self.client.close(timeout=10)
        except Exception:  # closing after the scheduler went away
            log.debug("closing the dask-gateway cluster's client", exc_info=True)
        release(self.gateway, self.cluster, shutdown=self.owned)


def release(gateway: Any, cluster: Any, *, shutdown: bool) -> None:
    """Let go of the cluster (shut it down with ``shutdown``) and of the gateway client."""
    try:
        if cluster is not None:
            cluster.close(shutdown=shutdown)
            _closed(cluster.gateway)
    except Exception:  # the gateway went away: its own idle timeout ends the cluster
        log.warning("mastery-nb: could not shut down dask-gateway cluster", exc_info=True)
    try:
        gateway.close()
        _closed(gateway)
    except Exception:
        log.debug("closing the dask-gateway client", exc_info=True)


def _closed(gateway: Any) -> None:
    """Keep a closed ``dask_gateway.Gateway`` from closing again when collected.

    Its ``__del__`` closes it again, which asks distributed's stopped loop runner for its
    loop and raises (printed as "Exception ignored in Gateway.__del__" on every exit of the
    grader, seen with dask-gateway 2026.3 and distributed 2026.8). ``__del__`` skips an
    object without a loop runner."""
    gateway.__dict__.pop("_loop_runner", None)


def open_gateway(target: GatewayTarget) -> GatewayConnection:
    """Connect to (or start) the cluster of ``target``; a client ready to grade on it.

    Raises WorkerUnavailable naming the fix when dask-gateway is not installed, the gateway
    cannot be reached or refuses the credentials, the cluster is unknown or fails to start,
    or a started cluster brings up no worker."""
    try:
        from dask_gateway import Gateway
    except ImportError as error:
        raise WorkerUnavailable(
            f"grading on dask-gateway needs the `dask-gateway` package ({error})", _INSTALL
        ) from error
    try:
        gateway = Gateway(address=target.address, auth=target.auth)
    except ValueError as error:  # no address, or the jupyterhub auth without a token
        raise WorkerUnavailable(
            f"cannot use {target} ({error})",
            "give --gateway URL (or gateway.address in Dask's config) and " + _AUTH_FIX,
        ) from error
    except (ImportError, TypeError) as error:  # an auth type that is not one
        raise WorkerUnavailable(f"unknown dask-gateway auth ({error})", _AUTH_FIX) from error
    owned = not target.cluster
    cluster: Any = None
    try:
        cluster = _cluster(gateway, target)
        client = cluster.get_client(set_as_default=False)
    except BaseException as error:
        problem = _problem(target, gateway, error)
        release(gateway, cluster, shutdown=owned)
        if problem is None:
            raise
        raise WorkerUnavailable(*problem) from error
    connection = GatewayConnection(gateway, cluster, client, owned=owned)
    if owned:
        try:
            client.wait_for_workers(1, timeout=FIRST_WORKER_SECONDS)
        except BaseException as error:
            connection.close()
            raise WorkerUnavailable(
                f"the dask-gateway cluster {cluster.name} brought up no worker in "
                f"{FIRST_WORKER_SECONDS:g} s ({type(error).__name__}: {error})",
                "see the gateway's logs and the cluster's (the worker image, its resources)",
            ) from error
        if target.adaptive:
            connection.scaler = AttemptScaler(
                cluster, target.workers, size=1, joined=lambda: _workers(client)
            )
    return connection


def _workers(client: Any) -> int:
    """How many workers have joined the cluster of ``client``."""
    return len(client.scheduler_info(n_workers=-1)["workers"])


def _cluster(gateway: Any, target: GatewayTarget) -> Any:
    """The named cluster, or a new one scaled to ``target.workers`` (adaptive: to one
    worker, which the grader's AttemptScaler grows and shrinks)."""
    if target.cluster:
        return gateway.connect(target.cluster, shutdown_on_close=False)
    cluster = gateway.new_cluster(shutdown_on_close=True)
    log.warning("mastery-nb: started dask-gateway cluster %s", cluster.name)
    try:
        cluster.scale(1 if target.adaptive else target.workers)
    except BaseException:
        cluster.close(shutdown=True)
        _closed(cluster.gateway)
        raise
    return cluster


def _problem(target: GatewayTarget, gateway: Any, error: BaseException) -> tuple[str, str] | None:
    """What went wrong and its fix, in words (None: not a problem of the gateway)."""
    import aiohttp
    from dask_gateway.client import GatewayClusterError

    where = gateway.address
    if isinstance(error, aiohttp.ClientResponseError) and error.status == 403 and target.cluster:
        return (
            f"the dask-gateway at {where} does not let this grader use cluster "
            f"{target.cluster!r} (HTTP 403): a cluster belongs to the user who started it",
            "authenticate as that user (gateway.auth in Dask's config, docs/scaling.md), or "
            "leave out --gateway-cluster to start a cluster of the grader's own",
        )
    if isinstance(error, aiohttp.ClientResponseError) and error.status in (401, 403):
        return (
            f"the dask-gateway at {where} refused the credentials (HTTP {error.status})",
            _AUTH_FIX,
        )
    if isinstance(error, ValueError) and target.cluster and "not found" in str(error):
        try:
            names = ", ".join(c.name for c in gateway.list_clusters()) or "none"
        except Exception:
            names = "unknown"
        return (
            f"the dask-gateway at {where} has no running cluster named {target.cluster!r} "
            f"(its running clusters: {names})",
            "give the name of a running cluster to --gateway-cluster, or leave it out to start one",
        )
    if isinstance(error, aiohttp.ClientConnectionError | aiohttp.ClientResponseError):
        return (
            f"the dask-gateway at {where} cannot be reached ({type(error).__name__}: {error})",
            "check the address given to --gateway (beside zero-to-jupyterhub: the gateway's "
            "traefik service, e.g. http://traefik-dask-gateway; docs/scaling.md) and that the "
            "gateway is running",
        )
    if isinstance(error, GatewayClusterError):
        return (f"the dask-gateway cluster did not start ({error})", "see the gateway's logs")
    if isinstance(error, OSError | TimeoutError):
        return (
            f"the cluster's scheduler cannot be reached through the gateway's proxy "
            f"{gateway.proxy_address} ({type(error).__name__}: {error})",
            "set gateway.proxy-address in Dask's config when the proxy's scheduler port is "
            "not the API's (docs/scaling.md), and see the gateway's logs",
        )
    return None

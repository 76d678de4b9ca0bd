"""A real ``dask-gateway-server`` for the grading tests, on 127.0.0.1 (free ports).

It runs its local-process backend and a password (SimpleAuthenticator); its clusters'
schedulers and workers are this test's Python (``python -m distributed.cli.dask_scheduler``
/ ``dask_worker``), so they import mastery-nb wherever it is installed. Its backend keeps a
stopped cluster's folder, so a test reads what the gateway, a cluster's scheduler and its
workers logged. Used by tests/grade/test_dask_gateway.py (``mastery-nb grade --gateway``)
and tests/grade/test_dask_gateway_service.py (``mastery-nb service --gateway``).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from dask_cluster import free_port
from test_crash_safety import _descendants

__all__ = ["BASIC_AUTH", "PASSWORD", "Gateway", "gateway"]

PASSWORD = "grading-test-password"

CONFIG = """
from dask_gateway_server.backends.local import UnsafeLocalBackend


class KeepLogsBackend(UnsafeLocalBackend):
    '''Keeps a stopped cluster's folder: the test reads its workers' logs.'''

    def cleanup_working_directory(self, workdir):
        pass


c.DaskGateway.address = "127.0.0.1:{api}"
c.Proxy.address = "127.0.0.1:{proxy}"
c.DaskGateway.backend_class = KeepLogsBackend
c.DaskGateway.authenticator_class = "dask_gateway_server.auth.SimpleAuthenticator"
c.SimpleAuthenticator.password = {password!r}
c.LocalBackend.clusters_directory = {clusters!r}
c.ClusterConfig.scheduler_cmd = [{python!r}, "-m", "distributed.cli.dask_scheduler"]
c.ClusterConfig.worker_cmd = [{python!r}, "-m", "distributed.cli.dask_worker"]
# a cluster whose grader was killed ends on its own
c.ClusterConfig.idle_timeout = 120
# a cluster tells the gateway its workers every second (the log a test reads), and is not
# given up for a missed heartbeat on a loaded machine
c.LocalBackend.cluster_heartbeat_period = 1
c.LocalBackend.cluster_heartbeat_timeout = 60
"""


class Gateway:
    """A dask-gateway-server and the clusters it runs, all ended with it."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.clusters = base / "clusters"
        self.clusters.mkdir()
        api, proxy = free_port(), free_port()
        self.address = f"http://127.0.0.1:{proxy}"
        config = base / "dask_gateway_config.py"
        config.write_text(
            CONFIG.format(
                api=api,
                proxy=proxy,
                password=PASSWORD,
                clusters=str(self.clusters),
                python=sys.executable,
            )
        )
        self.log = base / "gateway.log"
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "dask-gateway-server"), "-f", str(config)],
            cwd=base,
            stdout=subprocess.DEVNULL,
            stderr=self.log.open("ab"),
            start_new_session=True,
        )
        self._seen: set[int] = set()
        self._wait_ready(api, proxy)

    def _wait_ready(self, *ports: int) -> None:
        deadline = time.monotonic() + 60
        for port in ports:
            while True:
                if self.process.poll() is not None:
                    raise RuntimeError(f"dask-gateway-server exited:\n{self.log.read_text()}")
                with socket.socket() as sock:
                    if sock.connect_ex(("127.0.0.1", port)) == 0:
                        break
                if time.monotonic() > deadline:
                    raise TimeoutError(f"the gateway does not listen:\n{self.log.read_text()}")
                time.sleep(0.1)

    def remember_processes(self) -> None:
        """Note the clusters' processes now, to end them even if the gateway cannot."""
        self._seen |= _descendants(self.process.pid)

    def running_clusters(self, user: str = "grader") -> list[str]:
        from dask_gateway import BasicAuth
        from dask_gateway import Gateway as Client

        # closed when collected (closing it twice prints an error: mastery_nb/grade/gateway.py)
        client = Client(self.address, auth=BasicAuth(user, PASSWORD))
        return [c.name for c in client.list_clusters()]

    def worker_logs(self, cluster: str = "*") -> str:
        """What the workers of ``cluster`` (default: every cluster) logged."""
        logs = sorted(self.clusters.glob(f"{cluster}/logs/worker-*"))
        return "".join(p.read_text(errors="replace") for p in logs)

    def scheduler_log(self, cluster: str) -> str:
        return (self.clusters / cluster / "logs" / "scheduler.log").read_text(errors="replace")

    def newest_cluster(self) -> str:
        """The cluster the gateway created last ("" before the first)."""
        created = re.findall(
            r"Created cluster (\w+) for user", self.log.read_text(errors="replace")
        )
        return created[-1] if created else ""

    def workers(self, cluster: str) -> tuple[list[str], list[str]]:
        """The workers the gateway created for ``cluster``, and those it has seen stop."""
        log = self.log.read_text(errors="replace")
        created = re.findall(rf"Created worker (\w+) for cluster {cluster}", log)
        stopped = set(re.findall(r"Worker (\w+) stopped", log))
        return created, [name for name in created if name in stopped]

    def heartbeats(self, cluster: str) -> list[tuple[int, int]]:
        """(workers requested, workers running) in each heartbeat of ``cluster`` the gateway
        logged: the gateway's own count of the cluster's workers, in order."""
        pattern = rf"Cluster {cluster} heartbeat \[count: (\d+), n_active: (\d+),"
        found = re.findall(pattern, self.log.read_text(errors="replace"))
        return [(int(count), int(active)) for count, active in found]

    def stop(self) -> None:
        self.remember_processes()
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # it stops its clusters first
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        for pid in self._seen:  # what outlived it (each cluster process has its own session)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    running = Gateway(tmp_path_factory.mktemp("gateway"))
    try:
        yield running
    finally:
        running.stop()


#: dask-gateway's own configuration, as a hub-managed service would set it
BASIC_AUTH = {
    "DASK_GATEWAY__AUTH__TYPE": "basic",
    "DASK_GATEWAY__AUTH__KWARGS__USERNAME": "grader",
    "DASK_GATEWAY__AUTH__KWARGS__PASSWORD": PASSWORD,
}

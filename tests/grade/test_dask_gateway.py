"""Grading on a real dask-gateway: ``mastery-nb grade --gateway URL`` (the shipped CLI).

A ``dask-gateway-server`` runs on 127.0.0.1 (free ports) with its local-process backend
and a password (SimpleAuthenticator); its clusters' schedulers and workers are this test's
Python (``python -m distributed.cli.dask_scheduler`` / ``dask_worker``), so they import
mastery-nb wherever it is installed. The grader starts a cluster through the gateway,
grades a batch of the sample course on it, and shuts it down when it exits: every attempt
graded exactly once with the local pool's scores, the workers' logs stating the sandbox.
A watching grader (the service's loop) grades on a running cluster by name and leaves it
running. A gateway that cannot be reached, refused credentials, another user's cluster, an
unknown cluster name and a missing dask-gateway each get one message naming the fix, and
leave the queue as it was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from dask_cluster import copy_root, free_port, scores, statuses
from test_crash_safety import _descendants
from unitkit import solved

from mastery_nb.grade.queue import grade_pending
from mastery_nb.root import CourseRoot
from mastery_nb.submit import submit_attempt

pytest.importorskip("dask_gateway")
pytest.importorskip("dask_gateway_server")

REPO = Path(__file__).resolve().parents[2]
COURSE = "intro-data-science"
UNIT = "python-basics"  # requires no other unit: any learner may submit it
PASSWORD = "grading-test-password"
#: solved, unsolved, solved, unsolved
LEARNERS = ("ada", "bo", "cy", "di")

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

    def worker_logs(self) -> str:
        return "".join(p.read_text(errors="replace") for p in self.clusters.glob("*/logs/worker-*"))

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


def _sample_root(base: Path, learners: tuple[str, ...] = LEARNERS) -> CourseRoot:
    """A copy of the released sample course with submitted attempts of its first unit."""
    from mastery_nb.start.workspace import start_unit

    target = base / "course"
    for part in ("courses", "release", "autograder"):
        shutil.copytree(REPO / part / COURSE, target / part / COURSE)
    data = target / ".mastery-data"
    root = CourseRoot.at(target, data_dir=data, db_url=f"sqlite:///{data / 'mastery.db'}")
    for number, learner in enumerate(learners):
        started = start_unit(root, COURSE, UNIT, learner, base / "workspaces" / learner)
        notebooks = {}
        for nb in started.notebooks:
            mine = Path(str(nb.server_path))
            source = target / "courses" / COURSE / nb.path
            notebooks[nb.path] = solved(mine, source) if number % 2 == 0 else mine.read_bytes()
        submit_attempt(root, COURSE, UNIT, learner, notebooks)
    return root


def _root_options(root: CourseRoot) -> list[str]:
    return ["--root", str(root.path), "--data-dir", str(root.data_dir), "--db", root.db_url]


def _grade(
    root: CourseRoot,
    *options: str,
    env: dict[str, str] | None = None,
    seconds: float = 120,
    until_graded: int = 0,
) -> subprocess.CompletedProcess[str]:
    """``mastery-nb grade`` on ``root`` as a process of its own (its group ended after);
    ``until_graded``: stop it with SIGTERM (as a service is stopped) once that many attempts
    are graded."""
    process = subprocess.Popen(
        [sys.executable, "-m", "mastery_nb", "grade", *_root_options(root), *options],
        cwd=root.path,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + seconds
        while until_graded and process.poll() is None and time.monotonic() < deadline:
            graded = [s for s, _c in statuses(root).values() if s == "graded"]
            if len(graded) >= until_graded:
                process.send_signal(signal.SIGTERM)
                break
            time.sleep(0.2)
        out, err = process.communicate(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


#: dask-gateway's own configuration, as a hub-managed service would set it
BASIC_AUTH = {
    "DASK_GATEWAY__AUTH__TYPE": "basic",
    "DASK_GATEWAY__AUTH__KWARGS__USERNAME": "grader",
    "DASK_GATEWAY__AUTH__KWARGS__PASSWORD": PASSWORD,
}


def test_grade_on_a_cluster_the_grader_starts_through_the_gateway(
    gateway: Gateway, tmp_path: Path
) -> None:
    root = _sample_root(tmp_path)
    local = copy_root(root, tmp_path / "local")
    assert grade_pending(local, workers=1) == len(LEARNERS)

    done = _grade(root, "--gateway", gateway.address, "--workers", "2", env=BASIC_AUTH)
    gateway.remember_processes()
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    # every attempt reported graded once, recorded once, with the local pool's scores
    graded = [line.split()[1] for line in done.stdout.splitlines() if line.startswith("graded ")]
    assert sorted(graded[:-1]) == sorted(LEARNERS), done.stdout
    assert f"graded {len(LEARNERS)} attempt(s)" in done.stdout
    assert statuses(root) == {learner: ("graded", 1) for learner in LEARNERS}
    assert scores(root) == scores(local)
    assert len({points for points in scores(root).values()}) > 1  # solved and unsolved differ
    # the grader started one cluster and shut it down on exit; its workers stated the sandbox
    assert "started dask-gateway cluster" in done.stderr
    assert gateway.running_clusters() == []
    mode = "as root: namespaces" if os.geteuid() == 0 else "unprivileged: user namespaces"
    assert f"mastery-nb grading: 1 sandboxed slot(s); sandbox {mode}" in gateway.worker_logs()


def test_watch_a_running_cluster_by_name_and_leave_it_running(
    gateway: Gateway, tmp_path: Path
) -> None:
    from dask_gateway import BasicAuth
    from dask_gateway import Gateway as Client

    from mastery_nb.grade.gateway import release

    root = _sample_root(tmp_path, LEARNERS[:2])
    client = Client(gateway.address, auth=BasicAuth("admin", PASSWORD))
    cluster = client.new_cluster()  # as an admin (or a notebook) would, with one worker
    try:
        cluster.scale(1)
        gateway.remember_processes()
        options = ("--gateway", gateway.address, "--gateway-cluster", cluster.name)
        done = _grade(root, *options, env=BASIC_AUTH)  # as "grader": not its owner
        assert done.returncode == 1
        assert f"does not let this grader use cluster '{cluster.name}' (HTTP 403)" in done.stderr
        owner = {**BASIC_AUTH, "DASK_GATEWAY__AUTH__KWARGS__USERNAME": "admin"}
        # a watching grader, as the service runs it, stopped as the service is stopped
        done = _grade(root, *options, "--watch", env=owner, until_graded=2)
        assert done.returncode == 0, done.stderr
        assert "stopping after the attempts being graded are recorded" in done.stderr
        assert statuses(root) == {learner: ("graded", 1) for learner in LEARNERS[:2]}
        assert "started dask-gateway cluster" not in done.stderr
        assert cluster.name in gateway.running_clusters("admin")  # not the grader's to end
    finally:
        release(client, cluster, shutdown=True)


def test_a_gateway_that_cannot_be_reached_leaves_the_queue_and_names_the_fix(
    tmp_path: Path,
) -> None:
    root = _sample_root(tmp_path)
    nowhere = f"http://127.0.0.1:{free_port()}"
    done = _grade(root, "--gateway", nowhere, env=BASIC_AUTH, seconds=60)
    assert done.returncode == 1
    assert f"the dask-gateway at {nowhere} cannot be reached" in done.stderr
    assert "check the address given to --gateway" in done.stderr
    assert "The queue is unchanged" in done.stderr
    assert statuses(root) == {learner: ("queued", 0) for learner in LEARNERS}


def test_refused_credentials_and_an_unknown_cluster_are_named(
    gateway: Gateway, tmp_path: Path
) -> None:
    root = _sample_root(tmp_path)
    # the address from dask-gateway's config (--gateway alone), a wrong password
    wrong = {**BASIC_AUTH, "DASK_GATEWAY__AUTH__KWARGS__PASSWORD": "not-it"}
    done = _grade(root, "--gateway", env={**wrong, "DASK_GATEWAY__ADDRESS": gateway.address})
    assert done.returncode == 1
    assert f"the dask-gateway at {gateway.address} refused the credentials (HTTP 401)" in (
        done.stderr
    )
    assert "DASK_GATEWAY__AUTH__TYPE=jupyterhub" in done.stderr  # the fix names the setting

    done = _grade(root, "--gateway", gateway.address, "--gateway-cluster", "nosuch", env=BASIC_AUTH)
    assert done.returncode == 1
    assert "has no running cluster named 'nosuch' (its running clusters: none)" in done.stderr
    assert statuses(root) == {learner: ("queued", 0) for learner in LEARNERS}


def test_without_dask_gateway_installed_the_message_names_the_extra(tmp_path: Path) -> None:
    root = _sample_root(tmp_path)
    hidden = "import sys; sys.modules['dask_gateway'] = None; import runpy; "
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            hidden + "runpy.run_module('mastery_nb', run_name='__main__')",
            "grade",
            *_root_options(root),
            "--gateway",
            "http://127.0.0.1:9",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert 'pip install "mastery-nb[gateway]"' in done.stderr
    assert statuses(root) == {learner: ("queued", 0) for learner in LEARNERS}

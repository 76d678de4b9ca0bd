"""Grading on a real dask-gateway: ``mastery-nb grade --gateway URL`` (the shipped CLI).

A ``dask-gateway-server`` runs on 127.0.0.1 (``gateway_server.py``: its local-process
backend, a password). The grader starts a cluster through the gateway, grades a batch of the
sample course on it, and shuts it down when it exits: every attempt graded exactly once with
the local pool's scores, the workers' logs stating the sandbox. With ``--adaptive`` the
gateway scales that cluster (between one worker and ``--workers``) and it grades the same
batch alike. A watching grader (the service's loop) grades on a running cluster by name and
leaves it running. A gateway that cannot be reached, refused credentials, another user's
cluster, an unknown cluster name and a missing dask-gateway each get one message naming the
fix, and leave the queue as it was. The service on a gateway: test_dask_gateway_service.py.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from dask_cluster import free_port, scores, statuses
from gateway_server import BASIC_AUTH, PASSWORD, Gateway, gateway
from unitkit import solved

from mastery_nb.grade.queue import grade_pending
from mastery_nb.root import CourseRoot
from mastery_nb.submit import submit_attempt

pytest.importorskip("dask_gateway")
pytest.importorskip("dask_gateway_server")

__all__ = ["gateway"]  # the module's gateway (a fixture)

REPO = Path(__file__).resolve().parents[2]
COURSE = "intro-data-science"
UNIT = "python-basics"  # requires no other unit: any learner may submit it
#: solved, unsolved, solved, unsolved
LEARNERS = ("ada", "bo", "cy", "di")


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
    until: Callable[[], bool] | None = None,
) -> subprocess.CompletedProcess[str]:
    """``mastery-nb grade`` on ``root`` as a process of its own (its group ended after);
    ``until_graded``: stop it with SIGTERM (as a service is stopped) once that many attempts
    are graded, and ``until`` (if given) says so too."""
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
            if len(graded) >= until_graded and (until is None or until()):
                process.send_signal(signal.SIGTERM)
                break
            time.sleep(0.2)
        out, err = process.communicate(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


@pytest.fixture(scope="module")
def local_scores(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], float]:
    """The scores the local pool gives the batch of :func:`_sample_root` (graded once)."""
    local = _sample_root(tmp_path_factory.mktemp("local"))
    assert grade_pending(local, workers=1) == len(LEARNERS)
    graded = scores(local)
    assert len(set(graded.values())) > 1  # solved and unsolved differ
    return graded


def _graded_once_as_locally(
    root: CourseRoot, done: subprocess.CompletedProcess[str], local: dict[tuple[str, str], float]
) -> str:
    """Check a ``mastery-nb grade`` run graded the batch: every attempt reported and recorded
    once, with the local pool's scores. Returns the cluster the grader started."""
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    graded = re.findall(rf"^graded (\w+) {COURSE}/{UNIT} attempt 1: ", done.stdout, re.MULTILINE)
    assert sorted(graded) == sorted(LEARNERS), done.stdout
    assert statuses(root) == {learner: ("graded", 1) for learner in LEARNERS}
    assert scores(root) == local
    started: list[str] = re.findall(r"started dask-gateway cluster (\w+)", done.stderr)
    assert len(started) == 1, done.stderr
    return started[0]


def test_grade_on_a_cluster_the_grader_starts_through_the_gateway(
    gateway: Gateway, tmp_path: Path, local_scores: dict[tuple[str, str], float]
) -> None:
    root = _sample_root(tmp_path)
    done = _grade(root, "--gateway", gateway.address, "--workers", "2", env=BASIC_AUTH)
    gateway.remember_processes()
    cluster = _graded_once_as_locally(root, done, local_scores)
    assert f"graded {len(LEARNERS)} attempt(s)" in done.stdout
    # the grader shut its cluster down on exit; its workers stated the sandbox
    assert gateway.running_clusters() == []
    mode = "as root: namespaces" if os.geteuid() == 0 else "unprivileged: user namespaces"
    assert f"mastery-nb grading: 1 sandboxed slot(s); sandbox {mode}" in gateway.worker_logs(
        cluster
    )


def _grew_then_shrank(beats: list[tuple[int, int]]) -> bool:
    """The gateway's heartbeats asked for 2 workers, then for 1 again."""
    requested = [count for count, _running in beats]
    return 2 in requested and 1 in requested[requested.index(2) :]


def test_an_adaptive_cluster_grows_with_the_attempts_and_shrinks_when_idle(
    gateway: Gateway, tmp_path: Path, local_scores: dict[tuple[str, str], float]
) -> None:
    root = _sample_root(tmp_path)
    options = ("--gateway", gateway.address, "--workers", "2", "--adaptive", "--watch")
    # Dask's adaptive settings, which the grader's scaler reads (their defaults): shrink
    # after 3 checks 1 s apart, with every worker joined, found fewer attempts in flight
    adaptive = {
        **BASIC_AUTH,
        "DASK_DISTRIBUTED__ADAPTIVE__INTERVAL": "1s",
        "DASK_DISTRIBUTED__ADAPTIVE__WAIT_COUNT": "3",
    }

    def shrank() -> bool:
        cluster = gateway.newest_cluster()
        _created, stopped = gateway.workers(cluster)
        return _grew_then_shrank(gateway.heartbeats(cluster)) and len(stopped) == 1

    # a watching grader (as the service), stopped as a service is once a worker is retired
    done = _grade(root, *options, env=adaptive, until_graded=len(LEARNERS), until=shrank)
    gateway.remember_processes()
    cluster = _graded_once_as_locally(root, done, local_scores)
    assert "stopping after the attempts being graded are recorded" in done.stderr
    # started at one worker; two attempts in flight (the queue held four) asked the gateway
    # for two, and the gateway started a second worker; idle again, it asked for one
    beats = gateway.heartbeats(cluster)
    assert _grew_then_shrank(beats), beats
    assert max(running for _requested, running in beats) >= 1, beats
    assert all(requested <= 2 and running <= 2 for requested, running in beats), beats
    created, _stopped = gateway.workers(cluster)
    assert len(created) == 2, gateway.log.read_text()
    assert "mastery-nb grading: 1 sandboxed slot(s)" in gateway.worker_logs(cluster)
    # the grader, not Dask's adaptive scaling in the scheduler (which does not see the queue)
    assert "Enabling adaptive scaling" not in gateway.scheduler_log(cluster)
    # the grader shut it down on exit
    assert gateway.running_clusters() == []
    assert f"Stopping cluster {cluster}" in gateway.log.read_text()


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

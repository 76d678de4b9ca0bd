"""The mastery service grading on a real dask-gateway: ``mastery-nb service --gateway URL``.

The real service process (token-file auth, the released mini course) runs with
``--gateway`` against a ``dask-gateway-server`` on 127.0.0.1 (``gateway_server.py``). A
learner submits through the service's HTTP API with their own token; the attempt is graded
once on a worker of the gateway's cluster (the worker holds the course's files it graded
with) and the learner's progress shows it. Stopped as a hub stops a service (SIGTERM), the service
shuts down a cluster it started and leaves a cluster named with ``--gateway-cluster``
running, as docs/scaling.md promises.
"""

from __future__ import annotations

import base64
import re
import time
from pathlib import Path

import pytest
from dask_cluster import statuses
from gateway_server import BASIC_AUTH, PASSWORD, Gateway, gateway
from mastery_fixtures import submission
from service_process import LEARN, ServiceProcess, start_service, stop_service

from mastery_nb.documents import AttemptHistory, Progress
from mastery_nb.root import CourseRoot

pytest.importorskip("dask_gateway")
pytest.importorskip("dask_gateway_server")

__all__ = ["gateway"]  # the module's gateway (a fixture)

ADA = "api/courses/mini/learners/ada"
#: how long the first attempt may take: the service starts its cluster, the worker its pool
GRADED_SECONDS = 120.0


def _submit_and_wait(service: ServiceProcess, root: CourseRoot) -> AttemptHistory:
    """Ada submits unit a, correct, through the service's API; her attempts once graded."""
    started = service.call("POST", f"{ADA}/units/a/start", as_user="ada")
    assert started.status_code == 200, started.text
    files = [
        {"path": path, "data": base64.b64encode(data).decode()}
        for path, data in submission(root, "a").items()
    ]
    submitted = service.call(
        "POST", f"{ADA}/units/a/attempts", as_user="ada", json={"files": files}
    )
    assert submitted.status_code == 202, submitted.text
    deadline = time.monotonic() + GRADED_SECONDS
    while True:
        answer = service.call("GET", f"{ADA}/units/a/attempts", as_user="ada")
        history = AttemptHistory.model_validate(answer.json())
        if all(a.status not in ("queued", "grading") for a in history.attempts):
            return history
        assert time.monotonic() < deadline, service.log.read_text()[-3000:]
        time.sleep(0.3)


def _graded_on_the_cluster(gateway: Gateway, cluster: str) -> None:
    """A worker of ``cluster`` graded an attempt: it unpacked the course's files (which it
    does only to grade) into its local directory, and it ran the grading plugin."""
    logs = gateway.worker_logs(cluster)
    assert "mastery-nb grading: 1 sandboxed slot(s)" in logs, logs
    local = [Path(d) for d in re.findall(r"Local Directory: (\S+)", logs)]
    assert local, logs
    copies = [p for d in local for p in d.glob("mastery-nb/autograder/*/SHA256SUMS")]
    assert len(copies) == 1, (local, copies)
    assert (copies[0].parent / "course.json").is_file()


@pytest.mark.parametrize("named", [False, True], ids=["cluster-it-starts", "named-cluster"])
def test_the_service_grades_a_learners_attempt_on_the_gateway(
    gateway: Gateway,
    mini_root: CourseRoot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    named: bool,
) -> None:
    from dask_gateway import BasicAuth
    from dask_gateway import Gateway as Client

    from mastery_nb.grade.gateway import release

    for name, value in BASIC_AUTH.items():  # dask-gateway's auth, in the service's environment
        monkeypatch.setenv(name, value)
    client = Client(gateway.address, auth=BasicAuth("grader", PASSWORD))
    own = None
    if named:  # started beforehand (as the service's user: a cluster is its owner's)
        own = client.new_cluster()
        own.scale(1)
        options = ["--gateway", gateway.address, "--gateway-cluster", own.name]
    else:  # as docs/scaling.md deploys the service: a cluster of its own, adaptive
        options = ["--gateway", gateway.address, "--workers", "2", "--adaptive"]
    try:
        service = start_service(
            tmp_path / "service",
            [mini_root.path],
            data_dir=mini_root.data_dir,
            db_url=mini_root.db_url,
            users={"ada": [LEARN]},
            extra_args=tuple(options),
        )
        try:
            history = _submit_and_wait(service, mini_root)
            progress = Progress.model_validate(
                service.call("GET", f"{ADA}/progress", as_user="ada").json()
            )
            log = service.log.read_text()
            if own is not None:
                cluster = own.name
                assert "started dask-gateway cluster" not in log
            else:
                started = re.findall(r"started dask-gateway cluster (\w+)", log)
                assert len(started) == 1, log
                cluster = started[0]
                # adaptive: one attempt in flight, one worker asked for
                beats = gateway.heartbeats(cluster)
                assert max(requested for requested, _running in beats) == 1, beats
            gateway.remember_processes()
            assert cluster in gateway.running_clusters()
            _graded_on_the_cluster(gateway, cluster)  # while its workers still run
        finally:
            stop_service(service)
        # graded and recorded once; the learner's progress shows it
        assert [(a.number, a.status) for a in history.attempts] == [(1, "graded")]
        assert statuses(mini_root) == {"ada": ("graded", 1)}
        unit = next(u for u in progress.units if u.id == "a")
        assert (unit.state, unit.mastered, unit.attempts_used) == ("mastered", True, 1)
        assert progress.grading.mode == "service" and progress.grading.error is None
        # stopped cleanly: a cluster it started is shut down, a named one left running
        assert service.process.returncode == 0, log
        assert "Traceback" not in service.log.read_text(), service.log.read_text()
        assert (cluster in gateway.running_clusters()) is named
    finally:
        release(client, own, shutdown=True)

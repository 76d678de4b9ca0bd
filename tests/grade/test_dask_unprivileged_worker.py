"""A Dask worker that does not run as root grades in the unprivileged mode (user namespaces).

A real `dask scheduler` and one `dask worker` on 127.0.0.1, the worker started as an
unused uid (``setresuid`` before its program starts; its home and local directory are its
own, under /var/lib, not /tmp, which the sandbox replaces anyway). The worker's log states
the unprivileged mode; the sample course graded on it gets the local pool's scores; and a
hostile submission graded there reports what it could reach: not the worker's bundle cache
(the ``mastery-nb`` folder of its local directory), not a file the worker's user owns
outside the sandbox, not a server listening on the host's 127.0.0.1.

Needs root (to start the worker as another uid); when this Python lives where other users
cannot enter (CI's venv from ``mktemp -d`` is ``0700``), the worker's process sees it
through the hub tests' :mod:`reachable_python` (a private mount namespace, read-only).
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import random
import shutil
import socket
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from dask_cluster import Cluster
from os_processes import end_processes_of, running_uids
from unitkit import solved

from mastery_nb.course.reader import ReleasedCourse
from mastery_nb.grade.attempt import GradingPool
from mastery_nb.grade.cluster import DaskGrader, pack_bundle
from mastery_nb.grade.limits import Limits
from mastery_nb.grade.result import AttemptResult

pytest.importorskip("distributed")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hub"))

from reachable_python import enter_reachable_python, reachable_python

COURSE = "intro-data-science"
#: the hostile submission's unit, and the answer cell its probe follows
HOSTILE_UNIT = "python-basics"


@dataclass(frozen=True)
class PlainWorker:
    """The running cluster, and what belongs to the worker's user."""

    cluster: Cluster
    uid: int
    home: Path
    local: Path  #: the worker's --local-directory (its bundle cache is in its folder there)
    secret: Path  #: owned by the worker's user, readable by it, outside any sandbox


def _unused_uid() -> int:
    """A uid no account has and no process runs as (outside the sandbox's uid range)."""
    taken = running_uids()
    for _ in range(200):
        uid = random.randrange(64000, 65000)
        with contextlib.suppress(KeyError):
            pwd.getpwuid(uid)
            continue
        if uid not in taken:
            return uid
    raise RuntimeError("no unused uid in 64000..64999")


def _become(uid: int) -> Callable[[], None]:
    """Run before the worker's program: this Python made reachable, then the plain uid."""
    keep, closed = reachable_python()

    def preexec() -> None:
        enter_reachable_python(keep, closed)
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)

    return preexec


@pytest.fixture
def plain_worker(tmp_path: Path) -> Iterator[PlainWorker]:
    if os.geteuid() != 0:
        pytest.skip("needs root: it starts the worker as another uid")
    uid = _unused_uid()
    home = Path(tempfile.mkdtemp(prefix="mastery-nb-worker-", dir="/var/lib"))
    cluster = Cluster(tmp_path)
    try:
        local, secret = home / "local", home / "secret.txt"
        local.mkdir()
        secret.write_text("the worker user's own secret")
        secret.chmod(0o600)
        for path in (home, local, secret):
            os.chown(path, uid, uid)
        home.chmod(0o700)
        cluster.start_scheduler()
        cluster.start_worker("plain", env={"HOME": str(home)}, preexec_fn=_become(uid), local=local)
        yield PlainWorker(cluster, uid, home, local, secret)
    finally:
        cluster.stop()
        end_processes_of(uid)
        shutil.rmtree(home, ignore_errors=True)


PROBE = """
import json as _json, os as _os, socket as _socket
_report = {}
for _name, _path in %(paths)s.items():
    try:
        if _os.path.isdir(_path):
            _report[_name] = "listed %%d entries" %% len(_os.listdir(_path))
        else:
            with open(_path, "rb") as _file:
                _report[_name] = "read %%d bytes" %% len(_file.read())
    except OSError as _error:
        _report[_name] = type(_error).__name__
try:
    _socket.create_connection(("127.0.0.1", %(port)d), timeout=3).close()
    _report["network"] = "connected"
except OSError as _error:
    _report["network"] = type(_error).__name__
raise RuntimeError("probe " + _json.dumps(_report, sort_keys=True))
"""


def _hostile(notebooks: dict[str, bytes], paths: dict[str, str], port: int) -> dict[str, bytes]:
    """The solved notebooks with the probe after the first answer cell's solution."""
    path, data = next(iter(notebooks.items()))
    nb = json.loads(data)
    answer = next(
        c for c in nb["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("solution")
    )
    source = "".join(answer["source"]) if isinstance(answer["source"], list) else answer["source"]
    answer["source"] = source + "\n" + PROBE % {"paths": repr(paths), "port": port}
    return {**notebooks, path: json.dumps(nb).encode("utf-8")}


def _cells(result: AttemptResult) -> list[tuple[str, str, float, str]]:
    return [(c.notebook, c.grade_id, c.points, c.status) for c in result.cells]


def test_a_worker_without_root_grades_in_the_unprivileged_mode_and_hides_what_it_holds(
    plain_worker: PlainWorker, repo_root: Path
) -> None:
    bundle_dir = repo_root / "autograder" / COURSE
    if not (bundle_dir / "course.json").is_file():
        pytest.skip("the sample course is not released (run `mastery-nb release`)")
    released = ReleasedCourse.at(bundle_dir)
    course = released.course()
    files_dir = bundle_dir / "files"
    limits = Limits().for_course(course.grading)
    batch = {}
    for unit in course.units:
        bundle = released.unit_bundle(unit.id)
        notebooks = {
            nb.path: solved(
                repo_root / "release" / COURSE / nb.path, repo_root / "courses" / COURSE / nb.path
            )
            for nb in bundle.notebooks
        }
        batch[unit.id] = (bundle, notebooks)

    with GradingPool(workers=1, limits=limits) as pool:
        local = {u: _cells(pool.grade(b, n, files_dir)) for u, (b, n) in batch.items()}

    grader = DaskGrader(plain_worker.cluster.address, limits)
    try:
        on_worker = {
            u: _cells(grader.grade(b, n, files_dir, limits=limits)) for u, (b, n) in batch.items()
        }
        started = plain_worker.cluster.log("worker-plain.log")
        assert (
            "mastery-nb grading: 1 sandboxed slot(s); sandbox unprivileged: user namespaces"
            in started
        )
        assert on_worker == local
        assert sum(1 for cells in local.values() for c in cells if c[3] == "passed") >= 20

        # what the worker holds: its bundle cache, written by it, and its user's own file
        key, _payload = pack_bundle(files_dir)
        (cache,) = plain_worker.local.glob("dask-scratch-space/worker-*/mastery-nb")
        cached = cache / "autograder" / key / "course.json"
        assert cached.is_file() and cached.stat().st_uid == plain_worker.uid
        assert plain_worker.secret.stat().st_uid == plain_worker.uid
        paths = {
            "cache": str(cache),
            "cached_course": str(cached),
            "local_directory": str(plain_worker.local),
            "secret": str(plain_worker.secret),
            "home": str(plain_worker.home),
            "python": str(Path(sys.executable).parent),  # shown: the probe sees what it may
        }
        with socket.socket() as listener:
            listener.bind(("127.0.0.1", 0))
            listener.listen(1)
            listener.settimeout(0.5)
            bundle, notebooks = batch[HOSTILE_UNIT]
            hostile = _hostile(notebooks, paths, listener.getsockname()[1])
            result = grader.grade(bundle, hostile, files_dir, limits=limits)
            with pytest.raises(TimeoutError):
                listener.accept()  # nothing reached the host's 127.0.0.1
    finally:
        grader.close()

    notes = " ".join(n for ns in result.extra["sandbox"].values() for n in ns)  # type: ignore[union-attr]
    if "no namespaces" in notes:
        pytest.skip(f"this kernel gives no user namespaces to an unprivileged process: {notes}")
    assert "user namespace" in notes and "nested user namespace" in notes, notes
    probes = [e.message for e in result.learner_errors if "probe " in e.message]
    assert len(probes) == 1, result.learner_errors
    report = json.loads(probes[0].split("probe ", 1)[1])
    assert report == {
        "cache": "FileNotFoundError",
        "cached_course": "FileNotFoundError",
        "local_directory": "FileNotFoundError",
        "secret": "FileNotFoundError",
        "home": "FileNotFoundError",
        "python": report["python"],
        "network": report["network"],
    }, report
    assert report["python"].startswith("listed ") and report["python"] != "listed 0 entries", report
    assert report["network"] in ("ConnectionRefusedError", "OSError", "TimeoutError"), report
    print(f"the hostile submission on the unprivileged worker saw: {report}")

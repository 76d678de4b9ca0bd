"""A real Dask cluster for the grading tests: a `dask scheduler` and `dask worker`
processes on 127.0.0.1 on free ports, each in its own process group (ended with it).

Workers are started as the shipped command line starts them, with what a test needs on
top: a nanny (so a worker process that dies is started again), ``--preload`` modules (a
fault injected into the worker process), an environment, or a function run before the
worker's program (to start it as another OS user).
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
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from sqlalchemy import select

from mastery_nb.root import CourseRoot
from mastery_nb.store import AttemptRow, CellResultRow, open_store

__all__ = ["DASK", "Cluster", "copy_root", "free_port", "scores", "statuses", "wait_port"]

DASK = Path(sys.executable).parent / "dask"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_port(port: int, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args} exited with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listens on port {port}")


class Cluster:
    """A scheduler and workers, each in its own process group (ended with it)."""

    def __init__(self, base: Path, env: Mapping[str, str] | None = None) -> None:
        self.base = base
        self.env = dict(env) if env is not None else None  #: for every process
        self.port = free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        self.scheduler: subprocess.Popen[bytes] | None = None
        self.workers: dict[str, subprocess.Popen[bytes]] = {}
        self.names: dict[str, str] = {}
        self._all: list[subprocess.Popen[bytes]] = []

    def _start(
        self,
        args: list[str],
        log: str,
        *,
        env: Mapping[str, str] | None = None,
        preexec_fn: Callable[[], None] | None = None,
        cwd: Path | None = None,
    ) -> subprocess.Popen[bytes]:
        merged = {**os.environ, **(self.env or {}), **(env or {})}
        process = subprocess.Popen(
            [str(DASK), *args],
            stdout=subprocess.DEVNULL,
            stderr=(self.base / log).open("ab"),
            start_new_session=True,
            env=merged,
            preexec_fn=preexec_fn,
            cwd=cwd,
        )
        self._all.append(process)
        return process

    def start_scheduler(self) -> None:
        self.scheduler = self._start(
            ["scheduler", "--host", "127.0.0.1", "--port", str(self.port), "--no-dashboard"],
            "scheduler.log",
        )
        wait_port(self.port, self.scheduler)

    def start_worker(
        self,
        name: str,
        *,
        nanny: bool = False,
        preload: Sequence[str] = (),
        env: Mapping[str, str] | None = None,
        preexec_fn: Callable[[], None] | None = None,
        local: Path | None = None,
    ) -> None:
        """A 1-thread worker. Without a nanny: waits until it listens (its address is a key
        of :attr:`workers`). With one: waits until the nanny listens; the worker process
        registers on its own (:meth:`wait_for_workers`)."""
        port = free_port()
        if local is None:
            local = self.base / f"worker-{name}"
            local.mkdir(exist_ok=True)
        args = [
            "worker",
            self.address,
            "--name",
            name,
            "--host",
            "127.0.0.1",
            "--nthreads",
            "1",
            "--no-dashboard",
            "--local-directory",
            str(local),
        ]
        args += (
            ["--nanny", "--nanny-port", str(port)]
            if nanny
            else ["--no-nanny", "--worker-port", str(port)]
        )
        for module in preload:
            args += ["--preload", module]
        process = self._start(args, f"worker-{name}.log", env=env, preexec_fn=preexec_fn, cwd=local)
        wait_port(port, process)
        if not nanny:
            self.workers[f"tcp://127.0.0.1:{port}"] = process
            self.names[f"tcp://127.0.0.1:{port}"] = name

    def wait_for_workers(self, count: int, seconds: float = 60) -> None:
        from distributed import Client

        with Client(self.address, set_as_default=False, timeout=seconds) as client:
            client.wait_for_workers(count, timeout=seconds)

    def log(self, name: str) -> str:
        return (self.base / name).read_text(errors="replace")

    def stop(self) -> None:
        # one at a time, the workers first: a worker told to stop while its scheduler
        # closes under it can hang in its own close until it is killed
        for process in reversed(self._all):
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        for process in self._all:  # what the workers' grading pools left in their groups
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)


# -- the store, as the tests read it -------------------------------------------------


def scores(root: CourseRoot) -> dict[tuple[str, str], float]:
    with open_store(root).read() as session:
        rows = session.execute(
            select(AttemptRow.student_id, CellResultRow.grade_id, CellResultRow.points).join(
                CellResultRow, CellResultRow.attempt_id == AttemptRow.id
            )
        ).all()
    return {(student, gid): float(points) for student, gid, points in rows}


def statuses(root: CourseRoot) -> dict[str, tuple[str, int]]:
    with open_store(root).read() as session:
        return {
            a.student_id: (a.status, a.claims)
            for a in session.execute(select(AttemptRow)).scalars()
        }


def copy_root(root: CourseRoot, target: Path) -> CourseRoot:
    shutil.copytree(root.path, target)
    return CourseRoot.at(
        target,
        data_dir=target / ".mastery-data",
        db_url=f"sqlite:///{target / '.mastery-data' / 'mastery.db'}",
    )

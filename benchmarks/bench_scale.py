"""Grading a class at scale: the sample course on the local pool and on a Dask cluster.

``N`` submissions (default 1,000) of the sample course's units (``intro-data-science``,
released here without its prerequisites so that new learners may submit any unit), each a learner's notebook with the instructor's solutions
in every other attempt and the released stubs in the rest, are stored through the shipped
submit path, then graded by the queue (:func:`mastery_nb.grade.queue.grade_pending`: claim,
grade, record in the store) twice, in separate data folders:

* **local**: the embedded default, a process pool of ``--workers`` sandboxed slots;
* **dask**: a real ``dask scheduler`` and ``--workers`` ``dask worker`` processes (one
  thread each) started on 127.0.0.1, graded with ``--scheduler`` (mastery_nb/grade/cluster.py).

For each it prints the throughput (attempts a second, start-up included) and, per attempt,
where the time goes: the learner's own cells (measured inside the sandboxed child), the
grader's overhead beyond them (the sandbox, the seal, reading and scoring: the grader's
``duration`` less the cells), and what the backend adds on top (the time the queue waited
for the result less the grader's ``duration``: for Dask, the scheduler and the transport).

    python benchmarks/bench_scale.py [--submissions 1000] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
COURSE = "intro-data-science"
DASK = Path(sys.executable).parent / "dask"
sys.path.insert(0, str(REPO / "tests" / "grade"))

from unitkit import solved  # noqa: E402  (the tests' own helper: the instructor's answers)


def course_root(work: Path) -> Path:
    """A copy of the sample course without its prerequisites (so that every unit can be
    submitted by a new learner), released with the shipped CLI."""
    import re

    target = work / "course"
    shutil.copytree(REPO / "courses" / COURSE, target / "courses" / COURSE)
    toml = target / "courses" / COURSE / "course.toml"
    toml.write_text(
        re.sub(r"(?m)^requires = .*$", "requires = []", toml.read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    subprocess.run(
        [str(Path(sys.executable).parent / "mastery-nb"), "release", COURSE, "--root", str(target)],
        check=True,
        capture_output=True,
    )
    return target


def store_class(path: Path, data: Path, count: int) -> Any:
    """The course root at ``path`` with its own data folder, holding ``count`` submitted
    attempts (the shipped submit path)."""
    from mastery_nb.course.reader import ReleasedCourse
    from mastery_nb.root import CourseRoot
    from mastery_nb.start.workspace import start_unit
    from mastery_nb.submit import submit_attempt

    root = CourseRoot.at(path, data_dir=data, db_url=f"sqlite:///{data / 'mastery.db'}")
    course = ReleasedCourse.of(root, COURSE).course()
    units = [u for u in course.units if u.graded]
    for number in range(count):
        unit, student = units[number % len(units)], f"learner{number:04d}"
        # the learner's own form of the unit (units with parallel forms give each their own)
        started = start_unit(root, COURSE, unit.id, student, data / "workspaces" / student)
        notebooks = {}
        for nb in started.notebooks:
            mine = Path(str(nb.server_path))
            notebooks[nb.path] = (
                solved(mine, path / "courses" / COURSE / nb.path)
                if number % 2 == 0
                else mine.read_bytes()
            )
        submit_attempt(root, COURSE, unit.id, student, notebooks)
    return root


class Timed:
    """A grader that times each call: what the queue waited, what the grader measured."""

    def __init__(self, grader: Any) -> None:
        self.grader = grader
        self.rows: list[tuple[float, float, float]] = []  # (waited, duration, own cells)
        self.lock = threading.Lock()

    def grade(self, *args: Any, **kwargs: Any) -> Any:
        started = time.monotonic()
        result = self.grader.grade(*args, **kwargs)
        waited = time.monotonic() - started
        with self.lock:
            self.rows.append(
                (waited, result.duration_seconds, float(result.extra.get("exec_seconds", 0.0)))
            )
        return result

    def close(self) -> None:
        self.grader.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_port(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listens on port {port}")


def start_cluster(workers: int, work: Path) -> tuple[str, list[subprocess.Popen[bytes]]]:
    port = _free_port()
    processes = [
        subprocess.Popen(
            [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            stdout=subprocess.DEVNULL,
            stderr=(work / "scheduler.log").open("wb"),
            start_new_session=True,
        )
    ]
    _wait_port(port)
    address = f"tcp://127.0.0.1:{port}"
    for number in range(workers):
        local = work / f"worker-{number}"
        local.mkdir()
        processes.append(
            subprocess.Popen(
                [
                    str(DASK),
                    "worker",
                    address,
                    "--nthreads",
                    "1",
                    "--no-nanny",
                    "--no-dashboard",
                    "--host",
                    "127.0.0.1",
                    "--local-directory",
                    str(local),
                ],
                stdout=subprocess.DEVNULL,
                stderr=(work / f"worker-{number}.log").open("wb"),
                start_new_session=True,
            )
        )
    return address, processes


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_for_workers(address: str, count: int) -> None:
    from distributed import Client

    with Client(address, set_as_default=False) as client:
        client.wait_for_workers(count, timeout=120)


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


def side(name: str, root: Any, workers: int, scheduler: str | None) -> dict[str, Any]:
    from mastery_nb.grade.pools import make_pool
    from mastery_nb.grade.queue import grade_pending, queue_counts

    before = load()
    started = time.monotonic()
    grader = Timed(make_pool(root, workers, course_id=COURSE, scheduler=scheduler))
    ready = time.monotonic() - started
    try:
        graded = grade_pending(root, workers=workers, course_id=COURSE, grader=grader)  # type: ignore[arg-type]
    finally:
        grader.close()
    wall = time.monotonic() - started
    counts = queue_counts(root, course_id=COURSE)
    own = [r[2] * 1000 for r in grader.rows]
    overhead = [(r[1] - r[2]) * 1000 for r in grader.rows]
    backend = [(r[0] - r[1]) * 1000 for r in grader.rows]
    print(f"\n== {name} ({before}):")
    print(
        f"  {graded} graded in {wall:.1f} s (the grader ready after {ready:.1f} s): "
        f"{graded / wall:.2f} attempts/s; queue after: {counts}"
    )
    print(
        f"  per attempt, ms: learner's own cells median {statistics.median(own):.0f}, "
        f"p95 {pct(own, 0.95):.0f}; grader overhead beyond them median "
        f"{statistics.median(overhead):.0f}, p95 {pct(overhead, 0.95):.0f}; "
        f"the backend's own share median {statistics.median(backend):.1f}, "
        f"p95 {pct(backend, 0.95):.1f}"
    )
    return {"wall": wall, "graded": graded, "rate": graded / wall}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2, help="slots locally; Dask workers")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mastery-bench-scale-"))
    try:
        print(f"{args.submissions} submissions of {COURSE}, {args.workers} workers; {load()}")
        path = course_root(work)
        local_root = store_class(path, work / "local-data", args.submissions)
        dask_root = store_class(path, work / "dask-data", args.submissions)
        local = side(f"local pool, {args.workers} slots", local_root, args.workers, None)
        address, processes = start_cluster(args.workers, work)
        try:
            wait_for_workers(address, args.workers)
            cluster = side(
                f"Dask: a scheduler and {args.workers} workers (1 thread each) on this machine",
                dask_root,
                args.workers,
                address,
            )
        finally:
            stop(processes)
        print(
            f"\nsummary: local {local['rate']:.2f} attempts/s, Dask {cluster['rate']:.2f} "
            f"attempts/s (Dask/local {cluster['rate'] / local['rate']:.2f}); {load()}"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

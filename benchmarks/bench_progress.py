"""How fast the sidebar's progress endpoint answers with a big store (SQLite).

Builds a course of 40 units and 200 objectives (5 per unit, a prerequisite DAG), and a
store of 10,000 learners with 20 graded attempts each (200,000 attempts, 1,000,000
objective results), written through the store's own schema (Alembic migrations). Then:

1. **The endpoint over HTTP**: a real Jupyter server with the mastery-nb extension (grader
   off) answers ``GET /mastery/api/progress`` for one learner with 20 attempts; N calls,
   one after the other, after a warm-up. The route serves only the signed-in learner, so a
   server is started for each of a few learners.
2. **The same work in-process, across learners**: the handler's function
   (:func:`mastery_nb.server.routes.progress_document`) for many random learners.

Prints p50/p95/max in milliseconds and the ratio of p95 to the 50 ms target.

    python benchmarks/bench_progress.py [--learners 10000] [--calls 300] [--dir DIR]

The store takes a minute or two to build; ``--dir`` keeps it for the next run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from mastery_nb.course.model import Course, Objective, Policy, Unit
from mastery_nb.root import CourseRoot
from mastery_nb.store import open_store
from mastery_nb.store.models import (
    AttemptRow,
    LearnerRow,
    LearnerUnitRow,
    ObjectiveResultRow,
    UnitRow,
)

COURSE_ID = "bench"
UNITS = 40
OBJECTIVES_PER_UNIT = 5
ATTEMPTS_PER_LEARNER = 20
TARGET_P95_MS = 50.0
CHUNK = 20_000


def build_course() -> Course:
    units = []
    for u in range(UNITS):
        requires = tuple(f"unit-{r:02d}" for r in (u - 1, u - 2) if r >= 0)
        objectives = tuple(
            Objective(id=f"u{u:02d}-o{o}", description=f"Objective {o} of unit {u}", threshold=0.8)
            for o in range(OBJECTIVES_PER_UNIT)
        )
        units.append(
            Unit(
                id=f"unit-{u:02d}",
                title=f"Unit {u}",
                notebooks=(f"units/{u:02d}.ipynb",),
                requires=requires,
                objectives=objectives,
                policy=Policy(max_attempts=10),
            )
        )
    return Course(id=COURSE_ID, title="Benchmark course", units=tuple(units))


def write_course(root: CourseRoot, course: Course) -> None:
    text = json.dumps(course.model_dump(mode="json"), indent=1, sort_keys=True) + "\n"
    for folder in (root.course_release(COURSE_ID), root.course_bundle(COURSE_ID)):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "course.json").write_text(text, encoding="utf-8")


def learner_id(i: int) -> str:
    return f"learner-{i:05d}"


def fill_store(root: CourseRoot, course: Course, learners: int, seed: int = 7) -> None:
    """Every learner: 20 graded attempts over the first units, in order, 1-3 per unit."""
    rng = random.Random(seed)
    store = open_store(root)
    start = datetime(2026, 9, 1, tzinfo=timezone.utc)
    next_id = 1
    attempts: list[dict[str, Any]] = []
    results: list[dict[str, Any]] = []
    learner_units: list[dict[str, Any]] = []

    def flush(session: Any, final: bool = False) -> None:
        nonlocal attempts, results, learner_units
        if attempts and (final or len(results) >= CHUNK * 5):
            session.execute(insert(AttemptRow), attempts)
            session.execute(insert(ObjectiveResultRow), results)
            session.execute(insert(LearnerUnitRow), learner_units)
            attempts, results, learner_units = [], [], []

    with store.write() as session:
        session.execute(
            insert(LearnerRow),
            [{"student_id": learner_id(i), "created_at": start} for i in range(learners)],
        )
        session.execute(
            insert(UnitRow),
            [{"course_id": COURSE_ID, "unit_id": u.id, "title": u.title} for u in course.units],
        )
        for i in range(learners):
            student = learner_id(i)
            made = 0
            when = start + timedelta(minutes=rng.randrange(60 * 24 * 30))
            for unit in course.units:
                if made >= ATTEMPTS_PER_LEARNER:
                    break
                tries = min(rng.randint(1, 3), ATTEMPTS_PER_LEARNER - made)
                for number in range(1, tries + 1):
                    last = number == tries
                    when += timedelta(minutes=rng.randrange(5, 600))
                    attempts.append(
                        {
                            "id": next_id,
                            "course_id": COURSE_ID,
                            "student_id": student,
                            "unit_id": unit.id,
                            "number": number,
                            "submitted_at": when,
                            "notebooks": {unit.notebooks[0]: "0" * 64},
                            "storage": f"submissions/{COURSE_ID}/{student}/{unit.id}/{number}",
                            "status": "graded",
                            "claims": 1,
                            "graded_at": when + timedelta(seconds=3),
                            "duration_seconds": 2.0,
                            "points": 8.0,
                            "max_points": 10.0,
                            "mastered": last,
                            "messages": [],
                            "tampering": [],
                        }
                    )
                    for objective in unit.objectives:
                        points = 2.0 if last else float(rng.randint(0, 2))
                        results.append(
                            {
                                "attempt_id": next_id,
                                "objective": objective.id,
                                "points": points,
                                "max_points": 2.0,
                                "threshold": objective.threshold,
                                "mastered": points >= 1.6,
                            }
                        )
                    next_id += 1
                learner_units.append(
                    {
                        "course_id": COURSE_ID,
                        "student_id": student,
                        "unit_id": unit.id,
                        "attempts": tries,
                        "last_submitted_at": when,
                    }
                )
                made += tries
            flush(session)
        flush(session, final=True)


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "n": len(ordered),
        "p50_ms": statistics.median(ordered),
        "p95_ms": ordered[max(0, round(0.95 * len(ordered)) - 1)],
        "max_ms": ordered[-1],
    }


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def measure_endpoint(root: CourseRoot, student: str, calls: int, workdir: Path) -> list[float]:
    port, token = _free_port(), secrets.token_hex(16)
    serve = workdir / "server-root"
    serve.mkdir(exist_ok=True)
    log = workdir / f"server-{student}.log"
    command = [
        sys.executable,
        "-m",
        "jupyter_server",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={serve}",
        "--ServerApp.open_browser=False",
        "--ServerApp.allow_root=True",
        "--ServerApp.log_level=WARN",
        f"--MasteryApp.course_root={root.path}",
        f"--MasteryApp.course_id={COURSE_ID}",
        f"--MasteryApp.data_dir={root.data_dir}",
        f"--MasteryApp.student={student}",
        "--MasteryApp.grade_in_process=False",
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}/mastery/api/progress"
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    body = json.loads(response.read())
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(log.read_text(errors="replace")[-2000:]) from None
                time.sleep(0.3)
        assert body["student"] == student and len(body["units"]) == UNITS
        assert sum(u["attempts_used"] for u in body["units"]) == ATTEMPTS_PER_LEARNER
        for _ in range(20):  # warm-up
            urllib.request.urlopen(request, timeout=30).read()
        samples = []
        for _ in range(calls):
            t0 = time.perf_counter()
            with urllib.request.urlopen(request, timeout=30) as response:
                response.read()
            samples.append((time.perf_counter() - t0) * 1000)
        return samples
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def measure_in_process(root: CourseRoot, learners: int, calls: int) -> list[float]:
    from mastery_nb.backend.local import LocalBackend
    from mastery_nb.server.context import MasteryContext
    from mastery_nb.server.routes import progress_document

    rng = random.Random(11)
    samples = []
    workspace = Path(tempfile.mkdtemp(prefix="bench-ws-"))
    backend = LocalBackend(root, COURSE_ID)
    for _ in range(calls):
        student = learner_id(rng.randrange(learners))
        context = MasteryContext(
            backend=backend,
            course_id=COURSE_ID,
            server_root=workspace,
            workspace_dir=workspace,
            student=student,
        )
        t0 = time.perf_counter()
        document = progress_document(context)
        samples.append((time.perf_counter() - t0) * 1000)
        assert len(document.model_dump()["units"]) == UNITS
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--learners", type=int, default=10_000)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--servers", type=int, default=3, help="learners to start a server for")
    parser.add_argument("--dir", default=None, help="where to build (and keep) the store")
    args = parser.parse_args()

    workdir = (
        Path(args.dir).resolve()
        if args.dir
        else Path(tempfile.mkdtemp(prefix="mastery-bench-progress-"))
    )
    workdir.mkdir(parents=True, exist_ok=True)
    root = CourseRoot.at(workdir / "root", data_dir=workdir / "root" / ".mastery-data", db_url=None)
    os.environ.pop("MASTERY_NB_DB", None)
    course = build_course()
    marker = workdir / f"filled-{args.learners}"
    if not marker.exists():
        write_course(root, course)
        t0 = time.perf_counter()
        fill_store(root, course, args.learners)
        marker.touch()
        print(
            f"store: {args.learners} learners x {ATTEMPTS_PER_LEARNER} attempts, {UNITS} units, "
            f"{UNITS * OBJECTIVES_PER_UNIT} objectives built in {time.perf_counter() - t0:.1f} s"
        )
    db = root.data_dir / "mastery.db"
    print(f"store: {db} ({db.stat().st_size / 1e6:.0f} MB)")

    rng = random.Random(3)
    http: list[float] = []
    for student in [learner_id(rng.randrange(args.learners)) for _ in range(args.servers)]:
        http += measure_endpoint(root, student, args.calls, workdir)
    in_process = measure_in_process(root, args.learners, args.calls)

    rows = {
        "GET /mastery/api/progress (HTTP)": percentiles(http),
        "progress_document, random learners": percentiles(in_process),
    }
    print(f"\n{'measure':40} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'p95/target':>10}")
    for name, row in rows.items():
        print(
            f"{name:40} {row['n']:>6} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} {row['max_ms']:>8.1f} "
            f"{row['p95_ms'] / TARGET_P95_MS:>10.2f}"
        )
    verdict = (
        "met" if rows["GET /mastery/api/progress (HTTP)"]["p95_ms"] < TARGET_P95_MS else "NOT met"
    )
    print(f"\ntarget: p95 < {TARGET_P95_MS:.0f} ms on SQLite: {verdict}")
    results = Path(__file__).resolve().parent / "results"
    results.mkdir(exist_ok=True)
    (results / "bench_progress.json").write_text(json.dumps(rows, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

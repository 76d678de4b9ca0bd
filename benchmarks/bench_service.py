"""A class submits at once: N learners through the mastery service on PostgreSQL.

Starts a PostgreSQL server (the tests' own, ``tests/mastery_fixtures.running_postgres``)
with a database and role for the service, releases the tests' mini course (unit a: three
graded cells, two objectives, one hidden test), and starts ``mastery-nb service`` with its
graders (``--workers``) and an API token per learner, as a hub would give them. Then:

1. every learner submits unit a at the same moment (one HTTP request each, all in flight
   together; even learners right, odd learners with one wrong answer), each submit timed
   from sending to the receipt (the attempt stored and queued);
2. while the graders work, ``--pollers`` sidebars ask for random learners' progress without
   pause, each request timed, until the queue is empty;
3. the store is read back: one attempt per learner, stored with the bytes that were sent
   (the receipt's sha256), graded exactly once (``claims == 1``, one set of cell and
   objective results), with the mastery its answers earn; none lost, none duplicated.

Prints submit latency p50/p95/max, the progress endpoint's p50/p95 while grading runs
(against the 50 ms target of ``bench_progress.py``), grading wall time and throughput.
There is no nbgrader counterpart to compare with: nbgrader has no service and keeps one
submission per student (``bench_grading.py`` compares grading itself).

    python benchmarks/bench_service.py [--learners 200] [--workers 2] [--pollers 4]

Needs the test environment (``bash scripts/setup.sh``: PostgreSQL, ``.[test,bench]``).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from mastery_fixtures import (  # noqa: E402  (the tests' own helpers)
    COURSE,
    build_course_root,
    result_counts,
    running_postgres,
    submission,
)
from service_process import LEARN, start_service, stop_service  # noqa: E402

from mastery_nb.root import CourseRoot  # noqa: E402

TARGET_P95_MS = 50.0
UNIT = "a"
CELLS, OBJECTIVES = 3, 2  #: unit a's graded cells and objectives
GRADE_TIMEOUT = 900.0


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def learner(i: int) -> str:
    return f"learner-{i:03d}"


def bodies(root: CourseRoot, learners: int) -> dict[str, tuple[bytes, str, bool]]:
    """learner -> (request body, sha256 of the notebook, should master)."""
    right = submission(root, UNIT)
    wrong = submission(root, UNIT, {"answer-add": "x = 1 + 2"})
    out = {}
    for i in range(learners):
        files = right if i % 2 == 0 else wrong
        ((path, data),) = files.items()
        body = httpx.Request(
            "POST",
            "http://x/",
            json={"files": [{"path": path, "data": base64.b64encode(data).decode()}]},
        ).content
        out[learner(i)] = (body, hashlib.sha256(data).hexdigest(), i % 2 == 0)
    return out


def queue_counts(db_url: str) -> dict[str, int]:
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT status, count(*) FROM attempts GROUP BY status"))
            return {str(status): int(count) for status, count in rows}
    finally:
        engine.dispose()


async def run_class(
    url: str, tokens: dict[str, str], requests: dict[str, tuple[bytes, str, bool]], db_url: str,
    pollers: int,
) -> dict[str, Any]:  # fmt: skip
    limits = httpx.Limits(max_connections=len(tokens) + pollers + 4)
    async with httpx.AsyncClient(base_url=url, timeout=300, limits=limits) as client:
        go = asyncio.Event()
        grading = asyncio.Event()
        progress_ms: list[float] = []

        async def submit(name: str) -> tuple[float, int, dict[str, Any]]:
            body = requests[name][0]
            headers = {"Authorization": f"token {tokens[name]}", "Content-Type": "application/json"}
            await go.wait()
            started = time.perf_counter()
            answer = await client.post(
                f"api/courses/{COURSE}/learners/{name}/units/{UNIT}/attempts",
                content=body,
                headers=headers,
            )
            return (time.perf_counter() - started) * 1000, answer.status_code, answer.json()

        async def poll() -> None:
            names = list(tokens)
            while not grading.is_set():
                name = random.choice(names)
                started = time.perf_counter()
                answer = await client.get(
                    f"api/courses/{COURSE}/learners/{name}/progress",
                    headers={"Authorization": f"token {tokens[name]}"},
                )
                progress_ms.append((time.perf_counter() - started) * 1000)
                assert answer.status_code == 200, answer.text

        tasks = [asyncio.create_task(submit(name)) for name in tokens]
        await asyncio.sleep(0.5)  # every request ready to go
        pollers_done = [asyncio.create_task(poll()) for _ in range(pollers)]
        began = time.perf_counter()
        go.set()
        submits = await asyncio.gather(*tasks)
        all_stored = time.perf_counter() - began
        loop = asyncio.get_running_loop()
        deadline = time.monotonic() + GRADE_TIMEOUT
        while True:
            counts = await loop.run_in_executor(None, queue_counts, db_url)
            if not counts.get("queued") and not counts.get("grading"):
                break
            if time.monotonic() > deadline:
                raise SystemExit(f"not graded in {GRADE_TIMEOUT} s: {counts}")
            await asyncio.sleep(0.25)
        all_graded = time.perf_counter() - began
        grading.set()
        await asyncio.gather(*pollers_done)
    return {
        "submits": dict(zip(tokens, submits, strict=True)),
        "progress_ms": progress_ms,
        "stored_s": all_stored,
        "graded_s": all_graded,
    }


def verify(
    root: CourseRoot, requests: dict[str, tuple[bytes, str, bool]], run: dict[str, Any]
) -> None:
    """Every attempt stored as sent, graded exactly once, none lost: or exit non-zero."""
    from sqlalchemy import select

    from mastery_nb.store import open_store
    from mastery_nb.store.models import AttemptRow

    problems = []
    for name, (_ms, status, receipt) in run["submits"].items():
        if status != 202 or receipt.get("attempt") != 1 or receipt.get("student") != name:
            problems.append(f"{name}: submit answered {status} {receipt}")
        elif list(receipt["notebooks"].values()) != [requests[name][1]]:
            problems.append(f"{name}: the receipt's sha256 is not the bytes sent")
    with open_store(root).read() as session:
        rows = session.execute(select(AttemptRow)).scalars().all()
        attempts = {
            (r.student_id, r.number): (r.status, r.claims, r.mastered, dict(r.notebooks), r.id)
            for r in rows
        }
    counts = result_counts(root)
    if len(rows) != len(requests):
        problems.append(f"{len(rows)} attempts stored for {len(requests)} submissions")
    for name, (_body, digest, masters) in requests.items():
        stored = attempts.get((name, 1))
        if stored is None:
            problems.append(f"{name}: attempt lost")
            continue
        status, claims, mastered, notebooks, attempt_id = stored
        if status != "graded" or claims != 1:
            problems.append(f"{name}: {status} after {claims} claims (graded once expected)")
        if counts.get(attempt_id) != (CELLS, OBJECTIVES):
            problems.append(f"{name}: results {counts.get(attempt_id)}, not {(CELLS, OBJECTIVES)}")
        if mastered is not masters:
            problems.append(f"{name}: mastered={mastered}, its answers earn {masters}")
        if list(notebooks.values()) != [digest]:
            problems.append(f"{name}: the stored notebook is not the one sent")
    if problems:
        print("FAILED:", *problems[:20], sep="\n  ")
        raise SystemExit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2, help="the service's grading processes")
    parser.add_argument("--pollers", type=int, default=4, help="sidebars polling progress")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="mastery-bench-service-"))
    try:
        with running_postgres() as postgres:
            db_url = postgres.create_owned_database()
            root_path = folder / "root"
            root_path.mkdir()
            build_course_root(root_path)
            root = CourseRoot.at(root_path, data_dir=folder / "data", db_url=db_url)
            requests = bodies(root, args.learners)
            service = start_service(
                folder / "service",
                [root.path],
                data_dir=root.data_dir,
                users={name: [LEARN] for name in requests},
                extra_args=("--workers", str(args.workers)),
                db_url=db_url,
            )
            try:
                run = asyncio.run(
                    run_class(service.url, service.tokens, requests, db_url, args.pollers)
                )
            finally:
                stop_service(service)
            verify(root, requests, run)
            from mastery_nb.store import dispose_stores

            dispose_stores()
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    submit_ms = [ms for ms, _status, _receipt in run["submits"].values()]
    progress_ms = run["progress_ms"]
    graded = run["graded_s"]
    print(f"{args.learners} learners submitted unit {UNIT} at once to the mastery service")
    print(f"(PostgreSQL, {args.workers} grading workers, {args.pollers} sidebars polling progress)")
    print(
        f"  every attempt stored as sent and graded exactly once: {args.learners}/{args.learners}, none lost"
    )
    print(
        f"  submit latency (stored and queued): p50 {statistics.median(submit_ms):.0f} ms, "
        f"p95 {percentile(submit_ms, 95):.0f} ms, max {max(submit_ms):.0f} ms "
        f"(all stored {run['stored_s']:.1f} s after the first was sent)"
    )
    print(
        f"  progress while grading: {len(progress_ms)} requests, p50 "
        f"{statistics.median(progress_ms):.0f} ms, p95 {percentile(progress_ms, 95):.0f} ms "
        f"({percentile(progress_ms, 95) / TARGET_P95_MS:.2f}x the {TARGET_P95_MS:.0f} ms target)"
    )
    print(
        f"  all graded {graded:.1f} s after the first submit: "
        f"{args.learners / graded:.1f} attempts/s with {args.workers} workers"
    )


if __name__ == "__main__":
    main()

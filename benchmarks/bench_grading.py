"""Grading throughput and memory: nbgrader 0.9 ``autograde`` against mastery-nb, same run.

Builds one realistic unit (8 graded questions on numpy and pandas, one of them with
partial credit), 50 varied submissions (correct, partial, erroring, unanswered, and one
infinite loop), then grades all of them

* with nbgrader: a real course directory (``source/``, ``release/``, ``submitted/``),
  ``nbgrader generate_assignment`` then ``nbgrader autograde`` (``Execute.timeout`` for the
  loop), reading the per-cell scores back from its gradebook;
* with mastery-nb: the grading bundle built from the same release, and a
  :class:`~mastery_nb.grade.attempt.GradingPool` (what ``mastery-nb grade --workers N``
  runs), in a separate process so both are measured the same way;

checks that both give the same score to every test cell of every submission, and prints
wall time, time per submission, mastery-nb's overhead per submission beyond the time the
submission's own cells took (measured inside the sandboxed child), the peak memory of each
process tree (sum of RSS, and of PSS, which counts pages shared by forked children once;
sampled with psutil), and the ratios.

    python benchmarks/bench_grading.py [--submissions 50] [--workers 2] [--timeout 5]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import nbformat
import psutil

ASSIGNMENT = "ps1"
NOTEBOOK = "unit"
HERE = Path(__file__).resolve().parent
REPO = HERE.parent

SETUP = """import numpy as np
import pandas as pd
rng = np.random.default_rng(42)
sales = pd.DataFrame({
    "region": rng.choice(["north", "south", "east", "west"], size=400),
    "month": rng.integers(1, 13, size=400),
    "amount": rng.gamma(2.0, 50.0, size=400).round(2),
})
sales.loc[rng.choice(400, size=12, replace=False), "amount"] = np.nan"""

# (grade_id, objective, points, solution, visible tests, hidden tests)
QUESTIONS: list[tuple[str, str, float, str, str, str]] = [
    (
        "mean-of",
        "describe-data",
        2,
        "def mean_of(xs):\n    return float(np.mean(xs))",
        "assert mean_of([1, 2, 3]) == 2.0",
        "assert abs(mean_of(np.arange(10)) - 4.5) < 1e-12",
    ),
    (
        "zscore",
        "describe-data",
        2,
        "def zscore(a):\n    a = np.asarray(a, dtype=float)\n    return (a - a.mean()) / a.std()",
        "np.testing.assert_allclose(zscore([1, 2, 3]), [-1.224744871391589, 0.0, 1.224744871391589])",
        "np.testing.assert_allclose(zscore(np.arange(5)).std(), 1.0)",
    ),
    (
        "top-n",
        "select-rows",
        2,
        "def top_n(df, column, n):\n    return df.nlargest(n, column)",
        "assert len(top_n(sales, 'amount', 5)) == 5",
        "assert top_n(sales, 'amount', 3)['amount'].iloc[0] == sales['amount'].max()",
    ),
    (
        "region-totals",
        "group-data",
        3,
        "def region_totals(df):\n    return df.groupby('region')['amount'].sum()",
        "assert set(region_totals(sales).index) == {'north', 'south', 'east', 'west'}",
        "pd.testing.assert_series_equal(region_totals(sales), sales.groupby('region')['amount'].sum())",
    ),
    (
        "clean",
        "select-rows",
        2,
        "def clean(df):\n    return df.dropna().reset_index(drop=True)",
        "assert clean(sales)['amount'].isna().sum() == 0",
        "assert list(clean(sales).index) == list(range(len(sales) - 12))",
    ),
    (
        "add-tax",
        "transform-data",
        2,
        "def add_tax(df, rate):\n    out = df.copy()\n    out['with_tax'] = out['amount'] * (1 + rate)\n    return out",
        "assert 'with_tax' in add_tax(sales, 0.2).columns",
        "np.testing.assert_allclose(add_tax(sales, 0.5)['with_tax'].dropna(), sales['amount'].dropna() * 1.5)\n"
        "assert 'with_tax' not in sales.columns",
    ),
    (
        "moving-avg",
        "transform-data",
        2,
        "def moving_avg(a, w):\n    return np.convolve(np.asarray(a, dtype=float), np.ones(w) / w, mode='valid')",
        "np.testing.assert_allclose(moving_avg([1, 2, 3, 4], 2), [1.5, 2.5, 3.5])",
        "assert len(moving_avg(np.arange(100), 10)) == 91",
    ),
    (
        "pivot",
        "group-data",
        3,
        "def pivot(df):\n    return df.pivot_table(index='region', columns='month', values='amount', aggfunc='sum')",
        "",
        None,
    ),  # partial-credit test below
]

PIVOT_TEST = """expected = sales.pivot_table(index="region", columns="month", values="amount", aggfunc="sum")
got = pivot(sales)
score = 0.0
if got.shape == expected.shape:
    score += 1.0
if got.shape == expected.shape and np.allclose(got.to_numpy(), expected.to_numpy(), equal_nan=True):
    score += 2.0
score"""

WRONG = {
    "mean-of": "def mean_of(xs):\n    return float(np.median(xs)) + 1",
    "zscore": "def zscore(a):\n    a = np.asarray(a, dtype=float)\n    return (a - a.mean()) / a.std(ddof=1)",
    "top-n": "def top_n(df, column, n):\n    return df.nsmallest(n, column)",
    "region-totals": "def region_totals(df):\n    return df.groupby('region')['amount'].mean()",
    "clean": "def clean(df):\n    return df.dropna()",
    "add-tax": "def add_tax(df, rate):\n    df['with_tax'] = df['amount'] * rate\n    return df",
    "moving-avg": "def moving_avg(a, w):\n    return np.convolve(a, np.ones(w) / w, mode='same')",
    "pivot": "def pivot(df):\n    return df.pivot_table(index='region', columns='month', values='amount', aggfunc='mean')",
}
ERRORS = [
    "def {name}(*args):\n    raise ValueError('not done yet')",
    "def {name}(*args):\n    return undefined_helper(*args)",
    "def {name}(*args):\n    return 1 / 0",
    "{name} = None\nthis is not python",
]
FUNCTION = {q[0]: q[3].split("(")[0].removeprefix("def ") for q in QUESTIONS}


# -- the unit ---------------------------------------------------------------------------


def _meta(
    grade_id: str, *, grade: bool, solution: bool, locked: bool, points: float = 0
) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def source_notebook() -> Any:
    cells = [
        nbformat.v4.new_markdown_cell("# Sales data\nEight short questions on numpy and pandas."),
        nbformat.v4.new_code_cell(
            SETUP, metadata=_meta("setup", grade=False, solution=False, locked=True)
        ),
    ]
    for grade_id, objective, points, solution, visible, hidden in QUESTIONS:
        cells.append(
            nbformat.v4.new_code_cell(
                f"### BEGIN SOLUTION\n{solution}\n### END SOLUTION",
                metadata=_meta(grade_id, grade=False, solution=True, locked=False),
            )
        )
        test = (
            PIVOT_TEST
            if hidden is None
            else f"{visible}\n### BEGIN HIDDEN TESTS\n{hidden}\n### END HIDDEN TESTS"
        )
        meta = _meta(f"{grade_id}-test", grade=True, solution=False, locked=True, points=points)
        meta["mastery"] = {"schema_version": 1, "objectives": [objective]}
        cells.append(nbformat.v4.new_code_cell(test, metadata=meta))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return nb


def submissions(count: int) -> list[tuple[str, str, dict[str, str]]]:
    """(student, kind, answers by grade_id): varied and reproducible."""
    out: list[tuple[str, str, dict[str, str]]] = []
    right = {q[0]: q[3] for q in QUESTIONS}
    for i in range(count):
        rng = random.Random(i)
        student = f"s{i:03d}"
        answers = dict(right)
        if i == count // 2:
            kind = "loop"
            answers["clean"] = "def clean(df):\n    while True:\n        pass\nclean(None)"
        elif i % 10 in (0, 1, 2, 3):
            kind = "correct"
        elif i % 10 in (4, 5, 6):
            kind = "partial"
            for gid in rng.sample(sorted(WRONG), rng.randint(1, 4)):
                answers[gid] = WRONG[gid]
        elif i % 10 in (7, 8):
            kind = "erroring"
            for gid in rng.sample(sorted(WRONG), rng.randint(1, 3)):
                answers[gid] = rng.choice(ERRORS).format(name=FUNCTION[gid])
        else:
            kind = "unanswered" if i % 20 == 9 else "mixed"
            for gid in sorted(WRONG):
                roll = rng.random()
                if kind == "unanswered" or roll < 0.2:
                    answers[gid] = "# YOUR CODE HERE\nraise NotImplementedError()"
                elif roll < 0.5:
                    answers[gid] = WRONG[gid]
        out.append((student, kind, answers))
    return out


def fill(released: Any, answers: dict[str, str]) -> bytes:
    nb = nbformat.from_dict(json.loads(json.dumps(released)))
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell.source = answers[gid]
    return nbformat.writes(nb).encode("utf-8")


# -- memory sampling --------------------------------------------------------------------


class TreeMemory:
    """Peak RSS and PSS summed over a process and its descendants, sampled in a thread."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.root = psutil.Process(pid)
        self.interval = interval
        self.peak_rss = 0
        self.peak_pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            rss = pss = 0
            try:
                procs = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                procs = []
            for proc in procs:
                try:
                    info = proc.memory_full_info()
                    rss += info.rss
                    pss += getattr(info, "pss", info.rss)
                except psutil.Error:
                    pass
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self._stop.wait(self.interval)


# -- nbgrader ---------------------------------------------------------------------------


def run_nbgrader(
    work: Path, subs: list[tuple[str, str, dict[str, str]]], timeout: int
) -> dict[str, Any]:
    course = work / "nbgrader"
    (course / "source" / ASSIGNMENT).mkdir(parents=True)
    nbformat.write(source_notebook(), course / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb")
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.root = {str(course)!r}\n"
        "c.CourseDirectory.course_id = 'bench'\n"
        f"c.Execute.timeout = {timeout}\n"
        "c.Autograde.create_student = True\n",
        encoding="utf-8",
    )
    subprocess.run(
        ["nbgrader", "generate_assignment", ASSIGNMENT, "--force"],
        cwd=course,
        check=True,
        capture_output=True,
    )
    released = nbformat.read(course / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    for student, _kind, answers in subs:
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        (folder / f"{NOTEBOOK}.ipynb").write_bytes(fill(released, answers))
    started = time.monotonic()
    process = subprocess.Popen(
        ["nbgrader", "autograde", ASSIGNMENT],
        cwd=course,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    with TreeMemory(process.pid) as memory:
        _, err = process.communicate()
    wall = time.monotonic() - started
    if process.returncode != 0:
        print(err.decode()[-3000:], file=sys.stderr)
    from nbgrader.api import Gradebook

    scores: dict[str, dict[str, float]] = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for student, _kind, _answers in subs:
            scores[student] = {}
            for q in QUESTIONS:
                gid = f"{q[0]}-test"
                try:
                    grade = gradebook.find_grade(gid, NOTEBOOK, ASSIGNMENT, student)
                    scores[student][gid] = float(grade.score)
                except Exception:
                    scores[student][gid] = float("nan")
    return {
        "wall": wall,
        "peak_rss": memory.peak_rss,
        "peak_pss": memory.peak_pss,
        "scores": scores,
        "released": released,
        "returncode": process.returncode,
    }


# -- mastery-nb ---------------------------------------------------------------------------


def write_bundle(work: Path, released: Any) -> Path:
    """The grading bundle from nbgrader's own release (same checksums, same tests)."""
    from mastery_nb.course.bundle import BundleCell, NotebookBundle, UnitBundle

    source = source_notebook()
    by_id = {
        c.metadata["nbgrader"]["grade_id"]: c for c in source.cells if "nbgrader" in c.metadata
    }
    cells = []
    for index, cell in enumerate(released.cells):
        meta = cell.metadata.get("nbgrader")
        if not meta:
            continue
        test = meta.get("grade") and not meta.get("solution")
        cells.append(
            BundleCell(
                grade_id=meta["grade_id"],
                index=index,
                cell_type=cell.cell_type,
                grade=meta["grade"],
                solution=meta["solution"],
                locked=meta["locked"],
                points=float(meta.get("points", 0)),
                objectives=tuple(cell.metadata.get("mastery", {}).get("objectives", ())),
                source=by_id[meta["grade_id"]].source if test else cell.source,
                checksum=meta["checksum"],
            )
        )
    bundle = UnitBundle(
        course="bench",
        unit="sales",
        notebooks=(NotebookBundle(path=f"units/{NOTEBOOK}.ipynb", cells=tuple(cells)),),
    )
    root = work / "mastery" / "autograder" / "bench"
    (root / "units").mkdir(parents=True)
    (root / "files").mkdir()
    (root / "units" / "sales.json").write_text(bundle.model_dump_json(), encoding="utf-8")
    return root


def mastery_worker(work: Path, workers: int, timeout: int) -> None:
    """In its own process: grade every submission with the pool; write results as JSON."""
    from mastery_nb.course.reader import ReleasedCourse
    from mastery_nb.grade.attempt import GradingPool
    from mastery_nb.grade.limits import Limits

    root = work / "mastery" / "autograder" / "bench"
    bundle = ReleasedCourse.at(root).unit_bundle("sales")
    listing = json.loads((work / "submissions.json").read_text())
    subs, loops = listing["students"], set(listing["loop"])
    notebooks = {
        s: (work / "nbgrader" / "submitted" / s / ASSIGNMENT / f"{NOTEBOOK}.ipynb").read_bytes()
        for s in subs
    }
    limits = Limits(cell_timeout=float(timeout), notebook_timeout=120.0)
    report: dict[str, Any] = {}
    started = time.monotonic()
    with GradingPool(workers=workers, limits=limits) as pool:
        report["pool_start"] = time.monotonic() - started
        # throughput: every submission through the pool at once
        started = time.monotonic()
        jobs = [
            (bundle, {f"units/{NOTEBOOK}.ipynb": notebooks[s]}, root / "files", None) for s in subs
        ]
        results = pool.map(jobs)
        report["wall"] = time.monotonic() - started
        report["scores"] = {
            s: {c.grade_id: c.points for c in r.cells} for s, r in zip(subs, results, strict=True)
        }
        # throughput without the looping submission (its timeouts are a floor on the wall time)
        started = time.monotonic()
        pool.map([job for job, s in zip(jobs, subs, strict=True) if s not in loops])
        report["wall_no_loop"] = time.monotonic() - started
        report["n_no_loop"] = len(subs) - len(loops)
        # latency: one submission arriving at an idle worker (as a learner's does), to
        # separate the submission's own time from the grading overhead
        latency = []
        for s in subs:
            time.sleep(0.2)
            t0 = time.monotonic()
            result = pool.grade(bundle, {f"units/{NOTEBOOK}.ipynb": notebooks[s]}, root / "files")
            latency.append(
                {
                    "student": s,
                    "wall": time.monotonic() - t0,
                    "own": float(result.extra.get("exec_seconds", 0.0)),
                }
            )
        report["latency"] = latency
    (work / "mastery-report.json").write_text(json.dumps(report))


def run_mastery(work: Path, workers: int, timeout: int) -> dict[str, Any]:
    process = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--mastery-worker",
            str(work),
            "--workers",
            str(workers),
            "--timeout",
            str(timeout),
        ]
    )
    with TreeMemory(process.pid) as memory:
        process.wait()
    if process.returncode != 0:
        raise SystemExit(f"mastery-nb worker failed with exit code {process.returncode}")
    report: dict[str, Any] = json.loads((work / "mastery-report.json").read_text())
    report["peak_rss"], report["peak_pss"] = memory.peak_rss, memory.peak_pss
    return report


# -- the run ----------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--submissions", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--timeout", type=int, default=5, help="per-cell timeout (the infinite loop)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--mastery-worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.mastery_worker:
        mastery_worker(args.mastery_worker, args.workers, args.timeout)
        return

    work = Path(tempfile.mkdtemp(prefix="mastery-bench-grading-"))
    try:
        subs = submissions(args.submissions)
        kinds: dict[str, int] = {}
        for _s, kind, _a in subs:
            kinds[kind] = kinds.get(kind, 0) + 1
        print(
            f"unit: {len(QUESTIONS)} graded questions (numpy, pandas; one partial-credit test); "
            f"{len(subs)} submissions: " + ", ".join(f"{v} {k}" for k, v in sorted(kinds.items()))
        )
        print(
            f"machine: {psutil.cpu_count()} cores, per-cell timeout {args.timeout} s, "
            f"mastery-nb workers {args.workers}"
        )
        nbg = run_nbgrader(work, subs, args.timeout)
        write_bundle(work, nbg["released"])
        (work / "submissions.json").write_text(
            json.dumps(
                {
                    "students": [s for s, _k, _a in subs],
                    "loop": [s for s, k, _a in subs if k == "loop"],
                }
            )
        )
        mnb = run_mastery(work, args.workers, args.timeout)

        n = len(subs)
        same = differ = 0
        diffs: list[str] = []
        for student, kind, _a in subs:
            for gid, score in nbg["scores"][student].items():
                ours = mnb["scores"][student].get(gid)
                if ours is not None and abs(ours - score) < 1e-9:
                    same += 1
                else:
                    differ += 1
                    if len(diffs) < 10:
                        diffs.append(
                            f"  {student} ({kind}) {gid}: nbgrader {score}, mastery-nb {ours}"
                        )
        latency = mnb["latency"]
        overheads = sorted(
            (x["wall"] - x["own"]) * 1000 for x in latency if x["wall"] < args.timeout
        )
        own = sorted(x["own"] * 1000 for x in latency if x["wall"] < args.timeout)
        mib = 1024 * 1024

        def pct(values: list[float], p: float) -> float:
            return values[min(len(values) - 1, round(p * (len(values) - 1)))]

        print()
        print(f"{'':28s}{'nbgrader 0.9.6':>18s}{'mastery-nb':>18s}{'ratio':>10s}")
        print(
            f"{f'wall time, {n} submissions':28s}{nbg['wall']:>16.1f} s{mnb['wall']:>16.2f} s"
            f"{nbg['wall'] / mnb['wall']:>9.1f}x"
        )
        print(
            f"{'per submission':28s}{nbg['wall'] / n * 1000:>15.0f} ms{mnb['wall'] / n * 1000:>15.0f} ms"
        )
        print(
            f"{'throughput (submissions/s)':28s}{n / nbg['wall']:>18.2f}{n / mnb['wall']:>18.2f}"
            f"{(n / mnb['wall']) / (n / nbg['wall']):>9.1f}x"
        )
        print(
            f"{'peak memory, sum of RSS':28s}{nbg['peak_rss'] / mib:>14.0f} MiB{mnb['peak_rss'] / mib:>14.0f} MiB"
            f"{mnb['peak_rss'] / max(nbg['peak_rss'], 1):>9.2f}x"
        )
        print(
            f"{'peak memory, sum of PSS':28s}{nbg['peak_pss'] / mib:>14.0f} MiB{mnb['peak_pss'] / mib:>14.0f} MiB"
            f"{mnb['peak_pss'] / max(nbg['peak_pss'], 1):>9.2f}x"
        )
        print(
            f"mastery-nb without the looping submission: {mnb['n_no_loop']} submissions in "
            f"{mnb['wall_no_loop']:.2f} s ({mnb['wall_no_loop'] / mnb['n_no_loop'] * 1000:.0f} ms each, "
            f"{mnb['n_no_loop'] / mnb['wall_no_loop']:.1f} submissions/s); the loop alone holds one "
            f"worker for two {args.timeout} s timeouts"
        )
        print()
        print(
            f"mastery-nb, one submission at a time, each to an idle worker ({len(overheads)} submissions, the loop excluded):"
        )
        print(
            f"  the submission's own cells: median {statistics.median(own):.1f} ms, p95 {pct(own, 0.95):.1f} ms"
        )
        print(
            f"  grading overhead beyond them: median {statistics.median(overheads):.1f} ms, "
            f"p95 {pct(overheads, 0.95):.1f} ms, max {max(overheads):.1f} ms (target < 100 ms)"
        )
        print(f"  zygote start (once per worker, not per submission): {mnb['pool_start']:.2f} s")
        print(
            f"  the infinite-loop submission: "
            f"{max(x['wall'] for x in latency):.2f} s (per-cell timeout {args.timeout} s)"
        )
        print()
        print(
            f"per-cell scores: {same} of {same + differ} test cells identical"
            + ("" if not differ else f"; {differ} differ:\n" + "\n".join(diffs))
        )
        if nbg["returncode"] != 0:
            print(f"note: nbgrader autograde exited with code {nbg['returncode']}")
    finally:
        if args.keep:
            print(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    main()

"""The grading race: nbgrader 0.9.6 ``autograde`` against the shipped ``mastery-nb grade``.

Fair by construction:

* **whole processes**: each side is timed from the moment its command is started until
  it exits (interpreter start-up, imports, warm-up, the store, everything), with the
  clock of this script;
* **the same work**: the same unit (written once in nbgrader's format, given to nbgrader
  as ``source/<assignment>/`` and to mastery-nb as a unit of a course), the same
  submissions (correct, partial, erroring, unanswered, and one that loops forever), the
  same per-cell timeout; every test cell's score is compared between the two;
* **the same parallelism**: mastery-nb grades with ``--workers N`` and nbgrader gets N
  ``nbgrader autograde`` processes, each grading its share of the class in its own course
  folder (nbgrader has no parallel autograde of its own);
* **the shipped path**: the submissions are stored first (nbgrader: ``submitted/``;
  mastery-nb: :func:`mastery_nb.submit.submit_attempt`, what ``mastery-nb submit`` and the
  service call), then the timed command is ``mastery-nb grade --workers N``, which claims
  each attempt from the store and records its results there, every submission in a
  fresh sandboxed process;
* **alternating runs**: nbgrader first in odd runs, mastery-nb first in even ones, on a
  machine whose load is printed (other work shares it), so drift hits both sides; the
  ratio is printed per run, with its median and spread.

Two races: a numpy/pandas unit and a unit that imports scikit-learn (what a unit that
needs a library the grader does not preload by default costs). Then, untimed, each
submission is graded alone on an idle warm pool to report mastery-nb's grading overhead
beyond the learner's own cells (from :class:`~mastery_nb.grade.result.AttemptResult`:
``duration_seconds`` less ``extra["exec_seconds"]``, the time the cells took as measured
inside the sandboxed child).

    python benchmarks/bench_grading.py [--runs 3] [--submissions 50] [--workers 2]
                                       [--timeout 5] [--units sales,models]
"""

from __future__ import annotations

import argparse
import json
import os
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

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from race_units import UNITS, BenchUnit, course_toml, fill, source_notebook, submissions  # noqa: E402

COURSE = "race"
BIN = Path(sys.executable).parent


# -- measuring ---------------------------------------------------------------------------


class TreeMemory:
    """Peak RSS and PSS summed over processes and their descendants, sampled in a thread."""

    def __init__(self, pids: list[int], interval: float = 0.2) -> None:
        self.roots = [psutil.Process(pid) for pid in pids]
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
            for root in self.roots:
                try:
                    procs = [root, *root.children(recursive=True)]
                except psutil.Error:
                    continue
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


def run_timed(commands: list[tuple[list[str], Path]]) -> tuple[float, TreeMemory, list[int]]:
    """Start every command at once; wall time until the last one exits."""
    started = time.monotonic()
    processes = [
        subprocess.Popen(
            command,
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "0"},
        )
        for command, cwd in commands
    ]
    with TreeMemory([p.pid for p in processes]) as memory:
        errors = [p.communicate()[1] for p in processes]
    wall = time.monotonic() - started
    codes = [p.returncode for p in processes]
    for code, err in zip(codes, errors, strict=True):
        if code != 0:
            print(err.decode(errors="replace")[-3000:], file=sys.stderr)
    return wall, memory, codes


# -- nbgrader ------------------------------------------------------------------------------


def nbgrader_template(work: Path, unit: BenchUnit, timeout: int) -> tuple[Path, Any]:
    """A course folder with the assignment generated (untimed); returns it and the release."""
    course = work / f"nbgrader-{unit.id}"
    (course / "source" / unit.id).mkdir(parents=True)
    nbformat.write(source_notebook(unit), course / "source" / unit.id / f"{unit.id}.ipynb")
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        "c.CourseDirectory.course_id = 'race'\n"
        f"c.Execute.timeout = {timeout}\n"
        "c.Autograde.create_student = True\n",
        encoding="utf-8",
    )
    subprocess.run(
        [str(BIN / "nbgrader"), "generate_assignment", unit.id, "--force"],
        cwd=course,
        check=True,
        capture_output=True,
    )
    released = nbformat.read(course / "release" / unit.id / f"{unit.id}.ipynb", as_version=4)
    return course, released


def nbgrader_side(
    template: Path, released: Any, unit: BenchUnit, subs: list[Any], processes: int, run: Path
) -> dict[str, Any]:
    """N ``nbgrader autograde`` processes at once, each with its share of the class."""
    commands = []
    folders = []
    for share in range(processes):
        folder = run / f"nbgrader-{unit.id}-{share}"
        shutil.copytree(template, folder)
        (folder / "nbgrader_config.py").write_text(
            (template / "nbgrader_config.py").read_text(encoding="utf-8")
            + f"c.CourseDirectory.root = {str(folder)!r}\n",
            encoding="utf-8",
        )
        for student, _kind, answers in subs[share::processes]:
            target = folder / "submitted" / student / unit.id
            target.mkdir(parents=True)
            (target / f"{unit.id}.ipynb").write_bytes(fill(released, answers))
        commands.append(([str(BIN / "nbgrader"), "autograde", unit.id], folder))
        folders.append(folder)
    wall, memory, codes = run_timed(commands)
    from nbgrader.api import Gradebook

    scores: dict[str, dict[str, float]] = {}
    for share, folder in enumerate(folders):
        with Gradebook(f"sqlite:///{folder / 'gradebook.db'}") as gradebook:
            for student, _kind, _answers in subs[share::processes]:
                scores[student] = {}
                for gid in unit.test_ids():
                    try:
                        grade = gradebook.find_grade(gid, unit.id, unit.id, student)
                        scores[student][gid] = float(grade.score)
                    except Exception:
                        scores[student][gid] = float("nan")
    return {"wall": wall, "memory": memory, "codes": codes, "scores": scores}


# -- mastery-nb ----------------------------------------------------------------------------


def mastery_course(work: Path, units: list[BenchUnit]) -> Path:
    """A course root with the race's units, released by the shipped CLI (untimed)."""
    root = work / "mastery"
    source = root / "courses" / COURSE
    (source / "units").mkdir(parents=True)
    (source / "course.toml").write_text(course_toml(COURSE, units), encoding="utf-8")
    for unit in units:
        nbformat.write(source_notebook(unit), source / unit.notebook)
    subprocess.run(
        [str(BIN / "mastery-nb"), "release", COURSE, "--root", str(root)],
        check=True,
        capture_output=True,
    )
    return root


def mastery_side(
    root: Path, unit: BenchUnit, subs: list[Any], workers: int, timeout: int, run: Path
) -> dict[str, Any]:
    """Store every submission (untimed), then time ``mastery-nb grade --workers N``."""
    from sqlalchemy import select

    from mastery_nb.root import CourseRoot
    from mastery_nb.store import AttemptRow, dispose_stores, open_store
    from mastery_nb.store.models import CellResultRow
    from mastery_nb.submit import submit_attempt

    data = run / f"data-{unit.id}"
    course_root = CourseRoot.at(root, data_dir=data)
    released = nbformat.read(root / "release" / COURSE / unit.notebook, as_version=4)
    for student, _kind, answers in subs:
        submit_attempt(
            course_root, COURSE, unit.id, student, {unit.notebook: fill(released, answers)}
        )
    command = [
        str(BIN / "mastery-nb"),
        "grade",
        "--workers",
        str(workers),
        "--cell-timeout",
        f"{timeout}s",
        "--root",
        str(root),
        "--data-dir",
        str(data),
    ]
    wall, memory, codes = run_timed([(command, root)])
    scores: dict[str, dict[str, float]] = {}
    store = open_store(course_root)
    with store.read() as session:
        rows = session.execute(
            select(AttemptRow.student_id, CellResultRow.grade_id, CellResultRow.points).join(
                CellResultRow, CellResultRow.attempt_id == AttemptRow.id
            )
        ).all()
    for student, gid, points in rows:
        scores.setdefault(student, {})[gid] = float(points)
    dispose_stores()
    return {"wall": wall, "memory": memory, "codes": codes, "scores": scores}


def compare(unit: BenchUnit, subs: list[Any], ours: dict[str, Any], theirs: dict[str, Any]) -> str:
    same = differ = 0
    notes = []
    for student, kind, _answers in subs:
        for gid in unit.test_ids():
            a = theirs["scores"].get(student, {}).get(gid)
            b = ours["scores"].get(student, {}).get(gid)
            if a is not None and b is not None and abs(a - b) < 1e-9:
                same += 1
            else:
                differ += 1
                if len(notes) < 5:
                    notes.append(f"    {student} ({kind}) {gid}: nbgrader {a}, mastery-nb {b}")
    text = f"{same} of {same + differ} test cells scored the same"
    return text + ("" if not differ else f"; {differ} differ:\n" + "\n".join(notes))


# -- overhead: one submission at a time to an idle warm pool -----------------------------------


def overhead_probe(root: Path, unit_id: str, timeout: int, report: Path) -> None:
    """In its own process: grade each submission alone; write AttemptResult timings."""
    from mastery_nb.course.reader import ReleasedCourse
    from mastery_nb.grade.attempt import GradingPool
    from mastery_nb.grade.pools import pool_limits

    unit = UNITS[unit_id]
    released_course = ReleasedCourse.of(_course_root(root), COURSE)
    course = released_course.course()
    bundle = released_course.unit_bundle(unit.id)
    released = nbformat.read(root / "release" / COURSE / unit.notebook, as_version=4)
    subs = submissions(unit, 50)
    base = pool_limits(_course_root(root), COURSE)
    limits = base.for_course(course.grading, cell_timeout=float(timeout))
    rows = []
    with GradingPool(workers=1, limits=base) as pool:
        for student, kind, answers in subs:
            time.sleep(0.1)  # an idle worker, as a learner's submission usually finds it
            started = time.monotonic()
            result = pool.grade(
                bundle,
                {unit.notebook: fill(released, answers)},
                released_course.files_dir,
                limits=limits,
            )
            rows.append(
                {
                    "student": student,
                    "kind": kind,
                    "wall": time.monotonic() - started,
                    "duration": result.duration_seconds,
                    "own": float(result.extra.get("exec_seconds", 0.0)),
                }
            )
    report.write_text(json.dumps(rows))


def _course_root(root: Path) -> Any:
    from mastery_nb.root import CourseRoot

    return CourseRoot.at(root, data_dir=root / ".overhead-data")


def overhead(root: Path, unit: BenchUnit, timeout: int, work: Path) -> list[dict[str, Any]]:
    report = work / f"overhead-{unit.id}.json"
    subprocess.run(
        [
            sys.executable,
            __file__,
            "--overhead-probe",
            str(root),
            unit.id,
            str(timeout),
            str(report),
        ],
        check=True,
    )
    rows: list[dict[str, Any]] = json.loads(report.read_text())
    return rows


# -- the report -------------------------------------------------------------------------------


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {psutil.cpu_count()} cores"


def race(
    unit: BenchUnit, args: argparse.Namespace, work: Path, root: Path, templates: dict[str, Any]
) -> dict[str, Any]:
    subs = submissions(unit, args.submissions)
    kinds: dict[str, int] = {}
    for _s, kind, _a in subs:
        kinds[kind] = kinds.get(kind, 0) + 1
    print(
        f"\n== {unit.title}: {len(unit.questions)} graded questions, {len(subs)} submissions ("
        + ", ".join(f"{v} {k}" for k, v in sorted(kinds.items()))
        + f"), per-cell timeout {args.timeout} s, {args.workers} parallel processes each"
    )
    template, released = templates[unit.id]
    pairs = []
    for number in range(1, args.runs + 1):
        run = work / f"run-{unit.id}-{number}"
        run.mkdir()
        before = load()
        sides: dict[str, dict[str, Any]] = {}
        order = ("nbgrader", "mastery-nb") if number % 2 else ("mastery-nb", "nbgrader")
        for side in order:
            if side == "nbgrader":
                sides[side] = nbgrader_side(template, released, unit, subs, args.workers, run)
            else:
                sides[side] = mastery_side(root, unit, subs, args.workers, args.timeout, run)
        nbg, mnb = sides["nbgrader"], sides["mastery-nb"]
        ratio = nbg["wall"] / mnb["wall"]
        pairs.append((nbg, mnb, ratio))
        print(
            f"  run {number} ({' then '.join(order)}; {before}): nbgrader {nbg['wall']:6.1f} s, "
            f"mastery-nb {mnb['wall']:5.2f} s, ratio {ratio:5.1f}x; "
            + compare(unit, subs, mnb, nbg)
        )
        for side in (nbg, mnb):
            if any(side["codes"]):
                print(f"    note: exit codes {side['codes']}")
        shutil.rmtree(run, ignore_errors=True)
    ratios = [r for _n, _m, r in pairs]
    mib = 1024 * 1024
    median = statistics.median(ratios)
    print(
        f"  ratio (nbgrader wall / mastery-nb wall): median {median:.1f}x, "
        f"spread {min(ratios):.1f}x to {max(ratios):.1f}x over {len(ratios)} alternating runs"
    )
    nbg_walls = [n["wall"] for n, _m, _r in pairs]
    mnb_walls = [m["wall"] for _n, m, _r in pairs]
    print(
        f"  wall, median: nbgrader {statistics.median(nbg_walls):.1f} s "
        f"({statistics.median(nbg_walls) / len(subs) * 1000:.0f} ms a submission), mastery-nb "
        f"{statistics.median(mnb_walls):.2f} s ({statistics.median(mnb_walls) / len(subs) * 1000:.0f} ms)"
    )
    print(
        f"  peak memory (sum of PSS over the process trees): nbgrader "
        f"{max(n['memory'].peak_pss for n, _m, _r in pairs) / mib:.0f} MiB, mastery-nb "
        f"{max(m['memory'].peak_pss for _n, m, _r in pairs) / mib:.0f} MiB"
    )
    rows = overhead(root, unit, args.timeout, work)
    quick = [r for r in rows if r["kind"] != "loop"]
    overheads = [(r["duration"] - r["own"]) * 1000 for r in quick]
    own = [r["own"] * 1000 for r in quick]
    looping = [r for r in rows if r["kind"] == "loop"]
    print(
        f"  one submission at a time to an idle warm worker ({len(quick)} submissions, the "
        f"looping one apart; {load()}):"
    )
    print(
        f"    the learner's own cells: median {statistics.median(own):.0f} ms, "
        f"p95 {pct(own, 0.95):.0f} ms"
    )
    print(
        f"    grading overhead beyond them (AttemptResult duration - exec_seconds): median "
        f"{statistics.median(overheads):.1f} ms, p95 {pct(overheads, 0.95):.1f} ms, "
        f"max {max(overheads):.1f} ms (target: p95 <= 50 ms)"
    )
    for row in looping:
        print(
            f"    the looping submission: {row['duration']:.2f} s (per-cell timeout "
            f"{args.timeout} s: one timeout, and a short budget for the test that calls it again)"
        )
    return {"ratios": ratios, "overhead_p95": pct(overheads, 0.95)}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3, help="alternating runs per unit")
    parser.add_argument("--submissions", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2, help="parallel processes, each side")
    parser.add_argument("--timeout", type=int, default=5, help="per-cell timeout (the loop)")
    parser.add_argument("--units", default="sales,models", help="which races: sales, models")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--overhead-probe", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.overhead_probe:
        root, unit_id, timeout, report = args.overhead_probe
        overhead_probe(Path(root), unit_id, int(timeout), Path(report))
        return
    units = [UNITS[name] for name in args.units.split(",")]
    work = Path(tempfile.mkdtemp(prefix="mastery-bench-race-"))
    try:
        print(f"machine: {psutil.cpu_count()} cores; {load()}")
        root = mastery_course(work, list(UNITS.values()))
        templates = {unit.id: nbgrader_template(work, unit, args.timeout) for unit in units}
        results = {unit.id: race(unit, args, work, root, templates) for unit in units}
        print("\nsummary:")
        for unit in units:
            ratios = results[unit.id]["ratios"]
            print(
                f"  {unit.title}: mastery-nb grade is {statistics.median(ratios):.1f}x nbgrader "
                f"autograde (spread {min(ratios):.1f}x to {max(ratios):.1f}x), overhead p95 "
                f"{results[unit.id]['overhead_p95']:.0f} ms"
            )
        print(f"  {load()}")
    finally:
        if args.keep:
            print(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

"""How long every ``mastery-nb`` verb takes to print its first output (whole processes).

For each verb, a fresh ``python -m mastery_nb`` process is started several times and the
time from its start to the first byte on stdout or stderr is measured (and its CPU time):

- ``VERB --help``: what building the parser costs (imports included);
- a real run of the verb on a copy of this repository's sample course (validate,
  ``release --check``, a refused ``submit``, ``grade`` with an empty queue, ``progress``,
  ``feedback`` of a learner without attempts, ``gradebook``, ``start`` of the first unit,
  and ``demo`` until its first line);
- ``mastery-nb --help`` itself, and ``nbgrader --help`` in the same run for comparison.

Prints min/median/max of the first output in seconds per command, the median time until
the command ended ("done": what the whole answer takes; ``-`` for demo, stopped at its first
line), the median CPU seconds of a whole run, the ratio of the first output to
``nbgrader --help`` and whether the first output came within the 0.5 s target. A verb with
work to do says what it is about to do on stderr before its slow imports
(:func:`mastery_nb.cli.status`): that line is its first output.

    python benchmarks/bench_cli.py [--runs 5] [--pythonpath DIR] [--json FILE]

``--pythonpath DIR`` measures another checkout's package (for a before/after comparison:
``--pythonpath /path/to/other/checkout``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import resource
import selectors
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COURSE = "intro-data-science"
TARGET_SECONDS = 0.5
VERBS = (
    "validate",
    "release",
    "start",
    "submit",
    "grade",
    "progress",
    "feedback",
    "gradebook",
    "demo",
)


def commands(root: Path, data: Path) -> dict[str, list[str]]:
    """What to run, by name: each verb's --help and one real run of it."""
    where = ["--root", str(root), "--data-dir", str(data)]
    notebook = root / "release" / COURSE / "units" / "02-functions.ipynb"
    table: dict[str, list[str]] = {"--help": ["--help"]}
    table.update({f"{verb} --help": [verb, "--help"] for verb in VERBS})
    table.update(
        {
            "validate COURSE": ["validate", COURSE, "--root", str(root)],
            "release --check": ["release", COURSE, "--check", "--root", str(root)],
            "submit (refused: locked)": [
                "submit",
                str(notebook),
                "--course",
                COURSE,
                "--unit",
                "functions",
                "--student",
                "bench",
                *where,
            ],
            "grade (empty queue)": ["grade", "--workers", "1", *where],
            "progress": ["progress", "--course", COURSE, "--student", "bench", *where],
            "feedback (no attempt)": [
                "feedback",
                "--course",
                COURSE,
                "--student",
                "bench",
                "--unit",
                "python-basics",
                "--json",
                *where,
            ],
            "gradebook COURSE": ["gradebook", COURSE, *where],
            "start (first unit)": [
                "start",
                COURSE,
                "python-basics",
                "--student",
                "bench",
                "--dir",
                str(root.parent / "workspace"),
                *where,
            ],
            "demo (first line)": ["demo", "--no-browser", "--dir", str(root.parent / "demo")],
        }
    )
    return table


def first_output(
    argv: list[str], env: dict[str, str], cwd: Path, *, to_the_end: bool
) -> tuple[float, float, float]:
    """(seconds to the first byte on stdout or stderr, seconds until the process ended,
    CPU seconds of the process). Without ``to_the_end`` (a long-running verb: demo) the
    process is stopped at its first output and its end is NaN."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(
        argv,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=env,
        cwd=cwd,
        start_new_session=True,
    )
    selector = selectors.DefaultSelector()
    assert process.stdout is not None and process.stderr is not None
    selector.register(process.stdout, selectors.EVENT_READ)
    selector.register(process.stderr, selectors.EVENT_READ)
    first: float | None = None
    ended = float("nan")
    deadline = started + 300
    while time.perf_counter() < deadline and selector.get_map():
        for key, _ in selector.select(timeout=0.01):
            if key.fileobj.read1(1 << 16):  # type: ignore[union-attr]
                if first is None:
                    first = time.perf_counter() - started
            else:
                selector.unregister(key.fileobj)  # end of that stream
        if first is not None and not to_the_end:
            break
    if to_the_end and not selector.get_map():
        process.wait(timeout=max(1.0, deadline - time.perf_counter()))
        ended = time.perf_counter() - started
    selector.close()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)  # a long-running verb (demo) stops here
    try:
        process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return (float("nan") if first is None else first), ended, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="processes per command (default 5)")
    parser.add_argument("--pythonpath", default=None, help="measure the package in this folder")
    parser.add_argument("--json", default=None, metavar="FILE", help="also write the figures")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="mastery-bench-cli-"))
    try:
        root = work / "root"
        for part in ("courses", "release", "autograder"):
            shutil.copytree(REPO / part, root / part)
        data = work / "data"
        env = {k: v for k, v in os.environ.items() if not k.startswith("MASTERY_NB_")}
        if args.pythonpath:
            env["PYTHONPATH"] = args.pythonpath
        mastery = [sys.executable, "-m", "mastery_nb"]
        table = {name: mastery + argv for name, argv in commands(root, data).items()}
        table["nbgrader --help (reference)"] = [sys.executable, "-m", "nbgrader", "--help"]
        # the store exists before timing starts, as it does on a course that is in use
        warm = ["progress", "--course", COURSE, "--student", "bench"]
        where = ["--root", str(root), "--data-dir", str(data)]
        subprocess.run([*mastery, *warm, *where], env=env, capture_output=True, check=False)
        results: dict[str, dict[str, float]] = {}
        for name, argv in table.items():
            to_the_end = not name.startswith("demo (")
            runs = [first_output(argv, env, work, to_the_end=to_the_end) for _ in range(args.runs)]
            times = sorted(t for t, _, _ in runs)
            results[name] = {
                "min": times[0],
                "median": statistics.median(times),
                "max": times[-1],
                "done": statistics.median(d for _, d, _ in runs),
                "cpu": statistics.median(c for _, _, c in runs),
            }
        reference = results["nbgrader --help (reference)"]["median"]
        print(f"first output of each command, {args.runs} processes each (seconds)")
        print(
            f"{'command':<30} {'min':>6} {'median':>7} {'max':>6} {'done':>6} {'cpu':>6} "
            f"{'/nbgrader':>9}  target"
        )
        for name, r in results.items():
            verdict = (
                ""
                if "nbgrader" in name
                else ("ok" if r["median"] <= TARGET_SECONDS else f"over {TARGET_SECONDS:g} s")
            )
            done = "-" if math.isnan(r["done"]) else f"{r['done']:.3f}"
            print(
                f"{name:<30} {r['min']:>6.3f} {r['median']:>7.3f} {r['max']:>6.3f} {done:>6} "
                f"{r['cpu']:>6.2f} {r['median'] / reference:>9.2f}  {verdict}"
            )
        if args.json:
            Path(args.json).write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

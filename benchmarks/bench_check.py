"""In-kernel cost of one practice check on a small value.

Starts a real IPython kernel (jupyter_client, the same ipykernel JupyterLab uses), writes a
tiny course (``course.json`` + ``checks/bench.py``) in a temporary folder, loads it with
``load_checks`` inside the kernel and times, in the kernel, N calls of:

* ``checks.run(id)``: the verdict alone (the check function, classification, the practice
  log line appended to ``.mastery-practice.jsonl``);
* ``checks.check(id)``: the keyboard path (verdict + text/HTML display sent on IOPub);
* ``checks.ask(id)``: the widget path (verdict + a new ipywidgets panel + display);
* a quiz answer: ``checks.check_quiz`` + ``checks.save_answer`` (what a click costs);
* the Check button itself: ``CheckView._on_check`` (what a click in JupyterLab costs).

Each kind is timed for correct and incorrect answers. Prints median, p95 and max in
milliseconds and the ratio of p95 to the 20 ms target.

    python benchmarks/bench_check.py [--calls 500]
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from jupyter_client.manager import start_new_kernel

TARGET_MS = 20.0
#: what the target is about: one check on a small value, as a learner triggers it
CHECK_KINDS = (
    "run, correct",
    "run, incorrect",
    "check (text+HTML display), incorrect",
    "check (text+HTML display), correct",
    "Check button click",
    "quiz answer (save + score)",
)

CHECKS = """
from mastery_nb.checks import Checks, fail

checks = Checks(unit="bench")

@checks.question("total-price", objective="use-variables", hints=["Add them."])
def total_price(ns):
    total = ns["total"]
    if not isinstance(total, int):
        fail(f"`total` should be an int, got a {type(total).__name__}")
    if total != sum(ns["prices"]):
        fail("`total` is not the sum of every price")

checks.single_choice("robust", objective="describe-data", prompt="Robust?",
                     options=["mean", "median"], answer="median")
"""

KERNEL_CODE = """
import json, statistics, time
from mastery_nb.checks import load_checks
from mastery_nb.checks.widgets import CheckView
checks = load_checks("bench", start={units!r})
N = {calls}

def _time(fn):
    for _ in range(20):
        fn()
    out = []
    for _ in range(N):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out

results = {{}}
prices = [3, 4, 5]
total = 12
results["run, correct"] = _time(lambda: checks.run("total-price"))
total = 11
results["run, incorrect"] = _time(lambda: checks.run("total-price"))
results["check (text+HTML display), incorrect"] = _time(lambda: checks.check("total-price"))
total = 12
results["check (text+HTML display), correct"] = _time(lambda: checks.check("total-price"))
results["ask (new widget panel)"] = _time(lambda: checks.ask("total-price"))
view = CheckView(checks, "total-price", checks.run("total-price"))
results["Check button click"] = _time(lambda: view._on_check(None))
results["quiz answer (save + score)"] = _time(
    lambda: (checks.save_answer("robust", "median"), checks.check_quiz("robust", "median")))
print("BENCH-RESULT " + json.dumps(results))
"""


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def run(calls: int) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory(prefix="bench-check-") as tmp:
        course = Path(tmp) / "bench-course"
        (course / "checks").mkdir(parents=True)
        (course / "units").mkdir()
        (course / "course.json").write_text(
            json.dumps({"id": "bench", "title": "Bench", "units": []})
        )
        (course / "checks" / "bench.py").write_text(textwrap.dedent(CHECKS))
        env = {k: v for k, v in os.environ.items() if not k.startswith("MASTERY_NB_")}
        km, kc = start_new_kernel(kernel_name="python3", cwd=str(course / "units"), env=env)
        try:
            code = KERNEL_CODE.format(units=str(course / "units"), calls=calls)
            msg_id = kc.execute(code)
            result: dict[str, list[float]] | None = None
            deadline = time.monotonic() + 600
            while time.monotonic() < deadline:
                try:
                    msg = kc.get_iopub_msg(timeout=5)
                except queue.Empty:
                    continue
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                kind, content = msg["msg_type"], msg["content"]
                if kind == "stream" and "BENCH-RESULT " in content["text"]:
                    line = content["text"].split("BENCH-RESULT ", 1)[1].splitlines()[0]
                    result = json.loads(line)
                elif kind == "error":
                    raise RuntimeError("\n".join(content["traceback"]))
                elif kind == "status" and content["execution_state"] == "idle":
                    break
            if result is None:
                raise RuntimeError("the kernel did not report results")
            return result
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=500, help="timed calls per kind (default 500)")
    args = parser.parse_args(argv)
    results = run(args.calls)
    print(
        f"in-kernel cost of one check, {args.calls} calls each (ms); target p95 < {TARGET_MS:g} ms"
    )
    print(f"{'what':40} {'median':>8} {'p95':>8} {'max':>8} {'p95/target':>11}")
    worst = 0.0
    for name, values in results.items():
        median = _percentile(values, 0.5)
        p95 = _percentile(values, 0.95)
        if name in CHECK_KINDS:
            worst = max(worst, p95)
        print(f"{name:40} {median:8.3f} {p95:8.3f} {max(values):8.3f} {p95 / TARGET_MS:10.3f}x")
    verdict = "meets" if worst < TARGET_MS else "MISSES"
    print(
        f"one check (run / check / Check click / quiz answer): worst p95 {worst:.3f} ms "
        f"{verdict} the {TARGET_MS:g} ms target"
    )
    print("(`ask` builds a new widget panel: paid once per cell run, shown for information)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

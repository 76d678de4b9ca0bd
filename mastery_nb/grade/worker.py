"""A grading worker: one zygote process, seen from the grader, that proves it works.

Started as a *new* interpreter with a minimal environment (nothing of the grader's
secrets), it preloads, snapshots and then forks one sandboxed child per notebook
(:mod:`mastery_nb.grade.zygote`). Before it takes any work, it grades two probe
notebooks through the whole path (sandbox, runner, protocol, scoring): a known-good one
must score full marks and a known-bad one zero. If they do not, the worker refuses to
start with :class:`~mastery_nb.grade.execution.GradingUnavailable` naming the cause and
the fix: a grader whose environment is broken never grades a learner.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

from mastery_nb.course.bundle import BundleCell, NotebookBundle, UnitBundle
from mastery_nb.grade.execution import GradingUnavailable
from mastery_nb.grade.launch import adopt, start_zygote
from mastery_nb.grade.limits import Limits
from mastery_nb.grade.restore import nbgrader_checksum

__all__ = ["PROBE_UNIT", "Worker", "WorkerUnavailable", "probe_notebooks"]

_START_TIMEOUT = 180.0

#: the probe: a locked cell that needs the environment as installed (a standard module no
#: worker preloads, package metadata from site-packages), an answer, three tests (an
#: assert, a partial-credit value, grading mode of the checks library), 4 points in all
_PROBE_CELLS = (
    (
        "setup",
        "locked",
        "import math, sched\nfrom importlib.metadata import version\n"
        "from mastery_nb.checks import frontend\nENVIRONMENT = version('mastery-nb')",
        0.0,
    ),
    ("answer", "answer", "def double(x):\n    raise NotImplementedError()", 0.0),
    ("double-int", "test", "assert ENVIRONMENT and double(3) == 6", 2.0),
    (
        "double-value",
        "test",
        "_probe = double(0.5)\n1.0 if math.isclose(_probe, 1.0) else 0.0",
        1.0,
    ),
    ("grading-mode", "test", "assert frontend.grading_mode() and double(2) == 4", 1.0),
)
PROBE_UNIT = "mastery-nb-probe"
_PROBE_PATH = "probe.ipynb"
_GOOD = "def double(x):\n    return 2 * x"
_BAD = "def double(x):\n    return x + 0.25"


class WorkerUnavailable(GradingUnavailable):
    """No worker can start (or pass its self-test): the grader must not take attempts."""


def _probe_bundle() -> UnitBundle:
    cells: list[BundleCell] = []
    for index, (gid, kind, source, points) in enumerate(_PROBE_CELLS):
        grade, solution, locked = kind == "test", kind == "answer", kind != "answer"
        checksum = nbgrader_checksum(source, "code", grade, solution, locked, gid, points)
        cells.append(
            BundleCell(
                grade_id=gid,
                index=index,
                cell_type="code",
                grade=grade,
                solution=solution,
                locked=locked,
                points=points,
                objectives=("probe",),
                source=source,
                checksum=checksum,
            )
        )
    return UnitBundle(
        course=PROBE_UNIT,
        unit=PROBE_UNIT,
        notebooks=(NotebookBundle(path=_PROBE_PATH, cells=tuple(cells)),),
        thresholds={"probe": 1.0},
    )


def probe_notebooks(answer: str) -> dict[str, bytes]:
    """A submission of the probe unit with ``answer`` in its answer cell."""
    cells: list[dict[str, Any]] = []
    for gid, kind, source, points in _PROBE_CELLS:
        meta: dict[str, Any] = {
            "grade": kind == "test",
            "grade_id": gid,
            "locked": kind != "answer",
            "solution": kind == "answer",
            "schema_version": 3,
        }
        if kind == "test":
            meta["points"] = points
        cells.append(
            {
                "cell_type": "code",
                "metadata": {"nbgrader": meta},
                "source": answer if kind == "answer" else source,
                "outputs": [],
                "execution_count": None,
            }
        )
    notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return {_PROBE_PATH: json.dumps(notebook).encode("utf-8")}


class Worker:
    """One zygote process and its control socket (one request at a time)."""

    def __init__(self, limits: Limits, *, probe: bool = True) -> None:
        self.limits = limits
        self.lock = threading.Lock()
        # a zygote started ahead (mastery_nb.grade.launch), else a fresh one
        limits_json = json.dumps(limits.to_json())
        self.process, self.control = adopt(limits_json) or start_zygote(limits_json)
        try:
            ready = self._receive(_START_TIMEOUT)
        except GradingUnavailable as error:
            self.close()
            raise WorkerUnavailable(error.cause, error.fix) from error
        self.uid: int | None = ready.get("uid")
        self.preload_failed: dict[str, str] = dict(ready.get("preload_failed") or {})
        if probe:
            try:
                self.probe()
            except GradingUnavailable as error:
                self.close()
                if isinstance(error, WorkerUnavailable):
                    raise
                raise WorkerUnavailable(
                    f"the grading worker failed its self-test: {error.cause}", error.fix
                ) from error
            except BaseException:
                self.close()
                raise

    def _receive(self, timeout: float) -> dict[str, Any]:
        self.control.settimeout(timeout)
        try:
            data = self.control.recv(1 << 16)
        except (TimeoutError, OSError) as exc:
            raise GradingUnavailable(
                f"the grading worker did not answer ({exc})",
                "see the grader's log (stderr) for the worker's error",
            ) from exc
        if not data:
            raise GradingUnavailable(
                "the grading worker exited",
                f"run `{sys.executable} -c 'import mastery_nb.grade.zygote, IPython'` to see "
                "why the grader's Python environment cannot start it",
            )
        reply: dict[str, Any] = json.loads(data)
        if "error" in reply:
            raise GradingUnavailable(f"the grading worker refused: {reply['error']}")
        return reply

    def alive(self) -> bool:
        return self.process.poll() is None

    def spawn(self, spec: dict[str, Any]) -> tuple[int, socket.socket]:
        """A fresh sandboxed child for one notebook; returns its pid and our end of its socket."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            ours.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
            request = json.dumps({"op": "fork", "spec": spec}).encode()
            with self.lock:
                try:
                    socket.send_fds(self.control, [request], [theirs.fileno()])
                except OSError as exc:
                    raise GradingUnavailable(f"the grading worker is gone ({exc})") from exc
                reply = self._receive(30.0)
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        return int(reply["pid"]), ours

    def reap(self, pid: int, workdir: Path, *, quick: bool = False) -> tuple[int, int]:
        """Kill the child and everything it started; returns (wait status, leftovers).
        The worker deletes the workdir right after answering.

        ``quick``: the caller does not need the wait status (the notebook ran to its end or
        was stopped by the grader): when the child left no other process, the worker
        answers once it is killed, not after its exit (-1), and reaps it before it takes
        the next request."""
        with self.lock:
            request = {"op": "reap", "pid": pid, "workdir": str(workdir), "quick": quick}
            try:
                self.control.send(json.dumps(request).encode())
            except OSError as exc:
                shutil.rmtree(workdir, ignore_errors=True)
                raise GradingUnavailable(f"the grading worker is gone ({exc})") from exc
            reply = self._receive(60.0)
        return int(reply["status"]), int(reply.get("leftovers", 0))

    def check_required(self, limits: Limits) -> None:
        """A module the course requires failed to import in the worker: the grader's fault."""
        for name in limits.require:
            if name in self.preload_failed:
                raise GradingUnavailable(
                    f"the module {name} (listed in [grading] preload) cannot be imported by "
                    f"the grader: {self.preload_failed[name]}",
                    "install it in the grader's Python environment, or remove it from "
                    "[grading] preload in course.toml and release the course again",
                    worker_ok=True,
                )

    def probe(self) -> None:
        """Grade the known-good and known-bad probes; refuse to start unless they score
        full marks and zero."""
        from mastery_nb.grade.attempt import grade_with

        files = Path(tempfile.mkdtemp(prefix="mastery-nb-probe-")) / "files"
        files.mkdir()
        try:
            limits = replace(self.limits, require=())  # this worker's sandbox, as graded
            bundle = _probe_bundle()
            good = grade_with(self, bundle, probe_notebooks(_GOOD), files, limits, None)
            bad = grade_with(self, bundle, probe_notebooks(_BAD), files, limits, None)
        finally:
            shutil.rmtree(files.parent, ignore_errors=True)
        total = sum(c.max_points for c in good.cells)
        earned_good = sum(c.points for c in good.cells)
        earned_bad = sum(c.points for c in bad.cells)
        if earned_good == total and earned_bad == 0:
            return
        wrong = good if earned_good != total else bad
        first = next((c for c in wrong.cells if c.status not in ("passed",)), None)
        detail = f"{first.grade_id}: {first.message}" if first else ", ".join(wrong.messages)
        if earned_good != total:
            what = f"a correct probe answer scored {earned_good:g}/{total:g}"
        else:
            what = f"a wrong probe answer scored {earned_bad:g}/{total:g}"
        cause = f"the grading worker failed its self-test: {what} ({detail})"
        raise WorkerUnavailable(
            cause,
            "check that the grader runs with the Python environment of the course (IPython "
            "and mastery-nb installed, `python -c 'import IPython, mastery_nb.checks'` works) "
            "and see docs/security.md, Troubleshooting",
        )

    def hang_up(self) -> None:
        """Tell the zygote to stop (end of stream): it kills its children and exits."""
        with contextlib.suppress(OSError):
            self.control.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.hang_up()
        with contextlib.suppress(OSError):
            self.control.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

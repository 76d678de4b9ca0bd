"""Grading one attempt: ``grade_attempt(bundle, notebooks, files_dir, limits) -> AttemptResult``.

A pure function of (bundle, submitted notebooks): the result depends on nothing else, so it
can run in the local pool (:class:`GradingPool`) or on a distributed engine. For each
notebook of the unit it restores the submission against the bundle
(:mod:`mastery_nb.grade.restore`), runs the cells in a fresh sandboxed child forked from a
pre-warmed zygote (:mod:`mastery_nb.grade.zygote`), scores the test cells with nbgrader's
rules (:mod:`mastery_nb.grade.scoring`) and totals each objective against its threshold.

Nothing a submission does makes this raise: unreadable notebooks, tampering, loops,
memory exhaustion and exits all become an honest :class:`AttemptResult`. It raises
:class:`GradingUnavailable` only when the grader itself cannot work (the zygote cannot
start, a mandatory isolation step fails): the attempt should stay queued.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

from mastery_nb.course.bundle import UnitBundle
from mastery_nb.course.model import DEFAULT_THRESHOLD
from mastery_nb.grade.limits import Limits
from mastery_nb.grade.protocol import ChannelClosed, ChannelTimeout, recv_message, send_message
from mastery_nb.grade.restore import NotebookPlan, plan_notebook
from mastery_nb.grade.result import AttemptResult, CellResult, LearnerError
from mastery_nb.grade.scoring import (
    CellOutcome,
    aggregate_objectives,
    manual_cell,
    score_test_cell,
)

__all__ = ["GradingPool", "GradingUnavailable", "grade_attempt"]

_START_TIMEOUT = 180.0
_ANSWERS_MESSAGE = "quiz answers could not be prepared"


class GradingUnavailable(RuntimeError):
    """The grader cannot grade right now (not the submission's fault): retry later."""


# -- the zygote, seen from the grader ---------------------------------------------------


def _zygote_env() -> dict[str, str]:
    """A minimal environment: nothing of the grader's (database URLs, tokens) leaks."""
    package_parent = str(Path(__file__).resolve().parents[2])
    env = {
        "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/"),
        "LANG": "C.UTF-8",
        "PYTHONPATH": package_parent,
        "MASTERY_NB_GRADING": "1",
        "MPLBACKEND": "Agg",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "MASTERY_NB_WORK_TMP": tempfile.gettempdir(),  # where attempt workdirs are made
    }
    for key in ("PYENV_VERSION", "VIRTUAL_ENV", "MPLCONFIGDIR", "IPYTHONDIR"):
        if key in os.environ:
            env[key] = os.environ[key]
    return env


class _Zygote:
    """One zygote process and its control socket (one request at a time)."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.lock = threading.Lock()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.control = ours
        try:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "mastery_nb.grade.zygote",
                    str(theirs.fileno()),
                    json.dumps(limits.to_json()),
                ],
                pass_fds=[theirs.fileno()],
                env=_zygote_env(),
                cwd="/",
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
            )
        finally:
            theirs.close()
        try:
            ready = self._receive(_START_TIMEOUT)
        except GradingUnavailable:
            self.close()
            raise
        self.uid: int | None = ready.get("uid")

    def _receive(self, timeout: float) -> dict[str, Any]:
        self.control.settimeout(timeout)
        try:
            data = self.control.recv(1 << 16)
        except (TimeoutError, OSError) as exc:
            raise GradingUnavailable(f"the grading zygote did not answer: {exc}") from exc
        if not data:
            raise GradingUnavailable("the grading zygote exited")
        reply: dict[str, Any] = json.loads(data)
        if "error" in reply:
            raise GradingUnavailable(f"the grading zygote refused: {reply['error']}")
        return reply

    def alive(self) -> bool:
        return self.process.poll() is None

    def spawn(self, spec: dict[str, Any], max_output: int) -> tuple[int, socket.socket]:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            request = json.dumps({"op": "fork", "spec": spec, "max_output": max_output}).encode()
            with self.lock:
                try:
                    socket.send_fds(self.control, [request], [theirs.fileno()])
                except OSError as exc:
                    raise GradingUnavailable(f"the grading zygote is gone: {exc}") from exc
                reply = self._receive(30.0)
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        return int(reply["pid"]), ours

    def reap(self, pid: int, workdir: Path, *, wait: bool) -> tuple[int, int]:
        """Kill the child and everything it started, delete its workdir.

        ``wait``: return the wait status and the number of leftover processes killed;
        otherwise the zygote answers at once and cleans up before its next fork.
        """
        with self.lock:
            request = {"op": "reap", "pid": pid, "workdir": str(workdir), "wait": wait}
            try:
                self.control.send(json.dumps(request).encode())
            except OSError as exc:
                raise GradingUnavailable(f"the grading zygote is gone: {exc}") from exc
            reply = self._receive(60.0)
        if reply.get("deferred"):
            return 0, 0
        return int(reply["status"]), int(reply.get("leftovers", 0))

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.control.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# -- running one notebook ---------------------------------------------------------------


def _default_hidden(files_dir: Path) -> list[str]:
    bundle_dir = files_dir.resolve().parent
    hidden = [str(bundle_dir)]
    if bundle_dir.parent.name == "autograder":
        hidden.append(str(bundle_dir.parent))
        root = bundle_dir.parent.parent
        hidden += [str(root / "courses"), str(root / ".mastery-data")]
    data_dir = os.environ.get("MASTERY_NB_DATA_DIR")
    if data_dir:
        hidden.append(data_dir)
    hidden += ["/root", "/home", "/run/postgresql", "/var/run/postgresql", "/var/lib/postgresql"]
    return hidden


def _prepare_workdir(
    files_dir: Path, plan: NotebookPlan, uid: int | None
) -> tuple[Path, list[str]]:
    """A fresh folder mirroring the course folder: support files, course.json, quiz answers."""
    notes: list[str] = []
    workdir = Path(tempfile.mkdtemp(prefix="mastery-nb-attempt-"))
    if files_dir.is_dir():
        shutil.copytree(files_dir, workdir, dirs_exist_ok=True, symlinks=False)
    manifest = files_dir.parent / "course.json"
    if manifest.is_file():
        shutil.copyfile(manifest, workdir / "course.json")
    folder = workdir / Path(plan.path).parent
    folder.mkdir(parents=True, exist_ok=True)
    if plan.notebook is not None:
        try:
            from mastery_nb.checks.answers import extract_answers, write_answers

            answers = extract_answers(plan.notebook)
            if answers:
                write_answers(folder, answers)
        except ImportError:
            notes.append(f"{_ANSWERS_MESSAGE}: mastery_nb.checks.answers is not available")
        except Exception as exc:
            notes.append(f"{_ANSWERS_MESSAGE}: {type(exc).__name__}")
    if uid is not None:
        for path in [workdir, *workdir.rglob("*")]:
            os.lchown(path, uid, uid)
    return workdir, notes


def _describe_status(status: int) -> str:
    if status < 0:
        return "the notebook's process ended"
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig == signal.SIGKILL:
            return "the notebook's process was killed (memory or process limit, or it was stopped)"
        if sig == signal.SIGXCPU:
            return "the notebook's process used up its CPU time"
        return f"the notebook's process was killed by signal {signal.Signals(sig).name}"
    return f"the notebook's process exited with code {os.WEXITSTATUS(status)} before the notebook finished (sys.exit or os._exit in a cell?)"


class _Execution:
    """Run one plan in one fresh child; collect test outcomes and notebook messages."""

    def __init__(
        self, zygote: _Zygote, plan: NotebookPlan, files_dir: Path, limits: Limits
    ) -> None:
        self.zygote = zygote
        self.plan = plan
        self.files_dir = files_dir
        self.limits = limits
        self.outcomes: dict[str, CellOutcome] = {}
        self.messages: list[str] = []
        self.notes: list[str] = []
        self.cell_errors: list[str] = []
        self.learner_errors: list[LearnerError] = []
        self.lines: dict[str, int] = {}  #: test grade id -> the line of the test that raised
        self.exec_seconds = 0.0  #: time the cells themselves took, measured in the child
        self.leftovers = 0  #: processes the child reported still running at the end

    def run(self) -> None:
        workdir, notes = _prepare_workdir(self.files_dir, self.plan, self.zygote.uid)
        self.messages += notes
        limits = self.limits
        spec = {
            "workdir": str(workdir),
            "cwd": str(Path(self.plan.path).parent),
            "hide_paths": [*_default_hidden(self.files_dir), *limits.hide_paths],
            "memory_bytes": limits.memory_bytes,
            "max_processes": limits.max_processes,
            "max_file_bytes": limits.max_file_bytes,
            "cpu_seconds": int(limits.notebook_timeout) + 30,
        }
        try:
            pid, sock = self.zygote.spawn(spec, limits.max_output_bytes)
        except BaseException:
            shutil.rmtree(workdir, ignore_errors=True)
            raise
        ended = ""
        try:
            try:
                first = recv_message(sock, time.monotonic() + 30)
                if first.get("type") == "sandbox-failed":
                    raise GradingUnavailable(f"sandbox: {first.get('message')}")
                self.notes = [str(n) for n in first.get("notes", [])]
                recv_message(sock, time.monotonic() + 30)  # hello
            except (ChannelClosed, ChannelTimeout) as exc:
                raise GradingUnavailable(f"the sandboxed child did not start: {exc}") from exc
            ended = self._steps(pid, sock)
        finally:
            sock.close()
            try:
                status, leftovers = self.zygote.reap(pid, workdir, wait=ended != "done")
            finally:
                if ended != "done":
                    shutil.rmtree(workdir, ignore_errors=True)
        leftovers = max(leftovers, self.leftovers)
        if ended == "died":
            self.messages.append(_describe_status(status))
        if leftovers:
            self.messages.append(
                f"{leftovers} process(es) the notebook started were still running and were killed"
            )

    def _steps(self, pid: int, sock: socket.socket) -> str:
        """Send the steps and read one result per step, in order.

        Code cells (the learner's own or public locked cells) are sent ahead, so the child
        goes straight from one to the next; a test cell is sent only once every cell before
        it has reported, so no learner code runs while its source is on the way.
        """
        limits = self.limits
        notebook_deadline = time.monotonic() + limits.notebook_timeout
        steps = self.plan.steps
        nonces = [secrets.token_hex(16) if s.kind == "test" else "" for s in steps]
        sent = 0

        def send_ready(answered: int) -> None:
            nonlocal sent
            while sent < len(steps) and (steps[sent].kind == "code" or sent == answered):
                step = steps[sent]
                message: dict[str, Any] = {"type": step.kind, "source": step.source, "index": sent}
                if step.kind == "test":
                    message["nonce"] = nonces[sent]
                send_message(sock, message)
                sent += 1

        last_reply = time.monotonic()
        for index, step in enumerate(steps):
            try:
                send_ready(index)
            except OSError:
                self._not_run(index, "not run: the notebook's process had already ended")
                return "died"
            deadline = min(last_reply + limits.cell_timeout, notebook_deadline)
            timed_out = False
            try:
                reply: dict[str, Any] | None = recv_message(sock, deadline)
            except ChannelTimeout:
                timed_out = True
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(pid, signal.SIGINT)
                try:
                    reply = recv_message(sock, time.monotonic() + limits.interrupt_grace)
                except (ChannelTimeout, ChannelClosed):
                    reply = None
            except ChannelClosed:
                self._record(step, None, died=True, index=index)
                self._not_run(index + 1, f"not run: {step.label} ended the notebook's process")
                return "died"
            last_reply = time.monotonic()
            if reply is not None and (reply.get("type") != "result" or reply.get("index") != index):
                self.messages.append(
                    "the notebook's process broke the grading protocol; grading of this notebook stopped"
                )
                self._not_run(index, "not run: the notebook's process broke the grading protocol")
                return "killed"
            if timed_out:
                whole = last_reply >= notebook_deadline
                what = (
                    f"the notebook time limit ({limits.notebook_timeout:g} s) was reached in {step.label}"
                    if whole
                    else f"{step.label} took longer than {limits.cell_timeout:g} s and was stopped"
                )
                self._record(step, {"status": "timeout", "message": what}, index=index)
                if reply is None or whole:
                    self.messages.append(what)
                    self._not_run(index + 1, f"not run: {what}")
                    return "killed"
                continue
            assert reply is not None
            if (
                step.kind == "test"
                and reply.get("status") == "ok"
                and reply.get("evidence") != nonces[index]
            ):
                reply = {
                    **reply,
                    "status": "error",
                    "message": reply.get("message") or "no evidence that the cell ran to its end",
                }
            self._record(step, reply, index=index)
        try:
            send_message(sock, {"type": "done"})
            bye = recv_message(sock, time.monotonic() + 5)
        except (OSError, ChannelClosed, ChannelTimeout):
            return "unclean"
        if bye.get("type") != "bye":
            return "unclean"
        left = bye.get("leftovers")
        self.leftovers = left if isinstance(left, int) and not isinstance(left, bool) else 0
        return "done"

    def _record(
        self, step: Any, reply: dict[str, Any] | None, died: bool = False, index: int = -1
    ) -> None:
        if reply is not None and isinstance(reply.get("seconds"), int | float):
            self.exec_seconds += max(0.0, float(reply["seconds"]))
        if reply is None:
            reply = {
                "status": "error",
                "message": f"the notebook's process ended while running {step.label}",
            }
        status = reply.get("status")
        text = str(reply.get("message") or "")[:2000]
        line = reply.get("line")
        line = line if type(line) is int and line > 0 else None
        if step.kind != "test":
            if status in ("error", "timeout") and len(self.cell_errors) < 20:
                self.cell_errors.append(f"{step.label}: {text}")
                self.learner_errors.append(
                    LearnerError(
                        notebook=self.plan.path,
                        cell=step.grade_id,
                        where=step.label,
                        message=text,
                        line=line,
                        before=self._next_test(index),
                    )
                )
            return
        gid = step.grade_id
        if line is not None and gid:
            self.lines[gid] = line
        if status == "timeout":
            self.outcomes[gid] = CellOutcome(ran=False, error=text, timeout=True)
        elif status == "ok":
            shown = reply.get("value_text")
            self.outcomes[gid] = CellOutcome(
                ran=True,
                stderr=str(reply.get("stderr") or ""),
                value_text=shown if isinstance(shown, str) else None,
            )
        else:
            self.outcomes[gid] = CellOutcome(ran=False, error=text or "the cell failed")

    def _next_test(self, index: int) -> str | None:
        """The grade id of the first test cell after step ``index``."""
        if index < 0:
            return None
        return next((s.grade_id for s in self.plan.steps[index + 1 :] if s.kind == "test"), None)

    def _not_run(self, start: int, reason: str) -> None:
        for step in self.plan.steps[start:]:
            if step.kind == "test" and step.grade_id and step.grade_id not in self.outcomes:
                self.outcomes[step.grade_id] = CellOutcome(ran=False, not_run_reason=reason)


# -- the pool ---------------------------------------------------------------------------


def _resolve_thresholds(
    bundle: UnitBundle, thresholds: Mapping[str, float] | None
) -> dict[str, float]:
    if thresholds is not None:
        return {str(k): float(v) for k, v in thresholds.items()}
    from_bundle = getattr(bundle, "thresholds", None)
    if isinstance(from_bundle, Mapping) and from_bundle:
        return {str(k): float(v) for k, v in from_bundle.items()}
    seen: dict[str, float] = {}
    for notebook in bundle.notebooks:
        for cell in notebook.cells:
            for objective in cell.objectives:
                seen.setdefault(objective, DEFAULT_THRESHOLD)
    return seen


class GradingPool:
    """``workers`` pre-warmed zygotes; grade attempts concurrently, one child per notebook.

    Thread-safe. Use as a context manager or call :meth:`close`. A zygote that died is
    replaced on the next attempt.
    """

    def __init__(self, workers: int = 2, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self.workers = max(1, workers)
        self._idle: queue.Queue[_Zygote] = queue.Queue()
        self._all: list[_Zygote] = []
        self._closed = False
        self._executor = ThreadPoolExecutor(
            max_workers=self.workers, thread_name_prefix="mastery-grade"
        )
        starters = [self._executor.submit(_Zygote, self.limits) for _ in range(self.workers)]
        try:
            for starter in starters:
                zygote = starter.result()
                self._all.append(zygote)
                self._idle.put(zygote)
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> GradingPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._executor.shutdown(wait=True)
        for zygote in self._all:
            zygote.close()

    def grade(
        self,
        bundle: UnitBundle,
        notebooks: Mapping[str, bytes],
        files_dir: Path,
        *,
        thresholds: Mapping[str, float] | None = None,
        limits: Limits | None = None,
    ) -> AttemptResult:
        """Grade one attempt in this pool (blocks; callable from many threads)."""
        if self._closed:
            raise GradingUnavailable("the grading pool is closed")
        zygote = self._idle.get()
        try:
            if not zygote.alive():
                self._all.remove(zygote)
                zygote.close()
                zygote = _Zygote(self.limits)
                self._all.append(zygote)
            return _grade(
                zygote, bundle, notebooks, Path(files_dir), limits or self.limits, thresholds
            )
        finally:
            self._idle.put(zygote)

    def submit(
        self,
        bundle: UnitBundle,
        notebooks: Mapping[str, bytes],
        files_dir: Path,
        *,
        thresholds: Mapping[str, float] | None = None,
        limits: Limits | None = None,
    ) -> Future[AttemptResult]:
        """:meth:`grade` in the pool's threads; returns a future."""
        return self._executor.submit(
            self.grade, bundle, notebooks, files_dir, thresholds=thresholds, limits=limits
        )

    def map(
        self,
        jobs: Iterable[tuple[UnitBundle, Mapping[str, bytes], Path, Mapping[str, float] | None]],
    ) -> list[AttemptResult]:
        """Grade many attempts concurrently; results in the order of ``jobs``."""
        futures = [self.submit(b, n, f, thresholds=t) for b, n, f, t in jobs]
        return [f.result() for f in futures]


def _grade(
    zygote: _Zygote,
    bundle: UnitBundle,
    notebooks: Mapping[str, bytes],
    files_dir: Path,
    limits: Limits,
    thresholds: Mapping[str, float] | None,
) -> AttemptResult:
    started = time.monotonic()
    objectives_by_id = _resolve_thresholds(bundle, thresholds)
    cells: list[CellResult] = []
    tampering: list[str] = []
    messages: list[str] = []
    sandbox: dict[str, list[str]] = {}
    cell_errors: dict[str, list[str]] = {}
    learner_errors: list[LearnerError] = []
    exec_seconds = 0.0
    for path in sorted(set(notebooks) - {nb.path for nb in bundle.notebooks}):
        messages.append(f"{path}: not a notebook of unit '{bundle.unit}'; ignored")
    for nb in bundle.notebooks:
        plan = plan_notebook(nb, notebooks.get(nb.path))
        tampering += plan.tampering
        messages += plan.messages
        outcomes: dict[str, CellOutcome] = {}
        lines: dict[str, int] = {}
        if plan.problem:
            messages.append(plan.problem)
            outcomes = {
                c.grade_id: CellOutcome(ran=False, not_run_reason=f"not run: {plan.problem}")
                for c in nb.cells
                if c.is_test
            }
        elif any(step.kind == "test" for step in plan.steps) or plan.steps:
            execution = _Execution(zygote, plan, files_dir, limits)
            execution.run()
            outcomes = execution.outcomes
            messages += execution.messages
            sandbox[nb.path] = execution.notes
            exec_seconds += execution.exec_seconds
            if execution.cell_errors:
                cell_errors[nb.path] = execution.cell_errors
            learner_errors += execution.learner_errors
            lines = execution.lines
        for cell in nb.cells:
            objectives = cell.objectives  # effective: the bundle builder applied the rules
            if cell.is_test:
                result = score_test_cell(nb.path, cell, objectives, outcomes.get(cell.grade_id))
                if result.status in ("failed", "error"):
                    result = replace(result, part=cell.part_at(lines.get(cell.grade_id)))
                cells.append(result)
            elif cell.grade or cell.task:
                cells.append(
                    manual_cell(nb.path, cell, objectives, cell.grade_id in plan.unanswered)
                )
    return AttemptResult(
        cells=tuple(cells),
        objectives=aggregate_objectives(cells, objectives_by_id),
        tampering=tuple(tampering),
        messages=tuple(messages),
        duration_seconds=round(time.monotonic() - started, 4),
        extra={
            "sandbox": sandbox,
            "cell_errors": cell_errors,
            "exec_seconds": round(exec_seconds, 6),
        },
        learner_errors=tuple(learner_errors),
    )


def grade_attempt(
    bundle: UnitBundle,
    notebooks: Mapping[str, bytes],
    files_dir: Path,
    limits: Limits | None = None,
    *,
    thresholds: Mapping[str, float] | None = None,
    pool: GradingPool | None = None,
) -> AttemptResult:
    """Grade one attempt of ``bundle``'s unit; see the module docstring.

    ``notebooks``: submitted notebook bytes by path relative to the course folder.
    ``files_dir``: ``autograder/<course>/files`` (public support files for the workdir).
    ``thresholds``: objective id -> mastery threshold (default: the bundle's, else 0.8).
    ``pool``: a :class:`GradingPool` to run in; without one a one-off zygote is started
    (slower: prefer a pool when grading more than one attempt).
    """
    limits = limits or Limits()
    if pool is not None:
        return pool.grade(bundle, notebooks, files_dir, thresholds=thresholds, limits=limits)
    with GradingPool(workers=1, limits=limits) as one_off:
        return one_off.grade(bundle, notebooks, files_dir, thresholds=thresholds)

"""Running one notebook's plan in one fresh sandboxed child, seen from the grader.

The grader sends the key, then the cells, and reads one authenticated result per cell
(:mod:`mastery_nb.grade.protocol`). It never blocks on the child: the socket is
non-blocking, cells of the learner and of the bundle are sent ahead as far as the socket
takes them while results are read, and a test cell is sent only once every cell before
it has reported (so no learner code runs while its source is on the way). Every wait has
a deadline: a cell's time limit, the notebook's, or the start-up limit. A child that
stops reading, floods the socket or writes from a forked process cannot wedge the grader.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import select
import shutil
import signal
import socket
import struct
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from mastery_nb.grade.cells import python_source, split_test
from mastery_nb.grade.limits import Limits
from mastery_nb.grade.messages import HiddenMaterial, bound_message
from mastery_nb.grade.protocol import (
    KIND,
    VALUE_SHOWN,
    ChannelClosed,
    ChannelForged,
    ChannelTimeout,
    Frame,
    FrameReader,
    Result,
    enable_credentials,
    frame,
    parse_notes,
    parse_result,
)
from mastery_nb.grade.restore import NotebookPlan, Step
from mastery_nb.grade.result import LearnerError
from mastery_nb.grade.scoring import CellOutcome

if TYPE_CHECKING:
    from mastery_nb.grade.worker import Worker

__all__ = ["GradingUnavailable", "NotebookRun", "prepare_workdir"]

_START_SECONDS = 60.0
_ANSWERS_MESSAGE = "quiz answers could not be prepared"
_SEND_AHEAD = 1 << 20  #: bytes of cells queued ahead of the child
_MISSING_MODULE = re.compile(r"^ModuleNotFoundError: No module named '([\w.]+)'")


class GradingUnavailable(RuntimeError):
    """The grader or its environment cannot grade (never the submission's doing).

    ``cause`` says what went wrong, ``fix`` what the instructor can do; the queue retries
    the attempt a bounded number of times, then records it as ``grader-error``.
    """

    def __init__(self, cause: str, fix: str = "", *, worker_ok: bool = False) -> None:
        super().__init__(f"{cause}. Fix: {fix}" if fix else cause)
        self.cause = cause
        self.fix = fix
        self.worker_ok = worker_ok  #: the worker itself is sound (keep it for the next attempt)


def prepare_workdir(files_dir: Path, plan: NotebookPlan, uid: int | None) -> tuple[Path, list[str]]:
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
    form = plan.bundle.form
    if form is not None:  # the regenerated form, where the checks look for the learner's
        from mastery_nb.forms.values import form_file_bytes, form_file_path

        target = workdir / form_file_path(form.unit)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(form_file_bytes(form.course, form.unit, form.number, form.values))
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
    return (
        f"the notebook's process exited with code {os.WEXITSTATUS(status)} before the "
        "notebook finished (sys.exit or os._exit in a cell?)"
    )


def _step_frame(index: int, step: Step) -> bytes:
    """The frame that carries one step (sources prepared here, never in the child)."""
    head = struct.pack("!I", index)
    if step.kind == "test":
        body, expression = split_test(step.source)
        data = body.encode("utf-8", "surrogatepass")
        payload = (
            head + struct.pack("!I", len(data)) + data + expression.encode("utf-8", "surrogatepass")
        )
        return frame(KIND["TEST"], payload)
    if step.kind == "trusted":
        return frame(
            KIND["TRUSTED"], head + python_source(step.source).encode("utf-8", "surrogatepass")
        )
    return frame(KIND["CELL"], head + step.source.encode("utf-8", "surrogatepass"))


class NotebookRun:
    """One plan in one child: collects test outcomes and notebook messages."""

    def __init__(
        self,
        worker: Worker,
        plan: NotebookPlan,
        files_dir: Path,
        limits: Limits,
        hidden: HiddenMaterial,
    ) -> None:
        self.worker = worker
        self.plan = plan
        self.files_dir = files_dir
        self.limits = limits
        self.hidden = hidden
        self.outcomes: dict[str, CellOutcome] = {}
        self.messages: list[str] = []
        self.notes: list[str] = []
        self.cell_errors: list[str] = []
        self.step_errors: list[str] = []  #: every failed step's message (fault detection)
        self.learner_errors: list[LearnerError] = []  #: the learner's own cells that raised
        self.lines: dict[str, int] = {}  #: test grade id -> the line of the test that raised
        self.steps_run = 0
        self.exec_seconds = 0.0

    def run(self) -> None:
        workdir, notes = prepare_workdir(self.files_dir, self.plan, self.worker.uid)
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
            pid, sock = self.worker.spawn(spec)
        except BaseException:
            shutil.rmtree(workdir, ignore_errors=True)
            raise
        ended = ""
        try:
            enable_credentials(sock)
            reader = FrameReader(sock, pid)
            self._start(sock, reader)
            ended = self._steps(pid, sock, reader)
        finally:
            sock.close()
            # the wait status only says how a notebook that died ended
            status, leftovers = self.worker.reap(pid, workdir, quick=ended in ("done", "killed"))
        if ended == "died":
            self.messages.append(_describe_status(status))
        if leftovers:
            self.messages.append(
                f"{leftovers} process(es) the notebook started were still running and were killed"
            )
        self._check_environment()

    def _start(self, sock: socket.socket, reader: FrameReader) -> None:
        """Sandbox notes, the key, and the child's self-check: all before learner code."""
        deadline = time.monotonic() + _START_SECONDS
        try:
            first = reader.read(deadline)
            if first.kind == KIND["SANDBOX_FAILED"]:
                raise GradingUnavailable(
                    f"the sandbox could not be set up: {first.payload.decode('utf-8', 'replace')}",
                    "see docs/security.md (what depends on the machine)",
                )
            if first.kind != KIND["NOTES"]:
                raise ChannelClosed("no sandbox notes")
            self.notes = parse_notes(first.payload)
            key = secrets.token_bytes(32)
            settings = b"\0".join(
                [str(self.limits.max_output_bytes).encode(), ",".join(self.limits.require).encode()]
            )
            sock.sendall(frame(KIND["KEY"], key + settings))
            reader.key = key
            ready = reader.read(deadline)
        except (ChannelClosed, ChannelTimeout) as exc:
            raise GradingUnavailable(
                f"the sandboxed process did not start ({exc or type(exc).__name__})",
                "see the grader's log; docs/security.md lists what the sandbox needs",
            ) from exc
        if ready.kind == KIND["FAULT"]:
            cause = ready.payload[4:].decode("utf-8", "replace")
            raise GradingUnavailable(cause, _fix_for(cause), worker_ok="preload" in cause)
        if ready.kind != KIND["READY"]:
            raise GradingUnavailable("the sandboxed process did not report ready")

    def _steps(self, pid: int, sock: socket.socket, reader: FrameReader) -> str:
        limits = self.limits
        steps = self.plan.steps
        sock.setblocking(False)
        pending = bytearray()
        queued = 0
        notebook_deadline = time.monotonic() + limits.notebook_timeout
        last_reply = time.monotonic()

        def queue(answered: int) -> None:
            nonlocal queued
            while queued < len(steps) and len(pending) < _SEND_AHEAD:
                if steps[queued].kind == "test" and queued != answered:
                    break
                pending.extend(_step_frame(queued, steps[queued]))
                queued += 1

        def wait(deadline: float) -> Frame | None:
            """Send what the socket takes, read until a frame or the deadline."""
            while True:
                found = reader.next()
                if found is not None:
                    return found
                now = time.monotonic()
                if now >= deadline:
                    return None
                writers = [sock] if pending else []
                readable, writable, _ = select.select([sock], writers, [], deadline - now)
                if writable and pending:
                    try:
                        sent = sock.send(pending)
                    except (BlockingIOError, InterruptedError):
                        sent = 0
                    except OSError as exc:  # the child is gone: read what it said first
                        pending.clear()
                        if not readable:
                            raise ChannelClosed(str(exc)) from exc
                        sent = 0
                    del pending[:sent]
                if readable:
                    reader.feed()

        cell_limit = limits.cell_timeout
        for index, step in enumerate(steps):
            queue(index)
            deadline = min(last_reply + cell_limit, notebook_deadline)
            timed_out = False
            try:
                got = wait(deadline)
            except ChannelForged:
                return self._broken(index)
            except ChannelClosed:
                self._record(step, None, index=index)
                self._not_run(index + 1, f"not run: {step.label} ended the notebook's process")
                return "died"
            if got is None:
                timed_out = True
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(pid, signal.SIGINT)
                try:
                    got = wait(time.monotonic() + limits.interrupt_grace)
                except ChannelForged:
                    return self._broken(index)
                except ChannelClosed:
                    got = None
            last_reply = time.monotonic()
            reply = self._result(got, index) if got is not None else None
            if got is not None and reply is None:
                return self._broken(index)
            if timed_out:
                whole = last_reply >= notebook_deadline
                if whole:
                    what = f"the notebook time limit ({limits.notebook_timeout:g} s) was reached in {step.label}"
                elif cell_limit < limits.cell_timeout:
                    what = (
                        f"{step.label} was stopped after {cell_limit:g} s: an earlier cell of "
                        "this notebook had already run out of time (it may call the same code)"
                    )
                else:
                    what = (
                        f"{step.label} took longer than {limits.cell_timeout:g} s and was stopped"
                    )
                # one looping answer costs one timeout: every test calling it would loop again
                cell_limit = min(limits.cell_timeout, limits.after_timeout)
                self._record(step, reply, timeout=what, index=index)
                if reply is None or whole:
                    self.messages.append(what)
                    self._not_run(index + 1, f"not run: {what}")
                    return "killed"
                continue
            self._record(step, reply, index=index)
        try:
            pending.extend(frame(KIND["DONE"], b""))
            bye = wait(time.monotonic() + 5)
        except ChannelClosed:
            return "unclean"
        return "done" if bye is not None and bye.kind == KIND["BYE"] else "unclean"

    def _result(self, got: Frame, index: int) -> Result | None:
        if got.kind != KIND["RESULT"]:
            return None
        try:
            reply = parse_result(got.payload)
        except ChannelClosed:
            return None
        return reply if reply.index == index else None

    def _broken(self, index: int) -> str:
        self.messages.append(
            "the notebook's process broke the grading protocol; grading of this notebook stopped"
        )
        self._not_run(index, "not run: the notebook's process broke the grading protocol")
        return "killed"

    def _record(self, step: Step, reply: Result | None, timeout: str = "", index: int = -1) -> None:
        self.steps_run += 1
        if reply is not None:
            self.exec_seconds += reply.seconds
        if reply is None and not timeout:
            message = f"the notebook's process ended while running {step.label}"
            if step.kind == "test" and step.grade_id:
                self.outcomes[step.grade_id] = CellOutcome(ran=False, error=message)
            return
        text = bound_message(reply.message, self.hidden) if reply is not None else ""
        if reply is not None and not reply.ok:
            self.step_errors.append(reply.message)
        line = reply.line if reply is not None else None
        if step.kind != "test":
            if (timeout or (reply is not None and not reply.ok)) and len(self.cell_errors) < 20:
                self.cell_errors.append(f"{step.label}: {timeout or text}")
                if step.kind == "code":  # the learner's own cells (not the bundle's)
                    self.learner_errors.append(
                        LearnerError(
                            notebook=self.plan.path,
                            cell=step.grade_id,
                            where=step.label,
                            message=timeout or text,
                            line=line,
                            before=self._next_test(index),
                        )
                    )
            return
        gid = step.grade_id or ""
        if line is not None and gid:
            self.lines[gid] = line
        if timeout:
            self.outcomes[gid] = CellOutcome(ran=False, error=timeout, timeout=True)
        elif reply is not None and reply.ok:
            stderr = bound_message(reply.stderr, self.hidden)
            shown = reply.value_text if reply.value_flag == VALUE_SHOWN else None
            self.outcomes[gid] = CellOutcome(ran=True, stderr=stderr, value_text=shown)
        elif reply is not None:
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

    def _check_environment(self) -> None:
        """Every step failing on a module the grader's environment has is not the learner's
        doing: the sandbox does not show that environment whole."""
        if not self.steps_run or len(self.step_errors) < self.steps_run:
            return
        missing = {m.group(1) for e in self.step_errors if (m := _MISSING_MODULE.match(e))}
        if len(missing) != 1 or len(
            [e for e in self.step_errors if _MISSING_MODULE.match(e)]
        ) < len(self.step_errors):
            return
        (module,) = missing
        import importlib.util

        try:  # the whole name: a learner's typo (numpy.fo) is theirs, not the sandbox's
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):
            found = False
        if found:
            cause = (
                f"every cell failed with `No module named '{module}'`, which the grader's "
                "Python environment has: the sandbox does not show it"
            )
            raise GradingUnavailable(cause, _fix_for(cause))


def _fix_for(cause: str) -> str:
    if "preload" in cause:
        return (
            "install that module in the grader's Python environment, or remove it from "
            "[grading] preload in course.toml and release the course again"
        )
    if "No module named" in cause or "cannot run a cell" in cause:
        return (
            "check that the grader's Python environment works (`python -c 'import IPython, "
            "mastery_nb.checks'`) and is not inside a folder the sandbox hides (the course's "
            "autograder/, courses/ or data folder); docs/security.md lists what the sandbox shows"
        )
    return "see docs/security.md (what depends on the machine)"


def _default_hidden(files_dir: Path) -> list[str]:
    """Folders never shown to the child, even inside an allowed one."""
    bundle_dir = files_dir.resolve().parent
    hidden = [str(bundle_dir)]
    if bundle_dir.parent.name == "autograder":
        hidden.append(str(bundle_dir.parent))
        root = bundle_dir.parent.parent
        hidden += [str(root / "courses"), str(root / ".mastery-data"), str(root / ".git")]
    data_dir = os.environ.get("MASTERY_NB_DATA_DIR")
    if data_dir:
        hidden.append(data_dir)
    return hidden

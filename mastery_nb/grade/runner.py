"""Runs one notebook's cells inside the sandboxed child, one step at a time.

The shell (:class:`IPython.core.interactiveshell.InteractiveShell`) is built in the zygote,
before any private data exists; each child inherits a fresh copy. The grader sends the
cells one at a time (a test cell's source, hidden tests included, arrives only when it is
about to run) and reads one result per cell.

Why test cells do not go through ``shell.run_cell``: answer cells run before them and may
have patched the shell, its traceback display, its hooks or its events. A test cell is
therefore compiled and executed here directly, after restoring what answer cells may have
tampered with (builtins, ``sys.modules``, the testing modules, trace hooks, streams,
SIGINT), and its last statement reports a per-cell random nonce that the grader sent with
the source. The grader counts a test cell as run only when that nonce comes back: positive
evidence that execution reached the end of the cell. docs/security.md says what this does
and does not defend against.
"""

from __future__ import annotations

import ast
import builtins
import io
import os
import signal
import socket
import sys
import threading
import time
import types
from collections.abc import Callable
from types import ModuleType
from typing import Any

from mastery_nb.grade.protocol import ChannelClosed, recv_message, send_message

__all__ = ["OutputLimitExceeded", "Runner", "prepare_runner"]

_MESSAGE_CHARS = 2000

#: Modules whose attributes tests commonly rely on; restored before every test cell.
PROTECTED_MODULES: tuple[str, ...] = (
    "math",
    "operator",
    "functools",
    "itertools",
    "collections",
    "unittest",
    "unittest.case",
    "numpy",
    "numpy.testing",
    "numpy.testing._private.utils",
    "pandas",
    "pandas.testing",
    "pandas._testing",
    "pandas._testing.asserters",
    "mastery_nb.checks",
    "mastery_nb.checks.verdict",
    "mastery_nb.checks.quiz",
    "mastery_nb.checks.answers",
)

#: (module, class) pairs whose methods tests rely on (e.g. ``DataFrame.equals``).
PROTECTED_CLASSES: tuple[tuple[str, str], ...] = (
    ("pandas", "DataFrame"),
    ("pandas", "Series"),
    ("pandas", "Index"),
    ("pandas.core.generic", "NDFrame"),
    ("pandas.core.base", "IndexOpsMixin"),
    ("pandas.core.arraylike", "OpsMixin"),
)

_VETOED_AUDIT_EVENTS = frozenset({"sys.addaudithook", "sys.settrace", "sys.setprofile"})


class OutputLimitExceeded(BaseException):
    """A cell printed more than the limit. A BaseException so ``except Exception`` cannot eat it."""


class _Capture(io.TextIOBase):
    """A text stream that keeps the first bytes for messages and fails past the limit."""

    def __init__(self, name: str, limit: int) -> None:
        super().__init__()
        self.name = name
        self.limit = limit
        self.size = 0
        self.head: list[str] = []
        self.head_size = 0
        self.overflowed = False

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self.size += len(text)
        if self.head_size < _MESSAGE_CHARS:
            piece = text[: _MESSAGE_CHARS - self.head_size]
            self.head.append(piece)
            self.head_size += len(piece)
        if self.size > self.limit:
            self.overflowed = True
            raise OutputLimitExceeded(f"the cell printed more than {self.limit} characters")
        return len(text)

    def text(self) -> str:
        return "".join(self.head)

    def flush(self) -> None:
        pass


def _describe(exc: BaseException) -> str:
    """``Type: message`` of an exception, safe against hostile ``__str__``."""
    name = type(exc).__name__
    try:
        text = str(exc)
    except BaseException:
        text = "<the exception's message could not be shown>"
    if not isinstance(text, str):
        text = ""
    text = text[:_MESSAGE_CHARS]
    return f"{name}: {text}" if text else name


_TRACEBACK = BaseException.__dict__["__traceback__"]
_TEST_CELL = "<test cell>"


def _line_in_cell(exc: BaseException, own: Callable[[str], bool]) -> int | None:
    """The line of the cell's own code where ``exc`` was raised (its deepest frame there).

    Feedback tells a failure in a test cell's visible part from one in its hidden tests by
    this line. Read defensively: the exception is the learner's (a subclass may hide
    ``__traceback__``), so only real traceback objects and ints are trusted.
    """
    try:
        if isinstance(exc, SyntaxError) and type(exc.lineno) is int:
            return exc.lineno
        tb = _TRACEBACK.__get__(exc)
        line: int | None = None
        for _ in range(10_000):
            if not isinstance(tb, types.TracebackType):
                break
            if own(str(tb.tb_frame.f_code.co_filename)) and type(tb.tb_lineno) is int:
                line = tb.tb_lineno
            tb = tb.tb_next
        return line
    except BaseException:
        return None


def _ipython_cell(filename: str) -> bool:
    return filename.startswith("<ipython-input-")


def _last_expression_to_value(tree: ast.Module, value_name: str) -> bool:
    """Rewrite a final expression statement into ``value_name = (expr)``; True if done."""
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = tree.body[-1]
        assign = ast.Assign(targets=[ast.Name(id=value_name, ctx=ast.Store())], value=last.value)
        tree.body[-1] = ast.copy_location(assign, last)
        return True
    return False


class Runner:
    """The step loop of one child. Built in the zygote; :meth:`serve` runs in the child."""

    def __init__(self) -> None:
        from IPython.core.interactiveshell import InteractiveShell
        from traitlets.config import Config

        class GradingShell(InteractiveShell):
            """A kernel-less shell: GUI event loops are irrelevant (``%matplotlib inline``)."""

            def enable_gui(self, gui: object = None) -> None:
                return None

        config = Config()
        config.HistoryManager.enabled = False
        config.InteractiveShell.colors = "NoColor"
        config.InteractiveShell.xmode = "Plain"
        self.shell = GradingShell.instance(config=config)  # the get_ipython() singleton
        self.shell.user_ns["__name__"] = "__main__"
        self._run_cell = self.shell.run_cell
        self._transform = self.shell.input_transformer_manager.transform_cell
        self._builtin_trap: Any = self.shell.builtin_trap
        self.builtins_snapshot = dict(vars(builtins))
        self.modules_snapshot = dict(sys.modules)
        self.module_dicts: dict[str, tuple[ModuleType, dict[str, Any]]] = {}
        self.class_dicts: list[tuple[type, dict[str, Any]]] = []
        self.stdout = sys.__stdout__
        self.stderr = sys.__stderr__
        self.hooks = (sys.displayhook, sys.excepthook)
        self.recursion_limit = sys.getrecursionlimit()
        self.allow_hooks = True
        self.pid = 0
        self.in_step = False
        self.cell_seconds = 0.0  #: time of the last cell's own code (not the runner's work)

    def snapshot_protected(self) -> None:
        """Remember the protected modules and classes (after the preload imported them)."""
        for name in PROTECTED_MODULES:
            module = sys.modules.get(name)
            if module is not None:
                self.module_dicts[name] = (module, dict(vars(module)))
        for module_name, class_name in PROTECTED_CLASSES:
            module = sys.modules.get(module_name)
            cls = getattr(module, class_name, None) if module is not None else None
            if isinstance(cls, type):
                self.class_dicts.append((cls, dict(vars(cls))))
        self.builtins_snapshot = dict(vars(builtins))
        self.modules_snapshot = dict(sys.modules)

    # -- in the child -------------------------------------------------------------------

    def _audit(self, event: str, args: tuple[Any, ...]) -> None:
        if not self.allow_hooks and event in _VETOED_AUDIT_EVENTS:
            raise RuntimeError(f"{event} is not allowed while grading")

    @staticmethod
    def _leftovers() -> int:
        """Other processes of this (sandbox-only) uid: what the notebook left running."""
        me, uid, count = os.getpid(), os.getuid(), 0
        for entry in os.listdir("/proc"):
            if entry.isdigit() and int(entry) != me:
                try:
                    if os.stat(f"/proc/{entry}").st_uid == uid:
                        count += 1
                except OSError:
                    pass
        return count

    def serve(self, sock: socket.socket, max_output: int, count_leftovers: bool = False) -> None:
        """Answer the grader's steps until it says ``done`` or goes away."""
        self.pid = os.getpid()
        sys.addaudithook(self._audit)
        self.allow_hooks = False
        signal.signal(signal.SIGINT, self._on_interrupt)
        send_message(sock, {"type": "hello"})
        while True:
            try:
                message = recv_message(sock)
            except ChannelClosed:
                return
            kind = message.get("type")
            if kind == "done":
                send_message(
                    sock, {"type": "bye", "leftovers": self._leftovers() if count_leftovers else 0}
                )
                return
            self.cell_seconds = 0.0
            try:
                self.in_step = True
                if kind == "code":
                    reply = self.run_code(str(message["source"]), max_output)
                elif kind == "test":
                    reply = self.run_test(str(message["source"]), str(message["nonce"]), max_output)
                else:
                    reply = {"status": "error", "message": f"unknown step {kind!r}"}
            except BaseException as exc:  # an interrupt landing between our own lines
                reply = {"status": "error", "message": _describe(exc)}
            finally:
                self.in_step = False
            if os.getpid() != self.pid:
                # a copy made by os.fork() in a cell came back here: only the runner reports
                os._exit(0)
            reply["seconds"] = round(self.cell_seconds, 6)
            reply["type"] = "result"
            reply["index"] = message.get("index")
            send_message(sock, reply)

    def _on_interrupt(self, signum: int, frame: object) -> None:
        """The grader's timeout interrupt: raise in the running cell, ignore between steps."""
        if self.in_step:
            raise KeyboardInterrupt

    def _streams(self, max_output: int) -> tuple[_Capture, _Capture]:
        out, err = _Capture("stdout", max_output), _Capture("stderr", max_output)
        sys.stdout, sys.stderr = out, err
        return out, err

    def _reset_process_state(self) -> None:
        self.allow_hooks = True
        try:
            sys.settrace(None)
            sys.setprofile(None)
            threading.settrace(None)
            threading.setprofile(None)
        finally:
            self.allow_hooks = False
        signal.signal(signal.SIGINT, self._on_interrupt)
        sys.displayhook, sys.excepthook = self.hooks
        sys.setrecursionlimit(self.recursion_limit)

    def run_code(self, source: str, max_output: int) -> dict[str, Any]:
        """An answer cell or an ordinary cell: IPython semantics (magics, display)."""
        self._reset_process_state()
        out, err = self._streams(max_output)
        status, message, line = "ok", "", None
        try:
            started = time.perf_counter()
            try:
                result = self._run_cell(source, store_history=True, silent=False)  # type: ignore[no-untyped-call]
            finally:
                self.cell_seconds = time.perf_counter() - started
            error = result.error_before_exec or result.error_in_exec
            if error is not None:
                status, message = "error", _describe(error)
                line = _line_in_cell(error, _ipython_cell)
        except BaseException as exc:
            status, message = "error", _describe(exc)
        finally:
            sys.stdout, sys.stderr = self.stdout, self.stderr
        if out.overflowed or err.overflowed:
            status, message = (
                "error",
                f"output limit exceeded: the cell printed more than {max_output} characters",
            )
        reply: dict[str, Any] = {
            "status": status,
            "message": message,
            "stderr": err.text()[:_MESSAGE_CHARS],
        }
        if line is not None:
            reply["line"] = line  #: where in the learner's cell it failed
        return reply

    def _restore_integrity(self) -> list[str]:
        """Undo what earlier cells may have done to builtins, modules and classes."""
        restored: list[str] = []
        current = vars(builtins)
        for name in [n for n in current if n not in self.builtins_snapshot]:
            del current[name]
            restored.append(f"builtins.{name}")
        for name, value in self.builtins_snapshot.items():
            if current.get(name, _MISSING) is not value:
                current[name] = value
                restored.append(f"builtins.{name}")
        for name, module in self.modules_snapshot.items():
            if sys.modules.get(name) is not module:
                sys.modules[name] = module
                restored.append(f"sys.modules[{name!r}]")
        for name, (module, saved) in self.module_dicts.items():
            namespace = vars(module)
            for key, value in saved.items():
                if namespace.get(key, _MISSING) is not value:
                    namespace[key] = value
                    restored.append(f"{name}.{key}")
        for cls, saved in self.class_dicts:
            for key in [k for k in vars(cls) if k not in saved]:
                try:
                    delattr(cls, key)
                    restored.append(f"{cls.__name__}.{key}")
                except (AttributeError, TypeError):
                    pass
            for key, value in saved.items():
                if vars(cls).get(key, _MISSING) is not value:
                    try:
                        setattr(cls, key, value)
                        restored.append(f"{cls.__name__}.{key}")
                    except (AttributeError, TypeError):
                        pass
        return restored

    @staticmethod
    def _capture_fd_stderr() -> int | None:
        """Point file descriptor 2 at a fresh memory file for a test cell.

        A Jupyter kernel forwards what subprocesses and C code write to fd 2 as stderr, and
        nbgrader scores a test cell with any stderr 0; so do we.
        """
        try:
            sink = os.memfd_create("mastery-nb-test-stderr")
        except (AttributeError, OSError):
            return None
        os.dup2(sink, 2)
        return sink

    @staticmethod
    def _release_fd_stderr(sink: int | None) -> str:
        """Put ``/dev/null`` back on fd 2; return the start of what was written there."""
        if sink is None:
            return ""
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 2)
            os.close(devnull)
            os.lseek(sink, 0, os.SEEK_SET)
            return os.read(sink, _MESSAGE_CHARS).decode("utf-8", "replace")
        except OSError:
            return ""
        finally:
            os.close(sink)

    def run_test(self, source: str, nonce: str, max_output: int) -> dict[str, Any]:
        """A test cell: restored machinery, direct execution, nonce as evidence of its end."""
        self._reset_process_state()
        restored = self._restore_integrity()
        namespace = self.shell.user_ns
        namespace["__builtins__"] = builtins
        shadowing = {
            name: namespace.pop(name)
            for name in [n for n in namespace if n in self.builtins_snapshot]
            if not name.startswith("__") and namespace.get(name) is not self.builtins_snapshot[name]
        }
        evidence: list[object] = []
        token = f"_mastery_evidence_{nonce}"
        value_name = f"_mastery_value_{nonce}"

        def report(received: str, value: object = None) -> None:
            if received == nonce:
                evidence.append(value)

        status, message, line = "ok", "", None
        out, err = self._streams(max_output)
        fd_stderr = self._capture_fd_stderr()
        try:
            try:
                tree = ast.parse(source, filename=_TEST_CELL)
            except SyntaxError:
                tree = ast.parse(self._transform(source), filename=_TEST_CELL)
            has_value = _last_expression_to_value(tree, value_name)
            call = ast.parse(f"{token}({nonce!r}, {value_name if has_value else 'None'})").body[0]
            tree.body.append(call)
            ast.fix_missing_locations(tree)
            code = compile(tree, _TEST_CELL, "exec")
            namespace[token] = report
            with self._builtin_trap:  # get_ipython, display: as in any notebook cell
                started = time.perf_counter()
                try:
                    exec(code, namespace)
                finally:
                    self.cell_seconds = time.perf_counter() - started
        except BaseException as exc:
            status, message = "error", _describe(exc)
            line = _line_in_cell(exc, lambda name: name == _TEST_CELL)
        finally:
            sys.stdout, sys.stderr = self.stdout, self.stderr
            below = self._release_fd_stderr(fd_stderr)
            namespace.pop(token, None)
            namespace.pop(value_name, None)
            for name, saved in shadowing.items():
                namespace.setdefault(name, saved)
        if out.overflowed or err.overflowed:
            status, message = (
                "error",
                f"output limit exceeded: the cell printed more than {max_output} characters",
            )
        reply: dict[str, Any] = {
            "status": status,
            "message": message,
            "stderr": (err.text() or below)[:_MESSAGE_CHARS],
            "restored": restored[:50],
            "shadowing": sorted(shadowing)[:50],
        }
        if line is not None:
            reply["line"] = line  #: the test cell's line that raised (visible part or hidden)
        if status == "ok" and evidence:
            reply["evidence"] = nonce
            reply["value_text"] = self._displayed_text(source, evidence[-1])
        return reply

    def _displayed_text(self, source: str, value: object) -> str | None:
        """The ``text/plain`` a Jupyter kernel would show for the cell's last expression.

        nbgrader scores partial credit from exactly this (``float(text)``), so the grader
        does too: None when nothing would be shown (no final expression, ``None``, or a
        cell ending in ``;``), else the display formatter's text, as IPython makes it.
        """
        if value is None:
            return None
        try:
            from IPython.core.displayhook import DisplayHook

            if DisplayHook.semicolon_at_end_of_expression(self._transform(source)):  # type: ignore[no-untyped-call]
                return None
            formatter: Any = self.shell.display_formatter
            data, _ = formatter.format(value)
            text = data.get("text/plain")
        except BaseException:
            return None
        return text[:_MESSAGE_CHARS] if isinstance(text, str) else None


_MISSING = object()


def prepare_runner(preload: tuple[str, ...], log: Callable[[str], None]) -> Runner:
    """Import the preload list and build the shell; called once in the zygote."""
    import importlib

    for name in preload:
        try:
            importlib.import_module(name)
        except Exception as exc:  # a missing optional module must not stop grading
            log(f"preload {name}: {_describe(exc)}")
    runner = Runner()
    runner.snapshot_protected()
    return runner

"""The runner of a sandboxed child: prepared in the zygote, sealed in the child.

The shell (:class:`IPython.core.interactiveshell.InteractiveShell`) and the snapshot of
the warm interpreter (builtins, ``sys.modules``, every module's namespace, the protected
classes) are built in the zygote, before any private data exists; each child inherits a
copy. In the child, :func:`serve` hardens the interpreter (the audit hook, no frames, no
bytecode caches) and hands over to the sealed loop (:mod:`mastery_nb.grade.sealed`),
which runs the cells the grader sends and reports their results.

Learner cells run through the shell (IPython semantics: magics, display). Cells of the
bundle and test cells never do: learner code may have patched the shell. They are
compiled and executed by the sealed loop with C builtins; a test's statements and its
last expression arrive split by the grader (:func:`mastery_nb.grade.cells.split_test`),
so the child parses nothing. docs/security.md says what this defends and what not.
"""

from __future__ import annotations

import io
import os
import sys
import types
from collections.abc import Callable
from typing import Any

from mastery_nb.grade.sealed import (
    Snapshot,
    make_audit_hook,
    no_current_frame,
    no_frame,
    prepare_base,
    seal,
)

__all__ = ["PROTECTED_PACKAGES", "OutputLimitExceeded", "Runner", "prepare_runner", "serve"]

#: Packages whose classes are swapped back before every trusted cell and test (classes
#: hold the methods tests call, e.g. ``DataFrame.equals``); every module's namespace is.
PROTECTED_PACKAGES: tuple[str, ...] = (
    "numpy",
    "pandas",
    "matplotlib",
    "mastery_nb",
    "unittest",
    "collections",
    "fractions",
    "decimal",
    "statistics",
    "math",
    "operator",
    "functools",
    "itertools",
)

#: where imports look for bytecode caches while grading: nowhere (see :func:`serve`)
NO_PYCACHE = "/nonexistent/mastery-nb-no-pycache"


class OutputLimitExceeded(BaseException):
    """A learner cell printed more than the limit. A BaseException so ``except Exception``
    in the cell cannot eat it."""


class _LimitedStream(io.TextIOBase):
    """``sys.stdout``/``stderr`` of a learner cell: nothing kept, fails past the limit."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.size = 0

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
        if self.size > self.limit:
            raise OutputLimitExceeded(f"the cell printed more than {self.limit} characters")
        return len(text)

    def flush(self) -> None:
        pass


# -- tracebacks without frames ----------------------------------------------------------------
# Python's traceback module walks frames (``tb_frame``), which grading refuses; these print
# the same text through the interpreter's own excepthook (C: no frame reaches Python code).
_UNSET: Any = object()


def _show(exc_type: Any, value: Any, tb: Any, file: Any) -> None:
    saved = sys.stderr
    sys.stderr = sys.stderr if file is None else file
    try:
        sys.__excepthook__(exc_type, value, tb)
    finally:
        sys.stderr = saved


def _triple(exc: Any, value: Any, tb: Any) -> tuple[Any, Any, Any]:
    if value is _UNSET:  # the one-argument form: print_exception(exc)
        return type(exc), exc, getattr(exc, "__traceback__", None)
    return exc, value, None if tb is _UNSET else tb


def print_exc(limit: int | None = None, file: Any = None, chain: bool = True) -> None:
    exc_type, value, tb = sys.exc_info()
    _show(exc_type, value, tb, file)


def format_exc(limit: int | None = None, chain: bool = True) -> str:
    buffer = io.StringIO()
    print_exc(file=buffer)
    return buffer.getvalue()


def print_exception(
    exc: Any, /, value: Any = _UNSET, tb: Any = _UNSET, limit: Any = None,
    file: Any = None, chain: bool = True,
) -> None:  # fmt: skip
    _show(*_triple(exc, value, tb), file)


def format_exception(
    exc: Any, /, value: Any = _UNSET, tb: Any = _UNSET, limit: Any = None, chain: bool = True
) -> list[str]:
    buffer = io.StringIO()
    _show(*_triple(exc, value, tb), buffer)
    return buffer.getvalue().splitlines(keepends=True)


def print_last(limit: int | None = None, file: Any = None, chain: bool = True) -> None:
    _show(getattr(sys, "last_type", None), getattr(sys, "last_value", None),
          getattr(sys, "last_traceback", None), file)  # fmt: skip


def _in_packages(module_name: str, packages: tuple[str, ...]) -> bool:
    return module_name.partition(".")[0] in packages


class Runner:
    """The shell and the snapshot, built in the zygote."""

    def __init__(self) -> None:
        from IPython.core.interactiveshell import InteractiveShell
        from traitlets.config import Config

        class GradingShell(InteractiveShell):
            """A kernel-less shell: no GUI event loops, no traceback display (the grader
            records the exception; formatting would read frames, which grading refuses)."""

            def enable_gui(self, gui: object = None) -> None:
                return None

            def showtraceback(self, *args: object, **kwargs: object) -> None:
                return None

            def showsyntaxerror(self, *args: object, **kwargs: object) -> None:
                return None

            def showindentationerror(self) -> None:
                return None

            def get_local_scope(self, stack_depth: int) -> dict[str, Any]:
                namespace: dict[str, Any] = self.user_ns
                return namespace  # the cell's locals at the top level, without frames

            def _format_exception_for_storage(
                self, exception: BaseException, *args: object, **kwargs: object
            ) -> dict[str, Any]:
                return {"ename": type(exception).__name__, "evalue": "", "traceback": []}

        config = Config()
        config.HistoryManager.enabled = False
        config.InteractiveShell.colors = "NoColor"
        config.InteractiveShell.xmode = "Plain"
        self.shell = GradingShell.instance(config=config)  # the get_ipython() singleton
        self.shell.user_ns["__name__"] = "__main__"
        self.snapshot: Snapshot | None = None

    def take_snapshot(self) -> None:
        """Remember what to protect (after the preload imported everything): every module
        but the learner's namespace, and the mutable classes of the protected packages."""
        from IPython.display import display

        user_ns = self.shell.user_ns
        namespaces: list[tuple[str, dict[str, Any]]] = []
        classes: list[type] = []
        seen: set[int] = set()
        for name, module in list(sys.modules.items()):
            if not isinstance(module, types.ModuleType) or name == "builtins":
                continue
            namespace = vars(module)
            if namespace is user_ns or id(namespace) in seen:
                continue
            seen.add(id(namespace))
            namespaces.append((name, namespace))
            if not _in_packages(name, PROTECTED_PACKAGES):
                continue
            for value in list(namespace.values()):
                if (
                    type(value) is type  # setting its attributes runs no Python code
                    and id(value) not in seen
                    and not value.__flags__ & (1 << 8)  # Py_TPFLAGS_IMMUTABLETYPE
                    and _in_packages(getattr(value, "__module__", "") or "", PROTECTED_PACKAGES)
                ):
                    seen.add(id(value))
                    classes.append(value)
        pin_always: tuple[type, ...] = (types.ModuleType,)
        checks_api = sys.modules.get("mastery_nb.checks.api")
        checks_class = getattr(checks_api, "Checks", None)
        if isinstance(checks_class, type):
            pin_always += (checks_class,)
        pin_imported: tuple[type, ...] = (
            type,
            types.FunctionType,
            types.BuiltinFunctionType,
            types.MethodType,
            types.BuiltinMethodType,
        )
        for _name, namespace in namespaces:
            # warnings keep a registry in the module they point at, made on first use: made
            # now, the copies below hold it and every child finds it there
            namespace.setdefault("__warningregistry__", {})
        tags, copies, copy_tags = _tagged_copies(namespaces, classes)
        prepared = prepare_base(namespaces, classes, copies) if copies is not None else None
        self.snapshot = Snapshot(
            user_ns=user_ns,
            run_cell=self.shell.run_cell,
            builtin_extras={"get_ipython": self.shell.get_ipython, "display": display},
            module_namespaces=namespaces,
            classes=classes,
            pin_always=pin_always,
            pin_imported=pin_imported,
            learner_stream=_LimitedStream,
            recursion_limit=sys.getrecursionlimit(),
            tags=tags,
            copy_tags=copy_tags,
            prepared=prepared,
        )


def _tagged_copies(
    namespaces: list[tuple[str, dict[str, Any]]], classes: list[type]
) -> tuple[Any, list[dict[str, Any]] | None, list[int] | None]:
    """The version tags of every protected dict (:mod:`mastery_nb.grade.versions`), their
    copies as the zygote holds them, and the tags of those copies; (None, None, None) when
    the interpreter's tags cannot be trusted (the sealed loop compares values then)."""
    import builtins

    from mastery_nb.grade.versions import class_dict, tag_readers

    members = [class_dict(cls) for cls in classes]
    if any(m is None for m in members):
        return None, None, None
    live: list[dict[str, Any]] = [
        vars(builtins),
        sys.modules,
        *(ns for _n, ns in namespaces),
        *(m for m in members if m is not None),
    ]
    readers = tag_readers(live)
    if readers is None:
        return None, None, None
    views, read = readers
    copy_tags = [read(v) for v in views]
    copies: list[dict[str, Any]] = [
        dict(vars(builtins)),
        {k: v for k, v in sys.modules.items() if type(k) is str},
        *(dict(ns) for _n, ns in namespaces),
        *(dict(cls.__dict__) for cls in classes),
    ]
    if [read(v) for v in views] != copy_tags:  # something changed while copying
        return None, None, None
    return readers, copies, copy_tags


def prepare_runner(
    preload: tuple[str, ...], log: Callable[[str], None], warm: tuple[str, ...] = ()
) -> tuple[Runner, dict[str, str]]:
    """Import the preload list, enter grading mode, build the shell; called once in the zygote.

    Returns the runner and the preload modules that failed to import (name -> error): the
    grader turns a required one into a grader error. ``warm``: modules imported too when
    they exist (found in the bundles: :mod:`mastery_nb.grade.preload`), skipped quietly
    when they do not.
    """
    import importlib
    import importlib.util

    failed: dict[str, str] = {}
    for name in preload:
        try:
            importlib.import_module(name)
        except Exception as exc:  # reported; the grader decides whether it matters
            failed[name] = f"{type(exc).__name__}: {exc}"[:500]
            log(f"preload {name}: {failed[name]}")
    for name in warm:
        if name in sys.modules:
            continue
        try:  # a name found in a bundle may be a function of its module, not a submodule
            if importlib.util.find_spec(name) is not None:
                importlib.import_module(name)
        except Exception:
            continue
    try:
        from mastery_nb.checks import frontend

        frontend.enter_grading_mode()
    except ImportError as exc:
        failed["mastery_nb.checks"] = f"{type(exc).__name__}: {exc}"[:500]
    runner = Runner()
    # one cell through the shell, here: what IPython builds on its first cell (its input
    # transformers, the compiler's caches) is then built once, not in every child
    before = set(runner.shell.user_ns)
    runner.shell.run_cell("pass", store_history=False, silent=True)  # type: ignore[no-untyped-call]
    for name in set(runner.shell.user_ns) - before:
        del runner.shell.user_ns[name]
    runner.take_snapshot()
    return runner, failed


def serve(runner: Runner, fd: int, cwd: str) -> None:
    """In the sandboxed child: harden, seal, and run the loop until the grader is done."""
    snapshot = runner.snapshot
    assert snapshot is not None
    # no frames: code that asks gets an empty one (or None), as without frame support
    sys._getframe = no_frame
    inspect = sys.modules.get("inspect")
    if inspect is not None:
        setattr(inspect, "currentframe", no_current_frame)  # noqa: B010
    import traceback  # tracebacks printed without frames (see above)

    for name, shim in (
        ("print_exc", print_exc),
        ("format_exc", format_exc),
        ("print_exception", print_exception),
        ("format_exception", format_exception),
        ("print_last", print_last),
    ):
        setattr(traceback, name, shim)
    # no bytecode caches: loading one means marshal.loads, which grading refuses (it would
    # build arbitrary code objects); modules imported now compile from their source
    sys.pycache_prefix = NO_PYCACHE
    sys.dont_write_bytecode = True
    os.set_inheritable(fd, False)
    loop = seal(snapshot, fd, cwd)
    del runner, snapshot
    sys.addaudithook(make_audit_hook())
    loop()

"""The sealed step loop: what runs test cells and reports verdicts, out of learner code's reach.

Learner code runs in this very process (tests call the learner's functions), so the code
that runs tests and reports their verdicts must not depend on anything learner code can
read or change. :func:`seal` builds it as closures over local variables only:

- every function, type and constant the loop uses is bound once, here, as a local of
  :func:`seal` (C builtins such as ``compile``, ``exec``, ``os.read``, ``struct.pack``,
  ``_hashlib.hmac_digest``, ``_io.StringIO``); the loop looks up no global name, no module
  attribute and no method of a class learner code could patch (a structural test checks
  that the sealed functions contain no global lookup);
- nothing outside refers to these closures: the loop runs on the stack below learner
  code, and the audit hook (:func:`make_audit_hook`) refuses every way to reach a frame
  (``sys._getframe``, ``sys._current_frames``, ``tb_frame``, ``gi_frame``, ``cr_frame``,
  ``ag_frame``), an object graph (``gc.get_objects``/``get_referrers``/``get_referents``),
  raw memory (``ctypes``; ``/proc/self/mem`` is closed by the sandbox: the process is not
  dumpable; signal handlers, which receive frames, cannot be installed: seccomp),
  crafted bytecode (``code.__new__``, ``marshal.loads``), a code or defaults swap on a
  function (``__code__``, ``__defaults__``, ``__kwdefaults__``), a trace or profile
  function, another audit hook (a second thread, where learner code would run beside the
  tests, is refused by the seccomp filter);
- the verdict leaves on the grader's socket as a binary frame with an HMAC under a key
  that arrived before any learner code ran and lives only in a closure cell: a learner
  cannot forge a result, and the grader rejects bytes that another process wrote.

Test cells run in the learner's namespace, as nbgrader runs them (a test may ``del`` or
replace a learner's name to probe their code), with, for the test's duration, the names
the bundle's cells bound to modules, classes and functions pinned, learner names that
shadow builtins hidden, and a private copy of the builtins. Before each trusted cell and test the preloaded modules, the
builtins, ``sys.modules`` and the protected classes are swapped back to what they held
before the first learner cell, and swapped back to the learner's state afterwards.
"""

from __future__ import annotations

import _hashlib
import _io
import _signal
import _struct
import builtins
import itertools
import operator
import os
import sys
import time
import types
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mastery_nb.grade.versions import TagReaders

__all__ = ["Snapshot", "make_audit_hook", "no_current_frame", "no_frame", "seal"]

#: audit events refused to everything in the child once the loop runs
VETOED_EVENTS = frozenset(
    {
        "sys._getframe",
        "sys._getframemodulename",
        "sys._current_frames",
        "sys._current_exceptions",
        "sys.settrace",
        "sys.setprofile",
        "sys._settraceallthreads",
        "sys._setprofileallthreads",
        "sys.addaudithook",
        "sys.monitoring.register_callback",
        "sys.monitoring.use_tool_id",
        "gc.get_objects",
        "gc.get_referrers",
        "gc.get_referents",
        "code.__new__",
        "marshal.loads",
        "marshal.load",
        "_thread.start_new_thread",
        "_thread.start_joinable_thread",
    }
)
VETOED_GETATTR = frozenset({"tb_frame", "gi_frame", "cr_frame", "ag_frame", "f_code"})
VETOED_SETATTR = frozenset({"__code__", "__defaults__", "__kwdefaults__"})
#: modules that give native code or memory access without audit events
VETOED_IMPORTS = frozenset(
    {
        "_cffi_backend",
        "cffi",
        "llvmlite",
        "numba",
        "cppyy",
        "clr",
        "pythonnet",
        "_testcapi",
        "_testinternalcapi",
        "_testbuffer",
        "_testmultiphase",
        "_testclinic",
        "_testsinglephase",
        "_ctypes_test",
        "_xxsubinterpreters",
        "_xxinterpchannels",
        "_interpreters",
    }
)

_PACK = _struct.pack
_UNPACK = _struct.unpack_from
_DIGEST = _hashlib.hmac_digest


class _NoCode:
    co_name = "<grading>"
    co_filename = "<grading>"
    co_firstlineno = 0


class _NoFrame:
    """What ``sys._getframe`` gives while grading: a frame of nothing (empty namespaces,
    no caller). Code that asks for its caller's frame (IPython's magics, ``namedtuple``,
    ``typing``, warnings' stack levels, ``logging``) falls back as it does at the top of
    a stack; the real frames stay out of reach."""

    f_back = None
    f_code = _NoCode()
    f_lineno = 0
    f_lasti = 0
    f_trace = None

    def __init__(self) -> None:
        self.f_locals: dict[str, Any] = {}
        self.f_globals: dict[str, Any] = {"__name__": "__main__"}
        self.f_builtins: dict[str, Any] = {}


def no_frame(depth: int = 0) -> Any:
    """``sys._getframe`` while grading (see :class:`_NoFrame`)."""
    return _NoFrame()


def no_current_frame() -> None:
    """``inspect.currentframe`` while grading: None, as where frames do not exist."""
    return None


def make_audit_hook() -> Callable[[str, tuple[Any, ...]], None]:
    """The audit hook of the child, over local variables only (see the module docstring)."""
    events, getattrs, setattrs, imports = (
        VETOED_EVENTS,
        VETOED_GETATTR,
        VETOED_SETATTR,
        VETOED_IMPORTS,
    )
    runtime_error, value_error, import_error = RuntimeError, ValueError, ImportError
    exact_str, to_str, type_of = str, str.__str__, type

    def name_of(value: Any) -> str:
        return value if type_of(value) is exact_str else to_str(value)

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event in events:
            if event == "sys._getframe":
                raise value_error("frames are not available while grading")
            raise runtime_error(f"{event} is not allowed while grading")
        if event == "object.__getattr__":
            if name_of(args[1]) in getattrs:
                raise runtime_error(f"reading {name_of(args[1])} is not allowed while grading")
        elif event == "object.__setattr__" or event == "object.__delattr__":
            if name_of(args[1]) in setattrs:
                raise runtime_error(f"changing {name_of(args[1])} is not allowed while grading")
        elif event == "import":
            name = name_of(args[0])
            if name in imports or name.partition(".")[0] in imports:
                raise import_error(f"{name} is not available while grading")
        elif event.startswith("ctypes."):
            raise runtime_error("ctypes is not available while grading")

    return hook


@dataclass
class Snapshot:
    """What the zygote knew before any learner existed; read once by :func:`seal`."""

    user_ns: dict[str, Any]
    run_cell: Callable[..., Any]
    builtin_extras: dict[str, Any]
    #: the modules (name, namespace) and classes swapped back before trusted cells and tests
    module_namespaces: list[tuple[str, dict[str, Any]]]
    classes: list[type]
    #: what a bundle's cell binds and the learner cannot replace for a test: modules, the
    #: checks object; and functions and classes imported from a module (not defined in the
    #: notebook: a locked cell may define a buggy function the learner is asked to fix)
    pin_always: tuple[type, ...]
    pin_imported: tuple[type, ...]
    learner_stream: Callable[[int], Any]
    recursion_limit: int
    #: version tags (:mod:`mastery_nb.grade.versions`) of the builtins, ``sys.modules``, every
    #: module namespace and the classes' dicts, in that order; None: compare values instead
    tags: TagReaders | None = None
    #: those dicts' tags when the zygote copied them, and the copies laid out as the sealed
    #: loop keeps them (:func:`prepare_base`): a child whose dict still carries the tag
    #: uses the zygote's copy as it is
    copy_tags: list[int] | None = None
    prepared: dict[str, Any] | None = None


def prepare_base(
    namespaces: list[tuple[str, dict[str, Any]]], classes: list[type], copies: list[dict[str, Any]]
) -> dict[str, Any]:
    """In the zygote: the pristine world as :func:`seal`'s ``rebase`` keeps it, built from
    ``copies`` (the builtins, ``sys.modules``, every namespace, every class's dict, in that
    order), so that a child refers to it instead of building it (every reference a child
    makes to an object of the zygote writes to that object, and copies its page)."""
    count = len(namespaces)
    modules = copies[1]
    return {
        "builtins": copies[0],
        "modules": modules,
        "module_names": tuple(modules),
        "module_objects": tuple(modules.values()),
        "module_saves": [(n, ns, copies[2 + i]) for i, (n, ns) in enumerate(namespaces)],
        "class_saves": [
            (c, c.__dict__, copies[2 + count + i])
            for i, c in enumerate(cls for cls in classes if type(cls) is type)
        ],
    }


def seal(snap: Snapshot, fd: int, cwd: str) -> Callable[[], None]:
    """Build the loop for channel ``fd``; every name the loop uses is local to this call."""
    # -- C functions and types, bound once ------------------------------------------------
    read, write, dup2, lseek, ftruncate, close, chdir = (
        os.read, os.write, os.dup2, os.lseek, os.ftruncate, os.close, os.chdir,
    )  # fmt: skip
    getpid, exit_, clock = os.getpid, os._exit, time.perf_counter
    traceback_of = vars(BaseException)["__traceback__"].__get__
    traceback_type, syntax_error, get_attr = types.TracebackType, SyntaxError, getattr
    os_open, o_tmpfile, o_rdwr, devnull_path = os.open, os.O_TMPFILE, os.O_RDWR, os.devnull
    pack, unpack, digest = _PACK, _UNPACK, _DIGEST
    compile_, exec_, eval_ = builtins.compile, builtins.exec, builtins.eval
    import_, builtins_module = builtins.__import__, builtins
    type_of, exact_str, exact_int = type, str, int
    exact_dict, exact_list, module_type = dict, list, types.ModuleType
    issubclass_, len_, min_, repr_ = issubclass, len, min, repr
    memoryview_, all_, map_, is_ = memoryview, all, map, operator.is_
    base_exception, eof_error, keyboard_interrupt = BaseException, EOFError, KeyboardInterrupt
    to_str, type_name = str.__str__, vars(type)["__name__"].__get__
    set_type_attr, del_type_attr = type.__setattr__, type.__delattr__
    string_io, getvalue = _io.StringIO, _io.StringIO.getvalue
    sigmask, sigtimedwait = _signal.pthread_sigmask, _signal.sigtimedwait
    sig_block, sig_unblock, sigint = _signal.SIG_BLOCK, _signal.SIG_UNBLOCK, _signal.SIGINT
    set_recursion_limit, sys_dict, modules_dict = sys.setrecursionlimit, vars(sys), sys.modules
    dict_clear, dict_update, dict_items, dict_get, dict_pop = (
        dict.clear, dict.update, dict.items, dict.get, dict.pop,
    )  # fmt: skip
    dict_values, proxy_values = dict.values, type(type.__dict__).values
    chain_from, sum_, tuple_ = itertools.chain.from_iterable, sum, tuple
    frozenset_, next_, dict_setdefault = frozenset, next, dict.setdefault
    enumerate_, zip_, sorted_ = enumerate, zip, sorted
    missing, modules_marker = object(), object()

    # -- what the zygote snapshot held ------------------------------------------------------
    user_ns = snap.user_ns
    run_cell = snap.run_cell
    builtins_dict = vars(builtins)
    builtin_extras = snap.builtin_extras
    protected_modules = exact_list(snap.module_namespaces)
    # classes whose metaclass is exactly `type`: setting their attributes runs no Python code
    exact_type = type
    protected_classes = [c for c in snap.classes if type_of(c) is exact_type]
    pin_always, pin_imported = snap.pin_always, snap.pin_imported
    learner_stream = snap.learner_stream
    recursion_limit = snap.recursion_limit
    tag_views, read_tag = snap.tags if snap.tags is not None else ([], None)
    copy_tags = snap.copy_tags or []
    zygote_base = snap.prepared or {}
    if not len_(tag_views) == len_(copy_tags) == 2 + len_(protected_modules) + len_(
        protected_classes
    ) or len_(zygote_base.get("class_saves", ())) != len_(protected_classes):
        tag_views, read_tag = [], None  # not the snapshot's dicts: compare values
    meta_path: list[Any] = sys.meta_path
    path_hooks: list[Any] = sys.path_hooks
    del snap

    # -- the pristine world: what this child holds before any learner code ---------------------
    base: dict[str, Any] = {}

    def rebase() -> None:
        """Copy the protected state as it is now: after the sandbox and the self-check, before
        the first learner cell (so what the fork and the first cell legitimately changed,
        such as locks renewed after fork and lazily imported modules, is the baseline)."""
        if read_tag is not None:
            # a dict whose tag is the zygote's still holds what the zygote copied: its copy
            # (and the lists made of them, in the zygote) serve as they are; referring to
            # them makes no copy and touches none of the objects they hold
            now = exact_list(map_(read_tag, tag_views))
            fresh = [i for i, (tag, then) in enumerate_(zip_(now, copy_tags)) if tag != then]
            first_class = 2 + len_(protected_modules)
            prepared = zygote_base
            module_saves, class_saves = prepared["module_saves"], prepared["class_saves"]
            base["builtins"], base["modules"] = prepared["builtins"], prepared["modules"]
            base["module_names"] = prepared["module_names"]
            base["module_objects"] = prepared["module_objects"]
            if fresh and fresh[-1] >= 2:
                module_saves = exact_list(module_saves)
                class_saves = exact_list(class_saves)
            for i in fresh:
                if i == 0:
                    base["builtins"] = exact_dict(builtins_dict)
                elif i == 1:
                    base["modules"] = {
                        k: v for k, v in dict_items(modules_dict) if type_of(k) is exact_str
                    }
                    base["module_names"] = tuple_(base["modules"])
                    base["module_objects"] = tuple_(dict_values(base["modules"]))
                elif i < first_class:
                    n, ns, _copy = module_saves[i - 2]
                    module_saves[i - 2] = (n, ns, exact_dict(ns))
                else:
                    c, members, _copy = class_saves[i - first_class]
                    class_saves[i - first_class] = (c, members, exact_dict(members))
            base["expected"] = now
        else:
            for _name, namespace in protected_modules:
                # warnings keep a registry in the module they point at, made on first use:
                # made here, it is the same dict ever after instead of a key that comes and goes
                dict_setdefault(namespace, "__warningregistry__", {})
            module_saves = [(n, ns, exact_dict(ns)) for n, ns in protected_modules]
            class_saves = [(c, c.__dict__, exact_dict(c.__dict__)) for c in protected_classes]
            base["builtins"] = exact_dict(builtins_dict)
            base["modules"] = {k: v for k, v in dict_items(modules_dict) if type_of(k) is exact_str}
            base["module_names"] = tuple_(base["modules"])
            base["module_objects"] = tuple_(dict_values(base["modules"]))
            base["namespaces"] = [ns for _n, ns, _s in module_saves]
            base["proxies"] = [p for _c, p, _s in class_saves]
        base["names"] = frozenset_(builtins_dict)
        base["module_saves"] = module_saves
        base["class_saves"] = class_saves
        base["meta_path"] = exact_list(meta_path)
        base["path_hooks"] = exact_list(path_hooks)
        base["sys"] = next_(s for n, _ns, s in module_saves if n == "sys")
        if read_tag is None:
            flatten()

    def flatten() -> None:
        module_saves, class_saves = base["module_saves"], base["class_saves"]
        base["values"] = tuple_(chain_from(dict_values(s) for _n, _ns, s in module_saves))
        base["class_values"] = tuple_(chain_from(dict_values(s) for _c, _p, s in class_saves))
        base["stale"] = False

    def unchanged() -> bool:
        """Nothing protected changed: one pass in C over every value, by identity (a key
        renamed under an unchanged value cannot fake a pass: the old name is gone)."""
        if base["stale"]:
            flatten()
        namespaces, proxies = base["namespaces"], base["proxies"]
        if sum_(map_(len_, namespaces)) != len_(base["values"]):
            return False
        if sum_(map_(len_, proxies)) != len_(base["class_values"]):
            return False
        if not all_(map_(is_, chain_from(map_(dict_values, namespaces)), base["values"])):
            return False
        return all_(map_(is_, chain_from(map_(proxy_values, proxies)), base["class_values"]))

    # -- state of this notebook ---------------------------------------------------------------
    state: dict[str, Any] = {
        "key": b"", "seq": 0, "max_output": 1024**2, "pid": getpid(), "seconds": 0.0,
    }  # fmt: skip
    pins: dict[str, Any] = {}  # names trusted cells bound to modules, classes, functions
    sink = os_open("/tmp", o_tmpfile | o_rdwr, 0o600)  # fd 2 during a test (a noexec tmpfs)

    # -- the channel -------------------------------------------------------------------------
    def read_exact(size: int) -> bytes:
        chunks: list[bytes] = []
        got = 0
        while got < size:
            chunk = read(fd, min_(size - got, 1 << 20))
            if not chunk:
                raise eof_error
            chunks.append(chunk)
            got += len_(chunk)
        return b"".join(chunks)

    def read_frame() -> tuple[int, bytes]:
        size, kind = unpack("!IB", read_exact(5))
        return kind, read_exact(size)

    def send(kind: int, body: bytes) -> None:
        """An authenticated frame: sequence number first, HMAC last."""
        if getpid() != state["pid"]:
            exit_(0)  # a copy made by os.fork() in a cell came back here: only we report
        payload = pack("!I", state["seq"]) + body
        state["seq"] += 1
        head = pack("!IB", len_(payload) + 32, kind)
        view = memoryview_(head + payload + digest(state["key"], head + payload, "sha256"))
        while len_(view):
            view = view[write(fd, view) :]

    def text(value: Any, limit: int) -> bytes:
        if type_of(value) is not exact_str:
            try:
                value = to_str(value)
            except base_exception:
                value = ""
        encoded: bytes = value[:limit].encode("utf-8", "replace").replace(b"\0", b" ")
        return encoded

    def describe(exc: BaseException) -> str:
        """``Type: message``, whatever the exception's class does (its own code may run)."""
        try:
            name = type_name(type_of(exc))
        except base_exception:
            name = "Exception"
        try:
            message = exc.__str__()
            if type_of(message) is not exact_str:
                message = to_str(message)
        except base_exception:
            message = "<the exception's message could not be shown>"
        message = message[:2000]
        return f"{name}: {message}" if message else name

    def line_of(exc: BaseException) -> int:
        """The line of the cell's own code where ``exc`` came out (0: unknown). Read from the
        traceback without frames: its first entry is the loop's (or IPython's) frame that
        ran the cell, the next the cell's top level. Only C objects and ints are trusted."""
        try:
            if issubclass_(type_of(exc), syntax_error):
                line = get_attr(exc, "lineno", 0)
                return line if type_of(line) is exact_int and 0 < line < 2**31 else 0
            tb = traceback_of(exc)
            if type_of(tb) is traceback_type:
                tb = tb.tb_next
                if type_of(tb) is traceback_type and 0 < tb.tb_lineno < 2**31:
                    return exact_int(tb.tb_lineno)
        except base_exception:
            pass
        return 0

    def result(
        index: int, ok: bool, message: str, stderr: str, shown: Any = None, line: int = 0
    ) -> None:
        """One step's result; ``shown``: the ``text/plain`` of a test's last expression."""
        flag = 0 if shown is None else 1
        body = pack("!IBBdI", index, 0 if ok else 1, flag, state["seconds"], line)
        tail = b"" if shown is None else b"\0" + text(shown, 2000)
        send(14, body + text(message, 2000) + b"\0" + text(stderr, 2000) + tail)

    # -- interrupts: SIGINT reaches only the code of a step ------------------------------------
    def block() -> None:
        try:
            sigmask(sig_block, (sigint,))
            sigtimedwait((sigint,), 0)  # an interrupt meant for the step that just ended
        except keyboard_interrupt:
            pass

    def unblock() -> None:
        sigmask(sig_unblock, (sigint,))

    # -- swapping the zygote's world in and out ------------------------------------------------
    def same(namespace: Any, saved: dict[str, Any]) -> bool:
        if len_(namespace) != len_(saved):
            return False
        if not all_(map_(is_, namespace.values(), saved.values())):
            return False
        return all_(map_(is_, namespace, saved))

    def dirty_dicts() -> tuple[bool, Any]:
        """(nothing changed, the positions of the dicts that may have: None for all)."""
        if read_tag is None:
            return unchanged(), None
        current = exact_list(map_(read_tag, tag_views))
        expected = base["expected"]
        if current == expected:
            return True, frozenset_()
        return False, frozenset_(i for i, (a, b) in enumerate_(zip_(current, expected)) if a != b)

    def swap_in() -> list[Any]:
        """Put back the pristine world; return what to put back afterwards."""
        undo: list[Any] = []
        pristine_builtins, saved_modules = base["builtins"], base["modules"]
        quick, dirty = dirty_dicts()
        if (dirty is None or 0 in dirty) and not same(builtins_dict, pristine_builtins):
            undo.append((builtins_dict, exact_list(dict_items(builtins_dict))))
            dict_clear(builtins_dict)
            dict_update(builtins_dict, pristine_builtins)
        modules_get = modules_dict.get
        if (dirty is None or 1 in dirty) and not all_(
            map_(is_, map_(modules_get, base["module_names"]), base["module_objects"])
        ):
            changed = [
                (name, dict_get(modules_dict, name, missing))
                for name, module in dict_items(saved_modules)
                if dict_get(modules_dict, name, missing) is not module
            ]
            undo.append((modules_marker, changed))
            for name, _old in changed:
                modules_dict[name] = saved_modules[name]
        module_saves, class_saves = base["module_saves"], base["class_saves"]
        first_class = 2 + len_(module_saves)
        # only the dicts whose tag changed (every one without tags); a loop over all of them
        # would touch every tuple of the zygote's lists, and copy their pages
        if dirty is None:
            modules_seen, classes_seen = module_saves, class_saves
        else:
            ordered = sorted_(dirty)
            modules_seen = [module_saves[i - 2] for i in ordered if 2 <= i < first_class]
            classes_seen = [class_saves[i - first_class] for i in ordered if i >= first_class]
        for name, namespace, saved in modules_seen:
            if quick or same(namespace, saved):
                continue
            current = exact_list(dict_items(namespace))
            prefix = name + "."
            for key, value in current:  # submodules imported since (import binds them) stay
                if (
                    type_of(key) is exact_str
                    and key not in saved
                    and type_of(value) is module_type
                    and dict_get(modules_dict, prefix + key, missing) is value
                ):
                    saved[key] = value
                    base["stale"] = True
            if same(namespace, saved):
                continue
            undo.append((namespace, current))
            dict_clear(namespace)
            dict_update(namespace, saved)
        for cls, members, saved in classes_seen:
            if quick or same(members, saved):
                continue
            undo.append((cls, exact_list(members.items())))
            for key in [k for k in members if k not in saved]:
                del_type_attr(cls, key)
            for key, value in dict_items(saved):
                if members.get(key, missing) is not value:
                    set_type_attr(cls, key, value)
        for live, saved_list in ((meta_path, base["meta_path"]), (path_hooks, base["path_hooks"])):
            if len_(live) != len_(saved_list) or not all_(map_(is_, live, saved_list)):
                undo.append((live, exact_list(live)))
                live[:] = saved_list
        if (
            dirty and read_tag is not None
        ):  # every protected dict is pristine again: these tags are the new baseline
            expected = base["expected"]
            for i in dirty:
                expected[i] = read_tag(tag_views[i])
        set_recursion_limit(recursion_limit)
        try:  # noqa: SIM105 - contextlib would be a global lookup, patchable by learners
            chdir(cwd)
        except base_exception:
            pass
        return undo

    def swap_out(undo: list[Any]) -> None:
        """Give the learner's world back (their later cells see what they made)."""
        for target, before in undo[::-1]:
            try:
                if target is modules_marker:
                    for name, old in before:
                        if old is missing:
                            dict_pop(modules_dict, name, None)
                        else:
                            modules_dict[name] = old
                elif type_of(target) is exact_dict:
                    dict_clear(target)
                    dict_update(target, before)
                elif type_of(target) is exact_list:
                    target[:] = before
                else:
                    keys = {key for key, _value in before}
                    for key in [k for k in target.__dict__ if k not in keys]:
                        del_type_attr(target, key)
                    for key, value in before:
                        if target.__dict__.get(key, missing) is not value:
                            set_type_attr(target, key, value)
            except base_exception:
                pass

    def machinery(value: Any) -> bool:
        kind = type_of(value)
        if issubclass_(kind, pin_always):
            return True
        if not issubclass_(kind, pin_imported):
            return False
        module = get_attr(value, "__module__", None)
        return type_of(module) is exact_str and module != "__main__"

    def pin(before: dict[str, Any], namespace: dict[str, Any]) -> None:
        """Record the machinery a trusted cell bound."""
        for key, value in exact_list(dict_items(namespace)):
            if type_of(key) is not exact_str or key == "__builtins__":
                continue
            if dict_get(before, key, missing) is not value and machinery(value):
                pins[key] = value

    def str_items(namespace: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in exact_list(dict_items(namespace)) if type_of(k) is exact_str}

    def private_builtins() -> dict[str, Any]:
        own = exact_dict(base["builtins"])
        dict_update(own, builtin_extras)
        return own

    def restore_streams() -> None:
        sys_dict["stdout"], sys_dict["stderr"] = base["sys"]["stdout"], base["sys"]["stderr"]

    # -- the three kinds of step ----------------------------------------------------------------
    def run_learner_cell(index: int, source: str) -> None:
        ok, message, line = True, "", 0
        sys_dict["stdout"] = learner_stream(state["max_output"])
        sys_dict["stderr"] = learner_stream(state["max_output"])
        try:
            started = clock()
            unblock()
            try:
                outcome = run_cell(source, store_history=True, silent=False)
            finally:
                block()
                state["seconds"] = clock() - started
            error = outcome.error_before_exec or outcome.error_in_exec
            if error is not None:
                ok, message, line = False, describe(error), line_of(error)
        except base_exception as exc:
            block()
            ok, message = False, describe(exc)
        restore_streams()
        result(index, ok, message, "", None, line)

    def run_trusted(index: int, source: str) -> None:
        """A locked cell of the bundle, in the learner's namespace, with pristine libraries."""
        undo = swap_in()
        before = str_items(user_ns)
        ok, message = True, ""
        user_ns["__builtins__"] = private_builtins()
        sys_dict["stdout"], sys_dict["stderr"] = string_io(), string_io()
        try:
            code = compile_(source, "<cell>", "exec", 0, True)
            started = clock()
            unblock()
            try:
                exec_(code, user_ns)
            finally:
                block()
                state["seconds"] = clock() - started
        except base_exception as exc:
            block()
            ok, message = False, describe(exc)
        restore_streams()
        user_ns["__builtins__"] = builtins_module
        pin(before, user_ns)
        swap_out(undo)
        result(index, ok, message, "")

    def run_test(index: int, body: str, expr: str) -> None:
        """A test cell, in the learner's namespace as nbgrader runs it (tests may ``del`` or
        replace learner names), with, for its duration: names the bundle's cells bound to
        modules, classes and functions pinned, learner names that shadow builtins hidden,
        and a private copy of the builtins."""
        namespace = user_ns
        replaced: dict[str, Any] = {}  # name -> the learner's value (or missing)
        builtin_names = base["names"]
        for name in exact_list(namespace):
            if (
                type_of(name) is exact_str
                and name in builtin_names
                and name[:2] != "__"
                and name not in pins
            ):
                replaced[name] = dict_pop(namespace, name)  # the learner's `len = ...`
        for name, value in exact_list(dict_items(pins)):
            current = dict_get(namespace, name, missing)
            if current is not value:
                replaced[name] = current
                namespace[name] = value
        replaced["__builtins__"] = dict_get(namespace, "__builtins__", missing)
        namespace["__builtins__"] = private_builtins()
        installed = {name: dict_get(namespace, name, missing) for name in replaced}
        undo = swap_in()
        out, err = string_io(), string_io()
        sys_dict["stdout"], sys_dict["stderr"] = out, err
        ftruncate(sink, 0)
        lseek(sink, 0, 0)
        dup2(sink, 2)
        ok, message, value, line = True, "", None, 0
        try:
            code = compile_(body, "<test cell>", "exec", 0, True)
            last = compile_(expr, "<test cell>", "eval", 0, True) if expr else None
            started = clock()
            unblock()
            try:
                exec_(code, namespace)
                if last is not None:
                    value = eval_(last, namespace)
            finally:
                block()
                state["seconds"] = clock() - started
        except base_exception as exc:
            block()
            ok, message, line = False, describe(exc), line_of(exc)
        # the verdict is decided: learner code that runs from here on (a value's __float__,
        # an exception's __str__) cannot change it
        restore_streams()
        null = os_open(devnull_path, o_rdwr)
        dup2(null, 2)
        close(null)
        swap_out(undo)
        for name, learner_value in exact_list(dict_items(replaced)):
            if dict_get(namespace, name, missing) is not installed[name]:
                continue  # the test bound it itself: its binding stays, as in nbgrader
            if learner_value is missing:
                dict_pop(namespace, name, None)
            else:
                namespace[name] = learner_value
        stderr = ""
        try:
            stderr = getvalue(err)[:2000]
            if not stderr:
                lseek(sink, 0, 0)
                stderr = read(sink, 2000).decode("utf-8", "replace")
            limit = state["max_output"]
            if len_(getvalue(out)) > limit or len_(getvalue(err)) > limit:
                ok, message = (
                    False,
                    f"output limit exceeded: the cell printed more than {limit} characters",
                )
        except base_exception:
            pass
        shown = None
        if ok and value is not None:  # what a kernel would show: nbgrader's partial credit
            try:
                shown = repr_(value)  # C for the numbers a test computes
            except base_exception as exc:  # a kernel would show this error instead
                ok, message = False, describe(exc)
        result(index, ok, message, stderr, shown, line)

    # -- the loop ----------------------------------------------------------------------------------
    def preflight(required: list[str]) -> str:
        """The machinery works in this sandbox; else the grader's fault, in words."""
        for name in required:
            try:
                import_(name)
            except base_exception as exc:
                return (
                    f"the module {name} (listed in [grading] preload) cannot be imported in "
                    f"the sandbox: {describe(exc)}"
                )
        try:
            outcome = run_cell("pass", store_history=False, silent=True)
            error = outcome.error_before_exec or outcome.error_in_exec
            if error is not None:
                return f"IPython cannot run a cell in the sandbox: {describe(error)}"
        except base_exception as exc:
            return f"IPython cannot run a cell in the sandbox: {describe(exc)}"
        return ""

    def loop() -> None:
        block()
        state["pid"] = getpid()
        kind, payload = read_frame()
        if kind != 1 or len_(payload) < 32:
            return
        state["key"] = payload[:32]
        fields = payload[32:].split(b"\0")
        state["max_output"] = exact_int(fields[0] or b"1048576")
        required = (
            [n for n in fields[1].decode("utf-8").split(",") if n] if len_(fields) > 1 else []
        )
        problem = preflight(required)
        if problem:
            send(13, text(problem, 2000))
            return
        rebase()
        send(12, b"")
        while True:
            kind, payload = read_frame()
            if kind == 5:
                send(15, b"")
                return
            (index,) = unpack("!I", payload)
            run_step(kind, index, payload)

    def run_step(kind: int, index: int, payload: bytes) -> None:
        state["seconds"] = 0.0
        if kind == 2:
            run_learner_cell(index, payload[4:].decode("utf-8", "replace"))
        elif kind == 3:
            run_trusted(index, payload[4:].decode("utf-8", "replace"))
        elif kind == 4:
            (size,) = unpack("!I", payload, 4)
            body = payload[8 : 8 + size].decode("utf-8", "replace")
            run_test(index, body, payload[8 + size :].decode("utf-8", "replace"))

    return loop

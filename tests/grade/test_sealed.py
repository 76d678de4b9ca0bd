"""The sealed loop's structure: what runs test cells and reports verdicts looks up nothing
learner code could change (no global name, no module attribute at run time)."""

from __future__ import annotations

import dis
import types

from mastery_nb.grade import sealed


def _nested(code: types.CodeType) -> list[types.CodeType]:
    found = []
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            found += [const, *_nested(const)]
    return found


def test_the_sealed_functions_look_up_no_global_name() -> None:
    for factory in (sealed.seal, sealed.make_audit_hook):
        inner = _nested(factory.__code__)
        assert len(inner) >= 2
        for code in inner:
            names = [
                i.argval
                for i in dis.get_instructions(code)
                if i.opname in ("LOAD_GLOBAL", "LOAD_NAME", "STORE_GLOBAL", "DELETE_GLOBAL")
            ]
            assert names == [], f"{factory.__name__}.{code.co_name} looks up {names}"


def test_the_audit_hook_refuses_what_reaches_frames_memory_and_code() -> None:
    hook = sealed.make_audit_hook()
    refused = [
        ("sys._getframe", ()),
        ("sys._current_frames", ()),
        ("object.__getattr__", (None, "tb_frame")),
        ("object.__getattr__", (None, "gi_frame")),
        ("object.__setattr__", (None, "__code__", None)),
        ("object.__setattr__", (None, "__defaults__", None)),
        ("gc.get_objects", (-1,)),
        ("ctypes.dlsym", (None, "x")),
        ("code.__new__", ()),
        ("marshal.loads", (b"",)),
        ("sys.settrace", ()),
        ("sys.addaudithook", ()),
        ("import", ("_cffi_backend", None, None, None, None)),
    ]
    for event, args in refused:
        try:
            hook(event, args)
        except (RuntimeError, ValueError, ImportError):
            continue
        raise AssertionError(f"{event} {args} was allowed")
    for event, args in [
        ("open", ("x", "r", 0)),
        ("object.__getattr__", (None, "__code__")),
        ("import", ("numpy", None, None, None, None)),
        ("compile", (b"", "x")),
    ]:
        hook(event, args)  # allowed: inspect.signature, imports, compiling source

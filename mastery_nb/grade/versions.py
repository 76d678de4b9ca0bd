"""Has a dict changed? CPython's per-dict version tag, read without touching what it holds.

Before every trusted cell and test the sealed loop must know whether learner code changed
any protected namespace (every preloaded module's, the protected classes', the builtins,
``sys.modules``). Comparing every value by identity touches every object those dicts hold
(about 50,000 with numpy, pandas, matplotlib and IPython): each touch is a cache miss and,
in a child forked from the zygote, a copy-on-write page fault. That cost milliseconds per
test in every child, more than the learner's own cells.

CPython keeps, in each dict, a version tag (PEP 509, ``ma_version_tag``) taken from a
global counter that only grows, set on every change of the dict. Reading the tags of the
1,700-odd protected dicts reads 1,700 words and touches no value: nothing is copied, and
a changed dict is found at once (its contents are then compared, and restored, as
before). The tag is not part of the language, so :func:`tag_readers` proves on this
interpreter that it behaves as described (insert, replace, delete, clear, a class
attribute set through ``setattr``) and returns None otherwise: the sealed loop then
compares values, as it always could.

The views are ``ctypes`` objects made in the zygote, before any learner exists; the
sealed loop holds them in closure cells only (docs/security.md: learner code reaches no
frame, no object graph and no ``ctypes``), since a view could also write a tag.
"""

from __future__ import annotations

import ctypes
import gc
import itertools
import platform
import sys
from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["TagReaders", "class_dict", "tag_readers"]

#: ob_refcnt, ob_type, ma_used: the tag follows them in ``PyDictObject`` (3.10 to 3.13)
_OFFSET = 3 * ctypes.sizeof(ctypes.c_ssize_t)

TagReaders = tuple[list[Any], Callable[[Any], int]]


def class_dict(cls: type) -> dict[str, Any] | None:
    """The dict behind ``cls.__dict__`` (a read-only proxy of it)."""
    found = [r for r in gc.get_referents(cls.__dict__) if type(r) is dict]
    return found[0] if len(found) == 1 else None


def _view(target: dict[str, Any]) -> Any:
    return ctypes.c_uint64.from_address(id(target) + _OFFSET)


def _behaves(read: Callable[[Any], int]) -> bool:
    """Every change of a dict (and of a class's dict) gives it a new, larger tag."""
    sample: dict[str, Any] = {}
    view = _view(sample)
    seen = [read(view)]
    changes: tuple[Callable[[], object], ...] = (
        lambda: sample.__setitem__("a", object()),
        lambda: sample.__setitem__("a", object()),  # a value replaced: its size is the same
        lambda: sample.update(b=1),
        lambda: sample.__delitem__("a"),
        lambda: sample.clear(),
    )
    for change in changes:
        change()
        seen.append(read(view))
    if any(later <= earlier for earlier, later in itertools.pairwise(seen)):
        return False

    class Probe:
        value = 1

    members = class_dict(Probe)
    if members is None:
        return False
    view = _view(members)
    before = read(view)
    Probe.value = 2
    return read(view) > before


def tag_readers(dicts: Iterable[dict[str, Any]]) -> TagReaders | None:
    """Views of the version tags of ``dicts`` and the C getter that reads one, or None
    when this interpreter has no tag that behaves (then compare values instead)."""
    if platform.python_implementation() != "CPython" or not (3, 10) <= sys.version_info < (3, 14):
        return None
    if getattr(sys, "_is_gil_enabled", lambda: True)() is False:
        return None  # a free-threaded build lays dicts out otherwise
    read: Callable[[Any], int] = ctypes.c_uint64.value.__get__  # type: ignore[attr-defined, misc]
    try:
        if not _behaves(read):
            return None
    except Exception:
        return None
    return [_view(target) for target in dicts], read

"""Run one author check against the learner's namespace and turn what happens into a verdict.

An author's check is ``fn(ns) -> None``: returning (None or True) means correct,
:func:`fail` means incorrect with a specific message, :func:`not_attempted` (or reading a
name the learner has not defined yet, or the learner's function still raising the nbgrader
stub's ``NotImplementedError``) means not attempted. Any other exception is an error; if it
came out of the learner's own code we show *their* exception type and message, never our
traceback. Student code is hostile: exceptions with broken ``__str__``, ``SystemExit`` and
huge messages all become a short verdict.
"""

from __future__ import annotations

import contextlib
import linecache
import os
import sys
import sysconfig
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from mastery_nb.checks.verdict import PRACTICE_PASSED, Verdict

__all__ = [
    "CheckFailed",
    "LearnerNamespace",
    "NotAttempted",
    "fail",
    "not_attempted",
    "run_check",
]

_MAX_MESSAGE = 600


class CheckFailed(Exception):
    """Raised by :func:`fail`: the answer is wrong, with a message for the learner."""

    def __init__(self, message: str, expected: object = None, has_expected: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.expected = expected
        self.has_expected = has_expected


class NotAttempted(Exception):
    """Raised by :func:`not_attempted` or by reading an undefined name from the namespace."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


_NO_EXPECTED = object()


def fail(message: str, *, expected: object = _NO_EXPECTED) -> None:
    """Mark the answer incorrect with ``message`` (say what is wrong, not the answer).

    ``expected`` is appended (``expected: ...``) only when the question was declared
    with ``reveal=True``.
    """
    if expected is _NO_EXPECTED:
        raise CheckFailed(message)
    raise CheckFailed(message, expected, True)


def not_attempted(message: str = "") -> None:
    """Mark the question not attempted yet (for example, the stub is untouched)."""
    raise NotAttempted(message)


class LearnerNamespace(Mapping[str, Any]):
    """A read-only view of the learner's variables handed to a check.

    ``ns["total"]`` on an undefined name means the learner has not done that part yet, so it
    raises :class:`NotAttempted` rather than ``KeyError``; ``"total" in ns`` and
    ``ns.get("total")`` work as on a dict.
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = data

    def __getitem__(self, name: str) -> Any:
        try:
            return self._data[name]
        except KeyError:
            raise NotAttempted(
                f"`{name}` is not defined yet: write your answer and run its cell first."
            ) from None

    def __iter__(self) -> Iterator[str]:
        return (k for k in self._data if not k.startswith("_"))

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __contains__(self, name: object) -> bool:
        return name in self._data


def safe_str(exc: BaseException) -> str:
    """``str(exc)`` that cannot raise or flood the screen."""
    try:
        text = str(exc)
    except Exception:
        text = "<the exception's message could not be shown>"
    if len(text) > _MAX_MESSAGE:
        text = text[:_MAX_MESSAGE] + " …"
    return text


def _type_name(exc: BaseException) -> str:
    try:
        return type(exc).__name__
    except Exception:  # pragma: no cover - paranoia
        return "Exception"


def _library_roots() -> tuple[str, ...]:
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        with contextlib.suppress(KeyError):
            roots.add(sysconfig.get_paths()[key])
    roots.add(str(Path(__file__).resolve().parent.parent))  # the mastery_nb package
    return tuple(os.path.realpath(r) for r in roots if r)


_LIBRARY_ROOTS = _library_roots()


def _is_learner_file(filename: str, check_files: frozenset[str]) -> bool:
    """Code the learner wrote: notebook cells and their own modules, not ours or libraries."""
    if filename in check_files or filename.startswith("<frozen"):
        return False
    if filename.startswith("<"):
        return True  # <ipython-input-…>, <string>, <cell>: learner cells
    real = os.path.realpath(filename)
    if real in check_files:
        return False
    return not any(real == r or real.startswith(r + os.sep) for r in _LIBRARY_ROOTS)


def _learner_frame(tb: TracebackType | None, check_files: frozenset[str]) -> tuple[str, int] | None:
    """The innermost traceback frame in learner code, as (filename, line)."""
    found: tuple[str, int] | None = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if _is_learner_file(filename, check_files):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _raised_not_implemented(exc: BaseException) -> bool:
    seen = 0
    cur: BaseException | None = exc
    while cur is not None and seen < 10:
        if isinstance(cur, NotImplementedError):
            return True
        cur = cur.__cause__ or cur.__context__
        seen += 1
    return False


def run_check(
    fn: Callable[..., object],
    ns: Mapping[str, Any],
    *,
    question: str,
    objective: str,
    objective_text: str = "",
    reveal: bool = False,
    form: Mapping[str, Any] | None = None,
) -> Verdict:
    """Run ``fn`` on the learner's namespace (and, when given, their form: ``fn(ns, form)``)
    and classify the outcome. Never raises (except ``KeyboardInterrupt``, which is the
    learner stopping the cell)."""

    def verdict(status: str, message: str) -> Verdict:
        return Verdict(
            question=question,
            status=status,  # type: ignore[arg-type]
            message=message,
            objective=objective,
            objective_text=objective_text,
        )

    code = getattr(fn, "__code__", None)
    check_files = frozenset(
        {code.co_filename, os.path.realpath(code.co_filename)} if code is not None else set()
    )
    try:
        result = fn(LearnerNamespace(ns)) if form is None else fn(LearnerNamespace(ns), form)
    except CheckFailed as exc:
        message = exc.message
        if reveal and exc.has_expected:
            message = f"{message} (expected: {exc.expected!r})"
        return verdict("incorrect", message)
    except NotAttempted as exc:
        return verdict(
            "not_attempted", exc.message or "Not attempted yet: write your answer and run its cell."
        )
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # learner code may raise anything, even SystemExit
        if _raised_not_implemented(exc):
            return verdict(
                "not_attempted",
                "Not attempted yet: your code still raises NotImplementedError. Replace "
                "`raise NotImplementedError()` with your answer and run the cell.",
            )
        where = _learner_frame(exc.__traceback__, check_files)
        name, text = _type_name(exc), safe_str(exc)
        shown = f"{name}: {text}" if text else name
        if isinstance(exc, SystemExit):
            return verdict("error", "Your code tried to exit the Python interpreter (SystemExit).")
        if where is not None:
            line = linecache.getline(where[0], where[1]).strip()
            at = f" at `{line[:200]}`" if line else ""
            return verdict("error", f"Your code raised {shown}{at}.")
        return verdict(
            "error",
            f"The check could not run on your answer ({shown}). Make sure your answer has the "
            "type and shape the question asks for; if it does, tell your instructor.",
        )
    if result is None or result is True:
        return verdict("correct", PRACTICE_PASSED)
    if isinstance(result, Verdict):
        return result
    if isinstance(result, str):
        return verdict("incorrect", result)
    return verdict("incorrect", "Not yet: look at your answer again.")

"""What the kernel knows about where it runs: grading mode, a widget frontend, IPython.

Widgets are shown whenever IPython and ipywidgets are there, each with a ``text/plain``
twin holding the verdict, so a notebook executed without a widget frontend (nbclient,
``nbconvert --execute``, nbval) still records it. ``MASTERY_NB_WIDGETS=0`` switches to
plain text only; grading mode never shows widgets.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import Any

__all__ = [
    "GRADING_ENV",
    "WIDGETS_ENV",
    "current_parent",
    "display_bundle",
    "enter_grading_mode",
    "grading_mode",
    "ipython",
    "output_parent",
    "request_time",
    "widgets_enabled",
]

GRADING_ENV = "MASTERY_NB_GRADING"
WIDGETS_ENV = "MASTERY_NB_WIDGETS"


#: set by the grader before any learner code exists (see :func:`enter_grading_mode`)
_GRADING_SEALED = False


def grading_mode() -> bool:
    """True when the autograder executes the notebook.

    The grader enters grading mode in its warm interpreter before any learner code runs
    (:func:`enter_grading_mode`); from then on nothing turns it off: not the environment,
    and learner code that rebinds this module's names is undone before every test cell.
    Outside the grader, ``MASTERY_NB_GRADING=1`` asks for it (to try a notebook as graded).
    """
    if _GRADING_SEALED:
        return True
    return os.environ.get(GRADING_ENV, "").strip().lower() in ("1", "true", "yes")


def enter_grading_mode() -> None:
    """Grading mode for the rest of this process (the grader's zygote calls it once)."""
    global _GRADING_SEALED
    _GRADING_SEALED = True


def ipython() -> Any:
    """The running IPython shell, or None outside IPython."""
    try:
        from IPython.core.getipython import get_ipython
    except ImportError:  # pragma: no cover
        return None
    return get_ipython()  # type: ignore[no-untyped-call,unused-ignore]


def widgets_enabled() -> bool:
    """Should checks show ipywidgets (in addition to their plain-text twin)?

    Yes inside IPython with ipywidgets installed, except in grading mode or when
    ``MASTERY_NB_WIDGETS=0``. We cannot know in advance whether a widget frontend will
    render the output (JupyterLab creates its widget manager lazily, on the first widget
    it renders), so every widget output also carries the verdict as ``text/plain``: a
    headless run (nbclient, nbconvert, nbval) records the same words.
    """
    forced = os.environ.get(WIDGETS_ENV, "").strip().lower()
    if forced in ("0", "false", "no") or grading_mode() or ipython() is None:
        return False
    try:
        import ipywidgets  # noqa: F401
    except ImportError:  # pragma: no cover
        return False
    return True


def display_bundle(
    data: Mapping[str, Any], *, display_id: str | None = None, update: bool = False
) -> None:
    """Display a raw MIME bundle in IPython; print its text outside IPython."""
    if ipython() is None:
        if not update and "text/plain" in data:
            print(data["text/plain"])
        return
    from IPython.display import display

    if display_id is None:
        display(dict(data), raw=True)  # type: ignore[no-untyped-call]
    else:
        display(dict(data), raw=True, display_id=display_id, update=update)  # type: ignore[no-untyped-call]


def current_parent() -> dict[str, Any] | None:
    """The header of the request being executed now (the cell), to route later updates."""
    shell = ipython()
    pub = getattr(shell, "display_pub", None)
    header = getattr(pub, "parent_header", None)
    return dict(header) if isinstance(header, dict) and header else None


def request_time() -> datetime | None:
    """When the frontend sent the message being handled now (its header's ``date``).

    Widget messages may be handled out of order: ipykernel 7 runs a widget's messages on a
    subshell thread while a button's click runs on the main one. The date the browser
    stamped on each message says which came first on the learner's screen.
    """
    shell = ipython()
    kernel = getattr(shell, "kernel", None)
    get_parent = getattr(kernel, "get_parent", None)
    try:
        parent = get_parent() if callable(get_parent) else None
    except Exception:
        parent = None
    header = parent.get("header") if isinstance(parent, dict) else None
    date = header.get("date") if isinstance(header, dict) else None
    if isinstance(date, str):
        try:
            date = datetime.fromisoformat(date.replace("Z", "+00:00"))
        except ValueError:
            return None
    if not isinstance(date, datetime) or date.tzinfo is None:
        return None
    return date


@contextmanager
def output_parent(parent: dict[str, Any] | None) -> Iterator[None]:
    """Send displays as if from ``parent`` (the cell that showed a widget).

    A button click arrives as a comm message; JupyterLab routes outputs by their parent
    request, so an ``update_display_data`` sent under the click's header would not reach
    the quiz cell's output (and the saved notebook). Under the cell's own header it does.
    """
    shell = ipython()
    pub = getattr(shell, "display_pub", None)
    setter = getattr(pub, "set_thread_parent", None)
    resetter = getattr(pub, "reset_thread_parent", None)
    if parent is None or setter is None or resetter is None:
        yield
        return
    token = setter(parent)
    try:
        yield
    finally:
        resetter(token)

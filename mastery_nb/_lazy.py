"""Package exports imported on first use, so ``mastery-nb VERB --help`` stays fast.

A package such as :mod:`mastery_nb.progress` re-exports its API (``from mastery_nb.progress
import course_progress``), but its ``cli`` module must be importable without the store,
nbformat or nbgrader behind that API. ``__getattr__ = lazy_exports(__name__, {...})`` in
the package's ``__init__`` imports each name's module only when the name is first read
(PEP 562); the same names are imported under ``TYPE_CHECKING`` for the type checker.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

__all__ = ["lazy_exports"]


def lazy_exports(package: str, exports: dict[str, str]) -> Callable[[str], object]:
    """A module ``__getattr__`` serving ``exports`` (name -> module that defines it)."""

    def __getattr__(name: str) -> object:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(module), name)

    return __getattr__

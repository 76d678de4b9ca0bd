"""Which modules a grading worker imports once, before it forks a child per notebook.

A module imported in the zygote costs nothing per submission (the fresh child inherits
it) and is protected from learner code like the default preload; one imported in the
child costs its import every time (scikit-learn: about 1.5 s). A course names the modules
its notebooks need in ``[grading] preload`` (required: failing to import one is a grader
error); the rest are found here, in the grading bundle itself: every ``import`` of its
cells (setup, locked and test cells: the instructor's code, never a learner's) and of its
support ``.py`` files, and the submodules its code reaches through an imported name
(``np.testing.assert_allclose`` after ``import numpy as np`` warms ``numpy.testing``).

Found modules are only *warmed*: the zygote imports those it can and skips the rest
quietly (a name found may be a function, not a submodule). Never warmed: what the
sandbox refuses (FFI and JIT modules, ``ctypes``), relative imports, and modules this
Python environment does not have.
"""

from __future__ import annotations

import ast
import importlib.util
import re
from collections.abc import Collection, Iterable
from pathlib import Path

from mastery_nb.course.bundle import UnitBundle
from mastery_nb.course.reader import ReleasedCourse
from mastery_nb.grade.sealed import VETOED_IMPORTS

__all__ = ["bundle_modules", "course_modules", "modules_in_source"]

#: never imported ahead: they give native code (the sandbox refuses them) or nothing
_NEVER = frozenset({"ctypes", "__future__", "__main__", "builtins", "this", "antigravity"})
#: IPython magics and shell escapes at the start of a line (not Python: dropped to parse)
_MAGIC = re.compile(r"^\s*[%!].*$", re.MULTILINE)
_MAX_CANDIDATES = 200


def _parse(source: str) -> ast.Module | None:
    for text in (source, _MAGIC.sub("", source)):
        try:
            return ast.parse(text)
        except (SyntaxError, ValueError):
            continue
    return None


def _dotted(node: ast.expr) -> list[str] | None:
    """``a.b.c`` as ``["a", "b", "c"]`` (None for anything but names and attributes)."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return parts[::-1]


def modules_in_source(source: str) -> list[str]:
    """Module names ``source`` imports, and submodules it reaches through them."""
    tree = _parse(source)
    if tree is None:
        return []
    found: list[str] = []
    aliases: dict[str, str] = {}  # a name bound by an import -> the module it is
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.append(alias.name)
                if alias.asname:
                    aliases[alias.asname] = alias.name
                else:
                    top = alias.name.partition(".")[0]
                    aliases[top] = top
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append(node.module)
            for alias in node.names:
                if alias.name != "*":
                    found.append(f"{node.module}.{alias.name}")  # a submodule, or not
                    aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
            parts = _dotted(node)
            if parts and parts[0] in aliases and len(parts) > 1:
                # np.testing.assert_allclose: numpy.testing (the last part is an attribute)
                base = aliases[parts[0]]
                for depth in range(1, len(parts) - 1 + 1):
                    found.append(".".join([base, *parts[1:depth]]))
    return found


def _usable(names: Iterable[str]) -> tuple[str, ...]:
    """Keep names whose top-level package this environment has (looked up without
    importing anything), outside :data:`_NEVER` and the sandbox's refused imports."""
    kept: dict[str, None] = {}
    tops: dict[str, bool] = {}
    for name in names:
        if not all(part.isidentifier() for part in name.split(".")):
            continue
        top = name.partition(".")[0]
        if top in _NEVER or top in VETOED_IMPORTS or name in VETOED_IMPORTS:
            continue
        if top not in tops:
            try:
                tops[top] = importlib.util.find_spec(top) is not None
            except (ImportError, ValueError):
                tops[top] = False
        if tops[top]:
            kept[name] = None
    ordered = sorted(kept, key=lambda n: (n.count("."), n))  # packages before their parts
    return tuple(ordered[:_MAX_CANDIDATES])


def bundle_modules(bundle: UnitBundle) -> list[str]:
    """Every module the code cells of a unit's grading bundle import."""
    found: list[str] = []
    for notebook in bundle.notebooks:
        for cell in notebook.cells:
            if cell.cell_type == "code":
                found += modules_in_source(cell.source)
    return found


def _another_units(stem: str, every_unit: set[str], unit_ids: Collection[str]) -> bool:
    """Is a support file named after units other than ``unit_ids`` only
    (``checks/<unit>.py``, ``checks/practice-<unit>.py``)? Other files are shared."""
    owners = {u for u in every_unit if stem == u or stem.endswith("-" + u)}
    return bool(owners) and not owners & set(unit_ids)


def course_modules(
    released: ReleasedCourse, unit_ids: Collection[str] | None = None
) -> tuple[str, ...]:
    """The modules worth warming for a released course: what its units' bundles and its
    support ``.py`` files import, that this environment has (see the module docstring).

    ``unit_ids``: only those units' bundles and the support files not named after another
    unit (a one-off ``mastery-nb grade`` warms what the queued attempts need, not every
    library of the course); None: every unit."""
    found: list[str] = []
    try:
        course = released.course()
    except Exception:
        return ()
    for unit in course.units:
        if unit_ids is not None and unit.id not in unit_ids:
            continue
        try:
            found += bundle_modules(released.unit_bundle(unit.id))
        except Exception:
            continue
    files: Path = released.files_dir
    every_unit = {unit.id for unit in course.units}
    if files.is_dir():
        for path in sorted(files.rglob("*.py"))[:200]:
            if unit_ids is not None and _another_units(path.stem, every_unit, unit_ids):
                continue
            try:
                found += modules_in_source(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                continue
    return _usable(found)

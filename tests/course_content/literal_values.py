"""Turn each answer of the sample course into "literal answers": its values pasted as constants.

Run as a script in a subprocess (``python literal_values.py COURSE_DIR OUT.json``), so the
notebooks' imports and plots never touch the test process. For every unit it executes the
source notebook with its solutions in an IPython shell (cwd = the notebook's folder; test
cells are skipped: hidden tests must not shape the constants) and writes, per answer cell,
a replacement that a learner who only copied printed results would type:

* every value the solution bound (``total = 7.95``, a list, a DataFrame) as a constant
  (a Python literal when one reads back equal, else ``pickle.loads(b"...")``);
* every function the solution defined as a function that ignores its arguments and
  returns what the real one returned the first time the notebook called it (``None``
  when only hidden tests call it);
* modules the cell imported, imported again.

``{"<unit>": {"<grade_id>": "<source>"}}`` goes to OUT.json.
"""

from __future__ import annotations

import ast
import json
import os
import pickle
import sys
import types
from pathlib import Path
from typing import Any

import nbformat
import tomllib
from IPython.core.interactiveshell import InteractiveShell

_SKIP = {"In", "Out", "exit", "quit", "get_ipython", "checks"}
_NOTHING = object()


def _literal(value: Any) -> str:
    """Source text that evaluates to ``value``: a literal if possible, else a pickle."""
    text = repr(value)
    try:
        if type(ast.literal_eval(text)) is type(value) and ast.literal_eval(text) == value:
            return text
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        pass
    try:
        return f"__import__('pickle').loads({pickle.dumps(value)!r})"
    except Exception:
        return "None"


class _Returns:
    """Records the first value each notebook-defined function returns (a profile hook)."""

    def __init__(self) -> None:
        self.first: dict[types.CodeType, str] = {}
        self.active = False

    def __call__(self, frame: types.FrameType, event: str, arg: Any) -> None:
        if not self.active or event != "return":
            return
        code = frame.f_code
        if code.co_name == "<module>" or code in self.first:
            return
        if not code.co_filename.startswith("<ipython-input"):
            return
        self.first[code] = _literal(arg)


def _bound(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [
        name
        for name, value in after.items()
        if not name.startswith("_")
        and name not in _SKIP
        and before.get(name, _NOTHING) is not value
    ]


def unit_literals(shell: InteractiveShell, notebook: Path) -> dict[str, str]:
    nb = nbformat.read(notebook, as_version=4)
    shell.reset(new_session=True)
    os.chdir(notebook.parent)
    returns = _Returns()
    sys.setprofile(returns)
    bound: dict[str, list[tuple[str, Any, str]]] = {}  # grade_id -> (name, value, literal)
    try:
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade") and not meta.get("solution"):
                continue  # a test cell
            before = dict(shell.user_ns)
            returns.active = True
            shell.run_cell(cell.source, store_history=True, silent=False)
            returns.active = False
            if meta.get("solution"):
                after = shell.user_ns
                bound[meta["grade_id"]] = [
                    (name, after[name], _literal(after[name])) for name in _bound(before, after)
                ]
    finally:
        sys.setprofile(None)
    result: dict[str, str] = {}
    for grade_id, names in bound.items():
        lines: list[str] = []
        for name, value, literal in names:
            if isinstance(value, types.ModuleType):
                lines.append(f"import {value.__name__} as {name}")
            elif isinstance(value, types.FunctionType):
                constant = returns.first.get(value.__code__, "None")
                lines.append(f"def {name}(*args, **kwargs):\n    return {constant}")
            else:
                lines.append(f"{name} = {literal}")
        result[grade_id] = "\n".join(lines) or "pass"
    return result


def main() -> None:
    course_dir, out = Path(sys.argv[1]).resolve(), Path(sys.argv[2])
    manifest = tomllib.loads((course_dir / "course.toml").read_text(encoding="utf-8"))
    shell = InteractiveShell.instance()
    literals = {
        unit["id"]: unit_literals(shell, course_dir / unit["notebooks"][0])
        for unit in manifest["units"]
    }
    out.write_text(json.dumps(literals, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()

"""The student version of one unit notebook, made by nbgrader's own preprocessors.

Why nbgrader's: instructors already trust what ``nbgrader generate_assignment`` does to
their notebooks (the ``# YOUR CODE HERE`` stub, hidden tests removed, locked cells,
checksums), and nbgrader's autograder accepts what they produce. We run them in nbgrader's
order (lock, clear solutions, clear outputs, remember the full test source, clear hidden
tests, checksum), then make the bytes deterministic: nbformat 4.5 with cell ids derived
from ``grade_id`` or the cell's position, no execution counts, no widget state, no timing.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import nbformat
from nbformat import NotebookNode
from nbgrader.preprocessors import (
    ClearHiddenTests,
    ClearOutput,
    ClearSolutions,
    ComputeChecksums,
    LockCells,
)

from mastery_nb.course.notebook import grade_id

__all__ = ["NBFORMAT_MINOR", "StudentNotebook", "notebook_bytes", "student_notebook"]

NBFORMAT_MINOR = 5
_CELL_ID = re.compile(r"[^A-Za-z0-9_-]")
_VOLATILE_CELL_METADATA = ("execution", "ExecuteTime", "collapsed", "scrolled")
_VOLATILE_NOTEBOOK_METADATA = ("widgets", "celltoolbar", "toc", "varInspector")


class StudentNotebook:
    """A released notebook and, per cell index, its source before hidden tests were removed."""

    def __init__(self, notebook: NotebookNode, full_sources: dict[int, str]) -> None:
        self.notebook = notebook
        self.full_sources = full_sources

    @property
    def kernel_name(self) -> str:
        name = self.notebook.metadata.get("kernelspec", {}).get("name", "python3")
        return str(name)


def student_notebook(source: NotebookNode) -> StudentNotebook:
    """Run nbgrader's release preprocessors on a copy of a validated source notebook."""
    nb = copy.deepcopy(source)
    resources: dict[str, Any] = {}
    for step in (LockCells(), ClearSolutions(), ClearOutput()):
        nb, resources = step.preprocess(nb, resources)
    full_sources = {index: cell.source for index, cell in enumerate(nb.cells)}
    for step in (ClearHiddenTests(), ComputeChecksums()):
        nb, resources = step.preprocess(nb, resources)
    _normalise(nb)
    return StudentNotebook(nb, full_sources)


def _normalise(nb: NotebookNode) -> None:
    """Deterministic, runnable output: fixed nbformat minor, stable ids, nothing volatile."""
    nb.nbformat = 4
    nb.nbformat_minor = NBFORMAT_MINOR
    for key in _VOLATILE_NOTEBOOK_METADATA:
        nb.metadata.pop(key, None)
    kernelspec = nb.metadata.get("kernelspec")
    # nbgrader's own examples name the kernel "python", which no ipykernel installs
    if (
        isinstance(kernelspec, dict)
        and kernelspec.get("name") == "python"
        and kernelspec.get("language", "python") == "python"
    ):
        kernelspec["name"] = "python3"
    used: set[str] = set()
    for index, cell in enumerate(nb.cells):
        for key in _VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            cell.execution_count = None
            cell.outputs = []
        base = _CELL_ID.sub("-", grade_id(cell))[:56] or f"cell-{index}"
        cell_id = base
        suffix = 1
        while cell_id in used:
            suffix += 1
            cell_id = f"{base}-{suffix}"
        used.add(cell_id)
        cell.id = cell_id


def notebook_bytes(nb: NotebookNode) -> bytes:
    """nbformat's own serialisation (sorted keys, indent 1), UTF-8, one final newline."""
    nbformat.validate(nb)
    text: str = nbformat.writes(nb, version=4)  # type: ignore[no-untyped-call]
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")

"""The student version of one unit notebook, made by nbgrader's own preprocessors.

Why nbgrader's: instructors already trust what ``nbgrader generate_assignment`` does to
their notebooks (the ``# YOUR CODE HERE`` stub, hidden tests removed, locked cells,
checksums), and nbgrader's autograder accepts what they produce. We run them in nbgrader's
order (expand AUTOTEST lines, lock, clear solutions, clear outputs, remember the full test
source, clear hidden tests, checksum), then make the bytes deterministic: nbformat 4.5 with cell ids derived
from ``grade_id`` or the cell's position, no execution counts, no widget state, no timing.
"""

from __future__ import annotations

import contextlib
import copy
import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path
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

from mastery_nb.course.notebook import AUTOTESTS_FILE, find_autotests, grade_id, has_autotest
from mastery_nb.errors import MasteryError, Problem

_quiet = logging.getLogger("mastery_nb.release.autotests")
_quiet.addHandler(logging.NullHandler())
_quiet.propagate = False

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


def student_notebook(
    source: NotebookNode,
    *,
    folder: Path | None = None,
    course_folder: Path | None = None,
    file: str = "",
) -> StudentNotebook:
    """Run nbgrader's release preprocessors on a copy of a validated source notebook.

    ``folder`` is the source notebook's folder (where its AUTOTEST snippets run, with its
    data files), ``course_folder`` the course's; ``file`` names it in problems.
    """
    nb = copy.deepcopy(source)
    _python3_kernel(nb)
    if any(has_autotest(cell) for cell in nb.cells):
        nb = _expand_autotests(nb, folder, course_folder, file)
    resources: dict[str, Any] = {}
    for step in (LockCells(), ClearSolutions(), ClearOutput()):
        nb, resources = step.preprocess(nb, resources)
    full_sources = {index: cell.source for index, cell in enumerate(nb.cells)}
    for step in (ClearHiddenTests(), ComputeChecksums()):
        nb, resources = step.preprocess(nb, resources)
    _normalise(nb)
    return StudentNotebook(nb, full_sources)


def _python3_kernel(nb: NotebookNode) -> None:
    """nbgrader's own examples name the kernel "python", which no ipykernel installs."""
    kernelspec = nb.metadata.get("kernelspec")
    if (
        isinstance(kernelspec, dict)
        and kernelspec.get("name") == "python"
        and kernelspec.get("language", "python") == "python"
    ):
        kernelspec["name"] = "python3"


def _expand_autotests(
    nb: NotebookNode, folder: Path | None, course_folder: Path | None, file: str
) -> NotebookNode:
    """Replace ``# AUTOTEST expr`` lines by the asserts nbgrader's ``InstantiateTests`` writes.

    nbgrader runs the source notebook (solutions in place) in a kernel in the notebook's
    folder and turns each snippet into checks of its type and value (hashed after
    ``HASHED``), using the templates of ``autotests.yml``; released as comments instead,
    they would give a blank notebook full marks. Its salts are derived from the cell, so
    releasing twice gives the same bytes.
    """
    from nbgrader.preprocessors import InstantiateTests

    where = folder or Path.cwd()
    templates = find_autotests(where, course_folder or where)
    if templates is None:  # validation reports this first; a direct call still gets words
        raise MasteryError(
            Problem(file, "", f"AUTOTEST lines need {AUTOTESTS_FILE}", _AUTOTESTS_FIX)
        )
    step = InstantiateTests()
    step.log = _quiet
    step.autotest_filename = str(templates)  # absolute: os.path.join keeps it as it is
    try:
        with _kernel_chatter_hidden():
            expanded, _ = step.preprocess(nb, {"metadata": {"path": str(where)}})
    except Exception as error:
        raise MasteryError(
            Problem(
                file,
                "",
                f"AUTOTEST lines could not be expanded ({type(error).__name__}: {str(error)[:300]})",
                "run the source notebook top to bottom in Jupyter: every AUTOTEST snippet must "
                f"evaluate with the solutions in place, and {AUTOTESTS_FILE} must have templates "
                "for the notebook's kernel",
            )
        ) from None
    result: NotebookNode = expanded
    return result


@contextlib.contextmanager
def _kernel_chatter_hidden() -> Iterator[None]:
    """The kernel nbgrader starts inherits file descriptor 2 and warns there about its
    transport; a release prints only its own lines (errors come back as exceptions)."""
    saved = os.dup(2)
    try:
        with open(os.devnull, "wb") as sink:
            os.dup2(sink.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


_AUTOTESTS_FIX = (
    f"put nbgrader's {AUTOTESTS_FILE} (the test templates per type) beside the notebook or in "
    "the course folder"
)


def _normalise(nb: NotebookNode) -> None:
    """Deterministic, runnable output: fixed nbformat minor, stable ids, nothing volatile."""
    nb.nbformat = 4
    nb.nbformat_minor = NBFORMAT_MINOR
    for key in _VOLATILE_NOTEBOOK_METADATA:
        nb.metadata.pop(key, None)
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

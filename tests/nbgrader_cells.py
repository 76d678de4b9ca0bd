"""Building nbgrader-format unit notebooks for test courses.

The fixture courses of several parts (store, server, sidebar) are written as real
nbgrader source notebooks, with objectives in ``metadata.mastery``: these two helpers are
the one place that knows that format.
"""

from __future__ import annotations

import nbformat

__all__ = ["nbgrader_cell", "unit_notebook"]


def nbgrader_cell(
    kind: str,
    source: str,
    grade_id: str,
    *,
    grade: bool = False,
    solution: bool = False,
    points: float = 0,
    objectives: tuple[str, ...] = (),
) -> nbformat.NotebookNode:
    """A code or markdown cell with nbgrader metadata (schema 3); locked unless an answer."""
    make = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
    cell = make(source)
    meta: dict[str, object] = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": not solution,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if grade:
        meta["points"] = points
    cell.metadata["nbgrader"] = meta
    if objectives:
        cell.metadata["mastery"] = {"schema_version": 1, "objectives": list(objectives)}
    return cell


def unit_notebook(cells: list[nbformat.NotebookNode]) -> nbformat.NotebookNode:
    """A Python 3 notebook holding ``cells``."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    }
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells = cells
    return nb

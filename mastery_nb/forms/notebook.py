"""A form filled into notebooks and grading bundles: at release (the preview form), when a
learner starts a unit (their form) and when an attempt is graded (the form it was recorded
with).

The release keeps, for every cell that refers to the form, its source before the values
are filled in (:class:`~mastery_nb.course.bundle.FormCell` for the released notebook,
``BundleCell.template`` for the grader, test cells with their hidden tests), and fills in
the preview form for ``release/``. Filling in another form replaces exactly those cells and
recomputes their nbgrader checksums, so a learner's notebook is a released notebook like
any other (locked cells checksummed, nothing else changed) and grading restores its locked
cells, the setup cell with the values among them, from the bundle and the form, never from
what was submitted.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any

from mastery_nb.course.bundle import BundleCell, FormCell, FormFile, NotebookBundle, UnitBundle
from mastery_nb.course.notebook import grade_id, is_graded, is_locked, is_solution, points
from mastery_nb.forms.render import references, render_source
from mastery_nb.forms.values import public_values
from mastery_nb.grade.restore import nbgrader_checksum

__all__ = [
    "FORM_METADATA",
    "fill_preview",
    "notebook_form",
    "render_bundle",
    "render_notebook",
]

#: the notebook-level metadata key naming the unit and the form a notebook was made for
FORM_METADATA = "mastery"


def _checksum(cell: Mapping[str, Any]) -> str:
    """nbgrader's checksum of a released cell (its own ``compute_checksum``, same bytes)."""
    return nbgrader_checksum(
        str(cell.get("source", "")),
        str(cell.get("cell_type", "")),
        is_graded(cell),
        is_solution(cell),
        is_locked(cell),
        grade_id(cell),
        points(cell),
    )


def _fill_cell(cell: MutableMapping[str, Any], source: str) -> None:
    cell["source"] = source
    nbgrader = cell.get("metadata", {}).get("nbgrader")
    if isinstance(nbgrader, MutableMapping) and nbgrader.get("checksum"):
        nbgrader["checksum"] = _checksum(cell)


def _mark(notebook: MutableMapping[str, Any], unit: str, number: int) -> None:
    metadata = notebook.setdefault("metadata", {})
    metadata[FORM_METADATA] = {"schema_version": 1, "unit": unit, "form": number}


def fill_preview(
    notebook: MutableMapping[str, Any],
    full_sources: MutableMapping[int, str],
    values: Mapping[str, Any],
    *,
    unit: str,
    number: int = 0,
) -> tuple[tuple[FormCell, ...], dict[int, str]]:
    """Fill ``values`` (the preview form) into a released notebook, in place.

    ``full_sources`` are the cells' sources before hidden tests were removed (the bundle's);
    they are filled in too, with every value (the released cells with the public ones).
    Returns the released cells that refer to the form, unfilled, and per cell index the
    unfilled full source of every cell whose full source refers to it.
    """
    shown = public_values(values)
    form_cells: list[FormCell] = []
    templates: dict[int, str] = {}
    for index, cell in enumerate(notebook["cells"]):
        kind = str(cell.get("cell_type", ""))
        full = full_sources.get(index)
        if full is not None and references(kind, full):
            templates[index] = full
            full_sources[index] = render_source(kind, full, values)
        source = str(cell.get("source", ""))
        if references(kind, source):
            form_cells.append(
                FormCell.model_validate({"index": index, "cell_type": kind, "source": source})
            )
            _fill_cell(cell, render_source(kind, source, shown))
    if form_cells or templates:
        _mark(notebook, unit, number)
    return tuple(form_cells), templates


def render_notebook(
    notebook: MutableMapping[str, Any],
    form_cells: tuple[FormCell, ...],
    values: Mapping[str, Any],
    *,
    unit: str,
    number: int,
) -> None:
    """Fill a learner's form into a released notebook (parsed), in place: the cells of
    ``form_cells`` get their sources rendered with ``values`` (the public ones) and fresh
    checksums."""
    values = public_values(values)
    cells = notebook["cells"]
    for form_cell in form_cells:
        if form_cell.index < len(cells) and cells[form_cell.index].get("cell_type") == (
            form_cell.cell_type
        ):
            _fill_cell(
                cells[form_cell.index],
                render_source(form_cell.cell_type, form_cell.source, values),
            )
    _mark(notebook, unit, number)


def notebook_form(notebook: Mapping[str, Any]) -> tuple[str, int] | None:
    """``(unit, form number)`` a notebook says it was made for, if it says so.

    What the learner's notebook says is used to keep their work apart (a new form moves the
    old notebook aside) and to refuse submitting an old form's notebook, never to grade.
    """
    metadata = notebook.get("metadata")
    mark = metadata.get(FORM_METADATA) if isinstance(metadata, Mapping) else None
    if not isinstance(mark, Mapping):
        return None
    unit, number = mark.get("unit"), mark.get("form")
    if isinstance(unit, str) and isinstance(number, int) and not isinstance(number, bool):
        return unit, number
    return None


def _render_cells(notebook: NotebookBundle, values: Mapping[str, Any]) -> tuple[BundleCell, ...]:
    released = {c.index: c for c in notebook.form_cells}
    cells = []
    for cell in notebook.cells:
        if not cell.template and cell.index not in released:
            cells.append(cell)
            continue
        update: dict[str, Any] = {}
        if cell.template:
            update["source"] = render_source(cell.cell_type, cell.template, values)
        visible = released.get(cell.index)
        if visible is not None:  # the checksum is of the released (visible) source
            update["checksum"] = nbgrader_checksum(
                render_source(visible.cell_type, visible.source, public_values(values)),
                cell.cell_type,
                cell.grade,
                cell.solution,
                cell.locked,
                cell.grade_id,
                cell.points,
            )
        cells.append(cell.model_copy(update=update))
    return tuple(cells)


def render_bundle(bundle: UnitBundle, form: FormFile) -> UnitBundle:
    """``bundle`` as graded for ``form``: every cell that refers to the form rendered with its
    values (test cells with their hidden tests, the setup cells grading restores), checksums
    of the released cells recomputed, and the form attached for the grader's work folder."""
    notebooks = tuple(
        nb.model_copy(update={"cells": _render_cells(nb, form.values), "form": form})
        for nb in bundle.notebooks
    )
    return bundle.model_copy(update={"notebooks": notebooks})

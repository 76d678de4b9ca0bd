"""The private grading bundle, as typed data.

``mastery-nb release`` writes ``autograder/<course>/course.json`` (a serialised
:class:`~mastery_nb.course.model.Course`) and ``autograder/<course>/units/<unit>.json``
(a serialised :class:`UnitBundle`); :class:`mastery_nb.course.reader.ReleasedCourse` reads
them back. Grading one attempt is a pure function of a
:class:`UnitBundle` and the submitted notebook: everything the grader trusts (test source
including hidden tests, points, cell types, lock state, objectives) comes from here, never
from the submission.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, SerializerFunctionWrapHandler, model_serializer

__all__ = [
    "BUNDLE_SCHEMA_VERSION",
    "HIDDEN_BEGIN",
    "HIDDEN_END",
    "BundleCell",
    "FormCell",
    "FormFile",
    "NotebookBundle",
    "UnitBundle",
    "hidden_lines",
]

BUNDLE_SCHEMA_VERSION = 1
#: nbgrader's markers of a hidden-test region inside a test cell
HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
HIDDEN_END = "### END HIDDEN TESTS"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _without_empty(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    """Leave out the parallel-forms keys of a unit without forms, so its bundle's bytes are
    what they were before forms existed (releases are committed and compared)."""
    for key in keys:
        if key in data and data[key] in ("", (), [], None):
            del data[key]
    return data


class FormCell(_Frozen):
    """A released cell that refers to the unit's form (``form.x``, ``{{ form.x }}``): its
    released source *before* the values are filled in. Starting a unit fills in the
    learner's values (:func:`mastery_nb.forms.notebook.render_notebook`)."""

    index: int  #: position in the released notebook
    cell_type: Literal["code", "markdown", "raw"]
    source: str


class FormFile(_Frozen):
    """The form a bundle was rendered for (:func:`mastery_nb.forms.notebook.render_bundle`):
    the grader writes it as ``forms/<unit>.json`` into the folder the notebook runs in."""

    course: str
    unit: str
    number: int
    values: dict[str, Any]


def hidden_lines(source: str) -> tuple[tuple[int, str], ...]:
    """``(line number, text)`` of every line of a test cell's ``source`` inside a
    hidden-test region (1-based, markers included): what the learner must never see."""
    found: list[tuple[int, str]] = []
    inside = False
    for number, line in enumerate(source.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith(HIDDEN_BEGIN):
            inside = True
        if inside:
            found.append((number, line))
        if stripped.startswith(HIDDEN_END):
            inside = False
    return tuple(found)


class BundleCell(_Frozen):
    """One cell nbgrader tracks (it has ``metadata.nbgrader``), as released.

    ``source`` is what the grader runs or restores: for test cells the full source
    including hidden tests; for locked cells the released source; for solution cells the
    released stub (the learner's answer replaces it).
    """

    grade_id: str
    index: int  #: position in the released notebook
    cell_type: Literal["code", "markdown", "raw"]
    grade: bool
    solution: bool
    locked: bool
    task: bool = False
    points: float = 0.0
    objectives: tuple[str, ...] = ()
    source: str
    checksum: str  #: nbgrader's checksum of the released cell
    #: what the learner calls this cell: the heading of its exercise in the released
    #: notebook (Markdown), so feedback names checks as the learner sees them
    label: str = ""
    #: ``source`` before the form's values were filled in ("" when it does not refer to
    #: the form): grading a learner's form renders it with their values
    template: str = ""

    @model_serializer(mode="wrap")
    def _serialise(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        return _without_empty(handler(self), "template")

    @property
    def is_test(self) -> bool:
        """An autograded test cell: graded, not an answer."""
        return self.grade and not self.solution and self.cell_type == "code"

    def hidden_lines(self) -> tuple[tuple[int, str], ...]:
        """``(line number, text)`` of every line of the source inside a hidden-test region
        (1-based, markers included): what the learner must never see."""
        return hidden_lines(self.source)

    def part_at(self, line: int | None) -> Literal["visible", "hidden", ""]:
        """Whether line ``line`` of a test cell is in its visible part or a hidden test."""
        if line is None or line < 1 or not self.is_test:
            return ""
        hidden = {number for number, _ in self.hidden_lines()}
        return "hidden" if line in hidden else "visible"


class NotebookBundle(_Frozen):
    path: str  #: relative to the course folder, same in courses/, release/ and the workspace
    kernel_name: str = "python3"
    cells: tuple[BundleCell, ...]
    #: the released cells that refer to the unit's form, unrendered (empty without forms)
    form_cells: tuple[FormCell, ...] = ()
    #: the learner's form this bundle is rendered for (None: the preview, as released)
    form: FormFile | None = None

    @model_serializer(mode="wrap")
    def _serialise(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        return _without_empty(handler(self), "form_cells", "form")


class UnitBundle(_Frozen):
    schema_version: int = BUNDLE_SCHEMA_VERSION
    course: str
    unit: str
    notebooks: tuple[NotebookBundle, ...]
    #: objective id -> effective mastery threshold, for every objective of the unit, so a
    #: grader holding only this file can decide mastery (empty in bundles written before it)
    thresholds: dict[str, float] = {}

    def notebook(self, path: str) -> NotebookBundle | None:
        return next((n for n in self.notebooks if n.path == path), None)

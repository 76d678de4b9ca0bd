"""Turn a submitted notebook into what the grader runs, trusting only the bundle.

From the submission we take the learner's answers (solution cells, matched by
``grade_id``) and the cells the learner added. Everything else comes from the
:class:`~mastery_nb.course.bundle.UnitBundle`: test cells with their hidden tests, locked
cells, points, cell types, the order of graded cells. Every difference between the
submission and the bundle that matters (a deleted or edited test cell, raised points, a
flipped ``grade`` flag, a changed cell type) is restored and described in
words, never fatal. An unreadable notebook gives a :class:`NotebookPlan` with ``problem``
set, which grading turns into an honest zero.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from dataclasses import dataclass, field
from typing import Any, Literal

from mastery_nb.bounds import MAX_CELLS, size_problem
from mastery_nb.course.bundle import BundleCell, NotebookBundle
from mastery_nb.course.notebook import is_locked

__all__ = ["NotebookPlan", "Step", "nbgrader_checksum", "plan_notebook", "read_submission"]

#: "code": a learner's cell (or a stub standing in for one), run as IPython runs it;
#: "trusted": a locked cell of the bundle; "test": a test cell of the bundle
StepKind = Literal["code", "trusted", "test"]

#: tampering notes kept per notebook; the rest are counted in one line
MAX_TAMPERING_NOTES = 50


@dataclass(frozen=True)
class Step:
    """One code cell to execute, in order."""

    kind: StepKind
    source: str
    grade_id: str | None  #: None for a cell the learner added
    label: str  #: how messages name the cell


@dataclass
class NotebookPlan:
    """What to execute for one notebook of a unit, and what was seen on the way."""

    path: str
    bundle: NotebookBundle
    steps: list[Step] = field(default_factory=list)
    tampering: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    problem: str | None = None  #: set when the notebook cannot be graded at all
    notebook: dict[str, Any] | None = None  #: the parsed submission (for quiz answers)
    unanswered: set[str] = field(default_factory=set)  #: manual answer cells left as released


def nbgrader_checksum(
    source: str,
    cell_type: str,
    grade: bool,
    solution: bool,
    locked: bool,
    grade_id: str,
    points: float,
) -> str:
    """nbgrader's ``compute_checksum`` of a cell, from its parts (same bytes, same md5)."""
    digest = hashlib.md5()
    digest.update(source.encode("utf-8"))
    digest.update(cell_type.encode("utf-8"))
    digest.update(str(grade).encode("utf-8"))
    digest.update(str(solution).encode("utf-8"))
    digest.update(str(locked).encode("utf-8"))
    digest.update(grade_id.encode("utf-8"))
    if grade:
        digest.update(str(float(points)).encode("utf-8"))
    return digest.hexdigest()


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    if isinstance(source, list):
        return "".join(str(part) for part in source)
    return source if isinstance(source, str) else ""


def _nbgrader(cell: dict[str, Any]) -> dict[str, Any]:
    metadata = cell.get("metadata")
    meta = metadata.get("nbgrader") if isinstance(metadata, dict) else None
    return meta if isinstance(meta, dict) else {}


def read_submission(path: str, data: bytes) -> tuple[dict[str, Any] | None, str | None, list[str]]:
    """Parse a submitted notebook: ``(notebook, problem, messages)``.

    Old nbformat versions are upgraded with :mod:`nbformat`; what cannot be read gives a
    problem in words (file and place) instead of an exception.
    """
    messages: list[str] = []
    too_big = size_problem(data)
    if too_big is not None:
        return None, f"{path}: {too_big[0]}. Fix: {too_big[1]}.", messages
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return (
            None,
            f"{path}: byte {exc.start}: the notebook is not UTF-8 text. Fix: submit the .ipynb file saved by Jupyter.",
            messages,
        )
    try:
        raw = json.loads(text)
    except RecursionError:
        return (
            None,
            f"{path}: the notebook's JSON is nested too deeply to be a notebook. Fix: submit the .ipynb file saved by Jupyter.",
            messages,
        )
    except ValueError as exc:
        line = getattr(exc, "lineno", "?")
        col = getattr(exc, "colno", "?")
        return (
            None,
            f"{path}: line {line}, column {col}: the notebook is not valid JSON ({getattr(exc, 'msg', exc)}). Fix: submit the .ipynb file saved by Jupyter, unedited.",
            messages,
        )
    if not isinstance(raw, dict):
        return (
            None,
            f"{path}: the notebook is JSON but not a notebook (no top-level object). Fix: submit the .ipynb file saved by Jupyter.",
            messages,
        )
    major = raw.get("nbformat")
    if major != 4:
        try:
            import nbformat

            with warnings.catch_warnings():  # nbformat's validation chatter is not the learner's
                warnings.simplefilter("ignore")
                upgraded = nbformat.reads(text, as_version=4)  # type: ignore[no-untyped-call]
                raw = json.loads(nbformat.writes(upgraded, version=4))  # type: ignore[no-untyped-call]
            messages.append(f"{path}: notebook format v{major} was upgraded to v4 before grading")
        except Exception as exc:
            return (
                None,
                f"{path}: notebook format {major!r} cannot be read or upgraded ({type(exc).__name__}). Fix: open it in Jupyter, save it, and submit again.",
                messages,
            )
    cells = raw.get("cells")
    if not isinstance(cells, list):
        return (
            None,
            f"{path}: the notebook has no list of cells. Fix: submit the .ipynb file saved by Jupyter.",
            messages,
        )
    if len(cells) > MAX_CELLS:
        return (
            None,
            f"{path}: the notebook has {len(cells):,} cells, more than the {MAX_CELLS:,} "
            "allowed. Fix: remove the cells added by mistake, save, and submit again.",
            messages,
        )
    raw["cells"] = [c for c in cells if isinstance(c, dict)]
    return raw, None, messages


def _check_cell(cell: BundleCell, sub: dict[str, Any], tampering: list[str]) -> None:
    """Record every way ``sub`` differs from the bundle's version of the cell."""
    gid = cell.grade_id
    meta = _nbgrader(sub)
    sub_type = sub.get("cell_type")
    if sub_type != cell.cell_type:
        tampering.append(
            f"cell '{gid}': cell type changed from {cell.cell_type} to {sub_type}; restored"
        )
    for flag in ("grade", "solution"):
        seen = bool(meta.get(flag, False))
        if seen != getattr(cell, flag):
            tampering.append(
                f"cell '{gid}': nbgrader flag '{flag}' changed to {str(seen).lower()}; restored"
            )
    # nbgrader's own rule (``utils.is_locked``): a graded cell that is not an answer is locked
    # whatever its ``locked`` flag says, and nbgrader releases test cells with ``locked: false``
    locked = is_locked(sub)
    if locked != cell.locked:
        tampering.append(
            f"cell '{gid}': nbgrader flag 'locked' changed to {str(locked).lower()}; restored"
        )
    if cell.grade:
        try:
            points = float(meta.get("points", 0.0))
        except (TypeError, ValueError):
            points = float("nan")
        if points != cell.points:
            tampering.append(
                f"cell '{gid}': points changed from {cell.points:g} to {meta.get('points')!r}; restored"
            )
    # The ``checksum`` field itself is not compared: the grader never reads it (nbgrader
    # overwrites it silently too), and a notebook released by another nbgrader version or an
    # earlier release carries a stale one. What counts is the recomputed checksum below.
    if not cell.solution and cell.checksum:
        recomputed = nbgrader_checksum(
            _source(sub), cell.cell_type, cell.grade, cell.solution, cell.locked, gid, cell.points
        )
        if recomputed != cell.checksum:
            what = "test cell" if cell.is_test else "locked cell"
            tampering.append(f"{what} '{gid}': source was edited; restored from the bundle")


def plan_notebook(bundle: NotebookBundle, data: bytes | None) -> NotebookPlan:
    """The steps to run for one notebook (``data is None``: the notebook was not submitted)."""
    plan = NotebookPlan(path=bundle.path, bundle=bundle)
    # as nbgrader does for a missing notebook: its answers graded by hand are unanswered (0)
    unanswered = {c.grade_id for c in bundle.cells if c.grade and c.solution}
    if data is None:
        plan.problem = (
            f"{bundle.path}: the notebook was not submitted. Fix: submit it with the unit."
        )
        plan.unanswered = unanswered
        return plan
    notebook, problem, messages = read_submission(bundle.path, data)
    plan.messages.extend(messages)
    if notebook is None:
        plan.problem = problem
        plan.unanswered = unanswered
        return plan
    plan.notebook = notebook

    known = {c.grade_id: c for c in bundle.cells}
    order = {c.grade_id: i for i, c in enumerate(bundle.cells)}
    matched: dict[str, dict[str, Any]] = {}
    added: dict[int, list[tuple[int, dict[str, Any]]]] = {}
    anchor = -1
    copies: dict[str, int] = {}
    for position, cell in enumerate(notebook["cells"]):
        gid = _nbgrader(cell).get("grade_id")
        if isinstance(gid, str) and gid in known:
            if gid in matched:
                copies[gid] = copies.get(gid, 0) + 1
                continue
            matched[gid] = cell
            anchor = order[gid]
        else:
            added.setdefault(anchor, []).append((position, cell))

    def add_learner_cells(at: int) -> None:
        for position, cell in added.get(at, []):
            if cell.get("cell_type") == "code" and _source(cell).strip():
                plan.steps.append(Step("code", _source(cell), None, f"cell {position + 1}"))

    for gid, count in copies.items():
        plan.tampering.append(
            f"cell '{gid}' appears {count + 1} times; only the first copy was used"
        )

    add_learner_cells(-1)
    for index, cell in enumerate(bundle.cells):
        sub = matched.get(cell.grade_id)
        gid = cell.grade_id
        if sub is None:
            if cell.is_test:
                plan.tampering.append(f"test cell '{gid}' was deleted; restored from the bundle")
            elif cell.solution:
                plan.tampering.append(
                    f"answer cell '{gid}' was deleted; the released stub was run instead"
                )
            elif cell.locked:
                plan.tampering.append(f"locked cell '{gid}' was deleted; restored from the bundle")
        else:
            _check_cell(cell, sub, plan.tampering)
        if cell.cell_type == "code":
            if cell.is_test:
                plan.steps.append(Step("test", cell.source, gid, f"test cell '{gid}'"))
            elif cell.solution:
                source = _source(sub) if sub is not None else cell.source
                plan.steps.append(Step("code", source, gid, f"answer cell '{gid}'"))
            elif cell.locked:
                plan.steps.append(Step("trusted", cell.source, gid, f"cell '{gid}'"))
            elif sub is None:
                plan.steps.append(Step("code", cell.source, gid, f"cell '{gid}'"))
            else:
                plan.steps.append(Step("code", _source(sub), gid, f"cell '{gid}'"))
        if cell.grade and cell.solution:
            released = nbgrader_checksum(
                cell.source, cell.cell_type, True, True, cell.locked, gid, cell.points
            )
            answer = _source(sub) if sub is not None else cell.source
            now = nbgrader_checksum(
                answer, cell.cell_type, True, True, cell.locked, gid, cell.points
            )
            if now == released:
                plan.unanswered.add(gid)
        add_learner_cells(index)
    if len(plan.tampering) > MAX_TAMPERING_NOTES:
        more = len(plan.tampering) - MAX_TAMPERING_NOTES
        plan.tampering[MAX_TAMPERING_NOTES:] = [f"... and {more} more changes, all restored"]
    return plan

"""What the learner calls a graded cell: the heading of its exercise in the notebook.

Feedback names a check as the learner sees it ("Exercise 1.2: minutes into hours"), not by
its nbgrader ``grade_id`` (``test-duration``). The release reads that name from the
released notebook, the notebook the learner works in, and stores it in the grading bundle
(:attr:`mastery_nb.course.bundle.BundleCell.label`): the nearest Markdown heading above the
cell, else the first line of the nearest Markdown cell above it. Several test cells under
one heading are told apart as "(check 1 of 2)".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

__all__ = ["cell_labels"]

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")
_MAX = 120


def _source(cell: Any) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _heading(markdown: str) -> str:
    """The last heading in a Markdown cell, or ""."""
    found = ""
    fenced = False
    for line in markdown.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        match = None if fenced else _HEADING.match(line)
        if match:
            found = match.group(1).strip()
    return found[:_MAX]


def _first_line(markdown: str) -> str:
    for line in markdown.splitlines():
        if line.strip():
            text = line.strip()
            return text if len(text) <= _MAX else text[: _MAX - 1].rstrip() + "…"
    return ""


def _label_above(cells: Sequence[Any], index: int) -> str:
    nearest_text = ""
    for cell in reversed(cells[:index]):
        if cell.get("cell_type") != "markdown":
            continue
        source = _source(cell)
        heading = _heading(source)
        if heading:
            return heading
        nearest_text = nearest_text or _first_line(source)
    return nearest_text


def cell_labels(
    cells: Sequence[Any], indices: Sequence[int], tests: Sequence[int]
) -> dict[int, str]:
    """Labels of the cells at ``indices`` (released notebook cells, dicts or NotebookNodes).

    ``tests`` are the indices of test cells: when several share a label, each gets
    "(check k of n)" after it.
    """
    labels = {index: _label_above(cells, index) for index in indices}
    shared = Counter(labels[i] for i in tests if labels.get(i))
    seen: Counter[str] = Counter()
    for index in sorted(tests):
        label = labels.get(index, "")
        if label and shared[label] > 1:
            seen[label] += 1
            labels[index] = f"{label} (check {seen[label]} of {shared[label]})"
    return labels

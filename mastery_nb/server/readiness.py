"""Before a submission: is anything answered, and does the learner's practice pass?

The sidebar asks this before it submits (``GET /mastery/api/units/<unit>/readiness``), so
an attempt is not lost to an accidental click: a unit whose answers are all still as
released, or whose practice checks fail, is submitted only after the learner confirms.
These are facts read from the learner's own files and practice record; the rule that
decides whether to ask, and the words, live in the sidebar (``src/confirm.ts``).

- An **answer cell** (nbgrader ``solution``) is untouched while nbgrader's checksum of its
  source is the one the release wrote into its metadata (the learner could edit that
  metadata, but this is a courtesy to them, never a grade).
- A **quiz** (a graded cell calling ``checks.quiz("id")``) is untouched while the notebook
  carries no saved answer for it (:func:`mastery_nb.checks.answers.extract_answers`).
- A practice check or quiz **fails** when its latest try, as the store has it
  (:class:`~mastery_nb.documents.QuestionPractice`), was ``incorrect`` or an ``error``.
  It is named as the learner sees it: the heading above the cell that asks it
  (:func:`mastery_nb.course.labels.cell_labels`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mastery_nb.checks.answers import extract_answers
from mastery_nb.course.labels import cell_labels
from mastery_nb.documents import PracticeSummary, ReadinessCheck
from mastery_nb.grade.restore import nbgrader_checksum

__all__ = ["FAILING", "NotebookAnswers", "failing_practice", "read_answers"]

#: a try with one of these outcomes does not pass
FAILING = ("incorrect", "error")
#: a cell that asks a practice question or a quiz: ``checks.ask("q")``, ``checks.quiz("q")``...
_ASKS = re.compile(r"""\bchecks\s*\.\s*(ask|check|quiz|hint|solution)\s*\(\s*["']([^"']+)["']""")


@dataclass
class NotebookAnswers:
    """What a unit's saved notebooks hold: answers, those left as released, question labels."""

    answers: int = 0
    untouched: int = 0
    #: question id -> the heading of the exercise that asks it
    labels: dict[str, str] = field(default_factory=dict)


def _source(cell: Mapping[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(str(s) for s in source) if isinstance(source, list) else str(source)


def _nbgrader(cell: Mapping[str, Any]) -> Mapping[str, Any]:
    metadata = cell.get("metadata")
    meta = metadata.get("nbgrader") if isinstance(metadata, Mapping) else None
    return meta if isinstance(meta, Mapping) else {}


def _as_released(cell: Mapping[str, Any], meta: Mapping[str, Any]) -> bool:
    """nbgrader's checksum of the cell as it is equals the released one."""
    released = meta.get("checksum")
    if not isinstance(released, str) or not released:
        return False  # no checksum to compare with: assume the learner wrote something
    try:
        points = float(meta.get("points", 0) or 0)
    except (TypeError, ValueError):
        return False
    now = nbgrader_checksum(
        _source(cell),
        str(cell.get("cell_type", "")),
        bool(meta.get("grade", False)),
        True,
        bool(meta.get("locked", False)),
        str(meta.get("grade_id", "")),
        points,
    )
    return now == released


def read_answers(notebooks: Mapping[str, bytes]) -> NotebookAnswers:
    """Count the answer cells and quizzes of saved notebooks and those still as released."""
    found = NotebookAnswers()
    for data in notebooks.values():
        try:
            nb = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            continue  # submit words a broken notebook; here it has nothing to count
        cells = nb.get("cells") if isinstance(nb, dict) else None
        if not isinstance(cells, list):
            continue
        cells = [c for c in cells if isinstance(c, Mapping)]
        saved = extract_answers(nb)
        asking: dict[int, str] = {}
        for index, cell in enumerate(cells):
            meta = _nbgrader(cell)
            asked = _ASKS.findall(_source(cell)) if cell.get("cell_type") == "code" else []
            for _verb, question in asked:
                asking.setdefault(index, question)
            if meta.get("solution"):
                found.answers += 1
                found.untouched += _as_released(cell, meta)
            elif meta.get("grade"):
                for verb, question in asked:
                    if verb == "quiz":
                        found.answers += 1
                        found.untouched += saved.get(question) in (None, "", [])
        labels = cell_labels(cells, list(asking), [])
        for index, question in asking.items():
            if labels.get(index):
                found.labels.setdefault(question, labels[index])
    return found


def failing_practice(
    summary: PracticeSummary, unit: str, labels: Mapping[str, str]
) -> list[ReadinessCheck]:
    """The unit's checks and quizzes whose latest try did not pass, in notebook order."""
    order = {question: n for n, question in enumerate(labels)}
    failing = [
        ReadinessCheck(
            question=q.question,
            label=labels.get(q.question, ""),
            objective=q.objective,
            event=q.event,
            outcome=q.last_outcome,
        )
        for q in summary.questions
        if q.unit == unit and q.last_outcome in FAILING and q.last_outcome is not None
    ]
    return sorted(failing, key=lambda c: (order.get(c.question, len(order)), c.question))

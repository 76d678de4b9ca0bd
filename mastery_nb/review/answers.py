"""The learner's answers to grade by hand, read from the stored submission.

Everything read here is the learner's: hostile. It is returned as plain text (sources and
text outputs, shortened); whoever shows it renders it escaped (the dashboard renders
Markdown answers with :func:`mastery_nb.markdown.markdown_html`: raw HTML escaped, links
and images as text). Nothing here is executed.

Which cells are "the answer" follows the grader's reading of a submission: an answer cell
is the first cell carrying its grade id; a task (nbgrader's "manually graded task") is
answered in cells the learner adds after the task cell, up to the next cell nbgrader
tracks.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mastery_nb.course.bundle import BundleCell, NotebookBundle
from mastery_nb.documents import AnswerPart
from mastery_nb.submit.storage import sha256

__all__ = ["MAX_OUTPUT_CHARS", "MAX_SOURCE_CHARS", "answer_parts", "prompt_of", "read_stored"]

MAX_SOURCE_CHARS = 50_000
MAX_OUTPUT_CHARS = 4_000
_MAX_OUTPUTS = 8
_MAX_TASK_CELLS = 30


def read_stored(folder: Path, path: str, digest: str) -> tuple[dict[str, Any] | None, str | None]:
    """The stored notebook as JSON, or ``(None, why not)``; its checksum is verified."""
    try:
        data = (folder / path).read_bytes()
    except OSError as error:
        return None, f"the stored notebook {path} cannot be read ({error.strerror})"
    if digest and sha256(data) != digest:
        return None, f"the stored notebook {path} changed after it was submitted"
    try:
        notebook = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None, f"the stored notebook {path} is not valid JSON"
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        return None, f"the stored notebook {path} has no cells"
    return notebook, None


def _text(value: object, limit: int) -> str:
    """Notebook text (a string or a list of lines), shortened to ``limit`` characters."""
    if isinstance(value, list):
        text = "".join(str(part) for part in value)
    else:
        text = value if isinstance(value, str) else ""
    return text if len(text) <= limit else text[:limit] + "\n[... shortened]"


def _grade_id(cell: object) -> str | None:
    if not isinstance(cell, dict):
        return None
    meta = cell.get("metadata")
    nbgrader = meta.get("nbgrader") if isinstance(meta, dict) else None
    value = nbgrader.get("grade_id") if isinstance(nbgrader, dict) else None
    return value if isinstance(value, str) else None


def _outputs(cell: dict[str, Any]) -> list[str]:
    found: list[str] = []
    outputs = cell.get("outputs")
    for output in outputs if isinstance(outputs, list) else []:
        if not isinstance(output, dict) or len(found) >= _MAX_OUTPUTS:
            continue
        if output.get("output_type") == "stream":
            found.append(_text(output.get("text"), MAX_OUTPUT_CHARS))
        elif output.get("output_type") in ("execute_result", "display_data"):
            data = output.get("data")
            if isinstance(data, dict) and "text/plain" in data:
                found.append(_text(data["text/plain"], MAX_OUTPUT_CHARS))
        elif output.get("output_type") == "error":
            found.append(_text(f"{output.get('ename')}: {output.get('evalue')}", 500))
    return [text for text in found if text.strip()]


def _part(cell: dict[str, Any]) -> AnswerPart:
    kind = cell.get("cell_type")
    cell_type = kind if kind in ("code", "markdown", "raw") else "raw"
    return AnswerPart(
        cell_type=cell_type,
        source=_text(cell.get("source"), MAX_SOURCE_CHARS),
        outputs=_outputs(cell) if cell_type == "code" else [],
    )


def answer_parts(
    notebook: dict[str, Any], bundle: NotebookBundle, cell: BundleCell
) -> list[AnswerPart]:
    """The learner's answer to ``cell`` in their submitted ``notebook``."""
    cells = [c for c in notebook["cells"] if isinstance(c, dict)]
    if not cell.task:
        found = next((c for c in cells if _grade_id(c) == cell.grade_id), None)
        return [_part(found)] if found is not None else []
    known = {c.grade_id for c in bundle.cells}
    start = next((i for i, c in enumerate(cells) if _grade_id(c) == cell.grade_id), None)
    if start is None:
        return []
    parts: list[AnswerPart] = []
    for following in cells[start + 1 :]:
        if _grade_id(following) in known or len(parts) >= _MAX_TASK_CELLS:
            break
        if _text(following.get("source"), 10).strip():
            parts.append(_part(following))
    return parts


def prompt_of(released: dict[str, Any] | None, cell: BundleCell) -> str:
    """The question as released: a task's own text, or the Markdown cells just above an
    answer (up to the previous cell nbgrader tracks)."""
    if cell.task:
        return cell.source
    if released is None:
        return ""
    cells = released.get("cells")
    if not isinstance(cells, list):
        return ""
    above: list[str] = []
    for previous in reversed(cells[: cell.index]):
        if not isinstance(previous, dict) or _grade_id(previous) is not None or len(above) >= 2:
            break
        if previous.get("cell_type") == "markdown":
            above.insert(0, _text(previous.get("source"), MAX_SOURCE_CHARS))
    return "\n\n".join(above)

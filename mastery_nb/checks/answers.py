"""Quiz answers: where they live so they survive a kernel restart and reach the grader.

Two copies, on purpose:

* ``.mastery-answers.json`` in the notebook's folder, so re-running a quiz cell after a
  kernel restart (or reopening the notebook) restores the answer::

      {"schema_version": 1, "answers": {"<unit>": {"<question>": <answer>}}}

  (the grader's copy, written by :func:`write_answers`, files answers under ``"*"``:
  any unit.)
* the notebook itself: the quiz cell's output holds a display bundle of MIME type
  ``application/vnd.mastery-nb.answer+json`` ``{"question": id, "answer": ..., "unit": ...}``
  that the kernel keeps up to date through a display id. A submitted notebook therefore
  carries its answers; :func:`extract_answers` reads them back without any frontend.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

__all__ = [
    "ANSWERS_FILE",
    "ANSWER_MIME",
    "ANY_UNIT",
    "extract_answers",
    "load_answers",
    "lookup_answer",
    "save_answer",
    "write_answers",
]

ANSWERS_FILE = ".mastery-answers.json"
ANSWER_MIME = "application/vnd.mastery-nb.answer+json"
ANY_UNIT = "*"
SCHEMA_VERSION = 1


def _clean(value: object, depth: int = 0) -> object:
    """Keep only JSON-shaped answer values (str, finite numbers, bools, lists of those)."""
    if isinstance(value, str):
        return value[:2000]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return value if value == value and value not in (float("inf"), float("-inf")) else None
    if isinstance(value, list | tuple) and depth == 0:
        return [_clean(v, 1) for v in value[:200] if isinstance(v, str | int | float)]
    return None


def load_answers(folder: Path) -> dict[str, dict[str, object]]:
    """The saved answers in ``folder`` by unit then question; ``{}`` when absent or broken."""
    try:
        data = json.loads((folder / ANSWERS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    answers = data.get("answers") if isinstance(data, dict) else None
    if not isinstance(answers, dict):
        return {}
    result: dict[str, dict[str, object]] = {}
    for unit, questions in answers.items():
        if isinstance(unit, str) and isinstance(questions, dict):
            result[unit] = {q: _clean(a) for q, a in questions.items() if isinstance(q, str)}
    return result


def lookup_answer(folder: Path, unit: str, question: str) -> object:
    """The saved answer to ``question`` of ``unit`` (or of any unit), else ``None``."""
    answers = load_answers(folder)
    for key in (unit, ANY_UNIT):
        if question in answers.get(key, {}):
            return answers[key][question]
    return None


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Serialise read-modify-write of the answers file between kernels sharing a folder."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: best effort without a lock
        yield
        return
    try:
        fd = os.open(folder / (ANSWERS_FILE + ".lock"), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _write_json_atomic(path: Path, data: object) -> None:
    text = json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=".mastery-answers-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def save_answer(folder: Path, unit: str, question: str, answer: object) -> bool:
    """Record one answer in ``folder/.mastery-answers.json``; False if the folder is read-only."""
    try:
        with _locked(folder):
            answers = load_answers(folder)
            answers.setdefault(unit, {})[question] = _clean(answer)
            _write_json_atomic(
                folder / ANSWERS_FILE, {"schema_version": SCHEMA_VERSION, "answers": answers}
            )
    except OSError:
        return False
    return True


def write_answers(workdir: str | os.PathLike[str], answers: Mapping[str, object]) -> Path:
    """Write answers extracted from a submitted notebook where grading will execute it.

    Answers are filed under any unit (``"*"``), so ``checks.quiz(id)`` finds them whatever
    the checks file's unit is. Returns the file written.
    """
    folder = Path(workdir)
    path = folder / ANSWERS_FILE
    clean = {q: _clean(a) for q, a in answers.items() if isinstance(q, str)}
    _write_json_atomic(path, {"schema_version": SCHEMA_VERSION, "answers": {ANY_UNIT: clean}})
    return path


def _notebook_dict(nb: object) -> Mapping[str, Any]:
    if isinstance(nb, Mapping):
        return nb
    if isinstance(nb, bytes | bytearray):
        data = json.loads(bytes(nb).decode("utf-8"))
    elif isinstance(nb, str | os.PathLike):
        data = json.loads(Path(nb).read_text(encoding="utf-8"))
    else:
        raise TypeError(
            f"extract_answers needs a notebook (dict, bytes or path), got {type(nb).__name__}"
        )
    if not isinstance(data, dict):
        raise ValueError("not a notebook: the top level is not a JSON object")
    return data


def extract_answers(nb: object) -> dict[str, object]:
    """Quiz answers carried by a notebook's outputs: ``{question: answer}``.

    ``nb`` is an ``nbformat`` notebook, a plain dict, the file's bytes or its path. Later
    cells win when a question appears twice. Malformed bundles (a student may edit the
    JSON) are skipped, never fatal.
    """
    data = _notebook_dict(nb)
    found: dict[str, object] = {}
    cells = data.get("cells")
    if not isinstance(cells, list):
        return found
    for cell in cells:
        if not isinstance(cell, Mapping):
            continue
        outputs = cell.get("outputs")
        if not isinstance(outputs, list):
            continue
        for out in outputs:
            bundle = out.get("data") if isinstance(out, Mapping) else None
            payload = bundle.get(ANSWER_MIME) if isinstance(bundle, Mapping) else None
            if isinstance(payload, str):  # some writers keep JSON mime types as text
                try:
                    payload = json.loads(payload)
                except ValueError:
                    continue
            if not isinstance(payload, Mapping):
                continue
            question = payload.get("question")
            if isinstance(question, str) and question:
                found[question] = _clean(payload.get("answer"))
    return found

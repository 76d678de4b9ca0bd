"""Helpers for the sample course's content tests: a scratch course root, quiz answers, execution.

The sample course (``courses/intro-data-science``) is copied into a temporary course root
so executing its notebooks (which write ``.mastery-answers.json`` and practice logs beside
them) never touches the repository. Notebooks run the way JupyterLab and the grader run
them: the kernel's working directory is the notebook's own folder.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

from mastery_nb.checks import load_checks

__all__ = ["COURSE", "CellRun", "copy_course_root", "execute_notebook", "quiz_answers"]

COURSE = "intro-data-science"
UNIT_TIMEOUT = 60  #: seconds per cell; a unit notebook runs in a few seconds


@dataclass(frozen=True)
class CellRun:
    """What one executed code cell did."""

    index: int
    grade_id: str
    is_test: bool
    is_solution: bool
    source: str
    error: tuple[str, str] | None  #: (ename, evalue) when the cell raised
    text: str  #: every text/plain and stream output, joined


def copy_course_root(repo_root: Path, dest: Path) -> Path:
    """A course root at ``dest`` holding only a copy of the sample course's sources."""
    (dest / "courses").mkdir(parents=True)
    shutil.copytree(
        repo_root / "courses" / COURSE,
        dest / "courses" / COURSE,
        ignore=shutil.ignore_patterns("__pycache__", ".mastery-*", ".ipynb_checkpoints"),
    )
    return dest


def quiz_answers(course_dir: Path) -> dict[str, object]:
    """The right answer of every quiz in the course, read from its checks files."""
    answers: dict[str, object] = {}
    for path in sorted((course_dir / "checks").glob("*.py")):
        checks = load_checks(path.stem, start=course_dir, namespace={})
        for qid in checks.ids:
            try:
                question = checks.quiz_question(qid)
            except KeyError:
                continue  # a code question
            answer: Any = question.answer
            answers[qid] = list(answer) if isinstance(answer, tuple) else answer
    return answers


def execute_notebook(path: Path, *, grading: bool = True) -> list[CellRun]:
    """Execute ``path`` in a fresh python3 kernel, cwd = its folder; every cell runs."""
    nb = nbformat.read(path, as_version=4)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MASTERY_NB_")}
    if grading:
        env["MASTERY_NB_GRADING"] = "1"
    client = NotebookClient(
        nb,
        timeout=UNIT_TIMEOUT,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute(env=env)
    runs: list[CellRun] = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("nbgrader", {})
        error = None
        texts: list[str] = []
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                error = (out.ename, out.evalue)
            elif out.output_type == "stream":
                texts.append(out.text)
            elif "data" in out:
                texts.append(str(out.data.get("text/plain", "")))
        runs.append(
            CellRun(
                index=index,
                grade_id=str(meta.get("grade_id", "")),
                is_test=bool(meta.get("grade")) and not meta.get("solution"),
                is_solution=bool(meta.get("solution")),
                source=cell.source,
                error=error,
                text="\n".join(texts),
            )
        )
    return runs

"""Helpers for the sample course's content tests: a scratch course root, the units, submissions.

The sample course (``courses/intro-data-science``) is copied into a temporary course root
so executing its notebooks (which write ``.mastery-answers.json`` and practice logs beside
them) never touches the repository. Notebooks run the way JupyterLab and the grader run
them: the kernel's working directory is the notebook's own folder.

Submissions are built the way a learner's saved notebook looks (answer cells typed into the
released notebook, quiz answers in the quiz cells' outputs) and graded through the real
grader's pool, which takes milliseconds per notebook instead of a kernel per notebook.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import tomllib
from nbclient import NotebookClient

from mastery_nb.checks import load_checks
from mastery_nb.checks.answers import ANSWER_MIME
from mastery_nb.course.reader import ReleasedCourse
from mastery_nb.grade.attempt import GradingPool
from mastery_nb.grade.result import AttemptResult

__all__ = [
    "COURSE",
    "REPO_ROOT",
    "CellRun",
    "UnitInfo",
    "copy_course_root",
    "execute_notebook",
    "grade_submission",
    "merged_notebook",
    "quiz_answers",
    "solutions",
    "strip_markers",
    "submission",
    "units",
]

COURSE = "intro-data-science"
REPO_ROOT = Path(__file__).resolve().parents[2]
UNIT_TIMEOUT = 60  #: seconds per cell; a unit notebook runs in a few seconds

_MARKER = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", re.MULTILINE)


@dataclass(frozen=True)
class UnitInfo:
    """One unit as the manifest lists it."""

    id: str
    notebook: str  #: path relative to the course folder
    written: bool  #: False while the unit is a placeholder (it lowers min_items_per_objective)


def units(course_dir: Path | None = None) -> list[UnitInfo]:
    """The course's units in manifest order, read from ``course.toml``."""
    folder = course_dir or REPO_ROOT / "courses" / COURSE
    manifest = tomllib.loads((folder / "course.toml").read_text(encoding="utf-8"))
    floor = manifest["course"].get("min_items_per_objective", 1)
    return [
        UnitInfo(
            id=u["id"],
            notebook=u["notebooks"][0],
            written=u.get("min_items_per_objective", floor) >= floor,
        )
        for u in manifest["units"]
    ]


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


def quiz_answers(course_dir: Path, unit: str | None = None) -> dict[str, object]:
    """The right answer of every quiz in the course (or one unit), read from its checks files."""
    answers: dict[str, object] = {}
    names = [unit] if unit else [p.stem for p in sorted((course_dir / "checks").glob("*.py"))]
    for name in names:
        checks = load_checks(name, start=course_dir, namespace={})
        for qid in checks.ids:
            try:
                question = checks.quiz_question(qid)
            except KeyError:
                continue  # a code question
            answer: Any = question.answer
            answers[qid] = list(answer) if isinstance(answer, tuple) else answer
    return answers


def strip_markers(source: str) -> str:
    """An answer cell's solution as a learner would type it (nbgrader's markers removed)."""
    return _MARKER.sub("", source)


def solutions(notebook: nbformat.NotebookNode) -> dict[str, str]:
    """grade_id -> the author's solution of every answer cell, without markers."""
    return {
        c.metadata["nbgrader"]["grade_id"]: strip_markers(c.source)
        for c in notebook.cells
        if c.metadata.get("nbgrader", {}).get("solution")
    }


_QUIZ_CALL = re.compile(r"""checks\.quiz\(\s*["']([^"']+)["']""")


def submission(
    released: Path, answers: dict[str, str], quizzes: dict[str, object], unit: str
) -> bytes:
    """The released notebook as a learner saves it: ``answers`` typed (grade_id -> source)
    into the answer cells, each quiz cell's output holding the saved answer."""
    nb = nbformat.read(released, as_version=4)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and meta.get("grade_id") in answers:
            cell.source = answers[meta["grade_id"]]
        match = _QUIZ_CALL.search(cell.source) if cell.cell_type == "code" else None
        if match and match.group(1) in quizzes:
            cell.outputs = [
                nbformat.v4.new_output(
                    "display_data",
                    data={
                        "text/plain": "quiz",
                        ANSWER_MIME: {
                            "question": match.group(1),
                            "answer": quizzes[match.group(1)],
                            "unit": unit,
                        },
                    },
                )
            ]
    return nbformat.writes(nb).encode("utf-8")


def grade_submission(
    pool: GradingPool, course_root: Path, unit_id: str, notebook: str, data: bytes
) -> AttemptResult:
    """Grade one notebook of a unit from the private bundle only, as the service would."""
    bundle_dir = course_root / "autograder" / COURSE
    course = ReleasedCourse.at(bundle_dir).course()
    unit = course.unit(unit_id)
    assert unit is not None
    return pool.grade(
        ReleasedCourse.at(bundle_dir).unit_bundle(unit_id),
        {notebook: data},
        bundle_dir / "files",
        thresholds={o.id: o.threshold for o in unit.objectives},
    )


def merged_notebook(paths: list[Path], dest: Path) -> list[str]:
    """Write the code cells of ``paths``, in order, into one notebook at ``dest``.

    One kernel then runs many notebooks (a kernel start costs seconds). Returns, per code
    cell of the merged notebook, the name of the notebook it came from. Cell metadata (tags,
    nbgrader flags) is kept so :func:`execute_notebook` can tell answers and tests apart.
    """
    merged = nbformat.v4.new_notebook()
    merged.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    origin: list[str] = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                copy = nbformat.v4.new_code_cell(cell.source)
                copy.metadata = cell.metadata
                merged.cells.append(copy)
                origin.append(path.name)
    nbformat.write(merged, dest)
    return origin


def execute_notebook(path: Path, *, grading: bool = True) -> list[CellRun]:
    """Execute ``path`` in a fresh python3 kernel, cwd = its folder; every cell runs."""
    nb = nbformat.read(path, as_version=4)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MASTERY_NB_")}
    env["MPLBACKEND"] = "Agg"
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


def python() -> str:
    """The interpreter running the tests (helper scripts run in a subprocess with it)."""
    return sys.executable

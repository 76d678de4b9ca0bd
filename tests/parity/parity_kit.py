"""nbgrader's own files through ``nbgrader autograde`` and ``mastery-nb grade``, side by side.

One run builds the same assignments twice: a real nbgrader course folder (``source/``,
``submitted/``, a gradebook) and a mastery-nb course root (``courses/``, released, each
submission stored and queued). Each nbgrader assignment is one mastery-nb unit with the
same notebooks and files. Then ``nbgrader generate_assignment`` and ``nbgrader autograde``
run once each over every assignment (real kernels), ``mastery-nb release`` and
``mastery-nb grade`` once each, and the per-cell scores of both are read back.

The sources are nbgrader 0.9's documentation example ``ps1`` (this repository's
``tests/fixtures/courses/nbgrader-course``) and the notebooks nbgrader ships for its own
tests (``nbgrader/tests/{apps,preprocessors}/files``, read from the installed package),
plus one notebook of partial-credit cases written here. Learners' submissions are
nbgrader's own submitted files where it has them, else made here from nbgrader's release by
editing named cells (the students of the documentation example, a deleted test cell).
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import nbgrader
from nbgrader_cells import nbgrader_cell, unit_notebook

TESTS = Path(__file__).resolve().parents[1]
PS1 = TESTS / "fixtures" / "courses" / "nbgrader-course" / "units" / "ps1"
NBGRADER_TESTS = Path(nbgrader.__file__).resolve().parent / "tests"
APPS = NBGRADER_TESTS / "apps" / "files"
PREPROCESSORS = NBGRADER_TESTS / "preprocessors" / "files"
COURSE = "parity"

Notebook = dict[str, Any]
#: makes a submitted notebook from nbgrader's release of it (a fresh copy, free to edit)
Make = Callable[[Notebook], Notebook]


@dataclass(frozen=True)
class Submission:
    """One student's files of one assignment: notebook name -> how to make it."""

    student: str
    notebooks: dict[str, Make]
    extra_files: dict[str, bytes] = field(default_factory=dict)


@dataclass(frozen=True)
class Assignment:
    """An nbgrader assignment and the mastery-nb unit of the same name."""

    name: str
    sources: dict[str, Path | Notebook]  #: notebook name (no .ipynb) -> source
    files: dict[str, Path] = field(default_factory=dict)  #: other files of the folder
    submissions: tuple[Submission, ...] = ()


@dataclass(frozen=True)
class CellScore:
    assignment: str
    student: str
    notebook: str
    grade_id: str
    max_points: float
    nbgrader: float | None  #: None: graded by hand (nbgrader: needs manual grade)
    mastery: float | None  #: None: graded by hand (mastery-nb: awaiting review)
    mastery_status: str

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.assignment, self.student, self.notebook, self.grade_id)


# -- making submissions ------------------------------------------------------------------


def as_released(nb: Notebook) -> Notebook:
    return nb


def mastery_released(nb: Notebook) -> Notebook:
    """Stands for mastery-nb's own release of the notebook (see :meth:`ParityRun.submissions`)."""
    return nb


def from_file(path: Path) -> Make:
    """nbgrader's own submitted file, as it is."""
    return lambda _released: json.loads(path.read_text(encoding="utf-8"))


def cells_by_id(nb: Notebook) -> dict[str, dict[str, Any]]:
    return {
        c["metadata"]["nbgrader"]["grade_id"]: c
        for c in nb["cells"]
        if c.get("metadata", {}).get("nbgrader", {}).get("grade_id")
    }


def edited(changes: dict[str, str | None]) -> Make:
    """The release with the cells named by grade_id given new source (None: deleted)."""

    def make(nb: Notebook) -> Notebook:
        by_id = cells_by_id(nb)
        for grade_id, source in changes.items():
            if source is None:
                nb["cells"].remove(by_id[grade_id])
            else:
                by_id[grade_id]["source"] = source
        return nb

    return make


def solved(source: Path, changes: dict[str, str | None] | None = None) -> Make:
    """The release with every answer cell holding the source's solution, then ``changes``."""
    markers = ("### BEGIN SOLUTION", "### END SOLUTION")
    solutions = {
        grade_id: "\n".join(
            line for line in "".join(cell["source"]).split("\n") if line.strip() not in markers
        )
        for grade_id, cell in cells_by_id(json.loads(source.read_text(encoding="utf-8"))).items()
        if cell["metadata"]["nbgrader"].get("solution")
    }
    return edited({**solutions, **(changes or {})})


def changed_type(grade_id: str, cell_type: str) -> Make:
    """The release with one cell turned into another type (a test cell into markdown)."""

    def make(nb: Notebook) -> Notebook:
        cell = cells_by_id(nb)[grade_id]
        cell["cell_type"] = cell_type
        if cell_type == "markdown":
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
        return nb

    return make


def partial_credit_notebook() -> Notebook:
    """Test cells whose last expression is partial credit, one case each, 1 point each."""
    cases = {
        "half": "0.5",
        "half-quiet": "0.5;",
        "half-then-comment": "0.5  # half of the points",
        "zero": "0",
        "negative": "-1",
        "nan": "float('nan')",
        "numpy-half": "import numpy as np\nnp.float64(0.5)",
        "numpy-as-float": "import numpy as np\nfloat(np.float64(0.25))",
        "true": "True",
        "text-half": "'0.5'",
        "none": "None",
        "print-half": "print(0.5)",
    }
    cells = [nbgrader_cell("code", "x = 1", "setup")]
    cells += [
        nbgrader_cell("code", f"assert x == 1\n{source}", name, grade=True, points=1)
        for name, source in cases.items()
    ]
    return dict(unit_notebook(cells))


def over_max_notebook() -> Notebook:
    """A test returning more than its points: nbgrader fails the notebook."""
    cells = [
        nbgrader_cell("code", "x = 1", "setup"),
        nbgrader_cell("code", "assert x == 1", "plain", grade=True, points=1),
        nbgrader_cell("code", "2.5", "too-much", grade=True, points=1),
    ]
    return dict(unit_notebook(cells))


# -- the two graders ---------------------------------------------------------------------


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _notebook_bytes(nb: Notebook) -> bytes:
    return (json.dumps(nb, indent=1, sort_keys=True) + "\n").encode("utf-8")


def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        command,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
    )
    output = done.stdout + done.stderr
    assert done.returncode in (0, 1), f"{' '.join(command)} exited {done.returncode}:\n{output}"
    return output


class ParityRun:
    """Both course folders of one run, built from ``assignments``."""

    def __init__(self, folder: Path, assignments: list[Assignment]) -> None:
        self.assignments = assignments
        self.nbgrader_dir = folder / "nbgrader"
        self.root = folder / "mastery"
        self.data_dir = folder / "mastery-data"
        self.folder = folder
        self.logs: dict[str, str] = {}

    def log(self, name: str, output: str) -> None:
        """Keep a command's output (also as ``<run folder>/<name>.log``, to read after a run)."""
        self.logs[name] = output
        (self.folder / f"{name.replace(' ', '-')}.log").write_text(output, encoding="utf-8")

    # nbgrader ---------------------------------------------------------------------------

    def _sources(self, target: Path) -> None:
        for assignment in self.assignments:
            for name, source in assignment.sources.items():
                data = source.read_bytes() if isinstance(source, Path) else _notebook_bytes(source)
                _write(target / assignment.name / f"{name}.ipynb", data)
            for name, path in assignment.files.items():
                _write(target / assignment.name / name, path.read_bytes())

    def nbgrader_release(self) -> None:
        course = self.nbgrader_dir
        self._sources(course / "source")
        (course / "nbgrader_config.py").write_text(
            "c = get_config()\n"
            f"c.CourseDirectory.root = {str(course)!r}\n"
            f"c.CourseDirectory.course_id = {COURSE!r}\n",
            encoding="utf-8",
        )
        self.log(
            "nbgrader generate_assignment",
            _run([sys.executable, "-m", "nbgrader", "generate_assignment", "*", "--force"], course),
        )

    def released(self, assignment: str, notebook: str) -> Notebook:
        """nbgrader's student version of a notebook (a fresh copy)."""
        path = self.nbgrader_dir / "release" / assignment / f"{notebook}.ipynb"
        loaded: Notebook = json.loads(path.read_text(encoding="utf-8"))
        return loaded

    def submissions(self) -> dict[tuple[str, str], dict[str, bytes]]:
        """(assignment, student) -> file name -> bytes, the same for both graders."""
        made: dict[tuple[str, str], dict[str, bytes]] = {}
        for assignment in self.assignments:
            for submission in assignment.submissions:
                files = {
                    f"{name}.ipynb": (
                        (
                            self.root
                            / "release"
                            / COURSE
                            / "units"
                            / assignment.name
                            / f"{name}.ipynb"
                        ).read_bytes()
                        if make is mastery_released
                        else _notebook_bytes(
                            make(copy.deepcopy(self.released(assignment.name, name)))
                        )
                    )
                    for name, make in submission.notebooks.items()
                }
                made[(assignment.name, submission.student)] = {
                    **files,
                    **submission.extra_files,
                }
        return made

    def nbgrader_autograde(self, submissions: dict[tuple[str, str], dict[str, bytes]]) -> None:
        for (assignment, student), files in submissions.items():
            for name, data in files.items():
                _write(self.nbgrader_dir / "submitted" / student / assignment / name, data)
        self.log(
            "nbgrader autograde",
            _run(
                [sys.executable, "-m", "nbgrader", "autograde", "*", "--create"], self.nbgrader_dir
            ),
        )

    def nbgrader_scores(self) -> dict[tuple[str, str, str, str], tuple[float | None, float]]:
        """(assignment, student, notebook, grade_id) -> (auto score or None, max points)."""
        from nbgrader.api import Gradebook

        scores: dict[tuple[str, str, str, str], tuple[float | None, float]] = {}
        with Gradebook(f"sqlite:///{self.nbgrader_dir / 'gradebook.db'}") as gradebook:
            for assignment in gradebook.assignments:
                for submission in gradebook.assignment_submissions(assignment.name):
                    for notebook in submission.notebooks:
                        for grade in notebook.grades:
                            auto = None if grade.needs_manual_grade else grade.auto_score
                            scores[
                                (assignment.name, submission.student_id, notebook.name, grade.name)
                            ] = (auto, float(grade.max_score))
        return scores

    # mastery-nb -------------------------------------------------------------------------

    def mastery_release(self) -> None:
        course = self.root / "courses" / COURSE
        self._sources(course / "units")
        lines = [f'[course]\nid = "{COURSE}"\ntitle = "nbgrader parity"\n']
        for assignment in self.assignments:
            notebooks = ", ".join(
                f'"units/{assignment.name}/{name}.ipynb"' for name in assignment.sources
            )
            lines.append(
                f'[[units]]\nid = "{assignment.name}"\ntitle = "{assignment.name}"\n'
                f"notebooks = [{notebooks}]\n\n"
                f'[[units.objectives]]\nid = "{assignment.name}-work"\n'
                f'description = "the work of {assignment.name}"\n'
            )
        (course / "course.toml").write_text("\n".join(lines), encoding="utf-8")
        self.log("mastery-nb release", self.mastery("release", COURSE))

    def mastery(self, *args: str) -> str:
        return _run(
            [sys.executable, "-m", "mastery_nb", *args, "--root", str(self.root)],
            self.root,
            {"MASTERY_NB_DATA_DIR": str(self.data_dir)},
        )

    def mastery_grade(self, submissions: dict[tuple[str, str], dict[str, bytes]]) -> None:
        from mastery_nb.root import CourseRoot
        from mastery_nb.submit import submit_attempt

        root = CourseRoot.at(self.root, data_dir=self.data_dir)
        self.receipts = {
            key: submit_attempt(
                root,
                COURSE,
                key[0],
                key[1],
                {f"units/{key[0]}/{name}": data for name, data in files.items()},
            )
            for key, files in submissions.items()
        }
        self.log("mastery-nb grade", self.mastery("grade", "--workers", "2"))

    def tampering(self) -> dict[tuple[str, str], list[str]]:
        """(assignment, student) -> what the grader restored, in words."""
        from sqlalchemy import select

        from mastery_nb.root import CourseRoot
        from mastery_nb.store import open_store
        from mastery_nb.store.models import AttemptRow

        store = open_store(CourseRoot.at(self.root, data_dir=self.data_dir))
        with store.read() as session:
            rows = session.execute(
                select(AttemptRow.unit_id, AttemptRow.student_id, AttemptRow.tampering)
            ).all()
        return {(unit, student): list(tampering) for unit, student, tampering in rows}

    def mastery_scores(
        self,
    ) -> dict[tuple[str, str, str, str], tuple[float | None, float, str]]:
        """(assignment, student, notebook, grade_id) -> (points or None, max, status)."""
        from sqlalchemy import select

        from mastery_nb.root import CourseRoot
        from mastery_nb.store import open_store
        from mastery_nb.store.models import AttemptRow, CellResultRow

        store = open_store(CourseRoot.at(self.root, data_dir=self.data_dir))
        scores: dict[tuple[str, str, str, str], tuple[float | None, float, str]] = {}
        with store.read() as session:
            rows = session.execute(
                select(
                    AttemptRow.unit_id,
                    AttemptRow.student_id,
                    AttemptRow.status,
                    CellResultRow.notebook,
                    CellResultRow.grade_id,
                    CellResultRow.points,
                    CellResultRow.max_points,
                    CellResultRow.status,
                    CellResultRow.message,
                ).join(CellResultRow, CellResultRow.attempt_id == AttemptRow.id)
            ).all()
        for (
            unit,
            student,
            attempt_status,
            notebook,
            grade_id,
            points,
            max_points,
            status,
            message,
        ) in rows:
            assert attempt_status == "graded", (unit, student, attempt_status)
            manual = status == "manual" and message.startswith("graded by hand")
            scores[(unit, student, Path(notebook).stem, grade_id)] = (
                None if manual and "unanswered" not in message else points,
                max_points,
                status,
            )
        return scores


def compare(run: ParityRun) -> list[CellScore]:
    """Every graded cell either grader scored, in a stable order."""
    theirs = run.nbgrader_scores()
    ours = run.mastery_scores()
    rows = []
    for key in sorted(set(theirs) | set(ours)):
        nbgrader_score, nbgrader_max = theirs.get(key, (0.0, -1.0))
        mastery_score, mastery_max, status = ours.get(key, (0.0, -1.0, "no result"))
        rows.append(
            CellScore(
                *key,
                max_points=max(nbgrader_max, mastery_max),
                nbgrader=nbgrader_score,
                mastery=mastery_score,
                mastery_status=status,
            )
        )
    return rows


def read_notebook(path: Path) -> Notebook:
    loaded: Notebook = dict(nbformat.read(path, as_version=4))  # type: ignore[no-untyped-call]
    return loaded


def copy_tree(source: Path, target: Path) -> None:
    shutil.copytree(source, target, dirs_exist_ok=True)

"""Fixtures for grading tests: a realistic unit, its bundle in a course root, a warm pool.

The course root lives outside ``/tmp`` on purpose (the sandbox replaces ``/tmp`` with an
empty tmpfs anyway), so the tests prove that the bundle, the store and other learners'
files are hidden by the sandbox itself, wherever a course root lives.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from unitkit import SECRET, TEST_LIMITS, THRESHOLDS, Unit, make_unit, submit, to_bytes, unit_cells

from mastery_nb.grade.attempt import GradingPool
from mastery_nb.grade.result import AttemptResult


@pytest.fixture(scope="session")
def course_root() -> Iterator[Path]:
    root = Path(tempfile.mkdtemp(prefix="mastery-nb-grade-test-", dir="/var/lib"))
    root.chmod(0o755)  # world-readable like a course repository checkout: the sandbox must hide it
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def unit(course_root: Path) -> Unit:
    unit = make_unit(
        unit_cells(), course="demo-course", unit="demo-unit", path="units/scores.ipynb"
    )
    bundle_dir = course_root / "autograder" / "demo-course"
    (bundle_dir / "units").mkdir(parents=True)
    (bundle_dir / "units" / "demo-unit.json").write_text(
        unit.bundle.model_dump_json(), encoding="utf-8"
    )
    (bundle_dir / "course.json").write_text(
        json.dumps({"id": "demo-course", "title": "Demo"}), encoding="utf-8"
    )
    data = bundle_dir / "files" / "data"
    data.mkdir(parents=True)
    (data / "scores.csv").write_text("name,score\nada,95\nbob,70\ncy,75\n", encoding="utf-8")
    store = course_root / ".mastery-data"
    (store / "submissions" / "grace").mkdir(parents=True)
    (store / "submissions" / "grace" / "scores.ipynb").write_text(SECRET, encoding="utf-8")
    with sqlite3.connect(store / "mastery.db") as db:
        db.execute("create table secrets (value text)")
        db.execute("insert into secrets values (?)", (SECRET,))
    sources = course_root / "courses" / "demo-course" / "units"
    sources.mkdir(parents=True)
    (sources / "scores.ipynb").write_text(SECRET, encoding="utf-8")
    return unit


@pytest.fixture(scope="session")
def files_dir(course_root: Path, unit: Unit) -> Path:
    return course_root / "autograder" / "demo-course" / "files"


@pytest.fixture(scope="session")
def pool() -> Iterator[GradingPool]:
    with GradingPool(workers=2, limits=TEST_LIMITS) as pool:
        yield pool


class Grader:
    """Grade submissions of the fixture unit in the shared pool."""

    def __init__(self, pool: GradingPool, unit: Unit, files_dir: Path) -> None:
        self.pool, self.unit, self.files_dir = pool, unit, files_dir

    def notebook(
        self, answers: dict[str, str] | None = None, correct: bool = True
    ) -> dict[str, Any]:
        return submit(self.unit, answers, correct=correct)

    def grade_bytes(self, data: bytes) -> AttemptResult:
        return self.pool.grade(
            self.unit.bundle, {self.unit.path: data}, self.files_dir, thresholds=THRESHOLDS
        )

    def grade(self, nb: dict[str, Any]) -> AttemptResult:
        return self.grade_bytes(to_bytes(nb))


@pytest.fixture()
def grader(pool: GradingPool, unit: Unit, files_dir: Path) -> Grader:
    return Grader(pool, unit, files_dir)

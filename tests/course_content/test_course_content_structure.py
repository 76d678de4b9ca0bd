"""The sample course is a real course: its shape, its objectives, its notebooks, its checks.

These tests read files only (no kernel): the manifest through the course loader, the
notebooks through nbformat, the checks files through ``load_checks``. They pin what the
product promises about the sample course (issue 2 part 6, issue 3 part 7), so an edit
that quietly drops an objective's second graded cell or a unit's quiz fails here.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import nbformat
import pytest
from course_content_helpers import COURSE

from mastery_nb.checks import load_checks
from mastery_nb.course import cell_objectives, load_course
from mastery_nb.course.model import DEFAULT_THRESHOLD, Course
from mastery_nb.root import CourseRoot

_CALL = re.compile(r"""checks\.(ask|check|quiz|hint|solution)\(\s*["']([^"']+)["']""")


@pytest.fixture(scope="module")
def course(repo_root: Path) -> Course:
    return load_course(CourseRoot.at(repo_root), COURSE)


@pytest.fixture(scope="module")
def course_dir(repo_root: Path) -> Path:
    return repo_root / "courses" / COURSE


def _notebooks(course: Course, course_dir: Path) -> dict[str, nbformat.NotebookNode]:
    """unit id -> its (single) notebook."""
    out = {}
    for unit in course.units:
        assert len(unit.notebooks) == 1, unit.id
        out[unit.id] = nbformat.read(course_dir / unit.notebooks[0], as_version=4)
    return out


def _test_cells(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [
        c
        for c in nb.cells
        if c.cell_type == "code"
        and c.metadata.get("nbgrader", {}).get("grade")
        and not c.metadata["nbgrader"].get("solution")
    ]


def test_units_form_a_dag_that_is_not_a_chain(course: Course) -> None:
    assert len(course.units) >= 6
    ids = [u.id for u in course.units]
    position = {uid: i for i, uid in enumerate(ids)}
    for unit in course.units:
        for req in unit.requires:
            # listed in a topological order: every prerequisite comes earlier (hence no cycle)
            assert position[req] < position[unit.id], (unit.id, req)
    assert any(len(u.requires) >= 2 for u in course.units), "no unit needs two others"
    assert any(len(course.dependants(u.id)) >= 2 for u in course.units), "no branching"
    assert [u.id for u in course.units if not u.requires] == ["python-basics"]


def test_objectives_are_described_and_have_correctives(course: Course, course_dir: Path) -> None:
    objectives = course.objectives
    assert len(objectives) >= 12
    assert len({o.id for o in objectives}) == len(objectives)
    for unit in course.units:
        assert 2 <= len(unit.objectives) <= 3, unit.id
    for o in objectives:
        assert len(o.description.split()) >= 5, f"{o.id}: say what a learner can do"
        assert o.remediation, f"{o.id} has no corrective"
        for r in o.remediation:
            assert r.href.startswith("resources/") and r.href.endswith(".ipynb"), r.href
            assert (course_dir / r.href).is_file(), r.href
        for r in o.enrichment:
            assert r.href.startswith("https://"), r.href
    assert sum(1 for o in objectives if o.enrichment) >= 12
    assert any(o.threshold != DEFAULT_THRESHOLD for o in objectives)
    assert any(o.threshold == DEFAULT_THRESHOLD for o in objectives)


def test_policy_and_a_unit_override(course: Course) -> None:
    assert course.policy.max_attempts == 5
    assert course.policy.cooldown_seconds == 600
    assert course.policy.scoring == "best"
    overridden = [u for u in course.units if u.policy != course.policy]
    assert {u.id for u in overridden} == {"python-basics", "describing-data"}
    assert course.unit("describing-data").policy.scoring == "latest"  # type: ignore[union-attr]


def test_every_resource_notebook_is_referenced(course: Course, course_dir: Path) -> None:
    referenced = {r.href for o in course.objectives for r in o.remediation}
    on_disk = {f"resources/{p.name}" for p in (course_dir / "resources").glob("*.ipynb")}
    assert on_disk == referenced


def test_each_objective_is_assessed_by_two_graded_cells(course: Course, course_dir: Path) -> None:
    counts: Counter[str] = Counter()
    for unit_id, nb in _notebooks(course, course_dir).items():
        unit = course.unit(unit_id)
        assert unit is not None
        for cell in _test_cells(nb):
            named = cell_objectives(cell)
            assert named, (
                f"{unit_id}: test cell {cell.metadata['nbgrader']['grade_id']} names no objective"
            )
            assert set(named) <= {o.id for o in unit.objectives}, named
            counts.update(named)
    for o in course.objectives:
        assert counts[o.id] >= 2, f"{o.id} is assessed by {counts[o.id]} graded cell(s)"


def test_notebooks_are_clean_nbgrader_sources(course: Course, course_dir: Path) -> None:
    tag_form_used = False
    for unit_id, nb in _notebooks(course, course_dir).items():
        nbformat.validate(nb)
        assert nb.metadata["kernelspec"]["name"] == "python3"
        first = next(c for c in nb.cells if c.cell_type == "code")
        assert first.source == (
            f'from mastery_nb.checks import load_checks\n\nchecks = load_checks("{unit_id}")'
        )
        assert first.metadata["nbgrader"]["locked"] is True
        grade_ids = []
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader")
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, unit_id
            if meta is None:
                continue
            assert meta["schema_version"] == 3
            grade_ids.append(meta["grade_id"])
            if meta["solution"]:
                assert "### BEGIN SOLUTION" in cell.source and "### END SOLUTION" in cell.source
            if meta["grade"]:
                assert meta["points"] > 0
            assert "mastery" not in meta, "never write inside metadata.nbgrader"
            if any(t.startswith("objective:") for t in cell.metadata.get("tags", [])):
                tag_form_used = True
        assert len(grade_ids) == len(set(grade_ids)), f"{unit_id}: duplicate grade_id"
        hidden = [c for c in _test_cells(nb) if "### BEGIN HIDDEN TESTS" in c.source]
        assert len(hidden) >= 4, f"{unit_id} has {len(hidden)} cells with hidden tests"
    assert tag_form_used, "no unit uses the objective:<id> tag form"


def test_checks_files_match_the_notebooks(course: Course, course_dir: Path) -> None:
    """Every check a notebook calls exists, serves the cell's objective; none is unused."""
    for unit_id, nb in _notebooks(course, course_dir).items():
        checks = load_checks(unit_id, start=course_dir / "units", namespace={})
        declared = set(checks.ids)
        used: set[str] = set()
        quiz_cells = 0
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            for verb, qid in _CALL.findall(cell.source):
                assert qid in declared, f"{unit_id}: {qid} is not in checks/{unit_id}.py"
                used.add(qid)
                if verb == "quiz":
                    checks.quiz_question(qid)  # raises KeyError for a code question
                if cell in _test_cells(nb):
                    assert checks.objective_of(qid) in cell_objectives(cell), (unit_id, qid)
                    quiz_cells += verb == "quiz"
        assert used == declared, f"{unit_id}: declared but never used: {declared - used}"
        assert quiz_cells >= 1, f"{unit_id} has no quiz in a graded cell"
        asked = {qid for c in nb.cells for v, qid in _CALL.findall(c.source) if v == "ask"}
        assert len(asked) >= 4, f"{unit_id}: {asked}"
        assert {checks.objective_of(q) for q in declared} == {
            o.id
            for o in course.unit(unit_id).objectives  # type: ignore[union-attr]
        }


def test_data_files_are_small_and_tidy(course_dir: Path) -> None:
    for path in sorted((course_dir / "data").glob("*.csv")):
        lines = path.read_text(encoding="utf-8").splitlines()
        assert 30 <= len(lines) - 1 <= 100, path.name
        width = len(lines[0].split(","))
        assert all(len(line.split(",")) == width for line in lines), path.name


def test_validate_accepts_the_sample_course(repo_root: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mastery_nb", "validate", "--root", str(repo_root), COURSE],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"6 units, 16 objectives, \d+ graded cells, \d+ points", done.stdout)

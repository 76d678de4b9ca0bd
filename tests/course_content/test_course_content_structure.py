"""The sample course is a real course: its shape, its objectives, its notebooks, its checks, its data.

These tests read files only (no kernel): the manifest through the course loader, the
notebooks through nbformat, the checks files through ``load_checks``. They pin what the
product promises about the sample course (issue 14), so an edit that quietly drops an
objective's corrective, a unit's quiz or a data file's licence fails here. That every
objective is assessed by enough items is ``mastery-nb validate``'s job
(``[course] min_items_per_objective``), checked by the last test.
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from course_content_helpers import COURSE, units

from mastery_nb.checks import load_checks
from mastery_nb.course import cell_objectives, load_course
from mastery_nb.course.model import DEFAULT_THRESHOLD, Course
from mastery_nb.root import CourseRoot

_CALL = re.compile(r"""checks\.(ask|check|quiz|hint|solution)\(\s*["']([^"']+)["']""")

UNITS = units()
WRITTEN = [u for u in UNITS if u.written]


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


def test_units_form_a_dag_covering_a_first_year_course(course: Course) -> None:
    assert len(course.units) >= 10
    ids = [u.id for u in course.units]
    position = {uid: i for i, uid in enumerate(ids)}
    for unit in course.units:
        for req in unit.requires:
            # listed in a topological order: every prerequisite comes earlier (hence no cycle)
            assert position[req] < position[unit.id], (unit.id, req)
    assert any(len(u.requires) >= 2 for u in course.units), "no unit needs two others"
    assert any(len(course.dependants(u.id)) >= 2 for u in course.units), "no branching"
    assert [u.id for u in course.units if not u.requires] == ["python-basics"]
    assert ids[-1] == "project" and not course.dependants("project")


def test_objectives_are_described_and_have_correctives_and_enrichment(
    course: Course, course_dir: Path
) -> None:
    objectives = course.objectives
    assert len({o.id for o in objectives}) == len(objectives) >= 30
    for unit in course.units:
        assert 3 <= len(unit.objectives) <= 4, unit.id
        for o in unit.objectives:
            assert len(o.description.split()) >= 5, f"{o.id}: say what a learner can do"
            assert [r.href for r in o.remediation] == [f"resources/{unit.id}/{o.id}.ipynb"]
            assert [r.href for r in o.enrichment] == [f"resources/{unit.id}/{o.id}-challenge.ipynb"]
            for r in (*o.remediation, *o.enrichment):
                first = nbformat.read(course_dir / r.href, as_version=4).cells[0]
                assert first.source.splitlines()[0] == f"# {r.title}", (
                    f"{r.href}: the learner clicked {r.title!r}; the notebook should open with it"
                )
    assert any(o.threshold != DEFAULT_THRESHOLD for o in objectives)
    assert any(o.threshold == DEFAULT_THRESHOLD for o in objectives)


def test_policy_and_unit_overrides(course: Course) -> None:
    assert course.policy.max_attempts == 5
    assert course.policy.cooldown_seconds == 600
    assert course.policy.scoring == "best"
    overridden = {u.id for u in course.units if u.policy != course.policy}
    assert overridden == {"python-basics", "project"}
    assert course.unit("python-basics").policy.max_attempts == 10  # type: ignore[union-attr]
    assert course.unit("project").policy.scoring == "latest"  # type: ignore[union-attr]


def test_every_resource_notebook_is_referenced(course: Course, course_dir: Path) -> None:
    referenced = {r.href for o in course.objectives for r in (*o.remediation, *o.enrichment)}
    on_disk = {
        p.relative_to(course_dir).as_posix() for p in (course_dir / "resources").rglob("*.ipynb")
    }
    assert on_disk == referenced


FORM_LINE = "form = checks.values  # your form of this unit: its numbers and texts"


def test_notebooks_are_clean_nbgrader_sources(course: Course, course_dir: Path) -> None:
    for unit_id, nb in _notebooks(course, course_dir).items():
        nbformat.validate(nb)
        assert nb.metadata["kernelspec"]["name"] == "python3"
        first = next(c for c in nb.cells if c.cell_type == "code")
        load = f'from mastery_nb.checks import load_checks\n\nchecks = load_checks("{unit_id}")'
        # a unit with parallel forms also names the learner's form in its first cell
        assert first.source in (load, f"{load}\n{FORM_LINE}"), unit_id
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
                assert any(t.startswith("objective:") for t in cell.metadata.get("tags", [])), (
                    f"{unit_id} {meta['grade_id']}: name its objective with an objective:<id> tag"
                )
            assert "mastery" not in meta, "never write inside metadata.nbgrader"
        assert len(grade_ids) == len(set(grade_ids)), f"{unit_id}: duplicate grade_id"


def test_written_units_have_hidden_tests_practice_and_quizzes(
    course: Course, course_dir: Path
) -> None:
    notebooks = _notebooks(course, course_dir)
    for info in WRITTEN:
        nb = notebooks[info.id]
        tests = _test_cells(nb)
        code_tests = [c for c in tests if "checks.quiz(" not in c.source]
        for cell in code_tests:
            assert "### BEGIN HIDDEN TESTS" in cell.source, (
                f"{info.id} {cell.metadata['nbgrader']['grade_id']}: no hidden tests"
            )
        quizzes = [c for c in tests if "checks.quiz(" in c.source]
        assert len(quizzes) >= len(course.unit(info.id).objectives), info.id  # type: ignore[union-attr]
        asked = {qid for c in nb.cells for v, qid in _CALL.findall(c.source) if v == "ask"}
        assert len(asked) >= 2 * len(course.unit(info.id).objectives), f"{info.id}: {asked}"  # type: ignore[union-attr]


def test_checks_files_match_the_notebooks(course: Course, course_dir: Path) -> None:
    """Every check a notebook calls exists and serves the cell's objective; none is unused."""
    for unit_id, nb in _notebooks(course, course_dir).items():
        checks = load_checks(unit_id, start=course_dir / "units", namespace={})
        declared = set(checks.ids)
        used: set[str] = set()
        tests = _test_cells(nb)
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            for verb, qid in _CALL.findall(cell.source):
                assert qid in declared, f"{unit_id}: {qid} is not in checks/{unit_id}.py"
                used.add(qid)
                if verb == "quiz":
                    checks.quiz_question(qid)  # raises KeyError for a code question
                if cell in tests:
                    assert checks.objective_of(qid) in cell_objectives(cell), (unit_id, qid)
        assert used == declared, f"{unit_id}: declared but never used: {declared - used}"
        assert {checks.objective_of(q) for q in declared} == {
            o.id
            for o in course.unit(unit_id).objectives  # type: ignore[union-attr]
        }


def test_data_is_real_and_its_licences_are_noted(course_dir: Path) -> None:
    data = course_dir / "data"
    readme = (data / "README.md").read_text(encoding="utf-8")
    files = sorted(p.name for p in data.iterdir() if p.name != "README.md")
    assert files == [
        "anscombe.csv",
        "cars.csv",
        "gapminder.csv",
        "iowa-electricity.csv",
        "penguins-raw.csv",
        "penguins.csv",
        "seattle-weather.csv",
        "stocks.csv",
        "us-employment.csv",
    ]
    for name in files:
        row = next(line for line in readme.splitlines() if line.startswith(f"| `{name}` |"))
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert len(cells) == 5 and all(cells), row  # file, shape, package, source, licence
        with (data / name).open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        width = len(rows[0])
        assert all(len(r) == width for r in rows), name
        times = "\N{MULTIPLICATION SIGN}"
        assert f"{len(rows) - 1} {times} {width}" == cells[1], f"{name}: README says {cells[1]}"
    with (data / "penguins.csv").open(encoding="utf-8") as f:
        assert sum(1 for _ in f) - 1 == 344  # the real Palmer penguins, not a made-up sample


def test_validate_accepts_the_sample_course(repo_root: Path, course: Course) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mastery_nb", "validate", "--root", str(repo_root), COURSE],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(course.units)} units, {len(course.objectives)} objectives" in done.stdout
    manifest = (repo_root / "courses" / COURSE / "course.toml").read_text(encoding="utf-8")
    assert re.search(r"^min_items_per_objective = 4$", manifest, re.MULTILINE)


def test_project_write_up_is_graded_by_hand_with_a_rubric(
    course: Course, course_dir: Path, repo_root: Path
) -> None:
    """The project's written interpretation is an nbgrader manually graded markdown cell of
    its objective; learners see the rubric's criteria, graders also get notes that the
    release removes, and the learner's copy starts empty."""
    nb = _notebooks(course, course_dir)["project"]
    manual = [
        c
        for c in nb.cells
        if c.cell_type == "markdown"
        and c.metadata.get("nbgrader", {}).get("grade")
        and c.metadata["nbgrader"].get("solution")
    ]
    assert len(manual) == 1
    cell = manual[0]
    meta = cell.metadata["nbgrader"]
    assert meta["points"] >= 4 and not meta["task"]
    assert set(cell_objectives(cell)) == {"interpret-results"}
    assert "Rubric for graders" in cell.source
    shown = nb.cells[nb.cells.index(cell) - 1].source
    for criterion in ("Claim", "Evidence", "Exceptions", "Limits"):
        assert f"**{criterion}**" in shown, criterion
    released = nbformat.read(
        repo_root / "release" / COURSE / course.unit("project").notebooks[0],  # type: ignore[union-attr]
        as_version=4,
    )
    copy = next(
        c
        for c in released.cells
        if c.metadata.get("nbgrader", {}).get("grade_id") == meta["grade_id"]
    )
    assert copy.source.strip() == "YOUR ANSWER HERE"

"""What ``mastery-nb release`` writes: student notebooks, the grading bundle, determinism, refusal."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import nbformat
from nbgrader.utils import compute_checksum

from mastery_nb.course import load_course
from mastery_nb.course.reader import ReleasedCourse
from mastery_nb.course.notebook import is_graded, is_locked, is_solution, is_tracked
from mastery_nb.release import build_release, release_course
from mastery_nb.root import CourseRoot

COURSE = "clean-course"


def mastery_nb(root: CourseRoot, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mastery_nb", *args, "--root", str(root.path)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_release_writes_both_trees(make_root: Callable[..., CourseRoot]) -> None:
    root = make_root(COURSE)
    result = mastery_nb(root, "release", COURSE)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        f"released {COURSE}: 3 units, 4 notebooks -> release/{COURSE}/ (9 files), "
        f"autograder/{COURSE}/ (8 files)\n"
    )
    assert sorted(tree(root.course_release(COURSE))) == [
        "checks/basics.py",
        "course.json",
        "data/numbers.csv",
        "resources/adding.ipynb",
        "units/01-basics.ipynb",
        "units/02-loops.ipynb",
        "units/03a-combined.ipynb",
        "units/03b-combined.ipynb",
        "units/figures/plan.svg",
    ]
    assert sorted(tree(root.course_bundle(COURSE))) == [
        "SHA256SUMS",
        "course.json",
        "files/checks/basics.py",
        "files/data/numbers.csv",
        "files/units/figures/plan.svg",  # beside the unit notebooks: present at grading
        "units/basics.json",
        "units/combined.json",
        "units/loops.json",
    ]


def test_student_notebooks_hold_no_answers_and_nbgrader_checksums(
    make_root: Callable[..., CourseRoot],
) -> None:
    root = make_root(COURSE)
    release_course(root, COURSE)
    released = root.course_release(COURSE)
    for path in (
        "units/01-basics.ipynb",
        "units/02-loops.ipynb",
        "units/03a-combined.ipynb",
        "units/03b-combined.ipynb",
    ):
        text = (released / path).read_text(encoding="utf-8")
        for secret in (
            "BEGIN SOLUTION",
            "HIDDEN TESTS",
            "return a + b",
            "s += x",
            "'Ada'",
            "Names make code readable",
            "assert add(-1, 1) == 0",
            "sum(numbers)",
        ):
            assert secret not in text, (path, secret)
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
        assert (nb.nbformat, nb.nbformat_minor) == (4, 5)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None
            if (
                is_graded(cell) or is_solution(cell) or is_locked(cell)
            ):  # nbgrader's rule for checksums
                assert cell.metadata.nbgrader["checksum"] == compute_checksum(cell)
                assert cell.id == cell.metadata.nbgrader["grade_id"]
                assert cell.metadata["deletable"] is False
            if is_locked(cell):
                assert cell.metadata["editable"] is False
    basics = nbformat.read(released / "units/01-basics.ipynb", as_version=4)
    assert (
        basics.cells[1].source
        == "def add(a, b):\n    # YOUR CODE HERE\n    raise NotImplementedError()"
    )
    assert basics.cells[7].source == "YOUR ANSWER HERE"
    assert basics.cells[2].source == "assert add(1, 2) == 3"
    assert basics.cells[2].metadata.mastery == {"schema_version": 1, "objectives": ["add-numbers"]}
    assert [c.id for c in basics.cells] == [
        "intro",
        "add",
        "test-add",
        "test-add-more",
        "name",
        "test-name",
        "cell-6",
        "why-names",
    ]
    # resources ship as written, outputs included
    source = (root.course_source(COURSE) / "resources/adding.ipynb").read_bytes()
    assert (released / "resources/adding.ipynb").read_bytes() == source


def test_bundle_has_hidden_tests_points_objectives_and_checksums(
    make_root: Callable[..., CourseRoot],
) -> None:
    root = make_root(COURSE)
    release_course(root, COURSE)
    bundle_dir = root.course_bundle(COURSE)
    released = ReleasedCourse.at(bundle_dir).course()
    without_grade_ids = released.model_copy(
        update={"units": tuple(u.model_copy(update={"graded": ()}) for u in released.units)}
    )
    assert without_grade_ids == load_course(root, COURSE), "the manifest, plus grade ids"
    basics_unit = released.unit("basics")
    assert basics_unit is not None and basics_unit.grade_ids("units/01-basics.ipynb")
    assert (bundle_dir / "course.json").read_bytes() == (
        root.course_release(COURSE) / "course.json"
    ).read_bytes()

    basics = ReleasedCourse.at(bundle_dir).unit_bundle("basics")
    [notebook] = basics.notebooks
    assert (basics.course, notebook.path, notebook.kernel_name) == (
        COURSE,
        "units/01-basics.ipynb",
        "python3",
    )
    cells = {c.grade_id: c for c in notebook.cells}
    assert list(cells) == [
        "intro",
        "add",
        "test-add",
        "test-add-more",
        "name",
        "test-name",
        "why-names",
    ]
    test_add = cells["test-add"]
    assert (
        test_add.is_test
        and test_add.locked
        and test_add.points == 2
        and test_add.objectives == ("add-numbers",)
    )
    assert (
        test_add.source
        == "assert add(1, 2) == 3\n### BEGIN HIDDEN TESTS\nassert add(-1, 1) == 0\n### END HIDDEN TESTS"
    )
    assert cells["test-name"].objectives == ("name-things",)
    assert (
        cells["why-names"].solution
        and cells["why-names"].grade
        and cells["why-names"].cell_type == "markdown"
    )
    assert cells["add"].source.endswith("raise NotImplementedError()")
    released = nbformat.read(root.course_release(COURSE) / notebook.path, as_version=4)
    for cell in notebook.cells:
        assert cell.checksum == released.cells[cell.index].metadata.nbgrader["checksum"]

    loops = ReleasedCourse.at(bundle_dir).unit_bundle("loops")  # one objective: untagged graded cells count toward it
    assert [c.objectives for c in loops.notebooks[0].cells if c.grade] == [
        ("sum-list",),
        ("sum-list",),
    ]
    combined = ReleasedCourse.at(bundle_dir).unit_bundle("combined")
    assert [n.path for n in combined.notebooks] == [
        "units/03a-combined.ipynb",
        "units/03b-combined.ipynb",
    ]
    task = combined.notebooks[1].cells[0]
    assert (task.grade_id, task.task, task.points, len(task.checksum)) == (
        "describe",
        True,
        1.0,
        32,
    )

    sums = (bundle_dir / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    files = tree(bundle_dir)
    assert [line.split("  ", 1)[1] for line in sums] == sorted(set(files) - {"SHA256SUMS"})
    for line in sums:
        digest, name = line.split("  ", 1)
        assert hashlib.sha256(files[name]).hexdigest() == digest


def test_release_is_byte_identical_and_clears_stale_files(
    make_root: Callable[..., CourseRoot],
) -> None:
    root = make_root(COURSE)
    release_course(root, COURSE)
    first = (tree(root.course_release(COURSE)), tree(root.course_bundle(COURSE)))
    (root.course_release(COURSE) / "units" / "old-unit.ipynb").write_text("{}", encoding="utf-8")
    (root.course_bundle(COURSE) / "units" / "old-unit.json").write_text("{}", encoding="utf-8")
    (root.course_release(COURSE) / "course.json").write_text("edited", encoding="utf-8")
    result = mastery_nb(root, "release", COURSE)
    assert result.returncode == 0, result.stderr
    assert (tree(root.course_release(COURSE)), tree(root.course_bundle(COURSE))) == first
    assert sorted(p.name for p in root.release_dir.iterdir()) == [
        COURSE
    ]  # no temporary folders left
    assert sorted(p.name for p in root.autograder_dir.iterdir()) == [COURSE]


def test_check_reports_stale_files_without_writing(make_root: Callable[..., CourseRoot]) -> None:
    root = make_root(COURSE)
    release_course(root, COURSE)
    assert mastery_nb(root, "release", COURSE, "--check").returncode == 0
    (root.course_release(COURSE) / "data" / "numbers.csv").write_text("n\n9\n", encoding="utf-8")
    (root.course_bundle(COURSE) / "units" / "loops.json").unlink()
    result = mastery_nb(root, "release", COURSE, "--check")
    assert result.returncode == 1
    assert result.stderr.splitlines()[:3] == [
        f"checking that the release of course {COURSE} in {root.path} is up to date "
        "(validating and building it in memory) ...",
        f"stale: release/{COURSE}/data/numbers.csv",
        f"stale: autograder/{COURSE}/units/loops.json",
    ]
    assert (root.course_release(COURSE) / "data" / "numbers.csv").read_text(
        encoding="utf-8"
    ) == "n\n9\n"


def test_invalid_course_is_refused_and_previous_release_kept(
    make_root: Callable[..., CourseRoot],
) -> None:
    root = make_root(COURSE, "broken-course")
    previous = root.course_release("broken-course")
    previous.mkdir(parents=True)
    (previous / "course.json").write_text("previous", encoding="utf-8")
    result = mastery_nb(root, "release")
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    assert "broken-course: not released (17 problems)" in result.stderr
    assert result.stdout.startswith(f"released {COURSE}:")
    assert (previous / "course.json").read_text(encoding="utf-8") == "previous"
    assert not root.course_bundle("broken-course").exists()


def test_unmodified_nbgrader_assignment_releases_as_a_unit(
    make_root: Callable[..., CourseRoot],
) -> None:
    root = make_root("nbgrader-course")
    output = build_release(root, "nbgrader-course")
    assert sorted(output.release) == [
        "course.json",
        "units/ps1/jupyter.png",
        "units/ps1/problem1.ipynb",
        "units/ps1/problem2.ipynb",
    ]
    bundle = json.loads(output.bundle["units/ps1.json"])
    graded = [c for n in bundle["notebooks"] for c in n["cells"] if c["grade"]]
    assert len(graded) == 8 and sum(c["points"] for c in graded) == 9
    assert all(c["objectives"] == ["sum-of-squares"] for c in graded)
    problem1 = nbformat.reads(output.release["units/ps1/problem1.ipynb"].decode(), as_version=4)
    assert problem1.metadata.kernelspec.name == "python3"
    assert "raise NotImplementedError()" in problem1.cells[2].source
    assert "squares(n)" not in problem1.cells[8].source.split("\n", 2)[-1]
    for cell in problem1.cells:
        if is_tracked(cell) and "checksum" in cell.metadata.nbgrader:
            assert cell.metadata.nbgrader["checksum"] == compute_checksum(cell)


def test_help_says_what_release_does() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mastery_nb", "release", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    assert "release/<course>/" in result.stdout and "autograder/<course>/" in result.stdout
    assert "hidden tests removed" in result.stdout and "--check" in result.stdout

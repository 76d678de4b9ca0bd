"""Each notebook mistake, made in one copy of the clean fixture course, gives the right problem."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from mastery_nb.root import CourseRoot
from mastery_nb.validate import validate_course

COURSE = "clean-course"
BASICS = "units/01-basics.ipynb"


def _edit(root: CourseRoot, path: str, change: Callable[[dict[str, Any]], None]) -> None:
    file = root.course_source(COURSE) / path
    data = json.loads(file.read_text(encoding="utf-8"))
    change(data)
    file.write_text(json.dumps(data, indent=1), encoding="utf-8")


def _cell(data: dict[str, Any], index: int) -> dict[str, Any]:
    cell: dict[str, Any] = data["cells"][index]
    return cell


def _problems(root: CourseRoot) -> list[str]:
    return [str(p) for p in validate_course(root, COURSE).problems]


def test_clean_course_has_no_problems(make_root: Callable[..., CourseRoot]) -> None:
    check = validate_course(make_root(COURSE), COURSE)
    assert check.ok, check.problems
    assert (check.graded_cells, check.points) == (9, 11)  # the task of unit combined counts
    assert check.extra_files == {
        "resources/adding.ipynb",
        "units/figures/plan.svg",
        "data/numbers.csv",
    }
    assert check.notebook_files == {"units/figures/plan.svg"}  # beside the unit notebooks
    assert check.warnings == []


@pytest.mark.parametrize(
    ("index", "source", "expected"),
    [
        (
            1,
            "def add(a, b):\n    return a + b\n    ### END SOLUTION",
            "'END SOLUTION' at line 3 closes no region",
        ),
        (
            1,
            "### BEGIN SOLUTION\n### BEGIN SOLUTION\nx = 1\n### END SOLUTION",
            "opens a region inside the region opened at line 1",
        ),
        (
            2,
            "assert add(1, 2) == 3\n### BEGIN HIDDEN TESTS\nassert add(0, 0) == 0",
            "hidden-test region: the region opened by 'BEGIN HIDDEN TESTS' at line 2 is never closed",
        ),
        (
            6,
            "### BEGIN SOLUTION\nwhy\n### END SOLUTION",
            "a solution region ('### BEGIN SOLUTION') is in a cell not marked as an answer",
        ),
        (6, "### BEGIN HIDDEN TESTS\nassert 1\n### END HIDDEN TESTS", "is outside a test cell"),
    ],
)
def test_region_mistakes(
    make_root: Callable[..., CourseRoot], index: int, source: str, expected: str
) -> None:
    root = make_root(COURSE)
    _edit(root, BASICS, lambda d: _cell(d, index).update(source=source))
    problems = _problems(root)
    assert any(expected in p and f"{BASICS}: cell {index}" in p for p in problems), problems


def test_nbgrader_metadata_mistakes(make_root: Callable[..., CourseRoot]) -> None:
    root = make_root(COURSE)

    def change(data: dict[str, Any]) -> None:
        del _cell(data, 2)["metadata"]["nbgrader"]["points"]
        _cell(data, 3)["metadata"]["nbgrader"]["objectives"] = ["add-numbers"]
        _cell(data, 5)["metadata"]["nbgrader"]["schema_version"] = 1
        _cell(data, 4)["metadata"]["nbgrader"]["grade_id"] = "has space"
        _cell(data, 7)["metadata"]["nbgrader"]["points"] = 0

    _edit(root, BASICS, change)
    problems = "\n".join(_problems(root))
    assert "cell 2 (grade_id 'test-add'): graded cell has no points" in problems
    assert "cell 3 (grade_id 'test-add-more'): objectives are inside metadata.nbgrader" in problems
    assert (
        "cell 5 (grade_id 'test-name'): metadata.nbgrader: Outdated schema version: 1 (expected 3). Fix: run `nbgrader update`"
        in problems
    )
    assert (
        "cell 4 (grade_id 'has space'): metadata.nbgrader.grade_id: 'has space' does not match"
        in problems
    )
    assert "cell 7 (grade_id 'why-names'): graded cell has points 0" in problems


def test_bad_mastery_metadata_and_markdown_test_cell(make_root: Callable[..., CourseRoot]) -> None:
    root = make_root(COURSE)

    def change(data: dict[str, Any]) -> None:
        _cell(data, 2)["metadata"]["mastery"] = {"schema_version": 2, "objectives": ["add-numbers"]}
        _cell(data, 7)["metadata"]["nbgrader"]["solution"] = False

    _edit(root, BASICS, change)
    problems = "\n".join(_problems(root))
    assert "cell 2 (grade_id 'test-add'): metadata.mastery['schema_version']: 1 was expected" in (
        problems
    )
    assert "Markdown grade cell 'why-names' is not marked as a solution cell" in problems


def test_broken_links_and_resources(make_root: Callable[..., CourseRoot]) -> None:
    root = make_root(COURSE)
    _edit(
        root,
        BASICS,
        lambda d: _cell(d, 0).update(
            source="![a](figures/missing.png) [b](../../outside.txt) [c](https://x.org/y.png) [d](#top)"
        ),
    )
    manifest = root.course_source(COURSE) / "course.toml"
    text = manifest.read_text(encoding="utf-8")
    text = text.replace(
        'href = "resources/adding.ipynb" }]\n\n[[units.objectives]]\nid = "name-things"',
        'href = "resources/gone.ipynb" }]\n\n[[units.objectives]]\nid = "name-things"',
        1,
    )
    text = text.replace(
        'id = "combine"\ndescription = "Combine loops and arithmetic on data read from a file"\nremediation = [{ title = "Adding, step by step", href = "resources/adding.ipynb" }]',
        'id = "combine"\ndescription = "Combine"\nremediation = [{ title = "The answers", href = "units/02-loops.ipynb" }]',
    )
    manifest.write_text(text, encoding="utf-8")
    check = validate_course(root, COURSE)
    problems = "\n".join(str(p) for p in check.problems)
    # a broken link spoils one picture, not the course: a warning, the release goes on
    warnings = "\n".join(str(p) for p in check.warnings)
    assert (
        f"{BASICS}: cell 0 (grade_id 'intro'): links to 'units/figures/missing.png', which does "
        "not exist (students will see a broken link)" in warnings
    )
    assert "links to '../outside.txt', outside the course folder" in warnings
    assert "missing.png" not in problems and "outside.txt" not in problems
    assert (
        "units[0].objectives[0].remediation[0].href: resource 'resources/gone.ipynb' does not exist"
        in problems
    )
    assert (
        "units[2].objectives[0].remediation[0].href: resource 'units/02-loops.ipynb' is a unit notebook"
        in problems
    )
    assert "x.org" not in problems + warnings and "#top" not in problems + warnings


def test_duplicate_grade_id_across_notebooks_of_a_unit(
    make_root: Callable[..., CourseRoot],
) -> None:
    root = make_root(COURSE)
    _edit(
        root,
        "units/03b-combined.ipynb",
        lambda d: _cell(d, 1)["metadata"]["nbgrader"].update(grade_id="sum-numbers"),
    )
    problems = _problems(root)
    assert any(
        "03b-combined.ipynb: cell 1 (grade_id 'sum-numbers'): duplicate grade_id 'sum-numbers': "
        "units/03a-combined.ipynb cell 1 of the same unit has it too" in p
        for p in problems
    ), problems


def test_untagged_cells_in_a_multi_objective_unit_say_what_to_tag(
    make_root: Callable[..., CourseRoot],
) -> None:
    root = make_root(COURSE)

    def change(data: dict[str, Any]) -> None:
        for index in (2, 3):
            _cell(data, index)["metadata"].pop("mastery", None)
            _cell(data, index)["metadata"].pop("tags", None)

    _edit(root, BASICS, change)
    problems = _problems(root)
    untagged = [p for p in problems if "graded cell assesses no objective" in p]
    assert len(untagged) == 2
    assert "add the cell tag 'objective:add-numbers' or 'objective:name-things'" in untagged[0]
    assert any(
        "objective 'add-numbers' of unit 'basics' is assessed by no graded cell" in p
        for p in problems
    )


def test_missing_notebook_does_not_cascade_into_unassessed_objectives(
    make_root: Callable[..., CourseRoot],
) -> None:
    root = make_root(COURSE)
    (root.course_source(COURSE) / BASICS).unlink()
    problems = _problems(root)
    assert problems == [
        f"courses/{COURSE}/{BASICS}: notebook does not exist. Fix: create it, or correct its path "
        f"in courses/{COURSE}/course.toml (units[0].notebooks[0]) (relative to the course folder)"
    ]


def test_answers_graded_by_hand_assess_an_objective(
    make_root: Callable[..., CourseRoot],
) -> None:
    root = make_root(COURSE)
    # only the hand-graded markdown answer (cell 7) still names name-things: that counts
    _edit(root, BASICS, lambda d: _cell(d, 5)["metadata"].update(tags=["objective:add-numbers"]))
    assert _problems(root) == []
    # and an unknown objective on it is reported like on any graded cell
    _edit(root, BASICS, lambda d: _cell(d, 7)["metadata"].update(tags=["objective:name-thing"]))
    problems = _problems(root)
    assert any(
        "cell 7" in p and "unknown objective 'name-thing' (did you mean 'name-things'?)" in p
        for p in problems
    ), problems


def test_load_checks_needs_a_checks_file(make_root: Callable[..., CourseRoot]) -> None:
    root = make_root(COURSE)
    _edit(
        root,
        BASICS,
        lambda d: _cell(d, 4).update(
            source='from mastery_nb.checks import load_checks\nchecks = load_checks("loops")'
        ),
    )
    assert _problems(root) == [
        f"courses/{COURSE}/{BASICS}: cell 4 (grade_id 'name'): load_checks('loops') needs courses/{COURSE}/checks/loops.py, "
        "which does not exist. Fix: create it, or pass the id of a unit that has a checks file (this unit is 'basics')"
    ]
    _edit(root, BASICS, lambda d: _cell(d, 4).update(source='checks = load_checks("basics")'))
    assert _problems(root) == []


def test_mastery_metadata_without_schema_version_is_the_current_version(
    make_root: Callable[..., CourseRoot],
) -> None:
    """As nbgrader reads its own cell metadata: no version means the current one."""
    root = make_root(COURSE)
    _edit(
        root,
        BASICS,
        lambda d: _cell(d, 2)["metadata"].update(mastery={"objectives": ["add-numbers"]}),
    )
    check = validate_course(root, COURSE)
    assert check.ok, check.problems


def test_a_notebook_for_another_kernel_names_the_file_and_the_fix(
    make_root: Callable[..., CourseRoot],
) -> None:
    root = make_root(COURSE)
    _edit(
        root,
        BASICS,
        lambda d: d["metadata"].update(
            kernelspec={"display_name": "Octave", "language": "octave", "name": "octave"},
            language_info={"name": "octave"},
        ),
    )
    problems = _problems(root)
    assert problems == [
        f"courses/{COURSE}/{BASICS}: metadata.kernelspec: the notebook is for the Octave kernel "
        "(language 'octave'); mastery-nb grades Python notebooks only, so its tests would run as "
        "Python. Fix: write the unit for a Python 3 kernel (Kernel > Change Kernel > Python 3, then "
        "port the code), or grade this notebook with nbgrader, which runs other kernels"
    ]


def test_autotest_lines_need_templates_and_a_test_cell(
    make_root: Callable[..., CourseRoot],
) -> None:
    root = make_root(COURSE)

    def change(data: dict[str, Any]) -> None:
        _cell(data, 2)["source"] = "# AUTOTEST add(1, 2)"
        _cell(data, 0)["cell_type"] = "code"
        _cell(data, 0).update(outputs=[], execution_count=None, source="# AUTOTEST 1 + 1")

    _edit(root, BASICS, change)
    problems = "\n".join(_problems(root))
    assert (
        "cell 0 (grade_id 'intro'): an AUTOTEST line is in a cell that is not an 'Autograder tests' cell"
        in problems
    )
    assert (
        f"{BASICS}: cell 0 (grade_id 'intro'): AUTOTEST lines need nbgrader's test templates "
        "(autotests.yml), found neither beside the notebook nor in courses/clean-course"
    ) in problems
    (root.course_source(COURSE) / "autotests.yml").write_text("python3: {}\n", encoding="utf-8")
    assert "autotests.yml" not in "\n".join(_problems(root))

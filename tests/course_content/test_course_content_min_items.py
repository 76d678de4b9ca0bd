"""``min_items_per_objective``: validate reports an objective assessed by too few graded items.

The sample course asks for four items per objective (``[course] min_items_per_objective = 4``);
a unit may lower it for itself (``[[units]] min_items_per_objective``). Other courses are
not affected: without the setting one autograded item is enough, as before.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from course_content_helpers import COURSE, copy_course_root

from mastery_nb.root import CourseRoot
from mastery_nb.validate.course import validate_course


def _copy(repo_root: Path, tmp_path: Path) -> tuple[CourseRoot, Path]:
    root = copy_course_root(repo_root, tmp_path)
    return CourseRoot.at(root), root / "courses" / COURSE / "course.toml"


def _unit_block(text: str, unit_id: str) -> tuple[int, int]:
    start = text.index(f'id = "{unit_id}"')
    end = text.find("[[units]]", start)
    return start, len(text) if end < 0 else end


def _set_unit_min(text: str, unit_id: str, value: str | None) -> str:
    """Set (or, with ``None``, remove) the unit's own min_items_per_objective line."""
    start, end = _unit_block(text, unit_id)
    block = re.sub(r"\nmin_items_per_objective = [^\n]*", "", text[start:end])
    if value is not None:
        block = block.replace("\nrequires", f"\nmin_items_per_objective = {value}\nrequires", 1)
    return text[:start] + block + text[end:]


def _assessed(root: CourseRoot, unit_id: str) -> dict[str, int]:
    """objective -> how many graded cells of the unit name it (answers graded by hand count
    too, as validate counts them)."""
    import nbformat

    from mastery_nb.course import cell_objectives, load_course

    course = load_course(root, COURSE)
    unit = course.unit(unit_id)
    assert unit is not None
    counts = {o.id: 0 for o in unit.objectives}
    nb = nbformat.read(root.course_source(COURSE) / unit.notebooks[0], as_version=4)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") or meta.get("task"):
            for objective in cell_objectives(cell):
                counts[objective] += 1
    return counts


def test_too_few_items_are_reported_naming_objective_unit_and_fix(
    repo_root: Path, tmp_path: Path
) -> None:
    root, manifest = _copy(repo_root, tmp_path)
    text = manifest.read_text(encoding="utf-8")
    counts = _assessed(root, "functions")
    wanted = max(counts.values()) + 1
    manifest.write_text(_set_unit_min(text, "functions", str(wanted)), encoding="utf-8")

    problems = validate_course(root, COURSE).problems

    reported = {p.place: p for p in problems}
    assert len(problems) == len(counts), [str(p) for p in problems]
    for index, (objective, count) in enumerate(counts.items()):
        problem = reported[f"units[1].objectives[{index}]"]
        assert problem.file.endswith(f"courses/{COURSE}/course.toml")
        assert f"objective {objective!r} of unit 'functions'" in problem.message
        assert f"assessed by {count} graded item(s)" in problem.message
        assert f"asks for {wanted}" in problem.message
        assert f"add {wanted - count} more" in problem.fix
        assert (
            f"'objective:{objective}'" in problem.fix and "units/02-functions.ipynb" in problem.fix
        )


def test_the_course_setting_applies_to_units_that_do_not_lower_it(
    repo_root: Path, tmp_path: Path
) -> None:
    root, manifest = _copy(repo_root, tmp_path)
    text = manifest.read_text(encoding="utf-8")
    start, end = _unit_block(text, "project")
    if "min_items_per_objective" not in text[start:end]:
        text = _set_unit_min(text, "project", "4")  # the project is written: pin the rule
    counts = _assessed(root, "project")
    course_min = max(counts.values()) + 1
    text = re.sub(
        r"^min_items_per_objective = \d+$",
        f"min_items_per_objective = {course_min}",
        _set_unit_min(text, "project", None),
        flags=re.MULTILINE,
    )
    manifest.write_text(text, encoding="utf-8")

    problems = validate_course(root, COURSE).problems

    project = [p for p in problems if "of unit 'project'" in p.message]
    assert len(project) == len(counts), [str(p) for p in problems]
    assert all(f"asks for {course_min}" in p.message for p in project)


def test_without_the_setting_one_item_is_enough(repo_root: Path, tmp_path: Path) -> None:
    root, manifest = _copy(repo_root, tmp_path)
    text = re.sub(r"\n\s*min_items_per_objective = [^\n]*", "", manifest.read_text("utf-8"))
    manifest.write_text(text, encoding="utf-8")

    assert validate_course(root, COURSE).problems == []


def test_a_bad_setting_is_reported_and_the_cli_exits_2(repo_root: Path, tmp_path: Path) -> None:
    root, manifest = _copy(repo_root, tmp_path)
    text = manifest.read_text(encoding="utf-8")
    text = re.sub(
        r"^min_items_per_objective = \d+$", "min_items_per_objective = 0", text, flags=re.M
    )
    manifest.write_text(_set_unit_min(text, "functions", '"four"'), encoding="utf-8")

    done = subprocess.run(
        [sys.executable, "-m", "mastery_nb", "validate", "--root", str(root.path), COURSE],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 2
    output = done.stdout + done.stderr
    assert "Traceback" not in output
    assert (
        "course.min_items_per_objective: min_items_per_objective should be a whole number "
        "of at least 1, got a number 0" in output
    )
    assert (
        "units[1].min_items_per_objective: min_items_per_objective should be a whole number"
        in output
    )

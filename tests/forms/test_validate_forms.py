"""``mastery-nb validate`` on forms and placements: every mistake at once, in words."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import nbformat
from forms_course import ARITH_NB, COURSE_ID, PLACEMENT_NB, WORDS_NB, write_forms_course

from mastery_nb.cli import main as mastery_main


def _validate(root: Path) -> tuple[int, str, str]:
    """(exit code, stdout, stderr after the first line, which says what is validated)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = mastery_main(["validate", COURSE_ID, "--root", str(root)])
    first, _, rest = err.getvalue().partition("\n")
    assert first == f"validating course {COURSE_ID} in {root.resolve() / 'courses'} ...", first
    return code, out.getvalue(), rest


def test_the_forms_course_is_valid(tmp_path: Path) -> None:
    root = write_forms_course(tmp_path)
    code, out, err = _validate(root.path)
    assert (code, err) == (0, ""), err
    assert "forms: ok: 2 units" in out


def _edit_cell(path: Path, grade_id: str, source: str) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            cell.source = source
    nbformat.write(nb, path)


def test_every_forms_and_placement_mistake_is_reported_at_once(tmp_path: Path) -> None:
    root = write_forms_course(tmp_path)
    course = root.course_source(COURSE_ID)
    # a misspelt value, and a unit without forms referring to one
    _edit_cell(course / ARITH_NB, "setup-big", "limit = form.limt")
    _edit_cell(course / WORDS_NB, "test-line", "assert line == form.words")
    # a quiz whose answer is not an option for some forms
    checks = course / "checks" / "arith.py"
    checks.write_text(
        checks.read_text()
        + '\nchecks.single_choice("parity", objective="use-remainder", prompt="{{ form.a }} is",'
        ' options=["odd", "even"], answer=lambda f: "odd" if f.a % 2 else "zero")\n'
    )
    # the placement: a graded cell of another unit's objective, one with none, and a unit
    # whose objective it does not assess
    manifest = course / "course.toml"
    manifest.write_text(
        manifest.read_text().replace('units = ["arith"]', 'units = ["arith", "words", "nope"]')
        + '\n[[placements]]\nid = "arith"\ntitle = "Twice"\nnotebooks = ["placement/arith.ipynb"]\nunits = ["arith"]\n'
    )
    nb = nbformat.read(course / PLACEMENT_NB, as_version=4)
    nb.cells[4].metadata.pop("mastery")
    nbformat.write(nb, course / PLACEMENT_NB)

    code, _out, err = _validate(root.path)
    assert code == 2
    lines = err.splitlines()[:-1]
    assert err.splitlines()[-1] == f"{COURSE_ID}: {len(lines)} problems"
    expected = [
        "placements[0].units[2]: unknown unit 'nope'",
        "placements[1].id: id 'arith' is also used by units[0]",
        "placements[1].notebooks[0]: notebook 'placement/arith.ipynb' is already part of placement 'place-arith'",
        "cell 6 (grade_id 'setup-big'): refers to form.limt, which the form of unit 'arith' does not have (did you mean 'limit'?)",
        "cell 1 (grade_id 'test-line'): refers to form.words, but unit 'words' has no parallel forms",
        "checks/arith.py: @checks.form: with the form of seed",
        "answer 'zero' is not one of the options",
        "cell 4 (grade_id 'test-compare'): graded cell assesses no objective (placement 'place-arith' covers 2)",
        "placements[0].units[1]: placement 'place-arith' assesses no objective 'join-words' of unit 'words'",
    ]
    for words in expected:
        assert any(words in line for line in lines), (words, err)
    assert all(line.startswith("error: ") and ". Fix: " in line for line in lines), err


def test_a_form_function_that_is_not_reproducible_is_refused(tmp_path: Path) -> None:
    root = write_forms_course(tmp_path)
    checks = root.course_source(COURSE_ID) / "checks" / "arith.py"
    checks.write_text(
        checks.read_text().replace(
            'return {"a": rng.randint(100, 999)',
            'import random\n    return {"a": random.randint(100, 999)',
        )
    )
    code, _, err = _validate(root.path)
    assert code == 2
    assert "gave different values for the same seed" in err
    assert "draw every value from the rng argument" in err


def test_a_form_function_that_raises_or_ignores_its_rng(tmp_path: Path) -> None:
    root = write_forms_course(tmp_path)
    checks = root.course_source(COURSE_ID) / "checks" / "arith.py"
    original = checks.read_text()
    checks.write_text(original.replace('"limit": rng.randint(20, 80)', '"limit": 1 / 0'))
    code, _, err = _validate(root.path)
    assert code == 2 and "the form function raised ZeroDivisionError" in err, err

    checks.write_text(
        original.replace("rng.randint(100, 999)", "500")
        .replace("rng.randint(3, 9)", "7")
        .replace("rng.randint(20, 80)", "50")
    )
    code, _out, err = _validate(root.path)
    assert code == 0, err
    assert "every learner would get the same form" in err

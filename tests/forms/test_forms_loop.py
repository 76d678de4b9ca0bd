"""Parallel forms end to end: release, start, practice, submit, grade, a new form, feedback.

Everything real: the course is released by the release code, learners start units through
the backend (what the sidebar's Start asks) or ``mastery-nb start``, attempts go through
submit and the grading queue into SQLite, and notebooks run in the real grader's sandbox.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import nbformat
import pytest
from forms_course import (
    ARITH_NB,
    COURSE_ID,
    GENERAL_ANSWERS,
    fill_answers,
    form_answers,
)
from nbgrader.utils import compute_checksum

from mastery_nb.backend import BackendError
from mastery_nb.backend.local import LocalBackend
from mastery_nb.checks import load_checks
from mastery_nb.cli import main as mastery_main
from mastery_nb.course.reader import ReleasedCourse
from mastery_nb.documents import FileDocument
from mastery_nb.feedback import attempt_feedback, render_feedback_html
from mastery_nb.forms.learner import learner_form
from mastery_nb.grade.attempt import GradingPool, grade_attempt
from mastery_nb.grade.queue import grade_pending
from mastery_nb.root import CourseRoot
from mastery_nb.server.workspace import unit_started, write_start_files

pytestmark = pytest.mark.slow

FORM_FILE = "forms/arith.json"


def _files(documents: list[FileDocument]) -> dict[str, bytes]:
    return {d.path: d.content() for d in documents}


def _start(root: CourseRoot, learner: str, unit: str = "arith") -> dict[str, bytes]:
    backend = LocalBackend(root, COURSE_ID)
    try:
        return _files(backend.start(learner, unit).files)
    finally:
        backend.close()


def _values(files: dict[str, bytes], path: str = FORM_FILE) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(files[path])
    return data["values"]


def _source(notebook: bytes, grade_id: str) -> str:
    nb = nbformat.reads(notebook.decode("utf-8"), as_version=4)
    return next(
        c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id
    )


def test_two_learners_get_different_forms_and_regenerating_gives_the_same_bytes(
    forms_root: CourseRoot, tmp_path: Path
) -> None:
    ada, bob = _start(forms_root, "ada"), _start(forms_root, "bob")
    assert ada[ARITH_NB] != bob[ARITH_NB]
    assert _values(ada) != _values(bob)
    assert _start(forms_root, "ada") == ada, "the same learner's form: the same bytes"

    # what the sidebar's Start writes and what `mastery-nb start` writes are the same files
    code = mastery_main(
        [
            "start",
            COURSE_ID,
            "arith",
            "--student",
            "ada",
            "--dir",
            str(tmp_path / "ws"),
            "--root",
            str(forms_root.path),
            "--data-dir",
            str(forms_root.data_dir),
        ]
    )
    assert code == 0
    written = tmp_path / "ws" / COURSE_ID
    for path, data in ada.items():
        assert (written / path).read_bytes() == data, path

    # the files do not depend on the other files of the course (a new release of another
    # unit's notebook leaves them alone): only the form key, the learner and the number
    again = learner_form(forms_root, COURSE_ID, "arith", "ada", 1)
    assert again is not None and again.values == _values(ada)


def test_a_started_notebook_shows_the_learners_own_values(forms_root: CourseRoot) -> None:
    files = _start(forms_root, "ada")
    values = _values(files)
    nb = nbformat.reads(files[ARITH_NB].decode("utf-8"), as_version=4)
    assert nb.metadata["mastery"] == {"schema_version": 1, "unit": "arith", "form": 1}
    text = "\n".join(c.source for c in nb.cells)
    assert f"a = {values['a']}\nb = {values['b']}" in text
    assert f"remainder of {values['a']} divided by {values['b']}" in text
    assert f"at least {values['limit']}, else" in text
    assert "form.a" not in text and "{{" not in text
    for cell in nb.cells:  # locked cells carry nbgrader's own checksum of what they now say
        checksum = cell.metadata.get("nbgrader", {}).get("checksum")
        if checksum:
            assert compute_checksum(cell) == checksum, cell.metadata["nbgrader"]["grade_id"]
    released = nbformat.read(forms_root.course_release(COURSE_ID) / ARITH_NB, as_version=4)
    assert released.metadata["mastery"]["form"] == 0, "release/ shows the preview form"


def _run_practice(workspace_course: Path, notebook: bytes) -> dict[str, str]:
    """The learner's Check of every question, as their kernel would run it: the notebook's
    own code cells (setup and answers) executed, then each practice check and quiz."""
    nb = nbformat.reads(notebook.decode("utf-8"), as_version=4)
    ns: dict[str, Any] = {}
    checks = load_checks("arith", start=workspace_course / "units", namespace=ns)
    ns.update(checks=checks, form=checks.values)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and not meta.get("grade") and meta.get("grade_id") != "load":
            exec(compile(cell.source, meta.get("grade_id", "cell"), "exec"), ns)
    from mastery_nb.checks.answers import extract_answers

    answers = extract_answers(nb)
    verdicts = {q: checks.run(q, record=False).status for q in ("remainder", "big")}
    verdicts["floor"] = checks.score("floor", answers.get("floor")).status
    return verdicts


def _graded(pool: GradingPool, root: CourseRoot, learner: str, form: int, data: bytes) -> Any:
    released = ReleasedCourse.of(root, COURSE_ID)
    drawn = learner_form(root, COURSE_ID, "arith", learner, form)
    return grade_attempt(
        released.unit_bundle("arith"), {ARITH_NB: data}, released.files_dir, pool=pool, form=drawn
    )


QUESTION_CELL = {"remainder": "test-left", "big": "test-big", "floor": "quiz-floor"}


def test_a_notebook_right_for_form_1_fails_form_2_and_the_grader_agrees_with_practice(
    forms_root: CourseRoot, forms_pool: GradingPool, tmp_path: Path
) -> None:
    form1 = learner_form(forms_root, COURSE_ID, "arith", "ada", 1)
    form2 = learner_form(forms_root, COURSE_ID, "arith", "ada", 2)
    assert form1 is not None and form2 is not None and form1.values != form2.values
    v1 = form1.values
    answered = fill_answers(
        _start(forms_root, "ada")[ARITH_NB],
        form_answers(v1),
        {"floor": v1["a"] // v1["b"]},
        "arith",
    )

    as_form1 = _graded(forms_pool, forms_root, "ada", 1, answered)
    assert [(o.objective, o.score, o.mastered) for o in as_form1.objectives] == [
        ("use-remainder", 1.0, True)
    ]
    assert not as_form1.tampering

    as_form2 = _graded(forms_pool, forms_root, "ada", 2, answered)
    (objective,) = as_form2.objectives
    assert not objective.mastered and objective.score < objective.threshold, objective
    # the setup cells were restored from the bundle and form 2, whatever the notebook said
    assert any("setup-left" in t for t in as_form2.tampering), as_form2.tampering

    # the grader's verdict per question is what the learner's practice checks say on that form
    for form, result in ((1, as_form1), (2, as_form2)):
        workspace = tmp_path / f"form{form}"
        write_start_files(
            workspace,
            [
                FileDocument.of(p, d)
                for p, d in _files(
                    LocalBackend(forms_root, COURSE_ID).start("ada", "arith").files
                ).items()
            ],
        )
        drawn = learner_form(forms_root, COURSE_ID, "arith", "ada", form)
        assert drawn is not None
        from mastery_nb.forms.values import form_file_bytes

        (workspace / FORM_FILE).write_bytes(form_file_bytes(COURSE_ID, "arith", form, drawn.values))
        practice = _run_practice(workspace, answered)
        graded = {c.grade_id: c.status for c in result.cells}
        for question, cell in QUESTION_CELL.items():
            assert (practice[question] == "correct") == (graded[cell] == "passed"), (
                form,
                question,
                practice,
                graded,
            )

    # the author's answers (which use the setup's names) are right for every form
    general = fill_answers(
        _start(forms_root, "ada")[ARITH_NB],
        GENERAL_ANSWERS,
        {"floor": form2.values["a"] // form2.values["b"]},
        "arith",
    )
    assert _graded(forms_pool, forms_root, "ada", 2, general).objectives[0].mastered


def _submit(root: CourseRoot, learner: str, notebook: bytes, unit: str = "arith") -> int:
    backend = LocalBackend(root, COURSE_ID)
    try:
        return backend.submit(
            learner, unit, {ARITH_NB if unit == "arith" else unit: notebook}
        ).attempt
    finally:
        backend.close()


def test_a_graded_attempt_that_does_not_master_gives_a_new_form(
    forms_root: CourseRoot, tmp_path: Path
) -> None:
    backend = LocalBackend(forms_root, COURSE_ID)
    workspace = tmp_path / "ws" / COURSE_ID
    first = backend.start("ada", "arith")
    assert first.form == 1
    write_start_files(workspace, first.files, form=first.form, unit="arith", notebooks=[ARITH_NB])
    v1 = _values(_files(first.files))
    # right answers for the remainder, a wrong rule, no quiz: not mastered
    wrong = fill_answers(
        (workspace / ARITH_NB).read_bytes(),
        {
            "answer-left": f"left = {v1['a'] % v1['b']}",
            "answer-big": "def is_big(x):\n    return x > 0",
        },
        {},
        "arith",
    )
    (workspace / ARITH_NB).write_bytes(wrong)
    receipt = backend.submit("ada", "arith", {ARITH_NB: wrong})
    assert receipt.form == 1
    assert backend.progress("ada").units[0].form == 1, "no new form before grading"
    assert grade_pending(forms_root, workers=1) == 1

    unit = backend.progress("ada").units[0]
    assert (unit.state, unit.form) == ("in_progress", 2)
    assert not unit_started(workspace, [ARITH_NB], unit="arith", form=2), "form 1 is on disk"

    # the old form's notebook cannot be submitted as the new form
    with pytest.raises(BackendError) as refused:
        backend.submit("ada", "arith", {ARITH_NB: wrong})
    assert (refused.value.status, refused.value.code) == (400, "old_form")
    assert "form 1" in refused.value.message and "form 2" in refused.value.message
    assert len(backend.attempts("ada", "arith").attempts) == 1, "the refusal used no attempt"

    # starting again moves the learner's work aside and writes form 2, with other numbers
    second = backend.start("ada", "arith")
    assert second.form == 2
    done = write_start_files(
        workspace, second.files, form=second.form, unit="arith", notebooks=[ARITH_NB]
    )
    aside = workspace / "units" / "01-arith.form-1.ipynb"
    assert done.moved == {ARITH_NB: "units/01-arith.form-1.ipynb"}
    assert aside.read_bytes() == wrong, "the learner's work on form 1 is kept as it was"
    v2 = json.loads((workspace / FORM_FILE).read_text())["values"]
    assert v2 != v1
    new_text = (workspace / ARITH_NB).read_text()
    assert f"a = {v2['a']}" in new_text and f"a = {v1['a']}" not in new_text
    assert unit_started(workspace, [ARITH_NB], unit="arith", form=2)
    # starting the same form again keeps the learner's notebook
    again = write_start_files(
        workspace, backend.start("ada", "arith").files, form=2, unit="arith", notebooks=[ARITH_NB]
    )
    assert ARITH_NB in again.kept and not again.moved

    # form 2 answered with form 1's numbers (copied from the old notebook): not mastered, and
    # nothing the learner sees for form 2 holds form 1's expectations
    copied = fill_answers(
        (workspace / ARITH_NB).read_bytes(),
        form_answers(v1),
        {"floor": v1["a"] // v1["b"]},
        "arith",
    )
    assert backend.submit("ada", "arith", {ARITH_NB: copied}).form == 2
    assert grade_pending(forms_root, workers=1) == 1
    feedback = attempt_feedback(forms_root, COURSE_ID, "ada", "arith")
    assert (feedback["attempt"], feedback["form"], feedback["current_form"]) == (2, 2, 3)
    assert not feedback["mastered"]
    page = render_feedback_html(feedback)
    hints = load_checks("arith", start=workspace / "units", namespace={})
    shown = json.dumps(feedback) + page + (workspace / ARITH_NB).read_text()
    shown += json.dumps(hints._hints_of("remainder")) + hints.quiz_question("floor").prompt
    # form 1's distinctive numbers (three digits) and questions appear nowhere
    assert v1["a"] != v2["a"]
    assert not re.search(rf"(?<!\d){v1['a']}(?!\d)", shown), v1["a"]
    assert f"{v1['a']} // {v1['b']}" not in shown and f"{v2['a']} // {v2['b']}" in shown
    assert "start the unit again" in page and "form 3" in page
    backend.close()


def test_grading_uses_the_form_recorded_not_the_values_in_the_notebook(
    forms_root: CourseRoot, forms_pool: GradingPool
) -> None:
    """A learner who edits their setup cell to a classmate's numbers gains nothing."""
    ada, bob = _start(forms_root, "ada"), _start(forms_root, "bob")
    vb = _values(bob)
    # ada's notebook with bob's setup cells and answers right for bob's numbers
    nb = nbformat.reads(ada[ARITH_NB].decode("utf-8"), as_version=4)
    bob_nb = nbformat.reads(bob[ARITH_NB].decode("utf-8"), as_version=4)
    for cell, theirs in zip(nb.cells, bob_nb.cells, strict=True):
        if cell.metadata.get("nbgrader", {}).get("grade_id", "").startswith("setup"):
            cell.source, cell.metadata = theirs.source, theirs.metadata
    forged = fill_answers(
        nbformat.writes(nb).encode(), form_answers(vb), {"floor": vb["a"] // vb["b"]}, "arith"
    )
    result = _graded(forms_pool, forms_root, "ada", 1, forged)
    assert not result.objectives[0].mastered
    assert any("setup-left" in t and "restored" in t for t in result.tampering)


def test_a_unit_without_forms_is_started_and_graded_as_released(forms_root: CourseRoot) -> None:
    backend = LocalBackend(forms_root, COURSE_ID)
    with pytest.raises(Exception, match="locked"):
        backend.start("ada", "words")
    release = forms_root.course_release(COURSE_ID)
    course = ReleasedCourse.of(forms_root, COURSE_ID).course()
    assert course.unit("words") is not None and not course.unit("words").forms  # type: ignore[union-attr]
    files = _files(backend.start("ada", "arith").files)
    assert "units/02-words.ipynb" not in files, "another unit's notebook waits for its start"
    assert files["course.json"] == (release / "course.json").read_bytes()
    backend.close()

"""The sample course's parallel forms (units 1 and 2) and its placement, end to end.

A copy of ``courses/intro-data-science`` is released with the real code; learners start
units through the backend; attempts are submitted, queued and graded by the real grader.

* A learner's answers right for their form 1 (the author's solutions with form 1's values
  typed in, as a learner writes them, and form 1's quiz answers) master form 1 and fall
  below the threshold when graded as form 2, unit by unit.
* On any form, every graded check passes in full exactly when the learner's practice check
  of that question says "correct" on that form.
* The placement: solved, units 1 and 2 are mastered by placement and unit 3 unlocks;
  left unanswered, the learner starts at unit 1 and the feedback says what to study.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from forms_course import fix_form_key

from mastery_nb.backend.local import LocalBackend, started_files
from mastery_nb.checks import load_checks
from mastery_nb.checks.answers import ANSWER_MIME, extract_answers
from mastery_nb.course.reader import ReleasedCourse
from mastery_nb.feedback import attempt_feedback, render_feedback_html
from mastery_nb.forms.learner import learner_form
from mastery_nb.forms.render import render_code
from mastery_nb.forms.values import form_file_bytes
from mastery_nb.grade.attempt import GradingPool, grade_attempt
from mastery_nb.grade.queue import grade_pending
from mastery_nb.release.build import release_course
from mastery_nb.root import CourseRoot
from mastery_nb.server.workspace import write_start_files

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
COURSE = "intro-data-science"
UNITS = {"python-basics": "units/01-python-basics.ipynb", "functions": "units/02-functions.ipynb"}
PLACEMENT = "placement-basics"
PLACEMENT_NB = "placement/01-basics-and-functions.ipynb"
_MARKER = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", re.MULTILINE)
_CALL = re.compile(r"""checks\.(ask|quiz|check)\(\s*["']([^"']+)["']""")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CourseRoot]:
    folder = tmp_path_factory.mktemp("sample")
    shutil.copytree(REPO / "courses" / COURSE, folder / "courses" / COURSE)
    root = CourseRoot.at(folder, data_dir=folder / ".mastery-data")
    release_course(root, COURSE)
    fix_form_key(root, COURSE)  # the same forms on every run (tried with random keys too)
    yield root


@pytest.fixture(scope="module")
def pool() -> Iterator[GradingPool]:
    with GradingPool(workers=2) as grading:
        yield grading


def _source_solutions(notebook: str) -> dict[str, str]:
    nb = nbformat.read(REPO / "courses" / COURSE / notebook, as_version=4)
    return {
        c.metadata["nbgrader"]["grade_id"]: _MARKER.sub("", c.source)
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("solution")
    }


def _started(root: CourseRoot, learner: str, unit: str, workspace: Path, form: int = 1) -> Path:
    """The files the backend's start hands over for ``learner``'s ``form`` of ``unit``
    (whether or not the unit is unlocked for them yet), written into ``workspace``."""
    course = ReleasedCourse.of(root, COURSE).course()
    item = course.gradable(unit)
    assert item is not None
    files = started_files(root, course, item, learner, form)
    write_start_files(workspace, files, form=form, unit=unit, notebooks=item.notebooks)
    return workspace / item.notebooks[0]


def _quiz_answers(course_dir: Path, unit: str) -> dict[str, Any]:
    checks = load_checks(unit, start=course_dir / "units", namespace={})
    answers = {}
    for qid in checks.ids:
        try:
            answer = checks.quiz_question(qid).answer
        except KeyError:
            continue
        answers[qid] = list(answer) if isinstance(answer, tuple) else answer
    return answers


def _answered(notebook: Path, answers: dict[str, str], quizzes: dict[str, Any], unit: str) -> bytes:
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and meta.get("grade_id") in answers:
            cell.source = answers[meta["grade_id"]]
        match = _CALL.search(cell.source) if cell.cell_type == "code" else None
        if match and match.group(1) == "quiz" and match.group(2) in quizzes:
            cell.outputs = [
                nbformat.v4.new_output(
                    "display_data",
                    data={
                        "text/plain": "quiz",
                        ANSWER_MIME: {
                            "question": match.group(2),
                            "answer": quizzes[match.group(2)],
                            "unit": unit,
                        },
                    },
                )
            ]
    return nbformat.writes(nb).encode()


def _grade(pool: GradingPool, root: CourseRoot, learner: str, unit: str, form: int, data: bytes):
    released = ReleasedCourse.of(root, COURSE)
    return grade_attempt(
        released.unit_bundle(unit),
        {UNITS[unit]: data},
        released.files_dir,
        pool=pool,
        form=learner_form(root, COURSE, unit, learner, form),
    )


def _practice(workspace: Path, unit: str, data: bytes) -> dict[str, str]:
    """Each question's practice verdict, as the learner's kernel gives it: the notebook's
    setup and answer cells run, then each check (quizzes: the answer the notebook carries)."""
    nb = nbformat.reads(data.decode(), as_version=4)
    ns: dict[str, Any] = {}
    checks = load_checks(unit, start=workspace / "units", namespace=ns)
    ns.update(checks=checks, form=checks.values)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if cell.cell_type == "code" and gid.startswith(("setup-", "answer-")):
            # as in the notebook: a cell that raises leaves its names undefined
            with contextlib.suppress(Exception):
                exec(compile(cell.source, gid, "exec"), ns)
    answers = extract_answers(nb)
    verdicts = {}
    for qid in checks.ids:
        if qid in answers or _is_quiz(checks, qid):
            verdicts[qid] = checks.score(qid, answers.get(qid)).status
        else:
            verdicts[qid] = checks.run(qid, record=False).status
    return verdicts


def _is_quiz(checks: Any, qid: str) -> bool:
    try:
        checks.quiz_question(qid)
    except KeyError:
        return False
    return True


def _questions_of_tests(notebook: str) -> dict[str, str]:
    """test cell grade id -> the question whose practice check comes before it (or itself)."""
    nb = nbformat.read(REPO / "courses" / COURSE / notebook, as_version=4)
    found: dict[str, str] = {}
    last = ""
    for cell in nb.cells:
        match = _CALL.search(cell.source) if cell.cell_type == "code" else None
        meta = cell.metadata.get("nbgrader", {})
        if match:
            last = match.group(2)
        if meta.get("grade") and not meta.get("solution"):
            found[meta["grade_id"]] = last
    return found


@pytest.mark.parametrize("unit", sorted(UNITS))
def test_answers_right_for_form_1_fall_below_the_threshold_as_form_2_and_practice_agrees(
    sample: CourseRoot, pool: GradingPool, tmp_path: Path, unit: str
) -> None:
    form1, form2 = (learner_form(sample, COURSE, unit, "ada", n) for n in (1, 2))
    assert form1 is not None and form2 is not None and form1.values != form2.values
    notebook = _started(sample, "ada", unit, tmp_path / "ws1" / COURSE)
    # what a learner types: the author's solutions with their own form's numbers
    typed = {g: render_code(s, form1.values) for g, s in _source_solutions(UNITS[unit]).items()}
    answered = _answered(notebook, typed, _quiz_answers(tmp_path / "ws1" / COURSE, unit), unit)

    on_form1 = _grade(pool, sample, "ada", unit, 1, answered)
    assert all(o.mastered and o.score == 1.0 for o in on_form1.objectives), [
        (o.objective, o.score) for o in on_form1.objectives
    ]
    on_form2 = _grade(pool, sample, "ada", unit, 2, answered)
    below = [o.objective for o in on_form2.objectives if not o.mastered]
    assert below, [(o.objective, o.score) for o in on_form2.objectives]

    # the grader's verdict per check is what the practice checks say on the same form
    tests = _questions_of_tests(UNITS[unit])
    for number, result in ((1, on_form1), (2, on_form2)):
        workspace = tmp_path / f"practice{number}" / COURSE
        _started(sample, "ada", unit, workspace)
        drawn = learner_form(sample, COURSE, unit, "ada", number)
        assert drawn is not None
        (workspace / "forms" / f"{unit}.json").write_bytes(
            form_file_bytes(COURSE, unit, number, drawn.values)
        )
        practice = _practice(workspace, unit, answered)
        graded = {c.grade_id: c for c in result.cells}
        disagree = [
            (test_id, qid, practice[qid], graded[test_id].points)
            for test_id, qid in tests.items()
            if (practice[qid] == "correct")
            != (graded[test_id].points == graded[test_id].max_points)
        ]
        assert not disagree, (number, disagree)
        # the score of the checks passed in full is the score the practice checks add up to
        # (a test cell with partial credit gives its points for the parts that pass; its
        # practice check, all or nothing, says "not yet" until every part does)
        full = sum(c.points for c in result.cells if c.points == c.max_points)
        practice_points = sum(
            graded[t].max_points for t, q in tests.items() if practice[q] == "correct"
        )
        assert practice_points == full


def test_two_learners_get_different_forms_of_unit_1_and_regenerating_is_identical(
    sample: CourseRoot, tmp_path: Path
) -> None:
    ada = _started(sample, "ada", "python-basics", tmp_path / "a" / COURSE).read_bytes()
    bob = _started(sample, "bob", "python-basics", tmp_path / "b" / COURSE).read_bytes()
    again = _started(sample, "ada", "python-basics", tmp_path / "c" / COURSE).read_bytes()
    assert ada != bob and ada == again
    released = (sample.course_release(COURSE) / UNITS["python-basics"]).read_text()
    assert "form.coffee_price" not in ada.decode() and "coffee_price = " in ada.decode()
    assert "{{" not in ada.decode() and "{{" not in released


def _placement_submit(root: CourseRoot, learner: str, answers: dict[str, str], tmp: Path) -> None:
    notebook = _started(root, learner, PLACEMENT, tmp / learner / COURSE)
    backend = LocalBackend(root, COURSE)
    backend.submit(learner, PLACEMENT, {PLACEMENT_NB: _answered(notebook, answers, {}, PLACEMENT)})
    backend.close()
    assert grade_pending(root, workers=1) >= 1


def test_the_placement_masters_units_1_and_2_and_unlocks_unit_3(
    sample: CourseRoot, tmp_path: Path
) -> None:
    solutions = _source_solutions(PLACEMENT_NB)
    _placement_submit(sample, "pat", solutions, tmp_path)
    backend = LocalBackend(sample, COURSE)
    progress = backend.progress("pat")
    units = {u.id: u for u in progress.units}
    for unit in ("python-basics", "functions"):
        assert (units[unit].state, units[unit].mastered_by, units[unit].placement) == (
            "mastered",
            "placement",
            PLACEMENT,
        )
    assert units["collections"].state == "unlocked", "unit 3 waits only for unit 1"
    assert units["loops-and-errors"].waits_for == ["collections"], "unit 4 still waits for unit 3"
    assert progress.placements[0].placed == ["python-basics", "functions"]
    feedback = attempt_feedback(sample, COURSE, "pat", PLACEMENT)
    assert [u["placed"] for u in feedback["placement"]["units"]] == [True, True]
    assert "Lists, dicts, tuples and sets" in [u["title"] for u in feedback["unlocked"]]
    backend.close()


def test_failing_the_placement_starts_at_unit_1_with_what_to_study(
    sample: CourseRoot, tmp_path: Path
) -> None:
    _placement_submit(sample, "quinn", {}, tmp_path)
    backend = LocalBackend(sample, COURSE)
    units = {u.id: u for u in backend.progress("quinn").units}
    assert units["python-basics"].state == "unlocked" and units["python-basics"].mastered_by is None
    assert units["functions"].state == "locked"
    feedback = attempt_feedback(sample, COURSE, "quinn", PLACEMENT)
    outcome = feedback["placement"]
    assert outcome["start_with"] == [{"id": "python-basics", "title": units["python-basics"].title}]
    studied = {u["id"]: u["to_study"] for u in outcome["units"]}
    assert studied == {
        "python-basics": ["use-variables", "work-with-strings", "use-conditionals"],
        "functions": ["define-functions", "default-arguments", "loop-accumulate"],
    }
    page = render_feedback_html(feedback)
    assert "Start with: " + units["python-basics"].title in page
    assert "Variables and arithmetic, step by step" in page, "the corrective to study"
    backend.close()
    assert json.loads(json.dumps(feedback))["placement"] == outcome

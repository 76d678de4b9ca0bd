"""Grading with the Python environment in a venv under /tmp, the way a new user installs.

The sandbox builds the child's root from an allow-list that follows the environment
wherever it is; a broken environment is a grader error that uses no attempt, never a
learner's zero. The venv is the test interpreter when it already lives under /tmp, else
one made here on top of it (``--system-site-packages`` gives the base interpreter's
packages; a ``.pth`` adds the test interpreter's and this package).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from mastery_fixtures import COURSE, build_course_root, submission

from mastery_nb.root import CourseRoot

PACKAGE_PARENT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tmp_python() -> Iterator[Path]:
    if os.path.realpath(sys.prefix).startswith("/tmp/"):
        yield Path(sys.executable)
        return
    venv = Path(tempfile.mkdtemp(prefix="mastery-nb-venv-", dir="/tmp"))
    try:
        subprocess.run(
            [sys.executable, "-m", "venv", "--without-pip", "--system-site-packages", str(venv)],
            check=True,
            timeout=120,
        )
        site_dir = next((venv / "lib").glob("python3*/site-packages"))
        ours = [p for p in sys.path if p.endswith(("site-packages", "dist-packages"))]
        (site_dir / "mastery_nb_tests.pth").write_text(
            "\n".join([str(PACKAGE_PARENT), *ours]) + "\n", encoding="utf-8"
        )
        yield venv / "bin" / "python"
    finally:
        shutil.rmtree(venv, ignore_errors=True)


def _run(python: Path, *args: str, root: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MASTERY_NB", "VIRTUAL_ENV"))}
    return subprocess.run(
        [str(python), "-m", "mastery_nb", *args, "--root", str(root)],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        cwd=root,
    )


def _course_root(tmp_path: Path, grading: str = "") -> CourseRoot:
    root = build_course_root(tmp_path / "root")
    if grading:
        manifest = root.course_source(COURSE) / "course.toml"
        manifest.write_text(manifest.read_text() + "\n" + grading, encoding="utf-8")
    return root


def _submit(python: Path, root: CourseRoot, tmp_path: Path) -> None:
    notebook = tmp_path / "a.ipynb"
    notebook.write_bytes(submission(root, "a")["units/a.ipynb"])
    done = _run(
        python, "submit", str(notebook), "--course", COURSE, "--unit", "a", "--student", "ada",
        root=root.path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_the_environment_lives_under_tmp(tmp_python: Path) -> None:
    found = subprocess.run(
        [str(tmp_python), "-c", "import sys, mastery_nb, IPython; print(sys.prefix)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert os.path.realpath(found.stdout.strip()).startswith("/tmp/")


def test_correct_answers_score_full_marks_with_the_environment_under_tmp(
    tmp_python: Path, tmp_path: Path
) -> None:
    root = _course_root(tmp_path)
    _submit(tmp_python, root, tmp_path)
    graded = _run(tmp_python, "grade", "--workers", "1", root=root.path)
    assert graded.returncode == 0, graded.stderr
    assert "graded ada mini/a attempt 1: 4/4 points, 2/2 objectives mastered" in graded.stdout


def test_a_broken_environment_is_a_grader_error_that_uses_no_attempt(
    tmp_python: Path, tmp_path: Path
) -> None:
    root = _course_root(tmp_path, '[grading]\npreload = ["mastery_nb_no_such_module"]\n')
    assert _run(tmp_python, "release", COURSE, root=root.path).returncode == 0
    _submit(tmp_python, root, tmp_path)
    graded = _run(tmp_python, "grade", "--workers", "1", root=root.path)
    assert graded.returncode == 0, graded.stderr
    assert "grader error on ada mini/a attempt 1" in graded.stdout, graded.stdout
    assert "mastery_nb_no_such_module" in graded.stdout
    assert "queue: 0 queued, 0 being graded, 1 grader error(s)" in graded.stdout
    progress = _run(
        tmp_python, "progress", "--course", COURSE, "--student", "ada", "--json", root=root.path
    )
    unit = json.loads(progress.stdout)["units"][0]
    assert (unit["attempts_used"], unit["attempts_left"], unit["cooldown_until"]) == (0, 5, None)
    assert unit["last_status"] == "grader-error" and unit["can_submit"]
    problem = unit["grading_problem"]
    assert problem["final"] and problem["message"].startswith("grading failed, not your answers")
    assert "mastery_nb_no_such_module" in problem["cause"]
    feedback = _run(
        tmp_python, "feedback", "--course", COURSE, "--student", "ada", "--unit", "a", "--json",
        root=root.path,
    )  # fmt: skip
    shown = json.loads(feedback.stdout)
    assert shown["status"] == "grader-error" and shown["checks"] == []
    assert shown["grading_problem"]["cause"] == problem["cause"]


def test_a_venv_folder_only_its_owner_may_enter_is_still_the_graders_environment(
    tmp_python: Path,
) -> None:
    """``mktemp -d`` makes a venv's folder 0700: the learner's uid must still import from it.

    A module only in the venv's own site-packages, imported lazily by a locked cell of the
    worker's self-test, must be found in the sandbox (it was not: every module not preloaded
    vanished, and the self-test refused to start the grader).
    """
    prefix = Path(
        subprocess.run(
            [str(tmp_python), "-c", "import sys; print(sys.prefix)"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
    )  # fmt: skip
    site_dir = next((prefix / "lib").glob("python3*/site-packages"))
    marker = site_dir / "mastery_nb_venv_marker.py"
    marker.write_text("HERE = True\n", encoding="utf-8")
    mode = prefix.stat().st_mode & 0o777
    prefix.chmod(0o700)
    script = (
        "from mastery_nb.grade import worker\n"
        "from mastery_nb.grade.limits import Limits\n"
        "gid, kind, source, points = worker._PROBE_CELLS[0]\n"
        "source = 'import mastery_nb_venv_marker\\nassert mastery_nb_venv_marker.HERE\\n' + source\n"
        "worker._PROBE_CELLS = ((gid, kind, source, points), *worker._PROBE_CELLS[1:])\n"
        "worker.Worker(Limits()).close()\n"
        "print('self-test passed')\n"
    )
    try:
        ran = subprocess.run(
            [str(tmp_python), "-c", script], capture_output=True, text=True, timeout=300, cwd="/"
        )
    finally:
        prefix.chmod(mode)
        marker.unlink()
    assert ran.returncode == 0 and "self-test passed" in ran.stdout, ran.stderr[-2000:]

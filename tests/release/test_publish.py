"""Publishing only the student version, and the warning for a course root published whole."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from mastery_nb.errors import MasteryError
from mastery_nb.release import release_course
from mastery_nb.release.publish import publish_release, published_root_warnings
from mastery_nb.root import CourseRoot

COURSE = "clean-course"
GIT_ID = ["-c", "user.name=t", "-c", "user.email=t@localhost"]


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *GIT_ID, *args], cwd=folder, capture_output=True, text=True, check=True
    )
    return done.stdout


def test_publish_commits_the_student_version_and_nothing_else(
    make_root: Callable[..., CourseRoot], tmp_path: Path
) -> None:
    root = make_root(COURSE)
    release_course(root, COURSE)
    student = tmp_path / "clean-course-student"
    done = publish_release(root, COURSE, student)
    released = sorted(
        p.relative_to(root.course_release(COURSE)).as_posix()
        for p in root.course_release(COURSE).rglob("*")
        if p.is_file()
    )
    assert sorted(git(student, "ls-files").split()) == released
    assert done.files == len(released) and done.commit
    published = "".join(p.read_text(errors="replace") for p in student.rglob("*.ipynb"))
    assert "BEGIN HIDDEN TESTS" not in published and "BEGIN SOLUTION" not in published
    assert publish_release(root, COURSE, student).commit is None  # unchanged: no new commit
    (student / "stale.txt").write_text("left from before", encoding="utf-8")
    git(student, "add", "stale.txt")
    git(student, "commit", "-q", "-m", "x")
    publish_release(root, COURSE, student)
    assert "stale.txt" not in git(student, "ls-files")


def test_publish_refuses_the_course_root_and_foreign_folders(
    make_root: Callable[..., CourseRoot], tmp_path: Path
) -> None:
    root = make_root(COURSE)
    release_course(root, COURSE)
    with pytest.raises(MasteryError, match="is the course root, or inside it"):
        publish_release(root, COURSE, root.path / "student")
    with pytest.raises(MasteryError, match="is the course root, or inside it"):
        publish_release(root, COURSE, root.path)
    other = tmp_path / "notes"
    other.mkdir()
    (other / "mine.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(MasteryError, match="not a git repository of its own"):
        publish_release(root, COURSE, other)
    assert (other / "mine.txt").read_text(encoding="utf-8") == "keep me"


def test_a_course_root_repository_with_a_remote_is_warned_about(
    make_root: Callable[..., CourseRoot],
) -> None:
    root = make_root(COURSE)
    release_course(root, COURSE)
    assert published_root_warnings(root) == []  # not a repository
    git(root.path, "init", "-q")
    git(root.path, "add", "courses", "release", "autograder")
    git(root.path, "commit", "-q", "-m", "course")
    assert published_root_warnings(root) == []  # no remote: nobody can pull it
    git(root.path, "remote", "add", "backup", str(root.path.parent))
    assert published_root_warnings(root) == []  # a folder on this machine
    git(root.path, "remote", "add", "origin", "https://git.example.org/teacher/course.git")
    result = subprocess.run(
        [sys.executable, "-m", "mastery_nb", "validate", COURSE, "--root", str(root.path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    said, warnings = result.stderr.split("\n", 1)
    assert said == f"validating course {COURSE} in {root.courses_dir} ..."
    assert warnings.startswith(
        f"warning: {root.path}: this course root is a git repository with a remote "
        "(https://git.example.org/teacher/course.git) and it tracks courses/ and autograder/"
    )
    assert "--publish" in result.stderr


def test_release_publish_from_the_command_line(
    make_root: Callable[..., CourseRoot], tmp_path: Path
) -> None:
    root = make_root(COURSE)
    student = tmp_path / "student"
    result = subprocess.run(
        [sys.executable, "-m", "mastery_nb", "release", COURSE, "--publish", str(student),
         "--root", str(root.path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert f"published {COURSE}: 9 student files -> {student} (commit " in result.stdout
    assert "course.json" in git(student, "ls-files").split()

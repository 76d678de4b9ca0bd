"""A real Jupyter server (pytest-jupyter) with the mastery-nb extension on a released course.

pytest-jupyter has no entry point, and ``pytest_plugins`` may only sit in the top-level
conftest, so its fixtures and hooks (async tests run in its loop) are imported here, for
this folder only.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from pytest_jupyter.jupyter_server import *  # noqa: F403  (fixtures and hooks)

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mini_course import COURSE_ID, STUDENT, build_mini_course

from mastery_nb.root import CourseRoot

__all__ = ["STUDENT"]


@pytest.fixture(scope="session")
def mini_course_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini course, released once per session (read-only for the tests)."""
    return build_mini_course(tmp_path_factory.mktemp("mini-template") / "root").path


@pytest.fixture
def course_root(mini_course_template: Path, tmp_path: Path) -> CourseRoot:
    """A course root of its own per test (its own store), with the released mini course."""
    root = tmp_path / "course-root"
    shutil.copytree(mini_course_template, root, ignore=shutil.ignore_patterns(".mastery-data"))
    return CourseRoot.at(root, data_dir=root / ".mastery-data")


@pytest.fixture
def mastery_config() -> dict[str, Any]:
    """Overrides of c.MasteryApp for one test (indirectly parametrised by tests)."""
    return {}


@pytest.fixture
def jp_server_config(
    course_root: CourseRoot, mastery_config: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> dict[str, Any]:
    for name in ("MASTERY_NB_DATA_DIR", "MASTERY_NB_DB", "MASTERY_NB_ROOT", "JUPYTERHUB_USER"):
        monkeypatch.delenv(name, raising=False)
    config = {
        "course_root": str(course_root.path),
        "data_dir": str(course_root.data_dir),
        "student": STUDENT,
        "grade_in_process": False,
    }
    config.update(mastery_config)
    return {
        "ServerApp": {"jpserver_extensions": {"mastery_nb.server": True}},
        "MasteryApp": config,
    }


@pytest.fixture
def workspace(jp_root_dir: Path) -> Path:
    """Where the server copies started units: ``<server root>/<course>/``."""
    return Path(jp_root_dir) / COURSE_ID

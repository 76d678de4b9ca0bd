"""A real Jupyter server (pytest-jupyter) with the mastery-nb extension on a released course.

Every test runs with both backends (``backend_kind``): ``local`` (the store and the grader
in the server, as in ``mastery-nb demo``) and ``service`` (a real ``mastery-nb service``
process over the same course root, reached with the learner's own token, as on a hub).

pytest-jupyter has no entry point, and ``pytest_plugins`` may only sit in the top-level
conftest, so its fixtures and hooks (async tests run in its loop) are imported here, for
this folder only.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_jupyter.jupyter_server import *  # noqa: F403  (fixtures and hooks)

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mini_course import COURSE_ID, STUDENT, build_mini_course
from service_process import LEARN, ServiceProcess, start_service, stop_service

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


@pytest.fixture(params=["local", "service"])
def backend_kind(request: pytest.FixtureRequest) -> str:
    """Which backend the server uses (tests pin one with ``parametrize("backend_kind", ...)``)."""
    return str(request.param)


@pytest.fixture
def mastery_service(
    backend_kind: str, course_root: CourseRoot, mastery_config: dict[str, Any], tmp_path: Path
) -> Iterator[ServiceProcess | None]:
    """The mastery service over the test's course root (service backend only); it grades
    when the test asks the server to (``grade_in_process``)."""
    if backend_kind != "service":
        yield None
        return
    grading = () if mastery_config.get("grade_in_process") else ("--no-grading",)
    running = start_service(
        tmp_path / "service",
        [course_root.path],
        data_dir=course_root.data_dir,
        users={STUDENT: [LEARN], "bob": [LEARN]},
        extra_args=("--workers", "1", *grading),
    )
    try:
        yield running
    finally:
        stop_service(running)


@pytest.fixture
def jp_server_config(
    course_root: CourseRoot,
    mastery_config: dict[str, Any],
    mastery_service: ServiceProcess | None,
    monkeypatch: pytest.MonkeyPatch,
) -> dict[str, Any]:
    for name in (
        "MASTERY_NB_DATA_DIR",
        "MASTERY_NB_DB",
        "MASTERY_NB_ROOT",
        "JUPYTERHUB_USER",
        "JUPYTERHUB_API_TOKEN",
    ):
        monkeypatch.delenv(name, raising=False)
    config: dict[str, Any]
    if mastery_service is None:
        config = {
            "course_root": str(course_root.path),
            "data_dir": str(course_root.data_dir),
            "student": STUDENT,
            "grade_in_process": False,
        }
        config.update(mastery_config)
    else:
        # what a hub gives a student's server: the service URL, the course, its own token
        monkeypatch.setenv("JUPYTERHUB_API_TOKEN", mastery_service.tokens[STUDENT])
        config = {
            "backend": "service",
            "service_url": mastery_service.url,
            "course_id": COURSE_ID,
            "student": STUDENT,
        }
    return {
        "ServerApp": {"jpserver_extensions": {"mastery_nb.server": True}},
        "MasteryApp": config,
    }


@pytest.fixture
def workspace(jp_root_dir: Path) -> Path:
    """Where the server copies started units: ``<server root>/<course>/``."""
    return Path(jp_root_dir) / COURSE_ID

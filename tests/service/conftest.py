"""A real ``mastery-nb service`` process over the released mini course (token-file auth)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from service_process import LEARN, ServiceProcess, start_service, stop_service

from mastery_nb.root import CourseRoot

#: who may call the test service, with the scopes the hub would grant them
USERS = {
    "ada": [LEARN],
    "bob": [LEARN],
    "prof": ["custom:mastery:teach:mini"],
    "ta": ["custom:mastery:grade:mini"],
    "stranger": [],
}


@pytest.fixture
def service(mini_root: CourseRoot, tmp_path: Path) -> Iterator[ServiceProcess]:
    """The service over a fresh copy of the mini course; no grader (tests grade when needed)."""
    running = start_service(
        tmp_path / "service",
        [mini_root.path],
        data_dir=mini_root.data_dir,
        users=USERS,
        extra_args=("--no-grading",),
    )
    try:
        yield running
    finally:
        stop_service(running)

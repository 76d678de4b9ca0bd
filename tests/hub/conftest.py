"""A real JupyterHub (dummy authenticator, SQLite) with the mastery service as a managed
service over the released mini course; users and tokens made through the hub's REST API."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hub_process import Hub, start_hub, stop_hub

__all__ = ["Hub"]


@pytest.fixture(scope="module")
def hub(released_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    folder = tmp_path_factory.mktemp("hub")
    root = folder / "course-root"
    shutil.copytree(released_template, root)
    running = start_hub(
        folder / "hub",
        root,
        courses={"mini": {"instructors": ["prof"], "graders": ["ta"]}},
        data_dir=root / ".mastery-data",
    )
    try:
        for user in ("ada", "bob", "prof", "ta"):
            running.add_user(user)
        yield running
    finally:
        stop_hub(running)

"""The service says which of its secrets other users of the machine could read, and makes
the data dir it creates its own (``mastery_nb.service.modes``)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from service_process import start_service, stop_service

from mastery_nb.demo.hub import private_folder
from mastery_nb.root import CourseRoot
from mastery_nb.service.modes import exposed_secrets, make_data_dirs_private, open_to_others


@pytest.fixture
def open_root(released_template: Path) -> Iterator[CourseRoot]:
    """The released mini course in a folder everyone may enter (pytest's own is 0700)."""
    base = Path(tempfile.mkdtemp(prefix="mastery-modes-"))
    base.chmod(0o755)
    shutil.copytree(released_template, base / "root")
    (base / "root").chmod(0o755)
    try:
        yield CourseRoot.at(base / "root", data_dir=base / "data")
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_secrets_open_to_others_are_named_until_their_modes_close_them(
    open_root: CourseRoot,
) -> None:
    courses = {"mini": open_root}
    assert not open_root.data_dir.exists()
    make_data_dirs_private(courses)
    assert open_root.data_dir.stat().st_mode & 0o777 == 0o700, "a new data dir is the service's"
    warnings = exposed_secrets(courses)
    assert [w.split(" ")[0] for w in warnings] == [
        str(open_root.autograder_dir),
        str(open_root.courses_dir),
    ]
    assert "hidden tests" in warnings[0] and "chmod 700" in warnings[0]
    assert open_to_others(open_root.course_release("mini")), "release/ is public"

    private_folder(open_root.autograder_dir)
    private_folder(open_root.courses_dir)
    assert exposed_secrets(courses) == []
    open_root.data_dir.chmod(0o755)
    assert exposed_secrets(courses)[0].startswith(f"{open_root.data_dir} (the data dir")
    open_root.autograder_dir.chmod(0o755)
    open_root.path.chmod(0o700)  # a closed folder on the way protects everything below it
    assert [w.split(" ")[0] for w in exposed_secrets(courses)] == [str(open_root.data_dir)]


def test_the_service_warns_at_start(open_root: CourseRoot, tmp_path: Path) -> None:
    service = start_service(
        tmp_path / "service",
        [open_root.path],
        data_dir=open_root.data_dir,
        users={"ada": []},
        extra_args=("--no-grading",),
    )
    try:
        log = service.log.read_text()
    finally:
        stop_service(service)
    assert f"warning: {open_root.autograder_dir} (the grading bundles" in log
    assert open_root.data_dir.stat().st_mode & 0o777 == 0o700

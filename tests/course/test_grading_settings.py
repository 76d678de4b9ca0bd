"""``[grading]`` in course.toml: read, checked with clear errors, carried in the release,
used by ``mastery-nb grade`` (whose options override it and whose --help shows defaults)."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from mastery_nb.course.manifest import parse_manifest
from mastery_nb.course.model import GradingSettings
from mastery_nb.grade.limits import DEFAULT_PRELOAD, Limits


def _reading(grading: Any) -> Any:
    data = {
        "course": {"id": "c", "title": "C"},
        "grading": grading,
        "units": [
            {
                "id": "a",
                "title": "A",
                "notebooks": ["units/a.ipynb"],
                "objectives": [{"id": "x", "description": "X"}],
            }
        ],
    }
    return parse_manifest(data, file="courses/c/course.toml", folder="c")


def test_grading_settings_are_read() -> None:
    reading = _reading(
        {
            "cell_timeout": "45s",
            "notebook_timeout": "10m",
            "memory": "512MiB",
            "output_limit": "64KiB",
            "preload": ["scipy.stats", "seaborn"],
        }
    )
    assert reading.problems == []
    assert reading.course.grading == GradingSettings(
        cell_timeout=45.0,
        notebook_timeout=600.0,
        memory_bytes=512 * 2**20,
        output_bytes=64 * 1024,
        preload=("scipy.stats", "seaborn"),
    )


def test_no_grading_table_means_the_defaults() -> None:
    reading = parse_manifest(
        {
            "course": {"id": "c", "title": "C"},
            "units": [
                {"id": "a", "title": "A", "notebooks": ["units/a.ipynb"],
                 "objectives": [{"id": "x", "description": "X"}]}
            ],
        },
        file="course.toml",
        folder="c",
    )  # fmt: skip
    assert reading.course.grading == GradingSettings()
    limits = Limits().for_course(reading.course.grading)
    assert (limits.cell_timeout, limits.notebook_timeout) == (30.0, 300.0)
    assert (limits.memory_bytes, limits.max_output_bytes) == (2 * 2**30, 2**20)


def test_every_grading_mistake_is_named_with_its_fix() -> None:
    reading = _reading(
        {
            "cell_timeout": "soon",
            "notebook_timeout": -5,
            "memory": "lots",
            "output_limit": "10GiB",
            "preload": ["ok", "not a module", 3],
            "timeout": 10,
        }
    )
    problems = {p.place: (p.message, p.fix) for p in reading.problems}
    assert (
        problems["grading.cell_timeout"][0] == "'soon' is not a duration (write 30s, 2m or 1m30s)"
    )
    assert problems["grading.notebook_timeout"][0] == "-5 is outside 0.1 s to 24 h"
    assert "is not a size" in problems["grading.memory"][0]
    assert "outside 1 KiB to 1 GiB" in problems["grading.output_limit"][0]
    assert problems["grading.preload[1]"][0] == "'not a module' is not a module name"
    assert problems["grading.preload[2]"][0] == "3 is not a module name"
    assert "unknown key 'timeout'" in problems["grading.timeout"][0]
    assert all(fix for _message, fix in problems.values())
    assert reading.course.grading.preload == ("ok",)


def test_a_cell_timeout_longer_than_the_notebook_is_refused() -> None:
    reading = _reading({"cell_timeout": "10m", "notebook_timeout": "1m"})
    assert [(p.place, p.fix) for p in reading.problems] == [
        ("grading.cell_timeout", "make cell_timeout at most notebook_timeout")
    ]


def test_course_settings_and_command_line_overrides_make_the_limits() -> None:
    settings = GradingSettings(cell_timeout=5, preload=("scipy",))
    limits = Limits().for_course(settings, memory_bytes=2**29, cell_timeout=None)
    assert (limits.cell_timeout, limits.memory_bytes) == (5, 2**29)
    assert limits.preload == (*DEFAULT_PRELOAD, "scipy") and limits.require == ("scipy",)


def test_the_settings_travel_in_the_released_course(tmp_path) -> None:
    from mastery_fixtures import COURSE, build_course_root

    root = build_course_root(tmp_path / "root")
    manifest = root.course_source(COURSE) / "course.toml"
    manifest.write_text(
        manifest.read_text() + '\n[grading]\ncell_timeout = "7s"\npreload = ["json"]\n',
        encoding="utf-8",
    )
    from mastery_nb.cli import main

    assert main(["release", COURSE, "--root", str(root.path)]) == 0
    for tree in (root.course_bundle(COURSE), root.course_release(COURSE)):
        grading = json.loads((tree / "course.json").read_text())["grading"]
        assert grading["cell_timeout"] == 7.0 and grading["preload"] == ["json"]


def test_grade_help_shows_the_defaults() -> None:
    shown = subprocess.run(
        [sys.executable, "-m", "mastery_nb", "grade", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    shown = " ".join(shown.split())  # argparse wraps lines
    for option, default in (
        ("--cell-timeout", "default 30s"),
        ("--notebook-timeout", "default 300s"),
        ("--memory", "default 2 GiB"),
        ("--output-limit", "default 1 MiB"),
        ("--preload", "default: the course's"),
    ):
        assert option in shown and default in shown, (option, shown)


@pytest.mark.parametrize("bad", ["--cell-timeout=soon", "--memory=lots", "--preload=a b"])
def test_grade_refuses_bad_settings_with_a_clear_message(bad: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mastery_nb", "grade", bad],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert bad.split("=")[0] in done.stderr

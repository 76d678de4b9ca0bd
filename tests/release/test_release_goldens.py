"""Golden folders: the release of fixture courses, byte for byte.

A change in release output shows up here as a diff against ``tests/release/goldens/``.
When the change is intended, refresh the goldens with ``pytest tests/release --update-goldens``
and review the diff of the golden files like any other change.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from mastery_nb.release import build_release
from mastery_nb.root import CourseRoot

GOLDENS = Path(__file__).resolve().parent / "goldens"


def _golden_files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("course", ["clean-course", "nbgrader-course"])
def test_release_matches_golden_folder(
    make_root: Callable[..., CourseRoot], request: pytest.FixtureRequest, course: str
) -> None:
    output = build_release(make_root(course), course)
    produced = {f"release/{name}": data for name, data in output.release.items()}
    produced.update({f"autograder/{name}": data for name, data in output.bundle.items()})
    golden = GOLDENS / course
    if request.config.getoption("--update-goldens"):
        if golden.exists():
            shutil.rmtree(golden)
        for name, data in produced.items():
            (golden / name).parent.mkdir(parents=True, exist_ok=True)
            (golden / name).write_bytes(data)
    assert golden.is_dir(), f"no golden folder {golden}: run pytest tests/release --update-goldens"
    expected = _golden_files(golden)
    assert sorted(produced) == sorted(expected), (
        "files differ from the golden folder (pytest --update-goldens to accept)"
    )
    changed = [name for name in produced if produced[name] != expected[name]]
    assert not changed, (
        f"bytes differ from the golden folder: {changed} (pytest --update-goldens to accept)"
    )

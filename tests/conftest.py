"""Shared fixtures. Each part's own fixtures live in its folder's conftest.py.

Fixtures several parts use are defined in modules beside this file and imported here:
``course_roots`` (copies of the fixture courses in ``tests/fixtures/courses/``) and
``mastery_fixtures`` (a released mini course and a store on SQLite or PostgreSQL).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from course_roots import make_root
from mastery_fixtures import mini_root, postgres_server, released_template, store_root

__all__ = ["make_root", "mini_root", "postgres_server", "released_template", "store_root"]

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_COURSE = "intro-data-science"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """This repository, which is itself a course root holding the sample course."""
    return REPO_ROOT


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--update-goldens``: rewrite golden folders (``tests/*/goldens/``) from current output."""
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite golden folders (tests/*/goldens/) from the current output instead of comparing",
    )

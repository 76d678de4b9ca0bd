"""Shared fixtures. Each part's own fixtures live in its folder's conftest.py."""

from __future__ import annotations

from pathlib import Path

import pytest

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

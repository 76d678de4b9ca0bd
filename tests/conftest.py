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

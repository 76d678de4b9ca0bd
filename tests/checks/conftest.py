"""Fixtures for the checks tests (helpers live in ``checks_helpers``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from checks_helpers import write_course


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A released-course-like folder; returns its ``units/`` folder (the notebook's folder)."""
    return write_course(tmp_path / "tiny-course")

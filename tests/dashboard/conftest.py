"""The dashboard's tests: a seeded class of the sample course (``class_kit``)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from class_kit import SeededClass, seeded_class

from mastery_nb.store import dispose_stores


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeededClass]:
    """200 learners of the sample course (module-wide: tests that change it copy it)."""
    yield seeded_class(tmp_path_factory.mktemp("class"), 200)
    dispose_stores()

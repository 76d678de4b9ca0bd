"""Fixtures: a released mini course and a store on SQLite or a real PostgreSQL (see
tests/store/mastery_fixtures.py)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "store"))

from mastery_fixtures import (
    mini_root,
    postgres_server,
    released_template,
    store_root,
)

__all__ = ["mini_root", "postgres_server", "released_template", "store_root"]

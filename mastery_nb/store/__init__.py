"""The store: every attempt and what grading decided, in SQLite (default) or PostgreSQL.

``open_store(root)`` gives a migrated :class:`Store`; ``store.read()`` / ``store.write()``
give sessions. Tables are in :mod:`mastery_nb.store.models`, shared reads in
:mod:`mastery_nb.store.queries`.
"""

from __future__ import annotations

from mastery_nb.store.engine import HEAD_REVISION, Store, dispose_stores, open_store
from mastery_nb.store.models import (
    AttemptRow,
    CellResultRow,
    LearnerRow,
    LearnerUnitRow,
    ObjectiveResultRow,
    UnitRow,
    utcnow,
)

__all__ = [
    "HEAD_REVISION",
    "AttemptRow",
    "CellResultRow",
    "LearnerRow",
    "LearnerUnitRow",
    "ObjectiveResultRow",
    "Store",
    "UnitRow",
    "dispose_stores",
    "open_store",
    "utcnow",
]

"""A seeded class of the sample course, for the dashboard's tests (and its browser test).

``seeded_class(folder, learners)`` copies the released sample course (``courses/``,
``release/``, ``autograder/`` of this repository) into ``folder`` and writes a simulated
class with :func:`mastery_nb.dashboard.seed.seed_class` in bulk (the rows the real submit
and record paths store; ``tests/dashboard/test_seed.py`` keeps the two paths equal).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from mastery_nb.dashboard.seed import ClassPlan, seed_class
from mastery_nb.root import CourseRoot

REPO = Path(__file__).resolve().parents[2]
COURSE = "intro-data-science"
#: the seed's clock: the class worked up to this moment (tests pass it as "now")
NOW = datetime.now(timezone.utc).replace(microsecond=0)


@dataclass(frozen=True)
class SeededClass:
    root: CourseRoot
    plan: ClassPlan


def copy_sample_course(folder: Path) -> CourseRoot:
    for part in ("courses", "release", "autograder"):
        shutil.copytree(REPO / part / COURSE, folder / part / COURSE)
    return CourseRoot.at(folder)


def seeded_class(folder: Path, learners: int, *, seed: int = 7) -> SeededClass:
    root = copy_sample_course(folder)
    plan = seed_class(root, COURSE, learners, seed=seed, now=NOW, bulk=True)
    return SeededClass(root, plan)

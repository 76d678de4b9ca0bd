"""The course as plain typed data.

``course.toml`` is loaded into these models (see :mod:`mastery_nb.course.manifest`);
everything else (validation, release, grading, unlocking, the sidebar) works on them.
Defaults are already resolved here: an objective's ``threshold`` and a unit's ``policy``
are the effective values, so no consumer has to know the inheritance rules.
The same models, serialised, are the student manifest ``release/<course>/course.json``
and the course part of the grading bundle: nothing in them is secret.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from mastery_nb.grade.limits import (
    DEFAULT_CELL_TIMEOUT,
    DEFAULT_MEMORY_BYTES,
    DEFAULT_NOTEBOOK_TIMEOUT,
    DEFAULT_OUTPUT_BYTES,
)

__all__ = ["Course", "GradedNotebook", "GradingSettings", "Objective", "Policy", "Resource", "Unit"]

DEFAULT_THRESHOLD = 0.8


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Resource(_Frozen):
    """A corrective (remediation) or enrichment resource: a notebook in the course or a URL."""

    title: str
    href: str


class Policy(_Frozen):
    """Resubmission policy of a unit.

    ``scoring="best"``: once an objective is mastered it stays mastered, and its score is
    the best attempt's; ``"latest"``: the latest graded attempt decides.
    """

    max_attempts: int | None = None  #: None means unlimited
    cooldown_seconds: int = 0  #: wait between two attempts of one unit
    scoring: Literal["best", "latest"] = "best"


class GradingSettings(_Frozen):
    """``[grading]`` of ``course.toml``: what one notebook of the course may use when graded.

    Travels in the course's ``course.json`` (release and bundle), so grading an attempt
    stays a function of the bundle. ``preload``: modules the course's notebooks and tests
    need, imported once per worker before any learner code (fast, and protected from
    learner code like the default ones); grading a course whose module cannot be imported
    is a grader error, never a learner's zero.
    """

    cell_timeout: float = DEFAULT_CELL_TIMEOUT  #: seconds one cell may run
    notebook_timeout: float = DEFAULT_NOTEBOOK_TIMEOUT  #: seconds one notebook may run
    memory_bytes: int = DEFAULT_MEMORY_BYTES  #: beyond what the warm interpreter maps
    output_bytes: int = DEFAULT_OUTPUT_BYTES  #: characters one cell may print
    preload: tuple[str, ...] = ()


class Objective(_Frozen):
    """A learning objective: something a learner can do, with the score that counts as mastery."""

    id: str
    description: str
    threshold: float = DEFAULT_THRESHOLD
    remediation: tuple[Resource, ...] = ()
    enrichment: tuple[Resource, ...] = ()


class GradedNotebook(_Frozen):
    """The nbgrader grade ids in one of a unit's notebooks, as released (public: they are in
    the student's notebook too). Submit checks a notebook against them, never the bundle."""

    path: str
    grade_ids: tuple[str, ...]


class Unit(_Frozen):
    """A unit: one or more notebooks assessing a set of objectives."""

    id: str
    title: str
    notebooks: tuple[str, ...]  #: paths relative to the course folder
    requires: tuple[str, ...] = ()  #: ids of units that must be mastered first
    objectives: tuple[Objective, ...] = ()
    policy: Policy = Field(default_factory=Policy)
    description: str = ""
    #: filled in by ``mastery-nb release`` (empty in a course read from ``course.toml``)
    graded: tuple[GradedNotebook, ...] = ()

    def objective(self, objective_id: str) -> Objective | None:
        return next((o for o in self.objectives if o.id == objective_id), None)

    def grade_ids(self, notebook: str) -> tuple[str, ...] | None:
        """The released grade ids of one notebook (None: not known, an older release)."""
        return next((g.grade_ids for g in self.graded if g.path == notebook), None)


class Course(_Frozen):
    """A course: units forming a prerequisite graph (a DAG)."""

    id: str
    title: str
    threshold: float = DEFAULT_THRESHOLD
    policy: Policy = Field(default_factory=Policy)
    units: tuple[Unit, ...] = ()
    description: str = ""
    grading: GradingSettings = Field(default_factory=GradingSettings)

    def unit(self, unit_id: str) -> Unit | None:
        return next((u for u in self.units if u.id == unit_id), None)

    @property
    def objectives(self) -> tuple[Objective, ...]:
        return tuple(o for u in self.units for o in u.objectives)

    def unit_of_objective(self, objective_id: str) -> Unit | None:
        return next((u for u in self.units if u.objective(objective_id)), None)

    def dependants(self, unit_id: str) -> tuple[Unit, ...]:
        """Units that list ``unit_id`` among their prerequisites."""
        return tuple(u for u in self.units if unit_id in u.requires)

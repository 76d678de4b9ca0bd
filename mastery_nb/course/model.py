"""The course as plain typed data.

``course.toml`` is loaded into these models (see :mod:`mastery_nb.course.manifest`);
everything else (validation, release, grading, unlocking, the sidebar) works on them.
Defaults are already resolved here: an objective's ``threshold`` and a unit's ``policy``
are the effective values, so no consumer has to know the inheritance rules.
The same models, serialised, are the student manifest ``release/<course>/course.json``
and the course part of the grading bundle: nothing in them is secret.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    model_serializer,
)

from mastery_nb.grade.limits import (
    DEFAULT_CELL_TIMEOUT,
    DEFAULT_MEMORY_BYTES,
    DEFAULT_NOTEBOOK_TIMEOUT,
    DEFAULT_OUTPUT_BYTES,
)

__all__ = [
    "PLACEMENT_POLICY",
    "Course",
    "GradedNotebook",
    "GradingSettings",
    "Objective",
    "Placement",
    "Policy",
    "Resource",
    "Unit",
]

DEFAULT_THRESHOLD = 0.8


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _without_defaults(data: dict[str, Any], **defaults: object) -> dict[str, Any]:
    """Leave out keys a course without forms or placements does not use, so its released
    ``course.json`` keeps the bytes it had before they existed."""
    for key, default in defaults.items():
        if key in data and data[key] == default:
            del data[key]
    return data


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


class _Submitted(_Frozen):
    """What a unit and a placement share: notebooks a learner starts, answers and submits."""

    id: str
    title: str
    notebooks: tuple[str, ...]  #: paths relative to the course folder
    description: str = ""
    #: filled in by ``mastery-nb release`` (empty in a course read from ``course.toml``)
    graded: tuple[GradedNotebook, ...] = ()
    #: it has parallel forms (its checks file declares ``@checks.form``); filled in by
    #: ``mastery-nb release``
    forms: bool = False

    @model_serializer(mode="wrap")
    def _serialise(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        return _without_defaults(handler(self), forms=False)

    def grade_ids(self, notebook: str) -> tuple[str, ...] | None:
        """The released grade ids of one notebook (None: not known, an older release)."""
        return next((g.grade_ids for g in self.graded if g.path == notebook), None)


class Unit(_Submitted):
    """A unit: one or more notebooks assessing a set of objectives."""

    requires: tuple[str, ...] = ()  #: ids of units that must be mastered first
    objectives: tuple[Objective, ...] = ()
    policy: Policy = Field(default_factory=Policy)

    def objective(self, objective_id: str) -> Objective | None:
        return next((o for o in self.objectives if o.id == objective_id), None)


#: a placement's policy unless the course says otherwise: one try, no cooldown
PLACEMENT_POLICY = Policy(max_attempts=1)


class Placement(_Submitted):
    """A placement (test-out) notebook: graded cells tagged with objectives of ``units``.

    A learner whose placement attempt reaches the threshold of every objective of one of
    ``units`` has that unit mastered by placement (and its dependants unlocked). It is
    submitted and graded like a unit, under its own policy (one try by default).
    """

    units: tuple[str, ...]  #: the units a learner may place out of with it
    policy: Policy = Field(default_factory=lambda: PLACEMENT_POLICY)


class Course(_Frozen):
    """A course: units forming a prerequisite graph (a DAG)."""

    id: str
    title: str
    threshold: float = DEFAULT_THRESHOLD
    policy: Policy = Field(default_factory=Policy)
    units: tuple[Unit, ...] = ()
    description: str = ""
    grading: GradingSettings = Field(default_factory=GradingSettings)
    #: placement (test-out) notebooks, in manifest order
    placements: tuple[Placement, ...] = ()

    @model_serializer(mode="wrap")
    def _serialise(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        return _without_defaults(handler(self), placements=[])

    def unit(self, unit_id: str) -> Unit | None:
        return next((u for u in self.units if u.id == unit_id), None)

    def placement(self, placement_id: str) -> Placement | None:
        return next((p for p in self.placements if p.id == placement_id), None)

    def gradable(self, item_id: str) -> Unit | Placement | None:
        """What a learner may start, submit and get feedback on: a unit or a placement."""
        return self.unit(item_id) or self.placement(item_id)

    def thresholds(self, item_id: str) -> dict[str, float]:
        """Objective id -> threshold, for what a unit or a placement assesses."""
        unit = self.unit(item_id)
        if unit is not None:
            return {o.id: o.threshold for o in unit.objectives}
        placement = self.placement(item_id)
        if placement is None:
            return {}
        found: dict[str, float] = {}
        for unit_id in placement.units:
            covered = self.unit(unit_id)
            if covered is not None:
                found.update({o.id: o.threshold for o in covered.objectives})
        return found

    @property
    def objectives(self) -> tuple[Objective, ...]:
        return tuple(o for u in self.units for o in u.objectives)

    def unit_of_objective(self, objective_id: str) -> Unit | None:
        return next((u for u in self.units if u.objective(objective_id)), None)

    def dependants(self, unit_id: str) -> tuple[Unit, ...]:
        """Units that list ``unit_id`` among their prerequisites."""
        return tuple(u for u in self.units if unit_id in u.requires)

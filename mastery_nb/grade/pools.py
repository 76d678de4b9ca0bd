"""The grading pool a course root needs.

:func:`pool_limits` decides what every worker of a course root starts with: the root's
private folders hidden, the courses' ``[grading] preload`` imported (required), and the
modules their bundles import warmed (:mod:`mastery_nb.grade.preload`). The local pool
(:func:`make_pool`) and the Dask workers (:mod:`mastery_nb.grade.cluster`) start from it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from mastery_nb.grade.limits import Limits
from mastery_nb.root import CourseRoot

if TYPE_CHECKING:
    from mastery_nb.grade.gateway import GatewayTarget

__all__ = ["course_ids", "course_preload", "make_pool", "pool_limits"]


def course_ids(root: CourseRoot, course_id: str | None = None) -> list[str]:
    """The courses released in ``root`` (or just ``course_id``)."""
    if course_id:
        return [course_id]
    return sorted(p.parent.name for p in root.autograder_dir.glob("*/course.json"))


def course_preload(root: CourseRoot, course_id: str | None = None) -> tuple[str, ...]:
    """The modules the released courses ask every worker to preload (their ``[grading]``)."""
    from mastery_nb.course.reader import ReleasedCourse

    names: list[str] = []
    for cid in course_ids(root, course_id):
        try:
            names += ReleasedCourse.of(root, cid).course().grading.preload
        except Exception:
            continue
    return tuple(dict.fromkeys(names))


def course_warm(
    root: CourseRoot,
    course_id: str | None = None,
    units: Collection[tuple[str, str]] | None = None,
) -> tuple[str, ...]:
    """The modules the released courses' bundles import (:mod:`mastery_nb.grade.preload`);
    ``units``: only those (course, unit) pairs' bundles (None: every unit)."""
    from mastery_nb.course.reader import ReleasedCourse
    from mastery_nb.grade.preload import course_modules

    names: list[str] = []
    for cid in course_ids(root, course_id):
        wanted = None if units is None else {u for c, u in units if c == cid}
        if wanted is not None and not wanted:
            continue
        names += course_modules(ReleasedCourse.of(root, cid), wanted)
    return tuple(dict.fromkeys(names))


def pool_limits(
    root: CourseRoot,
    course_id: str | None = None,
    overrides: dict[str, Any] | None = None,
    units: Collection[tuple[str, str]] | None = None,
) -> Limits:
    """What every worker grading this course root starts with (see the module docstring).

    ``units``: warm only what those (course, unit) pairs import; the courses' ``[grading]
    preload`` is imported whatever the units (a course requires it of every worker)."""
    base = Limits(hide_paths=(str(root.data_dir), str(root.courses_dir), str(root.path / ".git")))
    extra = (overrides or {}).get("preload") or ()
    preload = tuple(dict.fromkeys((*base.preload, *course_preload(root, course_id), *extra)))
    warm = tuple(n for n in course_warm(root, course_id, units) if n not in preload)
    return replace(base, preload=preload, warm=warm)


def make_pool(
    root: CourseRoot,
    workers: int,
    *,
    course_id: str | None = None,
    overrides: dict[str, Any] | None = None,
    scheduler: str | GatewayTarget | None = None,
    units: Collection[tuple[str, str]] | None = None,
) -> Any:
    """A grading pool for this course root (:func:`pool_limits`): a local one, or grading on
    the Dask cluster of ``scheduler``, an address or a dask-gateway cluster
    (:mod:`mastery_nb.grade.cluster`). Raises WorkerUnavailable when no worker passes its
    self-test (or the cluster is unreachable).

    ``units``: the (course, unit) pairs the pool is for; a local pool then warms only what
    they import. A cluster's workers outlive one run: they always warm every unit."""
    limits = pool_limits(root, course_id, overrides, None if scheduler else units)
    if scheduler:
        from mastery_nb.grade.cluster import DaskGrader

        return DaskGrader(scheduler, limits)
    from mastery_nb.grade.attempt import GradingPool

    return GradingPool(workers=workers, limits=limits)

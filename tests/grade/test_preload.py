"""Preload detection: the modules a course's grading bundles import are warmed once per
worker, so a unit that imports a library the default preload lacks does not pay its import
in every fresh child (mastery_nb/grade/preload.py)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from unitkit import TEST_LIMITS, THRESHOLDS, cell, to_bytes

from mastery_nb.grade.attempt import GradingPool
from mastery_nb.grade.pools import pool_limits
from mastery_nb.grade.preload import _usable, modules_in_source
from mastery_nb.root import CourseRoot

REPO = Path(__file__).resolve().parents[2]


def test_imports_and_the_submodules_reached_through_them_are_found() -> None:
    source = (
        "%matplotlib inline\n"
        "import numpy as np\n"
        "from sklearn.linear_model import LinearRegression\n"
        "from . import sibling\n"
        "np.testing.assert_allclose(np.linalg.norm([3, 4]), 5)\n"
    )
    found = modules_in_source(source)
    assert {"numpy", "numpy.testing", "numpy.linalg", "sklearn.linear_model"} <= set(found)
    assert "sibling" not in found  # a relative import names no installed module
    assert modules_in_source("def broken(:\n") == []  # not Python: nothing, no error


def test_only_modules_this_environment_has_and_the_sandbox_allows_are_kept() -> None:
    kept = _usable(["numpy.testing", "numpy", "ctypes", "no_such_module_here", "a-b", "json"])
    assert kept == ("json", "numpy", "numpy.testing")  # packages before their submodules


def test_the_sample_course_bundles_warm_what_its_tests_import() -> None:
    limits = pool_limits(CourseRoot.at(REPO))
    assert "numpy.linalg" in limits.warm and "matplotlib.collections" in limits.warm
    assert not set(limits.warm) & set(limits.preload)  # what is preloaded is not warmed twice
    assert "numpy" in limits.preload


def test_a_warmed_module_is_already_imported_when_the_learner_code_runs(grader) -> None:
    probe = (
        "import sys\n"
        "warm = 'sched' in sys.modules\n"
        "def total(xs):\n    raise RuntimeError(f'warm={warm}')\n"
    )
    notebook = grader.notebook({"q1": probe})
    cold = grader.grade(notebook)
    assert "warm=False" in cell(cold, "q1-test").message
    with GradingPool(workers=1, limits=replace(TEST_LIMITS, warm=("sched", "no_such_mod"))) as pool:
        warmed = pool.grade(
            grader.unit.bundle,
            {grader.unit.path: to_bytes(notebook)},
            grader.files_dir,
            thresholds=THRESHOLDS,
        )
    assert "warm=True" in cell(warmed, "q1-test").message
    assert cell(warmed, "q2-test").points == 3.0  # a warm module that is missing changes nothing


def test_a_pool_for_some_units_warms_what_those_units_import() -> None:
    """A one-off ``mastery-nb grade`` starts its pool for the units of the waiting attempts
    (``grade_pending``): a batch of the first unit does not pay every library of the course."""
    root = CourseRoot.at(REPO)
    course = "intro-data-science"
    whole = pool_limits(root)
    basics = pool_limits(root, units={(course, "python-basics")})
    plotting = pool_limits(root, units={(course, "plotting")})
    assert "matplotlib.collections" in whole.warm and "numpy.linalg" in whole.warm
    assert "matplotlib.collections" not in basics.warm and "numpy.linalg" not in basics.warm
    assert "matplotlib.collections" in plotting.warm
    assert set(basics.warm) < set(whole.warm) and set(plotting.warm) <= set(whole.warm)
    assert basics.preload == whole.preload  # the course's [grading] preload: every worker
    assert pool_limits(root, units={("another-course", "plotting")}).warm == ()

"""Restoring a submission against the bundle, without executing anything."""

from __future__ import annotations

import nbformat
from unitkit import make_unit, submit, to_bytes, unit_cells

from mastery_nb.grade.restore import nbgrader_checksum, plan_notebook


def _unit():
    return make_unit(unit_cells(), path="units/scores.ipynb")


def _cell(nb, grade_id):
    return next(
        c
        for c in nb["cells"]
        if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id
    )


def test_checksum_matches_nbgrader() -> None:
    from nbgrader.utils import compute_checksum

    cell = nbformat.v4.new_code_cell(
        "assert f(1) == 2",
        metadata={
            "nbgrader": {
                "grade": True,
                "solution": False,
                "locked": True,
                "grade_id": "t1",
                "points": 3,
                "schema_version": 3,
            }
        },
    )
    assert nbgrader_checksum(
        "assert f(1) == 2", "code", True, False, True, "t1", 3
    ) == compute_checksum(cell)


def test_steps_follow_the_bundle_and_carry_hidden_tests() -> None:
    unit = _unit()
    plan = plan_notebook(unit.bundle.notebooks[0], to_bytes(submit(unit)))
    assert [(s.kind, s.grade_id) for s in plan.steps] == [
        ("trusted", "setup"),
        ("code", "q1"),
        ("test", "q1-test"),
        ("code", "q2"),
        ("test", "q2-test"),
        ("code", "q3"),
        ("test", "q3-test"),
    ]
    q1_test = plan.steps[2]
    assert "### BEGIN HIDDEN TESTS" in q1_test.source and "total([]) == 0" in q1_test.source
    assert plan.steps[1].source == unit.answers["q1"]
    assert plan.tampering == [] and plan.problem is None


def test_edited_locked_setup_cell_is_restored() -> None:
    unit = _unit()
    nb = submit(unit)
    _cell(nb, "setup")["source"] = "df = None"
    plan = plan_notebook(unit.bundle.notebooks[0], to_bytes(nb))
    assert plan.steps[0].source.startswith("import numpy as np")
    assert plan.tampering == ["locked cell 'setup': source was edited; restored from the bundle"]


def test_deleted_answer_cell_runs_the_released_stub() -> None:
    unit = _unit()
    nb = submit(unit)
    nb["cells"].remove(_cell(nb, "q2"))
    plan = plan_notebook(unit.bundle.notebooks[0], to_bytes(nb))
    q2 = next(s for s in plan.steps if s.grade_id == "q2")
    assert "raise NotImplementedError()" in q2.source
    assert plan.tampering == ["answer cell 'q2' was deleted; the released stub was run instead"]


def test_learner_cells_keep_their_place_and_markdown_is_skipped() -> None:
    unit = _unit()
    nb = submit(unit)
    at = nb["cells"].index(_cell(nb, "q2"))
    nb["cells"].insert(
        at, {"cell_type": "code", "metadata": {}, "source": "helper = 1", "outputs": []}
    )
    nb["cells"].insert(at, {"cell_type": "markdown", "metadata": {}, "source": "notes"})
    plan = plan_notebook(unit.bundle.notebooks[0], to_bytes(nb))
    labels = [s.label for s in plan.steps]
    assert labels.index(f"cell {at + 2}") == labels.index("test cell 'q1-test'") + 1
    assert len(plan.steps) == 8


def test_unreadable_and_missing_notebooks_are_problems_not_exceptions() -> None:
    bundle = _unit().bundle.notebooks[0]
    assert plan_notebook(bundle, None).problem == (
        "units/scores.ipynb: the notebook was not submitted. Fix: submit it with the unit."
    )
    assert "not valid JSON" in (plan_notebook(bundle, b"{").problem or "")
    assert "no list of cells" in (
        plan_notebook(bundle, b'{"nbformat": 4, "cells": 3}').problem or ""
    )
    assert "cannot be read or upgraded" in (
        plan_notebook(bundle, b'{"nbformat": 99}').problem or ""
    )

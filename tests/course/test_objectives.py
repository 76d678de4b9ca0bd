"""Objectives on cells (metadata.mastery v1 and objective:<id> tags) and reading notebooks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import nbformat
import pytest

from mastery_nb.course.model import Objective, Unit
from mastery_nb.course.notebook import (
    cell_objectives,
    cell_place,
    graded_objectives,
    mastery_metadata_errors,
    mastery_schema,
    read_notebook,
)


def _cell(metadata: dict[str, Any]) -> dict[str, Any]:
    return {
        "cell_type": "code",
        "source": "",
        "metadata": metadata,
        "outputs": [],
        "execution_count": None,
    }


def _unit(*objectives: str) -> Unit:
    return Unit(
        id="u",
        title="U",
        notebooks=("u.ipynb",),
        objectives=tuple(Objective(id=o, description=o) for o in objectives),
    )


def test_metadata_and_tags_are_merged_in_order_without_duplicates() -> None:
    cell = _cell(
        {
            "mastery": {"schema_version": 1, "objectives": ["b", "a"]},
            "tags": ["objective:a", "objective: c", "other", "objective:"],
        }
    )
    assert cell_objectives(cell) == ("b", "a", "c")


def test_nbgrader_metadata_is_not_an_objective_source() -> None:
    cell = _cell({"nbgrader": {"grade": True, "objectives": ["x"]}})
    assert cell_objectives(cell) == ()


def test_untagged_graded_cell_counts_toward_a_single_objective_only() -> None:
    cell = _cell({"nbgrader": {"grade": True, "grade_id": "q", "points": 1}})
    assert graded_objectives(cell, _unit("only")) == ("only",)
    assert graded_objectives(cell, _unit("one", "two")) == ()
    tagged = _cell({"tags": ["objective:two"]})
    assert graded_objectives(tagged, _unit("one", "two")) == ("two",)


def test_schema_is_a_versioned_json_schema() -> None:
    schema = mastery_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["schema_version"] == {
        "const": 1,
        "description": schema["properties"]["schema_version"]["description"],
    }
    assert schema["$id"].endswith(":v1")
    path = (
        Path(__file__).resolve().parents[2]
        / "mastery_nb"
        / "course"
        / "schemas"
        / "mastery-cell.v1.json"
    )
    assert json.loads(path.read_text(encoding="utf-8")) == schema


@pytest.mark.parametrize(
    ("mastery", "fragment"),
    [
        ({"schema_version": 2, "objectives": ["a"]}, "1 was expected"),
        ({"schema_version": 1, "objectives": "a"}, "is not of type 'array'"),
        ({"schema_version": 1, "objectives": ["has space"]}, "does not match"),
        ({"schema_version": 1, "objective": ["a"]}, "Additional properties"),
        ("a", "is not of type 'object'"),
    ],
)
def test_bad_mastery_metadata_is_explained(mastery: Any, fragment: str) -> None:
    errors = mastery_metadata_errors(_cell({"mastery": mastery}))
    assert errors and fragment in " ".join(errors)
    assert all(e.startswith("metadata.mastery") for e in errors)


def test_valid_mastery_metadata_has_no_errors() -> None:
    assert (
        mastery_metadata_errors(
            _cell({"mastery": {"schema_version": 1, "objectives": ["a", "b.c_d-1"]}})
        )
        == []
    )
    assert mastery_metadata_errors(_cell({})) == []


def test_cell_place_names_index_and_grade_id() -> None:
    assert (
        cell_place(4, _cell({"nbgrader": {"grade_id": "q1-total"}}))
        == "cell 4 (grade_id 'q1-total')"
    )
    assert cell_place(0, _cell({})) == "cell 0"


def test_read_notebook_explains_each_failure(tmp_path: Path) -> None:
    missing, [problem] = read_notebook(tmp_path / "none.ipynb", "none.ipynb")
    assert missing is None and "does not exist" in problem.message

    (tmp_path / "bytes.ipynb").write_bytes(b'{"cells": "\xff"}')
    _, [problem] = read_notebook(tmp_path / "bytes.ipynb", "bytes.ipynb")
    assert "not UTF-8" in problem.message and problem.place == "byte 11"

    (tmp_path / "json.ipynb").write_text('{"cells": [}', encoding="utf-8")
    _, [problem] = read_notebook(tmp_path / "json.ipynb", "json.ipynb")
    assert "invalid notebook JSON" in problem.message and problem.place == "line 1, column 12"

    (tmp_path / "v3.ipynb").write_text(
        json.dumps({"cells": [], "nbformat": 3, "metadata": {}}), encoding="utf-8"
    )
    _, [problem] = read_notebook(tmp_path / "v3.ipynb", "v3.ipynb")
    assert "format 3 is not supported" in problem.message

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    data = json.loads(nbformat.writes(nb))
    data["cells"][0]["cell_type"] = "cod"
    (tmp_path / "schema.ipynb").write_text(json.dumps(data), encoding="utf-8")
    _, [problem] = read_notebook(tmp_path / "schema.ipynb", "schema.ipynb")
    assert "nbformat 4 schema" in problem.message and problem.place == "cell 0"

    (tmp_path / "good.ipynb").write_text(nbformat.writes(nb), encoding="utf-8")
    good, problems = read_notebook(tmp_path / "good.ipynb", "good.ipynb")
    assert problems == [] and good is not None and good.cells[0].source == "1"


def test_unreadable_file_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "dir.ipynb").mkdir()
    notebook, [problem] = read_notebook(tmp_path / "dir.ipynb", "dir.ipynb")
    assert notebook is None and "cannot be read" in problem.message


def test_mastery_metadata_without_a_version_is_version_1() -> None:
    """As nbgrader reads its own cell metadata: no ``schema_version`` means the current one."""
    assert mastery_metadata_errors(_cell({"mastery": {"objectives": ["a"]}})) == []

"""course.toml -> Course: keys, inheritance, and every manifest problem at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from mastery_nb.course import load_course, parse_cooldown, read_course
from mastery_nb.course.manifest import parse_manifest
from mastery_nb.course.model import Course
from mastery_nb.course.reader import ReleasedCourse
from mastery_nb.errors import MasteryError
from mastery_nb.root import CourseRoot


def test_clean_course_loads_with_inherited_values(make_root: Callable[..., CourseRoot]) -> None:
    course = load_course(make_root("clean-course"), "clean-course")
    assert course.id == "clean-course"
    assert [u.id for u in course.units] == ["basics", "loops", "combined"]
    assert course.unit("combined") is not None
    assert course.unit("combined").requires == ("basics", "loops")  # type: ignore[union-attr]
    assert course.unit("combined").notebooks == (
        "units/03a-combined.ipynb",
        "units/03b-combined.ipynb",
    )  # type: ignore[union-attr]
    # threshold: objective > unit > course
    thresholds = {o.id: o.threshold for o in course.objectives}
    assert thresholds == {"add-numbers": 0.9, "name-things": 0.8, "sum-list": 0.8, "combine": 0.7}
    # policy: [units.policy] keys laid over [policy]
    basics, loops, combined = course.units
    assert (basics.policy.max_attempts, basics.policy.cooldown_seconds, basics.policy.scoring) == (
        3,
        600,
        "best",
    )
    assert (loops.policy.max_attempts, loops.policy.cooldown_seconds, loops.policy.scoring) == (
        None,
        5400,
        "latest",
    )
    assert combined.policy == course.policy
    assert (course.policy.max_attempts, course.policy.cooldown_seconds) == (3, 5400)
    add = course.units[0].objective("add-numbers")
    assert add is not None and add.remediation[0].href == "resources/adding.ipynb"
    name = course.units[0].objective("name-things")
    assert name is not None and name.enrichment[0].href.startswith("https://")
    assert [u.id for u in course.dependants("basics")] == ["loops", "combined"]


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("10m", 600),
        ("1h30m", 5400),
        ("90s", 90),
        ("1h", 3600),
        ("2d", 172800),
        ("1h 5m 3s", 3903),
        ("0", 0),
        (0, 0),
        (45, 45),
        ("none", 0),
    ],
)
def test_cooldown_durations(text: object, seconds: int) -> None:
    assert parse_cooldown(text) == seconds


@pytest.mark.parametrize("text", ["ten minutes", "-5m", "1.5h", "m", "10x", True, -1, 1.5, ["10m"]])
def test_bad_cooldowns_are_refused(text: object) -> None:
    with pytest.raises(ValueError, match="cooldown"):
        parse_cooldown(text)


def test_broken_manifest_reports_every_problem(make_root: Callable[..., CourseRoot]) -> None:
    with pytest.raises(MasteryError) as caught:
        load_course(make_root("broken-course"), "broken-course")
    problems = caught.value.problems
    assert all(p.file == "courses/broken-course/course.toml" for p in problems)
    assert all(p.fix for p in problems)
    places = {p.place: p.message for p in problems}
    assert "outside (0, 1]" in places["course.threshold"]
    assert "outside (0, 1]" in places["units[0].objectives[0].threshold"]
    assert "ten minutes" in places["policy.cooldown"]
    assert "highest" in places["policy.scoring"]
    assert "did you mean 'threshold'" in places["units[3].treshold"]
    assert "unknown unit 'alhpa'" in places["units[3].requires[0]"]
    assert "did you mean 'alpha'" in places["units[3].requires[0]"]
    assert (
        places["units[0].requires"] == "prerequisites form a cycle: alpha -> gamma -> beta -> alpha"
    )
    assert len(problems) == 7


def _manifest(**units: Any) -> dict[str, Any]:
    return {"course": {"id": "c", "title": "C"}, "units": list(units.values())}


def _unit(unit_id: str, *objectives: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": unit_id,
        "title": unit_id.title(),
        "notebooks": [f"units/{unit_id}.ipynb"],
        "objectives": [{"id": o, "description": o} for o in objectives],
        **extra,
    }


def _places(data: dict[str, Any], folder: str = "c") -> dict[str, str]:
    reading = parse_manifest(data, file="course.toml", folder=folder)
    return {p.place: p.message for p in reading.problems}


def test_a_unit_requiring_itself_is_a_cycle() -> None:
    places = _places(_manifest(a=_unit("a", "x", requires=["a"])))
    assert places == {"units[0].requires": "prerequisites form a cycle: a -> a"}


def test_two_separate_cycles_are_both_named() -> None:
    data = _manifest(
        a=_unit("a", "p", requires=["b"]),
        b=_unit("b", "q", requires=["a"]),
        c=_unit("c", "r", requires=["d"]),
        d=_unit("d", "s", requires=["c"]),
        e=_unit("e", "t", requires=["a", "c"]),
    )
    reading = parse_manifest(data, file="course.toml", folder="c")
    cycles = sorted(p.message for p in reading.problems)
    assert cycles == [
        "prerequisites form a cycle: a -> b -> a",
        "prerequisites form a cycle: c -> d -> c",
    ]


def test_duplicate_ids_and_bad_values() -> None:
    data = _manifest(
        a=_unit("a", "x", "x"),
        a2=_unit("a", "y"),
        b={
            "id": "b c",
            "title": "B",
            "notebooks": ["../outside.ipynb", "units/b.txt"],
            "objectives": [],
            "policy": {"max_attempts": 0, "cooldown": "soon", "scoring": "best"},
        },
        d={
            "id": "d",
            "title": "D",
            "notebooks": ["units/a.ipynb"],
            "objectives": [{"id": "x", "threshold": "high"}],
        },
    )
    places = _places(data)
    assert "also used by units[0].objectives[0]" in places["units[0].objectives[1].id"]
    assert "also used by units[0]" in places["units[1].id"]
    assert "not a valid id" in places["units[2].id"]
    assert "outside the course folder" in places["units[2].notebooks[0]"]
    assert "not a notebook" in places["units[2].notebooks[1]"]
    assert "has no objectives" in places["units[2].objectives"]
    assert "at least 1" in places["units[2].policy.max_attempts"]
    assert "soon" in places["units[2].policy.cooldown"]
    assert "already part of unit 'a'" in places["units[3].notebooks[0]"]
    assert "missing 'description'" in places["units[3].objectives[0].description"]
    assert "should be a number" in places["units[3].objectives[0].threshold"]
    assert "also used by units[0].objectives[0]" in places["units[3].objectives[0].id"]


def test_course_id_must_match_its_folder_and_toml_keys_are_checked() -> None:
    places = _places(
        {
            "course": {"id": "other", "title": "T", "colour": "red"},
            "polcy": {},
            "units": [_unit("a", "x")],
        },
        folder="mine",
    )
    assert "differs from its folder name 'mine'" in places["course.id"]
    assert "unknown key 'colour'" in places["course.colour"]
    assert "did you mean 'policy'" in places["polcy"]


def test_missing_course_id_defaults_to_folder() -> None:
    reading = parse_manifest(
        {"course": {"title": "T"}, "units": [_unit("a", "x")]}, file="f", folder="mine"
    )
    assert reading.problems == []
    assert reading.course is not None and reading.course.id == "mine"


def test_resource_outside_course_and_unlimited_attempts() -> None:
    unit = _unit("a", "x", policy={"max_attempts": "unlimited"})
    unit["objectives"][0]["remediation"] = [
        {"title": "Up", "href": "../secret.ipynb"},
        {"href": "r.ipynb"},
    ]
    data = {"course": {"id": "c", "title": "C"}, "policy": {"max_attempts": 2}, "units": [unit]}
    reading = parse_manifest(data, file="f", folder="c")
    places = {p.place: p.message for p in reading.problems}
    assert "outside the course folder" in places["units[0].objectives[0].remediation[0].href"]
    assert "missing 'title'" in places["units[0].objectives[0].remediation[1].title"]
    assert reading.course is not None and reading.course.units[0].policy.max_attempts is None
    assert reading.course.policy.max_attempts == 2


def test_toml_syntax_error_names_line_and_column(make_root: Callable[..., CourseRoot]) -> None:
    root = make_root("clean-course")
    manifest = root.course_source("clean-course") / "course.toml"
    manifest.write_text('[course]\nid = "clean-course"\ntitle = Clean\n', encoding="utf-8")
    reading = read_course(root, "clean-course")
    assert reading.course is None
    [problem] = reading.problems
    assert problem.file == "courses/clean-course/course.toml"
    assert problem.place == "line 3, column 9"
    assert "not valid TOML" in problem.message


def test_unknown_course_lists_the_courses_there(make_root: Callable[..., CourseRoot]) -> None:
    root = make_root("clean-course", "nbgrader-course")
    with pytest.raises(MasteryError) as caught:
        load_course(root, "no-such-course")
    [problem] = caught.value.problems
    assert problem.file == "courses/no-such-course/course.toml"
    assert "clean-course, nbgrader-course" in problem.fix


def test_course_json_round_trips(make_root: Callable[..., CourseRoot], tmp_path: Any) -> None:
    course = load_course(make_root("clean-course"), "clean-course")
    (tmp_path / "bundle").mkdir()
    (tmp_path / "bundle" / "course.json").write_text(course.model_dump_json(), encoding="utf-8")
    assert ReleasedCourse.at(tmp_path / "bundle").course() == course
    assert Course.model_validate(course.model_dump(mode="json")) == course

"""Loading ``courses/<course>/course.toml`` into :class:`~mastery_nb.course.model.Course`.

Why hand-written checks instead of letting pydantic reject the file: an instructor fixing a
manifest wants *every* mistake at once, each with the manifest key (``units[2].requires``)
and the fix, in course language, not a pydantic traceback. So the reader walks the TOML
table, collects a :class:`~mastery_nb.errors.Problem` per mistake, substitutes a default
for each bad value, and still builds the best course it can: ``mastery-nb validate`` then
goes on to check the notebooks of a course whose manifest is partly wrong.

Inheritance is resolved here so no consumer needs to know it: an objective's threshold
comes from the objective, else its unit's ``threshold``, else ``[course] threshold``, else
0.8; a unit's policy is ``[policy]`` with the keys of ``[units.policy]`` laid over it.
"""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from mastery_nb.course.model import (
    DEFAULT_THRESHOLD,
    PLACEMENT_POLICY,
    Course,
    GradingSettings,
    Objective,
    Placement,
    Policy,
    Resource,
    Unit,
)
from mastery_nb.course.settings import GRADING_KEYS, read_grading
from mastery_nb.errors import MasteryError, Problem
from mastery_nb.identity import COURSE_FIX, ID_FIX, ID_RE, is_course_id
from mastery_nb.root import CourseRoot

__all__ = [
    "ID_PATTERN",
    "MANIFEST_NAME",
    "ManifestReading",
    "is_local_href",
    "load_course",
    "parse_cooldown",
    "parse_manifest",
    "read_course",
    "suggest",
]

MANIFEST_NAME = "course.toml"

#: ids of units and objectives (one grammar for every id: :mod:`mastery_nb.identity`)
ID_PATTERN = ID_RE
_ID_FIX = ID_FIX

_COOLDOWN = re.compile(
    r"^(?:(?P<d>\d+)d)?(?:(?P<h>\d+)h)?(?:(?P<m>\d+)m)?(?:(?P<s>\d+)s)?$", re.IGNORECASE
)
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")

_TOP_KEYS = ("course", "policy", "grading", "units", "placements")
_COURSE_KEYS = ("id", "title", "description", "threshold", "min_items_per_objective")
_POLICY_KEYS = ("max_attempts", "cooldown", "scoring")
_UNIT_KEYS = (
    "id",
    "title",
    "description",
    "notebooks",
    "requires",
    "threshold",
    "min_items_per_objective",
    "policy",
    "objectives",
)
_OBJECTIVE_KEYS = ("id", "description", "threshold", "remediation", "enrichment")
_PLACEMENT_KEYS = ("id", "title", "description", "notebooks", "units", "policy")
_RESOURCE_KEYS = ("title", "href")
_UNLIMITED = "unlimited"


def parse_cooldown(value: object) -> int:
    """Seconds in a cooldown: ``"10m"``, ``"1h30m"``, ``"90s"``, ``"2d"``, ``0`` or an int of seconds.

    Raises ``ValueError`` with a sentence saying what is accepted.
    """
    if isinstance(value, bool):
        raise ValueError('a cooldown is a duration such as "10m", not true/false')
    if isinstance(value, int):
        if value < 0:
            raise ValueError("a cooldown cannot be negative")
        return value
    if not isinstance(value, str):
        raise ValueError(f'a cooldown is a duration such as "10m", got {_show(value)}')
    text = value.strip().replace(" ", "")
    if text in ("", "0", "none"):
        return 0
    match = _COOLDOWN.match(text)
    if not match or not any(match.groupdict().values()):
        raise ValueError(f'cooldown {value!r} is not a duration such as "90s", "10m", "1h30m"')
    parts = {k: int(v) if v else 0 for k, v in match.groupdict().items()}
    return parts["d"] * 86400 + parts["h"] * 3600 + parts["m"] * 60 + parts["s"]


def is_local_href(href: str) -> bool:
    """A resource inside the course folder (a path), not a URL or an anchor."""
    return not (_URL.match(href) or href.startswith(("#", "/", "//")))


def suggest(word: str, choices: Iterable[str]) -> str:
    """``" (did you mean 'x'?)"`` for the closest choice, or ``""``."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _show(value: object) -> str:
    kind = {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a table",
    }.get(type(value), type(value).__name__)
    return f"{kind} {value!r}" if not isinstance(value, (list, dict)) else kind


@dataclass
class ManifestReading:
    """What reading one manifest gave: the best course it could build and every problem."""

    file: str  #: the manifest, as the user would type it from the course root
    course: Course | None
    problems: list[Problem] = field(default_factory=list)
    #: manifest key of each unit / objective / placement id (``units[2]``,
    #: ``units[2].objectives[0]``, ``placements[0]``)
    unit_places: dict[str, str] = field(default_factory=dict)
    objective_places: dict[str, str] = field(default_factory=dict)
    placement_places: dict[str, str] = field(default_factory=dict)
    #: authoring rule, not part of the course model: the fewest graded items each objective of
    #: a unit needs (``[course]`` or ``[[units]] min_items_per_objective``; 1 when not set)
    min_items: dict[str, int] = field(default_factory=dict)


class _Reader:
    """Collects problems while walking the TOML data; every accessor returns a safe value."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def problem(self, place: str, message: str, fix: str) -> None:
        self.problems.append(Problem(self.file, place, message, fix))

    def table(self, value: object, place: str, keys: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.problem(
                place,
                f"should be a table, got {_show(value)}",
                f"write it as [{place}] with key = value lines",
            )
            return {}
        for key in value:
            if key not in keys:
                self.problem(
                    _join(place, key),
                    f"unknown key {key!r}{suggest(key, keys)}",
                    f"use one of: {', '.join(keys)}",
                )
        return value

    def text(self, table: Mapping[str, Any], key: str, place: str, *, required: bool) -> str | None:
        value = table.get(key)
        where = _join(place, key)
        if value is None:
            if required:
                self.problem(
                    where, f"missing {key!r}", f'add {key} = "..." under {place or "the top"}'
                )
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem(
                where,
                f"should be a non-empty string, got {_show(value)}",
                f'write it in quotes: {key} = "..."',
            )
            return None
        return value

    def ident(self, table: Mapping[str, Any], key: str, place: str) -> str | None:
        value = self.text(table, key, place, required=True)
        if value is not None and not ID_PATTERN.match(value):
            self.problem(_join(place, key), f"id {value!r} is not a valid id", _ID_FIX)
            return None
        return value

    def threshold(self, table: Mapping[str, Any], place: str) -> float | None:
        value = table.get("threshold")
        if value is None:
            return None
        where = _join(place, "threshold")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.problem(
                where,
                f"threshold should be a number, got {_show(value)}",
                "write a fraction of the points such as threshold = 0.8",
            )
            return None
        if not 0 < value <= 1:
            self.problem(
                where,
                f"threshold {value} is outside (0, 1]",
                "write a fraction of the points greater than 0 and at most 1, such as 0.8 (not 80)",
            )
            return None
        return float(value)

    def min_items(self, table: Mapping[str, Any], place: str) -> int | None:
        value = table.get("min_items_per_objective")
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.problem(
                _join(place, "min_items_per_objective"),
                f"min_items_per_objective should be a whole number of at least 1, got {_show(value)}",
                "write min_items_per_objective = 4 (or leave it out: one item is enough)",
            )
            return None
        return value

    def strings(self, table: Mapping[str, Any], key: str, place: str) -> list[tuple[int, str]]:
        value = table.get(key, [])
        where = _join(place, key)
        if not isinstance(value, list):
            self.problem(
                where,
                f"should be a list of strings, got {_show(value)}",
                f'write {key} = ["...", "..."]',
            )
            return []
        result: list[tuple[int, str]] = []
        for index, item in enumerate(value):
            if isinstance(item, str) and item.strip():
                result.append((index, item))
            else:
                self.problem(
                    f"{where}[{index}]",
                    f"should be a non-empty string, got {_show(item)}",
                    "write each entry in quotes",
                )
        return result

    def policy(self, value: object, place: str, base: Policy) -> Policy:
        table = self.table(value, place, _POLICY_KEYS)
        changes: dict[str, Any] = {}
        if "max_attempts" in table:
            raw = table["max_attempts"]
            if raw == _UNLIMITED:
                changes["max_attempts"] = None
            elif isinstance(raw, int) and not isinstance(raw, bool) and raw >= 1:
                changes["max_attempts"] = raw
            else:
                self.problem(
                    _join(place, "max_attempts"),
                    f"max_attempts should be a whole number of at least 1, got {_show(raw)}",
                    'write max_attempts = 5, or max_attempts = "unlimited" (or leave it out for no limit)',
                )
        if "cooldown" in table:
            try:
                changes["cooldown_seconds"] = parse_cooldown(table["cooldown"])
            except ValueError as error:
                self.problem(
                    _join(place, "cooldown"),
                    str(error),
                    'write a duration such as cooldown = "10m", "1h30m", "90s" or "0"',
                )
        if "scoring" in table:
            raw = table["scoring"]
            if raw in ("best", "latest"):
                changes["scoring"] = raw
            else:
                self.problem(
                    _join(place, "scoring"),
                    f'scoring should be "best" or "latest", got {_show(raw)}',
                    'write scoring = "best" (once mastered stays mastered) or scoring = "latest"',
                )
        return base.model_copy(update=changes)

    def resources(self, table: Mapping[str, Any], key: str, place: str) -> tuple[Resource, ...]:
        value = table.get(key, [])
        where = _join(place, key)
        if not isinstance(value, list):
            self.problem(
                where,
                f"should be a list of {{ title, href }} tables, got {_show(value)}",
                f'write {key} = [{{ title = "...", href = "resources/x.ipynb" }}]',
            )
            return ()
        result: list[Resource] = []
        for index, item in enumerate(value):
            item_place = f"{where}[{index}]"
            entry = self.table(item, item_place, _RESOURCE_KEYS)
            title = self.text(entry, "title", item_place, required=True)
            href = self.text(entry, "href", item_place, required=True)
            if href is not None and is_local_href(href) and not _inside(href):
                self.problem(
                    _join(item_place, "href"),
                    f"{href!r} is outside the course folder",
                    "put the resource inside the course folder and give its path relative to it",
                )
                href = None
            if title is not None and href is not None:
                result.append(Resource(title=title, href=href))
        return tuple(result)


def _join(place: str, key: str) -> str:
    return f"{place}.{key}" if place else key


def _inside(path: str) -> bool:
    """A relative path that stays inside the course folder."""
    pure = PurePosixPath(path.replace("\\", "/"))
    return not pure.is_absolute() and ".." not in pure.parts and str(pure) not in ("", ".")


def parse_manifest(data: Mapping[str, Any], *, file: str, folder: str) -> ManifestReading:
    """Build a course from parsed TOML, collecting every problem.

    ``folder`` is the course folder's name: the course id must match it (it is how every
    command names the course), and it is the id when ``[course] id`` is left out.
    """
    reader = _Reader(file)
    reading = ManifestReading(file=file, course=None)
    for key in data:
        if key not in _TOP_KEYS:
            reader.problem(
                key,
                f"unknown top-level key {key!r}{suggest(key, _TOP_KEYS)}",
                "use the tables [course], [policy], [grading], [[units]] and [[placements]]",
            )

    course_table = reader.table(data.get("course", {}), "course", _COURSE_KEYS)
    if "course" not in data:
        reader.problem("course", "missing [course] table", 'add [course] with id and title = "..."')
    course_id = course_table.get("id", folder)
    if not is_course_id(course_id):
        reader.problem("course.id", f"id {course_id!r} is not a valid course id", COURSE_FIX)
        course_id = folder
    elif course_id != folder:
        reader.problem(
            "course.id",
            f"course id {course_id!r} differs from its folder name {folder!r}",
            f"rename the folder to courses/{course_id}/ or write id = {folder!r}",
        )
    title = reader.text(course_table, "title", "course", required=True) or course_id
    description = reader.text(course_table, "description", "course", required=False) or ""
    course_threshold = reader.threshold(course_table, "course") or DEFAULT_THRESHOLD
    course_min_items = reader.min_items(course_table, "course") or 1
    policy = reader.policy(data.get("policy", {}), "policy", Policy())
    grading = GradingSettings()
    if "grading" in data:
        grading = read_grading(
            reader.table(data["grading"], "grading", GRADING_KEYS), reader.problem
        )

    raw_units = data.get("units", [])
    if not isinstance(raw_units, list) or not raw_units:
        reader.problem(
            "units",
            "the course has no units",
            "add at least one [[units]] table with id, title, notebooks and [[units.objectives]]",
        )
        raw_units = raw_units if isinstance(raw_units, list) else []

    units: list[Unit] = []
    unit_index: dict[str, int] = {}
    requires_places: dict[str, list[tuple[int, str]]] = {}
    notebook_owner: dict[str, str] = {}
    objective_owner: dict[str, str] = {}
    for u_index, raw_unit in enumerate(raw_units):
        place = f"units[{u_index}]"
        table = reader.table(raw_unit, place, _UNIT_KEYS)
        unit_id = reader.ident(table, "id", place) or f"unit-{u_index}"
        if unit_id in unit_index:
            reader.problem(
                _join(place, "id"),
                f"unit id {unit_id!r} is also used by units[{unit_index[unit_id]}]",
                "give every unit its own id",
            )
            unit_id = f"{unit_id}-{u_index}"
        unit_index[unit_id] = u_index
        reading.unit_places[unit_id] = place
        unit_title = reader.text(table, "title", place, required=True) or unit_id
        unit_description = reader.text(table, "description", place, required=False) or ""

        notebooks = _notebooks(reader, table, place, f"unit {unit_id!r}", notebook_owner)

        requires_places[unit_id] = reader.strings(table, "requires", place)
        unit_threshold = reader.threshold(table, place) or course_threshold
        reading.min_items[unit_id] = reader.min_items(table, place) or course_min_items
        unit_policy = (
            reader.policy(table["policy"], _join(place, "policy"), policy)
            if "policy" in table
            else policy
        )

        objectives: list[Objective] = []
        raw_objectives = table.get("objectives", [])
        if not isinstance(raw_objectives, list) or not raw_objectives:
            reader.problem(
                _join(place, "objectives"),
                f"unit {unit_id!r} has no objectives",
                "add at least one [[units.objectives]] table with id and description after the unit",
            )
            raw_objectives = raw_objectives if isinstance(raw_objectives, list) else []
        for o_index, raw_objective in enumerate(raw_objectives):
            o_place = f"{place}.objectives[{o_index}]"
            o_table = reader.table(raw_objective, o_place, _OBJECTIVE_KEYS)
            objective_id = reader.ident(o_table, "id", o_place)
            if objective_id is not None and objective_id in objective_owner:
                reader.problem(
                    _join(o_place, "id"),
                    f"objective id {objective_id!r} is also used by {objective_owner[objective_id]}",
                    "give every objective an id that is unique across the course",
                )
                objective_id = None
            o_description = reader.text(o_table, "description", o_place, required=True) or ""
            o_threshold = reader.threshold(o_table, o_place) or unit_threshold
            remediation = reader.resources(o_table, "remediation", o_place)
            enrichment = reader.resources(o_table, "enrichment", o_place)
            if objective_id is None:
                continue
            objective_owner[objective_id] = o_place
            reading.objective_places[objective_id] = o_place
            objectives.append(
                Objective(
                    id=objective_id,
                    description=o_description,
                    threshold=o_threshold,
                    remediation=remediation,
                    enrichment=enrichment,
                )
            )

        units.append(
            Unit(
                id=unit_id,
                title=unit_title,
                description=unit_description,
                notebooks=tuple(notebooks),
                requires=(),
                objectives=tuple(objectives),
                policy=unit_policy,
            )
        )

    # prerequisites need every unit id first
    resolved: list[Unit] = []
    for unit in units:
        place = reading.unit_places[unit.id]
        requires: list[str] = []
        for r_index, required in requires_places.get(unit.id, []):
            where = f"{place}.requires[{r_index}]"
            if required not in unit_index:
                reader.problem(
                    where,
                    f"unit {unit.id!r} requires unknown unit {required!r}{suggest(required, unit_index)}",
                    f"use the id of a unit of this course ({', '.join(unit_index) or 'none yet'}) or remove it",
                )
            elif required in requires:
                reader.problem(
                    where, f"unit {required!r} is listed twice", "list each prerequisite once"
                )
            else:
                requires.append(required)
        resolved.append(unit.model_copy(update={"requires": tuple(requires)}))

    for cycle in _cycles(resolved):
        first = min(cycle[:-1], key=lambda u: unit_index[u])
        reader.problem(
            f"{reading.unit_places[first]}.requires",
            f"prerequisites form a cycle: {' -> '.join(_rotate(cycle, first))}",
            "remove one of these requirements so that no unit waits for itself",
        )

    placements = _placements(reader, data.get("placements", []), reading, notebook_owner)
    reading.problems = reader.problems
    reading.course = Course(
        id=course_id,
        title=title,
        description=description,
        threshold=course_threshold,
        policy=policy,
        units=tuple(resolved),
        placements=tuple(placements),
        grading=grading,
    )
    return reading


def _notebooks(
    reader: _Reader,
    table: Mapping[str, Any],
    place: str,
    owner_name: str,
    notebook_owner: dict[str, str],
) -> list[str]:
    """The ``notebooks`` of a unit or placement, each checked and owned by one of them."""
    notebooks: list[str] = []
    raw_notebooks = reader.strings(table, "notebooks", place)
    # missing, or a list without one usable path (a value that is not a list was reported)
    if not raw_notebooks and isinstance(table.get("notebooks", []), list):
        reader.problem(
            _join(place, "notebooks"),
            f"{owner_name} lists no notebooks",
            'add notebooks = ["units/01-name.ipynb"] (paths relative to the course folder)',
        )
    for n_index, path in raw_notebooks:
        where = f"{place}.notebooks[{n_index}]"
        normal = str(PurePosixPath(path.replace("\\", "/")))
        if not _inside(path):
            reader.problem(
                where,
                f"notebook path {path!r} is outside the course folder",
                "give a path relative to the course folder, such as units/01-intro.ipynb",
            )
        elif not normal.endswith(".ipynb"):
            reader.problem(
                where,
                f"{path!r} is not a notebook (.ipynb)",
                "list only .ipynb files in notebooks",
            )
        elif normal in notebook_owner:
            reader.problem(
                where,
                f"notebook {path!r} is already part of {notebook_owner[normal]}",
                "put each notebook in exactly one unit or placement",
            )
        else:
            notebook_owner[normal] = owner_name
            notebooks.append(normal)
    return notebooks


def _placements(
    reader: _Reader,
    raw: object,
    reading: ManifestReading,
    notebook_owner: dict[str, str],
) -> list[Placement]:
    """``[[placements]]``: test-out notebooks, each covering units of the course."""
    if not isinstance(raw, list):
        reader.problem(
            "placements",
            f"should be a list of tables, got {_show(raw)}",
            "write each placement as a [[placements]] table",
        )
        return []
    placements: list[Placement] = []
    for p_index, raw_placement in enumerate(raw):
        place = f"placements[{p_index}]"
        table = reader.table(raw_placement, place, _PLACEMENT_KEYS)
        placement_id = reader.ident(table, "id", place) or f"placement-{p_index}"
        taken = reading.unit_places.get(placement_id) or reading.placement_places.get(placement_id)
        if taken is not None:
            reader.problem(
                _join(place, "id"),
                f"id {placement_id!r} is also used by {taken}",
                "give the placement an id no unit or other placement has",
            )
            placement_id = f"{placement_id}-{p_index}"
        reading.placement_places[placement_id] = place
        title = reader.text(table, "title", place, required=True) or placement_id
        description = reader.text(table, "description", place, required=False) or ""
        notebooks = _notebooks(reader, table, place, f"placement {placement_id!r}", notebook_owner)
        units: list[str] = []
        raw_units = reader.strings(table, "units", place)
        if not raw_units and isinstance(table.get("units", []), list):
            reader.problem(
                _join(place, "units"),
                f"placement {placement_id!r} names no units to place out of",
                'add units = ["python-basics", "functions"]: the units its graded cells assess',
            )
        for u_index, unit_id in raw_units:
            if unit_id not in reading.unit_places:
                reader.problem(
                    f"{place}.units[{u_index}]",
                    f"unknown unit {unit_id!r}{suggest(unit_id, reading.unit_places)}",
                    f"use the id of a unit of this course ({', '.join(reading.unit_places)})",
                )
            elif unit_id in units:
                reader.problem(
                    f"{place}.units[{u_index}]",
                    f"unit {unit_id!r} is listed twice",
                    "list each unit once",
                )
            else:
                units.append(unit_id)
        policy = (
            reader.policy(table["policy"], _join(place, "policy"), PLACEMENT_POLICY)
            if "policy" in table
            else PLACEMENT_POLICY
        )
        placements.append(
            Placement(
                id=placement_id,
                title=title,
                description=description,
                notebooks=tuple(notebooks),
                units=tuple(units),
                policy=policy,
            )
        )
    return placements


def _rotate(cycle: list[str], first: str) -> list[str]:
    """The cycle ``a -> b -> a`` started at ``first``."""
    ring = cycle[:-1]
    start = ring.index(first)
    ring = ring[start:] + ring[:start]
    return [*ring, ring[0]]


def _cycles(units: list[Unit]) -> list[list[str]]:
    """Every distinct cycle of the prerequisite graph, each as ``[a, b, ..., a]``."""
    edges = {u.id: list(u.requires) for u in units}
    found: list[list[str]] = []
    seen_sets: set[frozenset[str]] = set()
    state: dict[str, int] = {}  # 1 on the path, 2 done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        path.append(node)
        for nxt in edges.get(node, []):
            if state.get(nxt) == 1:
                cycle = [*path[path.index(nxt) :], nxt]
                key = frozenset(cycle)
                if key not in seen_sets:
                    seen_sets.add(key)
                    found.append(cycle)
            elif nxt not in state:
                visit(nxt, path)
        path.pop()
        state[node] = 2

    for unit in units:
        if unit.id not in state:
            visit(unit.id, [])
    return found


def _unreadable(file: str, place: str, message: str, fix: str) -> ManifestReading:
    """A reading of a manifest that could not be parsed at all: one problem, no course."""
    return ManifestReading(file=file, course=None, problems=[Problem(file, place, message, fix)])


def read_course(root: CourseRoot, course_id: str) -> ManifestReading:
    """Read and check ``courses/<course>/course.toml``; never raises for bad input."""
    path = root.course_source(course_id) / MANIFEST_NAME
    file = root.relative(path)
    if not path.is_file():
        known = root.course_ids()
        return _unreadable(
            file,
            "",
            f"no course {course_id!r}: the manifest does not exist",
            f"create {file}, or use one of the courses here: {', '.join(known)}"
            if known
            else f"create {file}, or pass --root with the folder holding courses/",
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        return _unreadable(file, "", "is not UTF-8 text", "save the manifest as UTF-8")
    except OSError as error:
        return _unreadable(
            file,
            "",
            f"cannot be read ({error.strerror})",
            "check that the file exists and is readable",
        )
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        place = ""
        match = re.search(r"\(at line (\d+), column (\d+)\)", message)
        if match:
            place = f"line {match.group(1)}, column {match.group(2)}"
            message = message[: match.start()].strip()
        return _unreadable(
            file,
            place,
            f"is not valid TOML: {message}",
            "correct the TOML syntax: strings in quotes, tables as [name], units as [[units]]",
        )
    return parse_manifest(data, file=file, folder=course_id)


def load_course(root: CourseRoot, course_id: str) -> Course:
    """The course of ``courses/<course>/course.toml``; raises :class:`MasteryError` with every problem."""
    reading = read_course(root, course_id)
    if reading.problems or reading.course is None:
        raise MasteryError(reading.problems)
    return reading.course

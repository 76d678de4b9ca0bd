"""No corrective or enrichment gives a graded answer away (no kernel needed).

A corrective re-teaches with other examples and data; "study the corrective, then
resubmit" must never become "copy the corrective". For every unit, from its source
notebook (solutions and hidden tests included):

* no line of a graded solution (a distinctive one: 24 characters or more, not a comment,
  naming something of the author's rather than only keywords and builtins) appears in any resource notebook or in the checks files the resources use;
* no function a graded answer defines is defined again in a resource (same name means
  same exercise);
* no hidden test's input call (``receipt_total(1.0, 2.0, 3, 4)``) or expected value
  appears in a resource or in any public checks file: numbers of three significant digits
  or more anywhere, strings of four characters or more when quoted in code. A value
  the released notebook itself shows (a price stated in the task), or a column name of
  the course's data files, is not a secret.
"""

from __future__ import annotations

import ast
import builtins
import keyword
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest
from course_content_helpers import COURSE, units

UNITS = units()
_REGION = {
    "solution": re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.DOTALL),
    "hidden": re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.DOTALL),
}


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class Secrets:
    """What a unit's graders know and learners must not find in a corrective."""

    lines: set[str] = field(default_factory=set)
    functions: set[str] = field(default_factory=set)
    calls: set[str] = field(default_factory=set)
    numbers: set[str] = field(default_factory=set)
    strings: set[str] = field(default_factory=set)


def _expected_values(node: ast.AST, secrets: Secrets) -> None:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Constant) and not isinstance(sub.value, bool):
            value = sub.value
            significant = "".join(ch for ch in repr(value) if ch.isdigit()).strip("0")
            if isinstance(value, int | float) and len(significant) >= 3:
                secrets.numbers.add(repr(value))
            elif isinstance(value, str) and len(value.strip()) >= 4:
                secrets.strings.add(value)


_COMMON = set(keyword.kwlist) | set(dir(builtins))


def _own_names(line: str) -> set[str]:
    """The names in a line that are not Python's own (keywords, builtins): the author's."""
    return set(re.findall(r"[A-Za-z_]\w*", re.sub(r"([\"']).*?\1", "", line))) - _COMMON


def _public_text(nb: nbformat.NotebookNode) -> str:
    """What the released notebook shows: everything but solutions and hidden tests."""
    text = "\n".join(c.source for c in nb.cells)
    for region in _REGION.values():
        text = region.sub("", text)
    return text


def _data_columns(course_dir: Path) -> str:
    """The column names of the course's data files: shipped to every learner, so public
    (a corrective reading ``seattle["wind"]`` gives no hidden test's ``"wind"`` away)."""
    return "\n".join(
        path.read_text(encoding="utf-8").partition("\n")[0]
        for path in sorted((course_dir / "data").glob("*.csv"))
    )


def unit_secrets(notebook: Path) -> Secrets:
    """What a unit's graders know that its released notebook does not show."""
    secrets = Secrets()
    nb = nbformat.read(notebook, as_version=4)
    public = _public_text(nb) + "\n" + _data_columns(notebook.parent.parent)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for region in _REGION["solution"].findall(cell.source):
            for line in region.splitlines():
                squashed = _squash(line)
                if len(squashed) >= 24 and not squashed.startswith("#") and _own_names(squashed):
                    secrets.lines.add(squashed)
        if cell.metadata.get("nbgrader", {}).get("solution"):
            try:
                tree = ast.parse(
                    re.sub(r"^\s*### (BEGIN|END) SOLUTION\s*$", "", cell.source, flags=re.M)
                )
            except SyntaxError:
                continue
            secrets.functions |= {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
        for region in _REGION["hidden"].findall(cell.source):
            tree = ast.parse(region)
            for node in ast.walk(tree):
                if isinstance(node, ast.Compare):
                    for side in (node.left, *node.comparators):
                        if isinstance(side, ast.Call) and secrets.functions & {
                            getattr(side.func, "id", "")
                        }:
                            secrets.calls.add(_squash(ast.unparse(side)))
                        else:
                            _expected_values(side, secrets)
    # values the task itself states (a price in the rules, a label in a table) are no secret
    secrets.numbers = {
        n for n in secrets.numbers if not re.search(rf"(?<![\w.]){re.escape(n)}(?!\w)", public)
    }
    secrets.strings = {t for t in secrets.strings if t not in public}
    return secrets


def _resource_texts(course_dir: Path) -> dict[str, tuple[str, str]]:
    """name -> (all text, code only) of every resource notebook and practice checks file."""
    unit_ids = {u.id for u in UNITS}
    texts: dict[str, tuple[str, str]] = {}
    for path in sorted((course_dir / "resources").rglob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        texts[path.relative_to(course_dir).as_posix()] = (
            "\n".join(c.source for c in nb.cells),
            code,
        )
    for path in sorted((course_dir / "checks").glob("*.py")):
        if path.stem not in unit_ids:  # the checks of correctives' practice
            text = path.read_text(encoding="utf-8")
            texts[path.relative_to(course_dir).as_posix()] = (text, text)
    return texts


def _public_checks(course_dir: Path) -> dict[str, tuple[str, str]]:
    return {
        f"checks/{p.name}": (p.read_text(encoding="utf-8"),) * 2
        for p in sorted((course_dir / "checks").glob("*.py"))
    }


@pytest.fixture(scope="module")
def course_dir(repo_root: Path) -> Path:
    return repo_root / "courses" / COURSE


@pytest.mark.parametrize("unit", UNITS, ids=[u.id for u in UNITS])
def test_no_corrective_holds_a_graded_solution_or_a_hidden_expected_value(
    course_dir: Path, unit
) -> None:
    secrets = unit_secrets(course_dir / unit.notebook)
    assert secrets.functions or secrets.lines, f"{unit.id}: no graded solution found"
    leaks: list[str] = []
    resources = _resource_texts(course_dir)
    for name, (text, code) in resources.items():
        squashed = _squash(text)
        leaks += [f"{name}: solution line {line!r}" for line in secrets.lines if line in squashed]
        leaks += [
            f"{name}: defines graded function {fn}()"
            for fn in secrets.functions
            if re.search(rf"^\s*def {re.escape(fn)}\(", code, re.MULTILINE)
        ]
    for name, (text, code) in {**resources, **_public_checks(course_dir)}.items():
        squashed = _squash(text)
        leaks += [
            f"{name}: hidden test call {call!r}" for call in secrets.calls if call in squashed
        ]
        leaks += [
            f"{name}: hidden expected value {number}"
            for number in secrets.numbers
            if re.search(rf"(?<![\w.]){re.escape(number)}(?![\w]|\.\d)", text)
        ]
        leaks += [
            f"{name}: hidden expected string {string!r}"
            for string in secrets.strings
            if f'"{string}"' in code or f"'{string}'" in code
        ]
    assert not leaks, (
        f"{unit.id}: correctives or public checks give graded answers away:\n"
        + "\n".join(sorted(leaks))
    )


def test_the_leak_finder_finds_a_pasted_solution(course_dir: Path, tmp_path: Path) -> None:
    """The finder is not blind: a corrective holding unit 1's solution is caught."""
    secrets = unit_secrets(course_dir / UNITS[0].notebook)
    assert secrets.lines and secrets.calls and (secrets.numbers or secrets.strings)
    line = next(iter(secrets.lines))
    call = next(iter(secrets.calls))
    assert line in _squash(f"some text\n    {line}\n") and call in _squash(f"x = {call}")

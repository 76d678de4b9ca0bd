"""Checks of a unit's parallel forms: the form function and every reference to its values.

A mistake here would show a learner ``form.price`` instead of a price, or crash only for
some learners' forms, so validation draws the preview form and a sample of other forms
and reports, each with its file, place and fix:

* a form function that raises, returns something that is not a dict of JSON values, or
  gives different values for the same seed (it must draw only from its ``rng``);
* a notebook cell referring to a value the form does not have, or to a form the unit does
  not declare, or to a ``hidden_`` value anywhere but in a hidden test (the learner would
  see the hidden tests' inputs);
* a quiz whose settings, computed from a form, are not a valid question for that form.

A form function that gives every seed the same values is a warning: the unit then has one
form, as if it had none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mastery_nb.course.bundle import HIDDEN_BEGIN, HIDDEN_END
from mastery_nb.course.manifest import suggest
from mastery_nb.course.notebook import cell_place
from mastery_nb.errors import Problem
from mastery_nb.forms.render import references
from mastery_nb.forms.values import HIDDEN_PREFIX, FormError, FormValues, preview_seed

if TYPE_CHECKING:
    from nbformat import NotebookNode

    from mastery_nb.checks.api import Checks

__all__ = ["SAMPLE_FORMS", "check_forms"]

_HIDDEN_REGION = re.compile(
    re.escape(HIDDEN_BEGIN) + r".*?(?:" + re.escape(HIDDEN_END) + r"|\Z)", re.DOTALL
)

#: how many forms besides the preview validation draws (seeds 1..N)
SAMPLE_FORMS = 12
_FIX_FUNCTION = (
    "make @checks.form return a dict of JSON values (numbers, strings, lists, dicts) drawn "
    "only from its rng argument"
)


def _load(path: Path, unit: str) -> tuple[Checks | None, str | None]:
    from mastery_nb.checks.load import ChecksError, _exec_checks_file

    if not path.is_file():
        return None, None
    try:
        return _exec_checks_file(path, unit), None
    except ChecksError as error:
        return None, str(error)


def _draw(checks: Checks, seed: int) -> tuple[dict[str, Any] | None, str | None]:
    try:
        return checks.draw_form(seed), None
    except FormError as error:
        return None, str(error)
    except Exception as error:  # the author's function: whatever it raises, in words
        return None, f"the form function raised {type(error).__name__}: {error}"


def check_forms(
    checks_file: Path,
    file: str,
    course_id: str,
    unit: str,
    notebooks: Sequence[tuple[str, NotebookNode]],
) -> tuple[list[Problem], list[Problem]]:
    """``(problems, warnings)`` of one unit's (or placement's) forms.

    ``checks_file`` is ``checks/<unit>.py`` (``file``: as the user names it);
    ``notebooks`` are the unit's notebooks as ``(file, notebook)``.
    """
    problems: list[Problem] = []
    warnings: list[Problem] = []
    checks, load_error = _load(checks_file, unit)
    values: dict[str, Any] | None = None
    if checks is not None and checks.has_form:
        values, error = _draw(checks, preview_seed(course_id, unit))
        again, _ = _draw(checks, preview_seed(course_id, unit)) if error is None else (None, None)
        if error is not None:
            problems.append(Problem(file, "@checks.form", error, _FIX_FUNCTION))
        elif again != values:
            problems.append(
                Problem(
                    file,
                    "@checks.form",
                    "the form function gave different values for the same seed, so a "
                    "learner's form would change every time it is drawn",
                    "draw every value from the rng argument (not from random.*, numpy's "
                    "global generator or the clock)",
                )
            )
        elif values is not None:
            problems += _check_sample(checks, course_id, unit, file, values, warnings)

    for notebook_file, notebook in notebooks:
        for index, cell in enumerate(notebook.cells):
            names = references(cell.cell_type, cell.get("source", ""))
            if not names:
                continue
            place = cell_place(index, cell)
            if values is None:
                why = f" ({load_error})" if load_error else ""
                problems.append(
                    Problem(
                        notebook_file,
                        place,
                        f"refers to form.{names[0]}, but unit {unit!r} has no parallel forms{why}",
                        f"declare them with @checks.form in {file}, or write the value itself",
                    )
                )
                continue
            shown = references(cell.cell_type, _HIDDEN_REGION.sub("", cell.get("source", "")))
            for name in dict.fromkeys(n for n in shown if n.startswith(HIDDEN_PREFIX)):
                problems.append(
                    Problem(
                        notebook_file,
                        place,
                        f"refers to form.{name} outside a hidden test: {HIDDEN_PREFIX} values "
                        "are the hidden tests' inputs, never shown to the learner",
                        "use it only between '### BEGIN HIDDEN TESTS' and '### END HIDDEN "
                        "TESTS', or rename the value",
                    )
                )
            for name in dict.fromkeys(n for n in names if n not in values):
                problems.append(
                    Problem(
                        notebook_file,
                        place,
                        f"refers to form.{name}, which the form of unit {unit!r} does not have"
                        f"{suggest(name, values)} (it has: {', '.join(sorted(values)) or 'none'})",
                        f"return {name!r} from the @checks.form function in {file}, or correct the name",
                    )
                )
    return problems, warnings


def _check_sample(
    checks: Checks,
    course_id: str,
    unit: str,
    file: str,
    preview: dict[str, Any],
    warnings: list[Problem],
) -> list[Problem]:
    """Draw sample forms: every one a valid form, every quiz a valid question on it."""
    problems: list[Problem] = []
    seen = [preview]
    for seed in range(SAMPLE_FORMS + 1):
        drawn, error = (preview, None) if seed == 0 else _draw(checks, seed)
        if error is not None or drawn is None:
            problems.append(
                Problem(file, "@checks.form", f"for seed {seed}: {error}", _FIX_FUNCTION)
            )
            return problems
        if set(drawn) != set(preview):
            problems.append(
                Problem(
                    file,
                    "@checks.form",
                    f"the form for seed {seed} has the values {sorted(drawn)}, the preview "
                    f"form {sorted(preview)}: every form must have the same names",
                    "return the same keys whatever the rng draws",
                )
            )
            return problems
        seen.append(drawn)
        checks.bind(course=course_id, form=FormValues(drawn, unit=unit, number=seed or 0))
        try:
            checks.check_declarations()
        except Exception as error:
            problems.append(
                Problem(
                    file,
                    "@checks.form",
                    f"with the form of seed {seed} ({_short(drawn)}) a question cannot be "
                    f"built: {type(error).__name__}: {error}",
                    "make every quiz setting computed from the form valid for every form "
                    "(for example, the answer among the options)",
                )
            )
            return problems
    if all(s == preview for s in seen):
        warnings.append(
            Problem(
                file,
                "@checks.form",
                f"the form function gave the same values for {len(seen)} different seeds: "
                "every learner would get the same form",
                "draw the values from the rng argument",
            )
        )
    return problems


def _short(values: dict[str, Any]) -> str:
    text = ", ".join(f"{k}={v!r}" for k, v in values.items())
    return text if len(text) <= 160 else text[:157] + "..."

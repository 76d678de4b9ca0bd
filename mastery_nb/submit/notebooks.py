"""Is this submission something the grader can grade? Checked before an attempt is used.

Only what makes grading meaningless is refused here: not JSON, not a notebook, a notebook
of another unit, an oversized file, no notebook of the unit at all. A missing notebook
scores 0 and an extra file is ignored, each with a note, as nbgrader does. Tampered cells and
metadata are accepted: the grader restores them from the bundle and records it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from mastery_nb.bounds import MAX_CELLS, MAX_NOTEBOOK_BYTES, size_problem
from mastery_nb.errors import EXIT_BAD_INPUT, Problem, SubmissionRefused

if TYPE_CHECKING:
    from mastery_nb.course.model import Placement, Unit

__all__ = ["MAX_NOTEBOOK_BYTES", "InvalidSubmission", "check_notebooks", "stale_form"]


class InvalidSubmission(SubmissionRefused):
    """Refused because the input is wrong (exit 2), not because of the policy (exit 3).

    ``problem`` names the notebook (its path in the unit), what is wrong and the fix; the
    reason is the same in one sentence.
    """

    exit_code = EXIT_BAD_INPUT

    def __init__(self, reason: str, *, code: str, problem: Problem | None = None) -> None:
        super().__init__(reason, code=code)
        self.problem = problem


def _invalid(path: str, message: str, fix: str, code: str = "invalid") -> InvalidSubmission:
    problem = Problem(path, "", message, fix)
    return InvalidSubmission(str(problem), code=code, problem=problem)


def _grade_ids(notebook: Any) -> set[str]:
    ids = set()
    for cell in notebook.get("cells", []) if isinstance(notebook, dict) else []:
        meta = cell.get("metadata", {}) if isinstance(cell, dict) else {}
        nbgrader = meta.get("nbgrader", {}) if isinstance(meta, dict) else {}
        if isinstance(nbgrader, dict) and isinstance(nbgrader.get("grade_id"), str):
            ids.add(nbgrader["grade_id"])
    return ids


def stale_form(notebooks: dict[str, bytes], unit_id: str, current: int) -> InvalidSubmission | None:
    """The refusal of a notebook made for another form of the unit than the learner's
    current one, or None. (What the notebook says only protects the learner from
    submitting an old form's work; grading never trusts it.)"""
    from mastery_nb.forms.notebook import notebook_form

    for path, data in sorted(notebooks.items()):
        try:
            raw = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            continue
        made = notebook_form(raw) if isinstance(raw, dict) else None
        if made is None or made[0] != unit_id or made[1] == current:
            continue
        if made[1] == 0:
            return _invalid(
                path,
                f"this notebook is the released preview of '{unit_id}' (the same numbers for "
                f"everyone), but '{unit_id}' gives each learner their own form: yours is form "
                f"{current}",
                "start the unit (Mastery panel or `mastery-nb start`) to get your form, answer "
                "it and submit that",
                code="old_form",
            )
        return _invalid(
            path,
            f"this notebook is form {made[1]} of '{unit_id}', but your current form is form "
            f"{current} (a new form follows every graded attempt that does not master the "
            "unit)",
            "start the unit again to get your new form (your work on the old form is kept "
            "beside it), answer it and submit that",
            code="old_form",
        )
    return None


def check_notebooks(unit: Unit | Placement, notebooks: dict[str, bytes]) -> list[str]:
    """Raise :class:`InvalidSubmission` naming the notebook, what is wrong and the fix.

    Everything checked is public (the released ``course.json``: the unit's notebooks and
    their grade ids), so this needs no grading bundle. As ``nbgrader autograde`` does, a
    file that is none of the unit's notebooks is ignored and a missing notebook is graded
    as 0 (its tests are not run): both are returned as notes for the learner instead of
    refusing the attempt. Only a submission holding none of the unit's notebooks is
    refused: there is nothing to grade.
    """
    import nbformat  # here, not at import: `mastery-nb submit --help` must start fast

    expected = list(unit.notebooks)
    present = [p for p in expected if p in notebooks]
    if not present:
        raise _invalid(
            expected[0] if len(expected) == 1 else f"unit '{unit.id}'",
            f"the submission holds none of unit '{unit.id}''s notebooks"
            + (f" (it holds {', '.join(sorted(notebooks))})" if notebooks else ""),
            f"submit the unit's notebook(s): {', '.join(expected)}",
        )
    notes = [
        f"{path}: not a notebook of unit '{unit.id}'; ignored"
        for path in sorted(set(notebooks) - set(expected))
    ]
    notes += [
        f"{path}: not submitted; its tests score 0 (submit it with the unit next time)"
        for path in expected
        if path not in notebooks
    ]
    for path in present:
        data = notebooks[path]
        too_big = size_problem(data)
        if too_big is not None:
            raise _invalid(path, *too_big)
        try:
            raw = json.loads(data.decode("utf-8"))
        except UnicodeDecodeError:
            raise _invalid(
                path,
                "the file is not UTF-8 text, so not a notebook",
                "submit the .ipynb file saved by Jupyter",
            ) from None
        except json.JSONDecodeError as error:
            raise _invalid(
                path,
                f"not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})",
                "submit the .ipynb file saved by Jupyter, or re-download the unit and redo it",
            ) from None
        except RecursionError:
            raise _invalid(
                path,
                "the JSON is nested too deeply to be a notebook",
                "submit the .ipynb file saved by Jupyter",
            ) from None
        if not isinstance(raw, dict) or not isinstance(
            raw.get("cells", raw.get("worksheets")), list
        ):
            raise _invalid(
                path,
                "JSON, but not a Jupyter notebook (no list of cells)",
                "submit the .ipynb file saved by Jupyter",
            )
        cells = raw.get("cells", raw.get("worksheets"))
        if isinstance(cells, list) and len(cells) > MAX_CELLS:
            raise _invalid(
                path,
                f"the notebook has {len(cells):,} cells, more than the {MAX_CELLS:,} allowed",
                "remove the cells you added by mistake (duplicates?), save and submit again",
            )
        try:
            notebook = nbformat.reads(data.decode("utf-8"), as_version=4)  # type: ignore[no-untyped-call]
        except Exception as error:  # nbformat raises many types on odd input
            raise _invalid(
                path,
                f"not a notebook nbformat can read ({type(error).__name__}: {str(error)[:300]})",
                "open it in Jupyter, save it, and submit again",
            ) from None
        released = unit.grade_ids(path)
        if released is None:
            continue  # released before course.json named grade ids
        released_ids = set(released)
        submitted_ids = _grade_ids(notebook)
        if submitted_ids and released_ids and not submitted_ids & released_ids:
            raise _invalid(
                path,
                f"this is not the notebook of unit '{unit.id}' (none of its graded cells "
                "are there)",
                f"submit the notebook you worked on for '{unit.title or unit.id}'",
                code="wrong_notebook",
            )
    return notes

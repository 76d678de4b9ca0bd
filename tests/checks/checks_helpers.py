"""Helpers for the checks tests: a tiny course folder with a checks file, and nbclient runs.

A uniquely named module (not ``conftest``), so test modules can import it whichever
folder's ``conftest`` pytest loaded last.
"""

from __future__ import annotations

import json
import os
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

CHECKS_FILE = """
from mastery_nb.checks import Checks, fail, not_attempted

checks = Checks(unit="basics")


@checks.question("total-price", objective="use-variables",
                 hints=["Add the prices of every item.", "Use sum() on the list."],
                 solution="total = sum(prices)", show_solution="after_attempts:2")
def total_price(ns):
    total = ns["total"]
    if not isinstance(total, int):
        fail(f"`total` should be an int, got a {type(total).__name__}")
    if total != sum(ns.get("prices", [3, 4, 5])):
        fail("`total` is not the sum of every price; did you skip one?", expected=12)


@checks.question("mean-age", objective="describe-data", reveal=True)
def mean_age(ns):
    result = ns["mean_age"]([40, 43, None])
    if result != 41.5:
        fail(f"`mean_age` returned {result!r} for the sample; check how you handle missing values",
             expected=41.5)


@checks.question("no-stub", objective="describe-data")
def no_stub(ns):
    if "answer" not in ns:
        not_attempted("write `answer` first")


checks.single_choice("robust-statistic", objective="describe-data",
                     prompt="Which is robust to outliers?",
                     options=["mean", "median"], answer="median",
                     hints=["Think of one huge value."], solution="median",
                     show_solution="always")
checks.multiple_choice("numeric-types", objective="use-variables", prompt="Numeric types?",
                       options=["int", "str", "float"], answer=["int", "float"])
checks.numeric("half", objective="use-variables", prompt="7 / 2?", answer=3.5, tolerance=0.01)
checks.short_text("centre", objective="describe-data", prompt="Name the middle value",
                  patterns=[r"^\\s*median\\s*$"], answer="median")
"""

COURSE_JSON = {
    "id": "tiny-course",
    "title": "Tiny",
    "units": [
        {
            "id": "basics",
            "title": "Basics",
            "notebooks": ["units/basics.ipynb"],
            "objectives": [
                {"id": "use-variables", "description": "Store values in variables"},
                {"id": "describe-data", "description": "Describe data with statistics"},
            ],
        }
    ],
}


def write_course(root: Path, checks_source: str = CHECKS_FILE) -> Path:
    """``root/course.json``, ``root/checks/basics.py`` and ``root/units/``; returns ``units/``."""
    (root / "checks").mkdir(parents=True, exist_ok=True)
    (root / "units").mkdir(exist_ok=True)
    (root / "course.json").write_text(json.dumps(COURSE_JSON))
    (root / "checks" / "basics.py").write_text(textwrap.dedent(checks_source))
    return root / "units"


Runner = Callable[..., Any]


def run_notebook(
    folder: Path, sources: list[str], *, env: dict[str, str] | None = None, name: str = "nb.ipynb"
) -> Any:
    """Execute cells with nbclient in ``folder`` (allowing errors); returns the notebook."""
    nb = new_notebook(cells=[new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    kernel_env = {k: v for k, v in os.environ.items() if not k.startswith("MASTERY_NB_")}
    kernel_env.update(env or {})
    client = NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(folder)}},
    )
    client.execute(env=kernel_env)
    nbformat.write(nb, folder / name)
    return nb


def cell_text(cell: Any) -> str:
    """Everything a text reader sees in a cell's outputs (text/plain, streams, errors)."""
    parts: list[str] = []
    for out in cell.get("outputs", []):
        if out["output_type"] == "stream":
            parts.append(out["text"])
        elif out["output_type"] == "error":
            parts.append(f"{out['ename']}: {out['evalue']}")
        elif "data" in out and "text/plain" in out["data"]:
            parts.append(out["data"]["text/plain"])
    return "\n".join(parts)


def errors(cell: Any) -> list[tuple[str, str]]:
    return [
        (o["ename"], o["evalue"]) for o in cell.get("outputs", []) if o["output_type"] == "error"
    ]

"""nbgrader's documentation example ps1 as a unit: submissions a learner could make.

``ps1_submission(root, answered=...)`` is the released ps1 with every autograded answer
holding nbgrader's own solution, and (``answered=True``) the answers graded by hand
written too: the two Markdown answers of problem 2, the equation and the pyramidal-number
function of problem 1, and a cell the learner adds under the task (Part E).
"""

from __future__ import annotations

import json

from mastery_nb.root import CourseRoot

COURSE = "nbgrader-course"
UNIT = "ps1"
NOTEBOOKS = ("units/ps1/problem1.ipynb", "units/ps1/problem2.ipynb")
#: grade id -> points of every answer and task graded by hand in ps1 (10 of its 13 points)
MANUAL = {
    "sum_of_squares_equation": 1.0,
    "sum_of_squares_application": 2.0,
    "cell-938593c4a215c6cc": 4.0,
    "part-a": 1.0,
    "part-b": 2.0,
}
NOTEBOOK_OF = {
    "sum_of_squares_equation": NOTEBOOKS[0],
    "sum_of_squares_application": NOTEBOOKS[0],
    "cell-938593c4a215c6cc": NOTEBOOKS[0],
    "part-a": NOTEBOOKS[1],
    "part-b": NOTEBOOKS[1],
}
WRITTEN = {
    "sum_of_squares_equation": "$\\sum_{i=1}^n i^2$ <script>alert('x')</script>",
    "part-a": "It recurses on n-1 and n-2 **twice**, so it is slow. <img src=x onerror=alert(1)>",
    "part-b": "Negative inputs never reach the base case.",
}
TASK_ANSWER = "Arithmetic: $n(a_1 + a_n)/2$. Geometric: $a(1-r^n)/(1-r)$."


def _grade_id(cell: dict[str, object]) -> str | None:
    meta = cell.get("metadata", {})
    assert isinstance(meta, dict)
    value = meta.get("nbgrader", {}).get("grade_id")
    return value if isinstance(value, str) else None


def _solutions(root: CourseRoot, path: str) -> dict[str, str]:
    source = json.loads((root.course_source(COURSE) / path).read_text(encoding="utf-8"))
    markers = ("### BEGIN SOLUTION", "### END SOLUTION")
    found = {}
    for cell in source["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("solution") and not meta.get("grade"):
            text = "".join(cell["source"])
            found[meta["grade_id"]] = "\n".join(
                line for line in text.split("\n") if line.strip() not in markers
            )
        if meta.get("grade_id") == "sum_of_squares_application":
            text = "".join(cell["source"])
            found[meta["grade_id"]] = "\n".join(
                line for line in text.split("\n") if line.strip() not in markers
            )
    return found


def ps1_submission(root: CourseRoot, *, answered: bool = True) -> dict[str, bytes]:
    files = {}
    for path in NOTEBOOKS:
        released = json.loads((root.course_release(COURSE) / path).read_text(encoding="utf-8"))
        solutions = _solutions(root, path)
        cells = []
        for cell in released["cells"]:
            gid = _grade_id(cell)
            if gid in solutions and (answered or gid not in MANUAL):
                cell["source"] = solutions[gid]
            if answered and gid in WRITTEN:
                cell["source"] = WRITTEN[gid]
            cells.append(cell)
            if answered and gid == "cell-938593c4a215c6cc":
                cells.append(
                    {
                        "cell_type": "markdown",
                        "id": "part-e-answer",
                        "metadata": {},
                        "source": TASK_ANSWER,
                    }
                )
        released["cells"] = cells
        files[path] = json.dumps(released).encode("utf-8")
    return files


def released_ps1(make_root: object) -> CourseRoot:
    from mastery_nb.cli import main

    root = make_root(COURSE)  # type: ignore[operator]
    assert main(["release", COURSE, "--root", str(root.path)]) == 0
    assert isinstance(root, CourseRoot)
    return root

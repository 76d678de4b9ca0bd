"""The sample course for the browser tests: released from ``courses/`` into a scratch course root.

Imported by the sidebar loop and the feedback page tests (a uniquely named module, like
``lab_browser``).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

from lab_browser import LabServer, serve_learner

from mastery_nb.forms.keys import KEYS_FOLDER
from mastery_nb.release.build import release_course
from mastery_nb.root import CourseRoot

__all__ = [
    "REPO",
    "SAMPLE",
    "SAMPLE_UNIT",
    "pin_form_key",
    "sample_root",
    "serve_course",
    "solutions",
]

REPO = Path(__file__).resolve().parents[2]
SAMPLE = "intro-data-science"
SAMPLE_UNIT = f"{SAMPLE}/units/01-python-basics.ipynb"


def sample_root(tmp_path: Path, *, cooldown: str | None = None) -> CourseRoot:
    """The sample course, copied and released with the real code; ``cooldown`` replaces unit 1's."""
    root = tmp_path / "course-root"
    shutil.copytree(REPO / "courses" / SAMPLE, root / "courses" / SAMPLE)
    if cooldown is not None:
        manifest = root / "courses" / SAMPLE / "course.toml"
        text = manifest.read_text(encoding="utf-8")
        start = text.index('id = "python-basics"')
        end = text.index("[[units]]", start)
        block, count = re.subn(r'cooldown = "[^"]+"', f"cooldown = {cooldown}", text[start:end])
        assert count == 1, "unit 1 of the sample course names its own cooldown"
        manifest.write_text(text[:start] + block + text[end:], encoding="utf-8")
    course_root = CourseRoot.at(root, data_dir=root / ".mastery-data")
    release_course(course_root, SAMPLE)
    return course_root


def serve_course(root: CourseRoot, tmp_path: Path, student: str) -> LabServer:
    """JupyterLab on an empty workspace with the Mastery sidebar serving ``root``'s sample course."""
    return serve_learner(root, SAMPLE, student, tmp_path)


def pin_form_key(root: CourseRoot, seed: bytes) -> None:
    """A known form key for the sample course: the learner's forms (their numbers and names
    on screen) are the same on every run."""
    keys = root.data_dir / KEYS_FOLDER
    keys.mkdir(parents=True, exist_ok=True)
    (keys / f"{SAMPLE}.key").write_text(hashlib.sha256(seed).hexdigest() + "\n")


def solutions(notebook: str = "units/01-python-basics.ipynb") -> dict[str, str]:
    """grade_id -> the author's solution in a notebook of the sample course (unit 1 by
    default) without nbgrader's markers (what a learner types)."""
    nb = json.loads((REPO / "courses" / SAMPLE / notebook).read_text(encoding="utf-8"))
    found = {}
    for cell in nb["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("solution"):
            lines = "".join(cell["source"]).splitlines()
            found[meta["grade_id"]] = "\n".join(
                line
                for line in lines
                if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION")
            )
    return found

"""Every verb that has work to do first says on stderr what it is about to do, before its
slow imports, and leaves stdout to its results (``--json`` output stays pure JSON).

How soon that line comes is measured in benchmarks/bench_cli.py; these tests hold what
makes it soon (nothing heavy is imported when it is written) and what makes it honest (it
names the verb's real course, unit, learner and store, and results stay on stdout).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from mastery_fixtures import COURSE, submission

from mastery_nb.root import CourseRoot

HEAVY = (
    "nbgrader",
    "sqlalchemy",
    "nbformat",
    "jsonschema",
    "IPython",
    "pydantic",
    "mastery_nb.store",
)

PROBE = """
import json, sys
from mastery_nb.cli import main

class FirstWrite:
    '''stderr, noting which heavy modules are loaded when the first line is written.'''
    def __init__(self, stream):
        self.stream, self.loaded = stream, None
    def write(self, text):
        if self.loaded is None:
            self.loaded = sorted({{m.split(".")[0] if not m.startswith("mastery_nb") else m
                                  for m in sys.modules if m.startswith({heavy!r})}})
        return self.stream.write(text)
    def __getattr__(self, name):
        return getattr(self.stream, name)

probe = FirstWrite(sys.stderr)
sys.stderr = probe
code = main({argv!r})
sys.stderr = probe.stream
print("PROBE", json.dumps({{"code": code, "loaded": probe.loaded}}), file=sys.stderr)
"""


def _run(root: CourseRoot, *argv: str) -> tuple[int, str, list[str], list[str]]:
    """(exit code, stdout, stderr lines before the probe's, heavy modules at the first line)."""
    where = ["--root", str(root.path), "--data-dir", str(root.data_dir), "--db", root.db_url]
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(argv=[*argv, *where], heavy=HEAVY)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    *lines, report = done.stderr.splitlines()
    assert report.startswith("PROBE "), done.stderr[-2000:]
    probe = json.loads(report.removeprefix("PROBE "))
    return probe["code"], done.stdout, lines, probe["loaded"]


def test_each_verb_says_what_it_does_before_its_heavy_imports(
    mini_root: CourseRoot, tmp_path: Path
) -> None:
    root = mini_root
    store = root.data_dir / "mastery.db"
    code, out, err, loaded = _run(root, "validate", COURSE)
    assert (code, err, loaded) == (0, [f"validating course {COURSE} in {root.courses_dir} ..."], [])
    assert out.startswith(f"{COURSE}: ok: 3 units")

    code, out, err, loaded = _run(root, "release", COURSE, "--check")
    assert (code, loaded) == (0, [])
    assert err == [
        f"checking that the release of course {COURSE} in {root.path} is up to date "
        "(validating and building it in memory) ..."
    ]
    assert out.endswith("are up to date\n")

    notebook = tmp_path / "a.ipynb"
    notebook.write_bytes(submission(root, "a")["units/a.ipynb"])
    code, out, err, loaded = _run(
        root,
        "submit",
        str(notebook),
        "--course",
        COURSE,
        "--unit",
        "a",
        "--student",
        "ada",
        "--json",
    )
    assert (code, loaded) == (0, [])
    assert err == [
        f"submitting a.ipynb as learner 'ada' to unit 'a' of course {COURSE} in {root.path} ..."
    ]
    assert json.loads(out)["status"] == "queued"  # stdout is the receipt alone

    code, out, err, loaded = _run(
        root, "progress", "--course", COURSE, "--student", "ada", "--json"
    )
    assert (code, loaded) == (0, [])
    assert err == [f"reading the standing of learner 'ada' in course {COURSE} from {store} ..."]
    assert json.loads(out)["student"] == "ada"

    code, out, err, loaded = _run(root, "grade", "--workers", "1", "--course", COURSE)
    assert (code, loaded) == (0, [])
    assert err == [
        f"grading the queued attempts of course {COURSE} in {root.path} with 1 local worker ..."
    ]
    assert out.startswith(f"graded ada {COURSE}/a attempt 1: ")  # the grading itself

    code, out, err, loaded = _run(
        root, "feedback", "--course", COURSE, "--student", "ada", "--unit", "a", "--json"
    )
    assert (code, loaded) == (0, [])
    assert err == [
        f"reading the feedback on the latest attempt of learner 'ada' at unit 'a' of course "
        f"{COURSE} from {store} ..."
    ]
    assert json.loads(out)["attempt"] == 1

    code, out, err, loaded = _run(root, "gradebook", COURSE, "--format", "json")
    assert (code, loaded) == (0, [])
    assert err == [f"reading the mastery gradebook of course {COURSE} from {store} ..."]
    assert json.loads(out)["course"] == COURSE

    workspace = tmp_path / "ada"
    code, out, err, loaded = _run(
        root, "start", COURSE, "b", "--student", "ada", "--dir", str(workspace), "--json"
    )
    assert (code, loaded) == (0, [])
    assert err == [
        f"starting unit 'b' of course {COURSE} for learner 'ada' in {workspace / COURSE} ..."
    ]
    assert json.loads(out)["unit"] == "b"


def test_a_refusal_follows_the_first_line_and_nothing_reaches_stdout(
    mini_root: CourseRoot, tmp_path: Path
) -> None:
    notebook = tmp_path / "b.ipynb"
    notebook.write_bytes(submission(mini_root, "b")["units/b.ipynb"])
    code, out, err, loaded = _run(
        mini_root, "submit", str(notebook), "--course", COURSE, "--unit", "b", "--student", "bo"
    )
    assert (code, out, loaded) == (3, "", [])
    assert err[0].startswith("submitting b.ipynb as learner 'bo' to unit 'b' ")
    assert err[1].startswith("refused: ") and "locked" in err[1]


def test_the_store_is_named_without_its_password(tmp_path: Path) -> None:
    secret = CourseRoot.at(
        tmp_path, db_url="postgresql://teacher:s3cret@db.example.org:5432/mastery"
    )
    assert secret.store_label() == "postgresql://teacher:***@db.example.org:5432/mastery"
    in_query = CourseRoot.at(tmp_path, db_url="postgresql://db/mastery?password=s3cret")
    assert "s3cret" not in in_query.store_label()
    assert CourseRoot.at(tmp_path).store_label() == str(
        tmp_path.resolve() / ".mastery-data" / "mastery.db"
    )

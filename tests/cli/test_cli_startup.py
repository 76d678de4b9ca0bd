"""Start-up of the ``mastery-nb`` command: what building the parser imports, and pipes.

How long start-up takes is measured in benchmarks/bench_cli.py, not here; these tests
hold the structure that keeps it short: ``VERB --help`` imports no heavy module, and
a reader that goes away (``| head``) ends the command quietly.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from mastery_nb.cli import VERBS, build_parser

HEAVY = ("nbgrader", "sqlalchemy", "nbformat", "jsonschema", "IPython", "mastery_nb.store")

PROBE = """
import sys
from mastery_nb.cli import main
try:
    main({argv!r})
except SystemExit:
    pass
# the CLI registers the nbgrader package without running its __init__ (see mastery_nb.cli)
light = {{"nbgrader", "nbgrader._version"}}
heavy = sorted({{m.split(".")[0] if not m.startswith("mastery_nb") else m
                for m in sys.modules if m.startswith({heavy!r}) and m not in light}})
print("LOADED", heavy, file=sys.stderr)
"""


@pytest.mark.parametrize("argv", [["--help"], *([verb, "--help"] for verb in VERBS)])
def test_help_imports_no_heavy_module(argv: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(argv=argv, heavy=HEAVY)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    loaded = done.stderr.strip().splitlines()[-1]
    assert loaded == "LOADED []", loaded
    assert "usage: mastery-nb" in done.stdout


def test_every_verb_still_builds_its_parser() -> None:
    parser = build_parser(every=True)
    for verb in VERBS:
        assert parser.parse_args(_minimal(verb)).verb == verb


def _minimal(verb: str) -> list[str]:
    required = {
        "submit": ["x.ipynb", "--course", "c", "--unit", "u"],
        "start": ["c", "u", "--student", "s"],
        "progress": ["--course", "c", "--student", "s"],
        "feedback": ["--course", "c", "--student", "s", "--unit", "u"],
        "gradebook": ["c"],
    }
    return [verb, *required.get(verb, [])]


@pytest.mark.parametrize("argv", [["--help"], ["release", "--help"], ["validate"]])
def test_a_closed_pipe_ends_the_command_quietly(argv: list[str], make_root) -> None:
    """``mastery-nb ... | head``: the reader is gone before anything is written."""
    root = make_root("clean-course")
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "mastery_nb", *argv],
            cwd=root.path,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(write_end)
    # stderr holds only validate's first line (what it is about to do); --help has none
    said = "" if "--help" in argv else f"validating course clean-course in {root.courses_dir} ...\n"
    assert (done.returncode, done.stderr) == (0, said)

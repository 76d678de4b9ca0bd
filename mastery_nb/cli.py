"""The ``mastery-nb`` command: a thin layer over plain functions.

Each verb lives in its own subpackage (``mastery_nb/<verb>/cli.py``) exposing
``register(subparsers)``, which adds the verb's parser (through :func:`add_verb_parser`)
and sets ``func`` to a callable taking the parsed arguments and returning an exit code.
This module only wires them up and turns user-facing errors into messages and exit codes
(never a traceback).

Start-up is kept short (benchmarks/bench_cli.py measures it): building the parser imports
only the chosen verb's ``cli`` module, whose own heavy imports (nbgrader, the store,
nbformat) wait inside its ``run``; ``mastery-nb --help`` lists the verbs from :data:`VERBS`
without importing any of them. A verb that has work to do first says what it is about to do
on stderr (:func:`status`), before those imports. Piping a verb into ``head`` ends quietly.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.util
import os
import select
import sys
from collections.abc import Sequence
from typing import Any

from mastery_nb import __version__
from mastery_nb.errors import EXIT_FAILURE, EXIT_OK, MasteryError, SubmissionRefused
from mastery_nb.root import CourseRoot

__all__ = [
    "add_root_options",
    "add_verb_parser",
    "build_parser",
    "main",
    "root_from_args",
    "status",
]

#: verb name -> (module holding its ``register`` function, one-line help), in ``--help`` order
VERBS: dict[str, tuple[str, str]] = {
    "validate": (
        "mastery_nb.validate.cli",
        "check a course's manifest and notebooks; report every mistake at once",
    ),
    "release": (
        "mastery_nb.release.cli",
        "write release/<course>/ (students) and autograder/<course>/ (grading bundle)",
    ),
    "start": (
        "mastery_nb.start.cli",
        "write a learner's current form of a unit into their workspace (what the sidebar's Start does)",
    ),
    "submit": (
        "mastery_nb.submit.cli",
        "submit an attempt of a unit (stored durably, graded by `mastery-nb grade`)",
    ),
    "grade": (
        "mastery_nb.grade.cli",
        "grade every queued attempt (--watch: keep grading as attempts arrive)",
    ),
    "progress": (
        "mastery_nb.progress.cli",
        "a learner's standing in every unit (locked, unlocked, in progress, grading, mastered)",
    ),
    "feedback": (
        "mastery_nb.feedback.cli",
        "feedback on an attempt: per objective, failed checks, correctives, unlocked units",
    ),
    "gradebook": (
        "mastery_nb.gradebook.cli",
        "the mastery gradebook of a course: one row per learner x objective (CSV or JSON)",
    ),
    "demo": (
        "mastery_nb.demo.cli",
        "run the sample course in JupyterLab with the Mastery sidebar and the grader",
    ),
    "service": (
        "mastery_nb.service.cli",
        "run the mastery service: the store, the courses and the graders for a class",
    ),
}


def add_verb_parser(subparsers: Any, name: str, **kwargs: Any) -> argparse.ArgumentParser:
    """The parser of verb ``name``, with its one-line help from :data:`VERBS`."""
    parser: argparse.ArgumentParser = subparsers.add_parser(name, help=VERBS[name][1], **kwargs)
    return parser


def add_root_options(parser: argparse.ArgumentParser) -> None:
    """Options every verb that works on a course root takes."""
    parser.add_argument(
        "--root",
        default=None,
        metavar="DIR",
        help="course root holding courses/, release/, autograder/ (default: current folder)",
    )
    parser.add_argument(
        "--data-dir",
        default=None,
        metavar="DIR",
        help="runtime state: submissions, database (default: ROOT/.mastery-data, or $MASTERY_NB_DATA_DIR)",
    )
    parser.add_argument(
        "--db",
        default=None,
        metavar="URL",
        help="SQLAlchemy database URL, e.g. postgresql://... (default: SQLite in the data dir, or $MASTERY_NB_DB)",
    )


def root_from_args(args: argparse.Namespace) -> CourseRoot:
    """The course root named by the options of :func:`add_root_options`."""
    return CourseRoot.at(args.root, data_dir=args.data_dir, db_url=args.db)


def status(line: str) -> None:
    """Say on stderr what the command is about to do, before its slow part (importing the
    store or nbformat, reading the database, running a course's checks), so a person sees
    at once what runs and on what: a verb's first output comes within half a second
    (benchmarks/bench_cli.py). stdout keeps only the results, so a script reading it
    (``--json``) sees the same bytes as before."""
    print(f"{line} ...", file=sys.stderr, flush=True)


def build_parser(verb: str | None = None, *, every: bool = False) -> argparse.ArgumentParser:
    """The ``mastery-nb`` parser. Only ``verb``'s own options are built (its module
    imported); the other verbs are names with their help line. ``every=True`` builds all
    of them (for documentation and tests)."""
    parser = argparse.ArgumentParser(
        prog="mastery-nb",
        description="Mastery-learning courseware for Jupyter: validate and release courses, "
        "submit and grade attempts, show progress and feedback.",
    )
    parser.add_argument("--version", action="version", version=f"mastery-nb {__version__}")
    subparsers = parser.add_subparsers(dest="verb", metavar="VERB")
    subparsers.required = True
    for name, (module_name, help_text) in VERBS.items():
        if every or name == verb:
            importlib.import_module(module_name).register(subparsers)
        else:
            subparsers.add_parser(name, help=help_text, add_help=False)
    return parser


def _chosen_verb(argv: Sequence[str]) -> str | None:
    """The verb named on the command line (the first word that is one), if any."""
    for word in argv:
        if word in VERBS:
            return word
        if not word.startswith("-"):
            return None
    return None


def _skip_slow_format_checkers() -> None:
    """Importing ``jsonschema`` (nbformat and nbgrader do) registers optional format
    checkers, and the one for IRIs builds a Lark grammar at import: about a second here.
    Nothing this command validates uses that format, so it is not loaded in this process."""
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def _nbgrader_without_its_server_extensions() -> None:
    """``import nbgrader`` runs its ``__init__``, which imports its four Jupyter server
    extensions (jupyter_server, its database models, the exchange): about a second here.
    This command uses only nbgrader's preprocessors and its metadata validator, which need
    none of that, so the package is registered without running its ``__init__``; its
    submodules import as usual. Only this process (the CLI) does this: a Jupyter server
    that loads nbgrader's extensions is another process."""
    if "nbgrader" in sys.modules:
        return
    try:
        spec = importlib.util.find_spec("nbgrader")
    except (ImportError, ValueError):
        return
    if spec is None or spec.submodule_search_locations is None:
        return
    package = importlib.util.module_from_spec(spec)  # the package object, __init__ not run
    sys.modules["nbgrader"] = package
    with contextlib.suppress(ImportError):
        version = importlib.import_module("nbgrader._version").__version__
        setattr(package, "__version__", version)  # noqa: B010 (a module made at run time)


def _stdout_gone() -> None:
    """Our reader went away (``mastery-nb ... | head``): say nothing more, exit quietly."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def _stdout_broken() -> bool:
    """Our standard output is a pipe or socket whose reader is gone (not some other pipe of
    ours: a broken pipe to a grading process is an error worth reporting)."""
    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(event & (select.POLLERR | select.POLLHUP) for _, event in poller.poll(0))
    except (OSError, ValueError, AttributeError):
        return False


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command. Without ``argv`` (the ``mastery-nb`` program, ``python -m
    mastery_nb``) this process is the command's own, so it also skips the imports that only
    slow it down; a caller passing ``argv`` (a test, a script) keeps its process as it is."""
    if argv is None:
        _skip_slow_format_checkers()
        _nbgrader_without_its_server_extensions()
    words = list(sys.argv[1:] if argv is None else argv)
    try:
        code = _main(words)
        sys.stdout.flush()
    except BrokenPipeError:
        _stdout_gone()
        return EXIT_OK
    return code


def _main(argv: list[str]) -> int:
    parser = build_parser(_chosen_verb(argv))
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except MasteryError as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        return error.exit_code
    except SubmissionRefused as refused:
        print(f"refused: {refused.reason}", file=sys.stderr)
        return refused.exit_code
    except KeyboardInterrupt:
        return 130
    except OSError as error:
        if isinstance(error, BrokenPipeError) and _stdout_broken():
            raise
        print(f"error: {error}", file=sys.stderr)
        return EXIT_FAILURE
    return code

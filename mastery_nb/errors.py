"""Errors a user can act on.

Every mistake in a course, a notebook or a command line is reported as a
:class:`Problem` that names the file, the place in it and the fix, so the CLI can print
every problem at once and exit non-zero instead of showing a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_FAILURE",
    "EXIT_OK",
    "EXIT_REFUSED",
    "MasteryError",
    "Problem",
    "SubmissionRefused",
]

EXIT_OK = 0
EXIT_FAILURE = 1  #: something broke that is not the user's input
EXIT_BAD_INPUT = 2  #: invalid course, notebook, manifest or arguments
EXIT_REFUSED = 3  #: a submission was refused by the policy (locked, cooldown, limit)


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake: where it is and how to fix it.

    ``file`` is a path as the user would type it (relative to the course root when
    possible); ``place`` is a cell (``cell 4 (grade_id 'q1-total')``), a manifest key
    (``units[2].requires``) or empty when the whole file is meant.
    """

    file: str
    place: str
    message: str
    fix: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.place}" if self.place else self.file
        return f"{where}: {self.message}. Fix: {self.fix}"


class MasteryError(Exception):
    """One or more problems with the user's input; the CLI prints them and exits 2."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class SubmissionRefused(Exception):
    """A submission the policy does not accept; no attempt was used.

    ``reason`` is a sentence for the learner (for example "unit 'functions' is locked:
    master 'python-basics' first").
    """

    exit_code = EXIT_REFUSED

    def __init__(self, reason: str, *, code: str) -> None:
        self.reason = reason
        self.code = code  #: machine-readable: locked, cooldown, attempt_limit, invalid, unknown
        super().__init__(reason)

"""In-notebook practice checks, hints, solutions and quiz widgets (runs in the learner's kernel).

Authors declare questions in ``checks/<unit>.py`` with :class:`Checks`; notebooks call
:func:`load_checks` and then ``ask``/``check``/``hint``/``solution``/``quiz``. Practice is
formative: a passed check says so, and mastery is decided when the unit is submitted.
See ``docs/checks.md``.
"""

from __future__ import annotations

from mastery_nb.checks.answers import ANSWER_MIME, ANSWERS_FILE, extract_answers, write_answers
from mastery_nb.checks.api import Checks, UnknownQuestion
from mastery_nb.checks.load import ChecksError, load_checks
from mastery_nb.checks.practice_log import PRACTICE_LOG
from mastery_nb.checks.runner import fail, not_attempted
from mastery_nb.checks.verdict import PRACTICE_PASSED, Verdict

__all__ = [
    "ANSWERS_FILE",
    "ANSWER_MIME",
    "PRACTICE_LOG",
    "PRACTICE_PASSED",
    "Checks",
    "ChecksError",
    "UnknownQuestion",
    "Verdict",
    "extract_answers",
    "fail",
    "load_checks",
    "not_attempted",
    "write_answers",
]

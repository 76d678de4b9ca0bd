"""The learner's words for grading's facts: check names, failure messages, plurals.

Grading speaks in the author's terms (grade ids, ``AssertionError: ...``, cell labels);
feedback says the same facts the way the learner reads their notebook. Everything here is
a pure function of strings, shared by the JSON feedback, the HTML page and the CLI.
"""

from __future__ import annotations

import re

from mastery_nb.markdown import plain_text

__all__ = [
    "check_explanation",
    "clean_error",
    "code_span",
    "error_place",
    "plural",
]


def plural(count: float, word: str, words: str | None = None) -> str:
    """``1 point``, ``2 points``, ``0.5 points``, ``1 attempt``."""
    number = f"{count:g}"
    return f"{number} {word if count == 1 else (words or word + 's')}"


_CELL_FILE = re.compile(
    r"\((?:<ipython-input-[^>]*>|<test cell>|[^()]*ipykernel[^()]*), line (\d+)\)"
)


def clean_error(message: str) -> str:
    """An exception message without the grader's file names: ``(line 3)``, not ``(<ipython-...>, line 3)``."""
    return _CELL_FILE.sub(r"(line \1)", message.strip())


def code_span(text: str) -> str:
    """``text`` as one Markdown code span, whatever backticks it holds."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


_ASSERTION = "AssertionError"


def check_explanation(message: str, status: str, part: str) -> str:
    """Why a check did not pass, in Markdown, for the learner.

    A check's own message (``checks.check`` and ``assert ..., "message"`` raise
    ``AssertionError: message``) is shown as written, without the exception's name. A bare
    ``assert`` says whether it was the visible part of the test cell (the learner can read
    it in the notebook) or a hidden test, never what the hidden test is. Any other
    exception is quoted as code: it is the learner's own program talking.
    """
    text = clean_error(message)
    if status == "not_run":
        return text[:1].upper() + text[1:] if text else "This check did not run."
    if text == _ASSERTION or text.startswith(_ASSERTION + ": "):
        own = text[len(_ASSERTION) + 2 :].strip() if text != _ASSERTION else ""
        if own:
            return own
        if part == "hidden":
            return (
                "A hidden test of this exercise did not pass. Hidden tests try more cases "
                "than the practice check: test your code on other inputs too (an empty "
                "list, a zero, a negative number) and re-read the exercise."
            )
        if part == "visible":
            return (
                "A check in the test cell under this exercise did not pass (an `assert` "
                "without a message). You can read that test cell in your notebook."
            )
        return "A check of this exercise did not pass."
    if not text:
        return "This check did not pass."
    if status in ("failed", "error") and re.match(
        r"^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b", text
    ):
        return f"Your code raised {code_span(text)} when this check ran."
    return text


def error_place(where: str, cell_label: str, is_answer: bool) -> str:
    """Where the learner's error happened, in Markdown: "your answer to *Exercise 1.2*"."""
    label = plain_text(cell_label) if cell_label else ""
    if is_answer:
        return f"your answer to “{label}”" if label else f"your answer ({where})"
    found = re.match(r"^cell (\d+)$", where)
    if found:
        return f"a cell you added (cell {found.group(1)} of the notebook)"
    return f"the cell under “{label}”" if label else where

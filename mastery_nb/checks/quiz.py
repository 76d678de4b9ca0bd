"""Quiz questions and their scoring, as pure functions of (question, answer).

The same scoring runs in the learner's widget and in grading mode, so a submitted
notebook graded without a frontend gets the verdict the widget showed. Answers are plain
JSON values (what ``.mastery-answers.json`` and the notebook's answer bundle carry):
single choice ``str``, multiple choice ``list[str]``, numeric ``float`` (or the text the
learner typed), short text ``str``. Anything else a hostile notebook smuggles in is
treated as a wrong answer, never as a crash.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Literal

from mastery_nb.checks.verdict import PRACTICE_PASSED, Verdict

__all__ = [
    "MultipleChoice",
    "Numeric",
    "QuizKind",
    "QuizQuestion",
    "ShortText",
    "SingleChoice",
    "describe_answer",
    "normalise_answer",
    "score",
]

QuizKind = Literal["single_choice", "multiple_choice", "numeric", "short_text"]

_MAX_TEXT = 2000  # longest typed answer we keep; longer input is cut (hostile input)


@dataclass(frozen=True)
class _QuizBase:
    id: str
    objective: str
    prompt: str
    reveal: bool = False


@dataclass(frozen=True)
class SingleChoice(_QuizBase):
    """Pick exactly one option; ``answer`` is the right option's text."""

    options: tuple[str, ...] = ()
    answer: str = ""
    kind: QuizKind = field(default="single_choice", init=False)

    def __post_init__(self) -> None:
        _need_options(self.id, self.options)
        if self.answer not in self.options:
            raise ValueError(
                f"quiz {self.id!r}: answer {self.answer!r} is not one of the options "
                f"{list(self.options)}; make `answer` exactly one of `options`"
            )


@dataclass(frozen=True)
class MultipleChoice(_QuizBase):
    """Tick every right option and no other; ``answer`` lists the right options."""

    options: tuple[str, ...] = ()
    answer: tuple[str, ...] = ()
    kind: QuizKind = field(default="multiple_choice", init=False)

    def __post_init__(self) -> None:
        _need_options(self.id, self.options)
        unknown = [a for a in self.answer if a not in self.options]
        if unknown:
            raise ValueError(
                f"quiz {self.id!r}: answers {unknown} are not among the options "
                f"{list(self.options)}; every answer must be one of `options`"
            )


@dataclass(frozen=True)
class Numeric(_QuizBase):
    """A number, right when ``|given - answer| <= tolerance`` (absolute)."""

    answer: float = 0.0
    tolerance: float = 0.0
    kind: QuizKind = field(default="numeric", init=False)

    def __post_init__(self) -> None:
        if not math.isfinite(self.answer):
            raise ValueError(f"quiz {self.id!r}: answer must be a finite number")
        if not (self.tolerance >= 0 and math.isfinite(self.tolerance)):
            raise ValueError(f"quiz {self.id!r}: tolerance must be a number >= 0")


@dataclass(frozen=True)
class ShortText(_QuizBase):
    """Free text, right when any accepted regular expression matches (``re.search``).

    ``answer`` is an example of a right answer, shown only when revealed or as solution.
    """

    patterns: tuple[str, ...] = ()
    answer: str = ""
    case_sensitive: bool = False
    kind: QuizKind = field(default="short_text", init=False)

    def __post_init__(self) -> None:
        if not self.patterns:
            raise ValueError(f"quiz {self.id!r}: give at least one accepted pattern")
        for p in self.patterns:
            try:
                re.compile(p)
            except re.error as exc:
                raise ValueError(
                    f"quiz {self.id!r}: pattern {p!r} is not a valid regular expression ({exc}); "
                    "fix the pattern"
                ) from None

    def compiled(self) -> tuple[re.Pattern[str], ...]:
        flags = 0 if self.case_sensitive else re.IGNORECASE
        return tuple(re.compile(p, flags) for p in self.patterns)


QuizQuestion = SingleChoice | MultipleChoice | Numeric | ShortText


def _need_options(qid: str, options: tuple[str, ...]) -> None:
    if len(options) < 2:
        raise ValueError(f"quiz {qid!r}: give at least two options")
    if len(set(options)) != len(options):
        raise ValueError(f"quiz {qid!r}: options must be distinct")


def normalise_answer(question: QuizQuestion, answer: object) -> object:
    """The canonical JSON form of a learner's answer, or ``None`` when there is none.

    Used before saving and before scoring, so the widget, the file and the notebook bundle
    hold the same value.
    """
    if answer is None:
        return None
    if isinstance(question, SingleChoice):
        return answer if isinstance(answer, str) and answer in question.options else None
    if isinstance(question, MultipleChoice):
        if not isinstance(answer, list | tuple):
            return None
        picked = {a for a in answer if isinstance(a, str) and a in question.options}
        return [o for o in question.options if o in picked]
    if isinstance(question, Numeric):
        if isinstance(answer, bool):
            return None
        if isinstance(answer, int | float):
            return float(answer) if math.isfinite(float(answer)) else None
        if isinstance(answer, str):
            text = answer.strip()[:_MAX_TEXT]
            return text or None
        return None
    if isinstance(answer, str):
        return answer[:_MAX_TEXT]
    return None


def _parse_number(text: str) -> float | None:
    try:
        value = float(text.replace(",", ".").replace("_", ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def describe_answer(question: QuizQuestion) -> str:
    """The right answer in words (only ever shown when the author allows it)."""
    if isinstance(question, SingleChoice):
        return question.answer
    if isinstance(question, MultipleChoice):
        return ", ".join(question.answer) if question.answer else "none of the options"
    if isinstance(question, Numeric):
        tol = f" ± {question.tolerance:g}" if question.tolerance else ""
        return f"{question.answer:g}{tol}"
    return question.answer or " | ".join(question.patterns)


def score(question: QuizQuestion, answer: object, objective_text: str = "") -> Verdict:
    """Score one answer. Never raises on learner input; never reveals unless allowed."""
    given = normalise_answer(question, answer)

    def verdict(status: str, message: str) -> Verdict:
        if status == "incorrect" and question.reveal:
            message = f"{message} The answer is: {describe_answer(question)}."
        return Verdict(
            question=question.id,
            status=status,  # type: ignore[arg-type]
            message=message,
            objective=question.objective,
            objective_text=objective_text,
        )

    if given is None or given == "" or given == []:
        if isinstance(question, MultipleChoice) and given == [] and not question.answer:
            return verdict("correct", PRACTICE_PASSED)
        return verdict("not_attempted", "No answer yet: choose or type your answer first.")

    if isinstance(question, SingleChoice):
        if given == question.answer:
            return verdict("correct", PRACTICE_PASSED)
        return verdict("incorrect", f"“{given}” is not the best answer. Read the options again.")

    if isinstance(question, MultipleChoice):
        assert isinstance(given, list)
        if set(given) == set(question.answer):
            return verdict("correct", PRACTICE_PASSED)
        return verdict(
            "incorrect",
            f"Your selection ({len(given)} ticked) is not exactly right: tick every "
            "option that is true and none that is false.",
        )

    if isinstance(question, Numeric):
        value = given if isinstance(given, float) else _parse_number(str(given))
        if value is None:
            return verdict(
                "incorrect", f"“{str(given)[:80]}” is not a number; type a number such as 3.5."
            )
        if abs(value - question.answer) <= question.tolerance + 1e-12 * max(
            1.0, abs(question.answer)
        ):
            return verdict("correct", PRACTICE_PASSED)
        return verdict(
            "incorrect", f"{value:g} is not within the accepted range. Check your working."
        )

    assert isinstance(question, ShortText) and isinstance(given, str)
    if any(p.search(given) for p in question.compiled()):
        return verdict("correct", PRACTICE_PASSED)
    return verdict(
        "incorrect", f"“{given[:80]}” is not an accepted answer. Check the wording and try again."
    )

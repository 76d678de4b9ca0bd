"""The author and learner API: a unit's ``Checks`` registry.

An author declares questions in ``checks/<unit>.py``::

    checks = Checks(unit="python-basics")

    @checks.question("total-price", objective="use-variables", hints=[...],
                     solution="total = sum(prices)", show_solution="after_attempts:3")
    def total_price(ns):
        ...

    checks.single_choice("robust-statistic", objective="describe-data", prompt="...",
                         options=["mean", "median"], answer="median")

A unit with parallel forms declares its parameters with ``@checks.form`` (a function of a
seeded ``random.Random`` returning the form's values); a check function may then take the
learner's form as a second argument, ``fn(ns, form)``, and a quiz's ``answer``, ``options``,
``tolerance`` or ``patterns`` may be functions of the form (its ``prompt``, hints and
solution may say ``{{ form.<name> }}``). See docs/checks.md, "Parallel forms".

The learner's notebook calls ``load_checks(unit)`` (which binds the registry to the
kernel's namespace, the notebook's folder, the course manifest and the learner's form) and
then ``ask``, ``check``, ``hint``, ``solution``, ``quiz`` and ``answer``. Under
``MASTERY_NB_GRADING=1`` ``check`` and ``quiz`` raise ``AssertionError`` unless right, so
nbgrader test cells can call them.
"""

from __future__ import annotations

import inspect
import os
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from mastery_nb.checks import answers as answers_mod
from mastery_nb.checks import frontend
from mastery_nb.checks.gating import (
    Gate,
    SolutionPolicy,
    next_hint,
    parse_solution_policy,
    solution_gate,
)
from mastery_nb.checks.practice_log import PracticeEvent, append_event, count_attempts
from mastery_nb.checks.quiz import (
    MultipleChoice,
    Numeric,
    QuizQuestion,
    ShortText,
    SingleChoice,
    normalise_answer,
    score,
)
from mastery_nb.checks.runner import run_check
from mastery_nb.checks.text import message_html, message_text, verdict_html, verdict_text
from mastery_nb.checks.verdict import Verdict
from mastery_nb.forms.render import render_markdown
from mastery_nb.forms.values import FormValues, draw, preview_seed, public_values
from mastery_nb.identity import is_id

__all__ = ["Checks", "CodeQuestion", "QuestionState", "UnknownQuestion"]

F = TypeVar("F", bound=Callable[..., Any])
CheckFn = Callable[..., object]
FormFn = Callable[[random.Random], Mapping[str, Any]]
#: a quiz setting that is the same for every form, or a function of the learner's form
PerForm = Any


class UnknownQuestion(KeyError):
    """A question id the unit does not declare (or of the other kind), said plainly.

    A ``KeyError`` for ``except KeyError`` callers, but printed without quotes and, in a
    notebook, without a traceback.
    """

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""

    def _render_traceback_(self) -> list[str]:
        return [f"error: {self}"]


@dataclass(frozen=True)
class CodeQuestion:
    """A question answered by the learner's code, checked by an author function."""

    id: str
    objective: str
    fn: CheckFn
    hints: tuple[str, ...] = ()
    solution: str | None = None
    show_solution: SolutionPolicy = field(default_factory=lambda: SolutionPolicy("never"))
    reveal: bool = False
    prompt: str = ""
    #: the check takes the learner's form as a second argument: ``fn(ns, form)``
    takes_form: bool = False


@dataclass
class QuestionState:
    """What this kernel remembers about one question: hints revealed, checks run, last verdict."""

    hints_shown: int = 0
    checks: int = 0
    last: Verdict | None = None


@dataclass(frozen=True)
class _QuizMeta:
    hints: tuple[str, ...]
    solution: str | None
    show_solution: SolutionPolicy


@dataclass(frozen=True)
class _QuizSpec:
    """A quiz as declared: its settings may be functions of the form, so the question
    itself is built for the form at hand (:meth:`Checks.quiz_question`)."""

    objective: str
    build: Callable[[FormValues], QuizQuestion]


def _takes_form(fn: Callable[..., object]) -> bool:
    """Does a check function take a second positional argument (the form)?"""
    try:
        parameters = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return False
    positional = [
        p
        for p in parameters
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty
    ]
    return len(positional) >= 2 or any(p.kind is p.VAR_POSITIONAL for p in parameters)


def _per_form(value: PerForm, form: FormValues) -> Any:
    """A quiz setting for this form: called with the form when it is a function."""
    return value(form) if callable(value) else value


def _valid_id(kind: str, value: str) -> str:
    if not is_id(value):
        raise ValueError(
            f"{kind} id {value!r} is not valid; use letters, digits, '-', '_' or '.' "
            "(up to 80 characters, starting with a letter or digit)"
        )
    return value


def _hints(hints: Iterable[str] | str | None) -> tuple[str, ...]:
    if hints is None:
        return ()
    if isinstance(hints, str):
        return (hints,)
    result = tuple(hints)
    if not all(isinstance(h, str) and h.strip() for h in result):
        raise ValueError("hints must be a list of non-empty strings")
    return result


class Checks:
    """The practice checks and quizzes of one unit."""

    def __init__(self, unit: str, *, course: str = "") -> None:
        self.unit = _valid_id("unit", unit)
        self.course = course
        self._code: dict[str, CodeQuestion] = {}
        self._quiz: dict[str, _QuizSpec] = {}
        self._quiz_built: dict[str, tuple[FormValues, QuizQuestion]] = {}
        self._quiz_meta: dict[str, _QuizMeta] = {}
        self._form_fn: FormFn | None = None
        self._values: FormValues | None = None
        self._state: dict[str, QuestionState] = {}
        self._namespace: Mapping[str, Any] | None = None
        self._folder: Path | None = None
        self._objective_text: dict[str, str] = {}
        #: returns whether the unit is mastered (None: unknown); used by "after_mastery"
        self.mastered: Callable[[], bool | None] = lambda: None
        self.source: Path | None = None  #: the checks file, when loaded from one

    # ------------------------------------------------------------------ authoring
    def _register_id(self, qid: str) -> str:
        _valid_id("question", qid)
        if qid in self._code or qid in self._quiz:
            raise ValueError(
                f"question {qid!r} is declared twice in unit {self.unit!r}; rename one"
            )
        return qid

    def form(self, fn: FormFn) -> FormFn:
        """Decorator: declare the unit's parallel forms, ``fn(rng) -> {name: value}``.

        ``rng`` is a ``random.Random`` seeded for one learner's form (or the preview form);
        draw every number and every piece of data from it, nothing from the clock or the
        global ``random``, so a form is the same wherever it is drawn. Values are JSON
        (numbers, strings, true/false, None, lists and dicts of those); notebooks refer to
        them as ``form.<name>`` in code and ``{{ form.<name> }}`` in Markdown.
        """
        if not callable(fn):
            raise TypeError("@checks.form must decorate a function of a random generator")
        if self._form_fn is not None:
            raise ValueError(f"unit {self.unit!r} declares @checks.form twice; keep one")
        self._form_fn = fn
        self._values = None
        self._quiz_built.clear()
        return fn

    @property
    def has_form(self) -> bool:
        """The unit has parallel forms (its checks file declares ``@checks.form``)."""
        return self._form_fn is not None

    def draw_form(self, seed: int) -> dict[str, Any]:
        """The values of the form seeded by ``seed`` (the backend's, or the preview's)."""
        if self._form_fn is None:
            return {}
        return draw(self._form_fn, seed)

    @property
    def values(self) -> FormValues:
        """The learner's form (``form.coffee_price``): the one this notebook was started
        with (its public values), else the preview form (number 0: anyone can draw it, so
        all its values, the hidden tests' too, as the author's own runs need), else none."""
        if self._values is None:
            values = self.draw_form(preview_seed(self.course, self.unit)) if self.has_form else {}
            self._values = FormValues(values, unit=self.unit, number=0)
        return self._values

    def question(
        self,
        id: str,
        *,
        objective: str,
        hints: Iterable[str] | str | None = None,
        solution: str | None = None,
        show_solution: str = "never",
        reveal: bool = False,
        prompt: str = "",
    ) -> Callable[[F], F]:
        """Decorator: register ``fn(ns)`` as the practice check of code question ``id``."""
        self._register_id(id)
        _valid_id("objective", objective)
        policy = parse_solution_policy(show_solution)
        hint_tuple = _hints(hints)

        def register(fn: F) -> F:
            if not callable(fn):
                raise TypeError(f"@checks.question({id!r}) must decorate a function")
            self._code[id] = CodeQuestion(
                id=id,
                objective=objective,
                fn=fn,
                hints=hint_tuple,
                solution=solution,
                show_solution=policy,
                reveal=reveal,
                prompt=prompt,
                takes_form=_takes_form(fn),
            )
            return fn

        return register

    def _add_quiz(
        self,
        qid: str,
        objective: str,
        build: Callable[[FormValues], QuizQuestion],
        settings: tuple[object, ...],
        meta: tuple[Iterable[str] | str | None, str | None, str],
    ) -> QuizQuestion | None:
        """Register a quiz. One whose ``settings`` (the prompt first) are all fixed is built,
        and so checked, now; it is returned. ``meta``: (hints, solution, show_solution)."""
        self._register_id(qid)
        _valid_id("objective", objective)
        hints, solution, show_solution = meta
        per_form = any(callable(v) for v in settings) or "{{" in str(settings[0])
        built = None if per_form else build(FormValues({}, unit=self.unit))
        meta_ = _QuizMeta(_hints(hints), solution, parse_solution_policy(show_solution))
        self._quiz_meta[qid] = meta_
        self._quiz[qid] = _QuizSpec(objective, build)
        return built

    def single_choice(
        self,
        id: str,
        *,
        objective: str,
        prompt: str,
        options: Sequence[str] | Callable[[FormValues], Sequence[str]],
        answer: str | Callable[[FormValues], str],
        hints: Iterable[str] | str | None = None,
        solution: str | None = None,
        show_solution: str = "never",
        reveal: bool = False,
    ) -> QuizQuestion | None:
        """Declare a single-choice quiz (radio buttons); ``options`` and ``answer`` may be
        functions of the form."""

        def build(form: FormValues) -> QuizQuestion:
            return SingleChoice(
                id,
                objective,
                render_markdown(prompt, form),
                reveal,
                options=tuple(_per_form(options, form)),
                answer=_per_form(answer, form),
            )

        return self._add_quiz(
            id, objective, build, (prompt, options, answer), (hints, solution, show_solution)
        )

    def multiple_choice(
        self,
        id: str,
        *,
        objective: str,
        prompt: str,
        options: Sequence[str] | Callable[[FormValues], Sequence[str]],
        answer: Sequence[str] | Callable[[FormValues], Sequence[str]] | None = None,
        answers: Sequence[str] | Callable[[FormValues], Sequence[str]] | None = None,
        hints: Iterable[str] | str | None = None,
        solution: str | None = None,
        show_solution: str = "never",
        reveal: bool = False,
    ) -> QuizQuestion | None:
        """Declare a multiple-choice quiz (check boxes); ``answer`` lists every right option."""
        right = answer if answer is not None else answers
        if right is None or isinstance(right, str):
            raise ValueError(f"quiz {id!r}: give `answer` as a list of the right options")

        def build(form: FormValues) -> QuizQuestion:
            return MultipleChoice(
                id,
                objective,
                render_markdown(prompt, form),
                reveal,
                options=tuple(_per_form(options, form)),
                answer=tuple(_per_form(right, form)),
            )

        return self._add_quiz(
            id, objective, build, (prompt, options, right), (hints, solution, show_solution)
        )

    def numeric(
        self,
        id: str,
        *,
        objective: str,
        prompt: str,
        answer: float | Callable[[FormValues], float],
        tolerance: float | Callable[[FormValues], float] = 0.0,
        hints: Iterable[str] | str | None = None,
        solution: str | None = None,
        show_solution: str = "never",
        reveal: bool = False,
    ) -> QuizQuestion | None:
        """Declare a numeric quiz, right within ``tolerance`` (absolute) of ``answer``
        (either may be a function of the form)."""

        def build(form: FormValues) -> QuizQuestion:
            return Numeric(
                id,
                objective,
                render_markdown(prompt, form),
                reveal,
                answer=float(_per_form(answer, form)),
                tolerance=float(_per_form(tolerance, form)),
            )

        return self._add_quiz(
            id, objective, build, (prompt, answer, tolerance), (hints, solution, show_solution)
        )

    def short_text(
        self,
        id: str,
        *,
        objective: str,
        prompt: str,
        patterns: Sequence[str] | str | Callable[[FormValues], Sequence[str] | str],
        answer: str | Callable[[FormValues], str] = "",
        case_sensitive: bool = False,
        hints: Iterable[str] | str | None = None,
        solution: str | None = None,
        show_solution: str = "never",
        reveal: bool = False,
    ) -> QuizQuestion | None:
        """Declare a short-text quiz, right when any regular expression in ``patterns``
        matches (``patterns`` and ``answer`` may be functions of the form)."""

        def build(form: FormValues) -> QuizQuestion:
            given = _per_form(patterns, form)
            return ShortText(
                id,
                objective,
                render_markdown(prompt, form),
                reveal,
                patterns=(given,) if isinstance(given, str) else tuple(given),
                answer=_per_form(answer, form),
                case_sensitive=case_sensitive,
            )

        return self._add_quiz(
            id, objective, build, (prompt, patterns, answer), (hints, solution, show_solution)
        )

    # ------------------------------------------------------------------ binding
    def bind(
        self,
        *,
        namespace: Mapping[str, Any] | None = None,
        folder: str | os.PathLike[str] | None = None,
        course: str | None = None,
        objectives: Mapping[str, str] | None = None,
        form: FormValues | None = None,
    ) -> Checks:
        """Attach the learner's namespace, the notebook folder, the course details and the
        learner's form (without one, a unit with forms uses its preview form)."""
        if namespace is not None:
            self._namespace = namespace
        if folder is not None:
            self._folder = Path(folder)
        if course is not None and course != self.course:
            self.course = course
            self._values = None  # the preview form depends on the course
            self._quiz_built.clear()
        if objectives is not None:
            self._objective_text = dict(objectives)
        if form is not None:
            self._values = FormValues(public_values(form), unit=form.unit, number=form.number)
            self._quiz_built.clear()
        return self

    @property
    def folder(self) -> Path:
        """Where answers and the practice log live: the notebook's folder."""
        return self._folder if self._folder is not None else Path.cwd()

    @property
    def namespace(self) -> Mapping[str, Any]:
        if self._namespace is not None:
            return self._namespace
        shell = frontend.ipython()
        if shell is not None:
            ns: Mapping[str, Any] = shell.user_ns
            return ns
        return {}

    @property
    def ids(self) -> tuple[str, ...]:
        """Every question id, code questions first, in declaration order."""
        return (*self._code, *self._quiz)

    def objective_of(self, qid: str) -> str:
        return self._lookup(qid)[1]

    def _lookup(self, qid: str) -> tuple[CodeQuestion | QuizQuestion, str]:
        if qid in self._code:
            return self.code_question(qid), self._code[qid].objective
        if qid in self._quiz:
            return self.quiz_question(qid), self._quiz[qid].objective
        known = ", ".join(self.ids) or "none"
        raise UnknownQuestion(
            f"unit {self.unit!r} has no question {qid!r} (known: {known}); check the spelling"
        )

    def state(self, qid: str) -> QuestionState:
        self._lookup(qid)
        return self._state.setdefault(qid, QuestionState())

    def code_question(self, qid: str) -> CodeQuestion:
        """A code question as this learner sees it: prompt, hints and solution say their
        form's values."""
        if qid not in self._code:
            self._lookup(qid)
            raise UnknownQuestion(f"{qid!r} is a quiz: use checks.quiz({qid!r})")
        q = self._code[qid]
        if not self.has_form:
            return q
        form = self.values
        return replace(
            q,
            prompt=render_markdown(q.prompt, form),
            hints=tuple(render_markdown(h, form) for h in q.hints),
            solution=None if q.solution is None else render_markdown(q.solution, form),
        )

    def quiz_question(self, qid: str) -> QuizQuestion:
        """A quiz as this learner's form asks it (built once per form)."""
        if qid not in self._quiz:
            self._lookup(qid)
            raise UnknownQuestion(
                f"{qid!r} is a code question: use checks.ask({qid!r}) or checks.check({qid!r})"
            )
        form = self.values
        built = self._quiz_built.get(qid)
        if built is None or built[0] is not form:
            built = (form, self._quiz[qid].build(form))
            self._quiz_built[qid] = built
        return built[1]

    def check_declarations(self) -> None:
        """Build every question for the current form, so a quiz whose settings are
        functions of the form fails now, with its words, rather than when first asked."""
        for qid in self._quiz:
            self.quiz_question(qid)

    # ------------------------------------------------------------------ events
    def _note_verdict(self, qid: str, v: Verdict, event: str, *, record: bool) -> Verdict:
        """Keep a check's verdict as the question's last, count a real try, and log it."""
        st = self.state(qid)
        st.last = v
        if v.status != "not_attempted":
            st.checks += 1
        if record:
            self._record(qid, event, v.status)
        return v

    def _record(self, qid: str, event: str, outcome: str | None) -> None:
        if frontend.grading_mode():
            return  # grading is not practice
        append_event(
            self.folder,
            PracticeEvent(
                course=self.course,
                unit=self.unit,
                question=qid,
                objective=self.objective_of(qid),
                event=event,
                outcome=outcome,
            ),
        )

    # ------------------------------------------------------------------ pure-ish core
    def run(self, qid: str, *, record: bool = True) -> Verdict:
        """Run the practice check of a code question and return its verdict (no display)."""
        q = self.code_question(qid)
        v = run_check(
            q.fn,
            self.namespace,
            question=qid,
            objective=q.objective,
            objective_text=self._objective_text.get(q.objective, ""),
            reveal=q.reveal,
            form=self.values if q.takes_form else None,
        )
        return self._note_verdict(qid, v, "check", record=record)

    def next_hint(self, qid: str, *, record: bool = True) -> str:
        """Reveal the next hint of a question, as text."""
        hints = self._hints_of(qid)
        st = self.state(qid)
        st.hints_shown, text = next_hint(hints, st.hints_shown)
        if record and hints:
            self._record(qid, "hint", None)
        return text

    def revealed_hints(self, qid: str) -> tuple[str, ...]:
        return self._hints_of(qid)[: self.state(qid).hints_shown]

    def _hints_of(self, qid: str) -> tuple[str, ...]:
        q, _ = self._lookup(qid)
        if isinstance(q, CodeQuestion):
            return q.hints
        return tuple(render_markdown(h, self.values) for h in self._quiz_meta[qid].hints)

    def solution_gate(self, qid: str) -> tuple[Gate, str | None]:
        """May the solution of ``qid`` be shown now, and what is it."""
        q, _ = self._lookup(qid)
        if isinstance(q, CodeQuestion):
            policy, text = q.show_solution, q.solution
        else:
            meta = self._quiz_meta[qid]
            policy = meta.show_solution
            text = None if meta.solution is None else render_markdown(meta.solution, self.values)
        attempts = 0
        mastered: bool | None = None
        if policy.mode == "after_attempts":
            attempts = max(
                self.state(qid).checks,
                count_attempts(self.folder, self.course, self.unit, qid),
            )
        elif policy.mode == "after_mastery":
            try:
                mastered = self.mastered()
            except Exception:
                mastered = None
        gate = solution_gate(policy, has_solution=bool(text), attempts=attempts, mastered=mastered)
        return gate, text

    def solution_policy(self, qid: str) -> SolutionPolicy:
        """The author's ``show_solution`` rule for ``qid``."""
        q, _ = self._lookup(qid)
        return (
            q.show_solution if isinstance(q, CodeQuestion) else self._quiz_meta[qid].show_solution
        )

    def reveal_solution(self, qid: str, *, record: bool = True) -> tuple[bool, str]:
        """``(shown, text)``: the solution, or a sentence saying when it becomes available."""
        gate, text = self.solution_gate(qid)
        if gate.allowed and text is not None:
            if record:
                self._record(qid, "solution", None)
            return True, text
        return False, gate.message

    # quizzes ----------------------------------------------------------
    @property
    def answers_key(self) -> str:
        """Under which key this notebook's quiz answers are saved: the unit, and for a
        learner's form the unit and its number, so a new form's quizzes start unanswered
        (the previous form's answers are not this form's)."""
        values = self.values
        return self.unit if values.preview else f"{self.unit}@form-{values.number}"

    def saved_answer(self, qid: str) -> object:
        q = self.quiz_question(qid)
        return normalise_answer(q, answers_mod.lookup_answer(self.folder, self.answers_key, qid))

    def normalise(self, qid: str, value: object) -> object:
        """A quiz answer in the canonical form it is saved and scored in."""
        return normalise_answer(self.quiz_question(qid), value)

    def save_answer(self, qid: str, value: object) -> object:
        """Normalise and store a quiz answer in ``.mastery-answers.json``; returns it."""
        clean = self.normalise(qid, value)
        answers_mod.save_answer(self.folder, self.answers_key, qid, clean)
        return clean

    def score(self, qid: str, value: object) -> Verdict:
        q = self.quiz_question(qid)
        return score(q, value, self._objective_text.get(q.objective, ""))

    def check_quiz(self, qid: str, value: object, *, record: bool = True) -> Verdict:
        """Score an answer as the learner's Check press does, and log it."""
        v = self.score(qid, value)
        return self._note_verdict(qid, v, "quiz", record=record)

    def answer_bundle(self, qid: str, value: object) -> dict[str, Any]:
        """The display bundle that carries a quiz answer inside the notebook."""
        shown = "no answer yet" if value in (None, "", []) else answer_words(value)
        return {
            answers_mod.ANSWER_MIME: {"question": qid, "answer": value, "unit": self.unit},
            "text/plain": f"Saved answer to {qid}: {shown}",
        }

    # ------------------------------------------------------------------ learner calls
    def check(self, qid: str) -> None:
        """Run the practice check and show the verdict (keyboard equivalent of Check).

        For a quiz id, check the saved answer.
        In grading mode raise ``AssertionError(message)`` unless the verdict is correct.
        """
        grading = frontend.grading_mode()  # decided before any learner code runs below
        quiz = qid in self._quiz  # a quiz id: check the saved answer
        v = self.check_quiz(qid, self.saved_answer(qid)) if quiz else self.run(qid)
        _show_verdict(v)
        if grading and not v.passed:
            # the check's own words: the feedback names the exercise, not the question id
            raise AssertionError(v.message)

    def hint(self, qid: str) -> None:
        """Show the next hint."""
        text = self.next_hint(qid)
        frontend.display_bundle(
            {"text/plain": message_text(f"{qid}:", text), "text/html": message_html(qid, text)}
        )

    def solution(self, qid: str) -> None:
        """Show the solution if the author allows it now, else when it becomes available."""
        shown, text = self.reveal_solution(qid)
        title = f"Solution to {qid}" if shown else f"Solution to {qid} (not available yet)"
        frontend.display_bundle(
            {
                "text/plain": message_text(title + ":", text),
                "text/html": message_html(title, text, code=shown),
            }
        )

    def ask(self, qid: str) -> None:
        """Check now and show the verdict with Check / Hint / Solution buttons to check again.

        The widget output carries the verdict as ``text/plain`` too, so a notebook executed
        without a widget frontend records it. Without ipywidgets (or with
        ``MASTERY_NB_WIDGETS=0``, or in grading mode) only the text is shown.
        """
        self.code_question(qid)
        v = self.run(qid)
        if not frontend.widgets_enabled():
            _show_verdict(v)
            return
        from mastery_nb.checks.widgets import CheckView

        frontend.display_bundle(CheckView(self, qid, v).bundle())

    def answer(self, qid: str, value: object) -> None:
        """Answer a quiz from code (keyboard equivalent of the quiz widget): save and check."""
        clean = self.save_answer(qid, value)
        frontend.display_bundle(self.answer_bundle(qid, clean))
        _show_verdict(self.check_quiz(qid, clean))

    def quiz(self, qid: str) -> None:
        """Show a quiz widget with the saved answer restored (and its verdict, if answered).

        The widget output's ``text/plain`` holds the question and that verdict; an answer
        bundle follows, kept up to date as the learner answers. In grading mode raise
        ``AssertionError`` unless the saved answer is right.
        """
        grading = frontend.grading_mode()  # decided before any learner code runs below
        q = self.quiz_question(qid)
        saved = self.saved_answer(qid)
        answered = saved not in (None, "", [])
        v = self.score(qid, saved) if answered or grading else None
        text = _quiz_text(q, self._objective_text)
        text += "\n" + (
            verdict_text(v)
            if v is not None
            else f"No answer yet: answer in the quiz widget or with checks.answer({qid!r}, ...)."
        )
        if grading:
            frontend.display_bundle(self.answer_bundle(qid, saved))
            frontend.display_bundle({"text/plain": text})
            if v is None or not v.passed:
                raise AssertionError(v.message if v else "No answer yet.")
            return
        if not frontend.widgets_enabled():
            frontend.display_bundle({"text/plain": text})
            frontend.display_bundle(self.answer_bundle(qid, saved))
            return
        from mastery_nb.checks.widgets import QuizView

        view = QuizView(self, qid, saved, v)
        frontend.display_bundle(view.bundle(text))
        view.show_answer_bundle()

    def __repr__(self) -> str:
        return f"Checks(unit={self.unit!r}, questions={list(self.ids)})"


def answer_words(value: object) -> str:
    """A quiz answer in words: ``median``, ``2, 4``, ``3.5``."""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) if value else "none ticked"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _quiz_text(q: QuizQuestion, objectives: Mapping[str, str]) -> str:
    lines = [f"Quiz {q.id}: {q.prompt}"]
    if isinstance(q, SingleChoice | MultipleChoice):
        lines += [f"  - {o}" for o in q.options]
        if isinstance(q, MultipleChoice):
            lines.append("  (tick every option that is true)")
    elif isinstance(q, Numeric):
        lines.append("  (answer with a number)")
    elif isinstance(q, ShortText):
        lines.append("  (answer with a short text)")
    label = (
        f"{q.objective} — {objectives[q.objective]}" if objectives.get(q.objective) else q.objective
    )
    lines.append(f"  Objective: {label}")
    return "\n".join(lines)


def _show_verdict(v: Verdict) -> None:
    frontend.display_bundle({"text/plain": verdict_text(v), "text/html": verdict_html(v)})

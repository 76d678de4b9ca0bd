"""ipywidgets views: a Check/Hint/Solution panel for code questions and quiz widgets.

Only used when a widget frontend is connected (see :mod:`mastery_nb.checks.frontend`).

What the learner sees, and why:

* The heading is the question's prompt (Markdown rendered), never its id. A quiz's
  choices form a labelled group named by that prompt: the input carries the classes
  ``mastery-quiz-choices`` and ``mastery-labelledby-<heading id>``, which the mastery-nb
  JupyterLab extension turns into ``role=radiogroup``/``group`` with ``aria-labelledby``
  (ipywidgets has no ARIA attributes of its own).
* One status line: the verdict (``role=status``). Hints stay when the solution opens;
  after the last hint the learner is told there are no more and when the solution comes.
  A "not available yet" solution note updates itself when the gate opens (after checks,
  or once the unit is mastered).
* A quiz judges the answer on the screen. Typed answers are sent as they are typed
  (``continuous_update``) and Enter checks. Messages may reach the kernel out of order:
  ipywidgets holds back a value update while the previous one is unanswered but sends a
  click at once, and ipykernel 7 handles a widget's messages on another thread than a
  button's click. So a check waits until no answer has arrived for
  :data:`SETTLE_SECONDS` and then judges the latest one; and an answer the browser sent
  before the click that still arrives after the verdict replaces it. The answer judged is
  the answer saved (``.mastery-answers.json`` and the quiz cell's answer bundle, which the
  grader reads).
"""

from __future__ import annotations

import html
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from mastery_nb.checks import frontend
from mastery_nb.checks.quiz import MultipleChoice, Numeric, ShortText, SingleChoice
from mastery_nb.checks.text import message_html, verdict_html, verdict_text
from mastery_nb.checks.verdict import Verdict
from mastery_nb.markdown import markdown_html, plain_text

if TYPE_CHECKING:
    from mastery_nb.checks.api import Checks

__all__ = ["CheckView", "QuizView"]

#: how often a "solution after mastery" note asks whether the unit is mastered now
MASTERY_POLL_SECONDS = 20.0
#: a check judges the answer once no newer one has arrived for this long
SETTLE_SECONDS = 0.25


def _heading(kind: str, heading_id: str, prompt: str, objective: str) -> w.HTML:
    """The question's prompt as its heading (the kind and objective in a line above it)."""
    prompt_html = markdown_html(prompt) if prompt else ""
    body = (
        f'<div class="mastery-check-prompt" id="{heading_id}">{prompt_html}</div>'
        if prompt_html
        else ""
    )
    kind_id = "" if prompt_html else f' id="{heading_id}"'
    return w.HTML(
        value=(
            f'<div class="mastery-check-heading"><strong class="mastery-check-kind"{kind_id}>'
            f"{html.escape(kind)}</strong>"
            f'<span class="mastery-check-objective" style="opacity:.8"> · Objective: '
            f"{html.escape(objective)}</span>{body}</div>"
        )
    )


def _button(label: str, tooltip: str, css: str) -> w.Button:
    # No icon: Font Awesome glyphs would be read out as part of the button's name.
    b = w.Button(description=label, tooltip=tooltip, layout=w.Layout(width="auto"))
    b.add_class(css)
    b.add_class("mastery-check-button")
    return b


def _area(css: str) -> w.HTML:
    """An output area whose changes screen readers announce (``mastery-live``)."""
    area = w.HTML(value="")
    area.add_class(css)
    area.add_class("mastery-live")
    return area


class _Panel:
    """What code questions and quizzes share: heading, Hint and Solution, the notes."""

    kind = ""

    def __init__(self, checks: Checks, qid: str, prompt: str, objective: str) -> None:
        self.checks = checks
        self.qid = qid
        self.heading_id = f"mastery-q-{uuid.uuid4().hex[:12]}"
        text = checks._objective_text.get(objective, "")
        self.heading = _heading(
            self.kind, self.heading_id, prompt, f"{objective} — {text}" if text else objective
        )
        self.verdict = _area("mastery-check-verdict-area")
        self.hints = _area("mastery-check-hints")
        self.solution = _area("mastery-check-solution")
        self.hint_button = _button("Hint", "Show the next hint", "mastery-hint")
        self.solution_button = _button(
            "Solution", "Show the solution when it is available", "mastery-solution"
        )
        self.hint_button.on_click(self._on_hint)
        self.solution_button.on_click(self._on_solution)
        self._waiting = False  #: a "solution not available yet" note is showing
        self._timer: threading.Timer | None = None
        self.box: w.VBox

    # hints -------------------------------------------------------------------
    def _on_hint(self, _button: w.Button) -> None:
        if not self.checks._hints_of(self.qid):
            self.hints.value = message_html("Hints", "There are no hints for this question.")
            return
        self.checks.next_hint(self.qid)
        self._show_hints()

    def _show_hints(self) -> None:
        """Every hint revealed so far; after the last one, what to do next."""
        hints = self.checks._hints_of(self.qid)
        shown = self.checks.revealed_hints(self.qid)
        parts = [
            message_html(f"Hint {i + 1} of {len(hints)}", text, css="mastery-hint-note")
            for i, text in enumerate(shown)
        ]
        if hints and len(shown) >= len(hints):
            parts.append(message_html("No more hints", self._after_last_hint(len(hints))))
            self.hint_button.tooltip = f"No more hints: all {len(hints)} are shown"
        self.hints.value = "".join(parts)

    def _after_last_hint(self, count: int) -> str:
        last = "That was the only hint." if count == 1 else f"That was the last of {count} hints."
        gate, _ = self.checks.solution_gate(self.qid)
        if gate.allowed:
            return f"{last} The solution is available: press **Solution** to see it."
        return f"{last} {gate.message}"

    # the solution ------------------------------------------------------------
    def _on_solution(self, _button: w.Button) -> None:
        shown, text = self.checks.reveal_solution(self.qid)
        if shown:
            self._waiting = False
            self.solution.value = message_html("Solution", text, code=True)
        else:
            self._waiting = True
            self.solution.value = message_html(
                "Solution not available yet", text, css="mastery-solution-waiting"
            )
            self._watch_mastery()

    def refresh_solution(self) -> None:
        """After a check: the solution's gate may have opened (or counts down); say so."""
        hints = self.checks._hints_of(self.qid)
        if hints and len(self.checks.revealed_hints(self.qid)) >= len(hints):
            self._show_hints()  # its last note says when the solution comes
        if not self._waiting:
            return
        gate, _ = self.checks.solution_gate(self.qid)
        if gate.allowed:
            self._waiting = False
            self.solution.value = message_html(
                "Solution available",
                "The solution is available now: press **Solution** to see it.",
                css="mastery-solution-ready",
            )
        else:
            self.solution.value = message_html(
                "Solution not available yet", gate.message, css="mastery-solution-waiting"
            )

    def _watch_mastery(self) -> None:
        """For a solution shown after mastery: ask again every little while, in the background."""
        if self.checks.solution_policy(self.qid).mode != "after_mastery" or self._timer:
            return

        def tick() -> None:
            self._timer = None
            if not self._waiting or getattr(self.box, "comm", None) is None:
                return  # shown already, or the widget is gone
            try:
                self.refresh_solution()
            finally:
                self._watch_mastery()

        self._timer = threading.Timer(MASTERY_POLL_SECONDS, tick)
        self._timer.daemon = True
        self._timer.start()

    def bundle(self, text: str) -> dict[str, Any]:
        """The widget's display bundle, with ``text`` as its plain-text twin."""
        data: dict[str, Any] = dict(self.box._repr_mimebundle_() or {})
        data["text/plain"] = text
        return data


class CheckView(_Panel):
    """Check / Hint / Solution for a code question."""

    kind = "Practice check"

    def __init__(self, checks: Checks, qid: str, first: Verdict) -> None:
        q = checks.code_question(qid)
        super().__init__(checks, qid, q.prompt, q.objective)
        self.first = first
        self.check_button = _button(
            "Check", "Run the practice check on your code as it is now", "mastery-check"
        )
        self.check_button.button_style = "primary"
        self.check_button.on_click(self._on_check)
        self.verdict.value = verdict_html(first, objective=False)
        self.box = w.VBox(
            [
                self.heading,
                w.HBox([self.check_button, self.hint_button, self.solution_button]),
                self.verdict,
                self.hints,
                self.solution,
            ]
        )
        self.box.add_class("mastery-check")

    def bundle(self, text: str = "") -> dict[str, Any]:
        return super().bundle(text or verdict_text(self.first))

    def _on_check(self, _button: w.Button) -> None:
        self.check_button.disabled = True
        try:
            v = self.checks.run(self.qid)
            self.verdict.value = verdict_html(v, objective=False)
            self.refresh_solution()
        finally:
            self.check_button.disabled = False


@dataclass(frozen=True)
class _Judged:
    value: object  #: the answer the last verdict is for
    sent: datetime | None  #: when the browser sent the Check (or Enter) that asked for it


class QuizView(_Panel):
    """A quiz widget whose answer persists (file + notebook bundle)."""

    kind = "Quiz"

    def __init__(self, checks: Checks, qid: str, saved: object, first: Verdict | None) -> None:
        self.question = q = checks.quiz_question(qid)
        super().__init__(checks, qid, q.prompt, q.objective)
        self.display_id = f"mastery-answer-{uuid.uuid4().hex}"
        self.parent = frontend.current_parent()
        self.value: object = saved
        self._value_sent: datetime | None = None  #: when the browser sent ``value``
        self._judged: _Judged | None = None
        self._lock = threading.RLock()
        self._last_change = 0.0  #: monotonic time the last answer arrived
        self._pending: datetime | None = None  #: a check waiting for the answer to settle
        self._settle: threading.Timer | None = None
        self.input = self._make_input(saved)
        self.check_button = _button("Check answer", "Check the answer shown above", "mastery-check")
        self.check_button.button_style = "primary"
        self.check_button.on_click(lambda _b: self._check())
        self.saved = w.HTML(value=self._saved_html())
        self.saved.add_class("mastery-quiz-saved")
        if first is not None:
            self.verdict.value = self._verdict_html(first, saved)
        self.box = w.VBox(
            [
                self.heading,
                self.input,
                w.HBox([self.check_button, self.hint_button, self.solution_button]),
                self.verdict,
                self.saved,
                self.hints,
                self.solution,
            ]
        )
        self.box.add_class("mastery-quiz")

    # inputs -------------------------------------------------------------
    def _make_input(self, saved: object) -> w.Widget:
        q = self.question
        if isinstance(q, SingleChoice):
            radios = w.RadioButtons(
                options=[(plain_text(o), o) for o in q.options],
                value=saved if isinstance(saved, str) and saved in q.options else None,
                layout=w.Layout(width="auto"),
            )
            self._group(radios, "mastery-quiz-single")
            radios.observe(lambda ch: self._changed(ch["new"]), names="value")
            return radios
        if isinstance(q, MultipleChoice):
            picked = set(saved) if isinstance(saved, list) else set()
            self._options = list(q.options)
            self._boxes = [
                w.Checkbox(
                    value=o in picked,
                    description=plain_text(o),
                    indent=False,
                    layout=w.Layout(width="auto"),
                )
                for o in q.options
            ]
            for box in self._boxes:
                box.add_class("mastery-quiz-option")
                box.observe(lambda _ch: self._changed(self._ticked()), names="value")
            group = w.VBox(self._boxes)
            self._group(group, "mastery-quiz-multiple")
            return group
        assert isinstance(q, Numeric | ShortText)
        text = w.Text(
            value="" if saved is None else _answer_words(saved),
            placeholder="Type a number" if isinstance(q, Numeric) else "Type your answer",
            description="Your answer",
            # every keystroke reaches the kernel, so Check judges what is on the screen
            continuous_update=True,
            style={"description_width": "initial"},
        )
        text.add_class("mastery-quiz-input")
        text.observe(lambda ch: self._changed(ch["new"]), names="value")
        text.on_msg(self._on_text_message)
        return text

    def _group(self, widget: w.Widget, css: str) -> None:
        widget.add_class("mastery-quiz-input")
        widget.add_class("mastery-quiz-choices")
        widget.add_class(css)
        widget.add_class(f"mastery-labelledby-{self.heading_id}")

    def _ticked(self) -> list[str]:
        return [o for o, b in zip(self._options, self._boxes, strict=True) if b.value]

    def _on_screen(self) -> object:
        """The answer the widget holds now (its synced state)."""
        if isinstance(self.question, MultipleChoice):
            return self._ticked()
        return self.input.value

    def _saved_html(self, stale: bool = False) -> str:
        if self.value in (None, "", []):
            return (
                '<div class="mastery-quiz-saved-text" style="opacity:.8">No answer saved yet.</div>'
            )
        note = (
            " <strong>Run this cell again</strong> so the notebook itself carries the answer "
            "when you submit."
            if stale
            else ""
        )
        return (
            '<div class="mastery-quiz-saved-text" style="opacity:.8">'
            f"Answer saved: {html.escape(_answer_words(self.value))}.{note}</div>"
        )

    def _verdict_html(self, v: Verdict, value: object) -> str:
        answered = value not in (None, "", [])
        return verdict_html(v, objective=False, answer=_answer_words(value) if answered else None)

    # events ----------------------------------------------------------------
    def _changed(self, value: object) -> None:
        sent = frontend.request_time()
        with self._lock:
            self._last_change = time.monotonic()
            composite = isinstance(self.question, MultipleChoice)  # read from every box
            if not composite and sent and self._value_sent and sent < self._value_sent:
                return  # an older keystroke overtaken by a newer one: the newer one stands
            self._store(value, sent)
            judged = self._judged
            if (
                judged is not None
                and sent is not None
                and judged.sent is not None
                and sent <= judged.sent
                and judged.value != self.value
            ):
                # This answer was on the screen when Check was pressed, but reached us after
                # the click: the verdict shown is for an older answer. Judge this one.
                self._judge(self.value, judged.sent)

    def _store(self, value: object, sent: datetime | None) -> None:
        self.value = self.checks.save_answer(self.qid, value)
        self._value_sent = sent
        self.saved.value = self._saved_html(stale=self._page_changed())
        self.show_answer_bundle(update=True)

    def _on_text_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("event") == "submit":  # Enter
            self._check()

    def _check(self) -> None:
        """Check answer (or Enter): judge the answer once it has settled (see the module)."""
        sent = frontend.request_time()
        with self._lock:
            self._pending = sent or self._pending
            if self._settle is None:
                self._wait(SETTLE_SECONDS)

    def _wait(self, seconds: float) -> None:
        self._settle = threading.Timer(seconds, self._settled)
        self._settle.daemon = True
        self._settle.start()

    def _settled(self) -> None:
        """Judge the answer on the screen and save that answer (on the timer's thread)."""
        with self._lock:
            quiet = time.monotonic() - self._last_change
            if quiet < SETTLE_SECONDS:  # an answer is still arriving: wait for it
                self._wait(SETTLE_SECONDS - quiet)
                return
            self._settle = None
            sent, self._pending = self._pending, None
            shown = self.checks.normalise(self.qid, self._on_screen())
            if shown != self.value:  # the widget's state is newer than the last change seen
                self._store(shown, sent)
            self._judge(self.value, sent)

    def _judge(self, value: object, sent: datetime | None) -> None:
        v = self.checks.check_quiz(self.qid, value)
        self._judged = _Judged(value, sent)
        self.verdict.value = self._verdict_html(v, value)
        self.refresh_solution()

    def _page_changed(self) -> bool:
        """Is the learner talking to us from another page than the one that ran the cell?

        JupyterLab routes an output update to a cell only through the request that ran it,
        and only in the page that sent that request. After a page reload (or reopening the
        notebook) the widget still works and the answers file is updated, but the cell's
        saved output would keep the old answer: the learner is asked to re-run the cell.
        """
        now = frontend.current_parent()
        if not self.parent or not now:
            return False
        return bool(now.get("session")) and now.get("session") != self.parent.get("session")

    def show_answer_bundle(self, update: bool = False) -> None:
        """Display (or update) the answer bundle in the quiz cell's own output."""
        bundle = self.checks.answer_bundle(self.qid, self.value)
        with frontend.output_parent(self.parent if update else None):
            frontend.display_bundle(bundle, display_id=self.display_id, update=update)


def _answer_words(value: object) -> str:
    from mastery_nb.checks.api import answer_words

    return answer_words(value)

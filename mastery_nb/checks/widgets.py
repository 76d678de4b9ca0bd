"""ipywidgets views: a Check/Hint/Solution panel for code questions and quiz widgets.

Only used when a widget frontend is connected (see :mod:`mastery_nb.checks.frontend`).
Buttons carry visible text labels and tooltips; verdicts are rendered into HTML with
``role=status`` so screen readers announce them. A quiz answer is saved the moment it
changes (``.mastery-answers.json``) and mirrored into the quiz cell's output bundle
through a display id, so saving the notebook carries it to the grader.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from mastery_nb.checks import frontend
from mastery_nb.checks.quiz import MultipleChoice, Numeric, ShortText, SingleChoice
from mastery_nb.checks.text import message_html, verdict_html, verdict_text
from mastery_nb.checks.verdict import Verdict

if TYPE_CHECKING:
    from mastery_nb.checks.api import Checks

__all__ = ["CheckView", "QuizView"]


def _heading(kind: str, qid: str, prompt: str, objective: str) -> w.HTML:
    import html

    body = f"<div>{html.escape(prompt)}</div>" if prompt else ""
    return w.HTML(
        value=(
            f'<div class="mastery-check-heading"><strong>{html.escape(kind)}: '
            f"{html.escape(qid)}</strong>{body}"
            f'<div class="mastery-check-objective" style="opacity:.8">Objective: '
            f"{html.escape(objective)}</div></div>"
        )
    )


def _button(label: str, tooltip: str, css: str) -> w.Button:
    # No icon: Font Awesome glyphs would be read out as part of the button's name.
    b = w.Button(description=label, tooltip=tooltip, layout=w.Layout(width="auto"))
    b.add_class(css)
    b.add_class("mastery-check-button")
    return b


class _Panel:
    """Buttons shared by code questions and quizzes: Hint and Solution."""

    def __init__(self, checks: Checks, qid: str) -> None:
        self.checks = checks
        self.qid = qid
        self.verdict = w.HTML(value="")
        self.verdict.add_class("mastery-check-verdict-area")
        self.notes = w.HTML(value="")
        self.notes.add_class("mastery-check-notes")
        self.hint_button = _button("Hint", f"Show the next hint for {qid}", "mastery-hint")
        self.solution_button = _button(
            "Solution",
            f"Show the solution for {qid} when it is available",
            "mastery-solution",
        )
        self.hint_button.on_click(self._on_hint)
        self.solution_button.on_click(self._on_solution)
        self.box: w.VBox

    def _on_hint(self, _button: w.Button) -> None:
        text = self.checks.next_hint(self.qid)
        shown = self.checks.revealed_hints(self.qid)
        parts = [
            message_html(f"Hint {i + 1} of {len(self.checks._hints_of(self.qid))}", h)
            for i, h in enumerate(shown)
        ]
        self.notes.value = "".join(parts) or message_html("Hint", text)

    def _on_solution(self, _button: w.Button) -> None:
        shown, text = self.checks.reveal_solution(self.qid)
        title = "Solution" if shown else "Solution not available yet"
        self.notes.value = message_html(title, text, code=shown)

    def bundle(self, text: str) -> dict[str, Any]:
        """The widget's display bundle, with ``text`` as its plain-text twin."""
        data: dict[str, Any] = dict(self.box._repr_mimebundle_() or {})
        data["text/plain"] = text
        return data


class CheckView(_Panel):
    """Check / Hint / Solution for a code question."""

    def __init__(self, checks: Checks, qid: str, first: Verdict) -> None:
        super().__init__(checks, qid)
        self.first = first
        q = checks.code_question(qid)
        objective = checks._objective_text.get(q.objective, "")
        label = f"{q.objective} — {objective}" if objective else q.objective
        self.check_button = _button("Check", f"Run the practice check for {qid}", "mastery-check")
        self.check_button.button_style = "primary"
        self.check_button.on_click(self._on_check)
        self.verdict.value = verdict_html(first)
        self.box = w.VBox(
            [
                _heading("Check", qid, q.prompt, label),
                w.HBox([self.check_button, self.hint_button, self.solution_button]),
                self.verdict,
                self.notes,
            ]
        )
        self.box.add_class("mastery-check")

    def bundle(self, text: str = "") -> dict[str, Any]:
        return super().bundle(text or verdict_text(self.first))

    def _on_check(self, _button: w.Button) -> None:
        self.check_button.disabled = True
        try:
            v = self.checks.run(self.qid)
            self.verdict.value = verdict_html(v)
        finally:
            self.check_button.disabled = False


class QuizView(_Panel):
    """A quiz widget whose answer persists (file + notebook bundle)."""

    def __init__(self, checks: Checks, qid: str, saved: object, first: Verdict | None) -> None:
        super().__init__(checks, qid)
        self.question = q = checks.quiz_question(qid)
        self.display_id = f"mastery-answer-{uuid.uuid4().hex}"
        self.parent = frontend.current_parent()
        self.value: object = saved
        objective = checks._objective_text.get(q.objective, "")
        label = f"{q.objective} — {objective}" if objective else q.objective
        self.input = self._make_input(saved)
        self.check_button = _button("Check answer", f"Check your answer to {qid}", "mastery-check")
        self.check_button.button_style = "primary"
        self.check_button.on_click(self._on_check)
        self.saved = w.HTML(value=self._saved_html())
        self.saved.add_class("mastery-quiz-saved")
        if first is not None:
            self.verdict.value = verdict_html(first)
        self.box = w.VBox(
            [
                _heading("Quiz", qid, q.prompt, label),
                self.input,
                w.HBox([self.check_button, self.hint_button, self.solution_button]),
                self.saved,
                self.verdict,
                self.notes,
            ]
        )
        self.box.add_class("mastery-quiz")

    # inputs -------------------------------------------------------------
    def _make_input(self, saved: object) -> w.Widget:
        q = self.question
        if isinstance(q, SingleChoice):
            radios = w.RadioButtons(
                options=list(q.options),
                value=saved if isinstance(saved, str) and saved in q.options else None,
                description="Answer:",
                layout=w.Layout(width="auto"),
                style={"description_width": "initial"},
            )
            radios.add_class("mastery-quiz-input")
            radios.observe(lambda ch: self._changed(ch["new"]), names="value")
            return radios
        if isinstance(q, MultipleChoice):
            picked = set(saved) if isinstance(saved, list) else set()
            self._boxes = [
                w.Checkbox(
                    value=o in picked, description=o, indent=False, layout=w.Layout(width="auto")
                )
                for o in q.options
            ]
            for box in self._boxes:
                box.add_class("mastery-quiz-option")
                box.observe(lambda _ch: self._changed(self._ticked()), names="value")
            group = w.VBox(self._boxes)
            group.add_class("mastery-quiz-input")
            return group
        placeholder = "Type a number" if isinstance(q, Numeric) else "Type your answer"
        assert isinstance(q, Numeric | ShortText)
        text = w.Text(
            value=""
            if saved is None
            else (f"{saved:g}" if isinstance(saved, float) else str(saved)),
            placeholder=placeholder,
            description="Answer:",
            continuous_update=False,
            style={"description_width": "initial"},
        )
        text.add_class("mastery-quiz-input")
        text.observe(lambda ch: self._changed(ch["new"]), names="value")
        return text

    def _ticked(self) -> list[str]:
        return [b.description for b in self._boxes if b.value]

    def _saved_html(self, stale: bool = False) -> str:
        import html

        from mastery_nb.checks.api import _answer_words

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
            '<div class="mastery-quiz-saved-text" style="opacity:.8" role="status" '
            f'aria-live="polite">Answer saved: {html.escape(_answer_words(self.value))}.{note}</div>'
        )

    # events ----------------------------------------------------------------
    def _changed(self, value: object) -> None:
        self.value = self.checks.save_answer(self.qid, value)
        self.saved.value = self._saved_html(stale=self._page_changed())
        self.show_answer_bundle(update=True)

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

    def _on_check(self, _button: w.Button) -> None:
        v = self.checks.check_quiz(self.qid, self.value)
        self.verdict.value = verdict_html(v)

"""Verdicts, hints and solutions as text and as small accessible HTML.

Every rich display carries a ``text/plain`` twin, so a notebook executed without a
widget frontend (nbclient, ``jupyter nbconvert --execute``, nbval) records the same words
the learner would read in JupyterLab. The HTML renders the author's Markdown (`backticks`,
**bold**, code blocks) as a Markdown cell would, and takes its colours from the
JupyterLab theme, so it reads the same in the light and the dark theme.
"""

from __future__ import annotations

import html

from mastery_nb.checks.verdict import Verdict
from mastery_nb.markdown import inline_markdown, markdown_html

__all__ = [
    "message_html",
    "message_text",
    "verdict_html",
    "verdict_text",
]

#: JupyterLab theme colours, with fallbacks for other frontends
_COLOURS = {
    "correct": "var(--jp-success-color1, #1b7f3b)",
    "incorrect": "var(--jp-error-color1, #a4262c)",
    "not_attempted": "var(--jp-ui-font-color2, #6b6b6b)",
    "error": "var(--jp-warn-color1, #8a5300)",
    "note": "var(--jp-brand-color1, #3465a4)",
}


def verdict_text(v: Verdict, label: str = "") -> str:
    """``[question] Correct: message`` then the objective on its own line."""
    head = f"{v.symbol} {label or v.question}: {v.title}"
    lines = [head, f"  {v.message}"]
    if v.objective:
        lines.append(f"  Objective: {v.objective_label}")
    return "\n".join(lines)


def verdict_html(
    v: Verdict, label: str = "", *, objective: bool = True, answer: str | None = None
) -> str:
    """The verdict as a status region screen readers announce (``role=status``).

    ``label`` names the question in the title (a widget leaves it out: its heading says
    which question); ``answer`` is the learner's answer in words, shown with a quiz verdict
    so the learner sees which answer was judged; ``objective`` adds the objective line.
    """
    colour = _COLOURS[v.status]
    title = f"{label}: {v.title}" if label else v.title
    judged = (
        f'<div class="mastery-check-answer">Your answer: <code>{html.escape(answer)}</code></div>'
        if answer is not None
        else ""
    )
    objective_line = (
        f'<div class="mastery-check-objective">Objective: {html.escape(v.objective_label)}</div>'
        if objective and v.objective
        else ""
    )
    return (
        f'<div class="mastery-check-verdict mastery-check-{v.status}" role="status" '
        f'aria-live="polite" data-status="{v.status}" '
        f'style="border-left:4px solid {colour};padding:4px 8px;margin:4px 0">'
        f'<strong style="color:{colour}">{v.symbol} {html.escape(title)}</strong>'
        f"{judged}"
        f'<div class="mastery-check-message">{markdown_html(v.message)}</div>'
        f"{objective_line}</div>"
    )


def message_text(title: str, body: str) -> str:
    return f"{title}\n  " + body.replace("\n", "\n  ")


def message_html(title: str, body: str, *, code: bool = False, css: str = "") -> str:
    """A titled note (a hint, a solution, a notice); ``code`` shows ``body`` as code."""
    content = (
        f"<pre><code>{html.escape(body)}</code></pre>"
        if code
        else f"<div>{markdown_html(body)}</div>"
    )
    extra = f" {css}" if css else ""
    return (
        f'<div class="mastery-check-note{extra}" '
        f'style="border-left:4px solid {_COLOURS["note"]};padding:4px 8px;margin:4px 0">'
        f"<strong>{inline_markdown(title)}</strong>{content}</div>"
    )

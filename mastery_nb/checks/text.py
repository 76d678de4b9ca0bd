"""Verdicts, hints and solutions as text and as small accessible HTML.

Every rich display carries a ``text/plain`` twin, so a notebook executed without a
widget frontend (nbclient, ``jupyter nbconvert --execute``, nbval) records the same words
the learner would read in JupyterLab.
"""

from __future__ import annotations

import html
import re

from mastery_nb.checks.verdict import Verdict

__all__ = [
    "message_html",
    "message_text",
    "verdict_html",
    "verdict_text",
]

_CODE = re.compile(r"`([^`\n]{1,200})`")


def _rich(text: str) -> str:
    """Escape text for HTML and show `backticked` names as code."""
    return _CODE.sub(r"<code>\1</code>", html.escape(text))


_COLOURS = {
    "correct": "#1b7f3b",
    "incorrect": "#a4262c",
    "not_attempted": "#6b6b6b",
    "error": "#8a5300",
}


def verdict_text(v: Verdict, label: str = "") -> str:
    """``[question] Correct: message`` then the objective on its own line."""
    head = f"{v.symbol} {label or v.question}: {v.title}"
    lines = [head, f"  {v.message}"]
    if v.objective:
        lines.append(f"  Objective: {v.objective_label}")
    return "\n".join(lines)


def verdict_html(v: Verdict, label: str = "") -> str:
    """The verdict as a status region screen readers announce (``role=status``)."""
    colour = _COLOURS[v.status]
    objective = (
        f'<div class="mastery-check-objective">Objective: {html.escape(v.objective_label)}</div>'
        if v.objective
        else ""
    )
    return (
        f'<div class="mastery-check-verdict mastery-check-{v.status}" role="status" '
        f'aria-live="polite" data-status="{v.status}" '
        f'style="border-left:4px solid {colour};padding:4px 8px;margin:4px 0">'
        f'<strong style="color:{colour}">{v.symbol} {html.escape(label or v.question)}: '
        f"{html.escape(v.title)}</strong>"
        f'<div class="mastery-check-message">{_rich(v.message)}</div>'
        f"{objective}</div>"
    )


def message_text(title: str, body: str) -> str:
    return f"{title}\n  " + body.replace("\n", "\n  ")


def message_html(title: str, body: str, *, code: bool = False) -> str:
    content = (
        f"<pre><code>{html.escape(body)}</code></pre>" if code else f"<div>{_rich(body)}</div>"
    )
    return (
        '<div class="mastery-check-note" role="status" aria-live="polite" '
        'style="border-left:4px solid #3465a4;padding:4px 8px;margin:4px 0">'
        f"<strong>{html.escape(title)}</strong>{content}</div>"
    )

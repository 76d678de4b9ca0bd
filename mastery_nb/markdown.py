"""Markdown as the learner reads it in the notebook, rendered safely to HTML.

Prompts, hints, check messages and feedback are written in the notebook's language:
Markdown with `backticks`, **bold** and code blocks. They are shown here as JupyterLab
shows a Markdown cell, with two differences that keep them safe wherever they appear
(a widget in the learner's notebook, the feedback page, an instructor's dashboard):
raw HTML is escaped, and links and images become plain text, because a message may
carry text from the learner's own code (an exception message, a value they typed).
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import Any

__all__ = ["inline_markdown", "markdown_html", "plain_text"]


@lru_cache(maxsize=1)
def _renderer() -> Any:
    import mistune

    class _SafeRenderer(mistune.HTMLRenderer):
        """mistune's HTML, with links and images reduced to their text."""

        def link(self, text: str, url: str, title: str | None = None) -> str:
            return text

        def image(self, text: str, url: str, title: str | None = None) -> str:
            return html.escape(text)

    return mistune.create_markdown(
        escape=True, renderer=_SafeRenderer(escape=True), plugins=["strikethrough", "table"]
    )


def markdown_html(text: str) -> str:
    """Block Markdown (paragraphs, lists, code blocks) as safe HTML."""
    if not text:
        return ""
    return str(_renderer()(text)).strip()


_ONE_PARAGRAPH = re.compile(r"^<p>(.*)</p>$", re.S)


def inline_markdown(text: str) -> str:
    """One line or paragraph of Markdown as safe inline HTML (no surrounding ``<p>``)."""
    rendered = markdown_html(text)
    found = _ONE_PARAGRAPH.match(rendered)
    return found.group(1) if found and "<p>" not in found.group(1) else rendered


_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_STARS = re.compile(r"(\*\*|\*)(?=\S)(.+?)(?<=\S)\1")
_UNDERSCORES = re.compile(r"(?<!\w)(__|_)(?=\S)(.+?)(?<=\S)\1(?!\w)")


def plain_text(text: str) -> str:
    """Markdown as plain words for a one-line label: no ``#``, ``**`` or backticks."""
    line = _HEADING.sub("", text.strip())
    line = _UNDERSCORES.sub(r"\2", _STARS.sub(r"\2", line))
    return line.replace("`", "").strip()

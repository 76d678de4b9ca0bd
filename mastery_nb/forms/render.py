"""Filling a form's values into text: the one renderer of parallel forms (stdlib only).

An author writes a unit once and refers to its form's values in two ways:

* in **code** (setup cells, test cells with their hidden tests, any locked cell): the
  attribute ``form.<name>``, which is valid Python, so the source notebook still runs (its
  load cell binds ``form = checks.values``, the preview form);
* in **Markdown** (the exercise's text, a quiz prompt, a hint): ``{{ form.<name> }}``,
  optionally with a format spec, ``{{ form.price:.2f }}``.

Rendering replaces each reference by the value: a Python literal in code
(``coffee_price = form.coffee_price`` becomes ``coffee_price = 2.4``), text in Markdown.
So a learner's notebook shows their own numbers, and a hidden test graded for a form holds
that form's values as literals that no code of the learner can change. Only names the form
has are replaced; anything else is left as written (``mastery-nb validate`` reports it).
The kernel imports this module too (quiz prompts and hints), so it needs nothing but the
standard library.
"""

from __future__ import annotations

import io
import keyword
import re
import tokenize
from collections.abc import Iterator, Mapping
from typing import Any

__all__ = [
    "FORM_NAME",
    "code_literal",
    "code_references",
    "markdown_references",
    "references",
    "render_code",
    "render_markdown",
    "render_source",
]

#: the name a notebook's code uses for its form (``form.coffee_price``)
FORM_NAME = "form"
_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_MARKDOWN = re.compile(r"\{\{\s*" + FORM_NAME + r"\.(" + _NAME + r")\s*(?::([^{}]*?))?\s*\}\}")
_CODE_FALLBACK = re.compile(r"(?<![\w.])" + FORM_NAME + r"\s*\.\s*(" + _NAME + r")\b")
#: a negative literal binds looser than these: ``form.x ** 2`` must become ``(-3) ** 2``
_POSTFIX = ("**", ".", "[", "(")


def code_literal(value: Any) -> str:
    """``value`` (JSON-shaped: the form's values are) as Python source that evaluates to it."""
    return repr(value)


def _spans(source: str) -> Iterator[tuple[int, int, str, str]]:
    """``(start, end, name, following token)`` of every ``form.<name>`` in code.

    Tokens, not a regular expression, so ``"form.x"`` in a string and ``# form.x`` in a
    comment are left alone. A cell tokenize cannot read (an IPython magic, a syntax error
    of the author's) falls back to a regular expression.
    """
    starts = [0]
    for line in source.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))

    def offset(position: tuple[int, int]) -> int:
        row, col = position
        return starts[row - 1] + col if row - 1 < len(starts) else len(source)

    try:
        tokens = [
            t
            for t in tokenize.generate_tokens(io.StringIO(source).readline)
            if t.type not in (tokenize.NL, tokenize.COMMENT)
        ]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        for match in _CODE_FALLBACK.finditer(source):
            rest = source[match.end() :].lstrip(" \t")
            yield (
                match.start(),
                match.end(),
                match.group(1),
                rest[:2] if rest[:2] == "**" else rest[:1],
            )
        return
    for i, token in enumerate(tokens[:-2]):
        dot, name = tokens[i + 1], tokens[i + 2]
        if not (
            token.type == tokenize.NAME
            and token.string == FORM_NAME
            and dot.type == tokenize.OP
            and dot.string == "."
            and name.type == tokenize.NAME
            and not keyword.iskeyword(name.string)
        ):
            continue
        before = tokens[i - 1] if i > 0 else None
        if before is not None and before.type == tokenize.OP and before.string == ".":
            continue  # ``self.form.x``: someone else's attribute
        after = tokens[i + 3].string if i + 3 < len(tokens) else ""
        yield offset(token.start), offset(name.end), name.string, after


def code_references(source: str) -> list[str]:
    """The names ``form.<name>`` refers to in a code cell, in order (repeats kept)."""
    return [name for _, _, name, _ in _spans(source)]


def markdown_references(source: str) -> list[str]:
    """The names ``{{ form.<name> }}`` refers to in Markdown, in order (repeats kept)."""
    return [m.group(1) for m in _MARKDOWN.finditer(source)]


def references(cell_type: str, source: str) -> list[str]:
    """The form values a cell's source refers to (code: ``form.x``; Markdown: ``{{ form.x }}``)."""
    if cell_type == "code":
        return code_references(source)
    if cell_type == "markdown":
        return markdown_references(source)
    return []


def render_code(source: str, values: Mapping[str, Any]) -> str:
    """``source`` with every ``form.<name>`` the form has replaced by its value's literal."""
    pieces: list[str] = []
    at = 0
    for start, end, name, after in _spans(source):
        if name not in values:
            continue
        literal = code_literal(values[name])
        if literal.startswith("-") and after in _POSTFIX:
            literal = f"({literal})"
        pieces += [source[at:start], literal]
        at = end
    if not pieces:
        return source
    pieces.append(source[at:])
    return "".join(pieces)


def _text(value: Any, spec: str | None) -> str:
    if spec:
        try:
            return format(value, spec.strip())
        except (TypeError, ValueError):
            return str(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def render_markdown(source: str, values: Mapping[str, Any]) -> str:
    """``source`` with every ``{{ form.<name> }}`` (``{{ form.<name>:<spec> }}``) the form
    has replaced by its value as text (lists as ``a, b, c``)."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        return _text(values[name], match.group(2)) if name in values else match.group(0)

    return _MARKDOWN.sub(replace, source) if "{{" in source else source


def render_source(cell_type: str, source: str, values: Mapping[str, Any]) -> str:
    """A cell's source rendered for a form: code and Markdown cells; raw cells as they are."""
    if cell_type == "code":
        return render_code(source, values)
    if cell_type == "markdown":
        return render_markdown(source, values)
    return source

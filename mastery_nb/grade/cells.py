"""Turning the bundle's cells into what the sandboxed child executes, in the grader.

The grader, not the child, parses: learner code in the child could have patched ``ast``
or IPython's input transformers; here nothing learner code touched is involved.

- IPython syntax (``%magic``, ``!shell``) becomes plain Python, as IPython would do it;
- a test cell is split into its statements and its last expression, whose value is the
  test's partial credit (nbgrader reads it from the cell's output). A last expression
  ending in ``;`` displays nothing in IPython, so it gives no value (nbgrader then gives
  the cell's full points when it ran without error).

Only the bundle's sources come here (tests and trusted cells, never learner code), and
every attempt of a unit has the same ones: each is prepared once per run (cached), not
once per attempt on the attempt's clock.
"""

from __future__ import annotations

import ast
import functools
import io
import tokenize
import warnings

__all__ = ["python_source", "split_test"]


@functools.lru_cache(maxsize=1024)
def python_source(source: str) -> str:
    """``source`` as Python: IPython's transformations when it is not Python already."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(source)
        return source
    except (SyntaxError, ValueError):
        pass
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        transformed: str = TransformerManager().transform_cell(source)  # type: ignore[no-untyped-call]
        return transformed
    except Exception:  # the child's compile reports the syntax error in the learner's words
        return source


def _offset(lines: list[str], lineno: int, col_bytes: int) -> int:
    """Character offset in the source of (1-based line, UTF-8 byte column)."""
    before = sum(len(line) for line in lines[: lineno - 1])
    line = lines[lineno - 1] if lineno - 1 < len(lines) else ""
    return before + len(line.encode("utf-8")[:col_bytes].decode("utf-8", "replace"))


def _ends_with_semicolon(tail: str) -> bool:
    """Whether the first token after the last statement is ``;`` (IPython's quiet rule)."""
    try:
        for token in tokenize.generate_tokens(io.StringIO(tail).readline):
            if token.type in (
                tokenize.COMMENT,
                tokenize.NL,
                tokenize.NEWLINE,
                tokenize.INDENT,
                tokenize.DEDENT,
            ):
                continue
            return token.type == tokenize.OP and token.string == ";"
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return False
    return False


@functools.lru_cache(maxsize=1024)
def split_test(source: str) -> tuple[str, str]:
    """``(statements, last expression)`` of a test cell; the expression is ``""`` when the
    cell does not end with one (or ends with ``;``). Line numbers are kept: the expression
    is preceded by as many newlines as lines before it."""
    python = python_source(source)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(python)
    except (SyntaxError, ValueError):
        return python, ""  # compiled in the child, which reports the error
    if not tree.body or not isinstance(tree.body[-1], ast.Expr):
        return python, ""
    last = tree.body[-1]
    lines = python.splitlines(keepends=True)
    start = _offset(lines, last.lineno, last.col_offset)
    end_line = last.end_lineno or last.lineno
    end = _offset(lines, end_line, last.end_col_offset or 0)
    if _ends_with_semicolon(python[end:]):
        return python, ""
    expression = python[start:end]
    return python[:start], "\n" * (last.lineno - 1) + expression.strip()

"""How big a submitted notebook may be, checked before it is parsed: one home for both the
submit path (which refuses) and the grader (which scores an honest zero).

Parsing JSON into Python objects costs far more than its bytes (an empty object ``{}``
of 3 bytes becomes 64), so size alone does not bound memory: a notebook is also refused
when it holds more than :data:`MAX_JSON_VALUES` values (objects, arrays, strings,
numbers; counted in one pass over the bytes, strings skipped) or more than
:data:`MAX_CELLS` cells, and JSON nested deeper than Python's parser allows is refused
by the parser. Within these bounds parsing one notebook takes under about 350 MB
(measured by tests/submit/test_bounds.py).
"""

from __future__ import annotations

import re

__all__ = ["MAX_CELLS", "MAX_JSON_VALUES", "MAX_NOTEBOOK_BYTES", "json_values", "size_problem"]

MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024
MAX_JSON_VALUES = 1_000_000
MAX_CELLS = 20_000

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)


def json_values(data: bytes) -> int:
    """An upper bound of the number of values in a JSON document (exact for valid JSON)."""
    bare = _STRING.sub(b"0", data)
    return bare.count(b",") + bare.count(b"[") + bare.count(b"{") + 1


def size_problem(data: bytes) -> tuple[str, str] | None:
    """``(what is wrong, the fix)`` when the bytes are too big to parse, else None."""
    fix = "clear large outputs (Edit > Clear Outputs of All Cells), save and submit again"
    if len(data) > MAX_NOTEBOOK_BYTES:
        return (
            f"the notebook is {len(data) // 2**20} MB, more than the "
            f"{MAX_NOTEBOOK_BYTES // 2**20} MB allowed",
            fix,
        )
    values = json_values(data)
    if values > MAX_JSON_VALUES:
        return (
            f"the notebook holds about {values:,} JSON values, more than the "
            f"{MAX_JSON_VALUES:,} allowed (very large outputs?)",
            fix,
        )
    return None

"""How big a submitted notebook may be, checked before it is parsed: one home for both the
submit path (which refuses) and the grader (which scores an honest zero).

Parsing JSON into Python objects costs far more than its bytes (an empty object ``{}``
of 3 bytes becomes 64), so size alone does not bound memory: a notebook is also refused
when it holds more than :data:`MAX_JSON_VALUES` values (objects, arrays, strings,
numbers; counted in one pass over the bytes, strings skipped) or more than
:data:`MAX_CELLS` cells, and JSON nested deeper than Python's parser allows is refused
by the parser. Within these bounds parsing one notebook allocates under 300 MB
(measured by tests/submit/test_bounds.py).
"""

from __future__ import annotations

__all__ = ["MAX_CELLS", "MAX_JSON_VALUES", "MAX_NOTEBOOK_BYTES", "json_values", "size_problem"]

MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024
MAX_JSON_VALUES = 1_000_000
MAX_CELLS = 20_000

_KEEP = b'",[{'
_DROP = bytes(b for b in range(256) if b not in _KEEP)


def json_values(data: bytes, stop: int | None = None) -> int:
    """An upper bound of the number of values in a JSON document (exact for valid JSON),
    counted without building anything per value: escaped quotes and backslashes removed,
    then only quotes and the characters that start or separate values kept, then the runs
    between strings counted. ``stop``: return as soon as the count passes it."""
    kept = data.replace(b"\\\\", b"").replace(b'\\"', b"").translate(None, _DROP)
    count, position, end = 1, 0, len(kept)
    while position < end:
        quote = kept.find(b'"', position)
        count += (end if quote < 0 else quote) - position
        if quote < 0 or (stop is not None and count > stop):
            break
        close = kept.find(b'"', quote + 1)
        if close < 0:
            break
        position = close + 1
    return count


def size_problem(data: bytes) -> tuple[str, str] | None:
    """``(what is wrong, the fix)`` when the bytes are too big to parse, else None."""
    fix = "clear large outputs (Edit > Clear Outputs of All Cells), save and submit again"
    if len(data) > MAX_NOTEBOOK_BYTES:
        return (
            f"the notebook is {len(data) // 2**20} MB, more than the "
            f"{MAX_NOTEBOOK_BYTES // 2**20} MB allowed",
            fix,
        )
    values = json_values(data, stop=MAX_JSON_VALUES)
    if values > MAX_JSON_VALUES:
        return (
            f"the notebook holds more than the {MAX_JSON_VALUES:,} JSON values a notebook "
            "may hold (very large outputs?)",
            fix,
        )
    return None
